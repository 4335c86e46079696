-- endpoint: where a workload is served or revenue is earned (src/endpoint.c)

CREATE TYPE @extschema@.endpoint;

CREATE FUNCTION @extschema@.endpoint_in(cstring) RETURNS @extschema@.endpoint
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.endpoint_out(@extschema@.endpoint) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.endpoint_recv(internal) RETURNS @extschema@.endpoint
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.endpoint_send(@extschema@.endpoint) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.endpoint (
    INPUT = @extschema@.endpoint_in,
    OUTPUT = @extschema@.endpoint_out,
    RECEIVE = @extschema@.endpoint_recv,
    SEND = @extschema@.endpoint_send,
    INTERNALLENGTH = VARIABLE,
    STORAGE = extended,
    COLLATABLE = false
);
COMMENT ON TYPE @extschema@.endpoint IS
    'where a workload is served or revenue is earned: provider/region[/service], e.g. aws/us-east-1/bedrock';
COMMENT ON FUNCTION @extschema@.endpoint_in(cstring) IS 'text input for endpoint';
COMMENT ON FUNCTION @extschema@.endpoint_out(@extschema@.endpoint) IS 'canonical text output for endpoint';
COMMENT ON FUNCTION @extschema@.endpoint_recv(internal) IS 'binary input for endpoint';
COMMENT ON FUNCTION @extschema@.endpoint_send(@extschema@.endpoint) IS 'binary output for endpoint';

CREATE FUNCTION @extschema@.endpoint(provider text, region text, service text DEFAULT NULL)
    RETURNS @extschema@.endpoint
    AS 'MODULE_PATHNAME', 'endpoint_construct' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.endpoint(text, text, text) IS
    'builds an endpoint from its segments; NULL provider or region gives NULL, NULL service names the whole region';

CREATE FUNCTION @extschema@.provider(@extschema@.endpoint) RETURNS text
    AS 'MODULE_PATHNAME', 'endpoint_provider' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.provider(@extschema@.endpoint) IS 'the provider segment of an endpoint, e.g. aws';
CREATE FUNCTION @extschema@.region(@extschema@.endpoint) RETURNS text
    AS 'MODULE_PATHNAME', 'endpoint_region' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.region(@extschema@.endpoint) IS 'the region segment of an endpoint, e.g. us-east-1';
CREATE FUNCTION @extschema@.service(@extschema@.endpoint) RETURNS text
    AS 'MODULE_PATHNAME', 'endpoint_service' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.service(@extschema@.endpoint) IS 'the service segment of an endpoint, NULL when it names a whole region';

-- comparison
CREATE FUNCTION @extschema@.endpoint_cmp(@extschema@.endpoint, @extschema@.endpoint) RETURNS int
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.endpoint_eq(@extschema@.endpoint, @extschema@.endpoint) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.endpoint_ne(@extschema@.endpoint, @extschema@.endpoint) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.endpoint_lt(@extschema@.endpoint, @extschema@.endpoint) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.endpoint_le(@extschema@.endpoint, @extschema@.endpoint) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.endpoint_gt(@extschema@.endpoint, @extschema@.endpoint) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.endpoint_ge(@extschema@.endpoint, @extschema@.endpoint) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.endpoint_hash(@extschema@.endpoint) RETURNS int
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.endpoint_hash_extended(@extschema@.endpoint, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.endpoint_cmp(@extschema@.endpoint, @extschema@.endpoint) IS 'btree support: compares endpoints by provider, region, service';
COMMENT ON FUNCTION @extschema@.endpoint_eq(@extschema@.endpoint, @extschema@.endpoint) IS 'implementation of = for endpoint';
COMMENT ON FUNCTION @extschema@.endpoint_ne(@extschema@.endpoint, @extschema@.endpoint) IS 'implementation of <> for endpoint';
COMMENT ON FUNCTION @extschema@.endpoint_lt(@extschema@.endpoint, @extschema@.endpoint) IS 'implementation of < for endpoint';
COMMENT ON FUNCTION @extschema@.endpoint_le(@extschema@.endpoint, @extschema@.endpoint) IS 'implementation of <= for endpoint';
COMMENT ON FUNCTION @extschema@.endpoint_gt(@extschema@.endpoint, @extschema@.endpoint) IS 'implementation of > for endpoint';
COMMENT ON FUNCTION @extschema@.endpoint_ge(@extschema@.endpoint, @extschema@.endpoint) IS 'implementation of >= for endpoint';
COMMENT ON FUNCTION @extschema@.endpoint_hash(@extschema@.endpoint) IS 'hash support for endpoint';
COMMENT ON FUNCTION @extschema@.endpoint_hash_extended(@extschema@.endpoint, bigint) IS 'extended (seeded 64-bit) hash support for endpoint';

CREATE OPERATOR @extschema@.= (
    LEFTARG = @extschema@.endpoint, RIGHTARG = @extschema@.endpoint,
    FUNCTION = @extschema@.endpoint_eq,
    COMMUTATOR = OPERATOR(@extschema@.=), NEGATOR = OPERATOR(@extschema@.<>),
    RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR @extschema@.<> (
    LEFTARG = @extschema@.endpoint, RIGHTARG = @extschema@.endpoint,
    FUNCTION = @extschema@.endpoint_ne,
    COMMUTATOR = OPERATOR(@extschema@.<>), NEGATOR = OPERATOR(@extschema@.=),
    RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);
CREATE OPERATOR @extschema@.< (
    LEFTARG = @extschema@.endpoint, RIGHTARG = @extschema@.endpoint,
    FUNCTION = @extschema@.endpoint_lt,
    COMMUTATOR = OPERATOR(@extschema@.>), NEGATOR = OPERATOR(@extschema@.>=),
    RESTRICT = pg_catalog.scalarltsel, JOIN = pg_catalog.scalarltjoinsel
);
CREATE OPERATOR @extschema@.<= (
    LEFTARG = @extschema@.endpoint, RIGHTARG = @extschema@.endpoint,
    FUNCTION = @extschema@.endpoint_le,
    COMMUTATOR = OPERATOR(@extschema@.>=), NEGATOR = OPERATOR(@extschema@.>),
    RESTRICT = pg_catalog.scalarlesel, JOIN = pg_catalog.scalarlejoinsel
);
CREATE OPERATOR @extschema@.> (
    LEFTARG = @extschema@.endpoint, RIGHTARG = @extschema@.endpoint,
    FUNCTION = @extschema@.endpoint_gt,
    COMMUTATOR = OPERATOR(@extschema@.<), NEGATOR = OPERATOR(@extschema@.<=),
    RESTRICT = pg_catalog.scalargtsel, JOIN = pg_catalog.scalargtjoinsel
);
CREATE OPERATOR @extschema@.>= (
    LEFTARG = @extschema@.endpoint, RIGHTARG = @extschema@.endpoint,
    FUNCTION = @extschema@.endpoint_ge,
    COMMUTATOR = OPERATOR(@extschema@.<=), NEGATOR = OPERATOR(@extschema@.<),
    RESTRICT = pg_catalog.scalargesel, JOIN = pg_catalog.scalargejoinsel
);

CREATE OPERATOR CLASS @extschema@.endpoint_ops
    DEFAULT FOR TYPE @extschema@.endpoint USING btree AS
        OPERATOR 1 @extschema@.< ,
        OPERATOR 2 @extschema@.<= ,
        OPERATOR 3 @extschema@.= ,
        OPERATOR 4 @extschema@.>= ,
        OPERATOR 5 @extschema@.> ,
        FUNCTION 1 @extschema@.endpoint_cmp(@extschema@.endpoint, @extschema@.endpoint);

CREATE OPERATOR CLASS @extschema@.endpoint_hash_ops
    DEFAULT FOR TYPE @extschema@.endpoint USING hash AS
        OPERATOR 1 @extschema@.= ,
        FUNCTION 1 @extschema@.endpoint_hash(@extschema@.endpoint),
        FUNCTION 2 @extschema@.endpoint_hash_extended(@extschema@.endpoint, bigint);

COMMENT ON OPERATOR CLASS @extschema@.endpoint_ops USING btree IS 'total order on endpoint: provider, region, service (missing service first)';
COMMENT ON OPERATOR CLASS @extschema@.endpoint_hash_ops USING hash IS 'hashing of endpoint for hash joins, hash aggregation and hash partitioning';
COMMENT ON OPERATOR @extschema@.= (@extschema@.endpoint, @extschema@.endpoint) IS 'equal';
COMMENT ON OPERATOR @extschema@.<> (@extschema@.endpoint, @extschema@.endpoint) IS 'not equal';
COMMENT ON OPERATOR @extschema@.< (@extschema@.endpoint, @extschema@.endpoint) IS 'less than';
COMMENT ON OPERATOR @extschema@.<= (@extschema@.endpoint, @extschema@.endpoint) IS 'less than or equal';
COMMENT ON OPERATOR @extschema@.> (@extschema@.endpoint, @extschema@.endpoint) IS 'greater than';
COMMENT ON OPERATOR @extschema@.>= (@extschema@.endpoint, @extschema@.endpoint) IS 'greater than or equal';

-- min / max, so endpoints aggregate like any ordered type
CREATE FUNCTION @extschema@.endpoint_smaller(@extschema@.endpoint, @extschema@.endpoint) RETURNS @extschema@.endpoint
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.endpoint_larger(@extschema@.endpoint, @extschema@.endpoint) RETURNS @extschema@.endpoint
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.endpoint_smaller(@extschema@.endpoint, @extschema@.endpoint) IS 'the lesser of two endpoints (min support)';
COMMENT ON FUNCTION @extschema@.endpoint_larger(@extschema@.endpoint, @extschema@.endpoint) IS 'the greater of two endpoints (max support)';
CREATE AGGREGATE @extschema@.min(@extschema@.endpoint) (
    SFUNC = @extschema@.endpoint_smaller, STYPE = @extschema@.endpoint,
    COMBINEFUNC = @extschema@.endpoint_smaller, SORTOP = OPERATOR(@extschema@.<), PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.max(@extschema@.endpoint) (
    SFUNC = @extschema@.endpoint_larger, STYPE = @extschema@.endpoint,
    COMBINEFUNC = @extschema@.endpoint_larger, SORTOP = OPERATOR(@extschema@.>), PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.min(@extschema@.endpoint) IS 'the least endpoint in the group';
COMMENT ON AGGREGATE @extschema@.max(@extschema@.endpoint) IS 'the greatest endpoint in the group';
COMMENT ON OPERATOR FAMILY @extschema@.endpoint_ops USING btree IS 'total order on endpoint';
COMMENT ON OPERATOR FAMILY @extschema@.endpoint_hash_ops USING hash IS 'hashing of endpoint';

-- Casts from text and varchar AS ASSIGNMENT: a text or varchar value (a
-- driver's string parameter: pgJDBC's setString sends varchar, psycopg's
-- binary str sends text) is accepted by INSERT and UPDATE of a endpoint
-- column, e.g. INSERT ... VALUES ($1) with $1 text 'aws/us-east-1'.  Not
-- implicit, so no operator or function call turns text into endpoint
-- behind the user's back (comparing text with text stays text).  The casts to
-- text exist already (every type's output is an assignment cast to text).
CREATE CAST (text AS @extschema@.endpoint) WITH INOUT AS ASSIGNMENT;
CREATE CAST (varchar AS @extschema@.endpoint) WITH INOUT AS ASSIGNMENT;
COMMENT ON CAST (text AS @extschema@.endpoint) IS
    'text to endpoint through its input function; in assignments (INSERT, UPDATE) and explicit casts';
COMMENT ON CAST (varchar AS @extschema@.endpoint) IS
    'varchar to endpoint through its input function; in assignments (INSERT, UPDATE) and explicit casts';
