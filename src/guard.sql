
-- guard: the schema belongs to the bootstrap superuser, and an event trigger
-- keeps it that way and keeps DROP EXTENSION from silently deleting user rows
-- (src/guard.c; doc/reference.md, "Security" and "Uninstalling").
--
-- A trusted extension's script runs as the bootstrap superuser, but
-- PostgreSQL creates the schema of the control file beforehand, owned by the
-- installing role, which could then create objects in it (an overload of a
-- dealscope function that calls with untyped literals prefer) or rename it.
-- install_guard('create') refuses when the schema holds anything, or could
-- still receive something from a role that is not a superuser; then the
-- schema changes hands.  Nothing before this point evaluates an expression.

CREATE FUNCTION @extschema@.install_guard(stage pg_catalog.text) RETURNS void
    AS 'MODULE_PATHNAME', 'dealscope_install_guard'
    LANGUAGE C STRICT;
SELECT @extschema@.install_guard('create'::pg_catalog.text);
DROP FUNCTION @extschema@.install_guard(pg_catalog.text);
ALTER SCHEMA @extschema@ OWNER TO CURRENT_USER;

CREATE FUNCTION @extschema@.ddl_guard() RETURNS event_trigger
    AS 'MODULE_PATHNAME', 'dealscope_ddl_guard'
    LANGUAGE C;
COMMENT ON FUNCTION @extschema@.ddl_guard() IS
    'event trigger function of dealscope_guard: refuses DROP EXTENSION dealscope (and DROP OWNED BY its owner) while its tables hold user rows, unless CASCADE or dealscope.allow_drop_with_data = on; refuses renaming the schema, giving it to a role that is not a superuser, or granting CREATE on it';

CREATE EVENT TRIGGER dealscope_guard ON ddl_command_start
    WHEN TAG IN ('DROP EXTENSION', 'DROP OWNED', 'ALTER SCHEMA', 'GRANT')
    EXECUTE FUNCTION @extschema@.ddl_guard();
COMMENT ON EVENT TRIGGER dealscope_guard IS
    'keeps the rows of dealscope''s tables from vanishing with DROP EXTENSION (unless CASCADE or dealscope.allow_drop_with_data = on) and schema dealscope in a superuser''s hands';
