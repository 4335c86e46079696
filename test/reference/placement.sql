-- Plain-SQL reference implementation of placement_check (doc/design.md,
-- "Placement"), written for clarity, not speed: the regression test
-- placement_differential compares the C implementation against it on
-- thousands of random cases, and the benchmark uses it as the "what a user
-- would write" baseline.
--
-- dealscope_ref.placement_check has the signature of
-- dealscope.placement_check; its reasons[] holds the ids of the clauses in
-- the way (blocked ones first, then conditional, each by id in bytewise
-- order), where the extension has one human-readable line per clause.
--
-- Load with:  \i test/reference/placement.sql   (needs CREATE EXTENSION dealscope)

CREATE SCHEMA IF NOT EXISTS dealscope_ref;

-- Does product match the comma-separated globs ('*' = any characters)?
CREATE OR REPLACE FUNCTION dealscope_ref.products_match(products text, product text)
RETURNS boolean LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT EXISTS (
        SELECT 1
        FROM pg_catalog.unnest(pg_catalog.string_to_array(products, ',')) AS g
        -- escape LIKE's own wildcards, then turn * into %
        WHERE product LIKE pg_catalog.replace(
                  pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(
                      pg_catalog.btrim(g, E' \t\n'), '\', '\\'), '%', '\%'), '_', '\_'),
                  '*', '%'))
$$;

CREATE OR REPLACE FUNCTION dealscope_ref.placement_check(
    workload_id text, e dealscope.endpoint, on_date date DEFAULT CURRENT_DATE,
    OUT verdict text, OUT eligible_from date, OUT reasons text[])
LANGUAGE plpgsql STABLE STRICT
SET search_path = pg_catalog, dealscope
AS $$
#variable_conflict use_column
DECLARE
    w   dealscope.workload;
    d   date := placement_check.on_date;
    ep  dealscope.endpoint := placement_check.e;
BEGIN
    SELECT * INTO w FROM dealscope.workload AS x WHERE x.id = placement_check.workload_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'workload "%" does not exist', placement_check.workload_id
            USING ERRCODE = 'invalid_parameter_value';
    END IF;

    WITH
    -- clauses that apply on d: grantor, product, validity
    cl AS (
        SELECT c.*,
               -- the first day the clause no longer applies, when it is a date
               CASE WHEN pg_catalog.upper_inf(c.valid) OR NOT pg_catalog.isfinite(pg_catalog.upper(c.valid))
                    THEN NULL ELSE pg_catalog.upper(c.valid) END AS clause_end
        FROM dealscope.clause AS c
        WHERE c.grantor = w.owner
          AND c.valid @> d
          AND dealscope_ref.products_match(c.products, w.product)
    ),
    -- events known on d
    ev AS (
        SELECT pe.* FROM dealscope.placement_event AS pe
        WHERE pe.workload_id = w.id AND pe.on_date <= d
    ),
    -- severity per clause (0 allowed, 1 conditional, 2 blocked) and the day
    -- the obstacle lifts; least() ignores NULL, so every lift date is capped
    -- by the clause's end and is NULL only when neither is known
    outcome AS (
        SELECT cl.id, CASE WHEN cl.scope @> ep THEN 0 ELSE 2 END AS sev, cl.clause_end AS lift
        FROM cl WHERE cl.kind = 'exclusivity'
      UNION ALL
        SELECT cl.id,
               CASE WHEN cl.scope @> ep THEN 0
                    WHEN le.kind IS NULL THEN 1
                    WHEN le.kind = 'decline' THEN 0
                    WHEN le.kind = 'accept' THEN 2
                    WHEN d < le.on_date + cl.window_days THEN 1
                    ELSE 0 END,
               CASE WHEN le.kind = 'offer'
                    THEN LEAST(le.on_date + cl.window_days, cl.clause_end)
                    ELSE cl.clause_end END
        FROM cl
        LEFT JOIN LATERAL (
            -- the latest rofr step with this holder; same day: offer < decline < accept
            SELECT ev.kind, ev.on_date FROM ev
            WHERE ev.kind IN ('offer', 'decline', 'accept') AND ev.holder = cl.holder
            ORDER BY ev.on_date DESC,
                     CASE ev.kind WHEN 'offer' THEN 0 WHEN 'decline' THEN 1 ELSE 2 END DESC
            LIMIT 1) AS le ON true
        WHERE cl.kind = 'rofr' AND cl.valid @> w.requested_on
      UNION ALL
        SELECT cl.id,
               CASE WHEN cl.scope @> ep THEN 0
                    WHEN l.first IS NULL THEN 1
                    WHEN d < l.first + cl.lag_days THEN 1
                    ELSE 0 END,
               LEAST(l.first + cl.lag_days, cl.clause_end)
        FROM cl
        LEFT JOIN LATERAL (
            SELECT pg_catalog.min(ev.on_date) AS first FROM ev
            WHERE ev.kind = 'launch' AND cl.scope @> ev.at) AS l ON true
        WHERE cl.kind = 'first_launch' AND cl.valid @> w.requested_on
      UNION ALL
        SELECT cl.id,
               CASE WHEN EXISTS (
                        SELECT 1 FROM dealscope.region AS r
                        WHERE r.provider = dealscope.provider(ep)
                          AND r.region = dealscope.region(ep)
                          AND (pg_catalog.upper(r.country) IN
                                   (SELECT pg_catalog.upper(j) FROM pg_catalog.unnest(cl.jurisdictions) AS j)
                               OR EXISTS (
                                   SELECT 1
                                   FROM dealscope.jurisdiction AS ju,
                                        pg_catalog.unnest(cl.jurisdictions) AS j
                                   WHERE pg_catalog.upper(ju.code) = pg_catalog.upper(j)
                                     AND pg_catalog.upper(r.country) = ANY (ju.countries::text[]))))
                    THEN 0 ELSE 2 END,
               cl.clause_end
        FROM cl WHERE cl.kind = 'residency' AND cl.data_class = w.data_class
    )
    SELECT CASE pg_catalog.max(o.sev) WHEN 2 THEN 'blocked' WHEN 1 THEN 'conditional' ELSE 'allowed' END,
           CASE WHEN COALESCE(pg_catalog.max(o.sev), 0) = 0 THEN d
                WHEN pg_catalog.bool_and(o.lift IS NOT NULL) FILTER (WHERE o.sev > 0)
                THEN pg_catalog.max(o.lift) FILTER (WHERE o.sev > 0) END,
           COALESCE(
               pg_catalog.array_agg(o.id ORDER BY o.sev DESC, o.id COLLATE "C") FILTER (WHERE o.sev > 0),
               '{}')
      INTO verdict, eligible_from, reasons
    FROM outcome AS o;
END
$$;
