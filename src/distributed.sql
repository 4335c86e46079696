
-- distributed: the revenue aggregates and reports for flow tables that a
-- distributed planner (Citus) spreads over several nodes (doc/design.md,
-- "Distributed flow tables"; src/distributed.c).  Added in 0.2.0; the C
-- edition only.
--
-- The *_dist aggregates compute exactly what prorate_agg, revenue_agg,
-- revenue_provider_agg and exposure_agg compute, but their state type is
-- bytea (Citus runs them partly on each worker and combines the states on
-- the coordinator) and the revenue_share clauses are an argument, an array
-- of dealscope.clause rows (no node reads the clause table while it
-- aggregates).  The *_dist reports read the clause table once, on the node
-- the report is called on, and aggregate a flow table given by name.

CREATE FUNCTION @extschema@.dist_agg_combine(bytea, bytea) RETURNS bytea
    AS 'MODULE_PATHNAME', 'dist_agg_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.dist_agg_combine(bytea, bytea) IS
    'combine function of the *_dist aggregates: adds two states (in memory, or as the bytes of another process)';
CREATE FUNCTION @extschema@.dist_slices_final(bytea) RETURNS @extschema@.slice_total[]
    AS 'MODULE_PATHNAME', 'dist_slices_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.dist_slices_final(bytea) IS
    'final function of prorate_agg_dist and revenue_agg_dist: the per-slice sums as slice_total[] in date order';
CREATE FUNCTION @extschema@.dist_keyed_final(bytea) RETURNS @extschema@.keyed_slice_total[]
    AS 'MODULE_PATHNAME', 'dist_keyed_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.dist_keyed_final(bytea) IS
    'final function of revenue_provider_agg_dist and exposure_agg_dist: the per-key, per-slice sums as keyed_slice_total[]';

CREATE FUNCTION @extschema@.prorate_agg_dist_trans(bytea, numeric, daterange, char(3), text, int,
                                                   @extschema@.rate_schedule) RETURNS bytea
    AS 'MODULE_PATHNAME', 'prorate_agg_dist_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.prorate_agg_dist_trans(bytea, numeric, daterange, char(3), text, int, @extschema@.rate_schedule) IS
    'transition function of prorate_agg_dist: prorate_agg''s, on a state that is updated in place';
CREATE AGGREGATE @extschema@.prorate_agg_dist(amount numeric, period daterange, currency char(3),
                                              grain text, fy_start int, share @extschema@.rate_schedule) (
    SFUNC = @extschema@.prorate_agg_dist_trans,
    STYPE = bytea,
    SSPACE = 1024,
    FINALFUNC = @extschema@.dist_slices_final,
    COMBINEFUNC = @extschema@.dist_agg_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.prorate_agg_dist(numeric, daterange, char(3), text, int, @extschema@.rate_schedule) IS
    'prorate_agg with a bytea state, which Citus aggregates partly on its workers; the same answers';

CREATE FUNCTION @extschema@.revenue_agg_dist_trans(bytea, text, text, @extschema@.endpoint, numeric,
                                                   char(3), daterange, text, int, text,
                                                   @extschema@.clause[]) RETURNS bytea
    AS 'MODULE_PATHNAME', 'revenue_agg_dist_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.revenue_agg_dist_trans(bytea, text, text, @extschema@.endpoint, numeric, char(3), daterange, text, int, text, @extschema@.clause[]) IS
    'transition function of revenue_agg_dist: revenue_agg''s, with the clauses of the argument';
CREATE AGGREGATE @extschema@.revenue_agg_dist(seller text, product text, channel @extschema@.endpoint,
                                              amount numeric, currency char(3), period daterange,
                                              grain text, fy_start int, holder text,
                                              clauses @extschema@.clause[]) (
    SFUNC = @extschema@.revenue_agg_dist_trans,
    STYPE = bytea,
    SSPACE = 1024,
    FINALFUNC = @extschema@.dist_slices_final,
    COMBINEFUNC = @extschema@.dist_agg_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.revenue_agg_dist(text, text, @extschema@.endpoint, numeric, char(3), daterange, text, int, text, @extschema@.clause[]) IS
    'revenue_agg with the revenue_share clauses given as an array of clause rows (rows of other kinds are ignored; NULL: none; the same array for every row of a group) and a bytea state, which Citus aggregates partly on its workers';

CREATE FUNCTION @extschema@.revenue_provider_agg_dist_trans(bytea, text, text, @extschema@.endpoint, numeric,
                                                            char(3), daterange, text, int, daterange,
                                                            @extschema@.clause[]) RETURNS bytea
    AS 'MODULE_PATHNAME', 'revenue_provider_agg_dist_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.revenue_provider_agg_dist_trans(bytea, text, text, @extschema@.endpoint, numeric, char(3), daterange, text, int, daterange, @extschema@.clause[]) IS
    'transition function of revenue_provider_agg_dist: revenue_provider_agg''s, with the clauses of the argument';
CREATE AGGREGATE @extschema@.revenue_provider_agg_dist(seller text, product text, channel @extschema@.endpoint,
                                                       amount numeric, currency char(3), period daterange,
                                                       grain text, fy_start int, "window" daterange,
                                                       clauses @extschema@.clause[]) (
    SFUNC = @extschema@.revenue_provider_agg_dist_trans,
    STYPE = bytea,
    SSPACE = 4096,
    FINALFUNC = @extschema@.dist_keyed_final,
    COMBINEFUNC = @extschema@.dist_agg_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.revenue_provider_agg_dist(text, text, @extschema@.endpoint, numeric, char(3), daterange, text, int, daterange, @extschema@.clause[]) IS
    'revenue_provider_agg with the revenue_share clauses given as an array of clause rows (as revenue_agg_dist) and a bytea state, which Citus aggregates partly on its workers; what revenue_report_dist is built on';

CREATE FUNCTION @extschema@.exposure_agg_dist_trans(bytea, text, text, text, text, @extschema@.endpoint, numeric,
                                                    char(3), daterange, text, int, daterange,
                                                    @extschema@.clause[]) RETURNS bytea
    AS 'MODULE_PATHNAME', 'exposure_agg_dist_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.exposure_agg_dist_trans(bytea, text, text, text, text, @extschema@.endpoint, numeric, char(3), daterange, text, int, daterange, @extschema@.clause[]) IS
    'transition function of exposure_agg_dist: exposure_agg''s, with the clauses of the argument';
CREATE AGGREGATE @extschema@.exposure_agg_dist(party text, seller text, buyer text, product text,
                                               channel @extschema@.endpoint, amount numeric, currency char(3),
                                               period daterange, grain text, fy_start int, "window" daterange,
                                               clauses @extschema@.clause[]) (
    SFUNC = @extschema@.exposure_agg_dist_trans,
    STYPE = bytea,
    SSPACE = 4096,
    FINALFUNC = @extschema@.dist_keyed_final,
    COMBINEFUNC = @extschema@.dist_agg_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.exposure_agg_dist(text, text, text, text, @extschema@.endpoint, numeric, char(3), daterange, text, int, daterange, @extschema@.clause[]) IS
    'exposure_agg with the revenue_share clauses given as an array of clause rows (as revenue_agg_dist) and a bytea state, which Citus aggregates partly on its workers; what exposure_dist is built on';

-- The reports over a flow table given by name --------------------------------

-- The flow table must have the columns of revenue_flow that the report reads
-- (seller, product, channel, amount, currency, period; exposure_dist also
-- buyer), of the same types.  The clause and provider tables are read here,
-- on the node the report is called on, where they may be local tables or
-- Citus reference tables; the flows are aggregated in one query, which Citus
-- splits over its workers, the clauses passed to it as a parameter.
CREATE FUNCTION @extschema@.revenue_report_dist(flows regclass, during daterange, grain text DEFAULT 'month',
                                                fy_start int DEFAULT 1)
    RETURNS TABLE (slice_start date, slice_end date, label text, seller text, channel_owner text,
                   currency char(3), gross numeric, share numeric, net numeric)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    win daterange := @extschema@.report_window(during, grain, fy_start);
    terms @extschema@.clause[];
    cells @extschema@.keyed_slice_total[];
BEGIN
    IF flows IS NULL THEN
        RAISE EXCEPTION 'invalid flows NULL' USING ERRCODE = '22023',
            DETAIL = 'Argument "flows" must name a table with the columns of dealscope.revenue_flow.';
    END IF;
    SELECT array_agg(c ORDER BY c.id) INTO terms
    FROM @extschema@.clause c WHERE c.kind = 'revenue_share';
    EXECUTE format('SELECT @extschema@.revenue_provider_agg_dist(f.seller, f.product, f.channel, f.amount, '
                   'f.currency, f.period, $1, $2, $3, $4) FROM %s f', flows)
        INTO cells USING grain, fy_start, win, terms;
    RETURN QUERY
    SELECT c.slice_start, c.slice_end, c.label, c.party, p.owner, c.currency,
           sum(c.gross), sum(c.share), sum(c.net)
    FROM unnest(cells) c
    LEFT JOIN @extschema@.provider p ON p.provider = c.provider
    WHERE daterange(c.slice_start, c.slice_end, '[]') && $2
    GROUP BY c.slice_start, c.slice_end, c.label, c.party, p.owner, c.currency
    ORDER BY c.slice_start, c.party, p.owner NULLS LAST, c.currency;
END $$;
COMMENT ON FUNCTION @extschema@.revenue_report_dist(regclass, daterange, text, int) IS
    'revenue_report over the flow table flows (e.g. one Citus distributes), with the revenue_share clauses of the clause table: the same rows as revenue_report gives when those flows are in revenue_flow';

CREATE FUNCTION @extschema@.exposure_dist(flows regclass, party text, during daterange, grain text DEFAULT 'quarter',
                                          fy_start int DEFAULT 1)
    RETURNS TABLE (slice_start date, slice_end date, label text, counterparty text, currency char(3),
                   revenue_via numeric, share_payable numeric, share_receivable numeric, spend numeric)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    win daterange := @extschema@.report_window(during, grain, fy_start);
    terms @extschema@.clause[];
    grantors text[];
    cells @extschema@.keyed_slice_total[];
BEGIN
    IF flows IS NULL THEN
        RAISE EXCEPTION 'invalid flows NULL' USING ERRCODE = '22023',
            DETAIL = 'Argument "flows" must name a table with the columns of dealscope.revenue_flow.';
    END IF;
    IF party IS NULL THEN
        RAISE EXCEPTION 'invalid party NULL' USING ERRCODE = '22023',
            DETAIL = 'Argument "party" must name a party, e.g. openai.';
    END IF;
    SELECT array_agg(c ORDER BY c.id) INTO terms
    FROM @extschema@.clause c WHERE c.kind = 'revenue_share';
    -- the flows that involve the party: as seller, as buyer, or as holder
    -- of the seller's revenue_share clauses (as exposure reads them)
    SELECT array_agg(DISTINCT c.grantor) INTO grantors
    FROM @extschema@.clause c WHERE c.kind = 'revenue_share' AND c.holder = $2;
    EXECUTE format('SELECT @extschema@.exposure_agg_dist($1, f.seller, f.buyer, f.product, f.channel, f.amount, '
                   'f.currency, f.period, $2, $3, $4, $5) FROM %s f '
                   'WHERE f.seller = $1 OR f.buyer = $1 OR f.seller = ANY ($6)', flows)
        INTO cells USING party, grain, fy_start, win, terms, coalesce(grantors, '{}');
    RETURN QUERY
    WITH c AS (
        SELECT c.* FROM unnest(cells) c
        WHERE daterange(c.slice_start, c.slice_end, '[]') && $3),
    parts AS (
        -- revenue through a cloud counts for the cloud's owner, never the party itself
        SELECT CASE WHEN c.kind = 1 THEN p.owner ELSE c.party END AS cp, c.*
        FROM c LEFT JOIN @extschema@.provider p ON c.kind = 1 AND p.provider = c.provider
        WHERE c.kind <> 1 OR p.owner <> $2)
    SELECT parts.slice_start, parts.slice_end, parts.label, parts.cp, parts.currency,
           coalesce(sum(parts.gross) FILTER (WHERE parts.kind = 1), 0 * min(parts.gross)),
           coalesce(sum(parts.share) FILTER (WHERE parts.kind = 2), 0 * min(parts.gross)),
           coalesce(sum(parts.share) FILTER (WHERE parts.kind = 3), 0 * min(parts.gross)),
           coalesce(sum(parts.gross) FILTER (WHERE parts.kind = 4), 0 * min(parts.gross))
    FROM parts
    GROUP BY parts.slice_start, parts.slice_end, parts.label, parts.cp, parts.currency
    HAVING bool_or(parts.kind IN (1, 4) AND parts.gross <> 0) OR bool_or(parts.kind IN (2, 3) AND parts.share <> 0)
    ORDER BY parts.slice_start, parts.cp, parts.currency;
END $$;
COMMENT ON FUNCTION @extschema@.exposure_dist(regclass, text, daterange, text, int) IS
    'exposure over the flow table flows (e.g. one Citus distributes), with the revenue_share clauses of the clause table: the same rows as exposure gives when those flows are in revenue_flow';
