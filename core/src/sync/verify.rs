//! The device's checks on every change it receives, in a bundle or a sync answer: the same
//! checks the hub runs on an offer ([`check_offer`]): the author's signature, the author's
//! role and scope for the document (the same [`access`](crate::access) rules), and the record
//! rules. The authors come from the device's directory ([`authors`](super::authors)), from
//! the message itself (vetted by the caller) and from this install's own actors.

use super::authors::{self, AuthorEntry};
use super::hub::{DeviceRow, Grant};
use super::parallel;
use super::validate::{check_new_snapshot, check_offer, ChangeHeader, Verdict};
use crate::access::ALL_SCOPES;
use crate::device::Role;
use crate::doc::base_actor_hex;
use crate::error::{Error, Result};
use crate::store::{KeptAside, LoadedDoc, Store};
use crate::wire::frames::{DocOffer, Rejection, RejectionKind};
use crate::wire::ChangeSignature;
use crate::wire::DocPayload;
use automerge::{ActorId, Automerge, Change, ChangeHash, LoadOptions, OnPartialLoad, VerificationMode};
use std::collections::{BTreeSet, HashMap};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// The changes of a payload, decoded and checked by Automerge (a snapshot is loaded).
pub(crate) fn payload_changes(doc_id: &str, payload: &DocPayload) -> Result<Vec<Change>> {
    match payload {
        DocPayload::Changes(changes) => Ok(changes.clone()),
        DocPayload::Snapshot(bytes) => Ok(load_snapshot(doc_id, bytes)?.get_changes(&[])),
    }
}

/// A snapshot loaded with every change hash verified (its heads must be the changes' heads).
fn load_snapshot(doc_id: &str, bytes: &[u8]) -> Result<Automerge> {
    let loaded = catch_unwind(AssertUnwindSafe(|| {
        let options = LoadOptions::new().on_partial_load(OnPartialLoad::Error).verification_mode(VerificationMode::Check);
        Automerge::load_with_options(bytes, options)
    }));
    match loaded {
        Ok(Ok(doc)) => Ok(doc),
        Ok(Err(e)) => Err(Error::Malformed(crate::wire::WireError::Invalid { what: "document snapshot", reason: format!("{doc_id}: {e}") })),
        Err(_) => Err(Error::Malformed(crate::wire::WireError::Invalid { what: "document snapshot", reason: format!("{doc_id}: unreadable") })),
    }
}

/// The record limit the checks apply: none, as it is the store's own check when it merges (a
/// `LimitExceeded`, not a fault of the author).
const MAX_RECORDS: usize = usize::MAX;

/// What the checks decided for the received documents.
pub(crate) struct Checked {
    /// What may be applied (a document's payload as it came when every change passed).
    pub accept: Vec<(String, DocPayload)>,
    /// Changes refused, with the reason (and those that build on them), and who wrote each
    /// (a device id, or the unknown actor).
    pub refused: Vec<(Rejection, String)>,
    /// Documents where a change has the same author and number as one this device holds
    /// (a cloned or restored install).
    pub cloned: Vec<(String, String)>,
    /// Documents whose changes build on changes this device does not hold.
    pub missing_base: Vec<String>,
    /// The documents loaded (and checked) from accepted snapshots, by id, with the records the
    /// checks read: merged as they are instead of being loaded and read a second time.
    pub loaded: HashMap<String, LoadedDoc>,
}

/// The row this install's own changes are checked against: its role now (for the rules on
/// who takes which step), and the right to have written any document (each change was
/// checked when it was made, maybe under a role or scope the device held before).
fn own_row(store: &Store) -> DeviceRow {
    DeviceRow {
        device_id: store.device.device_id.clone(),
        role: Some(store.device.profile.role),
        scopes: store.device.profile.scopes.clone(),
        public_key: store.public_key().to_vec(),
        revoked: false,
        is_hub: false,
        grants: vec![Grant { role: Some(Role::Supervisor), scopes: vec![ALL_SCOPES.into()], valid_until: i64::MAX }],
    }
}

/// How far the authors a message names are trusted, and what the changes are checked against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Trust {
    /// A bundle: the directory first, the bundle's (vetted) entries only for devices it lacks.
    Bundle,
    /// A sync answer (signed by the hub): its entries first. The hub accepted every change it
    /// holds while its author was active, so a revoked author's earlier work still counts.
    Hub,
    /// The hub's whole copy of a document that replaces this device's: as [`Trust::Hub`],
    /// checked as if this device held nothing of the document.
    HubCopy,
}

/// The authors of changes by `actors`: this install, then the directory and `entries` (from the
/// message) in the order `trust` says.
fn resolve_authors<'a>(store: &Store, actors: impl Iterator<Item = &'a ActorId>, entries: &[AuthorEntry], trust: Trust) -> Result<HashMap<String, DeviceRow>> {
    let own: BTreeSet<String> = store.own_actors()?.iter().map(|a| a.to_hex_string()).collect();
    let mut out = HashMap::new();
    for actor in actors {
        let actor = base_actor_hex(actor);
        if out.contains_key(&actor) {
            continue;
        }
        let named = || entries.iter().find(|e| e.actor == actor).map(AuthorEntry::to_row);
        let row = if own.contains(&actor) {
            Some(own_row(store))
        } else if trust == Trust::Bundle {
            store.directory_author(&actor)?.or_else(named)
        } else {
            named().or(store.directory_author(&actor)?).map(|row| DeviceRow { revoked: false, ..row })
        };
        if let Some(row) = row {
            out.insert(actor, row);
        }
    }
    Ok(out)
}

/// Checks every received change with the hub's rules. `relay` is who handed the changes over
/// (the hub, or a bundle's sender): it too must be allowed to write each document.
pub(crate) fn check_received(
    store: &mut Store,
    relay: &DeviceRow,
    incoming: Vec<(String, DocPayload)>,
    signatures: &[ChangeSignature],
    entries: &[AuthorEntry],
    trust: Trust,
) -> Result<Checked> {
    let signatures: HashMap<ChangeHash, ChangeSignature> = signatures.iter().map(|s| (s.hash, s.clone())).collect();
    let mut checked = Checked { accept: vec![], refused: vec![], cloned: vec![], missing_base: vec![], loaded: HashMap::new() };
    // Snapshots of documents this device lacks (a first provisioning) are checked on the
    // headers of their changes first, on every core: when all is well, no change needs encoding.
    let mut quick = check_new_snapshots(store, relay, &incoming, &signatures, entries, trust)?.into_iter();
    for (doc_id, payload) in incoming {
        if let Some(loaded) = quick.next().flatten() {
            checked.loaded.insert(doc_id.clone(), loaded);
            checked.accept.push((doc_id, payload));
            continue;
        }
        // Anything else, or a snapshot where something fails: its changes are checked one by
        // one, which says which change fails and why.
        let changes = payload_changes(&doc_id, &payload)?;
        let authors = resolve_authors(store, changes.iter().map(Change::actor_id), entries, trust)?;
        let offer = DocOffer { doc_id: doc_id.clone(), heads: vec![], changes };
        let bucket = if trust == Trust::HubCopy { None } else { Some(&*store.bucket(&doc_id)?) };
        let verdict = check_offer(MAX_RECORDS, relay, bucket, &offer, &signatures, &|actor: &str| authors.get(actor).cloned());
        match verdict {
            Verdict::Known => {}
            Verdict::MissingBase => checked.missing_base.push(doc_id),
            Verdict::Checked { accept, refused } => {
                if let Some(clone) = refused.iter().find(|r| r.kind == RejectionKind::DuplicateActor) {
                    checked.cloned.push((doc_id, clone.reason.clone()));
                    continue;
                }
                if refused.is_empty() {
                    checked.accept.push((doc_id, payload));
                } else {
                    if !accept.is_empty() {
                        checked.accept.push((doc_id, DocPayload::Changes(accept)));
                    }
                    let author = |r: &Rejection| {
                        let actor = offer.changes.iter().find(|c| Some(hex::encode(c.hash().0)) == r.change).map(|c| base_actor_hex(c.actor_id()));
                        match actor {
                            Some(actor) => authors
                                .get(&actor)
                                .map_or_else(|| format!("an unknown author (actor {})", &actor[..12.min(actor.len())]), |row| row.device_id.clone()),
                            None => "an unknown author".to_string(),
                        }
                    };
                    checked.refused.extend(refused.into_iter().map(|r| {
                        let who = author(&r);
                        (r, who)
                    }));
                }
            }
        }
    }
    Ok(checked)
}

/// A document loaded from a snapshot, with the headers of its changes.
type LoadedSnapshot<'a> = (usize, &'a str, Automerge, Vec<ChangeHeader>);

/// For each of `incoming`: the document and the records its checks read, when it is a
/// snapshot of a document this device lacks and passes [`check_new_snapshot`]; `None`
/// otherwise. The snapshots are loaded, then checked, on every core; an unreadable snapshot is
/// an error, as it would be one by one.
fn check_new_snapshots(
    store: &mut Store,
    relay: &DeviceRow,
    incoming: &[(String, DocPayload)],
    signatures: &HashMap<ChangeHash, ChangeSignature>,
    entries: &[AuthorEntry],
    trust: Trust,
) -> Result<Vec<Option<LoadedDoc>>> {
    let mut snapshots: Vec<(usize, &str, &[u8])> = Vec::new();
    for (index, (doc_id, payload)) in incoming.iter().enumerate() {
        if let DocPayload::Snapshot(bytes) = payload {
            if trust == Trust::HubCopy || store.bucket(doc_id)?.heads().is_empty() {
                snapshots.push((index, doc_id.as_str(), bytes.as_slice()));
            }
        }
    }
    let unreadable = |doc_id: &str| Error::Malformed(crate::wire::WireError::Invalid { what: "document snapshot", reason: format!("{doc_id}: unreadable") });
    let loaded: Vec<LoadedSnapshot<'_>> = parallel::map_in_order(snapshots.clone(), |(index, doc_id, bytes)| {
        load_snapshot(doc_id, bytes).map(|doc| {
            let headers = ChangeHeader::all_of(&doc);
            (index, doc_id, doc, headers)
        })
    })
    .into_iter()
    .zip(&snapshots)
    .map(|(loaded, (_, doc_id, _))| loaded.unwrap_or_else(|| Err(unreadable(doc_id))))
    .collect::<Result<_>>()?;
    let authors = resolve_authors(store, loaded.iter().flat_map(|(.., headers)| headers.iter().map(ChangeHeader::actor)), entries, trust)?;
    let author_of = |actor: &str| authors.get(actor).cloned();
    let checked = parallel::map_in_order(loaded, |(index, doc_id, doc, headers)| {
        let passed = check_new_snapshot(MAX_RECORDS, relay, doc_id, doc, &headers, signatures, &author_of);
        (index, passed.map(|(doc, read)| LoadedDoc { doc, read }))
    });
    let mut out: Vec<Option<LoadedDoc>> = incoming.iter().map(|_| None).collect();
    for (index, passed) in checked.into_iter().flatten() {
        out[index] = passed;
    }
    Ok(out)
}

/// The hub as the relay of its answers: it may hand over every document.
pub(crate) fn hub_relay(hub_id: &str, public_key: &[u8]) -> DeviceRow {
    DeviceRow {
        device_id: hub_id.to_string(),
        role: Some(Role::Supervisor),
        scopes: vec![ALL_SCOPES.into()],
        public_key: public_key.to_vec(),
        revoked: false,
        is_hub: true,
        grants: vec![],
    }
}

/// Keeps refused received changes aside (once per change), for the user to see who tried to
/// write what; nothing of them is applied.
pub(crate) fn keep_aside_received(store: &mut Store, from: &str, refused: &[(Rejection, String)]) -> Result<Vec<KeptAside>> {
    let rows: Vec<(String, String, String, String)> = refused
        .iter()
        .map(|(r, author)| {
            let reason = format!("written by {author}, received from {from}, not applied: {}", r.reason);
            (r.doc_id.clone(), r.record.clone().unwrap_or_default(), reason, r.change.clone().unwrap_or_default())
        })
        .collect();
    store.keep_aside_received(&rows)
}

/// A bundle's sender as its envelope names it (the signature over the envelope is checked).
pub(crate) struct Sender {
    /// Its device id.
    pub device_id: String,
    /// The key that signed the bundle.
    pub public_key: [u8; 32],
    /// The role it claims (used only when the hub has not told this device its role).
    pub role: String,
    /// The scopes it claims (likewise).
    pub scopes: Vec<String>,
}

fn untrusted(author: &str, reason: String) -> Error {
    Error::Untrusted { author: author.to_string(), reason }
}

/// Checks the author entries a bundle carries against what this device knows: the sender's
/// key, keys known for the devices named, and which device each actor belongs to. Returns the
/// entries to pin (the sender's own, and the relayed ones not known yet).
pub(crate) fn vet_entries(store: &Store, sender: &Sender, entries: Vec<AuthorEntry>) -> Result<Vec<AuthorEntry>> {
    let own_id = store.device.device_id.clone();
    let own_key = store.public_key();
    let own_actors: BTreeSet<String> = store.own_actors()?.iter().map(|a| a.to_hex_string()).collect();
    let key_of = |device_id: &str| -> Result<Option<Vec<u8>>> {
        if device_id == own_id {
            return Ok(Some(own_key.to_vec()));
        }
        store.directory_key(device_id)
    };
    if let Some(known) = key_of(&sender.device_id)? {
        if known != sender.public_key {
            let (new, old) = (authors::fingerprint(&sender.public_key), authors::fingerprint(&known));
            return Err(untrusted(&sender.device_id, format!("the bundle is signed with key {new}, but this device knows {} by key {old}", sender.device_id)));
        }
    }
    let mut out = Vec::new();
    for entry in entries {
        if entry.device_id == sender.device_id && entry.public_key != sender.public_key {
            return Err(untrusted(&sender.device_id, "the bundle names another key for its own sender".into()));
        }
        if let Some(known) = key_of(&entry.device_id)? {
            if known != entry.public_key {
                return Err(untrusted(&entry.device_id, format!("the bundle names another key for {} than this device knows", entry.device_id)));
            }
        }
        let owner = if own_actors.contains(&entry.actor) { Some(own_id.clone()) } else { store.directory_owner(&entry.actor)? };
        if let Some(owner) = owner.filter(|o| *o != entry.device_id) {
            let short = &entry.actor[..12.min(entry.actor.len())];
            return Err(untrusted(&owner, format!("actor {short} belongs to {owner}, but the bundle says it is {}'s", entry.device_id)));
        }
        // Kept even when it names this device: a copy of this install (a clone, a restored
        // backup) writes under its own actor with this device's key.
        out.push(entry);
    }
    Ok(out)
}

/// Checks every change of a bundle; returns what may be applied, or why the bundle is refused
/// (naming the author of the first refused change).
pub(crate) fn check_bundle(
    store: &mut Store,
    sender: &Sender,
    incoming: Vec<(String, DocPayload)>,
    signatures: &[ChangeSignature],
    entries: &[AuthorEntry],
) -> Result<Vec<(String, DocPayload)>> {
    let relay = match store.directory_device(&sender.device_id)? {
        Some(row) => row,
        None if sender.device_id == store.device.device_id => own_row(store),
        None => DeviceRow {
            device_id: sender.device_id.clone(),
            role: Role::parse(&sender.role),
            scopes: sender.scopes.clone(),
            public_key: sender.public_key.to_vec(),
            revoked: false,
            is_hub: false,
            grants: vec![],
        },
    };
    let checked = check_received(store, &relay, incoming, signatures, entries, Trust::Bundle)?;
    if let Some((doc_id, reason)) = checked.cloned.first() {
        return Err(Error::ClonedInstall { doc_id: doc_id.clone(), reason: reason.clone() });
    }
    let first = checked.refused.iter().find(|(r, _)| r.kind == RejectionKind::Refused).or(checked.refused.first());
    if let Some((rejection, author)) = first {
        return Err(untrusted(author, format!("{}: {}", rejection.doc_id, rejection.reason)));
    }
    if let Some(doc_id) = checked.missing_base.first() {
        return Err(Error::BadInput(format!(
            "the bundle's changes to {doc_id} build on changes this device does not have; export it against this device's summary"
        )));
    }
    Ok(checked.accept)
}
