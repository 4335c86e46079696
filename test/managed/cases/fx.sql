-- Reporting currency on both editions: fx_rate, fx_convert and the
-- report_currency argument of revenue_report, exposure, concentration and
-- partner_status (the hand-checked model of sql/fx.sql, then a generated one
-- compared by digest).  Everything is rolled back at the end.
\set ON_ERROR_STOP 0
SET search_path = dealscope, public;
SET datestyle = ISO, YMD;
\set SHOW_CONTEXT never

BEGIN;
\set ON_ERROR_ROLLBACK on
DELETE FROM placement_event; DELETE FROM workload; DELETE FROM clause; DELETE FROM deal;
TRUNCATE revenue_flow RESTART IDENTITY;
TRUNCATE fx_rate;

-- the table's checks
INSERT INTO fx_rate (currency, quote, day, rate) VALUES
  ('EUR', 'USD', '2026-01-01', 1.10), ('EUR', 'USD', '2026-02-15', 1.20), ('JPY', 'USD', '2026-01-01', 0.0067),
  ('USD', 'JPY', '2026-01-01', 150.5), ('USD', 'JPY', '2026-06-01', 150),
  ('USD', 'EUR', '2026-01-01', 0.9), ('JPY', 'EUR', '2026-01-01', 0.0061);
INSERT INTO fx_rate VALUES ('eur', 'USD', '2026-01-01', 1.1);
INSERT INTO fx_rate VALUES ('EUR', 'EUR', '2026-01-01', 1);
INSERT INTO fx_rate VALUES ('EUR', 'USD', '2026-03-01', 0);
INSERT INTO fx_rate VALUES ('EUR', 'USD', '2026-03-01', 'NaN');
INSERT INTO fx_rate VALUES ('EUR', 'USD', 'infinity', 1.1);
INSERT INTO fx_rate VALUES ('EUR', 'USD', '2026-01-01', 1.3);

-- fx_convert
SELECT x.label, fx_convert(x.amount, x.cur, x.day, x.rc) AS converted
FROM (VALUES
  ('02-14', 100.00, 'EUR', DATE '2026-02-14', 'USD'), ('02-15', 100.00, 'EUR', DATE '2026-02-15', 'USD'),
  ('0.165', 0.15, 'EUR', DATE '2026-01-01', 'USD'), ('0.055', 0.05, 'EUR', DATE '2026-01-01', 'USD'),
  ('-0.165', -0.15, 'EUR', DATE '2026-01-01', 'USD'), ('-0.176', -0.16, 'EUR', DATE '2026-01-01', 'USD'),
  ('JPY', 150000, 'JPY', DATE '2026-03-01', 'USD'), ('to JPY', 10.07, 'USD', DATE '2026-03-01', 'JPY'),
  ('4.5', 0.03, 'USD', DATE '2026-06-01', 'JPY'), ('-4.5', -0.03, 'USD', DATE '2026-06-01', 'JPY'),
  ('same', 12.34, 'USD', DATE '1990-01-01', 'USD'), ('none', 12.34, 'GBP', DATE '1990-01-01', NULL),
  ('null', NULL, 'EUR', DATE '2026-01-01', 'USD')
) AS x(label, amount, cur, day, rc);
SELECT fx_convert(100.00, 'EUR', '2025-12-31', 'USD');
SELECT fx_convert(100.00, 'EUR', '2026-01-01', 'JPY');
SELECT fx_convert(100.00, 'EUR', '2026-01-01', 'usd');
SELECT fx_convert(100.00, 'EU', '2026-01-01', 'USD');
SELECT fx_convert(100.00, 'EUR', NULL, 'USD');

INSERT INTO deal (id, name, parties, signed_on) VALUES ('fx-deal', 'fx test deal', '{anthropic,microsoft}', '2026-01-01');
INSERT INTO clause (id, deal_id, kind, holder, grantor, products, scope, valid, rate, amount, currency, min_share) VALUES
  ('fx-rs-gcp', 'fx-deal', 'revenue_share', 'google', 'anthropic', '*', dealscope.to_endpoint_set('gcp'), '[2026-01-01,2027-01-01)', dealscope.to_rate_schedule('10%'), NULL, NULL, NULL),
  ('fx-commit', 'fx-deal', 'commitment', 'microsoft', 'anthropic', '*', NULL, '[2026-01-01,2027-01-01)', NULL, 10000.00, 'EUR', NULL),
  ('fx-primary', 'fx-deal', 'primary_partner', 'microsoft', 'anthropic', '*', NULL, '[2026-01-01,)', NULL, NULL, NULL, 0.6);
INSERT INTO revenue_flow (seller, buyer, product, channel, amount, currency, period)
SELECT v.seller, v.buyer, v.product, dealscope.to_endpoint(v.channel), v.amount, v.currency, v.period::daterange
FROM (VALUES
  ('anthropic', NULL, 'api/claude', 'azure/eastus', 9000.00, 'USD', '[2026-01-01,2026-04-01)'),
  ('anthropic', NULL, 'api/claude', 'aws/us-east-1', 900.00, 'USD', '[2026-01-01,2026-04-01)'),
  ('anthropic', NULL, 'api/claude', 'aws/eu-west-1', 1000.00, 'EUR', '[2026-02-01,2026-03-01)'),
  ('anthropic', NULL, 'api/claude', 'gcp/asia-northeast1', 150000, 'JPY', '[2026-03-01,2026-03-02)'),
  ('anthropic', NULL, 'api/claude', 'aws/eu-west-1', 0.15, 'EUR', '[2026-01-10,2026-01-11)'),
  ('anthropic', NULL, 'api/claude', 'aws/eu-west-1', -100.00, 'EUR', '[2026-02-20,2026-02-21)'),
  ('anthropic', NULL, 'api/claude', 'aws/eu-west-1', 50.00, 'EUR', '[2025-06-01,2025-06-02)'),
  ('microsoft', 'anthropic', 'compute', 'azure/eastus', 3650.00, 'USD', '[2026-01-01,2027-01-01)'),
  ('microsoft', 'anthropic', 'compute', 'azure/westeurope', 1000.00, 'EUR', '[2026-03-01,2026-03-11)'),
  ('amazon', 'anthropic', 'compute', 'aws/us-east-1', 500.00, 'USD', '[2026-02-01,2026-02-02)'),
  ('google', 'anthropic', 'compute', 'gcp/asia-northeast1', 100000, 'JPY', '[2026-01-01,2026-01-02)')
) AS v(seller, buyer, product, channel, amount, currency, period);

SELECT label, seller, channel_owner, currency, gross, share, net FROM revenue_report('[2026-01-01,2026-04-01)');
SELECT label, seller, channel_owner, currency, gross, share, net FROM revenue_report('[2026-01-01,2026-04-01)', report_currency => 'USD');
SELECT label, seller, channel_owner, currency, gross, share, net FROM revenue_report('[2026-01-01,2026-04-01)', 'quarter', 7, 'EUR');
SELECT * FROM revenue_report('(,)', 'year', report_currency => 'USD');
SELECT * FROM revenue_report('[2026-01-01,2026-04-01)', report_currency => 'usd');
SELECT * FROM revenue_report('[2000-01-01,2000-02-01)', report_currency => 'U');
SELECT label, counterparty, currency, revenue_via, share_payable, share_receivable, spend
FROM exposure('anthropic', '[2026-01-01,2026-04-01)', report_currency => 'USD');
SELECT label, counterparty, currency, revenue_via, share_payable, share_receivable, spend
FROM exposure('google', '[2026-01-01,2026-04-01)', 'month', 1, 'USD');
SELECT * FROM exposure('anthropic', '(,)', report_currency => 'USD');
SELECT * FROM exposure('anthropic', '(,)', report_currency => 'us$');
SELECT * FROM concentration('anthropic', '[2026-01-01,2026-04-01)');
SELECT * FROM concentration('anthropic', '[2026-01-01,2026-04-01)', 'USD');
SELECT * FROM concentration('anthropic', '[2026-01-01,2026-04-01)', 'JPY');
SELECT * FROM concentration('anthropic', '(,)', 'usd');
SELECT * FROM partner_status('anthropic', '2026-03-31');
SELECT * FROM partner_status('anthropic', '2026-03-31', 'USD');
SELECT * FROM partner_status('anthropic', '2026-03-31', 'EUR');
SELECT * FROM partner_status('anthropic', '2025-12-31', 'USD');
UPDATE clause SET valid = '(,2027-01-01)' WHERE id = 'fx-commit';
SELECT * FROM partner_status('anthropic', '2026-03-31', 'USD');
SELECT * FROM partner_status('anthropic', '2026-03-31', 'usd');

-- a generated model: 400 flows in USD, EUR and JPY, rates of 1 to 9
-- decimals changing every 1 to 20 days, revenue shares; digests of the reports
TRUNCATE revenue_flow RESTART IDENTITY;
TRUNCATE fx_rate;
DELETE FROM clause;
INSERT INTO party (id) VALUES ('p1'), ('p2'), ('p3') ON CONFLICT DO NOTHING;
SELECT setseed(0.2718);
INSERT INTO fx_rate (currency, quote, day, rate)
SELECT x.cur, x.q, DATE '2023-12-01' + x.d,
       round((x.base * (0.8 + 0.4 * random()))::numeric, (ARRAY[1, 2, 4, 6, 9])[1 + floor(random() * 5)::int] + x.extra)
FROM (SELECT c.cur, c.q, c.base, c.extra, (sum(1 + floor(random() * 20)::int) OVER (PARTITION BY c.cur, c.q ORDER BY g))::int AS d
      FROM (VALUES ('EUR', 'USD', 1.1, 0), ('JPY', 'USD', 0.0067, 2), ('USD', 'EUR', 0.9, 0), ('JPY', 'EUR', 0.0061, 2))
           c(cur, q, base, extra), generate_series(1, 70) g) x;
INSERT INTO clause (id, deal_id, kind, holder, grantor, products, scope, valid, rate)
SELECT 'fx-rs-' || i, 'fx-deal', 'revenue_share', 'p' || (1 + i % 3), 'p' || (1 + (i + 1) % 3), '*',
       dealscope.to_endpoint_set((ARRAY['*', 'azure', 'aws/*'])[1 + i % 3]),
       daterange(DATE '2024-01-01' + 60 * i, DATE '2024-01-01' + 60 * i + 200),
       dealscope.to_rate_schedule((ARRAY['12.5%', '{[2024-02-01,2024-11-01) 30%->0%}', '7%'])[1 + i % 3])
FROM generate_series(1, 6) i;
INSERT INTO clause (id, deal_id, kind, holder, grantor, products, valid, amount, currency, min_share) VALUES
  ('fx-c1', 'fx-deal', 'commitment', 'microsoft', 'p1', '*', '[2024-01-01,2025-01-01)', 50000.00, 'EUR', NULL),
  ('fx-pp', 'fx-deal', 'primary_partner', 'microsoft', 'p1', '*', '[2024-02-01,)', NULL, NULL, 0.5);
INSERT INTO revenue_flow (seller, buyer, product, channel, amount, currency, period)
SELECT (ARRAY['p1', 'p2', 'p3', 'microsoft', 'amazon'])[1 + floor(random() * 5)::int],
       (ARRAY[NULL, 'p1', 'p2', 'p3'])[1 + floor(random() * 4)::int],
       'api/x',
       dealscope.to_endpoint((ARRAY['azure/eastus', 'aws/us-east-1', 'gcp/europe-west4', 'zz/r1'])[1 + floor(random() * 4)::int]),
       CASE WHEN random() < 0.15 THEN -1 ELSE 1 END
         * round(floor(random() * (CASE WHEN random() < 0.2 THEN 100 ELSE 10000000 END))::numeric
                 / 10::numeric ^ minor_unit(cur), minor_unit(cur)),
       cur,
       daterange(p0, p0 + CASE WHEN random() < 0.2 THEN 1 ELSE 1 + floor(random() * 120)::int END)
FROM (SELECT (ARRAY['USD', 'EUR', 'JPY'])[1 + floor(random() * 3)::int] AS cur,
             DATE '2024-01-01' + floor(random() * 700)::int AS p0
      FROM generate_series(1, 400)) x;
SELECT count(*) AS flows, count(DISTINCT currency) AS currencies, (SELECT count(*) FROM fx_rate) AS rates FROM revenue_flow;
CREATE FUNCTION t.digest(q text) RETURNS text LANGUAGE sql AS $$
    SELECT count(*) || ' ' || coalesce(md5(string_agg(r, E'\n' ORDER BY n)), '-')
    FROM t.rows(q) WITH ORDINALITY AS x(r, n)
$$;
SELECT t.digest('SELECT * FROM dealscope.revenue_report(''[2024-02-01,2025-12-01)'', report_currency => ''USD'')') AS report_usd;
SELECT t.digest('SELECT * FROM dealscope.revenue_report(''(,)'', ''quarter'', 7, ''EUR'')') AS report_eur;
SELECT t.digest('SELECT * FROM dealscope.revenue_report(''(,)'', ''week'', 1, ''USD'')') AS report_weekly;
SELECT sum(gross) = (SELECT sum(fx_convert(amount, currency, lower(period), 'USD')) FROM revenue_flow) AS sums_to_flows
FROM revenue_report('(,)', 'quarter', 1, 'USD');
SELECT p, t.digest(format('SELECT * FROM dealscope.exposure(%L, ''[2024-03-01,2025-09-01)'', ''month'', 1, ''USD'')', p)) AS exposure_usd
FROM unnest(ARRAY['p1', 'p2', 'p3']) p;
SELECT p, c.* FROM unnest(ARRAY['p1', 'p2', 'p3', 'microsoft']) p, concentration(p, '[2024-03-01,2025-03-01)', 'USD') c;
SELECT p, c.* FROM unnest(ARRAY['p1', 'p2']) p, concentration(p, '[2024-03-01,2025-03-01)', 'EUR') c;
SELECT * FROM partner_status('p1', '2024-09-30', 'USD');
SELECT * FROM partner_status('p1', '2024-09-30', 'EUR');
SELECT * FROM partner_status('p1', '2024-09-30');
ROLLBACK;
