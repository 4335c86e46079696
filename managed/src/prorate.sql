
-- prorate: exact proration of a flow over calendar or fiscal slices
-- (managed edition of src/prorate.c)
--
-- Everything is exact integer (or exact decimal) arithmetic in numeric:
-- only +, -, *, div() and mod() are used on values that must stay exact
-- (numeric "/" rounds).  With A the amount in minor units and N the
-- period's days:
--   * gross: slice i holding n_i days gets floor(A n_i / N), computed as
--     q n_i + floor(r n_i / N) with A = q N + r; the units still missing go
--     to the largest remainders (one denominator N), ties to the earliest;
--   * share: a schedule's rate sum over the days [x, y) of a segment
--     [lo, hi) r0->r1 has the closed form (y - x) r0 + (r1 - r0) T / (2 L)
--     with L = hi - lo and T = (y - x)(x + y - 1 - 2 lo) an integer, so
--     with D = lcm of the 2 L of the ramps every slice's exact share is
--     A * S_i / (N D) with S_i an exact decimal: its floor and remainder
--     are div() and mod(), and remainders compare directly.  The total
--     A * sum(S_i) / (N D) is rounded once, half to even.
--   * a negative amount is split as the negation of the split of -A.
-- Work is per slice, never per day (except for the day grain, whose slices
-- are days).
--
-- Differences from the C edition: the C edition raises 22003 "revenue
-- share out of range for exact arithmetic" when a schedule's common
-- denominator times the amount needs more than 128 bits; numeric has no
-- such limit, so the managed edition returns the exact answer instead.

-- lcm over a column, for common denominators of ramps.
CREATE AGGREGATE @extschema@.lcm_agg(numeric) (
    SFUNC = pg_catalog.lcm,
    STYPE = numeric,
    INITCOND = '1',
    COMBINEFUNC = pg_catalog.lcm,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.lcm_agg(numeric) IS
    'internal: least common multiple of the non-NULL integers of a group (1 for none), for common denominators';

-- num / den rounded half to even (num >= 0, den > 0; num may be a decimal).
CREATE FUNCTION @extschema@.round_half_even(num numeric, den numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN pg_catalog.div(num, den) OPERATOR(pg_catalog.+)
           CASE WHEN 2 OPERATOR(pg_catalog.*) pg_catalog.mod(num, den) OPERATOR(pg_catalog.>) den
                  OR (2 OPERATOR(pg_catalog.*) pg_catalog.mod(num, den) OPERATOR(pg_catalog.=) den
                      AND pg_catalog.mod(pg_catalog.div(num, den), 2) OPERATOR(pg_catalog.=) 1)
                THEN 1 ELSE 0 END;
COMMENT ON FUNCTION @extschema@.round_half_even(numeric, numeric) IS
    'internal: num / den (num >= 0, den > 0) rounded half to even, exactly';

-- A schedule's segments as exact sum terms over the common denominator D
-- (the lcm of twice the ramps' lengths): over the days [u, v) of segment
-- [lo, hi) the rate sum times D is (v - u) * c0 + c1 * (v - u) * (u + v - 1 - 2 lo).
CREATE FUNCTION @extschema@.schedule_terms(share @extschema@.rate_schedule)
    RETURNS TABLE (lo date, hi date, c0 numeric, c1 numeric, d numeric)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    WITH seg AS (SELECT s.lo, s.hi, s.r0, s.r1 FROM @extschema@.rate_segments(share) s),
    m AS (SELECT @extschema@.lcm_agg(CASE WHEN seg.r0 OPERATOR(pg_catalog.<>) seg.r1
                                          THEN 2 OPERATOR(pg_catalog.*) (seg.hi OPERATOR(pg_catalog.-) seg.lo)::numeric END) AS d
          FROM seg)
    SELECT seg.lo, seg.hi, seg.r0 OPERATOR(pg_catalog.*) m.d,
           CASE WHEN seg.r0 OPERATOR(pg_catalog.=) seg.r1 THEN 0::numeric
                ELSE (seg.r1 OPERATOR(pg_catalog.-) seg.r0) OPERATOR(pg_catalog.*)
                     pg_catalog.div(m.d, 2 OPERATOR(pg_catalog.*) (seg.hi OPERATOR(pg_catalog.-) seg.lo)::numeric) END,
           m.d
    FROM seg, m
$$;
COMMENT ON FUNCTION @extschema@.schedule_terms(@extschema@.rate_schedule) IS
    'internal: a schedule''s segments as exact sum terms over one common denominator d (lcm of twice the ramp lengths)';

-- D times the rate sum over the days [x, y) of a term valid on [lo, hi)
-- whose ramp starts on origin (0 when they do not overlap).  Plain SQL, inlined.
CREATE FUNCTION @extschema@.term_sum(x date, y date, lo date, hi date, origin date, c0 numeric, c1 numeric)
    RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN GREATEST(x, lo) OPERATOR(pg_catalog.>=) LEAST(y, hi) THEN 0::numeric
                WHEN c1 OPERATOR(pg_catalog.=) 0
                THEN (LEAST(y, hi) OPERATOR(pg_catalog.-) GREATEST(x, lo))::numeric OPERATOR(pg_catalog.*) c0
                ELSE (LEAST(y, hi) OPERATOR(pg_catalog.-) GREATEST(x, lo))::numeric OPERATOR(pg_catalog.*)
                     (c0 OPERATOR(pg_catalog.+) (c1 OPERATOR(pg_catalog.*)
                      ((GREATEST(x, lo) OPERATOR(pg_catalog.-) origin) OPERATOR(pg_catalog.+)
                       (LEAST(y, hi) OPERATOR(pg_catalog.-) origin) OPERATOR(pg_catalog.-) 1)::numeric)) END;
COMMENT ON FUNCTION @extschema@.term_sum(date, date, date, date, date, numeric, numeric) IS
    'internal: the common denominator times the rate sum over the days [x, y) of one schedule term (valid on [lo, hi), ramp starting on origin)';

-- The split of one flow in signed minor units (arguments valid, a an
-- integer): one row per slice, gross and share obeying the exactness rule.
CREATE FUNCTION @extschema@.split_minor(a numeric, lo date, hi date, grain text, fy_start int,
                                        share @extschema@.rate_schedule)
    RETURNS TABLE (slice_start date, slice_end date, label text, gross numeric, share numeric)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    WITH f AS (
        SELECT pg_catalog.abs(split_minor.a) AS a, pg_catalog.sign(split_minor.a) AS sgn,
               (split_minor.hi OPERATOR(pg_catalog.-) split_minor.lo)::numeric AS n),
    terms AS (SELECT * FROM @extschema@.schedule_terms(split_minor.share) WHERE split_minor.share IS NOT NULL),
    den AS (SELECT coalesce(min(terms.d), 1::numeric) AS d FROM terms),
    sl AS (
        SELECT s.slice_start, s.slice_end, s.label,
               pg_catalog.div(f.a, f.n) OPERATOR(pg_catalog.*) s.days OPERATOR(pg_catalog.+)
               pg_catalog.div(pg_catalog.mod(f.a, f.n) OPERATOR(pg_catalog.*) s.days, f.n) AS g_floor,
               pg_catalog.mod(pg_catalog.mod(f.a, f.n) OPERATOR(pg_catalog.*) s.days, f.n) AS g_rem,
               f.a OPERATOR(pg_catalog.*)
               coalesce((SELECT sum(@extschema@.term_sum(GREATEST(s.slice_start, split_minor.lo),
                                                         LEAST(s.slice_end, split_minor.hi OPERATOR(pg_catalog.-) 1) OPERATOR(pg_catalog.+) 1,
                                                         t.lo, t.hi, t.lo, t.c0, t.c1))
                         FROM terms t), 0::numeric) AS s_num
        FROM f, @extschema@.period_slices(split_minor.lo, split_minor.hi, split_minor.grain, split_minor.fy_start) s),
    fl AS (
        SELECT sl.*, pg_catalog.div(sl.s_num, f.n OPERATOR(pg_catalog.*) den.d) AS s_floor,
               pg_catalog.mod(sl.s_num, f.n OPERATOR(pg_catalog.*) den.d) AS s_rem
        FROM sl, f, den),
    k AS (
        SELECT f.a OPERATOR(pg_catalog.-) sum(fl.g_floor) AS g_k,
               @extschema@.round_half_even(sum(fl.s_num), f.n OPERATOR(pg_catalog.*) den.d)
               OPERATOR(pg_catalog.-) sum(fl.s_floor) AS s_k
        FROM fl, f, den GROUP BY f.a, f.n, den.d),
    ranked AS (
        SELECT fl.*, row_number() OVER (ORDER BY fl.g_rem DESC, fl.slice_start) AS g_rank,
               row_number() OVER (ORDER BY fl.s_rem DESC, fl.slice_start) AS s_rank
        FROM fl)
    SELECT r.slice_start, r.slice_end, r.label,
           f.sgn OPERATOR(pg_catalog.*) (r.g_floor OPERATOR(pg_catalog.+) CASE WHEN r.g_rank OPERATOR(pg_catalog.<=) k.g_k THEN 1 ELSE 0 END),
           f.sgn OPERATOR(pg_catalog.*) (r.s_floor OPERATOR(pg_catalog.+) CASE WHEN r.s_rank OPERATOR(pg_catalog.<=) k.s_k THEN 1 ELSE 0 END)
    FROM ranked r, f, k
    ORDER BY r.slice_start
$$;
COMMENT ON FUNCTION @extschema@.split_minor(numeric, date, date, text, int, @extschema@.rate_schedule) IS
    'internal: one flow of a minor units over the days [lo, hi) split into slices by largest remainder, with the share under the schedule (exact total rounded once, half to even, split the same way), in signed minor units; arguments unchecked';

-- Validates a flow's period as the C edition does (22023; 54000 past the
-- length limit of src/prorate.h) and returns it.
CREATE FUNCTION @extschema@.check_period(period daterange) RETURNS daterange
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF isempty(period) THEN
        RAISE EXCEPTION 'invalid period "%"', period USING ERRCODE = '22023',
            DETAIL = 'A flow''s period must contain at least one day.';
    END IF;
    IF lower_inf(period) OR upper_inf(period) OR NOT isfinite(lower(period)) OR NOT isfinite(upper(period)) THEN
        RAISE EXCEPTION 'invalid period "%"', period USING ERRCODE = '22023',
            DETAIL = 'A flow''s period must have finite lower and upper bounds.';
    END IF;
    IF upper(period) - lower(period) > 100000 THEN
        RAISE EXCEPTION 'period "%" is longer than 100000 days', period USING ERRCODE = '54000',
            DETAIL = format('It spans %s days; a flow''s period may span at most 100000 days (about 273 years), so that splitting one flow stays cheap.',
                            upper(period) - lower(period)),
            HINT = 'Record a longer flow as several consecutive flows.';
    END IF;
    RETURN period;
END $$;
COMMENT ON FUNCTION @extschema@.check_period(daterange) IS
    'internal: raises 22023 for an empty period or one without two finite bounds, 54000 for one longer than 100000 days';

-- The number of slices [lo, hi) touches, raising the C edition's 22008 when
-- the first slice starts before type date's first day.
CREATE FUNCTION @extschema@.slice_count(lo date, hi date, grain text, fy_start int) RETURNS bigint
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    m0 int;
BEGIN
    IF grain = 'day' THEN
        RETURN hi - lo;
    ELSIF grain = 'week' THEN
        RETURN (@extschema@.week_start(hi - 1) - @extschema@.week_start(lo)) / 7 + 1;
    END IF;
    m0 := @extschema@.slice_start_mi(lo, grain, fy_start);
    IF m0 < -56545 THEN
        PERFORM @extschema@.slice_out_of_range(lo);
    END IF;
    RETURN (@extschema@.slice_start_mi(hi - 1, grain, fy_start) - m0) / @extschema@.grain_months(grain) + 1;
END $$;
COMMENT ON FUNCTION @extschema@.slice_count(date, date, text, int) IS
    'internal: number of slices of grain the days [lo, hi) touch; raises 22008 when the first slice starts before type date''s first day';

-- Raises the C edition's 22008 when the slice holding the day before hi
-- ends after type date's last day; true otherwise.
CREATE FUNCTION @extschema@.check_slice_end(hi date, grain text, fy_start int, with_detail boolean DEFAULT true)
    RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF grain = 'week' AND DATE '5874897-12-31' - @extschema@.week_start(hi - 1) < 6
       OR grain NOT IN ('day', 'week')
          AND @extschema@.slice_start_mi(hi - 1, grain, fy_start) + @extschema@.grain_months(grain) > 70498776 THEN
        PERFORM @extschema@.slice_out_of_range(hi - 1, with_detail);
    END IF;
    RETURN true;
END $$;
COMMENT ON FUNCTION @extschema@.check_slice_end(date, text, int, boolean) IS
    'internal: raises 22008 when the slice holding hi - 1 ends after type date''s last day';

-- The body of prorate() (an input and an output column of prorate are both
-- named share, which PL/pgSQL does not allow: prorate is a SQL wrapper).
CREATE FUNCTION @extschema@.prorate_checked(amount numeric, period daterange, grain text,
                                            fy_start int, currency char(3), schedule @extschema@.rate_schedule)
    RETURNS TABLE (slice_start date, slice_end date, label text,
                   gross numeric, share numeric, net numeric)
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE ROWS 12
    SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    mu int;
    a numeric;
    n bigint;
    f numeric;
BEGIN
    IF amount IS NULL OR period IS NULL OR grain IS NULL OR fy_start IS NULL OR currency IS NULL THEN
        RETURN;
    END IF;
    PERFORM @extschema@.calendar_check(grain, fy_start);
    mu := @extschema@.minor_unit(currency);
    a := @extschema@.to_minor(amount, currency::text, mu);
    PERFORM @extschema@.check_period(period);
    n := @extschema@.slice_count(lower(period), upper(period), grain, fy_start);
    -- the C edition computes every slice in one allocation of at most 1 GB
    IF n > 13421772 THEN
        RAISE EXCEPTION 'period "%" has too many % slices', period, grain USING ERRCODE = '54000',
            DETAIL = format('It touches %s slices; prorate returns at most 13421772.', n),
            HINT = 'Use a coarser grain or a shorter period.';
    END IF;
    PERFORM @extschema@.check_slice_end(upper(period), grain, fy_start);
    f := @extschema@.minor_factor(mu);
    RETURN QUERY
    SELECT s.slice_start, s.slice_end, s.label, round(s.gross * f, mu), round(s.share * f, mu),
           round((s.gross - s.share) * f, mu)
    FROM @extschema@.split_minor(a, lower(period), upper(period), $3, $4, $6) s
    ORDER BY s.slice_start;
END $$;
COMMENT ON FUNCTION @extschema@.prorate_checked(numeric, daterange, text, int, char(3), @extschema@.rate_schedule) IS
    'internal: the body of prorate()';

CREATE FUNCTION @extschema@.prorate(amount numeric, period daterange, grain text,
                                    fy_start int DEFAULT 1, currency char(3) DEFAULT 'USD',
                                    share @extschema@.rate_schedule DEFAULT NULL)
    RETURNS TABLE (slice_start date, slice_end date, label text,
                   gross numeric, share numeric, net numeric)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE ROWS 12 AS $$
    SELECT * FROM @extschema@.prorate_checked($1, $2, $3, $4, $5, $6)
$$;
COMMENT ON FUNCTION @extschema@.prorate(numeric, daterange, text, int, char(3), @extschema@.rate_schedule) IS
    'splits an amount earned evenly per day over period into the slices of grain it touches (largest remainder, ties to the earliest slice; parts sum exactly to the amount), with the revenue share owed under the schedule (its exact total rounded once, half to even, then split the same way) and net = gross - share; no rows when amount, period, grain, fy_start or currency is NULL';
