SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS dealscope;
RESET client_min_messages;
SET search_path = dealscope, public;
SET DateStyle = 'ISO, YMD';
-- Shows the SQLSTATE and message of an error instead of aborting.
CREATE FUNCTION pg_temp.error_of(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE q;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

--
-- minor units (ISO 4217)
--
SELECT minor_unit(c) AS decimals, string_agg(c, ' ' ORDER BY c) AS currencies
FROM unnest(ARRAY['BIF','CLP','DJF','GNF','ISK','JPY','KMF','KRW','PYG','RWF','UGX','UYI','VND',
                  'VUV','XAF','XOF','XPF','BHD','IQD','JOD','KWD','LYD','OMR','TND','CLF','UYW',
                  'USD','EUR','GBP','CHF','CNY','INR','XYZ']) AS c
GROUP BY 1 ORDER BY 1;
SELECT minor_unit('USD '::char(3)) AS padded, minor_unit(NULL) AS null_code;
SELECT minor_unit('usd');
SELECT minor_unit('US');

--
-- The worked example of doc/reference.md ("Proration"): $100.00 earned over 2026-01-15 ..
-- 2026-04-14 (90 days: 17 in January, 28, 31, 14 in April).
-- gross: exact 18.888.., 31.111.., 34.444.., 15.555..; floors 18.88 31.11
-- 34.44 15.55 leave 2 cents, which go to the largest remainders (January
-- .888, April .555).
-- share 20% ramping to 0%: exact 3.4419.., 4.1135.., 2.2962.., 0.2592..,
-- total 10.1111.. rounded once to 10.11; floors 3.44 4.11 2.29 0.25 leave
-- 2 cents, which go to April (.92) and March (.62).
--
SELECT * FROM prorate(100.00, '[2026-01-15,2026-04-15)', 'month',
                      share => '{[2026-01-15,2026-04-15) 20%->0%}');
-- the same without a share, and as a refund (the exact negation)
SELECT * FROM prorate(100.00, '[2026-01-15,2026-04-15)', 'month');
SELECT * FROM prorate(-100.00, '[2026-01-15,2026-04-15)', 'month',
                      share => '{[2026-01-15,2026-04-15) 20%->0%}');

--
-- every grain on one flow of 1,000.00 over 2026-05-17 .. 2026-08-02
-- (78 days), with a constant 12.5% share
--
SELECT g AS grain, p.*
FROM unnest(ARRAY['week', 'month', 'quarter', 'half', 'year']) WITH ORDINALITY AS u(g, o),
     prorate(1000.00, '[2026-05-17,2026-08-03)', g, share => '12.5%') AS p
ORDER BY o, p.slice_start;
SELECT count(*) AS days, sum(gross) AS gross, sum(share) AS share, min(gross), max(gross)
FROM prorate(1000.00, '[2026-05-17,2026-08-03)', 'day', share => '12.5%');

--
-- fiscal years: quarters of a fiscal year starting in July across the
-- FY2026 / FY2027 boundary, and the same flow by fiscal half and year
--
SELECT * FROM prorate(3650.00, '[2026-05-01,2027-05-01)', 'quarter', 7);
SELECT * FROM prorate(3650.00, '[2026-05-01,2027-05-01)', 'half', 7);
SELECT * FROM prorate(3650.00, '[2026-05-01,2027-05-01)', 'year', 7);
SELECT * FROM prorate(3650.00, '[2026-05-01,2027-05-01)', 'year', 4);

--
-- leap days: February 2024 has 29 days; a JPY flow over the leap day, with
-- a share only on 2024-02-29 (50% of 7 / 4 = 0.875 yen, rounded to 1)
--
SELECT * FROM prorate(29.00, '[2024-02-01,2024-03-01)', 'month');
SELECT * FROM prorate(7, '[2024-02-28,2024-03-03)', 'day', currency => 'JPY',
                      share => '{[2024-02-29,2024-03-01) 50%}');
SELECT * FROM prorate(366.00, '[2024-01-01,2025-01-01)', 'quarter');

--
-- ISO week 53: 2026 has one (2026-12-28 .. 2027-01-03)
--
SELECT * FROM prorate(21.00, '[2026-12-21,2027-01-11)', 'week');

--
-- one-day and one-minor-unit flows
--
SELECT * FROM prorate(12.34, '[2026-05-17,2026-05-18)', 'month', share => '50%');
SELECT * FROM prorate(0.01, '[2026-01-01,2026-12-31)', 'quarter');
SELECT * FROM prorate(1, '[2026-01-01,2027-01-01)', 'month', currency => 'JPY');
SELECT * FROM prorate(0.001, '[2026-06-29,2026-07-03)', 'week', currency => 'BHD');

--
-- who gets the cent: largest remainder first, ties to the earliest slice
--
-- 1 day in March, 1 in April: a tie (half a cent each), March gets it
SELECT * FROM prorate(0.01, '[2026-03-31,2026-04-02)', 'month');
-- 1 day in March, 2 in April: April's remainder (2/3) beats March's (1/3)
SELECT * FROM prorate(0.01, '[2026-03-31,2026-04-03)', 'month');
-- 2 days each: 1.5 cents each, floors 1 + 1, the third cent to March
SELECT * FROM prorate(0.03, '[2026-03-30,2026-04-03)', 'month');
-- share ties: 50% of 0.02 over one day in each month is half a cent
-- each; the total (exactly 0.01) goes to March
SELECT * FROM prorate(0.02, '[2026-03-31,2026-04-02)', 'month', share => '50%');
-- the share's unit can go to another slice than the gross one: 0.04 over
-- 1 day in March and 2 in April gives gross 1.33 + 2.67 cents (the cent to
-- April); with 50% in March and 10% in April the exact shares are 0.67 and
-- 0.27 cents, the total 0.93 rounds to 1 cent, and it goes to March
SELECT * FROM prorate(0.04, '[2026-03-31,2026-04-03)', 'month',
                      share => '{[2026-03-31,2026-04-01) 50%, [2026-04-01,2026-04-03) 10%}');
-- the share total is rounded once, half to even: 50% of 0.01, 0.03, 0.05,
-- 0.07 is 0.005, 0.015, 0.025, 0.035
SELECT a AS amount, sum(p.share) AS share_total
FROM unnest(ARRAY[0.01, 0.03, 0.05, 0.07]) AS a,
     prorate(a, '[2026-01-01,2026-01-02)', 'day', share => '50%') AS p
GROUP BY a ORDER BY a;

--
-- output scale is the currency's: 12.3 USD prints as 12.30, JPY has none,
-- BHD three decimals; trailing zeros in the input are not extra decimals
--
SELECT * FROM prorate(12.3, '[2026-05-01,2026-06-01)', 'month');
SELECT * FROM prorate(5, '[2026-05-01,2026-06-01)', 'month', currency => 'JPY', share => '20%');
SELECT * FROM prorate(5, '[2026-05-01,2026-06-01)', 'month', currency => 'BHD', share => '20%');
SELECT * FROM prorate(12.3000, '[2026-05-01,2026-06-01)', 'month');
SELECT * FROM prorate(0, '[2026-05-01,2026-06-01)', 'month', share => '20%');

--
-- large amounts: 10^15 in USD, JPY and BHD over 2026 by quarter with a
-- one-third share; 10^15 CLF is 10^19 minor units (beyond int64); the
-- largest amount is 20 digits of minor units
--
SELECT currency, p.*
FROM unnest(ARRAY['USD', 'JPY', 'BHD']) WITH ORDINALITY AS c(currency, o),
     prorate(1000000000000000, '[2026-01-01,2027-01-01)', 'quarter', 1, currency,
             '33.3333333333%') AS p
ORDER BY o, p.slice_start;
SELECT currency, sum(gross) AS gross, sum(share) AS share, sum(net) AS net
FROM unnest(ARRAY['USD', 'JPY', 'BHD', 'CLF']) AS currency,
     prorate(1000000000000000, '[2026-01-01,2027-01-01)', 'day', 1, currency,
             '{[2026-01-01,2027-01-01) 33%->0.000000000001}') AS p
GROUP BY currency ORDER BY currency;
SELECT * FROM prorate(99999999999999999999, '[2026-01-01,2027-01-01)', 'half', 1, 'JPY', '100%');
SELECT * FROM prorate(-999999999999999999.99, '[2026-01-01,2027-01-01)', 'half', 1, 'USD', '0.000000000001');

--
-- NULL arguments: no rows; a NULL share means no share
--
SELECT count(*) FROM prorate(NULL, '[2026-01-01,2026-02-01)', 'month');
SELECT count(*) FROM prorate(1.00, NULL, 'month');
SELECT count(*) FROM prorate(1.00, '[2026-01-01,2026-02-01)', NULL);
SELECT count(*) FROM prorate(1.00, '[2026-01-01,2026-02-01)', 'month', NULL);
SELECT count(*) FROM prorate(1.00, '[2026-01-01,2026-02-01)', 'month', 1, NULL);
SELECT * FROM prorate(1.00, '[2026-01-01,2026-02-01)', 'month', 1, 'USD', NULL);

--
-- errors (raised before any row is returned)
--
SELECT * FROM prorate(100.00, '[2026-01-01,2026-02-01)', 'Month');
SELECT * FROM prorate(100.00, '[2026-01-01,2026-02-01)', 'month', 13);
SELECT * FROM prorate(100.00, 'empty', 'month');
SELECT * FROM prorate(100.00, '[2026-01-01,)', 'month');
SELECT * FROM prorate(12.345, '[2026-01-01,2026-02-01)', 'month');
SELECT * FROM prorate(100.00, '[2026-01-01,2026-02-01)', 'month', currency => 'usd');
SELECT * FROM prorate(100.00, '[2026-01-01,2026-02-01)', 'month', currency => 'US');
SELECT * FROM prorate(1e30, '[2026-01-01,2026-02-01)', 'month');
SELECT * FROM prorate(100.00, '[2026-01-01,2026-02-01)', 'month', share => '20');
SELECT q, pg_temp.error_of(q)
FROM unnest(ARRAY[
  $$SELECT prorate(1.00, '[2026-01-01,2026-02-01)', 'Month')$$,
  $$SELECT prorate(1.00, '[2026-01-01,2026-02-01)', 'fortnight')$$,
  $$SELECT prorate(1.00, '[2026-01-01,2026-02-01)', 'month', 0)$$,
  $$SELECT prorate(1.00, '[2026-01-01,2026-02-01)', 'month', 13)$$,
  $$SELECT prorate(1.00, 'empty', 'month')$$,
  $$SELECT prorate(1.00, '[2026-01-01,2026-01-01)', 'month')$$,
  $$SELECT prorate(1.00, '[2026-01-01,)', 'month')$$,
  $$SELECT prorate(1.00, '(,2026-01-01)', 'month')$$,
  $$SELECT prorate(1.00, '[-infinity,2026-01-01)', 'month')$$,
  $$SELECT prorate(1.00, '[2026-01-01,infinity)', 'month')$$,
  $$SELECT prorate(12.345, '[2026-01-01,2026-02-01)', 'month')$$,
  $$SELECT prorate(1.5, '[2026-01-01,2026-02-01)', 'month', 1, 'JPY')$$,
  $$SELECT prorate(0.0001, '[2026-01-01,2026-02-01)', 'month', 1, 'BHD')$$,
  $$SELECT prorate(1.00001, '[2026-01-01,2026-02-01)', 'month', 1, 'CLF')$$,
  $$SELECT prorate(1.00, '[2026-01-01,2026-02-01)', 'month', 1, 'usd')$$,
  $$SELECT prorate(1.00, '[2026-01-01,2026-02-01)', 'month', 1, 'Eur')$$,
  $$SELECT prorate(1.00, '[2026-01-01,2026-02-01)', 'month', 1, 'US')$$,
  $$SELECT prorate(1.00, '[2026-01-01,2026-02-01)', 'month', 1, 'USDX')$$,
  $$SELECT prorate(1.00, '[2026-01-01,2026-02-01)', 'month', 1, 'U$D')$$,
  $$SELECT prorate(1.00, '[2026-01-01,2026-02-01)', 'month', 1, '')$$,
  $$SELECT prorate('NaN', '[2026-01-01,2026-02-01)', 'month')$$,
  $$SELECT prorate('-Infinity', '[2026-01-01,2026-02-01)', 'month')$$,
  $$SELECT prorate(1e30, '[2026-01-01,2026-02-01)', 'month')$$,
  $$SELECT prorate(100000000000000000000, '[2026-01-01,2026-02-01)', 'month', 1, 'JPY')$$,
  $$SELECT prorate(1.00, '[2026-01-01,2026-02-01)', 'month', share => '20')$$,
  $$SELECT prorate(1.00, '[2026-01-01,2026-02-01)', 'month', share => '120%')$$,
  $$SELECT prorate(1.00, '[2026-01-01,2026-02-01)', 'month', share => '{[2026-01-01,2025-01-01) 20%}')$$,
  $$SELECT prorate(1.00, '[2026-01-01,2026-02-01)', 'month', share => '{[2026-01-01,2026-06-01) 20%, [2026-03-01,2026-09-01) 10%}')$$,
  $$SELECT prorate(1.00, '[5874897-12-01,5874897-12-31)', 'year', 7)$$,
  $$SELECT count(*) FROM prorate(1.00, '[0001-01-01,5000000-01-01)', 'day')$$
  ]) AS q;

-- declared properties
SELECT p.oid::regprocedure AS function, provolatile AS volatility, proisstrict AS strict,
       proparallel AS parallel, obj_description(p.oid, 'pg_proc') IS NOT NULL AS has_comment
FROM pg_proc p
WHERE pronamespace = 'dealscope'::regnamespace AND proname IN ('slice_of', 'minor_unit', 'prorate')
ORDER BY 1::text;
