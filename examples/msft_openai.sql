-- The Microsoft-OpenAI partnership before and after the amendment reported
-- on 2026-04-28, as dealscope deal-model rows.  Data only: run it
-- after CREATE EXTENSION dealscope; running it again changes nothing
-- (ON CONFLICT DO NOTHING).
--
-- Facts modelled (as reported): before the amendment Microsoft held
-- exclusivity for distributing OpenAI's products (Azure only) and an
-- exclusive licence to OpenAI's technology, and paid OpenAI a revenue share
-- tied to Microsoft's use of OpenAI technology.  After it: OpenAI may serve
-- its products on any cloud (AWS and Google Cloud included), the exclusive
-- licence ended, the revenue share winds down to zero, Microsoft remains
-- OpenAI's primary cloud partner, OpenAI ships products on Azure first, and
-- Microsoft reportedly keeps a right of first refusal on new workloads.
--
-- ILLUSTRATIVE figures (not reported; chosen only to make the example run):
-- the 30-day rofr window, the 14-day Azure-first lag, the 50% primary-partner
-- share, the 20% revenue-share rate and its one-year wind-down, the start date
-- 2019-07-22 (the first investment's announcement), the hypothetical product
-- "api/agents-enterprise" and every event date.  Each such clause says so in
-- its note.

-- The parties: every column naming a party references dealscope.party.
-- Microsoft and OpenAI ship with the catalog (as the owners of azure and
-- openai), so nothing is registered here; a deal with any other party
-- registers it first:
--   INSERT INTO dealscope.party (id, name) VALUES ('mistral', 'Mistral AI');

INSERT INTO dealscope.deal (id, name, parties, signed_on) VALUES
    ('msft-openai-2019', 'Microsoft-OpenAI partnership (2019, as extended)', '{microsoft,openai}', '2019-07-22'),
    ('msft-openai-2026', 'Microsoft-OpenAI amendment reported 2026-04-28', '{microsoft,openai}', '2026-04-28')
ON CONFLICT (id) DO NOTHING;

INSERT INTO dealscope.clause
    (id, deal_id, kind, holder, grantor, products, scope, valid, rate, window_days, lag_days, min_share, note)
VALUES
    -- before the amendment
    ('excl-azure', 'msft-openai-2019', 'exclusivity', 'microsoft', 'openai', '*', 'azure',
     '[2019-07-22,2026-04-28)', NULL, NULL, NULL, NULL,
     'Azure was the only cloud for OpenAI products; ended by the 2026-04-28 amendment. Start date illustrative.'),
    ('licence-msft', 'msft-openai-2019', 'exclusivity', 'microsoft', 'openai', '*', 'azure',
     '[2019-07-22,2026-04-28)', NULL, NULL, NULL, NULL,
     'Exclusive licence to OpenAI technology: only Microsoft''s cloud may offer it, so other clouds'' own model services are blocked too. Ended 2026-04-28. Start date illustrative.'),
    ('rs-msft-to-openai', 'msft-openai-2019', 'revenue_share', 'openai', 'microsoft', '*', NULL,
     '[2019-07-22,2026-04-28)', '20%', NULL, NULL, NULL,
     'Microsoft pays OpenAI a share of its revenue from OpenAI technology. Rate 20% ILLUSTRATIVE (not reported).'),
    -- after the amendment
    ('rs-msft-to-openai-winddown', 'msft-openai-2026', 'revenue_share', 'openai', 'microsoft', '*', NULL,
     '[2026-04-28,2027-04-28)', '{[2026-04-28,2027-04-28) 20%->0%}', NULL, NULL, NULL,
     'The revenue share winds down to zero. Ramp from 20% to 0% over one year ILLUSTRATIVE (not reported).'),
    ('rofr-msft', 'msft-openai-2026', 'rofr', 'microsoft', 'openai', '*', 'azure',
     '[2026-04-28,)', NULL, 30, NULL, NULL,
     'Microsoft reportedly keeps a right of first refusal to host new OpenAI workloads. 30-day answer window ILLUSTRATIVE.'),
    ('azure-first', 'msft-openai-2026', 'first_launch', 'microsoft', 'openai', '*', 'azure',
     '[2026-04-28,)', NULL, NULL, 14, NULL,
     'OpenAI ships products on Azure first. 14-day lag before other clouds ILLUSTRATIVE.'),
    ('primary-msft', 'msft-openai-2026', 'primary_partner', 'microsoft', 'openai', '*', NULL,
     '[2026-04-28,)', NULL, NULL, NULL, 0.5,
     'Microsoft remains OpenAI''s primary cloud partner. Minimum share of cloud spend 50% ILLUSTRATIVE.')
ON CONFLICT (id) DO NOTHING;

INSERT INTO dealscope.workload (id, owner, product, data_class, requested_on) VALUES
    ('chatgpt', 'openai', 'chatgpt/consumer', NULL, '2022-11-30'),
    ('api-gpt-5', 'openai', 'api/gpt-5', NULL, '2025-08-07'),
    -- hypothetical new product, requested after the amendment (ILLUSTRATIVE)
    ('agents-enterprise', 'openai', 'api/agents-enterprise', NULL, '2026-05-04')
ON CONFLICT (id) DO NOTHING;

-- The new product's path (all dates ILLUSTRATIVE): offered to Microsoft on
-- 2026-05-06, Microsoft declines on 2026-05-27, launched on Azure on
-- 2026-06-01 (so other clouds may follow from 2026-06-15).
INSERT INTO dealscope.placement_event (workload_id, kind, holder, at, on_date)
SELECT v.workload_id, v.kind, v.holder, v.at::dealscope.endpoint, v.on_date::date
FROM (VALUES
    ('agents-enterprise', 'offer', 'microsoft', NULL, '2026-05-06'),
    ('agents-enterprise', 'decline', 'microsoft', NULL, '2026-05-27'),
    ('agents-enterprise', 'launch', NULL, 'azure/eastus', '2026-06-01')
) AS v(workload_id, kind, holder, at, on_date)
WHERE NOT EXISTS (
    SELECT 1 FROM dealscope.placement_event AS e
    WHERE e.workload_id = v.workload_id AND e.kind = v.kind AND e.on_date = v.on_date::date);
