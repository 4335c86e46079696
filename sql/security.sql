-- A plain user installs the trusted extension into a database it owns, and a
-- hostile search_path (a schema ahead of dealscope shadowing operators and
-- functions) changes no answer.
SET client_min_messages = warning;
DROP DATABASE IF EXISTS dealscope_security;
DROP ROLE IF EXISTS dealscope_plain_user;
RESET client_min_messages;
SELECT current_database() AS regression_db \gset
CREATE ROLE dealscope_plain_user NOSUPERUSER NOCREATEDB NOCREATEROLE;
CREATE DATABASE dealscope_security OWNER dealscope_plain_user;
\c dealscope_security
SET ROLE dealscope_plain_user;
SELECT rolsuper FROM pg_roles WHERE rolname = current_user;
CREATE EXTENSION dealscope;
SELECT e.extname, e.extowner::regrole AS owner, n.nspname AS schema
FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'dealscope';

-- the example deal, loaded by the plain user
SET search_path = dealscope, public;
\set ECHO none
\i examples/msft_openai.sql
\i examples/msft_openai_revenue.sql
\set ECHO all

-- The questions, every name in them qualified, so that only the extension's
-- own internals could be redirected by the search_path.
CREATE FUNCTION public.answers() RETURNS TABLE (q text, a text) LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY
    SELECT 'endpoint =', (SELECT pg_catalog.count(*) FROM (VALUES ('aws/a'::dealscope.endpoint), ('aws/b'), ('AWS/A')) v(e)
                          WHERE e OPERATOR(dealscope.=) 'aws/a'::dealscope.endpoint)::text
    UNION ALL SELECT 'accessors', dealscope.provider('gcp/us-central1') OPERATOR(pg_catalog.||) dealscope.region('gcp/us-central1')
    UNION ALL SELECT 'constructor', dealscope.endpoint('Azure', 'EastUS')::text
    UNION ALL SELECT 'membership', ('aws/us-gov-west-1'::dealscope.endpoint OPERATOR(dealscope.<@) 'aws/us-*, !aws/us-gov-*'::dealscope.endpoint_set)::text
    UNION ALL SELECT 'overlap', ('aws/us-east-1'::dealscope.endpoint_set OPERATOR(dealscope.&&) '!aws/us-*'::dealscope.endpoint_set)::text
    UNION ALL SELECT 'rate_at', dealscope.rate_at('{[2026-04-28,2027-04-28) 20%->0%}', '2026-10-27')::text
    UNION ALL SELECT 'slice_of', (SELECT s.label FROM dealscope.slice_of('2026-07-01', 'year', 7) s)
    UNION ALL SELECT 'prorate', (SELECT pg_catalog.string_agg(p.label OPERATOR(pg_catalog.||) ':' OPERATOR(pg_catalog.||) p.gross::text OPERATOR(pg_catalog.||) '/' OPERATOR(pg_catalog.||) p.share::text, ' ' ORDER BY p.slice_start)
                                 FROM dealscope.prorate(100.00, '[2026-01-15,2026-04-15)', 'month', share => '{[2026-01-15,2026-04-15) 20%->0%}') p)
    UNION ALL SELECT 'placement_check', (SELECT c.verdict OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) c.eligible_from::text OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) c.reasons::text
                                         FROM dealscope.placement_check('agents-enterprise', 'aws/us-east-1', '2026-06-03') c)
    UNION ALL SELECT 'placement_matrix', (SELECT pg_catalog.string_agg(m.workload_id OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) m.endpoint::text OPERATOR(pg_catalog.||) ' '
                                                                OPERATOR(pg_catalog.||) m.verdict OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) m.eligible_from::text OPERATOR(pg_catalog.||) ' '
                                                                OPERATOR(pg_catalog.||) m.reasons::text, '; ' ORDER BY m.workload_id, m.endpoint)
                                          FROM dealscope.placement_matrix('2026-06-03', '{aws/us-east-1,azure/eastus}') m)
    UNION ALL SELECT 'placement_matrix default', (SELECT pg_catalog.count(*)::text OPERATOR(pg_catalog.||) ' pairs, ' OPERATOR(pg_catalog.||) pg_catalog.count(*) FILTER (WHERE m.verdict OPERATOR(pg_catalog.=) 'allowed')::text OPERATOR(pg_catalog.||) ' allowed'
                                                  FROM dealscope.placement_matrix('2026-05-15') m)
    UNION ALL SELECT 'placement_summary', (SELECT pg_catalog.string_agg(m.message, '; ' ORDER BY m.workload_id)
                                           FROM dealscope.placement_summary('2026-05-15') m)
    UNION ALL SELECT 'reporting revenue_flow', (SELECT pg_catalog.count(*)::text OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) pg_catalog.min(f.channel)
                                                OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) pg_catalog.max(f.period_to)::text
                                                FROM dealscope_reporting.revenue_flow f WHERE f.channel OPERATOR(pg_catalog.=) 'azure/eastus')
    UNION ALL SELECT 'reporting clause', (SELECT pg_catalog.string_agg(c.id OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) c.kind OPERATOR(pg_catalog.||) ' '
                                                                   OPERATOR(pg_catalog.||) coalesce(c.scope, '-') OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) coalesce(c.valid_to::text, '-'), '; ' ORDER BY c.id)
                                          FROM dealscope_reporting.clause c)
    UNION ALL SELECT 'reporting placement_check', (SELECT c.verdict OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) c.eligible_from::text
                                                   FROM dealscope_reporting.placement_check('agents-enterprise', 'AWS/us-east-1', '2026-06-03') c)
    UNION ALL SELECT 'revenue_split', (SELECT pg_catalog.string_agg(c.label OPERATOR(pg_catalog.||) ':' OPERATOR(pg_catalog.||) c.gross::text OPERATOR(pg_catalog.||) '/' OPERATOR(pg_catalog.||) c.share::text, ' ')
                                       FROM pg_catalog.unnest(dealscope.revenue_split('microsoft', 'azure-openai/gpt-5', 'azure/eastus', 1000.00, 'USD', '[2026-04-01,2026-07-01)', 'month', 1)) c)
    UNION ALL SELECT 'revenue_agg', (SELECT pg_catalog.string_agg(c.label OPERATOR(pg_catalog.||) ':' OPERATOR(pg_catalog.||) c.share::text, ' ')
                                     FROM (SELECT dealscope.revenue_agg(f.seller, f.product, f.channel, f.amount, f.currency, f.period, 'quarter', 1, NULL) AS cells
                                           FROM dealscope.revenue_flow f WHERE f.seller OPERATOR(pg_catalog.=) 'microsoft' AND f.currency OPERATOR(pg_catalog.=) 'USD') g,
                                          pg_catalog.unnest(g.cells) c)
    UNION ALL SELECT 'revenue_report', (SELECT pg_catalog.count(*)::text OPERATOR(pg_catalog.||) ' rows, share ' OPERATOR(pg_catalog.||) pg_catalog.sum(r.share)::text
                                        FROM dealscope.revenue_report('[2025-07-01,2027-07-01)', 'quarter') r)
    UNION ALL SELECT 'exposure', (SELECT pg_catalog.sum(e.share_receivable)::text FROM dealscope.exposure('openai', '[2025-07-01,2027-07-01)') e)
    UNION ALL SELECT 'residency', (SELECT pg_catalog.count(*)::text FROM dealscope.region r
                                   WHERE r.country OPERATOR(pg_catalog.=) ANY ((SELECT j.countries FROM dealscope.jurisdiction j WHERE j.code OPERATOR(pg_catalog.=) 'EU')::bpchar[]));
END $$;
CREATE TABLE public.answers_before AS SELECT * FROM public.answers();

-- a hostile schema placed first on the search_path, shadowing operators and
-- functions the extension's internals might use unqualified
CREATE SCHEMA hostile;
CREATE FUNCTION hostile.always_true(dealscope.endpoint, dealscope.endpoint) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS 'SELECT true';
CREATE OPERATOR hostile.= (LEFTARG = dealscope.endpoint, RIGHTARG = dealscope.endpoint,
                           FUNCTION = hostile.always_true);
CREATE FUNCTION hostile.text_eq(text, text) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT true';
CREATE OPERATOR hostile.= (LEFTARG = text, RIGHTARG = text, FUNCTION = hostile.text_eq);
CREATE FUNCTION hostile.date_le(date, date) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT true';
CREATE OPERATOR hostile.<= (LEFTARG = date, RIGHTARG = date, FUNCTION = hostile.date_le);
CREATE FUNCTION hostile.contains(dealscope.endpoint_set, dealscope.endpoint) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS 'SELECT false';
CREATE OPERATOR hostile.@> (LEFTARG = dealscope.endpoint_set, RIGHTARG = dealscope.endpoint,
                            FUNCTION = hostile.contains);
CREATE FUNCTION hostile.provider(dealscope.endpoint) RETURNS text LANGUAGE sql AS $$SELECT 'hijacked'$$;
CREATE FUNCTION hostile.lower(text) RETURNS text LANGUAGE sql AS $$SELECT 'hijacked'$$;
CREATE FUNCTION hostile.upper(text) RETURNS text LANGUAGE sql AS $$SELECT 'hijacked'$$;
CREATE FUNCTION hostile.lower(daterange) RETURNS date LANGUAGE sql AS $$SELECT date '2000-01-01'$$;
CREATE FUNCTION hostile.upper(daterange) RETURNS date LANGUAGE sql AS $$SELECT date '2000-01-01'$$;
CREATE FUNCTION hostile.unnest(text[]) RETURNS SETOF text LANGUAGE sql AS $$SELECT 'hijacked'$$;
-- pg_catalog placed after the hostile schema, so even same-signature
-- built-ins are shadowed
SET search_path = hostile, pg_catalog, dealscope, public;

-- the same questions, asked again
CREATE TABLE public.answers_after AS SELECT * FROM public.answers();
-- compare them under a safe search_path (the hostile = would match anything)
SET search_path = dealscope, public;
SELECT b.q, b.a AS answer, b.a IS NOT DISTINCT FROM a.a AS unchanged
FROM public.answers_before b JOIN public.answers_after a USING (q) ORDER BY b.q;

-- the extension's functions all live in its schemas (dealscope, and
-- dealscope_reporting for BI tools) and depend on nothing in hostile
SELECT count(*) AS objects_outside_schemas
FROM pg_depend d JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
WHERE d.refclassid = 'pg_extension'::regclass
  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'dealscope')
  AND p.pronamespace NOT IN ('dealscope'::regnamespace, 'dealscope_reporting'::regnamespace);

RESET search_path;
RESET ROLE;
\c :regression_db
SET client_min_messages = warning;
DROP DATABASE dealscope_security;
DROP ROLE dealscope_plain_user;
