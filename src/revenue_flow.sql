
-- revenue_flow: the money that moves between parties (doc/design.md, "The
-- deal model").  Plain SQL, shared by both editions (the C edition and the
-- managed edition in managed/).

CREATE TABLE @extschema@.revenue_flow (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    seller   text NOT NULL CONSTRAINT revenue_flow_seller_is_a_party
                  REFERENCES @extschema@.party (id) ON UPDATE CASCADE,
    buyer    text CONSTRAINT revenue_flow_buyer_is_a_party
                  REFERENCES @extschema@.party (id) ON UPDATE CASCADE,
    product  text,
    channel  @extschema@.endpoint NOT NULL,
    amount   numeric NOT NULL,
    currency char(3) NOT NULL,
    period   daterange NOT NULL,
    CONSTRAINT revenue_flow_currency_is_iso_4217
        CHECK (currency OPERATOR(pg_catalog.~) '^[A-Z]{3}$'),
    CONSTRAINT revenue_flow_amount_finite
        CHECK (amount OPERATOR(pg_catalog.<>) ALL ('{NaN,Infinity,-Infinity}'::numeric[])),
    CONSTRAINT revenue_flow_amount_scale
        CHECK (CASE WHEN currency OPERATOR(pg_catalog.~) '^[A-Z]{3}$'
                     AND amount OPERATOR(pg_catalog.<>) ALL ('{NaN,Infinity,-Infinity}'::numeric[])
                    THEN amount OPERATOR(pg_catalog.=)
                         pg_catalog.round(amount, @extschema@.minor_unit(currency))
                    ELSE true END),
    CONSTRAINT revenue_flow_amount_in_range
        CHECK (CASE WHEN currency OPERATOR(pg_catalog.~) '^[A-Z]{3}$'
                     AND amount OPERATOR(pg_catalog.<>) ALL ('{NaN,Infinity,-Infinity}'::numeric[])
                    THEN pg_catalog.abs(amount) OPERATOR(pg_catalog.<)
                         pg_catalog.power(10::numeric, 20 OPERATOR(pg_catalog.-) @extschema@.minor_unit(currency))
                    ELSE true END),
    CONSTRAINT revenue_flow_period_not_empty CHECK (NOT pg_catalog.isempty(period)),
    CONSTRAINT revenue_flow_period_bounded
        CHECK (pg_catalog.isempty(period)
               OR (NOT pg_catalog.lower_inf(period) AND NOT pg_catalog.upper_inf(period)
                   AND pg_catalog.isfinite(pg_catalog.lower(period))
                   AND pg_catalog.isfinite(pg_catalog.upper(period)))),
    -- every split walks all the slices of a flow's period, whatever window a
    -- report reads: this bounds what one row can cost (doc/design.md, "Limits")
    CONSTRAINT revenue_flow_period_at_most_100000_days
        CHECK (CASE WHEN pg_catalog.isempty(period) OR pg_catalog.lower_inf(period) OR pg_catalog.upper_inf(period)
                      OR NOT pg_catalog.isfinite(pg_catalog.lower(period))
                      OR NOT pg_catalog.isfinite(pg_catalog.upper(period))
                    THEN true
                    ELSE pg_catalog.upper(period) OPERATOR(pg_catalog.-) pg_catalog.lower(period)
                         OPERATOR(pg_catalog.<=) 100000 END)
);
CREATE INDEX revenue_flow_seller_idx ON @extschema@.revenue_flow (seller);
CREATE INDEX revenue_flow_buyer_idx ON @extschema@.revenue_flow (buyer);
COMMENT ON TABLE @extschema@.revenue_flow IS
    'money earned by seller from buyer, evenly per day over period (a one-off amount has a one-day period); a model maker''s sales and its purchases of cloud compute are both flows';
COMMENT ON COLUMN @extschema@.revenue_flow.id IS 'flow identifier, generated';
COMMENT ON COLUMN @extschema@.revenue_flow.seller IS 'the party that earns the amount; revenue_share clauses with this grantor apply (references party)';
COMMENT ON COLUMN @extschema@.revenue_flow.buyer IS 'the party that pays (NULL when not tracked, e.g. many end customers) (references party)';
COMMENT ON COLUMN @extschema@.revenue_flow.product IS 'product sold, matched against clause.products (NULL matches only clauses whose products include *)';
COMMENT ON COLUMN @extschema@.revenue_flow.channel IS 'endpoint through which the revenue is earned; its provider''s owner (provider table) is the channel owner';
COMMENT ON COLUMN @extschema@.revenue_flow.amount IS 'amount earned over the whole period, at most as many decimals as the currency has; negative for refunds and credits';
COMMENT ON COLUMN @extschema@.revenue_flow.currency IS 'ISO 4217 currency code, upper case';
COMMENT ON COLUMN @extschema@.revenue_flow.period IS 'days over which the amount is earned: a non-empty daterange with finite bounds, at most 100000 days long';

COMMENT ON SEQUENCE @extschema@.revenue_flow_id_seq IS 'generates revenue_flow.id';

SELECT pg_catalog.pg_extension_config_dump('@extschema@.revenue_flow', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.revenue_flow_id_seq', '');

GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES
    ON @extschema@.revenue_flow TO @extowner@ WITH GRANT OPTION;
GRANT USAGE, SELECT, UPDATE ON SEQUENCE @extschema@.revenue_flow_id_seq TO @extowner@ WITH GRANT OPTION;

