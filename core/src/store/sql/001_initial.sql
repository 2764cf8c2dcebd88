-- Suhbat device store, schema version 1.

-- Device profile and settings: device_id, actor, person, role, scopes.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- One row per bucket document.
CREATE TABLE doc (
    doc_id      TEXT PRIMARY KEY,
    audience    TEXT NOT NULL,
    scope       TEXT NOT NULL,
    period      INTEGER NOT NULL,
    heads       BLOB NOT NULL,        -- concatenated 32-byte change hashes
    chunk_count INTEGER NOT NULL DEFAULT 0,
    bytes       INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- A snapshot (seq 0 after compaction) followed by incremental change chunks.
CREATE TABLE doc_chunk (
    doc_id TEXT NOT NULL REFERENCES doc(doc_id) ON DELETE CASCADE,
    seq    INTEGER NOT NULL,
    bytes  BLOB NOT NULL,
    PRIMARY KEY (doc_id, seq)
) WITHOUT ROWID;

-- Flat index for lists and search without loading documents.
CREATE TABLE record_index (
    record_id  TEXT PRIMARY KEY,
    doc_id     TEXT NOT NULL REFERENCES doc(doc_id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    search_key TEXT NOT NULL,
    scope      TEXT NOT NULL,
    birth_year INTEGER,
    due_on     TEXT,
    status     TEXT NOT NULL,
    conflicts  INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX record_index_kind_title ON record_index(kind, title);
CREATE INDEX record_index_doc ON record_index(doc_id);
CREATE INDEX record_index_due ON record_index(due_on) WHERE due_on IS NOT NULL;
CREATE INDEX record_index_conflicts ON record_index(conflicts) WHERE conflicts > 0;

-- Links between records (conversation → persons, case → guardians).
CREATE TABLE record_link (
    from_id TEXT NOT NULL,
    to_id   TEXT NOT NULL,
    PRIMARY KEY (from_id, to_id)
) WITHOUT ROWID;
CREATE INDEX record_link_to ON record_link(to_id);

-- Append-only, hash-chained audit log: ids and actions only, never names or notes.
CREATE TABLE audit (
    seq       INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    device_id TEXT NOT NULL,
    action    TEXT NOT NULL,
    record_id TEXT,
    prev_hash BLOB NOT NULL,
    hash      BLOB NOT NULL
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
