-- Schema version 16: `record_index.scope` is the middle part of the record's bucket id
-- (`audience/scope/period`, never a notes document's id): computed from `doc_id` when read,
-- not stored again in every row (issue 13, "whole store file per record": 10–14 B a record).
ALTER TABLE record_index DROP COLUMN scope;
ALTER TABLE record_index ADD COLUMN scope TEXT GENERATED ALWAYS AS (
    substr(substr(doc_id, instr(doc_id, '/') + 1), 1, instr(substr(doc_id, instr(doc_id, '/') + 1), '/') - 1)
) VIRTUAL;
