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
-- (src/endpoint_set_overlap.c), step for step.  A segment is its canonical text:
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
