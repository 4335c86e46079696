
-- deal model: deals, their clauses, workloads and placement events
-- (doc/design.md, "The deal model")
--
-- Users load their own data into these tables; pg_dump keeps it (every table
-- is registered with pg_extension_config_dump, and the extension ships no
-- rows in them).  CHECK constraints are named after what they demand, so a
-- violation message such as
--   new row for relation "clause" violates check constraint "clause_rofr_needs_window_days"
-- says what is missing.

CREATE TYPE @extschema@.clause_kind AS ENUM (
    'exclusivity', 'rofr', 'first_launch', 'residency',
    'revenue_share', 'primary_partner', 'commitment'
);
COMMENT ON TYPE @extschema@.clause_kind IS
    'what a deal clause does: exclusivity, rofr (right of first refusal), first_launch, residency (placement clauses); revenue_share, primary_partner, commitment (money clauses)';

CREATE TABLE @extschema@.deal (
    id        text PRIMARY KEY,
    name      text,
    parties   text[],
    signed_on date
);
COMMENT ON TABLE @extschema@.deal IS 'a deal (contract or amendment) between parties; its terms are rows of clause';
COMMENT ON COLUMN @extschema@.deal.id IS 'deal identifier chosen by the user, e.g. msft-openai-2026';
COMMENT ON COLUMN @extschema@.deal.name IS 'human-readable name of the deal';
COMMENT ON COLUMN @extschema@.deal.parties IS 'the parties to the deal, e.g. {microsoft,openai}';
COMMENT ON COLUMN @extschema@.deal.signed_on IS 'the day the deal (or amendment) was signed or took effect';

CREATE TABLE @extschema@.clause (
    id            text PRIMARY KEY,
    deal_id       text REFERENCES @extschema@.deal (id) ON UPDATE CASCADE,
    kind          @extschema@.clause_kind NOT NULL,
    holder        text CONSTRAINT clause_holder_is_a_party
                       REFERENCES @extschema@.party (id) ON UPDATE CASCADE,
    grantor       text CONSTRAINT clause_grantor_is_a_party
                       REFERENCES @extschema@.party (id) ON UPDATE CASCADE,
    products      text NOT NULL DEFAULT '*',
    scope         @extschema@.endpoint_set,
    valid         daterange NOT NULL,
    rate          @extschema@.rate_schedule,
    window_days   int,
    lag_days      int,
    data_class    text,
    jurisdictions text[],
    amount        numeric,
    currency      char(3),
    min_share     numeric,
    note          text,
    CONSTRAINT clause_needs_grantor CHECK (grantor IS NOT NULL),
    CONSTRAINT clause_valid_not_empty CHECK (NOT pg_catalog.isempty(valid)),
    CONSTRAINT clause_exclusivity_needs_holder
        CHECK (kind OPERATOR(pg_catalog.<>) 'exclusivity' OR holder IS NOT NULL),
    CONSTRAINT clause_exclusivity_needs_scope
        CHECK (kind OPERATOR(pg_catalog.<>) 'exclusivity' OR scope IS NOT NULL),
    CONSTRAINT clause_rofr_needs_holder
        CHECK (kind OPERATOR(pg_catalog.<>) 'rofr' OR holder IS NOT NULL),
    CONSTRAINT clause_rofr_needs_scope
        CHECK (kind OPERATOR(pg_catalog.<>) 'rofr' OR scope IS NOT NULL),
    CONSTRAINT clause_rofr_needs_window_days
        CHECK (kind OPERATOR(pg_catalog.<>) 'rofr' OR window_days IS NOT NULL),
    CONSTRAINT clause_first_launch_needs_holder
        CHECK (kind OPERATOR(pg_catalog.<>) 'first_launch' OR holder IS NOT NULL),
    CONSTRAINT clause_first_launch_needs_scope
        CHECK (kind OPERATOR(pg_catalog.<>) 'first_launch' OR scope IS NOT NULL),
    CONSTRAINT clause_first_launch_needs_lag_days
        CHECK (kind OPERATOR(pg_catalog.<>) 'first_launch' OR lag_days IS NOT NULL),
    CONSTRAINT clause_residency_needs_data_class
        CHECK (kind OPERATOR(pg_catalog.<>) 'residency' OR data_class IS NOT NULL),
    CONSTRAINT clause_residency_needs_jurisdictions
        CHECK (kind OPERATOR(pg_catalog.<>) 'residency' OR jurisdictions IS NOT NULL),
    CONSTRAINT clause_revenue_share_needs_holder
        CHECK (kind OPERATOR(pg_catalog.<>) 'revenue_share' OR holder IS NOT NULL),
    CONSTRAINT clause_revenue_share_needs_rate
        CHECK (kind OPERATOR(pg_catalog.<>) 'revenue_share' OR rate IS NOT NULL),
    CONSTRAINT clause_primary_partner_needs_holder
        CHECK (kind OPERATOR(pg_catalog.<>) 'primary_partner' OR holder IS NOT NULL),
    CONSTRAINT clause_primary_partner_needs_min_share
        CHECK (kind OPERATOR(pg_catalog.<>) 'primary_partner' OR min_share IS NOT NULL),
    CONSTRAINT clause_commitment_needs_holder
        CHECK (kind OPERATOR(pg_catalog.<>) 'commitment' OR holder IS NOT NULL),
    CONSTRAINT clause_commitment_needs_amount
        CHECK (kind OPERATOR(pg_catalog.<>) 'commitment' OR amount IS NOT NULL),
    CONSTRAINT clause_window_days_not_negative CHECK (window_days OPERATOR(pg_catalog.>=) 0),
    CONSTRAINT clause_lag_days_not_negative CHECK (lag_days OPERATOR(pg_catalog.>=) 0),
    CONSTRAINT clause_min_share_between_0_and_1 CHECK (min_share OPERATOR(pg_catalog.>=) 0 AND min_share OPERATOR(pg_catalog.<=) 1),
    -- (a commitment's currency is demanded through its amount)
    CONSTRAINT clause_amount_needs_currency CHECK (amount IS NULL OR currency IS NOT NULL),
    CONSTRAINT clause_currency_is_iso_4217 CHECK (currency OPERATOR(pg_catalog.~) '^[A-Z]{3}$'),
    CONSTRAINT clause_jurisdictions_not_empty
        CHECK (pg_catalog.cardinality(jurisdictions) OPERATOR(pg_catalog.>) 0
               AND pg_catalog.array_position(jurisdictions, NULL) IS NULL),
    -- A column the clause's kind does not read is an error, not silently
    -- ignored: a commitment with a scope looks scoped but is not.
    CONSTRAINT clause_rate_only_for_revenue_share
        CHECK (rate IS NULL OR kind OPERATOR(pg_catalog.=) 'revenue_share'),
    CONSTRAINT clause_window_days_only_for_rofr
        CHECK (window_days IS NULL OR kind OPERATOR(pg_catalog.=) 'rofr'),
    CONSTRAINT clause_lag_days_only_for_first_launch
        CHECK (lag_days IS NULL OR kind OPERATOR(pg_catalog.=) 'first_launch'),
    CONSTRAINT clause_data_class_only_for_residency
        CHECK (data_class IS NULL OR kind OPERATOR(pg_catalog.=) 'residency'),
    CONSTRAINT clause_jurisdictions_only_for_residency
        CHECK (jurisdictions IS NULL OR kind OPERATOR(pg_catalog.=) 'residency'),
    CONSTRAINT clause_amount_only_for_commitment
        CHECK (amount IS NULL OR kind OPERATOR(pg_catalog.=) 'commitment'),
    CONSTRAINT clause_currency_only_with_amount
        CHECK (currency IS NULL OR amount IS NOT NULL),
    CONSTRAINT clause_min_share_only_for_primary_partner
        CHECK (min_share IS NULL OR kind OPERATOR(pg_catalog.=) 'primary_partner'),
    CONSTRAINT clause_no_scope_for_residency_primary_partner_commitment
        CHECK (scope IS NULL
               OR kind OPERATOR(pg_catalog.<>) ALL ('{residency,primary_partner,commitment}'::@extschema@.clause_kind[])),
    CONSTRAINT clause_all_products_for_primary_partner_commitment
        CHECK (products OPERATOR(pg_catalog.=) '*'
               OR kind OPERATOR(pg_catalog.<>) ALL ('{primary_partner,commitment}'::@extschema@.clause_kind[]))
);
CREATE INDEX clause_grantor_idx ON @extschema@.clause (grantor);
CREATE INDEX clause_deal_id_idx ON @extschema@.clause (deal_id);
COMMENT ON TABLE @extschema@.clause IS
    'one term of a deal; kind decides its meaning and which columns it needs';
COMMENT ON COLUMN @extschema@.clause.id IS 'clause identifier chosen by the user, e.g. rofr-msft; named in placement reasons';
COMMENT ON COLUMN @extschema@.clause.deal_id IS 'the deal this clause belongs to';
COMMENT ON COLUMN @extschema@.clause.kind IS 'what the clause does (clause_kind)';
COMMENT ON COLUMN @extschema@.clause.holder IS 'the party that benefits: holds the exclusivity or right, receives the share, is the partner or payee (references party)';
COMMENT ON COLUMN @extschema@.clause.grantor IS 'the party bound by the clause; it applies to workloads and flows of this party (references party)';
COMMENT ON COLUMN @extschema@.clause.products IS 'comma-separated globs over product names (* matches any characters), e.g. api/*,chatgpt/*; default * (all products)';
COMMENT ON COLUMN @extschema@.clause.scope IS 'endpoints the clause is about: the exclusive, first-refusal or first-launch clouds; for revenue_share the channels (NULL = all)';
COMMENT ON COLUMN @extschema@.clause.valid IS 'the days the clause is in force (half-open daterange, not empty)';
COMMENT ON COLUMN @extschema@.clause.rate IS 'revenue_share: the share of revenue owed, possibly winding down over time';
COMMENT ON COLUMN @extschema@.clause.window_days IS 'rofr: days the holder has to answer an offer before it lapses';
COMMENT ON COLUMN @extschema@.clause.lag_days IS 'first_launch: days after the launch inside scope before other endpoints may follow';
COMMENT ON COLUMN @extschema@.clause.data_class IS 'residency: the workload data class the clause restricts, e.g. eu-personal';
COMMENT ON COLUMN @extschema@.clause.jurisdictions IS 'residency: ISO 3166 country codes and/or jurisdiction codes (see jurisdiction) where the data may be served';
COMMENT ON COLUMN @extschema@.clause.amount IS 'commitment: the amount the grantor committed to spend with the holder over valid';
COMMENT ON COLUMN @extschema@.clause.currency IS 'ISO 4217 currency code of amount, upper case';
COMMENT ON COLUMN @extschema@.clause.min_share IS 'primary_partner: the minimum fraction (0-1) of cloud spend the holder should receive';
COMMENT ON COLUMN @extschema@.clause.note IS 'free text, e.g. the source of a figure or that it is illustrative';

CREATE TABLE @extschema@.workload (
    id           text PRIMARY KEY,
    owner        text NOT NULL CONSTRAINT workload_owner_is_a_party
                       REFERENCES @extschema@.party (id) ON UPDATE CASCADE,
    product      text NOT NULL,
    data_class   text,
    requested_on date NOT NULL
);
COMMENT ON TABLE @extschema@.workload IS 'a product of a model maker that needs to be served somewhere; the subject of placement questions';
COMMENT ON COLUMN @extschema@.workload.id IS 'workload identifier chosen by the user';
COMMENT ON COLUMN @extschema@.workload.owner IS 'the party whose workload it is; clauses with this grantor apply to it (references party)';
COMMENT ON COLUMN @extschema@.workload.product IS 'product name matched against clause.products, e.g. api/gpt-5';
COMMENT ON COLUMN @extschema@.workload.data_class IS 'class of the data it handles; residency clauses with the same data_class apply';
COMMENT ON COLUMN @extschema@.workload.requested_on IS 'the day the workload was requested; rofr and first_launch clauses apply only to workloads requested while they are valid';

CREATE TABLE @extschema@.placement_event (
    workload_id text NOT NULL REFERENCES @extschema@.workload (id) ON UPDATE CASCADE ON DELETE CASCADE,
    kind        text NOT NULL,
    holder      text CONSTRAINT placement_event_holder_is_a_party
                     REFERENCES @extschema@.party (id) ON UPDATE CASCADE,
    at          @extschema@.endpoint,
    on_date     date NOT NULL,
    CONSTRAINT placement_event_kind_known
        CHECK (kind OPERATOR(pg_catalog.=) ANY ('{offer,decline,accept,launch}'::text[])),
    CONSTRAINT placement_event_offer_needs_holder
        CHECK (kind OPERATOR(pg_catalog.<>) 'offer' OR holder IS NOT NULL),
    CONSTRAINT placement_event_decline_needs_holder
        CHECK (kind OPERATOR(pg_catalog.<>) 'decline' OR holder IS NOT NULL),
    CONSTRAINT placement_event_accept_needs_holder
        CHECK (kind OPERATOR(pg_catalog.<>) 'accept' OR holder IS NOT NULL),
    CONSTRAINT placement_event_launch_needs_at
        CHECK (kind OPERATOR(pg_catalog.<>) 'launch' OR at IS NOT NULL),
    CONSTRAINT placement_event_on_date_finite CHECK (pg_catalog.isfinite(on_date))
);
CREATE INDEX placement_event_workload_idx ON @extschema@.placement_event (workload_id, on_date);
COMMENT ON TABLE @extschema@.placement_event IS
    'what happened to a workload: rofr steps (offer to, decline or accept by holder) and launches at an endpoint';
COMMENT ON COLUMN @extschema@.placement_event.workload_id IS 'the workload concerned';
COMMENT ON COLUMN @extschema@.placement_event.kind IS 'offer, decline or accept (right-of-first-refusal steps) or launch (went live at endpoint at)';
COMMENT ON COLUMN @extschema@.placement_event.holder IS 'offer/decline/accept: the rofr holder the workload was offered to, or who answered (references party)';
COMMENT ON COLUMN @extschema@.placement_event.at IS 'launch: the endpoint the workload went live at';
COMMENT ON COLUMN @extschema@.placement_event.on_date IS 'the day it happened; a check on day d counts only events on or before d';

SELECT pg_catalog.pg_extension_config_dump('@extschema@.deal', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.clause', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.workload', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.placement_event', '');

-- In a trusted extension the tables belong to the bootstrap superuser; the
-- user who created the extension owns the data in them and may share it.
-- Deal terms are confidential, so nothing is granted to PUBLIC.
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES
    ON @extschema@.deal, @extschema@.clause, @extschema@.workload, @extschema@.placement_event
    TO @extowner@ WITH GRANT OPTION;
