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
                // The console's QR code read by the camera opens the enrolment invitation here.
                .onOpenURL { url in app.pendingInvite = url.absoluteString }
        }
    }
}
