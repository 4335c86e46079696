
-- prorate: exact proration of a flow over calendar or fiscal slices (src/prorate.c)

CREATE FUNCTION @extschema@.prorate(amount numeric, period daterange, grain text,
                                    fy_start int DEFAULT 1, currency char(3) DEFAULT 'USD',
                                    share @extschema@.rate_schedule DEFAULT NULL)
    RETURNS TABLE (slice_start date, slice_end date, label text,
                   gross numeric, share numeric, net numeric)
    AS 'MODULE_PATHNAME', 'prorate' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 12;
COMMENT ON FUNCTION @extschema@.prorate(numeric, daterange, text, int, char(3), @extschema@.rate_schedule) IS
    'splits an amount earned evenly per day over period into the slices of grain it touches (largest remainder, ties to the earliest slice; parts sum exactly to the amount), with the revenue share owed under the schedule (its exact total rounded once, half to even, then split the same way) and net = gross - share; no rows when amount, period, grain, fy_start or currency is NULL';
