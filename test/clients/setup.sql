-- Data of the client tests (test/clients.sh), on top of the example deal:
-- values that exercise quoting and NULLs (an endpoint with a service, a set
-- with a negation, a constant rate, an unbounded clause, a residency clause
-- with jurisdictions, an uncatalogued provider).
INSERT INTO dealscope.party (id, name) VALUES ('acme', 'Acme "Corp", Inc.'), ('bind-test', NULL), ('x', NULL), ('y', NULL);
INSERT INTO dealscope.workload (id, owner, product, data_class, requested_on) VALUES
    ('eu-assistant', 'openai', 'chatgpt/eu "team", special', 'eu-personal', '2026-05-01');
INSERT INTO dealscope.clause (id, deal_id, kind, grantor, data_class, jurisdictions, valid, note) VALUES
    ('eu-residency', 'msft-openai-2026', 'residency', 'openai', 'eu-personal', '{EU,CH}', '[2026-01-01,)', 'client test: quotes " and \ backslash');
INSERT INTO dealscope.clause (id, deal_id, kind, holder, grantor, products, scope, valid, rate) VALUES
    ('rs-bedrock', 'msft-openai-2026', 'revenue_share', 'amazon', 'openai', 'api/*', 'aws/*/bedrock, !aws/us-gov-*', '[2026-06-01,2027-01-01)', '12.5%');
INSERT INTO dealscope.revenue_flow (seller, buyer, product, channel, amount, currency, period) VALUES
    ('openai', NULL, 'api/gpt-5', 'aws/us-east-1/bedrock', 1234567.89, 'USD', '[2026-06-01,2026-09-01)'),
    ('openai', 'acme', 'api/gpt-5', 'eu-cloud/fra-1', 1000000, 'JPY', '[2026-02-10,2026-02-11)');
INSERT INTO dealscope.placement_event (workload_id, kind, at, on_date) VALUES
    ('eu-assistant', 'launch', 'azure/westeurope/openai', '2026-05-20');
