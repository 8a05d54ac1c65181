-- The monthly claims report's groupings in plain SQL: claims reported in [@from, @to) by type,
-- by cause and by branch, with the claimed, agreed, paid and recovered amounts (fen).
SELECT 'type', claim_type, count(*), sum(claimed_fen), sum(coalesce(agreed_fen, 0)),
       sum(coalesce(paid_fen, 0)), sum(recovered_fen)
FROM claims WHERE reported_at >= @from AND reported_at < @to GROUP BY claim_type
UNION ALL
SELECT 'cause', cause, count(*), sum(claimed_fen), sum(coalesce(agreed_fen, 0)),
       sum(coalesce(paid_fen, 0)), sum(recovered_fen)
FROM claims WHERE reported_at >= @from AND reported_at < @to GROUP BY cause
UNION ALL
SELECT 'branch', branch, count(*), sum(claimed_fen), sum(coalesce(agreed_fen, 0)),
       sum(coalesce(paid_fen, 0)), sum(recovered_fen)
FROM claims WHERE reported_at >= @from AND reported_at < @to GROUP BY branch;
