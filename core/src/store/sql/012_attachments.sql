-- Schema version 12: attachments (issue 16). The bytes of attached files, content-addressed by
-- SHA-256 and stored in chunks inside this encrypted file (never beside it), apart from the
-- records that refer to them.
--
-- On a device: `origin` is 'local' (attached here) or 'hub' (downloaded); `uploaded` says the
-- hub holds the whole file (a local file not uploaded yet is never evicted); `pinned` keeps a
-- downloaded file for offline use; `wanted` asks the next transfer to download it; `last_used`
-- orders eviction under the device's budget. On a hub: every file devices uploaded, `received`
-- bytes so far (an interrupted upload resumes there), complete once its hash was checked.
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

-- The bytes, in chunks of 256 KiB (the last one shorter), numbered from 0.
CREATE TABLE attachment_chunk (
    hash  BLOB NOT NULL,
    idx   INTEGER NOT NULL,
    bytes BLOB NOT NULL,
    PRIMARY KEY (hash, idx)
) WITHOUT ROWID;

-- On a hub: files a device asked for that the hub does not hold whole (lost with a backup put
-- back, or never finished). Every sync answer names them, so a phone that holds one sends it
-- again; the row goes when the file is complete.
CREATE TABLE hub_file_wanted (
    hash BLOB PRIMARY KEY
) WITHOUT ROWID;

-- Which records refer to which file (kept with the index): what to upload, what a device may
-- download, and where a file is shown.
CREATE TABLE attachment_ref (
    hash      BLOB NOT NULL,
    record_id TEXT NOT NULL,
    doc_id    TEXT NOT NULL,
    PRIMARY KEY (hash, record_id)
) WITHOUT ROWID;
CREATE INDEX attachment_ref_record ON attachment_ref (record_id);
