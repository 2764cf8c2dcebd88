//! Attached files on the hub: a device uploads the files it attached, chunk by chunk, after
//! the records that name them; another device downloads a file only when a record it may read
//! names it (need-to-know, as for records). Every request is signed by the device like a sync
//! request; every answer is signed by the hub and echoes the request's nonce.
//!
//! An upload is refused before anything is stored when the record does not name the file with
//! that size and type, when the device may not write that record, or when a chunk is not the
//! next one the file lacks or has the wrong length (so no upload can outgrow the size its
//! record declared, itself capped). With its last chunk the whole file's SHA-256 is checked: a
//! mismatch drops every chunk of it.

use super::{DeviceRow, Hub, MAX_CLOCK_SKEW_MS};
use crate::access;
use crate::doc::BucketId;
use crate::error::{Error, Result};
use crate::model::Attachment;
use crate::store::{chunk_len, chunks_match};
use crate::wire::files::{FileAnswer, FileOp, FileRequest};
use crate::wire::CHUNK_BYTES;

fn refuse(code: &str, message: impl Into<String>) -> Error {
    Error::Refused { code: code.into(), message: message.into(), wipe: false }
}

impl Hub {
    /// Answers a file request (bytes in, bytes out; never panics on bad input).
    pub fn handle_file(&self, bytes: &[u8]) -> Vec<u8> {
        let nonce = FileRequest::open_signed(bytes).map(|r| r.header.nonce).unwrap_or_default();
        let hub_id = self.hub_id().to_string();
        let answer = match self.file(bytes) {
            Ok(answer) => answer,
            Err(Error::Refused { code, message, .. }) => FileAnswer::refused(&hub_id, nonce, &code, message),
            Err(e @ Error::Malformed(_)) => FileAnswer::refused(&hub_id, nonce, "malformed", e.to_string()),
            Err(e) => FileAnswer::refused(&hub_id, nonce, "hub-error", e.to_string()),
        };
        let key = self.identity.key.public();
        answer.encode_signed(&key, |message| self.identity.key.sign(message))
    }

    fn file(&self, bytes: &[u8]) -> Result<FileAnswer> {
        let signed = FileRequest::open_signed(bytes)?;
        let now = self.now_ms();
        let device = self.authenticate(&signed, now)?;
        let request = FileRequest::decode(&signed)?;
        {
            let mut tx = self.storage.write()?;
            if !tx.claim_nonce(&device.device_id, &request.header.nonce, now, now.saturating_sub(2 * MAX_CLOCK_SKEW_MS))? {
                return Err(refuse("replay", "this request was already received"));
            }
            tx.commit()?;
        }
        self.check_named(&device, &request)?;
        let answer = |received: u64, complete: bool, chunk: Vec<u8>| FileAnswer {
            nonce: request.header.nonce,
            hub_id: self.hub_id().to_string(),
            refusal: None,
            received,
            complete,
            chunk,
        };
        match &request.op {
            FileOp::Status => {
                let (received, complete) = self.storage.read()?.file(&request.hash)?.unwrap_or((0, false));
                Ok(answer(received, complete, Vec::new()))
            }
            FileOp::Get { index } => {
                let mut tx = self.storage.read()?;
                if tx.file(&request.hash)? != Some((request.size, true)) {
                    drop(tx);
                    // Every sync answer now names it, so a phone that holds it sends it (again).
                    let mut tx = self.storage.write()?;
                    tx.want_file(&request.hash)?;
                    tx.commit()?;
                    return Err(refuse("file-missing", "the hub does not hold this file yet; a phone that has it sends it at its next sync"));
                }
                let chunk = tx.file_chunk(&request.hash, *index)?.ok_or_else(|| refuse("bad-chunk", format!("the file has no chunk {index}")))?;
                Ok(answer(request.size, true, chunk))
            }
            FileOp::Put { index, bytes } => {
                let (received, complete) = self.put_chunk(&request, *index, bytes)?;
                Ok(answer(received, complete, Vec::new()))
            }
        }
    }

    /// Refuses unless a record in `request.doc_id` that the device may read (or, to upload,
    /// write) names the file with the size and type the request gives.
    fn check_named(&self, device: &DeviceRow, request: &FileRequest) -> Result<()> {
        let not_named = || refuse("not-named", format!("record {} does not name this file here (sync the records first)", request.record_id));
        let bucket = BucketId::parse(&request.doc_id).ok_or_else(not_named)?;
        let allowed = device.role.is_some_and(|role| match request.op {
            FileOp::Put { .. } => access::may_write(role, &device.scopes, &bucket),
            _ => access::may_read(role, &device.scopes, &bucket),
        });
        if !allowed {
            return Err(refuse("not-permitted", format!("a {} may not have the files of {}", device.role_name(), request.doc_id)));
        }
        let heads = self.storage.read()?.doc_heads(&request.doc_id)?.ok_or_else(not_named)?;
        let doc = self.doc(&request.doc_id, &heads)?.ok_or_else(not_named)?;
        let raw = doc.read_raw(&request.record_id).ok_or_else(not_named)?;
        let named =
            raw.value.get("attachments").and_then(|a| a.get(hex::encode(request.hash))).and_then(|a| serde_json::from_value::<Attachment>(a.clone()).ok());
        match named {
            Some(a) if a.size == request.size && a.media_type == request.media_type => Ok(()),
            _ => Err(not_named()),
        }
    }

    /// Stores the next chunk of an upload; returns what the hub then holds. A chunk that is not
    /// the next one is not stored: the answer says where the upload stands, and the device goes
    /// on from there.
    fn put_chunk(&self, request: &FileRequest, index: u32, bytes: &[u8]) -> Result<(u64, bool)> {
        let mut tx = self.storage.write()?;
        let (received, complete) = tx.file(&request.hash)?.unwrap_or((0, false));
        let offset = u64::from(index) * CHUNK_BYTES as u64;
        if complete || offset != received {
            return Ok((received, complete));
        }
        let expected = chunk_len(request.size, index).filter(|len| *len == bytes.len() as u64);
        let Some(expected) = expected else {
            return Err(refuse("bad-chunk", format!("chunk {index} of a file of {} bytes cannot hold {} bytes", request.size, bytes.len())));
        };
        tx.add_file_chunk(&request.hash, &request.media_type, request.size, index, bytes)?;
        let received = received + expected;
        if received < request.size {
            tx.commit()?;
            return Ok((received, false));
        }
        let matches = chunks_match(&request.hash, request.size, |i| Ok(tx.file_chunk(&request.hash, i)?.unwrap_or_default()))?;
        tx.finish_file(&request.hash, matches)?;
        tx.commit()?;
        if !matches {
            return Err(refuse("hash-mismatch", "the file's bytes do not match its hash; nothing of it was kept"));
        }
        Ok((received, true))
    }
}
