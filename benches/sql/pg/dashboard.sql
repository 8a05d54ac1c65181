-- benches/sql/dashboard.sql for PostgreSQL (psql -v first_day=… -v first_monday=…
-- -v trend_first_day=… -v today=… -v tomorrow=… -v since=… -v now=…): the supervisor
-- dashboard's figures, each statement computing what its SQLite twin computes (see there for
-- the variables). Times are text (YYYY-MM-DD HH:MM:SS), as in the file. `cargo bench --bench ten_years` prepares each
-- statement once with the variables as literals, then runs them one after the other and reads
-- every row.
-- 1. Greeting within the limit and water served per day over the 12 weeks (the weekly figures
--    are the days' counts summed; the last 30 days are shown per day).
WITH limit_secs AS (
    SELECT coalesce((SELECT value::bigint FROM settings WHERE key = 'greeting_limit_secs'), 30) AS secs
)
SELECT left(arrived_at, 10) AS day, count(*),
       count(*) FILTER (WHERE extract(epoch FROM greeted_at::timestamp - arrived_at::timestamp)
                              <= (SELECT secs FROM limit_secs)),
       count(water_served_at)
FROM visits
WHERE arrived_at >= :'first_day' AND arrived_at < :'tomorrow' AND cancelled_at IS NULL
GROUP BY day;
-- 2. Today's median greeting time.
SELECT avg(lat)::float8 FROM (
    SELECT lat, row_number() OVER (ORDER BY lat) AS k, count(*) OVER () AS n
    FROM (SELECT extract(epoch FROM greeted_at::timestamp - arrived_at::timestamp)::bigint AS lat
          FROM visits
          WHERE arrived_at >= :'today' AND arrived_at < :'tomorrow' AND cancelled_at IS NULL
            AND greeted_at IS NOT NULL) v
) r WHERE k IN ((n + 1) / 2, (n + 2) / 2);
-- 3. Complaints received and claims reported per week.
SELECT (left(received_at, 10)::date - :'first_monday'::date) / 7 AS w, count(*)
FROM complaints WHERE received_at >= :'first_monday' AND received_at < :'tomorrow' GROUP BY w;
SELECT (left(reported_at, 10)::date - :'first_monday'::date) / 7 AS w, count(*)
FROM claims WHERE reported_at >= :'first_monday' AND reported_at < :'tomorrow' GROUP BY w;
-- 4. The open complaints with what their clocks need (received, first step, next reply
--    promised, severity), and the satisfaction given on those worked on in 30 days.
SELECT id, received_at, clarified_at, next_reply_at, severity FROM complaints
WHERE status IN ('受理', '处理中', '等待客户');
--    (The two sets are united before the lookup: PostgreSQL reads the whole table for SQLite's
--    `status IN (…) OR id IN (…)`, where SQLite looks both up in their indexes.)
SELECT count(*) FILTER (WHERE satisfaction <> '不满意'), count(satisfaction) FROM complaints
WHERE id IN (SELECT id FROM complaints WHERE status IN ('受理', '处理中', '等待客户')
             UNION ALL SELECT complaint_id FROM complaint_events WHERE at >= :'since');
-- 5. Open claims and the money on them.
SELECT count(*), coalesce(sum(coalesce(agreed_fen, claimed_fen)), 0) FROM claims
WHERE status NOT IN ('已结案', '拒赔');
-- 6. The pass rate of the spot checks of 30 days, and the overdue rectifications.
SELECT round(100.0 * count(*) FILTER (WHERE i.result = 'pass')
             / nullif(count(*) FILTER (WHERE i.result IN ('pass', 'fail')), 0), 1)
FROM inspections s JOIN inspection_items i ON i.inspection_id = s.id
WHERE s.at >= :'since' AND s.at < to_char(:'now'::date + 1, 'YYYY-MM-DD');
SELECT count(*) FROM rectifications WHERE verified_pass IS DISTINCT FROM 1 AND due < :'today';
-- 7. The calls and those answered within 2 rings per day of the 30-day trend.
SELECT left(at, 10) AS day, count(*), count(*) FILTER (WHERE rings <= 2) FROM calls
WHERE at >= :'trend_first_day' AND at < :'tomorrow' GROUP BY day;
