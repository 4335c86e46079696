-- on the coordinator, with the example deal loaded (examples/msft_openai.sql, examples/msft_openai_revenue.sql)
SET search_path = public, dealscope;
-- a flow table of your own, with revenue_flow's columns; Citus wants the
-- distribution column in the primary key
CREATE TABLE flows (LIKE dealscope.revenue_flow INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
                    PRIMARY KEY (seller, id));
SELECT create_distributed_table('flows', 'seller');
INSERT INTO flows SELECT * FROM revenue_flow;
-- the report over it: the clause and provider tables are read on the
-- coordinator (local tables here), the flows on the workers
SELECT * FROM revenue_report_dist('flows', '[2026-01-01,2027-01-01)', 'half');
-- the same rows as revenue_report over revenue_flow on a single node
SELECT (SELECT array_agg(r) FROM revenue_report('[2025-07-01,2027-07-01)', 'quarter') r)::text
     = (SELECT array_agg(r) FROM revenue_report_dist('flows', '[2025-07-01,2027-07-01)', 'quarter') r)::text AS same_report,
       (SELECT array_agg(r) FROM exposure('openai', '[2025-07-01,2027-07-01)') r)::text
     = (SELECT array_agg(r) FROM exposure_dist('flows', 'openai', '[2025-07-01,2027-07-01)') r)::text AS same_exposure;
-- an aggregate directly: the clauses as an argument, a state Citus splits
SELECT c.label, c.gross, c.share, c.net
FROM unnest((SELECT revenue_agg_dist(seller, product, channel, amount, currency, period, 'year', 1, NULL,
                                     (SELECT array_agg(cl) FROM clause cl))
             FROM flows WHERE currency = 'USD')) c;
-- partial aggregates on the workers (worker_partial_agg), combined on the
-- coordinator (coord_combine_agg); the clauses travel as an intermediate result
\pset format unaligned
EXPLAIN (VERBOSE, COSTS OFF)
SELECT revenue_agg_dist(seller, product, channel, amount, currency, period, 'year', 1, NULL,
                        (SELECT array_agg(cl) FROM clause cl))
FROM flows WHERE currency = 'USD';
\pset format aligned
-- revenue_agg reads the clause table where it runs: grouped by the
-- distribution column it would run on the workers, so it refuses
SELECT seller, revenue_agg(seller, product, channel, amount, currency, period, 'year', 1, NULL)
FROM flows GROUP BY seller, currency;
