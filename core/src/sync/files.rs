//! Moving attached files after the records, sans-IO like [`SyncSession`](super::SyncSession):
//! the shell asks a [`FileTransfer`] for the next request, posts it to the hub's
//! [`FILE`](crate::wire::paths::FILE) path, hands the answer back, and repeats until it is done.
//!
//! Uploads come first (the files attached here that the hub lacks), then downloads (files
//! opened or pinned here). An upload first asks how much of the file the hub already holds and
//! sends only the chunks after that, so an interrupted transfer never sends a finished chunk
//! again; a download goes on from the chunks already here. A file the hub refuses (not named by
//! a record it holds yet, not permitted) is reported and skipped; the others go on.

use crate::error::{Error, Result};
use crate::store::{file_hash, FileJob, Store};
use crate::wire::files::{FileAnswer, FileOp, FileRequest};
use crate::wire::CHUNK_BYTES;
use serde::Serialize;
use std::collections::VecDeque;

/// How far a file transfer has come (for a progress bar).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FileProgress {
    /// Files to move.
    pub files_total: u32,
    /// Files moved (or skipped after a refusal).
    pub files_done: u32,
    /// Bytes of file content to move.
    pub bytes_total: u64,
    /// Bytes of file content moved.
    pub bytes_done: u64,
    /// Bytes sent on the wire (requests).
    pub wire_sent: u64,
    /// Bytes received on the wire (answers).
    pub wire_received: u64,
}

/// What a transfer did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FileReport {
    /// Files now held whole by the hub that were not before.
    pub uploaded: u32,
    /// Files now held whole here that were not before.
    pub downloaded: u32,
    /// Files the hub refused, with its reason (hash, reason).
    pub refused: Vec<(String, String)>,
    /// The final progress.
    pub progress: FileProgress,
}

struct Job {
    file: FileJob,
    /// The operation the request that is out (or the next one) asks.
    op: Step,
}

#[derive(Clone, Copy)]
enum Step {
    Status,
    Put(u32),
    Get(u32),
}

/// A sans-IO transfer of attached files with the hub this store is enrolled with.
pub struct FileTransfer {
    hub_id: String,
    jobs: VecDeque<Job>,
    /// The nonce of the request that is out.
    nonce: Option<[u8; 16]>,
    report: FileReport,
}

impl FileTransfer {
    /// A transfer of every file this device should send or fetch now.
    pub fn new(store: &mut Store) -> Result<FileTransfer> {
        let mut jobs = VecDeque::new();
        for file in store.uploads_pending()? {
            // What the hub holds of it is learned from the first answer.
            jobs.push_back(Job { file: FileJob { held: 0, ..file }, op: Step::Status });
        }
        for file in store.downloads_wanted()? {
            let next = (file.held / CHUNK_BYTES as u64) as u32;
            jobs.push_back(Job { file, op: Step::Get(next) });
        }
        Self::with_jobs(store, jobs)
    }

    fn with_jobs(store: &Store, jobs: VecDeque<Job>) -> Result<FileTransfer> {
        let hub_id = store.hub_id()?.ok_or_else(|| Error::Protocol("this device is not enrolled with a hub".into()))?;
        let progress = FileProgress {
            files_total: jobs.len() as u32,
            bytes_total: jobs.iter().map(|j| j.file.size.saturating_sub(j.file.held)).sum(),
            ..FileProgress::default()
        };
        Ok(FileTransfer { hub_id, jobs, nonce: None, report: FileReport { progress, ..FileReport::default() } })
    }

    /// A transfer of one file named by a record, up or down, whatever this device holds of
    /// it (support tools and tests; the hub decides whether the device may have it).
    #[doc(hidden)]
    pub fn for_file(store: &mut Store, doc_id: &str, record_id: &str, hash: &str, size: u64, media_type: &str, upload: bool) -> Result<FileTransfer> {
        let file =
            FileJob { hash: file_hash(hash)?, size, media_type: media_type.to_string(), doc_id: doc_id.to_string(), record_id: record_id.to_string(), held: 0 };
        let op = if upload { Step::Status } else { Step::Get(0) };
        Self::with_jobs(store, VecDeque::from([Job { file, op }]))
    }

    /// How far it has come.
    pub fn progress(&self) -> &FileProgress {
        &self.report.progress
    }

    /// What it did so far.
    pub fn report(&self) -> &FileReport {
        &self.report
    }

    /// The next request to send, or `None` when every file is moved.
    pub fn next_request(&mut self, store: &mut Store) -> Result<Option<Vec<u8>>> {
        if self.nonce.is_some() {
            return Err(Error::Protocol("a file request is still waiting for its answer".into()));
        }
        let Some(job) = self.jobs.front() else { return Ok(None) };
        let op = match job.op {
            Step::Status => FileOp::Status,
            Step::Get(index) => FileOp::Get { index },
            Step::Put(index) => FileOp::Put { index, bytes: store.file_chunk(&job.file.hash, index)? },
        };
        let header = super::request_header(store, 0, false, [0; 32]);
        let nonce = header.nonce;
        let file = &job.file;
        let request = FileRequest {
            header,
            doc_id: file.doc_id.clone(),
            record_id: file.record_id.clone(),
            hash: file.hash,
            size: file.size,
            media_type: file.media_type.clone(),
            op,
        };
        let bytes = request.encode_signed(|message| store.sign(message));
        self.report.progress.wire_sent += bytes.len() as u64;
        self.nonce = Some(nonce);
        Ok(Some(bytes))
    }

    /// Applies the hub's answer to the request that is out.
    pub fn handle_response(&mut self, store: &mut Store, bytes: &[u8]) -> Result<()> {
        let nonce = self.nonce.take().ok_or_else(|| Error::Protocol("an answer arrived but no file request is waiting".into()))?;
        self.report.progress.wire_received += bytes.len() as u64;
        let (answer, hub_key) = FileAnswer::decode_signed(bytes)?;
        if store.hub_key()? != Some(hub_key) || answer.hub_id != self.hub_id {
            return Err(Error::Protocol("the file answer is not signed by this device's hub".into()));
        }
        if answer.nonce != nonce {
            return Err(Error::Protocol("the file answer is not for the request that is out (replayed or mismatched); it was not applied".into()));
        }
        let Some(mut job) = self.jobs.pop_front() else { return Ok(()) };
        if let Some((code, message)) = answer.refusal {
            if matches!(code.as_str(), "not-authenticated" | "revoked" | "clock-skew" | "replay") {
                return Err(Error::Refused { code, message, wipe: false });
            }
            self.report.refused.push((hex::encode(job.file.hash), message));
            self.finish(&job, false);
            return Ok(());
        }
        match job.op {
            Step::Status | Step::Put(_) => {
                let before = job.file.held;
                job.file.held = answer.received.min(job.file.size);
                if matches!(job.op, Step::Status) {
                    // Chunks the hub got in an earlier, interrupted transfer are not sent again.
                    self.report.progress.bytes_total = self.report.progress.bytes_total.saturating_sub(job.file.held);
                } else {
                    self.report.progress.bytes_done += job.file.held.saturating_sub(before);
                }
                if answer.complete {
                    store.mark_uploaded(&job.file.hash)?;
                    self.report.uploaded += 1;
                    self.finish(&job, true);
                    return Ok(());
                }
                job.op = Step::Put((job.file.held / CHUNK_BYTES as u64) as u32);
            }
            Step::Get(index) => {
                let complete = store.add_downloaded_chunk(&job.file.hash, index, &answer.chunk)?;
                self.report.progress.bytes_done += answer.chunk.len() as u64;
                if complete {
                    self.report.downloaded += 1;
                    self.finish(&job, true);
                    return Ok(());
                }
                // Not whole yet: add_downloaded_chunk has checked this was not the last chunk.
                job.op = Step::Get(index + 1);
            }
        }
        self.jobs.push_front(job);
        Ok(())
    }

    /// Counts a job done; one that moved nothing more takes what it left out of the total.
    fn finish(&mut self, job: &Job, moved: bool) {
        self.report.progress.files_done += 1;
        if !moved {
            let left = job.file.size.saturating_sub(job.file.held);
            self.report.progress.bytes_total = self.report.progress.bytes_total.saturating_sub(left);
        }
    }
}
