
-- placement: may a workload be served on an endpoint on a date? (src/placement_*.c)
--
-- The functions read the deal model and the region/jurisdiction catalogs,
-- so they are STABLE.  They are PARALLEL SAFE: they only read ordinary
-- tables through SPI with the calling query's snapshot (which parallel
-- workers share), write nothing, and keep no state a worker could not
-- rebuild (prepared plans, per backend, and placement_matrix's model, per
-- query).

CREATE FUNCTION @extschema@.placement_check(
    workload_id text, e @extschema@.endpoint, on_date date DEFAULT CURRENT_DATE,
    OUT verdict text, OUT eligible_from date, OUT reasons text[])
    RETURNS record
    AS 'MODULE_PATHNAME', 'placement_check'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.placement_check(text, @extschema@.endpoint, date) IS
    'may the workload be served on endpoint e on on_date: verdict allowed, conditional or blocked; eligible_from (on_date when allowed, the day every obstacle lifts, NULL when one has no known end); one reason per clause in the way';

-- placement_reasons answers with standard types only (kind as text, not
-- the clause_kind enum: BI drivers in binary mode cannot read an enum they do
-- not know).  The C function returns the enum; this SQL wrapper casts it.
CREATE FUNCTION @extschema@.placement_reasons_enum(
    workload_id text, e @extschema@.endpoint, on_date date)
    RETURNS TABLE (clause_id text, kind @extschema@.clause_kind, verdict text,
                   eligible_from date, reason text)
    AS 'MODULE_PATHNAME', 'placement_reasons'
    LANGUAGE C STABLE STRICT PARALLEL SAFE ROWS 5;
COMMENT ON FUNCTION @extschema@.placement_reasons_enum(text, @extschema@.endpoint, date) IS
    'internal helper of placement_reasons: its rows, with kind as clause_kind';

CREATE FUNCTION @extschema@.placement_reasons(
    workload_id text, e @extschema@.endpoint, on_date date DEFAULT CURRENT_DATE)
    RETURNS TABLE (clause_id text, kind text, verdict text,
                   eligible_from date, reason text)
    LANGUAGE sql STABLE STRICT PARALLEL SAFE ROWS 5
BEGIN ATOMIC
    SELECT r.clause_id, r.kind::text, r.verdict, r.eligible_from, r.reason
    FROM @extschema@.placement_reasons_enum(placement_reasons.workload_id, placement_reasons.e,
                                            placement_reasons.on_date) WITH ORDINALITY AS r
    ORDER BY r.ordinality;
END;
COMMENT ON FUNCTION @extschema@.placement_reasons(text, @extschema@.endpoint, date) IS
    'one row per clause that applies to the workload on on_date, allowed ones included, with what it says about endpoint e; blocked first, then conditional, then allowed, each by clause id; kind is the clause_kind as text';

-- The per-pair columns of placement_matrix: internal helpers, each equal
-- to one column of placement_check(workload_id, e, on_date), but computed
-- from a model of every workload that is built once per query and day and
-- shared by all three (src/placement_pairs.c).
CREATE FUNCTION @extschema@.placement_pair_verdict(
    workload_id text, e @extschema@.endpoint, on_date date)
    RETURNS text
    AS 'MODULE_PATHNAME', 'placement_pair_verdict'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.placement_pair_verdict(text, @extschema@.endpoint, date) IS
    'internal helper of placement_matrix: placement_check(workload_id, e, on_date).verdict, from a model of every workload built once per query';

CREATE FUNCTION @extschema@.placement_pair_eligible_from(
    workload_id text, e @extschema@.endpoint, on_date date)
    RETURNS date
    AS 'MODULE_PATHNAME', 'placement_pair_eligible_from'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.placement_pair_eligible_from(text, @extschema@.endpoint, date) IS
    'internal helper of placement_matrix: placement_check(workload_id, e, on_date).eligible_from, from a model of every workload built once per query';

CREATE FUNCTION @extschema@.placement_pair_reasons(
    workload_id text, e @extschema@.endpoint, on_date date)
    RETURNS text[]
    AS 'MODULE_PATHNAME', 'placement_pair_reasons'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.placement_pair_reasons(text, @extschema@.endpoint, date) IS
    'internal helper of placement_matrix: placement_check(workload_id, e, on_date).reasons, from a model of every workload built once per query';

-- placement_matrix is a plain join that PostgreSQL inlines into the calling
-- query (an SQL function, STABLE, no SET clause, one SELECT): no tuplestore
-- holds its rows, and a column the query does not read is not computed.
-- The body is SQL-standard (BEGIN ATOMIC), so it is parsed here, at CREATE
-- EXTENSION, and every table, function and operator in it is bound then: no
-- search_path of a caller can redirect it.  No row order is promised.
-- The endpoint column is text (the canonical form), so that every driver
-- reads it; cast it back (dealscope.to_endpoint(endpoint)) to test
-- membership or to join on an endpoint column.
-- NULL elements of candidates are skipped; NULL on_date gives no rows.
CREATE FUNCTION @extschema@.placement_matrix(
    on_date date DEFAULT CURRENT_DATE, candidates @extschema@.endpoint[] DEFAULT NULL)
    RETURNS TABLE (workload_id text, endpoint text, verdict text,
                   eligible_from date, reasons text[])
    LANGUAGE sql STABLE PARALLEL SAFE ROWS 100000
BEGIN ATOMIC
    SELECT w.id, c.e::text,
           @extschema@.placement_pair_verdict(w.id, c.e, on_date),
           @extschema@.placement_pair_eligible_from(w.id, c.e, on_date),
           @extschema@.placement_pair_reasons(w.id, c.e, on_date)
    FROM @extschema@.workload AS w,
         pg_catalog.unnest(COALESCE(candidates,
             ARRAY(SELECT @extschema@.endpoint(r.provider, r.region) FROM @extschema@.region AS r))) AS c(e)
    WHERE c.e IS NOT NULL AND on_date IS NOT NULL;
END;
COMMENT ON FUNCTION @extschema@.placement_matrix(date, @extschema@.endpoint[]) IS
    'placement_check for every workload x candidate endpoint (default: every catalogued provider/region), in no particular order (add ORDER BY); endpoint is the candidate''s canonical text; NULL on_date gives no rows, NULL elements of candidates are skipped';

CREATE FUNCTION @extschema@.placement_summary(
    on_date date DEFAULT CURRENT_DATE, candidates @extschema@.endpoint[] DEFAULT NULL)
    RETURNS TABLE (workload_id text, allowed int, conditional int, blocked int, message text)
    AS 'MODULE_PATHNAME', 'placement_summary'
    LANGUAGE C STABLE PARALLEL SAFE ROWS 1000;
COMMENT ON FUNCTION @extschema@.placement_summary(date, @extschema@.endpoint[]) IS
    'one line per workload: how many candidate endpoints are allowed, conditional, blocked, and which clauses hold them back, e.g. "12/300 endpoints allowed; 250 blocked: exclusivity excl-azure (250); 38 conditional: rofr rofr-msft (38)"';
