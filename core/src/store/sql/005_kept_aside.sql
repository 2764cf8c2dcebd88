-- Schema version 5: work of this device's user that the hub refused, kept aside with the reason
-- until the user has seen it (and re-entered or discarded it). One row per record a refused
-- change touched: what the record looked like right after the user's change (JSON), which of
-- its fields the change wrote, and why the hub refused it. Nothing refused is deleted without
-- the user's say (design §10).
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

-- A change of this device made again during a rebuild (replay), old hash → new hash, so a form
-- opened before the rebuild still saves as an edit of the version its user saw.
CREATE TABLE replayed_change (
    old BLOB PRIMARY KEY,
    new BLOB NOT NULL
) WITHOUT ROWID;
