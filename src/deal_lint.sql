
-- deal_lint: what looks wrong in the deal model (doc/design.md, "Checking a
-- model").  Plain SQL, shared by both editions.  The tables' constraints
-- reject what is certainly wrong when it is written; these functions list
-- what is probably wrong and can only be seen across rows: clauses that
-- contradict one another, clauses that match nothing, names that only
-- arrays hold (deal.parties, clause.jurisdictions cannot carry foreign keys).

-- Can some product name match a glob of a and a glob of b?  Globs contain
-- only '*' (any run of characters): a literal glob overlaps a glob that
-- matches it; two globs with stars overlap exactly when their literal
-- prefixes (before the first '*') are prefixes of one another and their
-- suffixes (after the last '*') are suffixes of one another — the middle
-- parts of both then fit between them in either order.
CREATE FUNCTION @extschema@.products_overlap(a text, b text)
    RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN EXISTS (
        SELECT 1
        FROM (SELECT pg_catalog.btrim(g, E' \t\n') AS g
              -- (string_to_array('') is {}, but '' is one empty glob)
              FROM pg_catalog.unnest(CASE WHEN a OPERATOR(pg_catalog.=) '' THEN '{""}'
                                          ELSE pg_catalog.string_to_array(a, ',') END) AS g) AS x,
             (SELECT pg_catalog.btrim(g, E' \t\n') AS g
              FROM pg_catalog.unnest(CASE WHEN b OPERATOR(pg_catalog.=) '' THEN '{""}'
                                          ELSE pg_catalog.string_to_array(b, ',') END) AS g) AS y
        WHERE CASE
            WHEN pg_catalog.strpos(x.g, '*') OPERATOR(pg_catalog.=) 0 THEN @extschema@.products_match(y.g, x.g)
            WHEN pg_catalog.strpos(y.g, '*') OPERATOR(pg_catalog.=) 0 THEN @extschema@.products_match(x.g, y.g)
            ELSE (pg_catalog.starts_with(pg_catalog.split_part(x.g, '*', 1), pg_catalog.split_part(y.g, '*', 1))
                  OR pg_catalog.starts_with(pg_catalog.split_part(y.g, '*', 1), pg_catalog.split_part(x.g, '*', 1)))
             AND (pg_catalog.starts_with(pg_catalog.split_part(pg_catalog.reverse(x.g), '*', 1),
                                         pg_catalog.split_part(pg_catalog.reverse(y.g), '*', 1))
                  OR pg_catalog.starts_with(pg_catalog.split_part(pg_catalog.reverse(y.g), '*', 1),
                                            pg_catalog.split_part(pg_catalog.reverse(x.g), '*', 1)))
        END);
COMMENT ON FUNCTION @extschema@.products_overlap(text, text) IS
    'can one product name match both products lists (comma-separated globs, * = any characters)? e.g. api/* and */gpt-5 overlap, api/* and chatgpt/* do not';

-- Pairs of clauses that cannot both be honoured as written.
CREATE FUNCTION @extschema@.clause_conflicts()
    RETURNS TABLE (clause_a text, clause_b text, conflict text, during daterange, message text)
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
    WITH pairs AS (
        SELECT a.*, b.id AS b_id, b.holder AS b_holder, b.scope AS b_scope, b.rate AS b_rate,
               a.valid * b.valid AS overlap
        FROM @extschema@.clause a
        JOIN @extschema@.clause b
          ON b.kind = a.kind AND b.grantor = a.grantor AND b.id > a.id
         AND b.valid && a.valid AND @extschema@.products_overlap(a.products, b.products)
        WHERE a.kind IN ('exclusivity', 'first_launch', 'revenue_share')),
    -- a revenue share's rate is piecewise linear, so the sum of two is
    -- largest on a day where a segment starts or ends, or the overlap does
    share_peaks AS (
        SELECT p.id, p.b_id, p.grantor, p.overlap, d.day,
               @extschema@.rate_at(p.rate, d.day) + @extschema@.rate_at(p.b_rate, d.day) AS total
        FROM pairs p
        CROSS JOIN LATERAL (
            SELECT v.day FROM (
                SELECT lower(p.overlap) AS day
                UNION SELECT upper(p.overlap) - 1
                UNION SELECT m[1]::date
                      FROM regexp_matches(p.rate::text || ' ' || p.b_rate::text, '\d{4,}-\d\d-\d\d', 'g') AS m
                UNION SELECT m[1]::date - 1
                      FROM regexp_matches(p.rate::text || ' ' || p.b_rate::text, '\d{4,}-\d\d-\d\d', 'g') AS m
                UNION SELECT date '2000-01-01' WHERE lower_inf(p.overlap) AND upper_inf(p.overlap)
            ) AS v
            WHERE v.day IS NOT NULL AND p.overlap @> v.day) AS d
        WHERE p.kind = 'revenue_share'
          AND (p.scope IS NULL OR p.b_scope IS NULL OR p.scope OPERATOR(@extschema@.&&) p.b_scope)),
    worst AS (
        SELECT DISTINCT ON (s.id, s.b_id) s.*
        FROM share_peaks s WHERE s.total > 1
        ORDER BY s.id, s.b_id, s.total DESC, s.day)
    SELECT p.id, p.b_id, 'exclusivity_holders_differ', p.overlap,
           CASE WHEN p.scope OPERATOR(@extschema@.&&) p.b_scope
                THEN format('%s and %s both hold an exclusivity over products of %s: only endpoints in both scopes (%s; %s) are allowed',
                            p.holder, p.b_holder, p.grantor, p.scope, p.b_scope)
                ELSE format('%s and %s both hold an exclusivity over products of %s with scopes that share no endpoint (%s; %s): every endpoint is blocked',
                            p.holder, p.b_holder, p.grantor, p.scope, p.b_scope) END
    FROM pairs p
    WHERE p.kind = 'exclusivity' AND p.holder <> p.b_holder
    UNION ALL
    SELECT p.id, p.b_id, 'first_launch_scopes_disjoint', p.overlap,
           format('both demand the first launch of products of %s, in scopes that share no endpoint (%s; %s): no endpoint can come first',
                  p.grantor, p.scope, p.b_scope)
    FROM pairs p
    WHERE p.kind = 'first_launch' AND NOT p.scope OPERATOR(@extschema@.&&) p.b_scope
    UNION ALL
    SELECT w.id, w.b_id, 'shares_over_100_percent', w.overlap,
           format('revenue shares owed by %s add up to %s%% on %s', w.grantor, trim_scale(w.total * 100), w.day)
    FROM worst w
    ORDER BY 1, 2, 3
$$;
COMMENT ON FUNCTION @extschema@.clause_conflicts() IS
    'pairs of clauses of one grantor, in force on common days and covering common products, that contradict one another: exclusivities of different holders, first-launch clauses with disjoint scopes, revenue shares adding up to more than 100% on some day (during = the days both are in force)';

-- Everything that looks wrong, most serious first.
CREATE FUNCTION @extschema@.deal_lint()
    RETURNS TABLE (severity text, finding text, subject text, message text)
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
    SELECT f.severity, f.finding, f.subject, f.message
    FROM (
        SELECT 'error' AS severity, c.conflict AS finding, c.clause_a || ', ' || c.clause_b AS subject,
               c.message
        FROM @extschema@.clause_conflicts() c
        UNION ALL
        -- three or more shares over 100 % together (pairs are above): per
        -- clause, the clauses of its grantor in force with it on a day where
        -- a rate segment or a term starts or ends, over overlapping products
        -- and channels, every two of them overlapping too
        (SELECT DISTINCT ON (t.ids) 'error', 'shares_over_100_percent', t.ids,
               format('revenue shares owed by %s add up to %s%% on %s (%s)', t.grantor, trim_scale(t.total * 100), t.day, t.ids)
        FROM (SELECT a.id, a.grantor, d.day, sum(@extschema@.rate_at(b.rate, d.day)) AS total,
                     string_agg(b.id, ', ' ORDER BY b.id COLLATE "C") AS ids, count(*) AS n,
                     array_agg(b.id) AS members
              FROM @extschema@.clause a
              CROSS JOIN LATERAL (
                  SELECT DISTINCT v.day FROM @extschema@.clause o,
                      LATERAL (SELECT lower(o.valid) AS day UNION SELECT upper(o.valid) - 1
                               UNION SELECT m[1]::date FROM regexp_matches(o.rate::text, '\d{4,}-\d\d-\d\d', 'g') AS m
                               UNION SELECT m[1]::date - 1 FROM regexp_matches(o.rate::text, '\d{4,}-\d\d-\d\d', 'g') AS m) AS v
                  WHERE o.kind = 'revenue_share' AND o.grantor = a.grantor AND v.day IS NOT NULL
                    AND isfinite(v.day) AND a.valid @> v.day) AS d
              JOIN @extschema@.clause b
                ON b.kind = 'revenue_share' AND b.grantor = a.grantor AND b.valid @> d.day
               AND @extschema@.products_overlap(a.products, b.products)
               AND (a.scope IS NULL OR b.scope IS NULL OR a.scope OPERATOR(@extschema@.&&) b.scope)
              WHERE a.kind = 'revenue_share'
              GROUP BY a.id, a.grantor, d.day) AS t
        WHERE t.total > 1 AND t.n > 2
          AND NOT EXISTS (SELECT 1 FROM @extschema@.clause x, @extschema@.clause y
                          WHERE x.id = ANY (t.members) AND y.id = ANY (t.members) AND x.id < y.id
                            AND NOT (@extschema@.products_overlap(x.products, y.products)
                                     AND (x.scope IS NULL OR y.scope IS NULL
                                          OR x.scope OPERATOR(@extschema@.&&) y.scope)))
        ORDER BY t.ids, t.total DESC, t.day)
        UNION ALL
        SELECT 'error', 'deal_party_unknown', d.id,
               format('deal %s lists party "%s", which is not in table party', d.id, p.name)
        FROM @extschema@.deal d, unnest(d.parties) AS p(name)
        WHERE NOT EXISTS (SELECT 1 FROM @extschema@.party r WHERE r.id = p.name)
        UNION ALL
        SELECT 'error', 'jurisdiction_unknown', c.id,
               format('residency clause %s lists "%s", which is neither a jurisdiction code nor the country of a catalogued region: every endpoint is blocked for it',
                      c.id, j.code)
        FROM @extschema@.clause c, unnest(c.jurisdictions) AS j(code)
        WHERE c.kind = 'residency'
          AND NOT EXISTS (SELECT 1 FROM @extschema@.jurisdiction r WHERE r.code = j.code)
          AND NOT EXISTS (SELECT 1 FROM @extschema@.region r WHERE r.country::text = j.code)
        UNION ALL
        SELECT 'warning', 'clause_party_not_in_deal', c.id,
               format('clause %s names %s, who is not among the parties of deal %s (%s)',
                      c.id, n.party, d.id, array_to_string(d.parties, ', '))
        FROM @extschema@.clause c
        JOIN @extschema@.deal d ON d.id = c.deal_id
        CROSS JOIN LATERAL (VALUES (c.grantor), (c.holder)) AS n(party)
        WHERE d.parties IS NOT NULL AND n.party IS NOT NULL AND NOT n.party = ANY (d.parties)
        UNION ALL
        SELECT 'warning', 'clause_matches_no_workload', c.id,
               format('%s clause %s of %s applies to no workload (products %s%s)', c.kind, c.id, c.grantor,
                      c.products, coalesce(', data class ' || c.data_class, ''))
        FROM @extschema@.clause c
        WHERE c.kind IN ('exclusivity', 'rofr', 'first_launch', 'residency')
          AND NOT EXISTS (SELECT 1 FROM @extschema@.workload w
                          WHERE w.owner = c.grantor AND @extschema@.products_match(c.products, w.product)
                            AND (c.kind <> 'residency' OR w.data_class = c.data_class))
        UNION ALL
        SELECT 'warning', 'workload_matches_no_clause', w.id,
               format('no clause of %s covers product "%s" of workload %s (a misspelt product?)', w.owner, w.product, w.id)
        FROM @extschema@.workload w
        WHERE EXISTS (SELECT 1 FROM @extschema@.clause c WHERE c.grantor = w.owner)
          AND NOT EXISTS (SELECT 1 FROM @extschema@.clause c
                          WHERE c.grantor = w.owner AND @extschema@.products_match(c.products, w.product))
        UNION ALL
        SELECT 'warning', 'data_class_unused', w.id,
               format('no residency clause of %s is about data class "%s" of workload %s (a misspelt data class?)',
                      w.owner, w.data_class, w.id)
        FROM @extschema@.workload w
        WHERE w.data_class IS NOT NULL
          AND EXISTS (SELECT 1 FROM @extschema@.clause c WHERE c.grantor = w.owner AND c.kind = 'residency')
          AND NOT EXISTS (SELECT 1 FROM @extschema@.clause c
                          WHERE c.grantor = w.owner AND c.kind = 'residency' AND c.data_class = w.data_class)
        UNION ALL
        SELECT 'warning', 'event_holder_holds_no_rofr', e.workload_id,
               format('%s event of workload %s on %s names %s, who holds no right of first refusal over %s',
                      e.kind, e.workload_id, e.on_date, e.holder, w.owner)
        FROM @extschema@.placement_event e
        JOIN @extschema@.workload w ON w.id = e.workload_id
        WHERE e.kind IN ('offer', 'decline', 'accept')
          AND NOT EXISTS (SELECT 1 FROM @extschema@.clause c
                          WHERE c.kind = 'rofr' AND c.grantor = w.owner AND c.holder = e.holder)
    ) AS f
    ORDER BY f.severity, f.finding, f.subject COLLATE "C", f.message COLLATE "C"
$$;
COMMENT ON FUNCTION @extschema@.deal_lint() IS
    'what looks wrong in the deal model, errors first: clause_conflicts, parties and jurisdictions unknown to the catalog, clauses naming parties outside their deal, placement clauses that apply to no workload, workloads no clause covers (misspelt product?), data classes no residency clause knows, first-refusal events to a party holding no such right';
