//! Just enough PEM and DER reading for the hub's own certificates: fingerprints and the
//! validity period. Input may come from disk, so nothing here panics on bad bytes.

use crate::HubError;
use sha2::{Digest, Sha256};

/// SHA-256 fingerprint (colon-separated hex) of the first certificate in a PEM text.
pub fn ca_fingerprint(pem: &str) -> Result<String, HubError> {
    let der = first_der(pem).ok_or_else(|| HubError::Tls("no certificate in the PEM text".into()))?;
    Ok(fingerprint(&der))
}

/// SHA-256 fingerprint (colon-separated hex) of DER bytes.
pub(crate) fn fingerprint(der: &[u8]) -> String {
    Sha256::digest(der).iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(":")
}

/// The DER bytes of every certificate in a PEM text, in order.
pub(crate) fn all_der(pem: &str) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut lines = pem.lines();
    while lines.by_ref().any(|l| l.trim_end() == "-----BEGIN CERTIFICATE-----") {
        let body: String = lines.by_ref().take_while(|l| !l.starts_with("-----END")).collect();
        if let Some(der) = base64_decode(&body).filter(|der| !der.is_empty()) {
            out.push(der);
        }
    }
    out
}

/// The first certificate of a PEM text.
pub(crate) fn first_der(pem: &str) -> Option<Vec<u8>> {
    all_der(pem).into_iter().next()
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

/// One DER element: its tag, its contents, and the bytes after it.
fn element(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 || rest.len() < count {
            return None;
        }
        let len = rest[..count].iter().fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        (len, &rest[count..])
    };
    (rest.len() >= len).then(|| (tag, &rest[..len], &rest[len..]))
}

/// The validity period (`notBefore`, `notAfter`) of a DER certificate, in Unix seconds.
pub(crate) fn validity(der: &[u8]) -> Option<(i64, i64)> {
    let (_, certificate, _) = element(der)?;
    let (_, mut tbs, _) = element(certificate)?;
    // Skip the explicit version [0] if present, then serial and signature algorithm.
    let (tag, _, rest) = element(tbs)?;
    if tag == 0xa0 {
        tbs = rest;
    }
    let (_, _, rest) = element(tbs)?; // serial
    let (_, _, rest) = element(rest)?; // signature algorithm
    let (_, _, rest) = element(rest)?; // issuer
    let (_, validity, _) = element(rest)?;
    let (tag_before, before, rest) = element(validity)?;
    let (tag_after, after, _) = element(rest)?;
    Some((asn1_time(tag_before, before)?, asn1_time(tag_after, after)?))
}

/// Whether a DER certificate names `host` among its subject alternative names (an IP address
/// as `[7]` octets, anything else as a `[2]` DNS name).
pub(crate) fn names_host(der: &[u8], host: &str) -> bool {
    let needle: Vec<u8> = match host.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(ip)) => [&[0x87, 4][..], &ip.octets()].concat(),
        Ok(std::net::IpAddr::V6(ip)) => [&[0x87, 16][..], &ip.octets()].concat(),
        Err(_) => match u8::try_from(host.len()) {
            Ok(len) if len < 0x80 => [&[0x82, len][..], host.as_bytes()].concat(),
            _ => return false,
        },
    };
    der.windows(needle.len()).any(|w| w == needle.as_slice())
}

/// A UTCTime (0x17, `YYMMDDHHMMSSZ`) or GeneralizedTime (0x18, `YYYYMMDDHHMMSSZ`).
fn asn1_time(tag: u8, bytes: &[u8]) -> Option<i64> {
    let text = std::str::from_utf8(bytes).ok()?;
    let full = match tag {
        0x17 => {
            let year: i32 = text.get(..2)?.parse().ok()?;
            format!("{}{text}", if year >= 50 { "19" } else { "20" })
        }
        0x18 => text.to_string(),
        _ => return None,
    };
    let time = chrono::NaiveDateTime::parse_from_str(full.strip_suffix('Z')?, "%Y%m%d%H%M%S").ok()?;
    Some(time.and_utc().timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_never_panics() {
        assert!(ca_fingerprint("not pem").is_err());
        assert!(validity(&[]).is_none());
        assert!(validity(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff]).is_none());
        assert!(validity(&[0x30, 0x03, 0x30, 0x01, 0x02]).is_none());
        assert_eq!(asn1_time(0x17, b"491231235959Z"), Some(2_524_607_999));
        assert_eq!(asn1_time(0x18, b"19750101000000Z"), Some(157_766_400));
    }
}
