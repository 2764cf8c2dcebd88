-- Schema version 10: a smaller audit row (issue 13, "whole store file per record"). The hash
-- chain is unchanged; what it does not need stored is gone:
--   * prev_hash: always the previous entry's hash (the check recomputes the chain from it);
--   * device_id: NULL when it is this store's own device (meta 'device_id'), which is almost
--     every entry on a phone.
-- The table is rebuilt in order, and the append-only triggers are made again.
CREATE TABLE audit_compact (
    seq       INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    device_id TEXT,
    action    TEXT NOT NULL,
    record_id TEXT,
    hash      BLOB NOT NULL
);
INSERT INTO audit_compact (seq, at, device_id, action, record_id, hash)
    SELECT seq, at, NULLIF(device_id, (SELECT value FROM meta WHERE key = 'device_id')), action, record_id, hash
    FROM audit ORDER BY seq;
DROP TABLE audit;
ALTER TABLE audit_compact RENAME TO audit;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
