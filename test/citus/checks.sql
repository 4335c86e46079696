-- The checks of the three-node Citus test (test/citus/run runs this on the
-- coordinator, psql -At -v work=DIR, from the repository's root).  Every
-- check prints one line "CHECK<tab>ok|FAIL<tab>name<tab>detail"; the last
-- is "end".  Other lines are notes (measurements).
--
-- The single-node answers are the ordinary aggregates and reports over
-- dealscope.revenue_flow, a local table of the coordinator, i.e. plain
-- PostgreSQL; the same flows are copied into user tables that Citus
-- distributes: flows_seller (by seller), flows_id (by id) and
-- flows_channel (by channel, an endpoint).  Answers are compared value by
-- value: every column of every row (to_jsonb), rows in the queries' order.
\set ON_ERROR_STOP on
\pset footer off
\pset tuples_only on
\pset format unaligned
SET client_min_messages = warning;
\o /dev/null

-- The data: the benchmark's generator (20 makers, 200 clauses of which 60
-- revenue shares with amendments and winding-down rates, four currencies,
-- periods of 1 to 365 days), plus flows without a product.
\set scale 20000
\i test/bench/generate.sql
SET search_path = public, dealscope;
SET client_min_messages = warning;
INSERT INTO dealscope.revenue_flow (seller, buyer, product, channel, amount, currency, period)
SELECT seller, buyer, NULL, channel, amount, currency, period
FROM dealscope.revenue_flow WHERE id % 400 = 0;

-- The user's flow tables, with the columns of revenue_flow; a primary key
-- must contain the distribution column.
CREATE TABLE flows_seller (LIKE dealscope.revenue_flow INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
                           PRIMARY KEY (seller, id));
CREATE TABLE flows_id (LIKE dealscope.revenue_flow INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
                       PRIMARY KEY (id));
CREATE TABLE flows_channel (LIKE dealscope.revenue_flow INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
SELECT create_distributed_table('flows_seller', 'seller');
SELECT create_distributed_table('flows_id', 'id');
SELECT create_distributed_table('flows_channel', 'channel');
INSERT INTO flows_seller SELECT * FROM dealscope.revenue_flow;
INSERT INTO flows_id SELECT * FROM dealscope.revenue_flow;
INSERT INTO flows_channel SELECT * FROM dealscope.revenue_flow;
-- co-located with flows_channel: a per-channel attribute
CREATE TABLE channel_tag (channel dealscope.endpoint PRIMARY KEY, tag text NOT NULL);
SELECT create_distributed_table('channel_tag', 'channel', colocate_with => 'flows_channel');
INSERT INTO channel_tag
SELECT DISTINCT channel, CASE WHEN dealscope.provider(channel) IN ('aws', 'azure', 'gcp', 'oci') THEN 'cloud' ELSE 'direct' END
FROM dealscope.revenue_flow;

-- The checks' tools ---------------------------------------------------------------
CREATE SCHEMA citus_test;

-- Every value of a query's result: (row number, column, value as text).
-- Rows are numbered in the query's order when ordered, else in the order
-- of their values (a row set: the order Citus merges rows in is not kept).
CREATE FUNCTION citus_test.cells(q text, ordered boolean) RETURNS TABLE (n bigint, k text, v text)
LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY EXECUTE 'SELECT r.n, e.key, e.value FROM (SELECT row_number() OVER ('
        || CASE WHEN ordered THEN '' ELSE 'ORDER BY to_jsonb(q)::text COLLATE "C"' END
        || ') AS n, to_jsonb(q) AS j FROM (' || q || ') q) r, jsonb_each_text(r.j) e';
END $$;

CREATE FUNCTION citus_test.line(good boolean, name text, detail text) RETURNS text
LANGUAGE sql RETURN concat_ws(E'\t', 'CHECK', CASE WHEN good THEN 'ok' ELSE 'FAIL' END, name, detail);

-- single against dist over each table of tables ($T in dist; NULL: dist once, as it is).
CREATE FUNCTION citus_test.compare(name text, single text, dist text, tables text[], min_values int DEFAULT 100,
                                   ordered boolean DEFAULT false)
RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    t text;
    nv bigint;
    nd bigint;
BEGIN
    CREATE TEMP TABLE IF NOT EXISTS single_cells (n bigint, k text, v text);
    TRUNCATE single_cells;
    INSERT INTO single_cells SELECT * FROM citus_test.cells(single, ordered);
    FOREACH t IN ARRAY coalesce(tables, '{""}') LOOP
        SELECT (SELECT count(*) FROM single_cells),
               count(*) FILTER (WHERE a.n IS NULL OR b.n IS NULL OR a.v IS DISTINCT FROM b.v)
        INTO nv, nd
        FROM single_cells a FULL JOIN citus_test.cells(replace(dist, '$T', t), ordered) b USING (n, k);
        RETURN NEXT citus_test.line(nd = 0 AND nv >= min_values, name || CASE WHEN t <> '' THEN ' over ' || t ELSE '' END,
                                    format('%s values, %s differing', nv, nd));
    END LOOP;
END $$;

CREATE FUNCTION citus_test.plan(q text, with_analyze boolean DEFAULT false) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    l text;
    r text := '';
BEGIN
    FOR l IN EXECUTE 'EXPLAIN (VERBOSE, COSTS OFF' || CASE WHEN with_analyze THEN ', ANALYZE, TIMING OFF' ELSE '' END
                     || ') ' || q LOOP
        r := r || l || E'\n';
    END LOOP;
    RETURN r;
END $$;

-- A plan that shows every pattern of must and none of must_not (regular expressions).
CREATE FUNCTION citus_test.expect_plan(name text, q text, must text[], must_not text[] DEFAULT '{}')
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    p text := citus_test.plan(q);
    missing text[] := ARRAY(SELECT m FROM unnest(must) m WHERE p !~ m);
    present text[] := ARRAY(SELECT m FROM unnest(must_not) m WHERE p ~ m);
BEGIN
    IF cardinality(missing) > 0 OR cardinality(present) > 0 THEN
        RAISE WARNING 'plan of %: %', name, p;
    END IF;
    RETURN citus_test.line(cardinality(missing) = 0 AND cardinality(present) = 0, name,
        CASE WHEN cardinality(missing) = 0 AND cardinality(present) = 0
             THEN 'plan shows ' || array_to_string(must, ', ')
                  || CASE WHEN cardinality(must_not) > 0 THEN '; not ' || array_to_string(must_not, ', ') ELSE '' END
             ELSE 'missing ' || coalesce(array_to_string(missing, ', '), '') || ' present ' || coalesce(array_to_string(present, ', '), '') END);
END $$;

-- The time q takes (best of 3) and what the coordinator received from the
-- workers for it (EXPLAIN ANALYZE, where Citus can run it).
CREATE FUNCTION citus_test.measure(name text, q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz;
    best numeric;
    got text;
BEGIN
    FOR i IN 1..3 LOOP
        t0 := clock_timestamp();
        EXECUTE q;
        best := least(best, extract(epoch FROM clock_timestamp() - t0) * 1000);
    END LOOP;
    BEGIN
        got := coalesce((SELECT 'received ' || string_agg(m[1], ' + ')
                         FROM regexp_matches(citus_test.plan(q, true), 'Tuple data received from nodes: ([^\n]+)', 'g') m),
                        'nothing received');
    EXCEPTION WHEN OTHERS THEN
        got := 'EXPLAIN ANALYZE fails: ' || SQLERRM;
    END;
    RETURN format('%s: %s ms, %s', name, round(best), got);
END $$;

-- An error, its SQLSTATE and message (NULL: no error).
CREATE FUNCTION citus_test.error_of(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE q;
    RETURN NULL;
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ' ' || SQLERRM;
END $$;

CREATE FUNCTION citus_test.expect_error(name text, q text, pattern text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    e text := citus_test.error_of(q);
BEGIN
    RETURN citus_test.line(coalesce(e ~ pattern, false), name, coalesce('error ' || e, 'no error'));
END $$;

\o
-- 1. Every aggregate, single node against distributed, value by value ---------------
-- The internal-state aggregates (prorate_agg, ...) run on the coordinator
-- over rows the workers send; the *_dist ones are split: partial states on
-- the workers, combined on the coordinator.

SELECT citus_test.compare('prorate_agg',
$q$SELECT g.currency AS cur, c.* FROM (SELECT currency, dealscope.prorate_agg(amount, period, currency, 'month', 1,
        dealscope.rate_schedule('{[2024-01-01,2025-07-01) 12.5%, [2025-07-01,2027-01-01) 12.5%->0%}')) a
     FROM dealscope.revenue_flow GROUP BY currency) g, unnest(g.a) WITH ORDINALITY c ORDER BY 1, c.ordinality$q$,
$q$SELECT g.currency AS cur, c.* FROM (SELECT currency, dealscope.prorate_agg(amount, period, currency, 'month', 1,
        dealscope.rate_schedule('{[2024-01-01,2025-07-01) 12.5%, [2025-07-01,2027-01-01) 12.5%->0%}')) a
     FROM $T GROUP BY currency) g, unnest(g.a) WITH ORDINALITY c ORDER BY 1, c.ordinality$q$,
'{flows_seller,flows_id,flows_channel}');
SELECT citus_test.compare('prorate_agg_dist',
$q$SELECT g.currency AS cur, c.* FROM (SELECT currency, dealscope.prorate_agg(amount, period, currency, 'month', 1,
        dealscope.rate_schedule('{[2024-01-01,2025-07-01) 12.5%, [2025-07-01,2027-01-01) 12.5%->0%}')) a
     FROM dealscope.revenue_flow GROUP BY currency) g, unnest(g.a) WITH ORDINALITY c ORDER BY 1, c.ordinality$q$,
$q$SELECT g.currency AS cur, c.* FROM (SELECT currency, dealscope.prorate_agg_dist(amount, period, currency, 'month', 1,
        dealscope.rate_schedule('{[2024-01-01,2025-07-01) 12.5%, [2025-07-01,2027-01-01) 12.5%->0%}')) a
     FROM $T GROUP BY currency) g, unnest(g.a) WITH ORDINALITY c ORDER BY 1, c.ordinality$q$,
'{flows_seller,flows_id,flows_channel,dealscope.revenue_flow}');

SELECT citus_test.compare('revenue_agg (every holder, fiscal quarters from April)',
$q$SELECT g.currency AS cur, c.* FROM (SELECT currency, dealscope.revenue_agg(seller, product, channel, amount, currency,
        period, 'quarter', 4, NULL) a FROM dealscope.revenue_flow GROUP BY currency) g,
     unnest(g.a) WITH ORDINALITY c ORDER BY 1, c.ordinality$q$,
$q$SELECT g.currency AS cur, c.* FROM (SELECT currency, dealscope.revenue_agg(seller, product, channel, amount, currency,
        period, 'quarter', 4, NULL) a FROM $T GROUP BY currency) g,
     unnest(g.a) WITH ORDINALITY c ORDER BY 1, c.ordinality$q$,
'{flows_seller,flows_id,flows_channel}');
SELECT citus_test.compare('revenue_agg_dist (every holder, fiscal quarters from April)',
$q$SELECT g.currency AS cur, c.* FROM (SELECT currency, dealscope.revenue_agg(seller, product, channel, amount, currency,
        period, 'quarter', 4, NULL) a FROM dealscope.revenue_flow GROUP BY currency) g,
     unnest(g.a) WITH ORDINALITY c ORDER BY 1, c.ordinality$q$,
$q$SELECT g.currency AS cur, c.* FROM (SELECT currency, dealscope.revenue_agg_dist(seller, product, channel, amount, currency,
        period, 'quarter', 4, NULL, (SELECT array_agg(c) FROM dealscope.clause c)) a FROM $T GROUP BY currency) g,
     unnest(g.a) WITH ORDINALITY c ORDER BY 1, c.ordinality$q$,
'{flows_seller,flows_id,flows_channel,dealscope.revenue_flow}');
SELECT citus_test.compare('revenue_agg_dist (holder microsoft, months, clauses from a CTE)',
$q$SELECT g.currency AS cur, c.* FROM (SELECT currency, dealscope.revenue_agg(seller, product, channel, amount, currency,
        period, 'month', 1, 'microsoft') a FROM dealscope.revenue_flow GROUP BY currency) g,
     unnest(g.a) WITH ORDINALITY c ORDER BY 1, c.ordinality$q$,
$q$WITH terms AS MATERIALIZED (SELECT array_agg(c) AS clauses FROM dealscope.clause c WHERE c.kind = 'revenue_share')
SELECT g.currency AS cur, c.* FROM (SELECT currency, dealscope.revenue_agg_dist(seller, product, channel, amount, currency,
        period, 'month', 1, 'microsoft', terms.clauses) a FROM $T, terms GROUP BY currency) g,
     unnest(g.a) WITH ORDINALITY c ORDER BY 1, c.ordinality$q$,
'{flows_seller,flows_id,flows_channel}');

SELECT citus_test.compare('revenue_provider_agg (months, window 2025)',
$q$SELECT c.* FROM unnest((SELECT dealscope.revenue_provider_agg(seller, product, channel, amount, currency, period,
        'month', 1, '[2025-01-01,2026-01-01)') FROM dealscope.revenue_flow)) c
     ORDER BY c.party, c.provider, c.currency, c.slice_start$q$,
$q$SELECT c.* FROM unnest((SELECT dealscope.revenue_provider_agg(seller, product, channel, amount, currency, period,
        'month', 1, '[2025-01-01,2026-01-01)') FROM $T)) c
     ORDER BY c.party, c.provider, c.currency, c.slice_start$q$,
'{flows_seller,flows_id,flows_channel}');
SELECT citus_test.compare('revenue_provider_agg_dist (months, window 2025)',
$q$SELECT c.* FROM unnest((SELECT dealscope.revenue_provider_agg(seller, product, channel, amount, currency, period,
        'month', 1, '[2025-01-01,2026-01-01)') FROM dealscope.revenue_flow)) c
     ORDER BY c.party, c.provider, c.currency, c.slice_start$q$,
$q$SELECT c.* FROM unnest((SELECT dealscope.revenue_provider_agg_dist(seller, product, channel, amount, currency, period,
        'month', 1, '[2025-01-01,2026-01-01)', (SELECT array_agg(c) FROM dealscope.clause c)) FROM $T)) c
     ORDER BY c.party, c.provider, c.currency, c.slice_start$q$,
'{flows_seller,flows_id,flows_channel,dealscope.revenue_flow}');

SELECT citus_test.compare('exposure_agg (openai, quarters)',
$q$SELECT c.* FROM unnest((SELECT dealscope.exposure_agg('openai', seller, buyer, product, channel, amount, currency,
        period, 'quarter', 1, NULL) FROM dealscope.revenue_flow)) c
     ORDER BY c.kind, c.party, c.provider, c.currency, c.slice_start$q$,
$q$SELECT c.* FROM unnest((SELECT dealscope.exposure_agg('openai', seller, buyer, product, channel, amount, currency,
        period, 'quarter', 1, NULL) FROM $T)) c
     ORDER BY c.kind, c.party, c.provider, c.currency, c.slice_start$q$,
'{flows_seller,flows_id,flows_channel}');
SELECT citus_test.compare('exposure_agg_dist (openai, quarters)',
$q$SELECT c.* FROM unnest((SELECT dealscope.exposure_agg('openai', seller, buyer, product, channel, amount, currency,
        period, 'quarter', 1, NULL) FROM dealscope.revenue_flow)) c
     ORDER BY c.kind, c.party, c.provider, c.currency, c.slice_start$q$,
$q$SELECT c.* FROM unnest((SELECT dealscope.exposure_agg_dist('openai', seller, buyer, product, channel, amount, currency,
        period, 'quarter', 1, NULL, (SELECT array_agg(c) FROM dealscope.clause c)) FROM $T)) c
     ORDER BY c.kind, c.party, c.provider, c.currency, c.slice_start$q$,
'{flows_seller,flows_id,flows_channel,dealscope.revenue_flow}');

-- Grouped by the distribution column: the whole aggregate runs on the workers.
SELECT citus_test.compare('revenue_agg_dist grouped by seller',
$q$SELECT g.seller, g.currency AS cur, c.* FROM (SELECT seller, currency, dealscope.revenue_agg(seller, product, channel,
        amount, currency, period, 'half', 1, NULL) a FROM dealscope.revenue_flow GROUP BY seller, currency) g,
     unnest(g.a) WITH ORDINALITY c ORDER BY 1, 2, c.ordinality$q$,
$q$SELECT g.seller, g.currency AS cur, c.* FROM (SELECT seller, currency, dealscope.revenue_agg_dist(seller, product, channel,
        amount, currency, period, 'half', 1, NULL, (SELECT array_agg(c) FROM dealscope.clause c)) a
     FROM $T GROUP BY seller, currency) g,
     unnest(g.a) WITH ORDINALITY c ORDER BY 1, 2, c.ordinality$q$,
'{flows_seller,flows_id,flows_channel}');
-- ... where revenue_agg, which reads the clause table, refuses (a worker's
-- own clause table is empty: its shares would be 0)
SELECT citus_test.expect_error('revenue_agg grouped by the distribution column refuses to run on the workers',
$q$SELECT seller, dealscope.revenue_agg(seller, product, channel, amount, currency, period, 'month', 1, NULL)
     FROM flows_seller GROUP BY seller, currency$q$,
'^0A000 the revenue_share clauses cannot be read on a Citus worker');
SELECT citus_test.compare('prorate_agg grouped by seller (no clauses: runs on the workers)',
$q$SELECT g.seller, g.currency AS cur, c.* FROM (SELECT seller, currency, dealscope.prorate_agg(amount, period, currency,
        'week', 1, NULL) a FROM dealscope.revenue_flow GROUP BY seller, currency) g,
     unnest(g.a) WITH ORDINALITY c ORDER BY 1, 2, c.ordinality$q$,
$q$SELECT g.seller, g.currency AS cur, c.* FROM (SELECT seller, currency, dealscope.prorate_agg(amount, period, currency,
        'week', 1, NULL) a FROM $T GROUP BY seller, currency) g,
     unnest(g.a) WITH ORDINALITY c ORDER BY 1, 2, c.ordinality$q$,
'{flows_seller}');

-- 2. What is pushed down (EXPLAIN) ------------------------------------------------
SELECT citus_test.expect_plan('revenue_provider_agg (state internal) is not split: the workers send rows',
$q$SELECT dealscope.revenue_provider_agg(seller, product, channel, amount, currency, period, 'month', 1, NULL)
   FROM flows_seller$q$,
ARRAY['Aggregate\s+Output: (dealscope\.)?revenue_provider_agg\(remote_scan', 'Query: SELECT seller AS revenue_provider_agg, product AS'],
ARRAY['worker_partial_agg', 'coord_combine_agg']);
SELECT citus_test.expect_plan('revenue_provider_agg_dist is split: partial aggregates on the workers, combined on the coordinator',
$q$SELECT dealscope.revenue_provider_agg_dist(seller, product, channel, amount, currency, period, 'month', 1, NULL,
       (SELECT array_agg(c) FROM dealscope.clause c)) FROM flows_seller$q$,
ARRAY['coord_combine_agg\(', 'Query: SELECT pg_catalog\.worker_partial_agg\(''dealscope\.revenue_provider_agg_dist', 'Distributed Subplan']);
SELECT citus_test.expect_plan('revenue_agg_dist grouped by currency: partial aggregates per currency on the workers',
$q$SELECT currency, dealscope.revenue_agg_dist(seller, product, channel, amount, currency, period, 'month', 1, NULL,
       (SELECT array_agg(c) FROM dealscope.clause c)) FROM flows_id GROUP BY currency$q$,
ARRAY['coord_combine_agg\(', 'worker_partial_agg\(', 'GROUP BY worker_column_1']);
SELECT citus_test.expect_plan('revenue_agg_dist grouped by the distribution column: whole aggregates on the workers',
$q$SELECT seller, dealscope.revenue_agg_dist(seller, product, channel, amount, currency, period, 'month', 1, NULL,
       (SELECT array_agg(c) FROM dealscope.clause c)) FROM flows_seller GROUP BY seller, currency$q$,
ARRAY['Query: SELECT worker_column_1 AS seller, dealscope\.revenue_agg_dist\('],
ARRAY['worker_partial_agg', 'coord_combine_agg']);
SELECT citus_test.expect_plan('exposure_agg_dist: partial aggregates on the workers',
$q$SELECT dealscope.exposure_agg_dist('openai', seller, buyer, product, channel, amount, currency, period, 'quarter', 1,
       NULL, (SELECT array_agg(c) FROM dealscope.clause c)) FROM flows_channel$q$,
ARRAY['coord_combine_agg\(', 'worker_partial_agg\(''dealscope\.exposure_agg_dist']);
SELECT citus_test.expect_plan('prorate_agg_dist: partial aggregates on the workers',
$q$SELECT currency, dealscope.prorate_agg_dist(amount, period, currency, 'month', 1, NULL) FROM flows_id GROUP BY currency$q$,
ARRAY['coord_combine_agg\(', 'worker_partial_agg\(''dealscope\.prorate_agg_dist']);
-- what it costs: rows sent to the coordinator against partial states
SELECT citus_test.measure('revenue_provider_agg over flows_seller (rows sent)',
$q$SELECT dealscope.revenue_provider_agg(seller, product, channel, amount, currency, period, 'month', 1, NULL) FROM flows_seller$q$);
SELECT citus_test.measure('revenue_provider_agg_dist over flows_seller (partial states sent)',
$q$SELECT dealscope.revenue_provider_agg_dist(seller, product, channel, amount, currency, period, 'month', 1, NULL,
       (SELECT array_agg(c) FROM dealscope.clause c WHERE c.kind = 'revenue_share')) FROM flows_seller$q$);

-- the partial states as the workers send them (worker_partial_agg's text), per shard
SELECT format('revenue_provider_agg_dist over flows_seller: partial states of %s shards, %s bytes of text in all (%s failed)',
              count(*), sum(length(result)) FILTER (WHERE success), count(*) FILTER (WHERE NOT success))
FROM run_command_on_shards('flows_seller', $q$SELECT pg_catalog.worker_partial_agg(
    'dealscope.revenue_provider_agg_dist(text,text,dealscope.endpoint,numeric,character,daterange,text,integer,daterange,dealscope.clause[])'::regprocedure,
    ROW(seller, product, channel, amount, currency, period, 'month'::text, 1, NULL::daterange, NULL::dealscope.clause[]))::text FROM %s$q$);

-- 3. The reports over a distributed flow table ---------------------------------------
SELECT citus_test.compare('revenue_report_dist (months, 2024-2026)',
$q$SELECT * FROM dealscope.revenue_report('[2024-01-01,2027-01-01)')$q$,
$q$SELECT * FROM dealscope.revenue_report_dist('$T', '[2024-01-01,2027-01-01)')$q$,
'{flows_seller,flows_id,flows_channel,dealscope.revenue_flow}', 100, true);
SELECT citus_test.compare('revenue_report_dist (fiscal quarters from July, 2025-03-15 to 2026-02-01)',
$q$SELECT * FROM dealscope.revenue_report('[2025-03-15,2026-02-01)', 'quarter', 7)$q$,
$q$SELECT * FROM dealscope.revenue_report_dist('$T', '[2025-03-15,2026-02-01)', 'quarter', 7)$q$,
'{flows_seller,flows_id,flows_channel}', 100, true);
SELECT citus_test.compare('exposure_dist (openai, quarters)',
$q$SELECT * FROM dealscope.exposure('openai', '[2024-01-01,2027-01-01)')$q$,
$q$SELECT * FROM dealscope.exposure_dist('$T', 'openai', '[2024-01-01,2027-01-01)')$q$,
'{flows_seller,flows_id,flows_channel,dealscope.revenue_flow}', 100, true);
SELECT citus_test.compare('exposure_dist (microsoft, months of 2025)',
$q$SELECT * FROM dealscope.exposure('microsoft', '[2025-01-01,2026-01-01)', 'month')$q$,
$q$SELECT * FROM dealscope.exposure_dist('$T', 'microsoft', '[2025-01-01,2026-01-01)', 'month')$q$,
'{flows_seller,flows_id,flows_channel}', 100, true);
SELECT citus_test.compare('exposure_dist (anthropic, years)',
$q$SELECT * FROM dealscope.exposure('anthropic', '(,)', 'year')$q$,
$q$SELECT * FROM dealscope.exposure_dist('$T', 'anthropic', '(,)', 'year')$q$,
'{flows_seller,flows_id,flows_channel}', 20, true);
SELECT citus_test.line(
    (SELECT sum(share) > 0 AND count(DISTINCT seller) >= 20 FROM dealscope.revenue_report('[2024-01-01,2027-01-01)')),
    'the single-node answers are not trivial', 'revenue shares > 0 over at least 20 sellers');

-- 4. Endpoint as distribution column ---------------------------------------------------
SELECT citus_test.compare('co-located join on channel (endpoint)',
$q$SELECT t.tag, f.currency, count(*) AS flows, sum(f.amount) AS amount
   FROM dealscope.revenue_flow f JOIN (SELECT DISTINCT channel, CASE WHEN dealscope.provider(channel) IN ('aws', 'azure', 'gcp', 'oci')
                                       THEN 'cloud' ELSE 'direct' END AS tag FROM dealscope.revenue_flow) t USING (channel)
   GROUP BY 1, 2 ORDER BY 1, 2$q$,
$q$SELECT t.tag, f.currency, count(*) AS flows, sum(f.amount) AS amount
   FROM $T f JOIN channel_tag t USING (channel) GROUP BY 1, 2 ORDER BY 1, 2$q$,
'{flows_channel}', 10);
SELECT citus_test.expect_plan('co-located join on channel: pushed down, one task per shard pair',
$q$SELECT t.tag, count(*) FROM flows_channel f JOIN channel_tag t USING (channel) GROUP BY 1$q$,
ARRAY['Task Count: 8', 'JOIN public\.channel_tag_[0-9]+ t'], ARRAY['repartition', 'Distributed Subplan']);
SELECT citus_test.expect_plan('a channel in WHERE: routed to one shard',
$q$SELECT count(*) FROM flows_channel WHERE channel = 'azure/eastus/models'$q$,
ARRAY['Task Count: 1']);
SELECT citus_test.compare('flows of one channel (router query)',
$q$SELECT * FROM dealscope.revenue_flow WHERE channel = 'openai/global/api' ORDER BY id$q$,
$q$SELECT * FROM $T WHERE channel = 'openai/global/api' ORDER BY id$q$,
'{flows_channel}');

-- 5. Binary transfer between the nodes ------------------------------------------------
-- Results of worker queries in the binary protocol (citus.enable_binary_protocol,
-- on by default: endpoint, rate_schedule and endpoint_set have send and
-- receive functions), and in text, give the same rows.
CREATE TABLE clause_id (LIKE dealscope.clause);
SELECT create_distributed_table('clause_id', 'id');
INSERT INTO clause_id SELECT * FROM dealscope.clause;
SELECT citus_test.line(current_setting('citus.enable_binary_protocol')::boolean, 'binary protocol on',
                       'citus.enable_binary_protocol = ' || current_setting('citus.enable_binary_protocol'));
SELECT citus_test.compare('flows (endpoint) in binary from the workers',
$q$SELECT * FROM dealscope.revenue_flow ORDER BY id$q$, $q$SELECT * FROM $T ORDER BY id$q$,
'{flows_channel,flows_id}');
SELECT citus_test.compare('clauses (endpoint_set, rate_schedule) in binary from the workers',
$q$SELECT * FROM dealscope.clause ORDER BY id$q$, $q$SELECT * FROM $T ORDER BY id$q$, '{clause_id}');
SET citus.enable_binary_protocol = off;
SELECT citus_test.compare('flows (endpoint) in text from the workers',
$q$SELECT * FROM dealscope.revenue_flow ORDER BY id$q$, $q$SELECT * FROM $T ORDER BY id$q$, '{flows_channel}');
SELECT citus_test.compare('clauses (endpoint_set, rate_schedule) in text from the workers',
$q$SELECT * FROM dealscope.clause ORDER BY id$q$, $q$SELECT * FROM $T ORDER BY id$q$, '{clause_id}');
RESET citus.enable_binary_protocol;
-- intermediate results (a CTE's rows broadcast to the workers) travel in binary
SELECT citus_test.expect_plan('a CTE of endpoints and rate schedules is sent to the workers in binary',
$q$WITH c AS MATERIALIZED (SELECT grantor, scope, rate FROM clause_id WHERE rate IS NOT NULL)
   SELECT count(*) FROM flows_seller f JOIN c ON c.grantor = f.seller AND f.channel <@ c.scope$q$,
ARRAY['read_intermediate_result\(''[0-9_]+''::text, ''binary''::citus_copy_format\)']);
-- binary COPY: out of the local table, into a distributed one (the coordinator
-- reads it with the types' receive functions and sends the rows on), out of
-- that again: the same bytes
\o /dev/null
SELECT set_config('citus_test.dir', :'work', false);
CREATE TABLE flows_copy (LIKE dealscope.revenue_flow INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
SELECT create_distributed_table('flows_copy', 'channel');
DO $$
DECLARE
    dir text := current_setting('citus_test.dir');
BEGIN
    EXECUTE format('COPY (SELECT * FROM dealscope.revenue_flow ORDER BY id) TO %L WITH (FORMAT binary)', dir || '/local.bin');
    EXECUTE format('COPY flows_copy FROM %L WITH (FORMAT binary)', dir || '/local.bin');
    EXECUTE format('COPY (SELECT * FROM flows_copy ORDER BY id) TO %L WITH (FORMAT binary)', dir || '/distributed.bin');
    EXECUTE format('COPY (SELECT * FROM dealscope.clause ORDER BY id) TO %L WITH (FORMAT binary)', dir || '/clause-local.bin');
    EXECUTE format('COPY (SELECT * FROM clause_id ORDER BY id) TO %L WITH (FORMAT binary)', dir || '/clause-distributed.bin');
END $$;
\o
SELECT citus_test.compare('binary COPY into a table distributed by channel',
$q$SELECT * FROM dealscope.revenue_flow ORDER BY id$q$, $q$SELECT * FROM $T ORDER BY id$q$, '{flows_copy}');
SELECT citus_test.line(a = b AND length(a) > 1000000, 'binary COPY out of the distributed table: the same bytes as out of the local one',
                       format('%s bytes, md5 %s and %s', length(a), md5(a), md5(b)))
FROM (SELECT pg_read_binary_file(current_setting('citus_test.dir') || '/local.bin') a,
             pg_read_binary_file(current_setting('citus_test.dir') || '/distributed.bin') b) f;
SELECT citus_test.line(a = b, 'binary COPY of clauses (endpoint_set, rate_schedule) from the workers: the same bytes',
                       format('%s bytes', length(a)))
FROM (SELECT pg_read_binary_file(current_setting('citus_test.dir') || '/clause-local.bin') a,
             pg_read_binary_file(current_setting('citus_test.dir') || '/clause-distributed.bin') b) f;

-- 6. The extension's own tables under Citus ------------------------------------------
-- They stay local on the coordinator: revenue_flow's foreign keys reference
-- the local party table (and its primary key lacks seller), and the clause
-- table cannot become a reference table (the conversion drops and re-creates
-- it, which the extension's objects depending on it forbid).  Flows to
-- distribute go in a table of the user's own (above).
SELECT citus_test.expect_error('dealscope.revenue_flow cannot be distributed by seller',
$q$SELECT create_distributed_table('dealscope.revenue_flow', 'seller')$q$,
'^(0A000 cannot create constraint on "revenue_flow"|42P16 referenced table "party" must be a distributed table or a reference table)');
SELECT citus_test.expect_error('dealscope.revenue_flow cannot be distributed by id',
$q$SELECT create_distributed_table('dealscope.revenue_flow', 'id')$q$,
'^42P16 referenced table "party" must be a distributed table or a reference table');
SELECT citus_test.expect_error('dealscope.clause cannot be made a reference table',
$q$SELECT create_reference_table('dealscope.clause')$q$,
'^(42P07 relation "[a-z_]+" already exists|2BP01 cannot drop view dealscope_reporting)');

SELECT citus_test.line(true, 'end', 'all checks ran');
