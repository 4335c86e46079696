
-- exposure: money to and from each counterparty, concentration by cloud,
-- partner commitments (doc/design.md, "Reports"; managed edition of src/exposure.sql)
--
-- exposure() is one set-based query over report_cells (managed/src/revenue.sql)
-- restricted to the flows that involve the party; concentration() and
-- partner_status() are the C edition's queries with prorate_within done in
-- plain SQL (within_minor, inlined) instead of a call per flow.
--
-- Differences from the C edition: none in results.

-- The inside part of a flow of q n + r minor units over n days split by
-- largest remainder (ties to the earliest) into its db days before a range,
-- di inside and da after.  Plain SQL, inlined; r < n < 2^31, so int8 is exact.
CREATE FUNCTION @extschema@.within_rank(q numeric, r int8, n int8, db int8, di int8, da int8) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN q OPERATOR(pg_catalog.*) di OPERATOR(pg_catalog.+) (r OPERATOR(pg_catalog.*) di OPERATOR(pg_catalog./) n)
           OPERATOR(pg_catalog.+)
           CASE WHEN (1 OPERATOR(pg_catalog.+)
                      CASE WHEN db OPERATOR(pg_catalog.>) 0
                                AND (r OPERATOR(pg_catalog.*) db OPERATOR(pg_catalog.%) n) OPERATOR(pg_catalog.>=)
                                    (r OPERATOR(pg_catalog.*) di OPERATOR(pg_catalog.%) n) THEN 1 ELSE 0 END
                      OPERATOR(pg_catalog.+)
                      CASE WHEN da OPERATOR(pg_catalog.>) 0
                                AND (r OPERATOR(pg_catalog.*) da OPERATOR(pg_catalog.%) n) OPERATOR(pg_catalog.>)
                                    (r OPERATOR(pg_catalog.*) di OPERATOR(pg_catalog.%) n) THEN 1 ELSE 0 END)
                     OPERATOR(pg_catalog.<=)
                     (r OPERATOR(pg_catalog.-) (r OPERATOR(pg_catalog.*) db OPERATOR(pg_catalog./) n)
                        OPERATOR(pg_catalog.-) (r OPERATOR(pg_catalog.*) di OPERATOR(pg_catalog./) n)
                        OPERATOR(pg_catalog.-) (r OPERATOR(pg_catalog.*) da OPERATOR(pg_catalog./) n))
                THEN 1 ELSE 0 END;
COMMENT ON FUNCTION @extschema@.within_rank(numeric, int8, int8, int8, int8, int8) IS
    'internal: the inside part (minor units) of an amount q n + r split by largest remainder over db, di, da days';

-- The same from a signed amount in minor units and the cut days c1 <= c2
-- inside [lo, hi].
CREATE FUNCTION @extschema@.within_cut(a numeric, lo date, hi date, c1 date, c2 date) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN c1 OPERATOR(pg_catalog.>=) c2 THEN 0::numeric
                ELSE pg_catalog.sign(a) OPERATOR(pg_catalog.*)
                     @extschema@.within_rank(pg_catalog.div(pg_catalog.abs(a), (hi OPERATOR(pg_catalog.-) lo)::numeric),
                                             pg_catalog.mod(pg_catalog.abs(a), (hi OPERATOR(pg_catalog.-) lo)::numeric)::int8,
                                             hi OPERATOR(pg_catalog.-) lo, c1 OPERATOR(pg_catalog.-) lo,
                                             c2 OPERATOR(pg_catalog.-) c1, hi OPERATOR(pg_catalog.-) c2) END;
COMMENT ON FUNCTION @extschema@.within_cut(numeric, date, date, date, date) IS
    'internal: the part (signed minor units) of a over the days [lo, hi) that falls in [c1, c2)';

-- Where during cuts [lo, hi): its lower bound clamped to [lo, hi] (an
-- infinite bound does not cut), and its upper bound clamped to [c1, hi].
CREATE FUNCTION @extschema@.cut_lo(lo date, hi date, during daterange) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN pg_catalog.lower_inf(during) OR pg_catalog.lower(during) OPERATOR(pg_catalog.=) '-infinity'::date THEN lo
                ELSE LEAST(GREATEST(pg_catalog.lower(during), lo), hi) END;
COMMENT ON FUNCTION @extschema@.cut_lo(date, date, daterange) IS
    'internal: where a range''s lower bound cuts the days [lo, hi)';

CREATE FUNCTION @extschema@.cut_hi(lo date, hi date, during daterange, c1 date) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN pg_catalog.upper_inf(during) OR pg_catalog.upper(during) OPERATOR(pg_catalog.=) 'infinity'::date THEN hi
                ELSE GREATEST(LEAST(pg_catalog.upper(during), hi), c1) END;
COMMENT ON FUNCTION @extschema@.cut_hi(date, date, daterange, date) IS
    'internal: where a range''s upper bound cuts the days [lo, hi), never before c1';

-- The part (signed minor units) of a over the days [lo, hi) inside during
-- (not empty), for rows of revenue_flow (valid by its constraints).
CREATE FUNCTION @extschema@.within_minor(a numeric, lo date, hi date, during daterange) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN @extschema@.within_cut(a, lo, hi, @extschema@.cut_lo(lo, hi, during),
                                  @extschema@.cut_hi(lo, hi, during, @extschema@.cut_lo(lo, hi, during)));
COMMENT ON FUNCTION @extschema@.within_minor(numeric, date, date, daterange) IS
    'internal: prorate_within in minor units, arguments unchecked';

-- The same in currency units for a row of revenue_flow.
CREATE FUNCTION @extschema@.flow_within(amount numeric, period daterange, currency char(3), during daterange) RETURNS numeric
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN pg_catalog.round(
        @extschema@.within_minor(amount OPERATOR(pg_catalog.*) @extschema@.minor_scale(@extschema@.currency_scale(currency::text)),
                                 pg_catalog.lower(period), pg_catalog.upper(period), during)
        OPERATOR(pg_catalog.*) @extschema@.minor_factor(@extschema@.currency_scale(currency::text)),
        @extschema@.currency_scale(currency::text));
COMMENT ON FUNCTION @extschema@.flow_within(numeric, daterange, char(3), daterange) IS
    'internal: prorate_within for a row of revenue_flow (valid by its constraints; during not empty), inlined';

CREATE FUNCTION @extschema@.prorate_within(amount numeric, period daterange, currency char(3), during daterange)
    RETURNS numeric
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    mu int := @extschema@.minor_unit(currency);
    a numeric := @extschema@.to_minor(amount, currency::text, mu);
BEGIN
    PERFORM @extschema@.check_period(period);
    IF isempty(during) THEN
        RETURN round(0::numeric, mu);
    END IF;
    RETURN round(@extschema@.within_minor(a, lower(period), upper(period), during) * @extschema@.minor_factor(mu), mu);
END $$;
COMMENT ON FUNCTION @extschema@.prorate_within(numeric, daterange, char(3), daterange) IS
    'the part of an amount earned evenly over period that falls on the days inside during: the flow is split exactly at during''s bounds by largest remainder (ties to the earliest part), so the parts before, inside and after sum to the amount';

CREATE FUNCTION @extschema@.exposure(party text, during daterange, grain text DEFAULT 'quarter', fy_start int DEFAULT 1,
                                     report_currency char(3) DEFAULT NULL)
    RETURNS TABLE (slice_start date, slice_end date, label text, counterparty text, currency char(3),
                   revenue_via numeric, share_payable numeric, share_receivable numeric, spend numeric)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    -- see revenue_report for why these settings
    SET search_path = pg_catalog, pg_temp SET jit = off SET enable_nestloop = off SET enable_mergejoin = off
    SET work_mem = '256MB' AS $$
#variable_conflict use_column
DECLARE
    win daterange := @extschema@.report_window(during, grain, fy_start);
    wi0 int := CASE WHEN lower_inf(win) THEN -2147483648 ELSE @extschema@.slice_index(lower(win), grain, fy_start) END;
    wi1 int := CASE WHEN upper_inf(win) THEN 2147483647 ELSE @extschema@.slice_index(upper(win) - 1, grain, fy_start) END;
BEGIN
    PERFORM @extschema@.require_party(party);
    PERFORM @extschema@.minor_unit(report_currency);    -- 22023 on a malformed code
    -- The cells of the C edition's exposure_agg: 1 revenue per provider,
    -- 2 share owed per holder, 3 share owed to the party per seller, 4 spend
    -- per seller; a row is kept when one of its cells is not zero.
    RETURN QUERY
    WITH parts AS (
        SELECT * FROM @extschema@.report_cells(win, $3, $4, wi0, wi1, $1, report_currency) p),
    cells AS (
        SELECT 1 AS kind, @extschema@.provider(p.channel) AS key, p.currency, p.si, sum(p.gross) AS v
        FROM parts p WHERE p.holder IS NULL AND p.seller = $1
        GROUP BY 2, p.currency, p.si
        UNION ALL
        SELECT 4, p.seller, p.currency, p.si, sum(p.gross)
        FROM parts p WHERE p.holder IS NULL AND p.seller <> $1 AND p.party_buys
        GROUP BY p.seller, p.currency, p.si
        UNION ALL
        SELECT 2, p.holder, p.currency, p.si, sum(p.share)
        FROM parts p WHERE p.holder IS NOT NULL AND p.seller = $1 AND p.holder <> $1
        GROUP BY p.holder, p.currency, p.si
        UNION ALL
        SELECT 3, p.seller, p.currency, p.si, sum(p.share)
        FROM parts p WHERE p.holder IS NOT NULL AND p.seller <> $1 AND p.holder = $1
        GROUP BY p.seller, p.currency, p.si),
    named AS (
        -- revenue through a cloud counts for the cloud's owner, never the party itself
        SELECT CASE WHEN c.kind = 1 THEN o.owner ELSE c.key END AS cp, c.*
        FROM cells c LEFT JOIN @extschema@.provider o ON c.kind = 1 AND o.provider = c.key
        WHERE c.kind <> 1 OR o.owner <> $1),
    rows AS (
        SELECT n.si, n.cp, n.currency,
               coalesce(sum(n.v) FILTER (WHERE n.kind = 1), 0) AS via,
               coalesce(sum(n.v) FILTER (WHERE n.kind = 2), 0) AS pay,
               coalesce(sum(n.v) FILTER (WHERE n.kind = 3), 0) AS rec,
               coalesce(sum(n.v) FILTER (WHERE n.kind = 4), 0) AS spend
        FROM named n
        GROUP BY n.si, n.cp, n.currency
        HAVING bool_or(n.v <> 0))
    SELECT x.s0, @extschema@.index_end(r.si, $3, $4), @extschema@.slice_label(x.s0, $3, $4), r.cp, r.currency,
           round(r.via * f, mu), round(r.pay * f, mu), round(r.rec * f, mu), round(r.spend * f, mu)
    FROM rows r
    CROSS JOIN LATERAL (SELECT @extschema@.index_start(r.si, $3, $4) AS s0) x
    CROSS JOIN LATERAL (SELECT @extschema@.currency_scale(r.currency::text) AS mu) m
    CROSS JOIN LATERAL (SELECT @extschema@.minor_factor(m.mu) AS f) y
    ORDER BY r.si, r.cp, r.currency;
END $$;
COMMENT ON FUNCTION @extschema@.exposure(text, daterange, text, int, char(3)) IS
    'per slice overlapping during (slices whole), counterparty and currency: the party''s revenue earned through the counterparty''s clouds, revenue share it owes the counterparty, revenue share the counterparty owes it, and what it spent with the counterparty; a party is never its own counterparty; rows whose four figures are all zero are left out; with report_currency, every flow is first converted to it (fx_convert at the first day of its period) and all rows are in it';

CREATE FUNCTION @extschema@.concentration(party text, during daterange, report_currency char(3) DEFAULT NULL)
    RETURNS TABLE (currency char(3), hhi numeric, top_counterparty text, top_share numeric, level text)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp SET jit = off AS $$
#variable_conflict use_column
BEGIN
    PERFORM @extschema@.require_party(party);
    IF during IS NULL OR isempty(during) THEN
        RAISE EXCEPTION 'invalid during "%"', coalesce(during::text, 'NULL') USING ERRCODE = '22023',
            DETAIL = 'Argument "during" must contain at least one day; use ''(,)'' for all time.';
    END IF;
    PERFORM @extschema@.minor_unit(report_currency);    -- 22023 on a malformed code
    RETURN QUERY
    WITH byc AS (
        -- report_currency: each flow converted once (src/fx.sql), then prorated
        SELECT coalesce(report_currency, f.currency) AS currency, f.channel,
               sum(CASE WHEN report_currency IS NULL THEN @extschema@.flow_within(f.amount, f.period, f.currency, $2)
                        ELSE @extschema@.flow_within(
                                 @extschema@.fx_convert(f.amount, f.currency, lower(f.period), report_currency),
                                 f.period, report_currency, $2) END) AS amount
        FROM @extschema@.revenue_flow f
        WHERE f.seller = $1 AND f.period && $2
        GROUP BY 1, 2),
    rev AS (
        SELECT b.currency, coalesce(p.owner, @extschema@.provider(b.channel)) AS owner, sum(b.amount) AS amount
        FROM byc b
        LEFT JOIN @extschema@.provider p ON p.provider = @extschema@.provider(b.channel)
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
    SET search_path = pg_catalog, pg_temp SET jit = off AS $$
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
               coalesce((SELECT sum(CASE WHEN isempty(e.todate)
                                         THEN round(0::numeric, @extschema@.currency_scale(coalesce(report_currency, f.currency)::text))
                                         WHEN report_currency IS NULL
                                         THEN @extschema@.flow_within(f.amount, f.period, f.currency, e.todate)
                                         ELSE @extschema@.flow_within(
                                                  @extschema@.fx_convert(f.amount, f.currency, lower(f.period), report_currency),
                                                  f.period, report_currency, e.todate) END)
                         FROM @extschema@.revenue_flow f
                         WHERE f.buyer = $1 AND f.seller = e.holder
                           AND (report_currency IS NOT NULL OR f.currency = e.currency)
                           AND f.period && e.todate), 0) AS consumed,
               e.elapsed_days, e.left_days
        FROM elapsed e WHERE e.kind = 'commitment'),
    spend AS (                    -- cloud spend per primary_partner clause and currency
        SELECT x.id, x.currency, sum(x.part) FILTER (WHERE x.with_holder) AS with_holder, sum(x.part) AS total
        FROM (SELECT e.id, coalesce(report_currency, f.currency) AS currency, f.seller = e.holder AS with_holder,
                     CASE WHEN report_currency IS NULL THEN @extschema@.flow_within(f.amount, f.period, f.currency, e.todate)
                          ELSE @extschema@.flow_within(
                                   @extschema@.fx_convert(f.amount, f.currency, lower(f.period), report_currency),
                                   f.period, report_currency, e.todate) END AS part
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
