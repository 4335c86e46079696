
-- exposure: money to and from each counterparty, concentration by cloud,
-- partner commitments (doc/design.md, "Reports"; built on exposure_agg and
-- prorate_within in src/revenue_*.c)

CREATE FUNCTION @extschema@.exposure(party text, during daterange, grain text DEFAULT 'quarter', fy_start int DEFAULT 1,
                                     report_currency char(3) DEFAULT NULL)
    RETURNS TABLE (slice_start date, slice_end date, label text, counterparty text, currency char(3),
                   revenue_via numeric, share_payable numeric, share_receivable numeric, spend numeric)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    win daterange := @extschema@.report_window(during, grain, fy_start);
BEGIN
    PERFORM @extschema@.require_party(party);
    PERFORM @extschema@.minor_unit(report_currency);    -- 22023 on a malformed code
    -- One scan reads exactly the flows that involve the party (as seller,
    -- as buyer, or as holder of the seller's revenue_share clauses);
    -- exposure_agg splits each once per figure it carries.  report_currency:
    -- each flow in the window converted once (src/fx.sql); a NULL amount
    -- (flows outside it, left unconverted) is skipped.
    RETURN QUERY
    WITH cells AS (
        SELECT c.*
        FROM unnest((SELECT @extschema@.exposure_agg($1, f.seller, f.buyer, f.product, f.channel,
                                CASE WHEN report_currency IS NULL THEN f.amount
                                     WHEN f.period && win THEN @extschema@.fx_convert(f.amount, f.currency, lower(f.period), report_currency) END,
                                coalesce(report_currency, f.currency), f.period, $3, $4, win)
                     FROM @extschema@.revenue_flow f
                     WHERE f.seller = $1 OR f.buyer = $1
                        OR f.seller IN (SELECT c.grantor FROM @extschema@.clause c
                                        WHERE c.kind = 'revenue_share' AND c.holder = $1))) c
        WHERE daterange(c.slice_start, c.slice_end, '[]') && $2),
    parts AS (
        -- revenue through a cloud counts for the cloud's owner, never the party itself
        SELECT CASE WHEN c.kind = 1 THEN p.owner ELSE c.party END AS cp, c.*
        FROM cells c LEFT JOIN @extschema@.provider p ON c.kind = 1 AND p.provider = c.provider
        WHERE c.kind <> 1 OR p.owner <> $1)
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
COMMENT ON FUNCTION @extschema@.exposure(text, daterange, text, int, char(3)) IS
    'per slice overlapping during (slices whole), counterparty and currency: the party''s revenue earned through the counterparty''s clouds, revenue share it owes the counterparty, revenue share the counterparty owes it, and what it spent with the counterparty; a party is never its own counterparty; rows whose four figures are all zero are left out; with report_currency, every flow is first converted to it (fx_convert at the first day of its period) and all rows are in it';

CREATE FUNCTION @extschema@.concentration(party text, during daterange, report_currency char(3) DEFAULT NULL)
    RETURNS TABLE (currency char(3), hhi numeric, top_counterparty text, top_share numeric, level text)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
BEGIN
    PERFORM @extschema@.require_party(party);
    IF during IS NULL OR isempty(during) THEN
        RAISE EXCEPTION 'invalid during "%"', coalesce(during::text, 'NULL') USING ERRCODE = '22023',
            DETAIL = 'Argument "during" must contain at least one day; use ''(,)'' for all time.';
    END IF;
    PERFORM @extschema@.minor_unit(report_currency);    -- 22023 on a malformed code
    RETURN QUERY
    WITH rev AS (
        -- report_currency: each flow converted once (src/fx.sql), then prorated
        SELECT coalesce(report_currency, f.currency) AS currency, coalesce(p.owner, @extschema@.provider(f.channel)) AS owner,
               sum(@extschema@.prorate_within(
                       CASE WHEN report_currency IS NULL THEN f.amount
                            ELSE @extschema@.fx_convert(f.amount, f.currency, lower(f.period), report_currency) END,
                       f.period, coalesce(report_currency, f.currency), $2)) AS amount
        FROM @extschema@.revenue_flow f
        LEFT JOIN @extschema@.provider p ON p.provider = @extschema@.provider(f.channel)
        WHERE f.seller = $1 AND f.period && $2
        GROUP BY 1, 2),
    pos AS (SELECT * FROM rev WHERE rev.amount > 0),
    tot AS (SELECT pos.currency, sum(pos.amount) AS total, sum(pos.amount * pos.amount) AS sq
            FROM pos GROUP BY pos.currency),
    top AS (SELECT DISTINCT ON (pos.currency) pos.currency, pos.owner, pos.amount
            FROM pos ORDER BY pos.currency, pos.amount DESC, pos.owner COLLATE "C")
    SELECT tot.currency,
           round(10000 * tot.sq / (tot.total * tot.total), 2),
           top.owner,
           round(top.amount / tot.total, 4),
           CASE WHEN 10000 * tot.sq > 1800 * tot.total * tot.total THEN 'high'
                WHEN 10000 * tot.sq >= 1000 * tot.total * tot.total THEN 'moderate'
                ELSE 'unconcentrated' END
    FROM tot JOIN top USING (currency)
    ORDER BY tot.currency;
END $$;
COMMENT ON FUNCTION @extschema@.concentration(text, daterange, char(3)) IS
    'per currency (one row in report_currency when it is given: every flow first converted to it by fx_convert at the first day of its period): Herfindahl-Hirschman index (0-10000, rounded to 2 decimals) over the owners of the channels through which party earned revenue on the days inside during (flows prorated exactly at during''s bounds; a provider not in the catalog counts as its own owner; owners with no positive revenue take no part), the largest owner, its share (fraction, 4 decimals) and the level: high above 1800, moderate 1000-1800, unconcentrated below 1000';

CREATE FUNCTION @extschema@.partner_status(party text, on_date date DEFAULT current_date,
                                           report_currency char(3) DEFAULT NULL)
    RETURNS TABLE (clause_id text, kind text, holder text, currency char(3), valid daterange,
                   committed numeric, consumed numeric, remaining numeric,
                   days_elapsed int, days_left int, required_daily numeric, actual_daily numeric,
                   partner_share numeric, min_share numeric, below_min_share boolean)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
BEGIN
    PERFORM @extschema@.require_party(party);
    IF on_date IS NULL OR NOT isfinite(on_date) THEN
        RAISE EXCEPTION 'invalid on_date "%"', coalesce(on_date::text, 'NULL') USING ERRCODE = '22023',
            DETAIL = 'Argument "on_date" must be a finite date.';
    END IF;
    PERFORM @extschema@.minor_unit(report_currency);    -- 22023 on a malformed code
    -- report_currency: a commitment's amount is converted at the rate of its
    -- first day, each flow at the rate of its period's first day (src/fx.sql),
    -- and the spend in every currency counts, converted (not only the flows
    -- in the clause's currency)
    RETURN QUERY
    WITH cl AS (
        SELECT c.id, c.kind, c.holder, c.currency, c.valid, c.amount, c.min_share,
               c.valid * daterange(NULL, $2 + 1) AS todate,
               CASE WHEN upper_inf(c.valid) THEN NULL
                    ELSE greatest(upper(c.valid) - greatest($2 + 1, lower(c.valid)), 0) END AS left_days
        FROM @extschema@.clause c
        WHERE c.grantor = $1 AND c.kind IN ('commitment', 'primary_partner')),
    elapsed AS (
        SELECT cl.*, CASE WHEN isempty(cl.todate) THEN 0
                          WHEN lower_inf(cl.todate) THEN NULL
                          ELSE upper(cl.todate) - lower(cl.todate) END AS elapsed_days
        FROM cl),
    commitments AS (
        SELECT e.id, e.kind::text, e.holder, coalesce(report_currency, e.currency) AS currency, e.valid,
               @extschema@.fx_convert(e.amount, e.currency, lower(e.valid), report_currency) AS committed,
               coalesce((SELECT sum(@extschema@.prorate_within(
                                        CASE WHEN report_currency IS NULL THEN f.amount
                                             ELSE @extschema@.fx_convert(f.amount, f.currency, lower(f.period), report_currency) END,
                                        f.period, coalesce(report_currency, f.currency), e.todate))
                         FROM @extschema@.revenue_flow f
                         WHERE f.buyer = $1 AND f.seller = e.holder
                           AND (report_currency IS NOT NULL OR f.currency = e.currency)
                           AND f.period && e.todate), 0) AS consumed,
               e.elapsed_days, e.left_days
        FROM elapsed e WHERE e.kind = 'commitment'),
    spend AS (                    -- cloud spend per primary_partner clause and currency
        SELECT x.id, x.currency, sum(x.part) FILTER (WHERE x.with_holder) AS with_holder, sum(x.part) AS total
        FROM (SELECT e.id, coalesce(report_currency, f.currency) AS currency, f.seller = e.holder AS with_holder,
                     @extschema@.prorate_within(
                         CASE WHEN report_currency IS NULL THEN f.amount
                              ELSE @extschema@.fx_convert(f.amount, f.currency, lower(f.period), report_currency) END,
                         f.period, coalesce(report_currency, f.currency), e.todate) AS part
              FROM elapsed e
              JOIN @extschema@.revenue_flow f
                ON f.buyer = $1 AND f.period && e.todate
               AND f.seller IN (SELECT p.owner FROM @extschema@.provider p WHERE p.owner <> $1)
              WHERE e.kind = 'primary_partner') x
        GROUP BY x.id, x.currency)
    SELECT m.id, m.kind, m.holder, m.currency, m.valid, m.committed, m.consumed,
           round(greatest(m.committed - m.consumed, 0), @extschema@.minor_unit(m.currency)),
           m.elapsed_days, m.left_days,
           CASE WHEN m.left_days > 0 THEN round(greatest(m.committed - m.consumed, 0) / m.left_days,
                                                @extschema@.minor_unit(m.currency)) END,
           CASE WHEN m.elapsed_days > 0 THEN round(m.consumed / m.elapsed_days,
                                                   @extschema@.minor_unit(m.currency)) END,
           NULL::numeric, NULL::numeric, NULL::boolean
    FROM commitments m
    UNION ALL
    SELECT e.id, e.kind::text, e.holder, s.currency, e.valid, NULL, coalesce(s.with_holder, 0), NULL,
           e.elapsed_days, e.left_days, NULL, NULL,
           CASE WHEN s.total > 0 THEN round(coalesce(s.with_holder, 0) / s.total, 4) END,
           e.min_share,
           CASE WHEN s.total > 0 THEN coalesce(s.with_holder, 0) < e.min_share * s.total END
    FROM elapsed e LEFT JOIN spend s ON s.id = e.id
    WHERE e.kind = 'primary_partner'
    ORDER BY 1, 4;
END $$;
COMMENT ON FUNCTION @extschema@.partner_status(text, date, char(3)) IS
    'per commitment and primary_partner clause of party (as grantor) on on_date: committed, consumed to date (spend flows prorated exactly up to on_date inclusive), remaining, days elapsed and left, required vs actual daily run-rate; for primary_partner, per currency, the holder''s share of party''s cloud spend to date and whether it is below min_share; with report_currency, all in it: the committed amount converted at the clause''s first day, spend in every currency converted per flow at its period''s first day';
