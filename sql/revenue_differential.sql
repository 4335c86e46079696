SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS dealscope;
RESET client_min_messages;
SET search_path = dealscope, public;

-- Differential test: revenue_report, revenue_slices and exposure against the
-- plain-SQL references (test/reference/revenue.sql, on top of
-- test/reference/prorate.sql) on a generated model: 1,500 flows with random
-- periods, currencies, products (some NULL), channels (one provider not in
-- the catalog), refunds, and 16 overlapping revenue_share clauses with
-- constant rates and ramps of many lengths.  Every cell must agree to the cent.
\set ECHO none
SET client_min_messages = warning;
\i test/reference/prorate.sql
\i test/reference/revenue.sql
RESET client_min_messages;
\set ECHO all

DELETE FROM revenue_flow;
DELETE FROM clause WHERE deal_id = 'diff-deal';
DELETE FROM deal WHERE id = 'diff-deal';
INSERT INTO party (id) VALUES ('p1'), ('p2'), ('p3'), ('p4') ON CONFLICT DO NOTHING;
SELECT setseed(0.4242);
INSERT INTO deal (id, name, parties, signed_on) VALUES ('diff-deal', 'generated', '{p1,p2,p3,p4}', '2024-01-01');

INSERT INTO clause (id, deal_id, kind, holder, grantor, products, scope, valid, rate)
SELECT 'diff-rs-' || i, 'diff-deal', 'revenue_share',
       'p' || (1 + (g + 1 + floor(random() * 3)::int) % 4), 'p' || (1 + g),
       (ARRAY['*', 'api/*', 'chatgpt/*, api/gpt-5', 'api/gpt-5', '*enterprise', '**'])[1 + floor(random() * 6)::int],
       (ARRAY[NULL, 'azure', 'aws/us-*', '*, !gcp', 'gcp/*/vertex', 'zz'])[1 + floor(random() * 6)::int]::endpoint_set,
       CASE WHEN random() < 0.15 THEN daterange(NULL, v0 + vlen)
            WHEN random() < 0.15 THEN daterange(v0, NULL)
            ELSE daterange(v0, v0 + vlen) END,
       (CASE floor(random() * 4)::int
          WHEN 0 THEN (1 + floor(random() * 30))::text || '%'
          WHEN 1 THEN (floor(random() * 2000) / 100)::text || '%'
          WHEN 2 THEN '{[' || to_char(r0, 'YYYY-MM-DD') || ',' || to_char(r0 + rlen, 'YYYY-MM-DD') || ') '
                      || floor(random() * 30) || '%->' || floor(random() * 30) || '.5%}'
          ELSE '{[' || to_char(r0, 'YYYY-MM-DD') || ',' || to_char(r0 + rlen, 'YYYY-MM-DD') || ') 20%, ['
               || to_char(r0 + rlen, 'YYYY-MM-DD') || ',' || to_char(r0 + 2 * rlen + 3, 'YYYY-MM-DD')
               || ') 20%->0%}' END)::rate_schedule
FROM (SELECT i, floor(random() * 3)::int AS g,
             DATE '2024-01-01' + floor(random() * 1000)::int AS v0, 30 + floor(random() * 700)::int AS vlen,
             DATE '2024-01-01' + floor(random() * 1000)::int AS r0, 7 + floor(random() * 400)::int AS rlen
      FROM generate_series(1, 16) i) x;

INSERT INTO revenue_flow (seller, buyer, product, channel, amount, currency, period)
SELECT 'p' || (1 + floor(random() * 3)::int),
       (ARRAY[NULL, 'p1', 'p2', 'p3', 'p4'])[1 + floor(random() * 5)::int],
       (ARRAY[NULL, 'api/gpt-5', 'api/o3', 'chatgpt/plus', 'chatgpt/enterprise', 'sora'])[1 + floor(random() * 6)::int],
       (ARRAY['azure/eastus', 'aws/us-east-1/bedrock', 'aws/eu-west-1', 'gcp/europe-west4/vertex',
              'openai/global/api', 'zz/r1', 'oci/us-ashburn-1'])[1 + floor(random() * 7)::int]::endpoint,
       CASE WHEN random() < 0.15 THEN -1 ELSE 1 END
         * round(floor(random() * (CASE WHEN random() < 0.1 THEN 100 ELSE 10000000 END))::numeric
                 / 10::numeric ^ minor_unit(cur), minor_unit(cur)),
       cur,
       daterange(p0, p0 + CASE WHEN random() < 0.1 THEN 1 ELSE 1 + floor(random() * 180)::int END)
FROM (SELECT (ARRAY['USD', 'EUR', 'JPY', 'BHD'])[1 + floor(random() * 4)::int] AS cur,
             DATE '2024-01-01' + floor(random() * 1100)::int AS p0
      FROM generate_series(1, 1500)) x;
ANALYZE revenue_flow;

-- the model is not trivial: flows with shares, refunds, each currency
SELECT count(*) AS flows, count(*) FILTER (WHERE amount < 0) > 100 AS refunds,
       count(DISTINCT currency) AS currencies FROM revenue_flow;
SELECT count(*) > 500 AS flows_with_a_share
FROM revenue_flow f WHERE EXISTS (SELECT FROM clause c WHERE c.kind = 'revenue_share' AND c.grantor = f.seller);

-- revenue_report against the reference, monthly and by fiscal quarter
CREATE TEMP TABLE ext AS SELECT * FROM revenue_report('[2024-03-15,2026-09-01)');
CREATE TEMP TABLE ref AS SELECT * FROM dealscope_ref.revenue_report('[2024-03-15,2026-09-01)');
SELECT (SELECT count(*) FROM ext) AS report_rows, (SELECT count(*) FROM ext WHERE share <> 0) > 100 AS with_share,
       (SELECT count(*) FROM (TABLE ext EXCEPT ALL TABLE ref) a) AS only_ext,
       (SELECT count(*) FROM (TABLE ref EXCEPT ALL TABLE ext) b) AS only_ref;
DROP TABLE ext, ref;

CREATE TEMP TABLE ext AS SELECT * FROM revenue_report('(,)', 'quarter', 7);
CREATE TEMP TABLE ref AS SELECT * FROM dealscope_ref.revenue_report('(,)', 'quarter', 7);
SELECT (SELECT count(*) FROM ext) AS report_rows,
       (SELECT count(*) FROM (TABLE ext EXCEPT ALL TABLE ref) a) AS only_ext,
       (SELECT count(*) FROM (TABLE ref EXCEPT ALL TABLE ext) b) AS only_ref;
-- over all time the cells add up to the flows, to the cent
SELECT (SELECT array_agg(currency || ' ' || t ORDER BY currency) FROM
          (SELECT currency, sum(gross) AS t FROM ext GROUP BY 1) a)
     = (SELECT array_agg(currency || ' ' || t ORDER BY currency) FROM
          (SELECT currency, sum(amount) AS t FROM revenue_flow GROUP BY 1) b) AS report_sums_to_flows;
DROP TABLE ext, ref;

-- revenue_slices against the reference, by fiscal half (April); and the report is its grouped sum
CREATE TEMP TABLE ext AS SELECT * FROM revenue_slices('[2025-01-01,2025-07-01)', 'half', 4);
CREATE TEMP TABLE ref AS SELECT * FROM dealscope_ref.revenue_slices('[2025-01-01,2025-07-01)', 'half', 4);
SELECT (SELECT count(*) FROM ext) AS slice_rows,
       (SELECT count(*) FROM (TABLE ext EXCEPT ALL TABLE ref) a) AS only_ext,
       (SELECT count(*) FROM (TABLE ref EXCEPT ALL TABLE ext) b) AS only_ref;
SELECT count(*) AS report_vs_slices_mismatches FROM (
  (SELECT * FROM revenue_report('[2025-01-01,2025-07-01)', 'half', 4)
   EXCEPT ALL
   SELECT s.slice_start, s.slice_end, s.label, f.seller, p.owner, s.currency, sum(s.gross), sum(s.share), sum(s.net)
   FROM ext s JOIN revenue_flow f ON f.id = s.flow_id LEFT JOIN provider p ON p.provider = provider(f.channel)
   GROUP BY 1, 2, 3, 4, 5, 6)) x;
DROP TABLE ext, ref;

-- weekly slices: long flows split into up to 53 parts, many units placed
-- by largest remainder (the ranking path of the split)
CREATE TEMP TABLE ext AS SELECT * FROM revenue_slices('[2025-02-01,2025-04-01)', 'week');
CREATE TEMP TABLE ref AS SELECT * FROM dealscope_ref.revenue_slices('[2025-02-01,2025-04-01)', 'week');
SELECT (SELECT count(*) FROM ext) AS weekly_slice_rows,
       (SELECT count(*) FROM (TABLE ext EXCEPT ALL TABLE ref) a) AS only_ext,
       (SELECT count(*) FROM (TABLE ref EXCEPT ALL TABLE ext) b) AS only_ref;
DROP TABLE ext, ref;

-- exposure of each party against the reference
CREATE TEMP TABLE ext AS
  SELECT p, e.* FROM unnest(ARRAY['p1', 'p2']) p, exposure(p, '[2024-06-01,2026-06-01)') e;
CREATE TEMP TABLE ref AS
  SELECT p, e.* FROM unnest(ARRAY['p1', 'p2']) p, dealscope_ref.exposure(p, '[2024-06-01,2026-06-01)') e;
SELECT (SELECT count(*) FROM ext) AS exposure_rows,
       (SELECT count(*) FROM ext WHERE share_payable <> 0) > 10 AS payable,
       (SELECT count(*) FROM ext WHERE share_receivable <> 0) > 10 AS receivable,
       (SELECT count(*) FROM ext WHERE spend <> 0) > 10 AS spend,
       (SELECT count(*) FROM (TABLE ext EXCEPT ALL TABLE ref) a) AS only_ext,
       (SELECT count(*) FROM (TABLE ref EXCEPT ALL TABLE ext) b) AS only_ref;
-- payable by p1 to p2 is what p2 receives from p1, to the cent
SELECT count(*) AS payable_receivable_mismatches FROM
  (SELECT slice_start, counterparty AS holder, currency, share_payable AS x FROM ext WHERE p = 'p1' AND counterparty = 'p2'
   EXCEPT ALL
   SELECT slice_start, 'p2', currency, share_receivable FROM ext WHERE p = 'p2' AND counterparty = 'p1') d;
DROP TABLE ext, ref;

-- A parallel plan (every row through the workers, so through serialize,
-- deserialize and combine) gives exactly the serial result.
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF)
SELECT f.seller, f.currency, revenue_agg(f.seller, f.product, f.channel, f.amount, f.currency, f.period, 'month', 1, NULL)
FROM revenue_flow f GROUP BY f.seller, f.currency;
CREATE TEMP TABLE par AS
SELECT f.seller, f.currency,
       revenue_agg(f.seller, f.product, f.channel, f.amount, f.currency, f.period, 'month', 1, NULL) AS cells,
       prorate_agg(f.amount, f.period, f.currency, 'quarter', 7, '{[2024-01-01,2026-01-01) 30%->0%}') AS cells2
FROM revenue_flow f GROUP BY f.seller, f.currency;
EXPLAIN (COSTS OFF)
SELECT revenue_provider_agg(f.seller, f.product, f.channel, f.amount, f.currency, f.period, 'month', 1, '[2024-06-01,2025-06-01)')
FROM revenue_flow f;
CREATE TEMP TABLE par_keyed AS
SELECT revenue_provider_agg(f.seller, f.product, f.channel, f.amount, f.currency, f.period,
                            'month', 1, '[2024-06-01,2025-06-01)') AS cells
FROM revenue_flow f;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE ser AS
SELECT f.seller, f.currency,
       revenue_agg(f.seller, f.product, f.channel, f.amount, f.currency, f.period, 'month', 1, NULL) AS cells,
       prorate_agg(f.amount, f.period, f.currency, 'quarter', 7, '{[2024-01-01,2026-01-01) 30%->0%}') AS cells2
FROM revenue_flow f GROUP BY f.seller, f.currency;
CREATE TEMP TABLE ser_keyed AS
SELECT revenue_provider_agg(f.seller, f.product, f.channel, f.amount, f.currency, f.period,
                            'month', 1, '[2024-06-01,2025-06-01)') AS cells
FROM revenue_flow f;
RESET max_parallel_workers_per_gather;
SELECT (SELECT count(*) FROM par) AS groups,
       (SELECT count(*) FROM (TABLE par EXCEPT ALL TABLE ser) a) AS only_parallel,
       (SELECT count(*) FROM (TABLE ser EXCEPT ALL TABLE par) b) AS only_serial;
SELECT (SELECT count(*) FROM par_keyed, unnest(cells)) AS keyed_cells,
       (SELECT count(*) FROM (SELECT c.* FROM par_keyed, unnest(cells) c
                              EXCEPT ALL SELECT c.* FROM ser_keyed, unnest(cells) c) a) AS only_parallel,
       (SELECT count(*) FROM (SELECT c.* FROM ser_keyed, unnest(cells) c
                              EXCEPT ALL SELECT c.* FROM par_keyed, unnest(cells) c) b) AS only_serial;
DROP TABLE par_keyed, ser_keyed;
-- prorate_agg is the sum of prorate() per flow
SELECT count(*) AS prorate_agg_mismatches FROM (
  (SELECT s.seller, s.currency, c.slice_start, c.gross, c.share FROM ser s, unnest(s.cells2) c
   EXCEPT ALL
   SELECT f.seller, f.currency, p.slice_start, sum(p.gross), sum(p.share)
   FROM revenue_flow f, prorate(f.amount, f.period, 'quarter', 7, f.currency, '{[2024-01-01,2026-01-01) 30%->0%}') p
   GROUP BY 1, 2, 3)) x;
DROP TABLE par, ser;

DELETE FROM revenue_flow;
DELETE FROM clause WHERE deal_id = 'diff-deal';
DELETE FROM deal WHERE id = 'diff-deal';
