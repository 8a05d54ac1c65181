-- benches/sql/complaints.sql for PostgreSQL (psql -v from=… -v to=… -v now=…): the weekly
-- complaint summary of the complaints received in [from, to) as of now, the SLA clocks computed
-- from the status history with the business-hours calendar off (see the SQLite version for what
-- each figure means). Times are text (YYYY-MM-DD HH:MM:SS), as in the file.
WITH rules AS (
    SELECT coalesce((SELECT value::bigint FROM settings WHERE key = 'sla_first_response_secs'), 86400) AS first_secs,
           coalesce((SELECT value::bigint FROM settings WHERE key = 'sla_major_resolution_secs'), 172800) AS major_secs,
           coalesce((SELECT value::bigint FROM settings WHERE key = 'sla_ordinary_resolution_secs'), 432000) AS ordinary_secs
), c AS (
    SELECT id, received_at, channel, category, severity, at_fault, status, next_reply_at, satisfaction,
           status IN ('已答复', '已结案') AS done
    FROM complaints WHERE received_at >= :'from' AND received_at < :'to'
), ev AS (
    SELECT e.complaint_id AS cid, e.id, e.at, e.status,
           row_number() OVER (PARTITION BY e.complaint_id ORDER BY e.id) AS k
    FROM c JOIN complaint_events e ON e.complaint_id = c.id AND e.kind = 'status'
), t AS (
    SELECT c.*,
           (SELECT at FROM ev WHERE cid = c.id AND k = 2) AS first_at,
           CASE WHEN done THEN (
               SELECT at FROM ev WHERE cid = c.id AND id > coalesce((
                   SELECT max(id) FROM ev WHERE cid = c.id AND status IN ('受理', '处理中', '等待客户')), 0)
               ORDER BY id LIMIT 1)
           END AS resolved_at
    FROM c
), u AS (
    SELECT t.*, coalesce(resolved_at, :'now'::text) AS until FROM t
), steps AS (
    -- The changes after the creation with the state before each, up to the clock's end.
    SELECT * FROM (
        SELECT ev.cid, ev.k, ev.at, ev.status, u.until,
               lag(ev.at, 1, u.received_at) OVER p AS prev_at,
               lag(ev.status, 1, '受理') OVER p AS prev_status,
               max(ev.at) OVER p AS max_at
        FROM ev JOIN u ON u.id = ev.cid
        WHERE ev.k >= 2
        WINDOW p AS (PARTITION BY ev.cid ORDER BY ev.k)
    ) x WHERE max_at <= until
), o AS (
    SELECT u.*,
           coalesce((SELECT sum(greatest(0, extract(epoch FROM at::timestamp - prev_at::timestamp))) FROM steps
                     WHERE cid = u.id AND prev_status IN ('受理', '处理中')), 0)
           + coalesce((SELECT CASE WHEN status IN ('受理', '处理中')
                                   THEN greatest(0, extract(epoch FROM u.until::timestamp - at::timestamp)) ELSE 0 END
                       FROM steps WHERE cid = u.id ORDER BY k DESC LIMIT 1),
                      greatest(0, extract(epoch FROM u.until::timestamp - u.received_at::timestamp))) AS open_secs,
           CASE severity WHEN '重大' THEN (SELECT major_secs FROM rules) ELSE (SELECT ordinary_secs FROM rules) END AS limit_secs
    FROM u
), f AS (
    SELECT category, severity, channel, status,
           (first_at IS NOT NULL
               AND greatest(0, extract(epoch FROM first_at::timestamp - received_at::timestamp))
                   <= (SELECT first_secs FROM rules))::int AS first_met,
           (resolved_at IS NOT NULL AND open_secs <= limit_secs)::int AS resolution_met,
           (NOT done AND (
               (first_at IS NULL
                   AND greatest(0, extract(epoch FROM :'now'::timestamp - received_at::timestamp))
                       > (SELECT first_secs FROM rules))
               OR (resolved_at IS NULL AND open_secs > limit_secs)
               OR (next_reply_at IS NOT NULL AND next_reply_at::timestamp < :'now'::timestamp)
           ))::int AS overdue_open,
           (at_fault = '是')::int AS at_fault,
           (satisfaction IS NOT NULL)::int AS rated,
           coalesce((satisfaction IN ('满意', '基本满意'))::int, 0) AS satisfied
    FROM o
), summary AS (
    SELECT 1 AS d, coalesce((SELECT position FROM complaint_categories WHERE name = category AND active = 1), 1e18) AS k,
           'category' AS dimension, category AS value, count(*) AS n, sum(first_met) AS a, sum(resolution_met) AS b,
           sum(overdue_open) AS o, sum(at_fault) AS e, sum(rated) AS r, sum(satisfied) AS s
    FROM f GROUP BY category
    UNION ALL
    SELECT 2, strpos('一般重大', severity), 'severity', severity, count(*), sum(first_met), sum(resolution_met),
           sum(overdue_open), sum(at_fault), sum(rated), sum(satisfied)
    FROM f GROUP BY severity
    UNION ALL
    SELECT 3, strpos('电话来访其他', channel), 'channel', channel, count(*), sum(first_met), sum(resolution_met),
           sum(overdue_open), sum(at_fault), sum(rated), sum(satisfied)
    FROM f GROUP BY channel
    UNION ALL
    SELECT 4, strpos('受理处理中等待客户已答复已结案', status), 'status', status, count(*), sum(first_met), sum(resolution_met),
           sum(overdue_open), sum(at_fault), sum(rated), sum(satisfied)
    FROM f GROUP BY status
    UNION ALL
    SELECT 5, 0, 'total', 'all', count(*), coalesce(sum(first_met), 0), coalesce(sum(resolution_met), 0),
           coalesce(sum(overdue_open), 0), coalesce(sum(at_fault), 0), coalesce(sum(rated), 0), coalesce(sum(satisfied), 0)
    FROM f
)
SELECT dimension, value, n, a, b, o, e, r, s FROM summary ORDER BY d, k, value;
