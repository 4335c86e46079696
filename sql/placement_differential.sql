SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS dealscope;
RESET client_min_messages;
SET search_path = dealscope, public;
SET datestyle = 'ISO, YMD';
-- placement_check (C) against the plain-SQL reference in
-- test/reference/placement.sql on thousands of random cases: every clause
-- kind, random scopes, globs, validity ranges (open, infinite), workloads,
-- rofr and launch events, and dates at and around every boundary (each
-- clause's start and end, the request day, each event, offer + window,
-- launch + lag: the day before, the day itself, the day after).
\set ECHO none
\i test/reference/placement.sql
\set ECHO all
BEGIN;
-- start from empty model tables (other tests' rows vanish with the rollback)
DELETE FROM placement_event; DELETE FROM workload; DELETE FROM clause; DELETE FROM deal;
-- a private catalog, so the test does not depend on the shipped one
INSERT INTO party (id) SELECT unnest('{tc1-owner,tc2-owner,h1,h2}'::text[]) UNION ALL SELECT 'g' || g FROM generate_series(1, 300) AS g;
INSERT INTO provider (provider, owner) VALUES ('tc1', 'tc1-owner'), ('tc2', 'tc2-owner');
INSERT INTO region (provider, region, country) VALUES
    ('tc1', 'r-us', 'US'), ('tc1', 'r-de', 'DE'), ('tc1', 'r-fr', 'FR'),
    ('tc2', 'r-jp', 'JP'), ('tc2', 'r-ch', 'CH'), ('tc2', 'r-gb', 'GB'), ('tc2', 'r-ie', 'IE');
INSERT INTO jurisdiction (code, countries) VALUES ('T-EU', '{DE,FR,IE}'), ('t-asia', '{JP}');
CREATE FUNCTION pg_temp.pick(anyarray) RETURNS anyelement LANGUAGE sql VOLATILE
    AS $$ SELECT $1[1 + floor(random() * cardinality($1))::int] $$;
CREATE TEMP TABLE pool (ep endpoint);
INSERT INTO pool VALUES ('tc1/r-us'), ('tc1/r-de'), ('tc1/r-de/svc'), ('tc1/r-fr'), ('tc2/r-jp'),
    ('tc2/r-ch'), ('tc2/r-gb/svc'), ('tc2/r-ie'), ('tc1/r-unknown'), ('tc3/r-x');
SELECT setseed(0.20260428);
INSERT INTO deal (id) VALUES ('diff');
-- drawn with every column filled, then each clause keeps only the columns
-- its kind reads (the table rejects the others)
CREATE TEMP TABLE drawn (id, deal_id, kind, holder, grantor, products, scope, valid, window_days, lag_days,
                         data_class, jurisdictions, rate, amount, currency, min_share) AS
SELECT format('c%s-%s', g, k), 'diff', kind, pg_temp.pick('{h1,h2}'::text[]), 'g' || g,
       pg_temp.pick('{*,p1,p*,"p1, p2",q*,*1,p_x,p%,""}'::text[]),
       pg_temp.pick('{tc1,tc2,tc1/r-de,tc1/r-*,!tc1,"tc1/r-us,tc2/r-jp",*,"",tc1/*/svc,"tc2,!tc2/r-ch"}'::text[])::endpoint_set,
       daterange(lo, CASE WHEN hr < 0.15 THEN NULL WHEN hr < 0.20 THEN 'infinity'
                          ELSE COALESCE(lo, date '2026-03-01') + 1 + floor(random() * 60)::int END),
       floor(random() * 15)::int, floor(random() * 15)::int,
       pg_temp.pick('{pii,public}'::text[]),
       string_to_array(pg_temp.pick('{T-EU,JP,"t-eu,CH",US,t-asia,"GB,XX",de}'::text[]), ','),
       '20%', 100, 'USD', 0.5
FROM generate_series(1, 300) AS g,
     LATERAL generate_series(1, 1 + floor(random() * 4)::int + 0 * g) AS k,
     LATERAL (SELECT pg_temp.pick('{exclusivity,rofr,first_launch,residency,exclusivity,rofr,first_launch,residency,revenue_share,primary_partner,commitment}'::clause_kind[]) AS kind,
                     CASE WHEN random() < 0.1 THEN NULL
                          ELSE date '2026-03-01' + floor(random() * 60 - 30)::int END AS lo,
                     random() AS hr, k AS k2) AS r;
INSERT INTO clause (id, deal_id, kind, holder, grantor, products, scope, valid,
                    window_days, lag_days, data_class, jurisdictions, rate, amount, currency, min_share)
SELECT id, deal_id, kind, CASE WHEN kind <> 'residency' THEN holder END, grantor,
       CASE WHEN kind IN ('primary_partner', 'commitment') THEN '*' ELSE products END,
       CASE WHEN kind NOT IN ('residency', 'primary_partner', 'commitment') THEN scope END, valid,
       CASE WHEN kind = 'rofr' THEN window_days END, CASE WHEN kind = 'first_launch' THEN lag_days END,
       CASE WHEN kind = 'residency' THEN data_class END, CASE WHEN kind = 'residency' THEN jurisdictions END,
       CASE WHEN kind = 'revenue_share' THEN rate::rate_schedule END,
       CASE WHEN kind = 'commitment' THEN amount END, CASE WHEN kind = 'commitment' THEN currency END,
       CASE WHEN kind = 'primary_partner' THEN min_share END
FROM drawn;
INSERT INTO workload (id, owner, product, data_class, requested_on)
SELECT format('w%s-%s', g, j), 'g' || g, pg_temp.pick('{p1,p2,q1,p_x,pax,p%}'::text[]),
       pg_temp.pick('{pii,public,NULL}'::text[]),
       date '2026-03-01' + floor(random() * 80 - 40)::int
FROM generate_series(1, 300) AS g, generate_series(1, 2) AS j;
INSERT INTO placement_event (workload_id, kind, holder, at, on_date)
SELECT w.id, ev.kind, CASE WHEN ev.kind <> 'launch' THEN pg_temp.pick('{h1,h2}'::text[]) END,
       CASE WHEN ev.kind = 'launch' THEN (SELECT pg_temp.pick(array_agg(ep)) FROM pool) END,
       date '2026-03-01' + floor(random() * 70 - 30)::int
FROM workload AS w,
     LATERAL generate_series(1, floor(random() * 5)::int + 0 * length(w.id)) AS n,
     LATERAL (SELECT pg_temp.pick('{offer,offer,decline,accept,launch,launch}'::text[]) AS kind, n AS n2) AS ev;
-- every boundary of every workload, the day before, of and after, each
-- with one random endpoint of the pool
CREATE TEMP TABLE pairs AS
SELECT b.wid, b.day + o AS d, (SELECT pg_temp.pick(array_agg(ep)) FROM pool WHERE o + length(b.wid) > -100) AS ep
FROM (
    SELECT DISTINCT w.id AS wid, x.day
    FROM workload AS w
    JOIN clause AS c ON c.grantor = w.owner
    LEFT JOIN placement_event AS e ON e.workload_id = w.id
    CROSS JOIN LATERAL (VALUES (lower(c.valid)), (upper(c.valid)), (w.requested_on), (e.on_date),
                               (e.on_date + c.window_days), (e.on_date + c.lag_days)) AS x(day)
    WHERE x.day IS NOT NULL AND isfinite(x.day)
) AS b, generate_series(-1, 1) AS o;
CREATE TEMP TABLE diff AS
SELECT p.wid, p.ep, p.d, x.verdict AS c_verdict, x.eligible_from AS c_from, x.reasons AS c_reasons,
       r.verdict AS ref_verdict, r.eligible_from AS ref_from, r.reasons AS ref_reasons
FROM pairs AS p,
     LATERAL placement_check(p.wid, p.ep, p.d) AS x,
     LATERAL dealscope_ref.placement_check(p.wid, p.ep, p.d) AS r;
-- enough cases, and of every kind
SELECT count(*) >= 2000 AS at_least_2000_cases FROM diff;
SELECT ref_verdict, ref_from IS NULL AS from_unknown, ref_from > d AS from_later, count(*) > 20 AS many
FROM diff GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
SELECT c.kind, x.verdict, count(*) > 10 AS many
FROM diff AS f, LATERAL placement_reasons(f.wid, f.ep, f.d) AS x JOIN clause AS c ON c.id = x.clause_id
GROUP BY 1, 2 ORDER BY 1, 2;
-- the extension and the reference agree on verdict, eligible_from and the
-- clauses in the way, for every case
SELECT count(*) AS mismatches
FROM diff
WHERE (c_verdict, c_from) IS DISTINCT FROM (ref_verdict, ref_from)
   OR ARRAY(SELECT substring(t FROM '([^ :]+):') FROM unnest(c_reasons) WITH ORDINALITY AS u(t, n) ORDER BY n)
      IS DISTINCT FROM ref_reasons;
SELECT * FROM diff
WHERE (c_verdict, c_from) IS DISTINCT FROM (ref_verdict, ref_from)
   OR ARRAY(SELECT substring(t FROM '([^ :]+):') FROM unnest(c_reasons) WITH ORDINALITY AS u(t, n) ORDER BY n)
      IS DISTINCT FROM ref_reasons
LIMIT 5;
-- placement_matrix (the bulk path) agrees with placement_check on a few
-- days, inlined (candidates from a column) and not (from a sub-select)
SELECT count(*) AS matrix_rows,
       count(*) FILTER (WHERE (m.verdict, m.eligible_from, m.reasons) IS DISTINCT FROM (x.verdict, x.eligible_from, x.reasons)) AS matrix_mismatches
FROM unnest('{2026-02-10,2026-03-01,2026-03-20}'::date[]) AS day,
     (SELECT array_agg(ep) AS a FROM pool) AS p,
     LATERAL placement_matrix(day, p.a) AS m,
     LATERAL placement_check(m.workload_id, m.endpoint::endpoint, day) AS x;
SELECT count(*) AS matrix_rows,
       count(*) FILTER (WHERE (m.verdict, m.eligible_from, m.reasons) IS DISTINCT FROM (x.verdict, x.eligible_from, x.reasons)) AS matrix_mismatches
FROM unnest('{2026-02-10,2026-03-01,2026-03-20}'::date[]) AS day,
     LATERAL placement_matrix(day, (SELECT array_agg(ep) FROM pool)) AS m,
     LATERAL placement_check(m.workload_id, m.endpoint::endpoint, day) AS x;
ROLLBACK;
