//! The enrolment invitation a supervisor shows as a QR code (console) or reads out: the hub's
//! address, a one-time code and the fingerprint of the hub's authority certificate, so a
//! phone (or `suhbat device enrol --invite`) needs nothing else to join the right hub safely.
//!
//! Text form: `suhbat-enrol:?hub=<url>&code=<code>&ca=<fingerprint>` (parameters in any order).

use crate::error::{Error, Result};

/// What a device needs to enrol with a hub.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnrolInvite {
    /// The hub's address, e.g. `https://10.0.0.5:8443`.
    pub hub_url: String,
    /// The one-time enrolment code.
    pub code: String,
    /// The SHA-256 fingerprint of the hub's authority certificate (colon-separated hex), for HTTPS.
    pub ca_fingerprint: Option<String>,
}

/// The scheme that starts an invitation's text.
const PREFIX: &str = "suhbat-enrol:?";

fn plain(value: &str) -> bool {
    !value.is_empty() && value.chars().all(|c| c.is_ascii_graphic() && c != '&' && c != '?' && c != '#')
}

impl EnrolInvite {
    /// The invitation's text (what the QR code holds).
    pub fn to_text(&self) -> Result<String> {
        let mut parts = vec![("hub", self.hub_url.as_str()), ("code", self.code.as_str())];
        if let Some(fingerprint) = &self.ca_fingerprint {
            parts.push(("ca", fingerprint));
        }
        if let Some((name, _)) = parts.iter().find(|(_, v)| !plain(v)) {
            return Err(Error::BadArgument(format!("the invitation's {name} cannot be written into it")));
        }
        Ok(format!("{PREFIX}{}", parts.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&")))
    }

    /// Reads an invitation's text (from a QR code or typed in).
    pub fn parse(text: &str) -> Result<EnrolInvite> {
        let bad = |why: &str| Error::BadArgument(format!("not a Suhbat enrolment invitation: {why}"));
        let query = text.trim().strip_prefix(PREFIX).ok_or_else(|| bad("it does not start with suhbat-enrol:"))?;
        let (mut hub_url, mut code, mut ca_fingerprint) = (None, None, None);
        for pair in query.split('&') {
            let (name, value) = pair.split_once('=').ok_or_else(|| bad("a part has no value"))?;
            if !plain(value) {
                return Err(bad("a value is empty or not plain text"));
            }
            let slot = match name {
                "hub" => &mut hub_url,
                "code" => &mut code,
                "ca" => &mut ca_fingerprint,
                _ => continue,
            };
            if slot.replace(value.to_string()).is_some() {
                return Err(bad("a part is given twice"));
            }
        }
        let hub_url = hub_url.ok_or_else(|| bad("no hub address"))?;
        if !hub_url.starts_with("https://") && !hub_url.starts_with("http://") {
            return Err(bad("the hub address is not a web address"));
        }
        if hub_url.starts_with("https://") && ca_fingerprint.is_none() {
            return Err(bad("an https hub needs its certificate fingerprint"));
        }
        Ok(EnrolInvite { hub_url, code: code.ok_or_else(|| bad("no code"))?, ca_fingerprint })
    }

    /// Whether a certificate with `fingerprint` is the hub's the invitation names (hex compared
    /// without case or colons); an invitation without a fingerprint (an http hub) accepts none.
    pub fn accepts_fingerprint(&self, fingerprint: &str) -> bool {
        let plain = |f: &str| f.chars().filter(|c| *c != ':').collect::<String>().to_ascii_uppercase();
        self.ca_fingerprint.as_deref().is_some_and(|expected| !expected.is_empty() && plain(expected) == plain(fingerprint))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invitation_reads_back_what_was_written_and_refuses_anything_else() {
        let invite = EnrolInvite { hub_url: "https://10.0.0.5:8443".into(), code: "ABCD-EFGH-JK".into(), ca_fingerprint: Some("AB:CD:EF".into()) };
        let text = invite.to_text().unwrap();
        assert_eq!(text, "suhbat-enrol:?hub=https://10.0.0.5:8443&code=ABCD-EFGH-JK&ca=AB:CD:EF");
        assert_eq!(EnrolInvite::parse(&text).unwrap(), invite);
        assert_eq!(EnrolInvite::parse("suhbat-enrol:?ca=AB:CD:EF&code=ABCD-EFGH-JK&hub=https://10.0.0.5:8443").unwrap(), invite);
        for bad in [
            "",
            "https://10.0.0.5:8443",
            "suhbat-enrol:?hub=https://h&code=X",
            "suhbat-enrol:?hub=ftp://h&code=X&ca=A",
            "suhbat-enrol:?hub=https://h&code=&ca=A",
            "suhbat-enrol:?hub=https://h&code=X&code=Y&ca=A",
            "suhbat-enrol:?hub=https://h&code",
        ] {
            assert!(EnrolInvite::parse(bad).is_err(), "{bad:?}");
        }
        assert!(EnrolInvite { code: "A&B".into(), ..invite.clone() }.to_text().is_err());
        assert!(invite.accepts_fingerprint("ab:cd:ef") && invite.accepts_fingerprint("ABCDEF"));
        assert!(!invite.accepts_fingerprint("AB:CD:EE"));
        assert!(!EnrolInvite { ca_fingerprint: None, ..invite }.accepts_fingerprint("AB:CD:EF"));
    }
}
