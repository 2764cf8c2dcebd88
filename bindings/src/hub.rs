//! The hub (base point) this device syncs with: its address and authority certificate kept
//! with the store, and enrolment with a one-time code. The shell carries the bytes
//! (`POST <hub>/v1/enrol`); the core builds and reads them.

use crate::error::SuhbatError;
use crate::suhbat::Suhbat;
use base64::Engine;
use sha2::{Digest, Sha256};
use suhbat_core::i18n::{self, Locale};
use suhbat_core::views::scope_name;
use suhbat_core::Role;

/// Store settings with the hub's address and authority certificate (the CLI uses the same).
const HUB_URL: &str = "hub_url";
const HUB_CA: &str = "hub_ca";

/// What enrolment gave this device: the hub and the assignment it made.
#[derive(uniffi::Record)]
pub struct Enrolment {
    /// The hub's id.
    pub hub_id: String,
    /// The person the code was made for (now this device's user).
    pub person: String,
    /// Their role.
    pub role: Role,
    /// Mahalla scope keys they work in.
    pub scopes: Vec<String>,
    /// "Connected as Aziz (Inspector) for Navbahor", in the current language.
    pub label: String,
    /// Short fingerprint of the hub's key (it signs every sync answer), to compare with the
    /// one the hub's operator reads out.
    pub hub_fingerprint: String,
}

/// A device this one knows the key of: from the hub's signed answers, or pinned from the
/// first bundle it sent (a later bundle in its name with another key is refused).
#[derive(uniffi::Record)]
pub struct KnownDevice {
    /// Its device id.
    pub device_id: String,
    /// Short fingerprint of its key, to compare with that phone's own screen.
    pub fingerprint: String,
    /// Its role (as learned).
    pub role: String,
    /// `hub` or `bundle`: where its key was learned.
    pub source: String,
}

/// The DER bytes of the first certificate in `pem`.
fn certificate_der(pem: &str, locale: Locale) -> Result<Vec<u8>, SuhbatError> {
    let bad = || SuhbatError::BadInput(i18n::text(locale, "hub.bad_certificate"));
    let body: String = pem
        .lines()
        .map(str::trim)
        .skip_while(|l| !l.starts_with("-----BEGIN CERTIFICATE-----"))
        .skip(1)
        .take_while(|l| !l.starts_with("-----END CERTIFICATE-----"))
        .collect();
    let der = base64::engine::general_purpose::STANDARD.decode(body).map_err(|_| bad())?;
    if der.is_empty() {
        return Err(bad());
    }
    Ok(der)
}

/// The SHA-256 fingerprint of a certificate, as `suhbat hub serve` prints it
/// (`AB:CD:…`, upper-case hex).
fn fingerprint(der: &[u8]) -> String {
    Sha256::digest(der).iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(":")
}

/// The SHA-256 fingerprint of the hub's authority certificate (`ca.pem`), as
/// `suhbat hub serve` prints it: show it so the user compares the two before enrolling.
/// Throws `BadInput` when `pem` holds no certificate.
#[uniffi::export]
pub fn ca_fingerprint(pem: String) -> Result<String, SuhbatError> {
    Ok(fingerprint(&certificate_der(&pem, Locale::default())?))
}

/// The hub's authority certificate from `ca.pem` as DER bytes, for platform APIs that want
/// them (iOS `SecCertificateCreateWithData`). Throws `BadInput` when `pem` holds none.
#[uniffi::export]
pub fn ca_certificate_der(pem: String) -> Result<Vec<u8>, SuhbatError> {
    certificate_der(&pem, Locale::default())
}

#[uniffi::export]
impl Suhbat {
    /// The hub's base URL kept with the store (e.g. `https://10.0.0.5:8443`), if set.
    pub fn hub_url(&self) -> Result<Option<String>, SuhbatError> {
        self.run(|store, _| store.setting(HUB_URL))
    }

    /// The hub's authority certificate (PEM) kept with the store, if set: trust only it
    /// (not the phone's public CAs) for connections to the hub.
    pub fn hub_ca_pem(&self) -> Result<Option<String>, SuhbatError> {
        Ok(self.run(|store, _| store.setting(HUB_CA))?.filter(|pem| !pem.is_empty()))
    }

    /// The id of the hub this device is enrolled with; null before enrolment.
    pub fn hub_id(&self) -> Result<Option<String>, SuhbatError> {
        self.run(|store, _| store.hub_id())
    }

    /// Keeps the hub's address and authority certificate with the store. `url` must start
    /// with `https://` and come with the certificate (`ca.pem`); `http://` without one is
    /// only for local tests. Throws `BadInput` (in the current language) otherwise.
    /// Returns the certificate's fingerprint (empty for `http://`).
    pub fn set_hub(&self, url: String, ca_pem: Option<String>) -> Result<String, SuhbatError> {
        let locale = self.ctx()?.locale;
        let url = url.trim().trim_end_matches('/').to_string();
        let ca_pem = ca_pem.filter(|pem| !pem.trim().is_empty());
        let has_host = |prefix: &str| url.strip_prefix(prefix).is_some_and(|host| !host.is_empty() && !host.contains(char::is_whitespace));
        let fingerprint = if has_host("https://") {
            let pem = ca_pem.as_deref().ok_or_else(|| SuhbatError::BadInput(i18n::text(locale, "hub.needs_certificate")))?;
            fingerprint(&certificate_der(pem, locale)?)
        } else if has_host("http://") {
            String::new()
        } else {
            return Err(SuhbatError::BadInput(i18n::text(locale, "hub.bad_url")));
        };
        self.run(|store, _| {
            store.set_setting(HUB_URL, &url)?;
            store.set_setting(HUB_CA, ca_pem.as_deref().unwrap_or_default())
        })?;
        Ok(fingerprint)
    }

    /// The enrolment request for a one-time `code` (from `suhbat hub enrol`), signed with this
    /// device's key. POST it to `<hub>/v1/enrol` and pass the answer to `complete_enrolment`.
    pub fn enrol_request(&self, code: String) -> Result<Vec<u8>, SuhbatError> {
        self.run(|store, _| Ok(store.enrol_request(code.trim())))
    }

    /// The short fingerprint of this device's key: another phone shows it for this device
    /// once it has taken a bundle from it.
    pub fn key_fingerprint(&self) -> Result<String, SuhbatError> {
        self.run(|store, _| Ok(store.key_fingerprint()))
    }

    /// Every device whose key this one knows, with where the key was learned.
    pub fn known_devices(&self) -> Result<Vec<KnownDevice>, SuhbatError> {
        let peers = self.run(|store, _| store.known_devices())?;
        Ok(peers.into_iter().map(|p| KnownDevice { device_id: p.device_id, fingerprint: p.fingerprint, role: p.role, source: p.source }).collect())
    }

    /// Takes the hub's answer to `enrol_request`: on success this device belongs to the hub,
    /// with the person, role and scopes the hub assigned. Throws `Refused` for a wrong, used
    /// or expired code, `BadInput` for an answer that is not an enrolment frame.
    /// Blocking (disk): call off the main thread.
    pub fn complete_enrolment(&self, response: Vec<u8>) -> Result<Enrolment, SuhbatError> {
        let enrolment = self.run(|store, ctx| {
            let e = store.complete_enrolment(&response)?;
            let profile = &store.device().profile;
            let scopes = profile.scopes.iter().map(|s| scope_name(s)).collect::<Vec<_>>().join(", ");
            let params = [("person", e.person.clone()), ("role", i18n::text(ctx.locale, &format!("role.{}", profile.role))), ("scopes", scopes)];
            let label = i18n::render(ctx.locale, "enrol.done", &params);
            Ok(Enrolment { hub_id: e.hub_id, person: e.person, role: profile.role, scopes: e.scopes, label, hub_fingerprint: e.hub_fingerprint })
        })?;
        self.changed();
        Ok(enrolment)
    }
}
