
-- obligations: what a deal desk must watch (doc/design.md, "Obligations").
-- Plain SQL and PL/pgSQL over the model tables, shared by both editions.
--
--   commitment_burndown  one commitment, slice by slice: spend against the
--                        straight line, the trailing rate, the projection
--   obligations_due      the dates coming up: first-refusal answers due,
--                        exclusivities, shares and commitments ending, first
--                        launches' waiting periods ending
--
-- Money follows the exactness rule: a flow's spend inside the commitment's
-- term (up to on_date) is its exact part by largest remainder
-- (prorate_within), and that part is split over the slices by prorate, so
-- the slices of a flow sum to its part and the cumulative column at the end
-- of the term is to the cent the spend inside the term.

CREATE FUNCTION @extschema@.commitment_burndown(clause_id text, grain text DEFAULT 'month',
                                                fy_start int DEFAULT 1, on_date date DEFAULT current_date)
    RETURNS TABLE (slice_start date, slice_end date, label text, currency char(3),
                   committed numeric, consumed numeric, cumulative numeric, required_cumulative numeric,
                   trailing_90d_daily numeric, projected_end date, shortfall numeric)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    today date := on_date;
    c   record;
    mu  int;
    lo  date;
    hi  date;           -- exclusive
    todate daterange;   -- the term's days up to on_date
BEGIN
    IF clause_id IS NULL THEN
        RAISE EXCEPTION 'invalid clause_id NULL' USING ERRCODE = '22023',
            DETAIL = 'Argument "clause_id" must name a commitment clause.';
    END IF;
    IF on_date IS NULL OR NOT isfinite(on_date) THEN
        RAISE EXCEPTION 'invalid on_date "%"', coalesce(on_date::text, 'NULL') USING ERRCODE = '22023',
            DETAIL = 'Argument "on_date" must be a finite date.';
    END IF;
    SELECT k.id, k.kind, k.amount, k.currency, k.valid, k.grantor, k.holder INTO c
    FROM @extschema@.clause k WHERE k.id = commitment_burndown.clause_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'clause "%" does not exist', clause_id USING ERRCODE = '22023';
    END IF;
    IF c.kind <> 'commitment' THEN
        RAISE EXCEPTION 'clause "%" is not a commitment', clause_id USING ERRCODE = '22023',
            DETAIL = format('Its kind is %s.', c.kind);
    END IF;
    IF lower_inf(c.valid) OR upper_inf(c.valid)
       OR NOT isfinite(lower(c.valid)) OR NOT isfinite(upper(c.valid)) THEN
        RAISE EXCEPTION 'commitment "%" has no bounded term (valid %)', clause_id, c.valid USING ERRCODE = '22023',
            DETAIL = 'A burn-down needs the first and the last day of the commitment.';
    END IF;
    lo := lower(c.valid);
    hi := upper(c.valid);
    mu := @extschema@.minor_unit(c.currency);
    todate := c.valid * daterange(NULL, today + 1);
    -- (slice_of validates grain and fy_start with its own errors)
    PERFORM @extschema@.slice_of(lo, grain, fy_start);
    RETURN QUERY
    WITH RECURSIVE slices AS (
        SELECT s.slice_start, s.slice_end, s.label FROM @extschema@.slice_of(lo, grain, fy_start) AS s
        UNION ALL
        SELECT n.slice_start, n.slice_end, n.label
        FROM slices p, @extschema@.slice_of(p.slice_end + 1, grain, fy_start) AS n
        WHERE p.slice_end + 1 < hi),
    spend AS (          -- the spend flows with the holder, in the commitment's currency
        SELECT f.amount, f.period
        FROM @extschema@.revenue_flow f
        WHERE f.buyer = c.grantor AND f.seller = c.holder AND f.currency = c.currency
          AND NOT isempty(todate) AND f.period && todate),
    parts AS (          -- each flow's part inside the term to date, split over the slices
        SELECT p.slice_start, sum(p.gross) AS gross
        FROM spend s,
             @extschema@.prorate(@extschema@.prorate_within(s.amount, s.period, c.currency, todate),
                                 s.period * todate, grain, fy_start, c.currency) AS p
        GROUP BY p.slice_start),
    cells AS (
        SELECT sl.*, least(sl.slice_end, today, hi - 1) AS asof,
               CASE WHEN sl.slice_start <= today AND lo <= today THEN round(coalesce(pt.gross, 0), mu) END AS consumed
        FROM slices sl LEFT JOIN parts pt ON pt.slice_start = sl.slice_start),
    running AS (
        SELECT ce.*,
               CASE WHEN ce.consumed IS NOT NULL
                    THEN sum(ce.consumed) OVER (ORDER BY ce.slice_start) END AS cumulative,
               -- mean daily spend over the (up to) 90 days of the term ending at asof
               CASE WHEN ce.consumed IS NOT NULL THEN
                   (SELECT coalesce(sum(@extschema@.prorate_within(s.amount, s.period, c.currency, w.win)), 0)
                           / (upper(w.win) - lower(w.win))
                    FROM (SELECT c.valid * daterange(ce.asof - 89, ce.asof + 1) AS win) AS w
                    LEFT JOIN spend s ON s.period && w.win
                    GROUP BY w.win) END AS rate
        FROM cells ce)
    SELECT r.slice_start, r.slice_end, r.label, c.currency, round(c.amount, mu),
           r.consumed, r.cumulative,
           round(c.amount * (least(r.slice_end + 1, hi) - lo) / (hi - lo), mu),
           round(r.rate, mu),
           CASE WHEN r.cumulative < c.amount AND r.rate > 0
                THEN r.asof + ceil((c.amount - r.cumulative) / r.rate)::int END,
           CASE WHEN r.cumulative IS NOT NULL
                THEN round(greatest(c.amount - r.cumulative - r.rate * (hi - 1 - r.asof), 0), mu) END
    FROM running r
    ORDER BY r.slice_start;
END $$;
COMMENT ON FUNCTION @extschema@.commitment_burndown(text, text, int, date) IS
    'per slice of a commitment''s term: committed, spend with the holder in the slice (exact parts, days up to on_date; NULL for later slices), cumulative, the straight-line required cumulative at the slice''s end, the mean daily spend over the trailing 90 days of the term, the day the commitment is met at that rate and the shortfall it leaves at the end of the term';

CREATE FUNCTION @extschema@.obligations_due(within interval DEFAULT '90 days', on_date date DEFAULT current_date)
    RETURNS TABLE (due_on date, obligation text, clause_id text, workload_id text,
                   party text, counterparty text, message text)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    today date := on_date;
    until date;
BEGIN
    IF on_date IS NULL OR NOT isfinite(on_date) THEN
        RAISE EXCEPTION 'invalid on_date "%"', coalesce(on_date::text, 'NULL') USING ERRCODE = '22023',
            DETAIL = 'Argument "on_date" must be a finite date.';
    END IF;
    IF within IS NULL OR within < interval '0' THEN
        RAISE EXCEPTION 'invalid within "%"', coalesce(within::text, 'NULL') USING ERRCODE = '22023',
            DETAIL = 'Argument "within" must be an interval of zero or more, e.g. ''90 days''.';
    END IF;
    until := (on_date + within)::date;
    RETURN QUERY
    WITH rofr_state AS (   -- per right of first refusal and workload: the last step as of today
        SELECT DISTINCT ON (k.id, w.id) k.id AS cid, w.id AS wid, k.holder, k.grantor, k.window_days,
               e.kind AS last_kind, e.on_date AS last_on
        FROM @extschema@.clause k
        JOIN @extschema@.workload w ON w.owner = k.grantor AND k.valid @> w.requested_on
                                   AND @extschema@.products_match(k.products, w.product)
        JOIN @extschema@.placement_event e ON e.workload_id = w.id AND e.holder = k.holder
                                          AND e.kind IN ('offer', 'decline', 'accept') AND e.on_date <= today
        WHERE k.kind = 'rofr'
        ORDER BY k.id, w.id, e.on_date DESC,
                 CASE e.kind WHEN 'accept' THEN 0 WHEN 'decline' THEN 1 ELSE 2 END),
    launches AS (          -- per first-launch clause and workload: the first launch inside its scope
        SELECT DISTINCT ON (k.id, w.id) k.id AS cid, w.id AS wid, k.holder, k.grantor, k.lag_days,
               e.on_date AS launched_on, e.at
        FROM @extschema@.clause k
        JOIN @extschema@.workload w ON w.owner = k.grantor AND k.valid @> w.requested_on
                                   AND @extschema@.products_match(k.products, w.product)
        JOIN @extschema@.placement_event e ON e.workload_id = w.id AND e.kind = 'launch'
                                          AND e.at OPERATOR(@extschema@.<@) k.scope AND e.on_date <= today
        WHERE k.kind = 'first_launch'
        ORDER BY k.id, w.id, e.on_date),
    due AS (
        SELECT r.last_on + r.window_days AS due_on, 'rofr_answer_due' AS obligation, r.cid, r.wid,
               r.holder AS party, r.grantor AS counterparty,
               format('%s must answer the offer of workload %s made on %s; unanswered, the right lapses on %s',
                      r.holder, r.wid, r.last_on, r.last_on + r.window_days) AS message
        FROM rofr_state r WHERE r.last_kind = 'offer'
        UNION ALL
        SELECT l.launched_on + l.lag_days, 'first_launch_wait_ends', l.cid, l.wid, l.grantor, l.holder,
               format('workload %s launched at %s on %s; other endpoints may follow from %s',
                      l.wid, l.at, l.launched_on, l.launched_on + l.lag_days)
        FROM launches l
        UNION ALL
        -- a commitment is due on its last day; other clauses' end is the
        -- first day they no longer bind
        SELECT upper(k.valid) - CASE WHEN k.kind = 'commitment' THEN 1 ELSE 0 END,
               k.kind || '_ends', k.id, NULL, k.grantor, k.holder,
               CASE k.kind
                   WHEN 'exclusivity' THEN format('the exclusivity of %s over %s (%s) ends: other endpoints are free from %s',
                                                  k.holder, k.grantor, k.scope, upper(k.valid))
                   WHEN 'revenue_share' THEN format('the revenue share %s owes %s ends; none is owed from %s',
                                                    k.grantor, k.holder, upper(k.valid))
                   WHEN 'commitment' THEN format('the commitment of %s to spend %s %s with %s ends: %s is its last day; %s %s remain to be spent',
                                                 k.grantor, round(k.amount, @extschema@.minor_unit(k.currency)), k.currency, k.holder,
                                                 upper(k.valid) - 1,
                                                 round(greatest(k.amount - coalesce((
                                                     SELECT sum(@extschema@.prorate_within(f.amount, f.period, f.currency,
                                                                                           k.valid * daterange(NULL, today + 1)))
                                                     FROM @extschema@.revenue_flow f
                                                     WHERE f.buyer = k.grantor AND f.seller = k.holder AND f.currency = k.currency
                                                       AND f.period && (k.valid * daterange(NULL, today + 1))), 0), 0),
                                                       @extschema@.minor_unit(k.currency)),
                                                 k.currency)
                   ELSE format('%s clause %s of %s with %s ends', k.kind, k.id, k.grantor, k.holder) END
        FROM @extschema@.clause k
        WHERE NOT upper_inf(k.valid) AND k.kind IN ('exclusivity', 'revenue_share', 'commitment', 'rofr', 'first_launch', 'primary_partner'))
    SELECT d.due_on, d.obligation, d.cid, d.wid, d.party, d.counterparty, d.message
    FROM due d
    WHERE d.due_on >= today AND d.due_on <= until
    ORDER BY d.due_on, d.obligation, d.cid COLLATE "C", d.wid COLLATE "C";
END $$;
COMMENT ON FUNCTION @extschema@.obligations_due(interval, date) IS
    'what falls due from on_date to on_date + within: answers to open first-refusal offers (the day the right lapses), the day other endpoints may follow a first launch, and the days clauses end (exclusivity, revenue share, commitment with what remains to be spent, rofr, first_launch, primary_partner); party is who must act or is bound, counterparty the other side';
