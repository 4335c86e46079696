SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS dealscope;
RESET client_min_messages;
SET search_path = dealscope, public;
SET datestyle = 'ISO, YMD';
-- The deal model tables (doc/design.md, "The deal model"): what they
-- accept, and every constraint violation with the message a user sees.
-- Runs in a transaction that is rolled back, so it leaves no rows behind;
-- ON_ERROR_ROLLBACK lets it go on after each expected error.
BEGIN;
\set ON_ERROR_ROLLBACK on
INSERT INTO deal VALUES ('d1', 'a test deal', '{microsoft,openai}', '2026-04-28');
-- one complete clause of every kind
INSERT INTO clause (id, deal_id, kind, holder, grantor, scope, valid)
    VALUES ('ok-excl', 'd1', 'exclusivity', 'microsoft', 'openai', 'azure', '[2019-07-22,2026-04-28)');
INSERT INTO clause (id, deal_id, kind, holder, grantor, scope, valid, window_days)
    VALUES ('ok-rofr', 'd1', 'rofr', 'microsoft', 'openai', 'azure', '[2026-04-28,)', 30);
INSERT INTO clause (id, deal_id, kind, holder, grantor, scope, valid, lag_days)
    VALUES ('ok-fl', 'd1', 'first_launch', 'microsoft', 'openai', 'azure', '[2026-04-28,)', 0);
INSERT INTO clause (id, deal_id, kind, grantor, valid, data_class, jurisdictions)
    VALUES ('ok-res', 'd1', 'residency', 'openai', '[2026-01-01,)', 'eu-personal', '{EU,CH}');
INSERT INTO clause (id, deal_id, kind, holder, grantor, valid, rate)
    VALUES ('ok-rs', 'd1', 'revenue_share', 'microsoft', 'openai', '[2019-07-22,2027-04-28)', '20%');
INSERT INTO clause (id, deal_id, kind, holder, grantor, valid, min_share)
    VALUES ('ok-pp', 'd1', 'primary_partner', 'microsoft', 'openai', '[2026-04-28,)', 0.5);
INSERT INTO clause (id, deal_id, kind, holder, grantor, valid, amount, currency)
    VALUES ('ok-commit', 'd1', 'commitment', 'microsoft', 'openai', '[2026-04-28,2032-04-28)', 250000000000, 'USD');
SELECT id, kind, products, scope, valid FROM clause ORDER BY id;
-- incomplete clauses: the constraint name says what is missing
INSERT INTO clause (id, kind, grantor, scope, valid) VALUES ('x', 'exclusivity', 'openai', 'azure', '[2026-01-01,)');
INSERT INTO clause (id, kind, holder, grantor, valid) VALUES ('x', 'exclusivity', 'microsoft', 'openai', '[2026-01-01,)');
INSERT INTO clause (id, kind, grantor, scope, valid, window_days) VALUES ('x', 'rofr', 'openai', 'azure', '[2026-01-01,)', 30);
INSERT INTO clause (id, kind, holder, grantor, valid, window_days) VALUES ('x', 'rofr', 'microsoft', 'openai', '[2026-01-01,)', 30);
INSERT INTO clause (id, kind, holder, grantor, scope, valid) VALUES ('x', 'rofr', 'microsoft', 'openai', 'azure', '[2026-01-01,)');
INSERT INTO clause (id, kind, grantor, scope, valid, lag_days) VALUES ('x', 'first_launch', 'openai', 'azure', '[2026-01-01,)', 14);
INSERT INTO clause (id, kind, holder, grantor, valid, lag_days) VALUES ('x', 'first_launch', 'microsoft', 'openai', '[2026-01-01,)', 14);
INSERT INTO clause (id, kind, holder, grantor, scope, valid) VALUES ('x', 'first_launch', 'microsoft', 'openai', 'azure', '[2026-01-01,)');
INSERT INTO clause (id, kind, grantor, valid, jurisdictions) VALUES ('x', 'residency', 'openai', '[2026-01-01,)', '{EU}');
INSERT INTO clause (id, kind, grantor, valid, data_class) VALUES ('x', 'residency', 'openai', '[2026-01-01,)', 'eu-personal');
INSERT INTO clause (id, kind, grantor, valid, rate) VALUES ('x', 'revenue_share', 'openai', '[2026-01-01,)', '20%');
INSERT INTO clause (id, kind, holder, grantor, valid) VALUES ('x', 'revenue_share', 'microsoft', 'openai', '[2026-01-01,)');
INSERT INTO clause (id, kind, grantor, valid, min_share) VALUES ('x', 'primary_partner', 'openai', '[2026-01-01,)', 0.5);
INSERT INTO clause (id, kind, holder, grantor, valid) VALUES ('x', 'primary_partner', 'microsoft', 'openai', '[2026-01-01,)');
INSERT INTO clause (id, kind, grantor, valid, amount, currency) VALUES ('x', 'commitment', 'openai', '[2026-01-01,)', 100, 'USD');
INSERT INTO clause (id, kind, holder, grantor, valid, currency) VALUES ('x', 'commitment', 'microsoft', 'openai', '[2026-01-01,)', 'USD');
INSERT INTO clause (id, kind, holder, grantor, valid, amount) VALUES ('x', 'commitment', 'microsoft', 'openai', '[2026-01-01,)', 100);
-- every clause needs a grantor (the party it binds) and a non-empty valid
INSERT INTO clause (id, kind, holder, scope, valid) VALUES ('x', 'exclusivity', 'microsoft', 'azure', '[2026-01-01,)');
INSERT INTO clause (id, kind, holder, grantor, scope, valid) VALUES ('x', 'exclusivity', 'microsoft', 'openai', 'azure', 'empty');
INSERT INTO clause (id, kind, holder, grantor, scope) VALUES ('x', 'exclusivity', 'microsoft', 'openai', 'azure');
INSERT INTO clause (id, kind, holder, grantor, scope, valid, products) VALUES ('x', 'exclusivity', 'microsoft', 'openai', 'azure', '[2026-01-01,)', NULL);
-- value ranges
INSERT INTO clause (id, kind, holder, grantor, scope, valid, window_days) VALUES ('x', 'rofr', 'microsoft', 'openai', 'azure', '[2026-01-01,)', -1);
INSERT INTO clause (id, kind, holder, grantor, scope, valid, lag_days) VALUES ('x', 'first_launch', 'microsoft', 'openai', 'azure', '[2026-01-01,)', -14);
INSERT INTO clause (id, kind, holder, grantor, valid, min_share) VALUES ('x', 'primary_partner', 'microsoft', 'openai', '[2026-01-01,)', 1.5);
INSERT INTO clause (id, kind, holder, grantor, valid, min_share) VALUES ('x', 'primary_partner', 'microsoft', 'openai', '[2026-01-01,)', -0.1);
INSERT INTO clause (id, kind, holder, grantor, valid, rate, amount) VALUES ('x', 'revenue_share', 'microsoft', 'openai', '[2026-01-01,)', '20%', 5);
INSERT INTO clause (id, kind, holder, grantor, valid, amount, currency) VALUES ('x', 'commitment', 'microsoft', 'openai', '[2026-01-01,)', 100, 'usd');
INSERT INTO clause (id, kind, grantor, valid, data_class, jurisdictions) VALUES ('x', 'residency', 'openai', '[2026-01-01,)', 'eu-personal', '{}');
INSERT INTO clause (id, kind, grantor, valid, data_class, jurisdictions) VALUES ('x', 'residency', 'openai', '[2026-01-01,)', 'eu-personal', '{EU,NULL}');
-- kinds, keys and references
INSERT INTO clause (id, kind, grantor, valid) VALUES ('x', 'exclusive', 'openai', '[2026-01-01,)');
INSERT INTO clause (id, kind, grantor, valid) VALUES ('x', NULL, 'openai', '[2026-01-01,)');
INSERT INTO clause (id, deal_id, kind, holder, grantor, valid, rate) VALUES ('x', 'no-such-deal', 'revenue_share', 'microsoft', 'openai', '[2026-01-01,)', '20%');
INSERT INTO clause (id, kind, holder, grantor, valid, rate) VALUES ('ok-rs', 'revenue_share', 'microsoft', 'openai', '[2026-01-01,)', '20%');
-- the SQLSTATE of a violated clause constraint is 23514 (check_violation)
DO $$
BEGIN
    INSERT INTO dealscope.clause (id, kind, holder, grantor, scope, valid)
        VALUES ('x', 'rofr', 'microsoft', 'openai', 'azure', '[2026-01-01,)');
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'SQLSTATE %: %', SQLSTATE, SQLERRM;
END $$;
-- workloads
INSERT INTO workload VALUES ('gpt-6', 'openai', 'api/gpt-6', NULL, '2026-06-01');
INSERT INTO workload (id, product, requested_on) VALUES ('x', 'api/x', '2026-06-01');
INSERT INTO workload (id, owner, requested_on) VALUES ('x', 'openai', '2026-06-01');
INSERT INTO workload (id, owner, product) VALUES ('x', 'openai', 'api/x');
INSERT INTO workload VALUES ('gpt-6', 'openai', 'api/gpt-6', NULL, '2026-06-01');
-- placement events
INSERT INTO placement_event VALUES
    ('gpt-6', 'offer', 'microsoft', NULL, '2026-06-02'),
    ('gpt-6', 'decline', 'microsoft', NULL, '2026-06-05'),
    ('gpt-6', 'launch', NULL, 'azure/eastus', '2026-06-10');
INSERT INTO placement_event VALUES ('no-such-workload', 'offer', 'microsoft', NULL, '2026-06-02');
INSERT INTO placement_event VALUES ('gpt-6', 'refuse', 'microsoft', NULL, '2026-06-02');
INSERT INTO placement_event VALUES ('gpt-6', 'offer', NULL, NULL, '2026-06-02');
INSERT INTO placement_event VALUES ('gpt-6', 'decline', NULL, NULL, '2026-06-02');
INSERT INTO placement_event VALUES ('gpt-6', 'accept', NULL, NULL, '2026-06-02');
INSERT INTO placement_event VALUES ('gpt-6', 'launch', NULL, NULL, '2026-06-02');
INSERT INTO placement_event VALUES ('gpt-6', 'launch', NULL, 'azure/eastus', 'infinity');
INSERT INTO placement_event VALUES ('gpt-6', 'launch', NULL, 'azure/eastus', NULL);
-- deleting a workload deletes its events; renaming it follows
UPDATE workload SET id = 'gpt-6b' WHERE id = 'gpt-6';
SELECT workload_id, kind, holder, at, on_date FROM placement_event ORDER BY on_date;
DELETE FROM workload WHERE id = 'gpt-6b';
SELECT count(*) AS events_left FROM placement_event;
-- a clause's deal cannot vanish from under it
DELETE FROM deal WHERE id = 'd1';
-- a column the clause's kind does not read is rejected, not ignored
INSERT INTO clause (id, kind, holder, grantor, scope, valid, rate) VALUES ('x', 'exclusivity', 'microsoft', 'openai', 'azure', '[2026-01-01,)', '20%');
INSERT INTO clause (id, kind, holder, grantor, scope, valid, window_days) VALUES ('x', 'exclusivity', 'microsoft', 'openai', 'azure', '[2026-01-01,)', 30);
INSERT INTO clause (id, kind, holder, grantor, scope, valid, window_days, lag_days) VALUES ('x', 'rofr', 'microsoft', 'openai', 'azure', '[2026-01-01,)', 30, 14);
INSERT INTO clause (id, kind, grantor, valid, data_class, jurisdictions, scope) VALUES ('x', 'residency', 'openai', '[2026-01-01,)', 'eu-personal', '{EU}', 'azure');
INSERT INTO clause (id, kind, holder, grantor, scope, valid, data_class) VALUES ('x', 'exclusivity', 'microsoft', 'openai', 'azure', '[2026-01-01,)', 'eu-personal');
INSERT INTO clause (id, kind, holder, grantor, scope, valid, jurisdictions) VALUES ('x', 'exclusivity', 'microsoft', 'openai', 'azure', '[2026-01-01,)', '{EU}');
INSERT INTO clause (id, kind, holder, grantor, valid, min_share, amount, currency) VALUES ('x', 'primary_partner', 'microsoft', 'openai', '[2026-01-01,)', 0.5, 100, 'USD');
INSERT INTO clause (id, kind, holder, grantor, valid, rate, min_share) VALUES ('x', 'revenue_share', 'microsoft', 'openai', '[2026-01-01,)', '20%', 0.5);
INSERT INTO clause (id, kind, holder, grantor, valid, rate, currency) VALUES ('x', 'revenue_share', 'microsoft', 'openai', '[2026-01-01,)', '20%', 'USD');
INSERT INTO clause (id, kind, holder, grantor, valid, amount, currency, scope) VALUES ('x', 'commitment', 'microsoft', 'openai', '[2026-01-01,)', 100, 'USD', 'azure');
INSERT INTO clause (id, kind, holder, grantor, valid, amount, currency, products) VALUES ('x', 'commitment', 'microsoft', 'openai', '[2026-01-01,)', 100, 'USD', 'api/*');
INSERT INTO clause (id, kind, holder, grantor, valid, min_share, scope) VALUES ('x', 'primary_partner', 'microsoft', 'openai', '[2026-01-01,)', 0.5, 'azure');
-- every name of a party is a registered party (table party), in lower case
INSERT INTO workload VALUES ('x', 'Anthropic', 'api/claude', NULL, '2026-06-01');
INSERT INTO clause (id, kind, holder, grantor, scope, valid) VALUES ('x', 'exclusivity', 'Microsoft', 'openai', 'azure', '[2026-01-01,)');
INSERT INTO clause (id, kind, holder, grantor, scope, valid) VALUES ('x', 'exclusivity', 'microsoft', 'open-ai', 'azure', '[2026-01-01,)');
INSERT INTO placement_event VALUES ('gpt-6b', 'offer', 'nobody', NULL, '2026-06-02');
INSERT INTO workload VALUES ('w-7', 'openai', 'api/gpt-7', NULL, '2026-06-01');
INSERT INTO placement_event VALUES ('w-7', 'offer', 'nobody', NULL, '2026-06-02');
INSERT INTO revenue_flow (seller, channel, amount, currency, period) VALUES ('OpenAI', 'azure/eastus', 1, 'USD', '[2026-01-01,2026-01-02)');
INSERT INTO revenue_flow (seller, buyer, channel, amount, currency, period) VALUES ('openai', 'acme', 'azure/eastus', 1, 'USD', '[2026-01-01,2026-01-02)');
-- a party still named cannot go; renaming one renames it everywhere
DELETE FROM party WHERE id = 'microsoft';
UPDATE party SET id = 'msft' WHERE id = 'microsoft';
SELECT id, holder, grantor FROM clause WHERE id IN ('ok-rs', 'ok-excl') ORDER BY id;
ROLLBACK;

-- deal_lint and clause_conflicts: what the constraints cannot see
BEGIN;
INSERT INTO party (id) VALUES ('acme-ai'), ('regulator');
INSERT INTO deal VALUES ('d2', 'lint deal', '{openai,microsoft,Amazon}', '2026-01-01');
INSERT INTO clause (id, deal_id, kind, holder, grantor, products, scope, valid, rate, data_class, jurisdictions) VALUES
    -- two holders' exclusivities over overlapping products and days
    ('ex-ms', 'd2', 'exclusivity', 'microsoft', 'openai', 'api/*', 'azure', '[2026-01-01,2026-07-01)', NULL, NULL, NULL),
    ('ex-aws', 'd2', 'exclusivity', 'amazon', 'openai', '*/gpt-5', 'aws', '[2026-06-01,2027-01-01)', NULL, NULL, NULL),
    -- overlapping scopes: only the common endpoints remain
    ('ex-ms-eu', 'd2', 'exclusivity', 'microsoft', 'openai', 'chatgpt/*', 'azure, aws/eu-*', '[2026-01-01,2027-01-01)', NULL, NULL, NULL),
    ('ex-aws-eu', 'd2', 'exclusivity', 'amazon', 'openai', 'chatgpt/*', 'aws', '[2026-01-01,2027-01-01)', NULL, NULL, NULL),
    -- products no other exclusivity covers: no conflict
    ('ex-goog', 'd2', 'exclusivity', 'google', 'openai', 'sora', 'gcp', '[2026-01-01,2027-01-01)', NULL, NULL, NULL),
    -- another grantor's clause, which its workload's misspelt product escapes
    ('ex-acme', 'd2', 'exclusivity', 'microsoft', 'acme-ai', 'chat/*', 'azure', '[2026-01-01,2027-01-01)', NULL, NULL, NULL),
    -- shares: 60% and a ramp from 50% to 30% peak at 110% on the ramp's first day
    ('rs-a', 'd2', 'revenue_share', 'microsoft', 'openai', '*', NULL, '[2026-01-01,2027-01-01)', '60%', NULL, NULL),
    ('rs-b', 'd2', 'revenue_share', 'amazon', 'openai', 'api/*', 'aws', '[2026-03-01,2027-01-01)', '{[2026-04-01,2026-10-01) 50%->30%}', NULL, NULL),
    -- on other channels than rs-b: no conflict with it, but 100% with rs-a is not over
    ('rs-c', 'd2', 'revenue_share', 'google', 'openai', '*', 'gcp', '[2026-01-01,2027-01-01)', '40%', NULL, NULL),
    -- a residency clause with a misspelt jurisdiction and no matching workload
    ('res-x', 'd2', 'residency', 'regulator', 'openai', '*', NULL, '[2026-01-01,2027-01-01)', NULL, 'eu-personal', '{EUU,DE,XX}');
INSERT INTO workload VALUES ('w-typo', 'openai', 'api/gpt-5', 'eu-persnal', '2026-06-01');
INSERT INTO workload VALUES ('w-typo2', 'acme-ai', 'caht/pro', NULL, '2026-06-01');
INSERT INTO workload VALUES ('w-ok', 'openai', 'api/gpt-5', NULL, '2026-06-01');
INSERT INTO placement_event VALUES ('w-ok', 'offer', 'google', NULL, '2026-06-02');
SELECT * FROM clause_conflicts();
SELECT * FROM deal_lint();
ROLLBACK;
-- three shares of 40 %: no pair is over 100 %, the three together are
BEGIN;
INSERT INTO party (id) VALUES ('p1'), ('p2'), ('p3'), ('acme-ai') ON CONFLICT DO NOTHING;
INSERT INTO clause (id, kind, holder, grantor, valid, rate) VALUES
    ('rs-1', 'revenue_share', 'p1', 'acme-ai', '[2026-01-01,2027-01-01)', '40%'),
    ('rs-2', 'revenue_share', 'p2', 'acme-ai', '[2026-01-01,2027-01-01)', '40%'),
    ('rs-3', 'revenue_share', 'p3', 'acme-ai', '[2026-06-01,2027-01-01)', '{[2026-06-01,2027-01-01) 40%->10%}');
SELECT * FROM clause_conflicts();
SELECT * FROM deal_lint();
ROLLBACK;
-- with no model rows there is nothing to report
SELECT count(*) AS conflicts FROM clause_conflicts();
SELECT count(*) AS findings FROM deal_lint();

-- products_overlap: can one product match both lists?
SELECT a, b, products_overlap(a, b), products_overlap(b, a)
FROM (VALUES ('api/*', 'api/gpt-5'), ('api/*', '*/gpt-5'), ('api/*', 'chatgpt/*'), ('*', ''),
             ('api/gpt-5', 'api/gpt-5'), ('api/gpt-5', 'api/gpt-4'), ('a*b*c', '*c'), ('a*b*c', 'x*'),
             ('api/*-mini', 'api/o*'), ('api/*-mini', '*-max'), ('chatgpt/*, api/o3', 'sora, api/*'),
             (' api/* ', 'api/x'), ('', ''), (NULL, '*')) AS v(a, b);
-- products_match (the test placement and the reports apply)
SELECT l, p, products_match(l, p)
FROM (VALUES ('*', 'x'), ('api/*', 'api/gpt-5'), ('api/*', 'chatgpt/plus'), ('a*, b*', 'bx'), ('*', NULL),
             ('api/*', NULL), ('**', NULL), ('', ''), ('', 'x'), (NULL, 'x'), (' api/* ,x', 'api/y')) AS v(l, p);

\set ON_ERROR_ROLLBACK off
-- every table and column is documented, and pg_dump keeps users' rows
SELECT c.relname, a.attname
FROM pg_class AS c
JOIN pg_namespace AS n ON n.oid = c.relnamespace AND n.nspname = 'dealscope'
LEFT JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE c.relname IN ('deal', 'clause', 'workload', 'placement_event')
  AND (CASE WHEN a.attname IS NULL THEN obj_description(c.oid, 'pg_class')
            ELSE col_description(c.oid, a.attnum) END) IS NULL;
SELECT count(*) AS tables_without_comment FROM pg_class
WHERE oid IN ('dealscope.deal'::regclass, 'dealscope.clause'::regclass,
              'dealscope.workload'::regclass, 'dealscope.placement_event'::regclass)
  AND obj_description(oid, 'pg_class') IS NULL;
SELECT c.relname, cfg.condition
FROM pg_extension AS e,
     LATERAL unnest(e.extconfig, e.extcondition) AS cfg(reloid, condition)
JOIN pg_class AS c ON c.oid = cfg.reloid
WHERE e.extname = 'dealscope' AND c.relname IN ('deal', 'clause', 'workload', 'placement_event')
ORDER BY 1;
