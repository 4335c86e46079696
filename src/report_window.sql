
-- report_window: the days a report over during reads.  Plain PL/pgSQL over
-- slice_of, shared by both editions (the C edition and managed/).

-- The window a report reads: during widened to whole slices.  Validates the
-- arguments so that a report fails the same way whether or not there are flows.
CREATE FUNCTION @extschema@.report_window(during daterange, grain text, fy_start int)
    RETURNS daterange LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    lo date;
    hi date;
BEGIN
    IF during IS NULL THEN
        RAISE EXCEPTION 'invalid during NULL' USING ERRCODE = '22023',
            DETAIL = 'Argument "during" must be a date range; use ''(,)'' for all time.';
    END IF;
    IF grain IS NULL THEN
        RAISE EXCEPTION 'invalid grain NULL' USING ERRCODE = '22023',
            DETAIL = 'Argument "grain" must be one of day, week, month, quarter, half or year, written in lower case.';
    END IF;
    IF fy_start IS NULL THEN
        RAISE EXCEPTION 'invalid fy_start NULL' USING ERRCODE = '22023',
            DETAIL = 'Argument "fy_start" is the month in which the fiscal year starts, from 1 (January) to 12 (December).';
    END IF;
    PERFORM @extschema@.slice_of(DATE '2000-01-01', grain, fy_start);
    IF isempty(during) THEN
        RAISE EXCEPTION 'invalid during "empty"' USING ERRCODE = '22023',
            DETAIL = 'Argument "during" must contain at least one day.';
    END IF;
    IF NOT lower_inf(during) AND isfinite(lower(during)) THEN
        lo := (@extschema@.slice_of(lower(during), grain, fy_start)).slice_start;
    END IF;
    IF NOT upper_inf(during) AND isfinite(upper(during)) THEN
        hi := (@extschema@.slice_of(upper(during) - 1, grain, fy_start)).slice_end + 1;
    END IF;
    RETURN daterange(lo, hi);
END $$;
COMMENT ON FUNCTION @extschema@.report_window(daterange, text, int) IS
    'during widened to whole slices of grain (the flows a report over during must read); raises 22023 for a NULL or empty during, a bad grain or fy_start';
