SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS dealscope;
RESET client_min_messages;
SET search_path = dealscope, public;
SET DateStyle = 'ISO, YMD';
-- Shows the SQLSTATE and message of an error instead of aborting.
CREATE FUNCTION pg_temp.error_of(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE q;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

-- every grain on one day; slice_end is the last day of the slice (inclusive)
SELECT g AS grain, s.*
FROM unnest(ARRAY['day', 'week', 'month', 'quarter', 'half', 'year']) WITH ORDINALITY AS u(g, o),
     slice_of('2026-05-17', g) AS s
ORDER BY o;

-- fiscal years: named by the calendar year they end in, FY prefix when
-- fy_start <> 1; day, week and month keep their calendar labels
SELECT f AS fy_start, g AS grain, s.*
FROM unnest(ARRAY[1, 4, 7, 10]) AS f,
     unnest(ARRAY['day', 'week', 'month', 'quarter', 'half', 'year']) WITH ORDINALITY AS u(g, o),
     slice_of('2026-05-17', g, f) AS s
ORDER BY f, o;

-- fiscal boundaries: Microsoft's FY2027 runs 2026-07-01 .. 2027-06-30
SELECT d, s.*
FROM unnest(ARRAY['2026-06-30', '2026-07-01', '2027-06-30', '2027-07-01']::date[]) AS d,
     slice_of(d, 'year', 7) AS s;
SELECT d, q.label AS quarter, h.label AS half, y.label AS year, y.slice_start, y.slice_end
FROM unnest(ARRAY['2026-06-30', '2026-07-01', '2026-09-30', '2026-10-01', '2026-12-31',
                  '2027-01-01', '2027-03-31', '2027-04-01']::date[]) AS d,
     slice_of(d, 'quarter', 7) AS q, slice_of(d, 'half', 7) AS h, slice_of(d, 'year', 7) AS y;
-- a fiscal year starting in December, and one starting in February
SELECT d, y.*, q.label AS quarter
FROM unnest(ARRAY['2026-11-30', '2026-12-01', '2027-01-31', '2027-02-01']::date[]) AS d,
     slice_of(d, 'year', 12) AS y, slice_of(d, 'quarter', 12) AS q;
SELECT d, y.*, h.label AS half
FROM unnest(ARRAY['2026-01-31', '2026-02-01', '2026-07-31', '2026-08-01']::date[]) AS d,
     slice_of(d, 'year', 2) AS y, slice_of(d, 'half', 2) AS h;

-- leap days
SELECT d, g AS grain, s.*
FROM unnest(ARRAY['2024-02-29', '2000-02-29', '2100-02-28']::date[]) AS d,
     unnest(ARRAY['day', 'week', 'month', 'quarter']) WITH ORDINALITY AS u(g, o),
     slice_of(d, g) AS s
ORDER BY d, o;

-- ISO weeks: Monday start; early-January days in week 52/53 of the
-- previous ISO year, late-December days in week 1 of the next
SELECT d, to_char(d, 'Dy') AS dow, s.*
FROM unnest(ARRAY['2020-12-31', '2021-01-03', '2021-01-04', '2022-01-02', '2024-12-29',
                  '2024-12-30', '2026-12-28', '2026-12-31', '2027-01-03', '2027-01-04']::date[]) AS d,
     slice_of(d, 'week') AS s;

-- Every day from 1900 to 2200 against date_trunc and to_char: the number
-- of days where slice_of disagrees must be 0 for every grain.
SELECT g AS grain, count(*) AS days,
       count(*) FILTER (WHERE (s.slice_start, s.slice_end, s.label) IS DISTINCT FROM (t.start, t.stop, t.label)) AS mismatches
FROM generate_series('1900-01-01'::timestamp, '2200-12-31', '1 day') AS ts,
     unnest(ARRAY['day', 'week', 'month', 'quarter', 'half', 'year']) AS g,
     LATERAL slice_of(ts::date, g) AS s,
     LATERAL (
       SELECT x::date AS start, (x + step)::date - 1 AS stop, to_char(ts, fmt) AS label
       FROM (SELECT CASE g WHEN 'half' THEN make_timestamp(extract(year FROM ts)::int,
                                                           CASE WHEN extract(month FROM ts) <= 6 THEN 1 ELSE 7 END, 1, 0, 0, 0)
                           ELSE date_trunc(g, ts) END AS x,
                    CASE g WHEN 'day' THEN interval '1 day' WHEN 'week' THEN interval '7 days'
                           WHEN 'month' THEN interval '1 month' WHEN 'quarter' THEN interval '3 months'
                           WHEN 'half' THEN interval '6 months' ELSE interval '1 year' END AS step,
                    CASE g WHEN 'day' THEN 'YYYY-MM-DD' WHEN 'week' THEN 'IYYY-"W"IW' WHEN 'month' THEN 'YYYY-MM'
                           WHEN 'quarter' THEN 'YYYY-"Q"Q'
                           WHEN 'half' THEN CASE WHEN extract(month FROM ts) <= 6 THEN 'YYYY-"H1"' ELSE 'YYYY-"H2"' END
                           ELSE 'YYYY' END AS fmt) AS y) AS t
GROUP BY g ORDER BY min(t.stop - t.start), g;

-- Fiscal slices, every fy_start, every day from 2000 to 2040: the slice of
-- the day shifted back fy_start - 1 months, shifted forward again; the
-- fiscal year named by the year it ends in.
SELECT g AS grain, count(*) AS days,
       count(*) FILTER (WHERE (s.slice_start, s.slice_end, s.label)
                              IS DISTINCT FROM (t.start, t.stop, t.label)) AS mismatches
FROM generate_series('2000-01-01'::timestamp, '2040-12-31', '1 day') AS ts,
     generate_series(1, 12) AS f,
     unnest(ARRAY['quarter', 'half', 'year']) AS g,
     LATERAL slice_of(ts::date, g, f) AS s,
     LATERAL (SELECT ts - make_interval(months => f - 1) AS sh, make_interval(months => f - 1) AS off) AS z,
     LATERAL (
       SELECT (x + z.off)::date AS start, (x + z.off + step)::date - 1 AS stop,
              CASE WHEN f <> 1 THEN 'FY' ELSE '' END
              || (extract(year FROM z.sh)::int + (f <> 1)::int)
              || CASE g WHEN 'quarter' THEN '-Q' || extract(quarter FROM z.sh)
                        WHEN 'half' THEN CASE WHEN extract(month FROM z.sh) <= 6 THEN '-H1' ELSE '-H2' END
                        ELSE '' END AS label
       FROM (SELECT CASE g WHEN 'half' THEN make_timestamp(extract(year FROM z.sh)::int,
                                                           CASE WHEN extract(month FROM z.sh) <= 6 THEN 1 ELSE 7 END, 1, 0, 0, 0)
                           ELSE date_trunc(g, z.sh) END AS x,
                    CASE g WHEN 'quarter' THEN interval '3 months' WHEN 'half' THEN interval '6 months'
                           ELSE interval '1 year' END AS step) AS y) AS t
GROUP BY g ORDER BY g;

-- consecutive slices tile time: the day after a slice's end starts the next
SELECT g AS grain, count(*) FILTER (WHERE n.slice_start <> s.slice_end + 1
                                       OR (slice_of(s.slice_end, g, 7)).slice_start <> s.slice_start) AS gaps
FROM generate_series('2020-01-01'::date, '2030-12-31', '1 day') AS d,
     unnest(ARRAY['day', 'week', 'month', 'quarter', 'half', 'year']) AS g,
     LATERAL slice_of(d::date, g, 7) AS s,
     LATERAL slice_of(s.slice_end + 1, g, 7) AS n
GROUP BY g ORDER BY g;

-- NULL in, NULL out
SELECT slice_of(NULL, 'month') IS NULL AS null_day, slice_of('2026-05-17', NULL) IS NULL AS null_grain,
       slice_of('2026-05-17', 'month', NULL) IS NULL AS null_fy_start;

-- the ends of type date; years before 1 AD are numbered astronomically
SELECT * FROM slice_of('4714-11-24 BC', 'week');
SELECT * FROM slice_of('0001-03-01 BC', 'quarter', 4);
SELECT * FROM slice_of('5874897-12-31', 'year');

-- errors
SELECT * FROM slice_of('2026-05-17', 'Month');
SELECT * FROM slice_of('2026-05-17', 'month', 13);
SELECT * FROM slice_of('infinity', 'month');
SELECT * FROM slice_of('5874897-12-31', 'year', 7);
SELECT q, pg_temp.error_of(q)
FROM unnest(ARRAY[
  $$SELECT slice_of('2026-05-17', 'Month')$$,
  $$SELECT slice_of('2026-05-17', ' month')$$,
  $$SELECT slice_of('2026-05-17', 'months')$$,
  $$SELECT slice_of('2026-05-17', '')$$,
  $$SELECT slice_of('2026-05-17', 'month', 0)$$,
  $$SELECT slice_of('2026-05-17', 'quarter', 13)$$,
  $$SELECT slice_of('2026-05-17', 'week', -1)$$,
  $$SELECT slice_of('infinity', 'day')$$,
  $$SELECT slice_of('-infinity', 'year')$$,
  $$SELECT slice_of('4714-11-24 BC', 'month', 7)$$,
  $$SELECT slice_of('5874897-12-31', 'year', 7)$$]) AS q;
