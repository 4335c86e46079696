#!/bin/bash
# Concurrent writers and readers (pgbench, ~20 s): clients insert revenue
# flows (and now and then a revenue_share clause) while others ask
# revenue_report, revenue_slices, exposure and placement_matrix.  Every
# reader transaction checks, in its REPEATABLE READ snapshot, that the
# report's gross equals the sum of the flows' amounts exactly and that the
# report's shares equal the per-flow split's; a failed check is an error
# (division by zero), which aborts the client and fails the run.  At the
# end: no error, no client aborted, and every inserted flow is there (the
# writers also record each amount in a ledger table in the same
# transaction): counts and sums equal, to the cent.
#
# Runs inside a throwaway cluster (PGHOST, PGPORT, PGUSER set; see test/run).
set -euo pipefail
cd "$(dirname "$0")/.."
db="dealscope_pgbench_$$"
work=$(mktemp -d /tmp/dealscope-pgbench.XXXXXX)
PSQL=(psql -X -q -v ON_ERROR_STOP=1 --no-psqlrc -d "$db")
cleanup() { dropdb --if-exists "$db" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "test/pgbench.sh: FAIL: $*" >&2; exit 1; }
seconds=${DEALSCOPE_PGBENCH_SECONDS:-20}

createdb "$db"
"${PSQL[@]}" <<'SQL'
CREATE EXTENSION dealscope;
CREATE TABLE public.ledger (amount numeric NOT NULL);
INSERT INTO dealscope.party (id)
SELECT 'seller-' || i FROM generate_series(0, 9) AS i
UNION ALL SELECT 'holder-' || x FROM unnest('{a,b,0,1,2,3,4,5,6,7,8,9}'::text[]) AS x;
INSERT INTO dealscope.clause (id, kind, holder, grantor, scope, valid, rate) VALUES
    ('rs-1', 'revenue_share', 'holder-a', 'seller-1', NULL, '[2024-01-01,2030-01-01)', '{[2024-01-01,2030-01-01) 20%->0%}'),
    ('rs-2', 'revenue_share', 'holder-b', 'seller-2', 'aws', '[2025-06-01,)', '7.5%'),
    ('excl-1', 'exclusivity', 'holder-a', 'seller-1', 'azure', '[2024-01-01,2026-09-01)', NULL);
INSERT INTO dealscope.workload (id, owner, product, requested_on)
SELECT 'w-' || i, 'seller-' || (i % 4), 'prod-' || (i % 7), DATE '2025-01-01' + i FROM generate_series(1, 50) i;
SQL

# a flow: amount 0.01 .. 1000.00 (a tenth of them refunds), 1 to 400 days from 2025
cat > "$work/flow.sql" <<'EOF2'
\set a random(1, 100000)
\set d random(0, 700)
\set len random(1, 400)
\set s random(0, 4)
\set neg random(0, 9)
BEGIN;
INSERT INTO dealscope.revenue_flow (seller, buyer, product, channel, amount, currency, period)
VALUES ('seller-' || :s, CASE WHEN :a % 3 = 0 THEN 'seller-' || ((:s + 1) % 5) END, 'prod-' || (:a % 7),
        (CASE :a % 3 WHEN 0 THEN 'aws/us-east-1' WHEN 1 THEN 'azure/eastus' ELSE 'gcp/europe-west1' END)::dealscope.endpoint,
        round(CASE WHEN :neg = 0 THEN -1 ELSE 1 END * :a / 100.00, 2), 'USD',
        daterange(DATE '2025-01-01' + :d, DATE '2025-01-01' + :d + :len));
INSERT INTO public.ledger VALUES (round(CASE WHEN :neg = 0 THEN -1 ELSE 1 END * :a / 100.00, 2));
END;
EOF2
# now and then a revenue_share clause (so the readers' clause caches see new rows)
cat > "$work/clause.sql" <<'EOF2'
\set s random(0, 4)
INSERT INTO dealscope.clause (id, kind, holder, grantor, products, valid, rate)
VALUES ('rs-' || gen_random_uuid(), 'revenue_share', 'holder-' || :client_id, 'seller-' || :s,
        'prod-' || (:s % 7) || ', prod-1*', '[2025-03-01,2026-09-01)', '0.5%');
EOF2
# the questions, checked against each other in one snapshot
cat > "$work/read.sql" <<'EOF2'
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT 1 / (SELECT CASE WHEN r.g = f.a AND r.s = x.s THEN 1 ELSE 0 END
            FROM (SELECT coalesce(sum(gross), 0) AS g, coalesce(sum(share), 0) AS s
                  FROM dealscope.revenue_report('(,)', 'year')) r,
                 (SELECT coalesce(sum(amount), 0) AS a FROM dealscope.revenue_flow) f,
                 (SELECT coalesce(sum(share), 0) AS s FROM dealscope.revenue_slices('(,)', 'year')) x) AS consistent;
SELECT count(*) FROM dealscope.revenue_report('[2025-07-01,2025-10-01)', 'month');
SELECT count(*) FROM dealscope.exposure('seller-1', '[2025-01-01,2027-01-01)');
SELECT count(*) FROM dealscope.placement_matrix('2026-06-01', ARRAY['aws/us-east-1', 'azure/eastus', 'gcp/europe-west1']::dealscope.endpoint[]);
END;
EOF2

pgbench -n -d "$db" -c 4 -j 2 -T "$seconds" \
    -f "$work/flow.sql@12" -f "$work/clause.sql@1" -f "$work/read.sql@3" > "$work/out" 2>&1 || {
    cat "$work/out"; fail "pgbench exited with an error (a client aborted: see above)"; }
grep -q "aborted" "$work/out" && { cat "$work/out"; fail "a client aborted"; }
# the writers' committed transactions, as pgbench counted them
flows=$(awk '/SQL script 1:/ {s=1} s && /transactions \(/ {print $2; exit}' "$work/out")
clauses=$(awk '/SQL script 2:/ {s=1} s && /transactions \(/ {print $2; exit}' "$work/out")
reads=$(awk '/SQL script 3:/ {s=1} s && /transactions \(/ {print $2; exit}' "$work/out")
failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$work/out")
[ -n "$flows" ] && [ -n "$reads" ] || { cat "$work/out"; fail "could not read pgbench's counts"; }
[ "${failed:-0}" -eq 0 ] || { cat "$work/out"; fail "$failed failed transactions"; }
[ "$flows" -gt 100 ] && [ "$reads" -gt 5 ] || { cat "$work/out"; fail "too little work done: $flows flows, $reads reads"; }

check=$("${PSQL[@]}" -At <<'SQL'
SELECT concat_ws(' ',
    (SELECT count(*) FROM public.ledger), (SELECT count(*) FROM dealscope.revenue_flow),
    (SELECT sum(amount) FROM public.ledger), (SELECT sum(amount) FROM dealscope.revenue_flow),
    (SELECT sum(gross) FROM dealscope.revenue_report('(,)', 'quarter')),
    (SELECT sum(gross) FROM dealscope.revenue_slices('(,)', 'month')),
    (SELECT sum(share) FROM dealscope.revenue_report('(,)', 'month')),
    (SELECT sum(share) FROM dealscope.revenue_slices('(,)', 'month')),
    (SELECT count(*) FROM dealscope.clause));
SQL
)
read -r n_ledger n_flows s_ledger s_flows s_report s_slices sh_report sh_slices n_clauses <<< "$check"
[ "$n_ledger" = "$flows" ] || fail "pgbench committed $flows flow transactions, the ledger has $n_ledger"
[ "$n_flows" = "$flows" ] || fail "pgbench committed $flows flows, revenue_flow has $n_flows"
[ "$n_clauses" = $((clauses + 3)) ] || fail "pgbench committed $clauses clauses, clause has $((n_clauses - 3)) new ones"
[ "$s_ledger" = "$s_flows" ] || fail "inserted amounts sum to $s_ledger, the flows to $s_flows"
[ "$s_report" = "$s_flows" ] || fail "revenue_report's gross is $s_report, the flows sum to $s_flows"
[ "$s_slices" = "$s_flows" ] || fail "revenue_slices' gross is $s_slices, the flows sum to $s_flows"
[ "$sh_report" = "$sh_slices" ] || fail "revenue_report's share is $sh_report, revenue_slices' $sh_slices"
tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$work/out" | head -1)
echo "test/pgbench.sh: $seconds s, 4 clients: $flows flows ($s_flows USD), $clauses clauses, $reads checked reads ($tps tps); no error; counts and sums equal (report gross $s_report, share $sh_report)"
