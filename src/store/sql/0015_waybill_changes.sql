-- FrontDesk schema version 15: waybill change requests (更改收货人、联系电话), and the indexes the
-- daily work report's figures read through.
-- A request is recorded from a call or a visit (or on its own): the waybill, who asked and
-- whether their identity as the shipper was checked, the new consignee and/or phone, and the
-- department it is passed to (operations). Operations' answer (changed, or refused and why) is
-- recorded, and the request is done when the answer has been confirmed back to the customer.
-- The requester's name and phone, the new consignee and phone are personal data: the purge and
-- an erase on request clear them (store/privacy.rs).
CREATE TABLE waybill_changes (
    id               INTEGER PRIMARY KEY,
    at               TEXT NOT NULL,
    waybill_no       TEXT NOT NULL,
    customer_id      INTEGER REFERENCES customers (id),
    call_id          INTEGER REFERENCES calls (id),
    visit_id         INTEGER REFERENCES visits (id),
    requester        TEXT NOT NULL,
    requester_phone  TEXT NOT NULL DEFAULT '',
    identity_checked INTEGER NOT NULL CHECK (identity_checked IN (0, 1)),
    new_consignee    TEXT NOT NULL DEFAULT '',
    new_phone        TEXT NOT NULL DEFAULT '',
    note             TEXT NOT NULL DEFAULT '',
    department       TEXT NOT NULL,
    recorded_by      INTEGER REFERENCES staff (id),
    handled_at       TEXT,
    handled_by       TEXT NOT NULL DEFAULT '',
    changed          INTEGER CHECK (changed IN (0, 1)),
    handling_note    TEXT NOT NULL DEFAULT '',
    confirmed_at     TEXT,
    confirmed_by     INTEGER REFERENCES staff (id),
    confirm_note     TEXT NOT NULL DEFAULT '',
    desk             TEXT
) STRICT;
CREATE INDEX waybill_changes_at ON waybill_changes (at);
CREATE INDEX waybill_changes_open ON waybill_changes (at) WHERE confirmed_at IS NULL;
CREATE INDEX waybill_changes_waybill ON waybill_changes (waybill_no);
CREATE INDEX waybill_changes_customer ON waybill_changes (customer_id) WHERE customer_id IS NOT NULL;

-- 按时出勤: a reward or penalty may be given for a day's attendance (a late arrival, a month
-- without one); NULL for the rows there, left out of their seals (store/seal.rs).
ALTER TABLE rewards_penalties ADD COLUMN attendance_id INTEGER REFERENCES attendance (id);

-- The daily work report counts each person's callbacks done and claims worked in a day.
CREATE INDEX callbacks_done_at ON callbacks (done_at) WHERE done_at IS NOT NULL;
CREATE INDEX claim_events_at ON claim_events (at);
