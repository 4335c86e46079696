SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS dealscope;
RESET client_min_messages;
SET search_path = dealscope, public;
SET datestyle = 'ISO, YMD';
-- Placement (doc/design.md, "Placement"): every row of the clause-kind
-- table at and around each boundary (the day before, the day of, the day
-- after), combination of clauses, errors and NULLs, and placement_matrix /
-- placement_summary against placement_check.  Each scenario has its own
-- grantor, so only its own clauses apply.  Everything is rolled back at the
-- end.
BEGIN;
\set ON_ERROR_ROLLBACK on
DELETE FROM placement_event; DELETE FROM workload; DELETE FROM clause; DELETE FROM deal;
INSERT INTO deal (id, name) VALUES ('t', 'placement test deal');
-- every party the rows below name is registered (dealscope.party)
INSERT INTO party (id) VALUES ('excl-co'), ('excl-open-co'), ('glob-co'), ('launch-co'), ('launch-zero-co'), ('mix-co'),
    ('money-co'), ('res-co'), ('rofr-co'), ('rofr-short-co'), ('rofr-zero-co'), ('wrap-co'), ('excl-inf-co'),
    ('excl-inf-incl-co'), ('someone-else'), ('eu-customers') ON CONFLICT DO NOTHING;
-- check one workload on one endpoint over several days
CREATE FUNCTION pg_temp.walk(w text, e endpoint, days date[])
RETURNS TABLE (on_date date, verdict text, eligible_from date, reasons text[])
LANGUAGE sql STABLE AS $$
    SELECT d, x.verdict, x.eligible_from, x.reasons
    FROM unnest(days) AS d, LATERAL dealscope.placement_check(w, e, d) AS x
    ORDER BY d
$$;
--
-- exclusivity: outside scope blocked until upper(valid)
--
INSERT INTO clause (id, deal_id, kind, holder, grantor, scope, valid)
    VALUES ('excl-azure', 't', 'exclusivity', 'microsoft', 'excl-co', 'azure', '[2019-07-22,2026-04-28)');
INSERT INTO workload VALUES ('excl-w', 'excl-co', 'chatgpt/plus', NULL, '2023-01-01');
SELECT * FROM pg_temp.walk('excl-w', 'aws/us-east-1', '{2019-07-21,2019-07-22,2019-07-23,2026-04-27,2026-04-28,2026-04-29}');
-- inside the scope it is allowed, with the clause listed by placement_reasons
SELECT * FROM pg_temp.walk('excl-w', 'azure/eastus', '{2019-07-22,2026-04-27}');
SELECT * FROM placement_reasons('excl-w', 'azure/eastus/openai', '2026-04-27');
SELECT * FROM placement_reasons('excl-w', 'gcp/us-central1', '2026-04-27');
-- no end (unbounded, or up to infinity): blocked with no known eligible_from
INSERT INTO clause (id, deal_id, kind, holder, grantor, scope, valid) VALUES
    ('excl-open', 't', 'exclusivity', 'amazon', 'excl-open-co', 'aws', '[2026-01-01,)'),
    ('excl-inf', 't', 'exclusivity', 'amazon', 'excl-inf-co', 'aws', '[2026-01-01,infinity)'),
    ('excl-inf-incl', 't', 'exclusivity', 'amazon', 'excl-inf-incl-co', 'aws', '[2026-01-01,infinity]');
INSERT INTO workload VALUES
    ('open-w', 'excl-open-co', 'x', NULL, '2020-01-01'),
    ('inf-w', 'excl-inf-co', 'x', NULL, '2020-01-01'),
    ('inf-incl-w', 'excl-inf-incl-co', 'x', NULL, '2020-01-01');
SELECT w, x.* FROM unnest('{open-w,inf-w,inf-incl-w}'::text[]) AS w,
    LATERAL placement_check(w, 'azure/eastus', '2030-01-01') AS x;
-- on_date infinity lies in '[2026-01-01,infinity]' only
SELECT w, x.* FROM unnest('{open-w,inf-w,inf-incl-w}'::text[]) AS w,
    LATERAL placement_check(w, 'azure/eastus', 'infinity') AS x;
--
-- rofr: only for workloads requested inside valid; inside scope allowed;
-- no offer: conditional; offer pending until offer + window; declined or
-- lapsed: allowed; accepted: blocked
--
INSERT INTO clause (id, deal_id, kind, holder, grantor, scope, valid, window_days)
    VALUES ('rofr-msft', 't', 'rofr', 'microsoft', 'rofr-co', 'azure', '[2026-04-28,)', 30);
INSERT INTO workload VALUES
    ('rofr-old', 'rofr-co', 'api/gpt-5', NULL, '2026-04-27'),
    ('rofr-new', 'rofr-co', 'api/gpt-6', NULL, '2026-04-28'),
    ('rofr-dec', 'rofr-co', 'api/gpt-6-mini', NULL, '2026-05-01'),
    ('rofr-acc', 'rofr-co', 'api/gpt-6-nano', NULL, '2026-05-01'),
    ('rofr-same', 'rofr-co', 'api/gpt-6-pro', NULL, '2026-05-01'),
    ('rofr-other', 'rofr-co', 'api/gpt-6-audio', NULL, '2026-05-01');
-- requested the day before the right began: not covered
SELECT * FROM pg_temp.walk('rofr-old', 'aws/us-east-1', '{2026-04-27,2026-04-28,2026-06-01}');
-- inside the holder's scope: allowed; before valid begins: no clause applies
SELECT * FROM pg_temp.walk('rofr-new', 'azure/westeurope', '{2026-04-28}');
SELECT * FROM placement_reasons('rofr-new', 'azure/westeurope', '2026-04-28');
SELECT * FROM pg_temp.walk('rofr-new', 'aws/us-east-1', '{2026-04-27,2026-04-28}');
-- offer on 2026-05-01, window 30 days: pending through 2026-05-30, lapsed on 2026-05-31
INSERT INTO placement_event VALUES ('rofr-new', 'offer', 'microsoft', NULL, '2026-05-01');
SELECT * FROM pg_temp.walk('rofr-new', 'aws/us-east-1', '{2026-04-30,2026-05-01,2026-05-02,2026-05-30,2026-05-31,2026-06-01}');
SELECT * FROM placement_reasons('rofr-new', 'aws/us-east-1', '2026-05-31');
-- declined on 2026-05-10: allowed from that day; a new offer starts a new window
INSERT INTO placement_event VALUES
    ('rofr-dec', 'offer', 'microsoft', NULL, '2026-05-01'),
    ('rofr-dec', 'decline', 'microsoft', NULL, '2026-05-10'),
    ('rofr-dec', 'offer', 'microsoft', NULL, '2026-08-01');
SELECT * FROM pg_temp.walk('rofr-dec', 'gcp/us-central1', '{2026-05-09,2026-05-10,2026-05-11,2026-07-31,2026-08-01,2026-08-31}');
SELECT * FROM placement_reasons('rofr-dec', 'gcp/us-central1', '2026-05-10');
-- accepted on 2026-05-10: blocked, with no known end (the right has none)
INSERT INTO placement_event VALUES
    ('rofr-acc', 'offer', 'microsoft', NULL, '2026-05-01'),
    ('rofr-acc', 'accept', 'microsoft', NULL, '2026-05-10');
SELECT * FROM pg_temp.walk('rofr-acc', 'gcp/us-central1', '{2026-05-09,2026-05-10,2026-05-11,2027-01-01}');
SELECT * FROM pg_temp.walk('rofr-acc', 'azure/eastus', '{2026-05-10}');
-- offer and decline on the same day: the answer counts
INSERT INTO placement_event VALUES
    ('rofr-same', 'decline', 'microsoft', NULL, '2026-05-03'),
    ('rofr-same', 'offer', 'microsoft', NULL, '2026-05-03');
SELECT * FROM pg_temp.walk('rofr-same', 'aws/us-east-1', '{2026-05-02,2026-05-03}');
-- an offer to someone else is no offer to the holder
INSERT INTO placement_event VALUES ('rofr-other', 'offer', 'google', NULL, '2026-05-03');
SELECT * FROM pg_temp.walk('rofr-other', 'aws/us-east-1', '{2026-05-03}');
-- a right that ends: every obstacle lifts at the latest when it ends
INSERT INTO clause (id, deal_id, kind, holder, grantor, scope, valid, window_days)
    VALUES ('rofr-short', 't', 'rofr', 'microsoft', 'rofr-short-co', 'azure', '[2026-04-28,2026-06-15)', 30);
INSERT INTO workload VALUES
    ('short-none', 'rofr-short-co', 'x', NULL, '2026-05-01'),
    ('short-offer', 'rofr-short-co', 'y', NULL, '2026-05-01');
INSERT INTO placement_event VALUES ('short-offer', 'offer', 'microsoft', NULL, '2026-06-01');
SELECT * FROM pg_temp.walk('short-none', 'aws/us-east-1', '{2026-06-14,2026-06-15}');
SELECT * FROM pg_temp.walk('short-offer', 'aws/us-east-1', '{2026-05-31,2026-06-01,2026-06-14,2026-06-15}');
-- window 0: an offer lapses the day it is made
INSERT INTO clause (id, deal_id, kind, holder, grantor, scope, valid, window_days)
    VALUES ('rofr-zero', 't', 'rofr', 'microsoft', 'rofr-zero-co', 'azure', '[2026-01-01,)', 0);
INSERT INTO workload VALUES ('zero-w', 'rofr-zero-co', 'x', NULL, '2026-05-01');
INSERT INTO placement_event VALUES ('zero-w', 'offer', 'microsoft', NULL, '2026-06-01');
SELECT * FROM pg_temp.walk('zero-w', 'aws/us-east-1', '{2026-05-31,2026-06-01}');
--
-- first_launch: only for workloads requested inside valid; outside the scope
-- the workload must have launched inside it on day L, and d >= L + lag_days
--
INSERT INTO clause (id, deal_id, kind, holder, grantor, scope, valid, lag_days)
    VALUES ('fl-azure', 't', 'first_launch', 'microsoft', 'launch-co', 'azure', '[2026-04-28,)', 14);
INSERT INTO workload VALUES
    ('fl-old', 'launch-co', 'api/gpt-5', NULL, '2026-04-27'),
    ('fl-new', 'launch-co', 'api/gpt-6', NULL, '2026-05-01');
SELECT * FROM pg_temp.walk('fl-old', 'aws/us-east-1', '{2026-05-01}');
-- a launch outside the scope does not count; azure/eastus on 2026-06-10 does
INSERT INTO placement_event VALUES
    ('fl-new', 'launch', NULL, 'aws/us-east-1', '2026-06-01'),
    ('fl-new', 'launch', NULL, 'azure/eastus', '2026-06-10'),
    ('fl-new', 'launch', NULL, 'azure/westeurope', '2026-06-12');
SELECT * FROM pg_temp.walk('fl-new', 'gcp/europe-west3', '{2026-06-09,2026-06-10,2026-06-11,2026-06-23,2026-06-24,2026-06-25}');
SELECT * FROM pg_temp.walk('fl-new', 'azure/northeurope', '{2026-05-01}');
SELECT * FROM placement_reasons('fl-new', 'gcp/europe-west3', '2026-06-24');
-- lag 0: other endpoints may follow on the launch day itself
INSERT INTO clause (id, deal_id, kind, holder, grantor, scope, valid, lag_days)
    VALUES ('fl-zero', 't', 'first_launch', 'microsoft', 'launch-zero-co', 'azure', '[2026-01-01,)', 0);
INSERT INTO workload VALUES ('fl-zero-w', 'launch-zero-co', 'x', NULL, '2026-05-01');
INSERT INTO placement_event VALUES ('fl-zero-w', 'launch', NULL, 'azure/eastus', '2026-06-10');
SELECT * FROM pg_temp.walk('fl-zero-w', 'aws/us-east-1', '{2026-06-09,2026-06-10}');
--
-- residency: for workloads of the clause's data class, the endpoint's region
-- must be in a listed country or jurisdiction; unknown region blocked
--
INSERT INTO clause (id, deal_id, kind, holder, grantor, valid, data_class, jurisdictions) VALUES
    ('res-eu', 't', 'residency', 'eu-customers', 'res-co', '[2026-01-01,2027-01-01)', 'eu-personal', '{EU,CH}');
INSERT INTO workload VALUES
    ('res-eu-w', 'res-co', 'x', 'eu-personal', '2025-01-01'),
    ('res-public-w', 'res-co', 'y', 'public', '2025-01-01'),
    ('res-null-w', 'res-co', 'z', NULL, '2025-01-01');
SELECT e, x.* FROM unnest('{aws/eu-west-1,gcp/europe-west6,azure/westeurope/openai,aws/us-east-1,aws/eu-nowhere-9,openai/global/api}'::endpoint[]) AS e,
    LATERAL placement_check('res-eu-w', e, '2026-06-01') AS x;
SELECT * FROM pg_temp.walk('res-eu-w', 'aws/us-east-1', '{2025-12-31,2026-01-01,2026-12-31,2027-01-01}');
SELECT * FROM placement_reasons('res-eu-w', 'aws/eu-west-1', '2026-06-01');
SELECT * FROM placement_reasons('res-eu-w', 'aws/eu-nowhere-9', '2026-06-01');
-- other data classes, and workloads without one, are not restricted
SELECT w, x.* FROM unnest('{res-public-w,res-null-w}'::text[]) AS w,
    LATERAL placement_check(w, 'aws/us-east-1', '2026-06-01') AS x;
--
-- clauses without placement effect: listed as allowed by placement_reasons
--
INSERT INTO clause (id, deal_id, kind, holder, grantor, valid, rate, min_share, amount, currency) VALUES
    ('rs-msft', 't', 'revenue_share', 'microsoft', 'money-co', '[2026-01-01,)', '20%', NULL, NULL, NULL),
    ('pp-msft', 't', 'primary_partner', 'microsoft', 'money-co', '[2026-01-01,)', NULL, 0.5, NULL, NULL),
    ('commit-msft', 't', 'commitment', 'microsoft', 'money-co', '[2026-01-01,)', NULL, NULL, 250000000000, 'USD');
INSERT INTO workload VALUES ('money-w', 'money-co', 'x', NULL, '2026-01-01');
SELECT * FROM placement_check('money-w', 'aws/us-east-1', '2026-06-01');
SELECT * FROM placement_reasons('money-w', 'aws/us-east-1', '2026-06-01');
--
-- products globs and grantors decide which clauses apply
--
INSERT INTO clause (id, deal_id, kind, holder, grantor, products, scope, valid) VALUES
    ('excl-api', 't', 'exclusivity', 'microsoft', 'glob-co', 'api/*, chatgpt/enterprise', 'azure', '[2026-01-01,)');
INSERT INTO workload VALUES
    ('glob-api', 'glob-co', 'api/gpt-6', NULL, '2026-01-01'),
    ('glob-ent', 'glob-co', 'chatgpt/enterprise', NULL, '2026-01-01'),
    ('glob-plus', 'glob-co', 'chatgpt/plus', NULL, '2026-01-01'),
    ('glob-apix', 'glob-co', 'apix', NULL, '2026-01-01'),
    ('other-owner', 'someone-else', 'api/gpt-6', NULL, '2026-01-01');
SELECT w, x.verdict FROM unnest('{glob-api,glob-ent,glob-plus,glob-apix,other-owner}'::text[]) AS w,
    LATERAL placement_check(w, 'aws/us-east-1', '2026-06-01') AS x;
-- a list wrapped over lines: white space (not only spaces) around each glob
-- is ignored, exactly as when the revenue reports match the same column
INSERT INTO clause (id, deal_id, kind, holder, grantor, products, scope, valid) VALUES
    ('excl-wrapped', 't', 'exclusivity', 'microsoft', 'wrap-co', E'api/*,\n\tchatgpt/enterprise\t', 'azure', '[2026-01-01,)');
INSERT INTO workload VALUES
    ('wrap-ent', 'wrap-co', 'chatgpt/enterprise', NULL, '2026-01-01'),
    ('wrap-plus', 'wrap-co', 'chatgpt/plus', NULL, '2026-01-01');
SELECT w, x.verdict FROM unnest('{wrap-ent,wrap-plus}'::text[]) AS w,
    LATERAL placement_check(w, 'aws/us-east-1', '2026-06-01') AS x;
--
-- combining: the worst verdict wins; eligible_from is the day every
-- obstacle lifts, NULL when one has no known end
--
INSERT INTO clause (id, deal_id, kind, holder, grantor, scope, valid, window_days, lag_days) VALUES
    ('mix-excl', 't', 'exclusivity', 'microsoft', 'mix-co', 'azure', '[2026-01-01,2026-06-01)', NULL, NULL),
    ('mix-rofr', 't', 'rofr', 'microsoft', 'mix-co', 'azure', '[2026-01-01,)', 30, NULL),
    ('mix-fl', 't', 'first_launch', 'microsoft', 'mix-co', 'azure', '[2026-01-01,)', NULL, 7);
INSERT INTO workload VALUES ('mix-w', 'mix-co', 'x', NULL, '2026-02-01');
-- nothing done yet: blocked, and the conditions have no known end
SELECT * FROM pg_temp.walk('mix-w', 'aws/us-east-1', '{2026-05-01}');
-- offered 2026-05-11 (due 2026-06-10), launched on azure 2026-05-20 (others from 2026-05-27)
INSERT INTO placement_event VALUES
    ('mix-w', 'offer', 'microsoft', NULL, '2026-05-11'),
    ('mix-w', 'launch', NULL, 'azure/eastus', '2026-05-20');
SELECT * FROM pg_temp.walk('mix-w', 'aws/us-east-1', '{2026-05-11,2026-05-20,2026-05-31,2026-06-01,2026-06-09,2026-06-10}');
SELECT * FROM placement_reasons('mix-w', 'aws/us-east-1', '2026-05-20');
SELECT * FROM pg_temp.walk('mix-w', 'azure/eastus', '{2026-05-11}');
-- only events known on the day count
SELECT * FROM pg_temp.walk('mix-w', 'aws/us-east-1', '{2026-05-10}');
--
-- errors and NULLs
--
SELECT * FROM placement_check('no-such-workload', 'aws/us-east-1', '2026-06-01');
SELECT * FROM placement_reasons('no-such-workload', 'aws/us-east-1', '2026-06-01');
DO $$
BEGIN
    PERFORM dealscope.placement_check('no-such-workload', 'aws/us-east-1', '2026-06-01');
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'SQLSTATE %: %', SQLSTATE, SQLERRM;
END $$;
SELECT (placement_check(NULL, 'aws/us-east-1', '2026-06-01')).verdict IS NULL AS null_workload,
       (placement_check('excl-w', NULL, '2026-06-01')).verdict IS NULL AS null_endpoint,
       (placement_check('excl-w', 'aws/us-east-1', NULL)).verdict IS NULL AS null_day;
SELECT count(*) AS reasons_for_null FROM placement_reasons('excl-w', 'aws/us-east-1', NULL);
SELECT count(*) AS matrix_for_null_day FROM placement_matrix(NULL);
SELECT count(*) AS summary_for_null_day FROM placement_summary(NULL);
SELECT count(*) AS matrix_for_no_candidates FROM placement_matrix('2026-06-01', '{}');
-- NULL candidates are skipped; duplicates are kept
SELECT workload_id, endpoint, verdict FROM placement_matrix('2026-06-01', '{aws/us-east-1,NULL,aws/us-east-1}')
WHERE workload_id = 'excl-w' ORDER BY endpoint;
-- the default day is today
SELECT (placement_check('excl-w', 'aws/us-east-1')).eligible_from = current_date AS today;
--
-- placement_matrix: every workload x every catalogued region by default,
-- and the same answers as placement_check pair by pair
--
SELECT (SELECT count(*) FROM placement_matrix('2026-06-01'))
     = (SELECT count(*) FROM workload) * (SELECT count(*) FROM region) AS matrix_covers_workloads_x_regions;
SELECT count(*) AS default_candidates_not_catalogued
FROM (SELECT DISTINCT endpoint FROM placement_matrix('2026-06-01')) AS m
WHERE NOT EXISTS (SELECT 1 FROM region AS r WHERE endpoint(r.provider, r.region) = m.endpoint::endpoint);
SELECT day, count(*) AS pairs,
       count(*) FILTER (WHERE (m.verdict, m.eligible_from, m.reasons)
                              IS DISTINCT FROM (x.verdict, x.eligible_from, x.reasons)) AS mismatches
FROM unnest('{2019-07-22,2026-05-01,2026-05-20,2026-06-10,2026-06-24}'::date[]) AS day,
     LATERAL placement_matrix(day, '{aws/us-east-1,aws/eu-west-1,azure/eastus,azure/westeurope/openai,gcp/europe-west3,gcp/europe-west6,aws/eu-nowhere-9,openai/global/api}') AS m,
     LATERAL placement_check(m.workload_id, m.endpoint::endpoint, day) AS x
GROUP BY day ORDER BY day;
-- (no row order is promised: ORDER BY)
SELECT * FROM placement_matrix('2026-05-20', '{aws/us-east-1,azure/eastus,gcp/europe-west3}')
WHERE workload_id IN ('mix-w', 'res-eu-w', 'rofr-new') ORDER BY workload_id, endpoint;
--
-- placement_matrix is inlined into the calling query: no function scan of
-- its own (so no tuplestore), and a column nobody reads is not computed
--
CREATE FUNCTION pg_temp.plan(q text) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE line text;
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (VERBOSE, COSTS OFF) ' || q LOOP
        RETURN NEXT line;
    END LOOP;
END $$;
SELECT count(*) FILTER (WHERE p ~ 'Function Scan on dealscope.placement_matrix') AS matrix_function_scans,
       count(*) FILTER (WHERE p ~ 'placement_pair_verdict') > 0 AS verdict_computed,
       count(*) FILTER (WHERE p ~ 'placement_pair_eligible_from|placement_pair_reasons') AS other_columns_computed
FROM pg_temp.plan($$SELECT verdict, count(*) FROM placement_matrix('2026-06-01', '{aws/us-east-1,azure/eastus}') GROUP BY 1$$) AS p;
-- as LATERAL over a column, the form to use for a candidate list from a table
SELECT count(*) FILTER (WHERE p ~ 'Function Scan on dealscope.placement_matrix') AS matrix_function_scans
FROM pg_temp.plan($$SELECT count(*) FROM (SELECT array_agg(e) AS a FROM unnest('{aws/us-east-1,azure/eastus}'::endpoint[]) AS e) AS c,
                                          placement_matrix('2026-06-01', c.a) AS m$$) AS p;
-- a sub-select as an argument keeps PostgreSQL from inlining (it then runs
-- the function as an ordinary set-returning function): same answers
SELECT count(*) FILTER (WHERE p ~ 'Function Scan on dealscope.placement_matrix') AS matrix_function_scans
FROM pg_temp.plan($$SELECT count(*) FROM placement_matrix('2026-06-01', (SELECT array_agg(e) FROM unnest('{aws/us-east-1,azure/eastus}'::endpoint[]) AS e))$$) AS p;
SELECT (SELECT array_agg(m ORDER BY m) FROM placement_matrix('2026-05-20', (SELECT array_agg(e) FROM unnest('{aws/us-east-1,azure/eastus,gcp/europe-west3}'::endpoint[]) AS e)) AS m)
     = (SELECT array_agg(m ORDER BY m) FROM placement_matrix('2026-05-20', '{aws/us-east-1,azure/eastus,gcp/europe-west3}') AS m)
       AS subselect_same_answers;
--
-- placement_pair_verdict / _eligible_from / _reasons: the matrix's columns,
-- one pair at a time, equal to placement_check's
--
SELECT placement_pair_verdict('mix-w', 'aws/us-east-1', '2026-05-20') AS verdict,
       placement_pair_eligible_from('mix-w', 'aws/us-east-1', '2026-05-20') AS eligible_from,
       placement_pair_reasons('mix-w', 'aws/us-east-1', '2026-05-20') AS reasons;
SELECT placement_pair_verdict('inf-w', 'azure/eastus', '2026-06-01') AS verdict,
       placement_pair_eligible_from('inf-w', 'azure/eastus', '2026-06-01') AS eligible_from,
       placement_pair_reasons('inf-w', 'azure/eastus', '2026-06-01') AS reasons;
SELECT placement_pair_verdict('mix-w', 'azure/eastus', '2026-05-20') AS verdict,
       placement_pair_eligible_from('mix-w', 'azure/eastus', '2026-05-20') AS eligible_from,
       placement_pair_reasons('mix-w', 'azure/eastus', '2026-05-20') AS reasons;
-- every workload x a few endpoints x days, the days interleaved row by row
-- (more days than models kept per query, so models are dropped and rebuilt)
SELECT count(*) AS pairs,
       count(*) FILTER (WHERE (placement_pair_verdict(w.id, e, d), placement_pair_eligible_from(w.id, e, d),
                               placement_pair_reasons(w.id, e, d))
                              IS DISTINCT FROM (x.verdict, x.eligible_from, x.reasons)) AS mismatches
FROM workload AS w,
     unnest('{aws/us-east-1,azure/eastus,gcp/europe-west3,aws/eu-nowhere-9,openai/global/api}'::endpoint[]) AS e,
     unnest('{2019-07-22,2026-04-27,2026-05-01,2026-05-20,2026-06-10,2026-06-24,2027-01-01}'::date[]) AS d,
     LATERAL placement_check(w.id, e, d) AS x;
-- NULL in, NULL out
SELECT placement_pair_verdict(NULL, 'aws/us-east-1', '2026-06-01') IS NULL AS null_workload,
       placement_pair_eligible_from('excl-w', NULL, '2026-06-01') IS NULL AS null_endpoint,
       placement_pair_reasons('excl-w', 'aws/us-east-1', NULL) IS NULL AS null_day;
-- an unknown workload is an error, as in placement_check
SELECT placement_pair_verdict('no-such-workload', 'aws/us-east-1', '2026-06-01');
SELECT placement_pair_reasons('no-such-workload', 'aws/us-east-1', '2026-06-01');
DO $$
BEGIN
    PERFORM dealscope.placement_pair_eligible_from('no-such-workload', 'aws/us-east-1', '2026-06-01');
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'SQLSTATE %: %', SQLSTATE, SQLERRM;
END $$;
SELECT placement_pair_verdict('excl-w', 'aws', '2026-06-01');
-- the model is per query: PL/pgSQL keeps a simple expression's state for
-- the whole transaction, yet a change made in between is seen
DO $$
DECLARE before text; after text;
BEGIN
    before := dealscope.placement_pair_verdict('excl-w', 'aws/us-east-1', '2026-01-01');
    UPDATE dealscope.clause SET valid = '[2019-07-22,2025-01-01)' WHERE id = 'excl-azure';
    after := dealscope.placement_pair_verdict('excl-w', 'aws/us-east-1', '2026-01-01');
    RAISE NOTICE 'before: %, after: %', before, after;
    UPDATE dealscope.clause SET valid = '[2019-07-22,2026-04-28)' WHERE id = 'excl-azure';
END $$;
--
-- placement_summary: counts per verdict and per clause, most frequent first
--
SELECT * FROM placement_summary('2026-05-20', '{aws/us-east-1,aws/eu-west-1,azure/eastus,gcp/europe-west3,aws/eu-nowhere-9}')
WHERE workload_id IN ('mix-w', 'res-eu-w', 'rofr-new', 'money-w', 'excl-w')
ORDER BY workload_id;
SELECT count(*) AS workloads, count(*) FILTER (WHERE s.allowed + s.conditional + s.blocked
                                                   <> (SELECT count(*) FROM region)) AS not_adding_up,
       count(*) FILTER (WHERE (s.allowed, s.conditional, s.blocked) IS DISTINCT FROM (m.a, m.c, m.b)) AS disagreeing_with_matrix
FROM placement_summary('2026-06-01') AS s
LEFT JOIN (SELECT workload_id, count(*) FILTER (WHERE verdict = 'allowed') AS a,
                  count(*) FILTER (WHERE verdict = 'conditional') AS c,
                  count(*) FILTER (WHERE verdict = 'blocked') AS b
           FROM placement_matrix('2026-06-01') GROUP BY workload_id) AS m USING (workload_id);
--
-- reasons do not depend on DateStyle, and a hostile search_path changes nothing
--
SET datestyle = 'SQL, DMY';
SELECT reasons FROM placement_check('excl-w', 'aws/us-east-1', '2026-01-01');
SET datestyle = 'ISO, YMD';
SELECT verdict, count(*), min(eligible_from), max(cardinality(reasons))
FROM dealscope.placement_matrix('2026-01-01', '{aws/us-east-1,azure/eastus}') GROUP BY 1 ORDER BY 1;
CREATE SCHEMA evil;
CREATE FUNCTION evil.always(text, text) RETURNS boolean LANGUAGE sql AS 'SELECT true';
CREATE OPERATOR evil.= (LEFTARG = text, RIGHTARG = text, FUNCTION = evil.always);
CREATE FUNCTION evil.never(daterange, date) RETURNS boolean LANGUAGE sql AS 'SELECT false';
CREATE OPERATOR evil.@> (LEFTARG = daterange, RIGHTARG = date, FUNCTION = evil.never);
SET search_path = evil, pg_catalog, dealscope;
SELECT * FROM dealscope.placement_check('excl-w', 'aws/us-east-1', '2026-01-01');
SELECT count(*) FROM dealscope.placement_matrix('2026-06-01', '{aws/us-east-1}');
SELECT verdict, count(*), min(eligible_from), max(cardinality(reasons))
FROM dealscope.placement_matrix('2026-01-01', '{aws/us-east-1,azure/eastus}') GROUP BY 1 ORDER BY 1;
SET search_path = dealscope, public;
ROLLBACK;
\set ON_ERROR_ROLLBACK off
