
-- calendar: calendar and fiscal slices of time (src/calendar.c)

CREATE FUNCTION @extschema@.slice_of(d date, grain text, fy_start int DEFAULT 1,
                                     OUT slice_start date, OUT slice_end date, OUT label text)
    RETURNS record
    AS 'MODULE_PATHNAME', 'slice_of' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.slice_of(date, text, int) IS
    'the day, ISO week, month, quarter, half or year holding a date, as (first day, last day inclusive, label); fy_start is the month a fiscal year starts in, fiscal years are named by the calendar year they end in';
