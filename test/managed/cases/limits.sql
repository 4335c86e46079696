-- Differential cases of the limits (README "Limits", doc/design.md): a flow's
-- period is at most 100000 days.  Every function that splits a flow raises
-- the same 54000 in both editions for a longer one, revenue_flow rejects
-- it at insert (23514, the constraint is shared by both editions), and a
-- period of exactly 100000 days still works.  Runs after _prelude.sql.

SELECT replace(q, 'dealscope.', ''), t.try(q) FROM unnest(ARRAY[
    -- the row that made every report fail: [0001-01-01,5874897-12-31)
    $$(SELECT count(*) FROM dealscope.prorate(1.00, '[0001-01-01,5874897-12-31)', 'month'))$$,
    $$(SELECT count(*) FROM dealscope.prorate(1.00, '[0001-01-01,5874897-12-31)', 'day'))$$,
    $$cardinality(dealscope.revenue_split('acme', 'p', dealscope.to_endpoint('aws/us-east-1'), 1.00, 'USD', '[0001-01-01,5874897-12-31)', 'year', 1))$$,
    $$(SELECT cardinality(dealscope.prorate_agg(1.00, '[0001-01-01,5874897-12-31)', 'USD', 'month', 1, NULL)))$$,
    $$(SELECT cardinality(dealscope.revenue_agg('acme', 'p', dealscope.to_endpoint('aws/us-east-1'), 1.00, 'USD', '[0001-01-01,5874897-12-31)', 'month', 1, NULL)))$$,
    $$dealscope.prorate_within(1.00, '[0001-01-01,5874897-12-31)', 'USD', '[2026-01-01,2026-01-02)')$$,
    -- one day over the limit, and the limit itself
    $$(SELECT count(*) FROM dealscope.prorate(1.00, daterange('2000-01-01', DATE '2000-01-01' + 100001), 'year'))$$,
    $$(SELECT count(*) FROM dealscope.prorate(1.00, daterange('2000-01-01', DATE '2000-01-01' + 100000), 'year'))$$,
    $$(SELECT sum(gross) FROM dealscope.prorate(1000000.00, daterange('2000-01-01', DATE '2000-01-01' + 100000), 'day'))$$,
    $$cardinality(dealscope.revenue_split('acme', 'p', dealscope.to_endpoint('aws/us-east-1'), 1.00, 'USD', daterange('2000-01-01', DATE '2000-01-01' + 100000), 'month', 1))$$,
    $$dealscope.prorate_within(1.00, daterange('2000-01-01', DATE '2000-01-01' + 100000), 'USD', '[2026-01-01,2026-01-02)')$$,
    -- the other checks of a period come first
    $$(SELECT count(*) FROM dealscope.prorate(1.00, '[0001-01-01,)', 'month'))$$,
    $$(SELECT count(*) FROM dealscope.prorate(1.00, '[0001-01-01,5874897-12-31)', 'fortnight'))$$
]) AS q;

-- revenue_flow: at most 100000 days, checked at insert
CREATE FUNCTION t.run(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE q;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    RETURN 'ERROR ' || SQLSTATE || ': ' || SQLERRM;
END $$;
INSERT INTO dealscope.party (id) VALUES ('acme') ON CONFLICT DO NOTHING;
SELECT p, t.run(format($$INSERT INTO dealscope.revenue_flow (seller, channel, amount, currency, period)
                         VALUES ('acme', dealscope.to_endpoint('aws/us-east-1'), 1000.00, 'USD', %L)$$, p))
FROM unnest(ARRAY['[0001-01-01,5874897-12-31)', daterange('2000-01-01', DATE '2000-01-01' + 100001)::text,
                  '[2026-01-01,)', daterange('2000-01-01', DATE '2000-01-01' + 100000)::text]) AS p;
-- the longest flow in a one-day report: the one slice of it the report needs
SELECT t.rows($$SELECT r.label, r.seller, r.gross FROM dealscope.revenue_report('[2026-01-01,2026-01-02)', 'month') r$$);
TRUNCATE dealscope.revenue_flow;
