SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS dealscope;
RESET client_min_messages;
SET search_path = dealscope, public;

--
-- The shipped catalog: providers and their owners, regions per provider.
--
SELECT p.provider, p.owner, count(r.region) AS regions
FROM provider p LEFT JOIN region r ON r.provider = p.provider AND r.shipped
WHERE p.shipped
GROUP BY p.provider, p.owner
ORDER BY p.provider;

SELECT count(*) AS regions, count(DISTINCT country) AS countries
FROM region WHERE shipped;

-- the shipped parties: the owners of the shipped providers
SELECT id, name FROM party WHERE shipped ORDER BY id;
SELECT p.provider, p.owner FROM provider p
WHERE NOT EXISTS (SELECT 1 FROM party WHERE id = p.owner);

-- spot checks
SELECT provider, region, country
FROM region
WHERE (provider, region) IN (('aws', 'eu-central-1'), ('aws', 'us-east-1'), ('aws', 'eu-west-2'),
                             ('aws', 'cn-north-1'), ('aws', 'us-gov-west-1'),
                             ('azure', 'uksouth'), ('azure', 'westeurope'), ('azure', 'northeurope'),
                             ('azure', 'germanywestcentral'), ('azure', 'eastus'),
                             ('gcp', 'us-central1'), ('gcp', 'europe-west1'), ('gcp', 'europe-west4'),
                             ('oci', 'us-ashburn-1'), ('oci', 'eu-frankfurt-1'), ('oci', 'uk-london-1'))
ORDER BY provider, region;

-- direct channels ship without regions: they are not tied to a country
SELECT p.provider, p.owner, p.owner = p.provider AS owned_by_itself, count(r.region) AS regions
FROM provider p LEFT JOIN region r ON r.provider = p.provider AND r.shipped
WHERE p.provider IN ('openai', 'anthropic')
GROUP BY p.provider, p.owner
ORDER BY p.provider;

-- every shipped country is two upper-case letters; regions per country
SELECT count(*) AS regions,
       count(*) FILTER (WHERE country !~ '^[A-Z]{2}$') AS bad_country_codes
FROM region WHERE shipped;
SELECT country, count(*) AS regions,
       string_agg(DISTINCT provider, ',' ORDER BY provider) AS providers
FROM region WHERE shipped
GROUP BY country
ORDER BY country;

-- every catalogued region is a valid endpoint provider/region, written as is
SELECT count(*) AS regions,
       count(*) FILTER (WHERE endpoint(provider, region)::text = provider || '/' || region) AS canonical
FROM region WHERE shipped;

--
-- Jurisdictions: every one, its size and its members.
--
SELECT code, cardinality(countries) AS size, countries
FROM jurisdiction WHERE shipped
ORDER BY code;

-- the EEA is the EU plus Iceland, Liechtenstein and Norway
SELECT eu.countries <@ eea.countries AS eu_in_eea,
       ARRAY(SELECT unnest(eea.countries) EXCEPT SELECT unnest(eu.countries) ORDER BY 1) AS eea_not_eu
FROM jurisdiction eu, jurisdiction eea
WHERE eu.code = 'EU' AND eea.code = 'EEA';

--
-- pg_dump keeps user rows only: each table is a configuration table whose
-- filter leaves the shipped rows to CREATE EXTENSION.
--
SELECT c.relname, x.cond
FROM pg_extension e,
     unnest(e.extconfig, e.extcondition) AS x(tab, cond)
     JOIN pg_class c ON c.oid = x.tab
WHERE e.extname = 'dealscope'
  AND c.relname IN ('party', 'provider', 'region', 'jurisdiction')
ORDER BY c.relname;

-- every table and column of the catalog has a comment
SELECT c.relname, a.attname
FROM pg_class c
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE c.relnamespace = 'dealscope'::regnamespace
  AND c.relname IN ('party', 'provider', 'region', 'jurisdiction')
  AND col_description(c.oid, a.attnum) IS NULL
UNION ALL
SELECT c.relname, NULL
FROM pg_class c
WHERE c.relnamespace = 'dealscope'::regnamespace
  AND c.relname IN ('party', 'provider', 'region', 'jurisdiction')
  AND obj_description(c.oid, 'pg_class') IS NULL;

--
-- Constraints reject inconsistent rows.
--
-- provider names are endpoint segments: lower case [a-z0-9._-], 1-63 characters
INSERT INTO provider (provider, owner) VALUES ('AWS', 'amazon');
INSERT INTO provider (provider, owner) VALUES ('my cloud', 'me');
INSERT INTO provider (provider, owner) VALUES ('-cloud', 'me');
INSERT INTO provider (provider, owner) VALUES ('', 'me');
INSERT INTO provider (provider, owner) VALUES (repeat('x', 64), 'me');
-- a provider's owner is a registered party (party), named in lower case
INSERT INTO provider (provider, owner) VALUES ('mycloud', ' ');
INSERT INTO provider (provider, owner) VALUES ('mycloud', 'Microsoft');
INSERT INTO provider (provider, owner) VALUES ('mycloud', NULL);
INSERT INTO provider (provider, owner) VALUES ('aws', 'someone-else');
-- region names likewise (lower case, as the endpoint type writes them);
-- countries are two upper-case letters
INSERT INTO region (provider, region, country) VALUES ('aws', 'US-East-9', 'US');
INSERT INTO region (provider, region, country) VALUES ('aws', 'us/east/9', 'US');
INSERT INTO region (provider, region, country) VALUES ('aws', 'ca-east-9', 'ca');
INSERT INTO region (provider, region, country) VALUES ('aws', 'ca-east-9', 'C');
INSERT INTO region (provider, region, country) VALUES ('aws', 'ca-east-9', '1A');
INSERT INTO region (provider, region, country) VALUES ('aws', 'ca-east-9', 'CAN');
INSERT INTO region (provider, region, country) VALUES ('aws', 'ca-east-9', NULL);
-- a region belongs to a known provider
INSERT INTO region (provider, region, country) VALUES ('nocloud', 'eu-1', 'DE');
-- a provider is only once in each region
INSERT INTO region (provider, region, country) VALUES ('aws', 'eu-central-1', 'DE');
-- a provider that still has regions cannot go
DELETE FROM provider WHERE provider = 'oci';
-- party names are lower case [a-z0-9._-], 1-63 characters, starting with a
-- letter or digit
INSERT INTO party (id) VALUES ('Anthropic');
INSERT INTO party (id) VALUES ('acme corp');
INSERT INTO party (id) VALUES ('-acme');
INSERT INTO party (id) VALUES ('');
INSERT INTO party (id) VALUES (repeat('a', 64));
INSERT INTO party (id) VALUES (NULL);
INSERT INTO party (id) VALUES ('openai');
-- a party that owns a provider cannot go; renaming it renames the owner
DELETE FROM party WHERE id = 'amazon';
BEGIN;
UPDATE party SET id = 'amazon.com' WHERE id = 'amazon';
SELECT provider, owner FROM provider WHERE provider = 'aws';
ROLLBACK;
-- jurisdictions: a non-empty list of two-letter upper-case codes
INSERT INTO jurisdiction (code, countries) VALUES ('NORDIC', '{}');
INSERT INTO jurisdiction (code, countries) VALUES ('NORDIC', '{DK,fi,NO,SE}');
INSERT INTO jurisdiction (code, countries) VALUES ('NORDIC', '{DK,FI,NULL,SE}');
INSERT INTO jurisdiction (code, countries) VALUES ('NORDIC', '{{DK,FI},{NO,SE}}');
INSERT INTO jurisdiction (code, countries) VALUES ('NORDIC', '{DK,F,NO}');
INSERT INTO jurisdiction (code, countries) VALUES ('NORDIC', NULL);
INSERT INTO jurisdiction (code, countries) VALUES ('nordic countries', '{DK,FI,IS,NO,SE}');
INSERT INTO jurisdiction (code, countries) VALUES ('EU', '{FR}');

--
-- Users add their own rows (shipped defaults to false, so pg_dump keeps them).
--
BEGIN;
INSERT INTO party (id, name) VALUES ('example-corp', 'Example Corp');
INSERT INTO provider (provider, owner) VALUES ('example-cloud', 'example-corp');
INSERT INTO region (provider, region, country) VALUES ('example-cloud', 'eu-west-1', 'DE');
INSERT INTO region (provider, region, country) VALUES ('example-cloud', 'us-1', 'US');
INSERT INTO region (provider, region, country) VALUES ('aws', 'example-local-1', 'FR');
INSERT INTO jurisdiction (code, countries) VALUES ('DACH', '{AT,CH,DE}');
SELECT provider, owner, shipped FROM provider
WHERE provider = 'example-cloud';
SELECT provider, region, country, shipped FROM region
WHERE provider = 'example-cloud' OR region = 'example-local-1'
ORDER BY provider, region;
SELECT code, countries, shipped FROM jurisdiction WHERE code = 'DACH';
-- which regions lie in a jurisdiction
SELECT r.provider, count(*) AS regions_in_dach
FROM region r JOIN jurisdiction j ON r.country = ANY (j.countries)
WHERE j.code = 'DACH' AND (r.shipped OR r.provider = 'example-cloud')
GROUP BY r.provider
ORDER BY r.provider;
ROLLBACK;
