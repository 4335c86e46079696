-- catalog: who owns which cloud, where its regions are, and which countries
-- make up a jurisdiction.  Pure SQL; the placement checks (residency) and the
-- exposure reports (channel owner) read these tables.
--
-- Users add their own rows.  Rows the extension ships carry shipped = true and
-- are excluded from pg_dump by the pg_extension_config_dump filters below:
-- CREATE EXTENSION re-inserts them on restore, so a dump restores without
-- duplicates while every row a user added survives.  Editing or deleting a
-- shipped row is therefore not kept by pg_dump; add a row of your own instead.
--
-- Names follow the endpoint type (src/endpoint.c): a provider or region is a
-- valid endpoint segment, 1-63 characters of [a-z0-9._-] starting with a
-- letter or digit, so every catalogued region can be written as an endpoint
-- 'provider/region'.  Countries are ISO 3166-1 alpha-2 codes (the United
-- Kingdom is GB, Greece is GR).

CREATE TABLE @extschema@.provider (
    provider text PRIMARY KEY
        CONSTRAINT provider_name_format
        CHECK (provider OPERATOR(pg_catalog.~) '^[a-z0-9][a-z0-9._-]{0,62}$'),
    owner text NOT NULL
        CONSTRAINT provider_owner_is_a_party
        REFERENCES @extschema@.party (id) ON UPDATE CASCADE,
    shipped boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE @extschema@.provider IS
    'clouds and direct channels, each with the party that owns it (aws is owned by amazon); a model maker''s own direct channel is a provider owned by itself';
COMMENT ON COLUMN @extschema@.provider.provider IS
    'provider name as in an endpoint (the first segment of provider/region/service): 1-63 characters of [a-z0-9._-], starting with a letter or digit';
COMMENT ON COLUMN @extschema@.provider.owner IS
    'the party that owns the provider and earns what is sold through it, e.g. microsoft for azure (references party)';
COMMENT ON COLUMN @extschema@.provider.shipped IS
    'true on rows the extension ships; pg_dump keeps only rows with shipped = false, CREATE EXTENSION supplies the others';

CREATE TABLE @extschema@.region (
    provider text NOT NULL REFERENCES @extschema@.provider (provider),
    region text NOT NULL
        CONSTRAINT region_name_format
        CHECK (region OPERATOR(pg_catalog.~) '^[a-z0-9][a-z0-9._-]{0,62}$'),
    country char(2) NOT NULL
        CONSTRAINT region_country_format
        CHECK (country OPERATOR(pg_catalog.~) '^[A-Z]{2}$'),
    shipped boolean NOT NULL DEFAULT false,
    PRIMARY KEY (provider, region)
);
COMMENT ON TABLE @extschema@.region IS
    'public regions of each provider and the country each one is in; residency clauses check an endpoint''s region against it';
COMMENT ON COLUMN @extschema@.region.provider IS
    'the provider the region belongs to (references provider)';
COMMENT ON COLUMN @extschema@.region.region IS
    'region name as the provider''s API spells it and as in an endpoint (the second segment), e.g. eu-central-1, westeurope, us-central1, uk-london-1';
COMMENT ON COLUMN @extschema@.region.country IS
    'ISO 3166-1 alpha-2 code, upper case, of the country the region is in (GB for the United Kingdom)';
COMMENT ON COLUMN @extschema@.region.shipped IS
    'true on rows the extension ships; pg_dump keeps only rows with shipped = false, CREATE EXTENSION supplies the others';

CREATE TABLE @extschema@.jurisdiction (
    code text PRIMARY KEY
        CONSTRAINT jurisdiction_code_format
        CHECK (code OPERATOR(pg_catalog.~) '^[A-Za-z0-9][A-Za-z0-9._+-]{0,62}$'),
    countries char(2)[] NOT NULL
        CONSTRAINT jurisdiction_countries_format
        CHECK (pg_catalog.array_ndims(countries) OPERATOR(pg_catalog.=) 1
               AND pg_catalog.array_position(countries, NULL) IS NULL
               AND pg_catalog.array_to_string(countries, ',')
                   OPERATOR(pg_catalog.~) '^[A-Z]{2}(,[A-Z]{2})*$'),
    shipped boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE @extschema@.jurisdiction IS
    'named groups of countries (EU, EEA, ...) that residency clauses may list instead of single countries';
COMMENT ON COLUMN @extschema@.jurisdiction.code IS
    'the name a residency clause lists, e.g. EU: 1-63 characters of [A-Za-z0-9._+-], starting with a letter or digit';
COMMENT ON COLUMN @extschema@.jurisdiction.countries IS
    'ISO 3166-1 alpha-2 codes, upper case, of the member countries: a non-empty one-dimensional array without NULLs';
COMMENT ON COLUMN @extschema@.jurisdiction.shipped IS
    'true on rows the extension ships; pg_dump keeps only rows with shipped = false, CREATE EXTENSION supplies the others';

-- pg_dump keeps what users added, not what CREATE EXTENSION inserts.
SELECT pg_catalog.pg_extension_config_dump('@extschema@.provider', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.region', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.jurisdiction', 'WHERE NOT shipped');

-- In a trusted extension the tables belong to the bootstrap superuser; the
-- user who created the extension loads the data and may share it onwards.
-- The catalog holds public facts, so everyone may read it.
GRANT SELECT ON @extschema@.provider, @extschema@.region, @extschema@.jurisdiction TO PUBLIC;
-- and everyone may use the schema (its functions work on a user's own
-- tables; the deal tables stay private: nothing is granted on them)
GRANT USAGE ON SCHEMA @extschema@ TO PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES
    ON @extschema@.provider, @extschema@.region, @extschema@.jurisdiction
    TO @extowner@ WITH GRANT OPTION;

-- Shipped providers.  A model maker's own direct channel (its API, its apps)
-- is a provider owned by itself, so revenue through it counts as the maker's
-- own.  Direct channels ship without regions: they are not tied to a country
-- (an endpoint such as openai/global/api names no catalogued region), and a
-- residency clause rightly blocks an endpoint whose region is unknown.
INSERT INTO @extschema@.provider (provider, owner, shipped)
SELECT v.provider, v.owner, true
FROM (VALUES
    ('anthropic', 'anthropic'),     -- direct channel of a model maker
    ('aws',       'amazon'),        -- Amazon Web Services
    ('azure',     'microsoft'),     -- Microsoft Azure
    ('gcp',       'google'),        -- Google Cloud
    ('oci',       'oracle'),        -- Oracle Cloud Infrastructure
    ('openai',    'openai')         -- direct channel of a model maker
) AS v (provider, owner)
ORDER BY v.provider;

-- Shipped regions: the providers' public region lists (as of 2026), with the
-- region names their APIs use.  Only regions known to be open are listed;
-- announced but unopened ones are not, nor are dedicated or customer-only
-- ones (Oracle's dedicated regions, Azure's EUAP canaries).  Separate
-- partitions are included where their region names are public: AWS GovCloud,
-- AWS China and the AWS European Sovereign Cloud, Azure Government and Azure
-- China, Oracle's US and UK government and EU sovereign regions.
INSERT INTO @extschema@.region (provider, region, country, shipped)
SELECT v.provider, v.region, v.country, true
FROM (VALUES
    -- Amazon Web Services
    ('aws', 'af-south-1',      'ZA'),   -- Cape Town
    ('aws', 'ap-east-1',       'HK'),   -- Hong Kong
    ('aws', 'ap-east-2',       'TW'),   -- Taipei
    ('aws', 'ap-northeast-1',  'JP'),   -- Tokyo
    ('aws', 'ap-northeast-2',  'KR'),   -- Seoul
    ('aws', 'ap-northeast-3',  'JP'),   -- Osaka
    ('aws', 'ap-south-1',      'IN'),   -- Mumbai
    ('aws', 'ap-south-2',      'IN'),   -- Hyderabad
    ('aws', 'ap-southeast-1',  'SG'),   -- Singapore
    ('aws', 'ap-southeast-2',  'AU'),   -- Sydney
    ('aws', 'ap-southeast-3',  'ID'),   -- Jakarta
    ('aws', 'ap-southeast-4',  'AU'),   -- Melbourne
    ('aws', 'ap-southeast-5',  'MY'),   -- Malaysia
    ('aws', 'ap-southeast-6',  'NZ'),   -- New Zealand
    ('aws', 'ap-southeast-7',  'TH'),   -- Thailand
    ('aws', 'ca-central-1',    'CA'),   -- Canada (Central)
    ('aws', 'ca-west-1',       'CA'),   -- Calgary
    ('aws', 'cn-north-1',      'CN'),   -- Beijing (AWS China)
    ('aws', 'cn-northwest-1',  'CN'),   -- Ningxia (AWS China)
    ('aws', 'eu-central-1',    'DE'),   -- Frankfurt
    ('aws', 'eu-central-2',    'CH'),   -- Zurich
    ('aws', 'eu-north-1',      'SE'),   -- Stockholm
    ('aws', 'eu-south-1',      'IT'),   -- Milan
    ('aws', 'eu-south-2',      'ES'),   -- Spain
    ('aws', 'eu-west-1',       'IE'),   -- Ireland
    ('aws', 'eu-west-2',       'GB'),   -- London
    ('aws', 'eu-west-3',       'FR'),   -- Paris
    ('aws', 'eusc-de-east-1',  'DE'),   -- Brandenburg (AWS European Sovereign Cloud)
    ('aws', 'il-central-1',    'IL'),   -- Tel Aviv
    ('aws', 'me-central-1',    'AE'),   -- UAE
    ('aws', 'me-south-1',      'BH'),   -- Bahrain
    ('aws', 'mx-central-1',    'MX'),   -- Mexico (Central)
    ('aws', 'sa-east-1',       'BR'),   -- Sao Paulo
    ('aws', 'us-east-1',       'US'),   -- N. Virginia
    ('aws', 'us-east-2',       'US'),   -- Ohio
    ('aws', 'us-gov-east-1',   'US'),   -- GovCloud (US-East)
    ('aws', 'us-gov-west-1',   'US'),   -- GovCloud (US-West)
    ('aws', 'us-west-1',       'US'),   -- N. California
    ('aws', 'us-west-2',       'US'),   -- Oregon

    -- Microsoft Azure
    ('azure', 'australiacentral',   'AU'),  -- Canberra
    ('azure', 'australiacentral2',  'AU'),  -- Canberra
    ('azure', 'australiaeast',      'AU'),  -- New South Wales
    ('azure', 'australiasoutheast', 'AU'),  -- Victoria
    ('azure', 'belgiumcentral',     'BE'),  -- Brussels
    ('azure', 'brazilsouth',        'BR'),  -- Sao Paulo State
    ('azure', 'brazilsoutheast',    'BR'),  -- Rio de Janeiro
    ('azure', 'canadacentral',      'CA'),  -- Toronto
    ('azure', 'canadaeast',         'CA'),  -- Quebec City
    ('azure', 'centralindia',       'IN'),  -- Pune
    ('azure', 'centralus',          'US'),  -- Iowa
    ('azure', 'chilecentral',       'CL'),  -- Santiago
    ('azure', 'chinaeast2',         'CN'),  -- Shanghai (Azure China)
    ('azure', 'chinaeast3',         'CN'),  -- Shanghai (Azure China)
    ('azure', 'chinanorth2',        'CN'),  -- Beijing (Azure China)
    ('azure', 'chinanorth3',        'CN'),  -- Hebei (Azure China)
    ('azure', 'denmarkeast',        'DK'),  -- Copenhagen
    ('azure', 'eastasia',           'HK'),  -- Hong Kong
    ('azure', 'eastus',             'US'),  -- Virginia
    ('azure', 'eastus2',            'US'),  -- Virginia
    ('azure', 'francecentral',      'FR'),  -- Paris
    ('azure', 'francesouth',        'FR'),  -- Marseille
    ('azure', 'germanynorth',       'DE'),  -- Berlin
    ('azure', 'germanywestcentral', 'DE'),  -- Frankfurt
    ('azure', 'indonesiacentral',   'ID'),  -- Jakarta
    ('azure', 'israelcentral',      'IL'),  -- Israel
    ('azure', 'italynorth',         'IT'),  -- Milan
    ('azure', 'japaneast',          'JP'),  -- Tokyo, Saitama
    ('azure', 'japanwest',          'JP'),  -- Osaka
    ('azure', 'jioindiacentral',    'IN'),  -- Nagpur
    ('azure', 'jioindiawest',       'IN'),  -- Jamnagar
    ('azure', 'koreacentral',       'KR'),  -- Seoul
    ('azure', 'koreasouth',         'KR'),  -- Busan
    ('azure', 'malaysiawest',       'MY'),  -- Kuala Lumpur
    ('azure', 'mexicocentral',      'MX'),  -- Queretaro
    ('azure', 'newzealandnorth',    'NZ'),  -- Auckland
    ('azure', 'northcentralus',     'US'),  -- Illinois
    ('azure', 'northeurope',        'IE'),  -- Ireland
    ('azure', 'norwayeast',         'NO'),  -- Oslo
    ('azure', 'norwaywest',         'NO'),  -- Stavanger
    ('azure', 'polandcentral',      'PL'),  -- Warsaw
    ('azure', 'qatarcentral',       'QA'),  -- Doha
    ('azure', 'southafricanorth',   'ZA'),  -- Johannesburg
    ('azure', 'southafricawest',    'ZA'),  -- Cape Town
    ('azure', 'southcentralus',     'US'),  -- Texas
    ('azure', 'southeastasia',      'SG'),  -- Singapore
    ('azure', 'southindia',         'IN'),  -- Chennai
    ('azure', 'spaincentral',       'ES'),  -- Madrid
    ('azure', 'swedencentral',      'SE'),  -- Gavle
    ('azure', 'swedensouth',        'SE'),  -- Staffanstorp
    ('azure', 'switzerlandnorth',   'CH'),  -- Zurich
    ('azure', 'switzerlandwest',    'CH'),  -- Geneva
    ('azure', 'uaecentral',         'AE'),  -- Abu Dhabi
    ('azure', 'uaenorth',           'AE'),  -- Dubai
    ('azure', 'uksouth',            'GB'),  -- London
    ('azure', 'ukwest',             'GB'),  -- Cardiff
    ('azure', 'usgovarizona',       'US'),  -- Azure Government
    ('azure', 'usgovtexas',         'US'),  -- Azure Government
    ('azure', 'usgovvirginia',      'US'),  -- Azure Government
    ('azure', 'westcentralus',      'US'),  -- Wyoming
    ('azure', 'westeurope',         'NL'),  -- Netherlands
    ('azure', 'westindia',          'IN'),  -- Mumbai
    ('azure', 'westus',             'US'),  -- California
    ('azure', 'westus2',            'US'),  -- Washington
    ('azure', 'westus3',            'US'),  -- Phoenix

    -- Google Cloud
    ('gcp', 'africa-south1',           'ZA'),   -- Johannesburg
    ('gcp', 'asia-east1',              'TW'),   -- Changhua County, Taiwan
    ('gcp', 'asia-east2',              'HK'),   -- Hong Kong
    ('gcp', 'asia-northeast1',         'JP'),   -- Tokyo
    ('gcp', 'asia-northeast2',         'JP'),   -- Osaka
    ('gcp', 'asia-northeast3',         'KR'),   -- Seoul
    ('gcp', 'asia-south1',             'IN'),   -- Mumbai
    ('gcp', 'asia-south2',             'IN'),   -- Delhi
    ('gcp', 'asia-southeast1',         'SG'),   -- Jurong West, Singapore
    ('gcp', 'asia-southeast2',         'ID'),   -- Jakarta
    ('gcp', 'asia-southeast3',         'TH'),   -- Bangkok
    ('gcp', 'australia-southeast1',    'AU'),   -- Sydney
    ('gcp', 'australia-southeast2',    'AU'),   -- Melbourne
    ('gcp', 'europe-central2',         'PL'),   -- Warsaw
    ('gcp', 'europe-north1',           'FI'),   -- Hamina
    ('gcp', 'europe-north2',           'SE'),   -- Stockholm
    ('gcp', 'europe-southwest1',       'ES'),   -- Madrid
    ('gcp', 'europe-west1',            'BE'),   -- St. Ghislain
    ('gcp', 'europe-west10',           'DE'),   -- Berlin
    ('gcp', 'europe-west12',           'IT'),   -- Turin
    ('gcp', 'europe-west2',            'GB'),   -- London
    ('gcp', 'europe-west3',            'DE'),   -- Frankfurt
    ('gcp', 'europe-west4',            'NL'),   -- Eemshaven
    ('gcp', 'europe-west6',            'CH'),   -- Zurich
    ('gcp', 'europe-west8',            'IT'),   -- Milan
    ('gcp', 'europe-west9',            'FR'),   -- Paris
    ('gcp', 'me-central1',             'QA'),   -- Doha
    ('gcp', 'me-central2',             'SA'),   -- Dammam
    ('gcp', 'me-west1',                'IL'),   -- Tel Aviv
    ('gcp', 'northamerica-northeast1', 'CA'),   -- Montreal
    ('gcp', 'northamerica-northeast2', 'CA'),   -- Toronto
    ('gcp', 'northamerica-south1',     'MX'),   -- Queretaro
    ('gcp', 'southamerica-east1',      'BR'),   -- Osasco, Sao Paulo
    ('gcp', 'southamerica-west1',      'CL'),   -- Santiago
    ('gcp', 'us-central1',             'US'),   -- Council Bluffs, Iowa
    ('gcp', 'us-east1',                'US'),   -- Moncks Corner, South Carolina
    ('gcp', 'us-east4',                'US'),   -- Ashburn, Virginia
    ('gcp', 'us-east5',                'US'),   -- Columbus, Ohio
    ('gcp', 'us-south1',               'US'),   -- Dallas
    ('gcp', 'us-west1',                'US'),   -- The Dalles, Oregon
    ('gcp', 'us-west2',                'US'),   -- Los Angeles
    ('gcp', 'us-west3',                'US'),   -- Salt Lake City
    ('gcp', 'us-west4',                'US'),   -- Las Vegas

    -- Oracle Cloud Infrastructure
    ('oci', 'af-casablanca-1',    'MA'),    -- Casablanca
    ('oci', 'af-johannesburg-1',  'ZA'),    -- Johannesburg
    ('oci', 'ap-batam-1',         'ID'),    -- Batam
    ('oci', 'ap-chuncheon-1',     'KR'),    -- Chuncheon
    ('oci', 'ap-hyderabad-1',     'IN'),    -- Hyderabad
    ('oci', 'ap-kulai-2',         'MY'),    -- Kulai
    ('oci', 'ap-melbourne-1',     'AU'),    -- Melbourne
    ('oci', 'ap-mumbai-1',        'IN'),    -- Mumbai
    ('oci', 'ap-osaka-1',         'JP'),    -- Osaka
    ('oci', 'ap-seoul-1',         'KR'),    -- Seoul
    ('oci', 'ap-singapore-1',     'SG'),    -- Singapore
    ('oci', 'ap-singapore-2',     'SG'),    -- Singapore West
    ('oci', 'ap-sydney-1',        'AU'),    -- Sydney
    ('oci', 'ap-tokyo-1',         'JP'),    -- Tokyo
    ('oci', 'ca-montreal-1',      'CA'),    -- Montreal
    ('oci', 'ca-toronto-1',       'CA'),    -- Toronto
    ('oci', 'eu-amsterdam-1',     'NL'),    -- Amsterdam
    ('oci', 'eu-frankfurt-1',     'DE'),    -- Frankfurt
    ('oci', 'eu-frankfurt-2',     'DE'),    -- EU Sovereign Cloud, Frankfurt
    ('oci', 'eu-jovanovac-1',     'RS'),    -- Jovanovac, Serbia
    ('oci', 'eu-madrid-1',        'ES'),    -- Madrid
    ('oci', 'eu-madrid-2',        'ES'),    -- EU Sovereign Cloud, Madrid
    ('oci', 'eu-madrid-3',        'ES'),    -- Madrid 3
    ('oci', 'eu-marseille-1',     'FR'),    -- Marseille
    ('oci', 'eu-milan-1',         'IT'),    -- Milan
    ('oci', 'eu-paris-1',         'FR'),    -- Paris
    ('oci', 'eu-stockholm-1',     'SE'),    -- Stockholm
    ('oci', 'eu-turin-1',         'IT'),    -- Turin
    ('oci', 'eu-zurich-1',        'CH'),    -- Zurich
    ('oci', 'il-jerusalem-1',     'IL'),    -- Jerusalem
    ('oci', 'me-abudhabi-1',      'AE'),    -- Abu Dhabi
    ('oci', 'me-dubai-1',         'AE'),    -- Dubai
    ('oci', 'me-jeddah-1',        'SA'),    -- Jeddah
    ('oci', 'me-riyadh-1',        'SA'),    -- Riyadh
    ('oci', 'mx-monterrey-1',     'MX'),    -- Monterrey
    ('oci', 'mx-queretaro-1',     'MX'),    -- Queretaro
    ('oci', 'sa-bogota-1',        'CO'),    -- Bogota
    ('oci', 'sa-santiago-1',      'CL'),    -- Santiago
    ('oci', 'sa-saopaulo-1',      'BR'),    -- Sao Paulo
    ('oci', 'sa-valparaiso-1',    'CL'),    -- Valparaiso
    ('oci', 'sa-vinhedo-1',       'BR'),    -- Vinhedo
    ('oci', 'uk-cardiff-1',       'GB'),    -- Newport (UK West)
    ('oci', 'uk-gov-cardiff-1',   'GB'),    -- UK Gov West
    ('oci', 'uk-gov-london-1',    'GB'),    -- UK Gov South
    ('oci', 'uk-london-1',        'GB'),    -- London
    ('oci', 'us-ashburn-1',       'US'),    -- Ashburn
    ('oci', 'us-chicago-1',       'US'),    -- Chicago
    ('oci', 'us-gov-ashburn-1',   'US'),    -- US Gov East
    ('oci', 'us-gov-chicago-1',   'US'),    -- US Gov Central
    ('oci', 'us-gov-phoenix-1',   'US'),    -- US Gov West
    ('oci', 'us-langley-1',       'US'),    -- US DoD East
    ('oci', 'us-luke-1',          'US'),    -- US DoD West
    ('oci', 'us-phoenix-1',       'US'),    -- Phoenix
    ('oci', 'us-sanjose-1',       'US')     -- San Jose
) AS v (provider, region, country)
ORDER BY v.provider, v.region;

-- Shipped jurisdictions.  Member lists are sorted by code.
INSERT INTO @extschema@.jurisdiction (code, countries, shipped)
SELECT v.code, v.countries::char(2)[], true
FROM (VALUES
    ('AU',  '{AU}'),
    ('CA',  '{CA}'),
    ('CH',  '{CH}'),
    -- the European Economic Area: the EU plus Iceland, Liechtenstein, Norway
    ('EEA', '{AT,BE,BG,CY,CZ,DE,DK,EE,ES,FI,FR,GR,HR,HU,IE,IS,IT,LI,LT,LU,LV,MT,NL,NO,PL,PT,RO,SE,SI,SK}'),
    -- the 27 member states of the European Union (Greece is GR)
    ('EU',  '{AT,BE,BG,CY,CZ,DE,DK,EE,ES,FI,FR,GR,HR,HU,IE,IT,LT,LU,LV,MT,NL,PL,PT,RO,SE,SI,SK}'),
    ('IN',  '{IN}'),
    ('JP',  '{JP}'),
    ('UK',  '{GB}'),
    ('US',  '{US}')
) AS v (code, countries)
ORDER BY v.code;
