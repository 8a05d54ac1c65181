-- FrontDesk schema version 9: the desk at which each step of a visit, a complaint or a claim was
-- recorded (see store/sql/0009_desks.sql)).
ALTER TABLE visit_log ADD COLUMN desk TEXT;
ALTER TABLE complaint_events ADD COLUMN desk TEXT;
ALTER TABLE claim_events ADD COLUMN desk TEXT;
-- A customer's page lists their calls, callbacks and complaints: read through an index.
CREATE INDEX calls_customer ON calls (customer_id) WHERE customer_id IS NOT NULL;
CREATE INDEX callbacks_customer ON callbacks (customer_id) WHERE customer_id IS NOT NULL;
CREATE INDEX complaints_customer ON complaints (customer_id) WHERE customer_id IS NOT NULL;

INSERT INTO frontdesk_meta (key, value) VALUES ('schema_version', '9')
    ON CONFLICT (key) DO UPDATE SET value = excluded.value;
