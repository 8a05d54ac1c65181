-- FrontDesk schema version 10: text indexes for the free-text filters of the visit history, the
-- call log and the complaint list, which read their whole table with `LIKE '%…%'` (1.2 s for the
-- count alone at 1,000,000 visits). Like the customer search (version 5), each is an FTS5 table
-- whose rowid is the record's id and whose text is the two-character windows of the searched
-- fields (store/text_search.rs); contentless (the windows are only in the index, not stored a
-- second time: 114 MB less at 1,000,000 visits), with deletes (SQLite 3.43). The store keeps them
-- up to date in every write and builds them for the records already there when a file is
-- upgraded. They are an index, not records: not
-- sealed, rebuilt from the records, and compacted by the purge like the customer search.
CREATE VIRTUAL TABLE visit_search USING fts5 (grams, tokenize = 'unicode61 remove_diacritics 0', content = '', contentless_delete = 1);
CREATE VIRTUAL TABLE call_search USING fts5 (grams, tokenize = 'unicode61 remove_diacritics 0', content = '', contentless_delete = 1);
CREATE VIRTUAL TABLE complaint_search USING fts5 (grams, tokenize = 'unicode61 remove_diacritics 0', content = '', contentless_delete = 1);
-- The complaint list shows the complaints with a step in the last days.
CREATE INDEX complaint_events_at ON complaint_events (at);
