-- BI tools (doc/reference.md, "BI tools"): every question answers in standard types;
-- casts from text and varchar in assignments; a btree order for
-- rate_schedule; the reporting schema (views, text-argument placement
-- questions, expression indexes) used without search_path; the error for a
-- text value sent in binary format.  The drivers themselves are tested by
-- test/clients.sh.
-- Everything happens in one transaction, rolled back at the end: the other
-- tests share this database and its extension.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS dealscope;
RESET client_min_messages;
SET datestyle = 'ISO, YMD';
BEGIN;
\set ON_ERROR_ROLLBACK on
\set ECHO none
\i examples/msft_openai.sql
\i examples/msft_openai_revenue.sql
\set ECHO all

--
-- 1. Standard types only: no result column of a question (schema dealscope)
-- and no column of the reporting schema (functions and views) has a type of
-- the extension; the views have no range either (dates instead).
--
SELECT p.oid::regprocedure AS question, a.name, a.type::regtype AS custom_type
FROM pg_proc p
CROSS JOIN LATERAL unnest(p.proallargtypes, p.proargmodes, p.proargnames) AS a(type, mode, name)
WHERE p.oid::regprocedure::text ~ '^(dealscope\.)?(placement_check|placement_reasons|placement_matrix|placement_summary|revenue_slices|revenue_report|exposure|concentration|partner_status|prorate|slice_of)\('
  AND p.pronamespace IN ('dealscope'::regnamespace, 'dealscope_reporting'::regnamespace)
  AND a.mode IN ('o', 't', 'b') AND a.type >= 16384;
SELECT count(*) AS questions_checked
FROM pg_proc p
WHERE p.pronamespace IN ('dealscope'::regnamespace, 'dealscope_reporting'::regnamespace)
  AND p.proname IN ('placement_check', 'placement_reasons', 'placement_matrix', 'placement_summary', 'revenue_slices',
                    'revenue_report', 'exposure', 'concentration', 'partner_status', 'prorate', 'slice_of');
SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod) AS type
FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
WHERE c.relnamespace = 'dealscope_reporting'::regnamespace
  AND (a.atttypid >= 16384 OR a.atttypid IN (SELECT rngtypid FROM pg_range)
       OR col_description(c.oid, a.attnum) IS NULL);
SELECT c.relname AS view, count(*) AS columns, string_agg(DISTINCT format_type(a.atttypid, a.atttypmod), ', ') AS types
FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
WHERE c.relnamespace = 'dealscope_reporting'::regnamespace AND c.relkind = 'v'
GROUP BY c.relname ORDER BY c.relname;
-- placement_reasons.kind and placement_matrix.endpoint are text, in the same order as before
SELECT clause_id, kind, pg_typeof(kind) AS kind_type, verdict
FROM dealscope.placement_reasons('agents-enterprise', 'aws/us-east-1', '2026-06-03');
SELECT workload_id, endpoint, pg_typeof(endpoint) AS endpoint_type, verdict
FROM dealscope.placement_matrix('2026-06-03', '{gcp/us-central1,azure/eastus}')
ORDER BY workload_id, endpoint;
-- unknown workload: the same error as before, through the SQL wrapper
SELECT * FROM dealscope.placement_reasons('no-such-workload', 'aws/us-east-1', '2026-06-03');

--
-- 2. Casts from text and varchar, in assignments only
--
CREATE TEMP TABLE typed (e dealscope.endpoint, s dealscope.endpoint_set, r dealscope.rate_schedule);
-- what a driver's string parameters are: text (psycopg's binary str) and varchar (pgJDBC's setString)
PREPARE ins_text(text, text, text) AS INSERT INTO typed VALUES ($1, $2, $3);
PREPARE ins_varchar(varchar, varchar, varchar) AS INSERT INTO typed VALUES ($1, $2, $3);
EXECUTE ins_text('AWS/us-east-1/Bedrock', 'azure, aws/eu-*, !aws/eu-south-2', '{[2026-01-01,2027-01-01) 20%->0%}');
EXECUTE ins_varchar('gcp/europe-west4', '*', '12.5%');
PREPARE upd(varchar) AS UPDATE typed SET e = $1 WHERE r OPERATOR(dealscope.=) '12.5%';
EXECUTE upd('oci/eu-frankfurt-1');
SELECT e, s, r FROM typed ORDER BY r;
-- bad text: the input function's error
EXECUTE ins_varchar('aws//x', '*', '20%');
EXECUTE ins_text('aws/x', 'aws/', '20%');
EXECUTE ins_text('aws/x', '*', '120%');
-- explicit casts from text and varchar
SELECT 'Azure/EastUS'::text::dealscope.endpoint AS e, 'aws,azure'::varchar::dealscope.endpoint_set AS s,
       '0.2'::text::dealscope.rate_schedule AS r;
-- not implicit: comparing text with an endpoint is not silently resolved
SET search_path = dealscope, public;
SELECT 'aws/x'::text = 'aws/x'::endpoint;
SELECT provider('aws/x'::varchar);
RESET search_path;
SELECT castsource::regtype, casttarget::regtype, castcontext, castmethod
FROM pg_cast WHERE casttarget IN ('dealscope.endpoint'::regtype, 'dealscope.endpoint_set'::regtype, 'dealscope.rate_schedule'::regtype)
ORDER BY 2, 1;

--
-- 3. Without dealscope on search_path: the model tables' custom columns need
-- the schema's operators, the reporting views need none
--
SHOW search_path;
SELECT count(*) FROM dealscope.revenue_flow WHERE channel = 'azure/eastus';
SELECT min(channel) FROM dealscope.revenue_flow;
SELECT count(*), min(channel), max(channel), count(DISTINCT channel)
FROM dealscope_reporting.revenue_flow WHERE channel LIKE 'azure/%';
SELECT count(*) FROM dealscope_reporting.revenue_flow WHERE channel = 'azure/eastus'::varchar;
SELECT channel_provider, currency, sum(amount), min(period_from), max(period_to)
FROM dealscope_reporting.revenue_flow GROUP BY 1, 2 ORDER BY 1, 2;
-- the view's rows are the table's, channel and period converted
SELECT count(*) AS flows,
       count(*) FILTER (WHERE v.channel = f.channel::text AND v.period_from = lower(f.period)
                          AND v.period_to = upper(f.period) - 1 AND v.amount = f.amount) AS identical
FROM dealscope.revenue_flow f JOIN dealscope_reporting.revenue_flow v USING (id);
SELECT id, kind, scope, valid_from, valid_to, rate FROM dealscope_reporting.clause ORDER BY valid_from, id;
SELECT * FROM dealscope_reporting.placement_event ORDER BY on_date;
SELECT * FROM dealscope_reporting.deal ORDER BY id;
SELECT id, name FROM dealscope_reporting.party WHERE shipped ORDER BY id;
SELECT provider, region, endpoint, country FROM dealscope_reporting.region WHERE provider = 'azure' AND country = 'DE' ORDER BY region;
SELECT code, countries FROM dealscope_reporting.jurisdiction WHERE code IN ('CH', 'UK') ORDER BY code;
-- an open-ended or infinite bound is NULL, not infinity
SAVEPOINT open_bounds;
INSERT INTO dealscope.party (id) VALUES ('x'), ('nobody') ON CONFLICT DO NOTHING;
INSERT INTO dealscope.clause (id, deal_id, kind, holder, grantor, scope, valid) VALUES
    ('bi-open', 'msft-openai-2026', 'exclusivity', 'x', 'nobody', 'aws', '[-infinity,infinity)'),
    ('bi-unbounded', 'msft-openai-2026', 'exclusivity', 'x', 'nobody', 'aws', '(,2026-01-01)');
SELECT id, valid_from, valid_to FROM dealscope_reporting.clause WHERE id LIKE 'bi-%' ORDER BY id;
ROLLBACK TO open_bounds;
-- the questions' views, today
SELECT (SELECT count(*) FROM dealscope_reporting.placement_matrix_today)
     = (SELECT count(*) FROM dealscope.workload) * (SELECT count(*) FROM dealscope.region) AS matrix_today_complete,
       (SELECT count(*) FROM dealscope_reporting.placement_matrix_today WHERE on_date <> current_date) AS not_today;
SELECT count(*) AS mismatches
FROM dealscope_reporting.placement_matrix_today v
FULL JOIN dealscope.placement_matrix(current_date) m USING (workload_id, endpoint)
WHERE (v.verdict, v.eligible_from, v.reasons) IS DISTINCT FROM (m.verdict, m.eligible_from, m.reasons);
SELECT count(*) AS mismatches
FROM dealscope_reporting.placement_summary_today v
FULL JOIN dealscope.placement_summary(current_date) s USING (workload_id)
WHERE (v.allowed, v.conditional, v.blocked, v.message) IS DISTINCT FROM (s.allowed, s.conditional, s.blocked, s.message);
SELECT party, clause_id, kind, holder, currency, valid_from, valid_to
FROM dealscope_reporting.partner_status_today ORDER BY clause_id, currency;
SELECT count(*) AS mismatches
FROM dealscope_reporting.partner_status_today v
FULL JOIN dealscope.partner_status('openai', current_date) s USING (clause_id, currency)
WHERE (v.committed, v.consumed, v.remaining, v.days_left, v.partner_share, v.below_min_share)
      IS DISTINCT FROM (s.committed, s.consumed, s.remaining, s.days_left, s.partner_share, s.below_min_share)
   OR v.valid_from IS DISTINCT FROM lower(s.valid) OR v.valid_to IS DISTINCT FROM upper(s.valid) - 1;

-- filters on the views are index scans on revenue_flow
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT * FROM dealscope_reporting.revenue_flow WHERE channel = 'azure/eastus';
EXPLAIN (COSTS OFF) SELECT id FROM dealscope_reporting.revenue_flow WHERE period_from >= '2026-01-01';
EXPLAIN (COSTS OFF) SELECT id FROM dealscope_reporting.revenue_flow WHERE period_to < '2026-01-01';
EXPLAIN (COSTS OFF) SELECT min(channel), max(channel) FROM dealscope_reporting.revenue_flow;
RESET enable_seqscan;

--
-- 4. The placement questions with text arguments: any case, binds of text
-- or varchar, the same answers
--
SELECT * FROM dealscope_reporting.placement_check('agents-enterprise', 'AWS/US-East-1', '2026-06-03');
PREPARE chk(varchar, varchar, date) AS SELECT * FROM dealscope_reporting.placement_check($1, $2, $3);
EXECUTE chk('agents-enterprise', 'aws/us-east-1', '2026-06-03');
SELECT * FROM dealscope_reporting.placement_reasons('agents-enterprise', 'aws/us-east-1', '2026-06-03');
SELECT count(*) AS mismatches
FROM unnest('{2026-04-27,2026-05-15,2026-06-03}'::date[]) AS day,
     LATERAL dealscope_reporting.placement_matrix(day, '{aws/us-east-1,Azure/EastUS,gcp/europe-west4,NULL}') AS r
FULL JOIN LATERAL dealscope.placement_matrix(day, '{aws/us-east-1,azure/eastus,gcp/europe-west4}') AS m
     USING (workload_id, endpoint)
WHERE (r.verdict, r.eligible_from, r.reasons) IS DISTINCT FROM (m.verdict, m.eligible_from, m.reasons);
SELECT count(*) AS rows_default, (SELECT count(*) FROM dealscope_reporting.placement_matrix('2026-06-03', '{}')) AS rows_empty
FROM dealscope_reporting.placement_matrix('2026-06-03');
SELECT * FROM dealscope_reporting.placement_summary('2026-06-03', '{aws/us-east-1,azure/eastus}') ORDER BY workload_id;
SELECT * FROM dealscope_reporting.placement_check('agents-enterprise', 'aws/us east', '2026-06-03');
SELECT * FROM dealscope_reporting.placement_matrix('2026-06-03', '{aws}');
SELECT * FROM dealscope_reporting.placement_check('agents-enterprise', NULL, '2026-06-03');

--
-- 5. rate_schedule has a btree order: its canonical text, bytewise (as the
-- managed edition sorts it)
--
CREATE TEMP TABLE rs (r dealscope.rate_schedule);
INSERT INTO rs VALUES ('20%'), ('5%'), ('12.5%'), ('0.2'), ('{}'), ('100%'), ('0%'),
    ('{[2026-04-28,2027-04-28) 20%->0%}'), ('{[2019-07-22,2026-04-28) 20%, [2026-04-28,2027-04-28) 20%->0%}'),
    ('{[2026-01-01,infinity) 1%}'), ('{[-infinity,2026-01-01) 1%}'), (NULL);
SELECT r FROM rs ORDER BY r;
SELECT r FROM rs ORDER BY r DESC NULLS LAST LIMIT 3;
SELECT count(DISTINCT r) AS distinct_values, count(*) AS non_null FROM rs WHERE r IS NOT NULL;
SELECT DISTINCT r FROM rs WHERE r IS NOT NULL ORDER BY r;
-- the order is that of the text in collation "C", and consistent with =
SET search_path = dealscope, public;
SELECT count(*) AS pairs,
       count(*) FILTER (WHERE rate_schedule_cmp(a.r, b.r) <> sign(CASE WHEN a.r::text COLLATE "C" < b.r::text COLLATE "C" THEN -1
                                                                        WHEN a.r::text = b.r::text THEN 0 ELSE 1 END)
                           OR (a.r = b.r) <> (rate_schedule_cmp(a.r, b.r) = 0)
                           OR (a.r < b.r) <> (rate_schedule_cmp(a.r, b.r) < 0)
                           OR (a.r <= b.r) <> (rate_schedule_cmp(a.r, b.r) <= 0)
                           OR (a.r > b.r) <> (rate_schedule_cmp(a.r, b.r) > 0)
                           OR (a.r >= b.r) <> (rate_schedule_cmp(a.r, b.r) >= 0)) AS inconsistent
FROM rs a, rs b WHERE a.r IS NOT NULL AND b.r IS NOT NULL;
CREATE INDEX ON rs (r);
SET enable_seqscan = off;
SELECT r FROM rs WHERE r >= '20%' ORDER BY r;
RESET enable_seqscan;
RESET search_path;

--
-- 6. A text value sent in binary format (a driver's string parameter marked
-- binary): recv sees the text; the error says so.  Binary COPY of a text
-- column (whose binary form is its bytes) into the typed columns.
--
CREATE TEMP TABLE raw (e text, s text, r text);
CREATE TEMP TABLE typed_in (e dealscope.endpoint, s dealscope.endpoint_set, r dealscope.rate_schedule);
INSERT INTO raw VALUES ('aws/us-east-1', NULL, NULL);
\copy raw TO 'results/bi_raw.bin' WITH (FORMAT binary)
\copy typed_in FROM 'results/bi_raw.bin' WITH (FORMAT binary)
TRUNCATE raw;
INSERT INTO raw VALUES (NULL, 'aws, !aws/us-gov-*', NULL);
\copy raw TO 'results/bi_raw.bin' WITH (FORMAT binary)
\copy typed_in FROM 'results/bi_raw.bin' WITH (FORMAT binary)
TRUNCATE raw;
INSERT INTO raw VALUES (NULL, NULL, '20%');
\copy raw TO 'results/bi_raw.bin' WITH (FORMAT binary)
\copy typed_in FROM 'results/bi_raw.bin' WITH (FORMAT binary)
TRUNCATE raw;
INSERT INTO raw VALUES (NULL, NULL, '{[2026-04-28,2027-04-28) 20%->0%} and then some more text to show that the quoted text stops after a hundred bytes');
\copy raw TO 'results/bi_raw.bin' WITH (FORMAT binary)
\copy typed_in FROM 'results/bi_raw.bin' WITH (FORMAT binary)
-- bytes that are not text: the plain message, no hint
TRUNCATE raw;
INSERT INTO raw VALUES (E'\x02aws', NULL, NULL);
\copy raw TO 'results/bi_raw.bin' WITH (FORMAT binary)
\copy typed_in FROM 'results/bi_raw.bin' WITH (FORMAT binary)
TRUNCATE raw;
INSERT INTO raw VALUES (NULL, NULL, E'2\x01\x02');
\copy raw TO 'results/bi_raw.bin' WITH (FORMAT binary)
\copy typed_in FROM 'results/bi_raw.bin' WITH (FORMAT binary)
-- the real binary form still round-trips
COPY (SELECT 'aws/us-east-1'::dealscope.endpoint, 'aws, !aws/us-gov-*'::dealscope.endpoint_set,
             '{[2026-04-28,2027-04-28) 20%->0%}'::dealscope.rate_schedule) TO '/tmp/dealscope_bi_typed.bin' WITH (FORMAT binary);
COPY typed_in FROM '/tmp/dealscope_bi_typed.bin' WITH (FORMAT binary);
SELECT * FROM typed_in;

ROLLBACK;
\set ON_ERROR_ROLLBACK off
