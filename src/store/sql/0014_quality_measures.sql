-- FrontDesk schema version 14: the measures agreed for the month's most failed checklist items
-- (质量管理 4–5): for each, the agreed cause, the improvement measure, who owns it and by when;
-- the next month's report says whether it worked (reviewed_at, effective, review_note).
CREATE TABLE quality_measures (
    id             INTEGER PRIMARY KEY,
    month          TEXT NOT NULL,
    item           TEXT NOT NULL,
    cause          TEXT NOT NULL,
    measure        TEXT NOT NULL,
    owner          TEXT NOT NULL,
    owner_staff_id INTEGER REFERENCES staff (id),
    due            TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    created_by     INTEGER REFERENCES accounts (id),
    reviewed_at    TEXT,
    effective      INTEGER CHECK (effective IN (0, 1)),
    review_note    TEXT NOT NULL DEFAULT '',
    UNIQUE (month, item)
) STRICT;
CREATE INDEX quality_measures_month ON quality_measures (month);
