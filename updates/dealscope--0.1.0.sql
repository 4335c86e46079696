-- Frozen: the install script of version 0.1.0 exactly as it shipped, kept so that
-- the upgrade test can install 0.1.0 and update it (updates/dealscope--0.1.0--0.2.0.sql).
-- dealscope install script, assembled by the Makefile from src/*.sql.
\echo Use "CREATE EXTENSION dealscope" to load this file. \quit
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
-- rate_schedule: a piecewise-linear rate over dates (src/rate_schedule.c)

CREATE TYPE @extschema@.rate_schedule;

CREATE FUNCTION @extschema@.rate_schedule_in(cstring) RETURNS @extschema@.rate_schedule
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.rate_schedule_out(@extschema@.rate_schedule) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.rate_schedule_recv(internal) RETURNS @extschema@.rate_schedule
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.rate_schedule_send(@extschema@.rate_schedule) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- ALIGNMENT = double: the C struct holds int64 rates read in place.
CREATE TYPE @extschema@.rate_schedule (
    INPUT = @extschema@.rate_schedule_in,
    OUTPUT = @extschema@.rate_schedule_out,
    RECEIVE = @extschema@.rate_schedule_recv,
    SEND = @extschema@.rate_schedule_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended,
    COLLATABLE = false
);
COMMENT ON TYPE @extschema@.rate_schedule IS
    'a rate over dates: a constant such as 20%, or sorted half-open segments such as {[2019-07-22,2026-04-28) 20%, [2026-04-28,2027-04-28) 20%->0%}; days outside every segment have rate 0';
COMMENT ON FUNCTION @extschema@.rate_schedule_in(cstring) IS 'text input for rate_schedule';
COMMENT ON FUNCTION @extschema@.rate_schedule_out(@extschema@.rate_schedule) IS 'canonical text output for rate_schedule';
COMMENT ON FUNCTION @extschema@.rate_schedule_recv(internal) IS 'binary input for rate_schedule';
COMMENT ON FUNCTION @extschema@.rate_schedule_send(@extschema@.rate_schedule) IS 'binary output for rate_schedule';

-- evaluation
CREATE FUNCTION @extschema@.rate_at(schedule @extschema@.rate_schedule, day date) RETURNS numeric
    AS 'MODULE_PATHNAME', 'rate_schedule_rate_at_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rate_at(@extschema@.rate_schedule, date) IS
    'the rate on a day as a fraction (0.2 = 20%): exact when its decimal terminates, else rounded to 20 decimal places; 0 outside every segment';

CREATE FUNCTION @extschema@.average_rate(schedule @extschema@.rate_schedule, during daterange) RETURNS numeric
    AS 'MODULE_PATHNAME', 'rate_schedule_average_rate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.average_rate(@extschema@.rate_schedule, daterange) IS
    'the mean daily rate over the days of a non-empty bounded range, computed exactly: exact when its decimal terminates, else rounded to 20 decimal places';

-- equality (on the canonical form) and hashing, so the type works in
-- DISTINCT, GROUP BY, hash joins and as a Citus distribution column
CREATE FUNCTION @extschema@.rate_schedule_eq(@extschema@.rate_schedule, @extschema@.rate_schedule) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.rate_schedule_ne(@extschema@.rate_schedule, @extschema@.rate_schedule) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.rate_schedule_hash(@extschema@.rate_schedule) RETURNS int
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.rate_schedule_hash_extended(@extschema@.rate_schedule, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rate_schedule_eq(@extschema@.rate_schedule, @extschema@.rate_schedule) IS
    'implementation of = for rate_schedule: the same segments with the same rates';
COMMENT ON FUNCTION @extschema@.rate_schedule_ne(@extschema@.rate_schedule, @extschema@.rate_schedule) IS
    'implementation of <> for rate_schedule';
COMMENT ON FUNCTION @extschema@.rate_schedule_hash(@extschema@.rate_schedule) IS 'hash support for rate_schedule';
COMMENT ON FUNCTION @extschema@.rate_schedule_hash_extended(@extschema@.rate_schedule, bigint) IS
    'extended (seeded 64-bit) hash support for rate_schedule';

CREATE OPERATOR @extschema@.= (
    LEFTARG = @extschema@.rate_schedule, RIGHTARG = @extschema@.rate_schedule,
    FUNCTION = @extschema@.rate_schedule_eq,
    COMMUTATOR = OPERATOR(@extschema@.=), NEGATOR = OPERATOR(@extschema@.<>),
    RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel, HASHES
);
COMMENT ON OPERATOR @extschema@.= (@extschema@.rate_schedule, @extschema@.rate_schedule) IS
    'equal: the same segments with the same rates (compares the canonical form)';
CREATE OPERATOR @extschema@.<> (
    LEFTARG = @extschema@.rate_schedule, RIGHTARG = @extschema@.rate_schedule,
    FUNCTION = @extschema@.rate_schedule_ne,
    COMMUTATOR = OPERATOR(@extschema@.<>), NEGATOR = OPERATOR(@extschema@.=),
    RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);
COMMENT ON OPERATOR @extschema@.<> (@extschema@.rate_schedule, @extschema@.rate_schedule) IS
    'not equal';

CREATE OPERATOR CLASS @extschema@.rate_schedule_hash_ops
    DEFAULT FOR TYPE @extschema@.rate_schedule USING hash AS
    OPERATOR 1 @extschema@.= (@extschema@.rate_schedule, @extschema@.rate_schedule),
    FUNCTION 1 @extschema@.rate_schedule_hash(@extschema@.rate_schedule),
    FUNCTION 2 @extschema@.rate_schedule_hash_extended(@extschema@.rate_schedule, bigint);
COMMENT ON OPERATOR CLASS @extschema@.rate_schedule_hash_ops USING hash IS
    'hash operator class for rate_schedule (equality of the canonical form)';
COMMENT ON OPERATOR FAMILY @extschema@.rate_schedule_hash_ops USING hash IS 'hashing of rate_schedule';

-- calendar: calendar and fiscal slices of time (src/calendar.c)

CREATE FUNCTION @extschema@.slice_of(d date, grain text, fy_start int DEFAULT 1,
                                     OUT slice_start date, OUT slice_end date, OUT label text)
    RETURNS record
    AS 'MODULE_PATHNAME', 'slice_of' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.slice_of(date, text, int) IS
    'the day, ISO week, month, quarter, half or year holding a date, as (first day, last day inclusive, label); fy_start is the month a fiscal year starts in, fiscal years are named by the calendar year they end in';

-- money: currencies and their minor units (src/money.c)

CREATE FUNCTION @extschema@.minor_unit(currency char(3)) RETURNS int
    AS 'MODULE_PATHNAME', 'minor_unit' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.minor_unit(char(3)) IS
    'decimal places of an ISO 4217 currency (USD 2, JPY 0, BHD 3, CLF 4; 2 for any other well-formed code); the code must be three upper-case letters';

-- prorate: exact proration of a flow over calendar or fiscal slices (src/prorate.c)

CREATE FUNCTION @extschema@.prorate(amount numeric, period daterange, grain text,
                                    fy_start int DEFAULT 1, currency char(3) DEFAULT 'USD',
                                    share @extschema@.rate_schedule DEFAULT NULL)
    RETURNS TABLE (slice_start date, slice_end date, label text,
                   gross numeric, share numeric, net numeric)
    AS 'MODULE_PATHNAME', 'prorate' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 12;
COMMENT ON FUNCTION @extschema@.prorate(numeric, daterange, text, int, char(3), @extschema@.rate_schedule) IS
    'splits an amount earned evenly per day over period into the slices of grain it touches (largest remainder, ties to the earliest slice; parts sum exactly to the amount), with the revenue share owed under the schedule (its exact total rounded once, half to even, then split the same way) and net = gross - share; no rows when amount, period, grain, fy_start or currency is NULL';
-- catalog: who owns which cloud, where its regions are, and which countries
-- make up a jurisdiction.  Pure SQL; the placement checks (residency) and the
-- exposure reports (channel owner) read these tables.
--
-- Users add their own rows.  Rows the extension ships carry shipped = true and
-- are excluded from pg_dump by the pg_extension_config_dump filters below:
-- CREATE EXTENSION re-inserts them on restore, so a dump restores without
-- duplicates while every row a user added survives.  Editing or deleting a
-- shipped row is therefore not kept by pg_dump; add a row of your own instead.
--
-- Names follow the endpoint type (src/endpoint.c): a provider or region is a
-- valid endpoint segment, 1-63 characters of [a-z0-9._-] starting with a
-- letter or digit, so every catalogued region can be written as an endpoint
-- 'provider/region'.  Countries are ISO 3166-1 alpha-2 codes (the United
-- Kingdom is GB, Greece is GR).

CREATE TABLE @extschema@.provider (
    provider text PRIMARY KEY
        CONSTRAINT provider_name_format
        CHECK (provider OPERATOR(pg_catalog.~) '^[a-z0-9][a-z0-9._-]{0,62}$'),
    owner text NOT NULL
        CONSTRAINT provider_owner_not_blank
        CHECK (owner OPERATOR(pg_catalog.~) '\S'),
    shipped boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE @extschema@.provider IS
    'clouds and direct channels, each with the party that owns it (aws is owned by amazon); a model maker''s own direct channel is a provider owned by itself';
COMMENT ON COLUMN @extschema@.provider.provider IS
    'provider name as in an endpoint (the first segment of provider/region/service): 1-63 characters of [a-z0-9._-], starting with a letter or digit';
COMMENT ON COLUMN @extschema@.provider.owner IS
    'the party that owns the provider and earns what is sold through it, e.g. microsoft for azure';
COMMENT ON COLUMN @extschema@.provider.shipped IS
    'true on rows the extension ships; pg_dump keeps only rows with shipped = false, CREATE EXTENSION supplies the others';

CREATE TABLE @extschema@.region (
    provider text NOT NULL REFERENCES @extschema@.provider (provider),
    region text NOT NULL
        CONSTRAINT region_name_format
        CHECK (region OPERATOR(pg_catalog.~) '^[a-z0-9][a-z0-9._-]{0,62}$'),
    country char(2) NOT NULL
        CONSTRAINT region_country_format
        CHECK (country OPERATOR(pg_catalog.~) '^[A-Z]{2}$'),
    shipped boolean NOT NULL DEFAULT false,
    PRIMARY KEY (provider, region)
);
COMMENT ON TABLE @extschema@.region IS
    'public regions of each provider and the country each one is in; residency clauses check an endpoint''s region against it';
COMMENT ON COLUMN @extschema@.region.provider IS
    'the provider the region belongs to (references provider)';
COMMENT ON COLUMN @extschema@.region.region IS
    'region name as the provider''s API spells it and as in an endpoint (the second segment), e.g. eu-central-1, westeurope, us-central1, uk-london-1';
COMMENT ON COLUMN @extschema@.region.country IS
    'ISO 3166-1 alpha-2 code, upper case, of the country the region is in (GB for the United Kingdom)';
COMMENT ON COLUMN @extschema@.region.shipped IS
    'true on rows the extension ships; pg_dump keeps only rows with shipped = false, CREATE EXTENSION supplies the others';

CREATE TABLE @extschema@.jurisdiction (
    code text PRIMARY KEY
        CONSTRAINT jurisdiction_code_format
        CHECK (code OPERATOR(pg_catalog.~) '^[A-Za-z0-9][A-Za-z0-9._+-]{0,62}$'),
    countries char(2)[] NOT NULL
        CONSTRAINT jurisdiction_countries_format
        CHECK (pg_catalog.array_ndims(countries) OPERATOR(pg_catalog.=) 1
               AND pg_catalog.array_position(countries, NULL) IS NULL
               AND pg_catalog.array_to_string(countries, ',')
                   OPERATOR(pg_catalog.~) '^[A-Z]{2}(,[A-Z]{2})*$'),
    shipped boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE @extschema@.jurisdiction IS
    'named groups of countries (EU, EEA, ...) that residency clauses may list instead of single countries';
COMMENT ON COLUMN @extschema@.jurisdiction.code IS
    'the name a residency clause lists, e.g. EU: 1-63 characters of [A-Za-z0-9._+-], starting with a letter or digit';
COMMENT ON COLUMN @extschema@.jurisdiction.countries IS
    'ISO 3166-1 alpha-2 codes, upper case, of the member countries: a non-empty one-dimensional array without NULLs';
COMMENT ON COLUMN @extschema@.jurisdiction.shipped IS
    'true on rows the extension ships; pg_dump keeps only rows with shipped = false, CREATE EXTENSION supplies the others';

-- pg_dump keeps what users added, not what CREATE EXTENSION inserts.
SELECT pg_catalog.pg_extension_config_dump('@extschema@.provider', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.region', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.jurisdiction', 'WHERE NOT shipped');

-- In a trusted extension the tables belong to the bootstrap superuser; the
-- user who created the extension loads the data and may share it onwards.
-- The catalog holds public facts, so everyone may read it.
GRANT SELECT ON @extschema@.provider, @extschema@.region, @extschema@.jurisdiction TO PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES
    ON @extschema@.provider, @extschema@.region, @extschema@.jurisdiction
    TO @extowner@ WITH GRANT OPTION;

-- Shipped providers.  A model maker's own direct channel (its API, its apps)
-- is a provider owned by itself, so revenue through it counts as the maker's
-- own.  Direct channels ship without regions: they are not tied to a country
-- (an endpoint such as openai/global/api names no catalogued region), and a
-- residency clause rightly blocks an endpoint whose region is unknown.
INSERT INTO @extschema@.provider (provider, owner, shipped)
SELECT v.provider, v.owner, true
FROM (VALUES
    ('anthropic', 'anthropic'),     -- direct channel of a model maker
    ('aws',       'amazon'),        -- Amazon Web Services
    ('azure',     'microsoft'),     -- Microsoft Azure
    ('gcp',       'google'),        -- Google Cloud
    ('oci',       'oracle'),        -- Oracle Cloud Infrastructure
    ('openai',    'openai')         -- direct channel of a model maker
) AS v (provider, owner)
ORDER BY v.provider;

-- Shipped regions: the providers' public region lists (as of 2026), with the
-- region names their APIs use.  Only regions known to be open are listed;
-- announced but unopened ones are not, nor are dedicated or customer-only
-- ones (Oracle's dedicated regions, Azure's EUAP canaries).  Separate
-- partitions are included where their region names are public: AWS GovCloud,
-- AWS China and the AWS European Sovereign Cloud, Azure Government and Azure
-- China, Oracle's US and UK government and EU sovereign regions.
INSERT INTO @extschema@.region (provider, region, country, shipped)
SELECT v.provider, v.region, v.country, true
FROM (VALUES
    -- Amazon Web Services
    ('aws', 'af-south-1',      'ZA'),   -- Cape Town
    ('aws', 'ap-east-1',       'HK'),   -- Hong Kong
    ('aws', 'ap-east-2',       'TW'),   -- Taipei
    ('aws', 'ap-northeast-1',  'JP'),   -- Tokyo
    ('aws', 'ap-northeast-2',  'KR'),   -- Seoul
    ('aws', 'ap-northeast-3',  'JP'),   -- Osaka
    ('aws', 'ap-south-1',      'IN'),   -- Mumbai
    ('aws', 'ap-south-2',      'IN'),   -- Hyderabad
    ('aws', 'ap-southeast-1',  'SG'),   -- Singapore
    ('aws', 'ap-southeast-2',  'AU'),   -- Sydney
    ('aws', 'ap-southeast-3',  'ID'),   -- Jakarta
    ('aws', 'ap-southeast-4',  'AU'),   -- Melbourne
    ('aws', 'ap-southeast-5',  'MY'),   -- Malaysia
    ('aws', 'ap-southeast-6',  'NZ'),   -- New Zealand
    ('aws', 'ap-southeast-7',  'TH'),   -- Thailand
    ('aws', 'ca-central-1',    'CA'),   -- Canada (Central)
    ('aws', 'ca-west-1',       'CA'),   -- Calgary
    ('aws', 'cn-north-1',      'CN'),   -- Beijing (AWS China)
    ('aws', 'cn-northwest-1',  'CN'),   -- Ningxia (AWS China)
    ('aws', 'eu-central-1',    'DE'),   -- Frankfurt
    ('aws', 'eu-central-2',    'CH'),   -- Zurich
    ('aws', 'eu-north-1',      'SE'),   -- Stockholm
    ('aws', 'eu-south-1',      'IT'),   -- Milan
    ('aws', 'eu-south-2',      'ES'),   -- Spain
    ('aws', 'eu-west-1',       'IE'),   -- Ireland
    ('aws', 'eu-west-2',       'GB'),   -- London
    ('aws', 'eu-west-3',       'FR'),   -- Paris
    ('aws', 'eusc-de-east-1',  'DE'),   -- Brandenburg (AWS European Sovereign Cloud)
    ('aws', 'il-central-1',    'IL'),   -- Tel Aviv
    ('aws', 'me-central-1',    'AE'),   -- UAE
    ('aws', 'me-south-1',      'BH'),   -- Bahrain
    ('aws', 'mx-central-1',    'MX'),   -- Mexico (Central)
    ('aws', 'sa-east-1',       'BR'),   -- Sao Paulo
    ('aws', 'us-east-1',       'US'),   -- N. Virginia
    ('aws', 'us-east-2',       'US'),   -- Ohio
    ('aws', 'us-gov-east-1',   'US'),   -- GovCloud (US-East)
    ('aws', 'us-gov-west-1',   'US'),   -- GovCloud (US-West)
    ('aws', 'us-west-1',       'US'),   -- N. California
    ('aws', 'us-west-2',       'US'),   -- Oregon

    -- Microsoft Azure
    ('azure', 'australiacentral',   'AU'),  -- Canberra
    ('azure', 'australiacentral2',  'AU'),  -- Canberra
    ('azure', 'australiaeast',      'AU'),  -- New South Wales
    ('azure', 'australiasoutheast', 'AU'),  -- Victoria
    ('azure', 'belgiumcentral',     'BE'),  -- Brussels
    ('azure', 'brazilsouth',        'BR'),  -- Sao Paulo State
    ('azure', 'brazilsoutheast',    'BR'),  -- Rio de Janeiro
    ('azure', 'canadacentral',      'CA'),  -- Toronto
    ('azure', 'canadaeast',         'CA'),  -- Quebec City
    ('azure', 'centralindia',       'IN'),  -- Pune
    ('azure', 'centralus',          'US'),  -- Iowa
    ('azure', 'chilecentral',       'CL'),  -- Santiago
    ('azure', 'chinaeast2',         'CN'),  -- Shanghai (Azure China)
    ('azure', 'chinaeast3',         'CN'),  -- Shanghai (Azure China)
    ('azure', 'chinanorth2',        'CN'),  -- Beijing (Azure China)
    ('azure', 'chinanorth3',        'CN'),  -- Hebei (Azure China)
    ('azure', 'denmarkeast',        'DK'),  -- Copenhagen
    ('azure', 'eastasia',           'HK'),  -- Hong Kong
    ('azure', 'eastus',             'US'),  -- Virginia
    ('azure', 'eastus2',            'US'),  -- Virginia
    ('azure', 'francecentral',      'FR'),  -- Paris
    ('azure', 'francesouth',        'FR'),  -- Marseille
    ('azure', 'germanynorth',       'DE'),  -- Berlin
    ('azure', 'germanywestcentral', 'DE'),  -- Frankfurt
    ('azure', 'indonesiacentral',   'ID'),  -- Jakarta
    ('azure', 'israelcentral',      'IL'),  -- Israel
    ('azure', 'italynorth',         'IT'),  -- Milan
    ('azure', 'japaneast',          'JP'),  -- Tokyo, Saitama
    ('azure', 'japanwest',          'JP'),  -- Osaka
    ('azure', 'jioindiacentral',    'IN'),  -- Nagpur
    ('azure', 'jioindiawest',       'IN'),  -- Jamnagar
    ('azure', 'koreacentral',       'KR'),  -- Seoul
    ('azure', 'koreasouth',         'KR'),  -- Busan
    ('azure', 'malaysiawest',       'MY'),  -- Kuala Lumpur
    ('azure', 'mexicocentral',      'MX'),  -- Queretaro
    ('azure', 'newzealandnorth',    'NZ'),  -- Auckland
    ('azure', 'northcentralus',     'US'),  -- Illinois
    ('azure', 'northeurope',        'IE'),  -- Ireland
    ('azure', 'norwayeast',         'NO'),  -- Oslo
    ('azure', 'norwaywest',         'NO'),  -- Stavanger
    ('azure', 'polandcentral',      'PL'),  -- Warsaw
    ('azure', 'qatarcentral',       'QA'),  -- Doha
    ('azure', 'southafricanorth',   'ZA'),  -- Johannesburg
    ('azure', 'southafricawest',    'ZA'),  -- Cape Town
    ('azure', 'southcentralus',     'US'),  -- Texas
    ('azure', 'southeastasia',      'SG'),  -- Singapore
    ('azure', 'southindia',         'IN'),  -- Chennai
    ('azure', 'spaincentral',       'ES'),  -- Madrid
    ('azure', 'swedencentral',      'SE'),  -- Gavle
    ('azure', 'swedensouth',        'SE'),  -- Staffanstorp
    ('azure', 'switzerlandnorth',   'CH'),  -- Zurich
    ('azure', 'switzerlandwest',    'CH'),  -- Geneva
    ('azure', 'uaecentral',         'AE'),  -- Abu Dhabi
    ('azure', 'uaenorth',           'AE'),  -- Dubai
    ('azure', 'uksouth',            'GB'),  -- London
    ('azure', 'ukwest',             'GB'),  -- Cardiff
    ('azure', 'usgovarizona',       'US'),  -- Azure Government
    ('azure', 'usgovtexas',         'US'),  -- Azure Government
    ('azure', 'usgovvirginia',      'US'),  -- Azure Government
    ('azure', 'westcentralus',      'US'),  -- Wyoming
    ('azure', 'westeurope',         'NL'),  -- Netherlands
    ('azure', 'westindia',          'IN'),  -- Mumbai
    ('azure', 'westus',             'US'),  -- California
    ('azure', 'westus2',            'US'),  -- Washington
    ('azure', 'westus3',            'US'),  -- Phoenix

    -- Google Cloud
    ('gcp', 'africa-south1',           'ZA'),   -- Johannesburg
    ('gcp', 'asia-east1',              'TW'),   -- Changhua County, Taiwan
    ('gcp', 'asia-east2',              'HK'),   -- Hong Kong
    ('gcp', 'asia-northeast1',         'JP'),   -- Tokyo
    ('gcp', 'asia-northeast2',         'JP'),   -- Osaka
    ('gcp', 'asia-northeast3',         'KR'),   -- Seoul
    ('gcp', 'asia-south1',             'IN'),   -- Mumbai
    ('gcp', 'asia-south2',             'IN'),   -- Delhi
    ('gcp', 'asia-southeast1',         'SG'),   -- Jurong West, Singapore
    ('gcp', 'asia-southeast2',         'ID'),   -- Jakarta
    ('gcp', 'asia-southeast3',         'TH'),   -- Bangkok
    ('gcp', 'australia-southeast1',    'AU'),   -- Sydney
    ('gcp', 'australia-southeast2',    'AU'),   -- Melbourne
    ('gcp', 'europe-central2',         'PL'),   -- Warsaw
    ('gcp', 'europe-north1',           'FI'),   -- Hamina
    ('gcp', 'europe-north2',           'SE'),   -- Stockholm
    ('gcp', 'europe-southwest1',       'ES'),   -- Madrid
    ('gcp', 'europe-west1',            'BE'),   -- St. Ghislain
    ('gcp', 'europe-west10',           'DE'),   -- Berlin
    ('gcp', 'europe-west12',           'IT'),   -- Turin
    ('gcp', 'europe-west2',            'GB'),   -- London
    ('gcp', 'europe-west3',            'DE'),   -- Frankfurt
    ('gcp', 'europe-west4',            'NL'),   -- Eemshaven
    ('gcp', 'europe-west6',            'CH'),   -- Zurich
    ('gcp', 'europe-west8',            'IT'),   -- Milan
    ('gcp', 'europe-west9',            'FR'),   -- Paris
    ('gcp', 'me-central1',             'QA'),   -- Doha
    ('gcp', 'me-central2',             'SA'),   -- Dammam
    ('gcp', 'me-west1',                'IL'),   -- Tel Aviv
    ('gcp', 'northamerica-northeast1', 'CA'),   -- Montreal
    ('gcp', 'northamerica-northeast2', 'CA'),   -- Toronto
    ('gcp', 'northamerica-south1',     'MX'),   -- Queretaro
    ('gcp', 'southamerica-east1',      'BR'),   -- Osasco, Sao Paulo
    ('gcp', 'southamerica-west1',      'CL'),   -- Santiago
    ('gcp', 'us-central1',             'US'),   -- Council Bluffs, Iowa
    ('gcp', 'us-east1',                'US'),   -- Moncks Corner, South Carolina
    ('gcp', 'us-east4',                'US'),   -- Ashburn, Virginia
    ('gcp', 'us-east5',                'US'),   -- Columbus, Ohio
    ('gcp', 'us-south1',               'US'),   -- Dallas
    ('gcp', 'us-west1',                'US'),   -- The Dalles, Oregon
    ('gcp', 'us-west2',                'US'),   -- Los Angeles
    ('gcp', 'us-west3',                'US'),   -- Salt Lake City
    ('gcp', 'us-west4',                'US'),   -- Las Vegas

    -- Oracle Cloud Infrastructure
    ('oci', 'af-casablanca-1',    'MA'),    -- Casablanca
    ('oci', 'af-johannesburg-1',  'ZA'),    -- Johannesburg
    ('oci', 'ap-batam-1',         'ID'),    -- Batam
    ('oci', 'ap-chuncheon-1',     'KR'),    -- Chuncheon
    ('oci', 'ap-hyderabad-1',     'IN'),    -- Hyderabad
    ('oci', 'ap-kulai-2',         'MY'),    -- Kulai
    ('oci', 'ap-melbourne-1',     'AU'),    -- Melbourne
    ('oci', 'ap-mumbai-1',        'IN'),    -- Mumbai
    ('oci', 'ap-osaka-1',         'JP'),    -- Osaka
    ('oci', 'ap-seoul-1',         'KR'),    -- Seoul
    ('oci', 'ap-singapore-1',     'SG'),    -- Singapore
    ('oci', 'ap-singapore-2',     'SG'),    -- Singapore West
    ('oci', 'ap-sydney-1',        'AU'),    -- Sydney
    ('oci', 'ap-tokyo-1',         'JP'),    -- Tokyo
    ('oci', 'ca-montreal-1',      'CA'),    -- Montreal
    ('oci', 'ca-toronto-1',       'CA'),    -- Toronto
    ('oci', 'eu-amsterdam-1',     'NL'),    -- Amsterdam
    ('oci', 'eu-frankfurt-1',     'DE'),    -- Frankfurt
    ('oci', 'eu-frankfurt-2',     'DE'),    -- EU Sovereign Cloud, Frankfurt
    ('oci', 'eu-jovanovac-1',     'RS'),    -- Jovanovac, Serbia
    ('oci', 'eu-madrid-1',        'ES'),    -- Madrid
    ('oci', 'eu-madrid-2',        'ES'),    -- EU Sovereign Cloud, Madrid
    ('oci', 'eu-madrid-3',        'ES'),    -- Madrid 3
    ('oci', 'eu-marseille-1',     'FR'),    -- Marseille
    ('oci', 'eu-milan-1',         'IT'),    -- Milan
    ('oci', 'eu-paris-1',         'FR'),    -- Paris
    ('oci', 'eu-stockholm-1',     'SE'),    -- Stockholm
    ('oci', 'eu-turin-1',         'IT'),    -- Turin
    ('oci', 'eu-zurich-1',        'CH'),    -- Zurich
    ('oci', 'il-jerusalem-1',     'IL'),    -- Jerusalem
    ('oci', 'me-abudhabi-1',      'AE'),    -- Abu Dhabi
    ('oci', 'me-dubai-1',         'AE'),    -- Dubai
    ('oci', 'me-jeddah-1',        'SA'),    -- Jeddah
    ('oci', 'me-riyadh-1',        'SA'),    -- Riyadh
    ('oci', 'mx-monterrey-1',     'MX'),    -- Monterrey
    ('oci', 'mx-queretaro-1',     'MX'),    -- Queretaro
    ('oci', 'sa-bogota-1',        'CO'),    -- Bogota
    ('oci', 'sa-santiago-1',      'CL'),    -- Santiago
    ('oci', 'sa-saopaulo-1',      'BR'),    -- Sao Paulo
    ('oci', 'sa-valparaiso-1',    'CL'),    -- Valparaiso
    ('oci', 'sa-vinhedo-1',       'BR'),    -- Vinhedo
    ('oci', 'uk-cardiff-1',       'GB'),    -- Newport (UK West)
    ('oci', 'uk-gov-cardiff-1',   'GB'),    -- UK Gov West
    ('oci', 'uk-gov-london-1',    'GB'),    -- UK Gov South
    ('oci', 'uk-london-1',        'GB'),    -- London
    ('oci', 'us-ashburn-1',       'US'),    -- Ashburn
    ('oci', 'us-chicago-1',       'US'),    -- Chicago
    ('oci', 'us-gov-ashburn-1',   'US'),    -- US Gov East
    ('oci', 'us-gov-chicago-1',   'US'),    -- US Gov Central
    ('oci', 'us-gov-phoenix-1',   'US'),    -- US Gov West
    ('oci', 'us-langley-1',       'US'),    -- US DoD East
    ('oci', 'us-luke-1',          'US'),    -- US DoD West
    ('oci', 'us-phoenix-1',       'US'),    -- Phoenix
    ('oci', 'us-sanjose-1',       'US')     -- San Jose
) AS v (provider, region, country)
ORDER BY v.provider, v.region;

-- Shipped jurisdictions.  Member lists are sorted by code.
INSERT INTO @extschema@.jurisdiction (code, countries, shipped)
SELECT v.code, v.countries::char(2)[], true
FROM (VALUES
    ('AU',  '{AU}'),
    ('CA',  '{CA}'),
    ('CH',  '{CH}'),
    -- the European Economic Area: the EU plus Iceland, Liechtenstein, Norway
    ('EEA', '{AT,BE,BG,CY,CZ,DE,DK,EE,ES,FI,FR,GR,HR,HU,IE,IS,IT,LI,LT,LU,LV,MT,NL,NO,PL,PT,RO,SE,SI,SK}'),
    -- the 27 member states of the European Union (Greece is GR)
    ('EU',  '{AT,BE,BG,CY,CZ,DE,DK,EE,ES,FI,FR,GR,HR,HU,IE,IT,LT,LU,LV,MT,NL,PL,PT,RO,SE,SI,SK}'),
    ('IN',  '{IN}'),
    ('JP',  '{JP}'),
    ('UK',  '{GB}'),
    ('US',  '{US}')
) AS v (code, countries)
ORDER BY v.code;

-- deal model: deals, their clauses, workloads and placement events (SPEC 4)
--
-- Users load their own data into these tables; pg_dump keeps it (every table
-- is registered with pg_extension_config_dump, and the extension ships no
-- rows in them).  CHECK constraints are named after what they demand, so a
-- violation message such as
--   new row for relation "clause" violates check constraint "clause_rofr_needs_window_days"
-- says what is missing.

CREATE TYPE @extschema@.clause_kind AS ENUM (
    'exclusivity', 'rofr', 'first_launch', 'residency',
    'revenue_share', 'primary_partner', 'commitment'
);
COMMENT ON TYPE @extschema@.clause_kind IS
    'what a deal clause does: exclusivity, rofr (right of first refusal), first_launch, residency (placement clauses); revenue_share, primary_partner, commitment (money clauses)';

CREATE TABLE @extschema@.deal (
    id        text PRIMARY KEY,
    name      text,
    parties   text[],
    signed_on date
);
COMMENT ON TABLE @extschema@.deal IS 'a deal (contract or amendment) between parties; its terms are rows of clause';
COMMENT ON COLUMN @extschema@.deal.id IS 'deal identifier chosen by the user, e.g. msft-openai-2026';
COMMENT ON COLUMN @extschema@.deal.name IS 'human-readable name of the deal';
COMMENT ON COLUMN @extschema@.deal.parties IS 'the parties to the deal, e.g. {microsoft,openai}';
COMMENT ON COLUMN @extschema@.deal.signed_on IS 'the day the deal (or amendment) was signed or took effect';

CREATE TABLE @extschema@.clause (
    id            text PRIMARY KEY,
    deal_id       text REFERENCES @extschema@.deal (id) ON UPDATE CASCADE,
    kind          @extschema@.clause_kind NOT NULL,
    holder        text,
    grantor       text,
    products      text NOT NULL DEFAULT '*',
    scope         @extschema@.endpoint_set,
    valid         daterange NOT NULL,
    rate          @extschema@.rate_schedule,
    window_days   int,
    lag_days      int,
    data_class    text,
    jurisdictions text[],
    amount        numeric,
    currency      char(3),
    min_share     numeric,
    note          text,
    CONSTRAINT clause_needs_grantor CHECK (grantor IS NOT NULL),
    CONSTRAINT clause_valid_not_empty CHECK (NOT pg_catalog.isempty(valid)),
    CONSTRAINT clause_exclusivity_needs_holder
        CHECK (kind OPERATOR(pg_catalog.<>) 'exclusivity' OR holder IS NOT NULL),
    CONSTRAINT clause_exclusivity_needs_scope
        CHECK (kind OPERATOR(pg_catalog.<>) 'exclusivity' OR scope IS NOT NULL),
    CONSTRAINT clause_rofr_needs_holder
        CHECK (kind OPERATOR(pg_catalog.<>) 'rofr' OR holder IS NOT NULL),
    CONSTRAINT clause_rofr_needs_scope
        CHECK (kind OPERATOR(pg_catalog.<>) 'rofr' OR scope IS NOT NULL),
    CONSTRAINT clause_rofr_needs_window_days
        CHECK (kind OPERATOR(pg_catalog.<>) 'rofr' OR window_days IS NOT NULL),
    CONSTRAINT clause_first_launch_needs_holder
        CHECK (kind OPERATOR(pg_catalog.<>) 'first_launch' OR holder IS NOT NULL),
    CONSTRAINT clause_first_launch_needs_scope
        CHECK (kind OPERATOR(pg_catalog.<>) 'first_launch' OR scope IS NOT NULL),
    CONSTRAINT clause_first_launch_needs_lag_days
        CHECK (kind OPERATOR(pg_catalog.<>) 'first_launch' OR lag_days IS NOT NULL),
    CONSTRAINT clause_residency_needs_data_class
        CHECK (kind OPERATOR(pg_catalog.<>) 'residency' OR data_class IS NOT NULL),
    CONSTRAINT clause_residency_needs_jurisdictions
        CHECK (kind OPERATOR(pg_catalog.<>) 'residency' OR jurisdictions IS NOT NULL),
    CONSTRAINT clause_revenue_share_needs_holder
        CHECK (kind OPERATOR(pg_catalog.<>) 'revenue_share' OR holder IS NOT NULL),
    CONSTRAINT clause_revenue_share_needs_rate
        CHECK (kind OPERATOR(pg_catalog.<>) 'revenue_share' OR rate IS NOT NULL),
    CONSTRAINT clause_primary_partner_needs_holder
        CHECK (kind OPERATOR(pg_catalog.<>) 'primary_partner' OR holder IS NOT NULL),
    CONSTRAINT clause_primary_partner_needs_min_share
        CHECK (kind OPERATOR(pg_catalog.<>) 'primary_partner' OR min_share IS NOT NULL),
    CONSTRAINT clause_commitment_needs_holder
        CHECK (kind OPERATOR(pg_catalog.<>) 'commitment' OR holder IS NOT NULL),
    CONSTRAINT clause_commitment_needs_amount
        CHECK (kind OPERATOR(pg_catalog.<>) 'commitment' OR amount IS NOT NULL),
    CONSTRAINT clause_window_days_not_negative CHECK (window_days OPERATOR(pg_catalog.>=) 0),
    CONSTRAINT clause_lag_days_not_negative CHECK (lag_days OPERATOR(pg_catalog.>=) 0),
    CONSTRAINT clause_min_share_between_0_and_1 CHECK (min_share OPERATOR(pg_catalog.>=) 0 AND min_share OPERATOR(pg_catalog.<=) 1),
    -- (a commitment's currency is demanded through its amount)
    CONSTRAINT clause_amount_needs_currency CHECK (amount IS NULL OR currency IS NOT NULL),
    CONSTRAINT clause_currency_is_iso_4217 CHECK (currency OPERATOR(pg_catalog.~) '^[A-Z]{3}$'),
    CONSTRAINT clause_jurisdictions_not_empty
        CHECK (pg_catalog.cardinality(jurisdictions) OPERATOR(pg_catalog.>) 0
               AND pg_catalog.array_position(jurisdictions, NULL) IS NULL)
);
CREATE INDEX clause_grantor_idx ON @extschema@.clause (grantor);
CREATE INDEX clause_deal_id_idx ON @extschema@.clause (deal_id);
COMMENT ON TABLE @extschema@.clause IS
    'one term of a deal; kind decides its meaning and which columns it needs (SPEC 4.1)';
COMMENT ON COLUMN @extschema@.clause.id IS 'clause identifier chosen by the user, e.g. rofr-msft; named in placement reasons';
COMMENT ON COLUMN @extschema@.clause.deal_id IS 'the deal this clause belongs to';
COMMENT ON COLUMN @extschema@.clause.kind IS 'what the clause does (clause_kind)';
COMMENT ON COLUMN @extschema@.clause.holder IS 'the party that benefits: holds the exclusivity or right, receives the share, is the partner or payee';
COMMENT ON COLUMN @extschema@.clause.grantor IS 'the party bound by the clause; it applies to workloads and flows of this party';
COMMENT ON COLUMN @extschema@.clause.products IS 'comma-separated globs over product names (* matches any characters), e.g. api/*,chatgpt/*; default * (all products)';
COMMENT ON COLUMN @extschema@.clause.scope IS 'endpoints the clause is about: the exclusive, first-refusal or first-launch clouds; for revenue_share the channels (NULL = all)';
COMMENT ON COLUMN @extschema@.clause.valid IS 'the days the clause is in force (half-open daterange, not empty)';
COMMENT ON COLUMN @extschema@.clause.rate IS 'revenue_share: the share of revenue owed, possibly winding down over time';
COMMENT ON COLUMN @extschema@.clause.window_days IS 'rofr: days the holder has to answer an offer before it lapses';
COMMENT ON COLUMN @extschema@.clause.lag_days IS 'first_launch: days after the launch inside scope before other endpoints may follow';
COMMENT ON COLUMN @extschema@.clause.data_class IS 'residency: the workload data class the clause restricts, e.g. eu-personal';
COMMENT ON COLUMN @extschema@.clause.jurisdictions IS 'residency: ISO 3166 country codes and/or jurisdiction codes (see jurisdiction) where the data may be served';
COMMENT ON COLUMN @extschema@.clause.amount IS 'commitment: the amount the grantor committed to spend with the holder over valid';
COMMENT ON COLUMN @extschema@.clause.currency IS 'ISO 4217 currency code of amount, upper case';
COMMENT ON COLUMN @extschema@.clause.min_share IS 'primary_partner: the minimum fraction (0-1) of cloud spend the holder should receive';
COMMENT ON COLUMN @extschema@.clause.note IS 'free text, e.g. the source of a figure or that it is illustrative';

CREATE TABLE @extschema@.workload (
    id           text PRIMARY KEY,
    owner        text NOT NULL,
    product      text NOT NULL,
    data_class   text,
    requested_on date NOT NULL
);
COMMENT ON TABLE @extschema@.workload IS 'a product of a model maker that needs to be served somewhere; the subject of placement questions';
COMMENT ON COLUMN @extschema@.workload.id IS 'workload identifier chosen by the user';
COMMENT ON COLUMN @extschema@.workload.owner IS 'the party whose workload it is; clauses with this grantor apply to it';
COMMENT ON COLUMN @extschema@.workload.product IS 'product name matched against clause.products, e.g. api/gpt-5';
COMMENT ON COLUMN @extschema@.workload.data_class IS 'class of the data it handles; residency clauses with the same data_class apply';
COMMENT ON COLUMN @extschema@.workload.requested_on IS 'the day the workload was requested; rofr and first_launch clauses apply only to workloads requested while they are valid';

CREATE TABLE @extschema@.placement_event (
    workload_id text NOT NULL REFERENCES @extschema@.workload (id) ON UPDATE CASCADE ON DELETE CASCADE,
    kind        text NOT NULL,
    holder      text,
    at          @extschema@.endpoint,
    on_date     date NOT NULL,
    CONSTRAINT placement_event_kind_known
        CHECK (kind OPERATOR(pg_catalog.=) ANY ('{offer,decline,accept,launch}'::text[])),
    CONSTRAINT placement_event_offer_needs_holder
        CHECK (kind OPERATOR(pg_catalog.<>) 'offer' OR holder IS NOT NULL),
    CONSTRAINT placement_event_decline_needs_holder
        CHECK (kind OPERATOR(pg_catalog.<>) 'decline' OR holder IS NOT NULL),
    CONSTRAINT placement_event_accept_needs_holder
        CHECK (kind OPERATOR(pg_catalog.<>) 'accept' OR holder IS NOT NULL),
    CONSTRAINT placement_event_launch_needs_at
        CHECK (kind OPERATOR(pg_catalog.<>) 'launch' OR at IS NOT NULL),
    CONSTRAINT placement_event_on_date_finite CHECK (pg_catalog.isfinite(on_date))
);
CREATE INDEX placement_event_workload_idx ON @extschema@.placement_event (workload_id, on_date);
COMMENT ON TABLE @extschema@.placement_event IS
    'what happened to a workload: rofr steps (offer to, decline or accept by holder) and launches at an endpoint';
COMMENT ON COLUMN @extschema@.placement_event.workload_id IS 'the workload concerned';
COMMENT ON COLUMN @extschema@.placement_event.kind IS 'offer, decline or accept (right-of-first-refusal steps) or launch (went live at endpoint at)';
COMMENT ON COLUMN @extschema@.placement_event.holder IS 'offer/decline/accept: the rofr holder the workload was offered to, or who answered';
COMMENT ON COLUMN @extschema@.placement_event.at IS 'launch: the endpoint the workload went live at';
COMMENT ON COLUMN @extschema@.placement_event.on_date IS 'the day it happened; a check on day d counts only events on or before d';

SELECT pg_catalog.pg_extension_config_dump('@extschema@.deal', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.clause', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.workload', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.placement_event', '');

-- In a trusted extension the tables belong to the bootstrap superuser; the
-- user who created the extension owns the data in them and may share it.
-- Deal terms are confidential, so nothing is granted to PUBLIC.
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES
    ON @extschema@.deal, @extschema@.clause, @extschema@.workload, @extschema@.placement_event
    TO @extowner@ WITH GRANT OPTION;

-- placement: may a workload be served on an endpoint on a date? (src/placement.c)
--
-- The functions read the deal model and the region/jurisdiction catalogs,
-- so they are STABLE.  They are PARALLEL SAFE: they only read ordinary
-- tables through SPI with the calling query's snapshot (which parallel
-- workers share), write nothing, and keep no state a worker could not
-- rebuild (prepared plans, per backend, and placement_matrix's model, per
-- query).

CREATE FUNCTION @extschema@.placement_check(
    workload_id text, e @extschema@.endpoint, on_date date DEFAULT CURRENT_DATE,
    OUT verdict text, OUT eligible_from date, OUT reasons text[])
    RETURNS record
    AS 'MODULE_PATHNAME', 'placement_check'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.placement_check(text, @extschema@.endpoint, date) IS
    'may the workload be served on endpoint e on on_date: verdict allowed, conditional or blocked; eligible_from (on_date when allowed, the day every obstacle lifts, NULL when one has no known end); one reason per clause in the way';

CREATE FUNCTION @extschema@.placement_reasons(
    workload_id text, e @extschema@.endpoint, on_date date DEFAULT CURRENT_DATE)
    RETURNS TABLE (clause_id text, kind @extschema@.clause_kind, verdict text,
                   eligible_from date, reason text)
    AS 'MODULE_PATHNAME', 'placement_reasons'
    LANGUAGE C STABLE STRICT PARALLEL SAFE ROWS 5;
COMMENT ON FUNCTION @extschema@.placement_reasons(text, @extschema@.endpoint, date) IS
    'one row per clause that applies to the workload on on_date, allowed ones included, with what it says about endpoint e; blocked first, then conditional, then allowed, each by clause id';

-- The per-pair columns of placement_matrix: internal helpers, each equal
-- to one column of placement_check(workload_id, e, on_date), but computed
-- from a model of every workload that is built once per query and day and
-- shared by all three (src/placement.c, "per-pair helpers").
CREATE FUNCTION @extschema@.placement_pair_verdict(
    workload_id text, e @extschema@.endpoint, on_date date)
    RETURNS text
    AS 'MODULE_PATHNAME', 'placement_pair_verdict'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.placement_pair_verdict(text, @extschema@.endpoint, date) IS
    'internal helper of placement_matrix: placement_check(workload_id, e, on_date).verdict, from a model of every workload built once per query';

CREATE FUNCTION @extschema@.placement_pair_eligible_from(
    workload_id text, e @extschema@.endpoint, on_date date)
    RETURNS date
    AS 'MODULE_PATHNAME', 'placement_pair_eligible_from'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.placement_pair_eligible_from(text, @extschema@.endpoint, date) IS
    'internal helper of placement_matrix: placement_check(workload_id, e, on_date).eligible_from, from a model of every workload built once per query';

CREATE FUNCTION @extschema@.placement_pair_reasons(
    workload_id text, e @extschema@.endpoint, on_date date)
    RETURNS text[]
    AS 'MODULE_PATHNAME', 'placement_pair_reasons'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.placement_pair_reasons(text, @extschema@.endpoint, date) IS
    'internal helper of placement_matrix: placement_check(workload_id, e, on_date).reasons, from a model of every workload built once per query';

-- placement_matrix is a plain join that PostgreSQL inlines into the calling
-- query (an SQL function, STABLE, no SET clause, one SELECT): no tuplestore
-- holds its rows, and a column the query does not read is not computed.
-- The body is SQL-standard (BEGIN ATOMIC), so it is parsed here, at CREATE
-- EXTENSION, and every table, function and operator in it is bound then: no
-- search_path of a caller can redirect it.  No row order is promised.
-- NULL elements of candidates are skipped; NULL on_date gives no rows.
CREATE FUNCTION @extschema@.placement_matrix(
    on_date date DEFAULT CURRENT_DATE, candidates @extschema@.endpoint[] DEFAULT NULL)
    RETURNS TABLE (workload_id text, endpoint @extschema@.endpoint, verdict text,
                   eligible_from date, reasons text[])
    LANGUAGE sql STABLE PARALLEL SAFE ROWS 100000
BEGIN ATOMIC
    SELECT w.id, c.e,
           @extschema@.placement_pair_verdict(w.id, c.e, on_date),
           @extschema@.placement_pair_eligible_from(w.id, c.e, on_date),
           @extschema@.placement_pair_reasons(w.id, c.e, on_date)
    FROM @extschema@.workload AS w,
         pg_catalog.unnest(COALESCE(candidates,
             ARRAY(SELECT @extschema@.endpoint(r.provider, r.region) FROM @extschema@.region AS r))) AS c(e)
    WHERE c.e IS NOT NULL AND on_date IS NOT NULL;
END;
COMMENT ON FUNCTION @extschema@.placement_matrix(date, @extschema@.endpoint[]) IS
    'placement_check for every workload x candidate endpoint (default: every catalogued provider/region), in no particular order (add ORDER BY); NULL on_date gives no rows, NULL elements of candidates are skipped';

CREATE FUNCTION @extschema@.placement_summary(
    on_date date DEFAULT CURRENT_DATE, candidates @extschema@.endpoint[] DEFAULT NULL)
    RETURNS TABLE (workload_id text, allowed int, conditional int, blocked int, message text)
    AS 'MODULE_PATHNAME', 'placement_summary'
    LANGUAGE C STABLE PARALLEL SAFE ROWS 1000;
COMMENT ON FUNCTION @extschema@.placement_summary(date, @extschema@.endpoint[]) IS
    'one line per workload: how many candidate endpoints are allowed, conditional, blocked, and which clauses hold them back, e.g. "12/300 endpoints allowed; 250 blocked: exclusivity excl-azure (250); 38 conditional: rofr rofr-msft (38)"';

-- revenue_flow: the money that moves between parties (SPEC 4).  Plain SQL,
-- shared by both editions (the C edition and the managed edition in managed/).

CREATE TABLE @extschema@.revenue_flow (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    seller   text NOT NULL,
    buyer    text,
    product  text,
    channel  @extschema@.endpoint NOT NULL,
    amount   numeric NOT NULL,
    currency char(3) NOT NULL,
    period   daterange NOT NULL,
    CONSTRAINT revenue_flow_currency_is_iso_4217
        CHECK (currency OPERATOR(pg_catalog.~) '^[A-Z]{3}$'),
    CONSTRAINT revenue_flow_amount_finite
        CHECK (amount OPERATOR(pg_catalog.<>) ALL ('{NaN,Infinity,-Infinity}'::numeric[])),
    CONSTRAINT revenue_flow_amount_scale
        CHECK (CASE WHEN currency OPERATOR(pg_catalog.~) '^[A-Z]{3}$'
                     AND amount OPERATOR(pg_catalog.<>) ALL ('{NaN,Infinity,-Infinity}'::numeric[])
                    THEN amount OPERATOR(pg_catalog.=)
                         pg_catalog.round(amount, @extschema@.minor_unit(currency))
                    ELSE true END),
    CONSTRAINT revenue_flow_amount_in_range
        CHECK (CASE WHEN currency OPERATOR(pg_catalog.~) '^[A-Z]{3}$'
                     AND amount OPERATOR(pg_catalog.<>) ALL ('{NaN,Infinity,-Infinity}'::numeric[])
                    THEN pg_catalog.abs(amount) OPERATOR(pg_catalog.<)
                         pg_catalog.power(10::numeric, 20 OPERATOR(pg_catalog.-) @extschema@.minor_unit(currency))
                    ELSE true END),
    CONSTRAINT revenue_flow_period_not_empty CHECK (NOT pg_catalog.isempty(period)),
    CONSTRAINT revenue_flow_period_bounded
        CHECK (pg_catalog.isempty(period)
               OR (NOT pg_catalog.lower_inf(period) AND NOT pg_catalog.upper_inf(period)
                   AND pg_catalog.isfinite(pg_catalog.lower(period))
                   AND pg_catalog.isfinite(pg_catalog.upper(period))))
);
CREATE INDEX revenue_flow_seller_idx ON @extschema@.revenue_flow (seller);
CREATE INDEX revenue_flow_buyer_idx ON @extschema@.revenue_flow (buyer);
COMMENT ON TABLE @extschema@.revenue_flow IS
    'money earned by seller from buyer, evenly per day over period (a one-off amount has a one-day period); a model maker''s sales and its purchases of cloud compute are both flows';
COMMENT ON COLUMN @extschema@.revenue_flow.id IS 'flow identifier, generated';
COMMENT ON COLUMN @extschema@.revenue_flow.seller IS 'the party that earns the amount; revenue_share clauses with this grantor apply';
COMMENT ON COLUMN @extschema@.revenue_flow.buyer IS 'the party that pays (NULL when not tracked, e.g. many end customers)';
COMMENT ON COLUMN @extschema@.revenue_flow.product IS 'product sold, matched against clause.products (NULL matches only clauses whose products include *)';
COMMENT ON COLUMN @extschema@.revenue_flow.channel IS 'endpoint through which the revenue is earned; its provider''s owner (provider table) is the channel owner';
COMMENT ON COLUMN @extschema@.revenue_flow.amount IS 'amount earned over the whole period, at most as many decimals as the currency has; negative for refunds and credits';
COMMENT ON COLUMN @extschema@.revenue_flow.currency IS 'ISO 4217 currency code, upper case';
COMMENT ON COLUMN @extschema@.revenue_flow.period IS 'days over which the amount is earned: a non-empty daterange with finite bounds';

COMMENT ON SEQUENCE @extschema@.revenue_flow_id_seq IS 'generates revenue_flow.id';

SELECT pg_catalog.pg_extension_config_dump('@extschema@.revenue_flow', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.revenue_flow_id_seq', '');

GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES
    ON @extschema@.revenue_flow TO @extowner@ WITH GRANT OPTION;
GRANT USAGE, SELECT, UPDATE ON SEQUENCE @extschema@.revenue_flow_id_seq TO @extowner@ WITH GRANT OPTION;


-- revenue: time-sliced revenue reports over revenue_flow (SPEC 5; src/revenue.c)

CREATE TYPE @extschema@.slice_total AS (
    slice_start date,
    slice_end   date,
    label       text,
    currency    char(3),
    gross       numeric,
    share       numeric,
    net         numeric
);
COMMENT ON TYPE @extschema@.slice_total IS
    'one slice of a prorated total, as returned in arrays by prorate_agg, revenue_agg and revenue_split (unnest them to get rows)';
COMMENT ON COLUMN @extschema@.slice_total.slice_start IS 'first day of the slice';
COMMENT ON COLUMN @extschema@.slice_total.slice_end IS 'last day of the slice (inclusive)';
COMMENT ON COLUMN @extschema@.slice_total.label IS 'slice label, e.g. 2026-05, 2026-Q2, FY2027-Q1';
COMMENT ON COLUMN @extschema@.slice_total.currency IS 'currency of the amounts';
COMMENT ON COLUMN @extschema@.slice_total.gross IS 'revenue earned in the slice';
COMMENT ON COLUMN @extschema@.slice_total.share IS 'revenue share owed on it';
COMMENT ON COLUMN @extschema@.slice_total.net IS 'gross - share';

-- The aggregates' shared support functions -------------------------------

CREATE FUNCTION @extschema@.revenue_agg_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'revenue_agg_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.revenue_agg_combine(internal, internal) IS
    'combine function of prorate_agg and revenue_agg: adds two groups'' per-slice sums';
CREATE FUNCTION @extschema@.revenue_agg_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'revenue_agg_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.revenue_agg_serialize(internal) IS
    'serialize function of prorate_agg and revenue_agg (portable bytes: no pointers, no OIDs)';
CREATE FUNCTION @extschema@.revenue_agg_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'revenue_agg_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.revenue_agg_deserialize(bytea, internal) IS
    'deserialize function of prorate_agg and revenue_agg; rejects truncated or inconsistent states';
CREATE FUNCTION @extschema@.revenue_agg_final(internal) RETURNS @extschema@.slice_total[]
    AS 'MODULE_PATHNAME', 'revenue_agg_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.revenue_agg_final(internal) IS
    'final function of prorate_agg and revenue_agg: the per-slice sums as slice_total[] in date order';

-- prorate_agg: the model-free aggregate ------------------------------------

CREATE FUNCTION @extschema@.prorate_agg_trans(internal, numeric, daterange, char(3), text, int,
                                              @extschema@.rate_schedule) RETURNS internal
    AS 'MODULE_PATHNAME', 'prorate_agg_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.prorate_agg_trans(internal, numeric, daterange, char(3), text, int, @extschema@.rate_schedule) IS
    'transition function of prorate_agg: splits one flow exactly and adds its parts to the group''s slices';

CREATE AGGREGATE @extschema@.prorate_agg(amount numeric, period daterange, currency char(3),
                                         grain text, fy_start int, share @extschema@.rate_schedule) (
    SFUNC = @extschema@.prorate_agg_trans,
    STYPE = internal,
    SSPACE = 1024,
    FINALFUNC = @extschema@.revenue_agg_final,
    COMBINEFUNC = @extschema@.revenue_agg_combine,
    SERIALFUNC = @extschema@.revenue_agg_serialize,
    DESERIALFUNC = @extschema@.revenue_agg_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.prorate_agg(numeric, daterange, char(3), text, int, @extschema@.rate_schedule) IS
    'sums the exact proration (as prorate() computes it per flow) of every row of a group into per-slice totals; returns slice_total[] (unnest it); rows with a NULL amount, period, currency, grain or fy_start are skipped, a NULL share means none; one currency, grain and fy_start per group';

-- revenue_agg and revenue_split: the same over the deal model's clauses -------

CREATE FUNCTION @extschema@.revenue_agg_trans(internal, text, text, @extschema@.endpoint, numeric,
                                              char(3), daterange, text, int, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'revenue_agg_trans' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.revenue_agg_trans(internal, text, text, @extschema@.endpoint, numeric, char(3), daterange, text, int, text) IS
    'transition function of revenue_agg: splits one flow with the revenue shares its seller owes under the clause table';

CREATE AGGREGATE @extschema@.revenue_agg(seller text, product text, channel @extschema@.endpoint,
                                         amount numeric, currency char(3), period daterange,
                                         grain text, fy_start int, holder text) (
    SFUNC = @extschema@.revenue_agg_trans,
    STYPE = internal,
    SSPACE = 1024,
    FINALFUNC = @extschema@.revenue_agg_final,
    COMBINEFUNC = @extschema@.revenue_agg_combine,
    SERIALFUNC = @extschema@.revenue_agg_serialize,
    DESERIALFUNC = @extschema@.revenue_agg_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.revenue_agg(text, text, @extschema@.endpoint, numeric, char(3), daterange, text, int, text) IS
    'per-slice totals of flows, share being what each seller owes under its revenue_share clauses (to every holder, or only to holder when it is not NULL), each (flow, holder) rounded once; returns slice_total[]';

CREATE FUNCTION @extschema@.revenue_split(seller text, product text, channel @extschema@.endpoint,
                                          amount numeric, currency char(3), period daterange,
                                          grain text, fy_start int, holder text DEFAULT NULL)
    RETURNS @extschema@.slice_total[]
    AS 'MODULE_PATHNAME', 'revenue_split' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.revenue_split(text, text, @extschema@.endpoint, numeric, char(3), daterange, text, int, text) IS
    'one flow split into slices with the revenue shares its seller owes under the clause table (all holders, or only holder); the parts revenue_agg adds up';

CREATE FUNCTION @extschema@.prorate_within(amount numeric, period daterange, currency char(3), during daterange)
    RETURNS numeric
    AS 'MODULE_PATHNAME', 'prorate_within' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.prorate_within(numeric, daterange, char(3), daterange) IS
    'the part of an amount earned evenly over period that falls on the days inside during: the flow is split exactly at during''s bounds by largest remainder (ties to the earliest part), so the parts before, inside and after sum to the amount';

-- revenue_provider_agg: revenue_agg kept apart per seller, channel provider and currency

CREATE TYPE @extschema@.keyed_slice_total AS (
    kind        int,
    party       text,
    provider    text,
    slice_start date,
    slice_end   date,
    label       text,
    currency    char(3),
    gross       numeric,
    share       numeric,
    net         numeric
);
COMMENT ON TYPE @extschema@.keyed_slice_total IS
    'one slice of a prorated total kept apart by a key the aggregate computes (revenue_provider_agg: kind 0, the flows'' seller and the provider of their channel; exposure_agg: kinds 1 to 4, see there); unnest the arrays to get rows';
COMMENT ON COLUMN @extschema@.keyed_slice_total.kind IS 'what the figures are (revenue_provider_agg: always 0, revenue with its shares; exposure_agg: 1 to 4)';
COMMENT ON COLUMN @extschema@.keyed_slice_total.party IS 'the party the figures were kept apart by (revenue_provider_agg: the seller; exposure_agg: the counterparty, empty for kind 1)';
COMMENT ON COLUMN @extschema@.keyed_slice_total.provider IS 'the provider of the flows'' channel (empty where the figures are not kept apart by it)';
COMMENT ON COLUMN @extschema@.keyed_slice_total.slice_start IS 'first day of the slice';
COMMENT ON COLUMN @extschema@.keyed_slice_total.slice_end IS 'last day of the slice (inclusive)';
COMMENT ON COLUMN @extschema@.keyed_slice_total.label IS 'slice label, e.g. 2026-05, 2026-Q2, FY2027-Q1';
COMMENT ON COLUMN @extschema@.keyed_slice_total.currency IS 'currency of the amounts';
COMMENT ON COLUMN @extschema@.keyed_slice_total.gross IS 'revenue earned in the slice';
COMMENT ON COLUMN @extschema@.keyed_slice_total.share IS 'revenue share owed on it';
COMMENT ON COLUMN @extschema@.keyed_slice_total.net IS 'gross - share';

CREATE FUNCTION @extschema@.keyed_agg_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'keyed_agg_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.keyed_agg_combine(internal, internal) IS
    'combine function of revenue_provider_agg and exposure_agg: adds two states'' per-key, per-slice sums';
CREATE FUNCTION @extschema@.keyed_agg_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'keyed_agg_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.keyed_agg_serialize(internal) IS
    'serialize function of revenue_provider_agg and exposure_agg (portable bytes: no pointers, no OIDs)';
CREATE FUNCTION @extschema@.keyed_agg_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'keyed_agg_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.keyed_agg_deserialize(bytea, internal) IS
    'deserialize function of revenue_provider_agg and exposure_agg; rejects truncated or inconsistent states';
CREATE FUNCTION @extschema@.keyed_agg_final(internal) RETURNS @extschema@.keyed_slice_total[]
    AS 'MODULE_PATHNAME', 'keyed_agg_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.keyed_agg_final(internal) IS
    'final function of revenue_provider_agg and exposure_agg: the per-key, per-slice sums as keyed_slice_total[], key by key in date order';

CREATE FUNCTION @extschema@.revenue_provider_agg_trans(internal, text, text, @extschema@.endpoint, numeric,
                                                       char(3), daterange, text, int, daterange) RETURNS internal
    AS 'MODULE_PATHNAME', 'revenue_provider_agg_trans' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.revenue_provider_agg_trans(internal, text, text, @extschema@.endpoint, numeric, char(3), daterange, text, int, daterange) IS
    'transition function of revenue_provider_agg: splits one flow overlapping the window with every revenue share its seller owes and adds it to the slices of its (seller, channel provider, currency)';

CREATE AGGREGATE @extschema@.revenue_provider_agg(seller text, product text, channel @extschema@.endpoint,
                                                  amount numeric, currency char(3), period daterange,
                                                  grain text, fy_start int, "window" daterange) (
    SFUNC = @extschema@.revenue_provider_agg_trans,
    STYPE = internal,
    SSPACE = 4096,
    FINALFUNC = @extschema@.keyed_agg_final,
    COMBINEFUNC = @extschema@.keyed_agg_combine,
    SERIALFUNC = @extschema@.keyed_agg_serialize,
    DESERIALFUNC = @extschema@.keyed_agg_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.revenue_provider_agg(text, text, @extschema@.endpoint, numeric, char(3), daterange, text, int, daterange) IS
    'revenue_agg (every holder) kept apart per seller, provider of the channel and currency, over the rows whose period overlaps window (NULL: every row); returns keyed_slice_total[] with kind 0; one grain and fy_start per group; what revenue_report is built on';

-- exposure_agg: every figure of exposure() in one pass over the flows -------

CREATE FUNCTION @extschema@.exposure_agg_trans(internal, text, text, text, text, @extschema@.endpoint, numeric,
                                               char(3), daterange, text, int, daterange) RETURNS internal
    AS 'MODULE_PATHNAME', 'exposure_agg_trans' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.exposure_agg_trans(internal, text, text, text, text, @extschema@.endpoint, numeric, char(3), daterange, text, int, daterange) IS
    'transition function of exposure_agg: splits one flow overlapping the window into the exposure figures of party it carries';

CREATE AGGREGATE @extschema@.exposure_agg(party text, seller text, buyer text, product text,
                                          channel @extschema@.endpoint, amount numeric, currency char(3),
                                          period daterange, grain text, fy_start int, "window" daterange) (
    SFUNC = @extschema@.exposure_agg_trans,
    STYPE = internal,
    SSPACE = 4096,
    FINALFUNC = @extschema@.keyed_agg_final,
    COMBINEFUNC = @extschema@.keyed_agg_combine,
    SERIALFUNC = @extschema@.keyed_agg_serialize,
    DESERIALFUNC = @extschema@.keyed_agg_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.exposure_agg(text, text, text, text, @extschema@.endpoint, numeric, char(3), daterange, text, int, daterange) IS
    'what exposure() is built on, over the rows whose period overlaps window (NULL: every row): keyed_slice_total[] with kind 1 = party''s revenue per channel provider (gross), 2 = share party owes per holder (share), 3 = share owed to party per seller (share), 4 = party''s spend per seller (gross); each share rounded once per (flow, holder)';

-- The window a report reads: during widened to whole slices.  Validates the
-- arguments so that a report fails the same way whether or not there are flows.
CREATE FUNCTION @extschema@.report_window(during daterange, grain text, fy_start int)
    RETURNS daterange LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    lo date;
    hi date;
BEGIN
    IF during IS NULL THEN
        RAISE EXCEPTION 'invalid during NULL' USING ERRCODE = '22023',
            DETAIL = 'Argument "during" must be a date range; use ''(,)'' for all time.';
    END IF;
    IF grain IS NULL THEN
        RAISE EXCEPTION 'invalid grain NULL' USING ERRCODE = '22023',
            DETAIL = 'Argument "grain" must be one of day, week, month, quarter, half or year, written in lower case.';
    END IF;
    IF fy_start IS NULL THEN
        RAISE EXCEPTION 'invalid fy_start NULL' USING ERRCODE = '22023',
            DETAIL = 'Argument "fy_start" is the month in which the fiscal year starts, from 1 (January) to 12 (December).';
    END IF;
    PERFORM @extschema@.slice_of(DATE '2000-01-01', grain, fy_start);
    IF isempty(during) THEN
        RAISE EXCEPTION 'invalid during "empty"' USING ERRCODE = '22023',
            DETAIL = 'Argument "during" must contain at least one day.';
    END IF;
    IF NOT lower_inf(during) AND isfinite(lower(during)) THEN
        lo := (@extschema@.slice_of(lower(during), grain, fy_start)).slice_start;
    END IF;
    IF NOT upper_inf(during) AND isfinite(upper(during)) THEN
        hi := (@extschema@.slice_of(upper(during) - 1, grain, fy_start)).slice_end + 1;
    END IF;
    RETURN daterange(lo, hi);
END $$;
COMMENT ON FUNCTION @extschema@.report_window(daterange, text, int) IS
    'during widened to whole slices of grain (the flows a report over during must read); raises 22023 for a NULL or empty during, a bad grain or fy_start';

-- The reports ----------------------------------------------------------------

CREATE FUNCTION @extschema@.revenue_slices(during daterange, grain text DEFAULT 'month', fy_start int DEFAULT 1)
    RETURNS TABLE (flow_id bigint, slice_start date, slice_end date, label text, currency char(3),
                   gross numeric, share numeric, net numeric)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    win daterange := @extschema@.report_window(during, grain, fy_start);
BEGIN
    RETURN QUERY
    SELECT f.id, c.slice_start, c.slice_end, c.label, c.currency, c.gross, c.share, c.net
    FROM @extschema@.revenue_flow f
    CROSS JOIN LATERAL unnest(@extschema@.revenue_split(f.seller, f.product, f.channel, f.amount,
                                                        f.currency, f.period, $2, $3, NULL)) c
    WHERE f.period && win
      AND daterange(c.slice_start, c.slice_end, '[]') && $1
    ORDER BY f.id, c.slice_start;
END $$;
COMMENT ON FUNCTION @extschema@.revenue_slices(daterange, text, int) IS
    'one row per flow and slice overlapping during (slices whole): gross, the revenue share the flow''s seller owes under every revenue_share clause (per holder: exact total rounded once, half to even), net';

-- The whole table is one aggregate: revenue_provider_agg keeps the figures
-- apart per (seller, channel provider, currency) itself and skips the flows
-- outside the window, so the scan has no filter, the executor hashes no key
-- per row and calls no function to find the provider (a GROUP BY seller,
-- provider(channel), currency cost 0.3 us a flow, about the whole floor).
-- The few resulting (seller, provider, currency, slice) cells are joined to
-- the providers' owners and added up per owner (the per-slice figures are
-- exact decimals: adding them is exact).  Memory: cells, never rows.
CREATE FUNCTION @extschema@.revenue_report(during daterange, grain text DEFAULT 'month', fy_start int DEFAULT 1)
    RETURNS TABLE (slice_start date, slice_end date, label text, seller text, channel_owner text,
                   currency char(3), gross numeric, share numeric, net numeric)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    win daterange := @extschema@.report_window(during, grain, fy_start);
BEGIN
    RETURN QUERY
    SELECT c.slice_start, c.slice_end, c.label, c.party, p.owner, c.currency,
           sum(c.gross), sum(c.share), sum(c.net)
    FROM (SELECT @extschema@.revenue_provider_agg(f.seller, f.product, f.channel, f.amount, f.currency,
                                                  f.period, $2, $3, win) AS cells
          FROM @extschema@.revenue_flow f) g
    CROSS JOIN LATERAL unnest(g.cells) c
    LEFT JOIN @extschema@.provider p ON p.provider = c.provider
    WHERE daterange(c.slice_start, c.slice_end, '[]') && $1
    GROUP BY c.slice_start, c.slice_end, c.label, c.party, p.owner, c.currency
    ORDER BY c.slice_start, c.party, p.owner NULLS LAST, c.currency;
END $$;
COMMENT ON FUNCTION @extschema@.revenue_report(daterange, text, int) IS
    'revenue per slice overlapping during (slices whole), seller, channel owner (owner of the channel''s provider, NULL when not catalogued) and currency: gross, revenue share owed, net; equals the grouped sum of revenue_slices exactly';

-- exposure: money to and from each counterparty, concentration by cloud,
-- partner commitments (SPEC 5; built on exposure_agg and prorate_within in src/revenue.c)

CREATE FUNCTION @extschema@.exposure(party text, during daterange, grain text DEFAULT 'quarter', fy_start int DEFAULT 1)
    RETURNS TABLE (slice_start date, slice_end date, label text, counterparty text, currency char(3),
                   revenue_via numeric, share_payable numeric, share_receivable numeric, spend numeric)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    win daterange := @extschema@.report_window(during, grain, fy_start);
BEGIN
    IF party IS NULL THEN
        RAISE EXCEPTION 'invalid party NULL' USING ERRCODE = '22023',
            DETAIL = 'Argument "party" must name a party, e.g. openai.';
    END IF;
    -- One scan reads exactly the flows that involve the party (as seller,
    -- as buyer, or as holder of the seller's revenue_share clauses);
    -- exposure_agg splits each once per figure it carries.
    RETURN QUERY
    WITH cells AS (
        SELECT c.*
        FROM unnest((SELECT @extschema@.exposure_agg($1, f.seller, f.buyer, f.product, f.channel, f.amount,
                                                     f.currency, f.period, $3, $4, win)
                     FROM @extschema@.revenue_flow f
                     WHERE f.seller = $1 OR f.buyer = $1
                        OR f.seller IN (SELECT c.grantor FROM @extschema@.clause c
                                        WHERE c.kind = 'revenue_share' AND c.holder = $1))) c
        WHERE daterange(c.slice_start, c.slice_end, '[]') && $2),
    parts AS (
        -- revenue through a cloud counts for the cloud's owner, never the party itself
        SELECT CASE WHEN c.kind = 1 THEN p.owner ELSE c.party END AS cp, c.*
        FROM cells c LEFT JOIN @extschema@.provider p ON c.kind = 1 AND p.provider = c.provider
        WHERE c.kind <> 1 OR p.owner <> $1)
    SELECT parts.slice_start, parts.slice_end, parts.label, parts.cp, parts.currency,
           coalesce(sum(parts.gross) FILTER (WHERE parts.kind = 1), 0 * min(parts.gross)),
           coalesce(sum(parts.share) FILTER (WHERE parts.kind = 2), 0 * min(parts.gross)),
           coalesce(sum(parts.share) FILTER (WHERE parts.kind = 3), 0 * min(parts.gross)),
           coalesce(sum(parts.gross) FILTER (WHERE parts.kind = 4), 0 * min(parts.gross))
    FROM parts
    GROUP BY parts.slice_start, parts.slice_end, parts.label, parts.cp, parts.currency
    HAVING bool_or(parts.kind IN (1, 4) AND parts.gross <> 0) OR bool_or(parts.kind IN (2, 3) AND parts.share <> 0)
    ORDER BY parts.slice_start, parts.cp, parts.currency;
END $$;
COMMENT ON FUNCTION @extschema@.exposure(text, daterange, text, int) IS
    'per slice overlapping during (slices whole), counterparty and currency: the party''s revenue earned through the counterparty''s clouds, revenue share it owes the counterparty, revenue share the counterparty owes it, and what it spent with the counterparty; a party is never its own counterparty; rows whose four figures are all zero are left out';

CREATE FUNCTION @extschema@.concentration(party text, during daterange)
    RETURNS TABLE (currency char(3), hhi numeric, top_counterparty text, top_share numeric, level text)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
BEGIN
    IF party IS NULL THEN
        RAISE EXCEPTION 'invalid party NULL' USING ERRCODE = '22023',
            DETAIL = 'Argument "party" must name a party, e.g. openai.';
    END IF;
    IF during IS NULL OR isempty(during) THEN
        RAISE EXCEPTION 'invalid during "%"', coalesce(during::text, 'NULL') USING ERRCODE = '22023',
            DETAIL = 'Argument "during" must contain at least one day; use ''(,)'' for all time.';
    END IF;
    RETURN QUERY
    WITH rev AS (
        SELECT f.currency, coalesce(p.owner, @extschema@.provider(f.channel)) AS owner,
               sum(@extschema@.prorate_within(f.amount, f.period, f.currency, $2)) AS amount
        FROM @extschema@.revenue_flow f
        LEFT JOIN @extschema@.provider p ON p.provider = @extschema@.provider(f.channel)
        WHERE f.seller = $1 AND f.period && $2
        GROUP BY 1, 2),
    pos AS (SELECT * FROM rev WHERE rev.amount > 0),
    tot AS (SELECT pos.currency, sum(pos.amount) AS total, sum(pos.amount * pos.amount) AS sq
            FROM pos GROUP BY pos.currency),
    top AS (SELECT DISTINCT ON (pos.currency) pos.currency, pos.owner, pos.amount
            FROM pos ORDER BY pos.currency, pos.amount DESC, pos.owner COLLATE "C")
    SELECT tot.currency,
           round(10000 * tot.sq / (tot.total * tot.total), 2),
           top.owner,
           round(top.amount / tot.total, 4),
           CASE WHEN 10000 * tot.sq > 1800 * tot.total * tot.total THEN 'high'
                WHEN 10000 * tot.sq >= 1000 * tot.total * tot.total THEN 'moderate'
                ELSE 'unconcentrated' END
    FROM tot JOIN top USING (currency)
    ORDER BY tot.currency;
END $$;
COMMENT ON FUNCTION @extschema@.concentration(text, daterange) IS
    'per currency: Herfindahl-Hirschman index (0-10000, rounded to 2 decimals) over the owners of the channels through which party earned revenue on the days inside during (flows prorated exactly at during''s bounds; a provider not in the catalog counts as its own owner; owners with no positive revenue take no part), the largest owner, its share (fraction, 4 decimals) and the level: high above 1800, moderate 1000-1800, unconcentrated below 1000';

CREATE FUNCTION @extschema@.partner_status(party text, on_date date DEFAULT current_date)
    RETURNS TABLE (clause_id text, kind text, holder text, currency char(3), valid daterange,
                   committed numeric, consumed numeric, remaining numeric,
                   days_elapsed int, days_left int, required_daily numeric, actual_daily numeric,
                   partner_share numeric, min_share numeric, below_min_share boolean)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
BEGIN
    IF party IS NULL THEN
        RAISE EXCEPTION 'invalid party NULL' USING ERRCODE = '22023',
            DETAIL = 'Argument "party" must name a party, e.g. openai.';
    END IF;
    IF on_date IS NULL OR NOT isfinite(on_date) THEN
        RAISE EXCEPTION 'invalid on_date "%"', coalesce(on_date::text, 'NULL') USING ERRCODE = '22023',
            DETAIL = 'Argument "on_date" must be a finite date.';
    END IF;
    RETURN QUERY
    WITH cl AS (
        SELECT c.id, c.kind, c.holder, c.currency, c.valid, c.amount, c.min_share,
               c.valid * daterange(NULL, $2 + 1) AS todate,
               CASE WHEN upper_inf(c.valid) THEN NULL
                    ELSE greatest(upper(c.valid) - greatest($2 + 1, lower(c.valid)), 0) END AS left_days
        FROM @extschema@.clause c
        WHERE c.grantor = $1 AND c.kind IN ('commitment', 'primary_partner')),
    elapsed AS (
        SELECT cl.*, CASE WHEN isempty(cl.todate) THEN 0
                          WHEN lower_inf(cl.todate) THEN NULL
                          ELSE upper(cl.todate) - lower(cl.todate) END AS elapsed_days
        FROM cl),
    commitments AS (
        SELECT e.id, e.kind::text, e.holder, e.currency, e.valid, e.amount AS committed,
               coalesce((SELECT sum(@extschema@.prorate_within(f.amount, f.period, f.currency, e.todate))
                         FROM @extschema@.revenue_flow f
                         WHERE f.buyer = $1 AND f.seller = e.holder AND f.currency = e.currency
                           AND f.period && e.todate), 0) AS consumed,
               e.elapsed_days, e.left_days
        FROM elapsed e WHERE e.kind = 'commitment'),
    spend AS (                    -- cloud spend per primary_partner clause and currency
        SELECT e.id, f.currency,
               sum(@extschema@.prorate_within(f.amount, f.period, f.currency, e.todate))
                   FILTER (WHERE f.seller = e.holder) AS with_holder,
               sum(@extschema@.prorate_within(f.amount, f.period, f.currency, e.todate)) AS total
        FROM elapsed e
        JOIN @extschema@.revenue_flow f
          ON f.buyer = $1 AND f.period && e.todate
         AND f.seller IN (SELECT p.owner FROM @extschema@.provider p WHERE p.owner <> $1)
        WHERE e.kind = 'primary_partner'
        GROUP BY e.id, f.currency)
    SELECT m.id, m.kind, m.holder, m.currency, m.valid, m.committed, m.consumed,
           round(greatest(m.committed - m.consumed, 0), @extschema@.minor_unit(m.currency)),
           m.elapsed_days, m.left_days,
           CASE WHEN m.left_days > 0 THEN round(greatest(m.committed - m.consumed, 0) / m.left_days,
                                                @extschema@.minor_unit(m.currency)) END,
           CASE WHEN m.elapsed_days > 0 THEN round(m.consumed / m.elapsed_days,
                                                   @extschema@.minor_unit(m.currency)) END,
           NULL::numeric, NULL::numeric, NULL::boolean
    FROM commitments m
    UNION ALL
    SELECT e.id, e.kind::text, e.holder, s.currency, e.valid, NULL, coalesce(s.with_holder, 0), NULL,
           e.elapsed_days, e.left_days, NULL, NULL,
           CASE WHEN s.total > 0 THEN round(coalesce(s.with_holder, 0) / s.total, 4) END,
           e.min_share,
           CASE WHEN s.total > 0 THEN coalesce(s.with_holder, 0) < e.min_share * s.total END
    FROM elapsed e LEFT JOIN spend s ON s.id = e.id
    WHERE e.kind = 'primary_partner'
    ORDER BY 1, 4;
END $$;
COMMENT ON FUNCTION @extschema@.partner_status(text, date) IS
    'per commitment and primary_partner clause of party (as grantor) on on_date: committed, consumed to date (spend flows prorated exactly up to on_date inclusive), remaining, days elapsed and left, required vs actual daily run-rate; for primary_partner, per currency, the holder''s share of party''s cloud spend to date and whether it is below min_share';
