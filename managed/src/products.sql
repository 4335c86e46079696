
-- products: does a clause's products list cover a product?  (the managed
-- edition's copy of src/products.c; placement and the revenue reports both
-- call this one function, so the two can never disagree about it)
-- The C edition's products_match (src/products.sql) has the same name and
-- answers; a NULL list gives NULL in both.

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
