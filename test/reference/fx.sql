-- Plain-SQL reference of dealscope's conversion into a reporting currency
-- (doc/reference.md, "Reporting currency: fx_rate and report_currency"),
-- used by the differential part of sql/fx.sql.  Load it after
-- test/reference/prorate.sql (pow10, minor_unit, round_half_even).
--
-- Meant to be obviously correct, all arithmetic on exact integers:
--   * the rate in force on day d for (currency, quote) is the row of the
--     pair with the greatest day <= d;
--   * an amount of A minor units of currency (10^mc of them a unit) at a
--     rate of R / 10^k (k = the rate's decimals) is A R 10^mq / (10^mc 10^k)
--     minor units of quote (10^mq a unit), rounded half to even; a negative
--     amount converts as the negation of its absolute value;
--   * a flow converts once, at the rate of the first day of its period;
--     then it is split as any flow (test/reference/revenue.sql):
--     convert_flows rewrites revenue_flow in place (run it in a transaction
--     and roll back) so that the reference reports read converted flows.

CREATE SCHEMA IF NOT EXISTS dealscope_ref;

-- the day of the rate row in force on d (NULL: none)
CREATE OR REPLACE FUNCTION dealscope_ref.fx_rate_day(currency char(3), quote char(3), d date) RETURNS date
LANGUAGE sql STABLE AS $$
  SELECT max(r.day) FROM dealscope.fx_rate r WHERE r.currency = $1 AND r.quote = $2 AND r.day <= $3
$$;

-- numerator and denominator (minor units of quote) of the exact conversion of |amount|
CREATE OR REPLACE FUNCTION dealscope_ref.fx_exact(amount numeric, currency char(3), d date, quote char(3),
    OUT num numeric, OUT den numeric)
LANGUAGE sql STABLE AS $$
  SELECT abs(amount) * dealscope_ref.pow10(dealscope_ref.minor_unit(currency))
           * (r.rate * dealscope_ref.pow10(scale(r.rate))) * dealscope_ref.pow10(dealscope_ref.minor_unit(quote)),
         dealscope_ref.pow10(dealscope_ref.minor_unit(currency)) * dealscope_ref.pow10(scale(r.rate))
  FROM dealscope.fx_rate r
  WHERE r.currency = $2 AND r.quote = $4 AND r.day = dealscope_ref.fx_rate_day($2, $4, $3)
$$;

-- the converted amount, or an error when no rate applies
CREATE OR REPLACE FUNCTION dealscope_ref.fx_convert(amount numeric, currency char(3), d date, quote char(3))
RETURNS numeric LANGUAGE plpgsql STABLE AS $$
DECLARE
  e record;
BEGIN
  IF currency = quote THEN
    RETURN amount;
  END IF;
  SELECT * INTO e FROM dealscope_ref.fx_exact(amount, currency, d, quote);
  IF e.num IS NULL THEN
    RAISE EXCEPTION 'reference: no rate % -> % on %', currency, quote, d;
  END IF;
  RETURN round(sign(amount) * dealscope_ref.round_half_even(e.num, e.den)
               / dealscope_ref.pow10(dealscope_ref.minor_unit(quote)), dealscope_ref.minor_unit(quote));
END $$;

-- is the exact conversion half-way between two minor units?
CREATE OR REPLACE FUNCTION dealscope_ref.fx_tie(amount numeric, currency char(3), d date, quote char(3))
RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT 2 * mod(e.num, e.den) = e.den FROM dealscope_ref.fx_exact(amount, currency, d, quote) e
$$;

-- every flow of revenue_flow converted to quote in place; returns how many changed
CREATE OR REPLACE FUNCTION dealscope_ref.convert_flows(quote char(3)) RETURNS bigint
LANGUAGE sql AS $$
  WITH u AS (
    UPDATE dealscope.revenue_flow f
    SET amount = dealscope_ref.fx_convert(f.amount, f.currency, lower(f.period), quote), currency = quote
    WHERE f.currency <> quote
    RETURNING 1)
  SELECT count(*) FROM u
$$;
