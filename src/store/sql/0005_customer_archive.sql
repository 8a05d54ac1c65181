-- FrontDesk schema version 5: the customer archive — second phone, key accounts with revisit
-- interval and owner, credit grade with its history, notes — and the substring search index.

ALTER TABLE customers ADD COLUMN phone2 TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN key_account INTEGER NOT NULL DEFAULT 0 CHECK (key_account IN (0, 1));
ALTER TABLE customers ADD COLUMN revisit_days INTEGER CHECK (revisit_days IS NULL OR revisit_days > 0);
ALTER TABLE customers ADD COLUMN owner_staff_id INTEGER REFERENCES staff (id);
ALTER TABLE customers ADD COLUMN credit_grade TEXT CHECK (credit_grade IN ('A', 'B', 'C', 'D'));
ALTER TABLE customers ADD COLUMN notes TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN last_revisit_at TEXT;

CREATE TABLE credit_history (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    at          TEXT NOT NULL,
    grade       TEXT NOT NULL CHECK (grade IN ('A', 'B', 'C', 'D')),
    reason      TEXT NOT NULL,
    changed_by  TEXT NOT NULL
) STRICT;
CREATE INDEX credit_history_customer ON credit_history (customer_id, id);

-- Search index: every two-character window of name, surname, company and phones as a token, so
-- any substring of two or more characters is a phrase query (运输 finds 重庆某运输有限公司, 5678 a
-- phone). Kept up to date by the store; rowid = customer id.
CREATE VIRTUAL TABLE customer_search USING fts5 (grams, tokenize = 'unicode61 remove_diacritics 0');
CREATE INDEX customers_key_account ON customers (key_account) WHERE key_account = 1;
