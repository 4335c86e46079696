-- Differential cases: placement (placement_check, placement_reasons,
-- placement_matrix, placement_summary) over a generated deal model.
-- Runs after _prelude.sql; every object is qualified with dealscope.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DO $$ BEGIN
    DELETE FROM dealscope.placement_event;
    DELETE FROM dealscope.workload;
    DELETE FROM dealscope.clause;
    DELETE FROM dealscope.deal;
END $$;
RESET client_min_messages;

SELECT setseed(0.4242);
INSERT INTO dealscope.deal (id, name) VALUES ('gen', 'generated placement deal');

-- owners m0..m7; holders h0..h3 (h0..h2 also event holders)
CREATE TABLE t.scopes AS
SELECT row_number() OVER () AS n, s
FROM unnest(ARRAY['azure', 'aws, gcp', 'gcp/europe-*', '!oci', 'aws/us-*, azure', 'azure/*/openai', '*', '',
                  'aws, !aws/us-east-1', 'oci/eu-*, !oci/eu-frankfurt-1', 'openai/global',
                  'gcp/*/vertex, openai']) AS s;
CREATE TABLE t.products AS
SELECT row_number() OVER () AS n, p
FROM unnest(ARRAY['*', 'api/*', 'chat/*', 'api/m1*, chat/x*', 'api/m1', '*/x*', ' chat/y ', 'api/*,,chat/*',
                  '**', 'api/m%', 'api/m_', 'hosted/*-1']) AS p;
CREATE TABLE t.jurs AS
SELECT row_number() OVER () AS n, j::text[] AS j
FROM unnest(ARRAY['{EU}', '{US}', '{eu,us}', '{DE,FR}', '{ch }', '{JP,EEA}', '{xx}', '{GB,uk}', '{Eu}', '{IN,AU,CA}']) AS j;

-- every party the rows below name is registered (dealscope.party)
INSERT INTO dealscope.party (id)
SELECT 'm' || i FROM generate_series(0, 8) AS i
UNION ALL SELECT 'h' || i FROM generate_series(0, 3) AS i
UNION ALL VALUES ('bnd'), ('regulator')
ON CONFLICT DO NOTHING;
-- clauses: every kind, overlapping ones for the same owner
INSERT INTO dealscope.clause (id, deal_id, kind, holder, grantor, products, scope, valid, rate,
                              window_days, lag_days, data_class, jurisdictions, amount, currency, min_share)
SELECT 'c' || lpad(i::text, 3, '0'), 'gen', k.kind,
       CASE WHEN k.kind = 'residency' AND random() < 0.5 THEN NULL ELSE 'h' || floor(random() * 4)::int END,
       'm' || (i % 8),
       -- (each kind keeps only the columns it reads: the table rejects the others)
       CASE WHEN k.kind IN ('primary_partner', 'commitment') THEN '*'
            ELSE (SELECT array_agg(p ORDER BY n) FROM t.products)[1 + floor(random() * 12)::int] END,
       CASE WHEN k.kind IN ('exclusivity', 'rofr', 'first_launch') OR (random() < 0.2 AND k.kind = 'revenue_share')
            THEN ((SELECT array_agg(s ORDER BY n) FROM t.scopes)[1 + floor(random() * 12)::int])::dealscope.endpoint_set END,
       daterange(k.lo, k.hi),
       CASE WHEN k.kind = 'revenue_share' THEN '20%'::dealscope.rate_schedule END,
       CASE WHEN k.kind = 'rofr' THEN (ARRAY[0, 1, 7, 30, 90])[1 + floor(random() * 5)::int] END,
       CASE WHEN k.kind = 'first_launch' THEN (ARRAY[0, 3, 14, 60])[1 + floor(random() * 4)::int] END,
       CASE WHEN k.kind = 'residency' THEN 'd' || floor(random() * 3)::int END,
       CASE WHEN k.kind = 'residency'
            THEN string_to_array((SELECT array_agg(array_to_string(j, '|') ORDER BY n) FROM t.jurs)[1 + floor(random() * 10)::int], '|') END,
       CASE WHEN k.kind = 'commitment' THEN round((random() * 1e6)::numeric, 2) END,
       CASE WHEN k.kind = 'commitment' THEN 'USD' END,
       CASE WHEN k.kind = 'primary_partner' THEN round(random()::numeric, 2) END
FROM generate_series(1, 120) AS i
CROSS JOIN LATERAL (
    SELECT (ARRAY['exclusivity', 'rofr', 'rofr', 'first_launch', 'first_launch', 'residency', 'residency',
                  'exclusivity', 'revenue_share', 'primary_partner', 'commitment'])[1 + floor(random() * 11)::int + 0 * i]
               ::dealscope.clause_kind AS kind,
           CASE WHEN random() < 0.1 THEN NULL ELSE date '2025-06-01' + floor(random() * 400)::int + 0 * i END AS lo) AS k0
CROSS JOIN LATERAL (
    SELECT k0.kind, k0.lo,
           CASE WHEN random() < 0.2 THEN NULL
                WHEN random() < 0.05 THEN 'infinity'::date
                ELSE coalesce(k0.lo, date '2025-06-01') + 1 + floor(random() * 500)::int END AS hi) AS k;

-- workloads: several owners, products, data classes, request dates
INSERT INTO dealscope.workload (id, owner, product, data_class, requested_on)
SELECT 'w' || lpad(i::text, 3, '0'), 'm' || floor(random() * 9)::int,
       (ARRAY['api/m1', 'api/m2', 'chat/x1', 'chat/y', 'api/m%', 'hosted/a-1', 'embed/z'])[1 + floor(random() * 7)::int],
       (ARRAY[NULL, 'd0', 'd1', 'd2'])[1 + floor(random() * 4)::int],
       date '2025-06-01' + floor(random() * 500)::int
FROM generate_series(1, 150) AS i;

-- candidate and launch endpoints: catalogued regions (some with a
-- service), unknown regions, direct channels
CREATE TABLE t.cands AS
SELECT row_number() OVER (ORDER BY x.e COLLATE "C") AS n, x.e
FROM (SELECT e FROM (SELECT r.provider || '/' || r.region AS e, row_number() OVER (ORDER BY r.provider COLLATE "C", r.region COLLATE "C") AS k
                     FROM dealscope.region AS r) AS q WHERE k % 7 = 0
      UNION ALL
      SELECT q.e || '/' || (ARRAY['openai', 'vertex', 'bedrock'])[1 + (q.k / 23) % 3]
      FROM (SELECT r.provider || '/' || r.region AS e,
                   row_number() OVER (ORDER BY r.provider COLLATE "C", r.region COLLATE "C") AS k
            FROM dealscope.region AS r) AS q WHERE q.k % 23 = 0
      UNION ALL
      SELECT unnest(ARRAY['aws/us-east-1', 'azure/eastus', 'aws/xx-nowhere-1', 'azure/nowhere/openai',
                          'openai/global/api', 'openai/global', 'm1/direct', 'gcp/europe-west1',
                          'oci/eu-frankfurt-1'])) AS x(e);
CREATE TABLE t.cand_arr AS SELECT array_agg(e::dealscope.endpoint ORDER BY n) AS a FROM t.cands;

-- events: offers, declines, accepts (to holders, some not the clause's),
-- launches at various endpoints
INSERT INTO dealscope.placement_event (workload_id, kind, holder, at, on_date)
SELECT w.id, ev.kind,
       CASE WHEN ev.kind <> 'launch' THEN 'h' || floor(random() * 3)::int END,
       CASE WHEN ev.kind = 'launch'
            THEN ((SELECT array_agg(e ORDER BY n) FROM t.cands)[1 + floor(random() * (SELECT count(*) FROM t.cands))::int])::dealscope.endpoint END,
       w.requested_on + floor(random() * 120)::int - 20
FROM dealscope.workload AS w
CROSS JOIN LATERAL generate_series(1, floor(random() * 5)::int + 0 * length(w.id)) AS g
CROSS JOIN LATERAL (SELECT (ARRAY['offer', 'offer', 'decline', 'accept', 'launch', 'launch'])[1 + floor(random() * 6)::int + 0 * g]
                    AS kind) AS ev;

SELECT (SELECT count(*) FROM dealscope.clause) AS clauses, (SELECT count(*) FROM dealscope.workload) AS workloads,
       (SELECT count(*) FROM dealscope.placement_event) AS events, (SELECT count(*) FROM t.cands) AS candidates;

-- JIT compilation of the big inlined queries (triggered by the cost
-- estimates) takes seconds and changes no answer: keep the run short.
SET jit = off;
ANALYZE t.cands, t.cand_arr;
CREATE TABLE t.days AS
SELECT d::date FROM unnest(ARRAY['2025-05-01', '2025-09-15', '2026-01-10', '2026-04-01', '2026-07-20', '2027-03-01']::date[]) AS d;

-- placement_matrix: full rows for one day, a digest per (day, workload)
-- for the others
\echo == matrix rows 2026-01-10
SELECT m.workload_id, m.endpoint::text AS endpoint, m.verdict, m.eligible_from, m.reasons
FROM t.cand_arr AS c, dealscope.placement_matrix('2026-01-10', c.a) AS m
WHERE m.workload_id <= 'w060'
ORDER BY m.workload_id, m.endpoint::text COLLATE "C";

\echo == matrix digests
SELECT d.d, m.workload_id, count(*) AS pairs,
       count(*) FILTER (WHERE m.verdict = 'allowed') AS allowed,
       md5(string_agg(m.endpoint::text || '|' || m.verdict || '|' || coalesce(m.eligible_from::text, '-') || '|' ||
                      m.reasons::text, E'\n' ORDER BY m.endpoint::text COLLATE "C")) AS digest
FROM t.days AS d, t.cand_arr AS c, LATERAL dealscope.placement_matrix(d.d, c.a) AS m
GROUP BY d.d, m.workload_id
ORDER BY d.d, m.workload_id;

\echo == matrix with default candidates (catalogued regions)
SELECT count(*) AS pairs, count(*) FILTER (WHERE verdict = 'allowed') AS allowed,
       count(*) FILTER (WHERE verdict = 'blocked') AS blocked, count(eligible_from) AS with_date,
       md5(string_agg(workload_id || '|' || endpoint::text || '|' || verdict || '|' || coalesce(eligible_from::text, '-')
                      || '|' || reasons::text, E'\n' ORDER BY workload_id, endpoint::text COLLATE "C")) AS digest
FROM dealscope.placement_matrix('2026-04-01');

\echo == matrix filtered, NULLs, empty and duplicate candidates
SELECT m.workload_id, m.endpoint::text, m.verdict, m.eligible_from, m.reasons
FROM dealscope.placement_matrix('2026-04-01', ARRAY['aws/us-east-1', NULL, 'aws/us-east-1', 'openai/global/api']::dealscope.endpoint[]) AS m
WHERE m.workload_id IN ('w001', 'w002', 'w003')
ORDER BY m.workload_id, m.endpoint::text COLLATE "C", m.verdict;
SELECT count(*) FROM dealscope.placement_matrix(NULL::date, ARRAY['aws/us-east-1']::dealscope.endpoint[]);
SELECT count(*) FROM dealscope.placement_matrix('2026-04-01', '{}'::dealscope.endpoint[]);
SELECT count(*) FROM dealscope.placement_matrix('infinity', ARRAY['aws/us-east-1']::dealscope.endpoint[]);
SELECT count(*) FROM dealscope.placement_matrix('-infinity', ARRAY['aws/us-east-1']::dealscope.endpoint[]);

\echo == placement_check on sampled pairs (the answer of the matrix must match)
SELECT setseed(0.77);
CREATE TABLE t.sample AS
SELECT i, 'w' || lpad((1 + floor(random() * 150)::int)::text, 3, '0') AS w,
       (SELECT array_agg(e ORDER BY n) FROM t.cands)[1 + floor(random() * (SELECT count(*) FROM t.cands))::int] AS e,
       date '2025-05-01' + floor(random() * 700)::int AS d
FROM generate_series(1, 400) AS i;
ANALYZE t.sample;
SELECT s.i, s.w, s.e, s.d,
       t.try(format('dealscope.placement_check(%L, %L::dealscope.endpoint, %L::date)', s.w, s.e, s.d)) AS check
FROM t.sample AS s ORDER BY s.i;
SELECT count(*) AS sampled,
       count(*) FILTER (WHERE (x.verdict, x.eligible_from, x.reasons) IS DISTINCT FROM (m.verdict, m.eligible_from, m.reasons))
           AS check_vs_matrix_mismatches
FROM t.sample AS s
CROSS JOIN LATERAL dealscope.placement_check(s.w, s.e::dealscope.endpoint, s.d) AS x
CROSS JOIN LATERAL (SELECT * FROM dealscope.placement_matrix(s.d, ARRAY[s.e::dealscope.endpoint]) AS m
                    WHERE m.workload_id = s.w) AS m;

\echo == placement_reasons on sampled pairs
SELECT s.i, r
FROM t.sample AS s,
     LATERAL t.rows(format('SELECT * FROM dealscope.placement_reasons(%L, %L::dealscope.endpoint, %L::date)', s.w, s.e, s.d)) AS r
WHERE s.i <= 150
ORDER BY s.i;

\echo == placement_summary
SELECT d.d, s.*
FROM t.days AS d, t.cand_arr AS c, LATERAL dealscope.placement_summary(d.d, c.a) AS s
WHERE d.d IN ('2026-01-10', '2026-07-20')
ORDER BY d.d, s.workload_id;
SELECT s.* FROM dealscope.placement_summary('2026-04-01') AS s ORDER BY s.workload_id LIMIT 40;
SELECT s.* FROM dealscope.placement_summary('2026-04-01', '{}') AS s ORDER BY s.workload_id LIMIT 3;
SELECT s.* FROM dealscope.placement_summary('2026-04-01', ARRAY[NULL, 'aws/us-east-1', 'aws/us-east-1']::dealscope.endpoint[]) AS s
ORDER BY s.workload_id LIMIT 10;
SELECT count(*) FROM dealscope.placement_summary(NULL);
SELECT count(*) FROM dealscope.placement_summary(NULL, '{}');

\echo == hand-picked boundaries
INSERT INTO dealscope.clause (id, deal_id, kind, holder, grantor, products, scope, valid, window_days, lag_days,
                              data_class, jurisdictions)
VALUES ('b-excl', 'gen', 'exclusivity', 'microsoft', 'bnd', 'api/*', 'azure', '[2019-07-22,2026-04-28)', NULL, NULL, NULL, NULL),
       ('b-rofr', 'gen', 'rofr', 'microsoft', 'bnd', '*', 'azure', '[2026-04-28,)', 30, NULL, NULL, NULL),
       ('b-rofr-short', 'gen', 'rofr', 'amazon', 'bnd', '*', 'aws', '[2026-04-28,2026-06-15)', 30, NULL, NULL, NULL),
       ('b-rofr-huge', 'gen', 'rofr', 'google', 'bnd', 'chat/*', 'gcp', '[2026-01-01,)', 2147483647, NULL, NULL, NULL),
       ('b-fl', 'gen', 'first_launch', 'microsoft', 'bnd', '*', 'azure', '[2026-01-01,2027-01-01)', NULL, 14, NULL, NULL),
       ('b-fl-huge', 'gen', 'first_launch', 'oracle', 'bnd', 'chat/*', 'oci', '[2026-01-01,infinity]', NULL, 2147483647, NULL, NULL),
       ('b-res', 'gen', 'residency', NULL, 'bnd', '*', NULL, '[2020-01-01,)', NULL, NULL, 'eu', '{EU,ch}'),
       ('b-res2', 'gen', 'residency', 'regulator', 'bnd', '*', NULL, '(2020-01-01,2030-01-01]', NULL, NULL, 'eu', '{" de",us }');
INSERT INTO dealscope.workload VALUES
    ('b1', 'bnd', 'api/gpt-6', 'eu', '2026-04-28'),
    ('b2', 'bnd', 'chat/x', NULL, '2026-05-01'),
    ('b3', 'bnd', 'chat/y', 'eu', '2026-04-27');
INSERT INTO dealscope.placement_event (workload_id, kind, holder, at, on_date) VALUES
    ('b1', 'offer', 'microsoft', NULL, '2026-05-01'),
    ('b1', 'decline', 'microsoft', NULL, '2026-05-01'),
    ('b1', 'offer', 'amazon', NULL, '2026-06-01'),
    ('b2', 'offer', 'microsoft', NULL, '2026-05-02'),
    ('b2', 'accept', 'microsoft', NULL, '2026-05-02'),
    ('b2', 'offer', 'google', NULL, '2026-05-03'),
    ('b2', 'launch', NULL, 'oci/eu-frankfurt-1', '2026-05-05'),
    ('b2', 'launch', NULL, 'azure/westeurope', '2026-05-10'),
    ('b2', 'launch', NULL, 'azure/eastus', '2026-05-10'),
    ('b3', 'launch', NULL, 'azure/eastus/openai', '2026-06-01'),
    ('b3', 'offer', 'microsoft', NULL, '2026-06-01'),
    ('b3', 'decline', 'microsoft', NULL, '2026-06-01'),
    ('b3', 'accept', 'microsoft', NULL, '2026-06-01');
SELECT w, e, d, t.try(format('dealscope.placement_check(%L, %L::dealscope.endpoint, %L::date)', w, e, d)) AS check
FROM unnest('{b1,b2,b3}'::text[]) AS w,
     unnest('{aws/us-east-1,azure/westeurope,gcp/europe-west1,oci/eu-frankfurt-1,aws/xx-nowhere-1,openai/global/api}'::text[]) AS e,
     unnest('{2026-04-27,2026-04-28,2026-05-01,2026-05-02,2026-05-23,2026-05-24,2026-05-31,2026-06-01,2026-06-14,2026-06-15,2026-07-01,2027-01-01,infinity}'::date[]) AS d
ORDER BY w, e, d;
SELECT w, e, r
FROM unnest('{b1,b2,b3}'::text[]) AS w,
     unnest('{azure/westeurope,aws/us-east-1,aws/xx-nowhere-1}'::text[]) AS e,
     LATERAL t.rows(format('SELECT * FROM dealscope.placement_reasons(%L, %L::dealscope.endpoint, %L::date)', w, e, '2026-06-01')) AS r
ORDER BY w, e;
SELECT * FROM dealscope.placement_summary('2026-06-01', ARRAY['aws/us-east-1', 'azure/westeurope', 'gcp/europe-west1', 'aws/xx-nowhere-1']::dealscope.endpoint[])
WHERE workload_id LIKE 'b%' ORDER BY workload_id;

\echo == errors and NULLs
SELECT t.try($$dealscope.placement_check('no-such-workload', 'aws/us-east-1', '2026-06-01')$$);
SELECT t.try($$(SELECT count(*) FROM dealscope.placement_reasons('no-such-workload', 'aws/us-east-1', '2026-06-01'))$$);
SELECT t.try($$dealscope.placement_check('', 'aws/us-east-1')$$);
SELECT t.try($$dealscope.placement_check(NULL, 'aws/us-east-1', '2026-06-01')$$);
SELECT t.try($$dealscope.placement_check('b1', NULL, '2026-06-01')$$);
SELECT t.try($$dealscope.placement_check('b1', 'aws/us-east-1', NULL)$$);
SELECT t.try($$dealscope.placement_check('no-such-workload', 'aws/us-east-1', NULL)$$);
SELECT t.try($$(SELECT count(*) FROM dealscope.placement_reasons(NULL, 'aws/us-east-1', '2026-06-01'))$$);
SELECT t.try($$(SELECT count(*) FROM dealscope.placement_reasons('b1', NULL))$$);
SELECT t.try($$(SELECT count(*) FROM dealscope.placement_reasons('b1', 'aws/us-east-1', NULL))$$);
SELECT t.try($$(SELECT (dealscope.placement_check('b1', 'aws/us-east-1')).verdict IS NOT NULL)$$);
SELECT t.try($$dealscope.placement_check('b1', 'aws', '2026-06-01')$$);
SELECT t.try($$dealscope.placement_check('b1', 'a/b/c/d', '2026-06-01')$$);
SELECT t.try($$dealscope.placement_check('b1', 'aws//x', '2026-06-01')$$);
SELECT t.try($$dealscope.placement_check('b1', 'aws/us east', '2026-06-01')$$);
SELECT t.try($$(SELECT count(*) FROM dealscope.placement_matrix('2026-06-01', ARRAY['aws/us-east-1', 'bad']::dealscope.endpoint[]))$$);
SELECT t.try($$(SELECT count(*) FROM dealscope.placement_summary('2026-06-01', ARRAY['-x/y']::dealscope.endpoint[]))$$);
