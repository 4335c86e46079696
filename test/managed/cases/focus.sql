-- load_focus on both editions: the same export, the same flows, the same
-- errors (the function is shared SQL; this checks it composes alike with
-- each edition's minor_unit, endpoint type and prorate)
SET search_path = dealscope, public;
BEGIN;
DELETE FROM placement_event; DELETE FROM workload; DELETE FROM clause; DELETE FROM deal;
TRUNCATE revenue_flow RESTART IDENTITY;
CREATE TEMP TABLE f (
    "ProviderName" text, "RegionId" text, "ServiceName" text, "BillingCurrency" text,
    "ChargePeriodStart" timestamptz, "ChargePeriodEnd" timestamptz, "BilledCost" numeric, "EffectiveCost" numeric);
INSERT INTO f VALUES
    ('Microsoft', 'eastus', 'Virtual Machines', 'USD', '2026-07-01T00:00Z', '2026-07-01T08:00Z', 1200.125, 1200.125),
    ('Microsoft', 'eastus', 'Virtual Machines', 'USD', '2026-07-01T08:00Z', '2026-07-02T00:00Z', 2399.88, 2399.88),
    ('Microsoft', 'eastus', 'Bandwidth', 'USD', '2026-07-02T13:00Z', '2026-07-02T14:00Z', 0.008, 0.008),
    ('Microsoft', NULL, 'Virtual Machines', 'USD', '2026-07-01T00:00Z', '2026-07-02T00:00Z', 900.00, 0),
    ('Microsoft', 'westeurope', 'Virtual Machines', 'USD', '2026-07-01T00:00Z', '2026-07-04T00:00Z', 0, 900.00),
    ('Microsoft', NULL, 'Support', 'USD', '2026-07-01T00:00Z', '2026-08-01T00:00Z', 100.00, 100.00),
    ('AWS', 'us-east-1', 'Amazon Elastic Compute Cloud', 'JPY', '2026-07-01T00:00Z', '2026-07-02T00:00Z', 100.5, 100.5),
    ('AWS', 'us-east-1', 'Amazon Elastic Compute Cloud', 'JPY', '2026-07-02T00:00Z', '2026-07-03T00:00Z', 100.5, 100.5),
    ('AWS', 'eu-central-1', 'Amazon Elastic Compute Cloud', 'JPY', '2026-07-03T23:00Z', '2026-07-04T01:00Z', -7.4, -7.4);
INSERT INTO deal (id, name, parties) VALUES ('d', 'focus case', '{openai,microsoft}');
INSERT INTO clause (id, deal_id, kind, holder, grantor, valid, amount, currency) VALUES
    ('c-azure', 'd', 'commitment', 'microsoft', 'openai', '[2026-07-01,2026-10-01)', 100000, 'USD');
SELECT t.try($$load_focus('f', 'openai')$$);
SELECT t.rows($$SELECT id, seller, buyer, product, channel, amount, currency, period FROM revenue_flow ORDER BY id$$);
SELECT t.rows($$SELECT label, consumed, cumulative FROM commitment_burndown('c-azure', 'month', 1, '2026-09-30')$$);
SELECT t.rows($$SELECT clause_id, consumed, remaining FROM partner_status('openai', '2026-07-02')$$);
SELECT t.try($$load_focus('f', 'openai')$$);
SELECT t.try($$load_focus('f', 'openai', 'EffectiveCost', replace => true)$$);
SELECT t.rows($$SELECT seller, product, channel, amount, currency, period FROM revenue_flow ORDER BY id$$);
-- bad rows and arguments
UPDATE f SET "ProviderName" = 'Alibaba Cloud' WHERE "ServiceName" = 'Support';
SELECT t.try($$load_focus('f', 'openai')$$);
UPDATE f SET "ProviderName" = 'Microsoft', "RegionId" = 'East US' WHERE "ServiceName" = 'Support';
SELECT t.try($$load_focus('f', 'openai')$$);
UPDATE f SET "RegionId" = NULL, "BillingCurrency" = 'usd' WHERE "ServiceName" = 'Support';
SELECT t.try($$load_focus('f', 'openai')$$);
UPDATE f SET "BillingCurrency" = 'USD', "ChargePeriodEnd" = "ChargePeriodStart" WHERE "ServiceName" = 'Support';
SELECT t.try($$load_focus('f', 'openai')$$);
UPDATE f SET "ChargePeriodEnd" = '2026-08-01T00:00Z', "BilledCost" = NULL WHERE "ServiceName" = 'Support';
SELECT t.try($$load_focus('f', 'openai')$$);
SELECT t.try($$load_focus('f', 'openai', 'ListCost')$$);
SELECT t.try($$load_focus(NULL, 'openai')$$);
SELECT t.try($$load_focus('f', 'OpenAI')$$);
SELECT t.try($$load_focus('f', 'openai', provider_map => '{"Alibaba Cloud": "alibaba"}')$$);
SELECT t.try($$(SELECT count(*) FROM revenue_flow)$$);
ROLLBACK;
