-- FrontDesk schema version 2: service calls, callbacks, complaints with their timeline,
-- the supervisors' inbox and the weekly complaint summary.

CREATE TABLE complaint_categories (
    name     TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    active   INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
) STRICT;
INSERT INTO complaint_categories (name, position) VALUES
    ('服务态度', 1), ('货物破损', 2), ('延误', 3), ('运费争议', 4), ('货物丢失', 5), ('其他', 6);

CREATE TABLE calls (
    id            INTEGER PRIMARY KEY,
    at            TEXT NOT NULL,
    rings         INTEGER NOT NULL CHECK (rings >= 1),
    apology_said  INTEGER CHECK (apology_said IN (0, 1)),
    caller_name   TEXT NOT NULL DEFAULT '',
    phone         TEXT NOT NULL DEFAULT '',
    region        TEXT NOT NULL DEFAULT '',
    category      TEXT NOT NULL CHECK (category IN ('咨询', '查询', '投诉', '理赔', '其他')),
    content       TEXT NOT NULL,
    answer        TEXT NOT NULL DEFAULT '',
    repeated_back INTEGER NOT NULL DEFAULT 0 CHECK (repeated_back IN (0, 1)),
    outcome       TEXT NOT NULL DEFAULT '已解答' CHECK (outcome IN ('已解答', '待跟进', '已转投诉', '其他')),
    escalated     INTEGER NOT NULL DEFAULT 0 CHECK (escalated IN (0, 1)),
    staff_id      INTEGER REFERENCES staff (id),
    customer_id   INTEGER REFERENCES customers (id),
    complaint_id  INTEGER REFERENCES complaints (id)
) STRICT;
CREATE INDEX calls_at ON calls (at);
CREATE INDEX calls_category_at ON calls (category, at);
CREATE INDEX calls_staff_at ON calls (staff_id, at);

CREATE TABLE complaints (
    id            INTEGER PRIMARY KEY,
    received_at   TEXT NOT NULL,
    channel       TEXT NOT NULL CHECK (channel IN ('电话', '来访', '其他')),
    customer_id   INTEGER REFERENCES customers (id),
    customer_name TEXT NOT NULL,
    phone         TEXT NOT NULL DEFAULT '',
    waybill       TEXT NOT NULL DEFAULT '',
    category      TEXT NOT NULL,
    severity      TEXT NOT NULL CHECK (severity IN ('一般', '重大')),
    at_fault      TEXT NOT NULL CHECK (at_fault IN ('是', '否', '待查')),
    content       TEXT NOT NULL,
    received_by   INTEGER REFERENCES staff (id),
    status        TEXT NOT NULL CHECK (status IN ('受理', '处理中', '等待客户', '已答复', '已结案')),
    facts         TEXT NOT NULL DEFAULT '',
    clarified_at  TEXT,
    next_reply_at TEXT,
    recorded_at   TEXT,
    reported_to   TEXT NOT NULL DEFAULT '',
    reported_at   TEXT,
    satisfaction  TEXT CHECK (satisfaction IN ('满意', '基本满意', '不满意')),
    call_id       INTEGER REFERENCES calls (id)
) STRICT;
CREATE INDEX complaints_received_at ON complaints (received_at);
CREATE INDEX complaints_status ON complaints (status);

-- The complaint's timeline, append-only: steps, handling entries, replies, status changes, edits.
CREATE TABLE complaint_events (
    id            INTEGER PRIMARY KEY,
    complaint_id  INTEGER NOT NULL REFERENCES complaints (id),
    at            TEXT NOT NULL,
    staff_id      INTEGER REFERENCES staff (id),
    kind          TEXT NOT NULL CHECK (kind IN ('status', 'clarified', 'handling', 'reply', 'recorded', 'reported', 'edit')),
    status        TEXT CHECK (status IN ('受理', '处理中', '等待客户', '已答复', '已结案')),
    detail        TEXT NOT NULL DEFAULT '',
    reply_channel TEXT,
    next_reply_at TEXT
) STRICT;
CREATE INDEX complaint_events_complaint ON complaint_events (complaint_id, id);
CREATE TRIGGER complaint_events_no_update BEFORE UPDATE ON complaint_events
BEGIN
    SELECT RAISE(ABORT, 'complaint_events is append-only');
END;
CREATE TRIGGER complaint_events_no_delete BEFORE DELETE ON complaint_events
BEGIN
    SELECT RAISE(ABORT, 'complaint_events is append-only');
END;

CREATE TABLE callbacks (
    id           INTEGER PRIMARY KEY,
    due          TEXT NOT NULL,
    name         TEXT NOT NULL DEFAULT '',
    phone        TEXT NOT NULL DEFAULT '',
    purpose      TEXT NOT NULL DEFAULT '',
    call_id      INTEGER REFERENCES calls (id),
    complaint_id INTEGER REFERENCES complaints (id),
    customer_id  INTEGER REFERENCES customers (id),
    created_at   TEXT NOT NULL,
    created_by   INTEGER REFERENCES staff (id),
    done_at      TEXT,
    done_by      INTEGER REFERENCES staff (id),
    quality      TEXT CHECK (quality IN ('满意', '基本满意', '不满意')),
    usage        TEXT NOT NULL DEFAULT '',
    satisfaction TEXT CHECK (satisfaction IN ('满意', '基本满意', '不满意')),
    notes        TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX callbacks_open_due ON callbacks (due) WHERE done_at IS NULL;

-- Major complaints and escalated calls wait here until a supervisor acknowledges them.
CREATE TABLE inbox (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('complaint', 'call')),
    ref_id          INTEGER NOT NULL,
    created_at      TEXT NOT NULL,
    summary         TEXT NOT NULL,
    acknowledged_at TEXT,
    acknowledged_by INTEGER REFERENCES staff (id)
) STRICT;
CREATE INDEX inbox_open ON inbox (created_at) WHERE acknowledged_at IS NULL;

-- Per ISO week: the business volume (waybills) and the analysis-and-suggestions text.
CREATE TABLE complaint_weeks (
    week       TEXT PRIMARY KEY,
    waybills   INTEGER CHECK (waybills IS NULL OR waybills >= 0),
    analysis   TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
) STRICT;

-- Faster customer suggestions: the last four digits of a phone, and company prefixes.
CREATE INDEX customers_phone_tail ON customers (substr(phone, -4));
CREATE INDEX customers_company ON customers (company);
