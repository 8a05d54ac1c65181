-- FrontDesk schema version 1: settings, staff, customers, visits and the visit log.
-- Times are local time text 'YYYY-MM-DD HH:MM:SS'.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE staff (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL,
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE customers (
    id         INTEGER PRIMARY KEY,
    surname    TEXT NOT NULL,
    honorific  TEXT CHECK (honorific IN ('先生', '女士')),
    name       TEXT NOT NULL DEFAULT '',
    phone      TEXT NOT NULL DEFAULT '',
    company    TEXT NOT NULL DEFAULT '',
    region     TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX customers_phone ON customers (phone) WHERE phone <> '';
CREATE INDEX customers_name ON customers (name);
CREATE INDEX customers_surname ON customers (surname);

CREATE TABLE visits (
    id                    INTEGER PRIMARY KEY,
    customer_id           INTEGER REFERENCES customers (id),
    arrived_at            TEXT NOT NULL,
    surname               TEXT NOT NULL DEFAULT '',
    honorific             TEXT CHECK (honorific IN ('先生', '女士')),
    name                  TEXT NOT NULL DEFAULT '',
    phone                 TEXT NOT NULL DEFAULT '',
    company               TEXT NOT NULL DEFAULT '',
    region                TEXT NOT NULL DEFAULT '',
    party_size            INTEGER NOT NULL DEFAULT 1 CHECK (party_size >= 1),
    purpose               TEXT NOT NULL DEFAULT '',
    is_returning          INTEGER NOT NULL DEFAULT 0 CHECK (is_returning IN (0, 1)),
    registered_at         TEXT,
    greeted_at            TEXT CHECK (greeted_at IS NULL OR greeted_at >= arrived_at),
    greeted_by            INTEGER REFERENCES staff (id),
    water_served_at       TEXT CHECK (water_served_at IS NULL OR water_served_at >= arrived_at),
    water_served_by       INTEGER REFERENCES staff (id),
    handed_over_at        TEXT,
    handed_over_to        INTEGER REFERENCES staff (id),
    seeing_off_at         TEXT,
    departed_at           TEXT CHECK (departed_at IS NULL OR departed_at >= arrived_at),
    offered_accompany     INTEGER NOT NULL DEFAULT 0 CHECK (offered_accompany IN (0, 1)),
    travel_mode           TEXT CHECK (travel_mode IN ('火车', '飞机', '自驾', '打车', '其他')),
    reminded_belongings   INTEGER NOT NULL DEFAULT 0 CHECK (reminded_belongings IN (0, 1)),
    reminded_documents    INTEGER NOT NULL DEFAULT 0 CHECK (reminded_documents IN (0, 1)),
    reminded_next_contact INTEGER NOT NULL DEFAULT 0 CHECK (reminded_next_contact IN (0, 1)),
    seen_off_by           INTEGER REFERENCES staff (id),
    cancelled_at          TEXT,
    cancel_reason         TEXT NOT NULL DEFAULT '',
    created_by            INTEGER REFERENCES staff (id),
    source                TEXT NOT NULL DEFAULT 'desk' CHECK (source IN ('desk', 'import', 'demo'))
) STRICT;
CREATE INDEX visits_arrived_at ON visits (arrived_at);
CREATE INDEX visits_present ON visits (arrived_at) WHERE departed_at IS NULL AND cancelled_at IS NULL;
CREATE INDEX visits_customer ON visits (customer_id);

-- Every action on a visit, append-only: who did what, when, and for corrections what changed.
CREATE TABLE visit_log (
    id       INTEGER PRIMARY KEY,
    visit_id INTEGER NOT NULL REFERENCES visits (id),
    at       TEXT NOT NULL,
    staff_id INTEGER REFERENCES staff (id),
    action   TEXT NOT NULL,
    detail   TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX visit_log_visit ON visit_log (visit_id);

CREATE TRIGGER visit_log_no_update BEFORE UPDATE ON visit_log
BEGIN
    SELECT RAISE(ABORT, 'visit_log is append-only');
END;
CREATE TRIGGER visit_log_no_delete BEFORE DELETE ON visit_log
BEGIN
    SELECT RAISE(ABORT, 'visit_log is append-only');
END;
