//! The files attached to a record, as its screen lists them: what each is, its caption and
//! size, and whether it is on this device, kept for offline use, or still to be sent.

use super::labels::{choice_label, text};
use super::ViewContext;
use crate::error::{Error, Result};
use crate::ids::RecordId;
use crate::model::{mb, Attachment, AttachmentKind};
use crate::store::Store;

view_types! { $ file_view_types;

    /// One attached file.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct FileRow {
        /// SHA-256 (hex): what to ask for its bytes with, or to pin it.
        pub hash: String,
        /// "Photo", "Signature", "Audio note", "Document".
        pub kind_label: String,
        /// What it shows.
        pub caption: String,
        /// Media type (`image/jpeg`, …).
        pub media_type: String,
        /// "1.2 MB".
        pub size_label: String,
        /// "On this device", "Downloads when opened", "Not sent yet", "Kept for offline use".
        pub state_label: String,
        /// The bytes are here (opening it needs no connection).
        pub here: bool,
        /// Kept for offline use.
        pub pinned: bool,
    }

    /// The files of one record.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct FileList {
        /// Section title.
        pub title: String,
        /// The files, in the order they sort by kind and caption.
        pub rows: Vec<FileRow>,
        /// Shown when there are none.
        pub empty_text: String,
    }
}

/// The files attached to a record.
pub fn record_files(store: &mut Store, ctx: &ViewContext, record_id: &str) -> Result<FileList> {
    let locale = ctx.locale;
    let id = RecordId::parse(record_id).ok_or_else(|| Error::NotFound(record_id.to_string()))?;
    let raw = store.get_raw(&id)?;
    let mut attachments: Vec<Attachment> = raw
        .value
        .get("attachments")
        .and_then(|a| serde_json::from_value::<crate::model::Attachments>(a.clone()).ok())
        .unwrap_or_default()
        .into_values()
        .collect();
    attachments.sort_by(|a, b| (a.kind, &a.caption).cmp(&(b.kind, &b.caption)));
    let mut rows = Vec::new();
    for a in attachments {
        let state = store.file_state(&a.hash)?;
        let here = state.as_ref().is_some_and(|s| s.complete);
        let pinned = state.as_ref().is_some_and(|s| s.pinned);
        let state_key = match &state {
            Some(s) if s.local && !s.uploaded => "attachment.not_uploaded",
            Some(s) if s.pinned => "attachment.pinned",
            _ if here => "attachment.here",
            _ => "attachment.not_here",
        };
        rows.push(FileRow {
            kind_label: choice_label(locale, "attachment_kind", &a.kind),
            caption: a.caption,
            media_type: a.media_type,
            size_label: mb(a.size),
            state_label: text(locale, state_key),
            here,
            pinned,
            hash: a.hash,
        });
    }
    Ok(FileList { title: text(locale, "screen.files"), rows, empty_text: text(locale, "files.empty") })
}

/// The kind a file of `media_type` is unless said otherwise: audio, a document, or a photo.
pub fn default_attachment_kind(media_type: &str) -> AttachmentKind {
    match media_type {
        t if t.starts_with("audio/") => AttachmentKind::Audio,
        "application/pdf" => AttachmentKind::Document,
        _ => AttachmentKind::Photo,
    }
}
