-- placement_matrix at the benchmark's full scale: 10,000 workloads x 300 endpoints, 200
-- clauses (every placement kind), 10% of workloads with events.  Prints the
-- time of the bare cross-join count (the floor), of placement_matrix (all
-- columns read; and verdict counts) and placement_summary, and their ratio
-- to the floor.  Run in a scratch
-- database after CREATE EXTENSION dealscope:
--   psql -X -v ON_ERROR_STOP=1 -f test/bench/placement_scale.sql
SET search_path = dealscope, public;
BEGIN;
DELETE FROM placement_event; DELETE FROM workload; DELETE FROM clause; DELETE FROM deal;
SELECT setseed(0.6);
INSERT INTO deal (id) VALUES ('bench');
-- 20 grantors x 10 clauses
INSERT INTO clause (id, deal_id, kind, holder, grantor, products, scope, valid, window_days, lag_days, data_class, jurisdictions)
SELECT format('c%s-%s', g, k), 'bench',
       (ARRAY['exclusivity','rofr','first_launch','residency','exclusivity']::clause_kind[])[1 + k % 5],
       'holder' || (k % 3), 'maker' || g,
       (ARRAY['*','api/*','chat/*','api/m1*,chat/x*'])[1 + (k / 5 + g) % 4],
       (ARRAY['azure','aws,gcp','gcp/europe-*','!oci','azure,aws/us-*'])[1 + (k + g) % 5]::endpoint_set,
       daterange(date '2025-01-01' + (k * 7 + g), CASE WHEN k % 4 = 0 THEN NULL ELSE date '2027-01-01' + k END),
       30, 14, 'class' || (k % 2), '{EU,US}'
FROM generate_series(1, 20) AS g, generate_series(1, 10) AS k;
INSERT INTO workload (id, owner, product, data_class, requested_on)
SELECT 'w' || i, 'maker' || (1 + i % 20), (ARRAY['api/m1','api/m2','chat/x1','chat/y'])[1 + i % 4],
       CASE WHEN i % 3 = 0 THEN 'class0' WHEN i % 3 = 1 THEN 'class1' END,
       date '2025-06-01' + (i % 400)
FROM generate_series(1, 10000) AS i;
INSERT INTO placement_event (workload_id, kind, holder, at, on_date)
SELECT 'w' || i, ev.kind, CASE WHEN ev.kind <> 'launch' THEN 'holder' || (i % 3) END,
       CASE WHEN ev.kind = 'launch' THEN 'azure/eastus'::endpoint END, date '2026-01-01' + (i % 90)
FROM generate_series(1, 10000, 10) AS i, (VALUES ('offer'), ('launch')) AS ev(kind);
CREATE TEMP TABLE candidates AS
SELECT e FROM (SELECT endpoint(provider, region) AS e FROM region
               UNION ALL
               SELECT endpoint(provider, region, 'svc') FROM region) AS x
ORDER BY e LIMIT 300;
ANALYZE workload; ANALYZE candidates;
SELECT count(*) AS workloads, (SELECT count(*) FROM candidates) AS endpoints,
       (SELECT count(*) FROM clause) AS clauses, (SELECT count(*) FROM placement_event) AS events
FROM workload;
CREATE FUNCTION pg_temp.ms(q text, runs int DEFAULT 3) RETURNS numeric LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz; best numeric := NULL;
BEGIN
    FOR i IN 1..runs LOOP
        t0 := clock_timestamp();
        EXECUTE q;
        best := LEAST(best, extract(epoch FROM clock_timestamp() - t0) * 1000);
    END LOOP;
    RETURN round(best, 1);
END $$;
-- placement_matrix is inlined into the calling query and computes only the
-- columns it reads: read them all (and pass the candidates as a column, not
-- a sub-select, which would keep PostgreSQL from inlining).
CREATE TEMP TABLE cand_array AS SELECT array_agg(e) AS a FROM candidates;
CREATE TEMP TABLE timing AS
SELECT pg_temp.ms('SELECT count(*) FROM workload, candidates') AS floor_ms,
       pg_temp.ms($q$SELECT count(*), count(m.verdict), count(m.eligible_from), sum(cardinality(m.reasons))
                     FROM cand_array c, placement_matrix('2026-03-01', c.a) m$q$) AS matrix_ms,
       pg_temp.ms($q$SELECT verdict, count(*) FROM cand_array c, placement_matrix('2026-03-01', c.a) m GROUP BY 1$q$) AS verdicts_ms,
       pg_temp.ms($q$SELECT count(*) FROM placement_summary('2026-03-01', (SELECT array_agg(e) FROM candidates))$q$) AS summary_ms;
SELECT floor_ms, matrix_ms, round(matrix_ms / floor_ms, 2) AS matrix_ratio,
       verdicts_ms, round(verdicts_ms / floor_ms, 2) AS verdicts_ratio,
       summary_ms, round(summary_ms / floor_ms, 2) AS summary_ratio
FROM timing;
SELECT verdict, count(*) FROM cand_array c, placement_matrix('2026-03-01', c.a) m GROUP BY 1 ORDER BY 1;
ROLLBACK;
