-- Mutation fuzzing of every dealscope text input function, run by
-- test/fuzz.sh.  Each generated string is cast to the type under test: it
-- must either be accepted (and then print the same canonical text after a
-- second round trip) or be rejected with SQLSTATE 22P02.  Any other error,
-- or a crash, fails the run.
CREATE OR REPLACE FUNCTION pg_temp.mutate(s text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    alphabet constant text := 'abcxyz019./-_*!%,;[]() {}<>>-:' || E'\t\n' || 'AZ€ü' || chr(1);
    n int := 1 + floor(random() * 4)::int;
    pos int;
    ch text;
BEGIN
    FOR i IN 1..n LOOP
        pos := 1 + floor(random() * (length(s) + 1))::int;
        ch := substr(alphabet, 1 + floor(random() * length(alphabet))::int, 1);
        CASE floor(random() * 6)::int
            WHEN 0 THEN s := overlay(s PLACING ch FROM pos FOR 0);             -- insert
            WHEN 1 THEN s := overlay(s PLACING '' FROM pos FOR 1);             -- delete
            WHEN 2 THEN s := overlay(s PLACING ch FROM pos FOR 1);             -- replace
            WHEN 3 THEN s := s || substr(s, pos);                               -- duplicate a tail
            WHEN 4 THEN s := substr(s, 1, pos);                                 -- truncate
            ELSE s := overlay(s PLACING repeat(ch, 1 + floor(random() * 70)::int) FROM pos FOR 0);
        END CASE;
    END LOOP;
    RETURN s;
END $$;

-- fuzz(type, seeds, n): n mutated inputs for one type; returns accepted count.
CREATE OR REPLACE FUNCTION pg_temp.fuzz(typ regtype, seeds text[], n int) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
    s text; out1 text; out2 text; accepted int := 0;
BEGIN
    FOR i IN 1..n LOOP
        s := pg_temp.mutate(seeds[1 + floor(random() * array_length(seeds, 1))::int]);
        BEGIN
            EXECUTE format('SELECT (%L::%s)::text', s, typ) INTO out1;
            EXECUTE format('SELECT (%L::%s)::text', out1, typ) INTO out2;
            IF out1 IS DISTINCT FROM out2 THEN
                RAISE EXCEPTION 'round trip of % input % is unstable: % then %', typ, quote_literal(s), out1, out2;
            END IF;
            accepted := accepted + 1;
        EXCEPTION WHEN invalid_text_representation THEN
            NULL;
        END;
    END LOOP;
    RETURN accepted;
END $$;
