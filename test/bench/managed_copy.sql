-- The managed edition's side of the benchmark: test/bench/bench.sh loads
-- the managed edition's install script into schema dsm of the benchmark's
-- database (its own copies of the catalog and the model tables, its own
-- functions), and this copies the generated model there, value by value
-- through text (the C types' canonical output is what the managed domains
-- accept), ids kept.  Both editions then answer from the same rows in one
-- connection, so their times compare under the same load.
INSERT INTO dsm.party (id, name) SELECT id, name FROM dealscope.party WHERE NOT shipped;
INSERT INTO dsm.provider (provider, owner) SELECT provider, owner FROM dealscope.provider WHERE NOT shipped;
INSERT INTO dsm.region (provider, region, country) SELECT provider, region, country FROM dealscope.region WHERE NOT shipped;
INSERT INTO dsm.deal SELECT * FROM dealscope.deal;
INSERT INTO dsm.clause (id, deal_id, kind, holder, grantor, products, scope, valid, rate, window_days,
                        lag_days, data_class, jurisdictions, amount, currency, min_share, note)
SELECT id, deal_id, kind::text::dsm.clause_kind, holder, grantor, products, scope::text, valid, rate::text,
       window_days, lag_days, data_class, jurisdictions, amount, currency, min_share, note
FROM dealscope.clause;
INSERT INTO dsm.workload SELECT * FROM dealscope.workload;
INSERT INTO dsm.placement_event (workload_id, kind, holder, at, on_date)
SELECT workload_id, kind, holder, at::text, on_date FROM dealscope.placement_event;
INSERT INTO dsm.revenue_flow (id, seller, buyer, product, channel, amount, currency, period)
OVERRIDING SYSTEM VALUE
SELECT id, seller, buyer, product, channel::text, amount, currency, period FROM dealscope.revenue_flow;
CREATE TABLE bench.cand_array_managed AS
SELECT array_agg(e::text::dsm.endpoint ORDER BY n) AS a FROM bench.candidate;
VACUUM ANALYZE dsm.revenue_flow;
VACUUM ANALYZE dsm.clause;
VACUUM ANALYZE dsm.workload;
VACUUM ANALYZE dsm.placement_event;
-- identical rows on both sides, or the comparison means nothing
DO $$
BEGIN
    IF (SELECT count(*) FROM dsm.revenue_flow) <> (SELECT count(*) FROM dealscope.revenue_flow)
       OR (SELECT count(*) FROM dsm.clause) <> (SELECT count(*) FROM dealscope.clause) THEN
        RAISE EXCEPTION 'bench: the managed edition''s copy of the model differs';
    END IF;
END $$;
