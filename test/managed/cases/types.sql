-- Differential cases of the three types: endpoint, endpoint_set,
-- rate_schedule.  Runs after _prelude.sql; uses only the public API,
-- qualified dealscope.  Every generator is seeded, so both editions see the
-- same inputs.
--
-- Constructors are called with a text argument (x::text): with a bare
-- literal, PostgreSQL reads dealscope.endpoint('...') as a cast (the
-- "typename('literal')" rule), which in the managed edition accepts only
-- canonical text.  Casts are applied to canonical literals only.

\pset format unaligned

-- Like t.try, with the DETAIL and HINT of an error (the texts users see).
CREATE FUNCTION t.tryd(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text; st text; m text; d text; h text;
BEGIN
    EXECUTE 'SELECT (' || q || ')::text' INTO r;
    RETURN coalesce(r, 'NULL');
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, m = MESSAGE_TEXT,
                            d = PG_EXCEPTION_DETAIL, h = PG_EXCEPTION_HINT;
    RETURN 'ERROR ' || st || ': ' || m || coalesce(' | ' || nullif(d, ''), '') || coalesce(' | HINT ' || nullif(h, ''), '');
END $$;

-- A printable form of an input (tabs and newlines visible).
CREATE FUNCTION t.show(x text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT replace(replace(replace(quote_nullable(x), E'\n', '\n'), E'\t', '\t'), E'\r', '\r')
$$;

-- One element of an array, chosen at random.
CREATE FUNCTION t.pick(a text[]) RETURNS text LANGUAGE sql VOLATILE AS $$
    SELECT a[1 + floor(random() * cardinality(a))::int]
$$;

-- count and md5 of a query's rows (in the query's order)
CREATE FUNCTION t.digest(q text) RETURNS text LANGUAGE sql AS $$
    SELECT count(*) || ' ' || coalesce(md5(string_agg(r, E'\n' ORDER BY n)), '-')
    FROM t.rows(q) WITH ORDINALITY AS x(r, n)
$$;

SELECT setseed(0.2026);

------------------------------------------------------------------------------
-- endpoint: hand cases (sql/endpoint.sql) and boundaries
------------------------------------------------------------------------------
CREATE TABLE t.ep_hand (n serial, x text);
INSERT INTO t.ep_hand (x) VALUES
    ('aws/us-east-1/bedrock'), ('azure/eastus'), ('openai/global/api'),
    ('  AWS/US-East-1/Bedrock  '), (E'\tgcp/europe-west4\n'), ('a/b/c'), ('0/9/x'),
    ('oci/us.ashburn_1/gen-ai'), (''), ('   '), ('aws'), ('aws/'), ('/us-east-1'),
    ('aws//bedrock'), ('aws/us-east-1/'), ('aws/us-east-1/bedrock/extra'),
    ('aws/us east 1'), ('aws/us-east-1/bed*rock'), ('aws/ü-region'), ('aws/-east'),
    ('aws/.east'), ('_aws/east'), ('aws/' || repeat('r', 64)), ('aws/' || repeat('r', 63)),
    (repeat('p', 62) || '/' || repeat('r', 62) || '/' || repeat('s', 62)),
    (repeat('p', 63) || '/' || repeat('r', 63) || '/' || repeat('s', 63)),
    (repeat('p', 64) || '/r'), ('p/' || repeat('é', 32)), ('p/' || repeat('é', 31)),
    ('AWS/x'), ('aws/x'), ('a/b/c/d'), ('a/B@/c/d'), ('/'), ('//'), ('///'), ('a/b/'),
    (E'\x0baws/x\x0c'), (E'\raws/x'), ('aws /x'), ('aws/ x'), ('aws/x/ y'), ('A/B/C'),
    ('aws/!x'), ('aws/x,y'), ('aws/x*'), ('*/x'), ('9/9/9'), ('-a/b'), ('a/b/_c'),
    ('a/b/c.'), ('a-/b_'), ('ÄWS/x'), ('aws/€'), ('aws/us-east-1 /bedrock'),
    (E'aws/us\teast'), ('aws/x/😀'), ('x/y/z' || repeat('0', 60));
SELECT n, t.show(x), t.tryd('dealscope.endpoint(' || quote_literal(x) || '::text)')
FROM t.ep_hand ORDER BY n;
SELECT t.tryd('dealscope.endpoint(NULL::text)'), t.tryd('NULL::dealscope.endpoint');

-- the three-argument constructor
SELECT n, t.tryd(q) FROM unnest(ARRAY[
    $$dealscope.endpoint('aws', 'us-east-1', 'bedrock')$$,
    $$dealscope.endpoint('Azure', 'EastUS')$$,
    $$dealscope.endpoint('aws', 'us-east-1', NULL)$$,
    $$dealscope.endpoint(NULL, 'x')$$,
    $$dealscope.endpoint('aws', NULL, 'x')$$,
    $$dealscope.endpoint(NULL, NULL, NULL)$$,
    $$dealscope.endpoint('aws', 'us/east')$$,
    $$dealscope.endpoint('a/b', 'us/east')$$,
    $$dealscope.endpoint('aws', 'x', 's/t')$$,
    $$dealscope.endpoint('aws', '')$$,
    $$dealscope.endpoint('', '')$$,
    $$dealscope.endpoint('aws', 'us-east-1', '')$$,
    $$dealscope.endpoint(' aws', 'x ')$$,
    $$dealscope.endpoint('aws ', ' x', ' s ')$$,
    $$dealscope.endpoint('aws', 'x y')$$,
    $$dealscope.endpoint(repeat('p', 63), repeat('r', 63), repeat('s', 63))$$,
    $$dealscope.endpoint(repeat('p', 64), 'r')$$,
    $$dealscope.endpoint('p', 'r', repeat('s', 64))$$,
    $$dealscope.endpoint('P', 'R', 'S')$$,
    $$dealscope.endpoint('-p', 'r')$$,
    $$dealscope.endpoint('p', 'r', '*')$$,
    $$dealscope.endpoint(provider => 'aws', region => 'x')$$,
    $$dealscope.endpoint(region => 'x', provider => 'aws', service => 'y')$$]) WITH ORDINALITY AS u(q, n)
ORDER BY n;

------------------------------------------------------------------------------
-- endpoint: 2500 generated inputs (segments of random length and alphabet,
-- 1 to 4 of them, case, white space, bad characters, 62/63/64 characters)
------------------------------------------------------------------------------
CREATE TABLE t.ep_gen AS
SELECT n, x FROM (
    SELECT n,
           t.pick(ARRAY['', '', '', '', ' ', E'\t', E'\n ', '  '])
           || array_to_string(ARRAY(
                  SELECT CASE WHEN random() < 0.03 THEN ''
                              ELSE t.pick(ARRAY['a','b','z','0','9','aws','us-east-1','x','A','Z','gcp','e']) ||
                                   CASE WHEN random() < 0.1 THEN repeat(t.pick(ARRAY['a','-','0']), t.pick(ARRAY['58','59','60','61','62','63'])::int)
                                        ELSE '' END ||
                                   CASE WHEN random() < 0.15 THEN t.pick(ARRAY['-','.','_','*',' ','!','ü','$','@','-1','.x','_y','Q',',','%'])
                                        ELSE '' END ||
                                   CASE WHEN random() < 0.3 THEN t.pick(ARRAY['west','-2','1','.b','_c','bedrock','East']) ELSE '' END
                              END
                  FROM generate_series(1, k) g WHERE g > 0 * n), '/')
           || t.pick(ARRAY['', '', '', '', ' ', E'\n', '/', '  ']) AS x
    FROM generate_series(1, 2500) n,
         LATERAL (SELECT t.pick(ARRAY['1','2','2','2','3','3','3','4']::text[])::int + 0 * n AS k) kk
) g;
SELECT n, t.show(x), t.tryd('dealscope.endpoint(' || quote_literal(x) || '::text)')
FROM t.ep_gen ORDER BY n;

-- every accepted endpoint: canonical cast round trip, accessors
CREATE TABLE t.ep_ok AS
SELECT n, dealscope.endpoint(x::text)::text AS e
FROM (SELECT n, x FROM t.ep_hand UNION ALL SELECT 1000 + n, x FROM t.ep_gen) a
WHERE t.try('dealscope.endpoint(' || quote_literal(x) || '::text)') NOT LIKE 'ERROR%';
SELECT count(*) AS accepted, count(DISTINCT e) AS distinct_endpoints FROM t.ep_ok;
SELECT n, e, t.try(quote_literal(e) || '::dealscope.endpoint'),
       t.try('dealscope.provider(' || quote_literal(e) || '::dealscope.endpoint)') AS provider,
       t.try('dealscope.region(' || quote_literal(e) || '::dealscope.endpoint)') AS region,
       t.try('dealscope.service(' || quote_literal(e) || '::dealscope.endpoint)') AS service
FROM t.ep_ok ORDER BY n;
SELECT t.try('dealscope.provider(NULL::dealscope.endpoint)'), t.try('dealscope.region(NULL::dealscope.endpoint)'),
       t.try('dealscope.service(NULL::dealscope.endpoint)'), t.try('dealscope.endpoint_sort_key(NULL::dealscope.endpoint)');

-- order: endpoint_sort_key, min and max (C's order) and equality
SELECT t.digest($$SELECT e FROM (SELECT DISTINCT e::dealscope.endpoint AS e FROM t.ep_ok) d
                  ORDER BY dealscope.endpoint_sort_key(e)$$);
SELECT x FROM t.rows($$SELECT e FROM (SELECT DISTINCT e::dealscope.endpoint AS e FROM t.ep_ok) d
                       ORDER BY dealscope.endpoint_sort_key(e) LIMIT 60$$) x;
SELECT x FROM t.rows($$SELECT array_agg(e ORDER BY dealscope.endpoint_sort_key(e))
                       FROM (VALUES ('aws/us-east-1/bedrock'), ('aws/us-east-1'), ('aws-x/a'),
                                    ('aws/us-east-10'), ('aws/us-east-1/a'), ('azure/eastus'), ('aws/us-east'),
                                    ('aws/us/z'), ('aws/us-east-1/bedrock-2'), ('a/b')) v(t),
                            LATERAL (SELECT dealscope.endpoint(t) AS e) x$$) x;
SELECT x FROM t.rows($$SELECT n % 7, dealscope.min(e::dealscope.endpoint), dealscope.max(e::dealscope.endpoint), count(*)
                       FROM t.ep_ok GROUP BY n % 7 ORDER BY 1$$) x;
SELECT x FROM t.rows($$SELECT dealscope.min(e), dealscope.max(e)
                       FROM (VALUES ('gcp/us-central1'::dealscope.endpoint), ('aws/us-east-1'), ('azure/eastus'),
                                    ('aws-x/a'), ('aws/x'), (NULL)) v(e)$$) x;
SELECT x FROM t.rows($$SELECT dealscope.min(e), dealscope.max(e) FROM (SELECT NULL::dealscope.endpoint AS e) v$$) x;
-- = and <> as users write them, with the extension's schema on the search_path
-- (written so that the managed run's s/dealscope\./dsm./ renames it too)
SELECT set_config('search_path', split_part('dealscope.x', '.', 1) || ', pg_catalog', false) IS NOT NULL AS search_path_set;
SELECT t.digest($$SELECT a.e, b.e, a.e::dealscope.endpoint = b.e::dealscope.endpoint,
                         a.e::dealscope.endpoint <> b.e::dealscope.endpoint,
                         dealscope.endpoint_sort_key(a.e::dealscope.endpoint) < dealscope.endpoint_sort_key(b.e::dealscope.endpoint)
                  FROM t.ep_ok a JOIN t.ep_ok b ON b.n % 97 = a.n % 97 ORDER BY a.n, b.n$$);
SELECT count(*) AS equal_pairs FROM t.ep_ok a JOIN t.ep_ok b ON a.e::dealscope.endpoint = b.e::dealscope.endpoint;
RESET search_path;

------------------------------------------------------------------------------
-- endpoint_set: hand cases (sql/endpoint_set.sql)
------------------------------------------------------------------------------
CREATE TABLE t.set_hand (n serial, x text);
INSERT INTO t.set_hand (x) VALUES
    ('aws'), ('aws/us-east-1'), ('aws/us-east-1/bedrock'), ('openai/global/api'), ('aws/*'),
    ('aws/*/*'), ('aws/us-east-1/*'), ('*/*/bedrock'), ('*/eu-*'), ('aws/eu-*/b*'), ('a*'), ('*'),
    ('*/*'), ('*/*/*'), ('!aws'), ('!aws/us-gov-*'), ('!*'), ('!aws, !azure/*/*'),
    ('AWS/US-East-1/Bedrock'), ('  aws ,' || E'\t' || 'azure  ,gcp  '), (E'\n aws \n'), (''), ('   '),
    ('azure, aws'), ('aws, aws/*, AWS, aws/*/*'), ('*, *, */*/*'), ('!b, a, !a, b'),
    ('aws/eu-west-1, aws/eu-*, aws/eu-, aws, aws/*/bedrock'),
    ('x/a.b, x/a-b, x/a_b, x/a*, x/a, x/a9, x/ab'), ('0/1/2'), ('*, !*'), ('aws, !aws'),
    (repeat('a', 63)), ('x/' || repeat('b', 62) || '*'), ('x/y/' || repeat('9', 63)),
    ('AWS/*/*, !Aws/Us-*'), ('!x, y/z/w*'),
    ('aws,,azure'), (','), ('aws, '), (' , aws'), ('!'), ('aws, ! '), ('aws/us-east-1/bedrock/x'),
    ('!a/b/c/d/e'), ('aws//bedrock'), ('aws/'), ('/us-east-1'), ('!/x'), ('aws/us-east-1/'),
    ('aws/us east'), ('azure, AWS/Us East'), ('! aws'), ('!!aws'), ('aws;azure'), ('aws/us-$*'),
    ('aws/u*s'), ('aws/*-east'), ('**'), ('aws/us-**'), ('aws/-east'), ('aws/-*'), ('aws/.*'),
    ('aws/' || repeat('a', 64)), ('aws/' || repeat('a', 63) || '*'), ('aws/' || repeat('a', 62) || '*'),
    ('a/B@/c/d'), ('a/b/c/d, x/y/z/w'), ('a/b/c/' || repeat('d', 70)), ('*a'), ('a/*b'), ('ü*'),
    ('aws/ü'), ('AWS/X/Ü*'), ('x, X, x/*, !y, !Y/*/*'), ('*/*/*, !*/*/*'), ('!a*/b*/c*'),
    ('a, b, c, d, e, f, g, h, i, j'), ('a-b, a/x, a, a.b, a_b, a0'),
    ('*/x, */*/x, *, */a*, a*/x'), ('!*/x, !*, !*/a*'), ('x/a*, x/a, x/a-, x/a.*, x/a_'),
    (E'\r\n'), (E'\x0b'), ('a,b,,'), ('a , b , c'), ('AWS'), ('aws/EU-*'), ('!AWS/US-GOV-*, aws');
SELECT n, t.show(x), t.tryd('dealscope.endpoint_set(' || quote_literal(x) || '::text)')
FROM t.set_hand ORDER BY n;
SELECT t.tryd('dealscope.endpoint_set(NULL::text)'), t.tryd('NULL::dealscope.endpoint_set');

------------------------------------------------------------------------------
-- endpoint_set: 2500 generated inputs
------------------------------------------------------------------------------
CREATE FUNCTION t.gen_segment() RETURNS text LANGUAGE sql VOLATILE AS $$
    SELECT CASE WHEN r < 0.2 THEN '*'
                WHEN r < 0.23 THEN ''
                WHEN r < 0.26 THEN t.pick(ARRAY['**', 'a*b', '*a', 'a b', 'é', '!x', '-a', '.*', '$', 'A*B'])
                WHEN r < 0.28 THEN repeat('q', t.pick(ARRAY['61','62','63','64'])::int) || t.pick(ARRAY['', '*'])
                ELSE t.pick(ARRAY['a','aws','azure','x','us','us-','us-east','us-east-1','eu-west','b','A','AWS','Us','0','9'])
                     || CASE WHEN random() < 0.3 THEN '*' ELSE '' END
           END
    FROM (SELECT random() AS r) x
$$;
CREATE FUNCTION t.gen_pattern() RETURNS text LANGUAGE sql VOLATILE AS $$
    SELECT t.pick(ARRAY['', '', '', '', '!', ' ', ' !', E'\t', '! '])
           || array_to_string(ARRAY(SELECT t.gen_segment() FROM generate_series(1, k)), '/')
           || t.pick(ARRAY['', '', '', ' ', E'\n'])
    FROM (SELECT t.pick(ARRAY['1','1','2','2','3','3','4'])::int AS k) x
$$;
CREATE TABLE t.set_gen AS
SELECT n, array_to_string(ARRAY(SELECT t.gen_pattern() FROM generate_series(1, k) WHERE n > 0), t.pick(ARRAY[',', ', ', ' ,'])) AS x
FROM generate_series(1, 2500) n,
     LATERAL (SELECT t.pick(ARRAY['0','1','1','2','2','3','4','6'])::int + 0 * n AS k) kk;
SELECT n, t.show(x), t.tryd('dealscope.endpoint_set(' || quote_literal(x) || '::text)')
FROM t.set_gen ORDER BY n;

-- every accepted set: its canonical text casts back to itself
CREATE TABLE t.set_ok AS
SELECT n, dealscope.endpoint_set(x::text)::text AS s
FROM (SELECT n, x FROM t.set_hand UNION ALL SELECT 1000 + n, x FROM t.set_gen) a
WHERE t.try('dealscope.endpoint_set(' || quote_literal(x) || '::text)') NOT LIKE 'ERROR%';
SELECT count(*) AS accepted, count(DISTINCT s) AS distinct_sets FROM t.set_ok;
SELECT t.digest($$SELECT n, s, t.try(quote_literal(s) || '::dealscope.endpoint_set') FROM t.set_ok ORDER BY n$$);
SELECT count(*) AS round_trips FROM t.set_ok
WHERE t.try(quote_literal(s) || '::dealscope.endpoint_set') = s;

------------------------------------------------------------------------------
-- membership: hand cases, then 400 sets x 40 endpoints
------------------------------------------------------------------------------
SELECT s, e, t.try(format('dealscope.endpoint(%L::text) OPERATOR(dealscope.<@) dealscope.endpoint_set(%L::text)', e, s)) AS member,
       t.try(format('dealscope.endpoint_set(%L::text) OPERATOR(dealscope.@>) dealscope.endpoint(%L::text)', s, e)) AS contains,
       t.try(format('dealscope.endpoint_set_contains_endpoint(dealscope.endpoint_set(%L::text), dealscope.endpoint(%L::text))', s, e)) AS f1,
       t.try(format('dealscope.endpoint_contained_by_endpoint_set(dealscope.endpoint(%L::text), dealscope.endpoint_set(%L::text))', e, s)) AS f2
FROM (VALUES
    ('aws', 'aws/us-east-1'), ('aws', 'aws/us-east-1/bedrock'), ('aws', 'azure/eastus'),
    ('aws/us-east-1', 'aws/us-east-1'), ('aws/us-east-1', 'aws/us-east-1/bedrock'),
    ('aws/us-east-1/*', 'aws/us-east-1'), ('aws/us-east-1/bedrock', 'aws/us-east-1'),
    ('aws/us-east-1/bedrock', 'aws/us-east-1/bedrock'), ('aws/us-east-1/b*', 'aws/us-east-1'),
    ('aws/us-east-1/b*', 'aws/us-east-1/b'), ('*/*/bedrock', 'aws/us-east-1'), ('*/*/bedrock', 'gcp/x/bedrock'),
    ('aws/eu-*', 'aws/eu-'), ('aws/eu-*', 'aws/eu-west-1'), ('aws/eu-*', 'aws/eu'), ('aws/eu-*', 'aws/europe'),
    ('aws/eu-*', 'azure/eu-west'), ('a*', 'a/x'), ('a*', 'aws/x'), ('a*', 'gcp/x'),
    ('aws/us-*, !aws/us-gov-*', 'aws/us-east-1'), ('aws/us-*, !aws/us-gov-*', 'aws/us-gov-west-1'),
    ('aws/us-*, !aws/us-gov-*', 'aws/eu-west-1'), ('!azure', 'aws/x'), ('!azure', 'azure/x'),
    ('!aws/*/bedrock', 'aws/x'), ('!aws/*/bedrock', 'aws/x/bedrock'), ('!aws/*/bedrock, !gcp', 'gcp/x'),
    ('*', 'openai/global/api'), ('', 'openai/global/api'), ('*, !*', 'openai/global/api'),
    ('aws, !aws', 'aws/x'), ('AWS/US-*', 'aws/us-east-1'), ('a.b', 'axb/x'), ('a.b', 'a.b/x'),
    ('x/a.*', 'x/ab'), ('x/a.*', 'x/a.'), ('a_b*', 'a_bc/x'), ('*/x', 'a/x/y'), ('*/*/y', 'a/x'),
    ('a/x', 'a/x-1'), ('a/x*', 'a/x-1'), ('a/x, !a/x/*', 'a/x'), ('a/x, !a/x/s*', 'a/x'),
    ('a/x, !a/x/s*', 'a/x/s'), ('!a/x/s', 'a/x'), ('a/x/s', 'a/x/s-1')) AS v(s, e);
SELECT t.try('dealscope.endpoint_set_contains_endpoint(NULL::dealscope.endpoint_set, ''a/b'')'),
       t.try('dealscope.endpoint_set_contains_endpoint(''a'', NULL::dealscope.endpoint)'),
       t.try('dealscope.endpoint_set_contains_endpoint(''''::dealscope.endpoint_set, NULL::dealscope.endpoint)'),
       t.try('NULL::dealscope.endpoint OPERATOR(dealscope.<@) ''*''::dealscope.endpoint_set'),
       t.try('''a/b''::dealscope.endpoint OPERATOR(dealscope.<@) NULL::dealscope.endpoint_set');

-- random sets over a small alphabet, so that patterns interact
CREATE FUNCTION t.small_segment(lvl int) RETURNS text LANGUAGE sql VOLATILE AS $$
    SELECT CASE WHEN random() < 0.25 THEN '*'
                ELSE t.pick(CASE lvl WHEN 1 THEN ARRAY['a','a','aws','ab','b','a-','a.b','a_b','a0']
                                     WHEN 2 THEN ARRAY['x','x','x-1','x1','us','us-','us-east','y','x.']
                                     ELSE ARRAY['s','s','s1','s-','t','bedrock','b','s.x'] END)
                     || CASE WHEN random() < 0.35 THEN '*' ELSE '' END END
$$;
CREATE FUNCTION t.small_set() RETURNS text LANGUAGE sql VOLATILE AS $$
    SELECT string_agg(CASE WHEN random() < 0.35 THEN '!' ELSE '' END
                      || array_to_string(ARRAY(SELECT t.small_segment(l) FROM generate_series(1, k) l), '/'), ', ')
    FROM (SELECT t.pick(ARRAY['1','2','2','3','3'])::int AS k FROM generate_series(1, t.pick(ARRAY['1','1','2','2','3','4','5'])::int)) p
$$;
CREATE TABLE t.msets AS
SELECT n, dealscope.endpoint_set(coalesce(t.small_set(), '')::text) AS s FROM generate_series(1, 400) n;
CREATE TABLE t.meps AS
SELECT n, dealscope.endpoint(
           t.pick(ARRAY['a','aws','ab','abc','b','a-','a.b','axb','a_b','a0','c']) || '/' ||
           t.pick(ARRAY['x','x-1','x1','x12','us','us-','us-east','us-east-1','y','x.','xa']) ||
           CASE WHEN random() < 0.4 THEN '' ELSE '/' || t.pick(ARRAY['s','s1','s-','s-2','t','bedrock','b','s.x','sx']) END) AS e
FROM generate_series(1, 40) n;
SELECT x FROM t.rows($$SELECT m.n, m.s, string_agg(CASE WHEN p.e OPERATOR(dealscope.<@) m.s THEN '1' ELSE '0' END, '' ORDER BY p.n)
                       FROM t.msets m, t.meps p GROUP BY m.n, m.s ORDER BY m.n$$) x;
SELECT string_agg(e::text, ' ' ORDER BY n) FROM t.meps;
-- the same membership as a set-based join (the planner's path)
SELECT t.digest($$SELECT m.n, p.n, dealscope.endpoint_set_contains_endpoint(m.s, p.e),
                         m.s OPERATOR(dealscope.@>) p.e, dealscope.endpoint_contained_by_endpoint_set(p.e, m.s)
                  FROM t.msets m, t.meps p ORDER BY m.n, p.n$$);
-- the same with the set given as a cast of a literal (evaluated per row)
SELECT x FROM t.rows($$SELECT m.n, string_agg(CASE WHEN t.try(format('%L::dealscope.endpoint OPERATOR(dealscope.<@) %L::dealscope.endpoint_set', p.e, m.s)) = 'true'
                               THEN '1' ELSE '0' END, '' ORDER BY p.n)
                       FROM t.msets m, t.meps p WHERE m.n % 20 = 0 GROUP BY m.n ORDER BY m.n$$) x;
-- every generated set against every generated endpoint
SELECT t.digest($$SELECT s.n, e.n, e.e::dealscope.endpoint OPERATOR(dealscope.<@) s.s::dealscope.endpoint_set
                  FROM t.set_ok s, t.ep_ok e WHERE (s.n + e.n) % 41 = 0 ORDER BY s.n, e.n$$);

------------------------------------------------------------------------------
-- overlap (&&): hand cases, then 3000 random pairs
------------------------------------------------------------------------------
SELECT a, b, t.try(format('dealscope.endpoint_set(%L::text) OPERATOR(dealscope.&&) dealscope.endpoint_set(%L::text)', a, b)) AS overlap,
       t.try(format('dealscope.endpoint_set_overlaps(dealscope.endpoint_set(%L::text), dealscope.endpoint_set(%L::text))', b, a)) AS commuted
FROM (VALUES
    ('aws', 'aws, !aws/us-*'), ('aws/us-east-1', '!aws/us-*'), ('aws/us-east-1', '!aws/eu-*'),
    ('aws/us-*', '!aws/us-*'), ('aws/us-*', '!aws/us-east-1'), ('aws/us-*', 'aws/us-east-*'),
    ('aws/us-*', 'aws/eu-*'), ('aws/us-*', 'aws/us-'), ('aws/us', 'aws/us-*'), ('aws', 'azure'),
    ('aws', '*/*/bedrock'), ('aws/x/bedrock', 'aws/x/b*'), ('aws/x/bedrock', 'aws/x/c*'),
    ('aws/x', '!aws/x'), ('aws/x', '!aws/x/*'), ('aws/x', '!aws/x/s*'), ('aws/x/s*', '!aws/x/s*'),
    ('aws/x/s*', '!aws/x/s'), ('aws/x/s', 'aws/x/s*, !aws/x/s'), ('*', '!*/*/*'), ('*', '!*/*/s*'),
    ('*/*/s*', '!*/*/s*'), ('!aws', '!azure'), ('!aws', 'aws'), ('!*', '*'), ('*', '*'), ('', '*'),
    ('', '!aws'), ('', ''), ('aws, azure', 'azure/eastus, !aws'),
    ('aws/us-*, !aws/us-gov-*', 'aws/us-gov-*'), ('aws/us-*, !aws/us-gov-*', 'aws/us-gov*'),
    ('aws/a*, !aws/a', 'aws/a*, !aws/ab*, !aws/ac'), ('!*', '!*'), ('a*', 'ab*'), ('ab*', 'a*, !ab'),
    ('x/y', '*/*/*, !x/y/*'), ('x/y', '!x/y/s*, !x/y/t'), ('x/y/s', '!x/y')) AS v(a, b);
-- exhausting a glob: a and its 39 one-character extensions (and variants)
SELECT t.try($q$dealscope.endpoint_set('x/a*'::text) OPERATOR(dealscope.&&)
       (SELECT dealscope.endpoint_set('!x/a, ' || string_agg(format('!x/a%s*', c), ', '))
        FROM regexp_split_to_table('0123456789abcdefghijklmnopqrstuvwxyz-._', '') AS c)$q$);
SELECT t.try($q$dealscope.endpoint_set('x/a*'::text) OPERATOR(dealscope.&&)
       (SELECT dealscope.endpoint_set('!x/a, ' || string_agg(format('!x/a%s*', c), ', '))
        FROM regexp_split_to_table('0123456789abcdefghijklmnopqrstuvwxyz-.', '') AS c)$q$);
SELECT t.try($q$dealscope.endpoint_set('x/a*'::text) OPERATOR(dealscope.&&)
       (SELECT dealscope.endpoint_set('!x/a, ' || string_agg(format('!x/a%s', c), ', '))
        FROM regexp_split_to_table('0123456789abcdefghijklmnopqrstuvwxyz-._', '') AS c)$q$);
SELECT t.try($q$dealscope.endpoint_set(('x/' || repeat('a', 62) || '*')::text) OPERATOR(dealscope.&&)
       (SELECT dealscope.endpoint_set('!x/' || repeat('a', 62) || ', ' || string_agg(format('!x/%s%s', repeat('a', 62), c), ', '))
        FROM regexp_split_to_table('0123456789abcdefghijklmnopqrstuvwxyz-._', '') AS c)$q$);
SELECT t.try($q$dealscope.endpoint_set(('x/' || repeat('a', 61) || '*')::text) OPERATOR(dealscope.&&)
       (SELECT dealscope.endpoint_set('!x/' || repeat('a', 61) || ', ' || string_agg(format('!x/%s%s', repeat('a', 61), c), ', '))
        FROM regexp_split_to_table('0123456789abcdefghijklmnopqrstuvwxyz-._', '') AS c)$q$);
SELECT t.try($q$dealscope.endpoint_set('*'::text) OPERATOR(dealscope.&&)
       (SELECT dealscope.endpoint_set(string_agg(format('!%s*', c), ', '))
        FROM regexp_split_to_table('0123456789abcdefghijklmnopqrstuvwxyz', '') AS c)$q$);
SELECT t.try($q$dealscope.endpoint_set('*'::text) OPERATOR(dealscope.&&)
       (SELECT dealscope.endpoint_set(string_agg(format('!%s*', c), ', '))
        FROM regexp_split_to_table('0123456789abcdefghijklmnopqrstuvwxy', '') AS c)$q$);
SELECT t.try($q$dealscope.endpoint_set('x/y'::text) OPERATOR(dealscope.&&)
       (SELECT dealscope.endpoint_set(string_agg(format('!x/y/%s*', c), ', '))
        FROM regexp_split_to_table('0123456789abcdefghijklmnopqrstuvwxyz', '') AS c)$q$);
SELECT t.try('NULL::dealscope.endpoint_set OPERATOR(dealscope.&&) ''*''::dealscope.endpoint_set'),
       t.try('dealscope.endpoint_set_overlaps(''*'', NULL)');
-- random pairs
CREATE TABLE t.opairs AS
SELECT p.n, a.s::text AS a, b.s::text AS b
FROM (SELECT n, 1 + floor(random() * 400)::int AS i, 1 + floor(random() * 400)::int AS j FROM generate_series(1, 3000) n) p
     JOIN t.msets a ON a.n = p.i JOIN t.msets b ON b.n = p.j;
SELECT n, a, b, t.try(format('%L::dealscope.endpoint_set OPERATOR(dealscope.&&) %L::dealscope.endpoint_set', a, b)) AS overlap
FROM t.opairs ORDER BY n;

------------------------------------------------------------------------------
-- rate_schedule: hand cases (sql/rate_schedule.sql)
------------------------------------------------------------------------------
CREATE TABLE t.rs_hand (n serial, x text);
INSERT INTO t.rs_hand (x) VALUES
    ('20%'), ('0.2'), ('  20 %  '), ('12.5%'), ('0.125'), ('.5'), ('5.%'), ('007%'),
    ('0%'), ('0'), ('100%'), ('1'), ('1.000'), ('0.000000000001'), ('0.0000000001%'),
    ('12.1234567890%'), ('99.9999999999%'), ('0.123456789012'),
    ('0.20000000000000000000'), ('12.50000000000000%'),
    ('{}'), (' {  } '),
    ('{[2019-07-22,2026-04-28) 20%, [2026-04-28,2027-04-28) 20%->0%}'),
    ('{ [ 2019-07-22 , 2026-04-28 ) 0.2 ,[2026-04-28,2027-04-28)20%  ->  0 }'),
    ('{[-infinity,2026-04-28) 20%, [2026-04-28,infinity) 5%}'),
    ('{[-INFINITY,2026-01-01) 1%, [2026-01-01,+Infinity) 2%}'),
    ('{[-infinity,infinity) 20%}'), ('{[-infinity,infinity) 0%}'),
    ('{[2026-01-01,2027-01-01) 20%->20%}'), ('{[-infinity,2026-01-01) 7%->7%}'),
    ('{[2026-01-01,2026-01-11) 0%->100%}'), ('{[2026-01-01,2026-01-02) 20%->0%}'),
    ('{[2026-01-01,2026-02-01) 1%, [2026-03-01,2026-04-01) 2%, [2026-04-01,2026-05-01) 3%->1%}'),
    ('{[0001-01-01,0001-01-02) 1%, [9999-12-31,10000-01-01) 2%, [5874897-12-30,5874897-12-31) 3%}'),
    ('abc'), ('{[2026-01-01,2027-01-01) abc}'), ('20%%'), ('2O%'), ('1e-1'), ('20 percent'),
    ('{[2026-01-01,2027-01-01) 20%->}'), ('{[2026-01-01,2027-01-01)}'),
    ('{[2026-01-01,2027-01-01) 1€}'),
    ('100.0000000001%'), ('120%'), ('1.5'), ('20'), ('1000000000000000000000000%'),
    ('{[2026-01-01,2027-01-01) 101%}'), ('{[2026-01-01,2027-01-01) 0%->1.01}'),
    ('-5%'), ('-0.1'), ('{[2026-01-01,2027-01-01) 10%->-1%}'),
    ('0.1234567890123'), ('12.12345678901%'), ('{[2026-01-01,2027-01-01) 0.0000000000001}'),
    ('{[2026-02-30,2027-01-01) 1%}'), ('{[2026-13-01,2027-01-01) 1%}'),
    ('{[26-01-01,2027-01-01) 1%}'), ('{[2026/01/01,2027-01-01) 1%}'),
    ('{[2026-1-1,2027-01-01) 1%}'), ('{[0000-01-01,2027-01-01) 1%}'),
    ('{[2026-01-01,5874898-01-01) 1%}'), ('{[today,2027-01-01) 1%}'),
    ('{[,2027-01-01) 1%}'), ('{[2026-01-01,) 1%}'),
    ('{[infinity,infinity) 1%}'), ('{[2026-01-01,-infinity) 1%}'),
    ('{[2027-01-01,2026-01-01) 1%}'), ('{[2026-01-01,2026-01-01) 1%}'),
    ('{[-infinity,-infinity) 1%}'),
    ('{[2026-01-01,2027-01-01) 20%, [2026-06-01,2027-06-01) 10%}'),
    ('{[-infinity,2026-01-01) 1%, [2025-12-31,infinity) 2%}'),
    ('{[2027-01-01,2028-01-01) 10%, [2026-01-01,2027-01-01) 20%}'),
    ('{[2026-01-01,2027-01-01) 1%, [2026-01-01,2027-01-01) 1%}'),
    ('{[-infinity,2026-01-01) 20%->0%}'), ('{[2026-01-01,infinity) 20%->0%}'), ('20%->0%'),
    ('{(2026-01-01,2027-01-01) 1%}'), ('{[2026-01-01,2027-01-01] 1%}'),
    ('{]2026-01-01,2027-01-01) 1%}'), ('[2026-01-01,2027-01-01) 1%'),
    (''), ('   '), ('hello'), ('{'), ('{[2026-01-01,2027-01-01) 1%'), ('{,}'),
    ('{[2026-01-01,2027-01-01) 1%,}'), ('{[2026-01-01 2027-01-01) 1%}'),
    ('{[2026-01-01,2027-01-01 1%}'),
    ('{[2026-01-01,2027-01-01) 1% [2027-01-01,2028-01-01) 2%}'), ('{20%}'),
    ('{{[2026-01-01,2027-01-01) 1%}}'),
    ('20% x'), ('20%,'), ('{} x'), ('{[2026-01-01,2027-01-01) 1%} 2%'), ('{}}'),
    -- more boundaries
    ('{[5874897-12-31,5874898-01-01) 1%}'), ('{[5874898-05-31,5874898-06-01) 1%}'),
    ('{[5874898-06-01,5874898-06-02) 1%}'), ('{[9999999-01-01,9999999-01-02) 1%}'),
    ('{[10000000-01-01,10000000-01-02) 1%}'), ('{[2024-02-29,2024-03-01) 1%}'),
    ('{[2023-02-29,2023-03-01) 1%}'), ('{[1900-02-29,1900-03-01) 1%}'), ('{[2000-02-29,2000-03-01) 1%}'),
    ('{[2026-04-31,2026-05-01) 1%}'), ('{[2026-00-10,2026-05-01) 1%}'), ('{[2026-01-00,2026-05-01) 1%}'),
    ('{[+infinity,2026-01-01) 1%}'), ('{[-infinity,+infinity) 0.5}'), ('{[-Infinity,INFINITY) 5%}'),
    ('100.%'), ('100.0000000000%'), ('1.000000000000'), ('1.0000000000001'), ('0.'), ('.'), ('%'),
    ('.%'), ('-'), ('-.5'), ('-%'), ('- 5%'), ('5 %'), (E'5\t%'), ('5%%'), ('+5%'), ('05.50%'),
    ('999%'), ('1000%'), ('0001%'), ('00000000000000000001%'), ('0.999999999999'), ('99.99999999995%'),
    ('{[2026-01-01,2027-01-01) 5%->5.0%}'), ('{[2026-01-01,2027-01-01) 0.05->5%}'),
    ('{[2026-01-01,2027-01-01) 5% -> 6%}'), ('{[2026-01-01,2027-01-01) 5%- >6%}'),
    ('{[2026-01-01,2027-01-01) 5%->6%->7%}'), ('{[2026-01-01,2027-01-01) ->6%}'),
    ('{[2026-01-01,2027-01-01) 5%, }'), ('{ , [2026-01-01,2027-01-01) 5%}'),
    ('{[2026-01-01,2027-01-01) 5%}{}'), ('{[2026-01-01,2027-01-01) 5%, [2027-01-01,2028-01-01) 5%}'),
    ('{[2026-01-01,2027-01-01)5%}'), ('{[2026-01-01,2027-01-01)x}'), ('{[2026-01-01,2027-01-01)}}'),
    ('{[2026-01-01,2027-01-01) 5%,[2027-01-01,infinity) 1%}'), ('{[2026-01-01,2027-01-01) (5%)}'),
    ('{[2026-01-01,2027-01-01) 5%]'), ('{[2026-01-01:2027-01-01) 5%}'), ('{[2026-01-01;2027-01-01) 5%}'),
    ('{[2026-01-01T00:00,2027-01-01) 5%}'), ('{[2026.01.01,2027-01-01) 5%}'), ('{[ 2026-01-01,2027-01-01 ) 5 % }'),
    ('{[2026-01-01,2027-01-01) 5%, [2026-12-31,2028-01-01) 1%}'), ('{[2026-01-01,2027-01-01) 0.5€}'),
    ('{[2026-01-01,2027-01-01) é}'), ('é'), ('{é}'), ('{}é'), ('{[é,2027-01-01) 5%}'),
    ('{[2026-01-01,2027-01-01) 5%, [2028-01-01,2028-01-01) 5%}'), ('{[-infinity,2026-01-01) 5%, [-infinity,2027-01-01) 5%}'),
    (E'\n{\t[2026-01-01,2027-01-01)\t5%\n}\n'), ('{[2026-01-01,2027-01-01) 5%' || repeat(' ', 3)),
    ('{[2026-01-01,2027-01-01) 5%, [2027-01-01,2027-01-02)'), ('{[2026-01-01,2027-01-01) 5%, [2027-01-01'),
    ('{[2026-01-01,2027-01-01) 5%, [2027-01-01,'), ('{[2026-01-01,2027-01-01) 5%, ['), ('{[2026-01-01,2027-01-01) 5%, ');
SELECT n, t.show(x), t.tryd('dealscope.rate_schedule(' || quote_literal(x) || '::text)')
FROM t.rs_hand ORDER BY n;
SELECT t.tryd('dealscope.rate_schedule(NULL::text)'), t.tryd('NULL::dealscope.rate_schedule');

------------------------------------------------------------------------------
-- rate_schedule: 2000 generated inputs (random segments, ramps, infinities,
-- rates as percent or fraction with 0 to 13 decimals), then mutations
------------------------------------------------------------------------------
CREATE FUNCTION t.gen_rate() RETURNS text LANGUAGE sql VOLATILE AS $$
    SELECT CASE WHEN random() < 0.5
                THEN round((random() * 100)::numeric, (random() * 11)::int)::text || t.pick(ARRAY['%', '%', ' %'])
                ELSE round(random()::numeric, (random() * 13)::int)::text END
           || CASE WHEN random() < 0.03 THEN t.pick(ARRAY['0', '5', '00']) ELSE '' END
$$;
CREATE TABLE t.rs_gen AS
WITH seg AS (
    SELECT c, i, k,
           (random() * 4)::int * (random() * 30)::int AS gap,
           1 + (random() * 400)::int * CASE WHEN random() < 0.05 THEN 10000 ELSE 1 END AS len,
           random() < 0.4 AS ramp, random() < 0.15 AS open_end, random() < 0.03 AS overlap,
           t.gen_rate() AS r0, t.gen_rate() AS r1,
           date '2019-01-01' + (c % 97) * 13 - CASE WHEN random() < 0.02 THEN 800000 ELSE 0 END AS origin
    FROM generate_series(1, 2000) c,
         LATERAL (SELECT t.pick(ARRAY['0','1','1','2','2','3','4'])::int + 0 * c AS k) kk,
         LATERAL generate_series(1, k) i
), placed AS (
    SELECT *, origin + (sum(gap + len) OVER w)::int - len - CASE WHEN overlap THEN gap + 5 ELSE 0 END AS lo,
              origin + (sum(gap + len) OVER w)::int AS hi
    FROM seg WINDOW w AS (PARTITION BY c ORDER BY i)
)
SELECT c AS n,
       CASE WHEN max(k) IS NULL THEN t.pick(ARRAY['{}', '20%', '0.125', t.gen_rate()])
            WHEN max(k) = 1 AND bool_and(open_end) AND random() < 0.3 THEN (array_agg(r0))[1]
            ELSE '{' || string_agg(format('[%s,%s) %s',
                          CASE WHEN i = 1 AND open_end AND (NOT ramp OR random() < 0.1) THEN '-infinity' ELSE lo::text END,
                          CASE WHEN i = k AND open_end AND (NOT ramp OR random() < 0.1) THEN 'infinity' ELSE hi::text END,
                          r0 || CASE WHEN ramp THEN '->' || r1 ELSE '' END), ', ' ORDER BY i) || '}' END AS x
FROM generate_series(1, 2000) c LEFT JOIN placed USING (c)
GROUP BY c;
SELECT n, t.show(x), t.tryd('dealscope.rate_schedule(' || quote_literal(x) || '::text)')
FROM t.rs_gen ORDER BY n;
-- mutations: a character deleted, replaced or inserted
CREATE TABLE t.rs_mut AS
SELECT n, CASE op WHEN 0 THEN overlay(x placing '' from p for 1)
                  WHEN 1 THEN overlay(x placing ch from p for 1)
                  ELSE overlay(x placing ch from p for 0) END AS x
FROM (SELECT n, x, (random() * 2.99)::int AS op, 1 + (random() * (length(x) - 1))::int AS p,
             t.pick(ARRAY['[', ']', '(', ')', '{', '}', ',', ' ', '%', '-', '>', '.', '0', '9', 'x', '/', 'é', '-infinity']) AS ch
      FROM t.rs_gen WHERE n <= 1000 AND length(x) > 1) g;
SELECT n, t.show(x), t.tryd('dealscope.rate_schedule(' || quote_literal(x) || '::text)')
FROM t.rs_mut ORDER BY n;

-- every accepted schedule casts back to itself
CREATE TABLE t.rs_ok AS
SELECT n, dealscope.rate_schedule(x::text)::text AS s
FROM (SELECT n, x FROM t.rs_hand UNION ALL SELECT 10000 + n, x FROM t.rs_gen
      UNION ALL SELECT 20000 + n, x FROM t.rs_mut) a
WHERE t.try('dealscope.rate_schedule(' || quote_literal(x) || '::text)') NOT LIKE 'ERROR%';
SELECT count(*) AS accepted, count(DISTINCT s) AS distinct_schedules FROM t.rs_ok;
SELECT count(*) AS round_trips FROM t.rs_ok
WHERE t.try(quote_literal(s) || '::dealscope.rate_schedule') = s;
SELECT t.digest($$SELECT n, s, t.try(quote_literal(s) || '::dealscope.rate_schedule') FROM t.rs_ok ORDER BY n$$);

------------------------------------------------------------------------------
-- rate_at and average_rate
------------------------------------------------------------------------------
-- hand cases (sql/rate_schedule.sql)
CREATE TABLE t.deal (name text, s text);
INSERT INTO t.deal VALUES
    ('wind-down', '{[2019-07-22,2026-04-28) 20%, [2026-04-28,2027-04-28) 20%->0%, [2027-06-01,2028-01-01) 5%}'),
    ('open', '{[-infinity,2026-04-28) 20%, [2026-04-28,infinity) 5%}'),
    ('tenths', '{[2026-01-01,2026-01-11) 0%->100%}'),
    ('flat', '12.5%'), ('none', '{}'),
    ('eighth', '{[2026-01-01,2026-01-09) 0->1}'), ('tiny', '{[2026-01-01,2028-10-21) 0%->0.000000000001}'),
    ('huge', '{[0001-01-01,2000000-01-01) 0%->100%, [2000000-01-01,5000000-01-01) 0%->100%}'),
    ('overflow', '{[0001-01-01,2000000-01-02) 0.123456789011->0.987654321013, [2000000-01-02,5000000-01-03) 0.111111111111->0.999999999989}'),
    ('edges', '{[0001-01-01,0001-01-03) 0%->100%, [5874897-12-29,5874897-12-31) 100%->0%}');
SELECT d.name, x.day, t.try(format('dealscope.rate_at(dealscope.rate_schedule(%L::text), %L::date)', d.s, x.day))
FROM t.deal d, unnest('{-infinity,0001-01-01,0001-01-02,0001-01-03,1900-01-01,2019-07-21,2019-07-22,2026-01-01,2026-01-02,2026-01-04,2026-01-10,2026-01-11,2026-04-27,2026-04-28,2026-04-29,2026-10-27,2027-04-27,2027-04-28,2027-05-31,2027-06-01,2028-01-01,2028-10-20,1000000-06-07,5874897-12-29,5874897-12-30,5874897-12-31,infinity}'::text[]) WITH ORDINALITY AS x(day, dn)
ORDER BY d.name, x.dn;
SELECT d.name, r.during, t.try(format('dealscope.average_rate(dealscope.rate_schedule(%L::text), %L::daterange)', d.s, r.during))
FROM t.deal d, unnest(ARRAY['[2026-04-28,2027-04-28)', '[2026-01-01,2027-01-01)', '[2026-01-01,2029-01-01)',
                            '[2026-01-01,2026-01-11)', '[2026-01-04,2026-01-04]', 'empty', '[2026-01-01,)', '(,2026-01-01)',
                            '[-infinity,2026-01-01)', '[2026-01-01,infinity)', '(-infinity,infinity)', '(,)',
                            '[1000000-01-02,3000000-01-03)', '[1234567-03-07,3456789-09-13)', '[0001-01-01,5874897-12-31]',
                            '(2026-01-01,2026-01-05]', '[2026-01-05,2026-01-05)']) WITH ORDINALITY AS r(during, rn)
ORDER BY d.name, r.rn;
SELECT t.try('dealscope.rate_at(NULL::dealscope.rate_schedule, ''2026-01-01'')'),
       t.try('dealscope.rate_at(''20%'', NULL)'),
       t.try('dealscope.average_rate(NULL::dealscope.rate_schedule, ''[2026-01-01,2026-02-01)'')'),
       t.try('dealscope.average_rate(''20%'', NULL)');
-- five ramps of coprime lengths
SELECT t.try($q$dealscope.average_rate((SELECT dealscope.rate_schedule('{' || string_agg(format('[%s,%s) 0%%->0.000000000001', lo, lo + p), ', ' ORDER BY lo) || '}')
        FROM (SELECT p, date '2000-01-01' + (sum(p) OVER (ORDER BY p) - p)::int AS lo
              FROM unnest(ARRAY[1009, 1013, 1019, 1021, 1031]) AS p) AS t), daterange('2000-06-01', '2012-02-01'))$q$);
-- every accepted generated schedule: rate_at on 8 random days, average_rate on 4 random ranges
CREATE TABLE t.rs_days AS
SELECT o.n, o.s, (date '2019-01-01' + (random() * 2200)::int - 100)::text AS day
FROM t.rs_ok o, generate_series(1, 8) g WHERE g > 0 * o.n;
INSERT INTO t.rs_days SELECT n, s, d FROM t.rs_ok, unnest('{-infinity,infinity}'::text[]) d WHERE n % 5 = 0;
SELECT x FROM t.rows($$SELECT n, s, string_agg(dealscope.rate_at(s::dealscope.rate_schedule, day::date)::text, ' ' ORDER BY day)
                       FROM t.rs_days WHERE n >= 10000 GROUP BY n, s ORDER BY n$$) x;
SELECT x FROM t.rows($$SELECT n, s, string_agg(dealscope.rate_at(s::dealscope.rate_schedule, day::date)::text, ' ' ORDER BY day)
                       FROM t.rs_days WHERE n < 10000 GROUP BY n, s ORDER BY n$$) x;
CREATE TABLE t.rs_ranges AS
SELECT o.n, o.s, format('[%s,%s)', lo, lo + (random() * 900)::int * CASE WHEN random() < 0.05 THEN 1000 ELSE 1 END) AS during
FROM t.rs_ok o, generate_series(1, 4) g,
     LATERAL (SELECT date '2019-01-01' + (random() * 2200)::int - 100 + 0 * g AS lo) l;
SELECT n, s, string_agg(t.try(format('dealscope.average_rate(%L::dealscope.rate_schedule, %L::daterange)', s, during)), ' ' ORDER BY during)
FROM t.rs_ranges WHERE n >= 10000 GROUP BY n, s ORDER BY n;
-- hand schedules with every generated range
SELECT t.digest($$SELECT r.n, r.during, o.n, t.try(format('dealscope.average_rate(%L::dealscope.rate_schedule, %L::daterange)', o.s, r.during))
                  FROM t.rs_ranges r, t.rs_ok o WHERE o.n < 10000 AND r.n % 50 = o.n % 50 ORDER BY r.n, r.during, o.n$$);

-- to_endpoint, to_endpoint_set, to_rate_schedule (names that a literal
-- cannot turn into a cast): the same canonical values and errors as the
-- constructors, on every hand and generated input
SELECT t.digest($$SELECT n, t.tryd('dealscope.to_endpoint(' || quote_literal(x) || ')') FROM t.ep_hand ORDER BY n$$);
SELECT t.digest($$SELECT n, t.tryd('dealscope.to_endpoint_set(' || quote_literal(x) || ')') FROM t.set_hand ORDER BY n$$);
SELECT t.digest($$SELECT n, t.tryd('dealscope.to_rate_schedule(' || quote_literal(x) || ')') FROM t.rs_hand ORDER BY n$$);
SELECT t.tryd($$dealscope.to_endpoint(' AWS/US-East-1/Bedrock ')$$), t.tryd($$dealscope.to_endpoint_set('AWS/eu-*, azure, aws/eu-*')$$),
       t.tryd($$dealscope.to_rate_schedule('0.125')$$), t.tryd('dealscope.to_endpoint(NULL)');
