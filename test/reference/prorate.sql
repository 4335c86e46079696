-- Plain-SQL reference implementation of dealscope's calendars and
-- proration (doc/design.md, "Calendars" and "Money and exactness"), used by
-- the differential test sql/prorate_differential.sql and by benchmarks as
-- "what a user would write without the extension".
--
-- It is slow on purpose and meant to be obviously correct: it walks the
-- period day by day (generate_series), finds each day's slice with
-- date_trunc on a date shifted by the fiscal offset, and does all
-- arithmetic on exact integers in numeric:
--   * the amount A in minor units, the period's days N;
--   * every day's rate as an integer numerator over one common denominator
--     M * 10^12, where M is the lcm of the ramp lengths (a ramp [a,b)
--     r0->r1 has rate r0 + (r1 - r0) * (d - a) / (b - a) on day d);
--   * slice i's exact gross is A * n_i / N and its exact share
--     A * sum(rate numerators) / (N * M * 10^12), so each slice's floor
--     and remainder are div() and mod() of integers over one denominator,
--     and remainders compare directly.
-- The schedule is read through SQL only, by parsing its canonical text.
--
-- Needs the dealscope extension (for the rate_schedule type).  Creates or
-- replaces objects in schema dealscope_ref; safe to load twice.

CREATE SCHEMA IF NOT EXISTS dealscope_ref;

-- 10^k as an exact integer
CREATE OR REPLACE FUNCTION dealscope_ref.pow10(k int) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $$ SELECT ('1' || repeat('0', k))::numeric $$;

-- ISO 4217 minor units
CREATE OR REPLACE FUNCTION dealscope_ref.minor_unit(currency char(3)) RETURNS int
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN currency IN ('BIF','CLP','DJF','GNF','ISK','JPY','KMF','KRW','PYG',
                      'RWF','UGX','UYI','VND','VUV','XAF','XOF','XPF') THEN 0
    WHEN currency IN ('BHD','IQD','JOD','KWD','LYD','OMR','TND') THEN 3
    WHEN currency IN ('CLF','UYW') THEN 4
    ELSE 2 END
$$;

-- Argument checks, raising the same SQLSTATEs as the extension.
CREATE OR REPLACE FUNCTION dealscope_ref.check_calendar(grain text, fy_start int) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  IF grain NOT IN ('day', 'week', 'month', 'quarter', 'half', 'year') THEN
    RAISE EXCEPTION 'invalid grain "%"', grain USING ERRCODE = '22023';
  END IF;
  IF fy_start NOT BETWEEN 1 AND 12 THEN
    RAISE EXCEPTION 'invalid fy_start %', fy_start USING ERRCODE = '22023';
  END IF;
  RETURN true;
END $$;

CREATE OR REPLACE FUNCTION dealscope_ref.check_flow(amount numeric, period daterange,
    grain text, fy_start int, currency char(3)) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  IF amount IS NULL OR period IS NULL OR grain IS NULL OR fy_start IS NULL OR currency IS NULL THEN
    RETURN false;
  END IF;
  PERFORM dealscope_ref.check_calendar(grain, fy_start);
  IF currency::text !~ '^[A-Z]{3}$' THEN
    RAISE EXCEPTION 'invalid currency code "%"', currency USING ERRCODE = '22023';
  END IF;
  IF trunc(amount * dealscope_ref.pow10(dealscope_ref.minor_unit(currency)))
       <> amount * dealscope_ref.pow10(dealscope_ref.minor_unit(currency)) THEN
    RAISE EXCEPTION 'amount % has more decimals than currency % allows', amount, currency
      USING ERRCODE = '22023';
  END IF;
  IF isempty(period) OR lower_inf(period) OR upper_inf(period)
     OR NOT isfinite(lower(period)) OR NOT isfinite(upper(period)) THEN
    RAISE EXCEPTION 'invalid period "%"', period USING ERRCODE = '22023';
  END IF;
  RETURN true;
END $$;

-- First day of the slice holding d.  A fiscal slice is the calendar slice
-- of the day shifted back by fy_start - 1 months, shifted forward again.
CREATE OR REPLACE FUNCTION dealscope_ref.slice_start(d date, grain text, fy_start int) RETURNS date
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE grain
    WHEN 'day'     THEN d
    WHEN 'week'    THEN date_trunc('week', d::timestamp)::date
    WHEN 'month'   THEN date_trunc('month', d::timestamp)::date
    WHEN 'quarter' THEN (date_trunc('quarter', d::timestamp - make_interval(months => fy_start - 1))
                         + make_interval(months => fy_start - 1))::date
    WHEN 'half'    THEN (make_date(extract(year FROM d::timestamp - make_interval(months => fy_start - 1))::int,
                                   CASE WHEN extract(month FROM d::timestamp - make_interval(months => fy_start - 1)) <= 6
                                        THEN 1 ELSE 7 END, 1)
                         + make_interval(months => fy_start - 1))::date
    WHEN 'year'    THEN (date_trunc('year', d::timestamp - make_interval(months => fy_start - 1))
                         + make_interval(months => fy_start - 1))::date
  END
$$;

CREATE OR REPLACE FUNCTION dealscope_ref.slice_length(grain text) RETURNS interval
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE grain WHEN 'day' THEN interval '1 day' WHEN 'week' THEN interval '7 days'
                    WHEN 'month' THEN interval '1 month' WHEN 'quarter' THEN interval '3 months'
                    WHEN 'half' THEN interval '6 months' WHEN 'year' THEN interval '1 year' END
$$;

-- Label of the slice starting on s.  A fiscal year is named by the
-- calendar year it ends in: the shifted year, plus one when fy_start <> 1.
CREATE OR REPLACE FUNCTION dealscope_ref.slice_label(s date, grain text, fy_start int) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE grain
    WHEN 'day'   THEN to_char(s, 'YYYY-MM-DD')
    WHEN 'week'  THEN to_char(s, 'IYYY-"W"IW')
    WHEN 'month' THEN to_char(s, 'YYYY-MM')
    ELSE CASE WHEN fy_start <> 1 THEN 'FY' ELSE '' END
         || lpad((extract(year FROM s::timestamp - make_interval(months => fy_start - 1))::int
                  + (fy_start <> 1)::int)::text, 4, '0')
         || CASE grain
              WHEN 'quarter' THEN '-Q' || extract(quarter FROM s::timestamp - make_interval(months => fy_start - 1))
              WHEN 'half' THEN '-H' || CASE WHEN extract(month FROM s::timestamp - make_interval(months => fy_start - 1)) <= 6
                                            THEN 1 ELSE 2 END
              ELSE '' END
    END
$$;

CREATE OR REPLACE FUNCTION dealscope_ref.slice_of(d date, grain text, fy_start int DEFAULT 1,
    OUT slice_start date, OUT slice_end date, OUT label text)
LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT s, (s + dealscope_ref.slice_length(grain))::date - 1, dealscope_ref.slice_label(s, grain, fy_start)
  FROM (SELECT dealscope_ref.slice_start(d, grain, fy_start) AS s) x
  WHERE dealscope_ref.check_calendar(grain, fy_start)
$$;

-- A rate written as in rate_schedule's text ('12.5%' or '0.125') as a fraction.
CREATE OR REPLACE FUNCTION dealscope_ref.parse_rate(r text) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN r LIKE '%\%' THEN rtrim(r, '%')::numeric / 100 ELSE r::numeric END
$$;

-- The segments of a schedule, read from its canonical text: either one
-- constant rate ('20%': every day) or '{[lo,hi) r0, [lo,hi) r0->r1, ...}'.
CREATE OR REPLACE FUNCTION dealscope_ref.segments(s dealscope.rate_schedule)
RETURNS TABLE (lo date, hi date, r0 numeric, r1 numeric)
LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(m[1], '-infinity')::date, coalesce(m[2], 'infinity')::date,
         dealscope_ref.parse_rate(m[3]), dealscope_ref.parse_rate(coalesce(m[4], m[3]))
  FROM regexp_matches(CASE WHEN s::text LIKE '{%' THEN s::text ELSE '[,) ' || s::text END,
                      '\[([^,\]]*),([^)]*)\) ([0-9.]+%?)(?:->([0-9.]+%?))?', 'g') AS r(m0),
       LATERAL (SELECT ARRAY[nullif(m0[1], ''), nullif(m0[2], ''), m0[3], m0[4]] AS m) x
$$;

CREATE OR REPLACE AGGREGATE dealscope_ref.lcm_agg(numeric) (SFUNC = pg_catalog.lcm, STYPE = numeric, INITCOND = '1');

-- Every day of the period with its slice start and its rate as an integer
-- numerator over the common denominator den = M * 10^12.
CREATE OR REPLACE FUNCTION dealscope_ref.period_days(period daterange, grain text, fy_start int,
    share dealscope.rate_schedule)
RETURNS TABLE (d date, s date, rnum numeric, den numeric)
LANGUAGE sql IMMUTABLE AS $$
  WITH seg AS (
    SELECT lo, hi, r0 * 1e12 AS r0, r1 * 1e12 AS r1,
           CASE WHEN r0 = r1 THEN 1 ELSE (hi - lo)::numeric END AS len
    FROM dealscope_ref.segments(share)),
  m AS (SELECT dealscope_ref.lcm_agg(len) AS m FROM seg)
  SELECT x.d, dealscope_ref.slice_start(x.d, grain, fy_start),
         coalesce((SELECT CASE WHEN seg.len = 1 THEN seg.r0 * m.m
                               ELSE (seg.r0 * seg.len + (seg.r1 - seg.r0) * (x.d - seg.lo)) * (m.m / seg.len) END
                   FROM seg WHERE x.d >= seg.lo AND x.d < seg.hi), 0),
         m.m * 1e12
  FROM m, generate_series(lower(period)::timestamp, (upper(period) - 1)::timestamp, interval '1 day') AS g(t),
       LATERAL (SELECT g.t::date AS d) x
$$;

-- q = num / den rounded half to even (num >= 0, den > 0, integers)
CREATE OR REPLACE FUNCTION dealscope_ref.round_half_even(num numeric, den numeric) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $$
  SELECT div(num, den) + CASE WHEN 2 * mod(num, den) > den
                                OR (2 * mod(num, den) = den AND mod(div(num, den), 2) = 1)
                              THEN 1 ELSE 0 END
$$;

-- The rounded share total in minor units (signed), straight from the days.
CREATE OR REPLACE FUNCTION dealscope_ref.share_total(amount numeric, period daterange,
    currency char(3) DEFAULT 'USD', share dealscope.rate_schedule DEFAULT NULL)
RETURNS numeric
LANGUAGE sql IMMUTABLE AS $$
  SELECT sign(amount) * CASE WHEN share IS NULL THEN 0 ELSE dealscope_ref.round_half_even(
           abs(amount) * dealscope_ref.pow10(dealscope_ref.minor_unit(currency)) * sum(rnum),
           (upper(period) - lower(period)) * min(den)) END
  FROM dealscope_ref.period_days(period, 'day', 1, share)
$$;

CREATE OR REPLACE FUNCTION dealscope_ref.prorate(amount numeric, period daterange, grain text,
    fy_start int DEFAULT 1, currency char(3) DEFAULT 'USD', share dealscope.rate_schedule DEFAULT NULL)
RETURNS TABLE (slice_start date, slice_end date, label text, gross numeric, share numeric, net numeric)
LANGUAGE sql IMMUTABLE AS $$
  WITH flow AS (
    SELECT abs(amount) * dealscope_ref.pow10(mu) AS a, sign(amount) AS sgn, mu,
           (upper(period) - lower(period))::numeric AS n
    FROM (SELECT dealscope_ref.minor_unit(currency) AS mu) c
    WHERE dealscope_ref.check_flow(amount, period, grain, fy_start, currency)),
  days AS (
    SELECT * FROM dealscope_ref.period_days(period, grain, fy_start,
                                            coalesce(share, '{}'::dealscope.rate_schedule))),
  slices AS (                    -- exact parts as numerators over one denominator each
    SELECT days.s, flow.a * count(*) AS g_num, flow.n AS g_den,
           flow.a * sum(days.rnum) AS s_num, flow.n * min(days.den) AS s_den
    FROM days, flow GROUP BY days.s, flow.a, flow.n),
  floors AS (
    SELECT s, div(g_num, g_den) AS g_floor, mod(g_num, g_den) AS g_rem,
              div(s_num, s_den) AS s_floor, mod(s_num, s_den) AS s_rem
    FROM slices),
  missing AS (                   -- units still missing after the floors
    SELECT flow.a - sum(g_floor) AS g_k,
           dealscope_ref.round_half_even(sum(slices.s_num), min(slices.s_den)) - sum(s_floor) AS s_k
    FROM slices JOIN floors USING (s), flow GROUP BY flow.a),
  ranked AS (
    SELECT s, g_floor, s_floor,
           row_number() OVER (ORDER BY g_rem DESC, s) AS g_rank,
           row_number() OVER (ORDER BY s_rem DESC, s) AS s_rank
    FROM floors),
  parts AS (
    SELECT s, g_floor + (g_rank <= g_k)::int AS g, s_floor + (s_rank <= s_k)::int AS sh
    FROM ranked, missing)
  SELECT parts.s, (parts.s + dealscope_ref.slice_length(grain))::date - 1,
         dealscope_ref.slice_label(parts.s, grain, fy_start),
         round(flow.sgn * parts.g / dealscope_ref.pow10(flow.mu), flow.mu),
         round(flow.sgn * parts.sh / dealscope_ref.pow10(flow.mu), flow.mu),
         round(flow.sgn * (parts.g - parts.sh) / dealscope_ref.pow10(flow.mu), flow.mu)
  FROM parts, flow
  ORDER BY parts.s
$$;
