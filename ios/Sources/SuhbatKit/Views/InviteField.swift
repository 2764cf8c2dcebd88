import SuhbatFFI
import SwiftUI

/// The hub's enrolment invitation on the enrolment screen: pasted, or opened from the camera
/// that scanned the console's QR code (a `suhbat-enrol:` link). The core reads it; a good one is
/// handed to `onInvite` (address and code), a bad one shows the core's message.
struct InviteField: View {
    @ObservedObject var app: AppModel
    let onInvite: (EnrolInvite) -> Void
    @State private var text = ""
    @State private var error: String?

    var body: some View {
        TextField(app.text("enrol.invite"), text: $text)
            .textInputAutocapitalization(.never)
            .autocorrectionDisabled()
            .onChange(of: text) { typed in read(typed) }
            .onChange(of: app.pendingInvite) { received in
                if let received = received {
                    text = received
                    app.pendingInvite = nil
                }
            }
            .onAppear {
                if let received = app.pendingInvite {
                    text = received
                    app.pendingInvite = nil
                }
            }
        if let error = error {
            ErrorText(message: error)
        }
    }

    private func read(_ typed: String) {
        guard !typed.trimmingCharacters(in: .whitespaces).isEmpty else {
            error = nil
            return
        }
        do {
            onInvite(try readEnrolInvite(text: typed.trimmingCharacters(in: .whitespacesAndNewlines), locale: app.locale))
            error = nil
        } catch {
            self.error = CoreFailure(error).message
        }
    }
}

/// The fingerprint of the certificate `pem`: checked by the core against the invitation's when
/// there is one (then no comparison by eye is needed), else only read for the user to compare.
func certificateFingerprint(_ app: AppModel, invite: EnrolInvite?, pem: String) throws -> String {
    if let invite = invite {
        return try inviteCertificate(invite: invite, pem: pem, locale: app.locale)
    }
    return try caFingerprint(pem: pem)
}
