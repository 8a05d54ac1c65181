-- FrontDesk schema version 11: the claim reported from a call is found through an index (the
-- call list marks the calls of a page that became a claim, in one statement; a second claim from
-- the same call is refused by the same lookup), and so are the rectifications of an item.
CREATE INDEX claims_call ON claims (call_id) WHERE call_id IS NOT NULL;
-- A spot check's printed sheet lists the rectifications of its items.
CREATE INDEX rectifications_item ON rectifications (inspection_item_id);
