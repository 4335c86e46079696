-- Prelude of the differential cases (test/managed/cases/*.sql): the same
-- files run on the C edition and on the managed edition, and their outputs
-- must be identical.  Each case prints text only: a value, the rows of a
-- query, or the SQLSTATE and message of the error it raised, so that
-- errors are compared as exactly as answers.
\set ON_ERROR_STOP 1
\pset pager off
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS t CASCADE;
CREATE SCHEMA t;
RESET client_min_messages;
SET extra_float_digits = 0;
SET datestyle = 'ISO, YMD';
SET timezone = 'UTC';

-- The value of a one-value query as text, or "ERROR <sqlstate>: <message>".
CREATE FUNCTION t.try(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text;
BEGIN
    EXECUTE 'SELECT (' || q || ')::text' INTO r;
    RETURN coalesce(r, 'NULL');
EXCEPTION WHEN OTHERS THEN
    RETURN 'ERROR ' || SQLSTATE || ': ' || SQLERRM;
END $$;

-- Every row of a query as text, in the query's order, or one error line.
CREATE FUNCTION t.rows(q text) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE r record;
BEGIN
    FOR r IN EXECUTE 'SELECT x::text AS v FROM (' || q || ') x' LOOP
        RETURN NEXT r.v;
    END LOOP;
EXCEPTION WHEN OTHERS THEN
    RETURN NEXT 'ERROR ' || SQLSTATE || ': ' || SQLERRM;
END $$;
