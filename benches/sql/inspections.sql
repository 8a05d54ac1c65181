-- The monthly inspection report's item table in plain SQL: for each checklist item of the spot
-- checks made in [@from, @to), in the order first checked, how often it was checked, passed,
-- failed or not applicable, with the pass rate over the applicable checks; then the total. This
-- is what `frontdesk report inspections --month …` computes (src/report/inspections.rs).
WITH i AS (
    SELECT i.text, i.result, row_number() OVER (ORDER BY s.at, s.id, i.position) AS seen
    FROM inspections s JOIN inspection_items i ON i.inspection_id = s.id
    WHERE s.at >= @from AND s.at < @to
), summary AS (
    SELECT min(seen) AS k, text, count(*) AS n, sum(result = 'pass') AS passed,
           sum(result = 'fail') AS failed, sum(result = 'na') AS na
    FROM i GROUP BY text
    UNION ALL
    SELECT 1e18, 'total', count(*), coalesce(sum(result = 'pass'), 0), coalesce(sum(result = 'fail'), 0),
           coalesce(sum(result = 'na'), 0)
    FROM i
)
SELECT text, n, passed, failed, na, round(100.0 * passed / nullif(passed + failed, 0), 1)
FROM summary ORDER BY k;
