SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS dealscope;
RESET client_min_messages;
SET search_path = dealscope, public;
SET datestyle = ISO, YMD;
\set SHOW_CONTEXT never

-- revenue_flow, revenue_slices, revenue_report, prorate_agg, prorate_within
-- on hand-checked cases.  The test owns revenue_flow: it starts and ends empty.
TRUNCATE revenue_flow RESTART IDENTITY;
DELETE FROM clause WHERE deal_id = 'rv-deal';
DELETE FROM deal WHERE id = 'rv-deal';
-- every party the rows below name is registered (dealscope.party)
INSERT INTO party (id) VALUES ('acme'), ('h'), ('k'), ('twoclause') ON CONFLICT DO NOTHING;

------------------------------------------------------------------------------
-- revenue_flow rejects what would make reports wrong
------------------------------------------------------------------------------
INSERT INTO revenue_flow (seller, channel, amount, currency, period)
VALUES ('openai', 'azure/eastus', 10.00, 'USD', '[2026-01-01,)');
INSERT INTO revenue_flow (seller, channel, amount, currency, period)
VALUES ('openai', 'azure/eastus', 10.00, 'USD', 'empty');
INSERT INTO revenue_flow (seller, channel, amount, currency, period)
VALUES ('openai', 'azure/eastus', 10.001, 'USD', '[2026-01-01,2026-02-01)');

-- every check, with its SQLSTATE and constraint name
DO $$
DECLARE
    bad record;
    st text;
    con text;
BEGIN
    FOR bad IN SELECT * FROM (VALUES
        ('unbounded period',      10.00::numeric, 'USD', '[2026-01-01,)'::daterange),
        ('no lower bound',        10.00, 'USD', '(,2026-01-01)'),
        ('infinite bound',        10.00, 'USD', '[-infinity,2026-01-01)'),
        ('empty period',          10.00, 'USD', 'empty'),
        ('cents on a yen amount', 10.5,  'JPY', '[2026-01-01,2026-01-02)'),
        ('four decimals in BHD',  1.2345, 'BHD', '[2026-01-01,2026-01-02)'),
        ('lower-case currency',   10.00, 'usd', '[2026-01-01,2026-01-02)'),
        ('malformed currency',    10.00, 'U$D', '[2026-01-01,2026-01-02)'),
        ('NaN amount',            'NaN', 'USD', '[2026-01-01,2026-01-02)'),
        ('amount out of range',   1e18,  'USD', '[2026-01-01,2026-01-02)')) v(what, amount, currency, period)
    LOOP
        BEGIN
            INSERT INTO dealscope.revenue_flow (seller, channel, amount, currency, period)
            VALUES ('openai', 'azure/eastus', bad.amount, bad.currency, bad.period);
            RAISE NOTICE '%: accepted', bad.what;
        EXCEPTION WHEN others THEN
            GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, con = CONSTRAINT_NAME;
            RAISE NOTICE '%: % %', bad.what, st, con;
        END;
    END LOOP;
END $$;
INSERT INTO revenue_flow (seller, channel, amount, currency, period)
VALUES ('openai', NULL, 10.00, 'USD', '[2026-01-01,2026-01-02)');
INSERT INTO revenue_flow (id, seller, channel, amount, currency, period)
VALUES (1, 'openai', 'azure/eastus', 10.00, 'USD', '[2026-01-01,2026-01-02)');
-- trailing zeros beyond the minor unit are not extra decimals
INSERT INTO revenue_flow (seller, channel, amount, currency, period)
VALUES ('openai', 'azure/eastus', 10.0000, 'USD', '[2026-01-01,2026-01-02)'),
       ('openai', 'azure/eastus', 700, 'JPY', '[2026-01-01,2026-01-02)');
SELECT count(*) FROM revenue_flow;
TRUNCATE revenue_flow RESTART IDENTITY;

------------------------------------------------------------------------------
-- The model: openai owes microsoft 20% until 2026-03-01, then a share
-- winding down from 20% to 0% over [2026-03-01,2026-06-01) (92 days, so
-- day k of the ramp has rate 20% * (1 - k/92)); amazon 10% of chatgpt/*
-- sold on aws from 2026-07-15.
------------------------------------------------------------------------------
INSERT INTO deal (id, name, parties, signed_on) VALUES ('rv-deal', 'test deal', '{openai,microsoft,amazon}', '2026-01-01');
INSERT INTO clause (id, deal_id, kind, holder, grantor, products, scope, valid, rate) VALUES
  ('rv-rs-flat', 'rv-deal', 'revenue_share', 'microsoft', 'openai', '*', NULL, '[2026-01-01,2026-03-01)', '20%'),
  ('rv-rs-ramp', 'rv-deal', 'revenue_share', 'microsoft', 'openai', '*', NULL, '[2026-03-01,2026-06-01)',
   '{[2026-03-01,2026-06-01) 20%->0%}'),
  ('rv-rs-aws', 'rv-deal', 'revenue_share', 'amazon', 'openai', 'chatgpt/*', 'aws', '[2026-07-15,2027-01-01)', '10%');

INSERT INTO revenue_flow (seller, buyer, product, channel, amount, currency, period)
SELECT * FROM (VALUES
  -- 1: 1000.00 over 90 days: Jan 17, Feb 28, Mar 31, Apr 14 days
  ('openai', NULL, 'api/gpt-5', 'azure/eastus'::endpoint, 1000.00, 'USD', '[2026-01-15,2026-04-15)'::daterange),
  -- 2: a refund on one day under the flat share
  ('openai', 'acme', 'api/gpt-5', 'azure/westeurope', -50.00, 'USD', '[2026-02-10,2026-02-11)'),
  -- 3: 300.00 EUR over June (30 days) and July (31 days): crosses Microsoft's
  --    fiscal year (fy_start 7); amazon's share starts mid-flow, on 07-15
  ('openai', NULL, 'chatgpt/enterprise', 'aws/us-east-1/bedrock', 300.00, 'EUR', '[2026-06-01,2026-08-01)'),
  -- 4: the ramp ends mid-slice (on 06-01, inside Q2 and inside June)
  ('openai', NULL, 'api/o3', 'openai/global/api', 100.00, 'USD', '[2026-05-20,2026-06-10)'),
  -- 5: yen over a month boundary: 1 day in January, 2 in February
  ('openai', NULL, 'api/o3', 'gcp/asia-northeast1/vertex', 1000, 'JPY', '[2026-01-31,2026-02-03)'),
  -- 6: a provider missing from the catalog, three decimals
  ('openai', NULL, NULL, 'zz/r1', 12.345, 'BHD', '[2026-03-30,2026-04-02)'),
  -- 7: another seller: owes nobody
  ('microsoft', 'openai', 'compute', 'azure/eastus', 900.00, 'USD', '[2026-01-01,2026-04-01)')
) v;
SELECT id, seller, product, channel, amount, currency, period FROM revenue_flow ORDER BY id;

-- Flow 1 by hand.  Gross: 1000 * 17/90 = 188.888.., * 28/90 = 311.111..,
-- * 31/90 = 344.444.., * 14/90 = 155.555..; floors sum to 999.98, the two
-- missing cents go to the largest remainders (Jan .888, Apr .555).
-- Share: Jan 17 * 20% * 1000/90 = 37.777.., Feb 62.222.., Mar sum of the
-- ramp over k = 0..30 = 20% * (31 - 465/92) -> 57.6570.., Apr k = 31..44:
-- 20% * (14 - 525/92) -> 18.4299..; total 176.0869.. rounds to 176.09;
-- floors sum to 176.06, the three cents go to Apr (.99), Jan (.78), Mar (.70).
SELECT * FROM revenue_slices('[2026-01-01,2026-05-01)') WHERE flow_id = 1;
SELECT sum(gross) AS gross, sum(share) AS share FROM revenue_slices('(,)') WHERE flow_id = 1;

-- Every flow, monthly.  Flow 2: -50.00 and a share of -10.00 (20%).
-- Flow 3: June 300 * 30/61 = 147.540.., July 152.459.. -> 147.54 + 152.46;
-- amazon's 10% on the 17 days from 07-15: 300 * 17/61 * 10% = 8.36.
-- Flow 4: ramp days k = 80..91 in May: 20% * (12 - 1026/92) = 0.16956..
-- times 100/21 -> 0.81; nothing in June (the ramp is over).
-- Flow 5: 333.33.. and 666.66.. yen -> 333 + 667.  Flow 6: NULL product,
-- '*' clauses still apply: 20% ramp at k = 29..31.
SELECT * FROM revenue_slices('(,)');

-- Slices are reported whole: a window of two days returns January and
-- February entire, and every flow touching them.
SELECT flow_id, label, gross, share FROM revenue_slices('[2026-01-31,2026-02-02)');

-- The grouped report: channel owner from the provider table (zz is not
-- catalogued: NULL owner); never mixing currencies.
SELECT * FROM revenue_report('[2026-01-01,2027-01-01)', 'quarter');
-- Microsoft's fiscal year (July): flow 3 splits across FY2026-Q4 and FY2027-Q1.
SELECT * FROM revenue_report('[2026-04-01,2026-10-01)', 'quarter', 7);
SELECT label, seller, channel_owner, currency, gross, share, net FROM revenue_report('(,)', 'year', 7);
SELECT label, sum(gross) AS gross, sum(share) AS share FROM revenue_report('(,)', 'half') WHERE currency = 'USD' GROUP BY label ORDER BY label;

-- revenue_report is the grouped sum of revenue_slices, exactly
SELECT count(*) AS mismatches FROM (
  (SELECT * FROM revenue_report('(,)', 'week')
   EXCEPT ALL
   SELECT s.slice_start, s.slice_end, s.label, f.seller, p.owner, s.currency, sum(s.gross), sum(s.share), sum(s.net)
   FROM revenue_slices('(,)', 'week') s JOIN revenue_flow f ON f.id = s.flow_id
   LEFT JOIN provider p ON p.provider = provider(f.channel)
   GROUP BY 1, 2, 3, 4, 5, 6)) x;

-- revenue_provider_agg, what revenue_report is built on: the same figures
-- as revenue_agg, kept apart per (seller, channel provider, currency) inside
-- one state, over the flows whose period overlaps the window.
SELECT c.party AS seller, c.provider, c.currency, c.label, c.gross, c.share, c.net
FROM unnest((SELECT revenue_provider_agg(seller, product, channel, amount, currency, period, 'quarter', 1, NULL)
             FROM revenue_flow)) c
ORDER BY 1, 2, 3, c.slice_start;
SELECT count(*) AS mismatches_with_revenue_agg FROM (
  (SELECT c.party, c.provider, c.currency, c.slice_start, c.slice_end, c.label, c.gross, c.share, c.net
   FROM unnest((SELECT revenue_provider_agg(seller, product, channel, amount, currency, period, 'month', 7, NULL)
                FROM revenue_flow)) c
   EXCEPT ALL
   SELECT g.seller, g.provider, g.currency, c.slice_start, c.slice_end, c.label, c.gross, c.share, c.net
   FROM (SELECT seller, provider(channel) AS provider, currency,
                revenue_agg(seller, product, channel, amount, currency, period, 'month', 7, NULL) AS cells
         FROM revenue_flow GROUP BY 1, 2, 3) g, unnest(g.cells) c)) x;
-- the window keeps only the flows overlapping it (flow 3, June-July, is
-- left out by a window ending 2026-06-01; flows are split whole)
SELECT c.party AS seller, c.provider, c.currency, c.label, c.gross
FROM unnest((SELECT revenue_provider_agg(seller, product, channel, amount, currency, period, 'year', 1,
                                         '[2026-03-01,2026-06-01)') FROM revenue_flow)) c
ORDER BY 1, 2, 3, c.slice_start;
-- nothing overlaps the window, or no rows: NULL; rows with a NULL seller,
-- channel or amount are skipped
SELECT revenue_provider_agg(seller, product, channel, amount, currency, period, 'month', 1,
                            '[1990-01-01,1990-02-01)') IS NULL AS outside_window,
       revenue_provider_agg(seller, product, channel, amount, currency, period, 'month', 1, 'empty') IS NULL AS empty_window
FROM revenue_flow;
SELECT revenue_provider_agg(seller, product, channel, amount, currency, period, 'month', 1, NULL) IS NULL AS no_rows
FROM revenue_flow WHERE false;
SELECT c.party, c.provider, c.label, c.gross
FROM unnest((SELECT revenue_provider_agg(s, 'p', ch::endpoint, a, 'USD', '[2026-01-01,2026-01-02)', 'month', 1, NULL)
             FROM (VALUES (NULL, 'aws/x', 1.00), ('s1', NULL, 2.00), ('s1', 'aws/x', NULL), ('s1', 'aws/x', 4.00)) v(s, ch, a))) c;
-- one grain and fy_start per state; bad arguments fail as in revenue_agg
SELECT revenue_provider_agg(seller, product, channel, amount, currency, period,
                            CASE WHEN amount > 0 THEN 'month' ELSE 'week' END, 1, NULL) FROM revenue_flow;
SELECT revenue_provider_agg('s', 'p', 'aws/x', 1.00, 'USD', '[2026-01-01,2026-01-02)', 'month', 0, NULL);
SELECT revenue_provider_agg('s', 'p', 'aws/x', 1.001, 'USD', '[2026-01-01,2026-01-02)', 'month', 1, NULL);
SELECT revenue_provider_agg('s', 'p', 'aws/x', 1.00, 'USD', '[2026-01-01,)', 'month', 1, NULL);

-- Two clauses of one holder on one flow: the share is rounded once per
-- (flow, holder), over the sum of the clauses' rates, not once per clause.
INSERT INTO clause (id, deal_id, kind, holder, grantor, valid, rate) VALUES
  ('rv-two-a', 'rv-deal', 'revenue_share', 'h', 'twoclause', '[2026-01-01,2026-01-02)', '50%'),
  ('rv-two-b', 'rv-deal', 'revenue_share', 'h', 'twoclause', '[2026-01-02,2026-01-04)', '50%'),
  ('rv-two-c', 'rv-deal', 'revenue_share', 'k', 'twoclause', '[2026-01-01,2026-01-04)', '{[2026-01-01,2026-01-04) 30%->0%}');
-- 0.09 over 3 days (12-31 .. 01-02, crossing the year), 0.03 a day.  Holder
-- h: each clause covers one day at 50%, exact 0.015 each; rounded once per
-- holder that is 0.03 (rounding per clause would give 0.02 + 0.02).  Holder
-- k: the ramp's 30% and 20% on 01-01 and 01-02: exact 0.015 -> 0.02 (half
-- to even).  So 2026 owes 0.05, 2025 nothing.
INSERT INTO revenue_flow (seller, product, channel, amount, currency, period)
VALUES ('twoclause', 'x', 'azure/eastus', 0.09, 'USD', '[2025-12-31,2026-01-03)');
SELECT s.label, s.gross, s.share, s.net FROM revenue_slices('(,)', 'year') s
JOIN revenue_flow f ON f.id = s.flow_id WHERE f.seller = 'twoclause';
SELECT holder, c.* FROM unnest(ARRAY['h', 'k']) holder,
  LATERAL unnest(revenue_split('twoclause', 'x', 'azure/eastus', 0.09, 'USD', '[2025-12-31,2026-01-03)', 'day', 1, holder)) c;

------------------------------------------------------------------------------
-- Bad arguments
------------------------------------------------------------------------------
SELECT * FROM revenue_report('[2026-01-01,2026-02-01)', 'fortnight');
SELECT * FROM revenue_report('[2026-01-01,2026-02-01)', 'month', 13);
SELECT * FROM revenue_report('empty');
SELECT * FROM revenue_report(NULL);
SELECT * FROM revenue_slices('[2026-01-01,2026-02-01)', 'Month');
SELECT * FROM revenue_slices('[2026-01-01,2026-02-01)', 'month', 0);
SELECT * FROM revenue_slices('empty');

------------------------------------------------------------------------------
-- prorate_agg on a user's own table (no model tables needed)
------------------------------------------------------------------------------
CREATE TEMP TABLE my_sales (region text, amount numeric, currency char(3), period daterange);
INSERT INTO my_sales VALUES
  ('eu', 1000.00, 'EUR', '[2026-01-15,2026-04-15)'),
  ('eu', -100.00, 'EUR', '[2026-03-01,2026-03-02)'),
  ('us', 500.00, 'USD', '[2026-02-01,2026-08-01)'),
  ('us', NULL, 'USD', '[2026-02-01,2026-08-01)');
SELECT s.region, c.*
FROM (SELECT region, prorate_agg(amount, period, currency, 'quarter', 1, '{[2026-01-01,2027-01-01) 20%->0%}') AS cells
      FROM my_sales GROUP BY region) s
CROSS JOIN LATERAL unnest(s.cells) c
ORDER BY s.region, c.slice_start;
-- no rows: NULL, like sum()
SELECT prorate_agg(amount, period, currency, 'month', 1, NULL) IS NULL AS is_null FROM my_sales WHERE false;
-- one currency, grain and fy_start per group
SELECT prorate_agg(amount, period, currency, 'month', 1, NULL) FROM my_sales;
SELECT prorate_agg(amount, period, currency, CASE WHEN amount > 0 THEN 'month' ELSE 'week' END, 1, NULL)
FROM my_sales WHERE region = 'eu';
SELECT prorate_agg(amount, period, currency, 'month', 13, NULL) FROM my_sales;
SELECT prorate_agg(1.001, '[2026-01-01,2026-01-02)', 'USD', 'month', 1, NULL);
SELECT prorate_agg(1.00, '[2026-01-01,)', 'USD', 'month', 1, NULL);
SELECT prorate_agg(1.00, 'empty', 'USD', 'month', 1, NULL);
SELECT prorate_agg(1.00, '[2026-01-01,2026-01-02)', 'usd', 'month', 1, NULL);

------------------------------------------------------------------------------
-- prorate_within: the part of a flow inside a date range
------------------------------------------------------------------------------
-- 100.00 over 3 days split at 01-02: 33.33.. | 66.66.. -> 33.33 | 66.67
SELECT prorate_within(100.00, '[2026-01-01,2026-01-04)', 'USD', '[2026-01-02,)') AS inside,
       prorate_within(100.00, '[2026-01-01,2026-01-04)', 'USD', '(,2026-01-02)') AS before,
       prorate_within(-100.00, '[2026-01-01,2026-01-04)', 'USD', '[2026-01-02,2026-01-03)') AS middle_refund,
       prorate_within(100.00, '[2026-01-01,2026-01-04)', 'USD', '[2027-01-01,)') AS outside,
       prorate_within(100.00, '[2026-01-01,2026-01-04)', 'USD', 'empty') AS empty_range;
SELECT prorate_within(1.001, '[2026-01-01,2026-01-04)', 'USD', '(,)');

DELETE FROM revenue_flow;
DELETE FROM clause WHERE deal_id = 'rv-deal';
DELETE FROM deal WHERE id = 'rv-deal';
-- report_window: the whole slices that a report over `during` covers
SELECT report_window('[2026-02-10,2026-05-20)', 'quarter', 1) AS calendar_quarters,
       report_window('[2026-02-10,2026-05-20)', 'quarter', 7) AS fiscal_quarters,
       report_window('[2026-02-10,2026-02-11)', 'month', 1) AS one_day;
