-- The whole schema at version 16 (what 001 … 016 make, step by step), for new stores: one
-- script instead of every step's tables made, copied and dropped. When a migration is added,
-- update this file too; `store::db::tests::a_new_store_has_the_schema_the_migrations_make`
-- compares the two and prints the script to put here.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE doc (
    doc_id      TEXT PRIMARY KEY,
    audience    TEXT NOT NULL,
    scope       TEXT NOT NULL,
    period      INTEGER NOT NULL,
    heads       BLOB NOT NULL,        -- concatenated 32-byte change hashes
    chunk_count INTEGER NOT NULL DEFAULT 0,
    bytes       INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
-- `scope` is the middle part of the bucket id `audience/scope/period`, computed (016).
CREATE TABLE record_index (
    record_id  TEXT PRIMARY KEY,
    doc_id     TEXT NOT NULL REFERENCES doc(doc_id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    search_key TEXT NOT NULL,
    birth_year INTEGER,
    due_on     TEXT,
    status     TEXT NOT NULL,
    conflicts  INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL
    , scope TEXT GENERATED ALWAYS AS (
    substr(substr(doc_id, instr(doc_id, '/') + 1), 1, instr(substr(doc_id, instr(doc_id, '/') + 1), '/') - 1)
) VIRTUAL) WITHOUT ROWID;
CREATE INDEX record_index_kind_title ON record_index(kind, title);
CREATE INDEX record_index_due ON record_index(due_on) WHERE due_on IS NOT NULL;
CREATE INDEX record_index_conflicts ON record_index(conflicts) WHERE conflicts > 0;
CREATE TABLE record_link (
    from_id TEXT NOT NULL,
    to_id   TEXT NOT NULL,
    PRIMARY KEY (from_id, to_id)
) WITHOUT ROWID;
CREATE INDEX record_link_to ON record_link(to_id);
CREATE TABLE peer_doc (
    peer_id      TEXT NOT NULL,
    doc_id       TEXT NOT NULL,
    synced_heads BLOB NOT NULL,
    PRIMARY KEY (peer_id, doc_id)
) WITHOUT ROWID;
CREATE TABLE change_sig (
    hash      BLOB PRIMARY KEY,
    device_id TEXT NOT NULL,
    signature BLOB NOT NULL
) WITHOUT ROWID;
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
CREATE TABLE hub_actor (
    actor     TEXT PRIMARY KEY,
    device_id TEXT NOT NULL REFERENCES hub_device(device_id)
) WITHOUT ROWID;
CREATE TABLE hub_enrolment (
    code_hash  BLOB PRIMARY KEY,
    person     TEXT NOT NULL,
    role       TEXT NOT NULL,
    scopes     TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    used_by    TEXT
) WITHOUT ROWID;
CREATE TABLE hub_peer_doc (
    device_id TEXT NOT NULL,
    doc_id    TEXT NOT NULL,
    heads     BLOB NOT NULL,
    PRIMARY KEY (device_id, doc_id)
) WITHOUT ROWID;
CREATE TABLE hub_nonce (
    device_id TEXT NOT NULL,
    nonce     BLOB NOT NULL,
    seen_at   INTEGER NOT NULL,
    PRIMARY KEY (device_id, nonce)
) WITHOUT ROWID;
CREATE TABLE hub_alert (
    seq       INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    device_id TEXT NOT NULL,
    kind      TEXT NOT NULL,
    detail    TEXT NOT NULL
);
CREATE TABLE hub_registry (
    book        TEXT NOT NULL,
    year        INTEGER NOT NULL,
    last_number INTEGER NOT NULL,
    PRIMARY KEY (book, year)
) WITHOUT ROWID;
CREATE TABLE kept_aside (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    at        INTEGER NOT NULL,
    doc_id    TEXT NOT NULL,
    record_id TEXT NOT NULL,
    kind      TEXT NOT NULL,
    fields    TEXT NOT NULL,
    value     TEXT NOT NULL,
    reason    TEXT NOT NULL,
    change    TEXT NOT NULL
);
CREATE INDEX kept_aside_record ON kept_aside (record_id);
CREATE TABLE replayed_change (
    old BLOB PRIMARY KEY,
    new BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE hub_device_grant (
    seq         INTEGER PRIMARY KEY,
    device_id   TEXT NOT NULL REFERENCES hub_device(device_id),
    role        TEXT NOT NULL,
    scopes      TEXT NOT NULL,
    -- When the grant ended (ms since epoch, hub clock): changes made until then fall under it.
    valid_until INTEGER NOT NULL
);
CREATE INDEX hub_device_grant_by_device ON hub_device_grant (device_id);
CREATE TABLE hub_enrol_attempt (
    seq       INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    device_id TEXT NOT NULL,
    outcome   TEXT NOT NULL
);
CREATE INDEX hub_enrol_attempt_at ON hub_enrol_attempt(at);
CREATE TABLE peer_device (
    device_id  TEXT PRIMARY KEY,
    public_key BLOB NOT NULL,
    role       TEXT NOT NULL,
    scopes     TEXT NOT NULL,
    grants     TEXT NOT NULL DEFAULT '[]',
    is_hub     INTEGER NOT NULL DEFAULT 0,
    revoked    INTEGER NOT NULL DEFAULT 0,
    source     TEXT NOT NULL,
    first_seen INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE peer_actor (
    actor     TEXT PRIMARY KEY,
    device_id TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE "audit" (
    seq       INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    device_id TEXT,
    action    TEXT NOT NULL,
    record_id TEXT,
    hash      BLOB NOT NULL
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE TABLE access_log (
    seq       INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    action    TEXT NOT NULL,
    record_id TEXT NOT NULL,
    hash      BLOB NOT NULL
);
CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
CREATE TABLE device_audit (
    device_id TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    hash      BLOB NOT NULL,
    at        INTEGER NOT NULL,
    by_device TEXT NOT NULL,
    action    TEXT NOT NULL,
    record_id TEXT,
    linked    INTEGER NOT NULL,
    PRIMARY KEY (device_id, seq, hash)
) WITHOUT ROWID;
CREATE INDEX device_audit_record ON device_audit (record_id) WHERE record_id IS NOT NULL;
CREATE TABLE attachment (
    hash       BLOB PRIMARY KEY,
    media_type TEXT NOT NULL,
    size       INTEGER NOT NULL,
    received   INTEGER NOT NULL DEFAULT 0,
    complete   INTEGER NOT NULL DEFAULT 0,
    origin     TEXT NOT NULL,
    uploaded   INTEGER NOT NULL DEFAULT 0,
    pinned     INTEGER NOT NULL DEFAULT 0,
    wanted     INTEGER NOT NULL DEFAULT 0,
    last_used  INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE TABLE attachment_chunk (
    hash  BLOB NOT NULL,
    idx   INTEGER NOT NULL,
    bytes BLOB NOT NULL,
    PRIMARY KEY (hash, idx)
) WITHOUT ROWID;
CREATE TABLE hub_file_wanted (
    hash BLOB PRIMARY KEY
) WITHOUT ROWID;
CREATE TABLE attachment_ref (
    hash      BLOB NOT NULL,
    record_id TEXT NOT NULL,
    doc_id    TEXT NOT NULL,
    PRIMARY KEY (hash, record_id)
) WITHOUT ROWID;
CREATE INDEX attachment_ref_record ON attachment_ref (record_id);
CREATE TABLE "doc_chunk" (
    doc_id TEXT NOT NULL REFERENCES doc(doc_id) ON DELETE CASCADE,
    seq    INTEGER NOT NULL,
    bytes  BLOB NOT NULL,
    UNIQUE (doc_id, seq)
);
CREATE TABLE person_key (
    record_id  TEXT PRIMARY KEY,
    names      TEXT NOT NULL,
    birth      INTEGER NOT NULL,
    registered INTEGER NOT NULL,
    address    TEXT
) WITHOUT ROWID;
