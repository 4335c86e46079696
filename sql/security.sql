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

-- the answers before any hostile object exists
SET search_path = dealscope, public;
CREATE TABLE public.answers_before AS
SELECT 1 AS q, (SELECT count(*) FROM (VALUES ('aws/a'::dealscope.endpoint), ('aws/a'), ('AWS/A')) v(e)
                WHERE e OPERATOR(dealscope.=) 'aws/a'::dealscope.endpoint)::text AS a
UNION ALL SELECT 2, dealscope.provider('gcp/us-central1') || '/' || dealscope.region('gcp/us-central1')
UNION ALL SELECT 3, dealscope.endpoint('Azure', 'EastUS')::text;

-- a hostile schema placed first on the search_path
CREATE SCHEMA hostile;
CREATE FUNCTION hostile.always_true(dealscope.endpoint, dealscope.endpoint) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS 'SELECT true';
CREATE OPERATOR hostile.= (LEFTARG = dealscope.endpoint, RIGHTARG = dealscope.endpoint,
                           FUNCTION = hostile.always_true);
CREATE FUNCTION hostile.provider(dealscope.endpoint) RETURNS text LANGUAGE sql AS $$SELECT 'hijacked'$$;
CREATE FUNCTION hostile.lower(text) RETURNS text LANGUAGE sql AS $$SELECT 'hijacked'$$;
CREATE FUNCTION hostile.upper(text) RETURNS text LANGUAGE sql AS $$SELECT 'hijacked'$$;
CREATE FUNCTION hostile.count(text) RETURNS text LANGUAGE sql AS $$SELECT 'hijacked'$$;
SET search_path = hostile, dealscope, public;

-- the same questions, asked of the extension's own objects
CREATE TABLE public.answers_after AS
SELECT 1 AS q, (SELECT count(*) FROM (VALUES ('aws/a'::dealscope.endpoint), ('aws/a'), ('AWS/A')) v(e)
                WHERE e OPERATOR(dealscope.=) 'aws/a'::dealscope.endpoint)::text AS a
UNION ALL SELECT 2, dealscope.provider('gcp/us-central1') || '/' || dealscope.region('gcp/us-central1')
UNION ALL SELECT 3, dealscope.endpoint('Azure', 'EastUS')::text;
SELECT b.q, b.a AS before, a.a AS after, b.a = a.a AS same
FROM answers_before b JOIN answers_after a USING (q) ORDER BY q;

-- the extension's objects all live in its schema and depend on nothing in hostile
SELECT count(*) AS objects_outside_schema
FROM pg_depend d JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
WHERE d.refclassid = 'pg_extension'::regclass
  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'dealscope')
  AND p.pronamespace <> 'dealscope'::regnamespace;

RESET search_path;
RESET ROLE;
\c :regression_db
SET client_min_messages = warning;
DROP DATABASE dealscope_security;
DROP ROLE dealscope_plain_user;
