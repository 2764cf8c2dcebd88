-- Schema version 8: who wrote the changes this device receives (design §10–11).
-- A device known from the hub (its signed sync answers name the authors of the changes they
-- deliver) or pinned on first exchange (a bundle's sender, trust on first use): its Ed25519
-- public key, role and scopes, the grants it held before (JSON), and where the entry came
-- from ('hub' or 'bundle'). A later bundle from the same device id with another key is refused.
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

-- Which device each Automerge actor (hex) belongs to.
CREATE TABLE peer_actor (
    actor     TEXT PRIMARY KEY,
    device_id TEXT NOT NULL
) WITHOUT ROWID;
