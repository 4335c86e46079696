SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS dealscope;
RESET client_min_messages;
SET search_path = dealscope, public;
\pset null '<null>'

--
-- Accepted forms and their canonical text: literals, globs, negations,
-- missing segments, white space, case, '' and '*', only negatives,
-- sorting and duplicate removal.
--
SELECT replace(replace(format('%L', input), E'\n', '\n'), E'\t', '\t') AS input,
       input::endpoint_set AS canonical
FROM (VALUES
    ('aws'),
    ('aws/us-east-1'),
    ('aws/us-east-1/bedrock'),
    ('openai/global/api'),
    ('aws/*'),
    ('aws/*/*'),
    ('aws/us-east-1/*'),
    ('*/*/bedrock'),
    ('*/eu-*'),
    ('aws/eu-*/b*'),
    ('a*'),
    ('*'),
    ('*/*'),
    ('*/*/*'),
    ('!aws'),
    ('!aws/us-gov-*'),
    ('!*'),
    ('!aws, !azure/*/*'),
    ('AWS/US-East-1/Bedrock'),
    ('  aws ,' || E'\t' || 'azure  ,gcp  '),
    (E'\n aws \n'),
    (''),
    ('   '),
    ('azure, aws'),
    ('aws, aws/*, AWS, aws/*/*'),
    ('*, *, */*/*'),
    ('!b, a, !a, b'),
    ('aws/eu-west-1, aws/eu-*, aws/eu-, aws, aws/*/bedrock'),
    ('x/a.b, x/a-b, x/a_b, x/a*, x/a, x/a9, x/ab'),
    ('0/1/2'),
    ('*, !*'),
    ('aws, !aws')
) AS v(input);

-- the longest segment (63 characters) and the longest glob (62 + "*")
SELECT length(s::text) AS chars, s::endpoint_set::text = s AS round_trips
FROM (VALUES (repeat('a', 63)), ('x/' || repeat('b', 62) || '*'), ('x/y/' || repeat('9', 63))) AS v(s);

-- canonical text is stable: text -> value -> text -> value is the identity
SELECT count(*) AS sets, count(*) FILTER (WHERE s::text::endpoint_set::text = s::text) AS stable
FROM (VALUES ('aws'::endpoint_set), ('AWS/*/*, !Aws/Us-*'), (''), ('*, *'), ('!x, y/z/w*')) AS v(s);

--
-- Rejected forms: 22P02, the whole input quoted, the detail naming the
-- pattern (position and text) and the segment at fault.
--
SELECT 'aws,,azure'::endpoint_set;
SELECT ','::endpoint_set;
SELECT 'aws, '::endpoint_set;
SELECT ' , aws'::endpoint_set;
SELECT '!'::endpoint_set;
SELECT 'aws, ! '::endpoint_set;
SELECT 'aws/us-east-1/bedrock/x'::endpoint_set;
SELECT '!a/b/c/d/e'::endpoint_set;
SELECT 'aws//bedrock'::endpoint_set;
SELECT 'aws/'::endpoint_set;
SELECT '/us-east-1'::endpoint_set;
SELECT '!/x'::endpoint_set;
SELECT 'aws/us-east-1/'::endpoint_set;
SELECT 'aws/us east'::endpoint_set;
SELECT 'azure, AWS/Us East'::endpoint_set;
SELECT '! aws'::endpoint_set;
SELECT '!!aws'::endpoint_set;
SELECT 'aws;azure'::endpoint_set;
SELECT 'aws/us-$*'::endpoint_set;
SELECT 'aws/u*s'::endpoint_set;
SELECT 'aws/*-east'::endpoint_set;
SELECT '**'::endpoint_set;
SELECT 'aws/us-**'::endpoint_set;
SELECT 'aws/-east'::endpoint_set;
SELECT 'aws/-*'::endpoint_set;
SELECT 'aws/.*'::endpoint_set;
SELECT ('aws/' || repeat('a', 64))::endpoint_set;
SELECT ('aws/' || repeat('a', 63) || '*')::endpoint_set;
-- the SQLSTATE itself
DO $$
BEGIN
    PERFORM 'aws/u*s'::dealscope.endpoint_set;
EXCEPTION WHEN others THEN
    RAISE NOTICE 'SQLSTATE %', SQLSTATE;
END
$$;

--
-- Membership.  A "*" service (written or implied) also matches an endpoint
-- without a service; a literal or glob service does not.  A glob matches
-- its bare prefix too.
--
SELECT s AS set, e AS endpoint, e::endpoint <@ s::endpoint_set AS member,
       s::endpoint_set @> e::endpoint AS contains
FROM (VALUES
    ('aws', 'aws/us-east-1'),
    ('aws', 'aws/us-east-1/bedrock'),
    ('aws', 'azure/eastus'),
    ('aws/us-east-1', 'aws/us-east-1'),
    ('aws/us-east-1', 'aws/us-east-1/bedrock'),
    ('aws/us-east-1/*', 'aws/us-east-1'),
    ('aws/us-east-1/bedrock', 'aws/us-east-1'),
    ('aws/us-east-1/bedrock', 'aws/us-east-1/bedrock'),
    ('aws/us-east-1/b*', 'aws/us-east-1'),
    ('aws/us-east-1/b*', 'aws/us-east-1/b'),
    ('*/*/bedrock', 'aws/us-east-1'),
    ('*/*/bedrock', 'gcp/x/bedrock'),
    ('aws/eu-*', 'aws/eu-'),
    ('aws/eu-*', 'aws/eu-west-1'),
    ('aws/eu-*', 'aws/eu'),
    ('aws/eu-*', 'aws/europe'),
    ('aws/eu-*', 'azure/eu-west'),
    ('a*', 'a/x'),
    ('a*', 'aws/x'),
    ('a*', 'gcp/x'),
    ('aws/us-*, !aws/us-gov-*', 'aws/us-east-1'),
    ('aws/us-*, !aws/us-gov-*', 'aws/us-gov-west-1'),
    ('aws/us-*, !aws/us-gov-*', 'aws/eu-west-1'),
    ('!azure', 'aws/x'),
    ('!azure', 'azure/x'),
    ('!aws/*/bedrock', 'aws/x'),
    ('!aws/*/bedrock', 'aws/x/bedrock'),
    ('!aws/*/bedrock, !gcp', 'gcp/x'),
    ('*', 'openai/global/api'),
    ('', 'openai/global/api'),
    ('*, !*', 'openai/global/api'),
    ('aws, !aws', 'aws/x'),
    ('AWS/US-*', 'aws/us-east-1')
) AS v(s, e);

--
-- Overlap (&&), exact: true when some endpoint belongs to both sets.
--
SELECT a, b, a::endpoint_set && b::endpoint_set AS overlap,
       b::endpoint_set && a::endpoint_set AS commuted
FROM (VALUES
    ('aws', 'aws, !aws/us-*'),
    ('aws/us-east-1', '!aws/us-*'),
    ('aws/us-east-1', '!aws/eu-*'),
    ('aws/us-*', '!aws/us-*'),
    ('aws/us-*', '!aws/us-east-1'),
    ('aws/us-*', 'aws/us-east-*'),
    ('aws/us-*', 'aws/eu-*'),
    ('aws/us-*', 'aws/us-'),
    ('aws/us', 'aws/us-*'),
    ('aws', 'azure'),
    ('aws', '*/*/bedrock'),
    ('aws/x/bedrock', 'aws/x/b*'),
    ('aws/x/bedrock', 'aws/x/c*'),
    ('aws/x', '!aws/x'),
    ('aws/x', '!aws/x/*'),
    ('aws/x', '!aws/x/s*'),
    ('aws/x/s*', '!aws/x/s*'),
    ('aws/x/s*', '!aws/x/s'),
    ('aws/x/s', 'aws/x/s*, !aws/x/s'),
    ('*', '!*/*/*'),
    ('*', '!*/*/s*'),
    ('*/*/s*', '!*/*/s*'),
    ('!aws', '!azure'),
    ('!aws', 'aws'),
    ('!*', '*'),
    ('*', '*'),
    ('', '*'),
    ('', '!aws'),
    ('', ''),
    ('aws, azure', 'azure/eastus, !aws'),
    ('aws/us-*, !aws/us-gov-*', 'aws/us-gov-*'),
    ('aws/us-*, !aws/us-gov-*', 'aws/us-gov*'),
    ('aws/a*, !aws/a', 'aws/a*, !aws/ab*, !aws/ac')
) AS v(a, b);

-- A glob whose every extension is excluded: "a" itself and each of the 39
-- one-character extensions (as globs) are negated, so nothing is left...
SELECT 'x/a*'::endpoint_set &&
       ('!x/a, ' || string_agg(format('!x/a%s*', c), ', '))::endpoint_set AS overlap
FROM regexp_split_to_table('0123456789abcdefghijklmnopqrstuvwxyz-._', '') AS c;
-- ...but leave out one and something remains.
SELECT 'x/a*'::endpoint_set &&
       ('!x/a, ' || string_agg(format('!x/a%s*', c), ', '))::endpoint_set AS overlap
FROM regexp_split_to_table('0123456789abcdefghijklmnopqrstuvwxyz-.', '') AS c;
-- Same with literals: excluding "a" and "a" + any character still leaves
-- longer names such as "a00".
SELECT 'x/a*'::endpoint_set &&
       ('!x/a, ' || string_agg(format('!x/a%s', c), ', '))::endpoint_set AS overlap
FROM regexp_split_to_table('0123456789abcdefghijklmnopqrstuvwxyz-._', '') AS c;
-- Segments stop at 63 characters: a 62-character glob holds the base and
-- its 39 one-character extensions only; exclude them all and nothing is left.
SELECT ('x/' || repeat('a', 62) || '*')::endpoint_set &&
       ('!x/' || repeat('a', 62) || ', ' ||
        string_agg(format('!x/%s%s', repeat('a', 62), c), ', '))::endpoint_set AS overlap
FROM regexp_split_to_table('0123456789abcdefghijklmnopqrstuvwxyz-._', '') AS c;
-- A provider "*" box whose provider must start with a letter or digit: the
-- 36 globs that cover every allowed first character exclude everything.
SELECT '*'::endpoint_set &&
       string_agg(format('!%s*', c), ', ')::endpoint_set AS overlap
FROM regexp_split_to_table('0123456789abcdefghijklmnopqrstuvwxyz', '') AS c;

--
-- NULL in, NULL out (every function is STRICT).
--
SELECT NULL::endpoint_set @> 'aws/x'::endpoint AS contains_null_set,
       'aws'::endpoint_set @> NULL::endpoint AS contains_null_endpoint,
       NULL::endpoint <@ 'aws'::endpoint_set AS contained_null,
       NULL::endpoint_set && 'aws'::endpoint_set AS overlap_null,
       NULL::endpoint_set = 'aws'::endpoint_set AS eq_null,
       endpoint_set_send(NULL) AS send_null;

--
-- Equality is on canonical form (no subsumption), with hashing.
--
SELECT a, b, a::endpoint_set = b::endpoint_set AS eq, a::endpoint_set <> b::endpoint_set AS ne,
       endpoint_set_hash(a::endpoint_set) = endpoint_set_hash(b::endpoint_set) AS same_hash,
       endpoint_set_hash_extended(a::endpoint_set, 42) = endpoint_set_hash_extended(b::endpoint_set, 42) AS same_hash_ext
FROM (VALUES
    ('aws/*/*', 'AWS'),
    ('azure, aws', 'aws,azure'),
    ('aws', 'azure'),
    ('*', '*, aws'),
    ('', ' '),
    ('!aws', 'aws')
) AS v(a, b);

-- DISTINCT and GROUP BY hash on the canonical form
CREATE TEMP TABLE scopes (s endpoint_set);
INSERT INTO scopes VALUES ('aws/*'), ('AWS'), ('aws/*/*'), ('azure, aws'), ('aws,azure'),
    (''), ('  '), ('!gcp'), ('!GCP/*'), (NULL);
SET enable_sort = off;
EXPLAIN (COSTS OFF) SELECT s, count(*) FROM scopes GROUP BY s;
SELECT s, count(*) FROM scopes GROUP BY s ORDER BY s::text NULLS LAST;
SELECT s FROM (SELECT DISTINCT s FROM scopes) d ORDER BY s::text NULLS LAST;
-- a hash join on endpoint_set
EXPLAIN (COSTS OFF) SELECT count(*) FROM scopes a JOIN scopes b ON a.s = b.s;
SELECT count(*) AS matches FROM scopes a JOIN scopes b ON a.s = b.s;
RESET enable_sort;
-- ...and a btree order (pattern by pattern in canonical order; not a subset
-- test), so ORDER BY, count(DISTINCT) and unique indexes work too
SELECT count(DISTINCT s) AS distinct_sets FROM scopes;
SELECT DISTINCT s FROM scopes ORDER BY s;
SELECT s FROM (VALUES ('aws/a'::endpoint_set), ('aws, x'), ('aws'), ('!a'), ('*'), ('aws, !x'), ('a*')) AS v(s)
ORDER BY s;
CREATE TEMP TABLE scope_keys (s endpoint_set PRIMARY KEY);
INSERT INTO scope_keys VALUES ('aws'), ('azure');
INSERT INTO scope_keys VALUES ('AWS/*/*');
SELECT 'aws'::endpoint_set < 'aws/a'::endpoint_set AS lt, 'aws'::endpoint_set <= 'aws'::endpoint_set AS le,
       'b'::endpoint_set > 'a, b'::endpoint_set AS gt, '!a'::endpoint_set >= 'a'::endpoint_set AS ge;

--
-- Binary send/recv: a version byte, then the canonical text.
--
SELECT endpoint_set_send('AWS/*, azure/EU-*, !aws/us-gov-*') AS send_bytes,
       endpoint_set_send('') AS send_empty;
-- binary COPY round trip
CREATE TEMP TABLE bin_out (s endpoint_set);
INSERT INTO bin_out VALUES ('aws, azure/eu-*, !aws/us-gov-*'), (''), ('*'), ('!x'), ('*/*/s*, a/b/c');
\copy bin_out TO 'results/endpoint_set_copy.bin' WITH (FORMAT binary)
CREATE TEMP TABLE bin_in (s endpoint_set);
\copy bin_in FROM 'results/endpoint_set_copy.bin' WITH (FORMAT binary)
SELECT s, s IN (SELECT s FROM bin_out) AS round_trips FROM bin_in ORDER BY s::text;
-- recv validates exactly as input does: send text values (binary text is
-- the raw bytes) and read them back as endpoint_set
CREATE TEMP TABLE bin_raw (t text);
INSERT INTO bin_raw VALUES (E'\x01AWS/*, aws');
\copy bin_raw TO 'results/endpoint_set_raw.bin' WITH (FORMAT binary)
TRUNCATE bin_in;
\copy bin_in FROM 'results/endpoint_set_raw.bin' WITH (FORMAT binary)
SELECT s FROM bin_in;
TRUNCATE bin_raw;
INSERT INTO bin_raw VALUES (E'\x01aws//x');
\copy bin_raw TO 'results/endpoint_set_raw.bin' WITH (FORMAT binary)
\copy bin_in FROM 'results/endpoint_set_raw.bin' WITH (FORMAT binary)
TRUNCATE bin_raw;
INSERT INTO bin_raw VALUES (E'\x02aws');
\copy bin_raw TO 'results/endpoint_set_raw.bin' WITH (FORMAT binary)
\copy bin_in FROM 'results/endpoint_set_raw.bin' WITH (FORMAT binary)
TRUNCATE bin_raw;
INSERT INTO bin_raw VALUES ('');
\copy bin_raw TO 'results/endpoint_set_raw.bin' WITH (FORMAT binary)
\copy bin_in FROM 'results/endpoint_set_raw.bin' WITH (FORMAT binary)

--
-- Catalog hygiene: every endpoint_set function and operator has a comment,
-- every function is IMMUTABLE STRICT PARALLEL SAFE, the hash opclass is valid.
--
SELECT p.oid::regprocedure AS undocumented_or_volatile
FROM pg_proc p
WHERE p.pronamespace = 'dealscope'::regnamespace
  AND (p.proname LIKE 'endpoint_set%' OR p.proname = 'endpoint_contained_by_endpoint_set')
  AND (obj_description(p.oid, 'pg_proc') IS NULL OR p.provolatile <> 'i'
       OR NOT p.proisstrict OR p.proparallel <> 's');
SELECT o.oid::regoperator AS undocumented_operator
FROM pg_operator o
WHERE o.oprnamespace = 'dealscope'::regnamespace
  AND 'dealscope.endpoint_set'::regtype IN (o.oprleft, o.oprright)
  AND obj_description(o.oid, 'pg_operator') IS NULL;
SELECT opcname, amvalidate(oid) FROM pg_opclass
WHERE opcname IN ('endpoint_set_ops', 'endpoint_set_hash_ops') ORDER BY opcname;
