-- Differential cases of the money questions: calendars, minor units,
-- prorate, prorate_within, the aggregates, revenue_split, revenue_slices,
-- revenue_report, exposure, concentration, partner_status.
-- Runs after _prelude.sql; uses only the public API, qualified dealscope.
-- Every generator is seeded, so both editions see the same cases.  Long
-- answers are printed as "rows md5" digests (plus some in full), so that
-- the output stays small while every row is compared.

-- count and md5 of a query's rows (in the query's order)
CREATE FUNCTION t.digest(q text) RETURNS text LANGUAGE sql AS $$
    SELECT count(*) || ' ' || coalesce(md5(string_agg(r, E'\n' ORDER BY n)), '-')
    FROM t.rows(q) WITH ORDINALITY AS x(r, n)
$$;

------------------------------------------------------------------------------
-- slice_of: every day of 2023-12-20 .. 2027-01-10, every grain and fy_start
------------------------------------------------------------------------------
SELECT g, f, t.digest(format($q$SELECT dealscope.slice_of(d::date, %L, %s) FROM
        generate_series(DATE '2023-12-20', DATE '2027-01-10', interval '1 day') d ORDER BY d$q$, g, f))
FROM unnest('{day,week,month,quarter,half,year}'::text[]) WITH ORDINALITY AS gg(g, gn), generate_series(1, 12) f
ORDER BY gn, f;
-- boundary and far dates, in full
SELECT d, g, f, t.try(format('dealscope.slice_of(%L::date, %L, %s)', d, g, f))
FROM unnest('{4714-11-24 BC,4714-11-30 BC,4714-12-01 BC,4713-01-01 BC,0001-12-31 BC,0001-01-01 BC,0002-03-01 BC,0001-01-01,0100-02-03,1999-12-31,2000-02-29,2020-12-31,2021-01-03,2026-12-28,10000-01-01,5874897-01-01,5874897-06-30,5874897-12-25,5874897-12-31}'::text[]) WITH ORDINALITY AS dd(d, dn),
     unnest('{day,week,month,quarter,half,year}'::text[]) WITH ORDINALITY AS gg(g, gn),
     unnest('{1,4,7,12}'::int[]) f
ORDER BY dn, gn, f;
-- errors and NULLs
SELECT replace(q, 'dealscope.', ''), t.try(q) FROM unnest(ARRAY[
    $$dealscope.slice_of('2026-05-17', 'Month')$$,
    $$dealscope.slice_of('2026-05-17', 'month ')$$,
    $$dealscope.slice_of('2026-05-17', '')$$,
    $$dealscope.slice_of('2026-05-17', 'quarter', 0)$$,
    $$dealscope.slice_of('2026-05-17', 'quarter', 13)$$,
    $$dealscope.slice_of('2026-05-17', 'bogus', 13)$$,
    $$dealscope.slice_of('2026-05-17', 'month', -1)$$,
    $$dealscope.slice_of('infinity', 'month')$$,
    $$dealscope.slice_of('-infinity', 'day')$$,
    $$dealscope.slice_of(NULL, 'month')$$,
    $$dealscope.slice_of('2026-05-17', NULL)$$,
    $$dealscope.slice_of('2026-05-17', 'month', NULL)$$,
    $$dealscope.slice_of('2026-05-17', 'week')$$,
    $$(dealscope.slice_of('2026-05-17', 'half', 7)).label$$]) q;

------------------------------------------------------------------------------
-- minor_unit
------------------------------------------------------------------------------
SELECT c, t.try(format('dealscope.minor_unit(%L)', c))
FROM unnest('{USD,EUR,JPY,BHD,CLF,UYW,KRW,TND,XPF,ZZZ,usd,Usd,US,U1D,"",A B,USDX}'::text[]) c;
SELECT t.try('dealscope.minor_unit(NULL)');

------------------------------------------------------------------------------
-- prorate on generated flows
------------------------------------------------------------------------------
SELECT setseed(0.4242);
CREATE TABLE t.sched AS
SELECT n, s FROM unnest(ARRAY[
    NULL, '20%', '12.5%', '0.333333', '100%', '0%', '7.5%',
    '{[2026-01-01,2026-03-01) 20%, [2026-03-01,2026-05-11) 20%->0%}',
    '{[2019-07-22,2026-04-28) 20%, [2026-04-28,2027-04-28) 20%->0%}',
    '{[-infinity,2026-03-01) 5%, [2026-03-01,infinity) 7.5%}',
    '{[2024-02-10,2025-02-10) 0%->100%}',
    '{[2024-01-01,2024-01-08) 3%->1%, [2024-01-08,2024-02-09) 1%->2%, [2025-06-01,2027-01-01) 15%->5%}',
    '{[2023-05-05,2031-01-01) 33.3333%->0.0001%}',
    '{[2025-01-01,2025-01-02) 50%, [2025-01-02,2025-01-05) 10%->40%, [2025-01-09,2025-12-31) 1.5%}'
    ]) WITH ORDINALITY AS x(s, n);
CREATE TABLE t.flows AS
SELECT i,
       round(m * (CASE cur WHEN 'JPY' THEN 1 WHEN 'USD' THEN 0.01 WHEN 'BHD' THEN 0.001 ELSE 0.0001 END),
             CASE cur WHEN 'JPY' THEN 0 WHEN 'USD' THEN 2 WHEN 'BHD' THEN 3 ELSE 4 END) AS amount,
       daterange(start, start + len) AS period, grain, fy, cur AS currency, sn
FROM (SELECT i,
             (ARRAY['JPY','USD','BHD','CLF'])[1 + floor(random() * 4)::int] AS cur,
             CASE WHEN random() < 0.05 THEN 0
                  WHEN random() < 0.2 THEN -floor(random() * 1000000)
                  WHEN random() < 0.1 THEN floor(random() * 10)
                  ELSE floor(random() * 100000000) END::numeric AS m,
             DATE '2022-06-01' + floor(random() * 2500)::int AS start,
             CASE WHEN r < 0.2 THEN 1 WHEN r < 0.4 THEN 2 + floor(random() * 40)::int
                  WHEN r < 0.8 THEN 28 + floor(random() * 400)::int ELSE 365 + floor(random() * 1500)::int END AS len,
             (ARRAY['day','week','month','quarter','half','year'])[1 + floor(random() * 6)::int] AS grain,
             1 + floor(random() * 12)::int AS fy,
             1 + floor(random() * 14)::int AS sn
      FROM (SELECT i, random() AS r FROM generate_series(1, 3000) i) g) x;
-- the day grain only over short periods, so that outputs stay small
UPDATE t.flows SET grain = 'week' WHERE grain = 'day' AND upper(period) - lower(period) > 62;
CREATE TABLE t.case_prorate AS
SELECT f.i, format('dealscope.prorate(%s, %L, %L, %s, %L, %s)', f.amount, f.period, f.grain, f.fy, f.currency,
                   coalesce(format('dealscope.rate_schedule(%L::text)', s.s), 'NULL')) AS q
FROM t.flows f JOIN t.sched s ON s.n = f.sn;
-- the first 150 in full, then digests
SELECT c.i, r FROM t.case_prorate c, t.rows('SELECT * FROM ' || c.q) WITH ORDINALITY AS x(r, n)
WHERE c.i <= 150 ORDER BY c.i, n;
SELECT c.i, t.digest('SELECT * FROM ' || c.q) FROM t.case_prorate c WHERE c.i > 150 ORDER BY c.i;
-- the default arguments
SELECT t.digest($$SELECT * FROM dealscope.prorate(1000.00, '[2026-01-15,2027-03-02)', 'month')$$),
       t.digest($$SELECT * FROM dealscope.prorate(1000.00, '[2026-01-15,2027-03-02)', 'quarter', 7)$$),
       t.digest($$SELECT * FROM dealscope.prorate(1000, '[2026-01-15,2027-03-02)', 'quarter', 7, 'JPY')$$);
-- hand-picked: ties, one unit, a share equal to the amount, one day
SELECT replace(q, 'dealscope.', ''), r FROM unnest(ARRAY[
    $$SELECT * FROM dealscope.prorate(0.01, '[2026-01-01,2026-04-01)', 'month')$$,
    $$SELECT * FROM dealscope.prorate(0.02, '[2026-01-31,2026-02-02)', 'day')$$,
    $$SELECT * FROM dealscope.prorate(-0.05, '[2026-01-01,2027-01-01)', 'quarter', 1, 'USD', dealscope.rate_schedule('50%'::text))$$,
    $$SELECT * FROM dealscope.prorate(100, '[2026-01-01,2026-01-08)', 'day', 1, 'JPY', dealscope.rate_schedule('100%'::text))$$,
    $$SELECT * FROM dealscope.prorate(1, '[2026-01-01,2026-01-04)', 'day', 1, 'JPY', dealscope.rate_schedule('50%'::text))$$,
    $$SELECT * FROM dealscope.prorate(3, '[2026-01-01,2026-01-05)', 'day', 1, 'JPY', dealscope.rate_schedule('{[2026-01-01,2026-01-05) 0%->100%}'::text))$$,
    $$SELECT * FROM dealscope.prorate(0, '[2026-01-01,2026-03-05)', 'month', 1, 'BHD', dealscope.rate_schedule('20%'::text))$$,
    $$SELECT * FROM dealscope.prorate(99999999999999999.99, '[2026-01-01,2029-03-05)', 'half', 4, 'USD', dealscope.rate_schedule('33.3333%'::text))$$,
    $$SELECT * FROM dealscope.prorate(-1234.5678, '[2025-12-29,2026-01-05)', 'week', 1, 'CLF', dealscope.rate_schedule('{[2025-12-31,2026-01-02) 10%}'::text))$$,
    $$SELECT * FROM dealscope.prorate(10.00, '[2026-05-17,2026-05-18)', 'year', 12)$$,
    $$SELECT * FROM dealscope.prorate(10.00, '(2026-05-16,2026-05-17]', 'month')$$,
    $$SELECT * FROM dealscope.prorate(10.00, '[5874897-12-01,5874897-12-31)', 'month')$$,
    $$SELECT * FROM dealscope.prorate(10.00, '[5874897-12-01,5874897-12-31)', 'year', 7)$$,
    $$SELECT * FROM dealscope.prorate(10.00, '[5874897-12-01,5874897-12-31)', 'week')$$,
    $$SELECT * FROM dealscope.prorate(10.00, '[4714-11-24 BC,4714-12-03 BC)', 'month')$$,
    $$SELECT * FROM dealscope.prorate(10.00, '[4714-11-24 BC,4714-12-03 BC)', 'week')$$,
    $$SELECT count(*), sum(gross), sum(share) FROM dealscope.prorate(10.00, '[2000-01-01,2060-01-01)', 'day', 1, 'USD', dealscope.rate_schedule('5%'::text))$$,
    $$SELECT count(*) FROM dealscope.prorate(10.00, '[0001-01-01,5874897-01-01)', 'week')$$,
    $$SELECT count(*) FROM dealscope.prorate(10.00, '[0001-01-01,5874897-01-01)', 'month')$$,
    $$SELECT count(*) FROM dealscope.prorate(10.00, '[0001-01-01,20000-01-01)', 'year')$$]) WITH ORDINALITY AS x(q, n),
     t.rows(q) WITH ORDINALITY AS y(r, m)
ORDER BY x.n, y.m;
-- errors and NULLs
SELECT replace(q, 'dealscope.', ''), r FROM unnest(ARRAY[
    $$SELECT * FROM dealscope.prorate(1.001, '[2026-01-01,2026-02-01)', 'month')$$,
    $$SELECT * FROM dealscope.prorate(1.5, '[2026-01-01,2026-02-01)', 'month', 1, 'JPY')$$,
    $$SELECT * FROM dealscope.prorate(1.00001, '[2026-01-01,2026-02-01)', 'month', 1, 'CLF')$$,
    $$SELECT * FROM dealscope.prorate(1.0010, '[2026-01-01,2026-02-01)', 'month', 1, 'BHD')$$,
    $$SELECT * FROM dealscope.prorate(1.00, '[2026-01-01,2026-02-01)', 'month', 1, 'usd')$$,
    $$SELECT * FROM dealscope.prorate(1.00, '[2026-01-01,2026-02-01)', 'month', 1, 'U$D')$$,
    $$SELECT * FROM dealscope.prorate(1.00, '[2026-01-01,2026-02-01)', 'Month')$$,
    $$SELECT * FROM dealscope.prorate(1.00, '[2026-01-01,2026-02-01)', 'month', 0)$$,
    $$SELECT * FROM dealscope.prorate(1.00, '[2026-01-01,2026-02-01)', 'bad', 0, 'bad')$$,
    $$SELECT * FROM dealscope.prorate(1.00, 'empty', 'month')$$,
    $$SELECT * FROM dealscope.prorate(1.00, '[2026-01-01,)', 'month')$$,
    $$SELECT * FROM dealscope.prorate(1.00, '(,2026-01-01)', 'month')$$,
    $$SELECT * FROM dealscope.prorate(1.00, '[-infinity,2026-01-01)', 'month')$$,
    $$SELECT * FROM dealscope.prorate(1.00, '[2026-01-01,infinity)', 'month')$$,
    $$SELECT * FROM dealscope.prorate('NaN', '[2026-01-01,2026-02-01)', 'month')$$,
    $$SELECT * FROM dealscope.prorate('Infinity', '[2026-01-01,2026-02-01)', 'month')$$,
    $$SELECT * FROM dealscope.prorate(1e18, '[2026-01-01,2026-02-01)', 'month')$$,
    $$SELECT * FROM dealscope.prorate(1e18, '[2026-01-01,2026-02-01)', 'month', 1, 'JPY')$$,
    $$SELECT * FROM dealscope.prorate(1e20, '[2026-01-01,2026-02-01)', 'month', 1, 'JPY')$$,
    $$SELECT * FROM dealscope.prorate(1.001, 'empty', 'month')$$,
    $$SELECT * FROM dealscope.prorate(10.00, '[0001-01-01,40000-01-01)', 'day')$$,
    $$SELECT * FROM dealscope.prorate(NULL, '[2026-01-01,2026-02-01)', 'month')$$,
    $$SELECT * FROM dealscope.prorate(1.00, NULL, 'month')$$,
    $$SELECT * FROM dealscope.prorate(1.00, '[2026-01-01,2026-02-01)', NULL)$$,
    $$SELECT * FROM dealscope.prorate(1.00, '[2026-01-01,2026-02-01)', 'month', NULL)$$,
    $$SELECT * FROM dealscope.prorate(1.00, '[2026-01-01,2026-02-01)', 'month', 1, NULL)$$,
    $$SELECT * FROM dealscope.prorate(1.00, '[2026-01-01,2026-02-01)', 'month', 1, 'USD', NULL)$$,
    $$SELECT count(*) FROM dealscope.prorate(1.00, 'empty', NULL)$$]) WITH ORDINALITY AS x(q, n),
     t.rows(q) WITH ORDINALITY AS y(r, m)
ORDER BY x.n, y.m;

------------------------------------------------------------------------------
-- prorate_within
------------------------------------------------------------------------------
SELECT setseed(0.777);
CREATE TABLE t.dur AS
SELECT i, CASE WHEN r < 0.1 THEN 'empty'::daterange WHEN r < 0.2 THEN '(,)'::daterange
               WHEN r < 0.3 THEN daterange(NULL, d1) WHEN r < 0.4 THEN daterange(d1, NULL)
               ELSE daterange(LEAST(d1, d2), GREATEST(d1, d2)) END AS during
FROM (SELECT i, random() AS r, DATE '2022-01-01' + floor(random() * 3200)::int AS d1,
             DATE '2022-01-01' + floor(random() * 3200)::int AS d2
      FROM generate_series(1, 3000) i) x;
SELECT f.i, d.during, t.try(format('dealscope.prorate_within(%s, %L, %L, %L)', f.amount, f.period, f.currency, d.during))
FROM t.flows f JOIN t.dur d USING (i) ORDER BY f.i;
SELECT replace(q, 'dealscope.', ''), t.try(q) FROM unnest(ARRAY[
    $$dealscope.prorate_within(10.00, '[2026-01-01,2026-01-04)', 'USD', '[2026-01-02,2026-01-03)')$$,
    $$dealscope.prorate_within(0.02, '[2026-01-01,2026-01-04)', 'USD', '[2026-01-02,2026-01-03)')$$,
    $$dealscope.prorate_within(0.01, '[2026-01-01,2026-01-04)', 'USD', '[2026-01-01,2026-01-02)')$$,
    $$dealscope.prorate_within(0.02, '[2026-01-01,2026-01-04)', 'USD', '[2026-01-03,2026-01-04)')$$,
    $$dealscope.prorate_within(-0.02, '[2026-01-01,2026-01-04)', 'USD', '[2026-01-02,)')$$,
    $$dealscope.prorate_within(5, '[2026-01-01,2026-01-04)', 'JPY', '[-infinity,infinity)')$$,
    $$dealscope.prorate_within(5, '[2026-01-01,2026-01-04)', 'JPY', '[2027-01-01,2027-02-01)')$$,
    $$dealscope.prorate_within(5, '[2026-01-01,2026-01-04)', 'JPY', 'empty')$$,
    $$dealscope.prorate_within(5.5, '[2026-01-01,2026-01-04)', 'JPY', 'empty')$$,
    $$dealscope.prorate_within(5, 'empty', 'JPY', '(,)')$$,
    $$dealscope.prorate_within(5, '[2026-01-01,)', 'JPY', '(,)')$$,
    $$dealscope.prorate_within(5, '[2026-01-01,2026-01-04)', 'jpy', '(,)')$$,
    $$dealscope.prorate_within(NULL, '[2026-01-01,2026-01-04)', 'JPY', '(,)')$$,
    $$dealscope.prorate_within(5, '[2026-01-01,2026-01-04)', 'JPY', NULL)$$]) q;

------------------------------------------------------------------------------
-- the aggregates over the generated flows
------------------------------------------------------------------------------
SELECT f.currency, f.grain, f.fy, r
FROM (SELECT DISTINCT currency, grain, fy FROM t.flows) f,
     t.rows(format($q$SELECT unnest(dealscope.prorate_agg(f.amount, f.period, f.currency, f.grain, f.fy,
                                     CASE WHEN s.s IS NULL THEN NULL ELSE dealscope.rate_schedule(s.s::text) END))
                      FROM t.flows f JOIN t.sched s ON s.n = f.sn
                      WHERE f.currency = %L AND f.grain = %L AND f.fy = %s$q$, f.currency, f.grain, f.fy))
         WITH ORDINALITY AS x(r, n)
WHERE f.fy IN (1, 7)
ORDER BY 1, 2, 3, n;
SELECT replace(q, 'dealscope.', ''), r FROM unnest(ARRAY[
    $$SELECT dealscope.prorate_agg(amount, period, currency, 'month', 1, NULL) FROM t.flows WHERE false$$,
    $$SELECT dealscope.prorate_agg(amount, period, currency, 'month', 1, NULL) FROM t.flows$$,
    $$SELECT dealscope.prorate_agg(amount, period, 'USD', grain, 1, NULL) FROM t.flows WHERE currency = 'USD'$$,
    $$SELECT dealscope.prorate_agg(amount, period, 'USD', 'month', fy, NULL) FROM t.flows WHERE currency = 'USD'$$,
    $$SELECT dealscope.prorate_agg(NULL::numeric, period, 'USD', 'month', 1, NULL) FROM t.flows$$,
    $$SELECT dealscope.prorate_agg(amount, period, 'USD', 'fortnight', 1, NULL) FROM t.flows WHERE currency = 'USD'$$,
    $$SELECT dealscope.prorate_agg(1.001, '[2026-01-01,2026-01-03)', 'USD', 'month', 1, NULL)$$,
    $$SELECT dealscope.prorate_agg(1.00, 'empty', 'USD', 'month', 1, NULL)$$]) WITH ORDINALITY AS x(q, n),
     t.rows(q) WITH ORDINALITY AS y(r, m)
ORDER BY x.n, y.m;

------------------------------------------------------------------------------
-- a generated deal model
------------------------------------------------------------------------------
TRUNCATE dealscope.revenue_flow RESTART IDENTITY;
DELETE FROM dealscope.clause;
DELETE FROM dealscope.deal;
SELECT setseed(0.31415);
CREATE TABLE t.party AS
SELECT * FROM (VALUES (1, 'openai'), (2, 'anthropic'), (3, 'mistral'), (4, 'microsoft'), (5, 'amazon'),
                      (6, 'google'), (7, 'oracle')) p(n, name);
INSERT INTO dealscope.party (id) SELECT name FROM t.party UNION ALL VALUES ('acme') ON CONFLICT DO NOTHING;
INSERT INTO dealscope.deal (id, name, parties, signed_on)
SELECT 'deal-' || a.name || '-' || b.name, a.name || ' / ' || b.name, ARRAY[a.name, b.name], DATE '2023-01-01' + a.n * 10
FROM t.party a, t.party b WHERE a.name < b.name;
INSERT INTO dealscope.clause (id, deal_id, kind, holder, grantor, products, scope, valid, rate)
SELECT 'rs-' || lpad(i::text, 3, '0'), 'deal-' || LEAST(g.name, h.name) || '-' || GREATEST(g.name, h.name),
       'revenue_share', h.name, g.name, x.products,
       CASE WHEN x.scope IS NULL THEN NULL ELSE dealscope.endpoint_set(x.scope) END,
       x.valid, dealscope.rate_schedule(x.rate)
FROM (SELECT i, 1 + floor(random() * 7)::int AS gn, floor(random() * 6)::int AS hoff,
             (ARRAY['*', 'api/*', 'chat/*', 'api/*, chat/*', 'hosted/*', '*/gpt-*', 'compute', '**'])[1 + floor(random() * 8)::int] AS products,
             (ARRAY[NULL, NULL, 'azure', 'aws/*', 'gcp/europe-west4/*', 'azure,aws', 'oci', 'openai'])[1 + floor(random() * 8)::int] AS scope,
             CASE WHEN random() < 0.15 THEN daterange(NULL, DATE '2025-01-01' + floor(random() * 700)::int)
                  WHEN random() < 0.15 THEN daterange(DATE '2024-01-01' + floor(random() * 700)::int, NULL)
                  ELSE daterange(d, d + 30 + floor(random() * 900)::int) END AS valid,
             (ARRAY['20%', '12.5%', '7.5%', '0.333333', '{[2026-01-01,2026-03-01) 20%, [2026-03-01,2026-05-11) 20%->0%}',
                    '{[2019-07-22,2026-04-28) 20%, [2026-04-28,2027-04-28) 20%->0%}',
                    '{[2024-02-10,2025-02-10) 0%->100%}', '{[2023-05-05,2031-01-01) 33.3333%->0.0001%}',
                    '{[2024-01-01,2024-01-08) 3%->1%, [2024-01-08,2024-02-09) 1%->2%, [2025-06-01,2027-01-01) 15%->5%}'])[1 + floor(random() * 9)::int] AS rate
      FROM (SELECT i, DATE '2023-06-01' + floor(random() * 1200)::int AS d FROM generate_series(1, 40) i) y) x
JOIN t.party g ON g.n = x.gn
JOIN t.party h ON h.n = 1 + (x.gn - 1 + 1 + x.hoff) % 7;
INSERT INTO dealscope.clause (id, deal_id, kind, holder, grantor, products, valid, amount, currency, min_share)
VALUES
  ('commit-openai', 'deal-microsoft-openai', 'commitment', 'microsoft', 'openai', '*', '[2025-01-01,2027-01-01)', 150000.00, 'USD', NULL),
  ('commit-openai-jpy', 'deal-microsoft-openai', 'commitment', 'microsoft', 'openai', '*', '[2025-06-01,)', 9000000, 'JPY', NULL),
  ('commit-anthropic', 'deal-amazon-anthropic', 'commitment', 'amazon', 'anthropic', '*', '[2024-03-01,2026-03-01)', 80000.00, 'USD', NULL),
  ('commit-mistral', 'deal-microsoft-mistral', 'commitment', 'microsoft', 'mistral', '*', '(,2026-01-01)', 1000.000, 'BHD', NULL),
  ('primary-openai', 'deal-microsoft-openai', 'primary_partner', 'microsoft', 'openai', '*', '[2025-04-28,)', NULL, NULL, 0.6),
  ('primary-anthropic', 'deal-amazon-anthropic', 'primary_partner', 'amazon', 'anthropic', '*', '[2024-01-01,2027-01-01)', NULL, NULL, 0.5),
  ('primary-mistral', 'deal-microsoft-mistral', 'primary_partner', 'microsoft', 'mistral', '*', '[2027-01-01,2028-01-01)', NULL, NULL, 0.25);
INSERT INTO dealscope.revenue_flow (seller, buyer, product, channel, amount, currency, period)
SELECT s.name, CASE WHEN b.n IS NULL THEN (ARRAY[NULL, 'acme'])[1 + floor(random() * 2)::int] ELSE b.name END,
       x.product, dealscope.endpoint(x.channel),
       round(x.m * (CASE x.cur WHEN 'JPY' THEN 1 WHEN 'BHD' THEN 0.001 ELSE 0.01 END),
             CASE x.cur WHEN 'JPY' THEN 0 WHEN 'BHD' THEN 3 ELSE 2 END), x.cur, daterange(x.start, x.start + x.len)
FROM (SELECT i, 1 + floor(random() * 7)::int AS sn,
             CASE WHEN random() < 0.5 THEN NULL ELSE 1 + floor(random() * 7)::int END AS bn,
             (ARRAY['api/gpt-5', 'chat/plus', 'hosted/claude-4', 'compute', NULL, 'api/mistral-large', 'chat/gpt-5'])[1 + floor(random() * 7)::int] AS product,
             (ARRAY['azure/eastus', 'aws/us-east-1/bedrock', 'gcp/europe-west4/vertex', 'oci/us-ashburn-1',
                    'openai/global/api', 'anthropic/global/api', 'unknowncloud/r1', 'azure/westeurope/openai',
                    'aws/eu-west-1'])[1 + floor(random() * 9)::int] AS channel,
             (ARRAY['USD', 'USD', 'USD', 'EUR', 'JPY', 'BHD'])[1 + floor(random() * 6)::int] AS cur,
             CASE WHEN random() < 0.05 THEN 0 WHEN random() < 0.1 THEN -floor(random() * 100000)
                  ELSE floor(random() * 10000000) END::numeric AS m,
             DATE '2024-01-01' + floor(random() * 1100)::int AS start,
             (ARRAY[1, 1, 1, 7, 30, 31, 90, 91, 365, 400, 800])[1 + floor(random() * 11)::int] AS len
      FROM generate_series(1, 3000) i) x
JOIN t.party s ON s.n = x.sn
LEFT JOIN t.party b ON b.n = x.bn AND b.n <> x.sn;
SELECT count(*) AS flows, sum(amount) FROM dealscope.revenue_flow;
SELECT kind, count(*) FROM dealscope.clause GROUP BY kind ORDER BY kind::text;

------------------------------------------------------------------------------
-- revenue_slices and revenue_report
------------------------------------------------------------------------------
CREATE TABLE t.rep AS
SELECT n, during, grain, fy FROM (VALUES
    (1, '[2024-01-01,2027-01-01)', 'month', 1),
    (2, '(,)', 'quarter', 1),
    (3, '(,)', 'quarter', 7),
    (4, '[2025-03-15,2025-09-02)', 'week', 1),
    (5, '(,2025-06-01)', 'half', 10),
    (6, '[2026-02-10,)', 'year', 4),
    (7, '[2025-05-01,2025-05-20)', 'day', 1),
    (8, '[2026-04-28,2026-04-29)', 'month', 1),
    (9, '[2030-01-01,2031-01-01)', 'month', 1),
    (10, '[2024-11-30,2025-02-02]', 'quarter', 12)) v(n, during, grain, fy);
SELECT n, during, grain, fy,
       t.digest(format('SELECT * FROM dealscope.revenue_slices(%L, %L, %s)', during, grain, fy)) AS slices,
       t.digest(format('SELECT * FROM dealscope.revenue_report(%L, %L, %s)', during, grain, fy)) AS report
FROM t.rep ORDER BY n;
-- in full for narrow ranges
SELECT r FROM t.rows($$SELECT * FROM dealscope.revenue_slices('[2026-04-28,2026-04-29)')$$) r;
SELECT r FROM t.rows($$SELECT * FROM dealscope.revenue_report('[2026-04-01,2026-07-01)', 'quarter')$$) r;
SELECT r FROM t.rows($$SELECT * FROM dealscope.revenue_report('(,)', 'year', 7)$$) r;
SELECT r FROM t.rows($$SELECT * FROM dealscope.revenue_slices('[2025-05-01,2025-05-03)', 'day')$$) r;
-- the report is the grouped sum of the slices
SELECT t.try($$(SELECT count(*) FROM (
    (SELECT s.slice_start, s.slice_end, s.label, f.seller, s.currency, sum(s.gross), sum(s.share), sum(s.net)
     FROM dealscope.revenue_slices('(,)', 'quarter', 1) s JOIN dealscope.revenue_flow f ON f.id = s.flow_id
     GROUP BY 1, 2, 3, 4, 5
     EXCEPT ALL
     SELECT slice_start, slice_end, label, seller, currency, sum(gross), sum(share), sum(net)
     FROM dealscope.revenue_report('(,)', 'quarter', 1) GROUP BY 1, 2, 3, 4, 5)) x)$$);
-- errors
SELECT replace(q, 'dealscope.', ''), t.try(q) FROM unnest(ARRAY[
    $$(SELECT count(*) FROM dealscope.revenue_slices(NULL))$$,
    $$(SELECT count(*) FROM dealscope.revenue_slices('empty'))$$,
    $$(SELECT count(*) FROM dealscope.revenue_slices('(,)', NULL))$$,
    $$(SELECT count(*) FROM dealscope.revenue_slices('(,)', 'Month'))$$,
    $$(SELECT count(*) FROM dealscope.revenue_slices('(,)', 'month', NULL))$$,
    $$(SELECT count(*) FROM dealscope.revenue_slices('(,)', 'month', 13))$$,
    $$(SELECT count(*) FROM dealscope.revenue_slices('empty', 'bad', 0))$$,
    $$(SELECT count(*) FROM dealscope.revenue_report(NULL))$$,
    $$(SELECT count(*) FROM dealscope.revenue_report('empty', 'month'))$$,
    $$(SELECT count(*) FROM dealscope.revenue_report('(,)', 'fortnight'))$$,
    $$(SELECT count(*) FROM dealscope.revenue_report('(,)', 'month', 0))$$,
    $$(SELECT count(*) FROM dealscope.revenue_report('(,)', NULL, 1))$$,
    $$(SELECT count(*) FROM dealscope.revenue_report('[-infinity,infinity)', 'year', 1))$$,
    $$dealscope.report_window('[2026-02-10,2026-05-01)', 'quarter', 1)$$,
    $$dealscope.report_window('(,2026-05-01)', 'half', 8)$$,
    $$dealscope.report_window('[2026-02-10,)', 'week', 1)$$,
    $$dealscope.report_window('empty', 'week', 1)$$]) q;

------------------------------------------------------------------------------
-- revenue_split and the model aggregates
------------------------------------------------------------------------------
SELECT f.id, h.holder, t.try(format('dealscope.revenue_split(%L, %L, %L, %s, %L, %L, %L, %s, %L)',
       f.seller, f.product, f.channel, f.amount, f.currency, f.period, g.grain, g.fy, h.holder))
FROM dealscope.revenue_flow f,
     LATERAL (SELECT (ARRAY['month','quarter','week','year'])[1 + (f.id % 4)::int] AS grain, 1 + (f.id % 12)::int AS fy) g,
     unnest(ARRAY[NULL, 'microsoft', 'openai']) h(holder)
WHERE f.id <= 200
ORDER BY f.id, h.holder NULLS FIRST;
SELECT r FROM t.rows($$SELECT f.seller, f.currency, unnest(dealscope.revenue_agg(f.seller, f.product, f.channel, f.amount,
                         f.currency, f.period, 'quarter', 1, NULL))
                       FROM dealscope.revenue_flow f WHERE f.id <= 400 GROUP BY 1, 2 ORDER BY 1, 2$$) r;
SELECT r FROM t.rows($$SELECT f.seller, f.currency, unnest(dealscope.revenue_agg(f.seller, f.product, f.channel, f.amount,
                         f.currency, f.period, 'year', 7, 'microsoft'))
                       FROM dealscope.revenue_flow f WHERE f.id <= 400 GROUP BY 1, 2 ORDER BY 1, 2$$) r;
SELECT r FROM t.rows($$SELECT (x).* FROM (SELECT unnest(dealscope.revenue_provider_agg(f.seller, f.product, f.channel, f.amount,
                         f.currency, f.period, 'half', 1, '[2025-01-01,2026-01-01)')) AS x
                       FROM dealscope.revenue_flow f WHERE f.id <= 600) y ORDER BY 1, 2, 3, 7, 4$$) r;
SELECT r FROM t.rows($$SELECT (x).* FROM (SELECT unnest(dealscope.exposure_agg('openai', f.seller, f.buyer, f.product, f.channel,
                         f.amount, f.currency, f.period, 'year', 1, NULL)) AS x
                       FROM dealscope.revenue_flow f WHERE f.id <= 600) y ORDER BY 1, 2, 3, 7, 4$$) r;
SELECT replace(q, 'dealscope.', ''), t.try(q) FROM unnest(ARRAY[
    $$(SELECT count(*) FROM unnest((SELECT dealscope.revenue_agg(seller, product, channel, amount, currency, period, 'month', 1, NULL) FROM dealscope.revenue_flow WHERE id <= 100)))$$,
    $$(SELECT dealscope.revenue_agg(seller, product, channel, amount, 'USD', period, 'month', 1, NULL) FROM dealscope.revenue_flow WHERE false) IS NULL$$,
    $$dealscope.revenue_split(NULL, 'x', dealscope.endpoint('aws/x'::text), 1.00, 'USD', '[2026-01-01,2026-02-01)', 'month', 1)$$,
    $$dealscope.revenue_split('openai', 'x', dealscope.endpoint('aws/x'::text), 1.00, 'USD', '[2026-01-01,2026-02-01)', 'Month', 1)$$,
    $$dealscope.revenue_split('openai', 'x', dealscope.endpoint('aws/x'::text), 1.001, 'USD', '[2026-01-01,2026-02-01)', 'month', 1)$$,
    $$dealscope.revenue_split('openai', NULL, dealscope.endpoint('aws/x'::text), 1.00, 'USD', 'empty', 'month', 1)$$]) q;

------------------------------------------------------------------------------
-- exposure, concentration, partner_status
------------------------------------------------------------------------------
SELECT p.name, x.during, x.grain, x.fy, r
FROM t.party p,
     (VALUES (1, '[2024-01-01,2027-01-01)', 'quarter', 1), (2, '(,)', 'year', 7), (3, '[2025-02-01,2025-04-01)', 'month', 1)) x(n, during, grain, fy),
     t.rows(format('SELECT * FROM dealscope.exposure(%L, %L, %L, %s)', p.name, x.during, x.grain, x.fy)) WITH ORDINALITY AS y(r, m)
ORDER BY p.n, x.n, y.m;
SELECT t.digest($$SELECT * FROM dealscope.exposure('openai', '(,)', 'week')$$),
       t.digest($$SELECT * FROM dealscope.exposure('acme', '(,)')$$),
       t.digest($$SELECT * FROM dealscope.exposure('nobody', '(,)')$$);
SELECT p.name, x.during, r
FROM (SELECT * FROM t.party UNION ALL SELECT 8, 'acme') p,
     unnest('{"(,)","[2025-01-01,2026-01-01)","[2026-03-15,2026-03-16)","[2031-01-01,)"}'::text[]) WITH ORDINALITY AS x(during, n),
     t.rows(format('SELECT * FROM dealscope.concentration(%L, %L)', p.name, x.during)) WITH ORDINALITY AS y(r, m)
ORDER BY p.n, x.n, y.m;
SELECT p.name, d, r
FROM t.party p,
     unnest('{2023-01-01,2025-03-31,2025-06-01,2026-02-28,2026-12-31,2030-01-01}'::date[]) d,
     t.rows(format('SELECT * FROM dealscope.partner_status(%L, %L)', p.name, d)) WITH ORDINALITY AS y(r, m)
WHERE p.n <= 3
ORDER BY p.n, d, y.m;
SELECT replace(q, 'dealscope.', ''), t.try(q) FROM unnest(ARRAY[
    $$(SELECT count(*) FROM dealscope.exposure(NULL, '(,)'))$$,
    $$(SELECT count(*) FROM dealscope.exposure('openai', NULL))$$,
    $$(SELECT count(*) FROM dealscope.exposure('openai', 'empty'))$$,
    $$(SELECT count(*) FROM dealscope.exposure('openai', '(,)', 'Quarter'))$$,
    $$(SELECT count(*) FROM dealscope.exposure('openai', '(,)', 'quarter', 0))$$,
    $$(SELECT count(*) FROM dealscope.exposure(NULL, 'empty', 'bad'))$$,
    $$(SELECT count(*) FROM dealscope.concentration(NULL, '(,)'))$$,
    $$(SELECT count(*) FROM dealscope.concentration('openai', NULL))$$,
    $$(SELECT count(*) FROM dealscope.concentration('openai', 'empty'))$$,
    $$(SELECT count(*) FROM dealscope.partner_status(NULL))$$,
    $$(SELECT count(*) FROM dealscope.partner_status('openai', NULL))$$,
    $$(SELECT count(*) FROM dealscope.partner_status('openai', 'infinity'))$$,
    $$(SELECT count(*) FROM dealscope.partner_status('openai'))$$]) q;

TRUNCATE dealscope.revenue_flow RESTART IDENTITY;
DELETE FROM dealscope.clause;
DELETE FROM dealscope.deal;
