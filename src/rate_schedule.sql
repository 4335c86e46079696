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
