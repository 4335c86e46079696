-- Frozen: the managed edition at version 0.1.0 (the C edition's 0.1.0 API, with
-- the constructors endpoint(text), endpoint_set(text), rate_schedule(text) and
-- endpoint_sort_key it cannot do without), kept so that the upgrade test can
-- install 0.1.0 and update it (managed/updates/dealscope--0.1.0--0.2.0.sql).
-- dealscope 0.1.0, managed edition (SQL only), assembled by the Makefile from MANAGED_ORDER.
\echo Use "CREATE EXTENSION dealscope" to load this file. \quit
-- endpoint (managed edition): where a workload is served or revenue is earned,
-- written provider/region[/service].  A DOMAIN over text COLLATE "C" holding
-- only the canonical text (what the C edition's output function prints).
--
-- Differences from the C edition:
--   * endpoint is a domain over text, not a base type: a cast
--     'x'::dealscope.endpoint accepts only canonical text.  'AWS/x'::endpoint
--     is rejected (22P02, the C message and a hint naming
--     dealscope.endpoint('AWS/x')) where C lower-cases and trims; use the
--     constructor dealscope.endpoint(text), which does exactly what C's input
--     function does, errors included.
--   * PostgreSQL reads a type-named function applied to a bare literal,
--     dealscope.endpoint('AWS/x'), as the cast 'AWS/x'::dealscope.endpoint
--     (the "typename('literal')" rule of function-call resolution), so with
--     a bare literal the constructor is never called and non-canonical text
--     is rejected.  Write dealscope.to_endpoint('AWS/x') (managed/src/portable.sql,
--     in both editions), dealscope.endpoint('AWS/x'::text), or pass a text
--     column or a text-typed parameter.  The same holds for endpoint_set()
--     and rate_schedule().  (In the C edition both spellings canonicalise.)
--   * Casting a literal inside an expression that is evaluated per row,
--     e.g. e <@ 'aws, azure'::endpoint_set, re-runs the domain check for
--     every use of the value in the inlined membership test (tens of
--     microseconds per row); a column or parameter of the domain type costs
--     nothing.
--   * No send/recv: binary transfer is that of text (the canonical text
--     without C's leading format-version byte).
--   * No btree or hash operator class (a non-superuser cannot create them):
--     = and <> are text equality of canonical forms, which is exactly C's =;
--     hashing, hash joins, GROUP BY and hash partitioning use text's.
--     But <, <=, >, >=, ORDER BY and indexes on the column use text order in
--     collation "C", where '-' and '.' sort before '/' ('aws-x/a' < 'aws/x'),
--     unlike C's segment-wise order.  ORDER BY dealscope.endpoint_sort_key(e)
--     gives C's order in both editions; dealscope.min/max(endpoint) follow
--     C's order (they have no SORTOP, so they are not index-optimised).
--   * endpoint_cmp, endpoint_eq/ne/lt/le/gt/ge, endpoint_hash,
--     endpoint_hash_extended, endpoint_smaller/larger of C are not provided
--     under those names (the last two exist as min/max support functions).
--   * provider(), region(), service() return text in collation "C" (derived
--     from the domain), C's return text in the database default collation:
--     ORDER BY provider(e) sorts bytewise here.

-- Slow path of the validator: the exact C error for bad text, or the
-- "not canonical" error for text that C would accept after folding.
CREATE FUNCTION @extschema@.endpoint_parse(input text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    ws constant text := E' \t\n\r\f' || chr(11);
    names constant text[] := ARRAY['provider', 'region', 'service'];
    msg constant text := format('invalid input syntax for type endpoint: "%s"', input);
    buf text := translate(btrim(input, ws), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
                          'abcdefghijklmnopqrstuvwxyz');
    segs text[];
    seg text;
    bad text;
    n int;
BEGIN
    segs := CASE WHEN buf = '' THEN ARRAY[''] ELSE string_to_array(buf, '/') END;
    n := cardinality(segs);
    IF n > 3 THEN
        RAISE EXCEPTION USING ERRCODE = '22P02', MESSAGE = msg,
            DETAIL = 'An endpoint has at most three segments: provider/region[/service].';
    END IF;
    FOR i IN 1 .. n LOOP
        seg := segs[i];
        IF seg = '' THEN
            RAISE EXCEPTION USING ERRCODE = '22P02', MESSAGE = msg,
                DETAIL = format('The %s segment is empty.', names[i]);
        END IF;
        IF octet_length(seg) > 63 THEN
            RAISE EXCEPTION USING ERRCODE = '22P02', MESSAGE = msg,
                DETAIL = format('The %s segment "%s" is longer than 63 characters.', names[i], seg);
        END IF;
        bad := substring(seg FROM '[^a-z0-9._-]');
        IF bad IS NOT NULL THEN
            RAISE EXCEPTION USING ERRCODE = '22P02', MESSAGE = msg,
                DETAIL = format('The %s segment "%s" contains "%s"; segments use only a-z, 0-9, ".", "_" and "-".',
                                names[i], seg, bad);
        END IF;
        IF seg !~ '^[a-z0-9]' THEN
            RAISE EXCEPTION USING ERRCODE = '22P02', MESSAGE = msg,
                DETAIL = format('The %s segment "%s" must start with a letter or digit.', names[i], seg);
        END IF;
    END LOOP;
    IF n < 2 THEN
        RAISE EXCEPTION USING ERRCODE = '22P02', MESSAGE = msg,
            DETAIL = 'The region segment is missing; an endpoint is written provider/region[/service].',
            HINT = format('To name every region of a provider, use an endpoint_set pattern such as ''%s''.', segs[1]);
    END IF;
    RETURN buf;
END
$$;
COMMENT ON FUNCTION @extschema@.endpoint_parse(text) IS
    'internal: the canonical text of an endpoint written in input (trimmed, lower-cased), raising the C edition''s 22P02 errors';

-- Called by the domain check only when the fast regex test fails.
CREATE FUNCTION @extschema@.endpoint_check_slow(value text) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    canonical text := @extschema@.endpoint_parse(value);
BEGIN
    IF canonical = value THEN
        RETURN true;
    END IF;
    RAISE EXCEPTION USING ERRCODE = '22P02',
        MESSAGE = format('invalid input syntax for type endpoint: "%s"', value),
        DETAIL = format('The canonical form is "%s"; a cast to endpoint accepts only canonical text.', canonical),
        HINT = format('Use @extschema@.to_endpoint(%s), which trims and lower-cases.', quote_literal(value));
END
$$;
COMMENT ON FUNCTION @extschema@.endpoint_check_slow(text) IS
    'internal: the error for text that is not a canonical endpoint';

-- The domain check: one cached regex on canonical input, details only on failure.
CREATE FUNCTION @extschema@.endpoint_check(value text) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN CASE WHEN value OPERATOR(pg_catalog.~)
                     '^[a-z0-9][a-z0-9._-]{0,62}/[a-z0-9][a-z0-9._-]{0,62}(/[a-z0-9][a-z0-9._-]{0,62})?$'
                THEN true
                ELSE @extschema@.endpoint_check_slow(value) END;
COMMENT ON FUNCTION @extschema@.endpoint_check(text) IS
    'validator of the endpoint domain: true for canonical text, else raises the C edition''s 22P02 error';

CREATE DOMAIN @extschema@.endpoint AS text COLLATE "C"
    CHECK (@extschema@.endpoint_check(VALUE));
COMMENT ON DOMAIN @extschema@.endpoint IS
    'where a workload is served or revenue is earned: provider/region[/service], e.g. aws/us-east-1/bedrock (canonical text; build with endpoint(text))';

CREATE FUNCTION @extschema@.endpoint(value text) RETURNS @extschema@.endpoint
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN (CASE WHEN value OPERATOR(pg_catalog.~)
                      '^[a-z0-9][a-z0-9._-]{0,62}/[a-z0-9][a-z0-9._-]{0,62}(/[a-z0-9][a-z0-9._-]{0,62})?$'
                 THEN value
                 ELSE @extschema@.endpoint_parse(value) END)::@extschema@.endpoint;
COMMENT ON FUNCTION @extschema@.endpoint(text) IS
    'the endpoint written in value, trimmed and lower-cased (what the C edition''s cast does; a cast here accepts only canonical text)';

CREATE FUNCTION @extschema@.endpoint(provider text, region text, service text DEFAULT NULL)
    RETURNS @extschema@.endpoint
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    names constant text[] := ARRAY['provider', 'region', 'service'];
    parts text[] := ARRAY[provider, region, service];
BEGIN
    IF provider IS NULL OR region IS NULL THEN
        RETURN NULL;
    END IF;
    FOR i IN 1 .. 3 LOOP
        IF strpos(parts[i], '/') > 0 THEN
            RAISE EXCEPTION USING ERRCODE = '22023',
                MESSAGE = format('invalid endpoint %s "%s"', names[i], parts[i]),
                DETAIL = 'A segment cannot contain "/".';
        END IF;
    END LOOP;
    RETURN @extschema@.endpoint(provider || '/' || region || coalesce('/' || service, ''));
END
$$;
COMMENT ON FUNCTION @extschema@.endpoint(text, text, text) IS
    'builds an endpoint from its segments; NULL provider or region gives NULL, NULL service names the whole region';

CREATE FUNCTION @extschema@.provider(@extschema@.endpoint) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN pg_catalog.split_part($1, '/', 1);
COMMENT ON FUNCTION @extschema@.provider(@extschema@.endpoint) IS 'the provider segment of an endpoint, e.g. aws';
CREATE FUNCTION @extschema@.region(@extschema@.endpoint) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN pg_catalog.split_part($1, '/', 2);
COMMENT ON FUNCTION @extschema@.region(@extschema@.endpoint) IS 'the region segment of an endpoint, e.g. us-east-1';
CREATE FUNCTION @extschema@.service(@extschema@.endpoint) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN NULLIF(pg_catalog.split_part($1, '/', 3), '');
COMMENT ON FUNCTION @extschema@.service(@extschema@.endpoint) IS 'the service segment of an endpoint, NULL when it names a whole region';

-- Bytes that sort as C's endpoints do: byte 1 replaces "/" so that it sorts
-- below every segment character; bytea compares bytewise under any collation.
-- The same bytes as the C edition's endpoint_sort_key.
CREATE FUNCTION @extschema@.endpoint_sort_key(e @extschema@.endpoint) RETURNS bytea
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN pg_catalog.decode(pg_catalog.translate(e, '/', E'\x01'), 'escape');
COMMENT ON FUNCTION @extschema@.endpoint_sort_key(@extschema@.endpoint) IS
    'a bytea that sorts as endpoints do (provider, region, service, a missing service first); ORDER BY it gives the same order in both editions';

-- min / max in C's order (the domain's own < is text order).
CREATE FUNCTION @extschema@.endpoint_smaller(a @extschema@.endpoint, b @extschema@.endpoint)
    RETURNS @extschema@.endpoint
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN CASE WHEN @extschema@.endpoint_sort_key(a) OPERATOR(pg_catalog.<=) @extschema@.endpoint_sort_key(b)
                THEN a ELSE b END;
CREATE FUNCTION @extschema@.endpoint_larger(a @extschema@.endpoint, b @extschema@.endpoint)
    RETURNS @extschema@.endpoint
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN CASE WHEN @extschema@.endpoint_sort_key(a) OPERATOR(pg_catalog.>=) @extschema@.endpoint_sort_key(b)
                THEN a ELSE b END;
COMMENT ON FUNCTION @extschema@.endpoint_smaller(@extschema@.endpoint, @extschema@.endpoint) IS 'the lesser of two endpoints in C''s order (min support)';
COMMENT ON FUNCTION @extschema@.endpoint_larger(@extschema@.endpoint, @extschema@.endpoint) IS 'the greater of two endpoints in C''s order (max support)';
CREATE AGGREGATE @extschema@.min(@extschema@.endpoint) (
    SFUNC = @extschema@.endpoint_smaller, STYPE = @extschema@.endpoint,
    COMBINEFUNC = @extschema@.endpoint_smaller, PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.max(@extschema@.endpoint) (
    SFUNC = @extschema@.endpoint_larger, STYPE = @extschema@.endpoint,
    COMBINEFUNC = @extschema@.endpoint_larger, PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.min(@extschema@.endpoint) IS 'the least endpoint in the group (C''s order: provider, region, service)';
COMMENT ON AGGREGATE @extschema@.max(@extschema@.endpoint) IS 'the greatest endpoint in the group (C''s order: provider, region, service)';
-- endpoint_set (managed edition): a scope of endpoints, comma-separated
-- patterns [!]provider[/region[/service]], each segment a literal, '*' or a
-- prefix glob such as 'eu-*'.  A DOMAIN over text COLLATE "C" holding only the
-- canonical text C's output function prints: positives then negatives, each
-- sorted as C sorts them, duplicates and trailing '*' segments removed,
-- joined by ', '.
--
-- Differences from the C edition:
--   * endpoint_set is a domain over text: a cast accepts only canonical text
--     ('AWS, azure'::endpoint_set is rejected with 22P02 and a hint naming
--     dealscope.endpoint_set(...)); the constructor endpoint_set(text)
--     canonicalises exactly as C's input function, errors included.
--   * No send/recv: binary transfer is that of text (no version byte).
--   * No btree or hash operator class: = and <> are text equality of the
--     canonical forms, exactly C's =; hashing is text's.  <, >, ORDER BY and
--     indexes use text order, which differs from C's endpoint_set_cmp
--     ('a-b' < 'a/x' here); ORDER BY dealscope.endpoint_set_sort_key(s)
--     gives C's order.  endpoint_set_cmp/_eq/_ne/_lt/.../_hash are omitted.
--   * @>, <@ and && are operators on the domain types; their selectivity
--     estimators are the same as C's.

-- Canonical text of the set written in input, raising C's 22P02 / 54000 errors.
CREATE FUNCTION @extschema@.endpoint_set_parse(input text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    ws constant text := E' \t\n\r\f' || chr(11);
    names constant text[] := ARRAY['provider', 'region', 'service'];
    msg constant text := format('invalid input syntax for type endpoint_set: "%s"', input);
    folded constant text := translate(input, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz');
    fpieces text[];
    opieces text[];
    pats text[] := '{}';
    fs text; os text; body text; obody text;
    fsegs text[]; osegs text[];
    seg text; oseg text; base text; bad text;
    neg boolean;
    nseg int;
    npos int; nneg int;
    result text;
BEGIN
    IF btrim(input, ws) = '' THEN
        RETURN '';
    END IF;
    fpieces := string_to_array(folded, ',');
    opieces := string_to_array(input, ',');
    FOR patno IN 1 .. cardinality(fpieces) LOOP
        fs := btrim(fpieces[patno], ws);
        os := btrim(opieces[patno], ws);
        IF fs = '' THEN
            RAISE EXCEPTION USING ERRCODE = '22P02', MESSAGE = msg,
                DETAIL = format('Pattern %s is empty.', patno);
        END IF;
        IF patno > 262144 THEN
            RAISE EXCEPTION USING ERRCODE = '54000', MESSAGE = 'endpoint_set has too many patterns',
                DETAIL = 'An endpoint_set holds at most 65535 positive and 65535 negative patterns.';
        END IF;
        neg := left(fs, 1) = '!';
        IF neg THEN
            IF fs = '!' THEN
                RAISE EXCEPTION USING ERRCODE = '22P02', MESSAGE = msg,
                    DETAIL = format('Pattern %s "%s" has nothing after "!".', patno, os);
            END IF;
            body := substr(fs, 2);
            obody := substr(os, 2);
        ELSE
            body := fs;
            obody := os;
        END IF;
        fsegs := string_to_array(body, '/');
        osegs := string_to_array(obody, '/');
        FOR i IN 1 .. least(cardinality(fsegs), 3) LOOP
            seg := fsegs[i];
            oseg := osegs[i];
            IF seg = '' THEN
                RAISE EXCEPTION USING ERRCODE = '22P02', MESSAGE = msg,
                    DETAIL = format('The %s segment of pattern %s "%s" is empty.', names[i], patno, os);
            END IF;
            IF octet_length(seg) > 63 THEN
                RAISE EXCEPTION USING ERRCODE = '22P02', MESSAGE = msg,
                    DETAIL = format('The %s segment "%s" of pattern %s "%s" is longer than 63 characters.',
                                    names[i], oseg, patno, os);
            END IF;
            CONTINUE WHEN seg = '*';
            IF strpos(seg, '*') BETWEEN 1 AND length(seg) - 1 THEN
                RAISE EXCEPTION USING ERRCODE = '22P02', MESSAGE = msg,
                    DETAIL = format('The %s segment "%s" of pattern %s "%s" has "*" before its end; a glob is a prefix followed by a single "*".',
                                    names[i], oseg, patno, os);
            END IF;
            base := rtrim(seg, '*');
            bad := substring(base FROM '[^a-z0-9._-]');
            IF bad IS NOT NULL THEN
                RAISE EXCEPTION USING ERRCODE = '22P02', MESSAGE = msg,
                    DETAIL = format('The %s segment "%s" of pattern %s "%s" contains "%s"; segments use only a-z, 0-9, ".", "_" and "-", and a glob ends in "*".',
                                    names[i], oseg, patno, os, bad);
            END IF;
            IF base !~ '^[a-z0-9]' THEN
                RAISE EXCEPTION USING ERRCODE = '22P02', MESSAGE = msg,
                    DETAIL = format('The %s segment "%s" of pattern %s "%s" must start with a letter or digit.',
                                    names[i], oseg, patno, os);
            END IF;
        END LOOP;
        IF cardinality(fsegs) > 3 THEN
            RAISE EXCEPTION USING ERRCODE = '22P02', MESSAGE = msg,
                DETAIL = format('Pattern %s "%s" has more than three segments; a pattern is written [!]provider[/region[/service]].',
                                patno, os);
        END IF;
        -- missing trailing segments mean '*', so trailing '*' segments are dropped
        nseg := cardinality(fsegs);
        WHILE nseg > 0 AND fsegs[nseg] = '*' LOOP
            nseg := nseg - 1;
        END LOOP;
        pats := pats || ((CASE WHEN neg THEN '!' ELSE '' END) ||
                         CASE WHEN nseg = 0 THEN '*' ELSE array_to_string(fsegs[1:nseg], '/') END);
    END LOOP;
    SELECT string_agg(p, ', ' ORDER BY left(p, 1) = '!', string_to_array(ltrim(p, '!'), '/') COLLATE "C"),
           count(*) FILTER (WHERE left(p, 1) <> '!'), count(*) FILTER (WHERE left(p, 1) = '!')
      INTO result, npos, nneg
      FROM (SELECT DISTINCT p FROM unnest(pats) AS u(p)) d;
    IF npos > 65535 OR nneg > 65535 THEN
        RAISE EXCEPTION USING ERRCODE = '54000', MESSAGE = 'endpoint_set has too many patterns',
            DETAIL = 'An endpoint_set holds at most 65535 positive and 65535 negative patterns.';
    END IF;
    RETURN result;
END
$$;
COMMENT ON FUNCTION @extschema@.endpoint_set_parse(text) IS
    'internal: the canonical text of the endpoint set written in input, raising the C edition''s errors';

-- The order of two canonical pattern lists as C sorts patterns: positives
-- first, then the segment texts bytewise, fewer segments first.
CREATE FUNCTION @extschema@.endpoint_set_sorted(value text) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    pats constant text[] := string_to_array(value, ', ');
    prev_neg boolean;
    prev_key text[];
    neg boolean;
    key text[];
BEGIN
    FOR i IN 1 .. cardinality(pats) LOOP
        neg := left(pats[i], 1) = '!';
        key := string_to_array(ltrim(pats[i], '!'), '/');
        IF i > 1 AND (prev_neg, prev_key COLLATE "C") >= (neg, key COLLATE "C") THEN
            RETURN false;
        END IF;
        prev_neg := neg;
        prev_key := key;
    END LOOP;
    RETURN true;
END
$$;
COMMENT ON FUNCTION @extschema@.endpoint_set_sorted(text) IS
    'internal: true when the patterns of value are strictly in C''s canonical order (hence also free of duplicates)';

CREATE FUNCTION @extschema@.endpoint_set_check_slow(value text) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    canonical text := @extschema@.endpoint_set_parse(value);
BEGIN
    IF canonical = value THEN
        RETURN true;
    END IF;
    RAISE EXCEPTION USING ERRCODE = '22P02',
        MESSAGE = format('invalid input syntax for type endpoint_set: "%s"', value),
        DETAIL = format('The canonical form is "%s"; a cast to endpoint_set accepts only canonical text.', canonical),
        HINT = format('Use @extschema@.to_endpoint_set(%s), which trims, lower-cases, sorts and removes duplicates.',
                      quote_literal(value));
END
$$;
COMMENT ON FUNCTION @extschema@.endpoint_set_check_slow(text) IS
    'internal: the error for text that is not a canonical endpoint set';

-- Fast path: the canonical shape (one cached regex), no segment over 63
-- characters, and (with several patterns) C's order.
CREATE FUNCTION @extschema@.endpoint_set_check(value text) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 1
    RETURN CASE WHEN value OPERATOR(pg_catalog.~)
                     '^(!?(\*|((\*|[a-z0-9][a-z0-9._-]*\*?)/){0,2}[a-z0-9][a-z0-9._-]*\*?)(, !?(\*|((\*|[a-z0-9][a-z0-9._-]*\*?)/){0,2}[a-z0-9][a-z0-9._-]*\*?))*)?$'
                 AND value OPERATOR(pg_catalog.!~) '[^/, !]{64}'
                 AND (pg_catalog.strpos(value, ',') OPERATOR(pg_catalog.=) 0
                      OR @extschema@.endpoint_set_sorted(value))
                THEN true
                ELSE @extschema@.endpoint_set_check_slow(value) END;
COMMENT ON FUNCTION @extschema@.endpoint_set_check(text) IS
    'validator of the endpoint_set domain: true for canonical text, else raises the C edition''s error';

CREATE DOMAIN @extschema@.endpoint_set AS text COLLATE "C"
    CHECK (@extschema@.endpoint_set_check(VALUE));
COMMENT ON DOMAIN @extschema@.endpoint_set IS
    'a scope of endpoints: comma-separated patterns [!]provider[/region[/service]], segments literal, * or prefix*, e.g. ''aws, azure/eu-*, !aws/us-gov-*'' (canonical text; build with endpoint_set(text))';

CREATE FUNCTION @extschema@.endpoint_set(value text) RETURNS @extschema@.endpoint_set
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN @extschema@.endpoint_set_parse(value)::@extschema@.endpoint_set;
COMMENT ON FUNCTION @extschema@.endpoint_set(text) IS
    'the endpoint set written in value, in canonical form (what the C edition''s cast does; a cast here accepts only canonical text)';

-- Membership as one regular expression built from the canonical text
-- (PostgreSQL caches compiled regexes): negatives become a negative
-- lookahead, positives an alternation; a segment '*' or 'x*' becomes
-- '[^/]*' or 'x[^/]*', and each pattern must end where a segment ends.
-- An absent service is matched only by an implied '*' (patterns with fewer
-- than three segments), exactly as in C.  Not STRICT so that it inlines; a
-- NULL set gives NULL.
CREATE FUNCTION @extschema@.endpoint_set_regex(s text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN s OPERATOR(pg_catalog.=) '' THEN '^$'
        ELSE '^' OPERATOR(pg_catalog.||)
            CASE WHEN pg_catalog.strpos(s, '!') OPERATOR(pg_catalog.>) 0
                 THEN '(?!(?:' OPERATOR(pg_catalog.||)
                      pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(
                          pg_catalog.replace(pg_catalog.substr(s, pg_catalog.strpos(s, '!')), '!', ''),
                          '.', '\.'), '*', '[^/]*'), ', ', '|')
                      OPERATOR(pg_catalog.||) ')(?:/|$))'
                 ELSE '' END
            OPERATOR(pg_catalog.||)
            CASE WHEN pg_catalog.strpos(s, '!') OPERATOR(pg_catalog.=) 1 THEN ''
                 ELSE '(?:' OPERATOR(pg_catalog.||)
                      pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(
                          CASE WHEN pg_catalog.strpos(s, '!') OPERATOR(pg_catalog.=) 0 THEN s
                               ELSE pg_catalog.left(s, pg_catalog.strpos(s, '!') OPERATOR(pg_catalog.-) 3) END,
                          '.', '\.'), '*', '[^/]*'), ', ', '|')
                      OPERATOR(pg_catalog.||) ')(?:/|$)' END
        END;
COMMENT ON FUNCTION @extschema@.endpoint_set_regex(text) IS
    'internal: a regular expression matching exactly the endpoints of a canonical endpoint set';

CREATE FUNCTION @extschema@.endpoint_set_contains_endpoint(@extschema@.endpoint_set, @extschema@.endpoint)
    RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN $2 OPERATOR(pg_catalog.~) @extschema@.endpoint_set_regex($1);
CREATE FUNCTION @extschema@.endpoint_contained_by_endpoint_set(@extschema@.endpoint, @extschema@.endpoint_set)
    RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN $1 OPERATOR(pg_catalog.~) @extschema@.endpoint_set_regex($2);
COMMENT ON FUNCTION @extschema@.endpoint_set_contains_endpoint(@extschema@.endpoint_set, @extschema@.endpoint) IS
    'implementation of @> : true when the endpoint belongs to the set';
COMMENT ON FUNCTION @extschema@.endpoint_contained_by_endpoint_set(@extschema@.endpoint, @extschema@.endpoint_set) IS
    'implementation of <@ : true when the endpoint belongs to the set';

-- ---------------------------------------------------------------------
-- Overlap (&&), exact: the witness search of the C edition
-- (src/endpoint_set.c), step for step.  A segment is its canonical text:
-- 'x' literal, 'x*' prefix, '*' any; a witness is a text, NULL meaning
-- "no service".  A pattern is 'p/r/s' with '*' for missing segments.
-- ---------------------------------------------------------------------

-- Extend buf to a string equal to no literal and extending no base (or NULL).
CREATE FUNCTION @extschema@.endpoint_set_fresh(buf text, lits text[], bases text[]) RETURNS text
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    chars constant text := CASE WHEN buf = '' THEN '0123456789abcdefghijklmnopqrstuvwxyz'
                                ELSE '0123456789abcdefghijklmnopqrstuvwxyz-._' END;
    cand text;
    found text;
BEGIN
    IF length(buf) >= 63 THEN
        RETURN NULL;
    END IF;
    FOR c IN 1 .. length(chars) LOOP
        cand := buf || substr(chars, c, 1);
        IF NOT (cand = ANY (bases)) AND NOT (cand = ANY (lits)) THEN
            RETURN cand;
        END IF;
    END LOOP;
    FOR c IN 1 .. length(chars) LOOP
        cand := buf || substr(chars, c, 1);
        CONTINUE WHEN cand = ANY (bases);
        found := @extschema@.endpoint_set_fresh(cand, lits, bases);
        IF found IS NOT NULL THEN
            RETURN found;
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.endpoint_set_fresh(text, text[], text[]) IS
    'internal (&&): the first extension of buf equal to no literal and extending no prefix base, NULL if none within 63 characters';

-- Is box (three segments) minus the union of the negatives non-empty?
CREATE FUNCTION @extschema@.endpoint_set_box_escapes(box text[], level int, negs text[]) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    boxseg constant text := box[level + 1];
    lits text[] := '{}';
    bases text[] := '{}';
    ws text[] := '{}';
    s text;
    b text;
    w text;
    f text;
    sub text[];
BEGIN
    IF cardinality(negs) = 0 THEN
        RETURN true;
    END IF;
    IF level = 3 THEN
        RETURN false;
    END IF;
    -- one witness per cell of the partition of boxseg by the negatives' segments
    IF boxseg <> '*' AND right(boxseg, 1) <> '*' THEN
        ws := ARRAY[boxseg];
    ELSE
        IF boxseg <> '*' THEN
            bases := ARRAY[left(boxseg, -1)];
        END IF;
        FOREACH s IN ARRAY negs LOOP
            s := split_part(s, '/', level + 1);
            CONTINUE WHEN s = '*';
            IF right(s, 1) = '*' THEN
                bases := bases || left(s, -1);
            ELSE
                lits := lits || s;
            END IF;
        END LOOP;
        FOREACH s IN ARRAY lits LOOP
            IF boxseg = '*' OR starts_with(s, left(boxseg, -1)) THEN
                ws := ws || s;
            END IF;
        END LOOP;
        FOREACH b IN ARRAY bases LOOP
            IF boxseg = '*' OR starts_with(b, left(boxseg, -1)) THEN
                ws := ws || b;
                f := @extschema@.endpoint_set_fresh(b, lits, bases);
                IF f IS NOT NULL THEN
                    ws := ws || f;
                END IF;
            END IF;
        END LOOP;
        IF boxseg = '*' THEN
            f := @extschema@.endpoint_set_fresh('', lits, bases);
            IF f IS NOT NULL THEN
                ws := ws || f;
            END IF;
            IF level = 2 THEN
                ws := ws || NULL::text;
            END IF;
        END IF;
    END IF;
    FOR i IN 1 .. cardinality(ws) LOOP
        w := ws[i];
        sub := '{}';
        FOREACH s IN ARRAY negs LOOP
            b := split_part(s, '/', level + 1);
            IF b = '*' OR (w IS NOT NULL AND
                           CASE WHEN right(b, 1) = '*' THEN starts_with(w, left(b, -1)) ELSE w = b END) THEN
                sub := sub || s;
            END IF;
        END LOOP;
        IF @extschema@.endpoint_set_box_escapes(box, level + 1, sub) THEN
            RETURN true;
        END IF;
    END LOOP;
    RETURN false;
END
$$;
COMMENT ON FUNCTION @extschema@.endpoint_set_box_escapes(text[], int, text[]) IS
    'internal (&&): true when some endpoint of box (segments from level on) escapes every negative pattern';

-- Segment-wise intersection of two box segments; NULL when empty.
CREATE FUNCTION @extschema@.endpoint_set_segment_intersect(a text, b text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN CASE
        WHEN a OPERATOR(pg_catalog.=) '*' THEN b
        WHEN b OPERATOR(pg_catalog.=) '*' THEN a
        WHEN pg_catalog.right(a, 1) OPERATOR(pg_catalog.<>) '*' AND pg_catalog.right(b, 1) OPERATOR(pg_catalog.<>) '*'
            THEN CASE WHEN a OPERATOR(pg_catalog.=) b THEN a END
        WHEN pg_catalog.right(a, 1) OPERATOR(pg_catalog.<>) '*'
            THEN CASE WHEN pg_catalog.starts_with(a, pg_catalog.left(b, -1)) THEN a END
        WHEN pg_catalog.right(b, 1) OPERATOR(pg_catalog.<>) '*'
            THEN CASE WHEN pg_catalog.starts_with(b, pg_catalog.left(a, -1)) THEN b END
        WHEN pg_catalog.starts_with(a, pg_catalog.left(b, -1)) THEN a
        WHEN pg_catalog.starts_with(b, pg_catalog.left(a, -1)) THEN b
    END;
COMMENT ON FUNCTION @extschema@.endpoint_set_segment_intersect(text, text) IS
    'internal (&&): the intersection of two pattern segments (literal, prefix* or *), NULL when empty';

-- Patterns of a canonical set as 'p/r/s' (missing segments '*').
CREATE FUNCTION @extschema@.endpoint_set_patterns(s text, negated boolean) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
    SELECT coalesce(pg_catalog.array_agg(
               pg_catalog.split_part(q, '/', 1) OPERATOR(pg_catalog.||) '/' OPERATOR(pg_catalog.||)
               coalesce(NULLIF(pg_catalog.split_part(q, '/', 2), ''), '*')
               OPERATOR(pg_catalog.||) '/' OPERATOR(pg_catalog.||)
               coalesce(NULLIF(pg_catalog.split_part(q, '/', 3), ''), '*') ORDER BY n), '{}')
      FROM (SELECT pg_catalog.ltrim(p, '!') AS q, n
              FROM pg_catalog.unnest(pg_catalog.string_to_array(s, ', ')) WITH ORDINALITY AS u(p, n)
             WHERE (pg_catalog.left(p, 1) OPERATOR(pg_catalog.=) '!') OPERATOR(pg_catalog.=) negated) x;
END;
COMMENT ON FUNCTION @extschema@.endpoint_set_patterns(text, boolean) IS
    'internal (&&): the positive or negative patterns of a canonical set, each as provider/region/service with * for missing segments';

CREATE FUNCTION @extschema@.endpoint_set_overlaps(a @extschema@.endpoint_set, b @extschema@.endpoint_set)
    RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    boxa text[];
    boxb text[];
    negs text[];
    pa text; pb text;
    box text[];
BEGIN
    IF a = '' OR b = '' THEN
        RETURN false;
    END IF;
    boxa := @extschema@.endpoint_set_patterns(a, false);
    boxb := @extschema@.endpoint_set_patterns(b, false);
    IF cardinality(boxa) = 0 THEN boxa := ARRAY['*/*/*']; END IF;
    IF cardinality(boxb) = 0 THEN boxb := ARRAY['*/*/*']; END IF;
    negs := @extschema@.endpoint_set_patterns(a, true) || @extschema@.endpoint_set_patterns(b, true);
    FOREACH pa IN ARRAY boxa LOOP
        FOREACH pb IN ARRAY boxb LOOP
            box := ARRAY[@extschema@.endpoint_set_segment_intersect(split_part(pa, '/', 1), split_part(pb, '/', 1)),
                         @extschema@.endpoint_set_segment_intersect(split_part(pa, '/', 2), split_part(pb, '/', 2)),
                         @extschema@.endpoint_set_segment_intersect(split_part(pa, '/', 3), split_part(pb, '/', 3))];
            IF box[1] IS NOT NULL AND box[2] IS NOT NULL AND box[3] IS NOT NULL
               AND @extschema@.endpoint_set_box_escapes(box, 0, negs) THEN
                RETURN true;
            END IF;
        END LOOP;
    END LOOP;
    RETURN false;
END
$$;
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

-- C's btree order of endpoint_set: pattern by pattern (positives first,
-- segment texts bytewise, fewer segments first), a leading part first.
-- Byte 3/4 mark a positive/negative pattern, byte 2 separates segments and
-- byte 1 patterns, all below every segment character; bytea compares bytewise.
CREATE FUNCTION @extschema@.endpoint_set_sort_key(s @extschema@.endpoint_set) RETURNS bytea
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN pg_catalog.decode(
        pg_catalog.regexp_replace(
            pg_catalog.translate(pg_catalog.replace(pg_catalog.replace(
                CASE WHEN s OPERATOR(pg_catalog.=) '' THEN '' ELSE ', ' OPERATOR(pg_catalog.||) s END,
                ', !', E'\x01\x04'), ', ', E'\x01\x03'), '/', E'\x02'),
            '^\x01', ''),
        'escape');
COMMENT ON FUNCTION @extschema@.endpoint_set_sort_key(@extschema@.endpoint_set) IS
    'a bytea that sorts as the C edition orders endpoint sets; ORDER BY it gives C''s order';
-- rate_schedule (managed edition): a piecewise-linear rate over dates, used
-- for revenue shares that wind down.  A DOMAIN over text COLLATE "C" holding
-- only the canonical text the C edition's output function prints:
--   '20%'                      one constant segment over all days
--   '{}'                       no segment (rate 0 every day)
--   '{[lo,hi) r%[->r%], ...}'  segments, dates YYYY-MM-DD or +-infinity,
--                              rates as percents with minimal decimals.
-- Every computation is exact (numeric); a decimal is produced at the end,
-- exact when it terminates, else rounded half up to 20 places, as in C.
--
-- Differences from the C edition:
--   * rate_schedule is a domain over text: a cast accepts only canonical
--     text ('0.2'::rate_schedule is rejected with 22P02 and a hint naming
--     dealscope.rate_schedule(...)); the constructor rate_schedule(text)
--     parses exactly as C's input function, errors included.
--   * No send/recv: binary transfer is that of text (C sends a version byte
--     and 24 bytes per segment).
--   * No hash operator class: = and <> are text equality of canonical forms,
--     which equals C's byte equality of the stored segments.
--     rate_schedule_eq/_ne/_hash/_hash_extended are omitted.
--   * The C edition's int128 arithmetic is emulated: where C raises 22003
--     "rate_schedule arithmetic out of range", so does this edition (the
--     same intermediate values are checked against 2^127 - 1).
--   * average_rate's error message for a range with a date before year 1
--     (BC) may print the year differently.

-- The error every parse problem raises (see parse_fail in rate_schedule.c).
CREATE FUNCTION @extschema@.rate_schedule_fail(input text, c text[], segno int, segstart int,
                                               segment_empty boolean, problem text)
    RETURNS void
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    msg constant text := format('invalid input syntax for type rate_schedule: "%s"', input);
    e int;
    depth int := 0;
    ch text;
BEGIN
    IF segno > 0 AND segment_empty THEN
        RAISE EXCEPTION USING ERRCODE = '22P02', MESSAGE = msg,
            DETAIL = format('Segment %s is empty.', segno);
    END IF;
    IF segno > 0 THEN
        -- the segment's text: up to a "," or "}" outside brackets
        e := segstart;
        LOOP
            ch := c[e];
            EXIT WHEN ch IS NULL;
            IF ch IN ('[', '(') OR (e = segstart AND ch = ']') THEN
                depth := depth + 1;
            ELSIF ch IN (']', ')') AND depth > 0 THEN
                depth := depth - 1;
            ELSIF (ch = ',' AND depth = 0) OR ch = '}' THEN
                EXIT;
            END IF;
            e := e + 1;
        END LOOP;
        WHILE e > segstart AND c[e - 1] IN (' ', E'\t', E'\n', E'\r', E'\f', chr(11)) LOOP
            e := e - 1;
        END LOOP;
        RAISE EXCEPTION USING ERRCODE = '22P02', MESSAGE = msg,
            DETAIL = format('Segment %s "%s": %s.', segno,
                            array_to_string(c[segstart:e - 1], ''), problem);
    END IF;
    RAISE EXCEPTION USING ERRCODE = '22P02', MESSAGE = msg,
        DETAIL = CASE WHEN left(problem, 1) BETWEEN 'a' AND 'z' COLLATE "C"
                      THEN upper(left(problem, 1)) || substr(problem, 2) ELSE problem END || '.';
END
$$;
COMMENT ON FUNCTION @extschema@.rate_schedule_fail(text, text[], int, int, boolean, text) IS
    'internal: raises the C edition''s 22P02 error for a rate_schedule text, naming the segment being read';

-- The character at p quoted for a message ("end of input" at the end).
CREATE FUNCTION @extschema@.rate_schedule_quote_char(c text[], p int) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN c[p] IS NULL THEN 'end of input' ELSE '"' OPERATOR(pg_catalog.||) c[p] OPERATOR(pg_catalog.||) '"' END;
COMMENT ON FUNCTION @extschema@.rate_schedule_quote_char(text[], int) IS 'internal: the character at p quoted for a message';

-- The "word" at p: up to white space or a delimiter of the list syntax.
CREATE FUNCTION @extschema@.rate_schedule_word(c text[], p int) RETURNS text
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    e int := p;
BEGIN
    WHILE c[e] IS NOT NULL AND c[e] NOT IN (' ', E'\t', E'\n', E'\r', E'\f', chr(11), ',', '{', '}', '[', ']', '(', ')')
          AND NOT (e > p AND c[e] = '-' AND c[e + 1] IS NOT DISTINCT FROM '>') LOOP
        e := e + 1;
    END LOOP;
    IF e = p THEN
        RETURN @extschema@.rate_schedule_quote_char(c, p);
    END IF;
    RETURN '"' || array_to_string(c[p:e - 1], '') || '"';
END
$$;
COMMENT ON FUNCTION @extschema@.rate_schedule_word(text[], int) IS 'internal: the word at p quoted for a message';

-- A day number (days since 2000-01-01; C's DATEVAL_NOBEGIN/NOEND for the
-- infinities) as the text form writes it.
CREATE FUNCTION @extschema@.rate_schedule_date_text(d int) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN CASE WHEN d OPERATOR(pg_catalog.=) -2147483648 THEN '-infinity'
                WHEN d OPERATOR(pg_catalog.=) 2147483647 THEN 'infinity'
                ELSE pg_catalog.lpad(EXTRACT(year FROM DATE '2000-01-01' OPERATOR(pg_catalog.+) d)::text,
                                     GREATEST(4, pg_catalog.length(EXTRACT(year FROM DATE '2000-01-01' OPERATOR(pg_catalog.+) d)::text)), '0')
                     OPERATOR(pg_catalog.||) '-' OPERATOR(pg_catalog.||)
                     pg_catalog.lpad(EXTRACT(month FROM DATE '2000-01-01' OPERATOR(pg_catalog.+) d)::text, 2, '0')
                     OPERATOR(pg_catalog.||) '-' OPERATOR(pg_catalog.||)
                     pg_catalog.lpad(EXTRACT(day FROM DATE '2000-01-01' OPERATOR(pg_catalog.+) d)::text, 2, '0') END;
COMMENT ON FUNCTION @extschema@.rate_schedule_date_text(int) IS 'internal: a day number as YYYY-MM-DD or +-infinity';

-- A rate in units of 10^-12 as a percent with minimal decimals.
CREATE FUNCTION @extschema@.rate_schedule_rate_text(r bigint) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN (r OPERATOR(pg_catalog./) 10000000000)::text
           OPERATOR(pg_catalog.||)
           CASE WHEN r OPERATOR(pg_catalog.%) 10000000000 OPERATOR(pg_catalog.=) 0 THEN ''
                ELSE '.' OPERATOR(pg_catalog.||)
                     pg_catalog.rtrim(pg_catalog.lpad((r OPERATOR(pg_catalog.%) 10000000000)::text, 10, '0'), '0') END
           OPERATOR(pg_catalog.||) '%';
COMMENT ON FUNCTION @extschema@.rate_schedule_rate_text(bigint) IS 'internal: a rate (units of 1e-12) as the canonical percent text';

-- Read a rate at p (see parse_rate in rate_schedule.c).
CREATE FUNCTION @extschema@.rate_schedule_read_rate(input text, c text[], INOUT p int, after_arrow boolean,
                                                    segno int, segstart int, OUT value bigint)
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    ws constant text[] := ARRAY[' ', E'\t', E'\n', E'\r', E'\f', chr(11)];
    start constant int := p;
    s int := p;
    negative boolean := false;
    percent boolean;
    int_start int; int_end int;
    frac_start int; frac_end int;
    q int;
    token text;
    digits text;
    fdigits text;
BEGIN
    IF c[s] = '-' AND (c[s + 1] BETWEEN '0' AND '9' OR c[s + 1] = '.') THEN
        negative := true;
        s := s + 1;
    END IF;
    int_start := s;
    WHILE c[s] BETWEEN '0' AND '9' LOOP s := s + 1; END LOOP;
    int_end := s;
    IF c[s] = '.' THEN
        s := s + 1;
        frac_start := s;
        WHILE c[s] BETWEEN '0' AND '9' LOOP s := s + 1; END LOOP;
        frac_end := s;
    END IF;
    IF int_end = int_start AND (frac_start IS NULL OR frac_end = frac_start) THEN
        IF c[start] IS NULL OR c[start] IN (',', '}') THEN
            PERFORM @extschema@.rate_schedule_fail(input, c, segno, segstart, false,
                CASE WHEN after_arrow THEN 'the rate after "->" is missing' ELSE 'the rate is missing' END);
        END IF;
        PERFORM @extschema@.rate_schedule_fail(input, c, segno, segstart, false,
            @extschema@.rate_schedule_word(c, start) || ' is not a rate; write a percent such as 12.5% or a fraction such as 0.125');
    END IF;
    q := s;
    WHILE c[q] = ANY (ws) LOOP q := q + 1; END LOOP;
    percent := c[q] IS NOT DISTINCT FROM '%';
    IF percent THEN
        s := q + 1;
    END IF;
    token := array_to_string(c[start:s - 1], '');
    p := s;
    IF c[s] IS NOT NULL AND NOT (c[s] = ANY (ws)) AND c[s] NOT IN (',', '}')
       AND NOT (c[s] = '-' AND c[s + 1] IS NOT DISTINCT FROM '>') THEN
        PERFORM @extschema@.rate_schedule_fail(input, c, segno, segstart, false,
            format('unexpected %s after the rate "%s"', @extschema@.rate_schedule_quote_char(c, s), token));
    END IF;
    IF negative THEN
        PERFORM @extschema@.rate_schedule_fail(input, c, segno, segstart, false,
            format('rate "%s" is negative', token));
    END IF;
    fdigits := CASE WHEN frac_start IS NULL THEN '' ELSE rtrim(array_to_string(c[frac_start:frac_end - 1], ''), '0') END;
    IF length(fdigits) > (CASE WHEN percent THEN 10 ELSE 12 END) THEN
        PERFORM @extschema@.rate_schedule_fail(input, c, segno, segstart, false,
            format('rate "%s" has more than %s decimal places (a percent may have 10, a fraction 12)',
                   token, CASE WHEN percent THEN 10 ELSE 12 END));
    END IF;
    digits := ltrim(array_to_string(c[int_start:int_end - 1], ''), '0');
    IF length(digits) > 3 THEN
        value := 1000000000001;
    ELSE
        value := (coalesce(nullif(digits, ''), '0')::bigint * 1000000000000
                  + coalesce(nullif(rpad(fdigits, 12, '0'), ''), '0')::bigint)
                 / CASE WHEN percent THEN 100 ELSE 1 END;
    END IF;
    IF value > 1000000000000 THEN
        IF percent THEN
            PERFORM @extschema@.rate_schedule_fail(input, c, segno, segstart, false,
                format('rate "%s" is greater than 100%%', token));
        END IF;
        PERFORM @extschema@.rate_schedule_fail(input, c, segno, segstart, false,
            format('rate "%s" is greater than 1; write %s%% for a percent', token, token));
    END IF;
END
$$;
COMMENT ON FUNCTION @extschema@.rate_schedule_read_rate(text, text[], int, boolean, int, int) IS
    'internal: reads a rate (percent or fraction) at p, in units of 1e-12';

-- Read a bound at p: YYYY-MM-DD, -infinity (lower) or infinity (upper), as a
-- day number since 2000-01-01 (see parse_bound in rate_schedule.c).
CREATE FUNCTION @extschema@.rate_schedule_read_bound(input text, c text[], INOUT p int, upper boolean,
                                                     segno int, segstart int, OUT value int)
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    e int := p;
    tok text;
    y bigint; m int; d int;
    jy bigint; jm bigint; century bigint; julian bigint;
BEGIN
    WHILE c[e] ~ '^[A-Za-z0-9+./:-]$' LOOP e := e + 1; END LOOP;
    IF e = p THEN
        PERFORM @extschema@.rate_schedule_fail(input, c, segno, segstart, false,
            format('the %s bound is missing', CASE WHEN upper THEN 'upper' ELSE 'lower' END));
    END IF;
    tok := array_to_string(c[p:e - 1], '');
    p := e;
    IF lower(tok) = '-infinity' THEN
        IF upper THEN
            PERFORM @extschema@.rate_schedule_fail(input, c, segno, segstart, false, 'the upper bound cannot be -infinity');
        END IF;
        value := -2147483648;
        RETURN;
    END IF;
    IF lower(tok) IN ('infinity', '+infinity') THEN
        IF NOT upper THEN
            PERFORM @extschema@.rate_schedule_fail(input, c, segno, segstart, false, 'the lower bound cannot be infinity');
        END IF;
        value := 2147483647;
        RETURN;
    END IF;
    IF tok !~ '^[0-9]{4,7}-[0-9]{2}-[0-9]{2}$' THEN
        PERFORM @extschema@.rate_schedule_fail(input, c, segno, segstart, false,
            format('"%s" is not a date; write YYYY-MM-DD, -infinity or infinity', tok));
    END IF;
    y := split_part(tok, '-', 1)::bigint;
    m := split_part(tok, '-', 2)::int;
    d := split_part(tok, '-', 3)::int;
    IF y < 1 OR m < 1 OR m > 12 OR d < 1
       OR d > (CASE WHEN m = 2 THEN (CASE WHEN (y % 4 = 0 AND y % 100 <> 0) OR y % 400 = 0 THEN 29 ELSE 28 END)
                    WHEN m IN (4, 6, 9, 11) THEN 30 ELSE 31 END)
       OR NOT (y < 5874898 OR (y = 5874898 AND m < 6)) THEN
        PERFORM @extschema@.rate_schedule_fail(input, c, segno, segstart, false, format('"%s" is not a valid date', tok));
    END IF;
    -- date2j
    IF m > 2 THEN jm := m + 1; jy := y + 4800; ELSE jm := m + 13; jy := y + 4799; END IF;
    century := jy / 100;
    julian := jy * 365 - 32167 + jy / 4 - century + century / 4 + 7834 * jm / 256 + d;
    julian := julian - 2451545;
    IF julian < -2451545 OR julian >= 2147483494 - 2451545 THEN
        PERFORM @extschema@.rate_schedule_fail(input, c, segno, segstart, false,
            format('"%s" is out of the range of dates', tok));
    END IF;
    value := julian;
END
$$;
COMMENT ON FUNCTION @extschema@.rate_schedule_read_bound(text, text[], int, boolean, int, int) IS
    'internal: reads a range bound at p as a day number since 2000-01-01';

-- Canonical text of the schedule written in input, raising C's 22P02 errors.
CREATE FUNCTION @extschema@.rate_schedule_parse(input text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    ws constant text[] := ARRAY[' ', E'\t', E'\n', E'\r', E'\f', chr(11)];
    c constant text[] := string_to_array(input, NULL);
    p int := 1;
    segno int := 0;
    segstart int;
    nsegs int := 0;
    lo int; hi int; r0 bigint; r1 bigint;
    plo int; phi int;
    parts text[] := '{}';
    rr record;
BEGIN
    WHILE c[p] = ANY (ws) LOOP p := p + 1; END LOOP;
    IF c[p] IS DISTINCT FROM '{' THEN
        IF c[p] IS NULL THEN
            PERFORM @extschema@.rate_schedule_fail(input, c, 0, 0, false,
                'the input is empty; write a rate such as 20% or a list of segments such as {[2026-01-01,2027-01-01) 20%}');
        END IF;
        IF c[p] IN ('[', '(') THEN
            PERFORM @extschema@.rate_schedule_fail(input, c, 0, 0, false,
                'a list of segments must be enclosed in braces, as in {[2026-01-01,2027-01-01) 20%}');
        END IF;
        rr := @extschema@.rate_schedule_read_rate(input, c, p, false, 0, 0);
        p := rr.p;
        WHILE c[p] = ANY (ws) LOOP p := p + 1; END LOOP;
        IF c[p] = '-' AND c[p + 1] IS NOT DISTINCT FROM '>' THEN
            PERFORM @extschema@.rate_schedule_fail(input, c, 0, 0, false,
                'a ramp needs a finite date range, as in {[2026-01-01,2027-01-01) 20%->0%}');
        END IF;
        IF c[p] IS NOT NULL THEN
            PERFORM @extschema@.rate_schedule_fail(input, c, 0, 0, false,
                format('unexpected %s after the rate', @extschema@.rate_schedule_word(c, p)));
        END IF;
        RETURN @extschema@.rate_schedule_rate_text(rr.value);
    END IF;
    p := p + 1;
    WHILE c[p] = ANY (ws) LOOP p := p + 1; END LOOP;
    IF c[p] IS NOT DISTINCT FROM '}' THEN
        p := p + 1;
    ELSE
        LOOP
            segno := nsegs + 1;
            segstart := p;
            IF nsegs >= 1000000 THEN
                PERFORM @extschema@.rate_schedule_fail(input, c, segno, segstart, false,
                    'a schedule has at most 1000000 segments');
            END IF;
            -- one segment "[lo,hi) rate" or "[lo,hi) r0->r1"
            IF c[p] IN (',', '}') THEN
                PERFORM @extschema@.rate_schedule_fail(input, c, segno, segstart, true, 'is empty');
            END IF;
            IF c[p] IS NULL THEN
                PERFORM @extschema@.rate_schedule_fail(input, c, 0, 0, false, 'the list is not closed with "}"');
            END IF;
            IF c[p] IN ('(', ']') THEN
                PERFORM @extschema@.rate_schedule_fail(input, c, segno, segstart, false,
                    format('the range opens with "%s"; only half-open ranges written [lo,hi) are accepted', c[p]));
            END IF;
            IF c[p] <> '[' THEN
                PERFORM @extschema@.rate_schedule_fail(input, c, segno, segstart, false,
                    format('expected a range [lo,hi) before the rate, found %s', @extschema@.rate_schedule_quote_char(c, p)));
            END IF;
            p := p + 1;
            WHILE c[p] = ANY (ws) LOOP p := p + 1; END LOOP;
            rr := @extschema@.rate_schedule_read_bound(input, c, p, false, segno, segstart);
            lo := rr.value; p := rr.p;
            WHILE c[p] = ANY (ws) LOOP p := p + 1; END LOOP;
            IF c[p] IS DISTINCT FROM ',' THEN
                PERFORM @extschema@.rate_schedule_fail(input, c, segno, segstart, false,
                    format('expected "," after the lower bound, found %s', @extschema@.rate_schedule_quote_char(c, p)));
            END IF;
            p := p + 1;
            WHILE c[p] = ANY (ws) LOOP p := p + 1; END LOOP;
            rr := @extschema@.rate_schedule_read_bound(input, c, p, true, segno, segstart);
            hi := rr.value; p := rr.p;
            WHILE c[p] = ANY (ws) LOOP p := p + 1; END LOOP;
            IF c[p] IS NOT DISTINCT FROM ']' THEN
                PERFORM @extschema@.rate_schedule_fail(input, c, segno, segstart, false,
                    'the range closes with "]"; only half-open ranges written [lo,hi) are accepted');
            END IF;
            IF c[p] IS DISTINCT FROM ')' THEN
                PERFORM @extschema@.rate_schedule_fail(input, c, segno, segstart, false,
                    format('expected ")" after the upper bound, found %s', @extschema@.rate_schedule_quote_char(c, p)));
            END IF;
            p := p + 1;
            IF lo = hi THEN
                PERFORM @extschema@.rate_schedule_fail(input, c, segno, segstart, false,
                    format('the range is empty (both bounds are %s)', @extschema@.rate_schedule_date_text(lo)));
            END IF;
            IF lo > hi THEN
                PERFORM @extschema@.rate_schedule_fail(input, c, segno, segstart, false,
                    format('the lower bound %s is after the upper bound %s',
                           @extschema@.rate_schedule_date_text(lo), @extschema@.rate_schedule_date_text(hi)));
            END IF;
            WHILE c[p] = ANY (ws) LOOP p := p + 1; END LOOP;
            rr := @extschema@.rate_schedule_read_rate(input, c, p, false, segno, segstart);
            r0 := rr.value; p := rr.p;
            r1 := r0;
            WHILE c[p] = ANY (ws) LOOP p := p + 1; END LOOP;
            IF c[p] = '-' AND c[p + 1] IS NOT DISTINCT FROM '>' THEN
                p := p + 2;
                WHILE c[p] = ANY (ws) LOOP p := p + 1; END LOOP;
                rr := @extschema@.rate_schedule_read_rate(input, c, p, true, segno, segstart);
                r1 := rr.value; p := rr.p;
                WHILE c[p] = ANY (ws) LOOP p := p + 1; END LOOP;
            END IF;
            IF r0 <> r1 AND (lo = -2147483648 OR hi = 2147483647) THEN
                PERFORM @extschema@.rate_schedule_fail(input, c, segno, segstart, false,
                    'a ramp needs finite bounds; only a constant rate may extend to -infinity or infinity');
            END IF;
            IF nsegs > 0 THEN
                IF lo < plo THEN
                    PERFORM @extschema@.rate_schedule_fail(input, c, segno, segstart, false,
                        format('it starts on %s, before segment %s, which starts on %s; segments must be in ascending order',
                               @extschema@.rate_schedule_date_text(lo), nsegs, @extschema@.rate_schedule_date_text(plo)));
                END IF;
                IF lo < phi THEN
                    PERFORM @extschema@.rate_schedule_fail(input, c, segno, segstart, false,
                        format('it starts on %s, before segment %s ends on %s; segments must not overlap',
                               @extschema@.rate_schedule_date_text(lo), nsegs, @extschema@.rate_schedule_date_text(phi)));
                END IF;
            END IF;
            parts := parts || ('[' || @extschema@.rate_schedule_date_text(lo) || ',' || @extschema@.rate_schedule_date_text(hi)
                               || ') ' || @extschema@.rate_schedule_rate_text(r0)
                               || CASE WHEN r1 <> r0 THEN '->' || @extschema@.rate_schedule_rate_text(r1) ELSE '' END);
            plo := lo; phi := hi;
            nsegs := nsegs + 1;
            WHILE c[p] = ANY (ws) LOOP p := p + 1; END LOOP;
            IF c[p] IS NOT DISTINCT FROM ',' THEN
                p := p + 1;
                WHILE c[p] = ANY (ws) LOOP p := p + 1; END LOOP;
                CONTINUE;
            END IF;
            IF c[p] IS NOT DISTINCT FROM '}' THEN
                p := p + 1;
                EXIT;
            END IF;
            IF c[p] IS NULL THEN
                PERFORM @extschema@.rate_schedule_fail(input, c, segno, segstart, false, 'the list is not closed with "}"');
            END IF;
            PERFORM @extschema@.rate_schedule_fail(input, c, segno, segstart, false,
                format('expected "," or "}" after the rate, found %s', @extschema@.rate_schedule_word(c, p)));
        END LOOP;
    END IF;
    WHILE c[p] = ANY (ws) LOOP p := p + 1; END LOOP;
    IF c[p] IS NOT NULL THEN
        PERFORM @extschema@.rate_schedule_fail(input, c, 0, 0, false,
            format('unexpected %s after the closing "}"', @extschema@.rate_schedule_word(c, p)));
    END IF;
    -- one constant segment over all days prints as the bare rate
    IF nsegs = 1 AND plo = -2147483648 AND phi = 2147483647 THEN
        RETURN @extschema@.rate_schedule_rate_text(r0);
    END IF;
    RETURN '{' || array_to_string(parts, ', ') || '}';
END
$$;
COMMENT ON FUNCTION @extschema@.rate_schedule_parse(text) IS
    'internal: the canonical text of the rate schedule written in input, raising the C edition''s 22P02 errors';

-- The validator: a parse, then the canonical text must be the text itself.
-- (Schedules are few and short: they live in deal clauses.)
CREATE FUNCTION @extschema@.rate_schedule_check(value text) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    canonical text;
BEGIN
    -- the commonest canonical forms need no full parse
    IF value ~ '^(100|[1-9]?[0-9](\.[0-9]{0,9}[1-9])?)%$' OR value = '{}' THEN
        RETURN true;
    END IF;
    canonical := @extschema@.rate_schedule_parse(value);
    IF canonical = value THEN
        RETURN true;
    END IF;
    RAISE EXCEPTION USING ERRCODE = '22P02',
        MESSAGE = format('invalid input syntax for type rate_schedule: "%s"', value),
        DETAIL = format('The canonical form is "%s"; a cast to rate_schedule accepts only canonical text.', canonical),
        HINT = format('Use @extschema@.to_rate_schedule(%s), which writes it canonically.', quote_literal(value));
END
$$;
COMMENT ON FUNCTION @extschema@.rate_schedule_check(text) IS
    'validator of the rate_schedule domain: true for canonical text, else raises the C edition''s 22P02 error';

CREATE DOMAIN @extschema@.rate_schedule AS text COLLATE "C"
    CHECK (@extschema@.rate_schedule_check(VALUE));
COMMENT ON DOMAIN @extschema@.rate_schedule IS
    'a piecewise-linear rate over dates, e.g. ''{[2019-07-22,2026-04-28) 20%, [2026-04-28,2027-04-28) 20%->0%}'' (canonical text; build with rate_schedule(text))';

CREATE FUNCTION @extschema@.rate_schedule(value text) RETURNS @extschema@.rate_schedule
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN @extschema@.rate_schedule_parse(value)::@extschema@.rate_schedule;
COMMENT ON FUNCTION @extschema@.rate_schedule(text) IS
    'the rate schedule written in value, in canonical form (what the C edition''s cast does; a cast here accepts only canonical text)';

-- The segments in order; rates as exact fractions in [0, 1].  Not STRICT
-- so that the planner can inline it (a NULL schedule gives no rows anyway).
CREATE FUNCTION @extschema@.rate_segments(schedule @extschema@.rate_schedule)
    RETURNS TABLE (lo date, hi date, r0 numeric, r1 numeric)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    -- the CASE keeps the planner from folding the cast of a constant '{...}'
    SELECT '-infinity'::date AS lo, 'infinity'::date AS hi,
           CASE WHEN pg_catalog.left(schedule, 1) OPERATOR(pg_catalog.<>) '{' THEN
               pg_catalog.trim_scale(pg_catalog.rtrim(schedule, '%')::numeric OPERATOR(pg_catalog.*) 0.01) END AS r0,
           CASE WHEN pg_catalog.left(schedule, 1) OPERATOR(pg_catalog.<>) '{' THEN
               pg_catalog.trim_scale(pg_catalog.rtrim(schedule, '%')::numeric OPERATOR(pg_catalog.*) 0.01) END AS r1
     WHERE pg_catalog.left(schedule, 1) OPERATOR(pg_catalog.<>) '{'
    UNION ALL
    SELECT x.lo, x.hi, x.r0, coalesce(x.r1, x.r0)
      FROM (SELECT CASE WHEN m[1] OPERATOR(pg_catalog.=) '-infinity' THEN '-infinity'::date
                        ELSE pg_catalog.make_date(pg_catalog.split_part(m[1], '-', 1)::int,
                                                  pg_catalog.split_part(m[1], '-', 2)::int,
                                                  pg_catalog.split_part(m[1], '-', 3)::int) END AS lo,
                   CASE WHEN m[2] OPERATOR(pg_catalog.=) 'infinity' THEN 'infinity'::date
                        ELSE pg_catalog.make_date(pg_catalog.split_part(m[2], '-', 1)::int,
                                                  pg_catalog.split_part(m[2], '-', 2)::int,
                                                  pg_catalog.split_part(m[2], '-', 3)::int) END AS hi,
                   pg_catalog.trim_scale(m[3]::numeric OPERATOR(pg_catalog.*) 0.01) AS r0,
                   pg_catalog.trim_scale(m[4]::numeric OPERATOR(pg_catalog.*) 0.01) AS r1,
                   n
              FROM pg_catalog.regexp_matches(schedule, '\[([^,]+),([^)]+)\) ([0-9.]+)%(?:->([0-9.]+)%)?', 'g')
                   WITH ORDINALITY AS u(m, n)
             WHERE pg_catalog.left(schedule, 1) OPERATOR(pg_catalog.=) '{') x
     ORDER BY lo;
END;
COMMENT ON FUNCTION @extschema@.rate_segments(@extschema@.rate_schedule) IS
    'the segments of a schedule in order: [lo, hi) (possibly -infinity / infinity), rate r0 on day lo rising or falling linearly towards r1 at hi (r0 = r1 when constant), rates as exact fractions in [0, 1]';

-- num / den (integers, num >= 0, den > 0) as C's rate_fraction_to_numeric
-- prints it: the exact decimal when it terminates, else 20 places half up.
CREATE FUNCTION @extschema@.rate_fraction_to_numeric(num numeric, den numeric) RETURNS numeric
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    g numeric := gcd(num, den);
    m numeric;
    twos int := 0;
    fives int := 0;
    places int;
BEGIN
    IF g > 1 THEN
        num := div(num, g);
        den := div(den, g);
    END IF;
    m := den;
    WHILE mod(m, 2) = 0 LOOP m := div(m, 2); twos := twos + 1; END LOOP;
    WHILE mod(m, 5) = 0 LOOP m := div(m, 5); fives := fives + 1; END LOOP;
    IF m = 1 THEN
        places := greatest(twos, fives);
        RETURN (div(num * 10::numeric ^ places, den)::text || 'e-' || places)::numeric;
    END IF;
    RETURN (div(div(num * 10::numeric ^ 21, den) + 5, 10)::text || 'e-20')::numeric;
END
$$;
COMMENT ON FUNCTION @extschema@.rate_fraction_to_numeric(numeric, numeric) IS
    'internal: an exact fraction as a numeric, exact when the decimal terminates, else rounded half up to 20 places';

CREATE FUNCTION @extschema@.rate_at(schedule @extschema@.rate_schedule, day date) RETURNS numeric
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
    SELECT coalesce(
        (SELECT CASE WHEN s.r0 OPERATOR(pg_catalog.=) s.r1
                     THEN @extschema@.rate_fraction_to_numeric(s.r0 OPERATOR(pg_catalog.*) 1000000000000, 1000000000000)
                     ELSE @extschema@.rate_fraction_to_numeric(
                              ((s.r0 OPERATOR(pg_catalog.*) 1000000000000) OPERATOR(pg_catalog.*) (s.hi OPERATOR(pg_catalog.-) s.lo))
                              OPERATOR(pg_catalog.+)
                              (((s.r1 OPERATOR(pg_catalog.-) s.r0) OPERATOR(pg_catalog.*) 1000000000000)
                               OPERATOR(pg_catalog.*) (day OPERATOR(pg_catalog.-) s.lo)),
                              (s.hi OPERATOR(pg_catalog.-) s.lo)::numeric OPERATOR(pg_catalog.*) 1000000000000) END
           FROM @extschema@.rate_segments(schedule) s
          WHERE CASE WHEN day OPERATOR(pg_catalog.=) '-infinity'::date THEN s.lo OPERATOR(pg_catalog.=) '-infinity'::date
                     WHEN day OPERATOR(pg_catalog.=) 'infinity'::date THEN s.hi OPERATOR(pg_catalog.=) 'infinity'::date
                     ELSE s.lo OPERATOR(pg_catalog.<=) day AND day OPERATOR(pg_catalog.<) s.hi END),
        0::numeric);
END;
COMMENT ON FUNCTION @extschema@.rate_at(@extschema@.rate_schedule, date) IS
    'the rate on a day: exact when the decimal terminates, else rounded to 20 places; 0 outside every segment';

-- The exact mean daily rate over the days of during, following C's int128
-- arithmetic step for step so that it overflows (22003) exactly where C does.
CREATE FUNCTION @extschema@.average_rate(schedule @extschema@.rate_schedule, during daterange) RETURNS numeric
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    maxi constant numeric := 170141183460469231731687303715884105727;
    scale constant numeric := 1000000000000;
    dfrom date;
    dto date;
    num numeric := 0;
    den numeric := 1;
    n numeric; d numeric; g numeric;
    k numeric; len numeric; twice_s numeric;
    ndays numeric;
    s record;
    x date; y date;
BEGIN
    IF isempty(during) THEN
        RAISE EXCEPTION USING ERRCODE = '22023',
            MESSAGE = 'argument "during" of average_rate must not be empty',
            DETAIL = 'The mean rate over no days is undefined.';
    END IF;
    IF lower_inf(during) OR upper_inf(during) OR NOT isfinite(lower(during)) OR NOT isfinite(upper(during)) THEN
        RAISE EXCEPTION USING ERRCODE = '22023',
            MESSAGE = format('argument "during" of average_rate must be bounded: "%s"',
                             CASE WHEN lower_inc(during) THEN '[' ELSE '(' END
                             || coalesce(CASE WHEN lower(during) = '-infinity' THEN '-infinity'
                                              WHEN lower(during) = 'infinity' THEN 'infinity'
                                              ELSE @extschema@.rate_schedule_date_text(lower(during) - DATE '2000-01-01') END, '')
                             || ','
                             || coalesce(CASE WHEN upper(during) = '-infinity' THEN '-infinity'
                                              WHEN upper(during) = 'infinity' THEN 'infinity'
                                              ELSE @extschema@.rate_schedule_date_text(upper(during) - DATE '2000-01-01') END, '')
                             || CASE WHEN upper_inc(during) THEN ']' ELSE ')' END),
            DETAIL = 'Both ends must be finite dates.';
    END IF;
    dfrom := lower(during);
    dto := upper(during);
    FOR s IN SELECT * FROM @extschema@.rate_segments(schedule) r WHERE r.hi > dfrom AND r.lo < dto LOOP
        x := greatest(dfrom, s.lo);
        y := least(dto, s.hi);
        CONTINUE WHEN x >= y;
        k := y - x;
        IF s.r0 = s.r1 THEN
            n := k * s.r0 * scale;
            d := scale;
        ELSE
            len := s.hi - s.lo;
            twice_s := k * ((x - s.lo) + (y - 1 - s.lo));
            n := k * s.r0 * scale * 2 * len + (s.r1 - s.r0) * scale * twice_s;
            d := 2 * len * scale;
        END IF;
        -- frac_add(num, den, n, d)
        g := gcd(n, d);
        IF g > 1 THEN n := div(n, g); d := div(d, g); END IF;
        CONTINUE WHEN n = 0;
        IF num = 0 THEN
            num := n;
            den := d;
        ELSE
            g := gcd(den, d);
            IF num * div(d, g) > maxi OR n * div(den, g) > maxi
               OR num * div(d, g) + n * div(den, g) > maxi OR den * div(d, g) > maxi THEN
                RAISE EXCEPTION USING ERRCODE = '22003',
                    MESSAGE = 'rate_schedule arithmetic out of range',
                    DETAIL = 'The exact value needs integers wider than 128 bits.';
            END IF;
            num := num * div(d, g) + n * div(den, g);
            den := den * div(d, g);
            g := gcd(num, den);
            IF g > 1 THEN num := div(num, g); den := div(den, g); END IF;
        END IF;
    END LOOP;
    ndays := dto - dfrom;
    g := gcd(num, ndays);
    IF g > 1 THEN num := div(num, g); ndays := div(ndays, g); END IF;
    IF den * ndays > maxi THEN
        RAISE EXCEPTION USING ERRCODE = '22003',
            MESSAGE = 'rate_schedule arithmetic out of range',
            DETAIL = 'The exact value needs integers wider than 128 bits.';
    END IF;
    RETURN @extschema@.rate_fraction_to_numeric(num, den * ndays);
END
$$;
COMMENT ON FUNCTION @extschema@.average_rate(@extschema@.rate_schedule, daterange) IS
    'the exact mean daily rate over the days of during (bounded, non-empty): exact when the decimal terminates, else rounded to 20 places';

-- calendar: calendar and fiscal slices of time (managed edition of src/calendar.c)
--
-- Month-based grains are computed on a month index (12 * year + month - 1,
-- astronomical years: 1 BC is year 0), as the C edition does, so that a
-- fiscal slice of L months starting in month fy_start is the calendar
-- slice of the index shifted by fy_start - 1 months.  The small helpers
-- below are plain SQL expressions without a SET clause, so that the
-- planner inlines them into the report queries (no per-row function call).
--
-- Differences from the C edition: none in results.  slice_of is PL/pgSQL
-- (a few microseconds a call instead of well under one).

-- Floor division and non-negative modulo of integers (months before year 0).
-- floor_div goes through float8, exact here: |a| < 2^31 and b <= 12, so a
-- quotient that is not an integer lies at least 1/12 from one; and it
-- names a only once, so that nested helpers stay cheap once inlined.
CREATE FUNCTION @extschema@.floor_div(a int, b int) RETURNS int
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN pg_catalog.floor(a::float8 OPERATOR(pg_catalog./) b::float8)::int;
COMMENT ON FUNCTION @extschema@.floor_div(int, int) IS
    'internal: integer division rounding towards minus infinity (0 < b <= 12, |a| < 2^31), for month indexes before year 0';

CREATE FUNCTION @extschema@.floor_mod(a int, b int) RETURNS int
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (a OPERATOR(pg_catalog.%) b OPERATOR(pg_catalog.+) b) OPERATOR(pg_catalog.%) b;
COMMENT ON FUNCTION @extschema@.floor_mod(int, int) IS
    'internal: non-negative remainder of a by b (b > 0)';

-- The astronomical year of a date (EXTRACT says -1 for 1 BC; C says 0).
CREATE FUNCTION @extschema@.astro_year(d date) RETURNS int
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN d OPERATOR(pg_catalog.<) DATE '0001-01-01'
                THEN EXTRACT(YEAR FROM d)::int OPERATOR(pg_catalog.+) 1
                ELSE EXTRACT(YEAR FROM d)::int END;
COMMENT ON FUNCTION @extschema@.astro_year(date) IS
    'internal: astronomical year of a finite date (1 BC is 0, 2 BC is -1)';

CREATE FUNCTION @extschema@.month_index(d date) RETURNS int
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (EXTRACT(YEAR FROM d)::int OPERATOR(pg_catalog.*) 12 OPERATOR(pg_catalog.+) EXTRACT(MONTH FROM d)::int
            OPERATOR(pg_catalog.-) 1)
           OPERATOR(pg_catalog.+) CASE WHEN d OPERATOR(pg_catalog.<) DATE '0001-01-01' THEN 12 ELSE 0 END;
COMMENT ON FUNCTION @extschema@.month_index(date) IS
    'internal: 12 * astronomical year + month - 1 of a finite date';

-- First day of month index mi; the month must start inside type date's range.
CREATE FUNCTION @extschema@.month_start(mi int) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN pg_catalog.make_date(
        CASE WHEN @extschema@.floor_div(mi, 12) OPERATOR(pg_catalog.<=) 0
             THEN @extschema@.floor_div(mi, 12) OPERATOR(pg_catalog.-) 1
             ELSE @extschema@.floor_div(mi, 12) END,
        @extschema@.floor_mod(mi, 12) OPERATOR(pg_catalog.+) 1, 1);
COMMENT ON FUNCTION @extschema@.month_start(int) IS
    'internal: first day of month index mi (see month_index)';

-- The day before the first day of month index mi, even for the month after
-- the last one type date holds.
CREATE FUNCTION @extschema@.month_end_before(mi int) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN mi OPERATOR(pg_catalog.=) 70498776 THEN DATE '5874897-12-31'
                ELSE @extschema@.month_start(mi) OPERATOR(pg_catalog.-) 1 END;
COMMENT ON FUNCTION @extschema@.month_end_before(int) IS
    'internal: last day of the month before month index mi (mi up to 5874898-01)';

CREATE FUNCTION @extschema@.grain_months(grain text) RETURNS int
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE grain WHEN 'month' THEN 1 WHEN 'quarter' THEN 3 WHEN 'half' THEN 6 WHEN 'year' THEN 12
                      ELSE 0 END;
COMMENT ON FUNCTION @extschema@.grain_months(text) IS
    'internal: months in a slice of a month-based grain; 0 for day and week';

-- The month offset of a grain's slices: fiscal grains start in fy_start.
CREATE FUNCTION @extschema@.grain_offset(grain text, fy_start int) RETURNS int
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN grain OPERATOR(pg_catalog.=) 'month' THEN 0 ELSE fy_start OPERATOR(pg_catalog.-) 1 END;
COMMENT ON FUNCTION @extschema@.grain_offset(text, int) IS
    'internal: month offset of the slices of a month-based grain (fy_start - 1, 0 for month)';

-- Monday of the ISO week holding d: julian day 0 (4714-11-24 BC) was a Monday.
CREATE FUNCTION @extschema@.week_start(d date) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN d OPERATOR(pg_catalog.-) ((d OPERATOR(pg_catalog.-) DATE '4714-11-24 BC') OPERATOR(pg_catalog.%) 7);
COMMENT ON FUNCTION @extschema@.week_start(date) IS
    'internal: the Monday of the ISO week holding a finite date';

-- Validates a grain and a fiscal year start exactly as the C edition does
-- (same order: grain first), raising 22023; returns true.
CREATE FUNCTION @extschema@.calendar_check(grain text, fy_start int) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF grain IS NULL OR grain NOT IN ('day', 'week', 'month', 'quarter', 'half', 'year') THEN
        RAISE EXCEPTION 'invalid grain "%"', grain USING ERRCODE = '22023',
            DETAIL = 'Argument "grain" must be one of day, week, month, quarter, half or year, written in lower case.';
    END IF;
    IF fy_start IS NULL OR fy_start < 1 OR fy_start > 12 THEN
        RAISE EXCEPTION 'invalid fy_start %', fy_start USING ERRCODE = '22023',
            DETAIL = 'Argument "fy_start" is the month in which the fiscal year starts, from 1 (January) to 12 (December).';
    END IF;
    RETURN true;
END $$;
COMMENT ON FUNCTION @extschema@.calendar_check(text, int) IS
    'internal: raises 22023 for a grain other than day, week, month, quarter, half, year or a fy_start outside 1-12, as the C edition does; true otherwise';

-- Raises the C edition's 22008 for a slice reaching outside type date.
CREATE FUNCTION @extschema@.slice_out_of_range(d date, with_detail boolean DEFAULT true) RETURNS date
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF with_detail THEN
        RAISE EXCEPTION 'slice of date "%" reaches outside the range of type date', d
            USING ERRCODE = '22008', DETAIL = 'Type date runs from 4714-11-24 BC to 5874897-12-31.';
    END IF;
    RAISE EXCEPTION 'slice of date "%" reaches outside the range of type date', d USING ERRCODE = '22008';
END $$;
COMMENT ON FUNCTION @extschema@.slice_out_of_range(date, boolean) IS
    'internal: raises 22008 "slice of date ... reaches outside the range of type date"';

-- Years as ISO 8601 writes them: four digits at least, a sign before year 0.
CREATE FUNCTION @extschema@.format_year(y int) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN y OPERATOR(pg_catalog.<) 0 THEN '-' ELSE '' END
           OPERATOR(pg_catalog.||) pg_catalog.lpad(pg_catalog.abs(y)::text,
                                                   GREATEST(4, pg_catalog.length(pg_catalog.abs(y)::text)), '0');
COMMENT ON FUNCTION @extschema@.format_year(int) IS
    'internal: an astronomical year as labels write it (at least four digits, minus sign before year 0)';

-- The label of the slice starting on s (see SPEC 3: labels sort in date order).
CREATE FUNCTION @extschema@.slice_label(s date, grain text, fy_start int) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE grain
        WHEN 'day' THEN @extschema@.format_year(@extschema@.astro_year(s)) OPERATOR(pg_catalog.||) '-'
                        OPERATOR(pg_catalog.||) pg_catalog.lpad(EXTRACT(MONTH FROM s)::int::text, 2, '0')
                        OPERATOR(pg_catalog.||) '-'
                        OPERATOR(pg_catalog.||) pg_catalog.lpad(EXTRACT(DAY FROM s)::int::text, 2, '0')
        WHEN 'week' THEN
            -- the ISO year is the year of the week's Thursday
            @extschema@.format_year(@extschema@.astro_year(s OPERATOR(pg_catalog.+) 3))
            OPERATOR(pg_catalog.||) '-W'
            OPERATOR(pg_catalog.||) pg_catalog.lpad(((EXTRACT(DOY FROM s OPERATOR(pg_catalog.+) 3)::int OPERATOR(pg_catalog.-) 1)
                  OPERATOR(pg_catalog./) 7 OPERATOR(pg_catalog.+) 1)::text, 2, '0')
        WHEN 'month' THEN @extschema@.format_year(@extschema@.astro_year(s)) OPERATOR(pg_catalog.||) '-'
                          OPERATOR(pg_catalog.||) pg_catalog.lpad(EXTRACT(MONTH FROM s)::int::text, 2, '0')
        ELSE
            CASE WHEN fy_start OPERATOR(pg_catalog.<>) 1 THEN 'FY' ELSE '' END
            -- a fiscal year is named by the calendar year it ends in
            OPERATOR(pg_catalog.||) @extschema@.format_year(@extschema@.floor_div(
                @extschema@.floor_div(@extschema@.month_index(s) OPERATOR(pg_catalog.-) (fy_start OPERATOR(pg_catalog.-) 1), 12)
                OPERATOR(pg_catalog.*) 12 OPERATOR(pg_catalog.+) (fy_start OPERATOR(pg_catalog.-) 1) OPERATOR(pg_catalog.+) 11, 12))
            OPERATOR(pg_catalog.||) CASE grain
                WHEN 'quarter' THEN '-Q' OPERATOR(pg_catalog.||) (@extschema@.floor_mod(@extschema@.month_index(s)
                                    OPERATOR(pg_catalog.-) (fy_start OPERATOR(pg_catalog.-) 1), 12) OPERATOR(pg_catalog./) 3
                                    OPERATOR(pg_catalog.+) 1)::text
                WHEN 'half' THEN '-H' OPERATOR(pg_catalog.||) (@extschema@.floor_mod(@extschema@.month_index(s)
                                 OPERATOR(pg_catalog.-) (fy_start OPERATOR(pg_catalog.-) 1), 12) OPERATOR(pg_catalog./) 6
                                 OPERATOR(pg_catalog.+) 1)::text
                ELSE '' END
        END;
COMMENT ON FUNCTION @extschema@.slice_label(date, text, int) IS
    'internal: label of the slice of grain starting on s: 2026-05-17, 2026-W20, 2026-05, 2026-Q2, 2026-H1, 2026, or FY2027-Q1, FY2027-H1, FY2027 when fy_start <> 1';

-- First day of the slice holding d, unchecked: for month grains the result
-- may lie before type date's first day (callers check with slice_start_mi).
CREATE FUNCTION @extschema@.slice_start_mi(d date, grain text, fy_start int) RETURNS int
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN @extschema@.floor_div(@extschema@.month_index(d) OPERATOR(pg_catalog.-) @extschema@.grain_offset(grain, fy_start),
                                 GREATEST(@extschema@.grain_months(grain), 1))
           OPERATOR(pg_catalog.*) GREATEST(@extschema@.grain_months(grain), 1)
           OPERATOR(pg_catalog.+) @extschema@.grain_offset(grain, fy_start);
COMMENT ON FUNCTION @extschema@.slice_start_mi(date, text, int) IS
    'internal: month index of the first month of the month-based slice holding d';

CREATE FUNCTION @extschema@.slice_of(d date, grain text, fy_start int DEFAULT 1,
                                     OUT slice_start date, OUT slice_end date, OUT label text)
    RETURNS record
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    mi int;
    len int;
BEGIN
    PERFORM @extschema@.calendar_check(grain, fy_start);
    IF NOT isfinite(d) THEN
        RAISE EXCEPTION 'date "%" has no slice', d USING ERRCODE = '22023',
            DETAIL = 'Only finite dates belong to a calendar slice.';
    END IF;
    IF grain = 'day' THEN
        slice_start := d;
        slice_end := d;
    ELSIF grain = 'week' THEN
        slice_start := @extschema@.week_start(d);
        IF DATE '5874897-12-31' - slice_start < 6 THEN
            PERFORM @extschema@.slice_out_of_range(d);
        END IF;
        slice_end := slice_start + 6;
    ELSE
        len := @extschema@.grain_months(grain);
        mi := @extschema@.slice_start_mi(d, grain, fy_start);
        -- the first month wholly inside type date is 4714-12 BC, the last 5874897-12
        IF mi < -56545 OR mi + len > 70498776 THEN
            PERFORM @extschema@.slice_out_of_range(d);
        END IF;
        slice_start := @extschema@.month_start(mi);
        slice_end := @extschema@.month_end_before(mi + len);
    END IF;
    label := @extschema@.slice_label(slice_start, grain, fy_start);
END $$;
COMMENT ON FUNCTION @extschema@.slice_of(date, text, int) IS
    'the day, ISO week, month, quarter, half or year holding a date, as (first day, last day inclusive, label); fy_start is the month a fiscal year starts in, fiscal years are named by the calendar year they end in';

-- Slices are numbered: the day grain by julian day, the week grain by
-- julian week (julian day 0 was a Monday), month grains by floor((month
-- index - offset) / months).  A period's slices are then one
-- generate_series over the numbers, with no branch per grain.
CREATE FUNCTION @extschema@.slice_index(d date, grain text, fy_start int) RETURNS int
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE grain
        WHEN 'day' THEN d OPERATOR(pg_catalog.-) DATE '4714-11-24 BC'
        WHEN 'week' THEN (d OPERATOR(pg_catalog.-) DATE '4714-11-24 BC') OPERATOR(pg_catalog./) 7
        ELSE @extschema@.floor_div(@extschema@.month_index(d) OPERATOR(pg_catalog.-) @extschema@.grain_offset(grain, fy_start),
                                   GREATEST(@extschema@.grain_months(grain), 1)) END;
COMMENT ON FUNCTION @extschema@.slice_index(date, text, int) IS
    'internal: the number of the slice of grain holding a finite date (consecutive slices have consecutive numbers)';

CREATE FUNCTION @extschema@.index_start(i int, grain text, fy_start int) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE grain
        WHEN 'day' THEN DATE '4714-11-24 BC' OPERATOR(pg_catalog.+) i
        WHEN 'week' THEN DATE '4714-11-24 BC' OPERATOR(pg_catalog.+) (i OPERATOR(pg_catalog.*) 7)
        ELSE @extschema@.month_start(i OPERATOR(pg_catalog.*) @extschema@.grain_months(grain)
                                     OPERATOR(pg_catalog.+) @extschema@.grain_offset(grain, fy_start)) END;
COMMENT ON FUNCTION @extschema@.index_start(int, text, int) IS
    'internal: first day of slice number i of grain (see slice_index)';

CREATE FUNCTION @extschema@.index_end(i int, grain text, fy_start int) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE grain
        WHEN 'day' THEN DATE '4714-11-24 BC' OPERATOR(pg_catalog.+) i
        WHEN 'week' THEN DATE '4714-11-24 BC' OPERATOR(pg_catalog.+) (i OPERATOR(pg_catalog.*) 7 OPERATOR(pg_catalog.+) 6)
        ELSE @extschema@.month_end_before((i OPERATOR(pg_catalog.+) 1) OPERATOR(pg_catalog.*) @extschema@.grain_months(grain)
                                          OPERATOR(pg_catalog.+) @extschema@.grain_offset(grain, fy_start)) END;
COMMENT ON FUNCTION @extschema@.index_end(int, text, int) IS
    'internal: last day of slice number i of grain (see slice_index)';

-- The slices the days [lo, hi) touch, one row per slice (never per day
-- except for the day grain), with the days of [lo, hi) in each.  Unchecked:
-- callers validate grain, fy_start and the bounds first.  Plain SQL without
-- SET, so the planner inlines it into the query that calls it.
CREATE FUNCTION @extschema@.period_slices(lo date, hi date, grain text, fy_start int)
    RETURNS TABLE (slice_start date, slice_end date, label text, days int)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE ROWS 12 AS $$
    SELECT x.s, x.e, @extschema@.slice_label(x.s, grain, fy_start),
           (LEAST(x.e, hi OPERATOR(pg_catalog.-) 1) OPERATOR(pg_catalog.-) GREATEST(x.s, lo) OPERATOR(pg_catalog.+) 1)::int
    FROM (SELECT @extschema@.index_start(i, grain, fy_start) AS s, @extschema@.index_end(i, grain, fy_start) AS e
          FROM pg_catalog.generate_series(@extschema@.slice_index(lo, grain, fy_start),
                                          @extschema@.slice_index(hi OPERATOR(pg_catalog.-) 1, grain, fy_start)) i
          -- a barrier: without it the planner pulls the subquery up and copies
          -- the index_start/index_end expressions into every use of s and e
          OFFSET 0) x
$$;
COMMENT ON FUNCTION @extschema@.period_slices(date, date, text, int) IS
    'internal: the slices of grain that the days [lo, hi) touch, with the number of those days in each; generated per slice, never per day (except for the day grain); arguments unchecked';

-- money: currencies and their minor units (managed edition of src/money.c)
--
-- Amounts are converted to integers of minor units (numeric with scale 0)
-- for the exact splits and back to numerics with exactly the currency's
-- decimals, as the C edition returns them.
--
-- Differences from the C edition: none.

-- The minor unit of a well-formed code (2 for any code not listed), unchecked.
CREATE FUNCTION @extschema@.currency_scale(code text) RETURNS int
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE
        WHEN code OPERATOR(pg_catalog.=) ANY ('{BIF,CLP,DJF,GNF,ISK,JPY,KMF,KRW,PYG,RWF,UGX,UYI,VND,VUV,XAF,XOF,XPF}'::text[]) THEN 0
        WHEN code OPERATOR(pg_catalog.=) ANY ('{BHD,IQD,JOD,KWD,LYD,OMR,TND}'::text[]) THEN 3
        WHEN code OPERATOR(pg_catalog.=) ANY ('{CLF,UYW}'::text[]) THEN 4
        ELSE 2 END;
COMMENT ON FUNCTION @extschema@.currency_scale(text) IS
    'internal: ISO 4217 minor unit of a well-formed currency code, unchecked (2 for codes not listed)';

-- Validates a currency code as the C edition does and returns its minor unit.
-- Codes are case-sensitive on purpose: reports group by the code, and
-- letting "usd" in would split one currency into two groups.
CREATE FUNCTION @extschema@.minor_unit(currency char(3)) RETURNS int
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    code text := rtrim(currency::text, ' ');
BEGIN
    IF code COLLATE "C" ~ '^[A-Z]{3}$' THEN
        RETURN @extschema@.currency_scale(code);
    END IF;
    IF code COLLATE "C" ~ '^[A-Za-z]{3}$' THEN
        RAISE EXCEPTION 'invalid currency code "%"', code USING ERRCODE = '22023',
            DETAIL = 'A currency is an ISO 4217 code of exactly three upper-case letters A-Z, such as USD, EUR or JPY.',
            HINT = format('Currency codes are case-sensitive and never folded, so that one currency cannot appear under two spellings in a report; write "%s".',
                          upper(code COLLATE "C"));
    END IF;
    RAISE EXCEPTION 'invalid currency code "%"', code USING ERRCODE = '22023',
        DETAIL = 'A currency is an ISO 4217 code of exactly three upper-case letters A-Z, such as USD, EUR or JPY.';
END $$;
COMMENT ON FUNCTION @extschema@.minor_unit(char(3)) IS
    'decimal places of an ISO 4217 currency (USD 2, JPY 0, BHD 3, CLF 4; 2 for any other well-formed code); the code must be three upper-case letters';

-- One minor unit as a numeric with exactly mu decimals (0.01 for 2): an
-- integer of minor units times it has exactly the currency's decimals.
CREATE FUNCTION @extschema@.minor_factor(mu int) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE mu WHEN 0 THEN 1::numeric WHEN 2 THEN 0.01 WHEN 3 THEN 0.001 WHEN 4 THEN 0.0001 ELSE 0.1 END;
COMMENT ON FUNCTION @extschema@.minor_factor(int) IS
    'internal: the value of one minor unit with exactly mu decimals (1, 0.01, 0.001, 0.0001)';

CREATE FUNCTION @extschema@.minor_scale(mu int) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE mu WHEN 0 THEN 1::numeric WHEN 2 THEN 100::numeric WHEN 3 THEN 1000::numeric
                   WHEN 4 THEN 10000::numeric ELSE 10::numeric END;
COMMENT ON FUNCTION @extschema@.minor_scale(int) IS
    'internal: minor units per major unit (10^mu) as an integer numeric';

-- An amount in minor units (integer numeric, signed), raising the C
-- edition's errors: not finite 22023, out of range 22003 (the integer part
-- is checked before the decimals, as C reads the digits), too many decimals 22023.
CREATE FUNCTION @extschema@.to_minor(amount numeric, currency text, mu int) RETURNS numeric
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    m numeric := @extschema@.minor_scale(mu);
BEGIN
    IF amount IN ('NaN', 'Infinity', '-Infinity') THEN
        RAISE EXCEPTION 'invalid amount "%"', amount USING ERRCODE = '22023',
            DETAIL = 'An amount must be a finite number.';
    END IF;
    IF trunc(abs(amount)) * m >= 1e20 THEN
        RAISE EXCEPTION 'amount "%" is out of range for currency %', amount, currency USING ERRCODE = '22003',
            DETAIL = 'An amount may have at most 20 digits counted in minor units.';
    END IF;
    IF amount <> round(amount, mu) THEN
        RAISE EXCEPTION 'amount "%" has more decimals than currency % allows', amount, currency
            USING ERRCODE = '22023',
            DETAIL = format('%s amounts have %s decimal place%s at most; dealscope never rounds an input amount.',
                            currency, mu, CASE WHEN mu = 1 THEN '' ELSE 's' END);
    END IF;
    IF abs(amount) * m >= 1e20 THEN
        RAISE EXCEPTION 'amount "%" is out of range for currency %', amount, currency USING ERRCODE = '22003',
            DETAIL = 'An amount may have at most 20 digits counted in minor units.';
    END IF;
    RETURN trunc(amount * m);
END $$;
COMMENT ON FUNCTION @extschema@.to_minor(numeric, text, int) IS
    'internal: an amount as a signed integer of minor units; raises 22023 for a non-finite amount or more decimals than the currency has, 22003 beyond 20 digits of minor units';

-- prorate: exact proration of a flow over calendar or fiscal slices
-- (managed edition of src/prorate.c)
--
-- Everything is exact integer (or exact decimal) arithmetic in numeric:
-- only +, -, *, div() and mod() are used on values that must stay exact
-- (numeric "/" rounds).  With A the amount in minor units and N the
-- period's days:
--   * gross: slice i holding n_i days gets floor(A n_i / N), computed as
--     q n_i + floor(r n_i / N) with A = q N + r; the units still missing go
--     to the largest remainders (one denominator N), ties to the earliest;
--   * share: a schedule's rate sum over the days [x, y) of a segment
--     [lo, hi) r0->r1 has the closed form (y - x) r0 + (r1 - r0) T / (2 L)
--     with L = hi - lo and T = (y - x)(x + y - 1 - 2 lo) an integer, so
--     with D = lcm of the 2 L of the ramps every slice's exact share is
--     A * S_i / (N D) with S_i an exact decimal: its floor and remainder
--     are div() and mod(), and remainders compare directly.  The total
--     A * sum(S_i) / (N D) is rounded once, half to even.
--   * a negative amount is split as the negation of the split of -A.
-- Work is per slice, never per day (except for the day grain, whose slices
-- are days).
--
-- Differences from the C edition: the C edition raises 22003 "revenue
-- share out of range for exact arithmetic" when a schedule's common
-- denominator times the amount needs more than 128 bits; numeric has no
-- such limit, so the managed edition returns the exact answer instead.

-- lcm over a column, for common denominators of ramps.
CREATE AGGREGATE @extschema@.lcm_agg(numeric) (
    SFUNC = pg_catalog.lcm,
    STYPE = numeric,
    INITCOND = '1',
    COMBINEFUNC = pg_catalog.lcm,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.lcm_agg(numeric) IS
    'internal: least common multiple of the non-NULL integers of a group (1 for none), for common denominators';

-- num / den rounded half to even (num >= 0, den > 0; num may be a decimal).
CREATE FUNCTION @extschema@.round_half_even(num numeric, den numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN pg_catalog.div(num, den) OPERATOR(pg_catalog.+)
           CASE WHEN 2 OPERATOR(pg_catalog.*) pg_catalog.mod(num, den) OPERATOR(pg_catalog.>) den
                  OR (2 OPERATOR(pg_catalog.*) pg_catalog.mod(num, den) OPERATOR(pg_catalog.=) den
                      AND pg_catalog.mod(pg_catalog.div(num, den), 2) OPERATOR(pg_catalog.=) 1)
                THEN 1 ELSE 0 END;
COMMENT ON FUNCTION @extschema@.round_half_even(numeric, numeric) IS
    'internal: num / den (num >= 0, den > 0) rounded half to even, exactly';

-- A schedule's segments as exact sum terms over the common denominator D
-- (the lcm of twice the ramps' lengths): over the days [u, v) of segment
-- [lo, hi) the rate sum times D is (v - u) * c0 + c1 * (v - u) * (u + v - 1 - 2 lo).
CREATE FUNCTION @extschema@.schedule_terms(share @extschema@.rate_schedule)
    RETURNS TABLE (lo date, hi date, c0 numeric, c1 numeric, d numeric)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    WITH seg AS (SELECT s.lo, s.hi, s.r0, s.r1 FROM @extschema@.rate_segments(share) s),
    m AS (SELECT @extschema@.lcm_agg(CASE WHEN seg.r0 OPERATOR(pg_catalog.<>) seg.r1
                                          THEN 2 OPERATOR(pg_catalog.*) (seg.hi OPERATOR(pg_catalog.-) seg.lo)::numeric END) AS d
          FROM seg)
    SELECT seg.lo, seg.hi, seg.r0 OPERATOR(pg_catalog.*) m.d,
           CASE WHEN seg.r0 OPERATOR(pg_catalog.=) seg.r1 THEN 0::numeric
                ELSE (seg.r1 OPERATOR(pg_catalog.-) seg.r0) OPERATOR(pg_catalog.*)
                     pg_catalog.div(m.d, 2 OPERATOR(pg_catalog.*) (seg.hi OPERATOR(pg_catalog.-) seg.lo)::numeric) END,
           m.d
    FROM seg, m
$$;
COMMENT ON FUNCTION @extschema@.schedule_terms(@extschema@.rate_schedule) IS
    'internal: a schedule''s segments as exact sum terms over one common denominator d (lcm of twice the ramp lengths)';

-- D times the rate sum over the days [x, y) of a term valid on [lo, hi)
-- whose ramp starts on origin (0 when they do not overlap).  Plain SQL, inlined.
CREATE FUNCTION @extschema@.term_sum(x date, y date, lo date, hi date, origin date, c0 numeric, c1 numeric)
    RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN GREATEST(x, lo) OPERATOR(pg_catalog.>=) LEAST(y, hi) THEN 0::numeric
                WHEN c1 OPERATOR(pg_catalog.=) 0
                THEN (LEAST(y, hi) OPERATOR(pg_catalog.-) GREATEST(x, lo))::numeric OPERATOR(pg_catalog.*) c0
                ELSE (LEAST(y, hi) OPERATOR(pg_catalog.-) GREATEST(x, lo))::numeric OPERATOR(pg_catalog.*)
                     (c0 OPERATOR(pg_catalog.+) (c1 OPERATOR(pg_catalog.*)
                      ((GREATEST(x, lo) OPERATOR(pg_catalog.-) origin) OPERATOR(pg_catalog.+)
                       (LEAST(y, hi) OPERATOR(pg_catalog.-) origin) OPERATOR(pg_catalog.-) 1)::numeric)) END;
COMMENT ON FUNCTION @extschema@.term_sum(date, date, date, date, date, numeric, numeric) IS
    'internal: the common denominator times the rate sum over the days [x, y) of one schedule term (valid on [lo, hi), ramp starting on origin)';

-- The split of one flow in signed minor units (arguments valid, a an
-- integer): one row per slice, gross and share obeying the exactness rule.
CREATE FUNCTION @extschema@.split_minor(a numeric, lo date, hi date, grain text, fy_start int,
                                        share @extschema@.rate_schedule)
    RETURNS TABLE (slice_start date, slice_end date, label text, gross numeric, share numeric)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    WITH f AS (
        SELECT pg_catalog.abs(split_minor.a) AS a, pg_catalog.sign(split_minor.a) AS sgn,
               (split_minor.hi OPERATOR(pg_catalog.-) split_minor.lo)::numeric AS n),
    terms AS (SELECT * FROM @extschema@.schedule_terms(split_minor.share) WHERE split_minor.share IS NOT NULL),
    den AS (SELECT coalesce(min(terms.d), 1::numeric) AS d FROM terms),
    sl AS (
        SELECT s.slice_start, s.slice_end, s.label,
               pg_catalog.div(f.a, f.n) OPERATOR(pg_catalog.*) s.days OPERATOR(pg_catalog.+)
               pg_catalog.div(pg_catalog.mod(f.a, f.n) OPERATOR(pg_catalog.*) s.days, f.n) AS g_floor,
               pg_catalog.mod(pg_catalog.mod(f.a, f.n) OPERATOR(pg_catalog.*) s.days, f.n) AS g_rem,
               f.a OPERATOR(pg_catalog.*)
               coalesce((SELECT sum(@extschema@.term_sum(GREATEST(s.slice_start, split_minor.lo),
                                                         LEAST(s.slice_end, split_minor.hi OPERATOR(pg_catalog.-) 1) OPERATOR(pg_catalog.+) 1,
                                                         t.lo, t.hi, t.lo, t.c0, t.c1))
                         FROM terms t), 0::numeric) AS s_num
        FROM f, @extschema@.period_slices(split_minor.lo, split_minor.hi, split_minor.grain, split_minor.fy_start) s),
    fl AS (
        SELECT sl.*, pg_catalog.div(sl.s_num, f.n OPERATOR(pg_catalog.*) den.d) AS s_floor,
               pg_catalog.mod(sl.s_num, f.n OPERATOR(pg_catalog.*) den.d) AS s_rem
        FROM sl, f, den),
    k AS (
        SELECT f.a OPERATOR(pg_catalog.-) sum(fl.g_floor) AS g_k,
               @extschema@.round_half_even(sum(fl.s_num), f.n OPERATOR(pg_catalog.*) den.d)
               OPERATOR(pg_catalog.-) sum(fl.s_floor) AS s_k
        FROM fl, f, den GROUP BY f.a, f.n, den.d),
    ranked AS (
        SELECT fl.*, row_number() OVER (ORDER BY fl.g_rem DESC, fl.slice_start) AS g_rank,
               row_number() OVER (ORDER BY fl.s_rem DESC, fl.slice_start) AS s_rank
        FROM fl)
    SELECT r.slice_start, r.slice_end, r.label,
           f.sgn OPERATOR(pg_catalog.*) (r.g_floor OPERATOR(pg_catalog.+) CASE WHEN r.g_rank OPERATOR(pg_catalog.<=) k.g_k THEN 1 ELSE 0 END),
           f.sgn OPERATOR(pg_catalog.*) (r.s_floor OPERATOR(pg_catalog.+) CASE WHEN r.s_rank OPERATOR(pg_catalog.<=) k.s_k THEN 1 ELSE 0 END)
    FROM ranked r, f, k
    ORDER BY r.slice_start
$$;
COMMENT ON FUNCTION @extschema@.split_minor(numeric, date, date, text, int, @extschema@.rate_schedule) IS
    'internal: one flow of a minor units over the days [lo, hi) split into slices by largest remainder, with the share under the schedule (exact total rounded once, half to even, split the same way), in signed minor units; arguments unchecked';

-- Validates a flow's period as the C edition does (22023) and returns it.
CREATE FUNCTION @extschema@.check_period(period daterange) RETURNS daterange
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF isempty(period) THEN
        RAISE EXCEPTION 'invalid period "%"', period USING ERRCODE = '22023',
            DETAIL = 'A flow''s period must contain at least one day.';
    END IF;
    IF lower_inf(period) OR upper_inf(period) OR NOT isfinite(lower(period)) OR NOT isfinite(upper(period)) THEN
        RAISE EXCEPTION 'invalid period "%"', period USING ERRCODE = '22023',
            DETAIL = 'A flow''s period must have finite lower and upper bounds.';
    END IF;
    RETURN period;
END $$;
COMMENT ON FUNCTION @extschema@.check_period(daterange) IS
    'internal: raises 22023 for an empty period or one without two finite bounds';

-- The number of slices [lo, hi) touches, raising the C edition's 22008 when
-- the first slice starts before type date's first day.
CREATE FUNCTION @extschema@.slice_count(lo date, hi date, grain text, fy_start int) RETURNS bigint
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    m0 int;
BEGIN
    IF grain = 'day' THEN
        RETURN hi - lo;
    ELSIF grain = 'week' THEN
        RETURN (@extschema@.week_start(hi - 1) - @extschema@.week_start(lo)) / 7 + 1;
    END IF;
    m0 := @extschema@.slice_start_mi(lo, grain, fy_start);
    IF m0 < -56545 THEN
        PERFORM @extschema@.slice_out_of_range(lo);
    END IF;
    RETURN (@extschema@.slice_start_mi(hi - 1, grain, fy_start) - m0) / @extschema@.grain_months(grain) + 1;
END $$;
COMMENT ON FUNCTION @extschema@.slice_count(date, date, text, int) IS
    'internal: number of slices of grain the days [lo, hi) touch; raises 22008 when the first slice starts before type date''s first day';

-- Raises the C edition's 22008 when the slice holding the day before hi
-- ends after type date's last day; true otherwise.
CREATE FUNCTION @extschema@.check_slice_end(hi date, grain text, fy_start int, with_detail boolean DEFAULT true)
    RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF grain = 'week' AND DATE '5874897-12-31' - @extschema@.week_start(hi - 1) < 6
       OR grain NOT IN ('day', 'week')
          AND @extschema@.slice_start_mi(hi - 1, grain, fy_start) + @extschema@.grain_months(grain) > 70498776 THEN
        PERFORM @extschema@.slice_out_of_range(hi - 1, with_detail);
    END IF;
    RETURN true;
END $$;
COMMENT ON FUNCTION @extschema@.check_slice_end(date, text, int, boolean) IS
    'internal: raises 22008 when the slice holding hi - 1 ends after type date''s last day';

-- The body of prorate() (an input and an output column of prorate are both
-- named share, which PL/pgSQL does not allow: prorate is a SQL wrapper).
CREATE FUNCTION @extschema@.prorate_checked(amount numeric, period daterange, grain text,
                                            fy_start int, currency char(3), schedule @extschema@.rate_schedule)
    RETURNS TABLE (slice_start date, slice_end date, label text,
                   gross numeric, share numeric, net numeric)
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE ROWS 12
    SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    mu int;
    a numeric;
    n bigint;
    f numeric;
BEGIN
    IF amount IS NULL OR period IS NULL OR grain IS NULL OR fy_start IS NULL OR currency IS NULL THEN
        RETURN;
    END IF;
    PERFORM @extschema@.calendar_check(grain, fy_start);
    mu := @extschema@.minor_unit(currency);
    a := @extschema@.to_minor(amount, currency::text, mu);
    PERFORM @extschema@.check_period(period);
    n := @extschema@.slice_count(lower(period), upper(period), grain, fy_start);
    -- the C edition computes every slice in one allocation of at most 1 GB
    IF n > 13421772 THEN
        RAISE EXCEPTION 'period "%" has too many % slices', period, grain USING ERRCODE = '54000',
            DETAIL = format('It touches %s slices; prorate returns at most 13421772.', n),
            HINT = 'Use a coarser grain or a shorter period.';
    END IF;
    PERFORM @extschema@.check_slice_end(upper(period), grain, fy_start);
    f := @extschema@.minor_factor(mu);
    RETURN QUERY
    SELECT s.slice_start, s.slice_end, s.label, round(s.gross * f, mu), round(s.share * f, mu),
           round((s.gross - s.share) * f, mu)
    FROM @extschema@.split_minor(a, lower(period), upper(period), $3, $4, $6) s
    ORDER BY s.slice_start;
END $$;
COMMENT ON FUNCTION @extschema@.prorate_checked(numeric, daterange, text, int, char(3), @extschema@.rate_schedule) IS
    'internal: the body of prorate()';

CREATE FUNCTION @extschema@.prorate(amount numeric, period daterange, grain text,
                                    fy_start int DEFAULT 1, currency char(3) DEFAULT 'USD',
                                    share @extschema@.rate_schedule DEFAULT NULL)
    RETURNS TABLE (slice_start date, slice_end date, label text,
                   gross numeric, share numeric, net numeric)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE ROWS 12 AS $$
    SELECT * FROM @extschema@.prorate_checked($1, $2, $3, $4, $5, $6)
$$;
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

-- deal model: deals, their clauses, workloads and placement events
-- (doc/design.md, "The deal model")
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

-- products: does a clause's products list cover a product?  (the managed
-- edition's copy of src/products.c; placement and the revenue reports both
-- call this one function, so the two can never disagree about it)
--
-- Differences from the C edition:
--   - products_match is a user-visible SQL function here (in C it is an
--     internal helper of the C code); a NULL list gives NULL (C never sees
--     one: clause.products is NOT NULL).

-- A list is comma-separated globs; white space (space, tab, newline) around
-- each glob is ignored; '*' matches any run of characters, everything else
-- matches itself, case-sensitively and bytewise.  Each glob becomes a LIKE
-- pattern (LIKE's own wildcards and escape escaped, then * -> %), which
-- matches the same strings as C's greedy glob matcher.  A NULL product (a
-- flow whose product is unknown) matches only a glob made of '*' alone.
-- An empty list is one empty glob (as in C), which matches only ''.
-- Plain SQL, no SET clause: the planner inlines it into the caller.
CREATE FUNCTION @extschema@.products_match(products text, product text)
    RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE
        WHEN products IS NULL THEN NULL
        WHEN products OPERATOR(pg_catalog.=) '*' THEN true
        -- string_to_array('') is {}, but '' is one empty glob
        WHEN products OPERATOR(pg_catalog.=) '' THEN COALESCE(product OPERATOR(pg_catalog.=) '', false)
        WHEN product IS NULL THEN
            EXISTS (SELECT 1
                    FROM pg_catalog.unnest(pg_catalog.string_to_array(products, ',')) AS g
                    WHERE pg_catalog.btrim(g, E' \t\n') COLLATE "C" OPERATOR(pg_catalog.~) '^\*+$')
        ELSE
            EXISTS (SELECT 1
                    FROM pg_catalog.unnest(pg_catalog.string_to_array(products, ',')) AS g
                    WHERE product COLLATE "C" OPERATOR(pg_catalog.~~)
                          pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(
                              pg_catalog.btrim(g, E' \t\n'), '\', '\\'), '%', '\%'), '_', '\_'), '*', '%'))
    END;
COMMENT ON FUNCTION @extschema@.products_match(text, text) IS
    'does product match one of the comma-separated globs in products (* = any characters, white space around a glob ignored, case-sensitive)? A NULL product matches only a glob of * alone';

-- placement: may a workload be served on an endpoint on a date?  (SPEC 4.1
-- and 5; the managed edition of src/placement.c, which is the authority for
-- every rule and every reason text reproduced here)
--
-- Design.  Everything is set-based SQL over the deal model:
--  - placement_applied(on_date): one row per (workload, clause that applies
--    to it on on_date), with what the clause says about endpoints outside
--    it (verdict, lift date, reason) and inside it (reason).  It joins the
--    workloads to their grantor's clauses and to the latest relevant events
--    (the latest rofr step to the holder, the first launch inside scope).
--    It is an inlinable SQL function, so a caller's "workload_id = x" is
--    pushed into it (index scans on workload, clause.grantor, events).
--  - placement_pairs(on_date, candidates): every workload x candidate.  The
--    clauses in force are numbered once, each candidate gets one boolean
--    per clause ("inside": in the scope; for residency: in an allowed
--    country), each workload gets its obstacles as arrays ordered as C
--    orders reasons (blocked, then conditional, each by clause id), and a
--    pair is the unnest of its workload's obstacles filtered by the
--    candidate's booleans: no membership test and no event lookup per pair.
--  - placement_matrix and placement_summary read placement_pairs;
--    placement_check and placement_reasons (one pair) read
--    placement_applied for the one workload and test the one endpoint
--    against the few clauses directly.
-- The SQL bodies are SQL-standard (RETURN / BEGIN ATOMIC): they are parsed
-- at CREATE EXTENSION, so every table, function and operator in them is
-- bound then and no search_path of a caller can redirect them; functions
-- are qualified anyway.
--
-- Verdicts are coded 0 allowed, 1 conditional, 2 blocked inside (worst =
-- max), and turned into text at the end.
--
-- Differences from the C edition:
--   - placement_pair_verdict / _eligible_from / _reasons (C's per-pair
--     helpers of placement_matrix) do not exist; placement_applied,
--     placement_pairs, placement_date_text and placement_residency_countries
--     are internal helpers that C does not have.
--   - placement_summary returns its rows ordered by workload id (bytewise);
--     C returns them in the same order, but neither promises it.
--   - Speed: placement_matrix at 1,000 workloads x 300 endpoints takes about
--     1.2 s (C: 0.15-0.25 s).  When the planner misestimates (e.g. the
--     candidates come from an un-ANALYZEd table), the inlined query's cost
--     passes jit_above_cost and JIT compilation adds 2-3 s; SET jit = off
--     (or ANALYZE) avoids it.  A SET clause on the function would stop the
--     planner from inlining it, so the function cannot do this itself.

-- A date as ISO text (YYYY-MM-DD, "BC" suffix before year 1), whatever the
-- DateStyle: reasons are data.  extract() works on every date (a cast to
-- timestamp would fail past the year 294276).
CREATE FUNCTION @extschema@.placement_date_text(d date)
    RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN CASE
        WHEN d OPERATOR(pg_catalog.=) 'infinity'::date THEN 'infinity'
        WHEN d OPERATOR(pg_catalog.=) '-infinity'::date THEN '-infinity'
        WHEN d OPERATOR(pg_catalog.>=) '0001-01-01'::date THEN
            pg_catalog.lpad(EXTRACT(year FROM d)::int::text, 4, '0')
            OPERATOR(pg_catalog.||) '-' OPERATOR(pg_catalog.||)
            pg_catalog.lpad(EXTRACT(month FROM d)::int::text, 2, '0')
            OPERATOR(pg_catalog.||) '-' OPERATOR(pg_catalog.||)
            pg_catalog.lpad(EXTRACT(day FROM d)::int::text, 2, '0')
        ELSE
            pg_catalog.lpad((OPERATOR(pg_catalog.-) EXTRACT(year FROM d)::int)::text, 4, '0')
            OPERATOR(pg_catalog.||) '-' OPERATOR(pg_catalog.||)
            pg_catalog.lpad(EXTRACT(month FROM d)::int::text, 2, '0')
            OPERATOR(pg_catalog.||) '-' OPERATOR(pg_catalog.||)
            pg_catalog.lpad(EXTRACT(day FROM d)::int::text, 2, '0')
            OPERATOR(pg_catalog.||) ' BC'
    END;
COMMENT ON FUNCTION @extschema@.placement_date_text(date) IS
    'internal helper of the placement functions: a date as ISO text independent of DateStyle, as the reasons print it';

-- The countries a residency clause allows: every entry that is a two-letter
-- country code (trailing blanks ignored, ASCII letters upper-cased), plus
-- the countries of every jurisdiction whose code equals an entry
-- case-insensitively (ASCII).  Same rules as C's resolve_residency.
CREATE FUNCTION @extschema@.placement_residency_countries(jurisdictions text[])
    RETURNS text[]
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
    SELECT ARRAY(
        SELECT pg_catalog.translate(pg_catalog.rtrim(j, ' '), 'abcdefghijklmnopqrstuvwxyz',
                                    'ABCDEFGHIJKLMNOPQRSTUVWXYZ')
        FROM pg_catalog.unnest(jurisdictions) AS j
        WHERE pg_catalog.octet_length(pg_catalog.rtrim(j, ' ')) = 2
        UNION ALL
        SELECT pg_catalog.rtrim(x::text, ' ')
        FROM pg_catalog.unnest(jurisdictions) AS j
        JOIN @extschema@.jurisdiction AS ju
          ON pg_catalog.translate(ju.code, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')
             = pg_catalog.translate(j, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')
        CROSS JOIN LATERAL pg_catalog.unnest(ju.countries) AS x);
END;
COMMENT ON FUNCTION @extschema@.placement_residency_countries(text[]) IS
    'internal helper of the placement functions: the country codes a residency clause''s jurisdictions allow (codes and jurisdictions, matched as C does)';

-- One row per (workload, clause that applies to it on on_date): grantor =
-- owner, product matched, on_date in valid; rofr and first_launch also need
-- requested_on in valid; residency needs the same data_class.  Columns:
--   out_verdict/out_lift/out_reason: what the clause says about an endpoint
--     outside it (out_lift NULL: no known end);
--   in_reason: about an endpoint inside it;
--   for residency both reasons are the body of the text, completed per
--     endpoint (country or "unknown region") by the callers.
-- Every obstacle also lifts when its clause ends (cend, the first day after
-- valid when that is a date), hence least(..., cend).
CREATE FUNCTION @extschema@.placement_applied(on_date date)
    RETURNS TABLE (workload_id text, clause_id text, kind @extschema@.clause_kind,
                   scope @extschema@.endpoint_set, countries text[],
                   out_verdict int, out_lift date, out_reason text, in_reason text)
    LANGUAGE sql STABLE PARALLEL SAFE ROWS 10000
BEGIN ATOMIC
    SELECT w.id, c.id, c.kind, c.scope,
           CASE WHEN c.kind = 'residency' THEN @extschema@.placement_residency_countries(c.jurisdictions) END,
           o.v,
           CASE WHEN o.v > 0 THEN LEAST(o.cend, o.until) END,
           CASE c.kind
               WHEN 'exclusivity' THEN x.pre || 'only ' || x.sw ||
                   CASE WHEN o.cend IS NOT NULL
                        THEN ' until ' || @extschema@.placement_date_text(o.cend) || ' (exclusive to ' || c.holder || ')'
                        ELSE ', with no end date (exclusive to ' || c.holder || ')' END
               WHEN 'rofr' THEN x.pre ||
                   CASE WHEN r.kind IS NULL THEN
                            'offer to ' || c.holder || ' first' ||
                            COALESCE(' (the right ends on ' || @extschema@.placement_date_text(o.cend) || ')', '')
                        WHEN r.kind = 'decline' THEN
                            c.holder || ' declined the offer on ' || @extschema@.placement_date_text(r.on_date)
                        WHEN r.kind = 'accept' THEN
                            c.holder || ' accepted the offer on ' || @extschema@.placement_date_text(r.on_date) ||
                            ', so only ' || x.sw ||
                            COALESCE(' until ' || @extschema@.placement_date_text(o.cend), '')
                        WHEN o.due IS NULL THEN
                            'offered to ' || c.holder || ' on ' || @extschema@.placement_date_text(r.on_date) ||
                            ', no answer yet' ||
                            COALESCE('; the right ends on ' || @extschema@.placement_date_text(o.cend), '')
                        WHEN placement_applied.on_date < o.due THEN
                            'offered to ' || c.holder || ' on ' || @extschema@.placement_date_text(r.on_date) ||
                            ', answer due by ' || @extschema@.placement_date_text(o.due) ||
                            CASE WHEN o.cend < o.due
                                 THEN '; the right ends on ' || @extschema@.placement_date_text(o.cend) ELSE '' END
                        ELSE
                            c.holder || ' did not answer the offer of ' || @extschema@.placement_date_text(r.on_date) ||
                            ' by ' || @extschema@.placement_date_text(o.due)
                   END
               WHEN 'first_launch' THEN x.pre ||
                   CASE WHEN l.on_date IS NULL THEN
                            'launch on ' || x.sw || ' (' || c.holder || ') first' ||
                            COALESCE(' (the clause ends on ' || @extschema@.placement_date_text(o.cend) || ')', '')
                        WHEN o.ready IS NOT NULL THEN
                            'launched on ' || l.at::text || ' on ' || @extschema@.placement_date_text(l.on_date) ||
                            ', elsewhere from ' || @extschema@.placement_date_text(o.ready) ||
                            CASE WHEN o.cend < o.ready
                                 THEN '; the clause ends on ' || @extschema@.placement_date_text(o.cend) ELSE '' END
                        ELSE
                            'launched on ' || l.at::text || ' on ' || @extschema@.placement_date_text(l.on_date) ||
                            ', elsewhere ' || c.lag_days::text || ' days later' ||
                            COALESCE('; the clause ends on ' || @extschema@.placement_date_text(o.cend), '')
                   END
               WHEN 'residency' THEN x.res
               ELSE x.none
           END,
           CASE c.kind
               WHEN 'exclusivity' THEN x.pre || 'inside ' || c.holder || '''s exclusive scope ' || x.sw
               WHEN 'rofr' THEN x.pre || 'inside ' || c.holder || '''s scope ' || x.sw
               WHEN 'first_launch' THEN x.pre || 'inside ' || c.holder || '''s first-launch scope ' || x.sw
               WHEN 'residency' THEN x.res
               ELSE x.none
           END
    FROM @extschema@.workload AS w
    JOIN @extschema@.clause AS c
      ON c.grantor = w.owner
     AND c.valid @> placement_applied.on_date
     AND @extschema@.products_match(c.products, w.product)
     AND (c.kind NOT IN ('rofr', 'first_launch') OR c.valid @> w.requested_on)
     AND (c.kind <> 'residency' OR c.data_class = w.data_class)
    -- the latest rofr step to the holder known on placement_applied.on_date (same day: offer, decline, accept)
    LEFT JOIN LATERAL (
        SELECT e.kind, e.on_date
        FROM @extschema@.placement_event AS e
        WHERE c.kind = 'rofr' AND e.workload_id = w.id AND e.on_date <= placement_applied.on_date
          AND e.holder = c.holder AND e.kind IN ('offer', 'decline', 'accept')
        ORDER BY e.on_date DESC,
                 CASE e.kind WHEN 'offer' THEN 0 WHEN 'decline' THEN 1 ELSE 2 END DESC
        LIMIT 1) AS r ON true
    -- the first launch inside the scope (same day: the smallest endpoint)
    LEFT JOIN LATERAL (
        SELECT e.at, e.on_date
        FROM @extschema@.placement_event AS e
        WHERE c.kind = 'first_launch' AND e.workload_id = w.id AND e.on_date <= placement_applied.on_date
          AND e.kind = 'launch' AND e.at IS NOT NULL
          AND @extschema@.endpoint_contained_by_endpoint_set(e.at, c.scope)
        ORDER BY e.on_date, @extschema@.provider(e.at) COLLATE "C", @extschema@.region(e.at) COLLATE "C",
                 @extschema@.service(e.at) COLLATE "C" NULLS FIRST
        LIMIT 1) AS l ON true
    CROSS JOIN LATERAL (
        SELECT CASE c.kind
                   WHEN 'exclusivity' THEN 'exclusivity '
                   WHEN 'rofr' THEN 'right of first refusal '
                   WHEN 'first_launch' THEN 'first launch '
                   WHEN 'residency' THEN 'residency '
                   WHEN 'revenue_share' THEN 'revenue share '
                   WHEN 'primary_partner' THEN 'primary partner '
                   ELSE 'commitment ' END || c.id || ': ' AS pre,
               COALESCE(NULLIF(c.scope::text, ''), 'no endpoint') AS sw,
               CASE WHEN pg_catalog.isfinite(pg_catalog.upper(c.valid)) THEN pg_catalog.upper(c.valid) END AS cend0,
               -- offer + window, ready = launch + lag: NULL past the last date
               CASE WHEN r.kind = 'offer'
                     AND (r.on_date - '2000-01-01'::date)::bigint + c.window_days <= 2145031948
                    THEN r.on_date + c.window_days END AS due0,
               CASE WHEN (l.on_date - '2000-01-01'::date)::bigint + c.lag_days <= 2145031948
                    THEN l.on_date + c.lag_days END AS ready0) AS y0
    CROSS JOIN LATERAL (
        SELECT y0.pre,
               y0.sw,
               c.data_class || ' data must stay in ' ||
               CASE WHEN pg_catalog.cardinality(pg_catalog.array_remove(c.jurisdictions, NULL)) > 0
                    THEN pg_catalog.array_to_string(c.jurisdictions, ', ') ELSE 'no jurisdiction' END ||
               COALESCE(' until ' || @extschema@.placement_date_text(y0.cend0), '') ||
               COALESCE(' (required by ' || c.holder || ')', '') AS res,
               y0.pre || 'no effect on placement' ||
               CASE c.kind
                   WHEN 'revenue_share' THEN ' (' || c.grantor || ' pays ' || c.holder || ' a share of revenue)'
                   WHEN 'primary_partner' THEN ' (' || c.holder || ' is the primary partner, minimum share ' ||
                                              c.min_share::text || ')'
                   WHEN 'commitment' THEN ' (' || c.grantor || ' committed ' || c.amount::text || ' ' ||
                                         c.currency::text || ' to ' || c.holder || ')'
                   ELSE '' END AS none) AS x
    CROSS JOIN LATERAL (
        SELECT y0.cend0 AS cend, y0.due0 AS due, y0.ready0 AS ready,
               CASE c.kind
                   WHEN 'exclusivity' THEN 2
                   WHEN 'rofr' THEN
                       CASE WHEN r.kind IS NULL THEN 1
                            WHEN r.kind = 'decline' THEN 0
                            WHEN r.kind = 'accept' THEN 2
                            WHEN y0.due0 IS NULL THEN 1
                            WHEN placement_applied.on_date < y0.due0 THEN 1
                            ELSE 0 END
                   WHEN 'first_launch' THEN
                       CASE WHEN l.on_date IS NULL THEN 1
                            WHEN y0.ready0 IS NULL THEN 1
                            WHEN placement_applied.on_date < y0.ready0 THEN 1
                            ELSE 0 END
                   WHEN 'residency' THEN 2
                   ELSE 0 END AS v,
               -- the day the obstacle itself lifts, when it is not the clause's end
               CASE WHEN c.kind = 'rofr' THEN y0.due0
                    WHEN c.kind = 'first_launch' THEN y0.ready0 END AS until) AS o
    WHERE placement_applied.on_date IS NOT NULL;
END;
COMMENT ON FUNCTION @extschema@.placement_applied(date) IS
    'internal helper of the placement functions: every (workload, applicable clause) on on_date with what the clause says about endpoints outside it (verdict 0/1/2, lift date, reason) and inside it';

-- Every workload x candidate (default: every catalogued provider/region;
-- NULL elements skipped, duplicates kept): verdict code v, lift (NULL:
-- unknown or allowed), reasons, and the clauses counted by
-- placement_summary (the blocking ones, the conditional ones).
CREATE FUNCTION @extschema@.placement_pairs(on_date date, candidates @extschema@.endpoint[])
    RETURNS TABLE (workload_id text, endpoint @extschema@.endpoint, v int, lift_known boolean,
                   lift date, reasons text[], blocked_ids text[], conditional_ids text[])
    LANGUAGE sql STABLE PARALLEL SAFE ROWS 100000
BEGIN ATOMIC
    WITH cl AS MATERIALIZED (
        -- the clauses in force with a placement effect, numbered
        SELECT c.id, c.kind, c.scope,
               CASE WHEN c.kind = 'residency' THEN @extschema@.placement_residency_countries(c.jurisdictions) END
                   AS countries,
               pg_catalog.row_number() OVER (ORDER BY c.id COLLATE "C")::int AS no
        FROM @extschema@.clause AS c
        WHERE c.valid @> placement_pairs.on_date AND c.kind IN ('exclusivity', 'rofr', 'first_launch', 'residency')),
    cand AS MATERIALIZED (
        -- each candidate: its country (NULL: region not catalogued) and
        -- whether it is inside each clause, by clause number
        SELECT u.e, rg.country::text AS country,
               ARRAY(SELECT CASE WHEN cl.kind = 'residency'
                                 THEN COALESCE(rg.country::text = ANY (cl.countries), false)
                                 ELSE COALESCE(@extschema@.endpoint_contained_by_endpoint_set(u.e, cl.scope), false) END
                     FROM cl ORDER BY cl.no) AS ins
        FROM pg_catalog.unnest(COALESCE(placement_pairs.candidates,
                 ARRAY(SELECT @extschema@.endpoint(r.provider, r.region) FROM @extschema@.region AS r))) AS u(e)
        LEFT JOIN @extschema@.region AS rg
          ON rg.provider = @extschema@.provider(u.e) AND rg.region = @extschema@.region(u.e)
        WHERE u.e IS NOT NULL),
    cls AS MATERIALIZED (
        -- candidates alike for every clause (same booleans, same country)
        -- form one class: pairs are evaluated per workload x class, then
        -- expanded to the class's candidates (duplicates kept)
        SELECT cand.country, cand.ins, pg_catalog.array_agg(cand.e) AS es
        FROM cand GROUP BY cand.country, cand.ins),
    ob AS (
        -- each workload's obstacles, in C's reason order
        SELECT a.workload_id,
               pg_catalog.array_agg(cl.no ORDER BY a.out_verdict DESC, a.clause_id COLLATE "C") AS nos,
               pg_catalog.array_agg(a.out_verdict ORDER BY a.out_verdict DESC, a.clause_id COLLATE "C") AS vs,
               pg_catalog.array_agg(a.out_lift ORDER BY a.out_verdict DESC, a.clause_id COLLATE "C") AS lifts,
               pg_catalog.array_agg(a.out_reason ORDER BY a.out_verdict DESC, a.clause_id COLLATE "C") AS rs,
               pg_catalog.array_agg(a.clause_id ORDER BY a.out_verdict DESC, a.clause_id COLLATE "C") AS ids,
               pg_catalog.array_agg(a.kind = 'residency' ORDER BY a.out_verdict DESC, a.clause_id COLLATE "C") AS res
        FROM @extschema@.placement_applied(placement_pairs.on_date) AS a
        JOIN cl ON cl.id = a.clause_id
        WHERE a.out_verdict > 0
        GROUP BY a.workload_id)
    SELECT w.id, cc.e, p.v, p.known, p.lift, p.reasons, p.bids, p.cids
    FROM @extschema@.workload AS w
    LEFT JOIN ob ON ob.workload_id = w.id
    CROSS JOIN cls AS c
    CROSS JOIN LATERAL (
        SELECT pg_catalog.max(o.v) AS v,
               pg_catalog.bool_and(o.lift IS NOT NULL) AS known,
               pg_catalog.max(o.lift) AS lift,
               pg_catalog.array_agg(
                   CASE WHEN o.res
                        THEN 'residency ' || o.id || ': ' ||
                             CASE WHEN c.country IS NULL THEN 'unknown region; ' || o.r
                                  ELSE o.r || '; this endpoint is in ' || c.country END
                        ELSE o.r END) AS reasons,
               pg_catalog.array_agg(o.id) FILTER (WHERE o.v = 2) AS bids,
               pg_catalog.array_agg(o.id) FILTER (WHERE o.v = 1) AS cids
        FROM ROWS FROM (pg_catalog.unnest(ob.nos), pg_catalog.unnest(ob.vs), pg_catalog.unnest(ob.lifts),
                       pg_catalog.unnest(ob.rs), pg_catalog.unnest(ob.ids), pg_catalog.unnest(ob.res))
             AS o(no, v, lift, r, id, res)
        WHERE NOT c.ins[o.no]) AS p
    CROSS JOIN LATERAL pg_catalog.unnest(c.es) AS cc(e)
    WHERE placement_pairs.on_date IS NOT NULL;
END;
COMMENT ON FUNCTION @extschema@.placement_pairs(date, @extschema@.endpoint[]) IS
    'internal helper of placement_matrix and placement_summary: every workload x candidate with its verdict code, lift date, reasons and the clauses in the way';

CREATE FUNCTION @extschema@.placement_matrix(
    on_date date DEFAULT CURRENT_DATE, candidates @extschema@.endpoint[] DEFAULT NULL)
    RETURNS TABLE (workload_id text, endpoint @extschema@.endpoint, verdict text,
                   eligible_from date, reasons text[])
    LANGUAGE sql STABLE PARALLEL SAFE ROWS 100000
BEGIN ATOMIC
    SELECT p.workload_id, p.endpoint,
           CASE p.v WHEN 2 THEN 'blocked' WHEN 1 THEN 'conditional' ELSE 'allowed' END,
           CASE WHEN p.v IS NULL THEN placement_matrix.on_date WHEN p.lift_known THEN p.lift END,
           COALESCE(p.reasons, '{}'::text[])
    FROM @extschema@.placement_pairs(placement_matrix.on_date, placement_matrix.candidates) AS p;
END;
COMMENT ON FUNCTION @extschema@.placement_matrix(date, @extschema@.endpoint[]) IS
    'placement_check for every workload x candidate endpoint (default: every catalogued provider/region), in no particular order (add ORDER BY); NULL on_date gives no rows, NULL elements of candidates are skipped';

CREATE FUNCTION @extschema@.placement_summary(
    on_date date DEFAULT CURRENT_DATE, candidates @extschema@.endpoint[] DEFAULT NULL)
    RETURNS TABLE (workload_id text, allowed int, conditional int, blocked int, message text)
    LANGUAGE sql STABLE PARALLEL SAFE ROWS 1000
BEGIN ATOMIC
    WITH p AS MATERIALIZED (
        SELECT pp.workload_id, COALESCE(pp.v, 0) AS v, pp.blocked_ids, pp.conditional_ids
        FROM @extschema@.placement_pairs(placement_summary.on_date, placement_summary.candidates) AS pp),
    tally AS (
        SELECT p.workload_id,
               pg_catalog.count(*) FILTER (WHERE p.v = 0)::int AS na,
               pg_catalog.count(*) FILTER (WHERE p.v = 1)::int AS nc,
               pg_catalog.count(*) FILTER (WHERE p.v = 2)::int AS nb,
               pg_catalog.count(*)::int AS n
        FROM p GROUP BY p.workload_id),
    per_clause AS (
        SELECT p.workload_id, p.v, x.id, pg_catalog.count(*)::int AS n
        FROM p CROSS JOIN LATERAL pg_catalog.unnest(
                 CASE p.v WHEN 2 THEN p.blocked_ids WHEN 1 THEN p.conditional_ids END) AS x(id)
        GROUP BY p.workload_id, p.v, x.id),
    parts AS (
        SELECT pc.workload_id, pc.v,
               pg_catalog.string_agg(c.kind::text || ' ' || pc.id || ' (' || pc.n::text || ')', ', '
                                     ORDER BY pc.n DESC, pc.id COLLATE "C") AS list
        FROM per_clause AS pc JOIN @extschema@.clause AS c ON c.id = pc.id
        GROUP BY pc.workload_id, pc.v)
    SELECT w.id, COALESCE(t.na, 0), COALESCE(t.nc, 0), COALESCE(t.nb, 0),
           COALESCE(t.na, 0)::text || '/' || COALESCE(t.n, 0)::text || ' endpoints allowed' ||
           CASE WHEN t.nb > 0 THEN '; ' || t.nb::text || ' blocked: ' || COALESCE(b.list, '') ELSE '' END ||
           CASE WHEN t.nc > 0 THEN '; ' || t.nc::text || ' conditional: ' || COALESCE(cc.list, '') ELSE '' END
    FROM @extschema@.workload AS w
    LEFT JOIN tally AS t ON t.workload_id = w.id
    LEFT JOIN parts AS b ON b.workload_id = w.id AND b.v = 2
    LEFT JOIN parts AS cc ON cc.workload_id = w.id AND cc.v = 1
    WHERE placement_summary.on_date IS NOT NULL
    ORDER BY w.id COLLATE "C";
END;
COMMENT ON FUNCTION @extschema@.placement_summary(date, @extschema@.endpoint[]) IS
    'one line per workload: how many candidate endpoints are allowed, conditional, blocked, and which clauses hold them back, e.g. "12/300 endpoints allowed; 250 blocked: exclusivity excl-azure (250); 38 conditional: rofr rofr-msft (38)"';

-- One pair: the endpoint is tested against the workload's few applicable
-- clauses directly (no candidate table).  PL/pgSQL for the error on an
-- unknown workload; the query's plan is cached per session.
CREATE FUNCTION @extschema@.placement_check(
    workload_id text, e @extschema@.endpoint, on_date date DEFAULT CURRENT_DATE,
    OUT verdict text, OUT eligible_from date, OUT reasons text[])
    RETURNS record
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    wid  text := placement_check.workload_id;
    ep   @extschema@.endpoint := placement_check.e;
    d    date := placement_check.on_date;
    ctry text;
    v    int;
    known boolean;
    lift date;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM @extschema@.workload AS w WHERE w.id OPERATOR(pg_catalog.=) wid) THEN
        RAISE EXCEPTION 'workload "%" does not exist', wid USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT rg.country::text INTO ctry FROM @extschema@.region AS rg
    WHERE rg.provider OPERATOR(pg_catalog.=) @extschema@.provider(ep)
      AND rg.region OPERATOR(pg_catalog.=) @extschema@.region(ep);
    SELECT pg_catalog.max(a.out_verdict), pg_catalog.bool_and(a.out_lift IS NOT NULL), pg_catalog.max(a.out_lift),
           pg_catalog.array_agg(
               CASE WHEN a.kind OPERATOR(pg_catalog.=) 'residency'::@extschema@.clause_kind
                    THEN 'residency ' || a.clause_id || ': ' ||
                         CASE WHEN ctry IS NULL THEN 'unknown region; ' || a.out_reason
                              ELSE a.out_reason || '; this endpoint is in ' || ctry END
                    ELSE a.out_reason END
               ORDER BY a.out_verdict DESC, a.clause_id COLLATE "C")
      INTO v, known, lift, reasons
    FROM @extschema@.placement_applied(d) AS a
    WHERE a.workload_id OPERATOR(pg_catalog.=) wid
      AND a.out_verdict OPERATOR(pg_catalog.>) 0
      AND NOT CASE WHEN a.kind OPERATOR(pg_catalog.=) 'residency'::@extschema@.clause_kind
                   THEN COALESCE(ctry OPERATOR(pg_catalog.=) ANY (a.countries), false)
                   ELSE COALESCE(@extschema@.endpoint_contained_by_endpoint_set(ep, a.scope), false) END;
    verdict := CASE v WHEN 2 THEN 'blocked' WHEN 1 THEN 'conditional' ELSE 'allowed' END;
    eligible_from := CASE WHEN v IS NULL THEN d WHEN known THEN lift END;
    reasons := COALESCE(reasons, '{}'::text[]);
END
$$;
COMMENT ON FUNCTION @extschema@.placement_check(text, @extschema@.endpoint, date) IS
    'may the workload be served on endpoint e on on_date: verdict allowed, conditional or blocked; eligible_from (on_date when allowed, the day every obstacle lifts, NULL when one has no known end); one reason per clause in the way';

CREATE FUNCTION @extschema@.placement_reasons(
    workload_id text, e @extschema@.endpoint, on_date date DEFAULT CURRENT_DATE)
    RETURNS TABLE (clause_id text, kind @extschema@.clause_kind, verdict text,
                   eligible_from date, reason text)
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE ROWS 5
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    wid  text := placement_reasons.workload_id;
    ep   @extschema@.endpoint := placement_reasons.e;
    d    date := placement_reasons.on_date;
    ctry text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM @extschema@.workload AS w WHERE w.id OPERATOR(pg_catalog.=) wid) THEN
        RAISE EXCEPTION 'workload "%" does not exist', wid USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT rg.country::text INTO ctry FROM @extschema@.region AS rg
    WHERE rg.provider OPERATOR(pg_catalog.=) @extschema@.provider(ep)
      AND rg.region OPERATOR(pg_catalog.=) @extschema@.region(ep);
    RETURN QUERY
    SELECT a.clause_id, a.kind,
           CASE x.v WHEN 2 THEN 'blocked' WHEN 1 THEN 'conditional' ELSE 'allowed' END,
           CASE WHEN x.v OPERATOR(pg_catalog.=) 0 THEN d ELSE a.out_lift END,
           CASE WHEN a.kind OPERATOR(pg_catalog.=) 'residency'::@extschema@.clause_kind
                THEN 'residency ' || a.clause_id || ': ' ||
                     CASE WHEN ctry IS NULL THEN 'unknown region; ' || a.out_reason
                          ELSE a.out_reason || '; this endpoint is in ' || ctry END
                WHEN x.inside THEN a.in_reason
                ELSE a.out_reason END
    FROM @extschema@.placement_applied(d) AS a
    CROSS JOIN LATERAL (
        SELECT CASE WHEN a.kind OPERATOR(pg_catalog.=) 'residency'::@extschema@.clause_kind
                    THEN COALESCE(ctry OPERATOR(pg_catalog.=) ANY (a.countries), false)
                    WHEN a.kind OPERATOR(pg_catalog.=) ANY
                         ('{exclusivity,rofr,first_launch}'::@extschema@.clause_kind[])
                    THEN COALESCE(@extschema@.endpoint_contained_by_endpoint_set(ep, a.scope), false)
                    ELSE true END AS inside) AS i
    CROSS JOIN LATERAL (
        SELECT CASE WHEN i.inside THEN 0 ELSE a.out_verdict END AS v, i.inside) AS x
    WHERE a.workload_id OPERATOR(pg_catalog.=) wid
    ORDER BY x.v DESC, a.clause_id COLLATE "C";
END
$$;
COMMENT ON FUNCTION @extschema@.placement_reasons(text, @extschema@.endpoint, date) IS
    'one row per clause that applies to the workload on on_date, allowed ones included, with what it says about endpoint e; blocked first, then conditional, then allowed, each by clause id';

-- revenue_flow: the money that moves between parties (doc/design.md, "The
-- deal model").  Plain SQL, shared by both editions (the C edition and the
-- managed edition in managed/).

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


-- revenue: time-sliced revenue reports over revenue_flow (SPEC 5; managed
-- edition of src/revenue.c and src/revenue.sql)
--
-- The reports are set-based queries, never a per-row aggregate:
--   flows x their slices                -> gross parts (largest remainder per flow)
--   flows x matching clause terms x slices -> share parts (per flow and holder:
--                                          exact total rounded once, largest remainder)
-- Clauses are matched once per distinct (seller, product, channel) key,
-- not per flow.  All arithmetic on amounts is exact integer (or exact
-- decimal) numeric arithmetic with +, -, *, div() and mod() only; see
-- managed/src/prorate.sql for the closed form of a schedule's rate sums.
-- Per (flow, holder) the common denominator is N * D with D the lcm of
-- twice the ramp lengths of the (grantor, holder)'s clauses: a multiple of
-- the C edition's, so every exact value (and every rounding) is the same.
--
-- Differences from the C edition:
--   * The aggregates prorate_agg, revenue_agg, revenue_provider_agg and
--     exposure_agg keep their state as a composite holding an array of cells
--     (non-superusers cannot create aggregates with internal state; no
--     serial/deserial functions are needed), combine with agg_combine and
--     split each row with set-based SQL (model rows read the clause table
--     per row): the same figures, but far slower per row than C.  The
--     reports do not use them.
--   * keyed_slice_total[] from revenue_provider_agg and exposure_agg lists the
--     keys ordered by (kind, party, provider, currency) in "C" collation; the C
--     edition lists them in the order the rows first met them.
--   * No 22003 "revenue share out of range for exact arithmetic" nor
--     "revenue total out of range": numeric does not overflow at 128 bits.
--   * revenue_slices, revenue_report and exposure run with jit = off,
--     enable_nestloop = off and work_mem = 256MB (function SET clauses),
--     revenue_report and exposure also with enable_mergejoin = off:
--     JIT compiling the big query costs seconds, nested loops over the
--     CTEs' poorly estimated row counts are quadratic, merge joins sort a
--     million flows by text keys, and the per-flow rankings sort millions
--     of rows.

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

-- The revenue_share clauses as exact sum terms ------------------------------

-- Every revenue_share clause's schedule segments clipped to its validity,
-- as terms over the common denominator d of its (grantor, holder): over
-- the days [u, v) inside [lo, hi) the rate sum times d is
-- term_sum(u, v, lo, hi, origin, c0, c1).  A NULL bound of valid is open
-- (the C edition reads lower/upper of valid the same way).
CREATE FUNCTION @extschema@.share_terms()
    RETURNS TABLE (clause_id text, grantor text, holder text, products text, scope @extschema@.endpoint_set,
                   lo date, hi date, origin date, c0 numeric, c1 numeric, d numeric)
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    WITH seg AS (
        SELECT c.id, c.grantor, c.holder, coalesce(c.products, '*') AS products, c.scope,
               GREATEST(s.lo, coalesce(pg_catalog.lower(c.valid), '-infinity'::date)) AS plo,
               LEAST(s.hi, coalesce(pg_catalog.upper(c.valid), 'infinity'::date)) AS phi,
               s.lo AS slo, s.hi AS shi, s.r0, s.r1
        FROM @extschema@.clause c
        CROSS JOIN LATERAL @extschema@.rate_segments(c.rate) s
        WHERE c.kind OPERATOR(pg_catalog.=) 'revenue_share'),
    den AS (
        SELECT seg.grantor, seg.holder,
               @extschema@.lcm_agg(CASE WHEN seg.r0 OPERATOR(pg_catalog.<>) seg.r1
                                        THEN 2 OPERATOR(pg_catalog.*) (seg.shi OPERATOR(pg_catalog.-) seg.slo)::numeric END) AS d
        FROM seg GROUP BY seg.grantor, seg.holder)
    SELECT seg.id, seg.grantor, seg.holder, seg.products, seg.scope, seg.plo, seg.phi, seg.slo,
           seg.r0 OPERATOR(pg_catalog.*) den.d,
           CASE WHEN seg.r0 OPERATOR(pg_catalog.=) seg.r1 THEN 0::numeric
                ELSE (seg.r1 OPERATOR(pg_catalog.-) seg.r0) OPERATOR(pg_catalog.*)
                     pg_catalog.div(den.d, 2 OPERATOR(pg_catalog.*) (seg.shi OPERATOR(pg_catalog.-) seg.slo)::numeric) END,
           den.d
    FROM seg JOIN den ON den.grantor OPERATOR(pg_catalog.=) seg.grantor AND den.holder OPERATOR(pg_catalog.=) seg.holder
    WHERE seg.plo OPERATOR(pg_catalog.<) seg.phi
$$;
COMMENT ON FUNCTION @extschema@.share_terms() IS
    'internal: every revenue_share clause''s schedule clipped to its validity, as exact sum terms over one common denominator per (grantor, holder)';

-- The split of the flows -----------------------------------------------------

-- Every part of the flows whose period overlaps win, in signed minor units
-- (revenue_slices; report_cells is the reports' faster grouped form):
-- one gross row per (flow, slice) (holder NULL, share NULL) and one share
-- row per (flow, holder, slice) the holder is owed something in (gross
-- NULL; slices without any share are left out: a slice whose exact share
-- is 0 has no remainder and never receives a unit).  party NULL: every flow
-- and holder; otherwise only the flows and shares exposure() needs (seller
-- or buyer = party; shares the party owes to others or is owed by them).
-- Arguments unchecked (report_window first).
--
-- Flows with a single slice (most one-off and short flows) take a path
-- without ranking: the slice gets the whole amount and each holder the
-- rounded total.  The others rank their slices with one window per flow
-- (or per flow and holder).
CREATE FUNCTION @extschema@.flow_parts(win daterange, grain text, fy_start int, party text)
    RETURNS TABLE (flow_id bigint, seller text, buyer text, channel @extschema@.endpoint, currency char(3),
                   holder text, slice_start date, slice_end date, gross numeric, share numeric)
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    WITH terms AS MATERIALIZED (SELECT * FROM @extschema@.share_terms()),
    fl AS MATERIALIZED (
        SELECT f.id, f.seller, f.buyer, f.product, f.channel, f.currency,
               pg_catalog.lower(f.period) AS lo, pg_catalog.upper(f.period) AS hi,
               pg_catalog.abs(f.amount) OPERATOR(pg_catalog.*)
               @extschema@.minor_scale(@extschema@.currency_scale(f.currency::text)) AS a,
               pg_catalog.sign(f.amount) AS sgn,
               (pg_catalog.upper(f.period) OPERATOR(pg_catalog.-) pg_catalog.lower(f.period))::numeric AS n,
               -- does the period lie in one slice?
               @extschema@.slice_index(pg_catalog.lower(f.period), flow_parts.grain, flow_parts.fy_start)
               OPERATOR(pg_catalog.=)
               @extschema@.slice_index(pg_catalog.upper(f.period) OPERATOR(pg_catalog.-) 1, flow_parts.grain, flow_parts.fy_start)
               AS single
        FROM @extschema@.revenue_flow f
        WHERE f.period OPERATOR(pg_catalog.&&) flow_parts.win
          AND (flow_parts.party IS NULL
               OR f.seller OPERATOR(pg_catalog.=) flow_parts.party
               OR f.buyer OPERATOR(pg_catalog.=) flow_parts.party
               OR f.seller IN (SELECT t.grantor FROM terms t WHERE t.holder OPERATOR(pg_catalog.=) flow_parts.party))),
    cls AS (
        SELECT c.id AS clause_id, c.grantor, c.holder, coalesce(c.products, '*') AS products, c.scope
        FROM @extschema@.clause c
        WHERE c.id IN (SELECT t.clause_id FROM terms t)
          AND (flow_parts.party IS NULL
               OR (c.grantor OPERATOR(pg_catalog.=) flow_parts.party) OPERATOR(pg_catalog.<>)
                  (c.holder OPERATOR(pg_catalog.=) flow_parts.party))),
    keys AS MATERIALIZED (
        SELECT DISTINCT fl.seller, fl.product, fl.channel FROM fl
        WHERE fl.seller IN (SELECT cls.grantor FROM cls)),
    -- products are tested once per (seller, product), scopes once per
    -- (seller, channel): both are few however many keys there are
    pm AS MATERIALIZED (
        SELECT p.seller, p.product IS NULL AS pnull, coalesce(p.product, '') AS pkey, c.clause_id
        FROM (SELECT DISTINCT keys.seller, keys.product FROM keys) p
        JOIN cls c ON c.grantor OPERATOR(pg_catalog.=) p.seller
        WHERE @extschema@.products_match(c.products, p.product)),
    cm AS MATERIALIZED (
        SELECT h.seller, h.channel, c.clause_id
        FROM (SELECT DISTINCT keys.seller, keys.channel FROM keys) h
        JOIN cls c ON c.grantor OPERATOR(pg_catalog.=) h.seller
        WHERE c.scope IS NULL OR @extschema@.endpoint_contained_by_endpoint_set(h.channel, c.scope)),
    -- the terms of every key
    kt AS MATERIALIZED (
        SELECT k.seller, k.product IS NULL AS pnull, coalesce(k.product, '') AS pkey, k.channel,
               t.holder, t.lo, t.hi, t.origin, t.c0, t.c1, t.d
        FROM keys k
        JOIN pm ON pm.seller OPERATOR(pg_catalog.=) k.seller AND pm.pkey OPERATOR(pg_catalog.=) coalesce(k.product, '')
               AND pm.pnull OPERATOR(pg_catalog.=) (k.product IS NULL)
        JOIN cm ON cm.seller OPERATOR(pg_catalog.=) k.seller AND cm.channel OPERATOR(pg_catalog.=) k.channel
               AND cm.clause_id OPERATOR(pg_catalog.=) pm.clause_id
        JOIN terms t ON t.clause_id OPERATOR(pg_catalog.=) pm.clause_id),
    -- gross of single-slice flows: everything
    g1 AS (
        SELECT fl.id, fl.seller, fl.buyer, fl.channel, fl.currency, NULL::text AS holder, s.slice_start, s.slice_end,
               fl.sgn OPERATOR(pg_catalog.*) fl.a AS gross, NULL::numeric AS share
        FROM fl CROSS JOIN LATERAL @extschema@.period_slices(fl.lo, fl.hi, flow_parts.grain, flow_parts.fy_start) s
        WHERE fl.single),
    -- with a = q n + r: slice part q days + (r days) div n, remainder (r days) mod n;
    -- r days < n^2 < 2^63 (n is at most the 2^31 days of type date), so int8 is exact
    gq AS (
        SELECT fl.*, pg_catalog.div(fl.a, fl.n) AS q, pg_catalog.mod(fl.a, fl.n)::int8 AS r, fl.n::int8 AS nn
        FROM fl WHERE NOT fl.single),
    gs AS (
        SELECT gq.id, gq.seller, gq.buyer, gq.channel, gq.currency, gq.a, gq.sgn, s.slice_start, s.slice_end,
               gq.q OPERATOR(pg_catalog.*) s.days AS g_whole, gq.r,
               gq.r OPERATOR(pg_catalog.*) s.days OPERATOR(pg_catalog./) gq.nn AS g_floor,
               gq.r OPERATOR(pg_catalog.*) s.days OPERATOR(pg_catalog.%) gq.nn AS g_rem
        FROM gq CROSS JOIN LATERAL @extschema@.period_slices(gq.lo, gq.hi, flow_parts.grain, flow_parts.fy_start) s),
    g2 AS (
        SELECT gs.id, gs.seller, gs.buyer, gs.channel, gs.currency, NULL::text AS holder, gs.slice_start, gs.slice_end,
               -- the units missing: r - sum of the floors of r days / n (int8 sums are exact)
               gs.sgn OPERATOR(pg_catalog.*) (gs.g_whole OPERATOR(pg_catalog.+) gs.g_floor OPERATOR(pg_catalog.+)
                   CASE WHEN pg_catalog.row_number() OVER w OPERATOR(pg_catalog.<=)
                             (gs.r OPERATOR(pg_catalog.-) pg_catalog.sum(gs.g_floor) OVER w)
                        THEN 1 ELSE 0 END) AS gross,
               NULL::numeric AS share
        FROM gs
        WINDOW w AS (PARTITION BY gs.id ORDER BY gs.g_rem DESC, gs.slice_start
                     ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)),
    -- every (flow, term) whose validity overlaps the period
    ft AS (
        SELECT fl.id, fl.seller, fl.buyer, fl.channel, fl.currency, fl.lo, fl.hi, fl.a, fl.sgn, fl.n, fl.single,
               kt.holder, kt.lo AS tlo, kt.hi AS thi, kt.origin, kt.c0, kt.c1, kt.d
        FROM fl
        JOIN kt ON kt.seller OPERATOR(pg_catalog.=) fl.seller
               AND kt.pkey OPERATOR(pg_catalog.=) coalesce(fl.product, '')
               AND kt.pnull OPERATOR(pg_catalog.=) (fl.product IS NULL)
               AND kt.channel OPERATOR(pg_catalog.=) fl.channel
        WHERE kt.lo OPERATOR(pg_catalog.<) fl.hi AND kt.hi OPERATOR(pg_catalog.>) fl.lo),
    -- single-slice flows: each holder gets its rounded total
    s1 AS (
        SELECT ft.id, ft.seller, ft.buyer, ft.channel, ft.currency, ft.holder, s.slice_start, s.slice_end,
               NULL::numeric AS gross,
               ft.sgn OPERATOR(pg_catalog.*) @extschema@.round_half_even(
                   ft.a OPERATOR(pg_catalog.*) pg_catalog.sum(@extschema@.term_sum(ft.lo, ft.hi, ft.tlo, ft.thi, ft.origin, ft.c0, ft.c1)),
                   ft.n OPERATOR(pg_catalog.*) ft.d) AS share
        FROM ft CROSS JOIN LATERAL @extschema@.period_slices(ft.lo, ft.lo OPERATOR(pg_catalog.+) 1, flow_parts.grain, flow_parts.fy_start) s
        WHERE ft.single
        GROUP BY ft.id, ft.seller, ft.buyer, ft.channel, ft.currency, ft.holder, s.slice_start, s.slice_end, ft.a, ft.sgn, ft.n, ft.d),
    sp AS (
        SELECT ft.id, ft.seller, ft.buyer, ft.channel, ft.currency, ft.holder, s.slice_start, s.slice_end,
               ft.sgn, ft.n OPERATOR(pg_catalog.*) ft.d AS den,
               ft.a OPERATOR(pg_catalog.*)
               pg_catalog.sum(@extschema@.term_sum(GREATEST(s.slice_start, ft.lo),
                                                   LEAST(s.slice_end, ft.hi OPERATOR(pg_catalog.-) 1) OPERATOR(pg_catalog.+) 1,
                                                   ft.tlo, ft.thi, ft.origin, ft.c0, ft.c1)) AS num
        FROM ft
        CROSS JOIN LATERAL @extschema@.period_slices(GREATEST(ft.lo, ft.tlo), LEAST(ft.hi, ft.thi),
                                                     flow_parts.grain, flow_parts.fy_start) s
        WHERE NOT ft.single
        GROUP BY ft.id, ft.seller, ft.buyer, ft.channel, ft.currency, ft.holder, s.slice_start, s.slice_end,
                 ft.a, ft.sgn, ft.n, ft.d),
    sf AS (
        SELECT sp.*, pg_catalog.div(sp.num, sp.den) AS s_floor, pg_catalog.mod(sp.num, sp.den) AS s_rem FROM sp),
    s2 AS (
        SELECT sf.id, sf.seller, sf.buyer, sf.channel, sf.currency, sf.holder, sf.slice_start, sf.slice_end,
               NULL::numeric AS gross,
               sf.sgn OPERATOR(pg_catalog.*) (sf.s_floor OPERATOR(pg_catalog.+)
                   CASE WHEN pg_catalog.row_number() OVER w OPERATOR(pg_catalog.<=)
                             (@extschema@.round_half_even(pg_catalog.sum(sf.num) OVER w, sf.den)
                              OPERATOR(pg_catalog.-) pg_catalog.sum(sf.s_floor) OVER w)
                        THEN 1 ELSE 0 END) AS share
        FROM sf
        WINDOW w AS (PARTITION BY sf.id, sf.holder ORDER BY sf.s_rem DESC, sf.slice_start
                     ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING))
    SELECT * FROM g1
    UNION ALL SELECT * FROM g2
    UNION ALL SELECT * FROM s1
    UNION ALL SELECT * FROM s2
$$;
COMMENT ON FUNCTION @extschema@.flow_parts(daterange, text, int, text) IS
    'internal: the exact parts (signed minor units) of every flow overlapping win: gross per (flow, slice), share per (flow, holder, slice); party restricts them to what exposure() needs';

-- The cells of revenue_report and exposure: per (slice number, seller,
-- channel, currency, and with party also whether party is the buyer, and
-- the holder of share parts) the sums of the flows' gross and share parts
-- (signed minor units) over the slices numbered wi0 .. wi1 (the window's),
-- exactly the grouped sums of flow_parts (same rules, same filters for
-- party).  Built for speed, since a report reads every flow:
--   * keys (seller, product, channel, currency) are numbered once (one
--     hash of the flows' text columns), and everything below works on
--     numbers (kid for clause matching, gid for grouping, hid for holders,
--     slice numbers instead of dates): the rankings and groupings never sort
--     text, and no date range is built per row;
--   * each branch sums its parts per group at once: single-slice flows need
--     no split (the slice gets the whole amount, each holder its rounded
--     total), two-slice flows have a closed form for the gross (at most one
--     unit is missing: it spares the window sort a third of its rows, which
--     keeps it in work_mem at a million flows), only the others are ranked
--     with a window;
--   * slice bounds are computed once per row (OFFSET 0 keeps the planner
--     from copying the index_start expressions into every use).
CREATE FUNCTION @extschema@.report_cells(win daterange, grain text, fy_start int, wi0 int, wi1 int, party text)
    RETURNS TABLE (si int, seller text, party_buys boolean, channel @extschema@.endpoint, currency char(3), holder text,
                   gross numeric, share numeric)
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    WITH terms AS MATERIALIZED (
        SELECT t.*, pg_catalog.dense_rank() OVER (ORDER BY t.holder COLLATE "C") AS hid
        FROM @extschema@.share_terms() t),
    -- the flows' keys, numbered: everything below works on numbers
    k4 AS MATERIALIZED (
        SELECT x.seller, x.product, x.channel, x.currency, x.bp, pg_catalog.row_number() OVER () AS kid,
               pg_catalog.dense_rank() OVER (ORDER BY x.seller COLLATE "C", x.channel, x.currency COLLATE "C", x.bp) AS gid
        FROM (SELECT f.seller, f.product, f.channel, f.currency,
                     coalesce(f.buyer OPERATOR(pg_catalog.=) report_cells.party, false) AS bp
              FROM @extschema@.revenue_flow f
              WHERE f.period OPERATOR(pg_catalog.&&) report_cells.win
              AND (report_cells.party IS NULL
                   OR f.seller OPERATOR(pg_catalog.=) report_cells.party
                   OR f.buyer OPERATOR(pg_catalog.=) report_cells.party
                   OR f.seller IN (SELECT t.grantor FROM terms t WHERE t.holder OPERATOR(pg_catalog.=) report_cells.party))
              GROUP BY 1, 2, 3, 4, 5) x),
    fl AS MATERIALIZED (
        SELECT f.id, k.kid, k.gid,
               pg_catalog.lower(f.period) AS lo, pg_catalog.upper(f.period) AS hi,
               pg_catalog.abs(f.amount) OPERATOR(pg_catalog.*)
               @extschema@.minor_scale(@extschema@.currency_scale(f.currency::text)) AS a,
               pg_catalog.sign(f.amount) AS sgn,
               pg_catalog.upper(f.period) OPERATOR(pg_catalog.-) pg_catalog.lower(f.period) AS n,
               @extschema@.slice_index(pg_catalog.lower(f.period), report_cells.grain, report_cells.fy_start) AS i0,
               @extschema@.slice_index(pg_catalog.upper(f.period) OPERATOR(pg_catalog.-) 1, report_cells.grain, report_cells.fy_start) AS i1
        FROM @extschema@.revenue_flow f
        JOIN k4 k ON k.seller OPERATOR(pg_catalog.=) f.seller AND k.channel OPERATOR(pg_catalog.=) f.channel
               AND k.currency OPERATOR(pg_catalog.=) f.currency
               AND coalesce(k.product, '') OPERATOR(pg_catalog.=) coalesce(f.product, '')
               AND (k.product IS NULL) OPERATOR(pg_catalog.=) (f.product IS NULL)
               AND k.bp OPERATOR(pg_catalog.=) coalesce(f.buyer OPERATOR(pg_catalog.=) report_cells.party, false)
        WHERE f.period OPERATOR(pg_catalog.&&) report_cells.win
              AND (report_cells.party IS NULL
                   OR f.seller OPERATOR(pg_catalog.=) report_cells.party
                   OR f.buyer OPERATOR(pg_catalog.=) report_cells.party
                   OR f.seller IN (SELECT t.grantor FROM terms t WHERE t.holder OPERATOR(pg_catalog.=) report_cells.party))),
    cls AS (
        SELECT c.id AS clause_id, c.grantor, c.holder, coalesce(c.products, '*') AS products, c.scope
        FROM @extschema@.clause c
        WHERE c.id IN (SELECT t.clause_id FROM terms t)
          AND (report_cells.party IS NULL
               OR (c.grantor OPERATOR(pg_catalog.=) report_cells.party) OPERATOR(pg_catalog.<>)
                  (c.holder OPERATOR(pg_catalog.=) report_cells.party))),
    keys AS MATERIALIZED (
        SELECT k4.* FROM k4 WHERE k4.seller IN (SELECT cls.grantor FROM cls)),
    pm AS MATERIALIZED (
        SELECT p.seller, p.product IS NULL AS pnull, coalesce(p.product, '') AS pkey, c.clause_id
        FROM (SELECT DISTINCT keys.seller, keys.product FROM keys) p
        JOIN cls c ON c.grantor OPERATOR(pg_catalog.=) p.seller
        WHERE @extschema@.products_match(c.products, p.product)),
    cm AS MATERIALIZED (
        SELECT h.seller, h.channel, c.clause_id
        FROM (SELECT DISTINCT keys.seller, keys.channel FROM keys) h
        JOIN cls c ON c.grantor OPERATOR(pg_catalog.=) h.seller
        WHERE c.scope IS NULL OR @extschema@.endpoint_contained_by_endpoint_set(h.channel, c.scope)),
    kt AS MATERIALIZED (
        SELECT k.kid, t.hid, t.lo, t.hi, t.origin, t.c0, t.c1, t.d
        FROM keys k
        JOIN pm ON pm.seller OPERATOR(pg_catalog.=) k.seller AND pm.pkey OPERATOR(pg_catalog.=) coalesce(k.product, '')
               AND pm.pnull OPERATOR(pg_catalog.=) (k.product IS NULL)
        JOIN cm ON cm.seller OPERATOR(pg_catalog.=) k.seller AND cm.channel OPERATOR(pg_catalog.=) k.channel
               AND cm.clause_id OPERATOR(pg_catalog.=) pm.clause_id
        JOIN terms t ON t.clause_id OPERATOR(pg_catalog.=) pm.clause_id),
    -- single-slice flows: the slice gets the whole amount
    g1 AS (
        SELECT fl.i0 AS si, fl.gid, NULL::int8 AS hid, pg_catalog.sum(fl.sgn OPERATOR(pg_catalog.*) fl.a) AS gross, NULL::numeric AS share
        FROM fl
        WHERE fl.i0 OPERATOR(pg_catalog.=) fl.i1 AND fl.i0 OPERATOR(pg_catalog.>=) report_cells.wi0
          AND fl.i0 OPERATOR(pg_catalog.<=) report_cells.wi1
        GROUP BY fl.i0, fl.gid),
    -- a = q n + r: slice part q days + (r days) div n, remainder (r days) mod n;
    -- r days < n^2 < 2^63, so int8 is exact
    gs AS (
        SELECT fl.id, fl.gid, fl.sgn, x.si,
               pg_catalog.div(fl.a, fl.n::numeric) OPERATOR(pg_catalog.*) x.days AS g_whole,
               pg_catalog.mod(fl.a, fl.n::numeric)::int8 AS r,
               pg_catalog.mod(fl.a, fl.n::numeric)::int8 OPERATOR(pg_catalog.*) x.days OPERATOR(pg_catalog./) fl.n AS g_floor,
               pg_catalog.mod(fl.a, fl.n::numeric)::int8 OPERATOR(pg_catalog.*) x.days OPERATOR(pg_catalog.%) fl.n AS g_rem
        FROM fl
        CROSS JOIN LATERAL (
            SELECT i AS si,
                   (CASE WHEN i OPERATOR(pg_catalog.=) fl.i1 THEN fl.hi
                         ELSE @extschema@.index_start(i OPERATOR(pg_catalog.+) 1, report_cells.grain, report_cells.fy_start) END
                    OPERATOR(pg_catalog.-)
                    CASE WHEN i OPERATOR(pg_catalog.=) fl.i0 THEN fl.lo
                         ELSE @extschema@.index_start(i, report_cells.grain, report_cells.fy_start) END)::int8 AS days
            FROM pg_catalog.generate_series(fl.i0, fl.i1) i OFFSET 0) x
        WHERE fl.i1 OPERATOR(pg_catalog.>) (fl.i0 OPERATOR(pg_catalog.+) 1)),
    g2 AS (
        SELECT b.si, b.gid, NULL::int8 AS hid,
               pg_catalog.sum(b.sgn OPERATOR(pg_catalog.*) (b.g_whole OPERATOR(pg_catalog.+) (b.g_floor OPERATOR(pg_catalog.+) b.bonus))) AS gross,
               NULL::numeric AS share
        FROM (SELECT gs.si, gs.gid, gs.sgn, gs.g_whole, gs.g_floor,
                     CASE WHEN pg_catalog.row_number() OVER w OPERATOR(pg_catalog.<=)
                               (gs.r OPERATOR(pg_catalog.-) pg_catalog.sum(gs.g_floor) OVER w)
                          THEN 1 ELSE 0 END AS bonus
              FROM gs
              WINDOW w AS (PARTITION BY gs.id ORDER BY gs.g_rem DESC, gs.si
                           ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)) b
        WHERE b.si OPERATOR(pg_catalog.>=) report_cells.wi0 AND b.si OPERATOR(pg_catalog.<=) report_cells.wi1
        GROUP BY b.si, b.gid),
    -- flows over two slices: r d1 mod n + r d2 mod n is 0 or n, so one unit
    -- at most is missing, and it goes to the first slice when its remainder
    -- is at least the second's (ties to the earliest)
    gp AS (
        SELECT v.si, gp.gid, NULL::int8 AS hid, pg_catalog.sum(gp.sgn OPERATOR(pg_catalog.*) v.part) AS gross, NULL::numeric AS share
        FROM (SELECT fl.gid, fl.i0, fl.i1, fl.sgn, fl.a,
                     pg_catalog.div(fl.a, fl.n::numeric) OPERATOR(pg_catalog.*) x.d1
                     OPERATOR(pg_catalog.+) (x.r OPERATOR(pg_catalog.*) x.d1 OPERATOR(pg_catalog./) fl.n)
                     OPERATOR(pg_catalog.+)
                     CASE WHEN (x.r OPERATOR(pg_catalog.*) x.d1 OPERATOR(pg_catalog.%) fl.n) OPERATOR(pg_catalog.>) 0
                               AND 2 OPERATOR(pg_catalog.*) (x.r OPERATOR(pg_catalog.*) x.d1 OPERATOR(pg_catalog.%) fl.n)
                                   OPERATOR(pg_catalog.>=) fl.n
                          THEN 1 ELSE 0 END AS p1
              FROM fl
              CROSS JOIN LATERAL (
                  SELECT pg_catalog.mod(fl.a, fl.n::numeric)::int8 AS r,
                         (@extschema@.index_start(fl.i1, report_cells.grain, report_cells.fy_start)
                          OPERATOR(pg_catalog.-) fl.lo)::int8 AS d1
                  OFFSET 0) x
              WHERE fl.i1 OPERATOR(pg_catalog.=) (fl.i0 OPERATOR(pg_catalog.+) 1)
              OFFSET 0) gp
        CROSS JOIN LATERAL (VALUES (gp.i0, gp.p1), (gp.i1, gp.a OPERATOR(pg_catalog.-) gp.p1)) v(si, part)
        WHERE v.si OPERATOR(pg_catalog.>=) report_cells.wi0 AND v.si OPERATOR(pg_catalog.<=) report_cells.wi1
        GROUP BY v.si, gp.gid),
    ft AS (
        SELECT fl.id, fl.gid, fl.lo, fl.hi, fl.a, fl.sgn, fl.n, fl.i0, fl.i1,
               kt.hid, kt.lo AS tlo, kt.hi AS thi, kt.origin, kt.c0, kt.c1, kt.d
        FROM fl JOIN kt ON kt.kid OPERATOR(pg_catalog.=) fl.kid
        WHERE kt.lo OPERATOR(pg_catalog.<) fl.hi AND kt.hi OPERATOR(pg_catalog.>) fl.lo),
    -- single-slice flows: each holder gets its rounded total
    s1 AS (
        SELECT x.i0 AS si, x.gid, x.hid, NULL::numeric AS gross, pg_catalog.sum(x.share) AS share
        FROM (SELECT ft.i0, ft.gid, CASE WHEN report_cells.party IS NOT NULL THEN ft.hid END AS hid,
                     ft.sgn OPERATOR(pg_catalog.*) @extschema@.round_half_even(
                         ft.a OPERATOR(pg_catalog.*) pg_catalog.sum(@extschema@.term_sum(ft.lo, ft.hi, ft.tlo, ft.thi, ft.origin, ft.c0, ft.c1)),
                         ft.n::numeric OPERATOR(pg_catalog.*) ft.d) AS share
              FROM ft
              WHERE ft.i0 OPERATOR(pg_catalog.=) ft.i1 AND ft.i0 OPERATOR(pg_catalog.>=) report_cells.wi0
                AND ft.i0 OPERATOR(pg_catalog.<=) report_cells.wi1
              GROUP BY ft.id, ft.hid, ft.i0, ft.gid, ft.a, ft.sgn, ft.n, ft.d) x
        GROUP BY x.i0, x.gid, x.hid),
    sp AS (
        SELECT ft.id, ft.hid, x.si, ft.gid, ft.sgn,
               ft.n::numeric OPERATOR(pg_catalog.*) ft.d AS den,
               ft.a OPERATOR(pg_catalog.*)
               pg_catalog.sum(@extschema@.term_sum(x.x, x.y, ft.tlo, ft.thi, ft.origin, ft.c0, ft.c1)) AS num
        FROM ft
        CROSS JOIN LATERAL (
            SELECT i AS si,
                   CASE WHEN i OPERATOR(pg_catalog.=) ft.i0 THEN ft.lo
                        ELSE @extschema@.index_start(i, report_cells.grain, report_cells.fy_start) END AS x,
                   CASE WHEN i OPERATOR(pg_catalog.=) ft.i1 THEN ft.hi
                        ELSE @extschema@.index_start(i OPERATOR(pg_catalog.+) 1, report_cells.grain, report_cells.fy_start) END AS y
            FROM pg_catalog.generate_series(
                     @extschema@.slice_index(GREATEST(ft.lo, ft.tlo), report_cells.grain, report_cells.fy_start),
                     @extschema@.slice_index(LEAST(ft.hi, ft.thi) OPERATOR(pg_catalog.-) 1, report_cells.grain, report_cells.fy_start)) i OFFSET 0) x
        WHERE ft.i0 OPERATOR(pg_catalog.<) ft.i1
        GROUP BY ft.id, ft.hid, x.si, ft.gid, ft.sgn, ft.a, ft.n, ft.d),
    sf AS (
        SELECT sp.*, pg_catalog.div(sp.num, sp.den) AS s_floor, pg_catalog.mod(sp.num, sp.den) AS s_rem FROM sp),
    s2 AS (
        SELECT b.si, b.gid, b.hid, NULL::numeric AS gross,
               pg_catalog.sum(b.sgn OPERATOR(pg_catalog.*) (b.s_floor OPERATOR(pg_catalog.+) b.bonus)) AS share
        FROM (SELECT sf.si, sf.gid, CASE WHEN report_cells.party IS NOT NULL THEN sf.hid END AS hid, sf.sgn, sf.s_floor,
                     CASE WHEN pg_catalog.row_number() OVER w OPERATOR(pg_catalog.<=)
                               (@extschema@.round_half_even(pg_catalog.sum(sf.num) OVER w, sf.den)
                                OPERATOR(pg_catalog.-) pg_catalog.sum(sf.s_floor) OVER w)
                          THEN 1 ELSE 0 END AS bonus
              FROM sf
              WINDOW w AS (PARTITION BY sf.id, sf.hid ORDER BY sf.s_rem DESC, sf.si
                           ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)) b
        WHERE b.si OPERATOR(pg_catalog.>=) report_cells.wi0 AND b.si OPERATOR(pg_catalog.<=) report_cells.wi1
        GROUP BY b.si, b.gid, b.hid),
    u AS (
        SELECT u.si, u.gid, u.hid, pg_catalog.sum(u.gross) AS gross, pg_catalog.sum(u.share) AS share
        FROM (SELECT * FROM g1 UNION ALL SELECT * FROM g2 UNION ALL SELECT * FROM gp UNION ALL SELECT * FROM s1 UNION ALL SELECT * FROM s2) u
        GROUP BY u.si, u.gid, u.hid)
    SELECT u.si, g.seller, g.bp, g.channel, g.currency, h.holder, u.gross, u.share
    FROM u JOIN (SELECT DISTINCT ON (k4.gid) k4.gid, k4.seller, k4.bp, k4.channel, k4.currency FROM k4) g
      ON g.gid OPERATOR(pg_catalog.=) u.gid
    LEFT JOIN (SELECT DISTINCT terms.hid, terms.holder FROM terms) h ON h.hid OPERATOR(pg_catalog.=) u.hid
$$;
COMMENT ON FUNCTION @extschema@.report_cells(daterange, text, int, int, int, text) IS
    'internal: per slice number (wi0 .. wi1), seller, channel, currency (with party: whether party buys, and the holder of share parts) the sums of the exact gross and share parts (signed minor units) of the flows overlapping win; what revenue_report and exposure group further';


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
    -- JIT compiling the big query costs seconds; the CTEs' row estimates are
    -- poor, and a nested loop over them is quadratic
    SET search_path = pg_catalog, pg_temp SET jit = off SET enable_nestloop = off SET work_mem = '256MB' AS $$
#variable_conflict use_column
DECLARE
    win daterange := @extschema@.report_window(during, grain, fy_start);
BEGIN
    RETURN QUERY
    SELECT c.flow_id, c.slice_start, c.slice_end, @extschema@.slice_label(c.slice_start, $2, $3), c.currency,
           round(c.g * f, mu), round(c.s * f, mu), round((c.g - c.s) * f, mu)
    FROM (SELECT p.flow_id, p.slice_start, p.slice_end, p.currency,
                 sum(p.gross) FILTER (WHERE p.holder IS NULL) AS g, coalesce(sum(p.share), 0) AS s
          FROM @extschema@.flow_parts(win, $2, $3, NULL) p
          WHERE daterange(p.slice_start, p.slice_end, '[]') && $1
          GROUP BY p.flow_id, p.slice_start, p.slice_end, p.currency) c
    CROSS JOIN LATERAL (SELECT @extschema@.currency_scale(c.currency::text) AS mu) m
    CROSS JOIN LATERAL (SELECT @extschema@.minor_factor(m.mu) AS f) x
    ORDER BY c.flow_id, c.slice_start;
END $$;
COMMENT ON FUNCTION @extschema@.revenue_slices(daterange, text, int) IS
    'one row per flow and slice overlapping during (slices whole): gross, the revenue share the flow''s seller owes under every revenue_share clause (per holder: exact total rounded once, half to even), net';

-- The grouped sum of revenue_slices: report_cells sums the parts per
-- (slice, seller, channel, currency) (channels are few), then they are
-- mapped to providers and their owners; dates and labels only for the
-- result rows.
CREATE FUNCTION @extschema@.revenue_report(during daterange, grain text DEFAULT 'month', fy_start int DEFAULT 1)
    RETURNS TABLE (slice_start date, slice_end date, label text, seller text, channel_owner text,
                   currency char(3), gross numeric, share numeric, net numeric)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    -- JIT compiling the big query costs seconds; the CTEs' row estimates are
    -- poor, and a nested loop over them is quadratic
    SET search_path = pg_catalog, pg_temp SET jit = off SET enable_nestloop = off SET enable_mergejoin = off SET work_mem = '256MB' AS $$
#variable_conflict use_column
DECLARE
    win daterange := @extschema@.report_window(during, grain, fy_start);
    -- the numbers of the first and last slices of the window
    wi0 int := CASE WHEN lower_inf(win) THEN -2147483648 ELSE @extschema@.slice_index(lower(win), grain, fy_start) END;
    wi1 int := CASE WHEN upper_inf(win) THEN 2147483647 ELSE @extschema@.slice_index(upper(win) - 1, grain, fy_start) END;
BEGIN
    RETURN QUERY
    WITH byo AS (
        SELECT b.si, b.seller, o.owner, b.currency, coalesce(sum(b.gross), 0) AS g, coalesce(sum(b.share), 0) AS s
        FROM @extschema@.report_cells(win, $2, $3, wi0, wi1, NULL) b
        LEFT JOIN @extschema@.provider o ON o.provider = @extschema@.provider(b.channel)
        GROUP BY b.si, b.seller, o.owner, b.currency)
    SELECT x.s0, @extschema@.index_end(b.si, $2, $3), @extschema@.slice_label(x.s0, $2, $3), b.seller, b.owner, b.currency,
           round(b.g * f, mu), round(b.s * f, mu), round((b.g - b.s) * f, mu)
    FROM byo b
    CROSS JOIN LATERAL (SELECT @extschema@.index_start(b.si, $2, $3) AS s0) x
    CROSS JOIN LATERAL (SELECT @extschema@.currency_scale(b.currency::text) AS mu) m
    CROSS JOIN LATERAL (SELECT @extschema@.minor_factor(m.mu) AS f) y
    ORDER BY b.si, b.seller, b.owner NULLS LAST, b.currency;
END $$;
COMMENT ON FUNCTION @extschema@.revenue_report(daterange, text, int) IS
    'revenue per slice overlapping during (slices whole), seller, channel owner (owner of the channel''s provider, NULL when not catalogued) and currency: gross, revenue share owed, net; equals the grouped sum of revenue_slices exactly';

-- One flow (arguments valid, a >= 0 in minor units) split under the model's
-- clauses: one row per slice with holder NULL (gross, share 0) and one row
-- per slice and holder owed something (gross 0, that holder's share), each
-- holder's share rounded once and split by largest remainder.  Unsigned.
CREATE FUNCTION @extschema@.model_split(seller text, product text, channel @extschema@.endpoint,
                                        a numeric, lo date, hi date, grain text, fy_start int)
    RETURNS TABLE (holder text, slice_start date, slice_end date, gross numeric, share numeric)
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    WITH t AS (
        SELECT st.* FROM @extschema@.share_terms() st
        JOIN @extschema@.clause c ON c.id OPERATOR(pg_catalog.=) st.clause_id
        WHERE st.grantor OPERATOR(pg_catalog.=) model_split.seller
          AND @extschema@.products_match(st.products, model_split.product)
          AND (c.scope IS NULL OR @extschema@.endpoint_contained_by_endpoint_set(model_split.channel, c.scope))
          AND st.lo OPERATOR(pg_catalog.<) model_split.hi AND st.hi OPERATOR(pg_catalog.>) model_split.lo),
    sp AS (
        SELECT t.holder, s.slice_start, s.slice_end,
               (model_split.hi OPERATOR(pg_catalog.-) model_split.lo)::numeric OPERATOR(pg_catalog.*) min(t.d) AS den,
               model_split.a OPERATOR(pg_catalog.*)
               pg_catalog.sum(@extschema@.term_sum(GREATEST(s.slice_start, model_split.lo),
                                                   LEAST(s.slice_end, model_split.hi OPERATOR(pg_catalog.-) 1) OPERATOR(pg_catalog.+) 1,
                                                   t.lo, t.hi, t.origin, t.c0, t.c1)) AS num
        FROM t CROSS JOIN LATERAL @extschema@.period_slices(GREATEST(model_split.lo, t.lo), LEAST(model_split.hi, t.hi),
                                                            model_split.grain, model_split.fy_start) s
        GROUP BY t.holder, s.slice_start, s.slice_end),
    sf AS (SELECT sp.*, pg_catalog.div(sp.num, sp.den) AS s_floor, pg_catalog.mod(sp.num, sp.den) AS s_rem FROM sp)
    SELECT NULL::text, g.slice_start, g.slice_end, g.gross, 0::numeric
    FROM @extschema@.split_minor(model_split.a, model_split.lo, model_split.hi, model_split.grain, model_split.fy_start, NULL) g
    UNION ALL
    SELECT sf.holder, sf.slice_start, sf.slice_end, 0::numeric,
           sf.s_floor OPERATOR(pg_catalog.+)
           CASE WHEN pg_catalog.row_number() OVER w OPERATOR(pg_catalog.<=)
                     (@extschema@.round_half_even(pg_catalog.sum(sf.num) OVER w, sf.den)
                      OPERATOR(pg_catalog.-) pg_catalog.sum(sf.s_floor) OVER w)
                THEN 1 ELSE 0 END
    FROM sf
    WINDOW w AS (PARTITION BY sf.holder ORDER BY sf.s_rem DESC, sf.slice_start
                 ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
$$;
COMMENT ON FUNCTION @extschema@.model_split(text, text, @extschema@.endpoint, numeric, date, date, text, int) IS
    'internal: one flow split into slices, with what each holder is owed under the revenue_share clauses matching it (unsigned minor units)';

-- The aggregates ---------------------------------------------------------------

-- One cell of an aggregate's state: sums in minor units of one key and slice.
CREATE TYPE @extschema@.agg_cell AS (
    kind        int,
    party       text,
    provider    text,
    currency    text,
    slice_start date,
    slice_end   date,
    gross       numeric,
    share       numeric
);
COMMENT ON TYPE @extschema@.agg_cell IS
    'internal: one cell of the state of the dealscope aggregates (key, slice, sums in minor units)';

-- An aggregate's state: its grain and fiscal year start (NULL until the
-- first row), the currency for the non-keyed aggregates, and the cells.
-- Non-internal (non-superusers cannot create aggregates with internal state),
-- so it combines and serialises as an ordinary composite.
CREATE TYPE @extschema@.agg_state AS (
    grain    text,
    fy_start int,
    currency text,
    cells    @extschema@.agg_cell[]
);
COMMENT ON TYPE @extschema@.agg_state IS
    'internal: state of prorate_agg, revenue_agg, revenue_provider_agg and exposure_agg';

-- The cells added up per key and slice.
CREATE FUNCTION @extschema@.agg_compact(cells @extschema@.agg_cell[]) RETURNS @extschema@.agg_cell[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT pg_catalog.array_agg(ROW(c.kind, c.party, c.provider, c.currency, c.slice_start, c.slice_end, c.g, c.s)::@extschema@.agg_cell
                                ORDER BY c.kind, c.party COLLATE "C", c.provider COLLATE "C", c.currency COLLATE "C", c.slice_start)
    FROM (SELECT x.kind, x.party, x.provider, x.currency, x.slice_start, x.slice_end, sum(x.gross) AS g, sum(x.share) AS s
          FROM pg_catalog.unnest(cells) x
          GROUP BY x.kind, x.party, x.provider, x.currency, x.slice_start, x.slice_end) c
$$;
COMMENT ON FUNCTION @extschema@.agg_compact(@extschema@.agg_cell[]) IS
    'internal: an aggregate state''s cells added up per key and slice';

-- A group's rows must share currency (for the non-keyed aggregates), grain and fy_start.
CREATE FUNCTION @extschema@.agg_config(st @extschema@.agg_state, grain text, fy_start int, currency text)
    RETURNS @extschema@.agg_state
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF st IS NULL OR st.grain IS NULL THEN
        RETURN ROW(grain, fy_start, currency, '{}')::@extschema@.agg_state;
    END IF;
    IF currency IS NOT NULL AND st.currency IS NOT NULL AND currency <> st.currency THEN
        RAISE EXCEPTION 'cannot add up slices of different currencies "%" and "%" in one group', st.currency, currency
            USING ERRCODE = '22023', HINT = 'Group by currency: amounts of different currencies are never added together.';
    END IF;
    IF grain <> st.grain THEN
        RAISE EXCEPTION 'cannot add up slices of different grains "%" and "%" in one group', st.grain, grain
            USING ERRCODE = '22023', HINT = 'Pass the same grain and fy_start to every row of a group.';
    END IF;
    IF fy_start <> st.fy_start THEN
        RAISE EXCEPTION 'cannot add up slices of different fiscal year starts "%" and "%" in one group', st.fy_start, fy_start
            USING ERRCODE = '22023', HINT = 'Pass the same grain and fy_start to every row of a group.';
    END IF;
    RETURN st;
END $$;
COMMENT ON FUNCTION @extschema@.agg_config(@extschema@.agg_state, text, int, text) IS
    'internal: starts an aggregate state or checks that a row''s currency, grain and fy_start are the group''s (22023 otherwise)';

-- Adds cells to a state, compacting them now and then (memory: cells, not rows).
CREATE FUNCTION @extschema@.agg_add(st @extschema@.agg_state, cells @extschema@.agg_cell[]) RETURNS @extschema@.agg_state
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    st.cells := st.cells || cells;
    IF cardinality(st.cells) > 4096 THEN
        st.cells := @extschema@.agg_compact(st.cells);
    END IF;
    RETURN st;
END $$;
COMMENT ON FUNCTION @extschema@.agg_add(@extschema@.agg_state, @extschema@.agg_cell[]) IS
    'internal: adds cells to an aggregate state';

-- Reads (amount, period, currency, grain, fy_start) as the C edition does:
-- NULL when one is NULL (the row is skipped), errors for bad values;
-- returns (a signed minor, lo, hi).
CREATE FUNCTION @extschema@.agg_flow(amount numeric, period daterange, currency char(3), grain text, fy_start int,
                                     OUT a numeric, OUT lo date, OUT hi date)
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF amount IS NULL OR period IS NULL OR currency IS NULL OR grain IS NULL OR fy_start IS NULL THEN
        RETURN;
    END IF;
    PERFORM @extschema@.calendar_check(grain, fy_start);
    a := @extschema@.to_minor(amount, currency::text, @extschema@.minor_unit(currency));
    PERFORM @extschema@.check_period(period);
    PERFORM @extschema@.slice_count(lower(period), upper(period), grain, fy_start);
    PERFORM @extschema@.check_slice_end(upper(period), grain, fy_start, false);
    lo := lower(period);
    hi := upper(period);
END $$;
COMMENT ON FUNCTION @extschema@.agg_flow(numeric, daterange, char(3), text, int) IS
    'internal: validates one flow''s arguments as the aggregates read them; a NULL a means skip the row';

CREATE FUNCTION @extschema@.agg_combine(a @extschema@.agg_state, b @extschema@.agg_state) RETURNS @extschema@.agg_state
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF b IS NULL OR b.grain IS NULL THEN
        RETURN a;
    END IF;
    IF a IS NULL OR a.grain IS NULL THEN
        RETURN b;
    END IF;
    a := @extschema@.agg_config(a, b.grain, b.fy_start, b.currency);
    RETURN @extschema@.agg_add(a, b.cells);
END $$;
COMMENT ON FUNCTION @extschema@.agg_combine(@extschema@.agg_state, @extschema@.agg_state) IS
    'combine function of the dealscope aggregates: adds two groups'' per-slice sums';

CREATE FUNCTION @extschema@.revenue_agg_final(st @extschema@.agg_state) RETURNS @extschema@.slice_total[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT pg_catalog.array_agg(ROW(c.slice_start, c.slice_end, @extschema@.slice_label(c.slice_start, st.grain, st.fy_start),
                                    st.currency,
                                    pg_catalog.round(c.g OPERATOR(pg_catalog.*) @extschema@.minor_factor(@extschema@.currency_scale(st.currency)),
                                                     @extschema@.currency_scale(st.currency)),
                                    pg_catalog.round(c.s OPERATOR(pg_catalog.*) @extschema@.minor_factor(@extschema@.currency_scale(st.currency)),
                                                     @extschema@.currency_scale(st.currency)),
                                    pg_catalog.round((c.g OPERATOR(pg_catalog.-) c.s) OPERATOR(pg_catalog.*) @extschema@.minor_factor(@extschema@.currency_scale(st.currency)),
                                                     @extschema@.currency_scale(st.currency)))::@extschema@.slice_total
                                ORDER BY c.slice_start)
    FROM (SELECT x.slice_start, x.slice_end, sum(x.gross) AS g, sum(x.share) AS s
          FROM pg_catalog.unnest(st.cells) x GROUP BY x.slice_start, x.slice_end) c
    WHERE st.grain IS NOT NULL
$$;
COMMENT ON FUNCTION @extschema@.revenue_agg_final(@extschema@.agg_state) IS
    'final function of prorate_agg and revenue_agg: the per-slice sums as slice_total[] in date order';

CREATE FUNCTION @extschema@.keyed_agg_final(st @extschema@.agg_state) RETURNS @extschema@.keyed_slice_total[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT pg_catalog.array_agg(ROW(c.kind, c.party, c.provider, c.slice_start, c.slice_end,
                                    @extschema@.slice_label(c.slice_start, st.grain, st.fy_start), c.currency,
                                    pg_catalog.round(c.gross OPERATOR(pg_catalog.*) @extschema@.minor_factor(@extschema@.currency_scale(c.currency)),
                                                     @extschema@.currency_scale(c.currency)),
                                    pg_catalog.round(c.share OPERATOR(pg_catalog.*) @extschema@.minor_factor(@extschema@.currency_scale(c.currency)),
                                                     @extschema@.currency_scale(c.currency)),
                                    pg_catalog.round((c.gross OPERATOR(pg_catalog.-) c.share) OPERATOR(pg_catalog.*) @extschema@.minor_factor(@extschema@.currency_scale(c.currency)),
                                                     @extschema@.currency_scale(c.currency)))::@extschema@.keyed_slice_total
                                ORDER BY c.kind, c.party COLLATE "C", c.provider COLLATE "C", c.currency COLLATE "C", c.slice_start)
    FROM pg_catalog.unnest(@extschema@.agg_compact(st.cells)) c
    WHERE st.grain IS NOT NULL
$$;
COMMENT ON FUNCTION @extschema@.keyed_agg_final(@extschema@.agg_state) IS
    'final function of revenue_provider_agg and exposure_agg: the per-key, per-slice sums as keyed_slice_total[], key by key in date order';

-- prorate_agg
CREATE FUNCTION @extschema@.prorate_agg_trans(st @extschema@.agg_state, amount numeric, period daterange, currency char(3),
                                              grain text, fy_start int, schedule @extschema@.rate_schedule)
    RETURNS @extschema@.agg_state
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    f record := @extschema@.agg_flow(amount, period, currency, grain, fy_start);
    cells @extschema@.agg_cell[];
BEGIN
    IF f.a IS NULL THEN
        RETURN st;
    END IF;
    SELECT array_agg(ROW(0, '', '', currency::text, s.slice_start, s.slice_end, s.gross, s.share)::@extschema@.agg_cell)
      INTO cells FROM @extschema@.split_minor(f.a, f.lo, f.hi, grain, fy_start, schedule) s;
    RETURN @extschema@.agg_add(@extschema@.agg_config(st, grain, fy_start, currency::text), cells);
END $$;
COMMENT ON FUNCTION @extschema@.prorate_agg_trans(@extschema@.agg_state, numeric, daterange, char(3), text, int, @extschema@.rate_schedule) IS
    'transition function of prorate_agg: splits one flow exactly and adds its parts to the group''s slices';

CREATE AGGREGATE @extschema@.prorate_agg(amount numeric, period daterange, currency char(3),
                                         grain text, fy_start int, share @extschema@.rate_schedule) (
    SFUNC = @extschema@.prorate_agg_trans,
    STYPE = @extschema@.agg_state,
    FINALFUNC = @extschema@.revenue_agg_final,
    COMBINEFUNC = @extschema@.agg_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.prorate_agg(numeric, daterange, char(3), text, int, @extschema@.rate_schedule) IS
    'sums the exact proration (as prorate() computes it per flow) of every row of a group into per-slice totals; returns slice_total[] (unnest it); rows with a NULL amount, period, currency, grain or fy_start are skipped, a NULL share means none; one currency, grain and fy_start per group';

-- One flow's cells under the model's clauses (signed minor units): per slice,
-- gross and the share owed to every holder (or only holder).
CREATE FUNCTION @extschema@.model_cells(seller text, product text, channel @extschema@.endpoint, a numeric,
                                        lo date, hi date, grain text, fy_start int, holder text)
    RETURNS TABLE (slice_start date, slice_end date, gross numeric, share numeric)
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT m.slice_start, m.slice_end,
           pg_catalog.sign(model_cells.a) OPERATOR(pg_catalog.*) sum(m.gross),
           pg_catalog.sign(model_cells.a) OPERATOR(pg_catalog.*) sum(m.share)
    FROM @extschema@.model_split(model_cells.seller, model_cells.product, model_cells.channel,
                                 pg_catalog.abs(model_cells.a), model_cells.lo, model_cells.hi,
                                 model_cells.grain, model_cells.fy_start) m
    WHERE m.holder IS NULL OR model_cells.holder IS NULL OR m.holder OPERATOR(pg_catalog.=) model_cells.holder
    GROUP BY m.slice_start, m.slice_end
    ORDER BY m.slice_start
$$;
COMMENT ON FUNCTION @extschema@.model_cells(text, text, @extschema@.endpoint, numeric, date, date, text, int, text) IS
    'internal: one flow''s per-slice gross and revenue share (all holders, or only holder), signed minor units';

CREATE FUNCTION @extschema@.revenue_agg_trans(st @extschema@.agg_state, seller text, product text, channel @extschema@.endpoint,
                                              amount numeric, currency char(3), period daterange, grain text,
                                              fy_start int, holder text)
    RETURNS @extschema@.agg_state
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    f record;
    cells @extschema@.agg_cell[];
BEGIN
    IF seller IS NULL OR channel IS NULL THEN
        RETURN st;
    END IF;
    f := @extschema@.agg_flow(amount, period, currency, grain, fy_start);
    IF f.a IS NULL THEN
        RETURN st;
    END IF;
    SELECT array_agg(ROW(0, '', '', currency::text, s.slice_start, s.slice_end, s.gross, s.share)::@extschema@.agg_cell)
      INTO cells FROM @extschema@.model_cells(seller, product, channel, f.a, f.lo, f.hi, grain, fy_start, holder) s;
    RETURN @extschema@.agg_add(@extschema@.agg_config(st, grain, fy_start, currency::text), cells);
END $$;
COMMENT ON FUNCTION @extschema@.revenue_agg_trans(@extschema@.agg_state, text, text, @extschema@.endpoint, numeric, char(3), daterange, text, int, text) IS
    'transition function of revenue_agg: splits one flow with the revenue shares its seller owes under the clause table';

CREATE AGGREGATE @extschema@.revenue_agg(seller text, product text, channel @extschema@.endpoint,
                                         amount numeric, currency char(3), period daterange,
                                         grain text, fy_start int, holder text) (
    SFUNC = @extschema@.revenue_agg_trans,
    STYPE = @extschema@.agg_state,
    FINALFUNC = @extschema@.revenue_agg_final,
    COMBINEFUNC = @extschema@.agg_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.revenue_agg(text, text, @extschema@.endpoint, numeric, char(3), daterange, text, int, text) IS
    'per-slice totals of flows, share being what each seller owes under its revenue_share clauses (to every holder, or only to holder when it is not NULL), each (flow, holder) rounded once; returns slice_total[]';

CREATE FUNCTION @extschema@.revenue_split(seller text, product text, channel @extschema@.endpoint,
                                          amount numeric, currency char(3), period daterange,
                                          grain text, fy_start int, holder text DEFAULT NULL)
    RETURNS @extschema@.slice_total[]
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    f record;
    mu int;
    r @extschema@.slice_total[];
BEGIN
    IF seller IS NULL OR channel IS NULL THEN
        RETURN NULL;
    END IF;
    f := @extschema@.agg_flow(amount, period, currency, grain, fy_start);
    IF f.a IS NULL THEN
        RETURN NULL;
    END IF;
    mu := @extschema@.currency_scale(currency::text);
    SELECT array_agg(ROW(s.slice_start, s.slice_end, @extschema@.slice_label(s.slice_start, grain, fy_start), currency,
                         round(s.gross * @extschema@.minor_factor(mu), mu), round(s.share * @extschema@.minor_factor(mu), mu),
                         round((s.gross - s.share) * @extschema@.minor_factor(mu), mu))::@extschema@.slice_total
                     ORDER BY s.slice_start)
      INTO r FROM @extschema@.model_cells(seller, product, channel, f.a, f.lo, f.hi, grain, fy_start, holder) s;
    RETURN r;
END $$;
COMMENT ON FUNCTION @extschema@.revenue_split(text, text, @extschema@.endpoint, numeric, char(3), daterange, text, int, text) IS
    'one flow split into slices with the revenue shares its seller owes under the clause table (all holders, or only holder); the parts revenue_agg adds up';

-- revenue_provider_agg
CREATE FUNCTION @extschema@.revenue_provider_agg_trans(st @extschema@.agg_state, seller text, product text,
                                                       channel @extschema@.endpoint, amount numeric, currency char(3),
                                                       period daterange, grain text, fy_start int, "window" daterange)
    RETURNS @extschema@.agg_state
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    f record;
    cells @extschema@.agg_cell[];
BEGIN
    IF seller IS NULL OR channel IS NULL THEN
        RETURN st;
    END IF;
    f := @extschema@.agg_flow(amount, period, currency, grain, fy_start);
    IF f.a IS NULL OR ("window" IS NOT NULL AND NOT daterange(f.lo, f.hi) && "window") THEN
        RETURN st;
    END IF;
    SELECT array_agg(ROW(0, seller, @extschema@.provider(channel), currency::text, s.slice_start, s.slice_end,
                         s.gross, s.share)::@extschema@.agg_cell)
      INTO cells FROM @extschema@.model_cells(seller, product, channel, f.a, f.lo, f.hi, grain, fy_start, NULL) s;
    RETURN @extschema@.agg_add(@extschema@.agg_config(st, grain, fy_start, NULL), cells);
END $$;
COMMENT ON FUNCTION @extschema@.revenue_provider_agg_trans(@extschema@.agg_state, text, text, @extschema@.endpoint, numeric, char(3), daterange, text, int, daterange) IS
    'transition function of revenue_provider_agg: splits one flow overlapping the window with every revenue share its seller owes and adds it to the slices of its (seller, channel provider, currency)';

CREATE AGGREGATE @extschema@.revenue_provider_agg(seller text, product text, channel @extschema@.endpoint,
                                                  amount numeric, currency char(3), period daterange,
                                                  grain text, fy_start int, "window" daterange) (
    SFUNC = @extschema@.revenue_provider_agg_trans,
    STYPE = @extschema@.agg_state,
    FINALFUNC = @extschema@.keyed_agg_final,
    COMBINEFUNC = @extschema@.agg_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.revenue_provider_agg(text, text, @extschema@.endpoint, numeric, char(3), daterange, text, int, daterange) IS
    'revenue_agg (every holder) kept apart per seller, provider of the channel and currency, over the rows whose period overlaps window (NULL: every row); returns keyed_slice_total[] with kind 0; one grain and fy_start per group';

-- exposure_agg
CREATE FUNCTION @extschema@.exposure_agg_trans(st @extschema@.agg_state, party text, seller text, buyer text, product text,
                                               channel @extschema@.endpoint, amount numeric, currency char(3),
                                               period daterange, grain text, fy_start int, "window" daterange)
    RETURNS @extschema@.agg_state
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    f record;
    cells @extschema@.agg_cell[];
    is_seller boolean;
BEGIN
    IF party IS NULL OR seller IS NULL THEN
        RETURN st;
    END IF;
    f := @extschema@.agg_flow(amount, period, currency, grain, fy_start);
    IF f.a IS NULL OR ("window" IS NOT NULL AND NOT daterange(f.lo, f.hi) && "window") THEN
        RETURN st;
    END IF;
    st := @extschema@.agg_config(st, grain, fy_start, NULL);
    is_seller := seller = party;
    IF NOT is_seller AND buyer = party THEN
        -- 4: what the party spent, per seller
        SELECT array_agg(ROW(4, seller, '', currency::text, s.slice_start, s.slice_end, s.gross, 0)::@extschema@.agg_cell)
          INTO cells FROM @extschema@.split_minor(f.a, f.lo, f.hi, grain, fy_start, NULL) s;
        st := @extschema@.agg_add(st, cells);
    END IF;
    IF channel IS NULL THEN
        RETURN st;
    END IF;
    IF is_seller THEN
        -- 1: the party's revenue per provider of the channel
        SELECT array_agg(ROW(1, '', @extschema@.provider(channel), currency::text, s.slice_start, s.slice_end, s.gross, 0)::@extschema@.agg_cell)
          INTO cells FROM @extschema@.split_minor(f.a, f.lo, f.hi, grain, fy_start, NULL) s;
        st := @extschema@.agg_add(st, cells);
    END IF;
    -- 2: share the party owes per holder; 3: share owed to the party per seller
    SELECT array_agg(ROW(CASE WHEN is_seller THEN 2 ELSE 3 END, CASE WHEN is_seller THEN h.holder ELSE seller END, '',
                         currency::text, g.slice_start, g.slice_end, sign(f.a) * g.gross,
                         sign(f.a) * coalesce(sh.share, 0))::@extschema@.agg_cell)
      INTO cells
      FROM (SELECT DISTINCT c.holder FROM @extschema@.clause c
            WHERE c.kind = 'revenue_share' AND c.grantor = seller
              AND @extschema@.products_match(coalesce(c.products, '*'), product)
              AND (c.scope IS NULL OR @extschema@.endpoint_contained_by_endpoint_set(channel, c.scope))
              AND (c.holder = party) <> is_seller) h
      CROSS JOIN @extschema@.split_minor(abs(f.a), f.lo, f.hi, grain, fy_start, NULL) g
      LEFT JOIN @extschema@.model_split(seller, product, channel, abs(f.a), f.lo, f.hi, grain, fy_start) sh
        ON sh.holder = h.holder AND sh.slice_start = g.slice_start;
    IF cells IS NOT NULL THEN
        st := @extschema@.agg_add(st, cells);
    END IF;
    RETURN st;
END $$;
COMMENT ON FUNCTION @extschema@.exposure_agg_trans(@extschema@.agg_state, text, text, text, text, @extschema@.endpoint, numeric, char(3), daterange, text, int, daterange) IS
    'transition function of exposure_agg: splits one flow overlapping the window into the exposure figures of party it carries';

CREATE AGGREGATE @extschema@.exposure_agg(party text, seller text, buyer text, product text,
                                          channel @extschema@.endpoint, amount numeric, currency char(3),
                                          period daterange, grain text, fy_start int, "window" daterange) (
    SFUNC = @extschema@.exposure_agg_trans,
    STYPE = @extschema@.agg_state,
    FINALFUNC = @extschema@.keyed_agg_final,
    COMBINEFUNC = @extschema@.agg_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.exposure_agg(text, text, text, text, @extschema@.endpoint, numeric, char(3), daterange, text, int, daterange) IS
    'what exposure() is built on, over the rows whose period overlaps window (NULL: every row): keyed_slice_total[] with kind 1 = party''s revenue per channel provider (gross), 2 = share party owes per holder (share), 3 = share owed to party per seller (share), 4 = party''s spend per seller (gross); each share rounded once per (flow, holder)';

-- exposure: money to and from each counterparty, concentration by cloud,
-- partner commitments (SPEC 5; managed edition of src/exposure.sql)
--
-- exposure() is one set-based query over report_cells (managed/src/revenue.sql)
-- restricted to the flows that involve the party; concentration() and
-- partner_status() are the C edition's queries with prorate_within done in
-- plain SQL (within_minor, inlined) instead of a call per flow.
--
-- Differences from the C edition: none in results.

-- The inside part of a flow of q n + r minor units over n days split by
-- largest remainder (ties to the earliest) into its db days before a range,
-- di inside and da after.  Plain SQL, inlined; r < n < 2^31, so int8 is exact.
CREATE FUNCTION @extschema@.within_rank(q numeric, r int8, n int8, db int8, di int8, da int8) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN q OPERATOR(pg_catalog.*) di OPERATOR(pg_catalog.+) (r OPERATOR(pg_catalog.*) di OPERATOR(pg_catalog./) n)
           OPERATOR(pg_catalog.+)
           CASE WHEN (1 OPERATOR(pg_catalog.+)
                      CASE WHEN db OPERATOR(pg_catalog.>) 0
                                AND (r OPERATOR(pg_catalog.*) db OPERATOR(pg_catalog.%) n) OPERATOR(pg_catalog.>=)
                                    (r OPERATOR(pg_catalog.*) di OPERATOR(pg_catalog.%) n) THEN 1 ELSE 0 END
                      OPERATOR(pg_catalog.+)
                      CASE WHEN da OPERATOR(pg_catalog.>) 0
                                AND (r OPERATOR(pg_catalog.*) da OPERATOR(pg_catalog.%) n) OPERATOR(pg_catalog.>)
                                    (r OPERATOR(pg_catalog.*) di OPERATOR(pg_catalog.%) n) THEN 1 ELSE 0 END)
                     OPERATOR(pg_catalog.<=)
                     (r OPERATOR(pg_catalog.-) (r OPERATOR(pg_catalog.*) db OPERATOR(pg_catalog./) n)
                        OPERATOR(pg_catalog.-) (r OPERATOR(pg_catalog.*) di OPERATOR(pg_catalog./) n)
                        OPERATOR(pg_catalog.-) (r OPERATOR(pg_catalog.*) da OPERATOR(pg_catalog./) n))
                THEN 1 ELSE 0 END;
COMMENT ON FUNCTION @extschema@.within_rank(numeric, int8, int8, int8, int8, int8) IS
    'internal: the inside part (minor units) of an amount q n + r split by largest remainder over db, di, da days';

-- The same from a signed amount in minor units and the cut days c1 <= c2
-- inside [lo, hi].
CREATE FUNCTION @extschema@.within_cut(a numeric, lo date, hi date, c1 date, c2 date) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN c1 OPERATOR(pg_catalog.>=) c2 THEN 0::numeric
                ELSE pg_catalog.sign(a) OPERATOR(pg_catalog.*)
                     @extschema@.within_rank(pg_catalog.div(pg_catalog.abs(a), (hi OPERATOR(pg_catalog.-) lo)::numeric),
                                             pg_catalog.mod(pg_catalog.abs(a), (hi OPERATOR(pg_catalog.-) lo)::numeric)::int8,
                                             hi OPERATOR(pg_catalog.-) lo, c1 OPERATOR(pg_catalog.-) lo,
                                             c2 OPERATOR(pg_catalog.-) c1, hi OPERATOR(pg_catalog.-) c2) END;
COMMENT ON FUNCTION @extschema@.within_cut(numeric, date, date, date, date) IS
    'internal: the part (signed minor units) of a over the days [lo, hi) that falls in [c1, c2)';

-- Where during cuts [lo, hi): its lower bound clamped to [lo, hi] (an
-- infinite bound does not cut), and its upper bound clamped to [c1, hi].
CREATE FUNCTION @extschema@.cut_lo(lo date, hi date, during daterange) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN pg_catalog.lower_inf(during) OR pg_catalog.lower(during) OPERATOR(pg_catalog.=) '-infinity'::date THEN lo
                ELSE LEAST(GREATEST(pg_catalog.lower(during), lo), hi) END;
COMMENT ON FUNCTION @extschema@.cut_lo(date, date, daterange) IS
    'internal: where a range''s lower bound cuts the days [lo, hi)';

CREATE FUNCTION @extschema@.cut_hi(lo date, hi date, during daterange, c1 date) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN pg_catalog.upper_inf(during) OR pg_catalog.upper(during) OPERATOR(pg_catalog.=) 'infinity'::date THEN hi
                ELSE GREATEST(LEAST(pg_catalog.upper(during), hi), c1) END;
COMMENT ON FUNCTION @extschema@.cut_hi(date, date, daterange, date) IS
    'internal: where a range''s upper bound cuts the days [lo, hi), never before c1';

-- The part (signed minor units) of a over the days [lo, hi) inside during
-- (not empty), for rows of revenue_flow (valid by its constraints).
CREATE FUNCTION @extschema@.within_minor(a numeric, lo date, hi date, during daterange) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN @extschema@.within_cut(a, lo, hi, @extschema@.cut_lo(lo, hi, during),
                                  @extschema@.cut_hi(lo, hi, during, @extschema@.cut_lo(lo, hi, during)));
COMMENT ON FUNCTION @extschema@.within_minor(numeric, date, date, daterange) IS
    'internal: prorate_within in minor units, arguments unchecked';

-- The same in currency units for a row of revenue_flow.
CREATE FUNCTION @extschema@.flow_within(amount numeric, period daterange, currency char(3), during daterange) RETURNS numeric
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN pg_catalog.round(
        @extschema@.within_minor(amount OPERATOR(pg_catalog.*) @extschema@.minor_scale(@extschema@.currency_scale(currency::text)),
                                 pg_catalog.lower(period), pg_catalog.upper(period), during)
        OPERATOR(pg_catalog.*) @extschema@.minor_factor(@extschema@.currency_scale(currency::text)),
        @extschema@.currency_scale(currency::text));
COMMENT ON FUNCTION @extschema@.flow_within(numeric, daterange, char(3), daterange) IS
    'internal: prorate_within for a row of revenue_flow (valid by its constraints; during not empty), inlined';

CREATE FUNCTION @extschema@.prorate_within(amount numeric, period daterange, currency char(3), during daterange)
    RETURNS numeric
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    mu int := @extschema@.minor_unit(currency);
    a numeric := @extschema@.to_minor(amount, currency::text, mu);
BEGIN
    PERFORM @extschema@.check_period(period);
    IF isempty(during) THEN
        RETURN round(0::numeric, mu);
    END IF;
    RETURN round(@extschema@.within_minor(a, lower(period), upper(period), during) * @extschema@.minor_factor(mu), mu);
END $$;
COMMENT ON FUNCTION @extschema@.prorate_within(numeric, daterange, char(3), daterange) IS
    'the part of an amount earned evenly over period that falls on the days inside during: the flow is split exactly at during''s bounds by largest remainder (ties to the earliest part), so the parts before, inside and after sum to the amount';

CREATE FUNCTION @extschema@.exposure(party text, during daterange, grain text DEFAULT 'quarter', fy_start int DEFAULT 1)
    RETURNS TABLE (slice_start date, slice_end date, label text, counterparty text, currency char(3),
                   revenue_via numeric, share_payable numeric, share_receivable numeric, spend numeric)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    -- see revenue_report for why these settings
    SET search_path = pg_catalog, pg_temp SET jit = off SET enable_nestloop = off SET enable_mergejoin = off
    SET work_mem = '256MB' AS $$
#variable_conflict use_column
DECLARE
    win daterange := @extschema@.report_window(during, grain, fy_start);
    wi0 int := CASE WHEN lower_inf(win) THEN -2147483648 ELSE @extschema@.slice_index(lower(win), grain, fy_start) END;
    wi1 int := CASE WHEN upper_inf(win) THEN 2147483647 ELSE @extschema@.slice_index(upper(win) - 1, grain, fy_start) END;
BEGIN
    IF party IS NULL THEN
        RAISE EXCEPTION 'invalid party NULL' USING ERRCODE = '22023',
            DETAIL = 'Argument "party" must name a party, e.g. openai.';
    END IF;
    -- The cells of the C edition's exposure_agg: 1 revenue per provider,
    -- 2 share owed per holder, 3 share owed to the party per seller, 4 spend
    -- per seller; a row is kept when one of its cells is not zero.
    RETURN QUERY
    WITH parts AS (
        SELECT * FROM @extschema@.report_cells(win, $3, $4, wi0, wi1, $1) p),
    cells AS (
        SELECT 1 AS kind, @extschema@.provider(p.channel) AS key, p.currency, p.si, sum(p.gross) AS v
        FROM parts p WHERE p.holder IS NULL AND p.seller = $1
        GROUP BY 2, p.currency, p.si
        UNION ALL
        SELECT 4, p.seller, p.currency, p.si, sum(p.gross)
        FROM parts p WHERE p.holder IS NULL AND p.seller <> $1 AND p.party_buys
        GROUP BY p.seller, p.currency, p.si
        UNION ALL
        SELECT 2, p.holder, p.currency, p.si, sum(p.share)
        FROM parts p WHERE p.holder IS NOT NULL AND p.seller = $1 AND p.holder <> $1
        GROUP BY p.holder, p.currency, p.si
        UNION ALL
        SELECT 3, p.seller, p.currency, p.si, sum(p.share)
        FROM parts p WHERE p.holder IS NOT NULL AND p.seller <> $1 AND p.holder = $1
        GROUP BY p.seller, p.currency, p.si),
    named AS (
        -- revenue through a cloud counts for the cloud's owner, never the party itself
        SELECT CASE WHEN c.kind = 1 THEN o.owner ELSE c.key END AS cp, c.*
        FROM cells c LEFT JOIN @extschema@.provider o ON c.kind = 1 AND o.provider = c.key
        WHERE c.kind <> 1 OR o.owner <> $1),
    rows AS (
        SELECT n.si, n.cp, n.currency,
               coalesce(sum(n.v) FILTER (WHERE n.kind = 1), 0) AS via,
               coalesce(sum(n.v) FILTER (WHERE n.kind = 2), 0) AS pay,
               coalesce(sum(n.v) FILTER (WHERE n.kind = 3), 0) AS rec,
               coalesce(sum(n.v) FILTER (WHERE n.kind = 4), 0) AS spend
        FROM named n
        GROUP BY n.si, n.cp, n.currency
        HAVING bool_or(n.v <> 0))
    SELECT x.s0, @extschema@.index_end(r.si, $3, $4), @extschema@.slice_label(x.s0, $3, $4), r.cp, r.currency,
           round(r.via * f, mu), round(r.pay * f, mu), round(r.rec * f, mu), round(r.spend * f, mu)
    FROM rows r
    CROSS JOIN LATERAL (SELECT @extschema@.index_start(r.si, $3, $4) AS s0) x
    CROSS JOIN LATERAL (SELECT @extschema@.currency_scale(r.currency::text) AS mu) m
    CROSS JOIN LATERAL (SELECT @extschema@.minor_factor(m.mu) AS f) y
    ORDER BY r.si, r.cp, r.currency;
END $$;
COMMENT ON FUNCTION @extschema@.exposure(text, daterange, text, int) IS
    'per slice overlapping during (slices whole), counterparty and currency: the party''s revenue earned through the counterparty''s clouds, revenue share it owes the counterparty, revenue share the counterparty owes it, and what it spent with the counterparty; a party is never its own counterparty; rows whose four figures are all zero are left out';

CREATE FUNCTION @extschema@.concentration(party text, during daterange)
    RETURNS TABLE (currency char(3), hhi numeric, top_counterparty text, top_share numeric, level text)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp SET jit = off AS $$
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
    WITH byc AS (
        SELECT f.currency, f.channel, sum(@extschema@.flow_within(f.amount, f.period, f.currency, $2)) AS amount
        FROM @extschema@.revenue_flow f
        WHERE f.seller = $1 AND f.period && $2
        GROUP BY 1, 2),
    rev AS (
        SELECT b.currency, coalesce(p.owner, @extschema@.provider(b.channel)) AS owner, sum(b.amount) AS amount
        FROM byc b
        LEFT JOIN @extschema@.provider p ON p.provider = @extschema@.provider(b.channel)
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
    SET search_path = pg_catalog, pg_temp SET jit = off AS $$
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
               coalesce((SELECT sum(CASE WHEN isempty(e.todate) THEN round(0::numeric, @extschema@.currency_scale(f.currency::text))
                                         ELSE @extschema@.flow_within(f.amount, f.period, f.currency, e.todate) END)
                         FROM @extschema@.revenue_flow f
                         WHERE f.buyer = $1 AND f.seller = e.holder AND f.currency = e.currency
                           AND f.period && e.todate), 0) AS consumed,
               e.elapsed_days, e.left_days
        FROM elapsed e WHERE e.kind = 'commitment'),
    spend AS (                    -- cloud spend per primary_partner clause and currency
        SELECT e.id, f.currency,
               sum(@extschema@.flow_within(f.amount, f.period, f.currency, e.todate))
                   FILTER (WHERE f.seller = e.holder) AS with_holder,
               sum(@extschema@.flow_within(f.amount, f.period, f.currency, e.todate)) AS total
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
