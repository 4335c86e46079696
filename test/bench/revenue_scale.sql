-- revenue_report and exposure at scale.  Generates a deterministic
-- model of :flows revenue flows (default 1,000,000; the targets are set at 10M)
-- over 3 years, 20 sellers with 200 revenue_share clauses (constant rates
-- and ramps, scoped and product-filtered), 4 currencies; then prints the
-- time of the floor query (SELECT seller, currency, sum(amount) ... GROUP BY),
-- of revenue_report monthly over the 3 years, of exposure for one party,
-- each as a ratio to the floor; with -v ref=1 also the plain-SQL reference
-- (test/reference/revenue.sql, day by day: only sensible at small scale).
-- Run in a scratch database after CREATE EXTENSION dealscope, from the
-- repository top:
--   psql -X -v ON_ERROR_STOP=1 -v flows=1000000 -f test/bench/revenue_scale.sql
--   psql -X -v ON_ERROR_STOP=1 -v flows=20000 -v ref=1 -f test/bench/revenue_scale.sql
\if :{?flows}
\else
\set flows 1000000
\endif
\if :{?ref}
\else
\set ref 0
\endif
SET search_path = dealscope, public;
TRUNCATE revenue_flow RESTART IDENTITY;
DELETE FROM clause WHERE deal_id = 'bench-rev';
DELETE FROM deal WHERE id = 'bench-rev';
SELECT setseed(0.77);
INSERT INTO deal (id) VALUES ('bench-rev');
INSERT INTO clause (id, deal_id, kind, holder, grantor, products, scope, valid, rate)
SELECT format('rs%s-%s', g, k), 'bench-rev', 'revenue_share', 'holder' || (k % 4), 'seller' || g,
       (ARRAY['*', 'api/*', 'chat/*', 'api/m1*,chat/x*'])[1 + (k + g) % 4],
       (ARRAY[NULL, 'azure', 'aws,gcp', '!oci', 'azure,aws/us-*'])[1 + (k * 3 + g) % 5]::endpoint_set,
       daterange(date '2024-01-01' + k * 60, date '2024-01-01' + k * 60 + 200 + g * 10),
       (CASE WHEN k % 2 = 0 THEN (5 + k)::text || '%'
             ELSE format('{[%s,%s) 20%%->0%%}', to_char(date '2024-01-01' + k * 60, 'YYYY-MM-DD'),
                         to_char(date '2024-01-01' + k * 60 + 200 + g * 10, 'YYYY-MM-DD')) END)::rate_schedule
FROM generate_series(1, 20) AS g, generate_series(1, 10) AS k;
INSERT INTO revenue_flow (seller, buyer, product, channel, amount, currency, period)
SELECT 'seller' || (1 + i % 25),                       -- 5 sellers owe nobody
       CASE WHEN i % 7 = 0 THEN 'seller' || (1 + i % 3) END,
       (ARRAY['api/m1', 'api/m2', 'chat/x1', 'chat/y', NULL])[1 + i % 5],
       (ARRAY['azure/eastus', 'aws/us-east-1/bedrock', 'gcp/europe-west4', 'oci/us-ashburn-1',
              'seller1/global/api', 'azure/westeurope'])[1 + (i / 5) % 6]::endpoint,
       ((i::bigint * 7919) % 1000000) / 100.0 * CASE WHEN i % 13 = 0 THEN -1 ELSE 1 END,
       (ARRAY['USD', 'USD', 'EUR', 'GBP'])[1 + i % 4],
       daterange(date '2024-01-01' + (i * 31) % 1000, date '2024-01-01' + (i * 31) % 1000 + 1 + (i * 17) % 365)
FROM generate_series(1, :flows) AS i;
VACUUM ANALYZE revenue_flow;
SELECT count(*) AS flows, (SELECT count(*) FROM clause WHERE deal_id = 'bench-rev') AS clauses,
       pg_size_pretty(pg_relation_size('revenue_flow')) AS size FROM revenue_flow;

CREATE FUNCTION pg_temp.ms(q text, runs int DEFAULT 3) RETURNS numeric LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz; best numeric := NULL; n bigint;
BEGIN
    FOR i IN 1..runs LOOP
        t0 := clock_timestamp();
        EXECUTE 'SELECT count(x) FROM (' || q || ') x' INTO n;
        best := LEAST(best, extract(epoch FROM clock_timestamp() - t0) * 1000);
    END LOOP;
    RETURN round(best, 1);
END $$;

CREATE TEMP TABLE timing (what text, workers int, ms numeric);
SET max_parallel_workers_per_gather = 0;
\set w 0
\ir revenue_scale_timing.sql
SET max_parallel_workers_per_gather = 2;
\set w 2
\ir revenue_scale_timing.sql
RESET max_parallel_workers_per_gather;
\if :ref
\set ECHO none
\i test/reference/prorate.sql
\i test/reference/revenue.sql
\set ECHO queries
INSERT INTO timing SELECT 'reference revenue_report', 2, pg_temp.ms(
    $q$SELECT * FROM dealscope_ref.revenue_report('[2024-01-01,2027-01-01)')$q$, 1);
INSERT INTO timing SELECT 'reference exposure', 2, pg_temp.ms(
    $q$SELECT * FROM dealscope_ref.exposure('seller1', '[2024-01-01,2027-01-01)')$q$, 1);
\endif
SELECT t.what, t.workers, t.ms,
       round(t.ms / f.ms, 2) AS x_floor
FROM timing t JOIN timing f ON f.what LIKE 'floor%' AND f.workers = t.workers
ORDER BY t.workers, t.what;

TRUNCATE revenue_flow RESTART IDENTITY;
DELETE FROM clause WHERE deal_id = 'bench-rev';
DELETE FROM deal WHERE id = 'bench-rev';
