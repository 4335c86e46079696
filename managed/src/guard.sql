
-- guard, managed edition: the schema goes to whoever runs this script
-- (doc/reference.md, "Security"; doc/managed.md, "Trust model").
--
-- Through pg_tle the script runs as the installing role, which owns the
-- schema and everything in it anyway: nothing to do.  As a SQL-only
-- extension (make install-managed) dealscope is trusted and the script runs
-- as the bootstrap superuser, who then owns the functions and tables while
-- PostgreSQL has created the schema for the installing role; that role could
-- plant an overload such as dealscope.placement_check(text, text, date) for
-- a superuser's call to run.  So, when run by a superuser, this refuses a
-- schema that holds anything, or that a role other than a superuser owns
-- (unless it was created in this transaction, so that no other session can
-- see it yet) or may create in, and then takes the schema over.  The same
-- checks, with the same messages, as the C edition's install_guard
-- (src/guard.c), in PL/pgSQL; every name is qualified.

DO $guard$
DECLARE
    nsp pg_catalog.oid := '@extschema@'::pg_catalog.regnamespace;
    nspname pg_catalog.text := '@extschema@';
    owner pg_catalog.oid;
    owner_super pg_catalog.bool;
    found pg_catalog.text;
    cur pg_catalog.int8;
    full_xmin pg_catalog.int8;
    created_here pg_catalog.bool := false;
    grantee pg_catalog.oid;
BEGIN
    -- (not is_superuser: that follows the session's user, and a trusted
    -- extension's script runs as the bootstrap superuser without changing it)
    IF NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) CURRENT_USER) THEN
        RETURN;
    END IF;
    SELECT pg_catalog.string_agg(pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid), ', '
                                 ORDER BY pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid))
    INTO found
    FROM pg_catalog.pg_depend d
    WHERE d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_namespace'::pg_catalog.regclass
      AND d.refobjid OPERATOR(pg_catalog.=) nsp
      AND NOT (d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_extension'::pg_catalog.regclass
               AND d.objid OPERATOR(pg_catalog.=) (SELECT e.oid FROM pg_catalog.pg_extension e
                                                  WHERE e.extname OPERATOR(pg_catalog.=) 'dealscope'));
    IF found IS NOT NULL THEN
        RAISE EXCEPTION 'schema "%" holds objects that do not belong to extension dealscope: %', nspname, found
            USING ERRCODE = '55000',
                  DETAIL = 'The extension''s schema belongs to a superuser and must hold only the extension''s objects, so that no one else''s function, operator or view can be called in the extension''s name.',
                  HINT = 'Move them to another schema (ALTER ... SET SCHEMA) or drop them, then try again.';
    END IF;

    -- created in this transaction: its xmin is one of ours ("in progress"
    -- to pg_xact_status; another session's uncommitted row is not visible)
    SELECT n.nspowner, n.xmin::pg_catalog.text::pg_catalog.int8 INTO owner, full_xmin
    FROM pg_catalog.pg_namespace n WHERE n.oid OPERATOR(pg_catalog.=) nsp;
    cur := pg_catalog.pg_current_xact_id()::pg_catalog.text::pg_catalog.int8;
    full_xmin := cur OPERATOR(pg_catalog.-) (cur OPERATOR(pg_catalog.%) 4294967296) OPERATOR(pg_catalog.+) full_xmin;
    IF full_xmin OPERATOR(pg_catalog.>) cur THEN
        full_xmin := full_xmin OPERATOR(pg_catalog.-) 4294967296;
    END IF;
    IF full_xmin OPERATOR(pg_catalog.>=) 0 THEN
        created_here := pg_catalog.pg_xact_status(full_xmin::pg_catalog.text::pg_catalog.xid8)
                        IS NOT DISTINCT FROM 'in progress';
    END IF;
    SELECT r.rolsuper INTO owner_super FROM pg_catalog.pg_roles r WHERE r.oid OPERATOR(pg_catalog.=) owner;
    IF NOT owner_super AND NOT created_here THEN
        RAISE EXCEPTION 'schema "%" already exists and belongs to role "%", which is not a superuser',
                        nspname, pg_catalog.pg_get_userbyid(owner)
            USING ERRCODE = '55000',
                  DETAIL = 'The install script gives the schema to the bootstrap superuser; a schema created earlier could still receive objects of its owner while CREATE EXTENSION runs.',
                  HINT = 'Drop the empty schema and let CREATE EXTENSION create it, or create it in the same transaction (a restore: pg_restore --single-transaction --no-owner).';
    END IF;

    FOR grantee IN
        SELECT a.grantee
        FROM pg_catalog.pg_namespace n, pg_catalog.aclexplode(n.nspacl) a
        WHERE n.oid OPERATOR(pg_catalog.=) nsp AND a.privilege_type OPERATOR(pg_catalog.=) 'CREATE'
          AND a.grantee OPERATOR(pg_catalog.<>) n.nspowner
          AND (a.grantee OPERATOR(pg_catalog.=) 0
               OR NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.oid OPERATOR(pg_catalog.=) a.grantee))
    LOOP
        RAISE EXCEPTION '% may create objects in schema "%"',
                        CASE WHEN grantee OPERATOR(pg_catalog.=) 0 THEN 'PUBLIC'
                             ELSE pg_catalog.format('role "%s"', pg_catalog.pg_get_userbyid(grantee)) END, nspname
            USING ERRCODE = '55000',
                  DETAIL = 'The extension''s schema must not take objects from roles that are not superusers.',
                  HINT = pg_catalog.format('REVOKE CREATE ON SCHEMA %s FROM %s, then try again.', nspname,
                                           CASE WHEN grantee OPERATOR(pg_catalog.=) 0 THEN 'PUBLIC'
                                                ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(grantee)) END);
    END LOOP;
END
$guard$;
ALTER SCHEMA @extschema@ OWNER TO CURRENT_USER;
