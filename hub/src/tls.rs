//! The hub's TLS identity: a private certificate authority made on first start, and a server
//! certificate signed by it. Devices pin the authority (its SHA-256 fingerprint is printed and
//! its certificate handed out with enrolment), so no public CA or internet access is needed.
//!
//! Files in the `tls/` folder: `ca.pem` (what devices pin), `ca.key` (0600), `server.pem`,
//! `server.key` (0600) and, once the authority was rotated, `links.pem`: each newer authority
//! certified by the one before it, newest first, served after the server certificate so a
//! device that pins an older authority still finds a path to it (and then re-pins).
//!
//! Only a missing or empty folder makes a new authority; a folder with some files missing is
//! an error naming the file, because a silently new authority would lock every device out.

use crate::pem::{ca_fingerprint, first_der, names_host, validity};
use crate::HubError;
use rcgen::{BasicConstraints, Certificate, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};
use suhbat_core::private::{check_private_file, create_private_dir, create_private_file};
use time::{Duration, OffsetDateTime};

/// How long a new authority is valid.
const CA_DAYS: i64 = 3650;
/// How long a server certificate is valid (the longest browsers accept).
const SERVER_DAYS: i64 = 397;
/// A server certificate this close to its end is renewed.
const RENEW_DAYS: i64 = 30;

const CA_CERT: &str = "ca.pem";
const CA_KEY: &str = "ca.key";
const SERVER_CERT: &str = "server.pem";
const SERVER_KEY: &str = "server.key";
const LINKS: &str = "links.pem";

/// PEM files of the hub's TLS identity.
pub struct TlsIdentity {
    /// The authority's certificate (what devices pin).
    pub ca_pem: String,
    /// The server certificate.
    pub cert_pem: String,
    /// The server key.
    pub key_pem: String,
    /// Link certificates from older authorities to the current one, newest first (empty when
    /// the authority was never rotated).
    pub links_pem: String,
}

fn tls_error(e: rcgen::Error) -> HubError {
    HubError::Tls(e.to_string())
}

fn io_error(path: &Path, e: impl std::fmt::Display) -> HubError {
    HubError::Io(format!("{}: {e}", path.display()))
}

/// The authority's parameters. Its name carries a digest of its key, so each authority (before
/// and after a rotation) has its own name and the name can be made again from the key alone.
fn ca_params(key: &KeyPair, now: OffsetDateTime) -> Result<CertificateParams, HubError> {
    let mut params = CertificateParams::new(Vec::<String>::new()).map_err(tls_error)?;
    let id = hex::encode(&Sha256::digest(key.public_key_der())[..8]);
    params.distinguished_name.push(DnType::CommonName, format!("Suhbat base point authority {id}"));
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
    params.use_authority_key_identifier_extension = true;
    params.not_before = now - Duration::hours(1);
    params.not_after = now + Duration::days(CA_DAYS);
    Ok(params)
}

/// The authority of `key` as an issuer (rcgen signs with its name and key identifier).
fn issuer(key: &KeyPair, now: OffsetDateTime) -> Result<Certificate, HubError> {
    ca_params(key, now)?.self_signed(key).map_err(tls_error)
}

/// A new server certificate and key for `hosts`, signed by the authority of `ca_key`.
fn server_certificate(ca_key: &KeyPair, hosts: &[String], now: OffsetDateTime) -> Result<(String, String), HubError> {
    let mut names: Vec<String> = vec!["localhost".into(), "127.0.0.1".into()];
    for host in hosts {
        if !names.contains(host) {
            names.push(host.clone());
        }
    }
    let mut params = CertificateParams::new(names).map_err(tls_error)?;
    params.distinguished_name.push(DnType::CommonName, "Suhbat hub");
    params.is_ca = IsCa::ExplicitNoCa;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature, KeyUsagePurpose::KeyEncipherment];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    params.use_authority_key_identifier_extension = true;
    params.not_before = now - Duration::hours(1);
    params.not_after = now + Duration::days(SERVER_DAYS);
    let key = KeyPair::generate().map_err(tls_error)?;
    let cert = params.signed_by(&key, &issuer(ca_key, now)?, ca_key).map_err(tls_error)?;
    Ok((cert.pem(), key.serialize_pem()))
}

/// Writes `bytes` to `path` owner-only, replacing it only once the new content is on disk.
fn replace_private(path: &Path, bytes: &[u8]) -> Result<(), HubError> {
    let staged = PathBuf::from(format!("{}.new", path.display()));
    match std::fs::remove_file(&staged) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io_error(&staged, e)),
    }
    let mut file = create_private_file(&staged).map_err(|e| io_error(&staged, e))?;
    file.write_all(bytes).and_then(|()| file.sync_all()).map_err(|e| io_error(&staged, e))?;
    std::fs::rename(&staged, path).map_err(|e| io_error(path, e))
}

fn read(path: &Path) -> Result<String, HubError> {
    std::fs::read_to_string(path).map_err(|e| io_error(path, e))
}

/// Reads a private key file, refusing one other users can read.
fn read_key(path: &Path) -> Result<(String, KeyPair), HubError> {
    check_private_file(path).map_err(HubError::Tls)?;
    let pem = read(path)?;
    let key = KeyPair::from_pem(&pem).map_err(|e| HubError::Tls(format!("{}: not a private key: {e}", path.display())))?;
    Ok((pem, key))
}

impl TlsIdentity {
    /// Loads the identity from `dir` (renewing the server certificate when it ends within 30
    /// days), or makes one for `hosts` when `dir` is missing or empty.
    pub fn load_or_create(dir: &Path, hosts: &[String]) -> Result<TlsIdentity, HubError> {
        Self::load_or_create_at(dir, hosts, OffsetDateTime::now_utc())
    }

    fn load_or_create_at(dir: &Path, hosts: &[String], now: OffsetDateTime) -> Result<TlsIdentity, HubError> {
        let empty = match std::fs::read_dir(dir) {
            Ok(mut entries) => entries.next().is_none(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => true,
            Err(e) => return Err(io_error(dir, e)),
        };
        if empty {
            return Self::create(dir, hosts, now);
        }
        let path = |name: &str| dir.join(name);
        for name in [CA_CERT, CA_KEY, SERVER_CERT, SERVER_KEY] {
            if !path(name).exists() {
                return Err(HubError::Tls(format!(
                    "{} is missing. The hub does not make a new authority while {} holds the rest of one, because every device pins \
                     the authority and would be locked out. Put the file back from a backup; only if it is lost for good, move the \
                     folder away to start a new authority and give every device the new {CA_CERT}.",
                    path(name).display(),
                    dir.display()
                )));
            }
        }
        let ca_pem = read(&path(CA_CERT))?;
        let (_, ca_key) = read_key(&path(CA_KEY))?;
        let ca_der = first_der(&ca_pem).ok_or_else(|| HubError::Tls(format!("{}: no certificate in it", path(CA_CERT).display())))?;
        let public = ca_key.public_key_raw();
        if !ca_der.windows(public.len()).any(|w| w == public) {
            return Err(HubError::Tls(format!("{} is not the key of {}", path(CA_KEY).display(), path(CA_CERT).display())));
        }
        let links_pem = if path(LINKS).exists() { read(&path(LINKS))? } else { String::new() };
        let (key_pem, _) = read_key(&path(SERVER_KEY))?;
        let cert_pem = read(&path(SERVER_CERT))?;
        let cert_der = first_der(&cert_pem).ok_or_else(|| HubError::Tls(format!("{}: no certificate in it", path(SERVER_CERT).display())))?;
        let (_, not_after) = validity(&cert_der).ok_or_else(|| HubError::Tls(format!("{}: no readable validity in it", path(SERVER_CERT).display())))?;
        // Renewed near its end, and when the hub is now served under a name it does not carry.
        if not_after - now.unix_timestamp() > RENEW_DAYS * 86_400 && hosts.iter().all(|h| names_host(&cert_der, h)) {
            return Ok(TlsIdentity { ca_pem, cert_pem, key_pem, links_pem });
        }
        let (cert_pem, key_pem) = server_certificate(&ca_key, hosts, now)?;
        replace_private(&path(SERVER_KEY), key_pem.as_bytes())?;
        replace_private(&path(SERVER_CERT), cert_pem.as_bytes())?;
        Ok(TlsIdentity { ca_pem, cert_pem, key_pem, links_pem })
    }

    fn create(dir: &Path, hosts: &[String], now: OffsetDateTime) -> Result<TlsIdentity, HubError> {
        create_private_dir(dir).map_err(|e| io_error(dir, e))?;
        let ca_key = KeyPair::generate().map_err(tls_error)?;
        let ca_pem = issuer(&ca_key, now)?.pem();
        let (cert_pem, key_pem) = server_certificate(&ca_key, hosts, now)?;
        replace_private(&dir.join(CA_KEY), ca_key.serialize_pem().as_bytes())?;
        replace_private(&dir.join(SERVER_KEY), key_pem.as_bytes())?;
        replace_private(&dir.join(SERVER_CERT), cert_pem.as_bytes())?;
        replace_private(&dir.join(CA_CERT), ca_pem.as_bytes())?;
        Ok(TlsIdentity { ca_pem, cert_pem, key_pem, links_pem: String::new() })
    }

    /// Replaces the authority in `dir` by a new one, certified by the old one (a link
    /// certificate added to `links.pem`), with a new server certificate for `hosts`. The old
    /// authority's files are kept in `retired/`. Devices that pin the old authority follow at
    /// their next sync.
    pub fn rotate(dir: &Path, hosts: &[String]) -> Result<TlsIdentity, HubError> {
        let now = OffsetDateTime::now_utc();
        let old = Self::load_or_create_at(dir, hosts, now)?;
        let (old_key_pem, old_key) = read_key(&dir.join(CA_KEY))?;
        let retired = dir.join("retired").join(old.fingerprint()?.replace(':', "").get(..16).unwrap_or("authority"));
        create_private_dir(&retired).map_err(|e| io_error(&retired, e))?;
        replace_private(&retired.join(CA_CERT), old.ca_pem.as_bytes())?;
        replace_private(&retired.join(CA_KEY), old_key_pem.as_bytes())?;

        let new_key = KeyPair::generate().map_err(tls_error)?;
        let ca_pem = issuer(&new_key, now)?.pem();
        let link = ca_params(&new_key, now)?.signed_by(&new_key, &issuer(&old_key, now)?, &old_key).map_err(tls_error)?;
        let links_pem = format!("{}{}", link.pem(), old.links_pem);
        let (cert_pem, key_pem) = server_certificate(&new_key, hosts, now)?;
        replace_private(&dir.join(LINKS), links_pem.as_bytes())?;
        replace_private(&dir.join(CA_KEY), new_key.serialize_pem().as_bytes())?;
        replace_private(&dir.join(CA_CERT), ca_pem.as_bytes())?;
        replace_private(&dir.join(SERVER_KEY), key_pem.as_bytes())?;
        replace_private(&dir.join(SERVER_CERT), cert_pem.as_bytes())?;
        Ok(TlsIdentity { ca_pem, cert_pem, key_pem, links_pem })
    }

    /// What the server presents: its certificate, then the link certificates.
    pub fn chain_pem(&self) -> String {
        format!("{}{}", self.cert_pem, self.links_pem)
    }

    /// The SHA-256 fingerprint of the authority certificate, as colon-separated hex.
    pub fn fingerprint(&self) -> Result<String, HubError> {
        ca_fingerprint(&self.ca_pem)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pem::all_der;

    fn contains(der: &[u8], needle: &[u8]) -> bool {
        der.windows(needle.len()).any(|w| w == needle)
    }

    /// id-kp-serverAuth (1.3.6.1.5.5.7.3.1) and the key usage extension (2.5.29.15).
    const SERVER_AUTH: &[u8] = &[0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01];
    const KEY_USAGE: &[u8] = &[0x06, 0x03, 0x55, 0x1d, 0x0f];
    const BASIC_CONSTRAINTS: &[u8] = &[0x06, 0x03, 0x55, 0x1d, 0x13];

    #[test]
    fn validity_and_usages_are_sane() {
        let dir = tempfile::tempdir().unwrap();
        let now = OffsetDateTime::now_utc();
        let id = TlsIdentity::load_or_create_at(&dir.path().join("tls"), &["hub.local".into()], now).unwrap();
        let days = |(from, to): (i64, i64)| (from - now.unix_timestamp(), (to - now.unix_timestamp()) / 86_400);
        let ca = first_der(&id.ca_pem).unwrap();
        let (ca_from, ca_days) = days(validity(&ca).unwrap());
        assert!((-7200..=0).contains(&ca_from) && (3649..=3650).contains(&ca_days), "authority {ca_from} s, {ca_days} days");
        assert!(contains(&ca, KEY_USAGE) && contains(&ca, BASIC_CONSTRAINTS));
        let server = first_der(&id.cert_pem).unwrap();
        let (server_from, server_days) = days(validity(&server).unwrap());
        assert!((-7200..=0).contains(&server_from) && (396..=397).contains(&server_days), "server {server_from} s, {server_days} days");
        assert!(contains(&server, SERVER_AUTH) && contains(&server, KEY_USAGE));
        assert!(!contains(&ca, SERVER_AUTH));
        assert_eq!(id.fingerprint().unwrap().len(), 32 * 3 - 1);
    }

    #[test]
    fn server_certificate_is_renewed_near_its_end_by_the_same_authority() {
        let dir = tempfile::tempdir().unwrap();
        let tls = dir.path().join("tls");
        let now = OffsetDateTime::now_utc();
        let first = TlsIdentity::load_or_create_at(&tls, &[], now).unwrap();
        let later = TlsIdentity::load_or_create_at(&tls, &[], now + Duration::days(300)).unwrap();
        assert_eq!(later.cert_pem, first.cert_pem, "not yet near its end");
        let renewed = TlsIdentity::load_or_create_at(&tls, &[], now + Duration::days(370)).unwrap();
        assert_ne!(renewed.cert_pem, first.cert_pem, "renewed within 30 days of its end");
        assert_eq!(renewed.ca_pem, first.ca_pem, "by the same authority");
        let (_, not_after) = validity(&first_der(&renewed.cert_pem).unwrap()).unwrap();
        assert!(not_after > (now + Duration::days(700)).unix_timestamp());
        assert_eq!(read(&tls.join(SERVER_CERT)).unwrap(), renewed.cert_pem, "kept on disk");
        let later = now + Duration::days(371);
        let same = TlsIdentity::load_or_create_at(&tls, &["127.0.0.1".into(), "localhost".into()], later).unwrap();
        assert_eq!(same.cert_pem, renewed.cert_pem, "names it carries");
        let named = TlsIdentity::load_or_create_at(&tls, &["10.0.0.5".into(), "hub.station.local".into()], later).unwrap();
        assert_ne!(named.cert_pem, renewed.cert_pem, "a new name gets a new certificate");
        let der = first_der(&named.cert_pem).unwrap();
        assert!(names_host(&der, "10.0.0.5") && names_host(&der, "hub.station.local") && !names_host(&der, "10.0.0.6"));
        assert_eq!(TlsIdentity::load_or_create_at(&tls, &["10.0.0.5".into()], later).unwrap().cert_pem, named.cert_pem);
    }

    #[test]
    fn a_missing_authority_file_is_an_error_not_a_new_authority() {
        let dir = tempfile::tempdir().unwrap();
        let tls = dir.path().join("tls");
        let first = TlsIdentity::load_or_create(&tls, &[]).unwrap();
        for name in [CA_CERT, CA_KEY] {
            let kept = std::fs::read(tls.join(name)).unwrap();
            std::fs::remove_file(tls.join(name)).unwrap();
            let message = TlsIdentity::load_or_create(&tls, &[]).err().expect("refused").to_string();
            assert!(message.contains(&tls.join(name).display().to_string()), "{message}");
            assert!(!tls.join(name).exists(), "nothing made in its place");
            std::fs::write(tls.join(name), kept).unwrap();
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(tls.join(name), std::fs::Permissions::from_mode(0o600)).unwrap();
            }
        }
        assert_eq!(TlsIdentity::load_or_create(&tls, &[]).unwrap().ca_pem, first.ca_pem);
        let empty = dir.path().join("empty");
        std::fs::create_dir(&empty).unwrap();
        assert!(TlsIdentity::load_or_create(&empty, &[]).is_ok(), "an empty folder gets a new authority");
    }

    #[test]
    fn rotation_links_the_new_authority_to_the_old() {
        let dir = tempfile::tempdir().unwrap();
        let tls = dir.path().join("tls");
        let first = TlsIdentity::load_or_create(&tls, &[]).unwrap();
        let second = TlsIdentity::rotate(&tls, &[]).unwrap();
        let third = TlsIdentity::rotate(&tls, &[]).unwrap();
        assert_ne!(first.ca_pem, second.ca_pem);
        assert_eq!(all_der(&second.links_pem).len(), 1);
        assert_eq!(all_der(&third.links_pem).len(), 2, "links accumulate, newest first");
        assert_eq!(all_der(&third.chain_pem()).len(), 3);
        assert_eq!(TlsIdentity::load_or_create(&tls, &[]).unwrap().ca_pem, third.ca_pem);
        assert_eq!(std::fs::read_dir(tls.join("retired")).unwrap().count(), 2, "both old authorities are kept");
    }
}
