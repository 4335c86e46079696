
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
