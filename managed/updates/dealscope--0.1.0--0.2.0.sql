-- dealscope 0.1.0 -> 0.2.0, managed edition: to_endpoint, to_endpoint_set,
-- to_rate_schedule, USAGE on the schema for PUBLIC, the clause table's comment
-- (the same changes as the C edition's updates/dealscope--0.1.0--0.2.0.sql).
\echo Use "ALTER EXTENSION dealscope UPDATE TO '0.2.0'" to load this file. \quit

-- guard (managed/src/guard.sql): installed as a SQL-only extension (trusted,
-- so its scripts run as the bootstrap superuser), 0.1.0 left the schema to
-- the installing role, which could have put its own objects in it.  When a
-- superuser runs this update it refuses while the schema holds anything that
-- is not the extension's, then takes the schema over and revokes CREATE on it
-- from everyone else.  Through pg_tle the installing role runs it and owns
-- everything: nothing to do.
DO $guard$
DECLARE
    nsp pg_catalog.oid := '@extschema@'::pg_catalog.regnamespace;
    ext pg_catalog.oid;
    found pg_catalog.text;
    grantee pg_catalog.oid;
BEGIN
    -- (not is_superuser: that follows the session's user, and a trusted
    -- extension's script runs as the bootstrap superuser without changing it)
    IF NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) CURRENT_USER) THEN
        RETURN;
    END IF;
    SELECT e.oid INTO ext FROM pg_catalog.pg_extension e WHERE e.extname OPERATOR(pg_catalog.=) 'dealscope';
    SELECT pg_catalog.string_agg(pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid), ', '
                                 ORDER BY pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid))
    INTO found
    FROM pg_catalog.pg_depend d
    WHERE d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_namespace'::pg_catalog.regclass
      AND d.refobjid OPERATOR(pg_catalog.=) nsp
      AND NOT (d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_extension'::pg_catalog.regclass
               AND d.objid OPERATOR(pg_catalog.=) ext)
      AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend m
                      WHERE m.classid OPERATOR(pg_catalog.=) d.classid AND m.objid OPERATOR(pg_catalog.=) d.objid
                        AND m.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_extension'::pg_catalog.regclass
                        AND m.refobjid OPERATOR(pg_catalog.=) ext AND m.deptype OPERATOR(pg_catalog.=) 'e');
    IF found IS NOT NULL THEN
        RAISE EXCEPTION 'schema "%" holds objects that do not belong to extension dealscope: %', '@extschema@', found
            USING ERRCODE = '55000',
                  DETAIL = 'The extension''s schema belongs to a superuser and must hold only the extension''s objects, so that no one else''s function, operator or view can be called in the extension''s name.',
                  HINT = 'Move them to another schema (ALTER ... SET SCHEMA) or drop them, then try again.';
    END IF;
    EXECUTE 'ALTER SCHEMA @extschema@ OWNER TO CURRENT_USER';
    FOR grantee IN
        SELECT DISTINCT a.grantee
        FROM pg_catalog.pg_namespace n, pg_catalog.aclexplode(n.nspacl) a
        WHERE n.oid OPERATOR(pg_catalog.=) nsp AND a.privilege_type OPERATOR(pg_catalog.=) 'CREATE'
          AND a.grantee OPERATOR(pg_catalog.<>) n.nspowner
    LOOP
        EXECUTE pg_catalog.format('REVOKE CREATE ON SCHEMA @extschema@ FROM %s CASCADE',
            CASE WHEN grantee OPERATOR(pg_catalog.=) 0 THEN 'PUBLIC'
                 ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(grantee)) END);
    END LOOP;
END
$guard$;

-- portable: to_endpoint, to_endpoint_set, to_rate_schedule (both editions)
--
-- PostgreSQL reads endpoint('...') with a bare literal argument as a cast to
-- the type endpoint, not as a call of endpoint(text) (a one-argument call
-- named like a type, with an untyped literal, is a type conversion).  Here
-- that cast accepts only canonical text, so a user who writes
-- endpoint('AWS/x') gets the domain's rejection.  These names are not type
-- names: to_endpoint('AWS/x') always canonicalises.  The C edition has the
-- same three functions (src/portable.sql).

CREATE FUNCTION @extschema@.to_endpoint(value text) RETURNS @extschema@.endpoint
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN @extschema@.endpoint(value);
COMMENT ON FUNCTION @extschema@.to_endpoint(text) IS
    'the endpoint written in value, trimmed and lower-cased; the same as endpoint(text), under a name that a literal argument cannot turn into a cast';

CREATE FUNCTION @extschema@.to_endpoint_set(value text) RETURNS @extschema@.endpoint_set
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN @extschema@.endpoint_set(value);
COMMENT ON FUNCTION @extschema@.to_endpoint_set(text) IS
    'the endpoint set written in value, in canonical form; the same as endpoint_set(text), under a name that a literal argument cannot turn into a cast';

CREATE FUNCTION @extschema@.to_rate_schedule(value text) RETURNS @extschema@.rate_schedule
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN @extschema@.rate_schedule(value);
COMMENT ON FUNCTION @extschema@.to_rate_schedule(text) IS
    'the rate schedule written in value, in canonical form; the same as rate_schedule(text), under a name that a literal argument cannot turn into a cast';

-- and everyone may use the schema (its functions work on a user's own
-- tables; the deal tables stay private: nothing is granted on them)
GRANT USAGE ON SCHEMA @extschema@ TO PUBLIC;

COMMENT ON TABLE @extschema@.clause IS
    'one term of a deal; kind decides its meaning and which columns it needs';

-- security_script (src/security.sql, shared by both editions)
-- security_script: row-level security, policies and privileges of the
-- extension's tables, as SQL to run again after a restore (both editions;
-- README, "Dump and restore").
--
-- pg_dump (15, and the releases since the 2023 fixes) dumps an extension
-- member table's privileges only as far as they differ from what the
-- install script granted, and dumps neither ENABLE ROW LEVEL SECURITY nor
-- the policies of such a table: after a restore they are gone.  And a GRANT
-- the installing role made is replayed as that role, which fails when a
-- superuser installed the extension in the restored database.  This writes
-- all of it as idempotent statements: RLS switched on (and forced) where it
-- is, every policy dropped if present and created again, and every privilege
-- a role other than the table's owner holds granted (by whoever runs the
-- script: the grantor becomes the table's owner), and the initial privileges
-- that were revoked, revoked.  The expressions are written with every name
-- outside pg_catalog schema-qualified, and the script empties search_path
-- first and silences notices, as pg_dump's own output does.

CREATE FUNCTION @extschema@.security_script() RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    WITH members AS (
        SELECT c.oid, c.relkind, c.relowner, c.relacl, c.relrowsecurity, c.relforcerowsecurity,
               pg_catalog.format('%I.%I', n.nspname, c.relname) AS qname,
               CASE WHEN c.relkind OPERATOR(pg_catalog.=) 'S' THEN 'SEQUENCE' ELSE 'TABLE' END AS kind
        FROM pg_catalog.pg_depend d
        JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) d.objid
        JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
        WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
          AND d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_extension'::pg_catalog.regclass
          AND d.refobjid OPERATOR(pg_catalog.=) (SELECT e.oid FROM pg_catalog.pg_extension e
                                                WHERE e.extname OPERATOR(pg_catalog.=) 'dealscope')
          AND d.deptype OPERATOR(pg_catalog.=) 'e'
          AND c.relkind OPERATOR(pg_catalog.=) ANY ('{r,p,S,v,m,f}'::pg_catalog."char"[])
    ),
    privileges AS (
        -- table-level (attnum 0) and column privileges of every role but the owner
        SELECT m.qname, m.kind, 0 AS attnum, NULL::pg_catalog.name AS attname, a.grantee, a.privilege_type, a.is_grantable
        FROM members m, pg_catalog.aclexplode(m.relacl) a
        WHERE a.grantee OPERATOR(pg_catalog.<>) m.relowner
        UNION
        SELECT m.qname, m.kind, att.attnum, att.attname, a.grantee, a.privilege_type, a.is_grantable
        FROM members m
        JOIN pg_catalog.pg_attribute att ON att.attrelid OPERATOR(pg_catalog.=) m.oid
             AND att.attnum OPERATOR(pg_catalog.>) 0 AND NOT att.attisdropped AND att.attacl IS NOT NULL,
             pg_catalog.aclexplode(att.attacl) a
        WHERE a.grantee OPERATOR(pg_catalog.<>) m.relowner
    ),
    grants AS (
        -- one item per privilege: SELECT, or SELECT (col, col) for columns
        SELECT p.qname, p.kind, p.grantee, p.is_grantable, p.privilege_type,
               CASE WHEN pg_catalog.bool_or(p.attnum OPERATOR(pg_catalog.=) 0) THEN p.privilege_type
                    ELSE pg_catalog.format('%s (%s)', p.privilege_type,
                                           pg_catalog.string_agg(pg_catalog.quote_ident(p.attname), ', ' ORDER BY p.attnum)) END AS item
        FROM privileges p
        GROUP BY p.qname, p.kind, p.grantee, p.is_grantable, p.privilege_type
    ),
    initial AS (
        -- what the install script granted (pg_init_privs), and no longer holds
        SELECT m.qname, m.kind, a.grantee, a.privilege_type
        FROM members m
        JOIN pg_catalog.pg_init_privs i ON i.objoid OPERATOR(pg_catalog.=) m.oid
             AND i.classoid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
             AND i.objsubid OPERATOR(pg_catalog.=) 0,
             pg_catalog.aclexplode(i.initprivs) a
        WHERE a.grantee OPERATOR(pg_catalog.<>) m.relowner
          AND NOT EXISTS (SELECT FROM privileges p
                          WHERE p.qname OPERATOR(pg_catalog.=) m.qname AND p.attnum OPERATOR(pg_catalog.=) 0
                            AND p.grantee OPERATOR(pg_catalog.=) a.grantee
                            AND p.privilege_type OPERATOR(pg_catalog.=) a.privilege_type)
    ),
    lines AS (
        SELECT 1 AS part, m.qname AS obj, '' AS sub,
               pg_catalog.format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY;', m.qname) AS line
        FROM members m WHERE m.relrowsecurity
        UNION ALL
        SELECT 2, m.qname, '', pg_catalog.format('ALTER TABLE %s FORCE ROW LEVEL SECURITY;', m.qname)
        FROM members m WHERE m.relforcerowsecurity
        UNION ALL
        SELECT 3, m.qname, p.polname::pg_catalog.text,
               pg_catalog.format(E'DROP POLICY IF EXISTS %I ON %s;\nCREATE POLICY %I ON %s AS %s FOR %s TO %s%s%s;',
                   p.polname, m.qname, p.polname, m.qname,
                   CASE WHEN p.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END,
                   CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE'
                                 WHEN 'd' THEN 'DELETE' ELSE 'ALL' END,
                   (SELECT pg_catalog.string_agg(CASE WHEN r.rid OPERATOR(pg_catalog.=) 0 THEN 'PUBLIC'
                                                      ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(r.rid)) END,
                                                 ', ' ORDER BY r.ord)
                    FROM pg_catalog.unnest(p.polroles) WITH ORDINALITY AS r(rid, ord)),
                   ' USING (' OPERATOR(pg_catalog.||) pg_catalog.pg_get_expr(p.polqual, p.polrelid) OPERATOR(pg_catalog.||) ')',
                   ' WITH CHECK (' OPERATOR(pg_catalog.||) pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) OPERATOR(pg_catalog.||) ')')
        FROM members m JOIN pg_catalog.pg_policy p ON p.polrelid OPERATOR(pg_catalog.=) m.oid
        UNION ALL
        SELECT 4, g.qname, g.grantee_name, pg_catalog.format('GRANT %s ON %s %s TO %s%s;',
                   g.privs, g.kind, g.qname, g.grantee_name,
                   CASE WHEN g.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END)
        FROM (SELECT p.qname, p.kind, p.is_grantable,
                     CASE WHEN p.grantee OPERATOR(pg_catalog.=) 0 THEN 'PUBLIC'
                          ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(p.grantee)) END AS grantee_name,
                     pg_catalog.string_agg(p.item, ', ' ORDER BY p.privilege_type) AS privs
              FROM grants p
              GROUP BY p.qname, p.kind, p.grantee, p.is_grantable) g
        UNION ALL
        SELECT 5, i.qname, i.grantee_name, pg_catalog.format('REVOKE %s ON %s %s FROM %s;',
                   i.privs, i.kind, i.qname, i.grantee_name)
        FROM (SELECT x.qname, x.kind,
                     CASE WHEN x.grantee OPERATOR(pg_catalog.=) 0 THEN 'PUBLIC'
                          ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(x.grantee)) END AS grantee_name,
                     pg_catalog.string_agg(x.privilege_type, ', ' ORDER BY x.privilege_type) AS privs
              FROM initial x
              GROUP BY x.qname, x.kind, x.grantee) i
    )
    SELECT E'-- dealscope.security_script(): row-level security, policies and privileges of the extension''s tables\n'
           OPERATOR(pg_catalog.||) E'SET client_min_messages = warning;\n'
           OPERATOR(pg_catalog.||) E'SELECT pg_catalog.set_config(''search_path'', '''', false);\n'
           OPERATOR(pg_catalog.||) COALESCE(pg_catalog.string_agg(l.line, E'\n' ORDER BY l.part, l.obj, l.sub, l.line)
                                            OPERATOR(pg_catalog.||) E'\n', '')
    FROM lines l;
END;
COMMENT ON FUNCTION @extschema@.security_script() IS
    'SQL that puts back the row-level security, policies and privileges of the extension''s tables, which pg_dump does not keep (RLS, policies) or replays as the installing role (its GRANTs): save it before dumping, run it as a superuser after restoring';
