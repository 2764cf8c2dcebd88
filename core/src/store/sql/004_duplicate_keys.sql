-- Schema version 3 on this branch (numbered 004 so it sorts after the other branch's 003):
-- the folded keys duplicate detection compares (names, birth date, street + house, date of
-- registration) as JSON, so finding duplicates reads the index instead of every document.
-- Rows written before this version have NULL and are filled in by the first detection.
ALTER TABLE record_index ADD COLUMN dup_key TEXT;
