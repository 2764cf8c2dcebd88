import SuhbatFFI
import SwiftUI

/// Device-to-device exchange: saves a bundle of this phone's changes and offers it to the
/// share sheet (AirDrop, a messenger, Files), or opens a bundle received from another phone
/// and shows the core's report of the merge.
struct ExchangeView: View {
    let repository: SuhbatRepository
    @State private var saved: URL?
    @State private var report: ExchangeReport?
    @State private var error: String?
    @State private var picking = false
    @State private var myCode: SummaryCode?
    @State private var theirCode = ""
    @State private var texts: [String: String] = [:]

    var body: some View {
        Loaded(repository, load: { try $0.exchange() }) { _, screen in
            FormScaffold(
                title: screen.title,
                submitLabel: screen.exportLabel,
                errors: error.map { [$0] } ?? [],
                onSubmit: { save() },
                actions: {
                    if let file = saved {
                        ShareLink(item: file) { Label(file.lastPathComponent, systemImage: "square.and.arrow.up") }
                    }
                    Button(screen.receiveLabel) { picking = true }
                    Button(screen.showCodeLabel) { showCode() }
                }
            ) {
                Text(screen.explanation)
                if let code = myCode {
                    Text(code.explanation)
                    QrCodeView(code: code).frame(width: 240, height: 240)
                }
                TextField("", text: $theirCode)
                Button(screen.sendForCodeLabel) { save(forCode: theirCode) }
                    .disabled(theirCode.trimmingCharacters(in: .whitespaces).isEmpty)
                if let merged = report {
                    Section(header: Text(merged.title)) {
                        ForEach(merged.lines, id: \.self) { line in
                            Text(line)
                        }
                        if merged.conflicts > 0 {
                            NavigationLink(value: Route.open(.conflicts)) { Text(texts["screen.conflicts"] ?? "") }
                        }
                    }
                }
            }
        }
        .fileImporter(isPresented: $picking, allowedContentTypes: [.item]) { result in
            receive(result)
        }
        .task { texts = await repository.texts(["screen.conflicts"]) }
    }

    private func showCode() {
        Task { @MainActor in
            switch await repository.call({ try $0.summaryCode() }) {
            case .success(let code):
                myCode = code
                error = nil
            case .failure(let failure):
                error = failure.message
            }
        }
    }

    private func save(forCode code: String? = nil) {
        Task { @MainActor in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("exchange")
            switch await BundleExchange(repository: repository).save(in: directory, forCode: code) {
            case .success(let file):
                saved = file
                error = nil
            case .failure(let failure):
                error = failure.message
            }
        }
    }

    private func receive(_ picked: Result<URL, Error>) {
        Task { @MainActor in
            let bytes: Data
            do {
                let file = try picked.get()
                let scoped = file.startAccessingSecurityScopedResource()
                defer { if scoped { file.stopAccessingSecurityScopedResource() } }
                bytes = try Data(contentsOf: file)
            } catch {
                self.error = CoreFailure(error).message
                return
            }
            switch await BundleExchange(repository: repository).receive(bytes) {
            case .success(let merged):
                report = merged
                error = nil
            case .failure(let failure):
                report = nil
                error = failure.message
            }
        }
    }
}

/// A QR code the core made, drawn module by module (white margin of four modules).
struct QrCodeView: View {
    let code: SummaryCode

    var body: some View {
        Canvas { context, size in
            let side = Int(code.size)
            let module = min(size.width, size.height) / CGFloat(side + 8)
            context.fill(Path(CGRect(origin: .zero, size: size)), with: .color(.white))
            for row in 0..<side {
                for col in 0..<side where code.dark[row * side + col] {
                    let square = CGRect(x: CGFloat(col + 4) * module, y: CGFloat(row + 4) * module, width: module, height: module)
                    context.fill(Path(square), with: .color(.black))
                }
            }
        }
    }
}
