-- Revenue flows for the Microsoft-OpenAI example (examples/msft_openai.sql
-- must be loaded first).  Data only; running it again changes nothing.
--
-- EVERY FIGURE HERE IS ILLUSTRATIVE: none of these amounts was reported.
-- They are round numbers chosen only so that the reports in
-- examples/demo_reports.sql have something to show: quarterly flows from
-- 2025-Q3 to 2027-Q2 in USD, earned evenly over each quarter.
--   * OpenAI's own sales: ChatGPT through its apps, the API directly, the
--     API through the Azure marketplace, and after the amendment through
--     AWS Bedrock (from 2026-06-15, after the Azure-first launch) and
--     Google Vertex AI (from 2026-07-01);
--   * Microsoft's revenue from OpenAI technology (Azure OpenAI, Copilot),
--     on which Microsoft pays OpenAI the revenue share that winds down;
--   * OpenAI's cloud spend: compute bought from Microsoft, and from Amazon
--     after the amendment.
-- The revenue-share clauses of msft_openai.sql name all products ('*');
-- the share is tied to Microsoft's use of OpenAI technology, so here they
-- are narrowed to the products that use it, else Microsoft's sales of
-- compute to OpenAI would bear the share too.  A commitment clause
-- (ILLUSTRATIVE amount and term) lets partner_status show a commitment.

UPDATE dealscope.clause SET products = 'azure-openai/*, copilot/*'
WHERE id IN ('rs-msft-to-openai', 'rs-msft-to-openai-winddown') AND products = '*';

INSERT INTO dealscope.clause (id, deal_id, kind, holder, grantor, valid, amount, currency, note)
VALUES ('commit-azure', 'msft-openai-2026', 'commitment', 'microsoft', 'openai',
        '[2026-01-01,2031-01-01)', 50000000000.00, 'USD',
        'OpenAI commits to buy Azure services. Amount and term ILLUSTRATIVE (not reported as such).')
ON CONFLICT (id) DO NOTHING;

INSERT INTO dealscope.revenue_flow (seller, buyer, product, channel, amount, currency, period)
SELECT f.seller, f.buyer, f.product, f.channel::dealscope.endpoint, f.amount, 'USD', f.period
FROM (
    SELECT v.seller, v.buyer, v.product, v.channel,
           -- a flow starting mid-quarter earns the quarter's rate for its days only
           round((v.base + v.growth * q.n)::numeric
                 * ((q.start + interval '3 months')::date - greatest(q.start, v.from_day))
                 / ((q.start + interval '3 months')::date - q.start), 2) AS amount,
           daterange(greatest(q.start, v.from_day), (q.start + interval '3 months')::date) AS period
    FROM (SELECT n, (date '2025-07-01' + make_interval(months => 3 * n))::date AS start
          FROM generate_series(0, 7) AS n) AS q
    CROSS JOIN (VALUES
        -- seller,     buyer,    product,              channel,                  base/quarter, growth,  from
        ('openai',    NULL,     'chatgpt/consumer',   'openai/global/app',      2500000000,   150000000, date '2025-07-01'),
        ('openai',    NULL,     'api/gpt-5',          'openai/global/api',       900000000,    60000000, date '2025-07-01'),
        ('openai',    NULL,     'api/gpt-5',          'azure/eastus',            400000000,    20000000, date '2025-07-01'),
        ('openai',    NULL,     'api/gpt-5',          'aws/us-east-1/bedrock',   300000000,    50000000, date '2026-06-15'),
        ('openai',    NULL,     'api/gpt-5',          'gcp/us-central1/vertex',  200000000,    40000000, date '2026-07-01'),
        ('microsoft', NULL,     'azure-openai/gpt-5', 'azure/eastus',           1200000000,    80000000, date '2025-07-01'),
        ('microsoft', NULL,     'copilot/m365',       'azure/westeurope',        600000000,    40000000, date '2025-07-01'),
        ('microsoft', 'openai', 'azure/compute',      'azure/eastus',           2000000000,   100000000, date '2025-07-01'),
        ('amazon',    'openai', 'aws/compute',        'aws/us-east-1',           500000000,    50000000, date '2026-07-01')
    ) AS v(seller, buyer, product, channel, base, growth, from_day)
    WHERE greatest(q.start, v.from_day) < (q.start + interval '3 months')::date
) AS f
WHERE NOT EXISTS (SELECT 1 FROM dealscope.revenue_flow r
                  WHERE r.seller = 'openai' AND r.product = 'chatgpt/consumer');
