-- The monthly inspection report's item table in plain SQL: for each checklist item of the spot
-- checks made in [@from, @to), how often it was checked, passed, failed or not applicable.
SELECT i.text, count(*), sum(i.result = 'pass'), sum(i.result = 'fail'), sum(i.result = 'na'),
       round(100.0 * sum(i.result = 'pass') / nullif(sum(i.result <> 'na'), 0), 1)
FROM inspections s JOIN inspection_items i ON i.inspection_id = s.id
WHERE s.at >= @from AND s.at < @to
GROUP BY i.text;
