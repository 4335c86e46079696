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
