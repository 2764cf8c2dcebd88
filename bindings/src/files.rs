//! Attached files for the apps: attach a photo (camera or gallery), an audio note, a signature
//! image or a PDF to a record; list a record's files; open one (its bytes, or null while it is
//! downloaded at the next transfer); pin one for offline use; and the `FileTransfer` object
//! that moves files after a sync, sans-IO like `SyncSession` (POST to `<hub>/v1/file`).

use crate::error::SuhbatError;
use crate::suhbat::Suhbat;
use std::sync::{Arc, Mutex};
use suhbat_core::sync::{self as core_sync};
use suhbat_core::views::{self, FileList};
use suhbat_core::{AttachmentKind, RecordId};

/// What an attached file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum FileKind {
    /// A photo (of a document, a place).
    Photo,
    /// A signature of consent, as an image.
    Signature,
    /// A short audio note.
    Audio,
    /// A document (PDF).
    Document,
}

impl From<FileKind> for AttachmentKind {
    fn from(k: FileKind) -> Self {
        match k {
            FileKind::Photo => AttachmentKind::Photo,
            FileKind::Signature => AttachmentKind::Signature,
            FileKind::Audio => AttachmentKind::Audio,
            FileKind::Document => AttachmentKind::Document,
        }
    }
}

/// How far a file transfer has come.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct FileTransferProgress {
    /// Files to move.
    pub files_total: u32,
    /// Files moved (or skipped after a refusal).
    pub files_done: u32,
    /// Bytes of file content to move.
    pub bytes_total: u64,
    /// Bytes of file content moved.
    pub bytes_done: u64,
    /// Files the hub refused, one line each (file and reason).
    pub refused: Vec<String>,
}

impl From<&core_sync::FileReport> for FileTransferProgress {
    fn from(r: &core_sync::FileReport) -> Self {
        FileTransferProgress {
            files_total: r.progress.files_total,
            files_done: r.progress.files_done,
            bytes_total: r.progress.bytes_total,
            bytes_done: r.progress.bytes_done,
            refused: r.refused.iter().map(|(hash, why)| format!("{}…: {why}", &hash[..hash.len().min(12)])).collect(),
        }
    }
}

#[uniffi::export]
impl Suhbat {
    /// Attaches a file to a record: a photo over the device's limit is scaled down first, the
    /// bytes are kept in the encrypted store and go to the hub after the records at the next
    /// sync. `kind` null: from the media type. Throws `Invalid` (translated) for a type or
    /// size beyond the caps; nothing is stored then. Returns the record's files.
    pub fn attach_file(&self, record_id: String, bytes: Vec<u8>, media_type: String, kind: Option<FileKind>, caption: String) -> Result<FileList, SuhbatError> {
        self.run(|store, ctx| {
            let id = RecordId::parse(&record_id).ok_or_else(|| suhbat_core::Error::NotFound(record_id.clone()))?;
            let kind = kind.map(AttachmentKind::from).unwrap_or_else(|| views::default_attachment_kind(&media_type));
            store.attach(&id, bytes, &media_type, kind, &caption)?;
            views::record_files(store, ctx, &record_id)
        })
    }

    /// Takes a file off a record (a new change that syncs like any edit). Returns the record's
    /// files.
    pub fn detach_file(&self, record_id: String, hash: String) -> Result<FileList, SuhbatError> {
        self.run(|store, ctx| {
            let id = RecordId::parse(&record_id).ok_or_else(|| suhbat_core::Error::NotFound(record_id.clone()))?;
            store.detach(&id, &hash)?;
            views::record_files(store, ctx, &record_id)
        })
    }

    /// The files attached to a record, and whether each is on this device.
    pub fn record_files(&self, record_id: String) -> Result<FileList, SuhbatError> {
        self.run(|store, ctx| views::record_files(store, ctx, &record_id))
    }

    /// Opens a file: its bytes, or null when they are not on this device yet — the next file
    /// transfer then downloads them (`start_file_transfer`). Throws `NotFound` when no record
    /// on this device names the file.
    pub fn open_file(&self, hash: String) -> Result<Option<Vec<u8>>, SuhbatError> {
        self.run(|store, _| store.file(&hash))
    }

    /// Keeps a file on this device for offline use (downloaded at the next transfer, never
    /// evicted), or lets it go back to the ordinary budget.
    pub fn pin_file(&self, hash: String, pinned: bool) -> Result<(), SuhbatError> {
        self.run(|store, _| store.pin_file(&hash, pinned))
    }

    /// Sets how many megabytes downloaded files may take on this device (default 200); the
    /// least recently opened copies go first, never a file not sent yet or a pinned one.
    pub fn set_file_budget_mb(&self, megabytes: u32) -> Result<(), SuhbatError> {
        self.run(|store, _| store.set_file_budget(u64::from(megabytes) * 1024 * 1024))
    }

    /// Sets the longest side, in pixels, that a photo keeps when it is attached (320–8000;
    /// default 1600): larger photos are scaled down and re-encoded first.
    pub fn set_photo_max_side(&self, pixels: u32) -> Result<(), SuhbatError> {
        self.run(|store, _| store.set_image_limit(pixels))
    }

    /// Starts moving attached files (after a finished sync): uploads the files attached here
    /// that the hub lacks, then downloads the ones opened or pinned here. The sync screen
    /// shows its progress (`files_label`).
    pub fn start_file_transfer(self: Arc<Self>) -> Result<Arc<FileTransfer>, SuhbatError> {
        let core = self.run(|store, _| core_sync::FileTransfer::new(store))?;
        self.files_progress(Some(core.progress().clone()))?;
        Ok(Arc::new(FileTransfer { app: self, core: Mutex::new(core) }))
    }
}

/// Moving attached files with the hub, from `Suhbat.start_file_transfer()`. Loop:
/// `next_request()` → POST the bytes to `<hub>/v1/file` → `handle_response(answer)`, until
/// `next_request()` returns null. An interrupted transfer loses nothing: the next one resumes
/// at the first chunk the other side lacks. Blocking (disk): call off the main thread.
#[derive(uniffi::Object)]
pub struct FileTransfer {
    app: Arc<Suhbat>,
    core: Mutex<core_sync::FileTransfer>,
}

#[uniffi::export]
impl FileTransfer {
    /// The next request frame to POST to `<hub>/v1/file`, or null when every file is moved.
    pub fn next_request(&self) -> Result<Option<Vec<u8>>, SuhbatError> {
        let mut core = self.core.lock().map_err(|_| SuhbatError::poisoned())?;
        let next = self.app.run(|store, _| core.next_request(store))?;
        if next.is_none() {
            self.app.files_progress(None)?;
        }
        Ok(next)
    }

    /// Applies the hub's answer to the last request. Throws `Refused` when the hub refuses
    /// this device; a refused file is reported in `progress().refused` and the others go on.
    pub fn handle_response(&self, response: Vec<u8>) -> Result<(), SuhbatError> {
        let mut core = self.core.lock().map_err(|_| SuhbatError::poisoned())?;
        let result = self.app.run(|store, _| core.handle_response(store, &response));
        self.app.files_progress(result.is_ok().then(|| core.progress().clone()))?;
        result
    }

    /// How far it has come, and the files the hub refused.
    pub fn progress(&self) -> Result<FileTransferProgress, SuhbatError> {
        Ok(FileTransferProgress::from(self.core.lock().map_err(|_| SuhbatError::poisoned())?.report()))
    }
}
