-- FrontDesk schema version 4: accounts and roles, the hash-chained audit trail, spot-check
-- inspections with templates, rectifications, and rewards and penalties.

CREATE TABLE accounts (
    id             INTEGER PRIMARY KEY,
    username       TEXT NOT NULL UNIQUE,
    display_name   TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('front_desk', 'supervisor', 'admin')),
    password_hash  TEXT NOT NULL,
    staff_id       INTEGER REFERENCES staff (id),
    active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    failed_logins  INTEGER NOT NULL DEFAULT 0,
    locked_until   TEXT,
    created_at     TEXT NOT NULL
) STRICT;

-- Who did what, when, before and after. Append-only, and each row's hash covers the previous
-- row's hash, so a row changed by hand breaks the chain (`frontdesk check` finds it).
CREATE TABLE audit (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor_id  INTEGER,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id INTEGER,
    before    TEXT NOT NULL DEFAULT '',
    after     TEXT NOT NULL DEFAULT '',
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
) STRICT;
CREATE INDEX audit_entity ON audit (entity, entity_id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit is append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit is append-only');
END;

CREATE TABLE inspection_templates (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    builtin    INTEGER NOT NULL DEFAULT 0 CHECK (builtin IN (0, 1)),
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE inspection_template_items (
    id          INTEGER PRIMARY KEY,
    template_id INTEGER NOT NULL REFERENCES inspection_templates (id),
    position    INTEGER NOT NULL,
    text        TEXT NOT NULL
) STRICT;
CREATE INDEX inspection_template_items_template ON inspection_template_items (template_id, position);

-- An inspection keeps its own copy of the items, so editing a template never changes it.
CREATE TABLE inspections (
    id            INTEGER PRIMARY KEY,
    at            TEXT NOT NULL,
    inspector_id  INTEGER REFERENCES accounts (id),
    inspector     TEXT NOT NULL,
    target_kind   TEXT NOT NULL CHECK (target_kind IN ('staff', 'counter', 'department', 'branch', 'vehicle')),
    target        TEXT NOT NULL,
    staff_id      INTEGER REFERENCES staff (id),
    template_id   INTEGER REFERENCES inspection_templates (id),
    template_name TEXT NOT NULL,
    remark        TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX inspections_at ON inspections (at);

CREATE TABLE inspection_items (
    id            INTEGER PRIMARY KEY,
    inspection_id INTEGER NOT NULL REFERENCES inspections (id),
    position      INTEGER NOT NULL,
    text          TEXT NOT NULL,
    result        TEXT NOT NULL CHECK (result IN ('pass', 'fail', 'na')),
    note          TEXT NOT NULL DEFAULT '',
    photo         BLOB,
    photo_name    TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX inspection_items_inspection ON inspection_items (inspection_id, position);

CREATE TABLE rectifications (
    id                 INTEGER PRIMARY KEY,
    inspection_item_id INTEGER NOT NULL REFERENCES inspection_items (id),
    owner_staff_id     INTEGER REFERENCES staff (id),
    owner              TEXT NOT NULL,
    requirement        TEXT NOT NULL,
    due                TEXT NOT NULL,
    created_at         TEXT NOT NULL,
    verified_at        TEXT,
    verified_by        TEXT NOT NULL DEFAULT '',
    verified_pass      INTEGER CHECK (verified_pass IN (0, 1)),
    verify_note        TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX rectifications_open ON rectifications (due) WHERE verified_pass IS NOT 1;

CREATE TABLE rewards_penalties (
    id            INTEGER PRIMARY KEY,
    staff_id      INTEGER NOT NULL REFERENCES staff (id),
    kind          TEXT NOT NULL CHECK (kind IN ('reward', 'penalty')),
    amount_fen    INTEGER NOT NULL CHECK (amount_fen > 0),
    reason        TEXT NOT NULL,
    on_date       TEXT NOT NULL,
    inspection_id INTEGER REFERENCES inspections (id),
    complaint_id  INTEGER REFERENCES complaints (id),
    claim_id      INTEGER REFERENCES claims (id),
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL
) STRICT;
CREATE INDEX rewards_penalties_date ON rewards_penalties (on_date);

-- Built-in templates: what the service regulations check.
INSERT INTO inspection_templates (id, name, builtin, created_at) VALUES
    (1, '前台服务规范抽查', 1, '2026-01-01 00:00:00'),
    (2, '车辆与司机抽查', 1, '2026-01-01 00:00:00'),
    (3, '运价与回款抽查', 1, '2026-01-01 00:00:00');
INSERT INTO inspection_template_items (template_id, position, text) VALUES
    (1, 1, '仪容仪表:着装统一整洁,佩戴工牌,仪态端庄'),
    (1, 2, '服务用语:使用“您好、请、谢谢、对不起、再见”'),
    (1, 3, '无服务禁语:未使用“不知道、不归我管”等禁语'),
    (1, 4, '问候时效:客户到达 1 分钟内主动问候'),
    (1, 5, '柜台整洁:台面整齐,资料摆放有序'),
    (1, 6, '私人电话:工作时间私人电话不超过 3 分钟'),
    (1, 7, '工作纪律:未浏览无关网站、未玩游戏'),
    (2, 1, '车容车貌:车身清洁,标识完整'),
    (2, 2, '司机仪容仪表:着装整洁'),
    (2, 3, '服务用语:送货时使用文明用语'),
    (2, 4, '货物装载:码放整齐,防护到位'),
    (3, 1, '运价抽查:实收运费符合运价表(市场运价)'),
    (3, 2, '回款及时:代收货款按时上缴'),
    (3, 3, '运费及时上缴:当日运费当日交账');
