-- Bounded cost (README "Limits", doc/design.md "Limits"): what one row or
-- one argument can cost is bounded, and every loop that can still run long
-- stops when statement_timeout (or a cancel) asks.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS dealscope;
RESET client_min_messages;
SET search_path = dealscope, public;
SET datestyle = ISO, YMD;

-- A flow's period is at most 100000 days (about 273 years).  Every split
-- walks all the slices of the period, whatever window a report reads, so
-- one row over [0001-01-01,5874897-12-31) made every revenue_report fail
-- (XX000 invalid memory alloc request size at month grain after 4 s and
-- 0.7 GB; 22008 after 28 s and 2.8 GB at year grain).  The table rejects
-- such a row, and every function that splits a flow raises 54000 at once.
INSERT INTO party (id) VALUES ('limits-co'), ('h') ON CONFLICT DO NOTHING;
\set VERBOSITY terse
INSERT INTO revenue_flow (seller, channel, amount, currency, period)
VALUES ('limits-co', 'aws/us-east-1', 1000.00, 'USD', '[0001-01-01,5874897-12-31)');
INSERT INTO revenue_flow (seller, channel, amount, currency, period)
VALUES ('limits-co', 'aws/us-east-1', 1000.00, 'USD', daterange('2000-01-01', DATE '2000-01-01' + 100001));
\set VERBOSITY default
INSERT INTO revenue_flow (seller, channel, amount, currency, period)
VALUES ('limits-co', 'aws/us-east-1', 1000.00, 'USD', daterange('2000-01-01', DATE '2000-01-01' + 100000));
SELECT count(*) FROM prorate(1.00, '[0001-01-01,5874897-12-31)', 'month');
SELECT revenue_split('limits-co', 'p', 'aws/us-east-1', 1.00, 'USD', '[0001-01-01,5874897-12-31)', 'year', 1);
SELECT prorate_agg(1.00, '[0001-01-01,5874897-12-31)', 'USD', 'month', 1, NULL);
SELECT revenue_agg('limits-co', 'p', 'aws/us-east-1', 1.00, 'USD', '[0001-01-01,5874897-12-31)', 'month', 1, NULL);
SELECT revenue_provider_agg('limits-co', 'p', 'aws/us-east-1', 1.00, 'USD', '[0001-01-01,5874897-12-31)', 'month', 1, NULL);
SELECT exposure_agg('limits-co', 'limits-co', NULL, 'p', 'aws/us-east-1', 1.00, 'USD', '[0001-01-01,5874897-12-31)', 'month', 1, NULL);
SELECT prorate_within(1.00, '[0001-01-01,5874897-12-31)', 'USD', '[2026-01-01,2026-01-02)');
-- the longest flow allowed: 100000 day slices; a one-day report at month
-- grain computes its 3286 monthly parts and keeps the one it needs
SELECT count(*) AS slices, sum(gross) AS gross
FROM prorate(1000.00, daterange('2000-01-01', DATE '2000-01-01' + 100000), 'day');
SELECT label, seller, channel_owner, gross FROM revenue_report('[2026-01-01,2026-01-02)', 'month') WHERE seller = 'limits-co';

-- A call that runs long, asked to stop by statement_timeout: did it stop
-- within 10 s (it takes 2 s and a few milliseconds), i.e. do its loops check
-- for interrupts?  Without the checks the cancel waited for the loop's end
-- (18 s for the && below, 24 s for the products list, when this was written).
CREATE FUNCTION public.stops_in_time(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz := clock_timestamp();
BEGIN
    EXECUTE q;
    RETURN 'finished';
EXCEPTION WHEN query_canceled THEN
    RETURN CASE WHEN clock_timestamp() - t0 < interval '10 s' THEN 'stopped (57014) within 10 s'
                ELSE 'stopped (57014) too late' END;
END $$;

-- && between an endpoint set with 60,880 negations and '*': the witness
-- search (fresh_extension) scans every negation 78 times per step.
CREATE TABLE public.many_negations AS
WITH c AS (SELECT substr('0123456789abcdefghijklmnopqrstuvwxyz-._', i, 1) AS c FROM generate_series(1, 39) i)
SELECT string_agg('!' || s, ',')::endpoint_set AS s FROM (
    SELECT 'a*' AS s
    UNION ALL SELECT 'a' || a.c FROM c a
    UNION ALL SELECT 'a' || a.c || b.c FROM c a, c b
    UNION ALL SELECT 'a' || a.c || b.c || d.c || '*' FROM c a, c b, c d) x;
SET statement_timeout = '2s';
SELECT public.stops_in_time($$SELECT s && '*'::endpoint_set FROM public.many_negations$$);
RESET statement_timeout;

-- Products globs are matched in linear time: a glob of 10,000 a's between
-- a star and a b against a product of a million a's (a backtracking
-- matcher takes 10^10 steps: 9 to 24 s before) answers at once, well within
-- the timeout, in placement and in the revenue split alike.
INSERT INTO workload (id, owner, product, requested_on) VALUES ('w-long', 'limits-co', repeat('a', 1000000), '2026-01-01');
INSERT INTO clause (id, kind, holder, grantor, products, scope, valid, rate) VALUES
    ('excl-long', 'exclusivity', 'h', 'limits-co', '*' || repeat('a', 10000) || 'b, ' || repeat('a', 10000) || '*', 'azure', '[2020-01-01,)', NULL),
    ('rs-long', 'revenue_share', 'h', 'limits-co', '*' || repeat('a', 10000) || 'b, *a' || repeat('b', 20) || '*', NULL, '[2020-01-01,)', '10%');
SET statement_timeout = '2s';
SELECT verdict, reasons FROM placement_check('w-long', 'aws/us-east-1', '2026-06-01');
SELECT (revenue_split('limits-co', repeat('a', 1000000), 'aws/us-east-1', 100.00, 'USD', '[2026-01-01,2026-02-01)', 'month', 1))[1].share;
SELECT (revenue_split('limits-co', repeat('a', 999999) || 'b', 'aws/us-east-1', 100.00, 'USD', '[2026-01-01,2026-02-01)', 'month', 1))[1].share;
RESET statement_timeout;
-- A list of 100,000 globs against a product of 100,000 characters is
-- 10^10 steps even in linear time per glob: it stops when asked.
UPDATE clause SET products = (SELECT string_agg('*ab*', ',') FROM generate_series(1, 100000)) WHERE id = 'excl-long';
UPDATE workload SET product = repeat('a', 100000) WHERE id = 'w-long';
SET statement_timeout = '2s';
SELECT public.stops_in_time($$SELECT * FROM dealscope.placement_check('w-long', 'aws/us-east-1', '2026-06-01')$$);
RESET statement_timeout;

DROP FUNCTION public.stops_in_time(text);
DROP TABLE public.many_negations;
DELETE FROM revenue_flow WHERE seller = 'limits-co';
DELETE FROM clause WHERE grantor = 'limits-co';
DELETE FROM workload WHERE id = 'w-long';
