SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS dealscope;
RESET client_min_messages;
SET search_path = dealscope, public;

-- accepted forms: trimmed, lower-cased, canonical output
SELECT 'aws/us-east-1/bedrock'::endpoint;
SELECT 'azure/eastus'::endpoint;
SELECT 'openai/global/api'::endpoint;
SELECT '  AWS/US-East-1/Bedrock  '::endpoint;
SELECT E'\tgcp/europe-west4\n'::endpoint;
SELECT 'a/b/c'::endpoint, '0/9/x'::endpoint;
SELECT 'oci/us.ashburn_1/gen-ai'::endpoint;
-- 63-character segments are the longest allowed
SELECT length(endpoint(repeat('p', 63), repeat('r', 63), repeat('s', 63))::text);

-- rejected forms: 22P02, the input quoted, the segment named
SELECT ''::endpoint;
SELECT '   '::endpoint;
SELECT 'aws'::endpoint;
SELECT 'aws/'::endpoint;
SELECT '/us-east-1'::endpoint;
SELECT 'aws//bedrock'::endpoint;
SELECT 'aws/us-east-1/'::endpoint;
SELECT 'aws/us-east-1/bedrock/extra'::endpoint;
SELECT 'aws/us east 1'::endpoint;
SELECT 'aws/us-east-1/bed*rock'::endpoint;
SELECT 'aws/ü-region'::endpoint;
SELECT 'aws/-east'::endpoint;
SELECT 'aws/.east'::endpoint;
SELECT '_aws/east'::endpoint;
SELECT ('aws/' || repeat('r', 64))::endpoint;
\set VERBOSITY sqlstate
SELECT 'aws'::endpoint;
\set VERBOSITY default

-- accessors and constructor
SELECT provider(e), region(e), service(e), service(e) IS NULL AS whole_region
FROM (VALUES ('aws/us-east-1/bedrock'::endpoint), ('azure/eastus'::endpoint)) v(e);
SELECT endpoint('aws', 'us-east-1', 'bedrock'), endpoint('Azure', 'EastUS');
SELECT endpoint('aws', 'us-east-1', NULL), endpoint(NULL, 'x'), endpoint('aws', NULL, 'x');
SELECT endpoint('aws', 'us/east');
SELECT endpoint('aws', '');
SELECT endpoint('aws', 'us-east-1', '');
SELECT provider(NULL::endpoint), region(NULL::endpoint), service(NULL::endpoint);

-- casts to and from text
SELECT 'AWS/x'::text::endpoint::text, endpoint('a', 'b')::text || '!' AS concat;

-- ordering: provider, region, service bytewise; a missing service first
SELECT e FROM (VALUES ('aws/us-east-1/bedrock'), ('aws/us-east-1'), ('aws-x/a'),
    ('aws/us-east-10'), ('aws/us-east-1/a'), ('azure/eastus'), ('aws/us-east'),
    ('aws/us/z'), ('aws/us-east-1/bedrock-2'), ('a/b')) v(t), LATERAL (SELECT t::endpoint AS e) x
ORDER BY e;
SELECT 'aws/x'::endpoint < 'aws-x/a'::endpoint AS segment_wise,
       'aws/x/a'::endpoint > 'aws/x'::endpoint AS service_after_none,
       'aws/x'::endpoint = 'AWS/X'::endpoint AS eq,
       'aws/x'::endpoint <> 'aws/x/y'::endpoint AS ne,
       'aws/x'::endpoint <= 'aws/x'::endpoint AS le,
       'aws/x'::endpoint >= 'aws/y'::endpoint AS ge;
SELECT endpoint_cmp('aws/a', 'aws/b'), endpoint_cmp('aws/b', 'aws/a'), endpoint_cmp('aws/a', 'aws/a');
SELECT 'aws/x'::endpoint = NULL AS null_eq, NULL::endpoint < 'aws/x' AS null_lt;
SELECT min(e), max(e) FROM (VALUES ('gcp/us-central1'::endpoint), ('aws/us-east-1'), ('azure/eastus')) v(e);

-- hashing agrees with equality; the extended hash depends on the seed
SELECT endpoint_hash('aws/x') = endpoint_hash(' AWS/X ') AS same_hash,
       endpoint_hash_extended('aws/x', 0) = endpoint_hash_extended('AWS/x', 0) AS same_ext,
       endpoint_hash_extended('aws/x', 0) <> endpoint_hash_extended('aws/x', 1) AS seeded;

-- operator classes are valid
SELECT opcname, amvalidate(oid) FROM pg_opclass
WHERE opcnamespace = 'dealscope'::regnamespace AND opcintype = 'endpoint'::regtype ORDER BY 1;

-- a table keyed by endpoint: btree index scans, hash aggregate, hash join
CREATE TABLE ep_test (e endpoint PRIMARY KEY, n int);
INSERT INTO ep_test
SELECT endpoint('p' || (i % 7), 'r' || (i / 7), CASE WHEN i % 3 = 0 THEN NULL ELSE 's' || i END), i
FROM generate_series(1, 2000) i;
ANALYZE ep_test;
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT n FROM ep_test WHERE e = 'p3/r100/s703';
SELECT n FROM ep_test WHERE e = 'p3/r100/s703';
EXPLAIN (COSTS OFF) SELECT count(*) FROM ep_test WHERE e >= 'p3/r100' AND e < 'p3/r101';
SELECT count(*) FROM ep_test WHERE e >= 'p3/r100' AND e < 'p3/r101';
RESET enable_seqscan;
SET enable_sort = off;

EXPLAIN (COSTS OFF) SELECT e, count(*) FROM ep_test GROUP BY e;
SELECT count(*) FROM (SELECT e, count(*) FROM ep_test GROUP BY e) g;
RESET enable_sort;
SET enable_mergejoin = off; SET enable_nestloop = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM ep_test a JOIN ep_test b ON a.e = b.e;
SELECT count(*) FROM ep_test a JOIN ep_test b ON a.e = b.e;
RESET enable_mergejoin; RESET enable_nestloop;
-- a hash index and hash partitioning use the hash opclass
CREATE INDEX ep_test_hash ON ep_test USING hash (e);
SET enable_seqscan = off; SET enable_indexscan = off;
SELECT n FROM ep_test WHERE e = 'p1/r1/s8';
RESET enable_seqscan; RESET enable_indexscan;
CREATE TABLE ep_part (e endpoint, n int) PARTITION BY HASH (e);
CREATE TABLE ep_part_0 PARTITION OF ep_part FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE ep_part_1 PARTITION OF ep_part FOR VALUES WITH (MODULUS 2, REMAINDER 1);
INSERT INTO ep_part SELECT e, n FROM ep_test;
SELECT (SELECT count(*) FROM ep_part_0) > 0 AS p0, (SELECT count(*) FROM ep_part_1) > 0 AS p1,
       (SELECT count(*) FROM ep_part) AS total;
SELECT count(*) AS partitions_agree FROM ep_part p JOIN ep_test t USING (e) WHERE p.n = t.n;

-- binary COPY round trip
COPY (SELECT e, n FROM ep_test ORDER BY n) TO '/tmp/dealscope_endpoint.bin' WITH (FORMAT binary);
CREATE TABLE ep_copy (e endpoint, n int);
COPY ep_copy FROM '/tmp/dealscope_endpoint.bin' WITH (FORMAT binary);
SELECT count(*) AS rows, count(*) FILTER (WHERE c.e = t.e AND c.e::text = t.e::text) AS identical
FROM ep_copy c JOIN ep_test t USING (n);
SELECT endpoint_send('aws/us-east-1/bedrock');

DROP TABLE ep_test, ep_part, ep_copy;
