-- Row-level security on the deal model: every question answers each role
-- from the rows that role may see, also when one PL/pgSQL function, one
-- transaction or one statement asks for several roles in turn; and a cache
-- never hides a clause written (or shows one rolled back) in the same
-- transaction.
--
-- The C functions read clause, workload and revenue_flow through SPI as the
-- current user, and keep what they read for the rest of a query (the
-- placement pair model, revenue's clause cache).  A PL/pgSQL expression
-- keeps that state for the whole transaction: the caches are keyed by the
-- role, the transaction and subtransaction, the snapshot and the command
-- (src/visibility.h).
-- In a database of its own: row-level security on the extension's tables
-- must not reach the other tests.
SET client_min_messages = warning;
DROP DATABASE IF EXISTS dealscope_row_security;
DROP ROLE IF EXISTS dealscope_alice;
DROP ROLE IF EXISTS dealscope_bob;
RESET client_min_messages;
SELECT current_database() AS regression_db \gset
CREATE DATABASE dealscope_row_security;
\c dealscope_row_security
CREATE EXTENSION dealscope;
SET search_path = dealscope, public;
SET datestyle = ISO, YMD;
CREATE ROLE dealscope_alice;
CREATE ROLE dealscope_bob;
GRANT SELECT ON clause, workload, placement_event, revenue_flow, party TO dealscope_alice, dealscope_bob;

-- Rows whose id (clause, workload) or product (revenue_flow) starts with
-- a- are alice's, b- bob's; s- rows are shared.
CREATE FUNCTION public.visible_to_me(key text) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT left(key, 2) = 's-' OR left(key, 2) = CASE current_user WHEN 'dealscope_alice' THEN 'a-'
                                                                   WHEN 'dealscope_bob' THEN 'b-' END
$$;

INSERT INTO party (id) VALUES ('acme'), ('h-alice'), ('h-bob'), ('h-new'), ('h-undone'), ('cloudco');
INSERT INTO clause (id, kind, holder, grantor, products, scope, valid, rate, amount, currency) VALUES
    ('a-excl', 'exclusivity', 'h-alice', 'acme', '*', 'azure', '[2020-01-01,2027-01-01)', NULL, NULL, NULL),
    ('b-excl', 'exclusivity', 'h-bob', 'acme', '*', 'gcp', '[2020-01-01,)', NULL, NULL, NULL),
    ('a-rs', 'revenue_share', 'h-alice', 'acme', '*', NULL, '[2020-01-01,2030-01-01)', '10%', NULL, NULL),
    ('b-rs', 'revenue_share', 'h-bob', 'acme', '*', NULL, '[2020-01-01,2030-01-01)', '30%', NULL, NULL),
    ('a-commit', 'commitment', 'cloudco', 'acme', '*', NULL, '[2026-01-01,2027-01-01)', NULL, 1000, 'USD'),
    ('b-commit', 'commitment', 'cloudco', 'acme', '*', NULL, '[2026-01-01,2027-01-01)', NULL, 5000, 'USD');
INSERT INTO workload (id, owner, product, requested_on) VALUES
    ('a-app', 'acme', 'a-product', '2025-01-01'),
    ('b-app', 'acme', 'b-product', '2025-01-01'),
    ('s-app', 'acme', 's-product', '2025-01-01');
INSERT INTO revenue_flow (seller, buyer, product, channel, amount, currency, period) VALUES
    ('acme', NULL, 'a-product', 'aws/us-east-1', 1000.00, 'USD', '[2026-01-01,2026-04-01)'),
    ('cloudco', 'acme', 'a-compute', 'aws/us-east-1', 300.00, 'USD', '[2026-01-01,2026-02-01)'),
    ('acme', NULL, 'b-product', 'azure/eastus', 2000.00, 'USD', '[2026-01-01,2026-04-01)'),
    ('acme', NULL, 'b-product', 'aws/us-east-1', 500.00, 'USD', '[2026-02-01,2026-03-01)'),
    ('cloudco', 'acme', 'b-compute', 'aws/us-east-1', 700.00, 'USD', '[2026-01-01,2026-02-01)');

ALTER TABLE clause ENABLE ROW LEVEL SECURITY;
ALTER TABLE workload ENABLE ROW LEVEL SECURITY;
ALTER TABLE revenue_flow ENABLE ROW LEVEL SECURITY;
CREATE POLICY by_role ON clause USING (public.visible_to_me(id));
CREATE POLICY by_role ON workload USING (public.visible_to_me(id));
CREATE POLICY by_role ON revenue_flow USING (public.visible_to_me(product));

-- Every question, one answer line each.  The scalar ones are PL/pgSQL
-- assignments (simple expressions, whose state PL/pgSQL keeps for the whole
-- transaction: where a cache would survive a SET ROLE); the others are
-- queries.
CREATE FUNCTION public.answers() RETURNS TABLE (q text, a text) LANGUAGE plpgsql AS $$
DECLARE
    d date := '2026-06-01';
    cands endpoint[] := '{azure/eastus,gcp/us-central1,aws/us-east-1}';
    chk record;
    split slice_total[];
BEGIN
    q := 'role'; a := current_user; RETURN NEXT;
    chk := dealscope.placement_check('s-app', 'aws/us-east-1', d);
    q := 'placement_check'; a := chk.verdict || ' ' || chk.reasons::text; RETURN NEXT;
    q := 'placement_pair_verdict'; a := dealscope.placement_pair_verdict('s-app', 'aws/us-east-1', d); RETURN NEXT;
    q := 'placement_pair_reasons'; a := dealscope.placement_pair_reasons('s-app', 'aws/us-east-1', d)::text; RETURN NEXT;
    q := 'placement_reasons';
    a := (SELECT string_agg(r.clause_id || ' ' || r.verdict, '; ' ORDER BY r.clause_id)
          FROM dealscope.placement_reasons('s-app', 'aws/us-east-1', d) r);
    RETURN NEXT;
    q := 'placement_matrix';
    a := (SELECT string_agg(m.workload_id || ' ' || m.endpoint::text || ' ' || m.verdict, '; '
                            ORDER BY m.workload_id, m.endpoint)
          FROM dealscope.placement_matrix(d, cands) m);
    RETURN NEXT;
    q := 'placement_summary';
    a := (SELECT string_agg(s.workload_id || ': ' || s.message, '; ' ORDER BY s.workload_id)
          FROM dealscope.placement_summary(d, cands) s);
    RETURN NEXT;
    split := dealscope.revenue_split('acme', 's-product', 'aws/us-east-1', 100.00, 'USD',
                                     '[2026-01-01,2026-02-01)', 'month', 1);
    q := 'revenue_split'; a := 'share ' || split[1].share; RETURN NEXT;
    q := 'revenue_slices';
    a := (SELECT string_agg(s.label || ' ' || s.gross || '/' || s.share, '; ' ORDER BY s.flow_id, s.slice_start)
          FROM dealscope.revenue_slices('[2026-01-01,2026-04-01)', 'month') s);
    RETURN NEXT;
    q := 'revenue_report';
    a := (SELECT string_agg(r.label || ' ' || r.seller || ' ' || r.channel_owner || ' ' || r.gross || '/' || r.share, '; '
                            ORDER BY r.slice_start, r.seller, r.channel_owner)
          FROM dealscope.revenue_report('[2026-01-01,2026-04-01)', 'quarter') r);
    RETURN NEXT;
    q := 'exposure';
    a := (SELECT string_agg(e.label || ' ' || e.counterparty || ' via ' || e.revenue_via || ' payable ' || e.share_payable
                            || ' spend ' || e.spend, '; ' ORDER BY e.slice_start, e.counterparty)
          FROM dealscope.exposure('acme', '[2026-01-01,2026-04-01)', 'quarter') e);
    RETURN NEXT;
    q := 'concentration';
    a := (SELECT string_agg(c.hhi || ' ' || c.top_counterparty || ' ' || c.top_share, '; ')
          FROM dealscope.concentration('acme', '[2026-01-01,2026-04-01)') c);
    RETURN NEXT;
    q := 'partner_status';
    a := (SELECT string_agg(p.clause_id || ' committed ' || p.committed || ' consumed ' || p.consumed, '; '
                            ORDER BY p.clause_id)
          FROM dealscope.partner_status('acme', '2026-06-30') p);
    RETURN NEXT;
END $$;

-- Where the answers go: how they were asked, the role, the answer.
CREATE TABLE public.answer_log (n bigint GENERATED ALWAYS AS IDENTITY, how text, role text, q text, a text);
GRANT INSERT ON public.answer_log TO dealscope_alice, dealscope_bob;

-- Each role on its own, one statement each: what each role may see.
SET ROLE dealscope_alice;
INSERT INTO public.answer_log (how, role, q, a) SELECT 'alone', current_user, * FROM public.answers();
SET ROLE dealscope_bob;
INSERT INTO public.answer_log (how, role, q, a) SELECT 'alone', current_user, * FROM public.answers();
RESET ROLE;
SELECT role, q, a FROM public.answer_log WHERE how = 'alone' ORDER BY n;

-- One transaction, one PL/pgSQL block: alice, bob, alice again, each
-- switched to with SET ROLE between calls of the same function (before,
-- bob got alice's pair model and clause cache: her exclusivity, her share).
-- The answers are kept in a variable until the end: nothing is written
-- between the roles (a write would change the command id, which the caches
-- are keyed by too).
DO $$
DECLARE
    r text;
    got public.answer_log[] := '{}';
BEGIN
    FOREACH r IN ARRAY ARRAY['dealscope_alice', 'dealscope_bob', 'dealscope_alice'] LOOP
        EXECUTE format('SET ROLE %I', r);
        got := got || ARRAY(SELECT ROW(NULL, 'one block', current_user, x.q, x.a)::public.answer_log
                            FROM public.answers() x);
    END LOOP;
    RESET ROLE;
    INSERT INTO public.answer_log (how, role, q, a) SELECT g.how, g.role, g.q, g.a FROM unnest(got) g;
END $$;

-- One statement: functions that run as alice and as bob (SET role), both
-- calling the same PL/pgSQL function.
CREATE FUNCTION public.answers_as_alice() RETURNS TABLE (role text, q text, a text)
    LANGUAGE sql SET role = dealscope_alice AS 'SELECT current_user::text, * FROM public.answers()';
CREATE FUNCTION public.answers_as_bob() RETURNS TABLE (role text, q text, a text)
    LANGUAGE sql SET role = dealscope_bob AS 'SELECT current_user::text, * FROM public.answers()';
INSERT INTO public.answer_log (how, role, q, a)
SELECT 'one statement', x.* FROM (SELECT * FROM public.answers_as_bob()
                                  UNION ALL SELECT * FROM public.answers_as_alice()
                                  UNION ALL SELECT * FROM public.answers_as_bob()) x;

-- Every answer equals what the role saw on its own: no row differs (the
-- second query would list the ones that do).
SELECT how, count(*) AS answers, count(DISTINCT role) AS roles,
       count(*) FILTER (WHERE l.a IS DISTINCT FROM (SELECT x.a FROM public.answer_log x
                                                    WHERE x.how = 'alone' AND x.role = l.role AND x.q = l.q)) AS differing
FROM public.answer_log l WHERE how <> 'alone' GROUP BY how ORDER BY how;
SELECT l.how, l.role, l.q, l.a AS got, x.a AS alone
FROM public.answer_log l JOIN public.answer_log x ON x.how = 'alone' AND x.role = l.role AND x.q = l.q
WHERE l.how <> 'alone' AND l.a IS DISTINCT FROM x.a ORDER BY l.n;

-- The caches never hide a clause written earlier in the same transaction,
-- nor show one rolled back.  As alice (RLS applies), one PL/pgSQL loop asks
-- the same questions at the same call sites: the share of a flow, and the
-- verdict on azure with its reasons.  After the first call a 50% revenue
-- share and an exclusivity to gcp are inserted; the third call runs in a
-- subtransaction that inserts another 25% share and an exclusivity to aws,
-- then rolls back.  Expected: 10.00 allowed (no reason), then 60.00 blocked
-- by a-excl-new, 85.00 blocked by a-excl-new and a-excl-undone (inside the
-- subtransaction), 60.00 blocked by a-excl-new.  (Before, revenue_split
-- answered every call from the first one's clauses: 10.00 four times.)
GRANT INSERT ON clause TO dealscope_alice;
BEGIN;
SET ROLE dealscope_alice;
DO $$
DECLARE
    i int;
    split slice_total[];
    verdict text;
    reasons text[];
BEGIN
    FOR i IN 1..4 LOOP
        BEGIN
            IF i = 3 THEN
                INSERT INTO clause (id, kind, holder, grantor, scope, valid, rate) VALUES
                    ('a-rs-undone', 'revenue_share', 'h-undone', 'acme', NULL, '[2020-01-01,2030-01-01)', '25%'),
                    ('a-excl-undone', 'exclusivity', 'h-undone', 'acme', 'aws', '[2020-01-01,)', NULL);
            END IF;
            split := dealscope.revenue_split('acme', 's-product', 'aws/us-east-1', 100.00, 'USD',
                                             '[2026-01-01,2026-02-01)', 'month', 1);
            verdict := dealscope.placement_pair_verdict('s-app', 'azure/eastus', '2026-06-01');
            reasons := dealscope.placement_pair_reasons('s-app', 'azure/eastus', '2026-06-01');
            RAISE NOTICE 'call %: share %, azure % %', i, split[1].share, verdict,
                (SELECT coalesce(string_agg(split_part(r, ':', 1), ', '), 'for no reason') FROM unnest(reasons) r);
            IF i = 3 THEN
                RAISE EXCEPTION 'roll back what this call inserted';
            END IF;
        EXCEPTION WHEN raise_exception THEN
            NULL;
        END;
        IF i = 1 THEN
            INSERT INTO clause (id, kind, holder, grantor, scope, valid, rate) VALUES
                ('a-rs-new', 'revenue_share', 'h-new', 'acme', NULL, '[2020-01-01,2030-01-01)', '50%'),
                ('a-excl-new', 'exclusivity', 'h-new', 'acme', 'gcp', '[2020-01-01,)', NULL);
        END IF;
    END LOOP;
END $$;
ROLLBACK;

\c :regression_db
SET client_min_messages = warning;
DROP DATABASE dealscope_row_security;
DROP ROLE dealscope_alice;
DROP ROLE dealscope_bob;
