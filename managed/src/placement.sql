
-- placement: may a workload be served on an endpoint on a date?  (doc/design.md,
-- "Placement"; the managed edition of src/placement_*.c, which is the authority
-- for every rule and every reason text reproduced here)
--
-- Design.  Everything is set-based SQL over the deal model:
--  - placement_applied(on_date): one row per (workload, clause that applies
--    to it on on_date), with what the clause says about endpoints outside
--    it (verdict, lift date, reason) and inside it (reason).  It joins the
--    workloads to their grantor's clauses and to the latest relevant events
--    (the latest rofr step to the holder, the first launch inside scope).
--    It is an inlinable SQL function, so a caller's "workload_id = x" is
--    pushed into it (index scans on workload, clause.grantor, events).
--  - placement_pairs(on_date, candidates): every workload x candidate.  The
--    clauses in force are numbered once, each candidate gets one boolean
--    per clause ("inside": in the scope; for residency: in an allowed
--    country), each workload gets its obstacles as arrays ordered as C
--    orders reasons (blocked, then conditional, each by clause id), and a
--    pair is the unnest of its workload's obstacles filtered by the
--    candidate's booleans: no membership test and no event lookup per pair.
--  - placement_matrix and placement_summary read placement_pairs;
--    placement_check and placement_reasons (one pair) read
--    placement_applied for the one workload and test the one endpoint
--    against the few clauses directly.
-- The SQL bodies are SQL-standard (RETURN / BEGIN ATOMIC): they are parsed
-- at CREATE EXTENSION, so every table, function and operator in them is
-- bound then and no search_path of a caller can redirect them; functions
-- are qualified anyway.
--
-- Verdicts are coded 0 allowed, 1 conditional, 2 blocked inside (worst =
-- max), and turned into text at the end.
--
-- Differences from the C edition:
--   - placement_pair_verdict / _eligible_from / _reasons (C's per-pair
--     helpers of placement_matrix) and placement_reasons_enum (C's
--     placement_reasons before kind is cast to text) do not exist; placement_applied,
--     placement_pairs, placement_date_text and placement_residency_countries
--     are internal helpers that C does not have.
--   - placement_summary returns its rows ordered by workload id (bytewise);
--     C returns them in the same order, but neither promises it.
--   - Speed: placement_matrix at 1,000 workloads x 300 endpoints takes about
--     1.2 s (C: 0.15-0.25 s).  When the planner misestimates (e.g. the
--     candidates come from an un-ANALYZEd table), the inlined query's cost
--     passes jit_above_cost and JIT compilation adds 2-3 s; SET jit = off
--     (or ANALYZE) avoids it.  A SET clause on the function would stop the
--     planner from inlining it, so the function cannot do this itself.

-- A date as ISO text (YYYY-MM-DD, "BC" suffix before year 1), whatever the
-- DateStyle: reasons are data.  extract() works on every date (a cast to
-- timestamp would fail past the year 294276).
CREATE FUNCTION @extschema@.placement_date_text(d date)
    RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN CASE
        WHEN d OPERATOR(pg_catalog.=) 'infinity'::date THEN 'infinity'
        WHEN d OPERATOR(pg_catalog.=) '-infinity'::date THEN '-infinity'
        WHEN d OPERATOR(pg_catalog.>=) '0001-01-01'::date THEN
            pg_catalog.lpad(EXTRACT(year FROM d)::int::text, 4, '0')
            OPERATOR(pg_catalog.||) '-' OPERATOR(pg_catalog.||)
            pg_catalog.lpad(EXTRACT(month FROM d)::int::text, 2, '0')
            OPERATOR(pg_catalog.||) '-' OPERATOR(pg_catalog.||)
            pg_catalog.lpad(EXTRACT(day FROM d)::int::text, 2, '0')
        ELSE
            pg_catalog.lpad((OPERATOR(pg_catalog.-) EXTRACT(year FROM d)::int)::text, 4, '0')
            OPERATOR(pg_catalog.||) '-' OPERATOR(pg_catalog.||)
            pg_catalog.lpad(EXTRACT(month FROM d)::int::text, 2, '0')
            OPERATOR(pg_catalog.||) '-' OPERATOR(pg_catalog.||)
            pg_catalog.lpad(EXTRACT(day FROM d)::int::text, 2, '0')
            OPERATOR(pg_catalog.||) ' BC'
    END;
COMMENT ON FUNCTION @extschema@.placement_date_text(date) IS
    'internal helper of the placement functions: a date as ISO text independent of DateStyle, as the reasons print it';

-- The countries a residency clause allows: every entry that is a two-letter
-- country code (trailing blanks ignored, ASCII letters upper-cased), plus
-- the countries of every jurisdiction whose code equals an entry
-- case-insensitively (ASCII).  Same rules as C's resolve_residency.
CREATE FUNCTION @extschema@.placement_residency_countries(jurisdictions text[])
    RETURNS text[]
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
    SELECT ARRAY(
        SELECT pg_catalog.translate(pg_catalog.rtrim(j, ' '), 'abcdefghijklmnopqrstuvwxyz',
                                    'ABCDEFGHIJKLMNOPQRSTUVWXYZ')
        FROM pg_catalog.unnest(jurisdictions) AS j
        WHERE pg_catalog.octet_length(pg_catalog.rtrim(j, ' ')) = 2
        UNION ALL
        SELECT pg_catalog.rtrim(x::text, ' ')
        FROM pg_catalog.unnest(jurisdictions) AS j
        JOIN @extschema@.jurisdiction AS ju
          ON pg_catalog.translate(ju.code, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')
             = pg_catalog.translate(j, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')
        CROSS JOIN LATERAL pg_catalog.unnest(ju.countries) AS x);
END;
COMMENT ON FUNCTION @extschema@.placement_residency_countries(text[]) IS
    'internal helper of the placement functions: the country codes a residency clause''s jurisdictions allow (codes and jurisdictions, matched as C does)';

-- One row per (workload, clause that applies to it on on_date): grantor =
-- owner, product matched, on_date in valid; rofr and first_launch also need
-- requested_on in valid; residency needs the same data_class.  Columns:
--   out_verdict/out_lift/out_reason: what the clause says about an endpoint
--     outside it (out_lift NULL: no known end);
--   in_reason: about an endpoint inside it;
--   for residency both reasons are the body of the text, completed per
--     endpoint (country or "unknown region") by the callers.
-- Every obstacle also lifts when its clause ends (cend, the first day after
-- valid when that is a date), hence least(..., cend).
CREATE FUNCTION @extschema@.placement_applied(on_date date)
    RETURNS TABLE (workload_id text, clause_id text, kind @extschema@.clause_kind,
                   scope @extschema@.endpoint_set, countries text[],
                   out_verdict int, out_lift date, out_reason text, in_reason text)
    LANGUAGE sql STABLE PARALLEL SAFE ROWS 10000
BEGIN ATOMIC
    SELECT w.id, c.id, c.kind, c.scope,
           CASE WHEN c.kind = 'residency' THEN @extschema@.placement_residency_countries(c.jurisdictions) END,
           o.v,
           CASE WHEN o.v > 0 THEN LEAST(o.cend, o.until) END,
           CASE c.kind
               WHEN 'exclusivity' THEN x.pre || 'only ' || x.sw ||
                   CASE WHEN o.cend IS NOT NULL
                        THEN ' until ' || @extschema@.placement_date_text(o.cend) || ' (exclusive to ' || c.holder || ')'
                        ELSE ', with no end date (exclusive to ' || c.holder || ')' END
               WHEN 'rofr' THEN x.pre ||
                   CASE WHEN r.kind IS NULL THEN
                            'offer to ' || c.holder || ' first' ||
                            COALESCE(' (the right ends on ' || @extschema@.placement_date_text(o.cend) || ')', '')
                        WHEN r.kind = 'decline' THEN
                            c.holder || ' declined the offer on ' || @extschema@.placement_date_text(r.on_date)
                        WHEN r.kind = 'accept' THEN
                            c.holder || ' accepted the offer on ' || @extschema@.placement_date_text(r.on_date) ||
                            ', so only ' || x.sw ||
                            COALESCE(' until ' || @extschema@.placement_date_text(o.cend), '')
                        WHEN o.due IS NULL THEN
                            'offered to ' || c.holder || ' on ' || @extschema@.placement_date_text(r.on_date) ||
                            ', no answer yet' ||
                            COALESCE('; the right ends on ' || @extschema@.placement_date_text(o.cend), '')
                        WHEN placement_applied.on_date < o.due THEN
                            'offered to ' || c.holder || ' on ' || @extschema@.placement_date_text(r.on_date) ||
                            ', answer due by ' || @extschema@.placement_date_text(o.due) ||
                            CASE WHEN o.cend < o.due
                                 THEN '; the right ends on ' || @extschema@.placement_date_text(o.cend) ELSE '' END
                        ELSE
                            c.holder || ' did not answer the offer of ' || @extschema@.placement_date_text(r.on_date) ||
                            ' by ' || @extschema@.placement_date_text(o.due)
                   END
               WHEN 'first_launch' THEN x.pre ||
                   CASE WHEN l.on_date IS NULL THEN
                            'launch on ' || x.sw || ' (' || c.holder || ') first' ||
                            COALESCE(' (the clause ends on ' || @extschema@.placement_date_text(o.cend) || ')', '')
                        WHEN o.ready IS NOT NULL THEN
                            'launched on ' || l.at::text || ' on ' || @extschema@.placement_date_text(l.on_date) ||
                            ', elsewhere from ' || @extschema@.placement_date_text(o.ready) ||
                            CASE WHEN o.cend < o.ready
                                 THEN '; the clause ends on ' || @extschema@.placement_date_text(o.cend) ELSE '' END
                        ELSE
                            'launched on ' || l.at::text || ' on ' || @extschema@.placement_date_text(l.on_date) ||
                            ', elsewhere ' || c.lag_days::text || ' days later' ||
                            COALESCE('; the clause ends on ' || @extschema@.placement_date_text(o.cend), '')
                   END
               WHEN 'residency' THEN x.res
               ELSE x.none
           END,
           CASE c.kind
               WHEN 'exclusivity' THEN x.pre || 'inside ' || c.holder || '''s exclusive scope ' || x.sw
               WHEN 'rofr' THEN x.pre || 'inside ' || c.holder || '''s scope ' || x.sw
               WHEN 'first_launch' THEN x.pre || 'inside ' || c.holder || '''s first-launch scope ' || x.sw
               WHEN 'residency' THEN x.res
               ELSE x.none
           END
    FROM @extschema@.workload AS w
    JOIN @extschema@.clause AS c
      ON c.grantor = w.owner
     AND c.valid @> placement_applied.on_date
     AND @extschema@.products_match(c.products, w.product)
     AND (c.kind NOT IN ('rofr', 'first_launch') OR c.valid @> w.requested_on)
     AND (c.kind <> 'residency' OR c.data_class = w.data_class)
    -- the latest rofr step to the holder known on placement_applied.on_date (same day: offer, decline, accept)
    LEFT JOIN LATERAL (
        SELECT e.kind, e.on_date
        FROM @extschema@.placement_event AS e
        WHERE c.kind = 'rofr' AND e.workload_id = w.id AND e.on_date <= placement_applied.on_date
          AND e.holder = c.holder AND e.kind IN ('offer', 'decline', 'accept')
        ORDER BY e.on_date DESC,
                 CASE e.kind WHEN 'offer' THEN 0 WHEN 'decline' THEN 1 ELSE 2 END DESC
        LIMIT 1) AS r ON true
    -- the first launch inside the scope (same day: the smallest endpoint)
    LEFT JOIN LATERAL (
        SELECT e.at, e.on_date
        FROM @extschema@.placement_event AS e
        WHERE c.kind = 'first_launch' AND e.workload_id = w.id AND e.on_date <= placement_applied.on_date
          AND e.kind = 'launch' AND e.at IS NOT NULL
          AND @extschema@.endpoint_contained_by_endpoint_set(e.at, c.scope)
        ORDER BY e.on_date, @extschema@.provider(e.at) COLLATE "C", @extschema@.region(e.at) COLLATE "C",
                 @extschema@.service(e.at) COLLATE "C" NULLS FIRST
        LIMIT 1) AS l ON true
    CROSS JOIN LATERAL (
        SELECT CASE c.kind
                   WHEN 'exclusivity' THEN 'exclusivity '
                   WHEN 'rofr' THEN 'right of first refusal '
                   WHEN 'first_launch' THEN 'first launch '
                   WHEN 'residency' THEN 'residency '
                   WHEN 'revenue_share' THEN 'revenue share '
                   WHEN 'primary_partner' THEN 'primary partner '
                   ELSE 'commitment ' END || c.id || ': ' AS pre,
               COALESCE(NULLIF(c.scope::text, ''), 'no endpoint') AS sw,
               CASE WHEN pg_catalog.isfinite(pg_catalog.upper(c.valid)) THEN pg_catalog.upper(c.valid) END AS cend0,
               -- offer + window, ready = launch + lag: NULL past the last date
               CASE WHEN r.kind = 'offer'
                     AND (r.on_date - '2000-01-01'::date)::bigint + c.window_days <= 2145031948
                    THEN r.on_date + c.window_days END AS due0,
               CASE WHEN (l.on_date - '2000-01-01'::date)::bigint + c.lag_days <= 2145031948
                    THEN l.on_date + c.lag_days END AS ready0) AS y0
    CROSS JOIN LATERAL (
        SELECT y0.pre,
               y0.sw,
               c.data_class || ' data must stay in ' ||
               CASE WHEN pg_catalog.cardinality(pg_catalog.array_remove(c.jurisdictions, NULL)) > 0
                    THEN pg_catalog.array_to_string(c.jurisdictions, ', ') ELSE 'no jurisdiction' END ||
               COALESCE(' until ' || @extschema@.placement_date_text(y0.cend0), '') ||
               COALESCE(' (required by ' || c.holder || ')', '') AS res,
               y0.pre || 'no effect on placement' ||
               CASE c.kind
                   WHEN 'revenue_share' THEN ' (' || c.grantor || ' pays ' || c.holder || ' a share of revenue)'
                   WHEN 'primary_partner' THEN ' (' || c.holder || ' is the primary partner, minimum share ' ||
                                              c.min_share::text || ')'
                   WHEN 'commitment' THEN ' (' || c.grantor || ' committed ' || c.amount::text || ' ' ||
                                         c.currency::text || ' to ' || c.holder || ')'
                   ELSE '' END AS none) AS x
    CROSS JOIN LATERAL (
        SELECT y0.cend0 AS cend, y0.due0 AS due, y0.ready0 AS ready,
               CASE c.kind
                   WHEN 'exclusivity' THEN 2
                   WHEN 'rofr' THEN
                       CASE WHEN r.kind IS NULL THEN 1
                            WHEN r.kind = 'decline' THEN 0
                            WHEN r.kind = 'accept' THEN 2
                            WHEN y0.due0 IS NULL THEN 1
                            WHEN placement_applied.on_date < y0.due0 THEN 1
                            ELSE 0 END
                   WHEN 'first_launch' THEN
                       CASE WHEN l.on_date IS NULL THEN 1
                            WHEN y0.ready0 IS NULL THEN 1
                            WHEN placement_applied.on_date < y0.ready0 THEN 1
                            ELSE 0 END
                   WHEN 'residency' THEN 2
                   ELSE 0 END AS v,
               -- the day the obstacle itself lifts, when it is not the clause's end
               CASE WHEN c.kind = 'rofr' THEN y0.due0
                    WHEN c.kind = 'first_launch' THEN y0.ready0 END AS until) AS o
    WHERE placement_applied.on_date IS NOT NULL;
END;
COMMENT ON FUNCTION @extschema@.placement_applied(date) IS
    'internal helper of the placement functions: every (workload, applicable clause) on on_date with what the clause says about endpoints outside it (verdict 0/1/2, lift date, reason) and inside it';

-- Every workload x candidate (default: every catalogued provider/region;
-- NULL elements skipped, duplicates kept): verdict code v, lift (NULL:
-- unknown or allowed), reasons, and the clauses counted by
-- placement_summary (the blocking ones, the conditional ones).
CREATE FUNCTION @extschema@.placement_pairs(on_date date, candidates @extschema@.endpoint[])
    RETURNS TABLE (workload_id text, endpoint @extschema@.endpoint, v int, lift_known boolean,
                   lift date, reasons text[], blocked_ids text[], conditional_ids text[])
    LANGUAGE sql STABLE PARALLEL SAFE ROWS 100000
BEGIN ATOMIC
    WITH cl AS MATERIALIZED (
        -- the clauses in force with a placement effect, numbered
        SELECT c.id, c.kind, c.scope,
               CASE WHEN c.kind = 'residency' THEN @extschema@.placement_residency_countries(c.jurisdictions) END
                   AS countries,
               pg_catalog.row_number() OVER (ORDER BY c.id COLLATE "C")::int AS no
        FROM @extschema@.clause AS c
        WHERE c.valid @> placement_pairs.on_date AND c.kind IN ('exclusivity', 'rofr', 'first_launch', 'residency')),
    cand AS MATERIALIZED (
        -- each candidate: its country (NULL: region not catalogued) and
        -- whether it is inside each clause, by clause number
        SELECT u.e, rg.country::text AS country,
               ARRAY(SELECT CASE WHEN cl.kind = 'residency'
                                 THEN COALESCE(rg.country::text = ANY (cl.countries), false)
                                 ELSE COALESCE(@extschema@.endpoint_contained_by_endpoint_set(u.e, cl.scope), false) END
                     FROM cl ORDER BY cl.no) AS ins
        FROM pg_catalog.unnest(COALESCE(placement_pairs.candidates,
                 ARRAY(SELECT @extschema@.endpoint(r.provider, r.region) FROM @extschema@.region AS r))) AS u(e)
        LEFT JOIN @extschema@.region AS rg
          ON rg.provider = @extschema@.provider(u.e) AND rg.region = @extschema@.region(u.e)
        WHERE u.e IS NOT NULL),
    cls AS MATERIALIZED (
        -- candidates alike for every clause (same booleans, same country)
        -- form one class: pairs are evaluated per workload x class, then
        -- expanded to the class's candidates (duplicates kept)
        SELECT cand.country, cand.ins, pg_catalog.array_agg(cand.e) AS es
        FROM cand GROUP BY cand.country, cand.ins),
    ob AS (
        -- each workload's obstacles, in C's reason order
        SELECT a.workload_id,
               pg_catalog.array_agg(cl.no ORDER BY a.out_verdict DESC, a.clause_id COLLATE "C") AS nos,
               pg_catalog.array_agg(a.out_verdict ORDER BY a.out_verdict DESC, a.clause_id COLLATE "C") AS vs,
               pg_catalog.array_agg(a.out_lift ORDER BY a.out_verdict DESC, a.clause_id COLLATE "C") AS lifts,
               pg_catalog.array_agg(a.out_reason ORDER BY a.out_verdict DESC, a.clause_id COLLATE "C") AS rs,
               pg_catalog.array_agg(a.clause_id ORDER BY a.out_verdict DESC, a.clause_id COLLATE "C") AS ids,
               pg_catalog.array_agg(a.kind = 'residency' ORDER BY a.out_verdict DESC, a.clause_id COLLATE "C") AS res
        FROM @extschema@.placement_applied(placement_pairs.on_date) AS a
        JOIN cl ON cl.id = a.clause_id
        WHERE a.out_verdict > 0
        GROUP BY a.workload_id)
    SELECT w.id, cc.e, p.v, p.known, p.lift, p.reasons, p.bids, p.cids
    FROM @extschema@.workload AS w
    LEFT JOIN ob ON ob.workload_id = w.id
    CROSS JOIN cls AS c
    CROSS JOIN LATERAL (
        SELECT pg_catalog.max(o.v) AS v,
               pg_catalog.bool_and(o.lift IS NOT NULL) AS known,
               pg_catalog.max(o.lift) AS lift,
               pg_catalog.array_agg(
                   CASE WHEN o.res
                        THEN 'residency ' || o.id || ': ' ||
                             CASE WHEN c.country IS NULL THEN 'unknown region; ' || o.r
                                  ELSE o.r || '; this endpoint is in ' || c.country END
                        ELSE o.r END) AS reasons,
               pg_catalog.array_agg(o.id) FILTER (WHERE o.v = 2) AS bids,
               pg_catalog.array_agg(o.id) FILTER (WHERE o.v = 1) AS cids
        FROM ROWS FROM (pg_catalog.unnest(ob.nos), pg_catalog.unnest(ob.vs), pg_catalog.unnest(ob.lifts),
                       pg_catalog.unnest(ob.rs), pg_catalog.unnest(ob.ids), pg_catalog.unnest(ob.res))
             AS o(no, v, lift, r, id, res)
        WHERE NOT c.ins[o.no]) AS p
    CROSS JOIN LATERAL pg_catalog.unnest(c.es) AS cc(e)
    WHERE placement_pairs.on_date IS NOT NULL;
END;
COMMENT ON FUNCTION @extschema@.placement_pairs(date, @extschema@.endpoint[]) IS
    'internal helper of placement_matrix and placement_summary: every workload x candidate with its verdict code, lift date, reasons and the clauses in the way';

CREATE FUNCTION @extschema@.placement_matrix(
    on_date date DEFAULT CURRENT_DATE, candidates @extschema@.endpoint[] DEFAULT NULL)
    RETURNS TABLE (workload_id text, endpoint text, verdict text,
                   eligible_from date, reasons text[])
    LANGUAGE sql STABLE PARALLEL SAFE ROWS 100000
BEGIN ATOMIC
    -- endpoint as plain text in the default collation, as in the C edition
    -- (not the domain's collation "C"), so ORDER BY endpoint agrees
    SELECT p.workload_id, p.endpoint::text COLLATE "default",
           CASE p.v WHEN 2 THEN 'blocked' WHEN 1 THEN 'conditional' ELSE 'allowed' END,
           CASE WHEN p.v IS NULL THEN placement_matrix.on_date WHEN p.lift_known THEN p.lift END,
           COALESCE(p.reasons, '{}'::text[])
    FROM @extschema@.placement_pairs(placement_matrix.on_date, placement_matrix.candidates) AS p;
END;
COMMENT ON FUNCTION @extschema@.placement_matrix(date, @extschema@.endpoint[]) IS
    'placement_check for every workload x candidate endpoint (default: every catalogued provider/region), in no particular order (add ORDER BY); endpoint is the candidate''s canonical text; NULL on_date gives no rows, NULL elements of candidates are skipped';

CREATE FUNCTION @extschema@.placement_summary(
    on_date date DEFAULT CURRENT_DATE, candidates @extschema@.endpoint[] DEFAULT NULL)
    RETURNS TABLE (workload_id text, allowed int, conditional int, blocked int, message text)
    LANGUAGE sql STABLE PARALLEL SAFE ROWS 1000
BEGIN ATOMIC
    WITH p AS MATERIALIZED (
        SELECT pp.workload_id, COALESCE(pp.v, 0) AS v, pp.blocked_ids, pp.conditional_ids
        FROM @extschema@.placement_pairs(placement_summary.on_date, placement_summary.candidates) AS pp),
    tally AS (
        SELECT p.workload_id,
               pg_catalog.count(*) FILTER (WHERE p.v = 0)::int AS na,
               pg_catalog.count(*) FILTER (WHERE p.v = 1)::int AS nc,
               pg_catalog.count(*) FILTER (WHERE p.v = 2)::int AS nb,
               pg_catalog.count(*)::int AS n
        FROM p GROUP BY p.workload_id),
    per_clause AS (
        SELECT p.workload_id, p.v, x.id, pg_catalog.count(*)::int AS n
        FROM p CROSS JOIN LATERAL pg_catalog.unnest(
                 CASE p.v WHEN 2 THEN p.blocked_ids WHEN 1 THEN p.conditional_ids END) AS x(id)
        GROUP BY p.workload_id, p.v, x.id),
    parts AS (
        SELECT pc.workload_id, pc.v,
               pg_catalog.string_agg(c.kind::text || ' ' || pc.id || ' (' || pc.n::text || ')', ', '
                                     ORDER BY pc.n DESC, pc.id COLLATE "C") AS list
        FROM per_clause AS pc JOIN @extschema@.clause AS c ON c.id = pc.id
        GROUP BY pc.workload_id, pc.v)
    SELECT w.id, COALESCE(t.na, 0), COALESCE(t.nc, 0), COALESCE(t.nb, 0),
           COALESCE(t.na, 0)::text || '/' || COALESCE(t.n, 0)::text || ' endpoints allowed' ||
           CASE WHEN t.nb > 0 THEN '; ' || t.nb::text || ' blocked: ' || COALESCE(b.list, '') ELSE '' END ||
           CASE WHEN t.nc > 0 THEN '; ' || t.nc::text || ' conditional: ' || COALESCE(cc.list, '') ELSE '' END
    FROM @extschema@.workload AS w
    LEFT JOIN tally AS t ON t.workload_id = w.id
    LEFT JOIN parts AS b ON b.workload_id = w.id AND b.v = 2
    LEFT JOIN parts AS cc ON cc.workload_id = w.id AND cc.v = 1
    WHERE placement_summary.on_date IS NOT NULL
    ORDER BY w.id COLLATE "C";
END;
COMMENT ON FUNCTION @extschema@.placement_summary(date, @extschema@.endpoint[]) IS
    'one line per workload: how many candidate endpoints are allowed, conditional, blocked, and which clauses hold them back, e.g. "12/300 endpoints allowed; 250 blocked: exclusivity excl-azure (250); 38 conditional: rofr rofr-msft (38)"';

-- One pair: the endpoint is tested against the workload's few applicable
-- clauses directly (no candidate table).  PL/pgSQL for the error on an
-- unknown workload; the query's plan is cached per session.
CREATE FUNCTION @extschema@.placement_check(
    workload_id text, e @extschema@.endpoint, on_date date DEFAULT CURRENT_DATE,
    OUT verdict text, OUT eligible_from date, OUT reasons text[])
    RETURNS record
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    wid  text := placement_check.workload_id;
    ep   @extschema@.endpoint := placement_check.e;
    d    date := placement_check.on_date;
    ctry text;
    v    int;
    known boolean;
    lift date;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM @extschema@.workload AS w WHERE w.id OPERATOR(pg_catalog.=) wid) THEN
        RAISE EXCEPTION 'workload "%" does not exist', wid USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT rg.country::text INTO ctry FROM @extschema@.region AS rg
    WHERE rg.provider OPERATOR(pg_catalog.=) @extschema@.provider(ep)
      AND rg.region OPERATOR(pg_catalog.=) @extschema@.region(ep);
    SELECT pg_catalog.max(a.out_verdict), pg_catalog.bool_and(a.out_lift IS NOT NULL), pg_catalog.max(a.out_lift),
           pg_catalog.array_agg(
               CASE WHEN a.kind OPERATOR(pg_catalog.=) 'residency'::@extschema@.clause_kind
                    THEN 'residency ' || a.clause_id || ': ' ||
                         CASE WHEN ctry IS NULL THEN 'unknown region; ' || a.out_reason
                              ELSE a.out_reason || '; this endpoint is in ' || ctry END
                    ELSE a.out_reason END
               ORDER BY a.out_verdict DESC, a.clause_id COLLATE "C")
      INTO v, known, lift, reasons
    FROM @extschema@.placement_applied(d) AS a
    WHERE a.workload_id OPERATOR(pg_catalog.=) wid
      AND a.out_verdict OPERATOR(pg_catalog.>) 0
      AND NOT CASE WHEN a.kind OPERATOR(pg_catalog.=) 'residency'::@extschema@.clause_kind
                   THEN COALESCE(ctry OPERATOR(pg_catalog.=) ANY (a.countries), false)
                   ELSE COALESCE(@extschema@.endpoint_contained_by_endpoint_set(ep, a.scope), false) END;
    verdict := CASE v WHEN 2 THEN 'blocked' WHEN 1 THEN 'conditional' ELSE 'allowed' END;
    eligible_from := CASE WHEN v IS NULL THEN d WHEN known THEN lift END;
    reasons := COALESCE(reasons, '{}'::text[]);
END
$$;
COMMENT ON FUNCTION @extschema@.placement_check(text, @extschema@.endpoint, date) IS
    'may the workload be served on endpoint e on on_date: verdict allowed, conditional or blocked; eligible_from (on_date when allowed, the day every obstacle lifts, NULL when one has no known end); one reason per clause in the way';

CREATE FUNCTION @extschema@.placement_reasons(
    workload_id text, e @extschema@.endpoint, on_date date DEFAULT CURRENT_DATE)
    RETURNS TABLE (clause_id text, kind text, verdict text,
                   eligible_from date, reason text)
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE ROWS 5
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    wid  text := placement_reasons.workload_id;
    ep   @extschema@.endpoint := placement_reasons.e;
    d    date := placement_reasons.on_date;
    ctry text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM @extschema@.workload AS w WHERE w.id OPERATOR(pg_catalog.=) wid) THEN
        RAISE EXCEPTION 'workload "%" does not exist', wid USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT rg.country::text INTO ctry FROM @extschema@.region AS rg
    WHERE rg.provider OPERATOR(pg_catalog.=) @extschema@.provider(ep)
      AND rg.region OPERATOR(pg_catalog.=) @extschema@.region(ep);
    RETURN QUERY
    SELECT a.clause_id, a.kind::text,
           CASE x.v WHEN 2 THEN 'blocked' WHEN 1 THEN 'conditional' ELSE 'allowed' END,
           CASE WHEN x.v OPERATOR(pg_catalog.=) 0 THEN d ELSE a.out_lift END,
           CASE WHEN a.kind OPERATOR(pg_catalog.=) 'residency'::@extschema@.clause_kind
                THEN 'residency ' || a.clause_id || ': ' ||
                     CASE WHEN ctry IS NULL THEN 'unknown region; ' || a.out_reason
                          ELSE a.out_reason || '; this endpoint is in ' || ctry END
                WHEN x.inside THEN a.in_reason
                ELSE a.out_reason END
    FROM @extschema@.placement_applied(d) AS a
    CROSS JOIN LATERAL (
        SELECT CASE WHEN a.kind OPERATOR(pg_catalog.=) 'residency'::@extschema@.clause_kind
                    THEN COALESCE(ctry OPERATOR(pg_catalog.=) ANY (a.countries), false)
                    WHEN a.kind OPERATOR(pg_catalog.=) ANY
                         ('{exclusivity,rofr,first_launch}'::@extschema@.clause_kind[])
                    THEN COALESCE(@extschema@.endpoint_contained_by_endpoint_set(ep, a.scope), false)
                    ELSE true END AS inside) AS i
    CROSS JOIN LATERAL (
        SELECT CASE WHEN i.inside THEN 0 ELSE a.out_verdict END AS v, i.inside) AS x
    WHERE a.workload_id OPERATOR(pg_catalog.=) wid
    ORDER BY x.v DESC, a.clause_id COLLATE "C";
END
$$;
COMMENT ON FUNCTION @extschema@.placement_reasons(text, @extschema@.endpoint, date) IS
    'one row per clause that applies to the workload on on_date, allowed ones included, with what it says about endpoint e; blocked first, then conditional, then allowed, each by clause id; kind is the clause_kind as text';
