
-- fx: exchange rates and the conversion of a flow into a reporting currency
-- (doc/reference.md, "Reporting currency: fx_rate and report_currency").
-- Plain SQL and PL/pgSQL, shared by both editions (the C edition and the
-- managed edition in managed/).  Added in 0.2.0.
--
-- The rates are the user's (a treasury feed, the ECB's reference rates, the
-- rates the books use): the extension ships none.  A row says that from day
-- on, until the next row of the same pair, 1 unit of currency is rate units
-- of quote.  Only the pairs written exist: no inverse and no cross rate is
-- derived (1 / rate is not exact, and the books may quote both directions
-- differently).

CREATE TABLE @extschema@.fx_rate (
    currency char(3) NOT NULL,
    quote    char(3) NOT NULL,
    day      date NOT NULL,
    rate     numeric NOT NULL,
    CONSTRAINT fx_rate_pkey PRIMARY KEY (currency, quote, day),
    CONSTRAINT fx_rate_currency_is_iso_4217 CHECK (currency OPERATOR(pg_catalog.~) '^[A-Z]{3}$'),
    CONSTRAINT fx_rate_quote_is_iso_4217 CHECK (quote OPERATOR(pg_catalog.~) '^[A-Z]{3}$'),
    CONSTRAINT fx_rate_two_currencies CHECK (currency OPERATOR(pg_catalog.<>) quote),
    CONSTRAINT fx_rate_day_finite CHECK (pg_catalog.isfinite(day)),
    CONSTRAINT fx_rate_rate_positive
        CHECK (rate OPERATOR(pg_catalog.>) 0 AND rate OPERATOR(pg_catalog.<) 'Infinity'::numeric)
);
COMMENT ON TABLE @extschema@.fx_rate IS
    'exchange rates, filled by the user: 1 unit of currency = rate units of quote from day on, until the next row of the pair; what the reports'' report_currency argument converts flows with';
COMMENT ON COLUMN @extschema@.fx_rate.currency IS 'ISO 4217 code of the currency converted from (the flows'' currency), upper case';
COMMENT ON COLUMN @extschema@.fx_rate.quote IS 'ISO 4217 code of the currency converted to (the report currency), upper case';
COMMENT ON COLUMN @extschema@.fx_rate.day IS 'first day the rate applies; it applies until the day before the pair''s next row';
COMMENT ON COLUMN @extschema@.fx_rate.rate IS 'units of quote for 1 unit of currency, exact (any number of decimals), greater than 0';

SELECT pg_catalog.pg_extension_config_dump('@extschema@.fx_rate', '');

GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES
    ON @extschema@.fx_rate TO @extowner@ WITH GRANT OPTION;

-- One amount converted once: at the rate of (currency, report_currency) in
-- force on day (the pair's latest row on or before it), rounded half to
-- even to the report currency's minor unit.  The reports call it once per
-- flow with day = the first day of the flow's period and split the result
-- as they split any flow, so the parts of a converted flow still sum to
-- its converted amount at every grain.
CREATE FUNCTION @extschema@.fx_convert(amount numeric, currency char(3), day date, report_currency char(3))
    RETURNS numeric LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    mu int;
    r numeric;
    v numeric;
    w numeric;
BEGIN
    IF report_currency IS NULL OR amount IS NULL OR currency IS NULL THEN
        RETURN amount;
    END IF;
    PERFORM @extschema@.minor_unit(currency);            -- 22023 on a malformed code
    mu := @extschema@.minor_unit(report_currency);
    IF currency OPERATOR(pg_catalog.=) report_currency THEN
        RETURN amount;
    END IF;
    IF day IS NULL OR NOT isfinite(day) THEN
        RAISE EXCEPTION 'invalid day "%" to convert % to %', coalesce(day::text, 'NULL'), currency, report_currency
            USING ERRCODE = '22023',
            DETAIL = 'A conversion uses the rate in force on a finite day: a flow''s first day, a commitment''s first day (its valid range must then have a lower bound).';
    END IF;
    SELECT x.rate INTO r
    FROM @extschema@.fx_rate x
    WHERE x.currency OPERATOR(pg_catalog.=) fx_convert.currency
      AND x.quote OPERATOR(pg_catalog.=) fx_convert.report_currency
      AND x.day OPERATOR(pg_catalog.<=) fx_convert.day
    ORDER BY x.day DESC LIMIT 1;
    IF r IS NULL THEN
        RAISE EXCEPTION 'no fx_rate from % to % on %', currency, report_currency, day USING ERRCODE = '22023',
            DETAIL = format('dealscope.fx_rate has no row with currency %s, quote %s and a day on or before %s.',
                            currency, report_currency, day),
            HINT = 'Add the rate in force on that day (only the pairs written are used: no inverse or cross rate is derived).';
    END IF;
    -- exact product in minor units of the report currency, rounded half to even
    v := amount * r * 10::numeric ^ mu;
    w := floor(v);
    IF v - w > 0.5 OR (v - w = 0.5 AND mod(w, 2) <> 0) THEN
        w := w + 1;
    END IF;
    RETURN round(w * 10::numeric ^ (- mu), mu);
END $$;
COMMENT ON FUNCTION @extschema@.fx_convert(numeric, char(3), date, char(3)) IS
    'amount in currency converted to report_currency at the fx_rate in force on day (the pair''s latest row on or before day), rounded half to even to report_currency''s minor unit; the amount itself when report_currency is NULL or the same currency; 22023 when no rate applies';
