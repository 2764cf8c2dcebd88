-- Schema version 13: names as officers type them (issue 17). Names are folded loosely now
-- (Russian, passport and Uzbek spellings alike: Ташматов / Тошматов, Bakhtiyor / Baxtiyor), in
-- duplicate keys and in `name_key`, the folded words of each person's names that name search
-- scans (a table of its own, like duplicate_key, so the scan reads a few pages). The old
-- duplicate keys are dropped here; `Store::open` keys every person again from the documents
-- right after this migration.
DELETE FROM duplicate_key;
CREATE TABLE name_key (
    record_id TEXT PRIMARY KEY,
    words     TEXT NOT NULL
) WITHOUT ROWID;
