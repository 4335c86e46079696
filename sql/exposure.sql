SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS dealscope;
RESET client_min_messages;
SET search_path = dealscope, public;
SET datestyle = ISO, YMD;
\set SHOW_CONTEXT never

-- exposure, concentration and partner_status on a small hand-checked model.
-- The test owns revenue_flow: it starts and ends empty.
TRUNCATE revenue_flow RESTART IDENTITY;
DELETE FROM clause WHERE deal_id = 'ex-deal';
DELETE FROM deal WHERE id = 'ex-deal';
-- every party the rows below name is registered (dealscope.party)
INSERT INTO party (id) VALUES ('acme') ON CONFLICT DO NOTHING;

INSERT INTO deal (id, name, parties, signed_on) VALUES ('ex-deal', 'test deal', '{openai,microsoft}', '2026-04-28');
INSERT INTO clause (id, deal_id, kind, holder, grantor, products, scope, valid, rate, amount, currency, min_share) VALUES
  -- openai owes microsoft 20% until the amendment, then a share winding down over a year
  ('ex-rs-pre', 'ex-deal', 'revenue_share', 'microsoft', 'openai', '*', NULL, '[2025-01-01,2026-04-28)', '20%', NULL, NULL, NULL),
  ('ex-rs-post', 'ex-deal', 'revenue_share', 'microsoft', 'openai', '*', NULL, '[2026-04-28,2027-04-28)',
   '{[2026-04-28,2027-04-28) 20%->0%}', NULL, NULL, NULL),
  -- microsoft owes openai 20% of its Azure OpenAI sales until the amendment
  ('ex-rs-msft', 'ex-deal', 'revenue_share', 'openai', 'microsoft', 'azure-openai/*', 'azure', '[2025-01-01,2026-04-28)', '20%', NULL, NULL, NULL),
  -- openai committed to spend 1000.00 USD with microsoft in 2026 and keeps it primary
  ('ex-commit', 'ex-deal', 'commitment', 'microsoft', 'openai', '*', NULL, '[2026-01-01,2027-01-01)', NULL, 1000.00, 'USD', NULL),
  ('ex-primary', 'ex-deal', 'primary_partner', 'microsoft', 'openai', '*', NULL, '[2026-04-28,)', NULL, NULL, NULL, 0.6);

INSERT INTO revenue_flow (seller, buyer, product, channel, amount, currency, period) VALUES
  ('openai', NULL, 'api/gpt-5', 'azure/eastus', 9000.00, 'USD', '[2026-01-01,2026-10-01)'),           -- 1
  ('openai', NULL, 'chatgpt/plus', 'openai/global/api', 3000.00, 'USD', '[2026-01-01,2026-07-01)'),   -- 2: own channel
  ('openai', NULL, 'api/gpt-5', 'aws/us-east-1/bedrock', 1500.00, 'USD', '[2026-05-01,2026-08-01)'),  -- 3
  ('microsoft', 'acme', 'azure-openai/gpt-5', 'azure/eastus', 4000.00, 'USD', '[2026-01-01,2026-07-01)'), -- 4
  ('microsoft', 'openai', 'compute', 'azure/eastus', 1200.00, 'USD', '[2026-01-01,2026-07-01)'),       -- 5: spend
  ('amazon', 'openai', 'compute', 'aws/us-east-1', 600.00, 'USD', '[2026-03-01,2026-09-01)'),          -- 6: spend
  ('openai', 'acme', 'api/gpt-5', 'azure/eastus', -100.00, 'USD', '[2026-05-05,2026-05-06)'),         -- 7: refund
  ('openai', NULL, 'api/gpt-5', 'gcp/europe-west4/vertex', 800.00, 'EUR', '[2026-02-01,2026-06-01)'); -- 8

------------------------------------------------------------------------------
-- exposure
------------------------------------------------------------------------------
-- OpenAI, calendar quarters.  Q1 (90 of flow 1's 273 days): revenue via
-- microsoft 9000 * 90/273 = 2967.03; payable in USD 20% of OpenAI's Q1 USD
-- revenue on every channel (flows 1 and 2: 2967.03 + 1491.71, rounded per
-- flow: 593.41 + 298.34 = 891.75), in EUR 20% of flow 8's 393.33 = 78.67;
-- receivable 20% of Microsoft's 4000 * 90/181 = 397.79; spend 1200 * 90/181
-- = 596.69.  Q2: the refund (-100.00) and the ramp from 04-28.  OpenAI's own
-- channel (openai/global/api) never makes OpenAI its own counterparty.
SELECT * FROM exposure('openai', '[2026-01-01,2027-01-01)');
-- Microsoft's fiscal year (July): the same money, cut at FY boundaries
SELECT label, counterparty, currency, revenue_via, share_payable, share_receivable, spend
FROM exposure('openai', '[2026-01-01,2027-01-01)', 'quarter', 7);
-- Microsoft's side is the mirror image
SELECT label, counterparty, currency, revenue_via, share_payable, share_receivable, spend
FROM exposure('microsoft', '[2026-01-01,2027-01-01)');
SELECT count(*) AS mismatches FROM (
  (SELECT slice_start, currency, share_payable, share_receivable FROM exposure('openai', '(,)', 'month')
   WHERE counterparty = 'microsoft'
   EXCEPT ALL
   SELECT slice_start, currency, share_receivable, share_payable FROM exposure('microsoft', '(,)', 'month')
   WHERE counterparty = 'openai')) x;
-- the payable share matches revenue_report's share on OpenAI's flows
SELECT (SELECT sum(share_payable) FROM exposure('openai', '(,)', 'year') WHERE currency = 'USD')
     = (SELECT sum(share) FROM revenue_report('(,)', 'year') WHERE seller = 'openai' AND currency = 'USD') AS agrees;
-- a party that is not registered is an error (an empty answer would read as
-- "no exposure"); a registered party nobody deals with answers nothing
SELECT * FROM exposure('nobody', '(,)');
SELECT * FROM exposure('OpenAI', '(,)');
SELECT * FROM exposure(NULL, '(,)');
INSERT INTO party (id) VALUES ('idle-co') ON CONFLICT DO NOTHING;
SELECT * FROM exposure('idle-co', '(,)');
-- require_party is the check the party questions share; argname names the
-- argument in the message
SELECT 'registered' AS openai FROM (SELECT require_party('openai')) AS x;
SELECT require_party(' OpenAI ', 'seller');
SELECT require_party(NULL, 'seller');

-- exposure_agg, what exposure() is built on: every figure in one pass,
-- kind 1 revenue per provider, 2 share owed per holder, 3 share owed to the
-- party per seller, 4 spend per seller (rows not involving the party add nothing)
SELECT c.kind, c.party, c.provider, c.label, c.currency, c.gross, c.share
FROM unnest((SELECT exposure_agg('openai', seller, buyer, product, channel, amount, currency, period, 'half', 1, NULL)
             FROM revenue_flow)) c
ORDER BY c.kind, c.party, c.provider, c.currency, c.slice_start;
-- the window keeps the flows overlapping it; a NULL party or seller adds
-- nothing; no rows or nothing in the window: NULL
SELECT c.kind, c.party, c.provider, c.label, c.gross, c.share
FROM unnest((SELECT exposure_agg('openai', seller, buyer, product, channel, amount, currency, period, 'year', 1,
                                 '[2026-07-15,2026-07-16)') FROM revenue_flow)) c
ORDER BY c.kind, c.party, c.provider, c.currency;
SELECT exposure_agg(NULL, seller, buyer, product, channel, amount, currency, period, 'year', 1, NULL) IS NULL AS null_party,
       exposure_agg('openai', seller, buyer, product, channel, amount, currency, period, 'year', 1, '[2030-01-01,)') IS NULL AS outside,
       (SELECT exposure_agg('openai', seller, buyer, product, channel, amount, currency, period, 'year', 1, NULL)
        FROM revenue_flow WHERE false) IS NULL AS no_rows
FROM revenue_flow;
-- a row without a channel still counts as spend (kind 4), not as revenue
SELECT c.kind, c.party, c.provider, c.label, c.gross, c.share
FROM unnest((SELECT exposure_agg('openai', s, b, 'p', ch::endpoint, 10.00, 'USD', '[2026-01-01,2026-01-02)', 'month', 1, NULL)
             FROM (VALUES ('amazon', 'openai', NULL), ('openai', NULL, NULL), (NULL, 'openai', 'aws/x')) v(s, b, ch))) c;
SELECT exposure_agg('openai', 'openai', NULL, 'p', 'aws/x', 1.00, 'USD', '[2026-01-01,2026-01-02)', 'month', 13, NULL);

------------------------------------------------------------------------------
-- concentration
------------------------------------------------------------------------------
-- H1 2026 in USD: microsoft 9000 * 181/273 - 100 = 5867.03 (flow 1 split
-- at 07-01 plus the refund), openai (own channel) 3000.00, amazon 1500 *
-- 61/92 = 994.57; total 9861.60; HHI = 10000 * (5867.03^2 + 3000^2 +
-- 994.57^2) / 9861.60^2 = 4566.65 -> high; top microsoft 5867.03 / 9861.60.
SELECT * FROM concentration('openai', '[2026-01-01,2026-07-01)');
-- all of time, and a window with only the azure flow
SELECT * FROM concentration('openai', '(,)');
SELECT * FROM concentration('openai', '[2026-08-01,2026-09-01)');
SELECT * FROM concentration('nobody', '(,)');

------------------------------------------------------------------------------
-- partner_status
------------------------------------------------------------------------------
-- On 2026-06-30: 181 days of the commitment elapsed, 184 left; consumed =
-- flow 5 (all of it by 06-30) = 1200.00, so nothing remains.  Primary
-- partner since 04-28 (64 days): spend with microsoft 1200 * 64/181 = 424.31
-- of 424.31 + 600 * 64/184 = 208.70 -> 67.03% >= 60%.
SELECT * FROM partner_status('openai', '2026-06-30');
-- Earlier: 2026-02-15 (46 days, 319 left); the primary_partner clause has
-- not started: no spend in its window.
SELECT * FROM partner_status('openai', '2026-02-15');
-- Later, with amazon's spend growing the share falls below 60%
UPDATE revenue_flow SET amount = 6000.00 WHERE seller = 'amazon';
SELECT clause_id, currency, consumed, partner_share, min_share, below_min_share
FROM partner_status('openai', '2026-08-31') WHERE kind = 'primary_partner';
SELECT * FROM partner_status('nobody');

------------------------------------------------------------------------------
-- Bad arguments
------------------------------------------------------------------------------
SELECT * FROM exposure(NULL, '(,)');
SELECT * FROM exposure('openai', 'empty');
SELECT * FROM exposure('openai', '(,)', 'decade');
SELECT * FROM exposure('openai', '(,)', 'quarter', 0);
SELECT * FROM concentration('openai', 'empty');
SELECT * FROM concentration(NULL, '(,)');
SELECT * FROM partner_status('openai', 'infinity');
SELECT * FROM partner_status(NULL);

TRUNCATE revenue_flow RESTART IDENTITY;
DELETE FROM clause WHERE deal_id = 'ex-deal';
DELETE FROM deal WHERE id = 'ex-deal';
