-- The supervisor's monthly quality-anomaly analysis and the month's rewards and penalties in plain
-- SQL (src/app/supervision.rs `monthly`): the floor it is compared with in
-- `cargo bench --bench ten_years`, which runs each statement with @from and @to (the month's
-- first day and the next month's), @today, and reads every row.
-- 1. Spot checks: how many, the pass rate over the applicable items, the five items failed most.
SELECT count(*) FROM inspections WHERE at >= @from AND at < @to;
SELECT round(100.0 * sum(i.result = 'pass') / nullif(sum(i.result IN ('pass', 'fail')), 0), 1)
FROM inspections s JOIN inspection_items i ON i.inspection_id = s.id
WHERE s.at >= @from AND s.at < @to;
--    Ties go in the order the items were first checked (by time, spot check, then position).
WITH i AS (
    SELECT i.text, i.result, row_number() OVER (ORDER BY s.at, s.id, i.position) AS seen
    FROM inspections s JOIN inspection_items i ON i.inspection_id = s.id
    WHERE s.at >= @from AND s.at < @to
)
SELECT text, sum(result = 'fail') AS failed FROM i
GROUP BY text HAVING failed > 0 ORDER BY failed DESC, min(seen) LIMIT 5;
-- 2. Complaints per category, in the order each first came up.
SELECT category, count(*) FROM complaints WHERE received_at >= @from AND received_at < @to
GROUP BY category ORDER BY min(received_at), min(id);
-- 3. Greeting within the limit and water served over the month's visits.
WITH limit_secs AS (
    SELECT coalesce((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'greeting_limit_secs'), 30) AS secs
)
SELECT round(100.0 * sum(unixepoch(greeted_at) - unixepoch(arrived_at) <= (SELECT secs FROM limit_secs)) / count(*), 1),
       round(100.0 * sum(water_served_at IS NOT NULL) / count(*), 1)
FROM visits WHERE arrived_at >= @from AND arrived_at < @to AND cancelled_at IS NULL;
-- 4. Overdue rectifications, and the month's rewards and penalties.
SELECT count(*) FROM rectifications WHERE verified_pass IS NOT 1 AND due < @today;
SELECT id, staff_id, kind, amount_fen, reason, on_date, inspection_id, complaint_id, claim_id
FROM rewards_penalties WHERE on_date >= @from AND on_date < @to ORDER BY on_date, id;
