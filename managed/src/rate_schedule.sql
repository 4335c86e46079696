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
