-- Schema version 3: attached files (issue 16). Their bytes in chunks, each sealed with the
-- database key (XChaCha20-Poly1305, bound to its file and position) like names and payloads.
CREATE TABLE hub_file (
    hash       BYTEA PRIMARY KEY,
    media_type TEXT NOT NULL,
    size       BIGINT NOT NULL,
    received   BIGINT NOT NULL,
    complete   BOOLEAN NOT NULL
);
-- Files a device asked for that the hub does not hold whole; every sync answer names them.
CREATE TABLE hub_file_wanted (
    hash BYTEA PRIMARY KEY
);
CREATE TABLE hub_file_chunk (
    hash   BYTEA NOT NULL,
    idx    BIGINT NOT NULL,
    sealed BYTEA NOT NULL,
    PRIMARY KEY (hash, idx)
);
