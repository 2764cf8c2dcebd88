-- Schema version 3: the applications registry.

-- Hub side: the last final number given per registry book and year.
CREATE TABLE hub_registry (
    book        TEXT NOT NULL,
    year        INTEGER NOT NULL,
    last_number INTEGER NOT NULL,
    PRIMARY KEY (book, year)
) WITHOUT ROWID;
