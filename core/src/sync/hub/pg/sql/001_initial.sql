-- Suhbat hub on PostgreSQL, schema version 1. Names and document payloads are sealed by the
-- hub (XChaCha20-Poly1305, key in the hub's data folder) before they reach the database:
-- person columns, document chunks, change signatures and the hub's signing key are BYTEA
-- ciphertext. Ids, roles, mahalla scopes, heads (hashes) and the audit chain are plain.

-- The hub's identity: device_id, actor (plain), signing_key and key_check (sealed).
CREATE TABLE hub_meta (
    key   TEXT PRIMARY KEY,
    value BYTEA NOT NULL
);

-- One row per bucket document; its bytes are the chunks in order.
CREATE TABLE hub_doc (
    doc_id      TEXT PRIMARY KEY,
    heads       BYTEA NOT NULL,
    chunk_count INTEGER NOT NULL DEFAULT 0,
    bytes       BIGINT NOT NULL DEFAULT 0
);

-- A snapshot (seq 0 after compaction) followed by incremental change chunks, sealed.
CREATE TABLE hub_doc_chunk (
    doc_id TEXT NOT NULL REFERENCES hub_doc(doc_id) ON DELETE CASCADE,
    seq    INTEGER NOT NULL,
    bytes  BYTEA NOT NULL,
    PRIMARY KEY (doc_id, seq)
);

-- Signatures binding each accepted change to its author device (signature sealed).
CREATE TABLE hub_change_sig (
    hash      BYTEA PRIMARY KEY,
    device_id TEXT NOT NULL,
    signature BYTEA NOT NULL
);

-- Enrolled devices (person sealed).
CREATE TABLE hub_device (
    device_id   TEXT PRIMARY KEY,
    person      BYTEA NOT NULL,
    role        TEXT NOT NULL,
    scopes      TEXT NOT NULL,
    public_key  BYTEA NOT NULL,
    enrolled_at BIGINT NOT NULL,
    revoked_at  BIGINT,
    last_sync   BIGINT
);

-- Which device each Automerge actor belongs to.
CREATE TABLE hub_actor (
    actor     TEXT PRIMARY KEY,
    device_id TEXT NOT NULL REFERENCES hub_device(device_id)
);

-- One-time enrolment codes, stored hashed (person sealed).
CREATE TABLE hub_enrolment (
    code_hash  BYTEA PRIMARY KEY,
    person     BYTEA NOT NULL,
    role       TEXT NOT NULL,
    scopes     TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_by    TEXT
);

-- Refused enrolment attempts, kept for the lockout window.
CREATE TABLE hub_enrol_attempt (
    seq       BIGSERIAL PRIMARY KEY,
    at        BIGINT NOT NULL,
    device_id TEXT NOT NULL,
    outcome   TEXT NOT NULL
);
CREATE INDEX hub_enrol_attempt_at ON hub_enrol_attempt(at);

-- Per device and document, the heads the hub believes the device has.
CREATE TABLE hub_peer_doc (
    device_id TEXT NOT NULL,
    doc_id    TEXT NOT NULL,
    heads     BYTEA NOT NULL,
    PRIMARY KEY (device_id, doc_id)
);

-- Request nonces already answered (replay protection), shared by every hub node.
CREATE TABLE hub_nonce (
    device_id TEXT NOT NULL,
    nonce     BYTEA NOT NULL,
    seen_at   BIGINT NOT NULL,
    PRIMARY KEY (device_id, nonce)
);

-- Alerts for supervisors.
CREATE TABLE hub_alert (
    seq       BIGSERIAL PRIMARY KEY,
    at        BIGINT NOT NULL,
    device_id TEXT NOT NULL,
    kind      TEXT NOT NULL,
    detail    TEXT NOT NULL
);

-- The last final number given per registry book and year; locked by the transaction that
-- gives the next one.
CREATE TABLE hub_registry (
    book        TEXT NOT NULL,
    year        INTEGER NOT NULL,
    last_number BIGINT NOT NULL,
    PRIMARY KEY (book, year)
);

-- The roles and scopes a device held before it was reassigned.
CREATE TABLE hub_device_grant (
    seq         BIGSERIAL PRIMARY KEY,
    device_id   TEXT NOT NULL REFERENCES hub_device(device_id),
    role        TEXT NOT NULL,
    scopes      TEXT NOT NULL,
    valid_until BIGINT NOT NULL
);
CREATE INDEX hub_device_grant_by_device ON hub_device_grant (device_id);

-- The hub's hash-chained audit log: ids and actions only, never names.
CREATE TABLE hub_audit (
    seq       BIGINT PRIMARY KEY,
    at        BIGINT NOT NULL,
    device_id TEXT NOT NULL,
    action    TEXT NOT NULL,
    record_id TEXT,
    prev_hash BYTEA NOT NULL,
    hash      BYTEA NOT NULL
);
