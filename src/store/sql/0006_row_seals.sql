-- FrontDesk schema version 6: seals over the business records, so `frontdesk check` can name any
-- row changed, added or removed outside FrontDesk.
--
-- Every write transaction of FrontDesk appends one entry to `seal_chain` and, for each row it
-- changed, one line to `seal_log` with the SHA-256 of the row's new content (NULL when the row
-- was deleted). Each chain entry's hash covers the previous entry's hash and its own log lines,
-- so the log cannot be edited without breaking the chain; the chain's head is also kept outside
-- the file (an anchor per database id in the user's data folder, and every backup), so cutting
-- or rewriting its tail is found as well. `database_id` names the file for those anchors.

CREATE TABLE seal_chain (
    id        INTEGER PRIMARY KEY,
    rows      INTEGER NOT NULL CHECK (rows >= 0),
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
) STRICT;

CREATE TABLE seal_log (
    entry   INTEGER NOT NULL REFERENCES seal_chain (id),
    tbl     TEXT NOT NULL,
    row_key TEXT NOT NULL,
    hash    BLOB,
    PRIMARY KEY (tbl, row_key, entry)
) STRICT, WITHOUT ROWID;

CREATE INDEX seal_log_by_entry ON seal_log (entry);

CREATE TRIGGER seal_chain_append_only_update BEFORE UPDATE ON seal_chain
BEGIN
    SELECT RAISE(ABORT, 'seal_chain is append-only');
END;
CREATE TRIGGER seal_chain_append_only_delete BEFORE DELETE ON seal_chain
BEGIN
    SELECT RAISE(ABORT, 'seal_chain is append-only');
END;
CREATE TRIGGER seal_log_append_only_update BEFORE UPDATE ON seal_log
BEGIN
    SELECT RAISE(ABORT, 'seal_log is append-only');
END;
CREATE TRIGGER seal_log_append_only_delete BEFORE DELETE ON seal_log
BEGIN
    SELECT RAISE(ABORT, 'seal_log is append-only');
END;

INSERT INTO settings (key, value) VALUES ('database_id', lower(hex(randomblob(16))))
    ON CONFLICT (key) DO NOTHING;
