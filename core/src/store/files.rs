//! Attached files on the device (tables `attachment`, `attachment_chunk`, `attachment_ref`;
//! schema 12): their bytes, content-addressed by SHA-256 and kept in chunks inside this
//! encrypted store, never in files beside it.
//!
//! A file attached here is stored whole and stays until the hub holds it. A file attached
//! elsewhere is downloaded only when someone opens it here ([`Store::file`] asks for it) or
//! pins it for offline use, and only if a record this device holds names it — so need-to-know
//! holds for files as for records. Downloaded copies are evicted, least recently used first,
//! when the files exceed the device's budget (default 200 MB); a file not uploaded yet never is.

use super::{read_meta, write_meta, Store};
use crate::error::{Error, Result};
use crate::ids::RecordId;
use crate::media::{self, ImageLimit};
use crate::model::{attachment_error, is_attachable, mb, Attachment, AttachmentKind, MAX_ATTACHMENT_BYTES};
use crate::wire::CHUNK_BYTES;
use chrono::Utc;
use rusqlite::{params, OptionalExtension};
use sha2::{Digest, Sha256};

/// Bytes the attached files may take on a device unless it is told otherwise.
pub const DEFAULT_FILE_BUDGET: u64 = 200 * 1024 * 1024;
const BUDGET: &str = "file_budget";
const IMAGE_SIDE: &str = "image_max_side";

/// One attached file as this device holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileState {
    /// SHA-256 (hex).
    pub hash: String,
    /// Size in bytes.
    pub size: u64,
    /// Media type.
    pub media_type: String,
    /// Bytes held here (the whole file when `complete`).
    pub held: u64,
    /// The whole file is here and its hash matched.
    pub complete: bool,
    /// Attached on this device.
    pub local: bool,
    /// The hub holds the whole file.
    pub uploaded: bool,
    /// Kept for offline use (never evicted).
    pub pinned: bool,
}

/// What attached files take on this device.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileUsage {
    /// Files held (whole or in part).
    pub files: u64,
    /// Bytes they hold.
    pub bytes: u64,
    /// Files attached here that the hub does not hold yet.
    pub unsent: u64,
    /// The device's budget for attached files.
    pub budget: u64,
}

/// A file to move, with a record that names it (the hub checks that record).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FileJob {
    pub hash: [u8; 32],
    pub size: u64,
    pub media_type: String,
    pub doc_id: String,
    pub record_id: String,
    /// Bytes already held by the side that receives (learned from the hub for an upload).
    pub held: u64,
}

/// How many chunks a file of `size` bytes has.
pub(crate) fn chunk_count(size: u64) -> u32 {
    size.div_ceil(CHUNK_BYTES as u64) as u32
}

/// How many bytes chunk `index` of a file of `size` bytes holds; `None` past its last chunk.
pub(crate) fn chunk_len(size: u64, index: u32) -> Option<u64> {
    let offset = u64::from(index) * CHUNK_BYTES as u64;
    (index < chunk_count(size)).then(|| (size - offset).min(CHUNK_BYTES as u64))
}

/// Whether the chunks `0..chunk_count(size)` (read with `chunk`) make the file `hash` names.
pub(crate) fn chunks_match(hash: &[u8; 32], size: u64, mut chunk: impl FnMut(u32) -> Result<Vec<u8>>) -> Result<bool> {
    let mut whole = Sha256::new();
    for index in 0..chunk_count(size) {
        whole.update(chunk(index)?);
    }
    Ok(<[u8; 32]>::from(whole.finalize()) == *hash)
}

/// A file's hash from its hex form.
pub(crate) fn file_hash(hex_hash: &str) -> Result<[u8; 32]> {
    hex::decode(hex_hash).ok().and_then(|b| b.try_into().ok()).ok_or_else(|| Error::BadInput(format!("{hex_hash:?} is not a file hash")))
}

fn refused(key: &'static str, params: Vec<(&'static str, String)>) -> Error {
    Error::Invalid(attachment_error(key, params))
}

impl Store {
    /// Attaches a file to a record: a photo over the device's limit is downscaled and
    /// re-encoded first, the bytes are stored here (encrypted, by their SHA-256), and the
    /// record gets a reference to them as a new change (it syncs like any edit; the bytes follow
    /// in the file transfer). A type or size beyond the caps is refused with a field error and
    /// nothing is stored.
    pub fn attach(&mut self, record_id: &RecordId, bytes: Vec<u8>, media_type: &str, kind: AttachmentKind, caption: &str) -> Result<Attachment> {
        if !is_attachable(media_type) {
            return Err(refused("validation.attachment_type", vec![("value", media_type.to_string())]));
        }
        let (bytes, media_type) = media::prepare(bytes, media_type, kind, self.image_limit()?).map_err(Error::Invalid)?;
        let size = bytes.len() as u64;
        if size == 0 || size > MAX_ATTACHMENT_BYTES {
            return Err(refused("validation.attachment_size", vec![("max", mb(MAX_ATTACHMENT_BYTES)), ("size", mb(size))]));
        }
        let hash: [u8; 32] = Sha256::digest(&bytes).into();
        let attachment = Attachment { hash: hex::encode(hash), size, media_type, kind, caption: caption.trim().to_string() };
        let existed = self.file_row(&hash)?.is_some();
        if !existed {
            self.store_file(&hash, &attachment.media_type, &bytes)?;
        }
        let reference = serde_json::to_value(&attachment).map_err(|e| Error::BadInput(e.to_string()))?;
        match self.set_field(record_id, &format!("attachments/{}", attachment.hash), Some(&reference)) {
            Ok(_) => Ok(attachment),
            Err(e) => {
                if !existed {
                    self.drop_file(&hash)?;
                }
                Err(e)
            }
        }
    }

    /// Takes a file off a record (a new change); its bytes stay until evicted.
    pub fn detach(&mut self, record_id: &RecordId, hash: &str) -> Result<bool> {
        self.set_field(record_id, &format!("attachments/{hash}"), None)
    }

    /// The bytes of an attached file, or `None` when they are not on this device yet: the next
    /// file transfer then downloads them (if a record here names the file).
    pub fn file(&mut self, hash: &str) -> Result<Option<Vec<u8>>> {
        let key = file_hash(hash)?;
        match self.file_row(&key)? {
            Some(state) if state.complete => {
                self.conn.execute("UPDATE attachment SET last_used = ?2 WHERE hash = ?1", params![key.as_slice(), Utc::now().timestamp_millis()])?;
                let mut stmt = self.conn.prepare_cached("SELECT bytes FROM attachment_chunk WHERE hash = ?1 ORDER BY idx")?;
                let chunks = stmt.query_map([key.as_slice()], |r| r.get::<_, Vec<u8>>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
                Ok(Some(chunks.concat()))
            }
            _ => {
                self.want_file(&key, false)?;
                Ok(None)
            }
        }
    }

    /// The state of an attached file on this device (`None` when nothing of it is here).
    pub fn file_state(&self, hash: &str) -> Result<Option<FileState>> {
        self.file_row(&file_hash(hash)?)
    }

    /// Keeps a file for offline use (downloaded at the next transfer, never evicted), or lets
    /// it go back to the ordinary budget.
    pub fn pin_file(&mut self, hash: &str, pinned: bool) -> Result<()> {
        let key = file_hash(hash)?;
        if pinned {
            self.want_file(&key, true)
        } else {
            self.conn.execute("UPDATE attachment SET pinned = 0 WHERE hash = ?1", [key.as_slice()])?;
            self.evict(None)
        }
    }

    /// What attached files take here, and the budget.
    pub fn file_usage(&self) -> Result<FileUsage> {
        let (files, bytes, unsent) = self.conn.query_row(
            "SELECT COUNT(*), COALESCE(SUM(received), 0), COALESCE(SUM(origin = 'local' AND uploaded = 0), 0) FROM attachment",
            [],
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?)),
        )?;
        Ok(FileUsage { files: files as u64, bytes: bytes as u64, unsent: unsent as u64, budget: self.file_budget()? })
    }

    /// Sets the bytes attached files may take here, evicting downloaded copies to fit.
    pub fn set_file_budget(&mut self, bytes: u64) -> Result<()> {
        write_meta(&self.conn, BUDGET, &bytes.to_string())?;
        self.evict(None)
    }

    /// Sets how photos are fitted before they are stored (longest side in pixels).
    pub fn set_image_limit(&mut self, max_side: u32) -> Result<()> {
        if !(320..=8000).contains(&max_side) {
            return Err(Error::BadInput(format!("the longest side of a stored photo must be 320–8000 pixels, not {max_side}")));
        }
        write_meta(&self.conn, IMAGE_SIDE, &max_side.to_string())
    }

    fn image_limit(&self) -> Result<ImageLimit> {
        let side = read_meta(&self.conn, IMAGE_SIDE)?.and_then(|v| v.parse().ok());
        Ok(side.map_or_else(ImageLimit::default, |max_side| ImageLimit { max_side, ..ImageLimit::default() }))
    }

    fn file_budget(&self) -> Result<u64> {
        Ok(read_meta(&self.conn, BUDGET)?.and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_FILE_BUDGET))
    }

    fn file_row(&self, hash: &[u8; 32]) -> Result<Option<FileState>> {
        Ok(self
            .conn
            .prepare_cached("SELECT size, media_type, received, complete, origin = 'local', uploaded, pinned FROM attachment WHERE hash = ?1")?
            .query_row([hash.as_slice()], |r| {
                Ok(FileState {
                    hash: hex::encode(hash),
                    size: r.get::<_, i64>(0)? as u64,
                    media_type: r.get(1)?,
                    held: r.get::<_, i64>(2)? as u64,
                    complete: r.get(3)?,
                    local: r.get(4)?,
                    uploaded: r.get(5)?,
                    pinned: r.get(6)?,
                })
            })
            .optional()?)
    }

    /// Stores a file attached here, whole, in one transaction.
    fn store_file(&mut self, hash: &[u8; 32], media_type: &str, bytes: &[u8]) -> Result<()> {
        let tx = super::db::WriteTx::begin(&self.conn)?;
        tx.execute(
            "INSERT INTO attachment (hash, media_type, size, received, complete, origin, uploaded, last_used) VALUES (?1, ?2, ?3, ?3, 1, 'local', 0, ?4)",
            params![hash.as_slice(), media_type, bytes.len() as i64, Utc::now().timestamp_millis()],
        )?;
        for (idx, chunk) in bytes.chunks(CHUNK_BYTES).enumerate() {
            tx.execute("INSERT INTO attachment_chunk (hash, idx, bytes) VALUES (?1, ?2, ?3)", params![hash.as_slice(), idx as i64, chunk])?;
        }
        tx.commit()?;
        Ok(())
    }

    fn drop_file(&mut self, hash: &[u8; 32]) -> Result<()> {
        let tx = super::db::WriteTx::begin(&self.conn)?;
        tx.execute("DELETE FROM attachment_chunk WHERE hash = ?1", [hash.as_slice()])?;
        tx.execute("DELETE FROM attachment WHERE hash = ?1", [hash.as_slice()])?;
        tx.commit()?;
        Ok(())
    }

    /// Asks the next transfer to download a file a record here names (and pins it).
    fn want_file(&mut self, hash: &[u8; 32], pin: bool) -> Result<()> {
        if self.file_row(hash)?.is_none() {
            let Some((attachment, _, _)) = self.named_by(hash)? else {
                return Err(Error::NotFound(format!("no record on this device names file {}", hex::encode(hash))));
            };
            self.conn.execute(
                "INSERT INTO attachment (hash, media_type, size, origin, uploaded, last_used) VALUES (?1, ?2, ?3, 'hub', 1, ?4)",
                params![hash.as_slice(), attachment.media_type, attachment.size as i64, Utc::now().timestamp_millis()],
            )?;
        }
        self.conn.execute("UPDATE attachment SET wanted = 1, pinned = pinned OR ?2 WHERE hash = ?1", params![hash.as_slice(), pin])?;
        Ok(())
    }

    /// A record on this device that names the file: its reference, document and record id.
    fn named_by(&mut self, hash: &[u8; 32]) -> Result<Option<(Attachment, String, String)>> {
        let rows: Vec<(String, String)> = {
            let mut stmt = self.conn.prepare_cached("SELECT record_id, doc_id FROM attachment_ref WHERE hash = ?1 ORDER BY record_id")?;
            let rows = stmt.query_map([hash.as_slice()], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
            rows
        };
        let key = hex::encode(hash);
        for (record_id, doc_id) in rows {
            let Some(id) = RecordId::parse(&record_id) else { continue };
            let Ok(raw) = self.get_raw(&id) else { continue };
            if let Some(attachment) = raw.value.get("attachments").and_then(|a| a.get(&key)).and_then(|a| serde_json::from_value::<Attachment>(a.clone()).ok())
            {
                return Ok(Some((attachment, doc_id, record_id)));
            }
        }
        Ok(None)
    }

    /// Files held whole here that the hub does not hold (attached here, or downloaded and
    /// asked for again) and a record names.
    pub(crate) fn uploads_pending(&mut self) -> Result<Vec<FileJob>> {
        self.jobs("SELECT hash FROM attachment WHERE uploaded = 0 AND complete = 1 ORDER BY last_used")
    }

    /// Files asked for (opened or pinned) that are not here whole yet.
    pub(crate) fn downloads_wanted(&mut self) -> Result<Vec<FileJob>> {
        self.jobs("SELECT hash FROM attachment WHERE complete = 0 AND (wanted = 1 OR pinned = 1) ORDER BY pinned, last_used")
    }

    fn jobs(&mut self, sql: &str) -> Result<Vec<FileJob>> {
        let hashes: Vec<Vec<u8>> = self.conn.prepare(sql)?.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        let mut jobs = Vec::new();
        for hash in hashes.into_iter().filter_map(|h| <[u8; 32]>::try_from(h).ok()) {
            let (Some(state), Some((_, doc_id, record_id))) = (self.file_row(&hash)?, self.named_by(&hash)?) else { continue };
            jobs.push(FileJob { hash, size: state.size, media_type: state.media_type, doc_id, record_id, held: state.held });
        }
        Ok(jobs)
    }

    /// The hub lacks these files, which a phone asked for: those held whole here (attached
    /// here or downloaded) go to the hub at the next file transfer.
    pub(crate) fn resend_files(&mut self, hashes: &[[u8; 32]]) -> Result<()> {
        for hash in hashes {
            self.conn.execute("UPDATE attachment SET uploaded = 0 WHERE hash = ?1 AND complete = 1", [hash.as_slice()])?;
        }
        Ok(())
    }

    /// Chunk `index` of a file held here.
    pub(crate) fn file_chunk(&self, hash: &[u8; 32], index: u32) -> Result<Vec<u8>> {
        self.conn
            .prepare_cached("SELECT bytes FROM attachment_chunk WHERE hash = ?1 AND idx = ?2")?
            .query_row(params![hash.as_slice(), index], |r| r.get(0))
            .optional()?
            .ok_or_else(|| Error::NotFound(format!("chunk {index} of file {}", hex::encode(hash))))
    }

    /// Notes that the hub holds the whole of a file attached here.
    pub(crate) fn mark_uploaded(&mut self, hash: &[u8; 32]) -> Result<()> {
        self.conn.execute("UPDATE attachment SET uploaded = 1 WHERE hash = ?1", [hash.as_slice()])?;
        self.evict(None)
    }

    /// Stores the next chunk of a file being downloaded. With its last chunk the whole file's
    /// hash is checked: a match completes it (then older copies are evicted to fit the budget),
    /// a mismatch drops what was received and fails.
    pub(crate) fn add_downloaded_chunk(&mut self, hash: &[u8; 32], index: u32, bytes: &[u8]) -> Result<bool> {
        let state = self.file_row(hash)?.ok_or_else(|| Error::NotFound(format!("file {}", hex::encode(hash))))?;
        let continues = u64::from(index) * CHUNK_BYTES as u64 == state.held && chunk_len(state.size, index) == Some(bytes.len() as u64);
        if state.complete || !continues {
            return Err(Error::Protocol(format!("chunk {index} of file {} does not continue it", state.hash)));
        }
        let tx = super::db::WriteTx::begin(&self.conn)?;
        tx.execute("INSERT OR REPLACE INTO attachment_chunk (hash, idx, bytes) VALUES (?1, ?2, ?3)", params![hash.as_slice(), index, bytes])?;
        tx.execute("UPDATE attachment SET received = received + ?2 WHERE hash = ?1", params![hash.as_slice(), bytes.len() as i64])?;
        tx.commit()?;
        if index + 1 < chunk_count(state.size) {
            return Ok(false);
        }
        if !chunks_match(hash, state.size, |i| self.file_chunk(hash, i))? {
            self.conn.execute("DELETE FROM attachment_chunk WHERE hash = ?1", [hash.as_slice()])?;
            self.conn.execute("UPDATE attachment SET received = 0 WHERE hash = ?1", [hash.as_slice()])?;
            return Err(Error::Protocol(format!("file {} arrived with another hash; it was dropped and is asked for again", state.hash)));
        }
        self.conn.execute(
            "UPDATE attachment SET complete = 1, wanted = 0, last_used = ?2 WHERE hash = ?1",
            params![hash.as_slice(), Utc::now().timestamp_millis()],
        )?;
        self.evict(Some(hash))?;
        Ok(true)
    }

    /// Evicts downloaded copies (and uploaded local ones), least recently used first, until the
    /// files fit the budget. Never a pinned file, a file the hub does not hold, or `keep`.
    fn evict(&mut self, keep: Option<&[u8; 32]>) -> Result<()> {
        let budget = self.file_budget()?;
        let mut usage = self.file_usage()?.bytes;
        if usage <= budget {
            return Ok(());
        }
        let candidates: Vec<(Vec<u8>, i64)> = self
            .conn
            .prepare("SELECT hash, received FROM attachment WHERE uploaded = 1 AND pinned = 0 AND received > 0 ORDER BY last_used")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (hash, held) in candidates {
            if usage <= budget {
                break;
            }
            if keep.is_some_and(|k| k.as_slice() == hash.as_slice()) {
                continue;
            }
            let tx = super::db::WriteTx::begin(&self.conn)?;
            tx.execute("DELETE FROM attachment_chunk WHERE hash = ?1", [hash.as_slice()])?;
            tx.execute("UPDATE attachment SET received = 0, complete = 0, wanted = 0 WHERE hash = ?1", [hash.as_slice()])?;
            tx.commit()?;
            usage = usage.saturating_sub(held as u64);
        }
        Ok(())
    }
}
