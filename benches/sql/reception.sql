-- The reception report's figures in plain SQL: per day and for the whole period the visits,
-- greeted, greeted within the limit, the median and the longest greeting time, water served
-- and seen off with their shares, and seen off with the whole checklist with its share of those
-- seen off, over the non-cancelled visits that arrived in [@from, @to)
-- (the report also writes a row of zeros for a day without visits). This is what
-- `frontdesk report reception` computes (it streams the same rows through
-- src/report/reception.rs); benches/shell_floor.sh times both on the same file.
WITH limit_secs AS (
    SELECT coalesce((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'greeting_limit_secs'), 30) AS secs
), v AS (
    SELECT date(arrived_at) AS day,
           unixepoch(greeted_at) - unixepoch(arrived_at) AS lat,
           water_served_at IS NOT NULL AS water,
           departed_at IS NOT NULL AS seen_off,
           departed_at IS NOT NULL AND offered_accompany = 1 AND travel_mode IS NOT NULL
               AND reminded_belongings = 1 AND reminded_documents = 1
               AND reminded_next_contact = 1 AS checklist
    FROM visits
    WHERE arrived_at >= @from AND arrived_at < @to AND cancelled_at IS NULL
), ranked AS (
    SELECT day, lat,
           row_number() OVER (PARTITION BY day ORDER BY lat) AS k,
           count(*) OVER (PARTITION BY day) AS n,
           row_number() OVER (ORDER BY lat) AS k_all,
           count(*) OVER () AS n_all
    FROM v WHERE lat IS NOT NULL
), medians AS (
    SELECT day, avg(lat) AS median FROM ranked WHERE k IN ((n + 1) / 2, (n + 2) / 2) GROUP BY day
), total_median AS (
    SELECT avg(lat) AS median FROM ranked WHERE k_all IN ((n_all + 1) / 2, (n_all + 2) / 2)
)
SELECT v.day, count(*), count(lat), sum(lat <= (SELECT secs FROM limit_secs)),
       round(100.0 * sum(lat <= (SELECT secs FROM limit_secs)) / count(*), 1),
       m.median, max(lat), sum(water), round(100.0 * sum(water) / count(*), 1),
       sum(seen_off), round(100.0 * sum(seen_off) / count(*), 1),
       sum(checklist), round(100.0 * sum(checklist) / nullif(sum(seen_off), 0), 1)
FROM v LEFT JOIN medians m USING (day)
GROUP BY v.day
UNION ALL
SELECT 'total', count(*), count(lat), sum(lat <= (SELECT secs FROM limit_secs)),
       round(100.0 * sum(lat <= (SELECT secs FROM limit_secs)) / count(*), 1),
       (SELECT median FROM total_median), max(lat), sum(water), round(100.0 * sum(water) / count(*), 1),
       sum(seen_off), round(100.0 * sum(seen_off) / count(*), 1),
       sum(checklist), round(100.0 * sum(checklist) / nullif(sum(seen_off), 0), 1)
FROM v;
