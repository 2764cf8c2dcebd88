//! Files attached to a record: a photo of a document, a signature of consent, a short audio
//! note, a PDF. The record holds only a reference (content hash, size, type, caption); the
//! bytes live apart, encrypted in the device store and on the hub, and move lazily after the
//! records (`store/attachments.rs`, `sync/attachments.rs`).
//!
//! A record's attachments are a map keyed by the content hash, so two phones attaching files
//! at once merge, and the same file attached twice is one entry.

use super::Rules;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A record's attachments, keyed by the content's SHA-256 (hex).
pub type Attachments = BTreeMap<String, Attachment>;

/// Largest file one attachment may hold (after an image is downscaled).
pub const MAX_ATTACHMENT_BYTES: u64 = 10 * 1024 * 1024;
/// Most attachments one record may hold.
pub const MAX_ATTACHMENTS_PER_RECORD: usize = 20;
/// Most bytes the attachments of one record may hold together.
pub const MAX_RECORD_ATTACHMENT_BYTES: u64 = 40 * 1024 * 1024;
/// Longest caption, in characters.
const MAX_CAPTION_CHARS: usize = 500;

/// What an attachment is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttachmentKind {
    /// A photo (of a document, a place).
    #[default]
    Photo,
    /// A signature of consent, as an image.
    Signature,
    /// A short audio note.
    Audio,
    /// A document (PDF).
    Document,
}

/// A reference to an attached file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Attachment {
    /// SHA-256 of the bytes, lower-case hex (also its key in the record's map).
    pub hash: String,
    /// Size in bytes.
    pub size: u64,
    /// Media type (`image/jpeg`, `image/png`, `audio/mp4`, `audio/mpeg`, `audio/ogg`, `application/pdf`).
    pub media_type: String,
    /// What it is.
    pub kind: AttachmentKind,
    /// What it shows, in the user's words.
    pub caption: String,
}

/// The media types an attachment may have, with the kinds each may be.
const MEDIA_TYPES: &[(&str, &[AttachmentKind])] = &[
    ("image/jpeg", &[AttachmentKind::Photo, AttachmentKind::Signature]),
    ("image/png", &[AttachmentKind::Photo, AttachmentKind::Signature]),
    ("audio/mp4", &[AttachmentKind::Audio]),
    ("audio/mpeg", &[AttachmentKind::Audio]),
    ("audio/ogg", &[AttachmentKind::Audio]),
    ("application/pdf", &[AttachmentKind::Document]),
];

/// Whether `media_type` may be attached at all.
pub fn is_attachable(media_type: &str) -> bool {
    MEDIA_TYPES.iter().any(|(t, _)| *t == media_type)
}

/// Whether `hash` looks like a SHA-256 in lower-case hex.
pub(crate) fn is_content_hash(hash: &str) -> bool {
    hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Checks a record's attachments: well-formed references, allowed types, and the caps per file
/// and per record (the same on the device and on the hub).
pub(crate) fn check_attachments(attachments: &Attachments, rules: &mut Rules) {
    if attachments.len() > MAX_ATTACHMENTS_PER_RECORD {
        rules.fail(
            "attachments",
            "validation.too_many_attachments",
            vec![("max", MAX_ATTACHMENTS_PER_RECORD.to_string()), ("count", attachments.len().to_string())],
        );
    }
    let total: u64 = attachments.values().map(|a| a.size).sum();
    if total > MAX_RECORD_ATTACHMENT_BYTES {
        rules.fail("attachments", "validation.attachments_too_large", vec![("max", mb(MAX_RECORD_ATTACHMENT_BYTES)), ("size", mb(total))]);
    }
    for (key, a) in attachments {
        let field = format!("attachments/{key}");
        if !is_content_hash(key) || a.hash != *key {
            rules.fail(field.clone(), "validation.attachment_hash", vec![]);
        }
        if a.size == 0 || a.size > MAX_ATTACHMENT_BYTES {
            rules.fail(field.clone(), "validation.attachment_size", vec![("max", mb(MAX_ATTACHMENT_BYTES)), ("size", mb(a.size))]);
        }
        match MEDIA_TYPES.iter().find(|(t, _)| *t == a.media_type) {
            None => rules.fail(field.clone(), "validation.attachment_type", vec![("value", a.media_type.clone())]),
            Some((_, kinds)) if !kinds.contains(&a.kind) => rules.fail(field.clone(), "validation.attachment_type", vec![("value", a.media_type.clone())]),
            Some(_) => {}
        }
        rules.max_len(format!("{field}/caption"), &a.caption, MAX_CAPTION_CHARS);
    }
}

/// A refusal of an attachment as a field error on `attachments`.
pub(crate) fn attachment_error(key: &'static str, params: Vec<(&'static str, String)>) -> super::ValidationErrors {
    super::ValidationErrors(vec![super::FieldError { field: "attachments".into(), key, params }])
}

/// Bytes as megabytes with one decimal ("10.0 MB").
pub(crate) fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
}
