-- benches/sql/reception.sql for PostgreSQL (psql -v from=… -v to=…): the reception report's
-- figures per day and for the whole period over the non-cancelled visits that arrived in
-- [from, to), those seen off with the whole checklist a share of those seen off. Times are text
-- (YYYY-MM-DD HH:MM:SS), as in the file; the days come in order, as the report writes them.
WITH limit_secs AS (
    SELECT coalesce((SELECT value::bigint FROM settings WHERE key = 'greeting_limit_secs'), 30) AS secs
), v AS (
    SELECT left(arrived_at, 10) AS day,
           extract(epoch FROM greeted_at::timestamp - arrived_at::timestamp)::bigint AS lat,
           (water_served_at IS NOT NULL)::int AS water,
           (departed_at IS NOT NULL)::int AS seen_off,
           (departed_at IS NOT NULL AND offered_accompany = 1 AND travel_mode IS NOT NULL
                AND reminded_belongings = 1 AND reminded_documents = 1
                AND reminded_next_contact = 1)::int AS checklist
    FROM visits
    WHERE arrived_at >= :'from' AND arrived_at < :'to' AND cancelled_at IS NULL
), ranked AS (
    SELECT day, lat,
           row_number() OVER (PARTITION BY day ORDER BY lat) AS k,
           count(*) OVER (PARTITION BY day) AS n,
           row_number() OVER (ORDER BY lat) AS k_all,
           count(*) OVER () AS n_all
    FROM v WHERE lat IS NOT NULL
), medians AS (
    SELECT day, avg(lat)::float8 AS median FROM ranked WHERE k IN ((n + 1) / 2, (n + 2) / 2) GROUP BY day
), total_median AS (
    SELECT avg(lat)::float8 AS median FROM ranked WHERE k_all IN ((n_all + 1) / 2, (n_all + 2) / 2)
)
SELECT * FROM (
    SELECT v.day, count(*), count(lat), count(*) FILTER (WHERE lat <= (SELECT secs FROM limit_secs)),
           round(100.0 * count(*) FILTER (WHERE lat <= (SELECT secs FROM limit_secs)) / count(*), 1),
           m.median, max(lat), sum(water), round(100.0 * sum(water) / count(*), 1),
           sum(seen_off), round(100.0 * sum(seen_off) / count(*), 1),
           sum(checklist), round(100.0 * sum(checklist) / nullif(sum(seen_off), 0), 1)
    FROM v LEFT JOIN medians m USING (day)
    GROUP BY v.day, m.median
    UNION ALL
    SELECT 'total', count(*), count(lat), count(*) FILTER (WHERE lat <= (SELECT secs FROM limit_secs)),
           round(100.0 * count(*) FILTER (WHERE lat <= (SELECT secs FROM limit_secs)) / nullif(count(*), 0), 1),
           (SELECT median FROM total_median), max(lat), sum(water), round(100.0 * sum(water) / nullif(count(*), 0), 1),
           sum(seen_off), round(100.0 * sum(seen_off) / nullif(count(*), 0), 1),
           sum(checklist), round(100.0 * sum(checklist) / nullif(sum(seen_off), 0), 1)
    FROM v
) r ORDER BY day = 'total', day;
