
-- calendar: calendar and fiscal slices of time (managed edition of src/calendar.c)
--
-- Month-based grains are computed on a month index (12 * year + month - 1,
-- astronomical years: 1 BC is year 0), as the C edition does, so that a
-- fiscal slice of L months starting in month fy_start is the calendar
-- slice of the index shifted by fy_start - 1 months.  The small helpers
-- below are plain SQL expressions without a SET clause, so that the
-- planner inlines them into the report queries (no per-row function call).
--
-- Differences from the C edition: none in results.  slice_of is PL/pgSQL
-- (a few microseconds a call instead of well under one).

-- Floor division and non-negative modulo of integers (months before year 0).
-- floor_div goes through float8, exact here: |a| < 2^31 and b <= 12, so a
-- quotient that is not an integer lies at least 1/12 from one; and it
-- names a only once, so that nested helpers stay cheap once inlined.
CREATE FUNCTION @extschema@.floor_div(a int, b int) RETURNS int
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN pg_catalog.floor(a::float8 OPERATOR(pg_catalog./) b::float8)::int;
COMMENT ON FUNCTION @extschema@.floor_div(int, int) IS
    'internal: integer division rounding towards minus infinity (0 < b <= 12, |a| < 2^31), for month indexes before year 0';

CREATE FUNCTION @extschema@.floor_mod(a int, b int) RETURNS int
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (a OPERATOR(pg_catalog.%) b OPERATOR(pg_catalog.+) b) OPERATOR(pg_catalog.%) b;
COMMENT ON FUNCTION @extschema@.floor_mod(int, int) IS
    'internal: non-negative remainder of a by b (b > 0)';

-- The astronomical year of a date (EXTRACT says -1 for 1 BC; C says 0).
CREATE FUNCTION @extschema@.astro_year(d date) RETURNS int
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN d OPERATOR(pg_catalog.<) DATE '0001-01-01'
                THEN EXTRACT(YEAR FROM d)::int OPERATOR(pg_catalog.+) 1
                ELSE EXTRACT(YEAR FROM d)::int END;
COMMENT ON FUNCTION @extschema@.astro_year(date) IS
    'internal: astronomical year of a finite date (1 BC is 0, 2 BC is -1)';

CREATE FUNCTION @extschema@.month_index(d date) RETURNS int
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (EXTRACT(YEAR FROM d)::int OPERATOR(pg_catalog.*) 12 OPERATOR(pg_catalog.+) EXTRACT(MONTH FROM d)::int
            OPERATOR(pg_catalog.-) 1)
           OPERATOR(pg_catalog.+) CASE WHEN d OPERATOR(pg_catalog.<) DATE '0001-01-01' THEN 12 ELSE 0 END;
COMMENT ON FUNCTION @extschema@.month_index(date) IS
    'internal: 12 * astronomical year + month - 1 of a finite date';

-- First day of month index mi; the month must start inside type date's range.
CREATE FUNCTION @extschema@.month_start(mi int) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN pg_catalog.make_date(
        CASE WHEN @extschema@.floor_div(mi, 12) OPERATOR(pg_catalog.<=) 0
             THEN @extschema@.floor_div(mi, 12) OPERATOR(pg_catalog.-) 1
             ELSE @extschema@.floor_div(mi, 12) END,
        @extschema@.floor_mod(mi, 12) OPERATOR(pg_catalog.+) 1, 1);
COMMENT ON FUNCTION @extschema@.month_start(int) IS
    'internal: first day of month index mi (see month_index)';

-- The day before the first day of month index mi, even for the month after
-- the last one type date holds.
CREATE FUNCTION @extschema@.month_end_before(mi int) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN mi OPERATOR(pg_catalog.=) 70498776 THEN DATE '5874897-12-31'
                ELSE @extschema@.month_start(mi) OPERATOR(pg_catalog.-) 1 END;
COMMENT ON FUNCTION @extschema@.month_end_before(int) IS
    'internal: last day of the month before month index mi (mi up to 5874898-01)';

CREATE FUNCTION @extschema@.grain_months(grain text) RETURNS int
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE grain WHEN 'month' THEN 1 WHEN 'quarter' THEN 3 WHEN 'half' THEN 6 WHEN 'year' THEN 12
                      ELSE 0 END;
COMMENT ON FUNCTION @extschema@.grain_months(text) IS
    'internal: months in a slice of a month-based grain; 0 for day and week';

-- The month offset of a grain's slices: fiscal grains start in fy_start.
CREATE FUNCTION @extschema@.grain_offset(grain text, fy_start int) RETURNS int
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN grain OPERATOR(pg_catalog.=) 'month' THEN 0 ELSE fy_start OPERATOR(pg_catalog.-) 1 END;
COMMENT ON FUNCTION @extschema@.grain_offset(text, int) IS
    'internal: month offset of the slices of a month-based grain (fy_start - 1, 0 for month)';

-- Monday of the ISO week holding d: julian day 0 (4714-11-24 BC) was a Monday.
CREATE FUNCTION @extschema@.week_start(d date) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN d OPERATOR(pg_catalog.-) ((d OPERATOR(pg_catalog.-) DATE '4714-11-24 BC') OPERATOR(pg_catalog.%) 7);
COMMENT ON FUNCTION @extschema@.week_start(date) IS
    'internal: the Monday of the ISO week holding a finite date';

-- Validates a grain and a fiscal year start exactly as the C edition does
-- (same order: grain first), raising 22023; returns true.
CREATE FUNCTION @extschema@.calendar_check(grain text, fy_start int) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF grain IS NULL OR grain NOT IN ('day', 'week', 'month', 'quarter', 'half', 'year') THEN
        RAISE EXCEPTION 'invalid grain "%"', grain USING ERRCODE = '22023',
            DETAIL = 'Argument "grain" must be one of day, week, month, quarter, half or year, written in lower case.';
    END IF;
    IF fy_start IS NULL OR fy_start < 1 OR fy_start > 12 THEN
        RAISE EXCEPTION 'invalid fy_start %', fy_start USING ERRCODE = '22023',
            DETAIL = 'Argument "fy_start" is the month in which the fiscal year starts, from 1 (January) to 12 (December).';
    END IF;
    RETURN true;
END $$;
COMMENT ON FUNCTION @extschema@.calendar_check(text, int) IS
    'internal: raises 22023 for a grain other than day, week, month, quarter, half, year or a fy_start outside 1-12, as the C edition does; true otherwise';

-- Raises the C edition's 22008 for a slice reaching outside type date.
CREATE FUNCTION @extschema@.slice_out_of_range(d date, with_detail boolean DEFAULT true) RETURNS date
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF with_detail THEN
        RAISE EXCEPTION 'slice of date "%" reaches outside the range of type date', d
            USING ERRCODE = '22008', DETAIL = 'Type date runs from 4714-11-24 BC to 5874897-12-31.';
    END IF;
    RAISE EXCEPTION 'slice of date "%" reaches outside the range of type date', d USING ERRCODE = '22008';
END $$;
COMMENT ON FUNCTION @extschema@.slice_out_of_range(date, boolean) IS
    'internal: raises 22008 "slice of date ... reaches outside the range of type date"';

-- Years as ISO 8601 writes them: four digits at least, a sign before year 0.
CREATE FUNCTION @extschema@.format_year(y int) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN y OPERATOR(pg_catalog.<) 0 THEN '-' ELSE '' END
           OPERATOR(pg_catalog.||) pg_catalog.lpad(pg_catalog.abs(y)::text,
                                                   GREATEST(4, pg_catalog.length(pg_catalog.abs(y)::text)), '0');
COMMENT ON FUNCTION @extschema@.format_year(int) IS
    'internal: an astronomical year as labels write it (at least four digits, minus sign before year 0)';

-- The label of the slice starting on s (labels sort in date order: doc/design.md, "Calendars").
CREATE FUNCTION @extschema@.slice_label(s date, grain text, fy_start int) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE grain
        WHEN 'day' THEN @extschema@.format_year(@extschema@.astro_year(s)) OPERATOR(pg_catalog.||) '-'
                        OPERATOR(pg_catalog.||) pg_catalog.lpad(EXTRACT(MONTH FROM s)::int::text, 2, '0')
                        OPERATOR(pg_catalog.||) '-'
                        OPERATOR(pg_catalog.||) pg_catalog.lpad(EXTRACT(DAY FROM s)::int::text, 2, '0')
        WHEN 'week' THEN
            -- the ISO year is the year of the week's Thursday
            @extschema@.format_year(@extschema@.astro_year(s OPERATOR(pg_catalog.+) 3))
            OPERATOR(pg_catalog.||) '-W'
            OPERATOR(pg_catalog.||) pg_catalog.lpad(((EXTRACT(DOY FROM s OPERATOR(pg_catalog.+) 3)::int OPERATOR(pg_catalog.-) 1)
                  OPERATOR(pg_catalog./) 7 OPERATOR(pg_catalog.+) 1)::text, 2, '0')
        WHEN 'month' THEN @extschema@.format_year(@extschema@.astro_year(s)) OPERATOR(pg_catalog.||) '-'
                          OPERATOR(pg_catalog.||) pg_catalog.lpad(EXTRACT(MONTH FROM s)::int::text, 2, '0')
        ELSE
            CASE WHEN fy_start OPERATOR(pg_catalog.<>) 1 THEN 'FY' ELSE '' END
            -- a fiscal year is named by the calendar year it ends in
            OPERATOR(pg_catalog.||) @extschema@.format_year(@extschema@.floor_div(
                @extschema@.floor_div(@extschema@.month_index(s) OPERATOR(pg_catalog.-) (fy_start OPERATOR(pg_catalog.-) 1), 12)
                OPERATOR(pg_catalog.*) 12 OPERATOR(pg_catalog.+) (fy_start OPERATOR(pg_catalog.-) 1) OPERATOR(pg_catalog.+) 11, 12))
            OPERATOR(pg_catalog.||) CASE grain
                WHEN 'quarter' THEN '-Q' OPERATOR(pg_catalog.||) (@extschema@.floor_mod(@extschema@.month_index(s)
                                    OPERATOR(pg_catalog.-) (fy_start OPERATOR(pg_catalog.-) 1), 12) OPERATOR(pg_catalog./) 3
                                    OPERATOR(pg_catalog.+) 1)::text
                WHEN 'half' THEN '-H' OPERATOR(pg_catalog.||) (@extschema@.floor_mod(@extschema@.month_index(s)
                                 OPERATOR(pg_catalog.-) (fy_start OPERATOR(pg_catalog.-) 1), 12) OPERATOR(pg_catalog./) 6
                                 OPERATOR(pg_catalog.+) 1)::text
                ELSE '' END
        END;
COMMENT ON FUNCTION @extschema@.slice_label(date, text, int) IS
    'internal: label of the slice of grain starting on s: 2026-05-17, 2026-W20, 2026-05, 2026-Q2, 2026-H1, 2026, or FY2027-Q1, FY2027-H1, FY2027 when fy_start <> 1';

-- First day of the slice holding d, unchecked: for month grains the result
-- may lie before type date's first day (callers check with slice_start_mi).
CREATE FUNCTION @extschema@.slice_start_mi(d date, grain text, fy_start int) RETURNS int
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN @extschema@.floor_div(@extschema@.month_index(d) OPERATOR(pg_catalog.-) @extschema@.grain_offset(grain, fy_start),
                                 GREATEST(@extschema@.grain_months(grain), 1))
           OPERATOR(pg_catalog.*) GREATEST(@extschema@.grain_months(grain), 1)
           OPERATOR(pg_catalog.+) @extschema@.grain_offset(grain, fy_start);
COMMENT ON FUNCTION @extschema@.slice_start_mi(date, text, int) IS
    'internal: month index of the first month of the month-based slice holding d';

CREATE FUNCTION @extschema@.slice_of(d date, grain text, fy_start int DEFAULT 1,
                                     OUT slice_start date, OUT slice_end date, OUT label text)
    RETURNS record
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    mi int;
    len int;
BEGIN
    PERFORM @extschema@.calendar_check(grain, fy_start);
    IF NOT isfinite(d) THEN
        RAISE EXCEPTION 'date "%" has no slice', d USING ERRCODE = '22023',
            DETAIL = 'Only finite dates belong to a calendar slice.';
    END IF;
    IF grain = 'day' THEN
        slice_start := d;
        slice_end := d;
    ELSIF grain = 'week' THEN
        slice_start := @extschema@.week_start(d);
        IF DATE '5874897-12-31' - slice_start < 6 THEN
            PERFORM @extschema@.slice_out_of_range(d);
        END IF;
        slice_end := slice_start + 6;
    ELSE
        len := @extschema@.grain_months(grain);
        mi := @extschema@.slice_start_mi(d, grain, fy_start);
        -- the first month wholly inside type date is 4714-12 BC, the last 5874897-12
        IF mi < -56545 OR mi + len > 70498776 THEN
            PERFORM @extschema@.slice_out_of_range(d);
        END IF;
        slice_start := @extschema@.month_start(mi);
        slice_end := @extschema@.month_end_before(mi + len);
    END IF;
    label := @extschema@.slice_label(slice_start, grain, fy_start);
END $$;
COMMENT ON FUNCTION @extschema@.slice_of(date, text, int) IS
    'the day, ISO week, month, quarter, half or year holding a date, as (first day, last day inclusive, label); fy_start is the month a fiscal year starts in, fiscal years are named by the calendar year they end in';

-- Slices are numbered: the day grain by julian day, the week grain by
-- julian week (julian day 0 was a Monday), month grains by floor((month
-- index - offset) / months).  A period's slices are then one
-- generate_series over the numbers, with no branch per grain.
CREATE FUNCTION @extschema@.slice_index(d date, grain text, fy_start int) RETURNS int
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE grain
        WHEN 'day' THEN d OPERATOR(pg_catalog.-) DATE '4714-11-24 BC'
        WHEN 'week' THEN (d OPERATOR(pg_catalog.-) DATE '4714-11-24 BC') OPERATOR(pg_catalog./) 7
        ELSE @extschema@.floor_div(@extschema@.month_index(d) OPERATOR(pg_catalog.-) @extschema@.grain_offset(grain, fy_start),
                                   GREATEST(@extschema@.grain_months(grain), 1)) END;
COMMENT ON FUNCTION @extschema@.slice_index(date, text, int) IS
    'internal: the number of the slice of grain holding a finite date (consecutive slices have consecutive numbers)';

CREATE FUNCTION @extschema@.index_start(i int, grain text, fy_start int) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE grain
        WHEN 'day' THEN DATE '4714-11-24 BC' OPERATOR(pg_catalog.+) i
        WHEN 'week' THEN DATE '4714-11-24 BC' OPERATOR(pg_catalog.+) (i OPERATOR(pg_catalog.*) 7)
        ELSE @extschema@.month_start(i OPERATOR(pg_catalog.*) @extschema@.grain_months(grain)
                                     OPERATOR(pg_catalog.+) @extschema@.grain_offset(grain, fy_start)) END;
COMMENT ON FUNCTION @extschema@.index_start(int, text, int) IS
    'internal: first day of slice number i of grain (see slice_index)';

CREATE FUNCTION @extschema@.index_end(i int, grain text, fy_start int) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE grain
        WHEN 'day' THEN DATE '4714-11-24 BC' OPERATOR(pg_catalog.+) i
        WHEN 'week' THEN DATE '4714-11-24 BC' OPERATOR(pg_catalog.+) (i OPERATOR(pg_catalog.*) 7 OPERATOR(pg_catalog.+) 6)
        ELSE @extschema@.month_end_before((i OPERATOR(pg_catalog.+) 1) OPERATOR(pg_catalog.*) @extschema@.grain_months(grain)
                                          OPERATOR(pg_catalog.+) @extschema@.grain_offset(grain, fy_start)) END;
COMMENT ON FUNCTION @extschema@.index_end(int, text, int) IS
    'internal: last day of slice number i of grain (see slice_index)';

-- The slices the days [lo, hi) touch, one row per slice (never per day
-- except for the day grain), with the days of [lo, hi) in each.  Unchecked:
-- callers validate grain, fy_start and the bounds first.  Plain SQL without
-- SET, so the planner inlines it into the query that calls it.
CREATE FUNCTION @extschema@.period_slices(lo date, hi date, grain text, fy_start int)
    RETURNS TABLE (slice_start date, slice_end date, label text, days int)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE ROWS 12 AS $$
    SELECT x.s, x.e, @extschema@.slice_label(x.s, grain, fy_start),
           (LEAST(x.e, hi OPERATOR(pg_catalog.-) 1) OPERATOR(pg_catalog.-) GREATEST(x.s, lo) OPERATOR(pg_catalog.+) 1)::int
    FROM (SELECT @extschema@.index_start(i, grain, fy_start) AS s, @extschema@.index_end(i, grain, fy_start) AS e
          FROM pg_catalog.generate_series(@extschema@.slice_index(lo, grain, fy_start),
                                          @extschema@.slice_index(hi OPERATOR(pg_catalog.-) 1, grain, fy_start)) i
          -- a barrier: without it the planner pulls the subquery up and copies
          -- the index_start/index_end expressions into every use of s and e
          OFFSET 0) x
$$;
COMMENT ON FUNCTION @extschema@.period_slices(date, date, text, int) IS
    'internal: the slices of grain that the days [lo, hi) touch, with the number of those days in each; generated per slice, never per day (except for the day grain); arguments unchecked';
