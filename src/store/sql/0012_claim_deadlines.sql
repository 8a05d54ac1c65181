-- FrontDesk schema version 12: claims get a settlement deadline (督促理赔员按时完成客户理赔), a
-- major-accident flag (重大事故, reported to the supervisors' inbox at once, like a major
-- complaint) and a mark for the matters a branch, a driver or a loader settled directly with the
-- customer (counted in the monthly report).
-- A claim reported before keeps NULL in all three: its deadline is its report day plus the
-- settings' days, and it is neither major nor settled directly. A NULL in a column added after
-- version 8 is left out of a row's seal (store/seal.rs), so the rows sealed before keep their
-- seals.
ALTER TABLE claims ADD COLUMN settle_by TEXT;
ALTER TABLE claims ADD COLUMN major INTEGER CHECK (major IN (0, 1));
ALTER TABLE claims ADD COLUMN settled_directly INTEGER CHECK (settled_directly IN (0, 1));

-- The inbox takes claims too. SQLite cannot change a CHECK constraint, so the table is rebuilt
-- with the same columns and rows (the seals cover the rows' values, which do not change).
CREATE TABLE inbox_new (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('complaint', 'call', 'claim')),
    ref_id          INTEGER NOT NULL,
    created_at      TEXT NOT NULL,
    summary         TEXT NOT NULL,
    acknowledged_at TEXT,
    acknowledged_by INTEGER REFERENCES staff (id)
) STRICT;
INSERT INTO inbox_new (id, kind, ref_id, created_at, summary, acknowledged_at, acknowledged_by)
    SELECT id, kind, ref_id, created_at, summary, acknowledged_at, acknowledged_by FROM inbox;
DROP TABLE inbox;
ALTER TABLE inbox_new RENAME TO inbox;
CREATE INDEX inbox_open ON inbox (created_at) WHERE acknowledged_at IS NULL;
