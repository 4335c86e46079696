SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS dealscope;
RESET client_min_messages;
SET search_path = dealscope, public;
-- dates in ISO in this file's own output (rate_schedule ignores DateStyle)
SET DateStyle = 'ISO, YMD';

--
-- Text input: every accepted form, its canonical output, and that the
-- output reads back to the same value and the same text.
--
SELECT input, v::text AS canonical,
       v::text::rate_schedule = v AND v::text::rate_schedule::text = v::text AS round_trip
FROM (VALUES
    ('20%'), ('0.2'), ('  20 %  '), ('12.5%'), ('0.125'), ('.5'), ('5.%'), ('007%'),
    ('0%'), ('0'), ('100%'), ('1'), ('1.000'), ('0.000000000001'), ('0.0000000001%'),
    ('12.1234567890%'), ('99.9999999999%'), ('0.123456789012'),
    ('0.20000000000000000000'), ('12.50000000000000%'),
    ('{}'), (' {  } '),
    ('{[2019-07-22,2026-04-28) 20%, [2026-04-28,2027-04-28) 20%->0%}'),
    ('{ [ 2019-07-22 , 2026-04-28 ) 0.2 ,[2026-04-28,2027-04-28)20%  ->  0 }'),
    ('{[-infinity,2026-04-28) 20%, [2026-04-28,infinity) 5%}'),
    ('{[-INFINITY,2026-01-01) 1%, [2026-01-01,+Infinity) 2%}'),
    ('{[-infinity,infinity) 20%}'),
    ('{[-infinity,infinity) 0%}'),
    ('{[2026-01-01,2027-01-01) 20%->20%}'),
    ('{[-infinity,2026-01-01) 7%->7%}'),
    ('{[2026-01-01,2026-01-11) 0%->100%}'),
    ('{[2026-01-01,2026-01-02) 20%->0%}'),
    ('{[2026-01-01,2026-02-01) 1%, [2026-03-01,2026-04-01) 2%, [2026-04-01,2026-05-01) 3%->1%}'),
    ('{[0001-01-01,0001-01-02) 1%, [9999-12-31,10000-01-01) 2%, [5874897-12-30,5874897-12-31) 3%}')
) AS t(input), LATERAL (SELECT input::rate_schedule AS v) AS s;

-- output does not depend on DateStyle
SET DateStyle = 'SQL, DMY';
SELECT '{[2019-07-22,2026-04-28) 20%, [2026-04-28,2027-04-28) 20%->0%}'::rate_schedule;
SET DateStyle = 'ISO, YMD';

--
-- Rejected forms.  First two as a user sees them, then every case with its
-- SQLSTATE, message and detail.
--
SELECT '120%'::rate_schedule;
SELECT '{[2026-01-01,2027-01-01) 20%, [2026-06-01,2027-06-01) 10%}'::rate_schedule;

CREATE FUNCTION pg_temp.try_input(input text,
    OUT state text, OUT message text, OUT detail text)
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM input::dealscope.rate_schedule;
    state := 'accepted';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
                            detail = PG_EXCEPTION_DETAIL;
END $$;

\x on
SELECT e.*
FROM (VALUES
    -- bad rates
    ('abc'), ('{[2026-01-01,2027-01-01) abc}'), ('20%%'), ('2O%'), ('1e-1'), ('20 percent'),
    ('{[2026-01-01,2027-01-01) 20%->}'), ('{[2026-01-01,2027-01-01)}'),
    ('{[2026-01-01,2027-01-01) 1€}'),
    -- greater than 100%
    ('100.0000000001%'), ('120%'), ('1.5'), ('20'), ('1000000000000000000000000%'),
    ('{[2026-01-01,2027-01-01) 101%}'), ('{[2026-01-01,2027-01-01) 0%->1.01}'),
    -- negative
    ('-5%'), ('-0.1'), ('{[2026-01-01,2027-01-01) 10%->-1%}'),
    -- too many decimals
    ('0.1234567890123'), ('12.12345678901%'), ('{[2026-01-01,2027-01-01) 0.0000000000001}'),
    -- bad dates
    ('{[2026-02-30,2027-01-01) 1%}'), ('{[2026-13-01,2027-01-01) 1%}'),
    ('{[26-01-01,2027-01-01) 1%}'), ('{[2026/01/01,2027-01-01) 1%}'),
    ('{[2026-1-1,2027-01-01) 1%}'), ('{[0000-01-01,2027-01-01) 1%}'),
    ('{[2026-01-01,5874898-01-01) 1%}'), ('{[today,2027-01-01) 1%}'),
    ('{[,2027-01-01) 1%}'), ('{[2026-01-01,) 1%}'),
    ('{[infinity,infinity) 1%}'), ('{[2026-01-01,-infinity) 1%}'),
    -- inverted and empty ranges
    ('{[2027-01-01,2026-01-01) 1%}'), ('{[2026-01-01,2026-01-01) 1%}'),
    ('{[-infinity,-infinity) 1%}'),
    -- overlapping and unsorted segments
    ('{[2026-01-01,2027-01-01) 20%, [2026-06-01,2027-06-01) 10%}'),
    ('{[-infinity,2026-01-01) 1%, [2025-12-31,infinity) 2%}'),
    ('{[2027-01-01,2028-01-01) 10%, [2026-01-01,2027-01-01) 20%}'),
    ('{[2026-01-01,2027-01-01) 1%, [2026-01-01,2027-01-01) 1%}'),
    -- ramps with an infinite end
    ('{[-infinity,2026-01-01) 20%->0%}'), ('{[2026-01-01,infinity) 20%->0%}'), ('20%->0%'),
    -- brackets other than [ )
    ('{(2026-01-01,2027-01-01) 1%}'), ('{[2026-01-01,2027-01-01] 1%}'),
    ('{]2026-01-01,2027-01-01) 1%}'), ('[2026-01-01,2027-01-01) 1%'),
    -- garbage and structure
    (''), ('   '), ('hello'), ('{'), ('{[2026-01-01,2027-01-01) 1%'), ('{,}'),
    ('{[2026-01-01,2027-01-01) 1%,}'), ('{[2026-01-01 2027-01-01) 1%}'),
    ('{[2026-01-01,2027-01-01 1%}'),
    ('{[2026-01-01,2027-01-01) 1% [2027-01-01,2028-01-01) 2%}'), ('{20%}'),
    ('{{[2026-01-01,2027-01-01) 1%}}'),
    -- trailing junk
    ('20% x'), ('20%,'), ('{} x'), ('{[2026-01-01,2027-01-01) 1%} 2%'), ('{}}')
) AS t(input), LATERAL pg_temp.try_input(input) AS e;
\x off

--
-- rate_at: exact when the decimal terminates, else rounded to 20 places.
--
CREATE TEMP TABLE deal (name text PRIMARY KEY, s rate_schedule);
INSERT INTO deal VALUES
    ('wind-down', '{[2019-07-22,2026-04-28) 20%, [2026-04-28,2027-04-28) 20%->0%, [2027-06-01,2028-01-01) 5%}'),
    ('open', '{[-infinity,2026-04-28) 20%, [2026-04-28,infinity) 5%}'),
    ('tenths', '{[2026-01-01,2026-01-11) 0%->100%}'),
    ('flat', '12.5%'),
    ('none', '{}');

SELECT d.name, x.day, x.what, rate_at(d.s, x.day)
FROM deal d JOIN (VALUES
    ('wind-down', date '2019-07-21', 'before the first segment'),
    ('wind-down', '2019-07-22', 'first day'),
    ('wind-down', '2026-04-27', 'last constant day'),
    ('wind-down', '2026-04-28', 'first day of the ramp: r0'),
    ('wind-down', '2026-04-29', 'second day of the ramp'),
    ('wind-down', '2026-10-27', 'day 182 of 365'),
    ('wind-down', '2027-04-27', 'last day of the ramp: r0 + (r1-r0)*364/365'),
    ('wind-down', '2027-04-28', 'the ramp''s hi: in the gap'),
    ('wind-down', '2027-05-31', 'last day of the gap'),
    ('wind-down', '2027-06-01', 'next segment'),
    ('wind-down', '2028-01-01', 'after the last segment'),
    ('wind-down', '-infinity', 'no segment starts at -infinity'),
    ('wind-down', 'infinity', 'no segment reaches infinity'),
    ('open', '-infinity', 'unbounded first segment'),
    ('open', '1900-01-01', 'first segment'),
    ('open', '2026-04-28', 'second segment'),
    ('open', 'infinity', 'unbounded last segment'),
    ('tenths', '2026-01-01', 'r0'),
    ('tenths', '2026-01-04', 'exact: 3/10'),
    ('tenths', '2026-01-10', 'last day: 9/10'),
    ('tenths', '2026-01-11', 'hi: after the ramp'),
    ('flat', '2026-01-01', 'constant'),
    ('flat', 'infinity', 'constant over all days'),
    ('none', '2026-01-01', 'empty schedule')
) AS x(name, day, what) USING (name)
ORDER BY d.name, x.day;

-- the last day of the 365-day ramp equals r0 + (r1 - r0) * (L - 1) / L,
-- computed independently with numeric at a large scale and rounded to 20
SELECT rate_at(s, '2027-04-27') AS last_day,
       round(0.2 + (0 - 0.2) * 364 / 365.000000000000000000000000000000, 20) AS expected,
       rate_at(s, '2027-04-27') = round(0.2 + (0 - 0.2) * 364 / 365.000000000000000000000000000000, 20) AS same
FROM deal WHERE name = 'wind-down';

-- a ramp of 8 days from 0 to 1: day 1 is 1/8, exact with 3 decimals;
-- a ramp of 1024 days from 0 to 1e-12: day 1 is exact with 22 decimals
-- (more than 20: terminating decimals are never rounded)
SELECT rate_at('{[2026-01-01,2026-01-09) 0->1}', '2026-01-02') AS eighth,
       rate_at('{[2026-01-01,2028-10-21) 0%->0.000000000001}', '2026-01-02') AS tiny,
       date '2028-10-21' - date '2026-01-01' AS ramp_days;

--
-- average_rate: the exact mean over the days of the range.
--
SELECT name, during, average_rate(s, during)
FROM deal, (VALUES (daterange('2026-04-28', '2027-04-28')),
                   (daterange('2026-01-01', '2027-01-01')),
                   (daterange('2026-01-01', '2029-01-01')),
                   (daterange('2026-01-01', '2026-01-11')),
                   (daterange('2026-01-04', '2026-01-04', '[]'))) AS r(during)
WHERE name IN ('wind-down', 'tenths', 'none')
ORDER BY name, during;

-- empty and unbounded ranges are errors naming the argument
SELECT average_rate('20%', 'empty');
SELECT average_rate('20%', '[2026-01-01,)');
SELECT average_rate('20%', '(,2026-01-01)');
SELECT average_rate('20%', '[-infinity,2026-01-01)');
SELECT average_rate('20%', '[2026-01-01,infinity)');

-- Exact sums stay exact far beyond realistic schedules: two ramps of about
-- 2 and 3 million years, cut by the range (Python's fractions module gives
-- 0.45833326973400403017791701631813957384...).
SELECT average_rate('{[0001-01-01,2000000-01-01) 0%->100%, [2000000-01-01,5000000-01-01) 0%->100%}',
                    '[1000000-01-02,3000000-01-03)');
-- With rates of 12 significant digits the exact sum needs a 128-bit
-- numerator: that is 22003, never a wrong value.
SELECT average_rate('{[0001-01-01,2000000-01-02) 0.123456789011->0.987654321013, [2000000-01-02,5000000-01-03) 0.111111111111->0.999999999989}',
                    '[1234567-03-07,3456789-09-13)');
-- a realistic schedule with five ramps of coprime lengths (primes around
-- 1000 days), cut by the range, matches the plain SQL average
SELECT average_rate(s, r) AS average_rate, round(avg(rate_at(s, d::date)), 20) AS plain_sql_avg
FROM (SELECT ('{' || string_agg(format('[%s,%s) 0%%->0.000000000001', lo, lo + p), ', ' ORDER BY lo) || '}')::rate_schedule AS s,
             daterange('2000-06-01', '2012-02-01') AS r
      FROM (SELECT p, date '2000-01-01' + (sum(p) OVER (ORDER BY p) - p)::int AS lo
            FROM unnest(ARRAY[1009, 1013, 1019, 1021, 1031]) AS p) AS t) AS x,
     generate_series(lower(r), upper(r) - 1, '1 day') AS d
GROUP BY s, r;

--
-- NULLs (STRICT everywhere)
--
SELECT rate_at(NULL, '2026-01-01') IS NULL AS a, rate_at('20%', NULL) IS NULL AS b,
       average_rate(NULL, '[2026-01-01,2026-02-01)') IS NULL AS c, average_rate('20%', NULL) IS NULL AS d,
       NULL::rate_schedule IS NULL AS e, (NULL::rate_schedule = '20%') IS NULL AS f;

--
-- Equality compares the canonical form: the same segments with the same rates.
--
SELECT '20%'::rate_schedule = '0.2' AS percent_vs_fraction,
       '{[2026-01-01,2027-01-01) 20%->20%}'::rate_schedule = '{[2026-01-01,2027-01-01) 20%}' AS flat_ramp,
       '{[-infinity,infinity) 20%}'::rate_schedule = '20%' AS whole_line,
       '{}'::rate_schedule = '0%' AS empty_vs_zero,
       '{}'::rate_schedule <> '0%' AS empty_ne_zero;
SELECT s, count(*) FROM (VALUES ('20%'::rate_schedule), ('0.2'), ('{}'), ('{ }'), ('{[-infinity,infinity) 0.20}'))
    AS v(s) GROUP BY s ORDER BY s::text;

--
-- Binary I/O.  The format: version byte 1, int32 segment count, then per
-- segment int32 lo and hi (days from 2000-01-01; -infinity and infinity as
-- PostgreSQL's date sentinels) and int64 r0 and r1 in units of 1e-12.
--
SELECT rate_schedule_send('20%') AS constant,
       rate_schedule_send('{}') AS empty,
       rate_schedule_send('{[2000-01-01,2000-01-03) 100%->0%}') AS ramp;

-- recv is exercised through binary COPY: build a COPY file from send()
-- output (or from hand-made messages), write it in the data directory and
-- COPY it back in.
CREATE TEMP TABLE copied (s rate_schedule);
CREATE FUNCTION pg_temp.copy_in(msg bytea) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    lo oid;
    result text;
BEGIN
    lo := lo_from_bytea(0, '\x5047434f50590aff0d0a00'::bytea || int4send(0) || int4send(0)
                           || int2send(1::int2) || int4send(length(msg)) || msg
                           || int2send(-1::int2));
    PERFORM lo_export(lo, 'dealscope_rate_schedule_copy.bin');
    PERFORM lo_unlink(lo);
    TRUNCATE copied;
    COPY copied FROM 'dealscope_rate_schedule_copy.bin' (FORMAT binary);
    SELECT s::text INTO result FROM copied;
    RETURN result;
EXCEPTION WHEN OTHERS THEN
    RETURN 'ERROR ' || SQLSTATE || ': ' || SQLERRM;
END $$;

-- every value of this file survives send -> recv (the generated
-- schedules: sql/rate_schedule_differential.sql)
SELECT count(*) AS values, count(*) FILTER (WHERE pg_temp.copy_in(rate_schedule_send(s)) = s::text) AS identical
FROM deal;

-- malformed messages are rejected
SELECT what, pg_temp.copy_in(msg) AS result
FROM (VALUES
    ('well formed', '\x01' || int4send(1) || int4send(0) || int4send(2) || int8send(1000000000000) || int8send(0)),
    ('empty message', ''::bytea),
    ('truncated header', '\x010000'::bytea),
    ('truncated segment', '\x01' || int4send(1) || int4send(0) || int4send(2) || int8send(0)),
    ('trailing bytes', '\x01' || int4send(0) || '\x00'::bytea),
    ('count too large', '\x01' || int4send(2) || int4send(0) || int4send(2) || int8send(0) || int8send(0)),
    ('negative count', '\x01' || int4send(-1)),
    ('unknown version', '\x02' || int4send(0)),
    ('rate above 1', '\x01' || int4send(1) || int4send(0) || int4send(2) || int8send(1000000000001) || int8send(1000000000001)),
    ('negative rate', '\x01' || int4send(1) || int4send(0) || int4send(2) || int8send(0) || int8send(-1)),
    ('empty range', '\x01' || int4send(1) || int4send(5) || int4send(5) || int8send(0) || int8send(0)),
    ('inverted range', '\x01' || int4send(1) || int4send(6) || int4send(5) || int8send(0) || int8send(0)),
    ('ramp to infinity', '\x01' || int4send(1) || int4send(0) || int4send(2147483647) || int8send(0) || int8send(1)),
    ('date out of range', '\x01' || int4send(1) || int4send(0) || int4send(2147483000) || int8send(0) || int8send(0)),
    ('date before year 1', '\x01' || int4send(1) || int4send(-800000) || int4send(0) || int8send(0) || int8send(0)),
    ('upper -infinity', '\x01' || int4send(1) || int4send(-2147483648) || int4send(-2147483648) || int8send(0) || int8send(0)),
    ('overlapping', '\x01' || int4send(2) || int4send(0) || int4send(10) || int8send(0) || int8send(0)
                           || int4send(9) || int4send(20) || int8send(0) || int8send(0)),
    ('unsorted', '\x01' || int4send(2) || int4send(10) || int4send(20) || int8send(0) || int8send(0)
                        || int4send(0) || int4send(10) || int8send(0) || int8send(0))
) AS m(what, msg);

--
-- Catalog: every function is IMMUTABLE STRICT PARALLEL SAFE and commented.
--
SELECT p.oid::regprocedure AS function, p.provolatile, p.proisstrict, p.proparallel,
       obj_description(p.oid, 'pg_proc') IS NOT NULL AS has_comment
FROM pg_proc p
WHERE p.pronamespace = 'dealscope'::regnamespace
  AND (p.proname LIKE 'rate\_schedule%' OR p.proname IN ('rate_at', 'average_rate'))
ORDER BY p.oid::regprocedure::text;
SELECT obj_description('rate_schedule'::regtype, 'pg_type') IS NOT NULL AS type_has_comment;
