
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
