SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS dealscope;
RESET client_min_messages;
SET search_path = dealscope, public;
SET datestyle = ISO, YMD;
\set SHOW_CONTEXT never

-- The *_dist aggregates and reports (src/distributed.sql) on one node: the
-- same answers as prorate_agg, revenue_agg, revenue_provider_agg,
-- exposure_agg, revenue_report and exposure, byte for byte (compared as
-- text: numeric equality would ignore the scale); in parallel; and their
-- errors.  test/citus/run checks them on three Citus nodes.  The test owns
-- revenue_flow: it starts and ends empty.
TRUNCATE revenue_flow RESTART IDENTITY;
DELETE FROM clause WHERE deal_id = 'dd-deal';
DELETE FROM deal WHERE id = 'dd-deal';

INSERT INTO party (id) VALUES ('maker'), ('cloud'), ('other'), ('broker') ON CONFLICT DO NOTHING;
INSERT INTO deal (id, name, parties) VALUES ('dd-deal', 'distributed test', '{maker,cloud}');
INSERT INTO clause (id, deal_id, kind, holder, grantor, products, scope, valid, rate) VALUES
    ('dd-share', 'dd-deal', 'revenue_share', 'cloud', 'maker', '*', NULL,
     '[2024-01-01,2025-07-01)', '{[2024-01-01,2025-07-01) 20%->5%}'),
    ('dd-share-after', 'dd-deal', 'revenue_share', 'cloud', 'maker', '*', NULL, '[2025-07-01,)', '5%'),
    ('dd-api', 'dd-deal', 'revenue_share', 'broker', 'maker', 'api/*', 'aws/*', '[2024-03-01,2026-01-01)', '7.5%'),
    ('dd-hosted', 'dd-deal', 'revenue_share', 'maker', 'cloud', 'hosted/*', NULL, '[2024-01-01,)', '12%');
INSERT INTO clause (id, deal_id, kind, holder, grantor, scope, valid)
VALUES ('dd-excl', 'dd-deal', 'exclusivity', 'cloud', 'maker', 'azure', '[2024-01-01,2027-01-01)');

-- 6,000 flows: three sellers, products (some NULL), four channels, three
-- currencies, periods of 1 to 200 days, refunds
INSERT INTO revenue_flow (seller, buyer, product, channel, amount, currency, period)
SELECT (ARRAY['maker', 'cloud', 'other'])[1 + i % 3],
       CASE WHEN i % 5 = 0 THEN 'maker' END,
       (ARRAY['api/large', 'hosted/maker-1', 'chat/plus', NULL])[1 + (i / 5) % 4],
       (ARRAY['azure/eastus', 'aws/us-east-1/bedrock', 'maker/global/api', 'zz/x'])[1 + (i / 7) % 4]::endpoint,
       CASE WHEN (i / 3) % 3 = 2 THEN round((i * 7919 % 100000) * CASE WHEN i % 41 = 0 THEN -1 ELSE 1 END)
            ELSE round((i * 7919 % 100000) * CASE WHEN i % 41 = 0 THEN -1 ELSE 1 END / 100.0, 2) END,
       (ARRAY['USD', 'EUR', 'JPY'])[1 + (i / 3) % 3],
       daterange(DATE '2024-01-01' + (i * 37 % 900), DATE '2024-01-01' + (i * 37 % 900) + 1 + i % 200)
FROM generate_series(1, 6000) i;
ANALYZE revenue_flow;

------------------------------------------------------------------------------
-- the same answers as the internal-state aggregates
------------------------------------------------------------------------------
SELECT currency,
       (SELECT prorate_agg(amount, period, currency, 'month', 1, '10%') FROM revenue_flow f WHERE f.currency = c.currency)::text
       = (SELECT prorate_agg_dist(amount, period, currency, 'month', 1, '10%') FROM revenue_flow f WHERE f.currency = c.currency)::text
       AS prorate_same,
       (SELECT revenue_agg(seller, product, channel, amount, currency, period, 'quarter', 4, NULL)
          FROM revenue_flow f WHERE f.currency = c.currency)::text
       = (SELECT revenue_agg_dist(seller, product, channel, amount, currency, period, 'quarter', 4, NULL,
                                  (SELECT array_agg(cl) FROM clause cl))
          FROM revenue_flow f WHERE f.currency = c.currency)::text
       AS revenue_same,
       (SELECT revenue_agg(seller, product, channel, amount, currency, period, 'week', 1, 'broker')
          FROM revenue_flow f WHERE f.currency = c.currency)::text
       = (SELECT revenue_agg_dist(seller, product, channel, amount, currency, period, 'week', 1, 'broker',
                                  (SELECT array_agg(cl) FROM clause cl))
          FROM revenue_flow f WHERE f.currency = c.currency)::text
       AS one_holder_same
FROM (VALUES ('USD'), ('EUR'), ('JPY')) c(currency) ORDER BY 1;

SELECT (SELECT revenue_provider_agg(seller, product, channel, amount, currency, period, 'month', 1, '[2024-06-01,2025-03-01)')
          FROM revenue_flow)::text
       = (SELECT revenue_provider_agg_dist(seller, product, channel, amount, currency, period, 'month', 1,
                                           '[2024-06-01,2025-03-01)', (SELECT array_agg(cl) FROM clause cl))
          FROM revenue_flow)::text AS provider_same,
       (SELECT exposure_agg('maker', seller, buyer, product, channel, amount, currency, period, 'half', 1, NULL)
          FROM revenue_flow)::text
       = (SELECT exposure_agg_dist('maker', seller, buyer, product, channel, amount, currency, period, 'half', 1, NULL,
                                   (SELECT array_agg(cl) FROM clause cl))
          FROM revenue_flow)::text AS exposure_same,
       cardinality((SELECT exposure_agg_dist('maker', seller, buyer, product, channel, amount, currency, period, 'half', 1,
                                             NULL, (SELECT array_agg(cl) FROM clause cl)) FROM revenue_flow)) AS cells;

-- grouped (a state per group), and the clauses from a CTE joined to every row
WITH terms AS MATERIALIZED (SELECT array_agg(cl) AS a FROM clause cl WHERE kind = 'revenue_share')
SELECT f.seller, f.currency,
       revenue_agg(f.seller, f.product, f.channel, f.amount, f.currency, f.period, 'year', 1, NULL)::text
       = revenue_agg_dist(f.seller, f.product, f.channel, f.amount, f.currency, f.period, 'year', 1, NULL, t.a)::text AS same
FROM revenue_flow f, terms t GROUP BY 1, 2 ORDER BY 1, 2;

-- the reports, over a table given by name
SELECT (SELECT array_agg(r) FROM revenue_report('[2024-01-01,2027-01-01)') r)::text
       = (SELECT array_agg(r) FROM revenue_report_dist('revenue_flow', '[2024-01-01,2027-01-01)') r)::text AS month_same,
       (SELECT array_agg(r) FROM revenue_report('[2024-05-17,2025-02-01)', 'quarter', 7) r)::text
       = (SELECT array_agg(r) FROM revenue_report_dist('dealscope.revenue_flow', '[2024-05-17,2025-02-01)', 'quarter', 7) r)::text
       AS fiscal_same,
       (SELECT count(*) FROM revenue_report_dist('revenue_flow', '[2024-01-01,2027-01-01)')) AS report_rows,
       (SELECT array_agg(r) FROM exposure('maker', '(,)') r)::text
       = (SELECT array_agg(r) FROM exposure_dist('revenue_flow', 'maker', '(,)') r)::text AS exposure_same,
       (SELECT array_agg(r) FROM exposure('cloud', '[2024-01-01,2025-01-01)', 'month') r)::text
       = (SELECT array_agg(r) FROM exposure_dist('revenue_flow', 'cloud', '[2024-01-01,2025-01-01)', 'month') r)::text
       AS exposure_cloud_same;
SELECT * FROM revenue_report_dist('revenue_flow', '[2024-01-01,2024-04-01)', 'quarter') WHERE seller = 'maker';

-- a user's table with the same columns (and others): the same report
CREATE TABLE pg_temp.my_flows AS SELECT id AS flow_no, *, 'x' AS note FROM revenue_flow;
SELECT (SELECT array_agg(r) FROM revenue_report('[2024-01-01,2027-01-01)', 'year') r)::text
       = (SELECT array_agg(r) FROM revenue_report_dist('my_flows', '[2024-01-01,2027-01-01)', 'year') r)::text AS same;

------------------------------------------------------------------------------
-- in parallel: partial states flattened in the workers, combined in the leader
------------------------------------------------------------------------------
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF)
SELECT revenue_provider_agg_dist(seller, product, channel, amount, currency, period, 'month', 1, NULL,
                                 (SELECT array_agg(cl) FROM clause cl)) FROM revenue_flow;
-- (the keys of a keyed state come in the order they were first seen: compared sorted)
SELECT (SELECT array_agg(c ORDER BY c::text) FROM unnest((SELECT revenue_provider_agg_dist(seller, product, channel,
            amount, currency, period, 'month', 1, NULL, (SELECT array_agg(cl) FROM clause cl)) FROM revenue_flow)) c)::text
       = (SELECT array_agg(c ORDER BY c::text) FROM unnest((SELECT revenue_provider_agg(seller, product, channel,
            amount, currency, period, 'month', 1, NULL) FROM revenue_flow)) c)::text AS provider_same,
       (SELECT prorate_agg_dist(amount, period, currency, 'day', 1, NULL) FROM revenue_flow WHERE currency = 'EUR')::text
       = (SELECT prorate_agg(amount, period, currency, 'day', 1, NULL) FROM revenue_flow WHERE currency = 'EUR')::text
       AS prorate_same;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

------------------------------------------------------------------------------
-- the clauses argument
------------------------------------------------------------------------------
-- NULL or an empty array: no revenue shares; rows of other kinds are ignored
SELECT (SELECT revenue_agg_dist(seller, product, channel, amount, currency, period, 'year', 1, NULL, NULL)
          FROM revenue_flow WHERE currency = 'USD')::text
       = (SELECT prorate_agg(amount, period, currency, 'year', 1, NULL) FROM revenue_flow WHERE currency = 'USD')::text
       AS null_is_none,
       (SELECT revenue_agg_dist(seller, product, channel, amount, currency, period, 'year', 1, NULL, '{}')
          FROM revenue_flow WHERE currency = 'USD')::text
       = (SELECT prorate_agg(amount, period, currency, 'year', 1, NULL) FROM revenue_flow WHERE currency = 'USD')::text
       AS empty_is_none,
       (SELECT revenue_agg_dist(seller, product, channel, amount, currency, period, 'year', 1, NULL,
                                (SELECT array_agg(cl) FROM clause cl WHERE kind <> 'revenue_share'))
          FROM revenue_flow WHERE currency = 'USD')::text
       = (SELECT prorate_agg(amount, period, currency, 'year', 1, NULL) FROM revenue_flow WHERE currency = 'USD')::text
       AS other_kinds_ignored;
-- a what-if: the shares without one clause, as if it were deleted
BEGIN;
SELECT array_agg(cl ORDER BY cl.id) AS without_api FROM clause cl WHERE id <> 'dd-api' \gset
DELETE FROM clause WHERE id = 'dd-api';
SELECT (SELECT revenue_agg(seller, product, channel, amount, currency, period, 'quarter', 1, NULL)
          FROM revenue_flow WHERE currency = 'EUR')::text AS after_delete \gset
ROLLBACK;
SELECT (SELECT revenue_agg_dist(seller, product, channel, amount, currency, period, 'quarter', 1, NULL, :'without_api')
          FROM revenue_flow WHERE currency = 'EUR')::text = :'after_delete' AS what_if_same,
       :'after_delete' <> (SELECT revenue_agg(seller, product, channel, amount, currency, period, 'quarter', 1, NULL)
                           FROM revenue_flow WHERE currency = 'EUR')::text AS the_clause_matters;

-- a revenue_share row the clause table would reject
SELECT revenue_agg_dist('maker', NULL, 'azure/eastus', 10, 'USD', '[2025-01-01,2025-02-01)', 'month', 1, NULL,
       ARRAY[ROW('bad', NULL, 'revenue_share', NULL, 'maker', '*', NULL, '[2025-01-01,)', '10%',
                 NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::clause]);
SELECT revenue_agg_dist('maker', NULL, 'azure/eastus', 10, 'USD', '[2025-01-01,2025-02-01)', 'month', 1, NULL,
       ARRAY[ROW('bad-rate', NULL, 'revenue_share', 'cloud', 'maker', '*', NULL, '[2025-01-01,)', NULL,
                 NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::clause]);
SELECT revenue_agg_dist('maker', NULL, 'azure/eastus', 10, 'USD', '[2025-01-01,2025-02-01)', 'month', 1, NULL,
       ARRAY[ROW(NULL, NULL, 'revenue_share', 'cloud', 'maker', '*', NULL, 'empty', '10%',
                 NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::clause]);
-- ... and one that it accepts, with NULL products (all products)
SELECT s.label, s.gross, s.share FROM unnest((SELECT revenue_agg_dist('maker', NULL, 'azure/eastus', 10, 'USD', '[2025-01-01,2025-03-01)',
       'month', 1, NULL, ARRAY[ROW('ok', NULL, 'revenue_share', 'cloud', 'maker', NULL, NULL, '[2025-02-01,)', '10%',
                 NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::clause]))) s;
-- the clauses are read once per group: they must not change from row to row
SELECT revenue_agg_dist(seller, product, channel, amount, currency, period, 'year', 1, NULL,
                        CASE WHEN f.id % 2 = 0 THEN (SELECT array_agg(cl) FROM clause cl) END)
FROM revenue_flow f WHERE currency = 'USD';

------------------------------------------------------------------------------
-- states from elsewhere: bytes are checked
------------------------------------------------------------------------------
CREATE AGGREGATE pg_temp.combine_slices(bytea) (
    SFUNC = dealscope.dist_agg_combine, STYPE = bytea, FINALFUNC = dealscope.dist_slices_final);
CREATE AGGREGATE pg_temp.combine_keyed(bytea) (
    SFUNC = dealscope.dist_agg_combine, STYPE = bytea, FINALFUNC = dealscope.dist_keyed_final);
SELECT pg_temp.combine_slices(b) FROM (VALUES ('\x0102'::bytea)) v(b);
SELECT pg_temp.combine_slices(b) FROM (VALUES ('\x4453523101'::bytea)) v(b);
SELECT pg_temp.combine_slices(b) FROM (VALUES ('\x0102030405'::bytea)) v(b);
SELECT pg_temp.combine_slices(b) FROM (VALUES ('\x445345300107'::bytea)) v(b);
-- an empty state ("DSE0" and the family) and NULLs: no result
SELECT pg_temp.combine_slices(b) IS NULL AS empty FROM (VALUES ('\x4453453000'::bytea), (NULL)) v(b);
SELECT pg_temp.combine_keyed(b) FROM (VALUES ('\x4453453000'::bytea)) v(b);
-- outside an aggregate
SELECT dist_slices_final('\x4453453000');

------------------------------------------------------------------------------
-- the reports' arguments
------------------------------------------------------------------------------
SELECT * FROM revenue_report_dist(NULL, '[2025-01-01,2026-01-01)');
SELECT * FROM revenue_report_dist('revenue_flow', NULL);
SELECT * FROM revenue_report_dist('revenue_flow', '[2025-01-01,2026-01-01)', 'fortnight');
SELECT * FROM revenue_report_dist('clause', '[2025-01-01,2026-01-01)');
SELECT * FROM exposure_dist('revenue_flow', NULL, '[2025-01-01,2026-01-01)');
SELECT * FROM exposure_dist(NULL, 'maker', '[2025-01-01,2026-01-01)');

------------------------------------------------------------------------------
-- the aggregates that read the clause table refuse to run inside a query
-- a Citus coordinator sent to a worker (whose own clause table is not the
-- coordinator's); Citus names those connections so
------------------------------------------------------------------------------
SET application_name = 'citus_internal gpid=10000000001';
SELECT revenue_agg(seller, product, channel, amount, currency, period, 'year', 1, NULL) FROM revenue_flow WHERE currency = 'USD';
SELECT cardinality(prorate_agg(amount, period, currency, 'year', 1, NULL)) FROM revenue_flow WHERE currency = 'USD';
SELECT cardinality(revenue_agg_dist(seller, product, channel, amount, currency, period, 'year', 1, NULL,
                                    (SELECT array_agg(cl) FROM clause cl))) FROM revenue_flow WHERE currency = 'USD';
RESET application_name;

TRUNCATE revenue_flow RESTART IDENTITY;
DELETE FROM clause WHERE deal_id = 'dd-deal';
DELETE FROM deal WHERE id = 'dd-deal';

-- The clauses argument stands for the whole aggregation: a role or
-- row_security change between two fetches of a cursor does not make the
-- aggregate read the clause table instead (here 10%, the argument 50%).
BEGIN;
DELETE FROM clause; TRUNCATE revenue_flow;
INSERT INTO clause (id, kind, holder, grantor, valid, rate) VALUES ('s1', 'revenue_share', 'microsoft', 'openai', '[2026-01-01,2027-01-01)', '10%');
INSERT INTO revenue_flow (seller, buyer, product, channel, amount, currency, period)
SELECT 'openai', 'amazon', 'api/x', 'azure/eastus', 100, 'USD', '[2026-01-01,2026-02-01)' FROM generate_series(1, 3);
CREATE TEMP TABLE arg AS
SELECT array_agg(ROW(c.id, c.deal_id, c.kind, c.holder, c.grantor, c.products, c.scope, c.valid, '50%'::rate_schedule,
                     c.window_days, c.lag_days, c.data_class, c.jurisdictions, c.amount, c.currency, c.min_share, c.note)::clause) AS a
FROM clause c;
DECLARE cur CURSOR FOR
SELECT (revenue_agg_dist(f.seller, f.product, f.channel, f.amount, f.currency, f.period, 'month', 1, 'microsoft',
                         (SELECT a FROM arg)) OVER (ORDER BY f.id))[1].share
FROM revenue_flow f;
FETCH 1 cur;
SET LOCAL row_security = off;
FETCH ALL cur;
ROLLBACK;
