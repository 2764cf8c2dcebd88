import SuhbatKit
import SwiftUI

/// The iOS app: one window over the SuhbatKit screens, background sync registered at launch.
@main
struct SuhbatIOSApp: App {
    @StateObject private var app: AppModel

    init() {
        let model = AppModel()
        _app = StateObject(wrappedValue: model)
        BackgroundSync.register(app: model)
    }

    var body: some Scene {
        WindowGroup {
            RootView(app: app)
        }
    }
}
