-- FrontDesk schema version 10: text indexes for the free-text filters of the visit history, the
-- call log and the complaint list (see store/sql/0010_text_search.sql). As `customer_search`: a
-- plain table `(rowid, grams)` per record kind, with a trigram index on the padded text for the
-- phrase match (store/pg/0008_search_phrase.sql). Run `frontdesk server-setup` after the
-- upgrade: it grants the desks the new tables.
CREATE TABLE visit_search (
    rowid BIGINT PRIMARY KEY,
    grams TEXT COLLATE "C" NOT NULL
);
CREATE INDEX visit_search_phrase ON visit_search
    USING gin ((' ' || replace(grams, ' . ', ' ') || ' ') gin_trgm_ops);
CREATE TABLE call_search (
    rowid BIGINT PRIMARY KEY,
    grams TEXT COLLATE "C" NOT NULL
);
CREATE INDEX call_search_phrase ON call_search
    USING gin ((' ' || replace(grams, ' . ', ' ') || ' ') gin_trgm_ops);
CREATE TABLE complaint_search (
    rowid BIGINT PRIMARY KEY,
    grams TEXT COLLATE "C" NOT NULL
);
CREATE INDEX complaint_search_phrase ON complaint_search
    USING gin ((' ' || replace(grams, ' . ', ' ') || ' ') gin_trgm_ops);
-- The complaint list shows the complaints with a step in the last days.
CREATE INDEX complaint_events_at ON complaint_events (at);

INSERT INTO frontdesk_meta (key, value) VALUES ('schema_version', '10')
    ON CONFLICT (key) DO UPDATE SET value = excluded.value;
