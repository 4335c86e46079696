
-- load_focus: cloud bills in the FinOps FOCUS format (FOCUS 1.x) become
-- spend flows (doc/reference.md, "load_focus").  PL/pgSQL with dynamic SQL
-- over the user's staging table or view, shared by both editions.
--
-- One FOCUS row is a charge: ProviderName, RegionId, ServiceName,
-- BillingCurrency, ChargePeriodStart (inclusive) and ChargePeriodEnd
-- (exclusive), UTC timestamps, and a cost column (BilledCost by default,
-- EffectiveCost to amortise commitment purchases over the usage they
-- cover).  The rows are summed per (provider, region, service, currency,
-- days) and each sum becomes one revenue_flow row: seller = the
-- provider's owner, buyer = the given party, channel = provider/region,
-- product = provider/service, period = the days the charges touch, and
-- amount = the sum in the currency's minor units: per seller and currency
-- the flows add up to the cost column's total rounded half to even, each
-- flow within one minor unit of its exact sum (largest remainder).  Every
-- row is checked first: one bad row is an error naming it and nothing is
-- written.

CREATE FUNCTION @extschema@.load_focus(source regclass, buyer text, cost_column text DEFAULT 'BilledCost',
                                       provider_map jsonb DEFAULT NULL, replace boolean DEFAULT false)
    RETURNS bigint
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp SET TimeZone = 'UTC' AS $$
DECLARE
    -- FOCUS names (ServiceProviderName of FOCUS 1.2 is not read: ProviderName
    -- is still in 1.2, deprecated) and the common spellings of the shipped
    -- providers; keys are matched lower-cased and trimmed
    aliases jsonb := '{"azure": "azure", "microsoft": "azure", "microsoft azure": "azure",
                       "aws": "aws", "amazon": "aws", "amazon web services": "aws",
                       "google cloud": "gcp", "google": "gcp", "google cloud platform": "gcp", "gcp": "gcp",
                       "oracle": "oci", "oracle cloud": "oci", "oracle cloud infrastructure": "oci", "oci": "oci"}';
    wanted text[];
    cols text[] := '{}';
    col text;
    hits text[];
    t0 text;
    t1 text;
    res record;
    clash record;
    inserted bigint;
BEGIN
    IF source IS NULL THEN
        RAISE EXCEPTION 'invalid source NULL' USING ERRCODE = '22023',
            DETAIL = 'Argument "source" must name a table or view holding a FOCUS export.';
    END IF;
    PERFORM @extschema@.require_party(buyer, 'buyer');
    IF cost_column IS NULL THEN
        RAISE EXCEPTION 'invalid cost_column NULL' USING ERRCODE = '22023',
            DETAIL = 'Argument "cost_column" must name the cost column to load, e.g. BilledCost or EffectiveCost.';
    END IF;
    IF replace IS NULL THEN
        RAISE EXCEPTION 'invalid replace NULL' USING ERRCODE = '22023',
            DETAIL = 'Argument "replace" must be true or false.';
    END IF;
    -- provider_map: {"FOCUS ProviderName": "catalogued provider", ...}, ahead of the built-in names
    IF provider_map IS NOT NULL THEN
        IF jsonb_typeof(provider_map) <> 'object' THEN
            RAISE EXCEPTION 'invalid provider_map %', provider_map USING ERRCODE = '22023',
                DETAIL = 'Argument "provider_map" must be a JSON object mapping ProviderName values to providers, e.g. {"Microsoft": "azure"}.';
        END IF;
        SELECT m.key, m.value INTO res
        FROM jsonb_each(provider_map) AS m
        WHERE jsonb_typeof(m.value) <> 'string'
           OR NOT EXISTS (SELECT 1 FROM @extschema@.provider p WHERE p.provider = m.value #>> '{}')
        ORDER BY m.key COLLATE "C" LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION 'invalid provider_map: "%" maps to %, which is not a provider', res.key, res.value
                USING ERRCODE = '22023',
                DETAIL = 'Every value of "provider_map" must name a row of table dealscope.provider, e.g. azure.';
        END IF;
        aliases := aliases || (SELECT jsonb_object_agg(lower(btrim(m.key)), m.value) FROM jsonb_each(provider_map) AS m);
    END IF;
    -- the columns, by their FOCUS names; a table created without quoting
    -- them (providername) is found too, when the match is unique
    wanted := ARRAY['ProviderName', 'RegionId', 'ServiceName', 'BillingCurrency',
                    'ChargePeriodStart', 'ChargePeriodEnd', cost_column];
    FOREACH col IN ARRAY wanted LOOP
        SELECT array_agg(a.attname::text ORDER BY a.attname::text = col DESC) INTO hits
        FROM pg_attribute a
        WHERE a.attrelid = source AND a.attnum > 0 AND NOT a.attisdropped
          AND (a.attname::text = col OR lower(a.attname::text) = lower(col));
        IF hits[1] <> col AND cardinality(hits) > 1 THEN
            RAISE EXCEPTION 'column "%" of relation % is ambiguous', col, source USING ERRCODE = '42702',
                DETAIL = format('No column is named exactly %s, and %s columns match it ignoring case: %s.',
                                col, cardinality(hits), array_to_string(hits, ', '));
        END IF;
        IF hits IS NULL THEN
            RAISE EXCEPTION 'column "%" of relation % does not exist', col, source USING ERRCODE = '42703',
                DETAIL = format('load_focus reads the FOCUS columns ProviderName, RegionId, ServiceName, BillingCurrency, ChargePeriodStart, ChargePeriodEnd and the cost column (here %s).', cost_column);
        END IF;
        cols := cols || hits[1];
    END LOOP;
    -- FOCUS timestamps are UTC: a timestamp (or date) column is read as
    -- UTC, a timestamptz one is converted to UTC, a text one is parsed with
    -- TimeZone UTC (the function's setting): the days never depend on the
    -- session's TimeZone
    SELECT CASE WHEN a.atttypid IN ('timestamp'::regtype, 'date'::regtype)
                THEN format('s.%I::timestamp', a.attname)
                ELSE format('(s.%I::timestamptz AT TIME ZONE ''UTC'')', a.attname) END
    INTO t0 FROM pg_attribute a WHERE a.attrelid = source AND a.attname = cols[5];
    SELECT CASE WHEN a.atttypid IN ('timestamp'::regtype, 'date'::regtype)
                THEN format('s.%I::timestamp', a.attname)
                ELSE format('(s.%I::timestamptz AT TIME ZONE ''UTC'')', a.attname) END
    INTO t1 FROM pg_attribute a WHERE a.attrelid = source AND a.attname = cols[6];

    -- one scan: the first bad row (and how many there are) and the flows;
    -- $2 holds the column names as the source spells them, for the messages
    EXECUTE format($q$
        WITH src AS (
            SELECT s.%1$I::text AS pname, s.%2$I::text AS rname, s.%3$I::text AS sname,
                   s.%4$I::text AS cur, %5$s AS t0, %6$s AS t1, s.%7$I::numeric AS cost,
                   format('%%s=%%s, %%s=%%s, %%s=%%s, %%s=%%s, %%s=%%s, %%s=%%s, %%s=%%s',
                          $2[1], quote_nullable(s.%1$I::text), $2[2], quote_nullable(s.%2$I::text),
                          $2[3], quote_nullable(s.%3$I::text), $2[4], quote_nullable(s.%4$I::text),
                          $2[5], quote_nullable(s.%8$I::text), $2[6], quote_nullable(s.%9$I::text),
                          $2[7], quote_nullable(s.%7$I::text)) AS shown
            FROM %10$s AS s),
        mapped AS (
            SELECT src.*, p.provider, p.owner,
                   CASE WHEN nullif(btrim(src.rname), '') IS NULL THEN 'global' ELSE lower(btrim(src.rname)) END AS region,
                   nullif(btrim(regexp_replace(lower(src.sname), '[^a-z0-9]+', '-', 'g'), '-'), '') AS service,
                   src.t0::date AS lo,
                   CASE WHEN src.t1 = src.t1::date THEN src.t1::date ELSE src.t1::date + 1 END AS hi
            FROM src
            LEFT JOIN @extschema@.provider p
              ON p.provider = coalesce($1 ->> lower(btrim(src.pname)), lower(btrim(src.pname)))),
        checked AS (
            SELECT m.*,
                   CASE WHEN m.pname IS NULL THEN format('%%s is NULL', $2[1])
                        WHEN m.provider IS NULL THEN format('unknown %%s "%%s"', $2[1], m.pname)
                        WHEN m.region COLLATE "C" !~ '^[a-z0-9][a-z0-9._-]{0,62}$'
                            THEN format('%%s "%%s" is not an endpoint region', $2[2], m.rname)
                        WHEN nullif(btrim(m.sname), '') IS NOT NULL AND m.service IS NULL
                            THEN format('%%s "%%s" has no letter a-z or digit', $2[3], m.sname)
                        WHEN m.cur IS NULL THEN format('%%s is NULL', $2[4])
                        WHEN m.cur COLLATE "C" !~ '^[A-Z]{3}$'
                            THEN format('%%s "%%s" is not an ISO 4217 code of three upper-case letters', $2[4], m.cur)
                        WHEN m.t0 IS NULL THEN format('%%s is NULL', $2[5])
                        WHEN m.t1 IS NULL THEN format('%%s is NULL', $2[6])
                        WHEN NOT isfinite(m.t0) OR NOT isfinite(m.t1) THEN 'the charge period is not finite'
                        WHEN m.t1 <= m.t0 THEN format('%%s %%s is not after %%s %%s', $2[6], m.t1, $2[5], m.t0)
                        WHEN m.hi - m.lo > 100000 THEN 'the charge period is longer than 100000 days'
                        WHEN m.cost IS NULL THEN format('%%s is NULL', $2[7])
                        WHEN m.cost IN ('NaN', 'Infinity', '-Infinity') THEN format('%%s %%s is not finite', $2[7], m.cost)
                   END AS problem
            FROM mapped m),
        firstbad AS (
            SELECT c.problem, c.shown, count(*) OVER () AS bad
            FROM checked c WHERE c.problem IS NOT NULL
            ORDER BY c.shown COLLATE "C" LIMIT 1),
        groups AS (
            SELECT c.owner AS seller, c.provider || '/' || c.region AS channel,
                   c.provider || '/' || c.service AS product, c.cur AS currency, c.lo, c.hi,
                   sum(c.cost) AS cost, @extschema@.minor_unit(c.cur::char(3)) AS mu
            FROM checked c
            WHERE c.problem IS NULL
            GROUP BY 1, 2, 3, 4, 5, 6),
        -- per seller and currency, the flows sum to the sum of the cost
        -- column rounded half to even to the minor unit: each flow takes its
        -- whole minor units (n, rounded down) and the units missing to the
        -- total go one each to the largest remainders (ties: earlier day,
        -- then channel, product, last day)
        units AS (
            SELECT g.*, g.cost * power(10::numeric, g.mu) AS x FROM groups g),
        ranked AS (
            SELECT u.*, floor(u.x) AS n, sum(u.x) OVER w AS total_x, sum(floor(u.x)) OVER w AS total_n,
                   row_number() OVER (PARTITION BY u.seller, u.currency
                                      ORDER BY u.x - floor(u.x) DESC, u.lo, u.channel COLLATE "C",
                                               u.product COLLATE "C", u.hi) AS rk
            FROM units u
            WINDOW w AS (PARTITION BY u.seller, u.currency)),
        rounded AS (
            SELECT r.*, floor(r.total_x)
                        + CASE WHEN r.total_x - floor(r.total_x) > 0.5
                                 OR (r.total_x - floor(r.total_x) = 0.5 AND mod(floor(r.total_x), 2) <> 0)
                               THEN 1 ELSE 0 END AS total_units
            FROM ranked r)
        SELECT coalesce((SELECT b.bad FROM firstbad b), 0) AS bad,
               (SELECT b.problem FROM firstbad b) AS problem,
               (SELECT b.shown FROM firstbad b) AS shown,
               (SELECT count(*) FROM checked) AS n_rows,
               (SELECT jsonb_agg(jsonb_build_object(
                           'seller', r.seller, 'channel', r.channel, 'product', r.product, 'currency', r.currency,
                           'lo', r.lo, 'hi', r.hi,
                           'amount', round((r.n + CASE WHEN r.rk <= r.total_units - r.total_n THEN 1 ELSE 0 END)
                                           / power(10::numeric, r.mu), r.mu)))
                FROM rounded r) AS flows
        $q$, cols[1], cols[2], cols[3], cols[4], t0, t1, cols[7], cols[5], cols[6], source)
    INTO res USING aliases, cols;

    IF res.bad > 0 THEN
        RAISE EXCEPTION 'load_focus: % in a row of %', res.problem, source USING ERRCODE = '22023',
            DETAIL = format('The row: %s.  It is %s of %s bad rows (of %s); nothing was loaded.',
                            res.shown, CASE WHEN res.bad = 1 THEN 'the only one' ELSE 'the first' END, res.bad, res.n_rows),
            HINT = CASE WHEN res.problem LIKE 'unknown %'
                        THEN 'A ProviderName is found through provider_map, then the common names (Microsoft, AWS, Google Cloud, Oracle ...), then as a provider of table dealscope.provider; e.g. provider_map => ''{"Alibaba Cloud": "alibaba"}'' with a provider alibaba.'
                        ELSE 'Correct the row, or leave it out of the staging table or of a view over it.' END;
    END IF;

    -- the same buyer's earlier flows with the same seller, channel,
    -- product and currency: loading twice is refused unless replace, which
    -- deletes them when they lie inside the days of this export (channels
    -- compare as their canonical text: the managed edition's endpoint is a
    -- domain over text, without the C edition's operators)
    PERFORM pg_advisory_xact_lock(hashtext('dealscope.load_focus'), hashtext(buyer));
    WITH flows AS (
        SELECT f.seller, f.channel, f.product, f.currency::char(3) AS currency,
               daterange(f.lo, f.hi) AS period
        FROM jsonb_to_recordset(coalesce(res.flows, '[]')) AS f(seller text, channel text, product text, currency text,
                                                                  lo date, hi date, amount numeric)),
    span AS (SELECT daterange(min(lower(flows.period)), max(upper(flows.period))) AS days FROM flows)
    SELECT r.id, r.seller, r.channel, r.product, r.currency, r.period,
           NOT (r.period <@ (SELECT days FROM span)) AS outside
    INTO clash
    FROM @extschema@.revenue_flow r
    WHERE r.buyer = load_focus.buyer
      AND EXISTS (SELECT 1 FROM flows f
                  WHERE f.seller = r.seller AND f.channel = r.channel::text
                    AND f.product IS NOT DISTINCT FROM r.product AND f.currency = r.currency
                    AND CASE WHEN load_focus.replace THEN r.period && (SELECT days FROM span)
                             ELSE r.period && f.period END)
    ORDER BY r.period <@ (SELECT days FROM span), r.id
    LIMIT 1;
    IF FOUND AND NOT replace THEN
        RAISE EXCEPTION 'load_focus: flow % already holds % spend with % through % (product %) on %',
            clash.id, buyer, clash.seller, clash.channel, coalesce(clash.product, 'NULL'), clash.period
            USING ERRCODE = '23505',
            DETAIL = 'This export overlaps flows loaded before: loading it again would count the spend twice; nothing was loaded.',
            HINT = 'Call load_focus(..., replace => true) to replace the earlier flows of the same seller, channel, product and currency inside the days of this export.';
    END IF;
    IF FOUND AND clash.outside THEN
        RAISE EXCEPTION 'load_focus: flow % (% spend with % through %, product %, on %) reaches outside the days of this export',
            clash.id, buyer, clash.seller, clash.channel, coalesce(clash.product, 'NULL'), clash.period
            USING ERRCODE = '23505',
            DETAIL = 'replace deletes only flows that lie inside the days of the export; nothing was loaded or deleted.';
    END IF;
    IF FOUND THEN
        WITH flows AS (
            SELECT f.seller, f.channel, f.product, f.currency::char(3) AS currency,
                   daterange(f.lo, f.hi) AS period
            FROM jsonb_to_recordset(res.flows) AS f(seller text, channel text, product text, currency text,
                                                    lo date, hi date, amount numeric)),
        span AS (SELECT daterange(min(lower(flows.period)), max(upper(flows.period))) AS days FROM flows)
        DELETE FROM @extschema@.revenue_flow r
        WHERE r.buyer = load_focus.buyer
          AND r.period <@ (SELECT days FROM span)
          AND EXISTS (SELECT 1 FROM flows f
                      WHERE f.seller = r.seller AND f.channel = r.channel::text
                        AND f.product IS NOT DISTINCT FROM r.product AND f.currency = r.currency);
    END IF;

    -- a sum of zero (usage a commitment covered, billed at 0) is no flow
    INSERT INTO @extschema@.revenue_flow (seller, buyer, product, channel, amount, currency, period)
    SELECT f.seller, load_focus.buyer, f.product, f.channel::@extschema@.endpoint, f.amount, f.currency, daterange(f.lo, f.hi)
    FROM jsonb_to_recordset(coalesce(res.flows, '[]')) AS f(seller text, channel text, product text, currency text,
                                                              lo date, hi date, amount numeric)
    WHERE f.amount <> 0
    ORDER BY f.lo, f.seller COLLATE "C", f.channel COLLATE "C", f.product COLLATE "C", f.currency COLLATE "C", f.hi;
    GET DIAGNOSTICS inserted = ROW_COUNT;
    RETURN inserted;
END $$;
COMMENT ON FUNCTION @extschema@.load_focus(regclass, text, text, jsonb, boolean) IS
    'loads a FOCUS 1.x export (table or view source with ProviderName, RegionId, ServiceName, BillingCurrency, ChargePeriodStart, ChargePeriodEnd and cost_column) as spend flows of buyer: per provider, region, service, currency and days one revenue_flow row (seller the provider''s owner, channel provider/region, product provider/service, amount in the currency''s minor units, the flows of a seller and currency summing to the cost column''s total rounded half to even); any bad row is an error and nothing is written; an export overlapping earlier flows of the same key is refused unless replace; returns the rows inserted';
