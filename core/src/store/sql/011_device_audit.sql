-- Schema version 11: who saw what (issue 16).
--
-- On a device, `access_log`: a hash-chained, append-only log of the user's accesses to records
-- (opened, exported, printed, shared), apart from the audit chain of changes so that a sync
-- carries only accesses (the hub knows the changes already). Record ids and kinds of access
-- only, never names or notes; the device's own id is in meta. Meta `audit_held` says how far
-- the hub holds it.
CREATE TABLE access_log (
    seq       INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    action    TEXT NOT NULL,
    record_id TEXT NOT NULL,
    hash      BLOB NOT NULL
);
CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;

-- On a hub, `device_audit`: each device's access log as the device sent it at sync, one chain
-- per device: every entry with the hash the device gave it, and whether it links to an entry
-- held before it (a copy of an install that forked its log shows as two branches, both kept).
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
