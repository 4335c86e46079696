SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS dealscope;
RESET client_min_messages;
SET search_path = dealscope, public;
-- dates in ISO in this file's own output (rate_schedule ignores DateStyle)
SET DateStyle = 'ISO, YMD';
-- The generated cases of rate_schedule (the readable session is
-- sql/rate_schedule.sql): 300 seeded random schedules and ranges against
-- a plain-SQL reference, their text round trip, hashing and binary I/O.

--
-- Random cases: 300 schedules (0 to 5 segments: constants, ramps, gaps,
-- infinite ends, rates with 0 to 12 decimals written as percent or
-- fraction) and ranges that cross segments, gaps and the ends of the
-- schedule.  The generator keeps its segments in a table, so a plain SQL
-- reference can evaluate r0 + (r1 - r0) * (d - lo) / (hi - lo) itself, at
-- 40 decimal places.
--
SELECT setseed(0.4242);
CREATE TEMP TABLE random_segment AS
WITH seg AS (
    SELECT c, i, n,
           date '2025-01-01' + (c % 50) AS origin,
           (random() * 3)::int * (random() * 20)::int AS gap,
           1 + (random() * 150)::int AS len,
           random() < 0.5 AS ramp,
           round(random()::numeric, (random() * 12)::int) AS r0,
           round(random()::numeric, (random() * 12)::int) AS r1,
           random() < 0.5 AS as_percent,
           random() < 0.2 AS open_end
    FROM generate_series(1, 300) AS c,
         LATERAL (SELECT (random() * 5 + 0 * c)::int AS n) AS k,
         LATERAL generate_series(1, n) AS i
), placed AS (
    SELECT *, origin + (sum(gap + len) OVER w)::int - len AS lo,
              origin + (sum(gap + len) OVER w)::int AS hi
    FROM seg WINDOW w AS (PARTITION BY c ORDER BY i)
)
SELECT c, i,
       CASE WHEN i = 1 AND open_end AND NOT ramp THEN '-infinity' ELSE lo END AS lo,
       CASE WHEN i = n AND open_end AND NOT ramp THEN 'infinity' ELSE hi END AS hi,
       r0, CASE WHEN ramp THEN r1 ELSE r0 END AS r1,
       format('[%s,%s) %s', CASE WHEN i = 1 AND open_end AND NOT ramp THEN '-infinity' ELSE lo::text END,
              CASE WHEN i = n AND open_end AND NOT ramp THEN 'infinity' ELSE hi::text END,
              CASE WHEN as_percent THEN (r0 * 100)::text || '%' ELSE r0::text END
              || CASE WHEN ramp THEN '->' || r1::text ELSE '' END) AS txt
FROM placed;

CREATE TEMP TABLE random_case AS
SELECT c, s, daterange(first_day, first_day + 1 + (random() * 400)::int) AS during
FROM (SELECT c, ('{' || coalesce(string_agg(txt, ', ' ORDER BY i), '') || '}')::rate_schedule AS s,
             date '2025-01-01' + (random() * 400)::int - 30 AS first_day
      FROM generate_series(1, 300) AS c LEFT JOIN random_segment USING (c)
      GROUP BY c) AS g;

SELECT count(*) AS cases,
       count(*) FILTER (WHERE s::text <> '{}') AS non_empty_schedules,
       count(*) FILTER (WHERE s::text LIKE '%->%') AS with_ramps,
       count(*) FILTER (WHERE s::text LIKE '%infinity%') AS with_open_ends,
       sum(upper(during) - lower(during)) AS days
FROM random_case;

-- every day of every case: rate_at against the reference
CREATE TEMP TABLE random_day AS
SELECT rc.c, d::date AS day, rate_at(rc.s, d::date) AS rate_at,
       coalesce((SELECT CASE WHEN g.r0 = g.r1 THEN g.r0
                             ELSE round(g.r0 + ((g.r1 - g.r0) * (d::date - g.lo))::numeric(60, 40) / (g.hi - g.lo), 40)
                        END
                 FROM random_segment g
                 WHERE g.c = rc.c AND d::date >= g.lo AND d::date < g.hi), 0) AS reference
FROM random_case rc, generate_series(lower(rc.during), upper(rc.during) - 1, '1 day') AS d;

-- rate_at is exact when the decimal terminates (ramps here are at most 151
-- days, so a terminating rate has at most 19 decimals) and otherwise the
-- value rounded to 20 places: it equals the reference rounded to 20 places
SELECT count(*) AS days,
       count(*) FILTER (WHERE rate_at = round(reference, 20)) AS rate_at_matches,
       count(*) FILTER (WHERE rate_at <> 0) AS non_zero_days,
       count(*) FILTER (WHERE scale(rate_at) = 20) AS rounded_days
FROM random_day;

-- average_rate against (a) the reference mean rounded to 20 places, which
-- it must equal, and (b) the plain SQL avg(rate_at(s, d)) over the days:
-- rate_at rounds each non-terminating day to 20 places and avg() rounds
-- again, so (b) may differ by 1e-20; they must agree within 1e-19, and
-- exactly once both are rounded to 15 places (no case here lies on a
-- rounding boundary)
SELECT count(*) AS cases,
       count(*) FILTER (WHERE fast = round(reference, 20)) AS equal_to_reference,
       count(*) FILTER (WHERE abs(fast - slow) <= 1e-19) AS avg_within_1e_19,
       count(*) FILTER (WHERE round(fast, 15) = round(slow, 15)) AS avg_equal_at_15_places,
       max(abs(fast - slow)) AS max_difference_to_avg
FROM (SELECT rc.c, average_rate(rc.s, rc.during) AS fast, avg(rd.rate_at) AS slow,
             sum(rd.reference)::numeric(60, 40) / count(*) AS reference
      FROM random_case rc JOIN random_day rd USING (c)
      GROUP BY rc.c, rc.s, rc.during) AS x;

-- text round trip of the random schedules
SELECT count(*) FILTER (WHERE s::text::rate_schedule = s AND s::text::rate_schedule::text = s::text) AS round_trips
FROM random_case;

-- hashing: equal schedules hash alike (a hash join over the random cases)
SELECT count(*) AS distinct_schedules FROM (SELECT DISTINCT s FROM random_case) AS d;
SET enable_mergejoin = off;
SET enable_nestloop = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM random_case a JOIN random_case b USING (s);
SELECT count(*) AS hash_join_rows FROM random_case a JOIN random_case b USING (s);
RESET enable_mergejoin;
RESET enable_nestloop;

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
    PERFORM lo_export(lo, 'dealscope_rate_schedule_differential_copy.bin');
    PERFORM lo_unlink(lo);
    TRUNCATE copied;
    COPY copied FROM 'dealscope_rate_schedule_differential_copy.bin' (FORMAT binary);
    SELECT s::text INTO result FROM copied;
    RETURN result;
EXCEPTION WHEN OTHERS THEN
    RETURN 'ERROR ' || SQLSTATE || ': ' || SQLERRM;
END $$;

-- every random schedule survives send -> recv
SELECT count(*) AS values, count(*) FILTER (WHERE pg_temp.copy_in(rate_schedule_send(s)) = s::text) AS identical
FROM random_case;
