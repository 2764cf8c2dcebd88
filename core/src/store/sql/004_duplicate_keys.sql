-- Schema version 4: the folded keys duplicate detection compares (names, birth date, street + house, date of
-- registration) as JSON, one row per person, so finding duplicates reads no document. A table
-- of its own keeps record_index small: search scans it whole, and it must stay in the page
-- cache (as a column of record_index, the keys made every search ~10× slower).
-- Persons indexed before this version have no row; the first detection fills them in.
CREATE TABLE duplicate_key (
    record_id TEXT PRIMARY KEY,
    key       TEXT NOT NULL
) WITHOUT ROWID;
