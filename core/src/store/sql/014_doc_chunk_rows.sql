-- Schema version 14: document chunks in a table with rowids (issue 13, "whole store file per
-- record"). In a WITHOUT ROWID table a row larger than about a quarter of a page keeps only its
-- first bytes in the B-tree and spills the rest into overflow pages of its own, so each chunk of
-- 1-4 KB (a notes document's snapshot, an edit's change) took one to two whole pages. In a rowid
-- table a row is stored whole in its page up to nearly a page, and small chunks share pages.
CREATE TABLE doc_chunk_rows (
    doc_id TEXT NOT NULL REFERENCES doc(doc_id) ON DELETE CASCADE,
    seq    INTEGER NOT NULL,
    bytes  BLOB NOT NULL,
    UNIQUE (doc_id, seq)
);
INSERT INTO doc_chunk_rows (doc_id, seq, bytes) SELECT doc_id, seq, bytes FROM doc_chunk ORDER BY doc_id, seq;
DROP TABLE doc_chunk;
ALTER TABLE doc_chunk_rows RENAME TO doc_chunk;
