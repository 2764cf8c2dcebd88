-- Schema version 13: names as officers type them (issue 17). Duplicate keys, which name search
-- reads too, now fold names loosely (Russian, passport and Uzbek spellings alike: Ташматов /
-- Тошматов, Bakhtiyor / Baxtiyor). The old keys are dropped here; `Store::open` keys every
-- person again from the documents right after this migration.
DELETE FROM duplicate_key;
