
-- placement: may a workload be served on an endpoint on a date? (src/placement.c)
--
-- The functions read the deal model and the region/jurisdiction catalogs,
-- so they are STABLE.  They are PARALLEL SAFE: they only read ordinary
-- tables through SPI with the calling query's snapshot (which parallel
-- workers share), write nothing, and keep no state a worker could not
-- rebuild (only prepared plans, per backend).

CREATE FUNCTION @extschema@.placement_check(
    workload_id text, e @extschema@.endpoint, on_date date DEFAULT CURRENT_DATE,
    OUT verdict text, OUT eligible_from date, OUT reasons text[])
    RETURNS record
    AS 'MODULE_PATHNAME', 'placement_check'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.placement_check(text, @extschema@.endpoint, date) IS
    'may the workload be served on endpoint e on on_date: verdict allowed, conditional or blocked; eligible_from (on_date when allowed, the day every obstacle lifts, NULL when one has no known end); one reason per clause in the way';

CREATE FUNCTION @extschema@.placement_reasons(
    workload_id text, e @extschema@.endpoint, on_date date DEFAULT CURRENT_DATE)
    RETURNS TABLE (clause_id text, kind @extschema@.clause_kind, verdict text,
                   eligible_from date, reason text)
    AS 'MODULE_PATHNAME', 'placement_reasons'
    LANGUAGE C STABLE STRICT PARALLEL SAFE ROWS 5;
COMMENT ON FUNCTION @extschema@.placement_reasons(text, @extschema@.endpoint, date) IS
    'one row per clause that applies to the workload on on_date, allowed ones included, with what it says about endpoint e; blocked first, then conditional, then allowed, each by clause id';

CREATE FUNCTION @extschema@.placement_matrix(
    on_date date DEFAULT CURRENT_DATE, candidates @extschema@.endpoint[] DEFAULT NULL)
    RETURNS TABLE (workload_id text, endpoint @extschema@.endpoint, verdict text,
                   eligible_from date, reasons text[])
    AS 'MODULE_PATHNAME', 'placement_matrix'
    LANGUAGE C STABLE PARALLEL SAFE ROWS 100000;
COMMENT ON FUNCTION @extschema@.placement_matrix(date, @extschema@.endpoint[]) IS
    'placement_check for every workload x candidate endpoint (default: every catalogued provider/region), workloads in id order (bytewise), candidates in the given order; NULL on_date gives no rows';

CREATE FUNCTION @extschema@.placement_summary(
    on_date date DEFAULT CURRENT_DATE, candidates @extschema@.endpoint[] DEFAULT NULL)
    RETURNS TABLE (workload_id text, allowed int, conditional int, blocked int, message text)
    AS 'MODULE_PATHNAME', 'placement_summary'
    LANGUAGE C STABLE PARALLEL SAFE ROWS 1000;
COMMENT ON FUNCTION @extschema@.placement_summary(date, @extschema@.endpoint[]) IS
    'one line per workload: how many candidate endpoints are allowed, conditional, blocked, and which clauses hold them back, e.g. "12/300 endpoints allowed; 250 blocked: exclusivity excl-azure (250); 38 conditional: rofr rofr-msft (38)"';
