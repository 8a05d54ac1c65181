-- benches/sql/quality.sql for PostgreSQL (psql -v from=… -v to=… -v today=…): the supervisor's
-- monthly quality-anomaly analysis and the month's rewards and penalties, each statement
-- computing what its SQLite twin computes (from and to are the month's first day and the next
-- month's). Times are text (YYYY-MM-DD HH:MM:SS), as in the file. `cargo bench --bench
-- ten_years` prepares each statement once with the variables as literals, then runs them one
-- after the other and reads every row.
-- 1. Spot checks: how many, the pass rate over the applicable items, the five items failed most.
SELECT count(*) FROM inspections WHERE at >= :'from' AND at < :'to';
SELECT round(100.0 * count(*) FILTER (WHERE i.result = 'pass')
             / nullif(count(*) FILTER (WHERE i.result IN ('pass', 'fail')), 0), 1)
FROM inspections s JOIN inspection_items i ON i.inspection_id = s.id
WHERE s.at >= :'from' AND s.at < :'to';
--    Ties go in the order the items were first checked (by time, spot check, then position).
WITH i AS (
    SELECT i.text, i.result, row_number() OVER (ORDER BY s.at, s.id, i.position) AS seen
    FROM inspections s JOIN inspection_items i ON i.inspection_id = s.id
    WHERE s.at >= :'from' AND s.at < :'to'
)
SELECT text, count(*) FILTER (WHERE result = 'fail') AS failed FROM i
GROUP BY text HAVING count(*) FILTER (WHERE result = 'fail') > 0 ORDER BY failed DESC, min(seen) LIMIT 5;
-- 2. Complaints per category, in the order each first came up.
SELECT category, count(*) FROM complaints WHERE received_at >= :'from' AND received_at < :'to'
GROUP BY category ORDER BY min(received_at), min(id);
-- 3. Greeting within the limit and water served over the month's visits (no share without
--    visits, as SQLite's division by zero gives NULL).
WITH limit_secs AS (
    SELECT coalesce((SELECT value::bigint FROM settings WHERE key = 'greeting_limit_secs'), 30) AS secs
)
SELECT round(100.0 * count(*) FILTER (WHERE extract(epoch FROM greeted_at::timestamp - arrived_at::timestamp)
                                            <= (SELECT secs FROM limit_secs))
             / nullif(count(*), 0), 1),
       round(100.0 * count(water_served_at) / nullif(count(*), 0), 1)
FROM visits WHERE arrived_at >= :'from' AND arrived_at < :'to' AND cancelled_at IS NULL;
-- 4. Overdue rectifications, and the month's rewards and penalties.
SELECT count(*) FROM rectifications WHERE verified_pass IS DISTINCT FROM 1 AND due < :'today';
SELECT id, staff_id, kind, amount_fen, reason, on_date, inspection_id, complaint_id, claim_id
FROM rewards_penalties WHERE on_date >= :'from' AND on_date < :'to' ORDER BY on_date, id;
