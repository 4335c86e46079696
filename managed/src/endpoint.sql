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
