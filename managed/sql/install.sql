-- The managed edition as installed: run by test/managed/run with pg_regress
-- as a role that is NOT a superuser (a member of pgtle_admin with CREATE on
-- the database), in a database where that role registered the edition with
-- pg_tle (managed/build/dealscope-pgtle.sql).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS dealscope;
RESET client_min_messages;

-- who installed it: not a superuser, and the owner of the extension
SELECT r.rolsuper AS superuser, current_setting('is_superuser') AS is_superuser,
       pg_has_role('pgtle_admin', 'MEMBER') AS pgtle_admin,
       e.extowner = r.oid AS owns_extension
FROM pg_roles r, pg_extension e
WHERE r.rolname = current_user AND e.extname = 'dealscope';

-- the version and schema, and that pg_tle provides it (no control file)
SELECT e.extversion, e.extnamespace::regnamespace AS schema, e.extrelocatable,
       v.superuser AS needs_superuser, v.requires
FROM pg_extension e JOIN pgtle.available_extension_versions() v
     ON v.name = e.extname AND v.version = e.extversion
WHERE e.extname = 'dealscope';

-- nothing in C or internal: only SQL and PL/pgSQL (aggregates are listed
-- apart: pg_proc records them as internal, their support functions count)
SELECT CASE WHEN p.prokind = 'a' THEN 'aggregate' ELSE l.lanname END AS language, count(*) > 0 AS has_functions
FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
WHERE p.pronamespace = 'dealscope'::regnamespace
GROUP BY 1 ORDER BY 1;

-- every object of the extension has a comment (as sql/extension.sql checks
-- for the C edition): members, then types and domains, then columns
SELECT pg_describe_object(d.classid, d.objid, 0) AS uncommented
FROM pg_depend d
WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'dealscope')
  AND obj_description(d.objid, d.classid::regclass::text) IS NULL
  AND d.classid <> 'pg_type'::regclass
UNION ALL
SELECT format_type(t.oid, NULL) FROM pg_type t
WHERE t.typnamespace = 'dealscope'::regnamespace AND t.typtype IN ('b', 'e', 'd', 'c') AND t.typcategory <> 'A'
  AND (t.typrelid = 0 OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
  AND obj_description(t.oid, 'pg_type') IS NULL
UNION ALL
SELECT c.oid::regclass || '.' || a.attname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
WHERE c.relnamespace = 'dealscope'::regnamespace AND c.relkind IN ('r', 'v')
  AND c.oid IN (SELECT objid FROM pg_depend WHERE refclassid = 'pg_extension'::regclass AND deptype = 'e') AND a.attnum > 0
  AND NOT a.attisdropped AND col_description(c.oid, a.attnum) IS NULL
ORDER BY 1;

-- every function, type, table and sequence of the schema belongs to the
-- role that created the extension (nothing left to the superuser)
SELECT 'function ' || p.oid::regprocedure AS not_owned FROM pg_proc p
WHERE p.pronamespace = 'dealscope'::regnamespace
  AND p.proowner <> (SELECT extowner FROM pg_extension WHERE extname = 'dealscope')
UNION ALL
SELECT 'type ' || format_type(t.oid, NULL) FROM pg_type t
WHERE t.typnamespace = 'dealscope'::regnamespace
  AND t.typowner <> (SELECT extowner FROM pg_extension WHERE extname = 'dealscope')
UNION ALL
SELECT 'relation ' || c.oid::regclass FROM pg_class c
WHERE c.relnamespace = 'dealscope'::regnamespace
  AND c.relowner <> (SELECT extowner FROM pg_extension WHERE extname = 'dealscope')
UNION ALL
SELECT 'schema dealscope' FROM pg_namespace n
WHERE n.nspname = 'dealscope' AND n.nspowner <> (SELECT extowner FROM pg_extension WHERE extname = 'dealscope')
ORDER BY 1;

-- What a user of the managed edition sees differently: endpoint,
-- endpoint_set and rate_schedule are domains over text, so a cast accepts
-- canonical text only; the constructors canonicalise as the C cast does.
SELECT t.typname, t.typtype, format_type(t.typbasetype, NULL) AS base, c.collname
FROM pg_type t LEFT JOIN pg_collation c ON c.oid = t.typcollation
WHERE t.typnamespace = 'dealscope'::regnamespace AND t.typname IN ('endpoint', 'endpoint_set', 'rate_schedule')
ORDER BY 1;
SELECT 'aws/us-east-1'::dealscope.endpoint AS canonical_cast,
       dealscope.to_endpoint(' AWS/US-East-1 ') AS constructed,
       dealscope.endpoint(' AWS/US-East-1 '::text) AS from_text;
SELECT dealscope.to_endpoint_set(' AWS/eu-*, azure, aws/eu-* ') AS set,
       dealscope.to_rate_schedule('0.2') AS rate;
-- a bare literal makes endpoint('...') a cast (PostgreSQL's rule for a
-- one-argument call named like a type), which accepts canonical text only
SELECT dealscope.endpoint(' AWS/US-East-1 ');
-- the errors, with their hints (context lines would show internals)
\set VERBOSITY default
\set SHOW_CONTEXT never
SELECT 'AWS/us-east-1'::dealscope.endpoint;
SELECT ' aws/us-east-1'::dealscope.endpoint;
SELECT 'aws'::dealscope.endpoint;
SELECT dealscope.endpoint('aws');
SELECT 'AWS, azure'::dealscope.endpoint_set;
SELECT '0.2'::dealscope.rate_schedule;
SELECT dealscope.to_rate_schedule('{[2026-01-01,2025-01-01) 1%}');
-- a canonical value in a domain column: inserts; a non-canonical one: 22P02, nothing written
CREATE TEMP TABLE t (e dealscope.endpoint, s dealscope.endpoint_set);
INSERT INTO t VALUES ('aws/us-east-1', 'aws/eu-*, azure');
INSERT INTO t VALUES ('aws/us-east-1', 'azure, aws/eu-*');
SELECT * FROM t;
\set VERBOSITY terse
\set SHOW_CONTEXT errors

-- security_script() (both editions): row-level security, policies and
-- privileges of the extension's tables, which pg_dump does not keep, as SQL
-- the owning role runs again after a restore; here the role owns the tables,
-- so its own privileges are not listed
BEGIN;
ALTER TABLE dealscope.clause ENABLE ROW LEVEL SECURITY;
CREATE POLICY clause_microsoft ON dealscope.clause FOR SELECT TO PUBLIC USING (grantor = 'microsoft');
GRANT SELECT ON dealscope.deal TO PUBLIC;
REVOKE SELECT ON dealscope.jurisdiction FROM PUBLIC;
SELECT dealscope.security_script();
ROLLBACK;
