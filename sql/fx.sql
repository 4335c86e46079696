SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS dealscope;
RESET client_min_messages;
SET search_path = dealscope, public;
SET datestyle = ISO, YMD;
\set SHOW_CONTEXT never

-- Reporting currency: fx_rate, fx_convert and the report_currency argument
-- of revenue_report, exposure, concentration and partner_status, on a small
-- hand-checked model, then a seeded differential against the plain-SQL
-- reference (test/reference/fx.sql over test/reference/revenue.sql).
-- The test owns revenue_flow and fx_rate: they start and end empty.
TRUNCATE revenue_flow RESTART IDENTITY;
TRUNCATE fx_rate;
DELETE FROM clause WHERE deal_id = 'fx-deal';
DELETE FROM deal WHERE id = 'fx-deal';

------------------------------------------------------------------------------
-- fx_rate: what a row may hold
------------------------------------------------------------------------------
INSERT INTO fx_rate (currency, quote, day, rate) VALUES
  ('EUR', 'USD', '2026-01-01', 1.10),
  ('EUR', 'USD', '2026-02-15', 1.20),     -- changes in the middle of flows below
  ('JPY', 'USD', '2026-01-01', 0.0067),
  ('USD', 'JPY', '2026-01-01', 150.5),
  ('USD', 'JPY', '2026-06-01', 150),
  ('USD', 'EUR', '2026-01-01', 0.9),      -- written, not derived from EUR->USD
  ('JPY', 'EUR', '2026-01-01', 0.0061);
INSERT INTO fx_rate VALUES ('eur', 'USD', '2026-01-01', 1.1);
INSERT INTO fx_rate VALUES ('EUR', 'US', '2026-01-01', 1.1);
INSERT INTO fx_rate VALUES ('EUR', 'EUR', '2026-01-01', 1);
INSERT INTO fx_rate VALUES ('EUR', 'USD', '2026-03-01', 0);
INSERT INTO fx_rate VALUES ('EUR', 'USD', '2026-03-01', -1.1);
INSERT INTO fx_rate VALUES ('EUR', 'USD', '2026-03-01', 'NaN');
INSERT INTO fx_rate VALUES ('EUR', 'USD', '2026-03-01', 'Infinity');
INSERT INTO fx_rate VALUES ('EUR', 'USD', 'infinity', 1.1);
INSERT INTO fx_rate VALUES ('EUR', 'USD', '2026-01-01', 1.3);
INSERT INTO fx_rate VALUES ('EUR', 'USD', NULL, 1.3);

------------------------------------------------------------------------------
-- fx_convert: one amount, once
------------------------------------------------------------------------------
SELECT x.label, fx_convert(x.amount, x.cur, x.day, x.rc) AS converted
FROM (VALUES
  -- the rate in force: the latest row on or before the day
  ('EUR 100.00 on 01-01 at 1.10',      100.00, 'EUR', DATE '2026-01-01', 'USD'),
  ('EUR 100.00 on 02-14 at 1.10',      100.00, 'EUR', DATE '2026-02-14', 'USD'),
  ('EUR 100.00 on 02-15 at 1.20',      100.00, 'EUR', DATE '2026-02-15', 'USD'),
  ('EUR 100.00 in 2030 at 1.20',       100.00, 'EUR', DATE '2030-12-31', 'USD'),
  -- half to even on an exact half of a cent: 0.165 -> 0.16, 0.055 -> 0.06
  ('EUR 0.15 at 1.10 = 0.165',           0.15, 'EUR', DATE '2026-01-01', 'USD'),
  ('EUR 0.05 at 1.10 = 0.055',           0.05, 'EUR', DATE '2026-01-01', 'USD'),
  ('EUR -0.15 at 1.10 = -0.165',        -0.15, 'EUR', DATE '2026-01-01', 'USD'),
  ('EUR -0.05 at 1.10 = -0.055',        -0.05, 'EUR', DATE '2026-01-01', 'USD'),
  ('EUR 0.16 at 1.10 = 0.176',           0.16, 'EUR', DATE '2026-01-01', 'USD'),
  ('EUR -0.16 at 1.10 = -0.176',        -0.16, 'EUR', DATE '2026-01-01', 'USD'),
  -- JPY has no minor unit, both ways
  ('JPY 150000 at 0.0067',            150000, 'JPY', DATE '2026-03-01', 'USD'),
  ('JPY 1 at 0.0067 = 0.0067',             1, 'JPY', DATE '2026-03-01', 'USD'),
  ('USD 10.07 at 150.5 = 1515.535',    10.07, 'USD', DATE '2026-03-01', 'JPY'),
  ('USD 0.03 at 150 = 4.5',             0.03, 'USD', DATE '2026-06-01', 'JPY'),
  ('USD 0.01 at 150 = 1.5',             0.01, 'USD', DATE '2026-06-01', 'JPY'),
  ('USD -0.03 at 150 = -4.5',          -0.03, 'USD', DATE '2026-06-01', 'JPY'),
  ('zero',                              0.00, 'EUR', DATE '2026-01-01', 'USD'),
  -- the same currency, or no report currency: the amount as it is, no rate needed
  ('USD in USD',                       12.34, 'USD', DATE '1990-01-01', 'USD'),
  ('no report currency',               12.34, 'GBP', DATE '1990-01-01', NULL),
  ('NULL amount',                       NULL, 'EUR', DATE '2026-01-01', 'USD')
) AS x(label, amount, cur, day, rc);
-- no rate: before the pair's first row, a pair not written (EUR->JPY: the
-- inverse of JPY->EUR is not derived), a currency without rates
SELECT fx_convert(100.00, 'EUR', '2025-12-31', 'USD');
SELECT fx_convert(100.00, 'EUR', '2026-01-01', 'JPY');
SELECT fx_convert(100.00, 'GBP', '2026-01-01', 'USD');
-- bad codes and days
SELECT fx_convert(100.00, 'EUR', '2026-01-01', 'usd');
SELECT fx_convert(100.00, 'EU', '2026-01-01', 'USD');
SELECT fx_convert(100.00, 'EUR', NULL, 'USD');
SELECT fx_convert(100.00, 'EUR', '-infinity', 'USD');

------------------------------------------------------------------------------
-- The model: Anthropic sells through three clouds in three currencies and
-- buys compute from them; it owes Google 10% of its GCP revenue, committed
-- EUR 10,000.00 of spend with Microsoft in 2026 and keeps it primary (60%).
------------------------------------------------------------------------------
INSERT INTO deal (id, name, parties, signed_on) VALUES ('fx-deal', 'fx test deal', '{anthropic,microsoft}', '2026-01-01');
INSERT INTO clause (id, deal_id, kind, holder, grantor, products, scope, valid, rate, amount, currency, min_share) VALUES
  ('fx-rs-gcp', 'fx-deal', 'revenue_share', 'google', 'anthropic', '*', 'gcp', '[2026-01-01,2027-01-01)', '10%', NULL, NULL, NULL),
  ('fx-commit', 'fx-deal', 'commitment', 'microsoft', 'anthropic', '*', NULL, '[2026-01-01,2027-01-01)', NULL, 10000.00, 'EUR', NULL),
  ('fx-primary', 'fx-deal', 'primary_partner', 'microsoft', 'anthropic', '*', NULL, '[2026-01-01,)', NULL, NULL, NULL, 0.6);
INSERT INTO revenue_flow (seller, buyer, product, channel, amount, currency, period) VALUES
  ('anthropic', NULL, 'api/claude', 'azure/eastus', 9000.00, 'USD', '[2026-01-01,2026-04-01)'),       -- 1: 100.00 a day
  ('anthropic', NULL, 'api/claude', 'aws/us-east-1', 900.00, 'USD', '[2026-01-01,2026-04-01)'),       -- 2: 10.00 a day
  ('anthropic', NULL, 'api/claude', 'aws/eu-west-1', 1000.00, 'EUR', '[2026-02-01,2026-03-01)'),      -- 3: at 1.10 (02-01)
  ('anthropic', NULL, 'api/claude', 'gcp/asia-northeast1', 150000, 'JPY', '[2026-03-01,2026-03-02)'), -- 4: 1005.00
  ('anthropic', NULL, 'api/claude', 'aws/eu-west-1', 0.15, 'EUR', '[2026-01-10,2026-01-11)'),         -- 5: 0.165 -> 0.16
  ('anthropic', NULL, 'api/claude', 'aws/eu-west-1', -100.00, 'EUR', '[2026-02-20,2026-02-21)'),      -- 6: refund at 1.20
  ('anthropic', NULL, 'api/claude', 'aws/eu-west-1', 50.00, 'EUR', '[2025-06-01,2025-06-02)'),        -- 7: no rate in 2025
  ('microsoft', 'anthropic', 'compute', 'azure/eastus', 3650.00, 'USD', '[2026-01-01,2027-01-01)'),   -- 8: 10.00 a day
  ('microsoft', 'anthropic', 'compute', 'azure/westeurope', 1000.00, 'EUR', '[2026-03-01,2026-03-11)'), -- 9: at 1.20
  ('amazon', 'anthropic', 'compute', 'aws/us-east-1', 500.00, 'USD', '[2026-02-01,2026-02-02)'),      -- 10
  ('google', 'anthropic', 'compute', 'gcp/asia-northeast1', 100000, 'JPY', '[2026-01-01,2026-01-02)'); -- 11: 670.00

------------------------------------------------------------------------------
-- revenue_report
------------------------------------------------------------------------------
-- Per currency (report_currency NULL, as before):
SELECT label, channel_owner, currency, gross, share, net
FROM revenue_report('[2026-01-01,2026-04-01)') WHERE seller = 'anthropic';
-- In USD, one row per (month, owner): January amazon 310.00 (flow 2) +
-- 0.16 (flow 5); February amazon 280.00 + 1100.00 (flow 3 at 02-01's 1.10,
-- although the rate is 1.20 from 02-15) - 120.00 (flow 6 at 1.20) =
-- 1260.00; March google 1005.00 (150000 * 0.0067), share 100.50 (10% of
-- the converted flow); microsoft 3100.00, 2800.00, 3100.00.
SELECT label, channel_owner, currency, gross, share, net
FROM revenue_report('[2026-01-01,2026-04-01)', report_currency => 'USD') WHERE seller = 'anthropic';
-- the quarter is the sum of the months, to the cent (9000 + 1880.16 + 1005.00)
SELECT label, channel_owner, currency, gross, share, net
FROM revenue_report('[2026-01-01,2026-04-01)', 'quarter', report_currency => 'USD') WHERE seller = 'anthropic';
-- NULL is the report without conversion, exactly
SELECT count(*) AS mismatches FROM (
  (SELECT * FROM revenue_report('[2026-01-01,2026-04-01)') EXCEPT ALL SELECT * FROM revenue_report('[2026-01-01,2026-04-01)', 'month', 1, NULL))
  UNION ALL
  (SELECT * FROM revenue_report('[2026-01-01,2026-04-01)', 'month', 1, NULL) EXCEPT ALL SELECT * FROM revenue_report('[2026-01-01,2026-04-01)'))) x;
-- flow 7 (2025-06-01) is outside the window above and needs no rate; a
-- report that reads it does
SELECT * FROM revenue_report('(,)', 'year', report_currency => 'USD');
SELECT * FROM revenue_report('[2026-01-01,2026-04-01)', report_currency => 'usd');
SELECT * FROM revenue_report('[2026-01-01,2026-04-01)', report_currency => 'U');
-- the arguments are checked with no flow to read as well
SELECT * FROM revenue_report('[2000-01-01,2000-02-01)', report_currency => 'Usd');

------------------------------------------------------------------------------
-- exposure
------------------------------------------------------------------------------
-- Q1 2026 in USD: amazon revenue_via 1880.16, spend 500.00 (flow 10);
-- google revenue_via 1005.00, share_payable 100.50, spend 670.00 (flow 11,
-- 100000 * 0.0067); microsoft revenue_via 9000.00, spend 900.00 (90 days of
-- flow 8) + 1200.00 (flow 9 at 1.20) = 2100.00.
SELECT label, counterparty, currency, revenue_via, share_payable, share_receivable, spend
FROM exposure('anthropic', '[2026-01-01,2026-04-01)');
SELECT label, counterparty, currency, revenue_via, share_payable, share_receivable, spend
FROM exposure('anthropic', '[2026-01-01,2026-04-01)', report_currency => 'USD');
-- google's side of the share, in USD too
SELECT label, counterparty, currency, revenue_via, share_payable, share_receivable, spend
FROM exposure('google', '[2026-01-01,2026-04-01)', report_currency => 'USD');
SELECT count(*) AS mismatches FROM (
  (SELECT * FROM exposure('anthropic', '(,)', 'month') EXCEPT ALL SELECT * FROM exposure('anthropic', '(,)', 'month', 1, NULL))
  UNION ALL
  (SELECT * FROM exposure('anthropic', '(,)', 'month', 1, NULL) EXCEPT ALL SELECT * FROM exposure('anthropic', '(,)', 'month'))) x;
SELECT * FROM exposure('anthropic', '(,)', report_currency => 'USD');
SELECT * FROM exposure('anthropic', '(,)', report_currency => 'us$');

------------------------------------------------------------------------------
-- concentration
------------------------------------------------------------------------------
-- Per currency, Amazon is "100 % of EUR" and Google "100 % of JPY" while
-- Microsoft has 9000 / 9900 = 90.91 % of USD (HHI 10000 * (9000^2 +
-- 900^2) / 9900^2 = 8347.11).
SELECT * FROM concentration('anthropic', '[2026-01-01,2026-04-01)');
-- In USD, one row: microsoft 9000.00, amazon 1880.16, google 1005.00, total
-- 11885.16; HHI = 10000 * (9000^2 + 1880.16^2 + 1005^2) / 11885.16^2 =
-- 6055.98 (high); top microsoft 9000 / 11885.16 = 0.7572.
SELECT * FROM concentration('anthropic', '[2026-01-01,2026-04-01)', 'USD');
-- in JPY only JPY flows need no rate; the USD and EUR ones do (USD->JPY is
-- written, EUR->JPY is not)
SELECT * FROM concentration('google', '(,)', 'JPY');
SELECT * FROM concentration('anthropic', '[2026-01-01,2026-04-01)', 'JPY');
SELECT * FROM concentration('anthropic', '[2026-01-01,2026-04-01)', NULL)
EXCEPT ALL SELECT * FROM concentration('anthropic', '[2026-01-01,2026-04-01)');
SELECT * FROM concentration('anthropic', '(,)', 'USD');
SELECT * FROM concentration('anthropic', '(,)', 'usd');

------------------------------------------------------------------------------
-- partner_status
------------------------------------------------------------------------------
-- On 2026-03-31 (90 days elapsed, 275 left), per currency: the EUR
-- commitment counts only the EUR spend (flow 9: 1000.00; remaining 9000.00,
-- 32.73 a day needed, 11.11 a day so far); the primary-partner test is
-- split by currency: EUR 100 %, JPY 0 % (below 60 %: Google's 100000 JPY),
-- USD 900 / (900 + 500) = 64.29 %.
SELECT * FROM partner_status('anthropic', '2026-03-31');
-- In USD: committed EUR 10000.00 at 01-01's 1.10 = 11000.00; consumed all
-- spend with Microsoft, converted per flow: 900.00 + 1200.00 = 2100.00;
-- remaining 8900.00, 8900 / 275 = 32.36 a day needed, 2100 / 90 = 23.33 so
-- far.  One primary-partner row: 2100.00 of 2100 + 500 + 670 = 3270.00 =
-- 64.22 %, not below 60 %.
SELECT * FROM partner_status('anthropic', '2026-03-31', 'USD');
-- In EUR, the commitment's own currency, the commitment is not converted,
-- and the spend in every currency counts, converted: flow 8's 3650.00 USD at
-- 0.9 = 3285.00, 90 of its 365 days = 810.00, + flow 9 1000.00 = 1810.00;
-- remaining 8190.00 (29.78 a day), 20.11 a day so far.  Primary partner:
-- 1810.00 of 1810 + 450.00 (amazon) + 610.00 (google, 100000 * 0.0061) =
-- 2870.00 = 63.07 %.
SELECT * FROM partner_status('anthropic', '2026-03-31', 'EUR');
SELECT count(*) AS mismatches FROM (
  (SELECT * FROM partner_status('anthropic', '2026-03-31') EXCEPT ALL SELECT * FROM partner_status('anthropic', '2026-03-31', NULL))
  UNION ALL
  (SELECT * FROM partner_status('anthropic', '2026-03-31', NULL) EXCEPT ALL SELECT * FROM partner_status('anthropic', '2026-03-31'))) x;
-- before the clauses start: nothing elapsed, the commitment still converted at its first day
SELECT clause_id, currency, committed, consumed, remaining, days_elapsed, partner_share
FROM partner_status('anthropic', '2025-12-31', 'USD');
-- a commitment without a first day cannot be converted
UPDATE clause SET valid = '(,2027-01-01)' WHERE id = 'fx-commit';
SELECT clause_id, currency, committed FROM partner_status('anthropic', '2026-03-31') WHERE kind = 'commitment';
SELECT * FROM partner_status('anthropic', '2026-03-31', 'USD');
UPDATE clause SET valid = '[2026-01-01,2027-01-01)' WHERE id = 'fx-commit';
SELECT * FROM partner_status('anthropic', '2026-03-31', 'usd');

------------------------------------------------------------------------------
-- Differential: revenue_report and exposure in USD against the plain-SQL
-- reference (each flow converted by the reference's own rule, then the
-- reference split of test/reference/revenue.sql), on 600 generated flows in
-- USD, EUR and JPY with rates changing every few days, and the revenue
-- shares of 6 clauses.
------------------------------------------------------------------------------
\set ECHO none
SET client_min_messages = warning;
\i test/reference/prorate.sql
\i test/reference/revenue.sql
\i test/reference/fx.sql
RESET client_min_messages;
\set ECHO all
TRUNCATE revenue_flow RESTART IDENTITY;
TRUNCATE fx_rate;
DELETE FROM clause WHERE deal_id = 'fx-deal';
INSERT INTO party (id) VALUES ('p1'), ('p2'), ('p3') ON CONFLICT DO NOTHING;
SELECT setseed(0.1414);
-- rates with 1 to 9 decimals (few decimals make exact half-cent ties
-- frequent), a new one every 1 to 20 days
INSERT INTO fx_rate (currency, quote, day, rate)
SELECT x.cur, 'USD', DATE '2023-12-01' + x.d,
       round((x.base * (0.8 + 0.4 * random()))::numeric,
             CASE x.cur WHEN 'EUR' THEN (ARRAY[1, 2, 4, 6, 9])[1 + floor(random() * 5)::int]
                        ELSE (ARRAY[3, 4, 6, 9])[1 + floor(random() * 4)::int] END)
FROM (SELECT c.cur, c.base, (sum(1 + floor(random() * 20)::int) OVER (PARTITION BY c.cur ORDER BY g))::int AS d
      FROM (VALUES ('EUR', 1.1), ('JPY', 0.0067)) c(cur, base), generate_series(1, 70) g) x;
INSERT INTO clause (id, deal_id, kind, holder, grantor, products, scope, valid, rate)
SELECT 'fx-rs-' || i, 'fx-deal', 'revenue_share', 'p' || (1 + i % 3), 'p' || (1 + (i + 1) % 3), '*',
       (ARRAY[NULL, 'azure', 'aws/*'])[1 + i % 3]::endpoint_set,
       daterange(DATE '2024-01-01' + 60 * i, DATE '2024-01-01' + 60 * i + 200),
       (ARRAY['12.5%', '{[2024-02-01,2024-11-01) 30%->0%}', '7%'])[1 + i % 3]::rate_schedule
FROM generate_series(1, 6) i;
INSERT INTO revenue_flow (seller, buyer, product, channel, amount, currency, period)
SELECT 'p' || (1 + floor(random() * 3)::int),
       (ARRAY[NULL, 'p1', 'p2', 'p3'])[1 + floor(random() * 4)::int],
       'api/x',
       (ARRAY['azure/eastus', 'aws/us-east-1', 'gcp/europe-west4', 'zz/r1'])[1 + floor(random() * 4)::int]::endpoint,
       CASE WHEN random() < 0.15 THEN -1 ELSE 1 END
         * round(floor(random() * (CASE WHEN random() < 0.2 THEN 100 ELSE 10000000 END))::numeric
                 / 10::numeric ^ minor_unit(cur), minor_unit(cur)),
       cur,
       daterange(p0, p0 + CASE WHEN random() < 0.2 THEN 1 ELSE 1 + floor(random() * 120)::int END)
FROM (SELECT (ARRAY['USD', 'EUR', 'JPY'])[1 + floor(random() * 3)::int] AS cur,
             DATE '2024-01-01' + floor(random() * 700)::int AS p0
      FROM generate_series(1, 600)) x;
-- the model is not trivial: every currency, refunds, shares, rates in force
-- from many different rows, and half-cent ties that half-up would round differently
SELECT count(*) AS flows, count(DISTINCT currency) AS currencies, count(*) FILTER (WHERE amount < 0) > 50 AS refunds,
       (SELECT count(*) FROM fx_rate) AS rates,
       count(DISTINCT dealscope_ref.fx_rate_day(currency, 'USD', lower(period))) FILTER (WHERE currency <> 'USD') > 100 AS rate_rows_used,
       count(*) FILTER (WHERE currency <> 'USD' AND dealscope_ref.fx_tie(amount, currency, lower(period), 'USD')) AS ties
FROM revenue_flow;

CREATE TEMP TABLE ext AS SELECT * FROM revenue_report('[2024-02-01,2025-12-01)', report_currency => 'USD');
CREATE TEMP TABLE ext_q AS SELECT * FROM revenue_report('(,)', 'quarter', 7, report_currency => 'USD');
CREATE TEMP TABLE ext_e AS
  SELECT p, e.* FROM unnest(ARRAY['p1', 'p2']) p, exposure(p, '[2024-03-01,2025-09-01)', report_currency => 'USD') e;
-- the reference: the flows converted in place by the reference rule, then
-- the reference reports (rolled back)
BEGIN;
SELECT dealscope_ref.convert_flows('USD') AS converted_flows;
CREATE TEMP TABLE ref ON COMMIT DROP AS SELECT * FROM dealscope_ref.revenue_report('[2024-02-01,2025-12-01)');
CREATE TEMP TABLE ref_q ON COMMIT DROP AS SELECT * FROM dealscope_ref.revenue_report('(,)', 'quarter', 7);
CREATE TEMP TABLE ref_e ON COMMIT DROP AS
  SELECT p, e.* FROM unnest(ARRAY['p1', 'p2']) p, dealscope_ref.exposure(p, '[2024-03-01,2025-09-01)') e;
SELECT (SELECT count(*) FROM ext) AS report_rows, (SELECT count(*) FROM ext WHERE share <> 0) > 20 AS with_share,
       (SELECT count(DISTINCT currency) FROM ext) AS currencies,
       (SELECT count(*) FROM (TABLE ext EXCEPT ALL TABLE ref) a) AS only_ext,
       (SELECT count(*) FROM (TABLE ref EXCEPT ALL TABLE ext) b) AS only_ref;
SELECT (SELECT count(*) FROM ext_q) AS report_rows,
       (SELECT count(*) FROM (TABLE ext_q EXCEPT ALL TABLE ref_q) a) AS only_ext,
       (SELECT count(*) FROM (TABLE ref_q EXCEPT ALL TABLE ext_q) b) AS only_ref;
SELECT (SELECT count(*) FROM ext_e) AS exposure_rows, (SELECT count(*) FROM ext_e WHERE spend <> 0) > 10 AS spend,
       (SELECT count(*) FROM (TABLE ext_e EXCEPT ALL TABLE ref_e) a) AS only_ext,
       (SELECT count(*) FROM (TABLE ref_e EXCEPT ALL TABLE ext_e) b) AS only_ref;
ROLLBACK;
-- over all time the report adds up to the flows converted one by one, to the cent
SELECT (SELECT sum(gross) FROM ext_q)
     = (SELECT sum(fx_convert(amount, currency, lower(period), 'USD')) FROM revenue_flow) AS report_sums_to_converted_flows;
DROP TABLE ext, ext_q, ext_e;

TRUNCATE revenue_flow RESTART IDENTITY;
TRUNCATE fx_rate;
DELETE FROM clause WHERE deal_id = 'fx-deal';
DELETE FROM deal WHERE id = 'fx-deal';
-- the reference is this test's: later tests load their own
SET client_min_messages = warning;
DROP SCHEMA dealscope_ref CASCADE;
RESET client_min_messages;
