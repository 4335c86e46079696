-- dealscope 0.1.0 -> 0.2.0 (C edition): the portable constructors and sort key
-- shared in name with the managed edition, and USAGE on the schema for PUBLIC.
\echo Use "ALTER EXTENSION dealscope UPDATE TO '0.2.0'" to load this file. \quit

-- portable: the names the managed edition (managed/) needs, in the C edition too
--
-- The managed edition's endpoint, endpoint_set and rate_schedule are domains
-- over text: a cast there can only accept a value already in canonical form,
-- and canonicalising takes a function call.  These constructors and the sort
-- key exist in both editions with the same results, so SQL written with them
-- runs unchanged on either (the differential test test/managed/ relies on it).
-- Here they are thin wrappers over the types' input functions.  Added in 0.2.0.

CREATE FUNCTION @extschema@.endpoint(value text) RETURNS @extschema@.endpoint
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN value::@extschema@.endpoint;
COMMENT ON FUNCTION @extschema@.endpoint(text) IS
    'the endpoint written in value, trimmed and lower-cased (the same as a cast; portable to the managed edition, whose cast accepts only canonical text)';

CREATE FUNCTION @extschema@.endpoint_set(value text) RETURNS @extschema@.endpoint_set
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN value::@extschema@.endpoint_set;
COMMENT ON FUNCTION @extschema@.endpoint_set(text) IS
    'the endpoint set written in value, in canonical form (the same as a cast; portable to the managed edition, whose cast accepts only canonical text)';

CREATE FUNCTION @extschema@.rate_schedule(value text) RETURNS @extschema@.rate_schedule
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN value::@extschema@.rate_schedule;
COMMENT ON FUNCTION @extschema@.rate_schedule(text) IS
    'the rate schedule written in value, in canonical form (the same as a cast; portable to the managed edition, whose cast accepts only canonical text)';

-- Bytes that sort as endpoints do: provider, region, service, each bytewise,
-- a missing service first (byte 1 separates segments and sorts below every
-- segment character).  bytea compares bytewise under any collation.
CREATE FUNCTION @extschema@.endpoint_sort_key(e @extschema@.endpoint) RETURNS bytea
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN pg_catalog.decode(@extschema@.provider(e) OPERATOR(pg_catalog.||) E'\x01'
                             OPERATOR(pg_catalog.||) @extschema@.region(e)
                             OPERATOR(pg_catalog.||) COALESCE(E'\x01' OPERATOR(pg_catalog.||) @extschema@.service(e), ''),
                             'escape');
COMMENT ON FUNCTION @extschema@.endpoint_sort_key(@extschema@.endpoint) IS
    'a bytea that sorts as endpoints do (provider, region, service, a missing service first); ORDER BY it gives the same order in both editions';

-- The schema is usable by everyone: the catalog is public, the functions work
-- on a user's own tables; the deal tables stay private (no grants on them).
GRANT USAGE ON SCHEMA @extschema@ TO PUBLIC;

-- The clause table's comment no longer cites a section of a document that
-- is not shipped.
COMMENT ON TABLE @extschema@.clause IS
    'one term of a deal; kind decides its meaning and which columns it needs';

-- to_endpoint, to_endpoint_set, to_rate_schedule: the same constructors under
-- names that are not type names.  PostgreSQL reads endpoint('...') with a
-- bare literal as a cast to the type endpoint, not as a call of
-- endpoint(text); in the managed edition that cast accepts only canonical
-- text, so portable SQL canonicalises literals with these.
CREATE FUNCTION @extschema@.to_endpoint(value text) RETURNS @extschema@.endpoint
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN value::@extschema@.endpoint;
COMMENT ON FUNCTION @extschema@.to_endpoint(text) IS
    'the endpoint written in value, trimmed and lower-cased; the same as endpoint(text), under a name that a literal argument cannot turn into a cast';

CREATE FUNCTION @extschema@.to_endpoint_set(value text) RETURNS @extschema@.endpoint_set
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN value::@extschema@.endpoint_set;
COMMENT ON FUNCTION @extschema@.to_endpoint_set(text) IS
    'the endpoint set written in value, in canonical form; the same as endpoint_set(text), under a name that a literal argument cannot turn into a cast';

CREATE FUNCTION @extschema@.to_rate_schedule(value text) RETURNS @extschema@.rate_schedule
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN value::@extschema@.rate_schedule;
COMMENT ON FUNCTION @extschema@.to_rate_schedule(text) IS
    'the rate schedule written in value, in canonical form; the same as rate_schedule(text), under a name that a literal argument cannot turn into a cast';

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
