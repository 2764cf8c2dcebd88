//! The bounded codec: the message header, the caps, and the [`Writer`] / [`Reader`] every
//! frame is built from. Every length is checked against a cap before anything is allocated, and
//! every malformed input becomes a [`WireError`] — untrusted bytes never panic.
//!
//! A message is `MAGIC (4) | version (1) | kind (1) | body length (u32 LE) | body`.

/// First bytes of every Suhbat message.
pub const MAGIC: &[u8; 4] = b"SUHB";
/// Current wire version (2: the bulk of sync messages and bundles is packed).
pub const VERSION: u8 = 2;
/// Largest message accepted (64 MiB).
pub const MAX_MESSAGE_BYTES: usize = 64 << 20;
/// Most documents one message may carry.
pub const MAX_DOCS_PER_MESSAGE: usize = 10_000;
/// Largest change payload for one document in one message (32 MiB).
pub const MAX_DOC_PAYLOAD_BYTES: usize = 32 << 20;
/// Longest id (document, device, record) accepted.
pub const MAX_ID_LEN: usize = 200;

/// What kind of message a header announces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum MessageKind {
    /// A merge bundle (changes for another replica).
    Bundle = 1,
    /// A replica summary (per-document heads).
    Summary = 2,
    /// A sync request from a device.
    SyncRequest = 3,
    /// A sync response from the hub.
    SyncResponse = 4,
    /// An enrolment request.
    Enrol = 5,
    /// The answer to an enrolment.
    EnrolReply = 6,
    /// A device's request to put or get one chunk of an attached file.
    FileRequest = 7,
    /// The hub's answer to a file request.
    FileAnswer = 8,
    /// A device's request to be told when something new waits for it on the hub (long poll).
    NewsRequest = 9,
    /// The hub's answer to a news request: something new waits, or nothing did in time.
    NewsAnswer = 10,
}

impl MessageKind {
    fn from_u8(value: u8) -> Option<Self> {
        [
            MessageKind::Bundle,
            MessageKind::Summary,
            MessageKind::SyncRequest,
            MessageKind::SyncResponse,
            MessageKind::Enrol,
            MessageKind::EnrolReply,
            MessageKind::FileRequest,
            MessageKind::FileAnswer,
            MessageKind::NewsRequest,
            MessageKind::NewsAnswer,
        ]
        .into_iter()
        .find(|k| *k as u8 == value)
    }
}

/// Why bytes were refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    /// The input ended inside `what`.
    #[error("input ends inside {what}")]
    Truncated {
        /// The field being read.
        what: &'static str,
    },
    /// A length is over its cap.
    #[error("{what} is {len} but at most {cap} is allowed")]
    TooLarge {
        /// The field.
        what: &'static str,
        /// Its announced length.
        len: usize,
        /// The cap.
        cap: usize,
    },
    /// Not a Suhbat message at all.
    #[error("not a Suhbat message (bad magic bytes)")]
    BadMagic,
    /// Written by a newer or unknown protocol version.
    #[error("unsupported message version {0} (this build speaks {VERSION})")]
    UnsupportedVersion(u8),
    /// The header names another kind than expected.
    #[error("expected a {expected:?} message, got kind {found}")]
    WrongKind {
        /// What the caller expected.
        expected: MessageKind,
        /// The kind byte found.
        found: u8,
    },
    /// A field holds a value that is not allowed.
    #[error("{what}: {reason}")]
    Invalid {
        /// The field.
        what: &'static str,
        /// Why.
        reason: String,
    },
    /// Bytes are left after the message.
    #[error("{0} unexpected bytes after the message")]
    TrailingBytes(usize),
}

/// A change hash from its 32 bytes.
pub(crate) fn decode_hash(bytes: &[u8]) -> Result<automerge::ChangeHash, WireError> {
    automerge::ChangeHash::try_from(bytes).map_err(|_| WireError::Invalid { what: "change hash", reason: "not 32 bytes".into() })
}

/// Builds a message body.
#[derive(Default)]
pub struct Writer {
    buf: Vec<u8>,
}

impl Writer {
    /// Appends a byte.
    pub fn u8(&mut self, v: u8) -> &mut Self {
        self.buf.push(v);
        self
    }

    /// Appends a little-endian u32.
    pub fn u32(&mut self, v: u32) -> &mut Self {
        self.buf.extend_from_slice(&v.to_le_bytes());
        self
    }

    /// Appends a little-endian u64.
    pub fn u64(&mut self, v: u64) -> &mut Self {
        self.buf.extend_from_slice(&v.to_le_bytes());
        self
    }

    /// Appends length-prefixed bytes.
    pub fn bytes(&mut self, v: &[u8]) -> &mut Self {
        self.u32(v.len() as u32);
        self.buf.extend_from_slice(v);
        self
    }

    /// Appends a length-prefixed UTF-8 string.
    pub fn str(&mut self, v: &str) -> &mut Self {
        self.bytes(v.as_bytes())
    }

    /// Wraps the body in a header of the given kind.
    pub fn finish(self, kind: MessageKind) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.buf.len() + 10);
        out.extend_from_slice(MAGIC);
        out.push(VERSION);
        out.push(kind as u8);
        out.extend_from_slice(&(self.buf.len() as u32).to_le_bytes());
        out.extend_from_slice(&self.buf);
        out
    }
}

/// Reads a message body with bounds checks.
pub struct Reader<'a> {
    buf: &'a [u8],
}

impl<'a> Reader<'a> {
    /// Checks the header and returns a reader over the body.
    pub fn open(input: &'a [u8], expected: MessageKind) -> Result<Self, WireError> {
        if input.len() > MAX_MESSAGE_BYTES + 10 {
            return Err(WireError::TooLarge { what: "message", len: input.len(), cap: MAX_MESSAGE_BYTES });
        }
        let mut header = Reader { buf: input };
        let magic = header.take(4, "magic")?;
        if magic != MAGIC {
            return Err(WireError::BadMagic);
        }
        let version = header.u8("version")?;
        if version != VERSION {
            return Err(WireError::UnsupportedVersion(version));
        }
        let kind = header.u8("kind")?;
        if MessageKind::from_u8(kind) != Some(expected) {
            return Err(WireError::WrongKind { expected, found: kind });
        }
        let len = header.u32("body length")? as usize;
        if len > MAX_MESSAGE_BYTES {
            return Err(WireError::TooLarge { what: "message body", len, cap: MAX_MESSAGE_BYTES });
        }
        let body = header.take(len, "body")?;
        if !header.buf.is_empty() {
            return Err(WireError::TrailingBytes(header.buf.len()));
        }
        Ok(Reader { buf: body })
    }

    fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], WireError> {
        if self.buf.len() < n {
            return Err(WireError::Truncated { what });
        }
        let (head, rest) = self.buf.split_at(n);
        self.buf = rest;
        Ok(head)
    }

    /// Reads a byte.
    pub fn u8(&mut self, what: &'static str) -> Result<u8, WireError> {
        Ok(self.take(1, what)?[0])
    }

    /// Reads a little-endian u32.
    pub fn u32(&mut self, what: &'static str) -> Result<u32, WireError> {
        let b = self.take(4, what)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// Reads a little-endian u64.
    pub fn u64(&mut self, what: &'static str) -> Result<u64, WireError> {
        let b = self.take(8, what)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }

    /// Reads a count and checks it against `cap`.
    pub fn count(&mut self, what: &'static str, cap: usize) -> Result<usize, WireError> {
        let n = self.u32(what)? as usize;
        if n > cap {
            return Err(WireError::TooLarge { what, len: n, cap });
        }
        Ok(n)
    }

    /// Reads length-prefixed bytes of at most `cap`.
    pub fn bytes(&mut self, what: &'static str, cap: usize) -> Result<&'a [u8], WireError> {
        let n = self.count(what, cap)?;
        self.take(n, what)
    }

    /// Reads a length-prefixed UTF-8 string of at most `cap` bytes.
    pub fn str(&mut self, what: &'static str, cap: usize) -> Result<&'a str, WireError> {
        let b = self.bytes(what, cap)?;
        std::str::from_utf8(b).map_err(|_| WireError::Invalid { what, reason: "not UTF-8".into() })
    }

    /// Whether every byte has been read (an optional trailing section is absent).
    pub fn at_end(&self) -> bool {
        self.buf.is_empty()
    }

    /// Fails if bytes are left over.
    pub fn finish(self) -> Result<(), WireError> {
        if self.buf.is_empty() {
            Ok(())
        } else {
            Err(WireError::TrailingBytes(self.buf.len()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let mut w = Writer::default();
        w.u8(7).u32(9).u64(11).str("navbahor").bytes(&[1, 2, 3]);
        let bytes = w.finish(MessageKind::Bundle);
        let mut r = Reader::open(&bytes, MessageKind::Bundle).unwrap();
        assert_eq!(r.u8("a").unwrap(), 7);
        assert_eq!(r.u32("b").unwrap(), 9);
        assert_eq!(r.u64("c").unwrap(), 11);
        assert_eq!(r.str("d", 100).unwrap(), "navbahor");
        assert_eq!(r.bytes("e", 100).unwrap(), &[1, 2, 3]);
        r.finish().unwrap();
    }

    #[test]
    fn refuses_bad_headers_and_lengths() {
        let bytes = Writer::default().finish(MessageKind::Bundle);
        assert!(matches!(Reader::open(b"NOPE", MessageKind::Bundle), Err(WireError::BadMagic)));
        assert!(matches!(Reader::open(&bytes[..6], MessageKind::Bundle), Err(WireError::Truncated { .. })));
        assert!(matches!(Reader::open(&bytes, MessageKind::Summary), Err(WireError::WrongKind { .. })));
        let mut newer = bytes.clone();
        newer[4] = 99;
        assert_eq!(Reader::open(&newer, MessageKind::Bundle).err(), Some(WireError::UnsupportedVersion(99)));
        let mut trailing = bytes.clone();
        trailing.push(0);
        assert_eq!(Reader::open(&trailing, MessageKind::Bundle).err(), Some(WireError::TrailingBytes(1)));
        let mut w = Writer::default();
        w.u32(u32::MAX);
        let huge = w.finish(MessageKind::Bundle);
        let mut r = Reader::open(&huge, MessageKind::Bundle).unwrap();
        assert!(matches!(r.bytes("payload", 1000), Err(WireError::TooLarge { len, .. }) if len == u32::MAX as usize));
    }
}
