
-- reporting: the deal model and the questions for BI tools, in standard
-- types only (doc/reference.md, "BI tools").  Plain SQL, shared by both editions (the
-- C edition and the managed edition in managed/).  Added in 0.2.0.
--
-- Schema @extschema@_reporting holds views of the model tables and of the
-- questions at their defaults, and the placement questions taking text in
-- place of endpoint.  In every view, endpoint, endpoint_set, rate_schedule
-- and clause_kind columns are text (canonical form, default collation, in
-- both editions) and a daterange is two dates, NAME_from (first day) and
-- NAME_to (last day, inclusive; NULL when the range is open there).  So a BI
-- tool reads every column with any driver in text or binary mode, and its
-- filters (channel = 'azure/eastus', min(channel), a bound varchar) are
-- plain text operators that need no search_path.  Every column has a
-- comment (JDBC's REMARKS, ODBC's SQLColumns, \d+).
--
-- The views are security_invoker: a user reads through them exactly the
-- rows the model tables let that user read.  Expression indexes on
-- revenue_flow (channel as text, the period's first and last day) keep the
-- filters BI tools push down as fast as on the table itself (min/max of
-- channel or of a period bound read one index entry: the revenue_flow view
-- is one table, no join).

CREATE SCHEMA @extschema@_reporting;
COMMENT ON SCHEMA @extschema@_reporting IS
    'dealscope for BI tools: views of the deal model and of the questions, and the placement questions with text arguments, all in standard types (text, date, numeric, integer, boolean, arrays of them)';
GRANT USAGE ON SCHEMA @extschema@_reporting TO @extowner@ WITH GRANT OPTION;

-- The indexes the views' filters use: each expression is exactly the one
-- the view computes, so WHERE channel = ... or WHERE period_from >= ... on
-- the view is an index scan on revenue_flow.
CREATE INDEX revenue_flow_channel_text_idx ON @extschema@.revenue_flow ((channel::text COLLATE "default"));
CREATE INDEX revenue_flow_period_from_idx ON @extschema@.revenue_flow ((pg_catalog.lower(period)));
CREATE INDEX revenue_flow_period_to_idx ON @extschema@.revenue_flow ((pg_catalog.upper(period) OPERATOR(pg_catalog.-) 1));

-- --- the model tables --------------------------------------------------------

CREATE VIEW @extschema@_reporting.party WITH (security_invoker = true) AS
SELECT p.id, p.name, p.shipped
FROM @extschema@.party AS p;
COMMENT ON VIEW @extschema@_reporting.party IS
    'the parties to deals: model makers, clouds'' owners, customers (dealscope.party); every party column of the other views names one';
COMMENT ON COLUMN @extschema@_reporting.party.id IS 'the party''s name as the other views write it, lower case, e.g. openai';
COMMENT ON COLUMN @extschema@_reporting.party.name IS 'human-readable name, e.g. OpenAI';
COMMENT ON COLUMN @extschema@_reporting.party.shipped IS 'true on rows the extension ships';

CREATE VIEW @extschema@_reporting.provider WITH (security_invoker = true) AS
SELECT p.provider, p.owner, p.shipped
FROM @extschema@.provider AS p;
COMMENT ON VIEW @extschema@_reporting.provider IS
    'clouds and direct channels with the party that owns each (dealscope.provider)';
COMMENT ON COLUMN @extschema@_reporting.provider.provider IS 'provider name, the first segment of an endpoint, e.g. aws';
COMMENT ON COLUMN @extschema@_reporting.provider.owner IS 'the party that owns the provider, e.g. amazon';
COMMENT ON COLUMN @extschema@_reporting.provider.shipped IS 'true on rows the extension ships';

CREATE VIEW @extschema@_reporting.region WITH (security_invoker = true) AS
SELECT r.provider, r.region, (r.provider OPERATOR(pg_catalog.||) '/' OPERATOR(pg_catalog.||) r.region) AS endpoint,
       r.country::text AS country, r.shipped
FROM @extschema@.region AS r;
COMMENT ON VIEW @extschema@_reporting.region IS
    'public regions of each provider and the country each one is in (dealscope.region)';
COMMENT ON COLUMN @extschema@_reporting.region.provider IS 'provider name, e.g. aws';
COMMENT ON COLUMN @extschema@_reporting.region.region IS 'region name, e.g. us-east-1';
COMMENT ON COLUMN @extschema@_reporting.region.endpoint IS 'the region as an endpoint, provider/region, e.g. aws/us-east-1 (joins placement_matrix_today.endpoint)';
COMMENT ON COLUMN @extschema@_reporting.region.country IS 'ISO 3166 country code of the region, e.g. US';
COMMENT ON COLUMN @extschema@_reporting.region.shipped IS 'true on rows the extension ships';

CREATE VIEW @extschema@_reporting.jurisdiction WITH (security_invoker = true) AS
SELECT j.code, j.countries::text[] AS countries, j.shipped
FROM @extschema@.jurisdiction AS j;
COMMENT ON VIEW @extschema@_reporting.jurisdiction IS
    'named groups of countries used by residency clauses (dealscope.jurisdiction)';
COMMENT ON COLUMN @extschema@_reporting.jurisdiction.code IS 'jurisdiction code, e.g. EU';
COMMENT ON COLUMN @extschema@_reporting.jurisdiction.countries IS 'ISO 3166 country codes of its members';
COMMENT ON COLUMN @extschema@_reporting.jurisdiction.shipped IS 'true on rows the extension ships';

CREATE VIEW @extschema@_reporting.deal WITH (security_invoker = true) AS
SELECT d.id, d.name, d.parties, d.signed_on
FROM @extschema@.deal AS d;
COMMENT ON VIEW @extschema@_reporting.deal IS 'deals (contracts or amendments) between parties (dealscope.deal)';
COMMENT ON COLUMN @extschema@_reporting.deal.id IS 'deal identifier, e.g. msft-openai-2026';
COMMENT ON COLUMN @extschema@_reporting.deal.name IS 'human-readable name of the deal';
COMMENT ON COLUMN @extschema@_reporting.deal.parties IS 'the parties to the deal';
COMMENT ON COLUMN @extschema@_reporting.deal.signed_on IS 'the day the deal was signed or took effect';

CREATE VIEW @extschema@_reporting.clause WITH (security_invoker = true) AS
SELECT c.id, c.deal_id, c.kind::text AS kind, c.holder, c.grantor, c.products,
       c.scope::text COLLATE "default" AS scope,
       CASE WHEN pg_catalog.lower_inf(c.valid) OR NOT pg_catalog.isfinite(pg_catalog.lower(c.valid)) THEN NULL
            ELSE pg_catalog.lower(c.valid) END AS valid_from,
       CASE WHEN pg_catalog.upper_inf(c.valid) OR NOT pg_catalog.isfinite(pg_catalog.upper(c.valid)) THEN NULL
            ELSE pg_catalog.upper(c.valid) OPERATOR(pg_catalog.-) 1 END AS valid_to,
       c.rate::text COLLATE "default" AS rate,
       c.window_days, c.lag_days, c.data_class, c.jurisdictions, c.amount, c.currency::text AS currency,
       c.min_share, c.note
FROM @extschema@.clause AS c;
COMMENT ON VIEW @extschema@_reporting.clause IS
    'the terms of the deals, one row per clause (dealscope.clause), kind, scope and rate as text, valid as two dates';
COMMENT ON COLUMN @extschema@_reporting.clause.id IS 'clause identifier, e.g. rofr-msft; named in placement reasons';
COMMENT ON COLUMN @extschema@_reporting.clause.deal_id IS 'the deal the clause belongs to';
COMMENT ON COLUMN @extschema@_reporting.clause.kind IS 'exclusivity, rofr, first_launch, residency, revenue_share, primary_partner or commitment';
COMMENT ON COLUMN @extschema@_reporting.clause.holder IS 'the party the clause benefits';
COMMENT ON COLUMN @extschema@_reporting.clause.grantor IS 'the party the clause binds; it applies to the grantor''s workloads and flows';
COMMENT ON COLUMN @extschema@_reporting.clause.products IS 'comma-separated globs over product names, * = all';
COMMENT ON COLUMN @extschema@_reporting.clause.scope IS 'the endpoints the clause is about, as endpoint_set text, e.g. azure or aws, !aws/us-gov-*';
COMMENT ON COLUMN @extschema@_reporting.clause.valid_from IS 'first day the clause is in force; NULL when it has no start';
COMMENT ON COLUMN @extschema@_reporting.clause.valid_to IS 'last day the clause is in force (inclusive); NULL when it has no end';
COMMENT ON COLUMN @extschema@_reporting.clause.rate IS 'revenue_share: the share owed, as rate_schedule text, e.g. 20% or {[2026-04-28,2027-04-28) 20%->0%}';
COMMENT ON COLUMN @extschema@_reporting.clause.window_days IS 'rofr: days the holder has to answer an offer';
COMMENT ON COLUMN @extschema@_reporting.clause.lag_days IS 'first_launch: days after the launch inside scope before other endpoints may follow';
COMMENT ON COLUMN @extschema@_reporting.clause.data_class IS 'residency: the workload data class it restricts';
COMMENT ON COLUMN @extschema@_reporting.clause.jurisdictions IS 'residency: country and jurisdiction codes where the data may be served';
COMMENT ON COLUMN @extschema@_reporting.clause.amount IS 'commitment: the amount committed over the validity';
COMMENT ON COLUMN @extschema@_reporting.clause.currency IS 'ISO 4217 currency code of amount';
COMMENT ON COLUMN @extschema@_reporting.clause.min_share IS 'primary_partner: minimum fraction (0-1) of cloud spend for the holder';
COMMENT ON COLUMN @extschema@_reporting.clause.note IS 'free text';

CREATE VIEW @extschema@_reporting.workload WITH (security_invoker = true) AS
SELECT w.id, w.owner, w.product, w.data_class, w.requested_on
FROM @extschema@.workload AS w;
COMMENT ON VIEW @extschema@_reporting.workload IS 'products that need to be served somewhere (dealscope.workload)';
COMMENT ON COLUMN @extschema@_reporting.workload.id IS 'workload identifier';
COMMENT ON COLUMN @extschema@_reporting.workload.owner IS 'the party whose workload it is';
COMMENT ON COLUMN @extschema@_reporting.workload.product IS 'product name, e.g. api/gpt-5';
COMMENT ON COLUMN @extschema@_reporting.workload.data_class IS 'class of the data it handles (residency clauses)';
COMMENT ON COLUMN @extschema@_reporting.workload.requested_on IS 'the day the workload was requested';

CREATE VIEW @extschema@_reporting.placement_event WITH (security_invoker = true) AS
SELECT e.workload_id, e.kind, e.holder, e.at::text COLLATE "default" AS at, e.on_date
FROM @extschema@.placement_event AS e;
COMMENT ON VIEW @extschema@_reporting.placement_event IS
    'right-of-first-refusal steps and launches of workloads (dealscope.placement_event), at as text';
COMMENT ON COLUMN @extschema@_reporting.placement_event.workload_id IS 'the workload concerned';
COMMENT ON COLUMN @extschema@_reporting.placement_event.kind IS 'offer, decline, accept or launch';
COMMENT ON COLUMN @extschema@_reporting.placement_event.holder IS 'offer/decline/accept: the rofr holder';
COMMENT ON COLUMN @extschema@_reporting.placement_event.at IS 'launch: the endpoint the workload went live at, e.g. azure/eastus';
COMMENT ON COLUMN @extschema@_reporting.placement_event.on_date IS 'the day it happened';

CREATE VIEW @extschema@_reporting.revenue_flow WITH (security_invoker = true) AS
SELECT f.id, f.seller, f.buyer, f.product,
       f.channel::text COLLATE "default" AS channel,
       @extschema@.provider(f.channel) COLLATE "default" AS channel_provider,
       f.amount, f.currency::text AS currency,
       pg_catalog.lower(f.period) AS period_from,
       pg_catalog.upper(f.period) OPERATOR(pg_catalog.-) 1 AS period_to
FROM @extschema@.revenue_flow AS f;
COMMENT ON VIEW @extschema@_reporting.revenue_flow IS
    'money earned by seller from buyer over a period (dealscope.revenue_flow), channel as text, period as two dates';
COMMENT ON COLUMN @extschema@_reporting.revenue_flow.id IS 'flow identifier';
COMMENT ON COLUMN @extschema@_reporting.revenue_flow.seller IS 'the party that earns the amount';
COMMENT ON COLUMN @extschema@_reporting.revenue_flow.buyer IS 'the party that pays (NULL when not tracked)';
COMMENT ON COLUMN @extschema@_reporting.revenue_flow.product IS 'product sold';
COMMENT ON COLUMN @extschema@_reporting.revenue_flow.channel IS 'endpoint through which the revenue is earned, e.g. azure/eastus (indexed)';
COMMENT ON COLUMN @extschema@_reporting.revenue_flow.channel_provider IS 'the channel''s provider, e.g. azure (join provider for its owner)';
COMMENT ON COLUMN @extschema@_reporting.revenue_flow.amount IS 'amount earned over the whole period';
COMMENT ON COLUMN @extschema@_reporting.revenue_flow.currency IS 'ISO 4217 currency code';
COMMENT ON COLUMN @extschema@_reporting.revenue_flow.period_from IS 'first day of the period (indexed)';
COMMENT ON COLUMN @extschema@_reporting.revenue_flow.period_to IS 'last day of the period, inclusive (indexed)';

-- --- the questions at their defaults -------------------------------------------

CREATE VIEW @extschema@_reporting.placement_matrix_today WITH (security_invoker = true) AS
SELECT CURRENT_DATE AS on_date, m.workload_id, m.endpoint, m.verdict, m.eligible_from, m.reasons
FROM @extschema@.placement_matrix(CURRENT_DATE) AS m;
COMMENT ON VIEW @extschema@_reporting.placement_matrix_today IS
    'placement_matrix today: every workload x catalogued provider/region, with verdict, eligible_from and reasons';
COMMENT ON COLUMN @extschema@_reporting.placement_matrix_today.on_date IS 'the day asked about: today';
COMMENT ON COLUMN @extschema@_reporting.placement_matrix_today.workload_id IS 'the workload';
COMMENT ON COLUMN @extschema@_reporting.placement_matrix_today.endpoint IS 'the candidate endpoint, provider/region';
COMMENT ON COLUMN @extschema@_reporting.placement_matrix_today.verdict IS 'allowed, conditional or blocked';
COMMENT ON COLUMN @extschema@_reporting.placement_matrix_today.eligible_from IS 'today when allowed; else the day every obstacle lifts, NULL when one has no known end';
COMMENT ON COLUMN @extschema@_reporting.placement_matrix_today.reasons IS 'one line per clause in the way';

CREATE VIEW @extschema@_reporting.placement_summary_today WITH (security_invoker = true) AS
SELECT CURRENT_DATE AS on_date, s.workload_id, s.allowed, s.conditional, s.blocked, s.message
FROM @extschema@.placement_summary(CURRENT_DATE) AS s;
COMMENT ON VIEW @extschema@_reporting.placement_summary_today IS
    'placement_summary today: per workload, how many catalogued regions are allowed, conditional, blocked, and why';
COMMENT ON COLUMN @extschema@_reporting.placement_summary_today.on_date IS 'the day asked about: today';
COMMENT ON COLUMN @extschema@_reporting.placement_summary_today.workload_id IS 'the workload';
COMMENT ON COLUMN @extschema@_reporting.placement_summary_today.allowed IS 'candidate endpoints allowed';
COMMENT ON COLUMN @extschema@_reporting.placement_summary_today.conditional IS 'candidate endpoints allowed on a condition';
COMMENT ON COLUMN @extschema@_reporting.placement_summary_today.blocked IS 'candidate endpoints blocked';
COMMENT ON COLUMN @extschema@_reporting.placement_summary_today.message IS 'the counts and the clauses holding endpoints back, most frequent first';

CREATE VIEW @extschema@_reporting.partner_status_today WITH (security_invoker = true) AS
SELECT g.party, s.clause_id, s.kind, s.holder, s.currency::text AS currency,
       CASE WHEN pg_catalog.lower_inf(s.valid) OR NOT pg_catalog.isfinite(pg_catalog.lower(s.valid)) THEN NULL
            ELSE pg_catalog.lower(s.valid) END AS valid_from,
       CASE WHEN pg_catalog.upper_inf(s.valid) OR NOT pg_catalog.isfinite(pg_catalog.upper(s.valid)) THEN NULL
            ELSE pg_catalog.upper(s.valid) OPERATOR(pg_catalog.-) 1 END AS valid_to,
       s.committed, s.consumed, s.remaining, s.days_elapsed, s.days_left, s.required_daily, s.actual_daily,
       s.partner_share, s.min_share, s.below_min_share
FROM (SELECT DISTINCT c.grantor AS party FROM @extschema@.clause AS c
      WHERE c.kind::text OPERATOR(pg_catalog.=) ANY ('{commitment,primary_partner}'::text[])) AS g
CROSS JOIN LATERAL @extschema@.partner_status(g.party, CURRENT_DATE) AS s;
COMMENT ON VIEW @extschema@_reporting.partner_status_today IS
    'partner_status today for every party with commitment or primary_partner clauses';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.party IS 'the grantor of the clause';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.clause_id IS 'the commitment or primary_partner clause';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.kind IS 'commitment or primary_partner';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.holder IS 'the partner';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.currency IS 'currency of the figures';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.valid_from IS 'first day of the clause; NULL when it has no start';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.valid_to IS 'last day of the clause (inclusive); NULL when it has no end';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.committed IS 'commitment: the amount committed';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.consumed IS 'spend with the holder to date (prorated)';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.remaining IS 'commitment: committed minus consumed, not below 0';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.days_elapsed IS 'days of the clause up to today';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.days_left IS 'days of the clause after today';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.required_daily IS 'commitment: daily spend needed to meet it';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.actual_daily IS 'commitment: daily spend so far';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.partner_share IS 'primary_partner: the holder''s share of cloud spend to date';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.min_share IS 'primary_partner: the minimum share';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.below_min_share IS 'primary_partner: whether the share is below min_share';

GRANT SELECT ON @extschema@_reporting.party, @extschema@_reporting.provider, @extschema@_reporting.region, @extschema@_reporting.jurisdiction,
                @extschema@_reporting.deal, @extschema@_reporting.clause, @extschema@_reporting.workload,
                @extschema@_reporting.placement_event, @extschema@_reporting.revenue_flow,
                @extschema@_reporting.placement_matrix_today, @extschema@_reporting.placement_summary_today,
                @extschema@_reporting.partner_status_today
    TO @extowner@ WITH GRANT OPTION;

-- --- the placement questions with text in place of endpoint ---------------------
-- Each takes endpoints as text (a bare literal, a text or varchar parameter,
-- any case: dealscope.to_endpoint canonicalises and validates it, 22P02 on
-- bad input) and answers exactly as the function of schema dealscope.

CREATE FUNCTION @extschema@_reporting.placement_check(
    workload_id text, endpoint text, on_date date DEFAULT CURRENT_DATE,
    OUT verdict text, OUT eligible_from date, OUT reasons text[])
    RETURNS record
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
    SELECT c.verdict, c.eligible_from, c.reasons
    FROM @extschema@.placement_check(placement_check.workload_id, @extschema@.to_endpoint(placement_check.endpoint),
                                     placement_check.on_date) AS c;
END;
COMMENT ON FUNCTION @extschema@_reporting.placement_check(text, text, date) IS
    'dealscope.placement_check with the endpoint as text: verdict, eligible_from and reasons for the workload on that endpoint and day';

CREATE FUNCTION @extschema@_reporting.placement_reasons(
    workload_id text, endpoint text, on_date date DEFAULT CURRENT_DATE)
    RETURNS TABLE (clause_id text, kind text, verdict text, eligible_from date, reason text)
    LANGUAGE sql STABLE STRICT PARALLEL SAFE ROWS 5
BEGIN ATOMIC
    SELECT r.clause_id, r.kind, r.verdict, r.eligible_from, r.reason
    FROM @extschema@.placement_reasons(placement_reasons.workload_id, @extschema@.to_endpoint(placement_reasons.endpoint),
                                       placement_reasons.on_date) WITH ORDINALITY AS r
    ORDER BY r.ordinality;
END;
COMMENT ON FUNCTION @extschema@_reporting.placement_reasons(text, text, date) IS
    'dealscope.placement_reasons with the endpoint as text: one row per clause that applies to the workload on that day';

-- NULL candidates: every catalogued provider/region; NULL elements skipped.
CREATE FUNCTION @extschema@_reporting.placement_matrix(
    on_date date DEFAULT CURRENT_DATE, candidates text[] DEFAULT NULL)
    RETURNS TABLE (workload_id text, endpoint text, verdict text, eligible_from date, reasons text[])
    LANGUAGE sql STABLE PARALLEL SAFE ROWS 100000
BEGIN ATOMIC
    SELECT m.workload_id, m.endpoint, m.verdict, m.eligible_from, m.reasons
    FROM @extschema@.placement_matrix(placement_matrix.on_date,
             CASE WHEN placement_matrix.candidates IS NOT NULL
                  THEN ARRAY(SELECT @extschema@.to_endpoint(u.x)
                             FROM pg_catalog.unnest(placement_matrix.candidates) WITH ORDINALITY AS u(x, n)
                             ORDER BY u.n) END) AS m;
END;
COMMENT ON FUNCTION @extschema@_reporting.placement_matrix(date, text[]) IS
    'dealscope.placement_matrix with the candidates as text[] (NULL: every catalogued provider/region): every workload x candidate, in no particular order';

CREATE FUNCTION @extschema@_reporting.placement_summary(
    on_date date DEFAULT CURRENT_DATE, candidates text[] DEFAULT NULL)
    RETURNS TABLE (workload_id text, allowed int, conditional int, blocked int, message text)
    LANGUAGE sql STABLE PARALLEL SAFE ROWS 1000
BEGIN ATOMIC
    SELECT s.workload_id, s.allowed, s.conditional, s.blocked, s.message
    FROM @extschema@.placement_summary(placement_summary.on_date,
             CASE WHEN placement_summary.candidates IS NOT NULL
                  THEN ARRAY(SELECT @extschema@.to_endpoint(u.x)
                             FROM pg_catalog.unnest(placement_summary.candidates) WITH ORDINALITY AS u(x, n)
                             ORDER BY u.n) END) AS s;
END;
COMMENT ON FUNCTION @extschema@_reporting.placement_summary(date, text[]) IS
    'dealscope.placement_summary with the candidates as text[] (NULL: every catalogued provider/region): one line per workload';
