-- Placement demo for the Microsoft-OpenAI example (examples/msft_openai.sql,
-- loaded first).  Run with: psql -X -v ON_ERROR_STOP=1 -f examples/demo_placement.sql
SET search_path = dealscope, public;
SET datestyle = 'ISO, YMD';
\pset footer off
CREATE TEMP TABLE major_regions AS
SELECT e::dealscope.endpoint AS e FROM unnest(ARRAY[
    'aws/us-east-1', 'aws/us-west-2', 'aws/eu-west-1',
    'azure/eastus', 'azure/westus2', 'azure/westeurope',
    'gcp/us-central1', 'gcp/europe-west4']) AS e;

\echo
\echo '== The deal: Microsoft-OpenAI clauses before and after the 2026-04-28 amendment'
SELECT id, kind, holder, grantor, scope, valid, window_days AS window, lag_days AS lag
FROM clause WHERE grantor = 'openai' OR holder = 'openai' ORDER BY lower(valid), id;

\echo
\echo '== Existing products, the day before the amendment (2026-04-27) and the day of it'
SELECT d AS on_date, s.*
FROM unnest('{2026-04-27,2026-04-28}'::date[]) AS d,
     LATERAL placement_summary(d, (SELECT array_agg(e) FROM major_regions)) AS s
WHERE s.workload_id IN ('chatgpt', 'api-gpt-5')
ORDER BY 1, 2;

\echo
\echo '== New product agents-enterprise (requested 2026-05-04): where may it go, and when?'
SELECT d AS on_date, s.allowed, s.conditional, s.blocked, s.message
FROM unnest('{2026-05-04,2026-05-15,2026-06-03,2026-06-15}'::date[]) AS d,
     LATERAL placement_summary(d, (SELECT array_agg(e) FROM major_regions)) AS s
WHERE s.workload_id = 'agents-enterprise'
ORDER BY d;

\echo
\echo '== 2026-05-04: requested, not yet offered to Microsoft nor launched on Azure'
SELECT endpoint, verdict, eligible_from, array_to_string(reasons, E'\n') AS reasons
FROM placement_matrix('2026-05-04', (SELECT array_agg(e) FROM major_regions))
WHERE workload_id = 'agents-enterprise'
ORDER BY endpoint;

\echo
\echo '== 2026-05-15: offered to Microsoft on 2026-05-06, answer pending'
SELECT endpoint, verdict, eligible_from, array_to_string(reasons, E'\n') AS reasons
FROM placement_matrix('2026-05-15', (SELECT array_agg(e) FROM major_regions))
WHERE workload_id = 'agents-enterprise'
ORDER BY endpoint;

\echo
\echo '== 2026-06-03: Microsoft declined on 2026-05-27; launched on Azure on 2026-06-01'
SELECT endpoint, verdict, eligible_from, array_to_string(reasons, E'\n') AS reasons
FROM placement_matrix('2026-06-03', (SELECT array_agg(e) FROM major_regions))
WHERE workload_id = 'agents-enterprise'
ORDER BY endpoint;

\echo
\echo '== Why, clause by clause, for aws/us-east-1 on 2026-06-03'
SELECT clause_id, kind, verdict, eligible_from, reason
FROM placement_reasons('agents-enterprise', 'aws/us-east-1', '2026-06-03');

\echo
\echo '== 2026-06-15: allowed everywhere'
SELECT endpoint, verdict, eligible_from
FROM placement_matrix('2026-06-15', (SELECT array_agg(e) FROM major_regions))
WHERE workload_id = 'agents-enterprise'
ORDER BY endpoint;

\echo
\echo '== Every catalogued region, 2026-06-03'
SELECT workload_id, message FROM placement_summary('2026-06-03');
