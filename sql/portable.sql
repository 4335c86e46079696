SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS dealscope;
RESET client_min_messages;
SET search_path = dealscope, public;

-- The constructors shared in name with the managed edition: the same as a cast.
SELECT endpoint('  AWS/US-East-1/Bedrock '), endpoint('azure/eastus');
SELECT endpoint_set(' AWS/eu-* , !aws/eu-south-*, azure '), endpoint_set(''), endpoint_set('*');
SELECT rate_schedule('20%'), rate_schedule('{[2019-07-22,2026-04-28) 20%, [2026-04-28,2027-04-28) 20%->0%}');
SELECT pg_typeof(endpoint('aws/x')), pg_typeof(endpoint_set('aws')), pg_typeof(rate_schedule('0.2'));
-- NULL in, NULL out
SELECT endpoint(NULL::text) IS NULL AS e, endpoint_set(NULL) IS NULL AS s, rate_schedule(NULL) IS NULL AS r;
-- bad input: the cast's own error (22P02, input quoted)
\set VERBOSITY default
SELECT endpoint('aws//x');
SELECT endpoint('a/b/c/d');
SELECT endpoint_set('aws/**');
SELECT rate_schedule('120%');
SELECT rate_schedule('{[2026-01-01,2025-01-01) 1%}');

-- to_endpoint, to_endpoint_set, to_rate_schedule: the same, under names
-- that a literal argument cannot turn into a cast (in the managed edition
-- endpoint('AWS/x') with a bare literal is a cast, which rejects it)
SELECT to_endpoint(' AWS/US-East-1 '), to_endpoint_set('azure, AWS/eu-*'), to_rate_schedule('0.2');
SELECT to_endpoint(NULL) IS NULL AS e, to_endpoint_set(NULL) IS NULL AS s, to_rate_schedule(NULL) IS NULL AS r;
SELECT to_endpoint('aws/x/y/z');
SELECT to_endpoint_set('aws/eu-*-x');
SELECT to_rate_schedule('20%->0%');

-- endpoint_sort_key sorts as endpoints do, a missing service first; the
-- text of the endpoints sorts differently ('-' and '.' before '/').
SELECT e, endpoint_sort_key(e)
FROM unnest('{aws/us-east-1/x,aws-b/a,aws/us-east-1,aws/us-east-1a,aws/us-east-1.b,a/b}'::endpoint[]) e
ORDER BY endpoint_sort_key(e);
SELECT array_agg(e ORDER BY e) = array_agg(e ORDER BY endpoint_sort_key(e)) AS same_order
FROM (SELECT endpoint(provider, region, s) AS e
      FROM region, unnest(ARRAY[NULL, 'api', 'a-b', 'a.b', 'z']) s) x;
SELECT endpoint_sort_key(NULL) IS NULL AS null_key;

-- Everyone may use the schema (the deal tables stay private: no grants on them).
SELECT has_schema_privilege('public', 'dealscope', 'USAGE') AS public_usage;
SELECT has_table_privilege('public', 'dealscope.clause', 'SELECT') AS public_reads_clause;
