//! Helpers shared by the core's integration tests: real store files in temp dirs.
#![allow(dead_code)]

#[macro_use]
pub(crate) mod backends;
pub(crate) mod harness;

use std::path::Path;
use suhbat_core::*;

pub(crate) fn profile(person: &str, role: Role) -> DeviceProfile {
    DeviceProfile { person: person.into(), role, scopes: vec!["Navbahor".into(), "Qatortol".into()] }
}

pub(crate) fn device(dir: &Path, name: &str, keys: &dyn KeyProvider) -> Store {
    Store::create(dir.join(format!("{name}.db")), keys, profile(name, Role::Inspector)).expect("create store")
}

/// Sends everything `from` has that `to` lacks, the way two phones would with bundles.
pub(crate) fn send(from: &mut Store, to: &mut Store) -> ImportReport {
    let summary = to.summary().unwrap();
    let bundle = from.export_bundle(Some(&summary)).unwrap();
    to.import_bundle(&bundle).unwrap()
}

/// A record's id, winning values and (conflict path, number of values) pairs.
pub(crate) type RecordState = (String, serde_json::Value, Vec<(String, usize)>);

/// Full state of a replica: every record's winning values and conflicts, plus bucket heads.
pub(crate) fn state(store: &mut Store) -> (Vec<RecordState>, Summary) {
    let rows = store.list(&ListQuery { limit: Some(100_000), include_merged: true, ..Default::default() }).unwrap();
    let mut out = Vec::new();
    for row in rows {
        let raw = store.get_raw(&RecordId::parse(&row.record_id).unwrap()).unwrap();
        let conflicts = raw.conflicts.iter().map(|c| (c.path.clone(), c.values.len())).collect();
        out.push((row.record_id, raw.value, conflicts));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    (out, store.summary().unwrap())
}

/// A plain SQLite connection to an encrypted store file, opened with its key from `keys`: what
/// an attacker who holds the key can do with the file, bypassing the store's API.
pub(crate) fn raw_conn(path: &Path, keys: &dyn KeyProvider) -> rusqlite::Connection {
    let raw = keys.get_or_create_key(&key_id_for(path)).unwrap();
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(&format!("PRAGMA key = \"x'{}'\";", hex::encode(raw.as_ref()))).unwrap();
    conn
}

/// Rewrites a meta value inside an encrypted store file, the way a tampered app could.
pub(crate) fn tamper_meta(path: &Path, keys: &dyn KeyProvider, key: &str, value: &str) {
    raw_conn(path, keys).execute("UPDATE meta SET value = ?2 WHERE key = ?1", [key, value]).unwrap();
}

/// The key provider of a harness network's stores.
pub(crate) fn harness_keys(net: &harness::Network) -> &'static MemoryKeyProvider {
    net.keys
}

/// Splits a signed sync request frame into the signed inner frame and its signature.
pub(crate) fn split_signed(frame: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let mut outer = wire::Reader::open(frame, wire::MessageKind::SyncRequest).unwrap();
    let inner = outer.bytes("inner", wire::MAX_MESSAGE_BYTES).unwrap().to_vec();
    let signature = outer.bytes("signature", 64).unwrap().to_vec();
    (inner, signature)
}

/// Wraps an inner request frame with a signature, as `SyncRequest::encode_signed` does.
pub(crate) fn wrap_signed(inner: &[u8], signature: &[u8]) -> Vec<u8> {
    let mut w = wire::Writer::default();
    w.bytes(inner).bytes(signature);
    w.finish(wire::MessageKind::SyncRequest)
}

/// Signs `inner` with the device key of `store` (what a tampered app of that device can do).
pub(crate) fn resign(store: &Store, inner: &[u8]) -> Vec<u8> {
    wrap_signed(inner, &store.sign(inner))
}

/// Offset of the 16-byte request nonce inside an inner request frame: header (10), device
/// id (4 + len), sent-at (8), nonce length (4).
pub(crate) fn nonce_offset(device_id: &str) -> usize {
    10 + 4 + device_id.len() + 8 + 4
}

/// How the hub answered `response`, read the way the device does: the device's session report
/// or its typed error (e.g. `Error::Refused` with the hub's code). `store` must be enrolled
/// with the hub that answered.
pub(crate) fn read_answer(store: &mut Store, response: &[u8]) -> Result<sync::SyncReport> {
    let mut session = sync::SyncSession::new(store)?;
    session.next_request(store)?;
    session.handle_response(store, response)?;
    Ok(session.report().clone())
}

/// A temp dir on a RAM disk when there is one (`/dev/shm`): tests that write thousands of
/// small transactions measure the code, not the disk's fsync.
pub(crate) fn fast_tempdir() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        if let Ok(dir) = tempfile::tempdir_in(shm) {
            return dir;
        }
    }
    tempfile::tempdir().unwrap()
}

/// The start of a bundle body as `export_bundle` writes it: `sender`'s id, key, role and
/// scopes, no author entries, and `docs` documents announced. Finish it with [`sealed`].
pub(crate) fn bundle_body(sender: &Store, docs: u32) -> wire::Writer {
    let mut w = wire::Writer::default();
    let device = sender.device();
    w.str(device.profile.role.as_str()).str(&device.profile.scopes.join(",")).u32(0).u32(docs);
    w
}

/// Bundle contents signed with `sender`'s key and wrapped the way `export_bundle` does: what a
/// device (or a tampered app holding its key) can hand another phone.
pub(crate) fn sealed(sender: &Store, contents: wire::Writer) -> Vec<u8> {
    sealed_as(sender, &sender.device().device_id, &sender.public_key(), contents)
}

/// [`sealed`], naming `device_id` and `key` as the sender while `signer` signs.
pub(crate) fn sealed_as(signer: &Store, device_id: &str, key: &[u8], contents: wire::Writer) -> Vec<u8> {
    let mut body = wire::Writer::default();
    body.str(device_id).bytes(key).bytes(&wire::pack(&contents.finish(wire::MessageKind::Bundle)));
    let body = body.finish(wire::MessageKind::Bundle);
    let mut w = wire::Writer::default();
    w.bytes(&body).bytes(&signer.sign(&body));
    w.finish(wire::MessageKind::Bundle)
}

/// A message of `kind` around `body` (raw bytes, no length prefix inside).
pub(crate) fn frame(kind: wire::MessageKind, body: &[u8]) -> Vec<u8> {
    let mut out = wire::MAGIC.to_vec();
    out.push(wire::VERSION);
    out.push(kind as u8);
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend_from_slice(body);
    out
}

/// Splits a signed request's inner frame into its header fields (raw) and its unpacked offers.
pub(crate) fn open_request(inner: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let mut r = wire::Reader::open(inner, wire::MessageKind::SyncRequest).unwrap();
    let (device_id, actor) = (r.str("device", 200).unwrap().len(), r.str("actor", 200).unwrap().len());
    let header_len = 4 + device_id + 4 + actor + 8 + 4 + 16 + 1 + 1 + 4 + 32;
    let header = inner[10..10 + header_len].to_vec();
    let packed = &inner[10 + header_len + 4..];
    (header, wire::unpack(packed, "offers").unwrap().into_owned())
}

/// The inner request frame of raw `header` fields and `offers` (an unpacked offers message).
pub(crate) fn close_request(header: &[u8], offers: &[u8]) -> Vec<u8> {
    let mut body = header.to_vec();
    let mut w = wire::Writer::default();
    w.bytes(&wire::pack(offers));
    let packed = w.finish(wire::MessageKind::SyncRequest);
    body.extend_from_slice(&packed[10..]);
    frame(wire::MessageKind::SyncRequest, &body)
}

/// A short name for an error: its variant (and the wire error's, or the hub's refusal code).
pub(crate) fn error_kind(e: &Error) -> String {
    fn head(debug: String) -> String {
        debug.split(|c: char| !c.is_alphanumeric()).next().unwrap_or_default().to_string()
    }
    match e {
        Error::Malformed(w) => format!("malformed/{}", head(format!("{w:?}"))),
        Error::Refused { code, .. } => format!("refused/{code}"),
        other => head(format!("{other:?}")),
    }
}

/// Prints a figure a test checked, even when the harness captures output (`eprintln!` is
/// captured; a direct write to stderr is not).
pub(crate) fn report(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "    {line}");
}

/// A record stored without its kind's rules on changes ([`Record::check_transition`]): what a
/// tampered app writes. Same kind, same fields; only the hub stands in its way.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub(crate) struct Unchecked<R>(pub R);

impl<R: Record> Record for Unchecked<R> {
    const KIND: RecordKind = R::KIND;
    const TEXT_FIELDS: &'static [&'static str] = R::TEXT_FIELDS;

    fn id(&self) -> &RecordId {
        self.0.id()
    }
    fn validate(&self, now: chrono::DateTime<chrono::Utc>) -> std::result::Result<(), ValidationErrors> {
        self.0.validate(now)
    }
    fn mahalla(&self) -> &str {
        self.0.mahalla()
    }
    fn audience(&self) -> Audience {
        self.0.audience()
    }
    fn period_year(&self) -> i32 {
        self.0.period_year()
    }
    fn index_fields(&self) -> IndexFields {
        self.0.index_fields()
    }
}

/// Runs a file transfer of device `i` against the hub; with `cut_after`, the connection drops
/// after that many answered requests. Returns its report.
pub(crate) fn move_files_cut(net: &mut harness::Network, i: usize, cut_after: Option<usize>) -> suhbat_core::sync::FileReport {
    let mut transfer = suhbat_core::sync::FileTransfer::new(&mut net.devices[i]).unwrap();
    let mut answered = 0;
    while let Some(request) = transfer.next_request(&mut net.devices[i]).unwrap() {
        if cut_after == Some(answered) {
            break;
        }
        let answer = net.hub.handle_file(&request);
        transfer.handle_response(&mut net.devices[i], &answer).unwrap();
        answered += 1;
    }
    transfer.report().clone()
}

/// A whole file transfer of device `i` against the network's hub.
pub(crate) fn move_files(net: &mut harness::Network, i: usize) -> suhbat_core::sync::FileReport {
    move_files_cut(net, i, None)
}
