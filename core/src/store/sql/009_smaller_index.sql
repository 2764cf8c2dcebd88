-- Schema version 9: a smaller index (issue 13, "whole store file per record").
-- record_index_doc served only the deletion of a document that left the device's scope, which
-- now scans the table (a few milliseconds at 5,000 records) instead of keeping ~80 bytes per
-- record. Duplicate keys are stored as JSON arrays instead of objects; the old rows are
-- dropped here and rebuilt from the documents at the next duplicate detection.
DROP INDEX IF EXISTS record_index_doc;
DELETE FROM duplicate_key;
