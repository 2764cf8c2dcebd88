import SuhbatFFI
import SwiftUI

/// Renders a screen model: a spinner, the core's error message, or the content.
struct ScreenContent<T, Content: View>: View {
    @ObservedObject var model: ScreenModel<T>
    let content: (T) -> Content

    var body: some View {
        VStack(alignment: .leading, spacing: 0) {
            if let error = model.actionError {
                ErrorText(message: error)
            }
            switch model.state {
            case .loading:
                ProgressView().frame(maxWidth: .infinity, maxHeight: .infinity)
            case .failed(let message):
                ErrorText(message: message)
            case .ready(let value):
                content(value)
            }
        }
        .task { await model.refresh() }
    }
}

/// A message from the core in the error colour.
struct ErrorText: View {
    let message: String

    var body: some View {
        Text(message).foregroundColor(.red).padding()
    }
}

/// A small capsule label (urgency, stage, badge).
struct Tag: View {
    let text: String

    var body: some View {
        Text(text)
            .font(.caption)
            .padding(.horizontal, 8)
            .padding(.vertical, 3)
            .background(Capsule().fill(Color.accentColor.opacity(0.15)))
    }
}

/// Titled groups of label–value rows.
struct SectionsView: View {
    let sections: [DetailSection]

    var body: some View {
        ForEach(sections, id: \.title) { section in
            Section(header: Text(section.title)) {
                ForEach(Array(section.rows.enumerated()), id: \.offset) { _, row in
                    VStack(alignment: .leading) {
                        Text(row.label).font(.caption).foregroundColor(.secondary)
                        Text(row.value)
                    }
                }
            }
        }
    }
}

/// A label above its value (a field of a record shown read-only); nothing when empty.
struct LabelledText: View {
    let label: String
    let value: String

    var body: some View {
        if !value.isEmpty {
            VStack(alignment: .leading) {
                Text(label).font(.caption).foregroundColor(.secondary)
                Text(value)
            }
        }
    }
}

/// Open fields with concurrent values (resolved on the conflicts tab).
struct ConflictMark: View {
    let count: UInt32

    var body: some View {
        if count > 0 {
            Label(String(count), systemImage: "exclamationmark.triangle").foregroundColor(.red).font(.caption)
        }
    }
}
