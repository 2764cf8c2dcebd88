-- Schema version 2: who saw what (issue 16). Each device's audit chain as it sent it at sync,
-- one chain per device (see the SQLite hub's 011_device_audit.sql). Ids and actions only.
CREATE TABLE hub_device_audit (
    device_id TEXT NOT NULL,
    seq       BIGINT NOT NULL,
    hash      BYTEA NOT NULL,
    at        BIGINT NOT NULL,
    by_device TEXT NOT NULL,
    action    TEXT NOT NULL,
    record_id TEXT,
    linked    BOOLEAN NOT NULL,
    PRIMARY KEY (device_id, seq, hash)
);
CREATE INDEX hub_device_audit_record ON hub_device_audit (record_id) WHERE record_id IS NOT NULL;
