-- dealscope 0.1.0 -> 0.2.0, managed edition: to_endpoint, to_endpoint_set,
-- to_rate_schedule, USAGE on the schema for PUBLIC, the clause table's comment
-- (the same changes as the C edition's updates/dealscope--0.1.0--0.2.0.sql).
\echo Use "ALTER EXTENSION dealscope UPDATE TO '0.2.0'" to load this file. \quit

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

-- A flow's period is at most 100000 days (about 273 years): every split walks
-- all the slices of a flow's period, so one longer row made every report
-- fail (invalid memory alloc request) or take seconds.  The functions that
-- split a flow raise 54000 for such a period; the table rejects it at insert.
-- (An existing row that is longer makes this update fail: split it first.)
ALTER TABLE @extschema@.revenue_flow ADD CONSTRAINT revenue_flow_period_at_most_100000_days
    CHECK (CASE WHEN pg_catalog.isempty(period) OR pg_catalog.lower_inf(period) OR pg_catalog.upper_inf(period)
                  OR NOT pg_catalog.isfinite(pg_catalog.lower(period))
                  OR NOT pg_catalog.isfinite(pg_catalog.upper(period))
                THEN true
                ELSE pg_catalog.upper(period) OPERATOR(pg_catalog.-) pg_catalog.lower(period)
                     OPERATOR(pg_catalog.<=) 100000 END);
COMMENT ON COLUMN @extschema@.revenue_flow.period IS 'days over which the amount is earned: a non-empty daterange with finite bounds, at most 100000 days long';

-- the functions that split a flow raise the C edition's 54000 for such a period
CREATE OR REPLACE FUNCTION @extschema@.check_period(period daterange) RETURNS daterange
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF isempty(period) THEN
        RAISE EXCEPTION 'invalid period "%"', period USING ERRCODE = '22023',
            DETAIL = 'A flow''s period must contain at least one day.';
    END IF;
    IF lower_inf(period) OR upper_inf(period) OR NOT isfinite(lower(period)) OR NOT isfinite(upper(period)) THEN
        RAISE EXCEPTION 'invalid period "%"', period USING ERRCODE = '22023',
            DETAIL = 'A flow''s period must have finite lower and upper bounds.';
    END IF;
    IF upper(period) - lower(period) > 100000 THEN
        RAISE EXCEPTION 'period "%" is longer than 100000 days', period USING ERRCODE = '54000',
            DETAIL = format('It spans %s days; a flow''s period may span at most 100000 days (about 273 years), so that splitting one flow stays cheap.',
                            upper(period) - lower(period)),
            HINT = 'Record a longer flow as several consecutive flows.';
    END IF;
    RETURN period;
END $$;
COMMENT ON FUNCTION @extschema@.check_period(daterange) IS
    'internal: raises 22023 for an empty period or one without two finite bounds, 54000 for one longer than 100000 days';
