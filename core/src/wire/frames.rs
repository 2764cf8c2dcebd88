//! The sync and enrolment messages, on the bounded [codec](super::codec).
//!
//! A request is signed: its frame body is the encoded request followed by the device's
//! Ed25519 signature over exactly those bytes. The bulk of a request and the whole of an answer
//! are [packed](super::packed) before they are signed, so nothing is inflated before its
//! signature is checked.

use super::packed::{pack, unpack};
use super::{decode_hash, AuditLink, ChangeSignature, DocPayload, MessageKind, Reader, WireError, Writer, MAX_DOCS_PER_MESSAGE, MAX_ID_LEN};
use crate::doc::ChangeBudget;
use crate::error::{Error, Result};
use crate::sync::authors::AuthorEntry;
use automerge::{Change, ChangeHash};

/// Most heads one document may list.
const MAX_HEADS: usize = 1_000;
/// Longest free text (reasons, names) in a frame.
const MAX_TEXT: usize = 4_096;
/// Most wanted files one answer names.
pub(crate) const MAX_FILES_WANTED: usize = 1_000;

fn write_heads(w: &mut Writer, heads: &[ChangeHash]) {
    w.u32(heads.len() as u32);
    for h in heads {
        w.bytes(&h.0);
    }
}

fn read_heads(r: &mut Reader<'_>) -> Result<Vec<ChangeHash>, WireError> {
    let n = r.count("head count", MAX_HEADS)?;
    (0..n).map(|_| decode_hash(r.bytes("head", 32)?)).collect()
}

pub(crate) fn read_fixed<const N: usize>(r: &mut Reader<'_>, what: &'static str) -> Result<[u8; N], WireError> {
    r.bytes(what, N)?.try_into().map_err(|_| WireError::Invalid { what, reason: format!("not {N} bytes") })
}

/// What a device offers for one document: its heads and the changes the hub may lack.
pub(crate) struct DocOffer {
    pub doc_id: String,
    pub heads: Vec<ChangeHash>,
    pub changes: Vec<Change>,
}

/// A device's sync request (before signing).
pub(crate) struct SyncRequest {
    /// Who sends it, when, and what it says of the device's state.
    pub header: RequestHeader,
    pub offers: Vec<DocOffer>,
    pub signatures: Vec<ChangeSignature>,
    /// The next entries of the device's audit chain, for the hub to keep ("who saw what").
    /// `None` from a device older than this section (the hub then answers without an ack).
    pub audit: Option<Vec<AuditLink>>,
}

impl SyncRequest {
    /// The signed part: the header as it is (the hub reads it to find the device's key), then
    /// the offers and signatures [packed](super::packed).
    fn encode_inner(&self) -> Vec<u8> {
        let mut body = Writer::default();
        body.u32(self.offers.len() as u32);
        for offer in &self.offers {
            body.str(&offer.doc_id);
            write_heads(&mut body, &offer.heads);
            DocPayload::write_changes(&mut body, &offer.changes);
        }
        ChangeSignature::write_all(&mut body, &self.signatures);
        if let Some(audit) = &self.audit {
            AuditLink::write_all(&mut body, audit);
        }
        let mut w = Writer::default();
        self.header.write(&mut w);
        w.bytes(&pack(&body.finish(MessageKind::SyncRequest)));
        w.finish(MessageKind::SyncRequest)
    }

    /// Encodes and signs with `sign`.
    pub(crate) fn encode_signed(&self, sign: impl Fn(&[u8]) -> [u8; 64]) -> Vec<u8> {
        sign_request(self.encode_inner(), MessageKind::SyncRequest, sign)
    }

    /// Splits a signed request into the signed bytes, the signature and the header; the
    /// offered changes stay undecoded until the hub has checked who signed them.
    pub(crate) fn open_signed(bytes: &[u8]) -> Result<SignedRequest<'_>> {
        SignedRequest::open(bytes, MessageKind::SyncRequest, crate::wire::MAX_MESSAGE_BYTES)
    }
}

/// The hub's answer frame of `kind`: the encoded answer (`inner`), the hub's public key and its
/// signature over exactly those bytes.
pub(crate) fn sign_answer(inner: Vec<u8>, kind: MessageKind, hub_key: &[u8; 32], sign: impl Fn(&[u8]) -> [u8; 64]) -> Vec<u8> {
    let signature = sign(&inner);
    let mut w = Writer::default();
    w.bytes(&inner).bytes(hub_key).bytes(&signature);
    w.finish(kind)
}

/// Checks the signature of a [signed answer frame](sign_answer) of `kind` (its signed part at
/// most `cap` bytes) before anything of it is read; returns the signed bytes and the key that
/// signed them (the device checks that key is its hub's).
pub(crate) fn open_signed_answer(bytes: &[u8], kind: MessageKind, cap: usize) -> Result<(&[u8], [u8; 32])> {
    let mut outer = Reader::open(bytes, kind)?;
    let inner = outer.bytes("signed answer", cap)?;
    let hub_key = read_fixed::<32>(&mut outer, "hub key")?;
    let signature = read_fixed::<64>(&mut outer, "answer signature")?;
    outer.finish()?;
    if !crate::security::verify(&hub_key, inner, &signature) {
        return Err(WireError::Invalid { what: "answer signature", reason: "does not verify: the answer was damaged or altered on the way".into() }.into());
    }
    Ok((inner, hub_key))
}

/// A device's request frame of `kind`: the encoded request (`inner`, starting with its
/// [`RequestHeader`]) and the device's signature over exactly those bytes.
pub(crate) fn sign_request(inner: Vec<u8>, kind: MessageKind, sign: impl Fn(&[u8]) -> [u8; 64]) -> Vec<u8> {
    let signature = sign(&inner);
    let mut w = Writer::default();
    w.bytes(&inner).bytes(&signature);
    w.finish(kind)
}

/// The fields of a sync request read before its signature is checked (small and bounded).
#[derive(Clone)]
pub(crate) struct RequestHeader {
    pub device_id: String,
    /// The Automerge actor (hex) this install writes with now: a device takes a fresh one after
    /// a clone or restore is found, and the hub registers it to the device.
    pub actor: String,
    pub sent_at: i64,
    pub nonce: [u8; 16],
    pub round: u8,
    /// The offers cover every document the device holds (summary mode).
    pub full: bool,
    /// Hash over the device's recorded (document, synced heads) pairs.
    pub digest: [u8; 32],
}

impl RequestHeader {
    pub(crate) fn write(&self, w: &mut Writer) {
        w.str(&self.device_id).str(&self.actor).u64(self.sent_at as u64).bytes(&self.nonce).u8(self.round).u8(self.full as u8).bytes(&self.digest);
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<RequestHeader> {
        Ok(RequestHeader {
            device_id: r.str("device id", MAX_ID_LEN)?.to_string(),
            actor: r.str("actor", MAX_ID_LEN)?.to_string(),
            sent_at: r.u64("sent at")? as i64,
            nonce: read_fixed::<16>(r, "nonce")?,
            round: r.u8("round")?,
            full: r.u8("full flag")? != 0,
            digest: read_fixed::<32>(r, "digest")?,
        })
    }
}

/// A signed sync request whose offers are not decoded yet.
pub(crate) struct SignedRequest<'a> {
    /// The exact bytes the device signed.
    pub signed: &'a [u8],
    pub signature: [u8; 64],
    pub header: RequestHeader,
}

impl<'a> SignedRequest<'a> {
    /// Splits a [signed request frame](sign_request) of `kind` (its signed part at most `cap`
    /// bytes) into the signed bytes, the signature and the header, read before anything else.
    pub(crate) fn open(bytes: &'a [u8], kind: MessageKind, cap: usize) -> Result<SignedRequest<'a>> {
        let mut outer = Reader::open(bytes, kind)?;
        let inner = outer.bytes("signed request", cap)?;
        let signature = read_fixed::<64>(&mut outer, "request signature")?;
        outer.finish()?;
        let mut r = Reader::open(inner, kind)?;
        let header = RequestHeader::read(&mut r)?;
        Ok(SignedRequest { signed: inner, signature, header })
    }

    /// Decodes the offers and signatures. Every change is size-checked first, against one
    /// budget for the whole request, before any is decoded.
    pub(crate) fn decode_body(&self) -> Result<SyncRequest> {
        let mut r = Reader::open(self.signed, MessageKind::SyncRequest)?;
        RequestHeader::read(&mut r)?;
        let packed = r.bytes("packed offers", crate::wire::MAX_MESSAGE_BYTES)?;
        r.finish()?;
        let body = unpack(packed, "packed offers")?;

        let mut r = Reader::open(&body, MessageKind::SyncRequest)?;
        let mut budget = ChangeBudget::for_message();
        for _ in 0..r.count("offer count", MAX_DOCS_PER_MESSAGE)? {
            let doc_id = r.str("document id", MAX_ID_LEN)?;
            read_heads(&mut r)?;
            DocPayload::check_changes(&mut r, doc_id, &mut budget)?;
        }

        let mut r = Reader::open(&body, MessageKind::SyncRequest)?;
        let mut budget = ChangeBudget::for_message();
        let count = r.count("offer count", MAX_DOCS_PER_MESSAGE)?;
        let mut offers = Vec::with_capacity(count.min(1024));
        for _ in 0..count {
            let doc_id = r.str("document id", MAX_ID_LEN)?.to_string();
            let heads = read_heads(&mut r)?;
            let changes = DocPayload::read_changes_within(&mut r, &doc_id, &mut budget)?;
            offers.push(DocOffer { doc_id, heads, changes });
        }
        let signatures = ChangeSignature::read_all(&mut r)?;
        let audit = if r.at_end() { None } else { Some(AuditLink::read_all(&mut r)?) };
        r.finish()?;
        Ok(SyncRequest { header: self.header.clone(), offers, signatures, audit })
    }
}

/// What the hub says about one document.
pub(crate) struct DocReply {
    pub doc_id: String,
    /// Discard the local copy first (it held changes the hub refused).
    pub replace: bool,
    pub payload: DocPayload,
    /// The hub's heads after this exchange; the device records them as synced.
    pub hub_heads: Vec<ChangeHash>,
    /// The hub lacks changes of this document: send everything since these heads.
    pub want_since: Option<Vec<ChangeHash>>,
}

/// Why the hub refused a change.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Rejection {
    /// The bucket document.
    pub doc_id: String,
    /// The change (hex hash), when one change is meant.
    pub change: Option<String>,
    /// The record the refused change touched, when the refusal is about one record.
    pub record: Option<String>,
    /// What kind of refusal it is; it decides what the device does with its own work.
    pub kind: RejectionKind,
    /// The reason, in words.
    pub reason: String,
}

/// What kind of refusal a [`Rejection`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RejectionKind {
    /// The change itself breaks a rule: the device keeps what it did aside, for the user to see.
    Refused,
    /// The change is fine but builds on a refused one: the device re-applies it as a new change.
    FollowsRefused,
    /// Another change has the same author and number (a cloned or restored install): the
    /// device takes a fresh actor id and re-applies its work under it.
    DuplicateActor,
}

impl RejectionKind {
    fn code(self) -> u8 {
        match self {
            RejectionKind::Refused => 0,
            RejectionKind::FollowsRefused => 1,
            RejectionKind::DuplicateActor => 2,
        }
    }

    fn from_code(code: u8) -> Option<RejectionKind> {
        Some(match code {
            0 => RejectionKind::Refused,
            1 => RejectionKind::FollowsRefused,
            2 => RejectionKind::DuplicateActor,
            _ => return None,
        })
    }
}

/// Where the exchange stands after a response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Status {
    Done = 0,
    NeedSummary = 1,
    NeedChanges = 2,
    Refused = 3,
}

/// Why the hub refused a whole request.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Refusal {
    /// Machine-readable code: `not-authenticated`, `revoked`, `replay`,
    /// `clock-skew`, `malformed`, `bad-code`.
    pub code: String,
    /// The explanation.
    pub message: String,
    /// The device must wipe its data for this hub's scope.
    pub wipe: bool,
}

/// The role and scopes the hub grants a device now. Every answer carries them, so a device
/// learns of a reassignment at its next sync.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Assignment {
    pub role: String,
    pub scopes: Vec<String>,
}

/// The hub's answer to a sync request.
pub(crate) struct SyncResponse {
    pub hub_id: String,
    pub status: Status,
    pub refusal: Option<Refusal>,
    pub replies: Vec<DocReply>,
    pub revoked: Vec<String>,
    pub rejected: Vec<Rejection>,
    /// The signatures of every change the replies deliver, so the device can offer those
    /// changes again, verifiably, to a hub restored from a backup.
    pub signatures: Vec<ChangeSignature>,
    /// The device's current role and scopes (absent in a refusal).
    pub assignment: Option<Assignment>,
    /// The nonce of the request this answers (zero when the request could not be read).
    pub nonce: [u8; 16],
    /// Who wrote the changes the replies deliver: each actor's device, key, role and grants.
    pub authors: Vec<AuthorEntry>,
    /// How far the hub holds the device's audit chain (the last entry's seq), when the request
    /// carried an audit section.
    pub audit_held: Option<i64>,
    /// Files devices asked for that the hub does not hold whole (a phone that has one sends it
    /// again); sent with `audit_held`.
    pub files_wanted: Vec<[u8; 32]>,
}

impl SyncResponse {
    pub(crate) fn refused(hub_id: &str, code: &str, message: impl Into<String>, wipe: bool) -> Self {
        SyncResponse {
            hub_id: hub_id.to_string(),
            status: Status::Refused,
            refusal: Some(Refusal { code: code.into(), message: message.into(), wipe }),
            replies: vec![],
            revoked: vec![],
            rejected: vec![],
            signatures: vec![],
            assignment: None,
            nonce: [0; 16],
            authors: vec![],
            audit_held: None,
            files_wanted: vec![],
        }
    }

    /// Encodes the answer and signs it with the hub's key: the frame body is the encoded answer
    /// [packed](super::packed), the hub's public key and its Ed25519 signature over the packed
    /// answer (the device checks it before it inflates anything).
    pub(crate) fn encode_signed(&self, hub_key: &[u8; 32], sign: impl Fn(&[u8]) -> [u8; 64]) -> Vec<u8> {
        sign_answer(pack(&self.encode_inner()), MessageKind::SyncResponse, hub_key, sign)
    }

    /// Decodes a signed answer after checking its signature; returns it with the key that
    /// signed it (the device checks that key is its hub's). Nothing of the answer is read
    /// before the signature is checked.
    pub(crate) fn decode_signed(bytes: &[u8]) -> Result<(SyncResponse, [u8; 32])> {
        let (inner, hub_key) = open_signed_answer(bytes, MessageKind::SyncResponse, crate::wire::MAX_MESSAGE_BYTES)?;
        Ok((Self::decode(&unpack(inner, "packed answer")?)?, hub_key))
    }

    fn encode_inner(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.bytes(&self.nonce);
        w.str(&self.hub_id).u8(self.status as u8);
        match &self.refusal {
            Some(r) => {
                w.u8(1).str(&r.code).str(&r.message).u8(r.wipe as u8);
            }
            None => {
                w.u8(0);
            }
        }
        w.u32(self.replies.len() as u32);
        for reply in &self.replies {
            w.str(&reply.doc_id).u8(reply.replace as u8);
            reply.payload.write(&mut w);
            write_heads(&mut w, &reply.hub_heads);
            match &reply.want_since {
                Some(heads) => {
                    w.u8(1);
                    write_heads(&mut w, heads);
                }
                None => {
                    w.u8(0);
                }
            }
        }
        w.u32(self.revoked.len() as u32);
        for doc in &self.revoked {
            w.str(doc);
        }
        w.u32(self.rejected.len() as u32);
        for rej in &self.rejected {
            w.str(&rej.doc_id).str(rej.change.as_deref().unwrap_or("")).str(rej.record.as_deref().unwrap_or("")).u8(rej.kind.code()).str(&rej.reason);
        }
        ChangeSignature::write_all(&mut w, &self.signatures);
        match &self.assignment {
            Some(a) => {
                w.u8(1).str(&a.role).str(&a.scopes.join(","));
            }
            None => {
                w.u8(0);
            }
        }
        AuthorEntry::write_all(&mut w, &self.authors);
        if let Some(held) = self.audit_held {
            w.u64(held as u64);
            w.u32(self.files_wanted.len() as u32);
            for hash in &self.files_wanted {
                w.bytes(hash);
            }
        }
        w.finish(MessageKind::SyncResponse)
    }

    fn decode(bytes: &[u8]) -> Result<SyncResponse> {
        let mut r = Reader::open(bytes, MessageKind::SyncResponse)?;
        let nonce = read_fixed::<16>(&mut r, "nonce")?;
        let hub_id = r.str("hub id", MAX_ID_LEN)?.to_string();
        let status = match r.u8("status")? {
            0 => Status::Done,
            1 => Status::NeedSummary,
            2 => Status::NeedChanges,
            3 => Status::Refused,
            other => return Err(WireError::Invalid { what: "status", reason: format!("unknown status {other}") }.into()),
        };
        let refusal = match r.u8("refusal flag")? {
            0 => None,
            _ => Some(Refusal {
                code: r.str("refusal code", MAX_ID_LEN)?.to_string(),
                message: r.str("refusal message", MAX_TEXT)?.to_string(),
                wipe: r.u8("wipe flag")? != 0,
            }),
        };
        let count = r.count("reply count", MAX_DOCS_PER_MESSAGE)?;
        let mut replies = Vec::with_capacity(count.min(1024));
        for _ in 0..count {
            let doc_id = r.str("document id", MAX_ID_LEN)?.to_string();
            if crate::doc::BucketId::parse(&doc_id).is_none() {
                return Err(Error::Malformed(WireError::Invalid { what: "document id", reason: format!("{doc_id:?} is not a bucket id") }));
            }
            let replace = r.u8("replace flag")? != 0;
            let payload = DocPayload::read(&mut r, &doc_id)?;
            let hub_heads = read_heads(&mut r)?;
            let want_since = match r.u8("want flag")? {
                0 => None,
                _ => Some(read_heads(&mut r)?),
            };
            replies.push(DocReply { doc_id, replace, payload, hub_heads, want_since });
        }
        let n = r.count("revoked count", MAX_DOCS_PER_MESSAGE)?;
        let revoked = (0..n).map(|_| r.str("revoked document", MAX_ID_LEN).map(String::from)).collect::<Result<Vec<_>, _>>()?;
        let n = r.count("rejection count", MAX_DOCS_PER_MESSAGE)?;
        let mut rejected = Vec::with_capacity(n.min(1024));
        for _ in 0..n {
            let doc_id = r.str("rejected document", MAX_ID_LEN)?.to_string();
            let change = r.str("rejected change", 64)?;
            let record = r.str("rejected record", MAX_ID_LEN)?;
            let kind = r.u8("rejection kind")?;
            let kind = RejectionKind::from_code(kind).ok_or_else(|| WireError::Invalid { what: "rejection kind", reason: format!("unknown kind {kind}") })?;
            let reason = r.str("reason", MAX_TEXT)?.to_string();
            let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
            rejected.push(Rejection { doc_id, change: some(change), record: some(record), kind, reason });
        }
        let signatures = ChangeSignature::read_all(&mut r)?;
        let assignment = match r.u8("assignment flag")? {
            0 => None,
            _ => Some(Assignment {
                role: r.str("role", MAX_ID_LEN)?.to_string(),
                scopes: r.str("scopes", MAX_TEXT)?.split(',').filter(|s| !s.is_empty()).map(String::from).collect(),
            }),
        };
        let authors = AuthorEntry::read_all(&mut r)?;
        let audit_held = if r.at_end() { None } else { Some(r.u64("audit held")? as i64) };
        let files_wanted = match audit_held {
            Some(_) => (0..r.count("wanted file count", MAX_FILES_WANTED)?).map(|_| read_fixed::<32>(&mut r, "wanted file")).collect::<Result<Vec<_>, _>>()?,
            None => Vec::new(),
        };
        r.finish()?;
        if status == Status::Refused && refusal.is_none() {
            return Err(WireError::Invalid { what: "status", reason: "refused without a reason".into() }.into());
        }
        Ok(SyncResponse { hub_id, status, refusal, replies, revoked, rejected, signatures, assignment, nonce, authors, audit_held, files_wanted })
    }
}

/// A device asking to join a hub with a one-time code.
pub(crate) struct EnrolRequest {
    pub code: String,
    pub device_id: String,
    pub public_key: [u8; 32],
    pub actor: String,
    /// Signature over code + device id + actor with the device key (proof of possession).
    pub proof: [u8; 64],
}

/// The bytes an enrolment proof signs.
pub(crate) fn enrol_proof_message(code: &str, device_id: &str, actor: &str) -> Vec<u8> {
    format!("suhbat-enrol-v1\n{code}\n{device_id}\n{actor}").into_bytes()
}

impl EnrolRequest {
    pub(crate) fn encode(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.str(&self.code).str(&self.device_id).bytes(&self.public_key).str(&self.actor).bytes(&self.proof);
        w.finish(MessageKind::Enrol)
    }

    pub(crate) fn decode(bytes: &[u8]) -> Result<EnrolRequest> {
        let mut r = Reader::open(bytes, MessageKind::Enrol)?;
        let request = EnrolRequest {
            code: r.str("code", 64)?.to_string(),
            device_id: r.str("device id", MAX_ID_LEN)?.to_string(),
            public_key: read_fixed::<32>(&mut r, "public key")?,
            actor: r.str("actor", 64)?.to_string(),
            proof: read_fixed::<64>(&mut r, "proof")?,
        };
        r.finish()?;
        Ok(request)
    }
}

/// What the hub assigned to an enrolled device.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Enrolment {
    /// The hub's id.
    pub hub_id: String,
    /// The person the code was made for.
    pub person: String,
    /// Their role.
    pub role: String,
    /// Their mahalla scopes.
    pub scopes: Vec<String>,
    /// The short fingerprint of the hub's key, which signs every sync answer.
    pub hub_fingerprint: String,
}

/// The hub's answer to an enrolment: the assignment, or a refusal.
pub(crate) enum EnrolResponse {
    /// The assignment and the hub's public key.
    Accepted(Enrolment, [u8; 32]),
    Refused(Refusal),
}

impl EnrolResponse {
    pub(crate) fn encode(&self) -> Vec<u8> {
        let mut w = Writer::default();
        match self {
            EnrolResponse::Accepted(e, hub_key) => {
                w.u8(0).str(&e.hub_id).str(&e.person).str(&e.role).str(&e.scopes.join(",")).bytes(hub_key);
            }
            EnrolResponse::Refused(r) => {
                w.u8(1).str(&r.code).str(&r.message);
            }
        }
        w.finish(MessageKind::EnrolReply)
    }

    pub(crate) fn decode(bytes: &[u8]) -> Result<EnrolResponse> {
        let mut r = Reader::open(bytes, MessageKind::EnrolReply)?;
        let response = match r.u8("enrol status")? {
            0 => {
                let hub_id = r.str("hub id", MAX_ID_LEN)?.to_string();
                let person = r.str("person", MAX_TEXT)?.to_string();
                let role = r.str("role", MAX_ID_LEN)?.to_string();
                let scopes = r.str("scopes", MAX_TEXT)?.split(',').filter(|s| !s.is_empty()).map(String::from).collect();
                let hub_key = read_fixed::<32>(&mut r, "hub key")?;
                let hub_fingerprint = crate::sync::fingerprint(&hub_key);
                EnrolResponse::Accepted(Enrolment { hub_id, person, role, scopes, hub_fingerprint }, hub_key)
            }
            _ => EnrolResponse::Refused(Refusal {
                code: r.str("refusal code", MAX_ID_LEN)?.to_string(),
                message: r.str("refusal message", MAX_TEXT)?.to_string(),
                wipe: false,
            }),
        };
        r.finish()?;
        Ok(response)
    }
}
