-- Schema version 2: sync with the base-point hub, change signatures, hub registry.

-- Device side: per peer (the hub) and document, the heads both sides are known to have.
CREATE TABLE peer_doc (
    peer_id      TEXT NOT NULL,
    doc_id       TEXT NOT NULL,
    synced_heads BLOB NOT NULL,
    PRIMARY KEY (peer_id, doc_id)
) WITHOUT ROWID;

-- Ed25519 signatures binding each change to the device that made it; relayed with the change.
CREATE TABLE change_sig (
    hash      BLOB PRIMARY KEY,
    device_id TEXT NOT NULL,
    signature BLOB NOT NULL
) WITHOUT ROWID;

-- Hub side: enrolled devices.
CREATE TABLE hub_device (
    device_id   TEXT PRIMARY KEY,
    person      TEXT NOT NULL,
    role        TEXT NOT NULL,
    scopes      TEXT NOT NULL,
    public_key  BLOB NOT NULL,
    enrolled_at INTEGER NOT NULL,
    revoked_at  INTEGER,
    last_sync   INTEGER
) WITHOUT ROWID;

-- Hub side: which device each Automerge actor belongs to.
CREATE TABLE hub_actor (
    actor     TEXT PRIMARY KEY,
    device_id TEXT NOT NULL REFERENCES hub_device(device_id)
) WITHOUT ROWID;

-- Hub side: one-time enrolment codes (stored hashed).
CREATE TABLE hub_enrolment (
    code_hash  BLOB PRIMARY KEY,
    person     TEXT NOT NULL,
    role       TEXT NOT NULL,
    scopes     TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    used_by    TEXT
) WITHOUT ROWID;

-- Hub side: per device and document, the heads the hub believes the device has.
CREATE TABLE hub_peer_doc (
    device_id TEXT NOT NULL,
    doc_id    TEXT NOT NULL,
    heads     BLOB NOT NULL,
    PRIMARY KEY (device_id, doc_id)
) WITHOUT ROWID;

-- Hub side: request nonces already seen (replay protection), pruned by age.
CREATE TABLE hub_nonce (
    device_id TEXT NOT NULL,
    nonce     BLOB NOT NULL,
    seen_at   INTEGER NOT NULL,
    PRIMARY KEY (device_id, nonce)
) WITHOUT ROWID;

-- Hub side: duplicate actor ids presented by different devices (cloned installs).
CREATE TABLE hub_alert (
    seq       INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    device_id TEXT NOT NULL,
    kind      TEXT NOT NULL,
    detail    TEXT NOT NULL
);
