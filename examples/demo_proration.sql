-- dealscope demo, chapter 3: exact proration.
SET search_path = dealscope, public;
\echo
\echo '== $100.00 earned 2026-01-15..2026-04-14, split by month, with a 20%->0% share: the parts sum exactly'
SELECT * FROM prorate(100.00, '[2026-01-15,2026-04-15)', 'month',
                      share => '{[2026-01-15,2026-04-15) 20%->0%}');
SELECT sum(gross) AS gross, sum(share) AS share, sum(net) AS net
FROM prorate(100.00, '[2026-01-15,2026-04-15)', 'month', share => '{[2026-01-15,2026-04-15) 20%->0%}');
\echo '== The same flow in Microsoft''s fiscal quarters (fiscal year starts in July)'
SELECT label, slice_start, slice_end, gross
FROM prorate(100.00, '[2026-01-15,2026-04-15)', 'quarter', 7);
\echo '== One yen over three days cannot be split: it goes to the earliest slice on a tie'
SELECT label, gross FROM prorate(1, '[2026-03-31,2026-04-03)', 'day', currency => 'JPY');
