-- The aggregates' deserialize functions read bytes that travel between
-- processes and servers (parallel workers, Citus workers): they reject
-- whatever the serialize functions cannot have written, with 22P03, never a
-- wrong figure, a garbled numeric or text that is not text.
--
-- SQL cannot pass an internal argument, so the bytes are fed to the
-- deserialize functions through a throwaway aggregate whose final function
-- is the deserialize function's C symbol (it runs in an aggregate context,
-- as deserialize does).  It returns void: a state it accepts is not used.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS dealscope;
RESET client_min_messages;
SET search_path = dealscope, public;
SET datestyle = ISO, YMD;
CREATE SCHEMA forge;
CREATE FUNCTION forge.keep(bytea, bytea) RETURNS bytea LANGUAGE sql IMMUTABLE AS 'SELECT $2';
DO $$
DECLARE
    lib text := (SELECT probin FROM pg_proc WHERE oid = 'dealscope.revenue_agg_deserialize(bytea, internal)'::regprocedure);
BEGIN
    EXECUTE format('CREATE FUNCTION forge.revenue_state(bytea, bytea) RETURNS void LANGUAGE C AS %L, %L', lib, 'revenue_agg_deserialize');
    EXECUTE format('CREATE FUNCTION forge.keyed_state(bytea, bytea) RETURNS void LANGUAGE C AS %L, %L', lib, 'keyed_agg_deserialize');
END $$;
CREATE AGGREGATE forge.read_revenue_state(bytea) (SFUNC = forge.keep, STYPE = bytea,
                                                  FINALFUNC = forge.revenue_state, FINALFUNC_EXTRA);
CREATE AGGREGATE forge.read_keyed_state(bytea) (SFUNC = forge.keep, STYPE = bytea,
                                                FINALFUNC = forge.keyed_state, FINALFUNC_EXTRA);

-- bytes as the serialize functions write them (network byte order)
CREATE FUNCTION forge.int128(hi bigint, lo bigint) RETURNS bytea LANGUAGE sql IMMUTABLE
    AS 'SELECT int8send(hi) || int8send(lo)';
-- one slice: the month of 2026-01, one flow, gross and share as int128
CREATE FUNCTION forge.slice(gross bytea, share bytea) RETURNS bytea LANGUAGE sql IMMUTABLE
    AS $$SELECT int4send(DATE '2026-01-01' - DATE '2000-01-01') || int4send(DATE '2026-01-31' - DATE '2000-01-01')
                || int8send(1) || gross || share$$;
-- a revenue_agg state: magic DSR1, grain month (2), fy_start 1, USD, one slice
CREATE FUNCTION forge.revenue(gross bytea, share bytea) RETURNS bytea LANGUAGE sql IMMUTABLE
    AS $$SELECT '\x44535231'::bytea || '\x0201'::bytea || convert_to('USD', 'UTF8') || int4send(1)
                || forge.slice(gross, share)$$;
-- a keyed state (revenue_provider_agg, exposure_agg): magic DSK2, month,
-- fy_start 1, one bucket (kind, party bytes, provider bytes, USD, one slice)
CREATE FUNCTION forge.keyed(kind int, party bytea, provider bytea) RETURNS bytea LANGUAGE sql IMMUTABLE
    AS $$SELECT '\x44534b32'::bytea || '\x0201'::bytea || int4send(1)
                || int2send(kind::int2) || int4send(length(party)) || party || int4send(length(provider)) || provider
                || convert_to('USD', 'UTF8') || int4send(1) || forge.slice(forge.int128(0, 100), forge.int128(0, 20))$$;

-- SQLSTATE, message and detail of an error
CREATE FUNCTION forge.try_revenue(b bytea) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    detail text;
BEGIN
    PERFORM forge.read_revenue_state(b);
    RETURN 'accepted';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
    RETURN SQLSTATE || ': ' || SQLERRM || ' -- ' || detail;
END $$;
CREATE FUNCTION forge.try_keyed(b bytea) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    detail text;
BEGIN
    PERFORM forge.read_keyed_state(b);
    RETURN 'accepted';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
    RETURN SQLSTATE || ': ' || SQLERRM || ' -- ' || detail;
END $$;

-- The sums of a slice: the serialize functions never write a value beyond
-- +-(2^126 - 1) minor units (a real total stays far below: one flow is below
-- 10^20), so that net = gross - share fits and every value can be negated.
-- INT128_MIN used to come out as the numeric syntax error
-- 'invalid input syntax for type numeric: "--170141183460469231731687303715884105728"'.
SELECT x.what, forge.try_revenue(x.b) AS result
FROM (VALUES
    ('gross 100, share 20', forge.revenue(forge.int128(0, 100), forge.int128(0, 20))),
    ('gross -100 (a refund)', forge.revenue(forge.int128(-1, -100), forge.int128(0, 0))),
    ('gross 2^126 - 1', forge.revenue(forge.int128(4611686018427387903, -1), forge.int128(0, 0))),
    ('gross -(2^126 - 1)', forge.revenue(forge.int128(-4611686018427387904, 1), forge.int128(0, 0))),
    ('gross 2^126', forge.revenue(forge.int128(4611686018427387904, 0), forge.int128(0, 0))),
    ('gross -2^126', forge.revenue(forge.int128(-4611686018427387904, 0), forge.int128(0, 0))),
    ('gross INT128_MIN', forge.revenue(forge.int128(-9223372036854775808, 0), forge.int128(0, 0))),
    ('gross INT128_MAX', forge.revenue(forge.int128(9223372036854775807, -1), forge.int128(0, 0))),
    ('share INT128_MIN', forge.revenue(forge.int128(0, 100), forge.int128(-9223372036854775808, 0))),
    ('truncated', substr(forge.revenue(forge.int128(0, 100), forge.int128(0, 20)), 1, 30)),
    ('trailing byte', forge.revenue(forge.int128(0, 100), forge.int128(0, 20)) || '\x00'::bytea)
) AS x(what, b);

-- Text in a keyed state's key: party names and providers are turned into
-- text as they are, so bytes that are not text are refused (NUL, invalid
-- UTF-8), and the key must be one the aggregates make (kind 0 and 1 carry
-- an endpoint provider, kind 1 no party, kinds 2 to 5 no provider).
SELECT x.what, forge.try_keyed(x.b) AS result
FROM (VALUES
    ('kind 0 seller openai, provider azure', forge.keyed(0, convert_to('openai', 'UTF8'), convert_to('azure', 'UTF8'))),
    ('kind 2 holder "müller ag"', forge.keyed(2, convert_to('müller ag', 'UTF8'), ''::bytea)),
    ('kind 5 holder openai', forge.keyed(5, convert_to('openai', 'UTF8'), ''::bytea)),
    ('kind 1, no party', forge.keyed(1, ''::bytea, convert_to('aws', 'UTF8'))),
    ('party with a NUL byte', forge.keyed(0, '\x6f70656e00616921'::bytea, convert_to('azure', 'UTF8'))),
    ('party with invalid UTF-8', forge.keyed(3, '\x6f70c328'::bytea, ''::bytea)),
    ('party truncated mid-character', forge.keyed(4, '\x6dc3'::bytea, ''::bytea)),
    ('provider with a NUL byte', forge.keyed(0, convert_to('openai', 'UTF8'), '\x617a00'::bytea)),
    ('provider not an endpoint provider', forge.keyed(0, convert_to('openai', 'UTF8'), convert_to('Azure Cloud', 'UTF8'))),
    ('kind 0 without a provider', forge.keyed(0, convert_to('openai', 'UTF8'), ''::bytea)),
    ('kind 1 with a party', forge.keyed(1, convert_to('openai', 'UTF8'), convert_to('aws', 'UTF8'))),
    ('kind 2 with a provider', forge.keyed(2, convert_to('microsoft', 'UTF8'), convert_to('aws', 'UTF8'))),
    ('kind 5 with a provider', forge.keyed(5, convert_to('openai', 'UTF8'), convert_to('aws', 'UTF8'))),
    ('kind 6', forge.keyed(6, convert_to('openai', 'UTF8'), ''::bytea))
) AS x(what, b);

SET client_min_messages = warning;
DROP SCHEMA forge CASCADE;
