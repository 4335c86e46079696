-- Differential cases of share_report (the revenue share per holder): the
-- example deal, a generated model over every grain and some fiscal years,
-- the holder filter, the sum over holders against revenue_report, NULLs and
-- errors.  Runs after _prelude.sql; uses only the public API, qualified
-- dealscope.  Seeded, so both editions see the same cases.  Long answers
-- are printed as "rows md5" digests (plus some in full).

-- count and md5 of a query's rows (in the query's order)
CREATE FUNCTION t.digest(q text) RETURNS text LANGUAGE sql AS $$
    SELECT count(*) || ' ' || coalesce(md5(string_agg(r, E'\n' ORDER BY n)), '-')
    FROM t.rows(q) WITH ORDINALITY AS x(r, n)
$$;

TRUNCATE dealscope.revenue_flow RESTART IDENTITY;
DELETE FROM dealscope.placement_event;
DELETE FROM dealscope.workload;
DELETE FROM dealscope.clause;
DELETE FROM dealscope.deal;

------------------------------------------------------------------------------
-- the example deal, in full
------------------------------------------------------------------------------
\i examples/msft_openai.sql
\i examples/msft_openai_revenue.sql
SELECT r FROM t.rows($$SELECT * FROM dealscope.share_report('[2026-04-01,2026-07-01)', 'quarter')$$) r;
SELECT r FROM t.rows($$SELECT * FROM dealscope.share_report('[2025-07-01,2027-07-01)', 'month', 1, 'openai')$$) r;
SELECT r FROM t.rows($$SELECT * FROM dealscope.share_report('(,)', 'year', 7, 'microsoft')$$) r;

TRUNCATE dealscope.revenue_flow RESTART IDENTITY;
DELETE FROM dealscope.placement_event;
DELETE FROM dealscope.workload;
DELETE FROM dealscope.clause;
DELETE FROM dealscope.deal;

------------------------------------------------------------------------------
-- a generated model: 400 flows, 24 revenue_share clauses among five parties
-- (several holders per seller, some shares held by the seller itself)
------------------------------------------------------------------------------
SELECT setseed(0.1618);
INSERT INTO dealscope.party (id) VALUES ('sr1'), ('sr2'), ('sr3'), ('sr4'), ('sr5') ON CONFLICT DO NOTHING;
INSERT INTO dealscope.deal (id, name, parties, signed_on) VALUES ('sr-gen', 'generated', '{sr1,sr2,sr3,sr4,sr5}', '2024-01-01');
INSERT INTO dealscope.clause (id, deal_id, kind, holder, grantor, products, scope, valid, rate)
SELECT 'sr-rs-' || lpad(i::text, 2, '0'), 'sr-gen', 'revenue_share',
       'sr' || (1 + (g + floor(random() * 5)::int) % 5), 'sr' || (1 + g),
       (ARRAY['*', 'api/*', 'chat/*, api/gpt-5', 'api/gpt-5', '*enterprise', '**'])[1 + floor(random() * 6)::int],
       CASE WHEN s IS NULL THEN NULL ELSE dealscope.endpoint_set(s) END,
       CASE WHEN random() < 0.15 THEN daterange(NULL, v0 + vlen)
            WHEN random() < 0.15 THEN daterange(v0, NULL)
            ELSE daterange(v0, v0 + vlen) END,
       dealscope.rate_schedule(CASE floor(random() * 4)::int
          WHEN 0 THEN (1 + floor(random() * 30))::text || '%'
          WHEN 1 THEN (floor(random() * 2000) / 100)::text || '%'
          WHEN 2 THEN '{[' || to_char(r0, 'YYYY-MM-DD') || ',' || to_char(r0 + rlen, 'YYYY-MM-DD') || ') '
                      || floor(random() * 30) || '%->' || floor(random() * 30) || '.5%}'
          ELSE '{[' || to_char(r0, 'YYYY-MM-DD') || ',' || to_char(r0 + rlen, 'YYYY-MM-DD') || ') 20%, ['
               || to_char(r0 + rlen, 'YYYY-MM-DD') || ',' || to_char(r0 + 2 * rlen + 3, 'YYYY-MM-DD')
               || ') 20%->0%}' END)
FROM (SELECT i, floor(random() * 3)::int AS g,
             (ARRAY[NULL, 'azure', 'aws/us-*', '*, !gcp', 'gcp/*/vertex'])[1 + floor(random() * 5)::int] AS s,
             DATE '2024-01-01' + floor(random() * 1000)::int AS v0, 30 + floor(random() * 700)::int AS vlen,
             DATE '2024-01-01' + floor(random() * 1000)::int AS r0, 7 + floor(random() * 400)::int AS rlen
      FROM generate_series(1, 24) i) x;
INSERT INTO dealscope.revenue_flow (seller, buyer, product, channel, amount, currency, period)
SELECT 'sr' || (1 + floor(random() * 4)::int), NULL,
       (ARRAY[NULL, 'api/gpt-5', 'api/o3', 'chat/plus', 'chat/enterprise', 'sora'])[1 + floor(random() * 6)::int],
       dealscope.endpoint((ARRAY['azure/eastus', 'aws/us-east-1/bedrock', 'aws/eu-west-1', 'gcp/europe-west4/vertex',
                                 'openai/global/api', 'oci/us-ashburn-1'])[1 + floor(random() * 6)::int]),
       CASE WHEN random() < 0.15 THEN -1 ELSE 1 END
         * round(floor(random() * (CASE WHEN random() < 0.15 THEN 100 ELSE 10000000 END))::numeric
                 / 10::numeric ^ dealscope.minor_unit(cur), dealscope.minor_unit(cur)),
       cur,
       daterange(p0, p0 + CASE WHEN random() < 0.1 THEN 1 ELSE 1 + floor(random() * 200)::int END)
FROM (SELECT (ARRAY['USD', 'EUR', 'JPY', 'BHD'])[1 + floor(random() * 4)::int] AS cur,
             DATE '2024-01-01' + floor(random() * 1100)::int AS p0
      FROM generate_series(1, 400)) x;

SELECT during, grain, fy, holder,
       t.digest(format('SELECT * FROM dealscope.share_report(%L, %L, %s, %L)', during, grain, fy, holder)) AS report
FROM (VALUES ('(,)'), ('[2024-03-15,2026-09-01)'), ('[2025-02-10,2025-02-11)')) d(during),
     (VALUES ('day'), ('week'), ('month'), ('quarter'), ('half'), ('year')) g(grain),
     (VALUES (1), (7)) f(fy),
     (VALUES (NULL), ('sr1'), ('sr3')) h(holder)
WHERE grain <> 'day' OR during <> '(,)'
ORDER BY 1, 2, 3, 4;
-- one report in full
SELECT r FROM t.rows($$SELECT * FROM dealscope.share_report('[2025-01-01,2025-07-01)', 'quarter', 1)$$) r;
-- per (slice, seller, currency) the holders' shares are revenue_report's
SELECT t.try($$(SELECT count(*) FROM (
    (SELECT slice_start, seller, currency, sum(share) FROM dealscope.revenue_report('(,)', 'month') GROUP BY 1, 2, 3 HAVING sum(share) <> 0
     EXCEPT ALL
     SELECT slice_start, seller, currency, sum(share) FROM dealscope.share_report('(,)', 'month') GROUP BY 1, 2, 3 HAVING sum(share) <> 0)
    UNION ALL
    (SELECT slice_start, seller, currency, sum(share) FROM dealscope.share_report('(,)', 'month') GROUP BY 1, 2, 3 HAVING sum(share) <> 0
     EXCEPT ALL
     SELECT slice_start, seller, currency, sum(share) FROM dealscope.revenue_report('(,)', 'month') GROUP BY 1, 2, 3 HAVING sum(share) <> 0)) x)$$)
    AS mismatches_with_revenue_report;

-- revenue_holder_agg, grouped by seller (keys of the C edition's arrays come
-- in the order the rows met them, so the cells are sorted here)
SELECT t.digest($$SELECT g.seller, c.* FROM (SELECT f.seller, dealscope.revenue_holder_agg(f.seller, f.product, f.channel,
                     f.amount, f.currency, f.period, 'quarter', 7, '[2025-01-01,2025-04-01)', NULL) AS cells
                 FROM dealscope.revenue_flow f GROUP BY f.seller) g, unnest(g.cells) c
                 ORDER BY g.seller, c.party, c.currency, c.slice_start$$);
SELECT r FROM t.rows($$SELECT c.* FROM unnest((SELECT dealscope.revenue_holder_agg(f.seller, f.product, f.channel,
                     f.amount, f.currency, f.period, 'year', 1, NULL, 'sr3') FROM dealscope.revenue_flow f
                     WHERE f.seller = 'sr2')) c ORDER BY c.party, c.currency, c.slice_start$$) r;
SELECT replace(q, 'dealscope.', ''), t.try(q) FROM unnest(ARRAY[
    $$(SELECT dealscope.revenue_holder_agg(NULL, 'api/gpt-5', dealscope.endpoint('azure/eastus'), 10.00, 'USD', '[2026-02-01,2026-02-02)', 'month', 1, NULL, NULL))$$,
    $$(SELECT dealscope.revenue_holder_agg('sr1', 'api/gpt-5', dealscope.endpoint('azure/eastus'), NULL, 'USD', '[2026-02-01,2026-02-02)', 'month', 1, NULL, NULL))$$,
    $$(SELECT dealscope.revenue_holder_agg('sr1', 'api/gpt-5', dealscope.endpoint('azure/eastus'), 10.00, 'USD', '[2026-02-01,2026-02-02)', 'fortnight', 1, NULL, NULL))$$,
    $$(SELECT dealscope.revenue_holder_agg('sr1', 'api/gpt-5', dealscope.endpoint('azure/eastus'), 10.00, 'USD', '[2026-02-01,)', 'month', 1, NULL, NULL))$$,
    $$(SELECT dealscope.revenue_holder_agg('sr1', 'api/gpt-5', dealscope.endpoint('azure/eastus'), 10.001, 'USD', '[2026-02-01,2026-02-02)', 'month', 1, NULL, NULL))$$]) q;

------------------------------------------------------------------------------
-- NULLs and errors
------------------------------------------------------------------------------
SELECT replace(q, 'dealscope.', ''), t.try(q) FROM unnest(ARRAY[
    $$(SELECT count(*) FROM dealscope.share_report(NULL))$$,
    $$(SELECT count(*) FROM dealscope.share_report('empty', 'month'))$$,
    $$(SELECT count(*) FROM dealscope.share_report('(,)', NULL))$$,
    $$(SELECT count(*) FROM dealscope.share_report('(,)', 'fortnight'))$$,
    $$(SELECT count(*) FROM dealscope.share_report('(,)', 'month', NULL))$$,
    $$(SELECT count(*) FROM dealscope.share_report('(,)', 'month', 0))$$,
    $$(SELECT count(*) FROM dealscope.share_report('(,)', 'month', 1, NULL))$$,
    $$(SELECT count(*) FROM dealscope.share_report('(,)', 'month', 1, 'nobody'))$$,
    $$(SELECT count(*) FROM dealscope.share_report('(,)', 'month', 1, 'SR1'))$$,
    $$(SELECT count(*) FROM dealscope.share_report('(,)', 'month', 1, ''))$$,
    $$(SELECT count(*) FROM dealscope.share_report(NULL, 'month', 1, 'nobody'))$$]) q;

TRUNCATE dealscope.revenue_flow RESTART IDENTITY;
DELETE FROM dealscope.clause;
DELETE FROM dealscope.deal;
