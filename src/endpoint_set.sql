
-- endpoint_set: a scope of endpoints (src/endpoint_set.c)

CREATE TYPE @extschema@.endpoint_set;

CREATE FUNCTION @extschema@.endpoint_set_in(cstring) RETURNS @extschema@.endpoint_set
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.endpoint_set_out(@extschema@.endpoint_set) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.endpoint_set_recv(internal) RETURNS @extschema@.endpoint_set
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.endpoint_set_send(@extschema@.endpoint_set) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.endpoint_set (
    INPUT = @extschema@.endpoint_set_in,
    OUTPUT = @extschema@.endpoint_set_out,
    RECEIVE = @extschema@.endpoint_set_recv,
    SEND = @extschema@.endpoint_set_send,
    INTERNALLENGTH = VARIABLE,
    STORAGE = extended,
    COLLATABLE = false
);
COMMENT ON TYPE @extschema@.endpoint_set IS
    'a scope of endpoints: comma-separated patterns [!]provider[/region[/service]], segments literal, * or prefix*, e.g. ''aws, azure/eu-*, !aws/us-gov-*''';
COMMENT ON FUNCTION @extschema@.endpoint_set_in(cstring) IS 'text input for endpoint_set';
COMMENT ON FUNCTION @extschema@.endpoint_set_out(@extschema@.endpoint_set) IS 'canonical text output for endpoint_set';
COMMENT ON FUNCTION @extschema@.endpoint_set_recv(internal) IS 'binary input for endpoint_set';
COMMENT ON FUNCTION @extschema@.endpoint_set_send(@extschema@.endpoint_set) IS 'binary output for endpoint_set';

-- membership and overlap
CREATE FUNCTION @extschema@.endpoint_set_contains_endpoint(@extschema@.endpoint_set, @extschema@.endpoint)
    RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.endpoint_contained_by_endpoint_set(@extschema@.endpoint, @extschema@.endpoint_set)
    RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.endpoint_set_overlaps(@extschema@.endpoint_set, @extschema@.endpoint_set)
    RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.endpoint_set_contains_endpoint(@extschema@.endpoint_set, @extschema@.endpoint) IS
    'implementation of @> : true when the endpoint belongs to the set';
COMMENT ON FUNCTION @extschema@.endpoint_contained_by_endpoint_set(@extschema@.endpoint, @extschema@.endpoint_set) IS
    'implementation of <@ : true when the endpoint belongs to the set';
COMMENT ON FUNCTION @extschema@.endpoint_set_overlaps(@extschema@.endpoint_set, @extschema@.endpoint_set) IS
    'implementation of && : true when some endpoint belongs to both sets (exact, negated patterns included)';

CREATE OPERATOR @extschema@.@> (
    LEFTARG = @extschema@.endpoint_set, RIGHTARG = @extschema@.endpoint,
    FUNCTION = @extschema@.endpoint_set_contains_endpoint,
    COMMUTATOR = OPERATOR(@extschema@.<@),
    RESTRICT = pg_catalog.contsel, JOIN = pg_catalog.contjoinsel
);
CREATE OPERATOR @extschema@.<@ (
    LEFTARG = @extschema@.endpoint, RIGHTARG = @extschema@.endpoint_set,
    FUNCTION = @extschema@.endpoint_contained_by_endpoint_set,
    COMMUTATOR = OPERATOR(@extschema@.@>),
    RESTRICT = pg_catalog.contsel, JOIN = pg_catalog.contjoinsel
);
CREATE OPERATOR @extschema@.&& (
    LEFTARG = @extschema@.endpoint_set, RIGHTARG = @extschema@.endpoint_set,
    FUNCTION = @extschema@.endpoint_set_overlaps,
    COMMUTATOR = OPERATOR(@extschema@.&&),
    RESTRICT = pg_catalog.areasel, JOIN = pg_catalog.areajoinsel
);
COMMENT ON OPERATOR @extschema@.@> (@extschema@.endpoint_set, @extschema@.endpoint) IS 'set contains endpoint';
COMMENT ON OPERATOR @extschema@.<@ (@extschema@.endpoint, @extschema@.endpoint_set) IS 'endpoint is contained by set';
COMMENT ON OPERATOR @extschema@.&& (@extschema@.endpoint_set, @extschema@.endpoint_set) IS 'sets overlap: some endpoint belongs to both';

-- equality on canonical form
CREATE FUNCTION @extschema@.endpoint_set_eq(@extschema@.endpoint_set, @extschema@.endpoint_set) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.endpoint_set_ne(@extschema@.endpoint_set, @extschema@.endpoint_set) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.endpoint_set_hash(@extschema@.endpoint_set) RETURNS int
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.endpoint_set_hash_extended(@extschema@.endpoint_set, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.endpoint_set_eq(@extschema@.endpoint_set, @extschema@.endpoint_set) IS
    'implementation of = for endpoint_set: same canonical patterns';
COMMENT ON FUNCTION @extschema@.endpoint_set_ne(@extschema@.endpoint_set, @extschema@.endpoint_set) IS
    'implementation of <> for endpoint_set';
COMMENT ON FUNCTION @extschema@.endpoint_set_hash(@extschema@.endpoint_set) IS 'hash support for endpoint_set';
COMMENT ON FUNCTION @extschema@.endpoint_set_hash_extended(@extschema@.endpoint_set, bigint) IS
    'extended (seeded 64-bit) hash support for endpoint_set';

CREATE OPERATOR @extschema@.= (
    LEFTARG = @extschema@.endpoint_set, RIGHTARG = @extschema@.endpoint_set,
    FUNCTION = @extschema@.endpoint_set_eq,
    COMMUTATOR = OPERATOR(@extschema@.=), NEGATOR = OPERATOR(@extschema@.<>),
    RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR @extschema@.<> (
    LEFTARG = @extschema@.endpoint_set, RIGHTARG = @extschema@.endpoint_set,
    FUNCTION = @extschema@.endpoint_set_ne,
    COMMUTATOR = OPERATOR(@extschema@.<>), NEGATOR = OPERATOR(@extschema@.=),
    RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);
COMMENT ON OPERATOR @extschema@.= (@extschema@.endpoint_set, @extschema@.endpoint_set) IS
    'equal: same patterns after canonicalising (not set equality: ''*'' <> ''*, aws'')';
COMMENT ON OPERATOR @extschema@.<> (@extschema@.endpoint_set, @extschema@.endpoint_set) IS 'not equal';

-- a total order, so sorting, count(DISTINCT), merge joins and unique indexes work
CREATE FUNCTION @extschema@.endpoint_set_cmp(@extschema@.endpoint_set, @extschema@.endpoint_set) RETURNS int
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.endpoint_set_lt(@extschema@.endpoint_set, @extschema@.endpoint_set) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.endpoint_set_le(@extschema@.endpoint_set, @extschema@.endpoint_set) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.endpoint_set_gt(@extschema@.endpoint_set, @extschema@.endpoint_set) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.endpoint_set_ge(@extschema@.endpoint_set, @extschema@.endpoint_set) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.endpoint_set_cmp(@extschema@.endpoint_set, @extschema@.endpoint_set) IS
    'btree support: compares endpoint_sets pattern by pattern in canonical order';
COMMENT ON FUNCTION @extschema@.endpoint_set_lt(@extschema@.endpoint_set, @extschema@.endpoint_set) IS 'implementation of < for endpoint_set';
COMMENT ON FUNCTION @extschema@.endpoint_set_le(@extschema@.endpoint_set, @extschema@.endpoint_set) IS 'implementation of <= for endpoint_set';
COMMENT ON FUNCTION @extschema@.endpoint_set_gt(@extschema@.endpoint_set, @extschema@.endpoint_set) IS 'implementation of > for endpoint_set';
COMMENT ON FUNCTION @extschema@.endpoint_set_ge(@extschema@.endpoint_set, @extschema@.endpoint_set) IS 'implementation of >= for endpoint_set';

CREATE OPERATOR @extschema@.< (
    LEFTARG = @extschema@.endpoint_set, RIGHTARG = @extschema@.endpoint_set,
    FUNCTION = @extschema@.endpoint_set_lt,
    COMMUTATOR = OPERATOR(@extschema@.>), NEGATOR = OPERATOR(@extschema@.>=),
    RESTRICT = pg_catalog.scalarltsel, JOIN = pg_catalog.scalarltjoinsel
);
CREATE OPERATOR @extschema@.<= (
    LEFTARG = @extschema@.endpoint_set, RIGHTARG = @extschema@.endpoint_set,
    FUNCTION = @extschema@.endpoint_set_le,
    COMMUTATOR = OPERATOR(@extschema@.>=), NEGATOR = OPERATOR(@extschema@.>),
    RESTRICT = pg_catalog.scalarlesel, JOIN = pg_catalog.scalarlejoinsel
);
CREATE OPERATOR @extschema@.> (
    LEFTARG = @extschema@.endpoint_set, RIGHTARG = @extschema@.endpoint_set,
    FUNCTION = @extschema@.endpoint_set_gt,
    COMMUTATOR = OPERATOR(@extschema@.<), NEGATOR = OPERATOR(@extschema@.<=),
    RESTRICT = pg_catalog.scalargtsel, JOIN = pg_catalog.scalargtjoinsel
);
CREATE OPERATOR @extschema@.>= (
    LEFTARG = @extschema@.endpoint_set, RIGHTARG = @extschema@.endpoint_set,
    FUNCTION = @extschema@.endpoint_set_ge,
    COMMUTATOR = OPERATOR(@extschema@.<=), NEGATOR = OPERATOR(@extschema@.<),
    RESTRICT = pg_catalog.scalargesel, JOIN = pg_catalog.scalargejoinsel
);
COMMENT ON OPERATOR @extschema@.< (@extschema@.endpoint_set, @extschema@.endpoint_set) IS 'sorts before (canonical pattern order, not a subset test)';
COMMENT ON OPERATOR @extschema@.<= (@extschema@.endpoint_set, @extschema@.endpoint_set) IS 'sorts before or equal (canonical pattern order, not a subset test)';
COMMENT ON OPERATOR @extschema@.> (@extschema@.endpoint_set, @extschema@.endpoint_set) IS 'sorts after (canonical pattern order, not a superset test)';
COMMENT ON OPERATOR @extschema@.>= (@extschema@.endpoint_set, @extschema@.endpoint_set) IS 'sorts after or equal (canonical pattern order, not a superset test)';

CREATE OPERATOR CLASS @extschema@.endpoint_set_ops
    DEFAULT FOR TYPE @extschema@.endpoint_set USING btree AS
        OPERATOR 1 @extschema@.< ,
        OPERATOR 2 @extschema@.<= ,
        OPERATOR 3 @extschema@.= ,
        OPERATOR 4 @extschema@.>= ,
        OPERATOR 5 @extschema@.> ,
        FUNCTION 1 @extschema@.endpoint_set_cmp(@extschema@.endpoint_set, @extschema@.endpoint_set);
COMMENT ON OPERATOR CLASS @extschema@.endpoint_set_ops USING btree IS
    'total order on endpoint_set (pattern by pattern, canonical order) for sorting, count(DISTINCT) and unique indexes';

CREATE OPERATOR CLASS @extschema@.endpoint_set_hash_ops
    DEFAULT FOR TYPE @extschema@.endpoint_set USING hash AS
        OPERATOR 1 @extschema@.= ,
        FUNCTION 1 @extschema@.endpoint_set_hash(@extschema@.endpoint_set),
        FUNCTION 2 @extschema@.endpoint_set_hash_extended(@extschema@.endpoint_set, bigint);
COMMENT ON OPERATOR CLASS @extschema@.endpoint_set_hash_ops USING hash IS
    'hashing of endpoint_set for DISTINCT, GROUP BY, hash joins and hash partitioning';
COMMENT ON OPERATOR FAMILY @extschema@.endpoint_set_hash_ops USING hash IS 'hashing of endpoint_set';
COMMENT ON OPERATOR FAMILY @extschema@.endpoint_set_ops USING btree IS 'sort order of endpoint_set (not a subset order)';

-- Casts from text and varchar AS ASSIGNMENT: a text or varchar value (a
-- driver's string parameter: pgJDBC's setString sends varchar, psycopg's
-- binary str sends text) is accepted by INSERT and UPDATE of a endpoint_set
-- column, e.g. INSERT ... VALUES ($1) with $1 text 'aws, !aws/us-gov-*'.  Not
-- implicit, so no operator or function call turns text into endpoint_set
-- behind the user's back (comparing text with text stays text).  The casts to
-- text exist already (every type's output is an assignment cast to text).
CREATE CAST (text AS @extschema@.endpoint_set) WITH INOUT AS ASSIGNMENT;
CREATE CAST (varchar AS @extschema@.endpoint_set) WITH INOUT AS ASSIGNMENT;
COMMENT ON CAST (text AS @extschema@.endpoint_set) IS
    'text to endpoint_set through its input function; in assignments (INSERT, UPDATE) and explicit casts';
COMMENT ON CAST (varchar AS @extschema@.endpoint_set) IS
    'varchar to endpoint_set through its input function; in assignments (INSERT, UPDATE) and explicit casts';
