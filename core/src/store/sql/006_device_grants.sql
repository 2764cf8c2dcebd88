-- Schema version 6: hub side, the roles and scopes a device held before it was reassigned.
-- A change the device made while a grant was in force is accepted even when it arrives later.
CREATE TABLE hub_device_grant (
    seq         INTEGER PRIMARY KEY,
    device_id   TEXT NOT NULL REFERENCES hub_device(device_id),
    role        TEXT NOT NULL,
    scopes      TEXT NOT NULL,
    -- When the grant ended (ms since epoch, hub clock): changes made until then fall under it.
    valid_until INTEGER NOT NULL
);
CREATE INDEX hub_device_grant_by_device ON hub_device_grant (device_id);
