-- No privilege escalation through the trusted extension (src/guard.c): a
-- role with nothing but CREATE on a database installs dealscope and tries to
-- make a superuser run its code, by planting an overload in the extension's
-- schema, by renaming the schema and putting views where the C code's
-- queries look, by taking the schema over before the install, and by a
-- schema of its own early in a superuser's search_path.  After every attempt
-- the role is still not a superuser.  Then DROP EXTENSION with user rows.
SET client_min_messages = warning;
DROP DATABASE IF EXISTS dealscope_privilege;
DROP DATABASE IF EXISTS dealscope_privilege_pre;
DROP ROLE IF EXISTS dealscope_alice;
RESET client_min_messages;
SELECT current_database() AS regression_db \gset
CREATE ROLE dealscope_alice NOSUPERUSER NOCREATEDB NOCREATEROLE;
-- not the database's owner: CREATE on it is all it has
CREATE DATABASE dealscope_privilege;
GRANT CREATE ON DATABASE dealscope_privilege TO dealscope_alice;
\c dealscope_privilege
-- every attack is judged by this
CREATE VIEW public.alice_is_superuser AS
    SELECT rolsuper AS alice_is_superuser FROM pg_roles WHERE rolname = 'dealscope_alice';

SET ROLE dealscope_alice;
CREATE EXTENSION dealscope;
RESET ROLE;
-- the installing role owns the extension; its schema belongs to the bootstrap superuser
SELECT e.extowner::regrole AS extension_owner,
       n.nspowner = 10 AS schema_owned_by_bootstrap_superuser,
       n.nspacl::text LIKE '%=U/%' AND n.nspacl::text NOT LIKE '%dealscope_alice%' AS others_have_usage_only
FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'dealscope';

SET ROLE dealscope_alice;
SET search_path = dealscope, public;
\set ECHO none
\i examples/msft_openai.sql
\i examples/msft_openai_revenue.sql
\set ECHO all
RESET search_path;

-- 1. An overload in the extension's schema that calls with untyped literals
-- would prefer (text where the real one takes endpoint), and other objects.
CREATE FUNCTION dealscope.placement_check(workload_id text, e text, on_date date,
    OUT verdict text, OUT eligible_from date, OUT reasons text[])
    LANGUAGE plpgsql AS $$ BEGIN EXECUTE 'ALTER ROLE dealscope_alice SUPERUSER'; verdict := 'planted'; END $$;
CREATE VIEW dealscope.planted AS SELECT 1 AS x;
CREATE TABLE dealscope.planted (x int);
CREATE OPERATOR dealscope.= (LEFTARG = text, RIGHTARG = dealscope.endpoint, FUNCTION = pg_catalog.texteq);
-- nor can it take the schema, or let itself in
ALTER SCHEMA dealscope OWNER TO dealscope_alice;
GRANT CREATE ON SCHEMA dealscope TO dealscope_alice;
RESET ROLE;
SELECT verdict, eligible_from FROM dealscope.placement_check('agents-enterprise', 'aws/us-east-1', '2026-06-03');
SELECT * FROM public.alice_is_superuser;

-- 2. Rename the schema and put views named dealscope.workload (and the
-- other tables) in front of the C code's queries.
SET ROLE dealscope_alice;
ALTER SCHEMA dealscope RENAME TO dealscope_real;
RESET ROLE;
-- not even a superuser may rename it (SQL-language functions name it) ...
ALTER SCHEMA dealscope RENAME TO dealscope_real;
-- ... nor hand it to the role, nor grant it CREATE
ALTER SCHEMA dealscope OWNER TO dealscope_alice;
GRANT ALL ON SCHEMA dealscope TO dealscope_alice;
GRANT CREATE, USAGE ON SCHEMA dealscope TO PUBLIC;
GRANT USAGE ON SCHEMA dealscope TO dealscope_alice;
-- Suppose a superuser did so anyway, with the event trigger disabled: the C
-- code finds its tables through the extension's catalog entry, not by the
-- name dealscope, so views a role then creates under that name are not read.
ALTER EVENT TRIGGER dealscope_guard DISABLE;
ALTER SCHEMA dealscope RENAME TO dealscope_real;
SET ROLE dealscope_alice;
CREATE SCHEMA dealscope;
CREATE FUNCTION dealscope.escalate() RETURNS boolean LANGUAGE plpgsql
    AS $$ BEGIN EXECUTE 'ALTER ROLE dealscope_alice SUPERUSER'; RETURN true; END $$;
CREATE VIEW dealscope.workload AS SELECT * FROM dealscope_real.workload WHERE dealscope.escalate();
CREATE VIEW dealscope.clause AS SELECT * FROM dealscope_real.clause WHERE dealscope.escalate();
CREATE VIEW dealscope.placement_event AS SELECT * FROM dealscope_real.placement_event WHERE dealscope.escalate();
CREATE VIEW dealscope.region AS SELECT * FROM dealscope_real.region WHERE dealscope.escalate();
CREATE VIEW dealscope.jurisdiction AS SELECT * FROM dealscope_real.jurisdiction WHERE dealscope.escalate();
RESET ROLE;
-- the functions in C (and placement_matrix, bound at CREATE EXTENSION) read the real tables
SELECT verdict, eligible_from FROM dealscope_real.placement_check('agents-enterprise', 'aws/us-east-1', '2026-06-03');
SELECT count(*) AS clauses FROM dealscope_real.placement_reasons('agents-enterprise', 'aws/us-east-1', '2026-06-03');
SELECT count(*) AS pairs FROM dealscope_real.placement_matrix('2026-05-15', '{aws/us-east-1,azure/eastus}');
SELECT count(*) AS workloads FROM dealscope_real.placement_summary('2026-05-15');
SELECT pg_catalog.cardinality(dealscope_real.revenue_split('microsoft', 'azure-openai/gpt-5', 'azure/eastus',
                                                           1000.00, 'USD', '[2026-04-01,2027-04-01)', 'quarter', 1)) AS quarters;
SELECT * FROM public.alice_is_superuser;
-- put it back
DROP SCHEMA dealscope CASCADE;
ALTER SCHEMA dealscope_real RENAME TO dealscope;
ALTER EVENT TRIGGER dealscope_guard ENABLE;

-- 3. A schema the role owns, early in a superuser's search_path, with
-- overloads that untyped literals prefer.  PostgreSQL resolves an unqualified
-- call among every schema on the path and, for an untyped literal, prefers a
-- text parameter wherever one is offered: that is how any function can be
-- captured, dealscope's or a built-in one.  The extension's own SQL names
-- everything with its schema, so none of its internals is captured; calls
-- written with the schema are safe, and so are calls whose arguments all
-- have the exact types when dealscope comes first.
SET ROLE dealscope_alice;
CREATE SCHEMA alice;
CREATE TABLE alice.calls (f text, by_superuser text);
GRANT INSERT ON alice.calls TO PUBLIC;
CREATE FUNCTION alice.placement_check(workload_id text, e text, on_date date,
    OUT verdict text, OUT eligible_from date, OUT reasons text[])
    LANGUAGE plpgsql AS $$ BEGIN INSERT INTO alice.calls VALUES ('placement_check', current_setting('is_superuser')); verdict := 'captured'; END $$;
CREATE FUNCTION alice.lower(daterange) RETURNS date LANGUAGE plpgsql
    AS $$ BEGIN INSERT INTO alice.calls VALUES ('lower', current_setting('is_superuser')); RETURN NULL; END $$;
CREATE FUNCTION alice.endpoint(text, text) RETURNS dealscope.endpoint LANGUAGE plpgsql
    AS $$ BEGIN INSERT INTO alice.calls VALUES ('endpoint', current_setting('is_superuser')); RETURN 'x/y'; END $$;
CREATE FUNCTION alice.text_eq(text, text) RETURNS boolean LANGUAGE plpgsql
    AS $$ BEGIN INSERT INTO alice.calls VALUES ('=', current_setting('is_superuser')); RETURN true; END $$;
CREATE OPERATOR alice.= (LEFTARG = text, RIGHTARG = text, FUNCTION = alice.text_eq);
RESET ROLE;
SET search_path = alice, dealscope, public;
-- schema-qualified, untyped literals: the extension's function, and its
-- internals (C queries, SQL and PL/pgSQL bodies) capture nothing
SELECT verdict, eligible_from FROM dealscope.placement_check('agents-enterprise', 'aws/us-east-1', '2026-06-03');
SELECT count(*) AS pairs FROM dealscope.placement_matrix('2026-05-15');
SELECT count(*) AS workloads FROM dealscope.placement_summary('2026-05-15');
SELECT count(*) AS report_rows FROM dealscope.revenue_report('[2025-07-01,2027-07-01)', 'quarter');
SELECT count(*) AS exposure_rows FROM dealscope.exposure('openai', '[2025-07-01,2027-07-01)');
SELECT count(*) AS captured_calls FROM alice.calls;
-- unqualified with dealscope first and every argument of the exact type: not captured
SET search_path = dealscope, alice, public;
SELECT verdict FROM placement_check('agents-enterprise'::text, 'aws/us-east-1'::dealscope.endpoint, '2026-06-03'::date);
SELECT count(*) AS captured_calls FROM alice.calls;
-- unqualified with untyped literals: captured, even with dealscope first
-- (here the planted function only records that a superuser ran it)
SELECT verdict FROM placement_check('agents-enterprise', 'aws/us-east-1', '2026-06-03');
SELECT f, by_superuser FROM alice.calls;
RESET search_path;
SELECT * FROM public.alice_is_superuser;
SET ROLE dealscope_alice;
DROP SCHEMA alice CASCADE;
RESET ROLE;

-- 4. DROP EXTENSION while the tables hold user rows: refused unless
-- CASCADE or dealscope.allow_drop_with_data; shipped catalog rows do not count.
SHOW dealscope.allow_drop_with_data;
SET ROLE dealscope_alice;
DROP EXTENSION dealscope;
DROP OWNED BY dealscope_alice;
RESET ROLE;
DROP EXTENSION dealscope;
DROP EXTENSION IF EXISTS dealscope_no_such_extension;
BEGIN;
SET LOCAL dealscope.allow_drop_with_data = on;
DROP EXTENSION dealscope;
SELECT count(*) AS extensions FROM pg_extension WHERE extname = 'dealscope';
ROLLBACK;
BEGIN;
DROP EXTENSION dealscope CASCADE;
SELECT count(*) AS extensions FROM pg_extension WHERE extname = 'dealscope';
ROLLBACK;
-- a user row in the catalog counts as well
BEGIN;
TRUNCATE dealscope.placement_event, dealscope.workload, dealscope.clause, dealscope.deal, dealscope.revenue_flow;
INSERT INTO dealscope.jurisdiction (code, countries) VALUES ('DACH', '{AT,CH,DE}');
DROP EXTENSION dealscope;
ROLLBACK;
-- with the user rows gone (rows hidden by row-level security are counted too)
BEGIN;
TRUNCATE dealscope.placement_event, dealscope.workload, dealscope.revenue_flow;
ALTER TABLE dealscope.deal ENABLE ROW LEVEL SECURITY;
ALTER TABLE dealscope.deal FORCE ROW LEVEL SECURITY;
ALTER TABLE dealscope.clause ENABLE ROW LEVEL SECURITY;
ALTER TABLE dealscope.clause FORCE ROW LEVEL SECURITY;
SET ROLE dealscope_alice;
SELECT (SELECT count(*) FROM dealscope.deal) AS visible_deals, (SELECT count(*) FROM dealscope.clause) AS visible_clauses;
DROP EXTENSION dealscope;
ROLLBACK;
BEGIN;
TRUNCATE dealscope.placement_event, dealscope.workload, dealscope.clause, dealscope.deal, dealscope.revenue_flow;
SET ROLE dealscope_alice;
DROP EXTENSION dealscope;
SELECT count(*) AS extensions FROM pg_extension WHERE extname = 'dealscope';
RESET ROLE;
ROLLBACK;
SELECT * FROM public.alice_is_superuser;

-- 5. The install script refuses a schema that exists already unless it is
-- empty and could not have received anything from a role that is not a
-- superuser: one created in the same transaction, or a superuser's.
\c :regression_db
CREATE DATABASE dealscope_privilege_pre;
GRANT CREATE ON DATABASE dealscope_privilege_pre TO dealscope_alice;
\c dealscope_privilege_pre
CREATE VIEW public.alice_is_superuser AS
    SELECT rolsuper AS alice_is_superuser FROM pg_roles WHERE rolname = 'dealscope_alice';
SET ROLE dealscope_alice;
CREATE SCHEMA dealscope;
CREATE FUNCTION dealscope.placement_check(workload_id text, e text, on_date date) RETURNS text
    LANGUAGE plpgsql AS $$ BEGIN EXECUTE 'ALTER ROLE dealscope_alice SUPERUSER'; RETURN 'planted'; END $$;
CREATE EXTENSION dealscope;
DROP FUNCTION dealscope.placement_check(text, text, date);
-- empty, but created earlier: it could still receive objects while CREATE EXTENSION runs
CREATE EXTENSION dealscope;
-- created in the same transaction, as pg_restore --single-transaction does
BEGIN;
DROP SCHEMA dealscope;
CREATE SCHEMA dealscope;
SAVEPOINT before_extension;
CREATE EXTENSION dealscope;
RELEASE SAVEPOINT before_extension;
SELECT nspowner = 10 AS schema_owned_by_bootstrap_superuser FROM pg_namespace WHERE nspname = 'dealscope';
ROLLBACK;
DROP SCHEMA dealscope;
RESET ROLE;
-- a superuser's schema in which the role may create: refused until revoked
CREATE SCHEMA dealscope;
GRANT CREATE ON SCHEMA dealscope TO dealscope_alice;
SET ROLE dealscope_alice;
CREATE EXTENSION dealscope;
RESET ROLE;
REVOKE CREATE ON SCHEMA dealscope FROM dealscope_alice;
SET ROLE dealscope_alice;
CREATE EXTENSION dealscope;
RESET ROLE;
SELECT nspowner = 10 AS schema_owned_by_bootstrap_superuser FROM pg_namespace WHERE nspname = 'dealscope';
-- the guard is not left behind, and runs only inside the extension's scripts
SELECT count(*) AS install_guards FROM pg_proc WHERE proname = 'install_guard';
SELECT * FROM public.alice_is_superuser;

\c :regression_db
SET client_min_messages = warning;
DROP DATABASE dealscope_privilege;
DROP DATABASE dealscope_privilege_pre;
DROP ROLE dealscope_alice;
