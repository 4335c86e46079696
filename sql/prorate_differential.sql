SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS dealscope;
RESET client_min_messages;
SET search_path = dealscope, public;
SET DateStyle = 'ISO, YMD';
-- Differential test: prorate() against the plain-SQL reference in
-- test/reference/prorate.sql (per-day, numeric, obviously correct) on
-- 10,000 generated flows plus a few fixed edge cases.  Every row must be
-- identical (values and scale), every flow's gross must sum to its amount
-- and its share to the independently rounded share total.
\set ECHO none
SET client_min_messages = warning;
\i test/reference/prorate.sql
RESET client_min_messages;
\set ECHO all
\set ncases 10000
-- deterministic generation: amounts from 1 minor unit to 10^12 (log-uniform),
-- 20% negative; periods of 1 day to 5 years (log-uniform); every grain;
-- fy_start 1-12; schedules NULL, constant, two steps, a ramp, step + ramp
-- + open-ended tail with gaps, and an open-start ramp; USD, JPY, BHD, EUR
SELECT setseed(0.2026);
CREATE TEMP TABLE cases AS
WITH r AS (
  SELECT i,
         (ARRAY['USD','JPY','BHD','EUR'])[1 + floor(random() * 4)::int] AS currency,
         random() AS ra, random() AS rs,
         DATE '2018-01-01' + floor(random() * 3000)::int AS lo,
         floor(exp(random() * ln(1827)))::int AS len,
         (ARRAY['day','week','month','quarter','half','year'])[1 + floor(random() * 6)::int] AS grain,
         1 + floor(random() * 12)::int AS fy_start,
         floor(random() * 6)::int AS kind,
         random() AS c1, random() AS c2, random() AS c3,
         ARRAY[random(), random(), random(), random(), random(), random(), random(), random()] AS rr
  FROM generate_series(1, :ncases) AS i),
f AS (
  SELECT r.*, minor_unit(currency) AS mu,
         lo - 30 + floor(c1 * (len / 2 + 30))::int AS b1,
         -- rates: mostly percent with 0-2 decimals, sometimes 12-digit fractions, sometimes 0 or 100%
         ARRAY(SELECT CASE WHEN x < 0.05 THEN '0%' WHEN x < 0.1 THEN '100%'
                           WHEN x < 0.75 THEN round((x * 40)::numeric, (x * 1000)::int % 3) || '%'
                           ELSE round(((x - 0.75) * 4)::numeric, 12)::text END
               FROM unnest(rr) AS x) AS rt
  FROM r),
g AS (
  SELECT f.*, b1 + 1 + floor(c2 * len)::int AS b2 FROM f),
h AS (
  SELECT g.*, b2 + 1 + floor(c3 * len)::int AS b3 FROM g)
SELECT i, currency,
       (CASE WHEN rs < 0.2 THEN -1 ELSE 1 END
        * round(floor(power(10::float8, ra * (12 + mu)))::numeric / dealscope_ref.pow10(mu), mu)) AS amount,
       daterange(lo, lo + len) AS period, grain, fy_start,
       (CASE kind
         WHEN 0 THEN NULL
         WHEN 1 THEN rt[1]
         WHEN 2 THEN format('{[%s,%s) %s, [%s,%s) %s}', b1, b2, rt[1], b2, b3, rt[2])
         WHEN 3 THEN format('{[%s,%s) %s->%s}', b1, b3, rt[1], rt[2])
         WHEN 4 THEN format('{[%s,%s) %s, [%s,%s) %s->%s, [%s,infinity) %s}', b1, b2, rt[1], b2, b3, rt[2], rt[3], b3 + 5, rt[4])
         ELSE format('{[-infinity,%s) %s->%s, [%s,%s) %s->%s}', b2, rt[1], rt[1], b2, b3, rt[2], rt[5])
       END)::rate_schedule AS share
FROM h;
-- fixed edge cases: one minor unit over many slices, 10^12 over five years
-- by day, one-day flows, a zero amount, schedules that miss the period
INSERT INTO cases VALUES
  (10001, 'USD', 0.01, '[2026-01-01,2031-01-01)', 'day', 1, '{[2026-01-01,2031-01-01) 20%->0%}'),
  (10002, 'JPY', 1000000000000, '[2026-01-01,2031-01-01)', 'day', 1, '{[2026-01-01,2031-01-01) 0.333333333333->0.000000000001}'),
  (10003, 'BHD', -1000000000000.000, '[2026-01-01,2031-01-01)', 'week', 7, '33.3333333333%'),
  (10004, 'EUR', 0.01, '[2026-03-31,2026-04-01)', 'month', 4, '50%'),
  (10005, 'USD', 0, '[2026-01-01,2026-12-31)', 'month', 1, '20%'),
  (10006, 'USD', 100.00, '[2026-01-15,2026-04-15)', 'month', 1, '{[2027-01-01,2028-01-01) 20%}'),
  (10007, 'JPY', 7, '[2024-02-28,2024-03-02)', 'day', 1, '{[2024-02-29,2024-03-01) 50%}'),
  (10008, 'USD', 100.00, '[2026-01-15,2026-04-15)', 'month', 1, '{[2026-01-15,2026-04-15) 20%->0%}'),
  -- remainder denominators beyond 2^63 (long ramps with 12-digit rates)
  (10009, 'USD', 987654321.09, '[2026-01-01,2031-01-01)', 'month', 1,
   '{[2020-01-01,2035-01-01) 0.123456789011->0.987654321013}'),
  (10010, 'BHD', -123456789.123, '[2026-02-03,2031-01-01)', 'week', 1,
   '{[2020-01-01,2027-07-09) 0.111111111111->0.999999999989, [2027-07-09,2040-01-03) 0.999999999989->0.000000000007}');

SELECT count(*) AS cases,
       count(*) FILTER (WHERE amount < 0) AS negative,
       count(*) FILTER (WHERE share IS NULL) AS no_share,
       count(DISTINCT grain) AS grains, count(DISTINCT fy_start) AS fy_starts,
       count(DISTINCT currency) AS currencies,
       min(upper(period) - lower(period)) AS min_days, max(upper(period) - lower(period)) AS max_days,
       min(abs(amount)) FILTER (WHERE amount <> 0) AS min_abs_amount, max(abs(amount)) AS max_abs_amount
FROM cases;
SELECT grain, currency, count(*) FROM cases GROUP BY ROLLUP (grain, currency) ORDER BY 1, 2;
SELECT CASE WHEN share IS NULL THEN 'none' WHEN share::text NOT LIKE '{%' THEN 'constant'
            WHEN share::text LIKE '%->%' THEN 'with ramp' ELSE 'steps' END AS schedule,
       count(*)
FROM cases GROUP BY 1 ORDER BY 1;

CREATE TEMP TABLE got AS
  SELECT c.i, p.* FROM cases c,
         prorate(c.amount, c.period, c.grain, c.fy_start, c.currency, c.share) p;
CREATE TEMP TABLE want AS
  SELECT c.i, p.* FROM cases c,
         dealscope_ref.prorate(c.amount, c.period, c.grain, c.fy_start, c.currency, c.share) p;

-- row by row, compared as text so that the scale must match too
SELECT count(*) AS rows FROM got;
SELECT count(*) AS mismatches
FROM got FULL JOIN want ON got.i = want.i AND got.slice_start = want.slice_start
WHERE (got.slice_end, got.label, got.gross::text, got.share::text, got.net::text)
      IS DISTINCT FROM (want.slice_end, want.label, want.gross::text, want.share::text, want.net::text);
-- the first mismatches, if any, to debug from
SELECT c.*, got.*, want.*
FROM got FULL JOIN want ON got.i = want.i AND got.slice_start = want.slice_start
     JOIN cases c ON c.i = coalesce(got.i, want.i)
WHERE (got.slice_end, got.label, got.gross::text, got.share::text, got.net::text)
      IS DISTINCT FROM (want.slice_end, want.label, want.gross::text, want.share::text, want.net::text)
ORDER BY c.i LIMIT 5;

-- each flow: slices in date order and contiguous, parts sum to the amount,
-- shares to the share total rounded once half to even, net = gross - share,
-- and no part is more than one minor unit away from its exact value
SELECT count(*) AS bad_order
FROM (SELECT i, slice_start, lag(slice_end) OVER (PARTITION BY i ORDER BY slice_start) AS prev_end
      FROM got) x
WHERE prev_end IS NOT NULL AND slice_start <> prev_end + 1;
SELECT count(*) AS bad_sums
FROM cases c
LEFT JOIN (SELECT i, sum(gross) AS gross, sum(share) AS share, sum(net) AS net FROM got GROUP BY i) g
       USING (i)
WHERE g.gross IS DISTINCT FROM c.amount
   OR g.share * dealscope_ref.pow10(minor_unit(c.currency))
      IS DISTINCT FROM dealscope_ref.share_total(c.amount, c.period, c.currency, c.share)
   OR g.net IS DISTINCT FROM g.gross - g.share;
SELECT count(*) AS off_by_more_than_one_unit
FROM got JOIN cases c USING (i)
WHERE abs(got.gross - c.amount
          * (least(got.slice_end + 1, upper(c.period)) - greatest(got.slice_start, lower(c.period)))
          / (upper(c.period) - lower(c.period)))
      >= 1 / dealscope_ref.pow10(minor_unit(c.currency));
