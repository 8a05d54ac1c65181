-- FrontDesk schema version 9: the desk at which each step of a visit, a complaint or a claim was
-- recorded (see store/sql/0009_desks.sql)).
ALTER TABLE visit_log ADD COLUMN desk TEXT;
ALTER TABLE complaint_events ADD COLUMN desk TEXT;
ALTER TABLE claim_events ADD COLUMN desk TEXT;

INSERT INTO frontdesk_meta (key, value) VALUES ('schema_version', '9')
    ON CONFLICT (key) DO UPDATE SET value = excluded.value;
