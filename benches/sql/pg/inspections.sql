-- benches/sql/inspections.sql for PostgreSQL (psql -v from=… -v to=…): for each checklist item
-- of the spot checks made in [from, to), in the order first checked, how often it was checked,
-- passed, failed or not applicable, with the pass rate; then the total.
WITH i AS (
    SELECT i.text, i.result, row_number() OVER (ORDER BY s.at, s.id, i.position) AS seen
    FROM inspections s JOIN inspection_items i ON i.inspection_id = s.id
    WHERE s.at >= :'from' AND s.at < :'to'
), summary AS (
    SELECT min(seen) AS k, text, count(*) AS n, count(*) FILTER (WHERE result = 'pass') AS passed,
           count(*) FILTER (WHERE result = 'fail') AS failed, count(*) FILTER (WHERE result = 'na') AS na
    FROM i GROUP BY text
    UNION ALL
    SELECT 1e18, 'total', count(*), count(*) FILTER (WHERE result = 'pass'), count(*) FILTER (WHERE result = 'fail'),
           count(*) FILTER (WHERE result = 'na')
    FROM i
)
SELECT text, n, passed, failed, na, round(100.0 * passed / nullif(passed + failed, 0), 1)
FROM summary ORDER BY k;
