-- Schema version 11: who saw what (issue 16). A hub keeps each device's audit chain as the
-- device sent it at sync, one chain per device: every entry with the hash the device's chain
-- gave it, and whether it links to an entry held before it (a copy of an install that forked
-- its chain shows as two branches, both kept). Ids and actions only, never names or notes.
-- On a device the table stays empty; meta `audit_held` says how far its hub holds its chain.
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
