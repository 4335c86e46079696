-- Plain-SQL reference of dealscope's revenue reports (doc/design.md,
-- "Reports"): revenue_report, revenue_slices, share_report and exposure, used by the
-- differential test sql/revenue_differential.sql and by benchmarks as "what
-- a user would write without the extension".
--
-- Built on the proration reference test/reference/prorate.sql (load it
-- first): its slice_start, slice_of, segments, lcm_agg, round_half_even,
-- minor_unit and pow10.  Like it, slow on purpose and meant to be obviously
-- correct: every flow is walked day by day, and all arithmetic is on exact
-- integers in numeric:
--   * gross: slice i of a period of N days holding n_i of them gets
--     floor(A n_i / N) minor units, the units still missing go to the
--     largest remainders, ties to the earliest slice;
--   * share, per (flow, holder): every day's rate under all the holder's
--     matching clauses valid that day, as integer numerators over one common
--     denominator D = M * 10^12 (M = lcm of all the ramp lengths involved);
--     the exact total A * sum(rnum) / (N D) is rounded once half to even,
--     each slice gets the floor of its exact part, the units still missing
--     go to the largest remainders, ties to the earliest slice;
--   * a negative amount is split as the negation of the split of -A.
-- A clause matches a flow when grantor = seller, the product matches one of
-- the comma-separated globs (a NULL product only a pattern of '*' alone),
-- and channel <@ scope (NULL scope: every channel).

CREATE SCHEMA IF NOT EXISTS dealscope_ref;

-- Does product match the comma-separated globs of products?
CREATE OR REPLACE FUNCTION dealscope_ref.products_match(products text, product text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(bool_or(CASE WHEN product IS NULL THEN p ~ '^\*+$'
                               ELSE product ~ ('^' || replace(regexp_replace(p, '([.+?^${}()|\[\]\\])', '\\\1', 'g'),
                                                              '*', '.*') || '$') END), false)
  FROM (SELECT btrim(x, E' \t\n') AS p FROM unnest(string_to_array(products, ',')) x) g
  WHERE p <> ''
$$;

-- Every (flow, day) with the slice holding the day.
CREATE OR REPLACE FUNCTION dealscope_ref.flow_days(grain text, fy_start int)
RETURNS TABLE (flow_id bigint, d date, s date)
LANGUAGE sql STABLE AS $$
  SELECT f.id, g.t::date, dealscope_ref.slice_start(g.t::date, grain, fy_start)
  FROM dealscope.revenue_flow f,
       generate_series(lower(f.period), upper(f.period) - 1, interval '1 day') AS g(t)
$$;

-- Gross parts per (flow, slice) in signed minor units.
CREATE OR REPLACE FUNCTION dealscope_ref.gross_parts(grain text, fy_start int)
RETURNS TABLE (flow_id bigint, s date, gross numeric)
LANGUAGE sql STABLE AS $$
  WITH flow AS (
    SELECT f.id, abs(f.amount) * dealscope_ref.pow10(dealscope_ref.minor_unit(f.currency)) AS a,
           sign(f.amount) AS sgn, (upper(f.period) - lower(f.period))::numeric AS n
    FROM dealscope.revenue_flow f),
  slices AS (
    SELECT fd.flow_id, fd.s, count(*) AS days FROM dealscope_ref.flow_days(grain, fy_start) fd
    GROUP BY 1, 2),
  floors AS (
    SELECT sl.flow_id, sl.s, div(flow.a * sl.days, flow.n) AS fl, mod(flow.a * sl.days, flow.n) AS rem,
           flow.a, flow.sgn
    FROM slices sl JOIN flow ON flow.id = sl.flow_id),
  ranked AS (
    SELECT fl_.*, row_number() OVER (PARTITION BY fl_.flow_id ORDER BY fl_.rem DESC, fl_.s) AS rk,
           fl_.a - sum(fl_.fl) OVER (PARTITION BY fl_.flow_id) AS k
    FROM floors fl_)
  SELECT r.flow_id, r.s, r.sgn * (r.fl + (r.rk <= r.k)::int) FROM ranked r
$$;

-- Share parts per (flow, holder, slice) in signed minor units, for every
-- holder owed something under the revenue_share clauses.
CREATE OR REPLACE FUNCTION dealscope_ref.share_parts(grain text, fy_start int)
RETURNS TABLE (flow_id bigint, holder text, s date, share numeric)
LANGUAGE sql STABLE AS $$
  WITH flow AS (
    SELECT f.id, f.period, abs(f.amount) * dealscope_ref.pow10(dealscope_ref.minor_unit(f.currency)) AS a,
           sign(f.amount) AS sgn, (upper(f.period) - lower(f.period))::numeric AS n
    FROM dealscope.revenue_flow f),
  matched AS (                   -- (flow, clause) pairs
    SELECT f.id AS flow_id, c.id AS clause_id, c.holder, c.valid, c.rate
    FROM dealscope.revenue_flow f
    JOIN dealscope.clause c ON c.kind = 'revenue_share' AND c.grantor = f.seller
    WHERE dealscope_ref.products_match(c.products, f.product)
      AND (c.scope IS NULL OR f.channel <@ c.scope)),
  seg AS (                       -- each matched clause's segments, rates in 10^-12
    SELECT m.flow_id, m.holder, m.clause_id, m.valid, sg.lo, sg.hi,
           sg.r0 * 1e12 AS r0, sg.r1 * 1e12 AS r1,
           CASE WHEN sg.r0 = sg.r1 THEN 1 ELSE (sg.hi - sg.lo)::numeric END AS len
    FROM matched m, LATERAL dealscope_ref.segments(m.rate) sg),
  mm AS (SELECT seg.flow_id, seg.holder, dealscope_ref.lcm_agg(seg.len) AS m FROM seg GROUP BY 1, 2),
  dayrates AS (                  -- per (flow, holder, day): numerator over m * 10^12
    SELECT fd.flow_id, seg.holder, fd.s,
           sum(CASE WHEN seg.len = 1 THEN seg.r0 * mm.m
                    ELSE (seg.r0 * seg.len + (seg.r1 - seg.r0) * (fd.d - seg.lo)) * (mm.m / seg.len) END) AS rnum
    FROM dealscope_ref.flow_days(grain, fy_start) fd
    JOIN seg ON seg.flow_id = fd.flow_id AND fd.d >= seg.lo AND fd.d < seg.hi AND fd.d <@ seg.valid
    JOIN mm ON mm.flow_id = seg.flow_id AND mm.holder = seg.holder
    GROUP BY 1, 2, 3),
  holders AS (SELECT DISTINCT matched.flow_id, matched.holder FROM matched),
  slices AS (                    -- every slice of every (flow, holder), days without a rate included
    SELECT h.flow_id, h.holder, gp.s, coalesce(dr.rnum, 0) AS rnum
    FROM holders h
    JOIN (SELECT DISTINCT fd.flow_id, fd.s FROM dealscope_ref.flow_days(grain, fy_start) fd) gp
      ON gp.flow_id = h.flow_id
    LEFT JOIN dayrates dr ON dr.flow_id = h.flow_id AND dr.holder = h.holder AND dr.s = gp.s),
  floors AS (
    SELECT sl.flow_id, sl.holder, sl.s, flow.sgn, flow.a,
           div(flow.a * sl.rnum, flow.n * mm.m * 1e12) AS fl,
           mod(flow.a * sl.rnum, flow.n * mm.m * 1e12) AS rem,
           dealscope_ref.round_half_even(flow.a * sum(sl.rnum) OVER (PARTITION BY sl.flow_id, sl.holder),
                                         flow.n * mm.m * 1e12) AS total
    FROM slices sl JOIN flow ON flow.id = sl.flow_id
    JOIN mm ON mm.flow_id = sl.flow_id AND mm.holder = sl.holder),
  ranked AS (
    SELECT f.*, row_number() OVER (PARTITION BY f.flow_id, f.holder ORDER BY f.rem DESC, f.s) AS rk,
           f.total - sum(f.fl) OVER (PARTITION BY f.flow_id, f.holder) AS k
    FROM floors f)
  SELECT r.flow_id, r.holder, r.s, r.sgn * (r.fl + (r.rk <= r.k)::int) FROM ranked r
$$;

-- revenue_slices: gross and the share summed over holders, per (flow, slice).
CREATE OR REPLACE FUNCTION dealscope_ref.revenue_slices(during daterange, grain text DEFAULT 'month',
    fy_start int DEFAULT 1)
RETURNS TABLE (flow_id bigint, slice_start date, slice_end date, label text, currency char(3),
               gross numeric, share numeric, net numeric)
LANGUAGE sql STABLE AS $$
  WITH sh AS (SELECT sp.flow_id, sp.s, sum(sp.share) AS share
              FROM dealscope_ref.share_parts(grain, fy_start) sp GROUP BY 1, 2)
  SELECT g.flow_id, o.slice_start, o.slice_end, o.label, f.currency,
         round(g.gross / dealscope_ref.pow10(mu), mu),
         round(coalesce(sh.share, 0) / dealscope_ref.pow10(mu), mu),
         round((g.gross - coalesce(sh.share, 0)) / dealscope_ref.pow10(mu), mu)
  FROM dealscope_ref.gross_parts(grain, fy_start) g
  JOIN dealscope.revenue_flow f ON f.id = g.flow_id
  LEFT JOIN sh ON sh.flow_id = g.flow_id AND sh.s = g.s
  CROSS JOIN LATERAL dealscope_ref.slice_of(g.s, grain, fy_start) o
  CROSS JOIN LATERAL (SELECT dealscope_ref.minor_unit(f.currency) AS mu) m
  WHERE daterange(o.slice_start, o.slice_end, '[]') && during
  ORDER BY 1, 2
$$;

-- revenue_report: the grouped sum, channel owner from the provider table.
CREATE OR REPLACE FUNCTION dealscope_ref.revenue_report(during daterange, grain text DEFAULT 'month',
    fy_start int DEFAULT 1)
RETURNS TABLE (slice_start date, slice_end date, label text, seller text, channel_owner text,
               currency char(3), gross numeric, share numeric, net numeric)
LANGUAGE sql STABLE AS $$
  SELECT rs.slice_start, rs.slice_end, rs.label, f.seller, p.owner, f.currency,
         sum(rs.gross), sum(rs.share), sum(rs.net)
  FROM dealscope_ref.revenue_slices(during, grain, fy_start) rs
  JOIN dealscope.revenue_flow f ON f.id = rs.flow_id
  LEFT JOIN dealscope.provider p ON p.provider = dealscope.provider(f.channel)
  GROUP BY 1, 2, 3, 4, 5, 6
  ORDER BY 1, 4, 5 NULLS LAST, 6
$$;

-- exposure: the four figures per (slice, counterparty, currency); rows whose
-- four figures are all zero are left out.
CREATE OR REPLACE FUNCTION dealscope_ref.exposure(party text, during daterange, grain text DEFAULT 'quarter',
    fy_start int DEFAULT 1)
RETURNS TABLE (slice_start date, slice_end date, label text, counterparty text, currency char(3),
               revenue_via numeric, share_payable numeric, share_receivable numeric, spend numeric)
LANGUAGE sql STABLE AS $$
  WITH figures AS (
    SELECT g.s, p.owner AS cp, f.currency, g.gross AS via, 0 AS pay, 0 AS rec, 0 AS spend
    FROM dealscope_ref.gross_parts(grain, fy_start) g
    JOIN dealscope.revenue_flow f ON f.id = g.flow_id
    JOIN dealscope.provider p ON p.provider = dealscope.provider(f.channel)
    WHERE f.seller = party AND p.owner <> party
    UNION ALL
    SELECT sp.s, sp.holder, f.currency, 0, sp.share, 0, 0
    FROM dealscope_ref.share_parts(grain, fy_start) sp
    JOIN dealscope.revenue_flow f ON f.id = sp.flow_id
    WHERE f.seller = party AND sp.holder <> party
    UNION ALL
    SELECT sp.s, f.seller, f.currency, 0, 0, sp.share, 0
    FROM dealscope_ref.share_parts(grain, fy_start) sp
    JOIN dealscope.revenue_flow f ON f.id = sp.flow_id
    WHERE sp.holder = party AND f.seller <> party
    UNION ALL
    SELECT g.s, f.seller, f.currency, 0, 0, 0, g.gross
    FROM dealscope_ref.gross_parts(grain, fy_start) g
    JOIN dealscope.revenue_flow f ON f.id = g.flow_id
    WHERE f.buyer = party AND f.seller <> party)
  SELECT o.slice_start, o.slice_end, o.label, x.cp, x.currency,
         round(sum(x.via) / dealscope_ref.pow10(mu), mu), round(sum(x.pay) / dealscope_ref.pow10(mu), mu),
         round(sum(x.rec) / dealscope_ref.pow10(mu), mu), round(sum(x.spend) / dealscope_ref.pow10(mu), mu)
  FROM figures x
  CROSS JOIN LATERAL dealscope_ref.slice_of(x.s, grain, fy_start) o
  CROSS JOIN LATERAL (SELECT dealscope_ref.minor_unit(x.currency) AS mu) m
  WHERE daterange(o.slice_start, o.slice_end, '[]') && during
  GROUP BY 1, 2, 3, 4, 5, mu
  HAVING sum(x.via) <> 0 OR sum(x.pay) <> 0 OR sum(x.rec) <> 0 OR sum(x.spend) <> 0
  ORDER BY 1, 4, 5
$$;

-- share_report: per (slice, seller, holder, currency) the holder's share
-- parts, and the gross parts of the flows whose share parts for the holder
-- are not all zero; rows whose gross and share are both zero are left out.
CREATE OR REPLACE FUNCTION dealscope_ref.share_report(during daterange, grain text DEFAULT 'month',
    fy_start int DEFAULT 1, holder text DEFAULT NULL)
RETURNS TABLE (slice_start date, slice_end date, label text, seller text, holder text,
               currency char(3), gross numeric, share numeric)
LANGUAGE sql STABLE AS $$
  WITH sp AS MATERIALIZED (
    SELECT * FROM dealscope_ref.share_parts(grain, fy_start) sp
    WHERE share_report.holder IS NULL OR sp.holder = share_report.holder),
  owing AS (SELECT sp.flow_id, sp.holder FROM sp GROUP BY 1, 2 HAVING bool_or(sp.share <> 0)),
  cells AS (
    SELECT g.s, f.seller, o.holder, f.currency, g.gross, coalesce(sp.share, 0) AS share
    FROM dealscope_ref.gross_parts(grain, fy_start) g
    JOIN owing o ON o.flow_id = g.flow_id
    JOIN dealscope.revenue_flow f ON f.id = g.flow_id
    LEFT JOIN sp ON sp.flow_id = g.flow_id AND sp.holder = o.holder AND sp.s = g.s)
  SELECT o.slice_start, o.slice_end, o.label, x.seller, x.holder, x.currency,
         round(sum(x.gross) / dealscope_ref.pow10(mu), mu), round(sum(x.share) / dealscope_ref.pow10(mu), mu)
  FROM cells x
  CROSS JOIN LATERAL dealscope_ref.slice_of(x.s, grain, fy_start) o
  CROSS JOIN LATERAL (SELECT dealscope_ref.minor_unit(x.currency) AS mu) m
  WHERE daterange(o.slice_start, o.slice_end, '[]') && during
  GROUP BY 1, 2, 3, 4, 5, 6, mu
  HAVING sum(x.gross) <> 0 OR sum(x.share) <> 0
  ORDER BY 1, 4, 5, 6
$$;
