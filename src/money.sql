
-- money: currencies and their minor units (src/money.c)

CREATE FUNCTION @extschema@.minor_unit(currency char(3)) RETURNS int
    AS 'MODULE_PATHNAME', 'minor_unit' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.minor_unit(char(3)) IS
    'decimal places of an ISO 4217 currency (USD 2, JPY 0, BHD 3, CLF 4; 2 for any other well-formed code); the code must be three upper-case letters';
