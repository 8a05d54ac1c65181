-- The monthly claims report in plain SQL: claims reported in [@from, @to) by type, by cause (in
-- the settings' order, others after by name), by responsible party's role (each amount split by
-- the parties' shares, rounded down to the fen, the fen left over going one each to the largest
-- remainders, earlier parties first) and by status, then the total, with the claimed, agreed,
-- paid and recovered amounts (fen). This is what `frontdesk report claims --month …` computes
-- (src/report/claims.rs, src/domain/money.rs's allocate).
WITH c AS (
    SELECT id, claim_type, cause, status, claimed_fen, coalesce(agreed_fen, 0) AS agreed_fen,
           coalesce(paid_fen, 0) AS paid_fen, recovered_fen
    FROM claims WHERE reported_at >= @from AND reported_at < @to
), p AS (
    SELECT p.claim_id, p.role, p.share_bp,
           row_number() OVER (PARTITION BY p.claim_id ORDER BY p.position, p.id) AS i,
           sum(p.share_bp) OVER (PARTITION BY p.claim_id) AS shares,
           c.claimed_fen, c.agreed_fen, c.paid_fen, c.recovered_fen
    FROM c JOIN claim_parties p ON p.claim_id = c.id
), a AS (
    SELECT claim_id, role, i, 1 AS what, claimed_fen AS amount, claimed_fen * share_bp / shares AS base,
           claimed_fen * share_bp % shares AS rem FROM p
    UNION ALL
    SELECT claim_id, role, i, 2, agreed_fen, agreed_fen * share_bp / shares, agreed_fen * share_bp % shares FROM p
    UNION ALL
    SELECT claim_id, role, i, 3, paid_fen, paid_fen * share_bp / shares, paid_fen * share_bp % shares FROM p
    UNION ALL
    SELECT claim_id, role, i, 4, recovered_fen, recovered_fen * share_bp / shares,
           recovered_fen * share_bp % shares FROM p
), split AS (
    SELECT claim_id, role, what,
           base + (row_number() OVER (PARTITION BY claim_id, what ORDER BY rem DESC, i)
                   <= amount - sum(base) OVER (PARTITION BY claim_id, what)) AS part
    FROM a
), summary AS (
    SELECT 1 AS d, instr('破损丢失延误其他', claim_type) AS k, 'type' AS dimension, claim_type AS value,
           count(*) AS n, sum(claimed_fen) AS claimed, sum(agreed_fen) AS agreed, sum(paid_fen) AS paid,
           sum(recovered_fen) AS recovered
    FROM c GROUP BY claim_type
    UNION ALL
    SELECT 2, coalesce((SELECT position FROM claim_causes WHERE name = cause AND active = 1), 1e18), 'cause', cause,
           count(*), sum(claimed_fen), sum(agreed_fen), sum(paid_fen), sum(recovered_fen)
    FROM c GROUP BY cause
    UNION ALL
    SELECT 3, CASE role WHEN '司机' THEN 1 WHEN '装卸工' THEN 2 WHEN '分公司' THEN 3 WHEN '仓库' THEN 4
                        WHEN '承运商' THEN 5 WHEN '公司' THEN 6 ELSE 7 END,
           'responsible_role', role, count(DISTINCT claim_id),
           sum(part) FILTER (WHERE what = 1), sum(part) FILTER (WHERE what = 2),
           sum(part) FILTER (WHERE what = 3), sum(part) FILTER (WHERE what = 4)
    FROM split GROUP BY role
    UNION ALL
    SELECT 4, instr('报案调查中已定责已协商已赔付已结案拒赔', status), 'status', status,
           count(*), sum(claimed_fen), sum(agreed_fen), sum(paid_fen), sum(recovered_fen)
    FROM c GROUP BY status
    UNION ALL
    SELECT 5, 0, 'total', 'all', count(*), coalesce(sum(claimed_fen), 0), coalesce(sum(agreed_fen), 0),
           coalesce(sum(paid_fen), 0), coalesce(sum(recovered_fen), 0)
    FROM c
)
SELECT dimension, value, n, claimed, agreed, paid, recovered FROM summary ORDER BY d, k, value;
