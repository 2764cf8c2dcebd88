-- Schema version 15: one row of folded keys per person (issue 13, "whole store file per
-- record"). `duplicate_key` and `name_key` each repeated the record id, and the duplicate key
-- repeated the folded names that `name_key` held; `person_key` holds them once: the names
-- (`last first` per script, comma-separated, then `|` and the patronymics), which name search
-- scans, and the rest duplicate detection compares as plain columns (dates as days since
-- 1 January of year 1, the address as `mahalla|street|house`). Still a table of its own, so
-- the search scan reads a few pages. The old rows are dropped here; `Store::open` keys every
-- person again from the documents right after this migration.
DROP TABLE duplicate_key;
DROP TABLE name_key;
CREATE TABLE person_key (
    record_id  TEXT PRIMARY KEY,
    names      TEXT NOT NULL,
    birth      INTEGER NOT NULL,
    registered INTEGER NOT NULL,
    address    TEXT
) WITHOUT ROWID;
