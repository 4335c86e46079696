SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS dealscope;
RESET client_min_messages;
SET search_path = dealscope, public;
SET datestyle = ISO, YMD;
SET timezone = 'UTC';
\set SHOW_CONTEXT never

-- load_focus: a FOCUS export becomes spend flows.  Everything is rolled back.
BEGIN;
\set ON_ERROR_ROLLBACK on
DELETE FROM placement_event; DELETE FROM workload; DELETE FROM clause; DELETE FROM deal;
TRUNCATE revenue_flow RESTART IDENTITY;

-- the synthetic sample of examples/, staged as examples/focus_load.sql does
CREATE TEMP TABLE focus_stage (
    "BillingAccountId" text, "BillingCurrency" text, "BillingPeriodStart" timestamptz, "BillingPeriodEnd" timestamptz,
    "ChargeCategory" text, "ChargeDescription" text, "ChargePeriodStart" timestamptz, "ChargePeriodEnd" timestamptz,
    "ProviderName" text, "InvoiceIssuerName" text, "RegionId" text, "RegionName" text, "ServiceCategory" text,
    "ServiceName" text, "CommitmentDiscountId" text, "CommitmentDiscountType" text,
    "BilledCost" numeric, "EffectiveCost" numeric);
\getenv abs_srcdir PG_ABS_SRCDIR
\set sample :abs_srcdir '/examples/focus_sample.csv'
COPY focus_stage FROM :'sample' WITH (FORMAT csv, HEADER true);

-- 40 charges -> 25 flows (the one Savings-Plan-covered day of EC2 in
-- eu-central-1 bills 0.00: no flow).  Hand-checked, USD (microsoft):
--   eastus VMs 1 July: 1200.125 + 1200.125 + 1199.755 = 3600.005 (three
--     8-hour rows, the last ending at midnight, exclusive: 1 July only);
--   2 July 3650.00 - 150.00 credit = 3500.00; 3 July 3700.00;
--   bandwidth 2 July 0.004 + 0.004 = 0.008 (two sub-day rows: that day);
--   bandwidth 23:00 3 July - 01:00 4 July 0.02: days 3 and 4 July;
--   the reservation bought 1 July, no region: azure/global 900.00; the
--   usage it covers bills 0.00, on demand 40.00 a day in westeurope;
--   support for the month [1 July, 1 August) 100.00, a one-hour credit -50.00.
--   Total 12246.283 -> 12246.28: the flows' whole cents sum to 12246.27,
--   the one cent missing goes to the largest remainder, 0.8 cent (bandwidth
--   0.008 -> 0.01), not to 0.5 cent (3600.005 -> 3600.00).
-- EUR (amazon): us-east-1 EC2 1 July 4 x 200.00375 = 800.015, 3 July
--   840.00 - 40.00 = 800.00; the Savings Plan fee (no region) 210.00 a day
--   on aws/global; eu-central-1 EC2 2 July 12.345 x 2 = 24.69, 3 July
--   9.875.  Total 3251.23: whole cents 3251.22, one cent missing, the two
--   remainders are 0.5 each, the earlier day takes it: 800.02 and 9.87.
SELECT load_focus('focus_stage', 'openai') AS flows;
SELECT id, seller, buyer, product, channel, amount, currency, period FROM revenue_flow ORDER BY id;
-- per seller and currency the flows sum to the cost column's total rounded half to even
SELECT f.seller, f.currency, f.flows, f.total, s.billed, round(s.billed, 2) = f.total AS to_the_cent
FROM (SELECT seller, currency, count(*) AS flows, sum(amount) AS total FROM revenue_flow GROUP BY 1, 2) f
JOIN (SELECT CASE "ProviderName" WHEN 'AWS' THEN 'amazon' ELSE 'microsoft' END AS seller, "BillingCurrency" AS currency,
             sum("BilledCost") AS billed FROM focus_stage GROUP BY 1, 2) s USING (seller, currency)
ORDER BY 1;
-- per provider, region and day
SELECT provider(channel) AS provider, region(channel) AS region, lower(period) AS day, currency, sum(amount)
FROM revenue_flow GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3;

-- the commitments consume the flows: openai commits 1,000,000.00 USD with
-- microsoft for a year and 10,000.00 EUR with amazon for a quarter
INSERT INTO deal (id, name, parties) VALUES ('d', 'focus test deal', '{openai,microsoft,amazon}');
INSERT INTO clause (id, deal_id, kind, holder, grantor, valid, amount, currency) VALUES
    ('c-azure', 'd', 'commitment', 'microsoft', 'openai', '[2026-07-01,2027-07-01)', 1000000, 'USD'),
    ('c-aws', 'd', 'commitment', 'amazon', 'openai', '[2026-07-01,2026-10-01)', 10000, 'EUR');
-- by 31 July the whole export: 12246.28 USD and 3251.23 EUR
SELECT clause_id, holder, currency, committed, consumed, remaining, days_elapsed
FROM partner_status('openai', '2026-07-31') ORDER BY clause_id;
-- day by day (AWS has no flow longer than a day): 1 July 55.55 + 210.00 +
-- 800.02 = 1065.57; 2 July 24.69 + 55.55 + 210.00 + 820.00 = 1110.24;
-- 3 July 9.87 + 55.55 + 210.00 + 800.00 = 1075.42; cumulative 3251.23
SELECT label, consumed, cumulative FROM commitment_burndown('c-aws', 'day', 1, '2026-07-04') LIMIT 4;
SELECT label, consumed, cumulative FROM commitment_burndown('c-azure', 'month', 1, '2026-07-31') LIMIT 1;

-- loading the same export again would count it twice: refused, nothing written
SELECT load_focus('focus_stage', 'openai');
SELECT count(*), sum(amount) FROM revenue_flow;
-- replace => true: the earlier flows of the same seller, channel, product
-- and currency inside the export's days give way.  EffectiveCost spreads the
-- commitments: the reservation's 900.00 purchase (effective 0.00) leaves
-- azure/global, each westeurope VM day is 300.00 + 40.00; the Savings Plan
-- fee leaves aws/global, eu-central-1 EC2 is 210.00, 234.69 and 219.875 ->
-- 219.87 (the cent to the earlier 800.015 again).  The totals are the same.
SELECT load_focus('focus_stage', 'openai', 'EffectiveCost', replace => true) AS flows;
SELECT seller, product, channel, amount, currency, period FROM revenue_flow
WHERE product IN ('azure/virtual-machines', 'aws/amazon-elastic-compute-cloud', 'aws/savings-plans-for-aws-compute-usage')
ORDER BY channel, product, period;
SELECT seller, currency, count(*), sum(amount) FROM revenue_flow GROUP BY 1, 2 ORDER BY 1;
SELECT clause_id, consumed FROM partner_status('openai', '2026-07-31') ORDER BY clause_id;
-- replace never deletes a flow reaching outside the export's days
INSERT INTO revenue_flow (seller, buyer, product, channel, amount, currency, period) VALUES
    ('microsoft', 'openai', 'azure/storage', 'azure/westeurope', 1.00, 'USD', '[2026-06-30,2026-07-02)');
SELECT load_focus('focus_stage', 'openai', 'EffectiveCost', replace => true);
SELECT count(*), sum(amount) FROM revenue_flow;
-- another buyer's flows are not this export's
INSERT INTO party (id) VALUES ('mistral');
SELECT load_focus('focus_stage', 'mistral', 'BilledCost') AS flows;
DELETE FROM revenue_flow WHERE buyer = 'mistral' OR amount = 1.00;

-- a view as the source: leave out the credits
CREATE TEMP VIEW focus_no_credits AS SELECT * FROM focus_stage WHERE "ChargeCategory" <> 'Credit';
TRUNCATE revenue_flow;
SELECT load_focus('focus_no_credits', 'openai') AS flows;
SELECT currency, sum(amount) FROM revenue_flow GROUP BY 1 ORDER BY 1;
TRUNCATE revenue_flow;

-- small exports, one question each
CREATE TEMP TABLE f (
    "ProviderName" text, "RegionId" text, "ServiceName" text, "BillingCurrency" text,
    "ChargePeriodStart" text, "ChargePeriodEnd" text, "BilledCost" numeric);
-- text timestamps are UTC whatever TimeZone says: 23:30Z on 1 July is 1
-- July (16:30 in Los Angeles), a charge to 00:30Z on 3 July touches 2 July
-- and 3 July; names are matched lower-cased (Google Cloud -> gcp, gcp itself,
-- EastUS -> eastus), no RegionId is global, a service is lower-cased with
-- runs of other characters as "-"; JPY has no minor unit: 100.5 + 100.5 +
-- 100.4 = 301.4 -> 301 yen, the yen missing to the whole units (300) goes to
-- the earlier of the two 0.5 remainders
SET timezone = 'America/Los_Angeles';
INSERT INTO f VALUES
    ('Google Cloud', 'us-central1', 'Compute Engine', 'USD', '2026-07-01T23:30:00Z', '2026-07-02T00:00:00Z', 1.25),
    ('gcp', 'us-central1', 'Compute Engine', 'USD', '2026-07-02T23:30:00Z', '2026-07-03T00:30:00Z', 2.50),
    ('  Microsoft Azure ', 'EastUS', 'Azure OpenAI Service (GPT-5)', 'JPY', '2026-07-01T00:00:00Z', '2026-07-02T00:00:00Z', 100.5),
    ('AZURE', 'EastUS', 'Azure OpenAI Service (GPT-5)', 'JPY', '2026-07-02T00:00:00Z', '2026-07-03T00:00:00Z', 100.5),
    ('azure', 'EastUS', 'Azure OpenAI Service (GPT-5)', 'JPY', '2026-07-03T00:00:00Z', '2026-07-04T00:00:00Z', 100.4),
    ('Amazon Web Services', NULL, NULL, 'USD', '2026-07-01T00:00:00Z', '2026-07-01T00:00:01Z', 0.01);
SELECT load_focus('f', 'openai') AS flows;
SELECT seller, product, channel, amount, currency, period FROM revenue_flow ORDER BY id;
SET timezone = 'UTC';
TRUNCATE revenue_flow;
-- timestamp columns are read as UTC, date columns as midnight
CREATE TEMP TABLE f_ts (LIKE f);
ALTER TABLE f_ts ALTER "ChargePeriodStart" TYPE timestamp USING "ChargePeriodStart"::timestamp,
                 ALTER "ChargePeriodEnd" TYPE date USING "ChargePeriodEnd"::date;
INSERT INTO f_ts VALUES ('AWS', 'us-east-1', 'EC2', 'USD', '2026-07-01 23:00', '2026-07-03', 5.00);
SET timezone = 'Asia/Tokyo';
SELECT load_focus('f_ts', 'openai') AS flows;
SET timezone = 'UTC';
SELECT channel, amount, period FROM revenue_flow;
TRUNCATE revenue_flow;
-- a table created without quoting the names (providername ...) is read too
CREATE TEMP TABLE f_lower (providername text, regionid text, servicename text, billingcurrency text,
                           chargeperiodstart timestamptz, chargeperiodend timestamptz, billedcost numeric);
INSERT INTO f_lower VALUES ('AWS', 'us-east-1', 'EC2', 'USD', '2026-07-01', '2026-07-02', 5.00);
SELECT load_focus('f_lower', 'openai') AS flows;
-- replace with nothing to replace loads as usual
TRUNCATE revenue_flow;
SELECT load_focus('f_lower', 'openai', replace => true) AS flows;
SELECT count(*) FROM revenue_flow;
-- an empty export loads nothing; a group summing to zero is no flow
TRUNCATE revenue_flow, f_lower;
SELECT load_focus('f_lower', 'openai') AS flows;
INSERT INTO f_lower VALUES ('AWS', 'us-east-1', 'EC2', 'USD', '2026-07-01', '2026-07-02', 5.00),
                           ('AWS', 'us-east-1', 'EC2', 'USD', '2026-07-01 12:00', '2026-07-02', -5.00);
SELECT load_focus('f_lower', 'openai') AS flows;
-- a provider of one's own, named through provider_map
INSERT INTO party (id, name) VALUES ('alibaba', 'Alibaba');
INSERT INTO provider (provider, owner) VALUES ('alibaba', 'alibaba');
TRUNCATE f;
INSERT INTO f VALUES ('Alibaba Cloud', 'cn-hangzhou', 'Elastic Compute Service', 'CNY', '2026-07-01', '2026-07-02', 88.88);
SELECT load_focus('f', 'openai', provider_map => '{"Alibaba Cloud": "alibaba"}') AS flows;
-- provider_map comes first: a name may be sent elsewhere
SELECT load_focus('f', 'openai', provider_map => '{"alibaba cloud": "oci"}', replace => true) AS flows;
SELECT seller, product, channel, amount, currency, period FROM revenue_flow ORDER BY id;
TRUNCATE revenue_flow;

-- bad rows: one error naming the first (in the order of its values) and
-- how many there are; nothing is written
TRUNCATE f;
INSERT INTO f VALUES ('Alibaba Cloud', 'cn-hangzhou', 'Elastic Compute Service', 'CNY', '2026-07-01', '2026-07-02', 88.88),
                     ('AWS', 'us-east-1', 'EC2', 'USD', '2026-07-01', '2026-07-02', 5.00);
SELECT load_focus('f', 'openai');
UPDATE f SET "ProviderName" = NULL WHERE "ProviderName" = 'Alibaba Cloud';
SELECT load_focus('f', 'openai');
UPDATE f SET "ProviderName" = 'AWS';
UPDATE f SET "RegionId" = 'US East (N. Virginia)' WHERE "RegionId" = 'cn-hangzhou';
SELECT load_focus('f', 'openai');
UPDATE f SET "RegionId" = '-us-east-1' WHERE "RegionId" <> 'us-east-1';
SELECT load_focus('f', 'openai');
UPDATE f SET "RegionId" = 'us-east-1', "ServiceName" = '***' WHERE "ServiceName" <> 'EC2';
SELECT load_focus('f', 'openai');
UPDATE f SET "ServiceName" = 'EC2', "BillingCurrency" = 'usd' WHERE "ServiceName" <> 'EC2';
SELECT load_focus('f', 'openai');
UPDATE f SET "BillingCurrency" = NULL WHERE "BillingCurrency" = 'usd';
SELECT load_focus('f', 'openai');
UPDATE f SET "BillingCurrency" = 'USD', "ChargePeriodEnd" = '2026-07-01' WHERE "BillingCurrency" IS NULL;
SELECT load_focus('f', 'openai');
UPDATE f SET "ChargePeriodEnd" = '2026-06-30T23:00:00Z' WHERE "ChargePeriodEnd" = '2026-07-01';
SELECT load_focus('f', 'openai');
UPDATE f SET "ChargePeriodEnd" = NULL WHERE "ChargePeriodEnd" = '2026-06-30T23:00:00Z';
SELECT load_focus('f', 'openai');
UPDATE f SET "ChargePeriodEnd" = 'infinity' WHERE "ChargePeriodEnd" IS NULL;
SELECT load_focus('f', 'openai');
UPDATE f SET "ChargePeriodEnd" = '2400-01-01' WHERE "ChargePeriodEnd" = 'infinity';
SELECT load_focus('f', 'openai');
UPDATE f SET "ChargePeriodEnd" = '2026-07-02', "BilledCost" = NULL WHERE "ChargePeriodEnd" = '2400-01-01';
SELECT load_focus('f', 'openai');
UPDATE f SET "BilledCost" = 'NaN' WHERE "BilledCost" IS NULL;
SELECT load_focus('f', 'openai');
-- two bad rows: the first of them by its values
UPDATE f SET "BillingCurrency" = 'US$', "BilledCost" = 1;
SELECT load_focus('f', 'openai');
-- a value that is no timestamp at all is PostgreSQL's cast error, quoting it
UPDATE f SET "BillingCurrency" = 'USD', "ChargePeriodStart" = 'yesterday-ish';
SELECT load_focus('f', 'openai');
-- too large for a flow of its currency: the table's CHECK
UPDATE f SET "ChargePeriodStart" = '2026-07-01', "BilledCost" = 1e18;
SELECT load_focus('f', 'openai');
SELECT count(*) FROM revenue_flow;
UPDATE f SET "BilledCost" = 5.00;

-- missing and ambiguous columns
CREATE TEMP TABLE f_missing (LIKE f);
ALTER TABLE f_missing DROP COLUMN "RegionId";
SELECT load_focus('f_missing', 'openai');
SELECT load_focus('f', 'openai', 'EffectiveCost');
SELECT load_focus('f', 'openai', 'billedcost') AS flows_found_case_insensitively;
TRUNCATE revenue_flow;
ALTER TABLE f_lower ADD COLUMN "BILLEDCOST" numeric;
SELECT load_focus('f_lower', 'openai', 'BilledCost');
SELECT load_focus('f_lower', 'openai', 'BILLEDCOST') AS exact_name_first;

-- NULL and bad arguments
SELECT load_focus(NULL, 'openai');
SELECT load_focus('f', NULL);
SELECT load_focus('f', 'OpenAI');
SELECT load_focus('f', 'openai', NULL);
SELECT load_focus('f', 'openai', replace => NULL);
SELECT load_focus('f', 'openai', provider_map => '["azure"]');
SELECT load_focus('f', 'openai', provider_map => '{"Alibaba Cloud": "alibaba-cloud"}');
SELECT load_focus('f', 'openai', provider_map => '{"Alibaba Cloud": 1}');
SELECT load_focus('no_such_table', 'openai');
-- NULL provider_map is the built-in names only
TRUNCATE f;
INSERT INTO f VALUES ('AWS', 'us-east-1', 'EC2', 'USD', '2026-07-01', '2026-07-02', 5.00);
SELECT load_focus('f', 'openai', 'BilledCost', NULL, false) AS flows;
SELECT count(*) FROM revenue_flow;
ROLLBACK;
