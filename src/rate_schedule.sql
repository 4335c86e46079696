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

-- Casts from text and varchar AS ASSIGNMENT: a text or varchar value (a
-- driver's string parameter: pgJDBC's setString sends varchar, psycopg's
-- binary str sends text) is accepted by INSERT and UPDATE of a rate_schedule
-- column, e.g. INSERT ... VALUES ($1) with $1 text '20%'.  Not
-- implicit, so no operator or function call turns text into rate_schedule
-- behind the user's back (comparing text with text stays text).  The casts to
-- text exist already (every type's output is an assignment cast to text).
CREATE CAST (text AS @extschema@.rate_schedule) WITH INOUT AS ASSIGNMENT;
CREATE CAST (varchar AS @extschema@.rate_schedule) WITH INOUT AS ASSIGNMENT;
COMMENT ON CAST (text AS @extschema@.rate_schedule) IS
    'text to rate_schedule through its input function; in assignments (INSERT, UPDATE) and explicit casts';
COMMENT ON CAST (varchar AS @extschema@.rate_schedule) IS
    'varchar to rate_schedule through its input function; in assignments (INSERT, UPDATE) and explicit casts';

-- A btree order, so that ORDER BY, DISTINCT, GROUP BY by sorting, merge
-- joins, min/max over a sort and btree indexes work (BI tools sort on every
-- column).  The order is that of the canonical text compared bytewise:
-- the managed edition's rate_schedule is that text in collation "C", so
-- both editions sort alike.  It is not an order of rates ('5%' sorts after
-- '20%'); ORDER BY rate_at(s, day) sorts by the rate on a day.
CREATE FUNCTION @extschema@.rate_schedule_cmp(@extschema@.rate_schedule, @extschema@.rate_schedule) RETURNS int
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.rate_schedule_lt(@extschema@.rate_schedule, @extschema@.rate_schedule) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.rate_schedule_le(@extschema@.rate_schedule, @extschema@.rate_schedule) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.rate_schedule_gt(@extschema@.rate_schedule, @extschema@.rate_schedule) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.rate_schedule_ge(@extschema@.rate_schedule, @extschema@.rate_schedule) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.rate_schedule_cmp(@extschema@.rate_schedule, @extschema@.rate_schedule) IS
    'btree support: compares rate_schedules as their canonical texts compare bytewise';
COMMENT ON FUNCTION @extschema@.rate_schedule_lt(@extschema@.rate_schedule, @extschema@.rate_schedule) IS 'implementation of < for rate_schedule';
COMMENT ON FUNCTION @extschema@.rate_schedule_le(@extschema@.rate_schedule, @extschema@.rate_schedule) IS 'implementation of <= for rate_schedule';
COMMENT ON FUNCTION @extschema@.rate_schedule_gt(@extschema@.rate_schedule, @extschema@.rate_schedule) IS 'implementation of > for rate_schedule';
COMMENT ON FUNCTION @extschema@.rate_schedule_ge(@extschema@.rate_schedule, @extschema@.rate_schedule) IS 'implementation of >= for rate_schedule';

CREATE OPERATOR @extschema@.< (
    LEFTARG = @extschema@.rate_schedule, RIGHTARG = @extschema@.rate_schedule,
    FUNCTION = @extschema@.rate_schedule_lt,
    COMMUTATOR = OPERATOR(@extschema@.>), NEGATOR = OPERATOR(@extschema@.>=),
    RESTRICT = pg_catalog.scalarltsel, JOIN = pg_catalog.scalarltjoinsel
);
CREATE OPERATOR @extschema@.<= (
    LEFTARG = @extschema@.rate_schedule, RIGHTARG = @extschema@.rate_schedule,
    FUNCTION = @extschema@.rate_schedule_le,
    COMMUTATOR = OPERATOR(@extschema@.>=), NEGATOR = OPERATOR(@extschema@.>),
    RESTRICT = pg_catalog.scalarlesel, JOIN = pg_catalog.scalarlejoinsel
);
CREATE OPERATOR @extschema@.> (
    LEFTARG = @extschema@.rate_schedule, RIGHTARG = @extschema@.rate_schedule,
    FUNCTION = @extschema@.rate_schedule_gt,
    COMMUTATOR = OPERATOR(@extschema@.<), NEGATOR = OPERATOR(@extschema@.<=),
    RESTRICT = pg_catalog.scalargtsel, JOIN = pg_catalog.scalargtjoinsel
);
CREATE OPERATOR @extschema@.>= (
    LEFTARG = @extschema@.rate_schedule, RIGHTARG = @extschema@.rate_schedule,
    FUNCTION = @extschema@.rate_schedule_ge,
    COMMUTATOR = OPERATOR(@extschema@.<=), NEGATOR = OPERATOR(@extschema@.<),
    RESTRICT = pg_catalog.scalargesel, JOIN = pg_catalog.scalargejoinsel
);
COMMENT ON OPERATOR @extschema@.< (@extschema@.rate_schedule, @extschema@.rate_schedule) IS 'sorts before (canonical text, bytewise; not a comparison of rates)';
COMMENT ON OPERATOR @extschema@.<= (@extschema@.rate_schedule, @extschema@.rate_schedule) IS 'sorts before or equal (canonical text, bytewise; not a comparison of rates)';
COMMENT ON OPERATOR @extschema@.> (@extschema@.rate_schedule, @extschema@.rate_schedule) IS 'sorts after (canonical text, bytewise; not a comparison of rates)';
COMMENT ON OPERATOR @extschema@.>= (@extschema@.rate_schedule, @extschema@.rate_schedule) IS 'sorts after or equal (canonical text, bytewise; not a comparison of rates)';

CREATE OPERATOR CLASS @extschema@.rate_schedule_ops
    DEFAULT FOR TYPE @extschema@.rate_schedule USING btree AS
        OPERATOR 1 @extschema@.< ,
        OPERATOR 2 @extschema@.<= ,
        OPERATOR 3 @extschema@.= ,
        OPERATOR 4 @extschema@.>= ,
        OPERATOR 5 @extschema@.> ,
        FUNCTION 1 @extschema@.rate_schedule_cmp(@extschema@.rate_schedule, @extschema@.rate_schedule);
COMMENT ON OPERATOR CLASS @extschema@.rate_schedule_ops USING btree IS
    'total order on rate_schedule: its canonical text, bytewise (as the managed edition sorts it), for ORDER BY, DISTINCT, GROUP BY and btree indexes';
COMMENT ON OPERATOR FAMILY @extschema@.rate_schedule_ops USING btree IS 'sort order of rate_schedule (canonical text, bytewise; not an order of rates)';
