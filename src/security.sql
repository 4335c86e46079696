
-- security_script: row-level security, policies and privileges of the
-- extension's tables, as SQL to run again after a restore (both editions;
-- doc/reference.md, "Dump, restore, uninstall").
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
