-- A cloud bill in FOCUS format feeds the example deal's commitment: the
-- synthetic export examples/focus_sample.csv (every figure made up) is
-- loaded by examples/focus_load.sql on top of the ILLUSTRATIVE quarterly
-- flows of examples/msft_openai_revenue.sql.
SET search_path = dealscope, public;
SET datestyle = ISO, YMD;
\pset footer off

\echo
\echo '== OpenAI''s Azure commitment (commit-azure), July 2026, before the FOCUS export =='
SELECT label, consumed, cumulative FROM commitment_burndown('commit-azure', 'month', 1, '2026-07-31')
WHERE label = '2026-07';

\echo
\echo '== Loading examples/focus_sample.csv (40 charges, 1-3 July 2026) =='
\i focus_load.sql

\echo
\echo '== The spend flows it made, per seller, channel and currency =='
SELECT seller, channel, currency, count(*) AS flows, sum(amount) AS amount
FROM revenue_flow WHERE buyer = 'openai' AND period <@ daterange('2026-07-01', '2026-08-01')
GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;

\echo
\echo '== The commitment after it: July consumes the Azure bill''s 12246.28 USD more =='
SELECT label, consumed, cumulative FROM commitment_burndown('commit-azure', 'month', 1, '2026-07-31')
WHERE label = '2026-07';
\pset footer on
