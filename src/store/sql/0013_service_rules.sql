-- FrontDesk schema version 13: the rest of the service regulations.
-- - 首问负责制 / 一跟到底: a complaint, a claim or an escalated call handed to a colleague or a
--   department with a reason (case_transfers); the receiver accepts it, gives the outcome, and the
--   owner (who took it first) confirms it back. Until then the case is on both people's lists.
-- - 电话 12 (告知对方姓名、大概事项): a call passed to a colleague records to whom and the note passed on.
-- - 按时出勤, 做好签到: one sign-in and sign-out per staff member and day (attendance).
-- - 每日工作报表: each staff member's day, its figures as generated at submission, their remarks, and
--   when a supervisor read it (daily_reports).
-- - 突发事件: the on-site incident log (incidents).
-- - 征求大客户对客服人员的意见: the key account's feedback on the staff serving it, with each revisit
--   (callbacks.staff_feedback).
-- Columns added to existing tables are NULL for the rows there: left out of the rows' seals
-- (store/seal.rs), so they keep them.
ALTER TABLE calls ADD COLUMN transferred_to INTEGER REFERENCES staff (id);
ALTER TABLE calls ADD COLUMN transfer_note TEXT;
ALTER TABLE callbacks ADD COLUMN staff_feedback TEXT;

CREATE TABLE case_transfers (
    id            INTEGER PRIMARY KEY,
    case_kind     TEXT NOT NULL CHECK (case_kind IN ('complaint', 'claim', 'call')),
    case_id       INTEGER NOT NULL,
    at            TEXT NOT NULL,
    from_staff_id INTEGER REFERENCES staff (id),
    to_staff_id   INTEGER REFERENCES staff (id),
    department    TEXT NOT NULL DEFAULT '',
    reason        TEXT NOT NULL,
    accepted_at   TEXT,
    accepted_by   INTEGER REFERENCES staff (id),
    outcome       TEXT NOT NULL DEFAULT '',
    outcome_at    TEXT,
    confirmed_at  TEXT,
    desk          TEXT
) STRICT;
CREATE INDEX case_transfers_case ON case_transfers (case_kind, case_id);
CREATE INDEX case_transfers_to_open ON case_transfers (to_staff_id) WHERE confirmed_at IS NULL;
CREATE INDEX case_transfers_from_open ON case_transfers (from_staff_id) WHERE confirmed_at IS NULL;

CREATE TABLE attendance (
    id            INTEGER PRIMARY KEY,
    staff_id      INTEGER NOT NULL REFERENCES staff (id),
    day           TEXT NOT NULL,
    signed_in_at  TEXT NOT NULL,
    signed_out_at TEXT,
    desk          TEXT,
    UNIQUE (staff_id, day)
) STRICT;
CREATE INDEX attendance_day ON attendance (day);

CREATE TABLE daily_reports (
    id                INTEGER PRIMARY KEY,
    staff_id          INTEGER NOT NULL REFERENCES staff (id),
    day               TEXT NOT NULL,
    visits_greeted    INTEGER NOT NULL DEFAULT 0,
    greeted_on_time   INTEGER NOT NULL DEFAULT 0,
    calls_answered    INTEGER NOT NULL DEFAULT 0,
    calls_on_time     INTEGER NOT NULL DEFAULT 0,
    complaints_taken  INTEGER NOT NULL DEFAULT 0,
    complaints_closed INTEGER NOT NULL DEFAULT 0,
    callbacks_done    INTEGER NOT NULL DEFAULT 0,
    claims_worked     INTEGER NOT NULL DEFAULT 0,
    remarks           TEXT NOT NULL DEFAULT '',
    submitted_at      TEXT NOT NULL,
    read_at           TEXT,
    read_by_id        INTEGER REFERENCES accounts (id),
    read_by           TEXT NOT NULL DEFAULT '',
    UNIQUE (staff_id, day)
) STRICT;
CREATE INDEX daily_reports_day ON daily_reports (day);

CREATE TABLE incidents (
    id                 INTEGER PRIMARY KEY,
    at                 TEXT NOT NULL,
    kind               TEXT NOT NULL CHECK (kind IN ('dispute', 'accident', 'outage', 'other')),
    description        TEXT NOT NULL,
    customers_informed INTEGER CHECK (customers_informed IN (0, 1)),
    handling           TEXT NOT NULL DEFAULT '',
    resolved_at        TEXT,
    recorded_by        INTEGER REFERENCES staff (id),
    desk               TEXT
) STRICT;
CREATE INDEX incidents_at ON incidents (at);
CREATE INDEX incidents_open ON incidents (at) WHERE resolved_at IS NULL;
