SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS dealscope;
RESET client_min_messages;
SET search_path = dealscope, public;
SET datestyle = ISO, YMD;
\set SHOW_CONTEXT never

-- commitment_burndown and obligations_due on a small hand-checked model.
-- Everything is rolled back at the end.
BEGIN;
\set ON_ERROR_ROLLBACK on
DELETE FROM placement_event; DELETE FROM workload; DELETE FROM clause; DELETE FROM deal;
TRUNCATE revenue_flow RESTART IDENTITY;
INSERT INTO deal (id, name, parties) VALUES ('d', 'obligations test deal', '{openai,microsoft,amazon}');
-- openai commits to spend 1,200.00 USD with microsoft in 2026 (365 days)
INSERT INTO clause (id, deal_id, kind, holder, grantor, valid, amount, currency) VALUES
    ('c-usd', 'd', 'commitment', 'microsoft', 'openai', '[2026-01-01,2027-01-01)', 1200, 'USD'),
    ('c-jpy', 'd', 'commitment', 'amazon', 'openai', '[2026-03-01,2026-06-01)', 9000, 'JPY'),
    ('c-open', 'd', 'commitment', 'amazon', 'openai', '[2026-03-01,)', 1, 'USD');
INSERT INTO revenue_flow (seller, buyer, product, channel, amount, currency, period) VALUES
    ('microsoft', 'openai', 'compute', 'azure/eastus', 310.00, 'USD', '[2026-01-01,2026-02-01)'),
    ('microsoft', 'openai', 'compute', 'azure/eastus', 280.00, 'USD', '[2026-02-01,2026-03-01)'),
    -- 91 days, 60 of them in the term: its part in the term is 395.60
    -- (600.00 x 60/91 = 395.604..., the missing cent goes to December's
    -- larger remainder), split 204.40 / 184.61 / 6.59 over Jan / Feb / Mar
    -- (39560 x 31/60, x 28/60, x 1/60 cents = .33 each: the cent to January)
    ('microsoft', 'openai', 'compute', 'azure/eastus', 600.00, 'USD', '[2025-12-01,2026-03-02)'),
    -- not counted: another currency, another seller, another buyer, after on_date
    ('microsoft', 'openai', 'compute', 'azure/eastus', 50.00, 'EUR', '[2026-01-01,2026-02-01)'),
    ('amazon', 'openai', 'compute', 'aws/us-east-1', 70.00, 'USD', '[2026-01-01,2026-02-01)'),
    ('microsoft', 'amazon', 'compute', 'azure/eastus', 90.00, 'USD', '[2026-01-01,2026-02-01)'),
    ('microsoft', 'openai', 'compute', 'azure/eastus', 1000.00, 'USD', '[2026-04-01,2026-05-01)'),
    ('amazon', 'openai', 'compute', 'aws/us-east-1', 3000, 'JPY', '[2026-03-01,2026-04-01)');

-- Jan 514.40 = 310.00 + 204.40; Feb 464.61 = 280.00 + 184.61; Mar 6.59 (to
-- the 15th); later months are not known yet on 2026-03-15.  Required at the
-- end of January: 1200 x 31/365 = 101.92; of February 1200 x 59/365 =
-- 193.97; of March 1200 x 90/365 = 295.89.  Trailing rate at the end of
-- January: the 31 days of the term so far, 310.00 + 204.39 (the flow's part
-- in that window) = 514.39 / 31 = 16.59 a day.
SELECT * FROM commitment_burndown('c-usd', 'month', 1, '2026-03-15');
-- quarters, and after the term's end (every slice known)
SELECT * FROM commitment_burndown('c-usd', 'quarter', 1, '2027-06-30');
-- the cumulative at the term's end is to the cent the spend inside the term
SELECT (SELECT cumulative FROM commitment_burndown('c-usd', 'day', 1, '2027-06-30') ORDER BY slice_start DESC LIMIT 1)
     = (SELECT sum(prorate_within(amount, period, currency, '[2026-01-01,2027-01-01)'))
        FROM revenue_flow WHERE buyer = 'openai' AND seller = 'microsoft' AND currency = 'USD') AS exact;
-- a currency without minor units, fiscal quarters; zero prints with the scale
SELECT * FROM commitment_burndown('c-jpy', 'quarter', 7, '2026-05-01');
SELECT label, consumed, cumulative FROM commitment_burndown('c-usd', 'month', 1, '2025-12-31') LIMIT 2;
-- before the term starts nothing is consumed yet, even in the slice that holds its first day
SELECT label, consumed, cumulative, trailing_90d_daily, shortfall FROM commitment_burndown('c-jpy', 'quarter', 1, '2026-02-15') LIMIT 2;
-- after the term, a term ending inside a slice: met in full, no shortfall
INSERT INTO clause (id, deal_id, kind, holder, grantor, valid, amount, currency) VALUES
    ('c-mid', 'd', 'commitment', 'amazon', 'openai', '[2026-01-15,2026-04-15)', 70, 'USD');
SELECT label, consumed, cumulative, projected_end, shortfall FROM commitment_burndown('c-mid', 'month', 1, '2026-12-01');
-- an infinite bound is no bounded term either
INSERT INTO clause (id, deal_id, kind, holder, grantor, valid, amount, currency) VALUES
    ('c-inf', 'd', 'commitment', 'amazon', 'openai', '[2026-01-15,infinity)', 1, 'USD');
SELECT * FROM commitment_burndown('c-inf');
-- errors
SELECT * FROM commitment_burndown('nope');
SELECT * FROM commitment_burndown(NULL);
SELECT * FROM commitment_burndown('c-open');
SELECT * FROM commitment_burndown('c-usd', 'fortnight');
SELECT * FROM commitment_burndown('c-usd', 'month', 13);
SELECT * FROM commitment_burndown('c-usd', 'month', 1, NULL);
SELECT * FROM commitment_burndown('c-usd', 'month', 1, 'infinity');
INSERT INTO clause (id, deal_id, kind, holder, grantor, scope, valid) VALUES
    ('excl', 'd', 'exclusivity', 'microsoft', 'openai', 'azure', '[2025-01-01,2026-04-28)');
SELECT * FROM commitment_burndown('excl');

-- obligations_due: a pending first-refusal offer, a first launch's wait,
-- clauses ending
INSERT INTO clause (id, deal_id, kind, holder, grantor, scope, valid, window_days) VALUES
    ('rofr', 'd', 'rofr', 'microsoft', 'openai', 'azure', '[2026-01-01,)', 30);
INSERT INTO clause (id, deal_id, kind, holder, grantor, scope, valid, lag_days) VALUES
    ('fl', 'd', 'first_launch', 'microsoft', 'openai', 'azure', '[2026-01-01,2026-12-01)', 14);
INSERT INTO clause (id, deal_id, kind, holder, grantor, valid, rate) VALUES
    ('rs', 'd', 'revenue_share', 'microsoft', 'openai', '[2025-01-01,2026-05-01)', '20%');
INSERT INTO workload VALUES
    ('w-pending', 'openai', 'api/a', NULL, '2026-03-01'),
    ('w-declined', 'openai', 'api/b', NULL, '2026-03-01'),
    ('w-launched', 'openai', 'api/c', NULL, '2026-03-01');
INSERT INTO placement_event VALUES
    ('w-pending', 'offer', 'microsoft', NULL, '2026-03-10'),
    ('w-declined', 'offer', 'microsoft', NULL, '2026-03-05'),
    ('w-declined', 'decline', 'microsoft', NULL, '2026-03-05'),
    ('w-launched', 'launch', NULL, 'azure/eastus', '2026-03-20'),
    ('w-launched', 'launch', NULL, 'aws/us-east-1', '2026-04-10');
SELECT * FROM obligations_due('90 days', '2026-03-15');
-- a shorter horizon; the day itself counts
SELECT due_on, obligation, clause_id, workload_id FROM obligations_due('0 days', '2026-04-09');
SELECT due_on, obligation, clause_id, workload_id FROM obligations_due('1 month', '2026-03-31');
-- errors
SELECT * FROM obligations_due(NULL);
SELECT * FROM obligations_due('-1 day');
SELECT * FROM obligations_due('1 day', NULL);
ROLLBACK;
