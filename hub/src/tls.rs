//! The hub's TLS identity: a private certificate authority made on first start, and a server
//! certificate signed by it. Devices pin the authority (its SHA-256 fingerprint is printed and
//! its certificate handed out with enrolment), so no public CA or internet access is needed.

use crate::HubError;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, KeyUsagePurpose};
use sha2::{Digest, Sha256};
use std::path::Path;

/// PEM files of the hub's TLS identity.
pub struct TlsIdentity {
    /// The authority's certificate (what devices pin).
    pub ca_pem: String,
    /// The server certificate.
    pub cert_pem: String,
    /// The server key.
    pub key_pem: String,
}

impl TlsIdentity {
    /// Loads the identity from `dir`, or makes one for `hosts` on first start.
    pub fn load_or_create(dir: &Path, hosts: &[String]) -> Result<TlsIdentity, HubError> {
        let (ca, cert, key) = (dir.join("ca.pem"), dir.join("server.pem"), dir.join("server.key"));
        if ca.exists() && cert.exists() && key.exists() {
            let read = |p: &Path| std::fs::read_to_string(p).map_err(|e| HubError::Io(format!("{}: {e}", p.display())));
            return Ok(TlsIdentity { ca_pem: read(&ca)?, cert_pem: read(&cert)?, key_pem: read(&key)? });
        }
        std::fs::create_dir_all(dir).map_err(|e| HubError::Io(format!("{}: {e}", dir.display())))?;
        let identity = Self::generate(hosts)?;
        write_private(&ca, identity.ca_pem.as_bytes())?;
        write_private(&cert, identity.cert_pem.as_bytes())?;
        write_private(&key, identity.key_pem.as_bytes())?;
        Ok(identity)
    }

    fn generate(hosts: &[String]) -> Result<TlsIdentity, HubError> {
        let tls = |e: rcgen::Error| HubError::Tls(e.to_string());
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).map_err(tls)?;
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params.distinguished_name.push(DnType::CommonName, "Suhbat base point authority");
        ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let ca_key = KeyPair::generate().map_err(tls)?;
        let ca_cert = ca_params.self_signed(&ca_key).map_err(tls)?;

        let mut names: Vec<String> = vec!["localhost".into(), "127.0.0.1".into()];
        names.extend(hosts.iter().cloned());
        names.dedup();
        let mut params = CertificateParams::new(names).map_err(tls)?;
        params.distinguished_name.push(DnType::CommonName, "Suhbat hub");
        let key = KeyPair::generate().map_err(tls)?;
        let cert = params.signed_by(&key, &ca_cert, &ca_key).map_err(tls)?;
        Ok(TlsIdentity { ca_pem: ca_cert.pem(), cert_pem: cert.pem(), key_pem: key.serialize_pem() })
    }

    /// The SHA-256 fingerprint of the authority certificate, as colon-separated hex.
    pub fn fingerprint(&self) -> Result<String, HubError> {
        ca_fingerprint(&self.ca_pem)
    }
}

/// SHA-256 fingerprint (colon-separated hex) of the first certificate in a PEM text.
pub fn ca_fingerprint(pem: &str) -> Result<String, HubError> {
    let der = pem_der(pem).ok_or_else(|| HubError::Tls("no certificate in the PEM text".into()))?;
    let digest = Sha256::digest(&der);
    Ok(digest.iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(":"))
}

fn pem_der(pem: &str) -> Option<Vec<u8>> {
    let body: String = pem.lines().skip_while(|l| !l.starts_with("-----BEGIN CERTIFICATE-----")).skip(1).take_while(|l| !l.starts_with("-----END")).collect();
    base64_decode(&body).filter(|der| !der.is_empty())
}

fn base64_decode(text: &str) -> Option<Vec<u8>> {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes().filter(|c| !c.is_ascii_whitespace() && *c != b'=') {
        let v = ALPHABET.iter().position(|a| *a == c)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<(), HubError> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(|e| HubError::Io(format!("{}: {e}", path.display())))?;
    file.write_all(bytes).map_err(|e| HubError::Io(format!("{}: {e}", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_is_made_once_and_fingerprinted() {
        let dir = std::env::temp_dir().join(format!("suhbat-tls-{}", std::process::id()));
        let first = TlsIdentity::load_or_create(&dir, &["hub.local".into()]).unwrap();
        let again = TlsIdentity::load_or_create(&dir, &[]).unwrap();
        assert_eq!(first.ca_pem, again.ca_pem);
        let fp = first.fingerprint().unwrap();
        assert_eq!(fp.len(), 32 * 3 - 1);
        assert!(ca_fingerprint("not pem").is_err());
        let _ = std::fs::remove_dir_all(dir);
    }
}
