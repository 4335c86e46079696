SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS dealscope;
RESET client_min_messages;
SET search_path = dealscope, public;
\pset null '<null>'
-- The generated cases of endpoint_set (the readable session is
-- sql/endpoint_set.sql): <@ and && over 1,000 pairs of deterministic
-- pseudo-random sets, against brute force over every endpoint.

--
-- Differential test of <@ and && against brute force.
--
-- Patterns are built from the segments a, ab, b, ba, a*, ab*, b*, ba* and *.
-- Whether such a pattern segment matches a value depends only on which of
-- a, ab, b, ba the value equals and which of them it starts with, so every
-- value behaves like one of: a, ab, b, ba, aa (starts with a only), abb
-- (ab), bb (b), bab (ba), zz (none); a service may also be absent.  The
-- 9 x 9 x 10 endpoints over those values therefore stand for every
-- endpoint: brute force over them is exhaustive.
--
CREATE TEMP TABLE bf_seg (v text);
INSERT INTO bf_seg VALUES ('a'), ('ab'), ('b'), ('ba'), ('aa'), ('abb'), ('bb'), ('bab'), ('zz');
CREATE TEMP TABLE bf_ep AS
    SELECT endpoint(p.v, r.v, s.v) AS e, p.v AS p, r.v AS r, coalesce(s.v, '') AS sv
    FROM bf_seg p, bf_seg r, (SELECT v FROM bf_seg UNION ALL SELECT NULL) s;
SELECT count(*) AS endpoints FROM bf_ep;

-- A deterministic pseudo-random set: either 0 to 3 patterns, about a
-- third of them negated, or (negation_heavy) one positive pattern and 1 to
-- 4 negated ones.
CREATE FUNCTION pg_temp.random_set(seed text, negation_heavy boolean) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(string_agg(
               CASE WHEN (negation_heavy AND k > 0)
                      OR (NOT negation_heavy AND get_byte(h, 1 + 5 * k) % 3 = 0) THEN '!' ELSE '' END ||
               array_to_string((ARRAY[seg[get_byte(h, 2 + 5 * k) % 9 + 1],
                                      seg[get_byte(h, 3 + 5 * k) % 9 + 1],
                                      seg[get_byte(h, 4 + 5 * k) % 9 + 1]])
                               [1:get_byte(h, 5 + 5 * k) % 3 + 1], '/'),
               ', ' ORDER BY k), '')
    FROM (SELECT decode(md5(seed) || md5(seed || '+'), 'hex') AS h,
                 ARRAY['a', 'ab', 'b', 'ba', 'a*', 'ab*', 'b*', 'ba*', '*'] AS seg) AS x,
         generate_series(0, CASE WHEN negation_heavy THEN 1 + get_byte(h, 0) % 4
                                 ELSE (ARRAY[-1, 0, 0, 0, 1, 1, 2, 2])[get_byte(h, 0) % 8 + 1] END) AS k
$$;
SELECT pg_temp.random_set('a1', false) AS example_1, pg_temp.random_set('b7', false) AS example_2,
       pg_temp.random_set('a601', true) AS example_3;

-- 600 pairs of the first kind and 400 of the second
CREATE TEMP TABLE bf_pair AS
    SELECT i, a_text, b_text, a_text::endpoint_set AS a, b_text::endpoint_set AS b
    FROM generate_series(1, 1000) AS i,
         LATERAL (SELECT pg_temp.random_set('a' || i, i > 600) AS a_text,
                         pg_temp.random_set('b' || i, i > 600) AS b_text) AS t;

-- A plain-SQL reading of the canonical text checks <@ independently:
-- bf_segok lists which pattern segment matches which value ('' = no
-- service), bf_match which pattern matches which endpoint.  (The sets of
-- a quarter of the pairs, to keep the test fast.)
CREATE TEMP TABLE bf_set AS
    SELECT a AS s FROM bf_pair WHERE i % 4 = 0 UNION SELECT b FROM bf_pair WHERE i % 4 = 0;
CREATE TEMP TABLE bf_pattern AS
    SELECT s, left(pat, 1) = '!' AS neg,
           split_part(ltrim(pat, '!'), '/', 1) AS p1,
           coalesce(nullif(split_part(ltrim(pat, '!'), '/', 2), ''), '*') AS p2,
           coalesce(nullif(split_part(ltrim(pat, '!'), '/', 3), ''), '*') AS p3
    FROM bf_set, regexp_split_to_table(s::text, ', ') AS pat
    WHERE s::text <> '';
CREATE TEMP TABLE bf_segok AS
    SELECT pat, val
    FROM unnest(ARRAY['a', 'ab', 'b', 'ba', 'a*', 'ab*', 'b*', 'ba*', '*']) AS pat,
         (SELECT v AS val FROM bf_seg UNION ALL SELECT '') AS v
    WHERE pat = '*' OR pat = val
       OR (val <> '' AND right(pat, 1) = '*' AND left(val, length(pat) - 1) = left(pat, -1));
CREATE TEMP TABLE bf_match AS
    SELECT q.s, q.neg, ep.e
    FROM bf_pattern q
    JOIN bf_segok k1 ON k1.pat = q.p1
    JOIN bf_segok k2 ON k2.pat = q.p2
    JOIN bf_segok k3 ON k3.pat = q.p3
    JOIN bf_ep ep ON ep.p = k1.val AND ep.r = k2.val AND ep.sv = k3.val;
CREATE TEMP TABLE bf_ref AS
    (SELECT s, e FROM bf_match WHERE NOT neg
     UNION
     SELECT st.s, ep.e FROM bf_set st, bf_ep ep WHERE st.s::text LIKE '!%')  -- only negatives
    EXCEPT
    SELECT s, e FROM bf_match WHERE neg;
CREATE TEMP TABLE bf_impl AS
    SELECT st.s, ep.e FROM bf_set st, bf_ep ep WHERE ep.e <@ st.s;
SELECT (SELECT count(*) FROM bf_set) AS sets,
       (SELECT count(*) FROM bf_set) * (SELECT count(*) FROM bf_ep) AS checks,
       (SELECT count(*) FROM bf_ref) AS members,
       (SELECT count(*) FROM (TABLE bf_ref EXCEPT TABLE bf_impl) AS x)
     + (SELECT count(*) FROM (TABLE bf_impl EXCEPT TABLE bf_ref) AS y) AS mismatches;

-- && against "some endpoint is in both"; pos() keeps only the positive
-- patterns (or '*' when there are none), to count the pairs that only the
-- negated patterns keep apart
CREATE FUNCTION pg_temp.pos(s endpoint_set) RETURNS endpoint_set LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN s::text LIKE '!%' THEN '*' ELSE regexp_replace(s::text, ', !.*$', '') END::dealscope.endpoint_set
$$;
CREATE TEMP TABLE bf_result AS
    SELECT i, a, b, a && b AS overlap, b && a AS commuted,
           EXISTS (SELECT 1 FROM bf_ep WHERE e <@ a AND e <@ b) AS brute,
           EXISTS (SELECT 1 FROM bf_ep WHERE e <@ a) AND EXISTS (SELECT 1 FROM bf_ep WHERE e <@ b) AS both_nonempty,
           pg_temp.pos(a) && pg_temp.pos(b) AS positives_overlap,
           a_text LIKE '%!%' OR b_text LIKE '%!%' AS has_negation
    FROM bf_pair;
SELECT count(*) AS pairs,
       count(*) FILTER (WHERE overlap) AS overlapping,
       count(*) FILTER (WHERE overlap AND has_negation) AS overlapping_with_negation,
       count(*) FILTER (WHERE NOT overlap AND both_nonempty) AS disjoint_nonempty,
       count(*) FILTER (WHERE NOT overlap AND both_nonempty AND positives_overlap) AS disjoint_by_negation,
       count(*) FILTER (WHERE overlap <> brute) AS mismatches,
       count(*) FILTER (WHERE overlap <> commuted) AS not_commutative
FROM bf_result;
-- any disagreement, listed (none expected)
SELECT i, a, b, overlap, brute FROM bf_result WHERE overlap <> brute OR overlap <> commuted;
