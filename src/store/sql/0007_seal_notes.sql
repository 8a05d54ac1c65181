-- FrontDesk schema version 7: notes about heads of the record of changes that a witness may have
-- seen although the file's chain no longer contains them, for two honest reasons:
--
-- * 'superseded': a restore replaced the file with an older backup; the chain entries of the
--   discarded tail (from the copy kept before the restore) are listed here, so the anchors and
--   backups that saw them are not reported as a cut.
-- * 'copied_from': in a backup that a purge rewrote (personal data scrubbed), the head the backup
--   had when it was made; `check` compares that head, not the rewritten one, with the database.
--
-- Rows are written by FrontDesk in sealed transactions like every other record.

CREATE TABLE seal_notes (
    id    INTEGER PRIMARY KEY,
    kind  TEXT NOT NULL CHECK (kind IN ('superseded', 'copied_from')),
    entry INTEGER NOT NULL CHECK (entry >= 1),
    hash  TEXT NOT NULL,
    at    TEXT NOT NULL,
    note  TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX seal_notes_by_head ON seal_notes (kind, entry, hash);
