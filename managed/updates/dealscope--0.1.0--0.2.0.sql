-- dealscope 0.1.0 -> 0.2.0, managed edition: to_endpoint, to_endpoint_set,
-- to_rate_schedule, USAGE on the schema for PUBLIC, the clause table's comment
-- (the same changes as the C edition's updates/dealscope--0.1.0--0.2.0.sql).
\echo Use "ALTER EXTENSION dealscope UPDATE TO '0.2.0'" to load this file. \quit

-- guard (managed/src/guard.sql): installed as a SQL-only extension (trusted,
-- so its scripts run as the bootstrap superuser), 0.1.0 left the schema to
-- the installing role, which could have put its own objects in it.  When a
-- superuser runs this update it refuses while the schema holds anything that
-- is not the extension's, then takes the schema over and revokes CREATE on it
-- from everyone else.  Through pg_tle the installing role runs it and owns
-- everything: nothing to do.
DO $guard$
DECLARE
    nsp pg_catalog.oid := '@extschema@'::pg_catalog.regnamespace;
    ext pg_catalog.oid;
    found pg_catalog.text;
    grantee pg_catalog.oid;
BEGIN
    -- (not is_superuser: that follows the session's user, and a trusted
    -- extension's script runs as the bootstrap superuser without changing it)
    IF NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) CURRENT_USER) THEN
        RETURN;
    END IF;
    SELECT e.oid INTO ext FROM pg_catalog.pg_extension e WHERE e.extname OPERATOR(pg_catalog.=) 'dealscope';
    SELECT pg_catalog.string_agg(pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid), ', '
                                 ORDER BY pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid))
    INTO found
    FROM pg_catalog.pg_depend d
    WHERE d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_namespace'::pg_catalog.regclass
      AND d.refobjid OPERATOR(pg_catalog.=) nsp
      AND NOT (d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_extension'::pg_catalog.regclass
               AND d.objid OPERATOR(pg_catalog.=) ext)
      AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend m
                      WHERE m.classid OPERATOR(pg_catalog.=) d.classid AND m.objid OPERATOR(pg_catalog.=) d.objid
                        AND m.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_extension'::pg_catalog.regclass
                        AND m.refobjid OPERATOR(pg_catalog.=) ext AND m.deptype OPERATOR(pg_catalog.=) 'e');
    IF found IS NOT NULL THEN
        RAISE EXCEPTION 'schema "%" holds objects that do not belong to extension dealscope: %', '@extschema@', found
            USING ERRCODE = '55000',
                  DETAIL = 'The extension''s schema belongs to a superuser and must hold only the extension''s objects, so that no one else''s function, operator or view can be called in the extension''s name.',
                  HINT = 'Move them to another schema (ALTER ... SET SCHEMA) or drop them, then try again.';
    END IF;
    EXECUTE 'ALTER SCHEMA @extschema@ OWNER TO CURRENT_USER';
    FOR grantee IN
        SELECT DISTINCT a.grantee
        FROM pg_catalog.pg_namespace n, pg_catalog.aclexplode(n.nspacl) a
        WHERE n.oid OPERATOR(pg_catalog.=) nsp AND a.privilege_type OPERATOR(pg_catalog.=) 'CREATE'
          AND a.grantee OPERATOR(pg_catalog.<>) n.nspowner
    LOOP
        EXECUTE pg_catalog.format('REVOKE CREATE ON SCHEMA @extschema@ FROM %s CASCADE',
            CASE WHEN grantee OPERATOR(pg_catalog.=) 0 THEN 'PUBLIC'
                 ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(grantee)) END);
    END LOOP;
END
$guard$;

-- portable: to_endpoint, to_endpoint_set, to_rate_schedule (both editions)
--
-- PostgreSQL reads endpoint('...') with a bare literal argument as a cast to
-- the type endpoint, not as a call of endpoint(text) (a one-argument call
-- named like a type, with an untyped literal, is a type conversion).  Here
-- that cast accepts only canonical text, so a user who writes
-- endpoint('AWS/x') gets the domain's rejection.  These names are not type
-- names: to_endpoint('AWS/x') always canonicalises.  The C edition has the
-- same three functions (src/portable.sql).

CREATE FUNCTION @extschema@.to_endpoint(value text) RETURNS @extschema@.endpoint
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN @extschema@.endpoint(value);
COMMENT ON FUNCTION @extschema@.to_endpoint(text) IS
    'the endpoint written in value, trimmed and lower-cased; the same as endpoint(text), under a name that a literal argument cannot turn into a cast';

CREATE FUNCTION @extschema@.to_endpoint_set(value text) RETURNS @extschema@.endpoint_set
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN @extschema@.endpoint_set(value);
COMMENT ON FUNCTION @extschema@.to_endpoint_set(text) IS
    'the endpoint set written in value, in canonical form; the same as endpoint_set(text), under a name that a literal argument cannot turn into a cast';

CREATE FUNCTION @extschema@.to_rate_schedule(value text) RETURNS @extschema@.rate_schedule
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN @extschema@.rate_schedule(value);
COMMENT ON FUNCTION @extschema@.to_rate_schedule(text) IS
    'the rate schedule written in value, in canonical form; the same as rate_schedule(text), under a name that a literal argument cannot turn into a cast';

-- and everyone may use the schema (its functions work on a user's own
-- tables; the deal tables stay private: nothing is granted on them)
GRANT USAGE ON SCHEMA @extschema@ TO PUBLIC;

COMMENT ON TABLE @extschema@.clause IS
    'one term of a deal; kind decides its meaning and which columns it needs';

-- ---------------------------------------------------------------------------
-- 0.2.0: the party registry (src/party.sql), foreign keys from every column
-- that names a party, clause columns a kind does not read rejected,
-- deal_lint and clause_conflicts (src/deal_lint.sql), questions about an
-- unknown party are errors.
-- ---------------------------------------------------------------------------
-- party: the registry of parties (doc/design.md, "The deal model").  Plain
-- SQL, shared by both editions.
--
-- Every column that names a party (provider.owner, clause.holder and
-- grantor, workload.owner, placement_event.holder, revenue_flow.seller and
-- buyer) references this table, so a misspelt or wrongly cased name
-- ('Anthropic' for 'anthropic') is rejected when it is written instead of
-- making a workload "allowed everywhere" or a report silently empty.  Names
-- are lower case, like endpoint segments.  The parties that own the shipped
-- providers ship with the extension (shipped = true, not dumped: CREATE
-- EXTENSION supplies them); users add their own.

CREATE TABLE @extschema@.party (
    id      text PRIMARY KEY
        CONSTRAINT party_name_format
        CHECK (id OPERATOR(pg_catalog.~) '^[a-z0-9][a-z0-9._-]{0,62}$'),
    name    text,
    shipped boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE @extschema@.party IS
    'the parties to deals: model makers, clouds'' owners, customers; every column naming a party references it';
COMMENT ON COLUMN @extschema@.party.id IS
    'the party''s name as the other tables write it: 1-63 characters of [a-z0-9._-], starting with a letter or digit (lower case, e.g. openai)';
COMMENT ON COLUMN @extschema@.party.name IS
    'human-readable name, e.g. OpenAI';
COMMENT ON COLUMN @extschema@.party.shipped IS
    'true on rows the extension ships; pg_dump keeps only rows with shipped = false, CREATE EXTENSION supplies the others';

SELECT pg_catalog.pg_extension_config_dump('@extschema@.party', 'WHERE NOT shipped');

-- Party names are not secret in themselves, but a user's counterparties may
-- be: like the deal tables, only the extension's owner gets rights.
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES
    ON @extschema@.party TO @extowner@ WITH GRANT OPTION;

-- the owners of the shipped providers (src/catalog.sql)
INSERT INTO @extschema@.party (id, name, shipped)
SELECT v.id, v.name, true
FROM (VALUES
    ('amazon',    'Amazon'),
    ('anthropic', 'Anthropic'),
    ('google',    'Google'),
    ('microsoft', 'Microsoft'),
    ('openai',    'OpenAI'),
    ('oracle',    'Oracle')
) AS v (id, name)
ORDER BY v.id;

-- A question about a party that is not registered is an error, as one
-- about a workload that does not exist is: an empty answer would look like
-- "no exposure".  argname names the argument in the message.
CREATE FUNCTION @extschema@.require_party(party text, argname text DEFAULT 'party')
    RETURNS void
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    lowered text;
BEGIN
    IF party IS NULL THEN
        RAISE EXCEPTION 'invalid % NULL', argname USING ERRCODE = '22023',
            DETAIL = format('Argument "%s" must name a party, e.g. openai.', argname);
    END IF;
    IF EXISTS (SELECT 1 FROM @extschema@.party p WHERE p.id = require_party.party) THEN
        RETURN;
    END IF;
    SELECT p.id INTO lowered FROM @extschema@.party p WHERE p.id = lower(btrim(require_party.party));
    IF FOUND THEN
        RAISE EXCEPTION 'party "%" does not exist', party USING ERRCODE = '22023',
            HINT = format('Party names are lower case: did you mean "%s"?', lowered);
    END IF;
    RAISE EXCEPTION 'party "%" does not exist', party USING ERRCODE = '22023',
        HINT = 'Parties are the rows of table dealscope.party.';
END $$;
COMMENT ON FUNCTION @extschema@.require_party(text, text) IS
    'raises 22023 unless party names a row of party (argname names the argument in the message); used by the questions that take a party';

-- Every name the existing rows use becomes a registered party.  A name that
-- is not a valid party name stops the update, with the names listed: rename
-- them (lower case) and update again.
DO $$
DECLARE
    bad text;
BEGIN
    SELECT string_agg(DISTINCT pg_catalog.quote_literal(n.name), ', ') INTO bad
    FROM (SELECT owner FROM @extschema@.provider
          UNION ALL SELECT holder FROM @extschema@.clause UNION ALL SELECT grantor FROM @extschema@.clause
          UNION ALL SELECT owner FROM @extschema@.workload UNION ALL SELECT holder FROM @extschema@.placement_event
          UNION ALL SELECT seller FROM @extschema@.revenue_flow UNION ALL SELECT buyer FROM @extschema@.revenue_flow) AS n(name)
    WHERE n.name IS NOT NULL AND n.name OPERATOR(pg_catalog.!~) '^[a-z0-9][a-z0-9._-]{0,62}$';
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'dealscope 0.2.0 registers every party in table party, and these names are not valid party names: %', bad
            USING ERRCODE = '23514',
                  HINT = 'Party names are lower case [a-z0-9._-], 1-63 characters, starting with a letter or digit; rename them (e.g. UPDATE dealscope.workload SET owner = lower(owner)) and update again.';
    END IF;
END $$;
INSERT INTO @extschema@.party (id)
SELECT DISTINCT n.name
FROM (SELECT owner FROM @extschema@.provider
      UNION ALL SELECT holder FROM @extschema@.clause UNION ALL SELECT grantor FROM @extschema@.clause
      UNION ALL SELECT owner FROM @extschema@.workload UNION ALL SELECT holder FROM @extschema@.placement_event
      UNION ALL SELECT seller FROM @extschema@.revenue_flow UNION ALL SELECT buyer FROM @extschema@.revenue_flow) AS n(name)
WHERE n.name IS NOT NULL
ON CONFLICT (id) DO NOTHING;

ALTER TABLE @extschema@.provider DROP CONSTRAINT provider_owner_not_blank;
ALTER TABLE @extschema@.provider ADD CONSTRAINT provider_owner_is_a_party
    FOREIGN KEY (owner) REFERENCES @extschema@.party (id) ON UPDATE CASCADE;
ALTER TABLE @extschema@.clause ADD CONSTRAINT clause_holder_is_a_party
    FOREIGN KEY (holder) REFERENCES @extschema@.party (id) ON UPDATE CASCADE;
ALTER TABLE @extschema@.clause ADD CONSTRAINT clause_grantor_is_a_party
    FOREIGN KEY (grantor) REFERENCES @extschema@.party (id) ON UPDATE CASCADE;
ALTER TABLE @extschema@.workload ADD CONSTRAINT workload_owner_is_a_party
    FOREIGN KEY (owner) REFERENCES @extschema@.party (id) ON UPDATE CASCADE;
ALTER TABLE @extschema@.placement_event ADD CONSTRAINT placement_event_holder_is_a_party
    FOREIGN KEY (holder) REFERENCES @extschema@.party (id) ON UPDATE CASCADE;
ALTER TABLE @extschema@.revenue_flow ADD CONSTRAINT revenue_flow_seller_is_a_party
    FOREIGN KEY (seller) REFERENCES @extschema@.party (id) ON UPDATE CASCADE;
ALTER TABLE @extschema@.revenue_flow ADD CONSTRAINT revenue_flow_buyer_is_a_party
    FOREIGN KEY (buyer) REFERENCES @extschema@.party (id) ON UPDATE CASCADE;

-- A column the clause's kind does not read is an error, not silently
-- ignored.  A row that breaks one of these stops the update with the
-- constraint's name: clear the column (or change the kind) and update again.
ALTER TABLE @extschema@.clause ADD CONSTRAINT clause_rate_only_for_revenue_share
        CHECK (rate IS NULL OR kind OPERATOR(pg_catalog.=) 'revenue_share');
ALTER TABLE @extschema@.clause ADD CONSTRAINT clause_window_days_only_for_rofr
        CHECK (window_days IS NULL OR kind OPERATOR(pg_catalog.=) 'rofr');
ALTER TABLE @extschema@.clause ADD CONSTRAINT clause_lag_days_only_for_first_launch
        CHECK (lag_days IS NULL OR kind OPERATOR(pg_catalog.=) 'first_launch');
ALTER TABLE @extschema@.clause ADD CONSTRAINT clause_data_class_only_for_residency
        CHECK (data_class IS NULL OR kind OPERATOR(pg_catalog.=) 'residency');
ALTER TABLE @extschema@.clause ADD CONSTRAINT clause_jurisdictions_only_for_residency
        CHECK (jurisdictions IS NULL OR kind OPERATOR(pg_catalog.=) 'residency');
ALTER TABLE @extschema@.clause ADD CONSTRAINT clause_amount_only_for_commitment
        CHECK (amount IS NULL OR kind OPERATOR(pg_catalog.=) 'commitment');
ALTER TABLE @extschema@.clause ADD CONSTRAINT clause_currency_only_with_amount
        CHECK (currency IS NULL OR amount IS NOT NULL);
ALTER TABLE @extschema@.clause ADD CONSTRAINT clause_min_share_only_for_primary_partner
        CHECK (min_share IS NULL OR kind OPERATOR(pg_catalog.=) 'primary_partner');
ALTER TABLE @extschema@.clause ADD CONSTRAINT clause_no_scope_for_residency_primary_partner_commitment
        CHECK (scope IS NULL
               OR kind OPERATOR(pg_catalog.<>) ALL ('{residency,primary_partner,commitment}'::@extschema@.clause_kind[]));
ALTER TABLE @extschema@.clause ADD CONSTRAINT clause_all_products_for_primary_partner_commitment
        CHECK (products OPERATOR(pg_catalog.=) '*'
               OR kind OPERATOR(pg_catalog.<>) ALL ('{primary_partner,commitment}'::@extschema@.clause_kind[]));

COMMENT ON COLUMN @extschema@.provider.owner IS
    'the party that owns the provider and earns what is sold through it, e.g. microsoft for azure (references party)';
COMMENT ON COLUMN @extschema@.clause.holder IS 'the party that benefits: holds the exclusivity or right, receives the share, is the partner or payee (references party)';
COMMENT ON COLUMN @extschema@.clause.grantor IS 'the party bound by the clause; it applies to workloads and flows of this party (references party)';
COMMENT ON COLUMN @extschema@.workload.owner IS 'the party whose workload it is; clauses with this grantor apply to it (references party)';
COMMENT ON COLUMN @extschema@.placement_event.holder IS 'offer/decline/accept: the rofr holder the workload was offered to, or who answered (references party)';
COMMENT ON COLUMN @extschema@.revenue_flow.seller IS 'the party that earns the amount; revenue_share clauses with this grantor apply (references party)';
COMMENT ON COLUMN @extschema@.revenue_flow.buyer IS 'the party that pays (NULL when not tracked, e.g. many end customers) (references party)';

-- exposure, concentration and partner_status: an unknown party is an error
CREATE OR REPLACE FUNCTION @extschema@.exposure(party text, during daterange, grain text DEFAULT 'quarter', fy_start int DEFAULT 1)
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
    -- The cells of the C edition's exposure_agg: 1 revenue per provider,
    -- 2 share owed per holder, 3 share owed to the party per seller, 4 spend
    -- per seller; a row is kept when one of its cells is not zero.
    RETURN QUERY
    WITH parts AS (
        SELECT * FROM @extschema@.report_cells(win, $3, $4, wi0, wi1, $1) p),
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
COMMENT ON FUNCTION @extschema@.exposure(text, daterange, text, int) IS
    'per slice overlapping during (slices whole), counterparty and currency: the party''s revenue earned through the counterparty''s clouds, revenue share it owes the counterparty, revenue share the counterparty owes it, and what it spent with the counterparty; a party is never its own counterparty; rows whose four figures are all zero are left out';

CREATE OR REPLACE FUNCTION @extschema@.concentration(party text, during daterange)
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
    RETURN QUERY
    WITH byc AS (
        SELECT f.currency, f.channel, sum(@extschema@.flow_within(f.amount, f.period, f.currency, $2)) AS amount
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
COMMENT ON FUNCTION @extschema@.concentration(text, daterange) IS
    'per currency: Herfindahl-Hirschman index (0-10000, rounded to 2 decimals) over the owners of the channels through which party earned revenue on the days inside during (flows prorated exactly at during''s bounds; a provider not in the catalog counts as its own owner; owners with no positive revenue take no part), the largest owner, its share (fraction, 4 decimals) and the level: high above 1800, moderate 1000-1800, unconcentrated below 1000';

CREATE OR REPLACE FUNCTION @extschema@.partner_status(party text, on_date date DEFAULT current_date)
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
        SELECT e.id, e.kind::text, e.holder, e.currency, e.valid, e.amount AS committed,
               coalesce((SELECT sum(CASE WHEN isempty(e.todate) THEN round(0::numeric, @extschema@.currency_scale(f.currency::text))
                                         ELSE @extschema@.flow_within(f.amount, f.period, f.currency, e.todate) END)
                         FROM @extschema@.revenue_flow f
                         WHERE f.buyer = $1 AND f.seller = e.holder AND f.currency = e.currency
                           AND f.period && e.todate), 0) AS consumed,
               e.elapsed_days, e.left_days
        FROM elapsed e WHERE e.kind = 'commitment'),
    spend AS (                    -- cloud spend per primary_partner clause and currency
        SELECT e.id, f.currency,
               sum(@extschema@.flow_within(f.amount, f.period, f.currency, e.todate))
                   FILTER (WHERE f.seller = e.holder) AS with_holder,
               sum(@extschema@.flow_within(f.amount, f.period, f.currency, e.todate)) AS total
        FROM elapsed e
        JOIN @extschema@.revenue_flow f
          ON f.buyer = $1 AND f.period && e.todate
         AND f.seller IN (SELECT p.owner FROM @extschema@.provider p WHERE p.owner <> $1)
        WHERE e.kind = 'primary_partner'
        GROUP BY e.id, f.currency)
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
COMMENT ON FUNCTION @extschema@.partner_status(text, date) IS
    'per commitment and primary_partner clause of party (as grantor) on on_date: committed, consumed to date (spend flows prorated exactly up to on_date inclusive), remaining, days elapsed and left, required vs actual daily run-rate; for primary_partner, per currency, the holder''s share of party''s cloud spend to date and whether it is below min_share';
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

-- ---------------------------------------------------------------------------
-- 0.2.0: commitment_burndown and obligations_due (src/obligations.sql)
-- ---------------------------------------------------------------------------

-- obligations: what a deal desk must watch (doc/design.md, "Obligations").
-- Plain SQL and PL/pgSQL over the model tables, shared by both editions.
--
--   commitment_burndown  one commitment, slice by slice: spend against the
--                        straight line, the trailing rate, the projection
--   obligations_due      the dates coming up: first-refusal answers due,
--                        exclusivities, shares and commitments ending, first
--                        launches' waiting periods ending
--
-- Money follows the exactness rule: a flow's spend inside the commitment's
-- term (up to on_date) is its exact part by largest remainder
-- (prorate_within), and that part is split over the slices by prorate, so
-- the slices of a flow sum to its part and the cumulative column at the end
-- of the term is to the cent the spend inside the term.

CREATE FUNCTION @extschema@.commitment_burndown(clause_id text, grain text DEFAULT 'month',
                                                fy_start int DEFAULT 1, on_date date DEFAULT current_date)
    RETURNS TABLE (slice_start date, slice_end date, label text, currency char(3),
                   committed numeric, consumed numeric, cumulative numeric, required_cumulative numeric,
                   trailing_90d_daily numeric, projected_end date, shortfall numeric)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    today date := on_date;
    c   record;
    mu  int;
    lo  date;
    hi  date;           -- exclusive
    todate daterange;   -- the term's days up to on_date
BEGIN
    IF clause_id IS NULL THEN
        RAISE EXCEPTION 'invalid clause_id NULL' USING ERRCODE = '22023',
            DETAIL = 'Argument "clause_id" must name a commitment clause.';
    END IF;
    IF on_date IS NULL OR NOT isfinite(on_date) THEN
        RAISE EXCEPTION 'invalid on_date "%"', coalesce(on_date::text, 'NULL') USING ERRCODE = '22023',
            DETAIL = 'Argument "on_date" must be a finite date.';
    END IF;
    SELECT k.id, k.kind, k.amount, k.currency, k.valid, k.grantor, k.holder INTO c
    FROM @extschema@.clause k WHERE k.id = commitment_burndown.clause_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'clause "%" does not exist', clause_id USING ERRCODE = '22023';
    END IF;
    IF c.kind <> 'commitment' THEN
        RAISE EXCEPTION 'clause "%" is not a commitment', clause_id USING ERRCODE = '22023',
            DETAIL = format('Its kind is %s.', c.kind);
    END IF;
    IF lower_inf(c.valid) OR upper_inf(c.valid)
       OR NOT isfinite(lower(c.valid)) OR NOT isfinite(upper(c.valid)) THEN
        RAISE EXCEPTION 'commitment "%" has no bounded term (valid %)', clause_id, c.valid USING ERRCODE = '22023',
            DETAIL = 'A burn-down needs the first and the last day of the commitment.';
    END IF;
    lo := lower(c.valid);
    hi := upper(c.valid);
    mu := @extschema@.minor_unit(c.currency);
    todate := c.valid * daterange(NULL, today + 1);
    -- (slice_of validates grain and fy_start with its own errors)
    PERFORM @extschema@.slice_of(lo, grain, fy_start);
    RETURN QUERY
    WITH RECURSIVE slices AS (
        SELECT s.slice_start, s.slice_end, s.label FROM @extschema@.slice_of(lo, grain, fy_start) AS s
        UNION ALL
        SELECT n.slice_start, n.slice_end, n.label
        FROM slices p, @extschema@.slice_of(p.slice_end + 1, grain, fy_start) AS n
        WHERE p.slice_end + 1 < hi),
    spend AS (          -- the spend flows with the holder, in the commitment's currency
        SELECT f.amount, f.period
        FROM @extschema@.revenue_flow f
        WHERE f.buyer = c.grantor AND f.seller = c.holder AND f.currency = c.currency
          AND NOT isempty(todate) AND f.period && todate),
    parts AS (          -- each flow's part inside the term to date, split over the slices
        SELECT p.slice_start, sum(p.gross) AS gross
        FROM spend s,
             @extschema@.prorate(@extschema@.prorate_within(s.amount, s.period, c.currency, todate),
                                 s.period * todate, grain, fy_start, c.currency) AS p
        GROUP BY p.slice_start),
    cells AS (
        SELECT sl.*, least(sl.slice_end, today, hi - 1) AS asof,
               CASE WHEN sl.slice_start <= today AND lo <= today THEN round(coalesce(pt.gross, 0), mu) END AS consumed
        FROM slices sl LEFT JOIN parts pt ON pt.slice_start = sl.slice_start),
    running AS (
        SELECT ce.*,
               CASE WHEN ce.consumed IS NOT NULL
                    THEN sum(ce.consumed) OVER (ORDER BY ce.slice_start) END AS cumulative,
               -- mean daily spend over the (up to) 90 days of the term ending at asof
               CASE WHEN ce.consumed IS NOT NULL THEN
                   (SELECT coalesce(sum(@extschema@.prorate_within(s.amount, s.period, c.currency, w.win)), 0)
                           / (upper(w.win) - lower(w.win))
                    FROM (SELECT c.valid * daterange(ce.asof - 89, ce.asof + 1) AS win) AS w
                    LEFT JOIN spend s ON s.period && w.win
                    GROUP BY w.win) END AS rate
        FROM cells ce)
    SELECT r.slice_start, r.slice_end, r.label, c.currency, round(c.amount, mu),
           r.consumed, r.cumulative,
           round(c.amount * (least(r.slice_end + 1, hi) - lo) / (hi - lo), mu),
           round(r.rate, mu),
           CASE WHEN r.cumulative < c.amount AND r.rate > 0
                THEN r.asof + ceil((c.amount - r.cumulative) / r.rate)::int END,
           CASE WHEN r.cumulative IS NOT NULL
                THEN round(greatest(c.amount - r.cumulative - r.rate * (hi - 1 - r.asof), 0), mu) END
    FROM running r
    ORDER BY r.slice_start;
END $$;
COMMENT ON FUNCTION @extschema@.commitment_burndown(text, text, int, date) IS
    'per slice of a commitment''s term: committed, spend with the holder in the slice (exact parts, days up to on_date; NULL for later slices), cumulative, the straight-line required cumulative at the slice''s end, the mean daily spend over the trailing 90 days of the term, the day the commitment is met at that rate and the shortfall it leaves at the end of the term';

CREATE FUNCTION @extschema@.obligations_due(within interval DEFAULT '90 days', on_date date DEFAULT current_date)
    RETURNS TABLE (due_on date, obligation text, clause_id text, workload_id text,
                   party text, counterparty text, message text)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    today date := on_date;
    until date;
BEGIN
    IF on_date IS NULL OR NOT isfinite(on_date) THEN
        RAISE EXCEPTION 'invalid on_date "%"', coalesce(on_date::text, 'NULL') USING ERRCODE = '22023',
            DETAIL = 'Argument "on_date" must be a finite date.';
    END IF;
    IF within IS NULL OR within < interval '0' THEN
        RAISE EXCEPTION 'invalid within "%"', coalesce(within::text, 'NULL') USING ERRCODE = '22023',
            DETAIL = 'Argument "within" must be an interval of zero or more, e.g. ''90 days''.';
    END IF;
    until := (on_date + within)::date;
    RETURN QUERY
    WITH rofr_state AS (   -- per right of first refusal and workload: the last step as of today
        SELECT DISTINCT ON (k.id, w.id) k.id AS cid, w.id AS wid, k.holder, k.grantor, k.window_days,
               e.kind AS last_kind, e.on_date AS last_on
        FROM @extschema@.clause k
        JOIN @extschema@.workload w ON w.owner = k.grantor AND k.valid @> w.requested_on
                                   AND @extschema@.products_match(k.products, w.product)
        JOIN @extschema@.placement_event e ON e.workload_id = w.id AND e.holder = k.holder
                                          AND e.kind IN ('offer', 'decline', 'accept') AND e.on_date <= today
        WHERE k.kind = 'rofr'
        ORDER BY k.id, w.id, e.on_date DESC,
                 CASE e.kind WHEN 'accept' THEN 0 WHEN 'decline' THEN 1 ELSE 2 END),
    launches AS (          -- per first-launch clause and workload: the first launch inside its scope
        SELECT DISTINCT ON (k.id, w.id) k.id AS cid, w.id AS wid, k.holder, k.grantor, k.lag_days,
               e.on_date AS launched_on, e.at
        FROM @extschema@.clause k
        JOIN @extschema@.workload w ON w.owner = k.grantor AND k.valid @> w.requested_on
                                   AND @extschema@.products_match(k.products, w.product)
        JOIN @extschema@.placement_event e ON e.workload_id = w.id AND e.kind = 'launch'
                                          AND e.at OPERATOR(@extschema@.<@) k.scope AND e.on_date <= today
        WHERE k.kind = 'first_launch'
        ORDER BY k.id, w.id, e.on_date),
    due AS (
        SELECT r.last_on + r.window_days AS due_on, 'rofr_answer_due' AS obligation, r.cid, r.wid,
               r.holder AS party, r.grantor AS counterparty,
               format('%s must answer the offer of workload %s made on %s; unanswered, the right lapses on %s',
                      r.holder, r.wid, r.last_on, r.last_on + r.window_days) AS message
        FROM rofr_state r WHERE r.last_kind = 'offer'
        UNION ALL
        SELECT l.launched_on + l.lag_days, 'first_launch_wait_ends', l.cid, l.wid, l.grantor, l.holder,
               format('workload %s launched at %s on %s; other endpoints may follow from %s',
                      l.wid, l.at, l.launched_on, l.launched_on + l.lag_days)
        FROM launches l
        UNION ALL
        -- a commitment is due on its last day; other clauses' end is the
        -- first day they no longer bind
        SELECT upper(k.valid) - CASE WHEN k.kind = 'commitment' THEN 1 ELSE 0 END,
               k.kind || '_ends', k.id, NULL, k.grantor, k.holder,
               CASE k.kind
                   WHEN 'exclusivity' THEN format('the exclusivity of %s over %s (%s) ends: other endpoints are free from %s',
                                                  k.holder, k.grantor, k.scope, upper(k.valid))
                   WHEN 'revenue_share' THEN format('the revenue share %s owes %s ends; none is owed from %s',
                                                    k.grantor, k.holder, upper(k.valid))
                   WHEN 'commitment' THEN format('the commitment of %s to spend %s %s with %s ends: %s is its last day; %s %s remain to be spent',
                                                 k.grantor, round(k.amount, @extschema@.minor_unit(k.currency)), k.currency, k.holder,
                                                 upper(k.valid) - 1,
                                                 round(greatest(k.amount - coalesce((
                                                     SELECT sum(@extschema@.prorate_within(f.amount, f.period, f.currency,
                                                                                           k.valid * daterange(NULL, today + 1)))
                                                     FROM @extschema@.revenue_flow f
                                                     WHERE f.buyer = k.grantor AND f.seller = k.holder AND f.currency = k.currency
                                                       AND f.period && (k.valid * daterange(NULL, today + 1))), 0), 0),
                                                       @extschema@.minor_unit(k.currency)),
                                                 k.currency)
                   ELSE format('%s clause %s of %s with %s ends', k.kind, k.id, k.grantor, k.holder) END
        FROM @extschema@.clause k
        WHERE NOT upper_inf(k.valid) AND k.kind IN ('exclusivity', 'revenue_share', 'commitment', 'rofr', 'first_launch', 'primary_partner'))
    SELECT d.due_on, d.obligation, d.cid, d.wid, d.party, d.counterparty, d.message
    FROM due d
    WHERE d.due_on >= today AND d.due_on <= until
    ORDER BY d.due_on, d.obligation, d.cid COLLATE "C", d.wid COLLATE "C";
END $$;
COMMENT ON FUNCTION @extschema@.obligations_due(interval, date) IS
    'what falls due from on_date to on_date + within: answers to open first-refusal offers (the day the right lapses), the day other endpoints may follow a first launch, and the days clauses end (exclusivity, revenue share, commitment with what remains to be spent, rofr, first_launch, primary_partner); party is who must act or is bound, counterparty the other side';

-- A flow's period is at most 100000 days (about 273 years): every split walks
-- all the slices of a flow's period, so one longer row made every report
-- fail (invalid memory alloc request) or take seconds.  The functions that
-- split a flow raise 54000 for such a period; the table rejects it at insert.
-- (An existing row that is longer makes this update fail: split it first.)
ALTER TABLE @extschema@.revenue_flow ADD CONSTRAINT revenue_flow_period_at_most_100000_days
    CHECK (CASE WHEN pg_catalog.isempty(period) OR pg_catalog.lower_inf(period) OR pg_catalog.upper_inf(period)
                  OR NOT pg_catalog.isfinite(pg_catalog.lower(period))
                  OR NOT pg_catalog.isfinite(pg_catalog.upper(period))
                THEN true
                ELSE pg_catalog.upper(period) OPERATOR(pg_catalog.-) pg_catalog.lower(period)
                     OPERATOR(pg_catalog.<=) 100000 END);
COMMENT ON COLUMN @extschema@.revenue_flow.period IS 'days over which the amount is earned: a non-empty daterange with finite bounds, at most 100000 days long';

-- the functions that split a flow raise the C edition's 54000 for such a period
CREATE OR REPLACE FUNCTION @extschema@.check_period(period daterange) RETURNS daterange
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF isempty(period) THEN
        RAISE EXCEPTION 'invalid period "%"', period USING ERRCODE = '22023',
            DETAIL = 'A flow''s period must contain at least one day.';
    END IF;
    IF lower_inf(period) OR upper_inf(period) OR NOT isfinite(lower(period)) OR NOT isfinite(upper(period)) THEN
        RAISE EXCEPTION 'invalid period "%"', period USING ERRCODE = '22023',
            DETAIL = 'A flow''s period must have finite lower and upper bounds.';
    END IF;
    IF upper(period) - lower(period) > 100000 THEN
        RAISE EXCEPTION 'period "%" is longer than 100000 days', period USING ERRCODE = '54000',
            DETAIL = format('It spans %s days; a flow''s period may span at most 100000 days (about 273 years), so that splitting one flow stays cheap.',
                            upper(period) - lower(period)),
            HINT = 'Record a longer flow as several consecutive flows.';
    END IF;
    RETURN period;
END $$;
COMMENT ON FUNCTION @extschema@.check_period(daterange) IS
    'internal: raises 22023 for an empty period or one without two finite bounds, 54000 for one longer than 100000 days';

-- security_script (src/security.sql, shared by both editions)
-- security_script: row-level security, policies and privileges of the
-- extension's tables, as SQL to run again after a restore (both editions;
-- doc/reference.md, "Dump, restore, uninstall").
--
-- pg_dump (15, and the releases since the 2023 fixes) dumps an extension
-- member table's privileges only as far as they differ from what the
-- install script granted, and dumps neither ENABLE ROW LEVEL SECURITY nor
-- the policies of such a table: after a restore they are gone.  And a GRANT
-- the installing role made is replayed as that role, which fails when a
-- superuser installed the extension in the restored database.  This writes
-- all of it as idempotent statements: RLS switched on (and forced) where it
-- is, every policy dropped if present and created again, and every privilege
-- a role other than the table's owner holds granted (by whoever runs the
-- script: the grantor becomes the table's owner), and the initial privileges
-- that were revoked, revoked.  The expressions are written with every name
-- outside pg_catalog schema-qualified, and the script empties search_path
-- first and silences notices, as pg_dump's own output does.

CREATE FUNCTION @extschema@.security_script() RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    WITH members AS (
        SELECT c.oid, c.relkind, c.relowner, c.relacl, c.relrowsecurity, c.relforcerowsecurity,
               pg_catalog.format('%I.%I', n.nspname, c.relname) AS qname,
               CASE WHEN c.relkind OPERATOR(pg_catalog.=) 'S' THEN 'SEQUENCE' ELSE 'TABLE' END AS kind
        FROM pg_catalog.pg_depend d
        JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) d.objid
        JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
        WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
          AND d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_extension'::pg_catalog.regclass
          AND d.refobjid OPERATOR(pg_catalog.=) (SELECT e.oid FROM pg_catalog.pg_extension e
                                                WHERE e.extname OPERATOR(pg_catalog.=) 'dealscope')
          AND d.deptype OPERATOR(pg_catalog.=) 'e'
          AND c.relkind OPERATOR(pg_catalog.=) ANY ('{r,p,S,v,m,f}'::pg_catalog."char"[])
    ),
    privileges AS (
        -- table-level (attnum 0) and column privileges of every role but the owner
        SELECT m.qname, m.kind, 0 AS attnum, NULL::pg_catalog.name AS attname, a.grantee, a.privilege_type, a.is_grantable
        FROM members m, pg_catalog.aclexplode(m.relacl) a
        WHERE a.grantee OPERATOR(pg_catalog.<>) m.relowner
        UNION
        SELECT m.qname, m.kind, att.attnum, att.attname, a.grantee, a.privilege_type, a.is_grantable
        FROM members m
        JOIN pg_catalog.pg_attribute att ON att.attrelid OPERATOR(pg_catalog.=) m.oid
             AND att.attnum OPERATOR(pg_catalog.>) 0 AND NOT att.attisdropped AND att.attacl IS NOT NULL,
             pg_catalog.aclexplode(att.attacl) a
        WHERE a.grantee OPERATOR(pg_catalog.<>) m.relowner
    ),
    grants AS (
        -- one item per privilege: SELECT, or SELECT (col, col) for columns
        SELECT p.qname, p.kind, p.grantee, p.is_grantable, p.privilege_type,
               CASE WHEN pg_catalog.bool_or(p.attnum OPERATOR(pg_catalog.=) 0) THEN p.privilege_type
                    ELSE pg_catalog.format('%s (%s)', p.privilege_type,
                                           pg_catalog.string_agg(pg_catalog.quote_ident(p.attname), ', ' ORDER BY p.attnum)) END AS item
        FROM privileges p
        GROUP BY p.qname, p.kind, p.grantee, p.is_grantable, p.privilege_type
    ),
    initial AS (
        -- what the install script granted (pg_init_privs), and no longer holds
        SELECT m.qname, m.kind, a.grantee, a.privilege_type
        FROM members m
        JOIN pg_catalog.pg_init_privs i ON i.objoid OPERATOR(pg_catalog.=) m.oid
             AND i.classoid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
             AND i.objsubid OPERATOR(pg_catalog.=) 0,
             pg_catalog.aclexplode(i.initprivs) a
        WHERE a.grantee OPERATOR(pg_catalog.<>) m.relowner
          AND NOT EXISTS (SELECT FROM privileges p
                          WHERE p.qname OPERATOR(pg_catalog.=) m.qname AND p.attnum OPERATOR(pg_catalog.=) 0
                            AND p.grantee OPERATOR(pg_catalog.=) a.grantee
                            AND p.privilege_type OPERATOR(pg_catalog.=) a.privilege_type)
    ),
    lines AS (
        SELECT 1 AS part, m.qname AS obj, '' AS sub,
               pg_catalog.format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY;', m.qname) AS line
        FROM members m WHERE m.relrowsecurity
        UNION ALL
        SELECT 2, m.qname, '', pg_catalog.format('ALTER TABLE %s FORCE ROW LEVEL SECURITY;', m.qname)
        FROM members m WHERE m.relforcerowsecurity
        UNION ALL
        SELECT 3, m.qname, p.polname::pg_catalog.text,
               pg_catalog.format(E'DROP POLICY IF EXISTS %I ON %s;\nCREATE POLICY %I ON %s AS %s FOR %s TO %s%s%s;',
                   p.polname, m.qname, p.polname, m.qname,
                   CASE WHEN p.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END,
                   CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE'
                                 WHEN 'd' THEN 'DELETE' ELSE 'ALL' END,
                   (SELECT pg_catalog.string_agg(CASE WHEN r.rid OPERATOR(pg_catalog.=) 0 THEN 'PUBLIC'
                                                      ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(r.rid)) END,
                                                 ', ' ORDER BY r.ord)
                    FROM pg_catalog.unnest(p.polroles) WITH ORDINALITY AS r(rid, ord)),
                   ' USING (' OPERATOR(pg_catalog.||) pg_catalog.pg_get_expr(p.polqual, p.polrelid) OPERATOR(pg_catalog.||) ')',
                   ' WITH CHECK (' OPERATOR(pg_catalog.||) pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) OPERATOR(pg_catalog.||) ')')
        FROM members m JOIN pg_catalog.pg_policy p ON p.polrelid OPERATOR(pg_catalog.=) m.oid
        UNION ALL
        SELECT 4, g.qname, g.grantee_name, pg_catalog.format('GRANT %s ON %s %s TO %s%s;',
                   g.privs, g.kind, g.qname, g.grantee_name,
                   CASE WHEN g.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END)
        FROM (SELECT p.qname, p.kind, p.is_grantable,
                     CASE WHEN p.grantee OPERATOR(pg_catalog.=) 0 THEN 'PUBLIC'
                          ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(p.grantee)) END AS grantee_name,
                     pg_catalog.string_agg(p.item, ', ' ORDER BY p.privilege_type) AS privs
              FROM grants p
              GROUP BY p.qname, p.kind, p.grantee, p.is_grantable) g
        UNION ALL
        SELECT 5, i.qname, i.grantee_name, pg_catalog.format('REVOKE %s ON %s %s FROM %s;',
                   i.privs, i.kind, i.qname, i.grantee_name)
        FROM (SELECT x.qname, x.kind,
                     CASE WHEN x.grantee OPERATOR(pg_catalog.=) 0 THEN 'PUBLIC'
                          ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(x.grantee)) END AS grantee_name,
                     pg_catalog.string_agg(x.privilege_type, ', ' ORDER BY x.privilege_type) AS privs
              FROM initial x
              GROUP BY x.qname, x.kind, x.grantee) i
    )
    SELECT E'-- dealscope.security_script(): row-level security, policies and privileges of the extension''s tables\n'
           OPERATOR(pg_catalog.||) E'SET client_min_messages = warning;\n'
           OPERATOR(pg_catalog.||) E'SELECT pg_catalog.set_config(''search_path'', '''', false);\n'
           OPERATOR(pg_catalog.||) COALESCE(pg_catalog.string_agg(l.line, E'\n' ORDER BY l.part, l.obj, l.sub, l.line)
                                            OPERATOR(pg_catalog.||) E'\n', '')
    FROM lines l;
END;
COMMENT ON FUNCTION @extschema@.security_script() IS
    'SQL that puts back the row-level security, policies and privileges of the extension''s tables, which pg_dump does not keep (RLS, policies) or replays as the installing role (its GRANTs): save it before dumping, run it as a superuser after restoring';

-- ---- BI tools (doc/reference.md, "BI tools"): standard types in every answer, the
-- reporting schema (the same changes as the C edition's update) -------------

-- placement_reasons.kind and placement_matrix.endpoint become text (0.1.0
-- returned clause_kind and endpoint): dropped and created again.
DROP FUNCTION @extschema@.placement_reasons(text, @extschema@.endpoint, date);
DROP FUNCTION @extschema@.placement_matrix(date, @extschema@.endpoint[]);

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

-- reporting: the deal model and the questions for BI tools, in standard
-- types only (doc/reference.md, "BI tools").  Plain SQL, shared by both editions (the
-- C edition and the managed edition in managed/).  Added in 0.2.0.
--
-- Schema @extschema@_reporting holds views of the model tables and of the
-- questions at their defaults, and the placement questions taking text in
-- place of endpoint.  In every view, endpoint, endpoint_set, rate_schedule
-- and clause_kind columns are text (canonical form, default collation, in
-- both editions) and a daterange is two dates, NAME_from (first day) and
-- NAME_to (last day, inclusive; NULL when the range is open there).  So a BI
-- tool reads every column with any driver in text or binary mode, and its
-- filters (channel = 'azure/eastus', min(channel), a bound varchar) are
-- plain text operators that need no search_path.  Every column has a
-- comment (JDBC's REMARKS, ODBC's SQLColumns, \d+).
--
-- The views are security_invoker: a user reads through them exactly the
-- rows the model tables let that user read.  Expression indexes on
-- revenue_flow (channel as text, the period's first and last day) keep the
-- filters BI tools push down as fast as on the table itself (min/max of
-- channel or of a period bound read one index entry: the revenue_flow view
-- is one table, no join).

CREATE SCHEMA @extschema@_reporting;
COMMENT ON SCHEMA @extschema@_reporting IS
    'dealscope for BI tools: views of the deal model and of the questions, and the placement questions with text arguments, all in standard types (text, date, numeric, integer, boolean, arrays of them)';
GRANT USAGE ON SCHEMA @extschema@_reporting TO @extowner@ WITH GRANT OPTION;

-- The indexes the views' filters use: each expression is exactly the one
-- the view computes, so WHERE channel = ... or WHERE period_from >= ... on
-- the view is an index scan on revenue_flow.
CREATE INDEX revenue_flow_channel_text_idx ON @extschema@.revenue_flow ((channel::text COLLATE "default"));
CREATE INDEX revenue_flow_period_from_idx ON @extschema@.revenue_flow ((pg_catalog.lower(period)));
CREATE INDEX revenue_flow_period_to_idx ON @extschema@.revenue_flow ((pg_catalog.upper(period) OPERATOR(pg_catalog.-) 1));

-- --- the model tables --------------------------------------------------------

CREATE VIEW @extschema@_reporting.party WITH (security_invoker = true) AS
SELECT p.id, p.name, p.shipped
FROM @extschema@.party AS p;
COMMENT ON VIEW @extschema@_reporting.party IS
    'the parties to deals: model makers, clouds'' owners, customers (dealscope.party); every party column of the other views names one';
COMMENT ON COLUMN @extschema@_reporting.party.id IS 'the party''s name as the other views write it, lower case, e.g. openai';
COMMENT ON COLUMN @extschema@_reporting.party.name IS 'human-readable name, e.g. OpenAI';
COMMENT ON COLUMN @extschema@_reporting.party.shipped IS 'true on rows the extension ships';

CREATE VIEW @extschema@_reporting.provider WITH (security_invoker = true) AS
SELECT p.provider, p.owner, p.shipped
FROM @extschema@.provider AS p;
COMMENT ON VIEW @extschema@_reporting.provider IS
    'clouds and direct channels with the party that owns each (dealscope.provider)';
COMMENT ON COLUMN @extschema@_reporting.provider.provider IS 'provider name, the first segment of an endpoint, e.g. aws';
COMMENT ON COLUMN @extschema@_reporting.provider.owner IS 'the party that owns the provider, e.g. amazon';
COMMENT ON COLUMN @extschema@_reporting.provider.shipped IS 'true on rows the extension ships';

CREATE VIEW @extschema@_reporting.region WITH (security_invoker = true) AS
SELECT r.provider, r.region, (r.provider OPERATOR(pg_catalog.||) '/' OPERATOR(pg_catalog.||) r.region) AS endpoint,
       r.country::text AS country, r.shipped
FROM @extschema@.region AS r;
COMMENT ON VIEW @extschema@_reporting.region IS
    'public regions of each provider and the country each one is in (dealscope.region)';
COMMENT ON COLUMN @extschema@_reporting.region.provider IS 'provider name, e.g. aws';
COMMENT ON COLUMN @extschema@_reporting.region.region IS 'region name, e.g. us-east-1';
COMMENT ON COLUMN @extschema@_reporting.region.endpoint IS 'the region as an endpoint, provider/region, e.g. aws/us-east-1 (joins placement_matrix_today.endpoint)';
COMMENT ON COLUMN @extschema@_reporting.region.country IS 'ISO 3166 country code of the region, e.g. US';
COMMENT ON COLUMN @extschema@_reporting.region.shipped IS 'true on rows the extension ships';

CREATE VIEW @extschema@_reporting.jurisdiction WITH (security_invoker = true) AS
SELECT j.code, j.countries::text[] AS countries, j.shipped
FROM @extschema@.jurisdiction AS j;
COMMENT ON VIEW @extschema@_reporting.jurisdiction IS
    'named groups of countries used by residency clauses (dealscope.jurisdiction)';
COMMENT ON COLUMN @extschema@_reporting.jurisdiction.code IS 'jurisdiction code, e.g. EU';
COMMENT ON COLUMN @extschema@_reporting.jurisdiction.countries IS 'ISO 3166 country codes of its members';
COMMENT ON COLUMN @extschema@_reporting.jurisdiction.shipped IS 'true on rows the extension ships';

CREATE VIEW @extschema@_reporting.deal WITH (security_invoker = true) AS
SELECT d.id, d.name, d.parties, d.signed_on
FROM @extschema@.deal AS d;
COMMENT ON VIEW @extschema@_reporting.deal IS 'deals (contracts or amendments) between parties (dealscope.deal)';
COMMENT ON COLUMN @extschema@_reporting.deal.id IS 'deal identifier, e.g. msft-openai-2026';
COMMENT ON COLUMN @extschema@_reporting.deal.name IS 'human-readable name of the deal';
COMMENT ON COLUMN @extschema@_reporting.deal.parties IS 'the parties to the deal';
COMMENT ON COLUMN @extschema@_reporting.deal.signed_on IS 'the day the deal was signed or took effect';

CREATE VIEW @extschema@_reporting.clause WITH (security_invoker = true) AS
SELECT c.id, c.deal_id, c.kind::text AS kind, c.holder, c.grantor, c.products,
       c.scope::text COLLATE "default" AS scope,
       CASE WHEN pg_catalog.lower_inf(c.valid) OR NOT pg_catalog.isfinite(pg_catalog.lower(c.valid)) THEN NULL
            ELSE pg_catalog.lower(c.valid) END AS valid_from,
       CASE WHEN pg_catalog.upper_inf(c.valid) OR NOT pg_catalog.isfinite(pg_catalog.upper(c.valid)) THEN NULL
            ELSE pg_catalog.upper(c.valid) OPERATOR(pg_catalog.-) 1 END AS valid_to,
       c.rate::text COLLATE "default" AS rate,
       c.window_days, c.lag_days, c.data_class, c.jurisdictions, c.amount, c.currency::text AS currency,
       c.min_share, c.note
FROM @extschema@.clause AS c;
COMMENT ON VIEW @extschema@_reporting.clause IS
    'the terms of the deals, one row per clause (dealscope.clause), kind, scope and rate as text, valid as two dates';
COMMENT ON COLUMN @extschema@_reporting.clause.id IS 'clause identifier, e.g. rofr-msft; named in placement reasons';
COMMENT ON COLUMN @extschema@_reporting.clause.deal_id IS 'the deal the clause belongs to';
COMMENT ON COLUMN @extschema@_reporting.clause.kind IS 'exclusivity, rofr, first_launch, residency, revenue_share, primary_partner or commitment';
COMMENT ON COLUMN @extschema@_reporting.clause.holder IS 'the party the clause benefits';
COMMENT ON COLUMN @extschema@_reporting.clause.grantor IS 'the party the clause binds; it applies to the grantor''s workloads and flows';
COMMENT ON COLUMN @extschema@_reporting.clause.products IS 'comma-separated globs over product names, * = all';
COMMENT ON COLUMN @extschema@_reporting.clause.scope IS 'the endpoints the clause is about, as endpoint_set text, e.g. azure or aws, !aws/us-gov-*';
COMMENT ON COLUMN @extschema@_reporting.clause.valid_from IS 'first day the clause is in force; NULL when it has no start';
COMMENT ON COLUMN @extschema@_reporting.clause.valid_to IS 'last day the clause is in force (inclusive); NULL when it has no end';
COMMENT ON COLUMN @extschema@_reporting.clause.rate IS 'revenue_share: the share owed, as rate_schedule text, e.g. 20% or {[2026-04-28,2027-04-28) 20%->0%}';
COMMENT ON COLUMN @extschema@_reporting.clause.window_days IS 'rofr: days the holder has to answer an offer';
COMMENT ON COLUMN @extschema@_reporting.clause.lag_days IS 'first_launch: days after the launch inside scope before other endpoints may follow';
COMMENT ON COLUMN @extschema@_reporting.clause.data_class IS 'residency: the workload data class it restricts';
COMMENT ON COLUMN @extschema@_reporting.clause.jurisdictions IS 'residency: country and jurisdiction codes where the data may be served';
COMMENT ON COLUMN @extschema@_reporting.clause.amount IS 'commitment: the amount committed over the validity';
COMMENT ON COLUMN @extschema@_reporting.clause.currency IS 'ISO 4217 currency code of amount';
COMMENT ON COLUMN @extschema@_reporting.clause.min_share IS 'primary_partner: minimum fraction (0-1) of cloud spend for the holder';
COMMENT ON COLUMN @extschema@_reporting.clause.note IS 'free text';

CREATE VIEW @extschema@_reporting.workload WITH (security_invoker = true) AS
SELECT w.id, w.owner, w.product, w.data_class, w.requested_on
FROM @extschema@.workload AS w;
COMMENT ON VIEW @extschema@_reporting.workload IS 'products that need to be served somewhere (dealscope.workload)';
COMMENT ON COLUMN @extschema@_reporting.workload.id IS 'workload identifier';
COMMENT ON COLUMN @extschema@_reporting.workload.owner IS 'the party whose workload it is';
COMMENT ON COLUMN @extschema@_reporting.workload.product IS 'product name, e.g. api/gpt-5';
COMMENT ON COLUMN @extschema@_reporting.workload.data_class IS 'class of the data it handles (residency clauses)';
COMMENT ON COLUMN @extschema@_reporting.workload.requested_on IS 'the day the workload was requested';

CREATE VIEW @extschema@_reporting.placement_event WITH (security_invoker = true) AS
SELECT e.workload_id, e.kind, e.holder, e.at::text COLLATE "default" AS at, e.on_date
FROM @extschema@.placement_event AS e;
COMMENT ON VIEW @extschema@_reporting.placement_event IS
    'right-of-first-refusal steps and launches of workloads (dealscope.placement_event), at as text';
COMMENT ON COLUMN @extschema@_reporting.placement_event.workload_id IS 'the workload concerned';
COMMENT ON COLUMN @extschema@_reporting.placement_event.kind IS 'offer, decline, accept or launch';
COMMENT ON COLUMN @extschema@_reporting.placement_event.holder IS 'offer/decline/accept: the rofr holder';
COMMENT ON COLUMN @extschema@_reporting.placement_event.at IS 'launch: the endpoint the workload went live at, e.g. azure/eastus';
COMMENT ON COLUMN @extschema@_reporting.placement_event.on_date IS 'the day it happened';

CREATE VIEW @extschema@_reporting.revenue_flow WITH (security_invoker = true) AS
SELECT f.id, f.seller, f.buyer, f.product,
       f.channel::text COLLATE "default" AS channel,
       @extschema@.provider(f.channel) COLLATE "default" AS channel_provider,
       f.amount, f.currency::text AS currency,
       pg_catalog.lower(f.period) AS period_from,
       pg_catalog.upper(f.period) OPERATOR(pg_catalog.-) 1 AS period_to
FROM @extschema@.revenue_flow AS f;
COMMENT ON VIEW @extschema@_reporting.revenue_flow IS
    'money earned by seller from buyer over a period (dealscope.revenue_flow), channel as text, period as two dates';
COMMENT ON COLUMN @extschema@_reporting.revenue_flow.id IS 'flow identifier';
COMMENT ON COLUMN @extschema@_reporting.revenue_flow.seller IS 'the party that earns the amount';
COMMENT ON COLUMN @extschema@_reporting.revenue_flow.buyer IS 'the party that pays (NULL when not tracked)';
COMMENT ON COLUMN @extschema@_reporting.revenue_flow.product IS 'product sold';
COMMENT ON COLUMN @extschema@_reporting.revenue_flow.channel IS 'endpoint through which the revenue is earned, e.g. azure/eastus (indexed)';
COMMENT ON COLUMN @extschema@_reporting.revenue_flow.channel_provider IS 'the channel''s provider, e.g. azure (join provider for its owner)';
COMMENT ON COLUMN @extschema@_reporting.revenue_flow.amount IS 'amount earned over the whole period';
COMMENT ON COLUMN @extschema@_reporting.revenue_flow.currency IS 'ISO 4217 currency code';
COMMENT ON COLUMN @extschema@_reporting.revenue_flow.period_from IS 'first day of the period (indexed)';
COMMENT ON COLUMN @extschema@_reporting.revenue_flow.period_to IS 'last day of the period, inclusive (indexed)';

-- --- the questions at their defaults -------------------------------------------

CREATE VIEW @extschema@_reporting.placement_matrix_today WITH (security_invoker = true) AS
SELECT CURRENT_DATE AS on_date, m.workload_id, m.endpoint, m.verdict, m.eligible_from, m.reasons
FROM @extschema@.placement_matrix(CURRENT_DATE) AS m;
COMMENT ON VIEW @extschema@_reporting.placement_matrix_today IS
    'placement_matrix today: every workload x catalogued provider/region, with verdict, eligible_from and reasons';
COMMENT ON COLUMN @extschema@_reporting.placement_matrix_today.on_date IS 'the day asked about: today';
COMMENT ON COLUMN @extschema@_reporting.placement_matrix_today.workload_id IS 'the workload';
COMMENT ON COLUMN @extschema@_reporting.placement_matrix_today.endpoint IS 'the candidate endpoint, provider/region';
COMMENT ON COLUMN @extschema@_reporting.placement_matrix_today.verdict IS 'allowed, conditional or blocked';
COMMENT ON COLUMN @extschema@_reporting.placement_matrix_today.eligible_from IS 'today when allowed; else the day every obstacle lifts, NULL when one has no known end';
COMMENT ON COLUMN @extschema@_reporting.placement_matrix_today.reasons IS 'one line per clause in the way';

CREATE VIEW @extschema@_reporting.placement_summary_today WITH (security_invoker = true) AS
SELECT CURRENT_DATE AS on_date, s.workload_id, s.allowed, s.conditional, s.blocked, s.message
FROM @extschema@.placement_summary(CURRENT_DATE) AS s;
COMMENT ON VIEW @extschema@_reporting.placement_summary_today IS
    'placement_summary today: per workload, how many catalogued regions are allowed, conditional, blocked, and why';
COMMENT ON COLUMN @extschema@_reporting.placement_summary_today.on_date IS 'the day asked about: today';
COMMENT ON COLUMN @extschema@_reporting.placement_summary_today.workload_id IS 'the workload';
COMMENT ON COLUMN @extschema@_reporting.placement_summary_today.allowed IS 'candidate endpoints allowed';
COMMENT ON COLUMN @extschema@_reporting.placement_summary_today.conditional IS 'candidate endpoints allowed on a condition';
COMMENT ON COLUMN @extschema@_reporting.placement_summary_today.blocked IS 'candidate endpoints blocked';
COMMENT ON COLUMN @extschema@_reporting.placement_summary_today.message IS 'the counts and the clauses holding endpoints back, most frequent first';

CREATE VIEW @extschema@_reporting.partner_status_today WITH (security_invoker = true) AS
SELECT g.party, s.clause_id, s.kind, s.holder, s.currency::text AS currency,
       CASE WHEN pg_catalog.lower_inf(s.valid) OR NOT pg_catalog.isfinite(pg_catalog.lower(s.valid)) THEN NULL
            ELSE pg_catalog.lower(s.valid) END AS valid_from,
       CASE WHEN pg_catalog.upper_inf(s.valid) OR NOT pg_catalog.isfinite(pg_catalog.upper(s.valid)) THEN NULL
            ELSE pg_catalog.upper(s.valid) OPERATOR(pg_catalog.-) 1 END AS valid_to,
       s.committed, s.consumed, s.remaining, s.days_elapsed, s.days_left, s.required_daily, s.actual_daily,
       s.partner_share, s.min_share, s.below_min_share
FROM (SELECT DISTINCT c.grantor AS party FROM @extschema@.clause AS c
      WHERE c.kind::text OPERATOR(pg_catalog.=) ANY ('{commitment,primary_partner}'::text[])) AS g
CROSS JOIN LATERAL @extschema@.partner_status(g.party, CURRENT_DATE) AS s;
COMMENT ON VIEW @extschema@_reporting.partner_status_today IS
    'partner_status today for every party with commitment or primary_partner clauses';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.party IS 'the grantor of the clause';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.clause_id IS 'the commitment or primary_partner clause';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.kind IS 'commitment or primary_partner';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.holder IS 'the partner';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.currency IS 'currency of the figures';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.valid_from IS 'first day of the clause; NULL when it has no start';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.valid_to IS 'last day of the clause (inclusive); NULL when it has no end';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.committed IS 'commitment: the amount committed';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.consumed IS 'spend with the holder to date (prorated)';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.remaining IS 'commitment: committed minus consumed, not below 0';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.days_elapsed IS 'days of the clause up to today';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.days_left IS 'days of the clause after today';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.required_daily IS 'commitment: daily spend needed to meet it';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.actual_daily IS 'commitment: daily spend so far';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.partner_share IS 'primary_partner: the holder''s share of cloud spend to date';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.min_share IS 'primary_partner: the minimum share';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.below_min_share IS 'primary_partner: whether the share is below min_share';

GRANT SELECT ON @extschema@_reporting.party, @extschema@_reporting.provider, @extschema@_reporting.region, @extschema@_reporting.jurisdiction,
                @extschema@_reporting.deal, @extschema@_reporting.clause, @extschema@_reporting.workload,
                @extschema@_reporting.placement_event, @extschema@_reporting.revenue_flow,
                @extschema@_reporting.placement_matrix_today, @extschema@_reporting.placement_summary_today,
                @extschema@_reporting.partner_status_today
    TO @extowner@ WITH GRANT OPTION;

-- --- the placement questions with text in place of endpoint ---------------------
-- Each takes endpoints as text (a bare literal, a text or varchar parameter,
-- any case: dealscope.to_endpoint canonicalises and validates it, 22P02 on
-- bad input) and answers exactly as the function of schema dealscope.

CREATE FUNCTION @extschema@_reporting.placement_check(
    workload_id text, endpoint text, on_date date DEFAULT CURRENT_DATE,
    OUT verdict text, OUT eligible_from date, OUT reasons text[])
    RETURNS record
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
    SELECT c.verdict, c.eligible_from, c.reasons
    FROM @extschema@.placement_check(placement_check.workload_id, @extschema@.to_endpoint(placement_check.endpoint),
                                     placement_check.on_date) AS c;
END;
COMMENT ON FUNCTION @extschema@_reporting.placement_check(text, text, date) IS
    'dealscope.placement_check with the endpoint as text: verdict, eligible_from and reasons for the workload on that endpoint and day';

CREATE FUNCTION @extschema@_reporting.placement_reasons(
    workload_id text, endpoint text, on_date date DEFAULT CURRENT_DATE)
    RETURNS TABLE (clause_id text, kind text, verdict text, eligible_from date, reason text)
    LANGUAGE sql STABLE STRICT PARALLEL SAFE ROWS 5
BEGIN ATOMIC
    SELECT r.clause_id, r.kind, r.verdict, r.eligible_from, r.reason
    FROM @extschema@.placement_reasons(placement_reasons.workload_id, @extschema@.to_endpoint(placement_reasons.endpoint),
                                       placement_reasons.on_date) WITH ORDINALITY AS r
    ORDER BY r.ordinality;
END;
COMMENT ON FUNCTION @extschema@_reporting.placement_reasons(text, text, date) IS
    'dealscope.placement_reasons with the endpoint as text: one row per clause that applies to the workload on that day';

-- NULL candidates: every catalogued provider/region; NULL elements skipped.
CREATE FUNCTION @extschema@_reporting.placement_matrix(
    on_date date DEFAULT CURRENT_DATE, candidates text[] DEFAULT NULL)
    RETURNS TABLE (workload_id text, endpoint text, verdict text, eligible_from date, reasons text[])
    LANGUAGE sql STABLE PARALLEL SAFE ROWS 100000
BEGIN ATOMIC
    SELECT m.workload_id, m.endpoint, m.verdict, m.eligible_from, m.reasons
    FROM @extschema@.placement_matrix(placement_matrix.on_date,
             CASE WHEN placement_matrix.candidates IS NOT NULL
                  THEN ARRAY(SELECT @extschema@.to_endpoint(u.x)
                             FROM pg_catalog.unnest(placement_matrix.candidates) WITH ORDINALITY AS u(x, n)
                             ORDER BY u.n) END) AS m;
END;
COMMENT ON FUNCTION @extschema@_reporting.placement_matrix(date, text[]) IS
    'dealscope.placement_matrix with the candidates as text[] (NULL: every catalogued provider/region): every workload x candidate, in no particular order';

CREATE FUNCTION @extschema@_reporting.placement_summary(
    on_date date DEFAULT CURRENT_DATE, candidates text[] DEFAULT NULL)
    RETURNS TABLE (workload_id text, allowed int, conditional int, blocked int, message text)
    LANGUAGE sql STABLE PARALLEL SAFE ROWS 1000
BEGIN ATOMIC
    SELECT s.workload_id, s.allowed, s.conditional, s.blocked, s.message
    FROM @extschema@.placement_summary(placement_summary.on_date,
             CASE WHEN placement_summary.candidates IS NOT NULL
                  THEN ARRAY(SELECT @extschema@.to_endpoint(u.x)
                             FROM pg_catalog.unnest(placement_summary.candidates) WITH ORDINALITY AS u(x, n)
                             ORDER BY u.n) END) AS s;
END;
COMMENT ON FUNCTION @extschema@_reporting.placement_summary(date, text[]) IS
    'dealscope.placement_summary with the candidates as text[] (NULL: every catalogued provider/region): one line per workload';

-- ---------------------------------------------------------------------------
-- 0.2.0: reporting currency (src/fx.sql): the fx_rate table, fx_convert, and
-- report_currency as the last argument of revenue_report, exposure,
-- concentration and partner_status (NULL: the reports as before)
-- ---------------------------------------------------------------------------
-- fx: exchange rates and the conversion of a flow into a reporting currency
-- (doc/reference.md, "Reporting currency: fx_rate and report_currency").
-- Plain SQL and PL/pgSQL, shared by both editions (the C edition and the
-- managed edition in managed/).  Added in 0.2.0.
--
-- The rates are the user's (a treasury feed, the ECB's reference rates, the
-- rates the books use): the extension ships none.  A row says that from day
-- on, until the next row of the same pair, 1 unit of currency is rate units
-- of quote.  Only the pairs written exist: no inverse and no cross rate is
-- derived (1 / rate is not exact, and the books may quote both directions
-- differently).

CREATE TABLE @extschema@.fx_rate (
    currency char(3) NOT NULL,
    quote    char(3) NOT NULL,
    day      date NOT NULL,
    rate     numeric NOT NULL,
    CONSTRAINT fx_rate_pkey PRIMARY KEY (currency, quote, day),
    CONSTRAINT fx_rate_currency_is_iso_4217 CHECK (currency OPERATOR(pg_catalog.~) '^[A-Z]{3}$'),
    CONSTRAINT fx_rate_quote_is_iso_4217 CHECK (quote OPERATOR(pg_catalog.~) '^[A-Z]{3}$'),
    CONSTRAINT fx_rate_two_currencies CHECK (currency OPERATOR(pg_catalog.<>) quote),
    CONSTRAINT fx_rate_day_finite CHECK (pg_catalog.isfinite(day)),
    CONSTRAINT fx_rate_rate_positive
        CHECK (rate OPERATOR(pg_catalog.>) 0 AND rate OPERATOR(pg_catalog.<) 'Infinity'::numeric)
);
COMMENT ON TABLE @extschema@.fx_rate IS
    'exchange rates, filled by the user: 1 unit of currency = rate units of quote from day on, until the next row of the pair; what the reports'' report_currency argument converts flows with';
COMMENT ON COLUMN @extschema@.fx_rate.currency IS 'ISO 4217 code of the currency converted from (the flows'' currency), upper case';
COMMENT ON COLUMN @extschema@.fx_rate.quote IS 'ISO 4217 code of the currency converted to (the report currency), upper case';
COMMENT ON COLUMN @extschema@.fx_rate.day IS 'first day the rate applies; it applies until the day before the pair''s next row';
COMMENT ON COLUMN @extschema@.fx_rate.rate IS 'units of quote for 1 unit of currency, exact (any number of decimals), greater than 0';

SELECT pg_catalog.pg_extension_config_dump('@extschema@.fx_rate', '');

GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES
    ON @extschema@.fx_rate TO @extowner@ WITH GRANT OPTION;

-- One amount converted once: at the rate of (currency, report_currency) in
-- force on day (the pair's latest row on or before it), rounded half to
-- even to the report currency's minor unit.  The reports call it once per
-- flow with day = the first day of the flow's period and split the result
-- as they split any flow, so the parts of a converted flow still sum to
-- its converted amount at every grain.
CREATE FUNCTION @extschema@.fx_convert(amount numeric, currency char(3), day date, report_currency char(3))
    RETURNS numeric LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    mu int;
    r numeric;
    v numeric;
    w numeric;
BEGIN
    IF report_currency IS NULL OR amount IS NULL OR currency IS NULL THEN
        RETURN amount;
    END IF;
    PERFORM @extschema@.minor_unit(currency);            -- 22023 on a malformed code
    mu := @extschema@.minor_unit(report_currency);
    IF currency OPERATOR(pg_catalog.=) report_currency THEN
        RETURN amount;
    END IF;
    IF day IS NULL OR NOT isfinite(day) THEN
        RAISE EXCEPTION 'invalid day "%" to convert % to %', coalesce(day::text, 'NULL'), currency, report_currency
            USING ERRCODE = '22023',
            DETAIL = 'A conversion uses the rate in force on a finite day: a flow''s first day, a commitment''s first day (its valid range must then have a lower bound).';
    END IF;
    SELECT x.rate INTO r
    FROM @extschema@.fx_rate x
    WHERE x.currency OPERATOR(pg_catalog.=) fx_convert.currency
      AND x.quote OPERATOR(pg_catalog.=) fx_convert.report_currency
      AND x.day OPERATOR(pg_catalog.<=) fx_convert.day
    ORDER BY x.day DESC LIMIT 1;
    IF r IS NULL THEN
        RAISE EXCEPTION 'no fx_rate from % to % on %', currency, report_currency, day USING ERRCODE = '22023',
            DETAIL = format('dealscope.fx_rate has no row with currency %s, quote %s and a day on or before %s.',
                            currency, report_currency, day),
            HINT = 'Add the rate in force on that day (only the pairs written are used: no inverse or cross rate is derived).';
    END IF;
    -- exact product in minor units of the report currency, rounded half to even
    v := amount * r * 10::numeric ^ mu;
    w := floor(v);
    IF v - w > 0.5 OR (v - w = 0.5 AND mod(w, 2) <> 0) THEN
        w := w + 1;
    END IF;
    RETURN round(w * 10::numeric ^ (- mu), mu);
END $$;
COMMENT ON FUNCTION @extschema@.fx_convert(numeric, char(3), date, char(3)) IS
    'amount in currency converted to report_currency at the fx_rate in force on day (the pair''s latest row on or before day), rounded half to even to report_currency''s minor unit; the amount itself when report_currency is NULL or the same currency; 22023 when no rate applies';

-- The four reports take report_currency: a new signature, so they are
-- dropped and created again, and with them the view that calls
-- partner_status (src/reporting.sql, the same view again).
DROP VIEW @extschema@_reporting.partner_status_today;
DROP FUNCTION @extschema@.revenue_report(daterange, text, int);
DROP FUNCTION @extschema@.exposure(text, daterange, text, int);
DROP FUNCTION @extschema@.concentration(text, daterange);
DROP FUNCTION @extschema@.partner_status(text, date);
DROP FUNCTION @extschema@.report_cells(daterange, text, int, int, int, text);

CREATE FUNCTION @extschema@.report_cells(win daterange, grain text, fy_start int, wi0 int, wi1 int, party text,
                                         report_currency char(3))
    RETURNS TABLE (si int, seller text, party_buys boolean, channel @extschema@.endpoint, currency char(3), holder text,
                   gross numeric, share numeric)
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    WITH terms AS MATERIALIZED (
        SELECT t.*, pg_catalog.dense_rank() OVER (ORDER BY t.holder COLLATE "C") AS hid
        FROM @extschema@.share_terms() t),
    -- the flows' keys, numbered: everything below works on numbers
    k4 AS MATERIALIZED (
        SELECT x.seller, x.product, x.channel, x.currency, x.bp, pg_catalog.row_number() OVER () AS kid,
               pg_catalog.dense_rank() OVER (ORDER BY x.seller COLLATE "C", x.channel, x.currency COLLATE "C", x.bp) AS gid
        FROM (SELECT f.seller, f.product, f.channel, coalesce(report_cells.report_currency, f.currency) AS currency,
                     coalesce(f.buyer OPERATOR(pg_catalog.=) report_cells.party, false) AS bp
              FROM @extschema@.revenue_flow f
              WHERE f.period OPERATOR(pg_catalog.&&) report_cells.win
              AND (report_cells.party IS NULL
                   OR f.seller OPERATOR(pg_catalog.=) report_cells.party
                   OR f.buyer OPERATOR(pg_catalog.=) report_cells.party
                   OR f.seller IN (SELECT t.grantor FROM terms t WHERE t.holder OPERATOR(pg_catalog.=) report_cells.party))
              GROUP BY 1, 2, 3, 4, 5) x),
    fl AS MATERIALIZED (
        SELECT f.id, k.kid, k.gid,
               pg_catalog.lower(f.period) AS lo, pg_catalog.upper(f.period) AS hi,
               pg_catalog.abs(f.amount) OPERATOR(pg_catalog.*)
               @extschema@.minor_scale(@extschema@.currency_scale(f.currency::text)) AS a,
               pg_catalog.sign(f.amount) AS sgn,
               pg_catalog.upper(f.period) OPERATOR(pg_catalog.-) pg_catalog.lower(f.period) AS n,
               @extschema@.slice_index(pg_catalog.lower(f.period), report_cells.grain, report_cells.fy_start) AS i0,
               @extschema@.slice_index(pg_catalog.upper(f.period) OPERATOR(pg_catalog.-) 1, report_cells.grain, report_cells.fy_start) AS i1
        -- the flows the report reads, each converted once to report_currency
        -- (src/fx.sql); OFFSET 0: the conversion is computed once per flow,
        -- and only for these flows
        FROM (SELECT f.id, f.seller, f.buyer, f.product, f.channel, f.period,
                     CASE WHEN report_cells.report_currency IS NULL THEN f.amount
                          ELSE @extschema@.fx_convert(f.amount, f.currency, pg_catalog.lower(f.period),
                                                      report_cells.report_currency) END AS amount,
                     coalesce(report_cells.report_currency, f.currency) AS currency
              FROM @extschema@.revenue_flow f
              WHERE f.period OPERATOR(pg_catalog.&&) report_cells.win
                    AND (report_cells.party IS NULL
                         OR f.seller OPERATOR(pg_catalog.=) report_cells.party
                         OR f.buyer OPERATOR(pg_catalog.=) report_cells.party
                         OR f.seller IN (SELECT t.grantor FROM terms t WHERE t.holder OPERATOR(pg_catalog.=) report_cells.party))
              OFFSET 0) f
        JOIN k4 k ON k.seller OPERATOR(pg_catalog.=) f.seller AND k.channel OPERATOR(pg_catalog.=) f.channel
               AND k.currency OPERATOR(pg_catalog.=) f.currency
               AND coalesce(k.product, '') OPERATOR(pg_catalog.=) coalesce(f.product, '')
               AND (k.product IS NULL) OPERATOR(pg_catalog.=) (f.product IS NULL)
               AND k.bp OPERATOR(pg_catalog.=) coalesce(f.buyer OPERATOR(pg_catalog.=) report_cells.party, false)),
    cls AS (
        SELECT c.id AS clause_id, c.grantor, c.holder, coalesce(c.products, '*') AS products, c.scope
        FROM @extschema@.clause c
        WHERE c.id IN (SELECT t.clause_id FROM terms t)
          AND (report_cells.party IS NULL
               OR (c.grantor OPERATOR(pg_catalog.=) report_cells.party) OPERATOR(pg_catalog.<>)
                  (c.holder OPERATOR(pg_catalog.=) report_cells.party))),
    keys AS MATERIALIZED (
        SELECT k4.* FROM k4 WHERE k4.seller IN (SELECT cls.grantor FROM cls)),
    pm AS MATERIALIZED (
        SELECT p.seller, p.product IS NULL AS pnull, coalesce(p.product, '') AS pkey, c.clause_id
        FROM (SELECT DISTINCT keys.seller, keys.product FROM keys) p
        JOIN cls c ON c.grantor OPERATOR(pg_catalog.=) p.seller
        WHERE @extschema@.products_match(c.products, p.product)),
    cm AS MATERIALIZED (
        SELECT h.seller, h.channel, c.clause_id
        FROM (SELECT DISTINCT keys.seller, keys.channel FROM keys) h
        JOIN cls c ON c.grantor OPERATOR(pg_catalog.=) h.seller
        WHERE c.scope IS NULL OR @extschema@.endpoint_contained_by_endpoint_set(h.channel, c.scope)),
    kt AS MATERIALIZED (
        SELECT k.kid, t.hid, t.lo, t.hi, t.origin, t.c0, t.c1, t.d
        FROM keys k
        JOIN pm ON pm.seller OPERATOR(pg_catalog.=) k.seller AND pm.pkey OPERATOR(pg_catalog.=) coalesce(k.product, '')
               AND pm.pnull OPERATOR(pg_catalog.=) (k.product IS NULL)
        JOIN cm ON cm.seller OPERATOR(pg_catalog.=) k.seller AND cm.channel OPERATOR(pg_catalog.=) k.channel
               AND cm.clause_id OPERATOR(pg_catalog.=) pm.clause_id
        JOIN terms t ON t.clause_id OPERATOR(pg_catalog.=) pm.clause_id),
    -- single-slice flows: the slice gets the whole amount
    g1 AS (
        SELECT fl.i0 AS si, fl.gid, NULL::int8 AS hid, pg_catalog.sum(fl.sgn OPERATOR(pg_catalog.*) fl.a) AS gross, NULL::numeric AS share
        FROM fl
        WHERE fl.i0 OPERATOR(pg_catalog.=) fl.i1 AND fl.i0 OPERATOR(pg_catalog.>=) report_cells.wi0
          AND fl.i0 OPERATOR(pg_catalog.<=) report_cells.wi1
        GROUP BY fl.i0, fl.gid),
    -- a = q n + r: slice part q days + (r days) div n, remainder (r days) mod n;
    -- r days < n^2 < 2^63, so int8 is exact
    gs AS (
        SELECT fl.id, fl.gid, fl.sgn, x.si,
               pg_catalog.div(fl.a, fl.n::numeric) OPERATOR(pg_catalog.*) x.days AS g_whole,
               pg_catalog.mod(fl.a, fl.n::numeric)::int8 AS r,
               pg_catalog.mod(fl.a, fl.n::numeric)::int8 OPERATOR(pg_catalog.*) x.days OPERATOR(pg_catalog./) fl.n AS g_floor,
               pg_catalog.mod(fl.a, fl.n::numeric)::int8 OPERATOR(pg_catalog.*) x.days OPERATOR(pg_catalog.%) fl.n AS g_rem
        FROM fl
        CROSS JOIN LATERAL (
            SELECT i AS si,
                   (CASE WHEN i OPERATOR(pg_catalog.=) fl.i1 THEN fl.hi
                         ELSE @extschema@.index_start(i OPERATOR(pg_catalog.+) 1, report_cells.grain, report_cells.fy_start) END
                    OPERATOR(pg_catalog.-)
                    CASE WHEN i OPERATOR(pg_catalog.=) fl.i0 THEN fl.lo
                         ELSE @extschema@.index_start(i, report_cells.grain, report_cells.fy_start) END)::int8 AS days
            FROM pg_catalog.generate_series(fl.i0, fl.i1) i OFFSET 0) x
        WHERE fl.i1 OPERATOR(pg_catalog.>) (fl.i0 OPERATOR(pg_catalog.+) 1)),
    g2 AS (
        SELECT b.si, b.gid, NULL::int8 AS hid,
               pg_catalog.sum(b.sgn OPERATOR(pg_catalog.*) (b.g_whole OPERATOR(pg_catalog.+) (b.g_floor OPERATOR(pg_catalog.+) b.bonus))) AS gross,
               NULL::numeric AS share
        FROM (SELECT gs.si, gs.gid, gs.sgn, gs.g_whole, gs.g_floor,
                     CASE WHEN pg_catalog.row_number() OVER w OPERATOR(pg_catalog.<=)
                               (gs.r OPERATOR(pg_catalog.-) pg_catalog.sum(gs.g_floor) OVER w)
                          THEN 1 ELSE 0 END AS bonus
              FROM gs
              WINDOW w AS (PARTITION BY gs.id ORDER BY gs.g_rem DESC, gs.si
                           ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)) b
        WHERE b.si OPERATOR(pg_catalog.>=) report_cells.wi0 AND b.si OPERATOR(pg_catalog.<=) report_cells.wi1
        GROUP BY b.si, b.gid),
    -- flows over two slices: r d1 mod n + r d2 mod n is 0 or n, so one unit
    -- at most is missing, and it goes to the first slice when its remainder
    -- is at least the second's (ties to the earliest)
    gp AS (
        SELECT v.si, gp.gid, NULL::int8 AS hid, pg_catalog.sum(gp.sgn OPERATOR(pg_catalog.*) v.part) AS gross, NULL::numeric AS share
        FROM (SELECT fl.gid, fl.i0, fl.i1, fl.sgn, fl.a,
                     pg_catalog.div(fl.a, fl.n::numeric) OPERATOR(pg_catalog.*) x.d1
                     OPERATOR(pg_catalog.+) (x.r OPERATOR(pg_catalog.*) x.d1 OPERATOR(pg_catalog./) fl.n)
                     OPERATOR(pg_catalog.+)
                     CASE WHEN (x.r OPERATOR(pg_catalog.*) x.d1 OPERATOR(pg_catalog.%) fl.n) OPERATOR(pg_catalog.>) 0
                               AND 2 OPERATOR(pg_catalog.*) (x.r OPERATOR(pg_catalog.*) x.d1 OPERATOR(pg_catalog.%) fl.n)
                                   OPERATOR(pg_catalog.>=) fl.n
                          THEN 1 ELSE 0 END AS p1
              FROM fl
              CROSS JOIN LATERAL (
                  SELECT pg_catalog.mod(fl.a, fl.n::numeric)::int8 AS r,
                         (@extschema@.index_start(fl.i1, report_cells.grain, report_cells.fy_start)
                          OPERATOR(pg_catalog.-) fl.lo)::int8 AS d1
                  OFFSET 0) x
              WHERE fl.i1 OPERATOR(pg_catalog.=) (fl.i0 OPERATOR(pg_catalog.+) 1)
              OFFSET 0) gp
        CROSS JOIN LATERAL (VALUES (gp.i0, gp.p1), (gp.i1, gp.a OPERATOR(pg_catalog.-) gp.p1)) v(si, part)
        WHERE v.si OPERATOR(pg_catalog.>=) report_cells.wi0 AND v.si OPERATOR(pg_catalog.<=) report_cells.wi1
        GROUP BY v.si, gp.gid),
    ft AS (
        SELECT fl.id, fl.gid, fl.lo, fl.hi, fl.a, fl.sgn, fl.n, fl.i0, fl.i1,
               kt.hid, kt.lo AS tlo, kt.hi AS thi, kt.origin, kt.c0, kt.c1, kt.d
        FROM fl JOIN kt ON kt.kid OPERATOR(pg_catalog.=) fl.kid
        WHERE kt.lo OPERATOR(pg_catalog.<) fl.hi AND kt.hi OPERATOR(pg_catalog.>) fl.lo),
    -- single-slice flows: each holder gets its rounded total
    s1 AS (
        SELECT x.i0 AS si, x.gid, x.hid, NULL::numeric AS gross, pg_catalog.sum(x.share) AS share
        FROM (SELECT ft.i0, ft.gid, CASE WHEN report_cells.party IS NOT NULL THEN ft.hid END AS hid,
                     ft.sgn OPERATOR(pg_catalog.*) @extschema@.round_half_even(
                         ft.a OPERATOR(pg_catalog.*) pg_catalog.sum(@extschema@.term_sum(ft.lo, ft.hi, ft.tlo, ft.thi, ft.origin, ft.c0, ft.c1)),
                         ft.n::numeric OPERATOR(pg_catalog.*) ft.d) AS share
              FROM ft
              WHERE ft.i0 OPERATOR(pg_catalog.=) ft.i1 AND ft.i0 OPERATOR(pg_catalog.>=) report_cells.wi0
                AND ft.i0 OPERATOR(pg_catalog.<=) report_cells.wi1
              GROUP BY ft.id, ft.hid, ft.i0, ft.gid, ft.a, ft.sgn, ft.n, ft.d) x
        GROUP BY x.i0, x.gid, x.hid),
    sp AS (
        SELECT ft.id, ft.hid, x.si, ft.gid, ft.sgn,
               ft.n::numeric OPERATOR(pg_catalog.*) ft.d AS den,
               ft.a OPERATOR(pg_catalog.*)
               pg_catalog.sum(@extschema@.term_sum(x.x, x.y, ft.tlo, ft.thi, ft.origin, ft.c0, ft.c1)) AS num
        FROM ft
        CROSS JOIN LATERAL (
            SELECT i AS si,
                   CASE WHEN i OPERATOR(pg_catalog.=) ft.i0 THEN ft.lo
                        ELSE @extschema@.index_start(i, report_cells.grain, report_cells.fy_start) END AS x,
                   CASE WHEN i OPERATOR(pg_catalog.=) ft.i1 THEN ft.hi
                        ELSE @extschema@.index_start(i OPERATOR(pg_catalog.+) 1, report_cells.grain, report_cells.fy_start) END AS y
            FROM pg_catalog.generate_series(
                     @extschema@.slice_index(GREATEST(ft.lo, ft.tlo), report_cells.grain, report_cells.fy_start),
                     @extschema@.slice_index(LEAST(ft.hi, ft.thi) OPERATOR(pg_catalog.-) 1, report_cells.grain, report_cells.fy_start)) i OFFSET 0) x
        WHERE ft.i0 OPERATOR(pg_catalog.<) ft.i1
        GROUP BY ft.id, ft.hid, x.si, ft.gid, ft.sgn, ft.a, ft.n, ft.d),
    sf AS (
        SELECT sp.*, pg_catalog.div(sp.num, sp.den) AS s_floor, pg_catalog.mod(sp.num, sp.den) AS s_rem FROM sp),
    s2 AS (
        SELECT b.si, b.gid, b.hid, NULL::numeric AS gross,
               pg_catalog.sum(b.sgn OPERATOR(pg_catalog.*) (b.s_floor OPERATOR(pg_catalog.+) b.bonus)) AS share
        FROM (SELECT sf.si, sf.gid, CASE WHEN report_cells.party IS NOT NULL THEN sf.hid END AS hid, sf.sgn, sf.s_floor,
                     CASE WHEN pg_catalog.row_number() OVER w OPERATOR(pg_catalog.<=)
                               (@extschema@.round_half_even(pg_catalog.sum(sf.num) OVER w, sf.den)
                                OPERATOR(pg_catalog.-) pg_catalog.sum(sf.s_floor) OVER w)
                          THEN 1 ELSE 0 END AS bonus
              FROM sf
              WINDOW w AS (PARTITION BY sf.id, sf.hid ORDER BY sf.s_rem DESC, sf.si
                           ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)) b
        WHERE b.si OPERATOR(pg_catalog.>=) report_cells.wi0 AND b.si OPERATOR(pg_catalog.<=) report_cells.wi1
        GROUP BY b.si, b.gid, b.hid),
    u AS (
        SELECT u.si, u.gid, u.hid, pg_catalog.sum(u.gross) AS gross, pg_catalog.sum(u.share) AS share
        FROM (SELECT * FROM g1 UNION ALL SELECT * FROM g2 UNION ALL SELECT * FROM gp UNION ALL SELECT * FROM s1 UNION ALL SELECT * FROM s2) u
        GROUP BY u.si, u.gid, u.hid)
    SELECT u.si, g.seller, g.bp, g.channel, g.currency, h.holder, u.gross, u.share
    FROM u JOIN (SELECT DISTINCT ON (k4.gid) k4.gid, k4.seller, k4.bp, k4.channel, k4.currency FROM k4) g
      ON g.gid OPERATOR(pg_catalog.=) u.gid
    LEFT JOIN (SELECT DISTINCT terms.hid, terms.holder FROM terms) h ON h.hid OPERATOR(pg_catalog.=) u.hid
$$;
COMMENT ON FUNCTION @extschema@.report_cells(daterange, text, int, int, int, text, char(3)) IS
    'internal: per slice number (wi0 .. wi1), seller, channel, currency (with party: whether party buys, and the holder of share parts) the sums of the exact gross and share parts (signed minor units) of the flows overlapping win (each converted once to report_currency when it is not NULL); what revenue_report and exposure group further';

CREATE FUNCTION @extschema@.revenue_report(during daterange, grain text DEFAULT 'month', fy_start int DEFAULT 1,
                                           report_currency char(3) DEFAULT NULL)
    RETURNS TABLE (slice_start date, slice_end date, label text, seller text, channel_owner text,
                   currency char(3), gross numeric, share numeric, net numeric)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    -- JIT compiling the big query costs seconds; the CTEs' row estimates are
    -- poor, and a nested loop over them is quadratic
    SET search_path = pg_catalog, pg_temp SET jit = off SET enable_nestloop = off SET enable_mergejoin = off SET work_mem = '256MB' AS $$
#variable_conflict use_column
DECLARE
    win daterange := @extschema@.report_window(during, grain, fy_start);
    -- the numbers of the first and last slices of the window
    wi0 int := CASE WHEN lower_inf(win) THEN -2147483648 ELSE @extschema@.slice_index(lower(win), grain, fy_start) END;
    wi1 int := CASE WHEN upper_inf(win) THEN 2147483647 ELSE @extschema@.slice_index(upper(win) - 1, grain, fy_start) END;
BEGIN
    PERFORM @extschema@.minor_unit(report_currency);    -- 22023 on a malformed code
    RETURN QUERY
    WITH byo AS (
        SELECT b.si, b.seller, o.owner, b.currency, coalesce(sum(b.gross), 0) AS g, coalesce(sum(b.share), 0) AS s
        FROM @extschema@.report_cells(win, $2, $3, wi0, wi1, NULL, report_currency) b
        LEFT JOIN @extschema@.provider o ON o.provider = @extschema@.provider(b.channel)
        GROUP BY b.si, b.seller, o.owner, b.currency)
    SELECT x.s0, @extschema@.index_end(b.si, $2, $3), @extschema@.slice_label(x.s0, $2, $3), b.seller, b.owner, b.currency,
           round(b.g * f, mu), round(b.s * f, mu), round((b.g - b.s) * f, mu)
    FROM byo b
    CROSS JOIN LATERAL (SELECT @extschema@.index_start(b.si, $2, $3) AS s0) x
    CROSS JOIN LATERAL (SELECT @extschema@.currency_scale(b.currency::text) AS mu) m
    CROSS JOIN LATERAL (SELECT @extschema@.minor_factor(m.mu) AS f) y
    ORDER BY b.si, b.seller, b.owner NULLS LAST, b.currency;
END $$;
COMMENT ON FUNCTION @extschema@.revenue_report(daterange, text, int, char(3)) IS
    'revenue per slice overlapping during (slices whole), seller, channel owner (owner of the channel''s provider, NULL when not catalogued) and currency: gross, revenue share owed, net; equals the grouped sum of revenue_slices exactly; with report_currency, every flow is first converted to it (fx_convert at the first day of its period) and all rows are in it';

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

CREATE VIEW @extschema@_reporting.partner_status_today WITH (security_invoker = true) AS
SELECT g.party, s.clause_id, s.kind, s.holder, s.currency::text AS currency,
       CASE WHEN pg_catalog.lower_inf(s.valid) OR NOT pg_catalog.isfinite(pg_catalog.lower(s.valid)) THEN NULL
            ELSE pg_catalog.lower(s.valid) END AS valid_from,
       CASE WHEN pg_catalog.upper_inf(s.valid) OR NOT pg_catalog.isfinite(pg_catalog.upper(s.valid)) THEN NULL
            ELSE pg_catalog.upper(s.valid) OPERATOR(pg_catalog.-) 1 END AS valid_to,
       s.committed, s.consumed, s.remaining, s.days_elapsed, s.days_left, s.required_daily, s.actual_daily,
       s.partner_share, s.min_share, s.below_min_share
FROM (SELECT DISTINCT c.grantor AS party FROM @extschema@.clause AS c
      WHERE c.kind::text OPERATOR(pg_catalog.=) ANY ('{commitment,primary_partner}'::text[])) AS g
CROSS JOIN LATERAL @extschema@.partner_status(g.party, CURRENT_DATE) AS s;
COMMENT ON VIEW @extschema@_reporting.partner_status_today IS
    'partner_status today for every party with commitment or primary_partner clauses';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.party IS 'the grantor of the clause';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.clause_id IS 'the commitment or primary_partner clause';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.kind IS 'commitment or primary_partner';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.holder IS 'the partner';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.currency IS 'currency of the figures';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.valid_from IS 'first day of the clause; NULL when it has no start';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.valid_to IS 'last day of the clause (inclusive); NULL when it has no end';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.committed IS 'commitment: the amount committed';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.consumed IS 'spend with the holder to date (prorated)';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.remaining IS 'commitment: committed minus consumed, not below 0';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.days_elapsed IS 'days of the clause up to today';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.days_left IS 'days of the clause after today';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.required_daily IS 'commitment: daily spend needed to meet it';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.actual_daily IS 'commitment: daily spend so far';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.partner_share IS 'primary_partner: the holder''s share of cloud spend to date';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.min_share IS 'primary_partner: the minimum share';
COMMENT ON COLUMN @extschema@_reporting.partner_status_today.below_min_share IS 'primary_partner: whether the share is below min_share';
GRANT SELECT ON @extschema@_reporting.partner_status_today TO @extowner@ WITH GRANT OPTION;

-- ---------------------------------------------------------------------------
-- 0.2.0: share_report, the revenue share per holder (issue 14), built on
-- revenue_holder_agg (keyed_slice_total kind 5).
-- ---------------------------------------------------------------------------
COMMENT ON TYPE @extschema@.keyed_slice_total IS
    'one slice of a prorated total kept apart by a key the aggregate computes (revenue_provider_agg: kind 0, the flows'' seller and the provider of their channel; exposure_agg: kinds 1 to 4, see there; revenue_holder_agg: kind 5, the holder); unnest the arrays to get rows';
COMMENT ON COLUMN @extschema@.keyed_slice_total.kind IS 'what the figures are (revenue_provider_agg: always 0, revenue with its shares; exposure_agg: 1 to 4; revenue_holder_agg: always 5, the revenue owing a holder and its share)';
COMMENT ON COLUMN @extschema@.keyed_slice_total.party IS 'the party the figures were kept apart by (revenue_provider_agg: the seller; exposure_agg: the counterparty, empty for kind 1; revenue_holder_agg: the holder)';

-- revenue_holder_agg
CREATE FUNCTION @extschema@.revenue_holder_agg_trans(st @extschema@.agg_state, seller text, product text,
                                                     channel @extschema@.endpoint, amount numeric, currency char(3),
                                                     period daterange, grain text, fy_start int, "window" daterange,
                                                     holder text)
    RETURNS @extschema@.agg_state
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    f record;
    cells @extschema@.agg_cell[];
BEGIN
    IF seller IS NULL OR channel IS NULL THEN
        RETURN st;
    END IF;
    f := @extschema@.agg_flow(amount, period, currency, grain, fy_start);
    IF f.a IS NULL OR ("window" IS NOT NULL AND NOT daterange(f.lo, f.hi) && "window") THEN
        RETURN st;
    END IF;
    st := @extschema@.agg_config(st, grain, fy_start, NULL);
    -- 5: per holder owed a nonzero share on the flow, every slice's gross and its share
    WITH m AS MATERIALIZED (
        SELECT * FROM @extschema@.model_split(seller, product, channel, abs(f.a), f.lo, f.hi, grain, fy_start)),
    h AS (
        SELECT m.holder FROM m
        WHERE m.holder IS NOT NULL
          AND (revenue_holder_agg_trans.holder IS NULL OR m.holder = revenue_holder_agg_trans.holder)
        GROUP BY m.holder HAVING bool_or(m.share <> 0))
    SELECT array_agg(ROW(5, h.holder, '', currency::text, g.slice_start, g.slice_end, sign(f.a) * g.gross,
                         sign(f.a) * coalesce(s.share, 0))::@extschema@.agg_cell)
      INTO cells
      FROM h CROSS JOIN m g
      LEFT JOIN m s ON s.holder = h.holder AND s.slice_start = g.slice_start
     WHERE g.holder IS NULL;
    IF cells IS NOT NULL THEN
        st := @extschema@.agg_add(st, cells);
    END IF;
    RETURN st;
END $$;
COMMENT ON FUNCTION @extschema@.revenue_holder_agg_trans(@extschema@.agg_state, text, text, @extschema@.endpoint, numeric, char(3), daterange, text, int, daterange, text) IS
    'transition function of revenue_holder_agg: splits one flow overlapping the window once per holder of its seller''s revenue_share clauses (or only holder) and adds it to that holder''s slices when it owes the holder a nonzero share';

CREATE AGGREGATE @extschema@.revenue_holder_agg(seller text, product text, channel @extschema@.endpoint,
                                                amount numeric, currency char(3), period daterange,
                                                grain text, fy_start int, "window" daterange, holder text) (
    SFUNC = @extschema@.revenue_holder_agg_trans,
    STYPE = @extschema@.agg_state,
    FINALFUNC = @extschema@.keyed_agg_final,
    COMBINEFUNC = @extschema@.agg_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.revenue_holder_agg(text, text, @extschema@.endpoint, numeric, char(3), daterange, text, int, daterange, text) IS
    'the revenue share per holder (every holder, or only holder when it is not NULL) and currency over the rows whose period overlaps window (NULL: every row): keyed_slice_total[] with kind 5, party = the holder, share = what the rows'' sellers owe it (each (flow, holder) rounded once, as revenue_agg), gross = the rows that owe it a nonzero share; one grain and fy_start per group; what share_report is built on (grouped by seller)';

-- share_report: revenue_report's share kept apart per holder, from
-- flow_parts (one share row per (flow, holder, slice), each (flow, holder)
-- rounded once, as the C edition's revenue_holder_agg): a flow counts for a
-- holder (its gross parts in the holder's rows) when its share parts for the
-- holder are not all zero.
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
    -- as revenue_slices (flow_parts)
    SET search_path = pg_catalog, pg_temp SET jit = off SET enable_nestloop = off SET work_mem = '256MB' AS $$
#variable_conflict use_column
DECLARE
    win daterange := @extschema@.report_window(during, grain, fy_start);
BEGIN
    IF holder IS NOT NULL THEN
        PERFORM @extschema@.require_party(holder, 'holder');
    END IF;
    RETURN QUERY
    WITH p AS MATERIALIZED (
        SELECT * FROM @extschema@.flow_parts(win, $2, $3, NULL) p
        WHERE p.holder IS NULL OR $4 IS NULL OR p.holder = $4),
    owing AS (
        SELECT p.flow_id, p.holder FROM p WHERE p.holder IS NOT NULL
        GROUP BY p.flow_id, p.holder HAVING bool_or(p.share <> 0)),
    cells AS (
        SELECT g.slice_start, g.slice_end, g.seller, o.holder, g.currency,
               sum(g.gross) AS g, coalesce(sum(s.share), 0) AS s
        FROM p g
        JOIN owing o ON o.flow_id = g.flow_id
        LEFT JOIN p s ON s.flow_id = g.flow_id AND s.holder = o.holder AND s.slice_start = g.slice_start
        WHERE g.holder IS NULL AND daterange(g.slice_start, g.slice_end, '[]') && $1
        GROUP BY g.slice_start, g.slice_end, g.seller, o.holder, g.currency
        HAVING sum(g.gross) <> 0 OR coalesce(sum(s.share), 0) <> 0)
    SELECT c.slice_start, c.slice_end, @extschema@.slice_label(c.slice_start, $2, $3), c.seller, c.holder, c.currency::char(3),
           round(c.g * f, mu), round(c.s * f, mu)
    FROM cells c
    CROSS JOIN LATERAL (SELECT @extschema@.currency_scale(c.currency::text) AS mu) m
    CROSS JOIN LATERAL (SELECT @extschema@.minor_factor(m.mu) AS f) x
    ORDER BY c.slice_start, c.seller, c.holder, c.currency;
END $$;
COMMENT ON FUNCTION @extschema@.share_report(daterange, text, int, text) IS
    'revenue share per slice overlapping during (slices whole), seller, holder (only holder when it is not NULL) and currency: the share the seller owes the holder under its revenue_share clauses (each (flow, holder) rounded once, as revenue_report), and the gross of the seller''s flows that owe the holder a nonzero share; per (slice, seller, currency) the holders'' shares sum to revenue_report''s share; rows whose gross and share are both zero are left out';

-- new in 0.2.0, copied from src/focus.sql
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
