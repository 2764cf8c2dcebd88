//! Moving attached files: a device's signed request to learn how much of a file the hub holds,
//! to put one chunk of it, or to get one; the hub's signed answer, tied to the request by its
//! nonce. A file travels in [`CHUNK_BYTES`] chunks, in order, so an interrupted transfer resumes
//! at the first chunk the other side lacks and never sends a finished chunk again.

use super::frames::{open_signed_answer, read_fixed, sign_answer, sign_request, RequestHeader, SignedRequest};
use super::{MessageKind, Reader, WireError, Writer, MAX_ID_LEN};
use crate::error::Result;

/// Bytes per chunk of a file (the last one is shorter).
pub const CHUNK_BYTES: usize = 256 * 1024;
/// Longest media type accepted.
const MAX_MEDIA_TYPE: usize = 100;
/// Longest refusal message.
const MAX_TEXT: usize = 4_096;

/// What a file request asks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum FileOp {
    /// How much of the file the hub holds.
    Status,
    /// Store chunk `index` (the next one the hub lacks).
    Put { index: u32, bytes: Vec<u8> },
    /// Send chunk `index`.
    Get { index: u32 },
}

/// A device's request about one file, named with a record that refers to it (the hub checks
/// the device may write, or read, that record's document, and that the record names the file).
pub(crate) struct FileRequest {
    pub header: RequestHeader,
    pub doc_id: String,
    pub record_id: String,
    /// SHA-256 of the whole file.
    pub hash: [u8; 32],
    pub size: u64,
    pub media_type: String,
    pub op: FileOp,
}

impl FileRequest {
    /// Encodes and signs with `sign` (the device's key), like a sync request.
    pub(crate) fn encode_signed(&self, sign: impl Fn(&[u8]) -> [u8; 64]) -> Vec<u8> {
        let mut w = Writer::default();
        self.header.write(&mut w);
        w.str(&self.doc_id).str(&self.record_id).bytes(&self.hash).u64(self.size).str(&self.media_type);
        match &self.op {
            FileOp::Status => w.u8(0),
            FileOp::Put { index, bytes } => w.u8(1).u32(*index).bytes(bytes),
            FileOp::Get { index } => w.u8(2).u32(*index),
        };
        sign_request(w.finish(MessageKind::FileRequest), MessageKind::FileRequest, sign)
    }

    /// Splits a signed request into the signed bytes, the signature and the header, for the
    /// hub to check who sent it before it reads the rest.
    pub(crate) fn open_signed(bytes: &[u8]) -> Result<SignedRequest<'_>> {
        SignedRequest::open(bytes, MessageKind::FileRequest, CHUNK_BYTES + 4_096)
    }

    /// Reads the rest of a request whose signature was checked.
    pub(crate) fn decode(signed: &SignedRequest<'_>) -> Result<FileRequest> {
        let mut r = Reader::open(signed.signed, MessageKind::FileRequest)?;
        let header = RequestHeader::read(&mut r)?;
        let doc_id = r.str("document id", MAX_ID_LEN)?.to_string();
        let record_id = r.str("record id", MAX_ID_LEN)?.to_string();
        let hash = read_fixed::<32>(&mut r, "file hash")?;
        let size = r.u64("file size")?;
        let media_type = r.str("media type", MAX_MEDIA_TYPE)?.to_string();
        let op = match r.u8("file operation")? {
            0 => FileOp::Status,
            1 => FileOp::Put { index: r.u32("chunk index")?, bytes: r.bytes("chunk", CHUNK_BYTES)?.to_vec() },
            2 => FileOp::Get { index: r.u32("chunk index")? },
            other => return Err(WireError::Invalid { what: "file operation", reason: format!("unknown operation {other}") }.into()),
        };
        r.finish()?;
        Ok(FileRequest { header, doc_id, record_id, hash, size, media_type, op })
    }
}

/// The hub's answer to a file request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct FileAnswer {
    /// The nonce of the request it answers.
    pub nonce: [u8; 16],
    pub hub_id: String,
    /// Why the hub refused (code, message); `None` when it did what was asked.
    pub refusal: Option<(String, String)>,
    /// Bytes of the file the hub holds (in whole chunks from the start).
    pub received: u64,
    /// The hub holds the whole file and its hash matched.
    pub complete: bool,
    /// The chunk asked for (a get).
    pub chunk: Vec<u8>,
}

impl FileAnswer {
    /// A refusal of the request with `nonce`.
    pub(crate) fn refused(hub_id: &str, nonce: [u8; 16], code: &str, message: impl Into<String>) -> FileAnswer {
        FileAnswer { nonce, hub_id: hub_id.to_string(), refusal: Some((code.to_string(), message.into())), ..Default::default() }
    }

    /// Encodes the answer and signs it with the hub's key.
    pub(crate) fn encode_signed(&self, hub_key: &[u8; 32], sign: impl Fn(&[u8]) -> [u8; 64]) -> Vec<u8> {
        let mut w = Writer::default();
        w.bytes(&self.nonce).str(&self.hub_id);
        match &self.refusal {
            Some((code, message)) => w.u8(1).str(code).str(message),
            None => w.u8(0),
        };
        w.u64(self.received).u8(u8::from(self.complete)).bytes(&self.chunk);
        sign_answer(w.finish(MessageKind::FileAnswer), MessageKind::FileAnswer, hub_key, sign)
    }

    /// Decodes an answer after checking its signature; returns it with the key that signed it.
    pub(crate) fn decode_signed(bytes: &[u8]) -> Result<(FileAnswer, [u8; 32])> {
        let (inner, hub_key) = open_signed_answer(bytes, MessageKind::FileAnswer, CHUNK_BYTES + 8_192)?;
        let mut r = Reader::open(inner, MessageKind::FileAnswer)?;
        let nonce = read_fixed::<16>(&mut r, "nonce")?;
        let hub_id = r.str("hub id", MAX_ID_LEN)?.to_string();
        let refusal = match r.u8("refusal flag")? {
            0 => None,
            _ => Some((r.str("refusal code", MAX_ID_LEN)?.to_string(), r.str("refusal message", MAX_TEXT)?.to_string())),
        };
        let received = r.u64("bytes received")?;
        let complete = r.u8("complete flag")? != 0;
        let chunk = r.bytes("chunk", CHUNK_BYTES)?.to_vec();
        r.finish()?;
        Ok((FileAnswer { nonce, hub_id, refusal, received, complete, chunk }, hub_key))
    }
}
