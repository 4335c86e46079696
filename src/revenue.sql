
-- revenue: time-sliced revenue reports over revenue_flow (doc/design.md,
-- "Reports"; src/revenue_*.c)

CREATE TYPE @extschema@.slice_total AS (
    slice_start date,
    slice_end   date,
    label       text,
    currency    char(3),
    gross       numeric,
    share       numeric,
    net         numeric
);
COMMENT ON TYPE @extschema@.slice_total IS
    'one slice of a prorated total, as returned in arrays by prorate_agg, revenue_agg and revenue_split (unnest them to get rows)';
COMMENT ON COLUMN @extschema@.slice_total.slice_start IS 'first day of the slice';
COMMENT ON COLUMN @extschema@.slice_total.slice_end IS 'last day of the slice (inclusive)';
COMMENT ON COLUMN @extschema@.slice_total.label IS 'slice label, e.g. 2026-05, 2026-Q2, FY2027-Q1';
COMMENT ON COLUMN @extschema@.slice_total.currency IS 'currency of the amounts';
COMMENT ON COLUMN @extschema@.slice_total.gross IS 'revenue earned in the slice';
COMMENT ON COLUMN @extschema@.slice_total.share IS 'revenue share owed on it';
COMMENT ON COLUMN @extschema@.slice_total.net IS 'gross - share';

-- The aggregates' shared support functions -------------------------------

CREATE FUNCTION @extschema@.revenue_agg_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'revenue_agg_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.revenue_agg_combine(internal, internal) IS
    'combine function of prorate_agg and revenue_agg: adds two groups'' per-slice sums';
CREATE FUNCTION @extschema@.revenue_agg_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'revenue_agg_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.revenue_agg_serialize(internal) IS
    'serialize function of prorate_agg and revenue_agg (portable bytes: no pointers, no OIDs)';
CREATE FUNCTION @extschema@.revenue_agg_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'revenue_agg_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.revenue_agg_deserialize(bytea, internal) IS
    'deserialize function of prorate_agg and revenue_agg; rejects truncated or inconsistent states';
CREATE FUNCTION @extschema@.revenue_agg_final(internal) RETURNS @extschema@.slice_total[]
    AS 'MODULE_PATHNAME', 'revenue_agg_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.revenue_agg_final(internal) IS
    'final function of prorate_agg and revenue_agg: the per-slice sums as slice_total[] in date order';

-- prorate_agg: the model-free aggregate ------------------------------------

CREATE FUNCTION @extschema@.prorate_agg_trans(internal, numeric, daterange, char(3), text, int,
                                              @extschema@.rate_schedule) RETURNS internal
    AS 'MODULE_PATHNAME', 'prorate_agg_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.prorate_agg_trans(internal, numeric, daterange, char(3), text, int, @extschema@.rate_schedule) IS
    'transition function of prorate_agg: splits one flow exactly and adds its parts to the group''s slices';

CREATE AGGREGATE @extschema@.prorate_agg(amount numeric, period daterange, currency char(3),
                                         grain text, fy_start int, share @extschema@.rate_schedule) (
    SFUNC = @extschema@.prorate_agg_trans,
    STYPE = internal,
    SSPACE = 1024,
    FINALFUNC = @extschema@.revenue_agg_final,
    COMBINEFUNC = @extschema@.revenue_agg_combine,
    SERIALFUNC = @extschema@.revenue_agg_serialize,
    DESERIALFUNC = @extschema@.revenue_agg_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.prorate_agg(numeric, daterange, char(3), text, int, @extschema@.rate_schedule) IS
    'sums the exact proration (as prorate() computes it per flow) of every row of a group into per-slice totals; returns slice_total[] (unnest it); rows with a NULL amount, period, currency, grain or fy_start are skipped, a NULL share means none; one currency, grain and fy_start per group';

-- revenue_agg and revenue_split: the same over the deal model's clauses -------

CREATE FUNCTION @extschema@.revenue_agg_trans(internal, text, text, @extschema@.endpoint, numeric,
                                              char(3), daterange, text, int, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'revenue_agg_trans' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.revenue_agg_trans(internal, text, text, @extschema@.endpoint, numeric, char(3), daterange, text, int, text) IS
    'transition function of revenue_agg: splits one flow with the revenue shares its seller owes under the clause table';

CREATE AGGREGATE @extschema@.revenue_agg(seller text, product text, channel @extschema@.endpoint,
                                         amount numeric, currency char(3), period daterange,
                                         grain text, fy_start int, holder text) (
    SFUNC = @extschema@.revenue_agg_trans,
    STYPE = internal,
    SSPACE = 1024,
    FINALFUNC = @extschema@.revenue_agg_final,
    COMBINEFUNC = @extschema@.revenue_agg_combine,
    SERIALFUNC = @extschema@.revenue_agg_serialize,
    DESERIALFUNC = @extschema@.revenue_agg_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.revenue_agg(text, text, @extschema@.endpoint, numeric, char(3), daterange, text, int, text) IS
    'per-slice totals of flows, share being what each seller owes under its revenue_share clauses (to every holder, or only to holder when it is not NULL), each (flow, holder) rounded once; returns slice_total[]';

CREATE FUNCTION @extschema@.revenue_split(seller text, product text, channel @extschema@.endpoint,
                                          amount numeric, currency char(3), period daterange,
                                          grain text, fy_start int, holder text DEFAULT NULL)
    RETURNS @extschema@.slice_total[]
    AS 'MODULE_PATHNAME', 'revenue_split' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.revenue_split(text, text, @extschema@.endpoint, numeric, char(3), daterange, text, int, text) IS
    'one flow split into slices with the revenue shares its seller owes under the clause table (all holders, or only holder); the parts revenue_agg adds up';

CREATE FUNCTION @extschema@.prorate_within(amount numeric, period daterange, currency char(3), during daterange)
    RETURNS numeric
    AS 'MODULE_PATHNAME', 'prorate_within' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.prorate_within(numeric, daterange, char(3), daterange) IS
    'the part of an amount earned evenly over period that falls on the days inside during: the flow is split exactly at during''s bounds by largest remainder (ties to the earliest part), so the parts before, inside and after sum to the amount';

-- revenue_provider_agg: revenue_agg kept apart per seller, channel provider and currency

CREATE TYPE @extschema@.keyed_slice_total AS (
    kind        int,
    party       text,
    provider    text,
    slice_start date,
    slice_end   date,
    label       text,
    currency    char(3),
    gross       numeric,
    share       numeric,
    net         numeric
);
COMMENT ON TYPE @extschema@.keyed_slice_total IS
    'one slice of a prorated total kept apart by a key the aggregate computes (revenue_provider_agg: kind 0, the flows'' seller and the provider of their channel; exposure_agg: kinds 1 to 4, see there; revenue_holder_agg: kind 5, the holder); unnest the arrays to get rows';
COMMENT ON COLUMN @extschema@.keyed_slice_total.kind IS 'what the figures are (revenue_provider_agg: always 0, revenue with its shares; exposure_agg: 1 to 4; revenue_holder_agg: always 5, the revenue owing a holder and its share)';
COMMENT ON COLUMN @extschema@.keyed_slice_total.party IS 'the party the figures were kept apart by (revenue_provider_agg: the seller; exposure_agg: the counterparty, empty for kind 1; revenue_holder_agg: the holder)';
COMMENT ON COLUMN @extschema@.keyed_slice_total.provider IS 'the provider of the flows'' channel (empty where the figures are not kept apart by it)';
COMMENT ON COLUMN @extschema@.keyed_slice_total.slice_start IS 'first day of the slice';
COMMENT ON COLUMN @extschema@.keyed_slice_total.slice_end IS 'last day of the slice (inclusive)';
COMMENT ON COLUMN @extschema@.keyed_slice_total.label IS 'slice label, e.g. 2026-05, 2026-Q2, FY2027-Q1';
COMMENT ON COLUMN @extschema@.keyed_slice_total.currency IS 'currency of the amounts';
COMMENT ON COLUMN @extschema@.keyed_slice_total.gross IS 'revenue earned in the slice';
COMMENT ON COLUMN @extschema@.keyed_slice_total.share IS 'revenue share owed on it';
COMMENT ON COLUMN @extschema@.keyed_slice_total.net IS 'gross - share';

CREATE FUNCTION @extschema@.keyed_agg_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'keyed_agg_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.keyed_agg_combine(internal, internal) IS
    'combine function of revenue_provider_agg and exposure_agg: adds two states'' per-key, per-slice sums';
CREATE FUNCTION @extschema@.keyed_agg_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'keyed_agg_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.keyed_agg_serialize(internal) IS
    'serialize function of revenue_provider_agg and exposure_agg (portable bytes: no pointers, no OIDs)';
CREATE FUNCTION @extschema@.keyed_agg_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'keyed_agg_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.keyed_agg_deserialize(bytea, internal) IS
    'deserialize function of revenue_provider_agg and exposure_agg; rejects truncated or inconsistent states';
CREATE FUNCTION @extschema@.keyed_agg_final(internal) RETURNS @extschema@.keyed_slice_total[]
    AS 'MODULE_PATHNAME', 'keyed_agg_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.keyed_agg_final(internal) IS
    'final function of revenue_provider_agg and exposure_agg: the per-key, per-slice sums as keyed_slice_total[], key by key in date order';

CREATE FUNCTION @extschema@.revenue_provider_agg_trans(internal, text, text, @extschema@.endpoint, numeric,
                                                       char(3), daterange, text, int, daterange) RETURNS internal
    AS 'MODULE_PATHNAME', 'revenue_provider_agg_trans' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.revenue_provider_agg_trans(internal, text, text, @extschema@.endpoint, numeric, char(3), daterange, text, int, daterange) IS
    'transition function of revenue_provider_agg: splits one flow overlapping the window with every revenue share its seller owes and adds it to the slices of its (seller, channel provider, currency)';

CREATE AGGREGATE @extschema@.revenue_provider_agg(seller text, product text, channel @extschema@.endpoint,
                                                  amount numeric, currency char(3), period daterange,
                                                  grain text, fy_start int, "window" daterange) (
    SFUNC = @extschema@.revenue_provider_agg_trans,
    STYPE = internal,
    SSPACE = 4096,
    FINALFUNC = @extschema@.keyed_agg_final,
    COMBINEFUNC = @extschema@.keyed_agg_combine,
    SERIALFUNC = @extschema@.keyed_agg_serialize,
    DESERIALFUNC = @extschema@.keyed_agg_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.revenue_provider_agg(text, text, @extschema@.endpoint, numeric, char(3), daterange, text, int, daterange) IS
    'revenue_agg (every holder) kept apart per seller, provider of the channel and currency, over the rows whose period overlaps window (NULL: every row); returns keyed_slice_total[] with kind 0; one grain and fy_start per group; what revenue_report is built on';

-- revenue_holder_agg: the share per holder, for share_report

CREATE FUNCTION @extschema@.revenue_holder_agg_trans(internal, text, text, @extschema@.endpoint, numeric,
                                                     char(3), daterange, text, int, daterange, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'revenue_holder_agg_trans' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.revenue_holder_agg_trans(internal, text, text, @extschema@.endpoint, numeric, char(3), daterange, text, int, daterange, text) IS
    'transition function of revenue_holder_agg: splits one flow overlapping the window once per holder of its seller''s revenue_share clauses (or only holder) and adds it to that holder''s slices when it owes the holder a nonzero share';

CREATE AGGREGATE @extschema@.revenue_holder_agg(seller text, product text, channel @extschema@.endpoint,
                                                amount numeric, currency char(3), period daterange,
                                                grain text, fy_start int, "window" daterange, holder text) (
    SFUNC = @extschema@.revenue_holder_agg_trans,
    STYPE = internal,
    SSPACE = 4096,
    FINALFUNC = @extschema@.keyed_agg_final,
    COMBINEFUNC = @extschema@.keyed_agg_combine,
    SERIALFUNC = @extschema@.keyed_agg_serialize,
    DESERIALFUNC = @extschema@.keyed_agg_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.revenue_holder_agg(text, text, @extschema@.endpoint, numeric, char(3), daterange, text, int, daterange, text) IS
    'the revenue share per holder (every holder, or only holder when it is not NULL) and currency over the rows whose period overlaps window (NULL: every row): keyed_slice_total[] with kind 5, party = the holder, share = what the rows'' sellers owe it (each (flow, holder) rounded once, as revenue_agg), gross = the rows that owe it a nonzero share; one grain and fy_start per group; what share_report is built on (grouped by seller)';

-- exposure_agg: every figure of exposure() in one pass over the flows -------

CREATE FUNCTION @extschema@.exposure_agg_trans(internal, text, text, text, text, @extschema@.endpoint, numeric,
                                               char(3), daterange, text, int, daterange) RETURNS internal
    AS 'MODULE_PATHNAME', 'exposure_agg_trans' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.exposure_agg_trans(internal, text, text, text, text, @extschema@.endpoint, numeric, char(3), daterange, text, int, daterange) IS
    'transition function of exposure_agg: splits one flow overlapping the window into the exposure figures of party it carries';

CREATE AGGREGATE @extschema@.exposure_agg(party text, seller text, buyer text, product text,
                                          channel @extschema@.endpoint, amount numeric, currency char(3),
                                          period daterange, grain text, fy_start int, "window" daterange) (
    SFUNC = @extschema@.exposure_agg_trans,
    STYPE = internal,
    SSPACE = 4096,
    FINALFUNC = @extschema@.keyed_agg_final,
    COMBINEFUNC = @extschema@.keyed_agg_combine,
    SERIALFUNC = @extschema@.keyed_agg_serialize,
    DESERIALFUNC = @extschema@.keyed_agg_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.exposure_agg(text, text, text, text, @extschema@.endpoint, numeric, char(3), daterange, text, int, daterange) IS
    'what exposure() is built on, over the rows whose period overlaps window (NULL: every row): keyed_slice_total[] with kind 1 = party''s revenue per channel provider (gross), 2 = share party owes per holder (share), 3 = share owed to party per seller (share), 4 = party''s spend per seller (gross); each share rounded once per (flow, holder)';


-- The reports ----------------------------------------------------------------

CREATE FUNCTION @extschema@.revenue_slices(during daterange, grain text DEFAULT 'month', fy_start int DEFAULT 1)
    RETURNS TABLE (flow_id bigint, slice_start date, slice_end date, label text, currency char(3),
                   gross numeric, share numeric, net numeric)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    win daterange := @extschema@.report_window(during, grain, fy_start);
BEGIN
    RETURN QUERY
    SELECT f.id, c.slice_start, c.slice_end, c.label, c.currency, c.gross, c.share, c.net
    FROM @extschema@.revenue_flow f
    CROSS JOIN LATERAL unnest(@extschema@.revenue_split(f.seller, f.product, f.channel, f.amount,
                                                        f.currency, f.period, $2, $3, NULL)) c
    WHERE f.period && win
      AND daterange(c.slice_start, c.slice_end, '[]') && $1
    ORDER BY f.id, c.slice_start;
END $$;
COMMENT ON FUNCTION @extschema@.revenue_slices(daterange, text, int) IS
    'one row per flow and slice overlapping during (slices whole): gross, the revenue share the flow''s seller owes under every revenue_share clause (per holder: exact total rounded once, half to even), net';

-- The whole table is one aggregate: revenue_provider_agg keeps the figures
-- apart per (seller, channel provider, currency) itself and skips the flows
-- outside the window, so the scan has no filter, the executor hashes no key
-- per row and calls no function to find the provider (a GROUP BY seller,
-- provider(channel), currency cost 0.3 us a flow, about the whole floor).
-- The few resulting (seller, provider, currency, slice) cells are joined to
-- the providers' owners and added up per owner (the per-slice figures are
-- exact decimals: adding them is exact).  Memory: cells, never rows.
CREATE FUNCTION @extschema@.revenue_report(during daterange, grain text DEFAULT 'month', fy_start int DEFAULT 1,
                                           report_currency char(3) DEFAULT NULL)
    RETURNS TABLE (slice_start date, slice_end date, label text, seller text, channel_owner text,
                   currency char(3), gross numeric, share numeric, net numeric)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    win daterange := @extschema@.report_window(during, grain, fy_start);
BEGIN
    PERFORM @extschema@.minor_unit(report_currency);    -- 22023 on a malformed code
    RETURN QUERY
    SELECT c.slice_start, c.slice_end, c.label, c.party, p.owner, c.currency,
           sum(c.gross), sum(c.share), sum(c.net)
    -- report_currency: each flow in the window converted once (src/fx.sql);
    -- a NULL amount (flows outside it, left unconverted) is skipped
    FROM (SELECT @extschema@.revenue_provider_agg(f.seller, f.product, f.channel,
                     CASE WHEN report_currency IS NULL THEN f.amount
                          WHEN f.period && win THEN @extschema@.fx_convert(f.amount, f.currency, lower(f.period), report_currency) END,
                     coalesce(report_currency, f.currency), f.period, $2, $3, win) AS cells
          FROM @extschema@.revenue_flow f) g
    CROSS JOIN LATERAL unnest(g.cells) c
    LEFT JOIN @extschema@.provider p ON p.provider = c.provider
    WHERE daterange(c.slice_start, c.slice_end, '[]') && $1
    GROUP BY c.slice_start, c.slice_end, c.label, c.party, p.owner, c.currency
    ORDER BY c.slice_start, c.party, p.owner NULLS LAST, c.currency;
END $$;
COMMENT ON FUNCTION @extschema@.revenue_report(daterange, text, int, char(3)) IS
    'revenue per slice overlapping during (slices whole), seller, channel owner (owner of the channel''s provider, NULL when not catalogued) and currency: gross, revenue share owed, net; equals the grouped sum of revenue_slices exactly; with report_currency, every flow is first converted to it (fx_convert at the first day of its period) and all rows are in it';

-- share_report: revenue_report's share kept apart per holder.  Each flow is
-- split once per holder of its seller's revenue_share clauses
-- (revenue_holder_agg: the same per-(flow, holder) rounding revenue_report
-- adds up), so per (slice, seller, currency) the holders' shares sum to
-- revenue_report's share exactly.  A flow counts for a holder (its gross in
-- the holder's rows) when it owes the holder a nonzero share.
CREATE TYPE @extschema@.holder_share AS (
    slice_start date,
    slice_end   date,
    label       text,
    seller      text,
    holder      text,
    currency    char(3),
    gross       numeric,
    share       numeric
);
COMMENT ON TYPE @extschema@.holder_share IS
    'one row of share_report: the revenue share a seller owes one holder in one slice and currency';
COMMENT ON COLUMN @extschema@.holder_share.slice_start IS 'first day of the slice';
COMMENT ON COLUMN @extschema@.holder_share.slice_end IS 'last day of the slice (inclusive)';
COMMENT ON COLUMN @extschema@.holder_share.label IS 'slice label, e.g. 2026-05, 2026-Q2, FY2027-Q1';
COMMENT ON COLUMN @extschema@.holder_share.seller IS 'the seller, grantor of the revenue_share clauses';
COMMENT ON COLUMN @extschema@.holder_share.holder IS 'the holder the share is owed to';
COMMENT ON COLUMN @extschema@.holder_share.currency IS 'currency of the amounts';
COMMENT ON COLUMN @extschema@.holder_share.gross IS 'revenue earned in the slice on the seller''s flows that owe the holder a nonzero share';
COMMENT ON COLUMN @extschema@.holder_share.share IS 'revenue share owed to the holder in the slice';

CREATE FUNCTION @extschema@.share_report(during daterange, grain text DEFAULT 'month', fy_start int DEFAULT 1,
                                         holder text DEFAULT NULL)
    RETURNS SETOF @extschema@.holder_share
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    win daterange := @extschema@.report_window(during, grain, fy_start);
BEGIN
    IF holder IS NOT NULL THEN
        PERFORM @extschema@.require_party(holder, 'holder');
    END IF;
    -- One aggregate per seller owing a share (to holder, when given): the
    -- cells are the report's rows already.
    RETURN QUERY
    SELECT c.slice_start, c.slice_end, c.label, g.seller, c.party, c.currency, c.gross, c.share
    FROM (SELECT f.seller,
                 @extschema@.revenue_holder_agg(f.seller, f.product, f.channel, f.amount, f.currency,
                                                f.period, $2, $3, win, $4) AS cells
          FROM @extschema@.revenue_flow f
          WHERE f.seller IN (SELECT c.grantor FROM @extschema@.clause c
                             WHERE c.kind = 'revenue_share' AND ($4 IS NULL OR c.holder = $4))
          GROUP BY f.seller) g
    CROSS JOIN LATERAL unnest(g.cells) c
    WHERE daterange(c.slice_start, c.slice_end, '[]') && $1 AND (c.gross <> 0 OR c.share <> 0)
    ORDER BY c.slice_start, g.seller, c.party, c.currency;
END $$;
COMMENT ON FUNCTION @extschema@.share_report(daterange, text, int, text) IS
    'revenue share per slice overlapping during (slices whole), seller, holder (only holder when it is not NULL) and currency: the share the seller owes the holder under its revenue_share clauses (each (flow, holder) rounded once, as revenue_report), and the gross of the seller''s flows that owe the holder a nonzero share; per (slice, seller, currency) the holders'' shares sum to revenue_report''s share; rows whose gross and share are both zero are left out';
