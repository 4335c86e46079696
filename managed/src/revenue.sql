
-- revenue: time-sliced revenue reports over revenue_flow (doc/design.md, "Reports"; managed
-- edition of src/revenue_*.c and src/revenue.sql)
--
-- The reports are set-based queries, never a per-row aggregate:
--   flows x their slices                -> gross parts (largest remainder per flow)
--   flows x matching clause terms x slices -> share parts (per flow and holder:
--                                          exact total rounded once, largest remainder)
-- Clauses are matched once per distinct (seller, product, channel) key,
-- not per flow.  All arithmetic on amounts is exact integer (or exact
-- decimal) numeric arithmetic with +, -, *, div() and mod() only; see
-- managed/src/prorate.sql for the closed form of a schedule's rate sums.
-- Per (flow, holder) the common denominator is N * D with D the lcm of
-- twice the ramp lengths of the (grantor, holder)'s clauses: a multiple of
-- the C edition's, so every exact value (and every rounding) is the same.
--
-- Differences from the C edition:
--   * The aggregates prorate_agg, revenue_agg, revenue_provider_agg,
--     revenue_holder_agg and exposure_agg keep their state as a composite
--     holding an array of cells
--     (non-superusers cannot create aggregates with internal state; no
--     serial/deserial functions are needed), combine with agg_combine and
--     split each row with set-based SQL (model rows read the clause table
--     per row): the same figures, but far slower per row than C.  The
--     reports do not use them.
--   * keyed_slice_total[] from revenue_provider_agg and exposure_agg lists the
--     keys ordered by (kind, party, provider, currency) in "C" collation; the C
--     edition lists them in the order the rows first met them.
--   * No 22003 "revenue share out of range for exact arithmetic" nor
--     "revenue total out of range": numeric does not overflow at 128 bits.
--   * revenue_slices, revenue_report and exposure run with jit = off,
--     enable_nestloop = off and work_mem = 256MB (function SET clauses),
--     revenue_report and exposure also with enable_mergejoin = off:
--     JIT compiling the big query costs seconds, nested loops over the
--     CTEs' poorly estimated row counts are quadratic, merge joins sort a
--     million flows by text keys, and the per-flow rankings sort millions
--     of rows.

CREATE TYPE @extschema@.slice_total AS (
    slice_start date,
    slice_end   date,
    label       text,
    currency    char(3),
    gross       numeric,
    share       numeric,
    net         numeric
);
COMMENT ON TYPE @extschema@.slice_total IS
    'one slice of a prorated total, as returned in arrays by prorate_agg, revenue_agg and revenue_split (unnest them to get rows)';
COMMENT ON COLUMN @extschema@.slice_total.slice_start IS 'first day of the slice';
COMMENT ON COLUMN @extschema@.slice_total.slice_end IS 'last day of the slice (inclusive)';
COMMENT ON COLUMN @extschema@.slice_total.label IS 'slice label, e.g. 2026-05, 2026-Q2, FY2027-Q1';
COMMENT ON COLUMN @extschema@.slice_total.currency IS 'currency of the amounts';
COMMENT ON COLUMN @extschema@.slice_total.gross IS 'revenue earned in the slice';
COMMENT ON COLUMN @extschema@.slice_total.share IS 'revenue share owed on it';
COMMENT ON COLUMN @extschema@.slice_total.net IS 'gross - share';

CREATE TYPE @extschema@.keyed_slice_total AS (
    kind        int,
    party       text,
    provider    text,
    slice_start date,
    slice_end   date,
    label       text,
    currency    char(3),
    gross       numeric,
    share       numeric,
    net         numeric
);
COMMENT ON TYPE @extschema@.keyed_slice_total IS
    'one slice of a prorated total kept apart by a key the aggregate computes (revenue_provider_agg: kind 0, the flows'' seller and the provider of their channel; exposure_agg: kinds 1 to 4, see there; revenue_holder_agg: kind 5, the holder); unnest the arrays to get rows';
COMMENT ON COLUMN @extschema@.keyed_slice_total.kind IS 'what the figures are (revenue_provider_agg: always 0, revenue with its shares; exposure_agg: 1 to 4; revenue_holder_agg: always 5, the revenue owing a holder and its share)';
COMMENT ON COLUMN @extschema@.keyed_slice_total.party IS 'the party the figures were kept apart by (revenue_provider_agg: the seller; exposure_agg: the counterparty, empty for kind 1; revenue_holder_agg: the holder)';
COMMENT ON COLUMN @extschema@.keyed_slice_total.provider IS 'the provider of the flows'' channel (empty where the figures are not kept apart by it)';
COMMENT ON COLUMN @extschema@.keyed_slice_total.slice_start IS 'first day of the slice';
COMMENT ON COLUMN @extschema@.keyed_slice_total.slice_end IS 'last day of the slice (inclusive)';
COMMENT ON COLUMN @extschema@.keyed_slice_total.label IS 'slice label, e.g. 2026-05, 2026-Q2, FY2027-Q1';
COMMENT ON COLUMN @extschema@.keyed_slice_total.currency IS 'currency of the amounts';
COMMENT ON COLUMN @extschema@.keyed_slice_total.gross IS 'revenue earned in the slice';
COMMENT ON COLUMN @extschema@.keyed_slice_total.share IS 'revenue share owed on it';
COMMENT ON COLUMN @extschema@.keyed_slice_total.net IS 'gross - share';

-- The revenue_share clauses as exact sum terms ------------------------------

-- Every revenue_share clause's schedule segments clipped to its validity,
-- as terms over the common denominator d of its (grantor, holder): over
-- the days [u, v) inside [lo, hi) the rate sum times d is
-- term_sum(u, v, lo, hi, origin, c0, c1).  A NULL bound of valid is open
-- (the C edition reads lower/upper of valid the same way).
CREATE FUNCTION @extschema@.share_terms()
    RETURNS TABLE (clause_id text, grantor text, holder text, products text, scope @extschema@.endpoint_set,
                   lo date, hi date, origin date, c0 numeric, c1 numeric, d numeric)
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    WITH seg AS (
        SELECT c.id, c.grantor, c.holder, coalesce(c.products, '*') AS products, c.scope,
               GREATEST(s.lo, coalesce(pg_catalog.lower(c.valid), '-infinity'::date)) AS plo,
               LEAST(s.hi, coalesce(pg_catalog.upper(c.valid), 'infinity'::date)) AS phi,
               s.lo AS slo, s.hi AS shi, s.r0, s.r1
        FROM @extschema@.clause c
        CROSS JOIN LATERAL @extschema@.rate_segments(c.rate) s
        WHERE c.kind OPERATOR(pg_catalog.=) 'revenue_share'),
    den AS (
        SELECT seg.grantor, seg.holder,
               @extschema@.lcm_agg(CASE WHEN seg.r0 OPERATOR(pg_catalog.<>) seg.r1
                                        THEN 2 OPERATOR(pg_catalog.*) (seg.shi OPERATOR(pg_catalog.-) seg.slo)::numeric END) AS d
        FROM seg GROUP BY seg.grantor, seg.holder)
    SELECT seg.id, seg.grantor, seg.holder, seg.products, seg.scope, seg.plo, seg.phi, seg.slo,
           seg.r0 OPERATOR(pg_catalog.*) den.d,
           CASE WHEN seg.r0 OPERATOR(pg_catalog.=) seg.r1 THEN 0::numeric
                ELSE (seg.r1 OPERATOR(pg_catalog.-) seg.r0) OPERATOR(pg_catalog.*)
                     pg_catalog.div(den.d, 2 OPERATOR(pg_catalog.*) (seg.shi OPERATOR(pg_catalog.-) seg.slo)::numeric) END,
           den.d
    FROM seg JOIN den ON den.grantor OPERATOR(pg_catalog.=) seg.grantor AND den.holder OPERATOR(pg_catalog.=) seg.holder
    WHERE seg.plo OPERATOR(pg_catalog.<) seg.phi
$$;
COMMENT ON FUNCTION @extschema@.share_terms() IS
    'internal: every revenue_share clause''s schedule clipped to its validity, as exact sum terms over one common denominator per (grantor, holder)';

-- The split of the flows -----------------------------------------------------

-- Every part of the flows whose period overlaps win, in signed minor units
-- (revenue_slices; report_cells is the reports' faster grouped form):
-- one gross row per (flow, slice) (holder NULL, share NULL) and one share
-- row per (flow, holder, slice) the holder is owed something in (gross
-- NULL; slices without any share are left out: a slice whose exact share
-- is 0 has no remainder and never receives a unit).  party NULL: every flow
-- and holder; otherwise only the flows and shares exposure() needs (seller
-- or buyer = party; shares the party owes to others or is owed by them).
-- Arguments unchecked (report_window first).
--
-- Flows with a single slice (most one-off and short flows) take a path
-- without ranking: the slice gets the whole amount and each holder the
-- rounded total.  The others rank their slices with one window per flow
-- (or per flow and holder).
CREATE FUNCTION @extschema@.flow_parts(win daterange, grain text, fy_start int, party text)
    RETURNS TABLE (flow_id bigint, seller text, buyer text, channel @extschema@.endpoint, currency char(3),
                   holder text, slice_start date, slice_end date, gross numeric, share numeric)
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    WITH terms AS MATERIALIZED (SELECT * FROM @extschema@.share_terms()),
    fl AS MATERIALIZED (
        SELECT f.id, f.seller, f.buyer, f.product, f.channel, f.currency,
               pg_catalog.lower(f.period) AS lo, pg_catalog.upper(f.period) AS hi,
               pg_catalog.abs(f.amount) OPERATOR(pg_catalog.*)
               @extschema@.minor_scale(@extschema@.currency_scale(f.currency::text)) AS a,
               pg_catalog.sign(f.amount) AS sgn,
               (pg_catalog.upper(f.period) OPERATOR(pg_catalog.-) pg_catalog.lower(f.period))::numeric AS n,
               -- does the period lie in one slice?
               @extschema@.slice_index(pg_catalog.lower(f.period), flow_parts.grain, flow_parts.fy_start)
               OPERATOR(pg_catalog.=)
               @extschema@.slice_index(pg_catalog.upper(f.period) OPERATOR(pg_catalog.-) 1, flow_parts.grain, flow_parts.fy_start)
               AS single
        FROM @extschema@.revenue_flow f
        WHERE f.period OPERATOR(pg_catalog.&&) flow_parts.win
          AND (flow_parts.party IS NULL
               OR f.seller OPERATOR(pg_catalog.=) flow_parts.party
               OR f.buyer OPERATOR(pg_catalog.=) flow_parts.party
               OR f.seller IN (SELECT t.grantor FROM terms t WHERE t.holder OPERATOR(pg_catalog.=) flow_parts.party))),
    cls AS (
        SELECT c.id AS clause_id, c.grantor, c.holder, coalesce(c.products, '*') AS products, c.scope
        FROM @extschema@.clause c
        WHERE c.id IN (SELECT t.clause_id FROM terms t)
          AND (flow_parts.party IS NULL
               OR (c.grantor OPERATOR(pg_catalog.=) flow_parts.party) OPERATOR(pg_catalog.<>)
                  (c.holder OPERATOR(pg_catalog.=) flow_parts.party))),
    keys AS MATERIALIZED (
        SELECT DISTINCT fl.seller, fl.product, fl.channel FROM fl
        WHERE fl.seller IN (SELECT cls.grantor FROM cls)),
    -- products are tested once per (seller, product), scopes once per
    -- (seller, channel): both are few however many keys there are
    pm AS MATERIALIZED (
        SELECT p.seller, p.product IS NULL AS pnull, coalesce(p.product, '') AS pkey, c.clause_id
        FROM (SELECT DISTINCT keys.seller, keys.product FROM keys) p
        JOIN cls c ON c.grantor OPERATOR(pg_catalog.=) p.seller
        WHERE @extschema@.products_match(c.products, p.product)),
    cm AS MATERIALIZED (
        SELECT h.seller, h.channel, c.clause_id
        FROM (SELECT DISTINCT keys.seller, keys.channel FROM keys) h
        JOIN cls c ON c.grantor OPERATOR(pg_catalog.=) h.seller
        WHERE c.scope IS NULL OR @extschema@.endpoint_contained_by_endpoint_set(h.channel, c.scope)),
    -- the terms of every key
    kt AS MATERIALIZED (
        SELECT k.seller, k.product IS NULL AS pnull, coalesce(k.product, '') AS pkey, k.channel,
               t.holder, t.lo, t.hi, t.origin, t.c0, t.c1, t.d
        FROM keys k
        JOIN pm ON pm.seller OPERATOR(pg_catalog.=) k.seller AND pm.pkey OPERATOR(pg_catalog.=) coalesce(k.product, '')
               AND pm.pnull OPERATOR(pg_catalog.=) (k.product IS NULL)
        JOIN cm ON cm.seller OPERATOR(pg_catalog.=) k.seller AND cm.channel OPERATOR(pg_catalog.=) k.channel
               AND cm.clause_id OPERATOR(pg_catalog.=) pm.clause_id
        JOIN terms t ON t.clause_id OPERATOR(pg_catalog.=) pm.clause_id),
    -- gross of single-slice flows: everything
    g1 AS (
        SELECT fl.id, fl.seller, fl.buyer, fl.channel, fl.currency, NULL::text AS holder, s.slice_start, s.slice_end,
               fl.sgn OPERATOR(pg_catalog.*) fl.a AS gross, NULL::numeric AS share
        FROM fl CROSS JOIN LATERAL @extschema@.period_slices(fl.lo, fl.hi, flow_parts.grain, flow_parts.fy_start) s
        WHERE fl.single),
    -- with a = q n + r: slice part q days + (r days) div n, remainder (r days) mod n;
    -- r days < n^2 < 2^63 (n is at most the 2^31 days of type date), so int8 is exact
    gq AS (
        SELECT fl.*, pg_catalog.div(fl.a, fl.n) AS q, pg_catalog.mod(fl.a, fl.n)::int8 AS r, fl.n::int8 AS nn
        FROM fl WHERE NOT fl.single),
    gs AS (
        SELECT gq.id, gq.seller, gq.buyer, gq.channel, gq.currency, gq.a, gq.sgn, s.slice_start, s.slice_end,
               gq.q OPERATOR(pg_catalog.*) s.days AS g_whole, gq.r,
               gq.r OPERATOR(pg_catalog.*) s.days OPERATOR(pg_catalog./) gq.nn AS g_floor,
               gq.r OPERATOR(pg_catalog.*) s.days OPERATOR(pg_catalog.%) gq.nn AS g_rem
        FROM gq CROSS JOIN LATERAL @extschema@.period_slices(gq.lo, gq.hi, flow_parts.grain, flow_parts.fy_start) s),
    g2 AS (
        SELECT gs.id, gs.seller, gs.buyer, gs.channel, gs.currency, NULL::text AS holder, gs.slice_start, gs.slice_end,
               -- the units missing: r - sum of the floors of r days / n (int8 sums are exact)
               gs.sgn OPERATOR(pg_catalog.*) (gs.g_whole OPERATOR(pg_catalog.+) gs.g_floor OPERATOR(pg_catalog.+)
                   CASE WHEN pg_catalog.row_number() OVER w OPERATOR(pg_catalog.<=)
                             (gs.r OPERATOR(pg_catalog.-) pg_catalog.sum(gs.g_floor) OVER w)
                        THEN 1 ELSE 0 END) AS gross,
               NULL::numeric AS share
        FROM gs
        WINDOW w AS (PARTITION BY gs.id ORDER BY gs.g_rem DESC, gs.slice_start
                     ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)),
    -- every (flow, term) whose validity overlaps the period
    ft AS (
        SELECT fl.id, fl.seller, fl.buyer, fl.channel, fl.currency, fl.lo, fl.hi, fl.a, fl.sgn, fl.n, fl.single,
               kt.holder, kt.lo AS tlo, kt.hi AS thi, kt.origin, kt.c0, kt.c1, kt.d
        FROM fl
        JOIN kt ON kt.seller OPERATOR(pg_catalog.=) fl.seller
               AND kt.pkey OPERATOR(pg_catalog.=) coalesce(fl.product, '')
               AND kt.pnull OPERATOR(pg_catalog.=) (fl.product IS NULL)
               AND kt.channel OPERATOR(pg_catalog.=) fl.channel
        WHERE kt.lo OPERATOR(pg_catalog.<) fl.hi AND kt.hi OPERATOR(pg_catalog.>) fl.lo),
    -- single-slice flows: each holder gets its rounded total
    s1 AS (
        SELECT ft.id, ft.seller, ft.buyer, ft.channel, ft.currency, ft.holder, s.slice_start, s.slice_end,
               NULL::numeric AS gross,
               ft.sgn OPERATOR(pg_catalog.*) @extschema@.round_half_even(
                   ft.a OPERATOR(pg_catalog.*) pg_catalog.sum(@extschema@.term_sum(ft.lo, ft.hi, ft.tlo, ft.thi, ft.origin, ft.c0, ft.c1)),
                   ft.n OPERATOR(pg_catalog.*) ft.d) AS share
        FROM ft CROSS JOIN LATERAL @extschema@.period_slices(ft.lo, ft.lo OPERATOR(pg_catalog.+) 1, flow_parts.grain, flow_parts.fy_start) s
        WHERE ft.single
        GROUP BY ft.id, ft.seller, ft.buyer, ft.channel, ft.currency, ft.holder, s.slice_start, s.slice_end, ft.a, ft.sgn, ft.n, ft.d),
    sp AS (
        SELECT ft.id, ft.seller, ft.buyer, ft.channel, ft.currency, ft.holder, s.slice_start, s.slice_end,
               ft.sgn, ft.n OPERATOR(pg_catalog.*) ft.d AS den,
               ft.a OPERATOR(pg_catalog.*)
               pg_catalog.sum(@extschema@.term_sum(GREATEST(s.slice_start, ft.lo),
                                                   LEAST(s.slice_end, ft.hi OPERATOR(pg_catalog.-) 1) OPERATOR(pg_catalog.+) 1,
                                                   ft.tlo, ft.thi, ft.origin, ft.c0, ft.c1)) AS num
        FROM ft
        CROSS JOIN LATERAL @extschema@.period_slices(GREATEST(ft.lo, ft.tlo), LEAST(ft.hi, ft.thi),
                                                     flow_parts.grain, flow_parts.fy_start) s
        WHERE NOT ft.single
        GROUP BY ft.id, ft.seller, ft.buyer, ft.channel, ft.currency, ft.holder, s.slice_start, s.slice_end,
                 ft.a, ft.sgn, ft.n, ft.d),
    sf AS (
        SELECT sp.*, pg_catalog.div(sp.num, sp.den) AS s_floor, pg_catalog.mod(sp.num, sp.den) AS s_rem FROM sp),
    s2 AS (
        SELECT sf.id, sf.seller, sf.buyer, sf.channel, sf.currency, sf.holder, sf.slice_start, sf.slice_end,
               NULL::numeric AS gross,
               sf.sgn OPERATOR(pg_catalog.*) (sf.s_floor OPERATOR(pg_catalog.+)
                   CASE WHEN pg_catalog.row_number() OVER w OPERATOR(pg_catalog.<=)
                             (@extschema@.round_half_even(pg_catalog.sum(sf.num) OVER w, sf.den)
                              OPERATOR(pg_catalog.-) pg_catalog.sum(sf.s_floor) OVER w)
                        THEN 1 ELSE 0 END) AS share
        FROM sf
        WINDOW w AS (PARTITION BY sf.id, sf.holder ORDER BY sf.s_rem DESC, sf.slice_start
                     ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING))
    SELECT * FROM g1
    UNION ALL SELECT * FROM g2
    UNION ALL SELECT * FROM s1
    UNION ALL SELECT * FROM s2
$$;
COMMENT ON FUNCTION @extschema@.flow_parts(daterange, text, int, text) IS
    'internal: the exact parts (signed minor units) of every flow overlapping win: gross per (flow, slice), share per (flow, holder, slice); party restricts them to what exposure() needs';

-- The cells of revenue_report and exposure: per (slice number, seller,
-- channel, currency, and with party also whether party is the buyer, and
-- the holder of share parts) the sums of the flows' gross and share parts
-- (signed minor units) over the slices numbered wi0 .. wi1 (the window's),
-- exactly the grouped sums of flow_parts (same rules, same filters for
-- party).  Built for speed, since a report reads every flow:
--   * keys (seller, product, channel, currency) are numbered once (one
--     hash of the flows' text columns), and everything below works on
--     numbers (kid for clause matching, gid for grouping, hid for holders,
--     slice numbers instead of dates): the rankings and groupings never sort
--     text, and no date range is built per row;
--   * each branch sums its parts per group at once: single-slice flows need
--     no split (the slice gets the whole amount, each holder its rounded
--     total), two-slice flows have a closed form for the gross (at most one
--     unit is missing: it spares the window sort a third of its rows, which
--     keeps it in work_mem at a million flows), only the others are ranked
--     with a window;
--   * slice bounds are computed once per row (OFFSET 0 keeps the planner
--     from copying the index_start expressions into every use).
CREATE FUNCTION @extschema@.report_cells(win daterange, grain text, fy_start int, wi0 int, wi1 int, party text,
                                         report_currency char(3))
    RETURNS TABLE (si int, seller text, party_buys boolean, channel @extschema@.endpoint, currency char(3), holder text,
                   gross numeric, share numeric)
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    WITH terms AS MATERIALIZED (
        SELECT t.*, pg_catalog.dense_rank() OVER (ORDER BY t.holder COLLATE "C") AS hid
        FROM @extschema@.share_terms() t),
    -- the flows' keys, numbered: everything below works on numbers
    k4 AS MATERIALIZED (
        SELECT x.seller, x.product, x.channel, x.currency, x.bp, pg_catalog.row_number() OVER () AS kid,
               pg_catalog.dense_rank() OVER (ORDER BY x.seller COLLATE "C", x.channel, x.currency COLLATE "C", x.bp) AS gid
        FROM (SELECT f.seller, f.product, f.channel, coalesce(report_cells.report_currency, f.currency) AS currency,
                     coalesce(f.buyer OPERATOR(pg_catalog.=) report_cells.party, false) AS bp
              FROM @extschema@.revenue_flow f
              WHERE f.period OPERATOR(pg_catalog.&&) report_cells.win
              AND (report_cells.party IS NULL
                   OR f.seller OPERATOR(pg_catalog.=) report_cells.party
                   OR f.buyer OPERATOR(pg_catalog.=) report_cells.party
                   OR f.seller IN (SELECT t.grantor FROM terms t WHERE t.holder OPERATOR(pg_catalog.=) report_cells.party))
              GROUP BY 1, 2, 3, 4, 5) x),
    fl AS MATERIALIZED (
        SELECT f.id, k.kid, k.gid,
               pg_catalog.lower(f.period) AS lo, pg_catalog.upper(f.period) AS hi,
               pg_catalog.abs(f.amount) OPERATOR(pg_catalog.*)
               @extschema@.minor_scale(@extschema@.currency_scale(f.currency::text)) AS a,
               pg_catalog.sign(f.amount) AS sgn,
               pg_catalog.upper(f.period) OPERATOR(pg_catalog.-) pg_catalog.lower(f.period) AS n,
               @extschema@.slice_index(pg_catalog.lower(f.period), report_cells.grain, report_cells.fy_start) AS i0,
               @extschema@.slice_index(pg_catalog.upper(f.period) OPERATOR(pg_catalog.-) 1, report_cells.grain, report_cells.fy_start) AS i1
        -- the flows the report reads, each converted once to report_currency
        -- (src/fx.sql); OFFSET 0: the conversion is computed once per flow,
        -- and only for these flows
        FROM (SELECT f.id, f.seller, f.buyer, f.product, f.channel, f.period,
                     CASE WHEN report_cells.report_currency IS NULL THEN f.amount
                          ELSE @extschema@.fx_convert(f.amount, f.currency, pg_catalog.lower(f.period),
                                                      report_cells.report_currency) END AS amount,
                     coalesce(report_cells.report_currency, f.currency) AS currency
              FROM @extschema@.revenue_flow f
              WHERE f.period OPERATOR(pg_catalog.&&) report_cells.win
                    AND (report_cells.party IS NULL
                         OR f.seller OPERATOR(pg_catalog.=) report_cells.party
                         OR f.buyer OPERATOR(pg_catalog.=) report_cells.party
                         OR f.seller IN (SELECT t.grantor FROM terms t WHERE t.holder OPERATOR(pg_catalog.=) report_cells.party))
              OFFSET 0) f
        JOIN k4 k ON k.seller OPERATOR(pg_catalog.=) f.seller AND k.channel OPERATOR(pg_catalog.=) f.channel
               AND k.currency OPERATOR(pg_catalog.=) f.currency
               AND coalesce(k.product, '') OPERATOR(pg_catalog.=) coalesce(f.product, '')
               AND (k.product IS NULL) OPERATOR(pg_catalog.=) (f.product IS NULL)
               AND k.bp OPERATOR(pg_catalog.=) coalesce(f.buyer OPERATOR(pg_catalog.=) report_cells.party, false)),
    cls AS (
        SELECT c.id AS clause_id, c.grantor, c.holder, coalesce(c.products, '*') AS products, c.scope
        FROM @extschema@.clause c
        WHERE c.id IN (SELECT t.clause_id FROM terms t)
          AND (report_cells.party IS NULL
               OR (c.grantor OPERATOR(pg_catalog.=) report_cells.party) OPERATOR(pg_catalog.<>)
                  (c.holder OPERATOR(pg_catalog.=) report_cells.party))),
    keys AS MATERIALIZED (
        SELECT k4.* FROM k4 WHERE k4.seller IN (SELECT cls.grantor FROM cls)),
    pm AS MATERIALIZED (
        SELECT p.seller, p.product IS NULL AS pnull, coalesce(p.product, '') AS pkey, c.clause_id
        FROM (SELECT DISTINCT keys.seller, keys.product FROM keys) p
        JOIN cls c ON c.grantor OPERATOR(pg_catalog.=) p.seller
        WHERE @extschema@.products_match(c.products, p.product)),
    cm AS MATERIALIZED (
        SELECT h.seller, h.channel, c.clause_id
        FROM (SELECT DISTINCT keys.seller, keys.channel FROM keys) h
        JOIN cls c ON c.grantor OPERATOR(pg_catalog.=) h.seller
        WHERE c.scope IS NULL OR @extschema@.endpoint_contained_by_endpoint_set(h.channel, c.scope)),
    kt AS MATERIALIZED (
        SELECT k.kid, t.hid, t.lo, t.hi, t.origin, t.c0, t.c1, t.d
        FROM keys k
        JOIN pm ON pm.seller OPERATOR(pg_catalog.=) k.seller AND pm.pkey OPERATOR(pg_catalog.=) coalesce(k.product, '')
               AND pm.pnull OPERATOR(pg_catalog.=) (k.product IS NULL)
        JOIN cm ON cm.seller OPERATOR(pg_catalog.=) k.seller AND cm.channel OPERATOR(pg_catalog.=) k.channel
               AND cm.clause_id OPERATOR(pg_catalog.=) pm.clause_id
        JOIN terms t ON t.clause_id OPERATOR(pg_catalog.=) pm.clause_id),
    -- single-slice flows: the slice gets the whole amount
    g1 AS (
        SELECT fl.i0 AS si, fl.gid, NULL::int8 AS hid, pg_catalog.sum(fl.sgn OPERATOR(pg_catalog.*) fl.a) AS gross, NULL::numeric AS share
        FROM fl
        WHERE fl.i0 OPERATOR(pg_catalog.=) fl.i1 AND fl.i0 OPERATOR(pg_catalog.>=) report_cells.wi0
          AND fl.i0 OPERATOR(pg_catalog.<=) report_cells.wi1
        GROUP BY fl.i0, fl.gid),
    -- a = q n + r: slice part q days + (r days) div n, remainder (r days) mod n;
    -- r days < n^2 < 2^63, so int8 is exact
    gs AS (
        SELECT fl.id, fl.gid, fl.sgn, x.si,
               pg_catalog.div(fl.a, fl.n::numeric) OPERATOR(pg_catalog.*) x.days AS g_whole,
               pg_catalog.mod(fl.a, fl.n::numeric)::int8 AS r,
               pg_catalog.mod(fl.a, fl.n::numeric)::int8 OPERATOR(pg_catalog.*) x.days OPERATOR(pg_catalog./) fl.n AS g_floor,
               pg_catalog.mod(fl.a, fl.n::numeric)::int8 OPERATOR(pg_catalog.*) x.days OPERATOR(pg_catalog.%) fl.n AS g_rem
        FROM fl
        CROSS JOIN LATERAL (
            SELECT i AS si,
                   (CASE WHEN i OPERATOR(pg_catalog.=) fl.i1 THEN fl.hi
                         ELSE @extschema@.index_start(i OPERATOR(pg_catalog.+) 1, report_cells.grain, report_cells.fy_start) END
                    OPERATOR(pg_catalog.-)
                    CASE WHEN i OPERATOR(pg_catalog.=) fl.i0 THEN fl.lo
                         ELSE @extschema@.index_start(i, report_cells.grain, report_cells.fy_start) END)::int8 AS days
            FROM pg_catalog.generate_series(fl.i0, fl.i1) i OFFSET 0) x
        WHERE fl.i1 OPERATOR(pg_catalog.>) (fl.i0 OPERATOR(pg_catalog.+) 1)),
    g2 AS (
        SELECT b.si, b.gid, NULL::int8 AS hid,
               pg_catalog.sum(b.sgn OPERATOR(pg_catalog.*) (b.g_whole OPERATOR(pg_catalog.+) (b.g_floor OPERATOR(pg_catalog.+) b.bonus))) AS gross,
               NULL::numeric AS share
        FROM (SELECT gs.si, gs.gid, gs.sgn, gs.g_whole, gs.g_floor,
                     CASE WHEN pg_catalog.row_number() OVER w OPERATOR(pg_catalog.<=)
                               (gs.r OPERATOR(pg_catalog.-) pg_catalog.sum(gs.g_floor) OVER w)
                          THEN 1 ELSE 0 END AS bonus
              FROM gs
              WINDOW w AS (PARTITION BY gs.id ORDER BY gs.g_rem DESC, gs.si
                           ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)) b
        WHERE b.si OPERATOR(pg_catalog.>=) report_cells.wi0 AND b.si OPERATOR(pg_catalog.<=) report_cells.wi1
        GROUP BY b.si, b.gid),
    -- flows over two slices: r d1 mod n + r d2 mod n is 0 or n, so one unit
    -- at most is missing, and it goes to the first slice when its remainder
    -- is at least the second's (ties to the earliest)
    gp AS (
        SELECT v.si, gp.gid, NULL::int8 AS hid, pg_catalog.sum(gp.sgn OPERATOR(pg_catalog.*) v.part) AS gross, NULL::numeric AS share
        FROM (SELECT fl.gid, fl.i0, fl.i1, fl.sgn, fl.a,
                     pg_catalog.div(fl.a, fl.n::numeric) OPERATOR(pg_catalog.*) x.d1
                     OPERATOR(pg_catalog.+) (x.r OPERATOR(pg_catalog.*) x.d1 OPERATOR(pg_catalog./) fl.n)
                     OPERATOR(pg_catalog.+)
                     CASE WHEN (x.r OPERATOR(pg_catalog.*) x.d1 OPERATOR(pg_catalog.%) fl.n) OPERATOR(pg_catalog.>) 0
                               AND 2 OPERATOR(pg_catalog.*) (x.r OPERATOR(pg_catalog.*) x.d1 OPERATOR(pg_catalog.%) fl.n)
                                   OPERATOR(pg_catalog.>=) fl.n
                          THEN 1 ELSE 0 END AS p1
              FROM fl
              CROSS JOIN LATERAL (
                  SELECT pg_catalog.mod(fl.a, fl.n::numeric)::int8 AS r,
                         (@extschema@.index_start(fl.i1, report_cells.grain, report_cells.fy_start)
                          OPERATOR(pg_catalog.-) fl.lo)::int8 AS d1
                  OFFSET 0) x
              WHERE fl.i1 OPERATOR(pg_catalog.=) (fl.i0 OPERATOR(pg_catalog.+) 1)
              OFFSET 0) gp
        CROSS JOIN LATERAL (VALUES (gp.i0, gp.p1), (gp.i1, gp.a OPERATOR(pg_catalog.-) gp.p1)) v(si, part)
        WHERE v.si OPERATOR(pg_catalog.>=) report_cells.wi0 AND v.si OPERATOR(pg_catalog.<=) report_cells.wi1
        GROUP BY v.si, gp.gid),
    ft AS (
        SELECT fl.id, fl.gid, fl.lo, fl.hi, fl.a, fl.sgn, fl.n, fl.i0, fl.i1,
               kt.hid, kt.lo AS tlo, kt.hi AS thi, kt.origin, kt.c0, kt.c1, kt.d
        FROM fl JOIN kt ON kt.kid OPERATOR(pg_catalog.=) fl.kid
        WHERE kt.lo OPERATOR(pg_catalog.<) fl.hi AND kt.hi OPERATOR(pg_catalog.>) fl.lo),
    -- single-slice flows: each holder gets its rounded total
    s1 AS (
        SELECT x.i0 AS si, x.gid, x.hid, NULL::numeric AS gross, pg_catalog.sum(x.share) AS share
        FROM (SELECT ft.i0, ft.gid, CASE WHEN report_cells.party IS NOT NULL THEN ft.hid END AS hid,
                     ft.sgn OPERATOR(pg_catalog.*) @extschema@.round_half_even(
                         ft.a OPERATOR(pg_catalog.*) pg_catalog.sum(@extschema@.term_sum(ft.lo, ft.hi, ft.tlo, ft.thi, ft.origin, ft.c0, ft.c1)),
                         ft.n::numeric OPERATOR(pg_catalog.*) ft.d) AS share
              FROM ft
              WHERE ft.i0 OPERATOR(pg_catalog.=) ft.i1 AND ft.i0 OPERATOR(pg_catalog.>=) report_cells.wi0
                AND ft.i0 OPERATOR(pg_catalog.<=) report_cells.wi1
              GROUP BY ft.id, ft.hid, ft.i0, ft.gid, ft.a, ft.sgn, ft.n, ft.d) x
        GROUP BY x.i0, x.gid, x.hid),
    sp AS (
        SELECT ft.id, ft.hid, x.si, ft.gid, ft.sgn,
               ft.n::numeric OPERATOR(pg_catalog.*) ft.d AS den,
               ft.a OPERATOR(pg_catalog.*)
               pg_catalog.sum(@extschema@.term_sum(x.x, x.y, ft.tlo, ft.thi, ft.origin, ft.c0, ft.c1)) AS num
        FROM ft
        CROSS JOIN LATERAL (
            SELECT i AS si,
                   CASE WHEN i OPERATOR(pg_catalog.=) ft.i0 THEN ft.lo
                        ELSE @extschema@.index_start(i, report_cells.grain, report_cells.fy_start) END AS x,
                   CASE WHEN i OPERATOR(pg_catalog.=) ft.i1 THEN ft.hi
                        ELSE @extschema@.index_start(i OPERATOR(pg_catalog.+) 1, report_cells.grain, report_cells.fy_start) END AS y
            FROM pg_catalog.generate_series(
                     @extschema@.slice_index(GREATEST(ft.lo, ft.tlo), report_cells.grain, report_cells.fy_start),
                     @extschema@.slice_index(LEAST(ft.hi, ft.thi) OPERATOR(pg_catalog.-) 1, report_cells.grain, report_cells.fy_start)) i OFFSET 0) x
        WHERE ft.i0 OPERATOR(pg_catalog.<) ft.i1
        GROUP BY ft.id, ft.hid, x.si, ft.gid, ft.sgn, ft.a, ft.n, ft.d),
    sf AS (
        SELECT sp.*, pg_catalog.div(sp.num, sp.den) AS s_floor, pg_catalog.mod(sp.num, sp.den) AS s_rem FROM sp),
    s2 AS (
        SELECT b.si, b.gid, b.hid, NULL::numeric AS gross,
               pg_catalog.sum(b.sgn OPERATOR(pg_catalog.*) (b.s_floor OPERATOR(pg_catalog.+) b.bonus)) AS share
        FROM (SELECT sf.si, sf.gid, CASE WHEN report_cells.party IS NOT NULL THEN sf.hid END AS hid, sf.sgn, sf.s_floor,
                     CASE WHEN pg_catalog.row_number() OVER w OPERATOR(pg_catalog.<=)
                               (@extschema@.round_half_even(pg_catalog.sum(sf.num) OVER w, sf.den)
                                OPERATOR(pg_catalog.-) pg_catalog.sum(sf.s_floor) OVER w)
                          THEN 1 ELSE 0 END AS bonus
              FROM sf
              WINDOW w AS (PARTITION BY sf.id, sf.hid ORDER BY sf.s_rem DESC, sf.si
                           ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)) b
        WHERE b.si OPERATOR(pg_catalog.>=) report_cells.wi0 AND b.si OPERATOR(pg_catalog.<=) report_cells.wi1
        GROUP BY b.si, b.gid, b.hid),
    u AS (
        SELECT u.si, u.gid, u.hid, pg_catalog.sum(u.gross) AS gross, pg_catalog.sum(u.share) AS share
        FROM (SELECT * FROM g1 UNION ALL SELECT * FROM g2 UNION ALL SELECT * FROM gp UNION ALL SELECT * FROM s1 UNION ALL SELECT * FROM s2) u
        GROUP BY u.si, u.gid, u.hid)
    SELECT u.si, g.seller, g.bp, g.channel, g.currency, h.holder, u.gross, u.share
    FROM u JOIN (SELECT DISTINCT ON (k4.gid) k4.gid, k4.seller, k4.bp, k4.channel, k4.currency FROM k4) g
      ON g.gid OPERATOR(pg_catalog.=) u.gid
    LEFT JOIN (SELECT DISTINCT terms.hid, terms.holder FROM terms) h ON h.hid OPERATOR(pg_catalog.=) u.hid
$$;
COMMENT ON FUNCTION @extschema@.report_cells(daterange, text, int, int, int, text, char(3)) IS
    'internal: per slice number (wi0 .. wi1), seller, channel, currency (with party: whether party buys, and the holder of share parts) the sums of the exact gross and share parts (signed minor units) of the flows overlapping win (each converted once to report_currency when it is not NULL); what revenue_report and exposure group further';



-- The reports ----------------------------------------------------------------

CREATE FUNCTION @extschema@.revenue_slices(during daterange, grain text DEFAULT 'month', fy_start int DEFAULT 1)
    RETURNS TABLE (flow_id bigint, slice_start date, slice_end date, label text, currency char(3),
                   gross numeric, share numeric, net numeric)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    -- JIT compiling the big query costs seconds; the CTEs' row estimates are
    -- poor, and a nested loop over them is quadratic
    SET search_path = pg_catalog, pg_temp SET jit = off SET enable_nestloop = off SET work_mem = '256MB' AS $$
#variable_conflict use_column
DECLARE
    win daterange := @extschema@.report_window(during, grain, fy_start);
BEGIN
    RETURN QUERY
    SELECT c.flow_id, c.slice_start, c.slice_end, @extschema@.slice_label(c.slice_start, $2, $3), c.currency,
           round(c.g * f, mu), round(c.s * f, mu), round((c.g - c.s) * f, mu)
    FROM (SELECT p.flow_id, p.slice_start, p.slice_end, p.currency,
                 sum(p.gross) FILTER (WHERE p.holder IS NULL) AS g, coalesce(sum(p.share), 0) AS s
          FROM @extschema@.flow_parts(win, $2, $3, NULL) p
          WHERE daterange(p.slice_start, p.slice_end, '[]') && $1
          GROUP BY p.flow_id, p.slice_start, p.slice_end, p.currency) c
    CROSS JOIN LATERAL (SELECT @extschema@.currency_scale(c.currency::text) AS mu) m
    CROSS JOIN LATERAL (SELECT @extschema@.minor_factor(m.mu) AS f) x
    ORDER BY c.flow_id, c.slice_start;
END $$;
COMMENT ON FUNCTION @extschema@.revenue_slices(daterange, text, int) IS
    'one row per flow and slice overlapping during (slices whole): gross, the revenue share the flow''s seller owes under every revenue_share clause (per holder: exact total rounded once, half to even), net';

-- The grouped sum of revenue_slices: report_cells sums the parts per
-- (slice, seller, channel, currency) (channels are few), then they are
-- mapped to providers and their owners; dates and labels only for the
-- result rows.
CREATE FUNCTION @extschema@.revenue_report(during daterange, grain text DEFAULT 'month', fy_start int DEFAULT 1,
                                           report_currency char(3) DEFAULT NULL)
    RETURNS TABLE (slice_start date, slice_end date, label text, seller text, channel_owner text,
                   currency char(3), gross numeric, share numeric, net numeric)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    -- JIT compiling the big query costs seconds; the CTEs' row estimates are
    -- poor, and a nested loop over them is quadratic
    SET search_path = pg_catalog, pg_temp SET jit = off SET enable_nestloop = off SET enable_mergejoin = off SET work_mem = '256MB' AS $$
#variable_conflict use_column
DECLARE
    win daterange := @extschema@.report_window(during, grain, fy_start);
    -- the numbers of the first and last slices of the window
    wi0 int := CASE WHEN lower_inf(win) THEN -2147483648 ELSE @extschema@.slice_index(lower(win), grain, fy_start) END;
    wi1 int := CASE WHEN upper_inf(win) THEN 2147483647 ELSE @extschema@.slice_index(upper(win) - 1, grain, fy_start) END;
BEGIN
    PERFORM @extschema@.minor_unit(report_currency);    -- 22023 on a malformed code
    RETURN QUERY
    WITH byo AS (
        SELECT b.si, b.seller, o.owner, b.currency, coalesce(sum(b.gross), 0) AS g, coalesce(sum(b.share), 0) AS s
        FROM @extschema@.report_cells(win, $2, $3, wi0, wi1, NULL, report_currency) b
        LEFT JOIN @extschema@.provider o ON o.provider = @extschema@.provider(b.channel)
        GROUP BY b.si, b.seller, o.owner, b.currency)
    SELECT x.s0, @extschema@.index_end(b.si, $2, $3), @extschema@.slice_label(x.s0, $2, $3), b.seller, b.owner, b.currency,
           round(b.g * f, mu), round(b.s * f, mu), round((b.g - b.s) * f, mu)
    FROM byo b
    CROSS JOIN LATERAL (SELECT @extschema@.index_start(b.si, $2, $3) AS s0) x
    CROSS JOIN LATERAL (SELECT @extschema@.currency_scale(b.currency::text) AS mu) m
    CROSS JOIN LATERAL (SELECT @extschema@.minor_factor(m.mu) AS f) y
    ORDER BY b.si, b.seller, b.owner NULLS LAST, b.currency;
END $$;
COMMENT ON FUNCTION @extschema@.revenue_report(daterange, text, int, char(3)) IS
    'revenue per slice overlapping during (slices whole), seller, channel owner (owner of the channel''s provider, NULL when not catalogued) and currency: gross, revenue share owed, net; equals the grouped sum of revenue_slices exactly; with report_currency, every flow is first converted to it (fx_convert at the first day of its period) and all rows are in it';

-- share_report: revenue_report's share kept apart per holder, from
-- flow_parts (one share row per (flow, holder, slice), each (flow, holder)
-- rounded once, as the C edition's revenue_holder_agg): a flow counts for a
-- holder (its gross parts in the holder's rows) when its share parts for the
-- holder are not all zero.
CREATE TYPE @extschema@.holder_share AS (
    slice_start date,
    slice_end   date,
    label       text,
    seller      text,
    holder      text,
    currency    char(3),
    gross       numeric,
    share       numeric
);
COMMENT ON TYPE @extschema@.holder_share IS
    'one row of share_report: the revenue share a seller owes one holder in one slice and currency';
COMMENT ON COLUMN @extschema@.holder_share.slice_start IS 'first day of the slice';
COMMENT ON COLUMN @extschema@.holder_share.slice_end IS 'last day of the slice (inclusive)';
COMMENT ON COLUMN @extschema@.holder_share.label IS 'slice label, e.g. 2026-05, 2026-Q2, FY2027-Q1';
COMMENT ON COLUMN @extschema@.holder_share.seller IS 'the seller, grantor of the revenue_share clauses';
COMMENT ON COLUMN @extschema@.holder_share.holder IS 'the holder the share is owed to';
COMMENT ON COLUMN @extschema@.holder_share.currency IS 'currency of the amounts';
COMMENT ON COLUMN @extschema@.holder_share.gross IS 'revenue earned in the slice on the seller''s flows that owe the holder a nonzero share';
COMMENT ON COLUMN @extschema@.holder_share.share IS 'revenue share owed to the holder in the slice';

CREATE FUNCTION @extschema@.share_report(during daterange, grain text DEFAULT 'month', fy_start int DEFAULT 1,
                                         holder text DEFAULT NULL)
    RETURNS SETOF @extschema@.holder_share
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    -- as revenue_slices (flow_parts)
    SET search_path = pg_catalog, pg_temp SET jit = off SET enable_nestloop = off SET work_mem = '256MB' AS $$
#variable_conflict use_column
DECLARE
    win daterange := @extschema@.report_window(during, grain, fy_start);
BEGIN
    IF holder IS NOT NULL THEN
        PERFORM @extschema@.require_party(holder, 'holder');
    END IF;
    RETURN QUERY
    WITH p AS MATERIALIZED (
        SELECT * FROM @extschema@.flow_parts(win, $2, $3, NULL) p
        WHERE p.holder IS NULL OR $4 IS NULL OR p.holder = $4),
    owing AS (
        SELECT p.flow_id, p.holder FROM p WHERE p.holder IS NOT NULL
        GROUP BY p.flow_id, p.holder HAVING bool_or(p.share <> 0)),
    cells AS (
        SELECT g.slice_start, g.slice_end, g.seller, o.holder, g.currency,
               sum(g.gross) AS g, coalesce(sum(s.share), 0) AS s
        FROM p g
        JOIN owing o ON o.flow_id = g.flow_id
        LEFT JOIN p s ON s.flow_id = g.flow_id AND s.holder = o.holder AND s.slice_start = g.slice_start
        WHERE g.holder IS NULL AND daterange(g.slice_start, g.slice_end, '[]') && $1
        GROUP BY g.slice_start, g.slice_end, g.seller, o.holder, g.currency
        HAVING sum(g.gross) <> 0 OR coalesce(sum(s.share), 0) <> 0)
    SELECT c.slice_start, c.slice_end, @extschema@.slice_label(c.slice_start, $2, $3), c.seller, c.holder, c.currency::char(3),
           round(c.g * f, mu), round(c.s * f, mu)
    FROM cells c
    CROSS JOIN LATERAL (SELECT @extschema@.currency_scale(c.currency::text) AS mu) m
    CROSS JOIN LATERAL (SELECT @extschema@.minor_factor(m.mu) AS f) x
    ORDER BY c.slice_start, c.seller, c.holder, c.currency;
END $$;
COMMENT ON FUNCTION @extschema@.share_report(daterange, text, int, text) IS
    'revenue share per slice overlapping during (slices whole), seller, holder (only holder when it is not NULL) and currency: the share the seller owes the holder under its revenue_share clauses (each (flow, holder) rounded once, as revenue_report), and the gross of the seller''s flows that owe the holder a nonzero share; per (slice, seller, currency) the holders'' shares sum to revenue_report''s share; rows whose gross and share are both zero are left out';

-- One flow (arguments valid, a >= 0 in minor units) split under the model's
-- clauses: one row per slice with holder NULL (gross, share 0) and one row
-- per slice and holder owed something (gross 0, that holder's share), each
-- holder's share rounded once and split by largest remainder.  Unsigned.
CREATE FUNCTION @extschema@.model_split(seller text, product text, channel @extschema@.endpoint,
                                        a numeric, lo date, hi date, grain text, fy_start int)
    RETURNS TABLE (holder text, slice_start date, slice_end date, gross numeric, share numeric)
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    WITH t AS (
        SELECT st.* FROM @extschema@.share_terms() st
        JOIN @extschema@.clause c ON c.id OPERATOR(pg_catalog.=) st.clause_id
        WHERE st.grantor OPERATOR(pg_catalog.=) model_split.seller
          AND @extschema@.products_match(st.products, model_split.product)
          AND (c.scope IS NULL OR @extschema@.endpoint_contained_by_endpoint_set(model_split.channel, c.scope))
          AND st.lo OPERATOR(pg_catalog.<) model_split.hi AND st.hi OPERATOR(pg_catalog.>) model_split.lo),
    sp AS (
        SELECT t.holder, s.slice_start, s.slice_end,
               (model_split.hi OPERATOR(pg_catalog.-) model_split.lo)::numeric OPERATOR(pg_catalog.*) min(t.d) AS den,
               model_split.a OPERATOR(pg_catalog.*)
               pg_catalog.sum(@extschema@.term_sum(GREATEST(s.slice_start, model_split.lo),
                                                   LEAST(s.slice_end, model_split.hi OPERATOR(pg_catalog.-) 1) OPERATOR(pg_catalog.+) 1,
                                                   t.lo, t.hi, t.origin, t.c0, t.c1)) AS num
        FROM t CROSS JOIN LATERAL @extschema@.period_slices(GREATEST(model_split.lo, t.lo), LEAST(model_split.hi, t.hi),
                                                            model_split.grain, model_split.fy_start) s
        GROUP BY t.holder, s.slice_start, s.slice_end),
    sf AS (SELECT sp.*, pg_catalog.div(sp.num, sp.den) AS s_floor, pg_catalog.mod(sp.num, sp.den) AS s_rem FROM sp)
    SELECT NULL::text, g.slice_start, g.slice_end, g.gross, 0::numeric
    FROM @extschema@.split_minor(model_split.a, model_split.lo, model_split.hi, model_split.grain, model_split.fy_start, NULL) g
    UNION ALL
    SELECT sf.holder, sf.slice_start, sf.slice_end, 0::numeric,
           sf.s_floor OPERATOR(pg_catalog.+)
           CASE WHEN pg_catalog.row_number() OVER w OPERATOR(pg_catalog.<=)
                     (@extschema@.round_half_even(pg_catalog.sum(sf.num) OVER w, sf.den)
                      OPERATOR(pg_catalog.-) pg_catalog.sum(sf.s_floor) OVER w)
                THEN 1 ELSE 0 END
    FROM sf
    WINDOW w AS (PARTITION BY sf.holder ORDER BY sf.s_rem DESC, sf.slice_start
                 ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
$$;
COMMENT ON FUNCTION @extschema@.model_split(text, text, @extschema@.endpoint, numeric, date, date, text, int) IS
    'internal: one flow split into slices, with what each holder is owed under the revenue_share clauses matching it (unsigned minor units)';

-- The aggregates ---------------------------------------------------------------

-- One cell of an aggregate's state: sums in minor units of one key and slice.
CREATE TYPE @extschema@.agg_cell AS (
    kind        int,
    party       text,
    provider    text,
    currency    text,
    slice_start date,
    slice_end   date,
    gross       numeric,
    share       numeric
);
COMMENT ON TYPE @extschema@.agg_cell IS
    'internal: one cell of the state of the dealscope aggregates (key, slice, sums in minor units)';

-- An aggregate's state: its grain and fiscal year start (NULL until the
-- first row), the currency for the non-keyed aggregates, and the cells.
-- Non-internal (non-superusers cannot create aggregates with internal state),
-- so it combines and serialises as an ordinary composite.
CREATE TYPE @extschema@.agg_state AS (
    grain    text,
    fy_start int,
    currency text,
    cells    @extschema@.agg_cell[]
);
COMMENT ON TYPE @extschema@.agg_state IS
    'internal: state of prorate_agg, revenue_agg, revenue_provider_agg and exposure_agg';

-- The cells added up per key and slice.
CREATE FUNCTION @extschema@.agg_compact(cells @extschema@.agg_cell[]) RETURNS @extschema@.agg_cell[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT pg_catalog.array_agg(ROW(c.kind, c.party, c.provider, c.currency, c.slice_start, c.slice_end, c.g, c.s)::@extschema@.agg_cell
                                ORDER BY c.kind, c.party COLLATE "C", c.provider COLLATE "C", c.currency COLLATE "C", c.slice_start)
    FROM (SELECT x.kind, x.party, x.provider, x.currency, x.slice_start, x.slice_end, sum(x.gross) AS g, sum(x.share) AS s
          FROM pg_catalog.unnest(cells) x
          GROUP BY x.kind, x.party, x.provider, x.currency, x.slice_start, x.slice_end) c
$$;
COMMENT ON FUNCTION @extschema@.agg_compact(@extschema@.agg_cell[]) IS
    'internal: an aggregate state''s cells added up per key and slice';

-- A group's rows must share currency (for the non-keyed aggregates), grain and fy_start.
CREATE FUNCTION @extschema@.agg_config(st @extschema@.agg_state, grain text, fy_start int, currency text)
    RETURNS @extschema@.agg_state
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF st IS NULL OR st.grain IS NULL THEN
        RETURN ROW(grain, fy_start, currency, '{}')::@extschema@.agg_state;
    END IF;
    IF currency IS NOT NULL AND st.currency IS NOT NULL AND currency <> st.currency THEN
        RAISE EXCEPTION 'cannot add up slices of different currencies "%" and "%" in one group', st.currency, currency
            USING ERRCODE = '22023', HINT = 'Group by currency: amounts of different currencies are never added together.';
    END IF;
    IF grain <> st.grain THEN
        RAISE EXCEPTION 'cannot add up slices of different grains "%" and "%" in one group', st.grain, grain
            USING ERRCODE = '22023', HINT = 'Pass the same grain and fy_start to every row of a group.';
    END IF;
    IF fy_start <> st.fy_start THEN
        RAISE EXCEPTION 'cannot add up slices of different fiscal year starts "%" and "%" in one group', st.fy_start, fy_start
            USING ERRCODE = '22023', HINT = 'Pass the same grain and fy_start to every row of a group.';
    END IF;
    RETURN st;
END $$;
COMMENT ON FUNCTION @extschema@.agg_config(@extschema@.agg_state, text, int, text) IS
    'internal: starts an aggregate state or checks that a row''s currency, grain and fy_start are the group''s (22023 otherwise)';

-- Adds cells to a state, compacting them now and then (memory: cells, not rows).
CREATE FUNCTION @extschema@.agg_add(st @extschema@.agg_state, cells @extschema@.agg_cell[]) RETURNS @extschema@.agg_state
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    st.cells := st.cells || cells;
    IF cardinality(st.cells) > 4096 THEN
        st.cells := @extschema@.agg_compact(st.cells);
    END IF;
    RETURN st;
END $$;
COMMENT ON FUNCTION @extschema@.agg_add(@extschema@.agg_state, @extschema@.agg_cell[]) IS
    'internal: adds cells to an aggregate state';

-- Reads (amount, period, currency, grain, fy_start) as the C edition does:
-- NULL when one is NULL (the row is skipped), errors for bad values;
-- returns (a signed minor, lo, hi).
CREATE FUNCTION @extschema@.agg_flow(amount numeric, period daterange, currency char(3), grain text, fy_start int,
                                     OUT a numeric, OUT lo date, OUT hi date)
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF amount IS NULL OR period IS NULL OR currency IS NULL OR grain IS NULL OR fy_start IS NULL THEN
        RETURN;
    END IF;
    PERFORM @extschema@.calendar_check(grain, fy_start);
    a := @extschema@.to_minor(amount, currency::text, @extschema@.minor_unit(currency));
    PERFORM @extschema@.check_period(period);
    PERFORM @extschema@.slice_count(lower(period), upper(period), grain, fy_start);
    PERFORM @extschema@.check_slice_end(upper(period), grain, fy_start, false);
    lo := lower(period);
    hi := upper(period);
END $$;
COMMENT ON FUNCTION @extschema@.agg_flow(numeric, daterange, char(3), text, int) IS
    'internal: validates one flow''s arguments as the aggregates read them; a NULL a means skip the row';

CREATE FUNCTION @extschema@.agg_combine(a @extschema@.agg_state, b @extschema@.agg_state) RETURNS @extschema@.agg_state
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF b IS NULL OR b.grain IS NULL THEN
        RETURN a;
    END IF;
    IF a IS NULL OR a.grain IS NULL THEN
        RETURN b;
    END IF;
    a := @extschema@.agg_config(a, b.grain, b.fy_start, b.currency);
    RETURN @extschema@.agg_add(a, b.cells);
END $$;
COMMENT ON FUNCTION @extschema@.agg_combine(@extschema@.agg_state, @extschema@.agg_state) IS
    'combine function of the dealscope aggregates: adds two groups'' per-slice sums';

CREATE FUNCTION @extschema@.revenue_agg_final(st @extschema@.agg_state) RETURNS @extschema@.slice_total[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT pg_catalog.array_agg(ROW(c.slice_start, c.slice_end, @extschema@.slice_label(c.slice_start, st.grain, st.fy_start),
                                    st.currency,
                                    pg_catalog.round(c.g OPERATOR(pg_catalog.*) @extschema@.minor_factor(@extschema@.currency_scale(st.currency)),
                                                     @extschema@.currency_scale(st.currency)),
                                    pg_catalog.round(c.s OPERATOR(pg_catalog.*) @extschema@.minor_factor(@extschema@.currency_scale(st.currency)),
                                                     @extschema@.currency_scale(st.currency)),
                                    pg_catalog.round((c.g OPERATOR(pg_catalog.-) c.s) OPERATOR(pg_catalog.*) @extschema@.minor_factor(@extschema@.currency_scale(st.currency)),
                                                     @extschema@.currency_scale(st.currency)))::@extschema@.slice_total
                                ORDER BY c.slice_start)
    FROM (SELECT x.slice_start, x.slice_end, sum(x.gross) AS g, sum(x.share) AS s
          FROM pg_catalog.unnest(st.cells) x GROUP BY x.slice_start, x.slice_end) c
    WHERE st.grain IS NOT NULL
$$;
COMMENT ON FUNCTION @extschema@.revenue_agg_final(@extschema@.agg_state) IS
    'final function of prorate_agg and revenue_agg: the per-slice sums as slice_total[] in date order';

CREATE FUNCTION @extschema@.keyed_agg_final(st @extschema@.agg_state) RETURNS @extschema@.keyed_slice_total[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT pg_catalog.array_agg(ROW(c.kind, c.party, c.provider, c.slice_start, c.slice_end,
                                    @extschema@.slice_label(c.slice_start, st.grain, st.fy_start), c.currency,
                                    pg_catalog.round(c.gross OPERATOR(pg_catalog.*) @extschema@.minor_factor(@extschema@.currency_scale(c.currency)),
                                                     @extschema@.currency_scale(c.currency)),
                                    pg_catalog.round(c.share OPERATOR(pg_catalog.*) @extschema@.minor_factor(@extschema@.currency_scale(c.currency)),
                                                     @extschema@.currency_scale(c.currency)),
                                    pg_catalog.round((c.gross OPERATOR(pg_catalog.-) c.share) OPERATOR(pg_catalog.*) @extschema@.minor_factor(@extschema@.currency_scale(c.currency)),
                                                     @extschema@.currency_scale(c.currency)))::@extschema@.keyed_slice_total
                                ORDER BY c.kind, c.party COLLATE "C", c.provider COLLATE "C", c.currency COLLATE "C", c.slice_start)
    FROM pg_catalog.unnest(@extschema@.agg_compact(st.cells)) c
    WHERE st.grain IS NOT NULL
$$;
COMMENT ON FUNCTION @extschema@.keyed_agg_final(@extschema@.agg_state) IS
    'final function of revenue_provider_agg and exposure_agg: the per-key, per-slice sums as keyed_slice_total[], key by key in date order';

-- prorate_agg
CREATE FUNCTION @extschema@.prorate_agg_trans(st @extschema@.agg_state, amount numeric, period daterange, currency char(3),
                                              grain text, fy_start int, schedule @extschema@.rate_schedule)
    RETURNS @extschema@.agg_state
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    f record := @extschema@.agg_flow(amount, period, currency, grain, fy_start);
    cells @extschema@.agg_cell[];
BEGIN
    IF f.a IS NULL THEN
        RETURN st;
    END IF;
    SELECT array_agg(ROW(0, '', '', currency::text, s.slice_start, s.slice_end, s.gross, s.share)::@extschema@.agg_cell)
      INTO cells FROM @extschema@.split_minor(f.a, f.lo, f.hi, grain, fy_start, schedule) s;
    RETURN @extschema@.agg_add(@extschema@.agg_config(st, grain, fy_start, currency::text), cells);
END $$;
COMMENT ON FUNCTION @extschema@.prorate_agg_trans(@extschema@.agg_state, numeric, daterange, char(3), text, int, @extschema@.rate_schedule) IS
    'transition function of prorate_agg: splits one flow exactly and adds its parts to the group''s slices';

CREATE AGGREGATE @extschema@.prorate_agg(amount numeric, period daterange, currency char(3),
                                         grain text, fy_start int, share @extschema@.rate_schedule) (
    SFUNC = @extschema@.prorate_agg_trans,
    STYPE = @extschema@.agg_state,
    FINALFUNC = @extschema@.revenue_agg_final,
    COMBINEFUNC = @extschema@.agg_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.prorate_agg(numeric, daterange, char(3), text, int, @extschema@.rate_schedule) IS
    'sums the exact proration (as prorate() computes it per flow) of every row of a group into per-slice totals; returns slice_total[] (unnest it); rows with a NULL amount, period, currency, grain or fy_start are skipped, a NULL share means none; one currency, grain and fy_start per group';

-- One flow's cells under the model's clauses (signed minor units): per slice,
-- gross and the share owed to every holder (or only holder).
CREATE FUNCTION @extschema@.model_cells(seller text, product text, channel @extschema@.endpoint, a numeric,
                                        lo date, hi date, grain text, fy_start int, holder text)
    RETURNS TABLE (slice_start date, slice_end date, gross numeric, share numeric)
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT m.slice_start, m.slice_end,
           pg_catalog.sign(model_cells.a) OPERATOR(pg_catalog.*) sum(m.gross),
           pg_catalog.sign(model_cells.a) OPERATOR(pg_catalog.*) sum(m.share)
    FROM @extschema@.model_split(model_cells.seller, model_cells.product, model_cells.channel,
                                 pg_catalog.abs(model_cells.a), model_cells.lo, model_cells.hi,
                                 model_cells.grain, model_cells.fy_start) m
    WHERE m.holder IS NULL OR model_cells.holder IS NULL OR m.holder OPERATOR(pg_catalog.=) model_cells.holder
    GROUP BY m.slice_start, m.slice_end
    ORDER BY m.slice_start
$$;
COMMENT ON FUNCTION @extschema@.model_cells(text, text, @extschema@.endpoint, numeric, date, date, text, int, text) IS
    'internal: one flow''s per-slice gross and revenue share (all holders, or only holder), signed minor units';

CREATE FUNCTION @extschema@.revenue_agg_trans(st @extschema@.agg_state, seller text, product text, channel @extschema@.endpoint,
                                              amount numeric, currency char(3), period daterange, grain text,
                                              fy_start int, holder text)
    RETURNS @extschema@.agg_state
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    f record;
    cells @extschema@.agg_cell[];
BEGIN
    IF seller IS NULL OR channel IS NULL THEN
        RETURN st;
    END IF;
    f := @extschema@.agg_flow(amount, period, currency, grain, fy_start);
    IF f.a IS NULL THEN
        RETURN st;
    END IF;
    SELECT array_agg(ROW(0, '', '', currency::text, s.slice_start, s.slice_end, s.gross, s.share)::@extschema@.agg_cell)
      INTO cells FROM @extschema@.model_cells(seller, product, channel, f.a, f.lo, f.hi, grain, fy_start, holder) s;
    RETURN @extschema@.agg_add(@extschema@.agg_config(st, grain, fy_start, currency::text), cells);
END $$;
COMMENT ON FUNCTION @extschema@.revenue_agg_trans(@extschema@.agg_state, text, text, @extschema@.endpoint, numeric, char(3), daterange, text, int, text) IS
    'transition function of revenue_agg: splits one flow with the revenue shares its seller owes under the clause table';

CREATE AGGREGATE @extschema@.revenue_agg(seller text, product text, channel @extschema@.endpoint,
                                         amount numeric, currency char(3), period daterange,
                                         grain text, fy_start int, holder text) (
    SFUNC = @extschema@.revenue_agg_trans,
    STYPE = @extschema@.agg_state,
    FINALFUNC = @extschema@.revenue_agg_final,
    COMBINEFUNC = @extschema@.agg_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.revenue_agg(text, text, @extschema@.endpoint, numeric, char(3), daterange, text, int, text) IS
    'per-slice totals of flows, share being what each seller owes under its revenue_share clauses (to every holder, or only to holder when it is not NULL), each (flow, holder) rounded once; returns slice_total[]';

CREATE FUNCTION @extschema@.revenue_split(seller text, product text, channel @extschema@.endpoint,
                                          amount numeric, currency char(3), period daterange,
                                          grain text, fy_start int, holder text DEFAULT NULL)
    RETURNS @extschema@.slice_total[]
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    f record;
    mu int;
    r @extschema@.slice_total[];
BEGIN
    IF seller IS NULL OR channel IS NULL THEN
        RETURN NULL;
    END IF;
    f := @extschema@.agg_flow(amount, period, currency, grain, fy_start);
    IF f.a IS NULL THEN
        RETURN NULL;
    END IF;
    mu := @extschema@.currency_scale(currency::text);
    SELECT array_agg(ROW(s.slice_start, s.slice_end, @extschema@.slice_label(s.slice_start, grain, fy_start), currency,
                         round(s.gross * @extschema@.minor_factor(mu), mu), round(s.share * @extschema@.minor_factor(mu), mu),
                         round((s.gross - s.share) * @extschema@.minor_factor(mu), mu))::@extschema@.slice_total
                     ORDER BY s.slice_start)
      INTO r FROM @extschema@.model_cells(seller, product, channel, f.a, f.lo, f.hi, grain, fy_start, holder) s;
    RETURN r;
END $$;
COMMENT ON FUNCTION @extschema@.revenue_split(text, text, @extschema@.endpoint, numeric, char(3), daterange, text, int, text) IS
    'one flow split into slices with the revenue shares its seller owes under the clause table (all holders, or only holder); the parts revenue_agg adds up';

-- revenue_provider_agg
CREATE FUNCTION @extschema@.revenue_provider_agg_trans(st @extschema@.agg_state, seller text, product text,
                                                       channel @extschema@.endpoint, amount numeric, currency char(3),
                                                       period daterange, grain text, fy_start int, "window" daterange)
    RETURNS @extschema@.agg_state
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    f record;
    cells @extschema@.agg_cell[];
BEGIN
    IF seller IS NULL OR channel IS NULL THEN
        RETURN st;
    END IF;
    f := @extschema@.agg_flow(amount, period, currency, grain, fy_start);
    IF f.a IS NULL OR ("window" IS NOT NULL AND NOT daterange(f.lo, f.hi) && "window") THEN
        RETURN st;
    END IF;
    SELECT array_agg(ROW(0, seller, @extschema@.provider(channel), currency::text, s.slice_start, s.slice_end,
                         s.gross, s.share)::@extschema@.agg_cell)
      INTO cells FROM @extschema@.model_cells(seller, product, channel, f.a, f.lo, f.hi, grain, fy_start, NULL) s;
    RETURN @extschema@.agg_add(@extschema@.agg_config(st, grain, fy_start, NULL), cells);
END $$;
COMMENT ON FUNCTION @extschema@.revenue_provider_agg_trans(@extschema@.agg_state, text, text, @extschema@.endpoint, numeric, char(3), daterange, text, int, daterange) IS
    'transition function of revenue_provider_agg: splits one flow overlapping the window with every revenue share its seller owes and adds it to the slices of its (seller, channel provider, currency)';

CREATE AGGREGATE @extschema@.revenue_provider_agg(seller text, product text, channel @extschema@.endpoint,
                                                  amount numeric, currency char(3), period daterange,
                                                  grain text, fy_start int, "window" daterange) (
    SFUNC = @extschema@.revenue_provider_agg_trans,
    STYPE = @extschema@.agg_state,
    FINALFUNC = @extschema@.keyed_agg_final,
    COMBINEFUNC = @extschema@.agg_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.revenue_provider_agg(text, text, @extschema@.endpoint, numeric, char(3), daterange, text, int, daterange) IS
    'revenue_agg (every holder) kept apart per seller, provider of the channel and currency, over the rows whose period overlaps window (NULL: every row); returns keyed_slice_total[] with kind 0; one grain and fy_start per group';

-- revenue_holder_agg
CREATE FUNCTION @extschema@.revenue_holder_agg_trans(st @extschema@.agg_state, seller text, product text,
                                                     channel @extschema@.endpoint, amount numeric, currency char(3),
                                                     period daterange, grain text, fy_start int, "window" daterange,
                                                     holder text)
    RETURNS @extschema@.agg_state
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    f record;
    cells @extschema@.agg_cell[];
BEGIN
    IF seller IS NULL OR channel IS NULL THEN
        RETURN st;
    END IF;
    f := @extschema@.agg_flow(amount, period, currency, grain, fy_start);
    IF f.a IS NULL OR ("window" IS NOT NULL AND NOT daterange(f.lo, f.hi) && "window") THEN
        RETURN st;
    END IF;
    st := @extschema@.agg_config(st, grain, fy_start, NULL);
    -- 5: per holder owed a nonzero share on the flow, every slice's gross and its share
    WITH m AS MATERIALIZED (
        SELECT * FROM @extschema@.model_split(seller, product, channel, abs(f.a), f.lo, f.hi, grain, fy_start)),
    h AS (
        SELECT m.holder FROM m
        WHERE m.holder IS NOT NULL
          AND (revenue_holder_agg_trans.holder IS NULL OR m.holder = revenue_holder_agg_trans.holder)
        GROUP BY m.holder HAVING bool_or(m.share <> 0))
    SELECT array_agg(ROW(5, h.holder, '', currency::text, g.slice_start, g.slice_end, sign(f.a) * g.gross,
                         sign(f.a) * coalesce(s.share, 0))::@extschema@.agg_cell)
      INTO cells
      FROM h CROSS JOIN m g
      LEFT JOIN m s ON s.holder = h.holder AND s.slice_start = g.slice_start
     WHERE g.holder IS NULL;
    IF cells IS NOT NULL THEN
        st := @extschema@.agg_add(st, cells);
    END IF;
    RETURN st;
END $$;
COMMENT ON FUNCTION @extschema@.revenue_holder_agg_trans(@extschema@.agg_state, text, text, @extschema@.endpoint, numeric, char(3), daterange, text, int, daterange, text) IS
    'transition function of revenue_holder_agg: splits one flow overlapping the window once per holder of its seller''s revenue_share clauses (or only holder) and adds it to that holder''s slices when it owes the holder a nonzero share';

CREATE AGGREGATE @extschema@.revenue_holder_agg(seller text, product text, channel @extschema@.endpoint,
                                                amount numeric, currency char(3), period daterange,
                                                grain text, fy_start int, "window" daterange, holder text) (
    SFUNC = @extschema@.revenue_holder_agg_trans,
    STYPE = @extschema@.agg_state,
    FINALFUNC = @extschema@.keyed_agg_final,
    COMBINEFUNC = @extschema@.agg_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.revenue_holder_agg(text, text, @extschema@.endpoint, numeric, char(3), daterange, text, int, daterange, text) IS
    'the revenue share per holder (every holder, or only holder when it is not NULL) and currency over the rows whose period overlaps window (NULL: every row): keyed_slice_total[] with kind 5, party = the holder, share = what the rows'' sellers owe it (each (flow, holder) rounded once, as revenue_agg), gross = the rows that owe it a nonzero share; one grain and fy_start per group; what share_report is built on (grouped by seller)';

-- exposure_agg
CREATE FUNCTION @extschema@.exposure_agg_trans(st @extschema@.agg_state, party text, seller text, buyer text, product text,
                                               channel @extschema@.endpoint, amount numeric, currency char(3),
                                               period daterange, grain text, fy_start int, "window" daterange)
    RETURNS @extschema@.agg_state
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    f record;
    cells @extschema@.agg_cell[];
    is_seller boolean;
BEGIN
    IF party IS NULL OR seller IS NULL THEN
        RETURN st;
    END IF;
    f := @extschema@.agg_flow(amount, period, currency, grain, fy_start);
    IF f.a IS NULL OR ("window" IS NOT NULL AND NOT daterange(f.lo, f.hi) && "window") THEN
        RETURN st;
    END IF;
    st := @extschema@.agg_config(st, grain, fy_start, NULL);
    is_seller := seller = party;
    IF NOT is_seller AND buyer = party THEN
        -- 4: what the party spent, per seller
        SELECT array_agg(ROW(4, seller, '', currency::text, s.slice_start, s.slice_end, s.gross, 0)::@extschema@.agg_cell)
          INTO cells FROM @extschema@.split_minor(f.a, f.lo, f.hi, grain, fy_start, NULL) s;
        st := @extschema@.agg_add(st, cells);
    END IF;
    IF channel IS NULL THEN
        RETURN st;
    END IF;
    IF is_seller THEN
        -- 1: the party's revenue per provider of the channel
        SELECT array_agg(ROW(1, '', @extschema@.provider(channel), currency::text, s.slice_start, s.slice_end, s.gross, 0)::@extschema@.agg_cell)
          INTO cells FROM @extschema@.split_minor(f.a, f.lo, f.hi, grain, fy_start, NULL) s;
        st := @extschema@.agg_add(st, cells);
    END IF;
    -- 2: share the party owes per holder; 3: share owed to the party per seller
    SELECT array_agg(ROW(CASE WHEN is_seller THEN 2 ELSE 3 END, CASE WHEN is_seller THEN h.holder ELSE seller END, '',
                         currency::text, g.slice_start, g.slice_end, sign(f.a) * g.gross,
                         sign(f.a) * coalesce(sh.share, 0))::@extschema@.agg_cell)
      INTO cells
      FROM (SELECT DISTINCT c.holder FROM @extschema@.clause c
            WHERE c.kind = 'revenue_share' AND c.grantor = seller
              AND @extschema@.products_match(coalesce(c.products, '*'), product)
              AND (c.scope IS NULL OR @extschema@.endpoint_contained_by_endpoint_set(channel, c.scope))
              AND (c.holder = party) <> is_seller) h
      CROSS JOIN @extschema@.split_minor(abs(f.a), f.lo, f.hi, grain, fy_start, NULL) g
      LEFT JOIN @extschema@.model_split(seller, product, channel, abs(f.a), f.lo, f.hi, grain, fy_start) sh
        ON sh.holder = h.holder AND sh.slice_start = g.slice_start;
    IF cells IS NOT NULL THEN
        st := @extschema@.agg_add(st, cells);
    END IF;
    RETURN st;
END $$;
COMMENT ON FUNCTION @extschema@.exposure_agg_trans(@extschema@.agg_state, text, text, text, text, @extschema@.endpoint, numeric, char(3), daterange, text, int, daterange) IS
    'transition function of exposure_agg: splits one flow overlapping the window into the exposure figures of party it carries';

CREATE AGGREGATE @extschema@.exposure_agg(party text, seller text, buyer text, product text,
                                          channel @extschema@.endpoint, amount numeric, currency char(3),
                                          period daterange, grain text, fy_start int, "window" daterange) (
    SFUNC = @extschema@.exposure_agg_trans,
    STYPE = @extschema@.agg_state,
    FINALFUNC = @extschema@.keyed_agg_final,
    COMBINEFUNC = @extschema@.agg_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.exposure_agg(text, text, text, text, @extschema@.endpoint, numeric, char(3), daterange, text, int, daterange) IS
    'what exposure() is built on, over the rows whose period overlaps window (NULL: every row): keyed_slice_total[] with kind 1 = party''s revenue per channel provider (gross), 2 = share party owes per holder (share), 3 = share owed to party per seller (share), 4 = party''s spend per seller (gross); each share rounded once per (flow, holder)';
