-- The money questions of the Microsoft-OpenAI example, on the
-- ILLUSTRATIVE flows of examples/msft_openai_revenue.sql.
SET search_path = dealscope, public;
SET datestyle = ISO, YMD;
\pset footer off

\echo
\echo '== OpenAI revenue by quarter and channel owner (USD, ILLUSTRATIVE figures) =='
SELECT label AS quarter, coalesce(channel_owner, '(uncatalogued)') AS channel_owner, gross
FROM revenue_report('[2025-07-01,2027-07-01)', 'quarter')
WHERE seller = 'openai'
ORDER BY slice_start, channel_owner;

\echo
\echo '== The winding-down revenue share Microsoft pays OpenAI (20% until 2026-04-28, then 20% -> 0% over a year) =='
SELECT label AS quarter, sum(gross) AS microsoft_openai_revenue, sum(share) AS share_to_openai,
       round(100 * sum(share) / nullif(sum(gross), 0), 2) AS effective_pct
FROM revenue_report('[2025-07-01,2027-07-01)', 'quarter')
WHERE seller = 'microsoft'
GROUP BY slice_start, label ORDER BY slice_start;

\echo
\echo '== OpenAI exposure to Microsoft, calendar quarters, across the 2026-04-28 amendment =='
SELECT label AS quarter, revenue_via, share_payable, share_receivable, spend
FROM exposure('openai', '[2025-07-01,2027-07-01)', 'quarter')
WHERE counterparty = 'microsoft';

\echo
\echo '== The same in Microsoft''s fiscal year (starts in July: FY2027-Q1 = Jul-Sep 2026) =='
SELECT label AS fiscal_quarter, revenue_via, share_payable, share_receivable, spend
FROM exposure('openai', '[2025-07-01,2027-07-01)', 'quarter', 7)
WHERE counterparty = 'microsoft';

\echo
\echo '== Every counterparty of OpenAI in the first full quarter after the amendment =='
SELECT counterparty, revenue_via, share_payable, share_receivable, spend
FROM exposure('openai', '[2026-07-01,2026-10-01)');

\echo
\echo '== How concentrated OpenAI''s revenue is by channel owner: before and after =='
SELECT 'H2 2025' AS period, * FROM concentration('openai', '[2025-07-01,2026-01-01)')
UNION ALL
SELECT 'H1 2027', * FROM concentration('openai', '[2027-01-01,2027-07-01)');

\echo
\echo '== OpenAI''s commitments and primary partner on 2026-12-31 =='
\x on
SELECT * FROM partner_status('openai', '2026-12-31');
\x off
