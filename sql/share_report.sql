SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS dealscope;
RESET client_min_messages;
SET search_path = dealscope, public;
SET datestyle = ISO, YMD;
\set SHOW_CONTEXT never

-- share_report: revenue_report's share kept apart per holder, on hand-checked
-- cases, then against the plain-SQL reference (test/reference/revenue.sql)
-- and against revenue_report on a generated model.  The test owns
-- revenue_flow: it starts and ends empty.
TRUNCATE revenue_flow RESTART IDENTITY;

------------------------------------------------------------------------------
-- The example deal: Microsoft's revenue share to OpenAI winding down
------------------------------------------------------------------------------
BEGIN;
\set ECHO none
\i examples/msft_openai.sql
\i examples/msft_openai_revenue.sql
\set ECHO all
-- 2026-Q2 (91 days) holds the amendment of 2026-04-28: 20% on the 27 days
-- 04-01 .. 04-27 (rs-msft-to-openai), then the ramp from 20% on 04-28
-- falling by 20%/365 a day (rs-msft-to-openai-winddown) on the 64 days
-- 04-28 .. 06-30: rate-days 27 * 0.2 + 0.2 * (64 - (0 + 1 + ... + 63) / 365)
-- = 5.4 + 0.2 * (64 - 2016 / 365) = 6239.8 / 365.  Microsoft's flows bearing
-- the share (azure-openai/*, copilot/*) earn 1,440,000,000.00 and
-- 720,000,000.00 that quarter (base + 3 * growth); its compute sold to
-- OpenAI (azure/compute) bears none and is not in the gross.
SELECT round(1440000000.00 * 6239.8 / 365 / 91, 2) AS azure_openai_share,
       round(720000000.00 * 6239.8 / 365 / 91, 2) AS copilot_share,
       round(1440000000.00 * 6239.8 / 365 / 91, 2) + round(720000000.00 * 6239.8 / 365 / 91, 2) AS expected_share;
SELECT * FROM share_report('[2026-04-01,2026-07-01)', 'quarter');
-- the same share as revenue_report's, summed over Microsoft's channel owners
SELECT slice_start, seller, currency, sum(share) AS revenue_report_share
FROM revenue_report('[2026-04-01,2026-07-01)', 'quarter')
GROUP BY 1, 2, 3 HAVING sum(share) <> 0 ORDER BY 1, 2, 3;
-- by month: April bears 20% on 27 days and the ramp on 3; from 2027-04-28 no share
SELECT * FROM share_report('[2026-04-01,2026-07-01)', holder => 'openai');
SELECT count(*) AS rows_after_the_wind_down FROM share_report('[2027-07-01,)', 'quarter');
-- the whole wind-down, by quarter: the share falls to zero
SELECT label, gross, share, round(share / gross, 4) AS effective_rate
FROM share_report('[2025-07-01,2027-07-01)', 'quarter', holder => 'openai');
ROLLBACK;

------------------------------------------------------------------------------
-- Two holders on one seller
------------------------------------------------------------------------------
DELETE FROM clause WHERE deal_id = 'sr-deal';
DELETE FROM deal WHERE id = 'sr-deal';
INSERT INTO party (id) VALUES ('sr-seller'), ('sr-h'), ('sr-k'), ('sr-other') ON CONFLICT DO NOTHING;
INSERT INTO deal (id, name, parties, signed_on)
VALUES ('sr-deal', 'share_report test', '{sr-seller,sr-h,sr-k}', '2026-01-01');
-- sr-h: 10% on everything; sr-k: 5% on api/* only, from February
INSERT INTO clause (id, deal_id, kind, holder, grantor, products, valid, rate) VALUES
    ('sr-h-10', 'sr-deal', 'revenue_share', 'sr-h', 'sr-seller', '*', '[2026-01-01,)', '10%'),
    ('sr-k-5', 'sr-deal', 'revenue_share', 'sr-k', 'sr-seller', 'api/*', '[2026-02-01,)', '5%');
INSERT INTO revenue_flow (id, seller, product, channel, amount, currency, period) OVERRIDING SYSTEM VALUE VALUES
    -- 1000.00 in January, api: sr-h 100.00; sr-k nothing (its share starts in February)
    (1, 'sr-seller', 'api/a', 'azure/eastus', 1000.00, 'USD', '[2026-01-01,2026-02-01)'),
    -- 100.00 over Jan-Mar (31 + 28 + 31 days), api: gross 34.45 / 31.11 / 34.44
    -- (34.444.., 31.111.., 34.444..: the missing cent to the earliest of the
    -- tied remainders); sr-h 10.00: 3.45 / 3.11 / 3.44; sr-k 5% on the 59
    -- days from February: 100 * 0.05 * 59 / 90 = 3.2777.. -> 3.28, split
    -- 28 : 31 -> 1.5555.. / 1.7222.. -> 1.55 / 1.72 + the missing cent to
    -- the larger remainder (February) -> 1.56 / 1.72
    (2, 'sr-seller', 'api/b', 'aws/us-east-1', 100.00, 'USD', '[2026-01-01,2026-04-01)'),
    -- a refund in March, not api: sr-h -20.00, sr-k nothing
    (3, 'sr-seller', 'chat', 'azure/eastus', -200.00, 'USD', '[2026-03-01,2026-04-01)'),
    -- 0.04 in February, api: sr-h 0.004 -> 0.00, sr-k 0.002 -> 0.00: owes
    -- nobody, so in no holder's gross
    (4, 'sr-seller', 'api/c', 'azure/eastus', 0.04, 'USD', '[2026-02-01,2026-03-01)'),
    -- 0.05 in February, api: sr-h 0.005 -> 0.00 (half to even), sr-k 0.0025
    -- -> 0.00; EUR 0.15: sr-h 0.015 -> 0.02, sr-k 0.0075 -> 0.01
    (5, 'sr-seller', 'api/c', 'azure/eastus', 0.05, 'USD', '[2026-02-01,2026-03-01)'),
    (6, 'sr-seller', 'api/c', 'azure/eastus', 0.15, 'EUR', '[2026-02-01,2026-03-01)'),
    -- another seller without clauses: in no row
    (7, 'sr-other', 'api/a', 'azure/eastus', 500.00, 'USD', '[2026-01-01,2026-02-01)');
-- flow 2 owes sr-k 3.28 in all, so its January gross is in sr-k's January
-- row although sr-k's part of it there is 0.00
SELECT * FROM share_report('[2026-01-01,2026-04-01)');
-- per (slice, seller, currency) the holders' shares are revenue_report's
SELECT r.slice_start, r.seller, r.currency, r.share AS revenue_report_share, s.share AS sum_over_holders
FROM (SELECT slice_start, seller, currency, sum(share) AS share
      FROM revenue_report('[2026-01-01,2026-04-01)') GROUP BY 1, 2, 3) r
FULL JOIN (SELECT slice_start, seller, currency, sum(share) AS share
           FROM share_report('[2026-01-01,2026-04-01)') GROUP BY 1, 2, 3) s USING (slice_start, seller, currency)
ORDER BY 1, 2, 3;
-- by quarter, one holder: sr-k's share of flow 2 is rounded once (3.28),
-- not per month; the gross is flow 2's and the EUR flow's only
SELECT * FROM share_report('(,)', 'quarter', 1, 'sr-k');
-- during picks whole slices: a day in February reports all of February
SELECT * FROM share_report('[2026-02-14,2026-02-15)', holder => 'sr-h');
-- a holder owed nothing in the window, and a party holding no share: no rows
SELECT count(*) AS rows FROM share_report('[2025-01-01,2025-12-31)');
SELECT count(*) AS rows FROM share_report('(,)', holder => 'sr-other');
-- fiscal quarters (fy_start 2: FY2027-Q1 = Feb-Apr 2026); flow 2 splits 31 : 59
-- days here: gross 34.44 / 65.56, sr-h 3.44 / 6.56
SELECT label, seller, holder, currency, gross, share FROM share_report('[2026-02-01,2026-05-01)', 'quarter', 2);

-- revenue_holder_agg, what share_report is built on: kind 5 cells per
-- (holder, currency), grouped here by seller; sr-other owes nobody
SELECT g.seller, c.*
FROM (SELECT seller, revenue_holder_agg(seller, product, channel, amount, currency, period, 'quarter', 1, NULL, NULL) AS cells
      FROM revenue_flow GROUP BY seller) g, unnest(g.cells) c
ORDER BY g.seller, c.party, c.currency, c.slice_start;
-- the window picks flows (whole: flow 2 in all its months), holder one holder
SELECT c.* FROM unnest((SELECT revenue_holder_agg(seller, product, channel, amount, currency, period, 'month', 1,
                                                  '[2026-03-01,2026-03-02)', 'sr-k') FROM revenue_flow)) c;
-- rows without a seller, channel, amount, currency, period, grain or fy_start add nothing
SELECT revenue_holder_agg(s, 'api/a', ch::endpoint, a, cur, p, g, fy, NULL, NULL)
FROM (VALUES (NULL, 'azure/eastus', 10.00, 'USD', '[2026-02-01,2026-02-02)'::daterange, 'month', 1),
             ('sr-seller', NULL, 10.00, 'USD', '[2026-02-01,2026-02-02)', 'month', 1),
             ('sr-seller', 'azure/eastus', NULL, 'USD', '[2026-02-01,2026-02-02)', 'month', 1),
             ('sr-seller', 'azure/eastus', 10.00, NULL, '[2026-02-01,2026-02-02)', 'month', 1),
             ('sr-seller', 'azure/eastus', 10.00, 'USD', NULL, 'month', 1),
             ('sr-seller', 'azure/eastus', 10.00, 'USD', '[2026-02-01,2026-02-02)', NULL, 1),
             ('sr-seller', 'azure/eastus', 10.00, 'USD', '[2026-02-01,2026-02-02)', 'month', NULL)) v(s, ch, a, cur, p, g, fy);
SELECT revenue_holder_agg('sr-seller', 'api/a', 'azure/eastus', 10.00, 'USD', '[2026-02-01,2026-02-02)', 'month', 1, NULL, NULL);
SELECT revenue_holder_agg('sr-seller', 'api/a', 'azure/eastus', 10.00, 'USD', '[2026-02-01,2026-02-02)', 'fortnight', 1, NULL, NULL);
SELECT revenue_holder_agg('sr-seller', 'api/a', 'azure/eastus', 10.00, 'USD', '[2026-02-01,)', 'month', 1, NULL, NULL);

------------------------------------------------------------------------------
-- NULLs and bad input: the errors of revenue_report, and require_party's
------------------------------------------------------------------------------
SELECT * FROM share_report(NULL);
SELECT * FROM share_report('empty');
SELECT * FROM share_report('(,)', NULL);
SELECT * FROM share_report('(,)', 'Month');
SELECT * FROM share_report('(,)', 'quarter', NULL);
SELECT * FROM share_report('(,)', 'quarter', 13);
SELECT * FROM share_report('(,)', 'month', 1, 'nobody');
SELECT * FROM share_report('(,)', 'month', 1, 'SR-H ');
SELECT * FROM share_report('(,)', 'month', 1, '');
-- the report's own checks come before any clause or flow is read
SELECT * FROM share_report(NULL, 'month', 1, 'nobody');
-- NULL holder: every holder
SELECT count(*) AS rows, count(DISTINCT holder) AS holders FROM share_report('(,)', 'month', 1, NULL);

TRUNCATE revenue_flow RESTART IDENTITY;
DELETE FROM clause WHERE deal_id = 'sr-deal';
DELETE FROM deal WHERE id = 'sr-deal';

------------------------------------------------------------------------------
-- Row-level security: each role's report from the clauses and flows it may
-- see (rows whose id or product starts with a- are alice's, b- bob's)
------------------------------------------------------------------------------
BEGIN;
CREATE ROLE dealscope_sr_alice;
CREATE ROLE dealscope_sr_bob;
GRANT SELECT ON clause, revenue_flow, party TO dealscope_sr_alice, dealscope_sr_bob;
INSERT INTO party (id) VALUES ('sr-seller'), ('sr-h'), ('sr-k') ON CONFLICT DO NOTHING;
INSERT INTO clause (id, kind, holder, grantor, products, valid, rate) VALUES
    ('a-sr-h', 'revenue_share', 'sr-h', 'sr-seller', '*', '[2026-01-01,)', '10%'),
    ('b-sr-k', 'revenue_share', 'sr-k', 'sr-seller', '*', '[2026-01-01,)', '30%');
INSERT INTO revenue_flow (seller, product, channel, amount, currency, period) VALUES
    ('sr-seller', 'a-product', 'azure/eastus', 1000.00, 'USD', '[2026-01-01,2026-02-01)'),
    ('sr-seller', 'b-product', 'azure/eastus', 2000.00, 'USD', '[2026-01-01,2026-02-01)');
ALTER TABLE clause ENABLE ROW LEVEL SECURITY;
ALTER TABLE revenue_flow ENABLE ROW LEVEL SECURITY;
CREATE POLICY sr_by_role ON clause USING (left(id, 2) = CASE current_user WHEN 'dealscope_sr_alice' THEN 'a-'
                                                                          WHEN 'dealscope_sr_bob' THEN 'b-' END);
CREATE POLICY sr_by_role ON revenue_flow USING (left(product, 2) = CASE current_user WHEN 'dealscope_sr_alice' THEN 'a-'
                                                                                     WHEN 'dealscope_sr_bob' THEN 'b-' END);
-- alice: her flow, her clause (sr-h 10%); bob: his flow, his (sr-k 30%)
SET ROLE dealscope_sr_alice;
SELECT current_user, r.* FROM share_report('[2026-01-01,2026-02-01)') r;
RESET ROLE;
SET ROLE dealscope_sr_bob;
SELECT current_user, r.* FROM share_report('[2026-01-01,2026-02-01)') r;
RESET ROLE;
ROLLBACK;

------------------------------------------------------------------------------
-- Differential: against the plain-SQL reference and against revenue_report,
-- on a generated model (seeded): 600 flows with random periods, currencies,
-- products (some NULL), channels, refunds, and 16 overlapping revenue_share
-- clauses (constant rates, ramps of many lengths, some held by the seller
-- itself) among four parties.  Every cell must agree to the minor unit.
------------------------------------------------------------------------------
\set ECHO none
SET client_min_messages = warning;
\i test/reference/prorate.sql
\i test/reference/revenue.sql
RESET client_min_messages;
\set ECHO all

DELETE FROM clause WHERE deal_id = 'srd-deal';
DELETE FROM deal WHERE id = 'srd-deal';
INSERT INTO party (id) VALUES ('p1'), ('p2'), ('p3'), ('p4') ON CONFLICT DO NOTHING;
SELECT setseed(0.2718);
INSERT INTO deal (id, name, parties, signed_on) VALUES ('srd-deal', 'generated', '{p1,p2,p3,p4}', '2024-01-01');
INSERT INTO clause (id, deal_id, kind, holder, grantor, products, scope, valid, rate)
SELECT 'srd-rs-' || i, 'srd-deal', 'revenue_share',
       'p' || (1 + (g + floor(random() * 4)::int) % 4), 'p' || (1 + g),
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
      FROM generate_series(1, 600)) x;
ANALYZE revenue_flow;

-- the model is not trivial: several holders per seller, a self-held share,
-- flows owing a share, refunds, tiny amounts, every currency
SELECT count(*) AS clauses, count(DISTINCT holder) AS holders,
       (SELECT max(n) FROM (SELECT count(DISTINCT holder) AS n FROM clause
                            WHERE deal_id = 'srd-deal' GROUP BY grantor) x) AS max_holders_per_seller,
       count(*) FILTER (WHERE holder = grantor) > 0 AS self_held
FROM clause WHERE deal_id = 'srd-deal';
SELECT count(*) AS flows, count(*) FILTER (WHERE amount < 0) > 50 AS refunds,
       count(*) FILTER (WHERE abs(amount) < 10) > 20 AS tiny, count(DISTINCT currency) AS currencies
FROM revenue_flow;

-- monthly over a window, by fiscal quarter over all time, weekly, one holder
CREATE TEMP TABLE ext AS SELECT 1 AS run, * FROM share_report('[2024-03-15,2026-09-01)');
INSERT INTO ext SELECT 2, * FROM share_report('(,)', 'quarter', 7);
INSERT INTO ext SELECT 3, * FROM share_report('[2025-02-01,2025-04-01)', 'week');
INSERT INTO ext SELECT 4, * FROM share_report('[2024-06-01,2026-06-01)', 'half', 4, 'p2');
CREATE TEMP TABLE ref AS SELECT 1 AS run, * FROM dealscope_ref.share_report('[2024-03-15,2026-09-01)');
INSERT INTO ref SELECT 2, * FROM dealscope_ref.share_report('(,)', 'quarter', 7);
INSERT INTO ref SELECT 3, * FROM dealscope_ref.share_report('[2025-02-01,2025-04-01)', 'week');
INSERT INTO ref SELECT 4, * FROM dealscope_ref.share_report('[2024-06-01,2026-06-01)', 'half', 4, 'p2');
SELECT e.run, e.rows, e.with_share, e.zero_share, e.holders, e.self_held,
       (SELECT count(*) FROM (SELECT * FROM ext WHERE run = e.run EXCEPT ALL SELECT * FROM ref WHERE run = e.run) a) AS only_ext,
       (SELECT count(*) FROM (SELECT * FROM ref WHERE run = e.run EXCEPT ALL SELECT * FROM ext WHERE run = e.run) b) AS only_ref
FROM (SELECT run, count(*) AS rows, count(*) FILTER (WHERE share <> 0) AS with_share,
             count(*) FILTER (WHERE share = 0) AS zero_share, count(DISTINCT holder) AS holders,
             count(*) FILTER (WHERE seller = holder) AS self_held
      FROM ext GROUP BY run) e
ORDER BY e.run;
-- the rows come in the documented order (slice, seller, holder, currency)
SELECT count(*) AS out_of_order FROM (
    SELECT run, slice_start, seller, holder, currency,
           lag(ROW(slice_start, seller, holder, currency)) OVER (PARTITION BY run ORDER BY n) AS prev,
           ROW(slice_start, seller, holder, currency) AS cur
    FROM (SELECT 1 AS run, row_number() OVER () AS n, * FROM share_report('[2024-03-15,2026-09-01)')) x) y
WHERE prev >= cur;

-- per (slice, seller, currency) the holders' shares sum to revenue_report's
-- share exactly (four grains), and share_report has no cell revenue_report lacks
CREATE TEMP TABLE rr AS
SELECT g.grain, g.fy, r.slice_start, r.seller, r.currency, sum(r.share) AS share
FROM (VALUES ('month', 1), ('quarter', 7), ('week', 1), ('year', 1)) g(grain, fy),
     revenue_report('[2024-01-01,2027-01-01)', g.grain, g.fy) r
GROUP BY 1, 2, 3, 4, 5;
CREATE TEMP TABLE sr AS
SELECT g.grain, g.fy, s.slice_start, s.seller, s.currency, sum(s.share) AS share
FROM (VALUES ('month', 1), ('quarter', 7), ('week', 1), ('year', 1)) g(grain, fy),
     share_report('[2024-01-01,2027-01-01)', g.grain, g.fy) s
GROUP BY 1, 2, 3, 4, 5;
SELECT (SELECT count(*) FROM sr) AS cells, (SELECT count(*) FROM rr WHERE share <> 0) AS cells_with_share,
       (SELECT count(*) FROM (SELECT * FROM rr WHERE share <> 0 EXCEPT ALL SELECT * FROM sr WHERE share <> 0) a) AS only_revenue_report,
       (SELECT count(*) FROM (SELECT * FROM sr WHERE share <> 0 EXCEPT ALL SELECT * FROM rr WHERE share <> 0) b) AS only_share_report,
       (SELECT count(*) FROM sr LEFT JOIN rr USING (grain, fy, slice_start, seller, currency) WHERE rr.share IS NULL) AS cells_unknown_to_revenue_report;
DROP TABLE rr, sr;
-- each holder's figures per quarter are what the seller's exposure() calls
-- share_payable to it (holders other than the seller)
SELECT count(*) AS exposure_mismatches,
       (SELECT count(*) FROM ext WHERE run = 2 AND seller <> holder AND share <> 0) > 20 AS compared
FROM ((SELECT p, e.slice_start, e.counterparty, e.currency, e.share_payable
       FROM unnest(ARRAY['p1', 'p2', 'p3']) p, exposure(p, '(,)', 'quarter', 7) e WHERE e.share_payable <> 0
       EXCEPT ALL
       SELECT seller, slice_start, holder, currency, share FROM ext WHERE run = 2 AND seller <> holder AND share <> 0)
      UNION ALL
      (SELECT seller, slice_start, holder, currency, share FROM ext WHERE run = 2 AND seller <> holder AND share <> 0
       EXCEPT ALL
       SELECT p, e.slice_start, e.counterparty, e.currency, e.share_payable
       FROM unnest(ARRAY['p1', 'p2', 'p3']) p, exposure(p, '(,)', 'quarter', 7) e WHERE e.share_payable <> 0)) d;
DROP TABLE ext, ref;

-- A parallel plan (every row through the workers, so through serialize,
-- deserialize and combine) gives exactly the serial cells.
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF)
SELECT f.seller, revenue_holder_agg(f.seller, f.product, f.channel, f.amount, f.currency, f.period, 'month', 1, NULL, NULL)
FROM revenue_flow f GROUP BY f.seller;
CREATE TEMP TABLE par AS
SELECT f.seller, c.* FROM (SELECT f.seller, revenue_holder_agg(f.seller, f.product, f.channel, f.amount, f.currency,
                                                               f.period, 'month', 1, '[2024-06-01,2025-06-01)', NULL) AS cells
                           FROM revenue_flow f GROUP BY f.seller) f, unnest(f.cells) c;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE ser AS
SELECT f.seller, c.* FROM (SELECT f.seller, revenue_holder_agg(f.seller, f.product, f.channel, f.amount, f.currency,
                                                               f.period, 'month', 1, '[2024-06-01,2025-06-01)', NULL) AS cells
                           FROM revenue_flow f GROUP BY f.seller) f, unnest(f.cells) c;
RESET max_parallel_workers_per_gather;
SELECT (SELECT count(*) FROM par) AS cells,
       (SELECT count(*) FROM (TABLE par EXCEPT ALL TABLE ser) a) AS only_parallel,
       (SELECT count(*) FROM (TABLE ser EXCEPT ALL TABLE par) b) AS only_serial;
DROP TABLE par, ser;

DELETE FROM revenue_flow;
DELETE FROM clause WHERE deal_id = 'srd-deal';
DELETE FROM deal WHERE id = 'srd-deal';
