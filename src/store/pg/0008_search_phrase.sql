-- FrontDesk schema version 8: the customer search as you type matches its query as a phrase of
-- two-character windows, `' ' || replace(grams, ' . ', ' ') || ' ' LIKE '% ab bc cd %'` (a
-- single character: `'% a%'`), as SQLite's FTS5 phrase and prefix queries do. pg_trgm cannot
-- take a trigram from a bare two-character `'%ab%'`, so the index on `grams` alone made every
-- search read the whole index (about 100 ms at 100,000 customers); this index on the padded
-- text gets real trigrams from the spaces around each window.
CREATE INDEX customer_search_phrase ON customer_search
    USING gin ((' ' || replace(grams, ' . ', ' ') || ' ') gin_trgm_ops);
DROP INDEX customer_search_grams;

INSERT INTO frontdesk_meta (key, value) VALUES ('schema_version', '8')
    ON CONFLICT (key) DO UPDATE SET value = excluded.value;
