-- Differential case: BI tools (doc/reference.md, "BI tools").  Both editions answer
-- every question in the same standard types, have the same reporting schema
-- (views, text-argument placement questions) with the same rows, accept
-- text and varchar in assignments to the custom types, and sort
-- rate_schedule alike.  Runs after _prelude.sql; no search_path is set.
\pset format unaligned
\set ECHO none
\i examples/msft_openai.sql
\i examples/msft_openai_revenue.sql
\set ECHO all

-- count and md5 of a query's rows (in the query's order)
CREATE FUNCTION t.digest(q text) RETURNS text LANGUAGE sql AS $$
    SELECT count(*) || ' ' || coalesce(md5(string_agg(r, E'\n' ORDER BY n)), '-')
    FROM t.rows(q) WITH ORDINALITY AS x(r, n)
$$;

-- the result columns of the questions, with their types
SELECT p.oid::regprocedure::text AS question, a.n, a.name, format_type(a.type, NULL) AS type
FROM pg_proc p
CROSS JOIN LATERAL unnest(p.proallargtypes, p.proargmodes, p.proargnames) WITH ORDINALITY AS a(type, mode, name, n)
WHERE p.pronamespace IN ('dealscope'::regnamespace, 'dealscope_reporting'::regnamespace)
  AND p.proname IN ('placement_check', 'placement_reasons', 'placement_matrix', 'placement_summary', 'revenue_slices',
                    'revenue_report', 'exposure', 'concentration', 'partner_status', 'prorate', 'slice_of')
  AND a.mode IN ('o', 't', 'b')
ORDER BY p.oid::regprocedure::text COLLATE "C", a.n;

-- the reporting schema: views, their columns, types, comments
SELECT c.relname, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod) AS type,
       col_description(c.oid, a.attnum) AS remarks
FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
WHERE c.relnamespace = 'dealscope_reporting'::regnamespace AND c.relkind = 'v'
ORDER BY c.relname COLLATE "C", a.attnum;
SELECT c.relname, c.reloptions, obj_description(c.oid, 'pg_class') AS remarks
FROM pg_class c WHERE c.relnamespace = 'dealscope_reporting'::regnamespace ORDER BY c.relname COLLATE "C";

-- their rows (the question views depend on today: counts and agreement)
SELECT * FROM dealscope_reporting.party ORDER BY id COLLATE "C";
SELECT t.digest('SELECT * FROM dealscope_reporting.provider ORDER BY provider COLLATE "C"');
SELECT t.digest('SELECT * FROM dealscope_reporting.region ORDER BY provider COLLATE "C", region COLLATE "C"');
SELECT t.digest('SELECT * FROM dealscope_reporting.jurisdiction ORDER BY code COLLATE "C"');
SELECT * FROM dealscope_reporting.deal ORDER BY id;
SELECT * FROM dealscope_reporting.clause ORDER BY id COLLATE "C";
SELECT * FROM dealscope_reporting.workload ORDER BY id COLLATE "C";
SELECT * FROM dealscope_reporting.placement_event ORDER BY on_date;
SELECT * FROM dealscope_reporting.revenue_flow ORDER BY id;
SELECT (SELECT count(*) FROM dealscope_reporting.placement_matrix_today) AS matrix_rows,
       (SELECT count(*) FROM dealscope_reporting.placement_matrix_today v
        FULL JOIN dealscope.placement_matrix(current_date) m USING (workload_id, endpoint)
        WHERE (v.verdict, v.eligible_from, v.reasons) IS DISTINCT FROM (m.verdict, m.eligible_from, m.reasons)) AS matrix_mismatches,
       (SELECT string_agg(workload_id || ': ' || message, '; ' ORDER BY workload_id COLLATE "C")
        FROM dealscope_reporting.placement_summary_today) AS summary,
       (SELECT string_agg(clause_id || ' ' || kind || ' ' || coalesce(valid_to::text, '-'), '; ' ORDER BY clause_id COLLATE "C")
        FROM dealscope_reporting.partner_status_today) AS partner_status;

-- filters and aggregates on text columns, no search_path
SELECT id, channel, channel_provider, amount, period_from, period_to
FROM dealscope_reporting.revenue_flow WHERE channel = 'azure/eastus' AND period_from >= '2027-01-01' ORDER BY id;
SELECT min(channel), max(channel), count(DISTINCT channel) FROM dealscope_reporting.revenue_flow;
SELECT channel, sum(amount) FROM dealscope_reporting.revenue_flow GROUP BY channel ORDER BY channel;
SELECT id, scope, rate FROM dealscope_reporting.clause WHERE scope = 'azure' OR rate LIKE '%->%' ORDER BY id;

-- the questions: endpoint and kind are text, in both editions
SELECT endpoint, pg_typeof(endpoint), verdict, eligible_from
FROM dealscope.placement_matrix('2026-05-15', ARRAY[dealscope.to_endpoint('aws/us-east-1'), dealscope.to_endpoint('azure/eastus')])
WHERE workload_id = 'agents-enterprise' ORDER BY endpoint;
SELECT clause_id, kind, pg_typeof(kind), verdict
FROM dealscope.placement_reasons('agents-enterprise', dealscope.to_endpoint('aws/us-east-1'), '2026-05-15');

-- the text-argument placement questions
SELECT * FROM dealscope_reporting.placement_check('agents-enterprise', 'AWS/US-East-1', '2026-06-03');
SELECT * FROM dealscope_reporting.placement_reasons('agents-enterprise', 'aws/us-east-1', '2026-06-03');
SELECT * FROM dealscope_reporting.placement_matrix('2026-06-03', '{aws/us-east-1,Azure/EastUS,NULL}') ORDER BY workload_id, endpoint;
SELECT count(*) FROM dealscope_reporting.placement_matrix('2026-06-03');
SELECT count(*) FROM dealscope_reporting.placement_matrix('2026-06-03', '{}');
SELECT * FROM dealscope_reporting.placement_summary('2026-06-03', '{aws/us-east-1,azure/eastus}') ORDER BY workload_id;
SELECT t.try($$(SELECT verdict FROM dealscope_reporting.placement_check('agents-enterprise', 'aws/us east', '2026-06-03'))$$);
SELECT t.try($$(SELECT count(*) FROM dealscope_reporting.placement_matrix('2026-06-03', '{aws}'))$$);

-- text and varchar values assigned to the custom types (canonical text:
-- the managed edition's domains accept only that)
CREATE TABLE t.typed (e dealscope.endpoint, s dealscope.endpoint_set, r dealscope.rate_schedule);
PREPARE ins_text(text, text, text) AS INSERT INTO t.typed VALUES ($1, $2, $3);
PREPARE ins_varchar(varchar, varchar, varchar) AS INSERT INTO t.typed VALUES ($1, $2, $3);
EXECUTE ins_text('aws/us-east-1/bedrock', 'aws/eu-*, azure, !aws/eu-south-2', '{[2026-01-01,2027-01-01) 20%->0%}');
EXECUTE ins_varchar('gcp/europe-west4', '*', '12.5%');
SELECT e::text, s::text, r::text FROM t.typed ORDER BY 1;
SELECT t.try($$(SELECT 1 FROM (SELECT 'aws//x'::varchar::dealscope.endpoint) x)$$);

-- rate_schedule sorts as its canonical text, bytewise, in both editions
CREATE TABLE t.rs (r dealscope.rate_schedule);
INSERT INTO t.rs SELECT dealscope.to_rate_schedule(x) FROM unnest(ARRAY['20%', '5%', '12.5%', '0.2', '{}', '100%', '0%',
    '{[2026-04-28,2027-04-28) 20%->0%}', '{[2019-07-22,2026-04-28) 20%, [2026-04-28,2027-04-28) 20%->0%}',
    '{[2026-01-01,infinity) 1%}', '{[-infinity,2026-01-01) 1%}']) AS x;
SELECT r::text FROM t.rs ORDER BY r;
SELECT string_agg(DISTINCT r::text, ' | ') FROM t.rs;
