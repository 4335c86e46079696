-- Loading a cloud bill in FOCUS format (FinOps FOCUS 1.x) as spend flows:
-- OpenAI's synthetic export examples/focus_sample.csv (40 charges, 1-3
-- July 2026, Azure billed in USD and AWS in EUR; every figure is made up).
-- Run from examples/ (psql's \copy reads the file on the client side).
--
-- 1. A staging table with the FOCUS columns (quoted: FOCUS names are
--    CamelCase).  Only the columns load_focus reads must be there; the
--    others are kept for the FinOps side.  Timestamps are UTC.
CREATE TEMP TABLE focus_stage (
    "BillingAccountId"       text,
    "BillingCurrency"        text,
    "BillingPeriodStart"     timestamptz,
    "BillingPeriodEnd"       timestamptz,
    "ChargeCategory"         text,
    "ChargeDescription"      text,
    "ChargePeriodStart"      timestamptz,
    "ChargePeriodEnd"        timestamptz,
    "ProviderName"           text,
    "InvoiceIssuerName"      text,
    "RegionId"               text,
    "RegionName"             text,
    "ServiceCategory"        text,
    "ServiceName"            text,
    "CommitmentDiscountId"   text,
    "CommitmentDiscountType" text,
    "BilledCost"             numeric,
    "EffectiveCost"          numeric
);
\copy focus_stage FROM 'focus_sample.csv' WITH (FORMAT csv, HEADER true)

-- 2. One call: the charges summed per provider, region, service, currency
--    and day become OpenAI's spend flows with Microsoft and Amazon.
--    BilledCost counts a commitment purchase when it is billed; pass
--    'EffectiveCost' to spread it over the usage it covers instead.
SELECT dealscope.load_focus('focus_stage', 'openai') AS flows_loaded;
