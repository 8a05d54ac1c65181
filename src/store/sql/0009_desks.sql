-- FrontDesk schema version 9: the desk at which each step of a visit, a complaint or a claim was
-- recorded, so the reception board shows who did each step where, and a save refused because
-- another desk changed the record first names that desk (store/versions.rs); and indexes for a
-- customer's calls, callbacks and complaints.
-- Steps recorded before keep NULL. A NULL in a column added after version 8 is left out of a
-- row's seal (store/seal.rs), so the rows sealed before keep their seals.
ALTER TABLE visit_log ADD COLUMN desk TEXT;
ALTER TABLE complaint_events ADD COLUMN desk TEXT;
ALTER TABLE claim_events ADD COLUMN desk TEXT;
-- A customer's page lists their calls, callbacks and complaints: read through an index.
CREATE INDEX calls_customer ON calls (customer_id) WHERE customer_id IS NOT NULL;
CREATE INDEX callbacks_customer ON callbacks (customer_id) WHERE customer_id IS NOT NULL;
CREATE INDEX complaints_customer ON complaints (customer_id) WHERE customer_id IS NOT NULL;
