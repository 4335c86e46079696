
-- products: does a clause's products list cover a product?  (src/products.c;
-- placement and the revenue reports decide it with the same C function)

CREATE FUNCTION @extschema@.products_match(products text, product text)
    RETURNS boolean
    AS 'MODULE_PATHNAME', 'products_match_sql'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.products_match(text, text) IS
    'does product match one of the comma-separated globs in products (* = any characters, white space around a glob ignored, case-sensitive)? A NULL product matches only a glob of * alone';
