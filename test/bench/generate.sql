-- Deterministic synthetic deal model for the benchmark.
--
--   psql -v scale=S -f test/bench/generate.sql      (in an empty database)
--
-- S flows; S/1000 workloads (at least 10); 300 candidate endpoints (the 201
-- catalogued regions, then the first 99 of them again with a service);
-- 200 clauses (10 per model maker, 20 makers).  At S = 10,000,000 this is
-- The targets' model: 10 million flows, 10,000 workloads x 300 endpoints, 200
-- clauses.  No random(): every value is a hash of the row number
-- (hashint8extended with a different seed per attribute), so the same S
-- always gives the same rows.
--
-- Flows (periods start in 2024-01-01 .. 2026-12-31, so the monthly report
-- over three years reads every flow):
--   75 % sales by a model maker (openai 20 % of all flows), channel one of
--        its own direct endpoint or a cloud region, product one of its four;
--    5 % sales by a cloud owner of its hosted model service (revenue shares
--        owed to the maker);
--   20 % compute purchases: seller a cloud owner, buyer a model maker
--        (openai 5 % of all flows).
--   period: 40 % one day, 30 % 30 days, 20 % 91 days, 10 % 365 days;
--   currency: USD 70 %, EUR 15 %, GBP 10 %, JPY 5 %.

\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS dealscope;
RESET client_min_messages;
SET search_path = dealscope, public;
SET synchronous_commit = off;

CREATE SCHEMA bench;

-- bench.h(i, seed) in [0, n): a deterministic pseudo-random pick.
CREATE FUNCTION bench.h(i bigint, seed bigint, n bigint) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN abs(hashint8extended(i, seed) % n);

CREATE TABLE bench.param AS SELECT :scale::bigint AS scale;

-- The 20 model makers; maker 1 is openai, the party of the exposure question.
CREATE TABLE bench.maker AS
SELECT m AS n,
       CASE m WHEN 1 THEN 'openai' WHEN 2 THEN 'anthropic' WHEN 3 THEN 'mistral'
              WHEN 4 THEN 'cohere' ELSE 'maker' || lpad(m::text, 2, '0') END AS name
FROM generate_series(1, 20) m;
-- every party is registered (dealscope.party; the clouds' owners ship)
INSERT INTO dealscope.party (id)
SELECT name FROM bench.maker
UNION ALL SELECT 'customer' || i FROM generate_series(0, 999) AS i
ON CONFLICT (id) DO NOTHING;

-- The clouds and their owners (shipped in the provider catalog).
CREATE TABLE bench.cloud AS
SELECT * FROM (VALUES (0, 'azure', 'microsoft'), (1, 'aws', 'amazon'),
                      (2, 'gcp', 'google'), (3, 'oci', 'oracle')) c(n, provider, owner);

-- The 300 candidate endpoints.
CREATE TABLE bench.candidate AS
WITH r AS (SELECT row_number() OVER (ORDER BY provider, region) AS n, provider, region
           FROM dealscope.region)
SELECT n, endpoint(provider, region) AS e FROM r
UNION ALL
SELECT 201 + n, endpoint(provider, region, 'models') FROM r WHERE n <= 300 - 201;
-- (201 regions are catalogued; should the catalog grow, keep exactly 300)
DELETE FROM bench.candidate WHERE n > 300;
CREATE TABLE bench.cand_array AS SELECT array_agg(e ORDER BY n) AS a FROM bench.candidate;

-- Deals and clauses: per maker m, 10 clauses.
INSERT INTO dealscope.deal (id, name, parties, signed_on)
SELECT 'deal-' || k.name || '-' || c.owner, k.name || ' / ' || c.owner,
       ARRAY[k.name, c.owner], DATE '2023-01-01' + k.n::int * 7
FROM bench.maker k CROSS JOIN bench.cloud c;

WITH k AS (SELECT m.n, m.name, c.provider AS cloud, c.owner AS partner,
                  (SELECT provider FROM bench.cloud WHERE n = (m.n + 1) % 4) AS cloud2,
                  (SELECT owner FROM bench.cloud WHERE n = (m.n + 1) % 4) AS partner2
           FROM bench.maker m JOIN bench.cloud c ON c.n = m.n % 4)
INSERT INTO dealscope.clause (id, deal_id, kind, holder, grantor, products, scope, valid, rate,
                              window_days, lag_days, data_class, jurisdictions, amount, currency,
                              min_share, note)
SELECT k.name || '-' || x.suffix, 'deal-' || k.name || '-' || x.deal_with, x.kind::dealscope.clause_kind,
       x.holder, x.grantor, x.products, x.scope::dealscope.endpoint_set, x.valid, x.rate::dealscope.rate_schedule,
       x.window_days, x.lag_days, x.data_class, x.jurisdictions, x.amount, x.currency, x.min_share, NULL
FROM k CROSS JOIN LATERAL (VALUES
    -- revenue shares the maker pays: a winding-down share to its primary
    -- cloud partner on everything, a constant one on API sales through the
    -- second cloud, and one its primary partner pays it on the hosted service
    ('share-primary', k.partner, 'revenue_share', k.partner, k.name, '*', NULL,
     daterange('2023-01-01', '2027-07-01'),
     '{[2023-01-01,2026-04-28) 20%, [2026-04-28,2027-07-01) 20%->0%}', NULL::int, NULL::int,
     NULL, NULL::text[], NULL::numeric, NULL, NULL::numeric),
    ('share-second', k.partner2, 'revenue_share', k.partner2, k.name, 'api/*', k.cloud2 || '/*',
     daterange('2024-07-01', NULL), '7.5%', NULL, NULL, NULL, NULL, NULL, NULL, NULL),
    ('share-hosted', k.partner, 'revenue_share', k.name, k.partner, 'hosted/' || k.name || '-*', NULL,
     daterange('2024-01-01', '2028-01-01'), '{[2024-01-01,2028-01-01) 15%->5%}', NULL, NULL, NULL, NULL,
     NULL, NULL, NULL),
    -- placement terms
    ('exclusive', k.partner, 'exclusivity', k.partner, k.name, 'api/*', k.cloud || ',' || k.name,
     daterange('2023-01-01', '2026-04-28'), NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
    ('rofr', k.partner, 'rofr', k.partner, k.name, '*', k.cloud,
     daterange('2025-01-01', '2030-01-01'), NULL, 30, NULL, NULL, NULL, NULL, NULL, NULL),
    ('first-launch', k.partner, 'first_launch', k.partner, k.name, 'chat/*', k.cloud,
     daterange('2025-06-01', '2030-01-01'), NULL, NULL, 14, NULL, NULL, NULL, NULL, NULL),
    ('residency-eu', k.partner, 'residency', NULL, k.name, '*', NULL,
     daterange('2023-01-01', NULL), NULL, NULL, NULL, 'eu-personal', ARRAY['EU'], NULL, NULL, NULL),
    ('residency-us', k.partner, 'residency', NULL, k.name, '*', NULL,
     daterange('2023-01-01', NULL), NULL, NULL, NULL, 'us-health', ARRAY['US'], NULL, NULL, NULL),
    -- money terms without a placement effect
    ('primary', k.partner, 'primary_partner', k.partner, k.name, '*', NULL,
     daterange('2023-01-01', '2030-01-01'), NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0.5),
    ('commitment', k.partner, 'commitment', k.partner, k.name, '*', NULL,
     daterange('2024-01-01', '2029-01-01'), NULL, NULL, NULL, NULL, NULL, 250000000000, 'USD', NULL)
) x(suffix, deal_with, kind, holder, grantor, products, scope, valid, rate, window_days, lag_days,
    data_class, jurisdictions, amount, currency, min_share);

-- Workloads: S/1000 (at least 10), spread over the makers.
INSERT INTO dealscope.workload (id, owner, product, data_class, requested_on)
SELECT 'w' || lpad(i::text, 6, '0'), m.name,
       (ARRAY['api/', 'chat/', 'hosted/' || m.name || '-', 'embed/'])[1 + bench.h(i, 12, 4)]
           || 'model-' || bench.h(i, 13, 8),
       (ARRAY[NULL, NULL, 'eu-personal', 'us-health'])[1 + bench.h(i, 14, 4)],
       DATE '2024-01-01' + bench.h(i, 15, 1000)::int
FROM generate_series(1, greatest(10, (SELECT scale FROM bench.param) / 1000)) i
JOIN bench.maker m ON m.n = 1 + bench.h(i, 11, 20);

-- Placement events: offers to the rofr holder (half of them answered),
-- launches on the holder's cloud.
INSERT INTO dealscope.placement_event (workload_id, kind, holder, at, on_date)
SELECT w.id, e.kind, e.holder, e.at, e.on_date
FROM dealscope.workload w
JOIN bench.maker m ON m.name = w.owner
JOIN bench.cloud c ON c.n = m.n % 4
CROSS JOIN LATERAL (SELECT bench.h(hashtext(w.id), 21, 6) AS r) r
CROSS JOIN LATERAL (VALUES
    ('offer', c.owner, NULL::dealscope.endpoint, w.requested_on + 3, r.r IN (1, 2, 3)),
    ('decline', c.owner, NULL, w.requested_on + 20, r.r = 1),
    ('accept', c.owner, NULL, w.requested_on + 25, r.r = 2),
    ('launch', NULL, dealscope.endpoint(c.provider, 'global', 'models'), w.requested_on + 10, r.r IN (1, 4))
) e(kind, holder, at, on_date, wanted)
WHERE e.wanted;

-- Regions by cloud, numbered 0..35 (every cloud has at least 39 catalogued).
CREATE TABLE bench.cloud_region AS
SELECT c.n AS cloud_n, r.k, r.region
FROM bench.cloud c
CROSS JOIN LATERAL (SELECT row_number() OVER (ORDER BY region) - 1 AS k, region
                    FROM dealscope.region WHERE provider = c.provider) r
WHERE r.k < 36;

-- Flows.
INSERT INTO dealscope.revenue_flow (seller, buyer, product, channel, amount, currency, period)
SELECT CASE WHEN g.kind < 75 THEN mk.name ELSE cl.owner END,
       CASE WHEN g.kind < 75 THEN NULL
            WHEN g.kind < 80 THEN 'customer' || (g.i % 1000)
            ELSE bk.name END,
       CASE WHEN g.kind < 75 THEN (ARRAY['api/', 'chat/', 'hosted/' || mk.name || '-', 'embed/'])[1 + g.prod]
                                  || 'model-' || (g.i % 8)
            WHEN g.kind < 80 THEN 'hosted/' || bk.name || '-model-' || (g.i % 8)
            ELSE 'compute/gpu' END,
       CASE WHEN g.kind < 75 AND g.direct THEN endpoint(mk.name, 'global', 'api')
            ELSE endpoint(cl.provider, cr.region, 'models') END,
       CASE WHEN g.cur = 'JPY' THEN g.units ELSE round(g.units / 100, 2) END,
       g.cur, daterange(g.start, g.start + g.len)
FROM (SELECT i, kind,
             1 + CASE WHEN kind < 20 THEN 0 ELSE mk END AS seller_n,
             1 + CASE WHEN kind >= 95 THEN 0 ELSE mk END AS buyer_n,
             (region_pick + mk) % 4 AS cloud_n, region_pick % 36 AS k, region_pick < 60 AS direct,
             (ARRAY['USD','USD','USD','USD','USD','USD','USD','USD','USD','USD','USD','USD','USD','USD',
                    'EUR','EUR','EUR','GBP','GBP','JPY'])[1 + bench.h(i, 3, 20)] AS cur,
             DATE '2024-01-01' + bench.h(i, 4, 1096)::int AS start,
             (ARRAY[1, 1, 1, 1, 30, 30, 30, 91, 91, 365])[1 + bench.h(i, 6, 10)] AS len,
             ((100 + bench.h(i, 5, 10000000)) * CASE WHEN bench.h(i, 9, 50) = 0 THEN -1 ELSE 1 END)::numeric AS units,
             bench.h(i, 8, 4) AS prod
      FROM (SELECT i, bench.h(i, 1, 100) AS kind, bench.h(i, 2, 20) AS mk, bench.h(i, 7, 300) AS region_pick
            FROM generate_series(1, (SELECT scale FROM bench.param)) i) g0) g
JOIN bench.maker mk ON mk.n = g.seller_n
JOIN bench.maker bk ON bk.n = g.buyer_n
JOIN bench.cloud cl ON cl.n = g.cloud_n
JOIN bench.cloud_region cr ON cr.cloud_n = g.cloud_n AND cr.k = g.k;

VACUUM ANALYZE;
