-- FrontDesk schema version 3: freight damage and loss claims (理赔) with liability split,
-- insurer, evidence files, an append-only timeline and the monthly analysis text.
-- Money is INTEGER fen; shares are INTEGER basis points (10000 = 100 %).

CREATE TABLE claim_causes (
    name     TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    active   INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
) STRICT;
INSERT INTO claim_causes (name, position) VALUES
    ('装卸不当', 1), ('包装不良', 2), ('交通事故', 3), ('天气', 4), ('仓储', 5), ('其他', 6);

CREATE TABLE claims (
    id              INTEGER PRIMARY KEY,
    reported_at     TEXT NOT NULL,
    waybill         TEXT NOT NULL,
    customer_id     INTEGER REFERENCES customers (id),
    customer_name   TEXT NOT NULL,
    phone           TEXT NOT NULL DEFAULT '',
    incident_date   TEXT NOT NULL,
    incident_place  TEXT NOT NULL DEFAULT '',
    branch          TEXT NOT NULL DEFAULT '',
    claim_type      TEXT NOT NULL CHECK (claim_type IN ('破损', '丢失', '延误', '其他')),
    cause           TEXT NOT NULL,
    description     TEXT NOT NULL,
    claimed_fen     INTEGER NOT NULL CHECK (claimed_fen >= 0),
    agreed_fen      INTEGER CHECK (agreed_fen >= 0),
    paid_fen        INTEGER CHECK (paid_fen >= 0),
    status          TEXT NOT NULL CHECK (status IN ('报案', '调查中', '已定责', '已协商', '已赔付', '已结案', '拒赔')),
    reject_reason   TEXT NOT NULL DEFAULT '',
    insurer         TEXT NOT NULL DEFAULT '',
    policy_no       TEXT NOT NULL DEFAULT '',
    insurer_case_no TEXT NOT NULL DEFAULT '',
    insurer_status  TEXT NOT NULL DEFAULT '未报' CHECK (insurer_status IN ('未报', '已报', '理算中', '已赔', '拒赔')),
    recovered_fen   INTEGER NOT NULL DEFAULT 0 CHECK (recovered_fen >= 0),
    call_id         INTEGER REFERENCES calls (id),
    complaint_id    INTEGER REFERENCES complaints (id),
    visit_id        INTEGER REFERENCES visits (id),
    created_by      INTEGER REFERENCES staff (id)
) STRICT;
CREATE INDEX claims_reported_at ON claims (reported_at);
CREATE INDEX claims_status ON claims (status);
CREATE INDEX claims_complaint ON claims (complaint_id) WHERE complaint_id IS NOT NULL;
CREATE INDEX claims_customer ON claims (customer_id) WHERE customer_id IS NOT NULL;

CREATE TABLE claim_parties (
    id          INTEGER PRIMARY KEY,
    claim_id    INTEGER NOT NULL REFERENCES claims (id),
    position    INTEGER NOT NULL,
    staff_id    INTEGER REFERENCES staff (id),
    name        TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('司机', '装卸工', '分公司', '仓库', '承运商', '公司', '客户')),
    share_bp    INTEGER NOT NULL CHECK (share_bp BETWEEN 1 AND 10000),
    notified_on TEXT
) STRICT;
CREATE INDEX claim_parties_claim ON claim_parties (claim_id, position);

CREATE TABLE claim_events (
    id       INTEGER PRIMARY KEY,
    claim_id INTEGER NOT NULL REFERENCES claims (id),
    at       TEXT NOT NULL,
    staff_id INTEGER REFERENCES staff (id),
    kind     TEXT NOT NULL CHECK (kind IN ('status', 'note', 'parties', 'money', 'insurer', 'evidence', 'notified')),
    status   TEXT,
    detail   TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX claim_events_claim ON claim_events (claim_id, id);
CREATE TRIGGER claim_events_no_update BEFORE UPDATE ON claim_events
BEGIN
    SELECT RAISE(ABORT, 'claim_events is append-only');
END;
CREATE TRIGGER claim_events_no_delete BEFORE DELETE ON claim_events
BEGIN
    SELECT RAISE(ABORT, 'claim_events is append-only');
END;

-- Evidence is stored in the database file itself, so a backup carries it.
CREATE TABLE claim_files (
    id       INTEGER PRIMARY KEY,
    claim_id INTEGER NOT NULL REFERENCES claims (id),
    name     TEXT NOT NULL,
    kind     TEXT NOT NULL CHECK (kind IN ('image', 'pdf')),
    size     INTEGER NOT NULL CHECK (size > 0),
    data     BLOB NOT NULL,
    added_at TEXT NOT NULL,
    added_by INTEGER REFERENCES staff (id)
) STRICT;
CREATE INDEX claim_files_claim ON claim_files (claim_id);

CREATE TABLE claim_months (
    month      TEXT PRIMARY KEY,
    analysis   TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
) STRICT;
