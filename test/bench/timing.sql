-- Timing helpers of the benchmark (loaded by test/bench/bench.sh after
-- generate.sql).  Every measurement runs in the bench's one connection.

CREATE TABLE bench.timing (
    question  text NOT NULL,
    side      text NOT NULL,     -- ext, floor, reference, parallel2
    round     int NOT NULL,      -- 0 = warm-up
    ms        float8,            -- wall time of the statement
    nrows     bigint,            -- rows it returned
    cancelled boolean NOT NULL DEFAULT false,
    scaled    float8 NOT NULL DEFAULT 1   -- the reference on a sample: multiply ms by this
);

-- Runs q once and records its wall time.  EXECUTE without INTO fetches
-- every row of q with every column computed (unlike count(*) over a
-- subquery, where the planner drops the columns nobody reads, and with
-- them the aggregates and the rounding of plain-SQL sides), and it may
-- use a parallel plan when workers > 0.  A statement_timeout set by the
-- caller cancels q; the run is then recorded as cancelled after ms.
CREATE FUNCTION bench.record(question text, side text, round int, q text,
                             workers int DEFAULT 0, scaled float8 DEFAULT 1)
    RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz;
    n  bigint;
BEGIN
    PERFORM set_config('max_parallel_workers_per_gather', workers::text, true);
    IF workers > 0 THEN
        -- let the planner choose a parallel plan even for a small table
        PERFORM set_config('parallel_setup_cost', '0', true);
        PERFORM set_config('min_parallel_table_scan_size', '0', true);
    END IF;
    t0 := clock_timestamp();
    BEGIN
        EXECUTE q;
        GET DIAGNOSTICS n = ROW_COUNT;
        INSERT INTO bench.timing
        VALUES (question, side, round, extract(epoch FROM clock_timestamp() - t0) * 1000, n, false, scaled);
    EXCEPTION WHEN query_canceled THEN
        INSERT INTO bench.timing
        VALUES (question, side, round, extract(epoch FROM clock_timestamp() - t0) * 1000, NULL, true, scaled);
    END;
END $$;

-- Median time per (question, side) over the measured rounds.
CREATE VIEW bench.median AS
SELECT question, side,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY ms * scaled) AS ms,
       count(*) AS runs, bool_or(cancelled) AS cancelled, max(scaled) AS scaled,
       min(ms * scaled) AS min_ms, max(ms * scaled) AS max_ms
FROM bench.timing
WHERE round > 0
GROUP BY question, side;
