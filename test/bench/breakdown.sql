-- Where revenue_report's time goes: the floor, then the report's own data
-- access step by step, then the split.  Serial, medians of 3 (all runs in
-- brackets).  Run in a database made by test/bench/generate.sql:
--   psql -X -At -d dealscope_bench -f test/bench/breakdown.sql
-- (test/bench/bench.sh --keep leaves that database in place).
SET search_path = dealscope, public;
SET max_parallel_workers_per_gather = 0;
SET enable_sort = off;
CREATE OR REPLACE FUNCTION pg_temp.t(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz; ms float8[] := '{}';
BEGIN
  EXECUTE q;
  FOR i IN 1..3 LOOP t0 := clock_timestamp(); EXECUTE q; ms := ms || extract(epoch from clock_timestamp()-t0)*1000; END LOOP;
  RETURN (SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY x)::numeric,0) || ' (' || array_to_string(array_agg(round(x::numeric)), ',') || ')' FROM unnest(ms) x);
END $$;
SELECT 'A floor: seller,currency sum(amount)', pg_temp.t('SELECT seller, currency, sum(amount) FROM revenue_flow GROUP BY 1, 2');
SELECT 'B scan: count(*)', pg_temp.t('SELECT count(*) FROM revenue_flow');
SELECT 'C seller,currency count(*)', pg_temp.t('SELECT seller, currency, count(*) FROM revenue_flow GROUP BY 1, 2');
SELECT 'D seller,provider(channel),currency + period filter, count(*)', pg_temp.t('SELECT seller, provider(channel), currency, count(*) FROM revenue_flow WHERE period && ''[2024-01-01,2027-01-01)'' GROUP BY 1,2,3');
SELECT 'E same, count(period)', pg_temp.t('SELECT seller, provider(channel), currency, count(period) FROM revenue_flow WHERE period && ''[2024-01-01,2027-01-01)'' GROUP BY 1,2,3');
SELECT 'F same, sum(amount)', pg_temp.t('SELECT seller, provider(channel), currency, sum(amount) FROM revenue_flow WHERE period && ''[2024-01-01,2027-01-01)'' GROUP BY 1,2,3');
SELECT 'G same, prorate_agg (gross split only)', pg_temp.t('SELECT seller, provider(channel), currency, prorate_agg(amount, period, currency, ''month'', 1, NULL) FROM revenue_flow WHERE period && ''[2024-01-01,2027-01-01)'' GROUP BY 1,2,3');
SELECT 'H same, revenue_agg (gross + shares)', pg_temp.t('SELECT seller, provider(channel), currency, revenue_agg(seller, product, channel, amount, currency, period, ''month'', 1, NULL) FROM revenue_flow WHERE period && ''[2024-01-01,2027-01-01)'' GROUP BY 1,2,3');
SELECT 'I revenue_report', pg_temp.t('SELECT * FROM revenue_report(''[2024-01-01,2027-01-01)'', ''month'')');
