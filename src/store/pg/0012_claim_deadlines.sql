-- FrontDesk schema version 12: a settlement deadline, a major-accident flag and the mark for
-- matters settled directly with the customer on claims, and claims in the inbox (see
-- store/sql/0012_claim_deadlines.sql).
ALTER TABLE claims ADD COLUMN settle_by TEXT COLLATE "C";
ALTER TABLE claims ADD COLUMN major BIGINT CHECK (major IN (0, 1));
ALTER TABLE claims ADD COLUMN settled_directly BIGINT CHECK (settled_directly IN (0, 1));
ALTER TABLE inbox DROP CONSTRAINT inbox_kind_check;
ALTER TABLE inbox ADD CONSTRAINT inbox_kind_check CHECK (kind IN ('complaint', 'call', 'claim'));

INSERT INTO frontdesk_meta (key, value) VALUES ('schema_version', '12')
    ON CONFLICT (key) DO UPDATE SET value = excluded.value;
