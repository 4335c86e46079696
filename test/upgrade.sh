#!/bin/bash
# ALTER EXTENSION dealscope UPDATE from every earlier version: install the
# oldest version (updates/dealscope--0.1.0.sql, frozen as it shipped), load
# the example deal, update through the chain, and require (1) every object
# equal to a fresh install of the current version (test/extension_objects.sql:
# signatures, volatility, bodies, domains, columns, constraints, grants,
# comments), (2) the rows and the answers of the example deal unchanged.
#
# Runs inside a throwaway cluster (PGHOST, PGPORT, PGUSER set; see test/run).
set -euo pipefail
cd "$(dirname "$0")/.."
tag="dealscope_upgrade_$$"
old="${tag}_old"; new="${tag}_new"
work=$(mktemp -d)
PSQL=(psql -X -q -v ON_ERROR_STOP=1 --no-psqlrc)
cleanup() { dropdb --if-exists "$old" >/dev/null 2>&1 || true; dropdb --if-exists "$new" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "test/upgrade.sh: FAIL: $*" >&2; exit 1; }

current=$(sed -n "s/^default_version = '\(.*\)'/\1/p" dealscope.control)
oldest=0.1.0
answers() {
    "${PSQL[@]}" -At -d "$1" <<'SQL'
SELECT count(*) FROM dealscope.clause;
SELECT count(*) FROM dealscope.revenue_flow;
SELECT x::text FROM dealscope.placement_matrix(DATE '2026-06-01') x ORDER BY x::text;
SELECT x::text FROM dealscope.revenue_report('[2026-01-01,2027-01-01)', 'quarter') x;
SELECT x::text FROM dealscope.exposure('openai', '[2026-01-01,2027-01-01)') x;
SQL
}

createdb "$old"; createdb "$new"
"${PSQL[@]}" -d "$old" -c "CREATE EXTENSION dealscope VERSION '$oldest'"
# (0.1.0 has no party table: the example's party rows, which 0.2.0 ships
# anyway, are left out there; the update registers the names the rows use)
sed '/^INSERT INTO dealscope.party /,/;$/d' examples/msft_openai.sql \
    | "${PSQL[@]}" -d "$old" -f - -f examples/msft_openai_revenue.sql >/dev/null
answers "$old" > "$work/answers-before"
"${PSQL[@]}" -d "$old" -c "ALTER EXTENSION dealscope UPDATE"
got=$("${PSQL[@]}" -At -d "$old" -c "SELECT extversion FROM pg_extension WHERE extname = 'dealscope'")
[ "$got" = "$current" ] || fail "updated to $got, expected $current"
answers "$old" > "$work/answers-after"
"${PSQL[@]}" -d "$new" -c "CREATE EXTENSION dealscope"
"${PSQL[@]}" -At -d "$old" -f test/extension_objects.sql > "$work/objects-updated"
"${PSQL[@]}" -At -d "$new" -f test/extension_objects.sql > "$work/objects-fresh"
n=$(wc -l < "$work/objects-fresh")
[ "$n" -gt 200 ] || fail "only $n objects listed: the listing query is broken"
diff -u "$work/objects-fresh" "$work/objects-updated" > "$work/objects.diff" || {
    head -50 "$work/objects.diff"; fail "objects differ between a fresh $current and $oldest updated"; }
diff -u "$work/answers-before" "$work/answers-after" > "$work/answers.diff" || {
    head -50 "$work/answers.diff"; fail "answers changed across the update"; }
echo "test/upgrade.sh: $oldest -> $current: $n objects identical to a fresh install; $(wc -l < "$work/answers-after") answer lines unchanged"
