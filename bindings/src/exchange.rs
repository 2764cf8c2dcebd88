//! Device-to-device exchange (the screen, and a received bundle merged with the core's report
//! of it), the report screens (their periods; effectiveness and trends as a `Report`, so the
//! apps draw the three reports with one table view), and the hub's enrolment invitation read
//! from its QR code.

use crate::error::SuhbatError;
use crate::hub::ca_fingerprint;
use crate::Suhbat;
use suhbat_core::views;
use suhbat_core::{i18n, Locale};

#[uniffi::export]
impl Suhbat {
    /// The device-to-device exchange screen: its texts and the name to give a saved bundle.
    /// Save `export_bundle(null)` under that name and hand the file to the share sheet.
    pub fn exchange(&self) -> Result<views::Exchange, SuhbatError> {
        Ok(views::exchange(&self.ctx()?))
    }

    /// Merges a bundle received from another phone (as `import_bundle` does) and says what it did
    /// in the user's language. Blocking: call off the main thread.
    pub fn receive_bundle(&self, bundle: Vec<u8>) -> Result<views::ExchangeReport, SuhbatError> {
        let report = self.merge_bundle(&bundle)?;
        Ok(views::exchange_report(&self.ctx()?, &report))
    }

    /// This phone's summary as a QR code (its text also works as a link or pasted): shown to
    /// the phone that will send this one its changes, so it sends only what this one lacks.
    pub fn summary_code(&self) -> Result<views::SummaryCode, SuhbatError> {
        self.run(|store, ctx| views::summary_code(store, ctx))
    }

    /// A bundle of every change the phone whose summary code was read (`code`: its text,
    /// `suhbat-summary:…`) lacks; save it under `exchange().file_name` and share it. A text that
    /// is not such a code is a translated error. Blocking: call off the main thread.
    pub fn export_bundle_for_code(&self, code: String) -> Result<Vec<u8>, SuhbatError> {
        self.run(|store, _| store.export_bundle(Some(&views::summary_from_code(&code)?)))
    }

    /// The periods a report screen offers (this month, the last three months, this year), each
    /// with its days to pass to `district_report` or `effectiveness`.
    pub fn report_periods(&self) -> Result<Vec<views::ReportPeriod>, SuhbatError> {
        let ctx = self.ctx()?;
        views::report_periods(&ctx).map_err(|e| SuhbatError::from_core(e, ctx.locale))
    }

    /// `effectiveness` as a report: the per-inspector and per-mahalla tables, each with the total.
    pub fn effectiveness_report(&self, from: String, to: String, mahalla: Option<String>) -> Result<views::Report, SuhbatError> {
        let figures = self.effectiveness(from, to, mahalla)?;
        let ctx = self.ctx()?;
        Ok(views::Report { sections: figures.sections(&ctx), title: figures.title, subtitle: figures.subtitle })
    }

    /// `incident_trends` as a report: one table of mahallas by month, rising ones first.
    pub fn trends_report(&self, months: u32) -> Result<views::Report, SuhbatError> {
        let trends = self.incident_trends(months)?;
        let ctx = self.ctx()?;
        Ok(views::Report { sections: trends.sections(&ctx), title: trends.title, subtitle: trends.subtitle })
    }
}

/// The hub's enrolment invitation (the console's QR code: `suhbat-enrol:?hub=…&code=…&ca=…`).
#[derive(Clone, Debug, uniffi::Record)]
pub struct EnrolInvite {
    /// The hub's address, e.g. `https://10.0.0.5:8443`.
    pub hub_url: String,
    /// The one-time enrolment code.
    pub code: String,
    /// The SHA-256 fingerprint of the hub's authority certificate, for an https hub.
    pub ca_fingerprint: Option<String>,
}

impl From<EnrolInvite> for suhbat_core::sync::EnrolInvite {
    fn from(invite: EnrolInvite) -> Self {
        suhbat_core::sync::EnrolInvite { hub_url: invite.hub_url, code: invite.code, ca_fingerprint: invite.ca_fingerprint }
    }
}

/// Reads an enrolment invitation from a scanned QR code or pasted text. Throws `BadInput` with
/// a message in `locale` when the text is not one.
#[uniffi::export]
pub fn read_enrol_invite(text: String, locale: Locale) -> Result<EnrolInvite, SuhbatError> {
    match suhbat_core::sync::EnrolInvite::parse(&text) {
        Ok(invite) => Ok(EnrolInvite { hub_url: invite.hub_url, code: invite.code, ca_fingerprint: invite.ca_fingerprint }),
        Err(e) => Err(SuhbatError::BadInput(i18n::render(locale, "error.invite", &[("why", e.to_string())]))),
    }
}

/// Checks that the authority certificate `pem` (the hub's `ca.pem`) is the one the invitation
/// names, and returns its fingerprint. Throws `BadInput` (in `locale`) when it holds no
/// certificate or a different one: the phone must not enrol with that hub.
#[uniffi::export]
pub fn invite_certificate(invite: EnrolInvite, pem: String, locale: Locale) -> Result<String, SuhbatError> {
    let fingerprint = ca_fingerprint(pem)?;
    if suhbat_core::sync::EnrolInvite::from(invite).accepts_fingerprint(&fingerprint) {
        Ok(fingerprint)
    } else {
        Err(SuhbatError::BadInput(i18n::text(locale, "error.invite_ca_mismatch")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invitation_is_read_and_a_bad_one_is_refused_in_the_users_language() {
        let invite = read_enrol_invite("suhbat-enrol:?hub=http://127.0.0.1:8080&code=ABCD-EFGH".into(), Locale::En).unwrap();
        assert_eq!((invite.hub_url.as_str(), invite.code.as_str(), invite.ca_fingerprint), ("http://127.0.0.1:8080", "ABCD-EFGH", None));
        let refused = read_enrol_invite("https://example.org".into(), Locale::Ru).unwrap_err();
        assert!(matches!(&refused, SuhbatError::BadInput(m) if m.starts_with("Это не приглашение Suhbat")), "{refused:?}");
        let no_ca = EnrolInvite { hub_url: "https://h".into(), code: "C".into(), ca_fingerprint: Some("AB:CD".into()) };
        assert!(matches!(invite_certificate(no_ca, "not a certificate".into(), Locale::En), Err(SuhbatError::BadInput(_))));
    }
}
