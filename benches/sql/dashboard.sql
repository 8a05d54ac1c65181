-- The supervisor dashboard's figures in plain SQL (src/app/views.rs `dashboard`): the floor it
-- is compared with in `cargo bench --bench ten_years`, which runs each statement with
--   @first_day    the first day read: the Monday 11 weeks before this week's, or 29 days ago
--   @first_monday that Monday, @trend_first_day the first of the 30 days of the trend (29 days
--   ago), @today, @tomorrow (dates), @since (now − 30 days), @now
-- and reads every row.
-- 1. Greeting within the limit and water served per day over the 12 weeks (the weekly figures
--    are the days' counts summed; the last 30 days are shown per day).
WITH limit_secs AS (
    SELECT coalesce((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'greeting_limit_secs'), 30) AS secs
)
SELECT date(arrived_at) AS day, count(*),
       sum(unixepoch(greeted_at) - unixepoch(arrived_at) <= (SELECT secs FROM limit_secs)),
       sum(water_served_at IS NOT NULL)
FROM visits
WHERE arrived_at >= @first_day AND arrived_at < @tomorrow AND cancelled_at IS NULL
GROUP BY day;
-- 2. Today's median greeting time.
SELECT avg(lat) FROM (
    SELECT lat, row_number() OVER (ORDER BY lat) AS k, count(*) OVER () AS n
    FROM (SELECT unixepoch(greeted_at) - unixepoch(arrived_at) AS lat FROM visits
          WHERE arrived_at >= @today AND arrived_at < @tomorrow AND cancelled_at IS NULL
            AND greeted_at IS NOT NULL)
) WHERE k IN ((n + 1) / 2, (n + 2) / 2);
-- 3. Complaints received and claims reported per week.
SELECT CAST((julianday(date(received_at)) - julianday(@first_monday)) / 7 AS INTEGER) AS w, count(*)
FROM complaints WHERE received_at >= @first_monday AND received_at < @tomorrow GROUP BY w;
SELECT CAST((julianday(date(reported_at)) - julianday(@first_monday)) / 7 AS INTEGER) AS w, count(*)
FROM claims WHERE reported_at >= @first_monday AND reported_at < @tomorrow GROUP BY w;
-- 4. The open complaints with what their clocks need (received, first step, next reply
--    promised, severity), and the satisfaction given on those worked on in 30 days.
SELECT id, received_at, clarified_at, next_reply_at, severity FROM complaints
WHERE status IN ('受理', '处理中', '等待客户');
SELECT sum(satisfaction <> '不满意'), count(satisfaction) FROM complaints
WHERE status IN ('受理', '处理中', '等待客户')
   OR id IN (SELECT complaint_id FROM complaint_events WHERE at >= @since);
-- 5. Open claims and the money on them.
SELECT count(*), coalesce(sum(coalesce(agreed_fen, claimed_fen)), 0) FROM claims
WHERE status NOT IN ('已结案', '拒赔');
-- 6. The pass rate of the spot checks of 30 days, and the overdue rectifications.
SELECT round(100.0 * sum(i.result = 'pass') / nullif(sum(i.result IN ('pass', 'fail')), 0), 1)
FROM inspections s JOIN inspection_items i ON i.inspection_id = s.id
WHERE s.at >= @since AND s.at < date(@now, '+1 day');
SELECT count(*) FROM rectifications WHERE verified_pass IS NOT 1 AND due < @today;
-- 7. The calls and those answered within 2 rings per day of the 30-day trend.
SELECT substr(at, 1, 10) AS day, count(*), sum(rings <= 2) FROM calls
WHERE at >= @trend_first_day AND at < @tomorrow GROUP BY day;
