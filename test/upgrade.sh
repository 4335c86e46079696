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
# (the example names only parties 0.2.0 ships; the update registers them)
"${PSQL[@]}" -d "$old" -f examples/msft_openai.sql -f examples/msft_openai_revenue.sql >/dev/null
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

# --- installed by a role that is not a superuser ------------------------------
# Under 0.1.0 the schema belongs to that role.  The update refuses while the
# schema holds an object of the role's (here an overload that calls with
# untyped literals would prefer), then gives the schema to the bootstrap
# superuser and takes CREATE on it from everyone else; the result equals a
# fresh install by the same role.
role="${tag}_role"; rold="${tag}_rold"; rnew="${tag}_rnew"
cleanup() {
    for db in "$old" "$new" "$rold" "$rnew"; do dropdb --if-exists "$db" >/dev/null 2>&1 || true; done
    "${PSQL[@]}" -d postgres -c "DROP ROLE IF EXISTS $role" >/dev/null 2>&1 || true
    rm -rf "$work"
}
createdb "$rold"; createdb "$rnew"
"${PSQL[@]}" -d postgres -c "CREATE ROLE $role NOLOGIN NOSUPERUSER" \
    -c "GRANT CREATE ON DATABASE $rold TO $role" -c "GRANT CREATE ON DATABASE $rnew TO $role"
"${PSQL[@]}" -d "$rold" -c "SET ROLE $role" -c "CREATE EXTENSION dealscope VERSION '$oldest'"
owner=$("${PSQL[@]}" -At -d "$rold" -c "SELECT nspowner::regrole FROM pg_namespace WHERE nspname = 'dealscope'")
[ "$owner" = "$role" ] || fail "$oldest installed by $role: schema owned by $owner, expected $role"
"${PSQL[@]}" -d "$rold" -c "SET ROLE $role" -f examples/msft_openai.sql -f examples/msft_openai_revenue.sql >/dev/null
"${PSQL[@]}" -d "$rold" -c "SET ROLE $role" \
    -c "CREATE FUNCTION dealscope.placement_check(text, text, date) RETURNS text LANGUAGE sql AS \$\$SELECT 'planted'\$\$" \
    -c "GRANT CREATE ON SCHEMA dealscope TO PUBLIC"
answers "$rold" > "$work/role-answers-before"
if "${PSQL[@]}" -d "$rold" -c "SET ROLE $role" -c "ALTER EXTENSION dealscope UPDATE" 2> "$work/role-update.err"; then
    fail "ALTER EXTENSION UPDATE went ahead with the role's function in schema dealscope"
fi
grep -q 'holds objects that do not belong to extension dealscope: function placement_check(text,text,date)' "$work/role-update.err" \
    || { cat "$work/role-update.err" >&2; fail "ALTER EXTENSION UPDATE failed for another reason"; }
"${PSQL[@]}" -d "$rold" -c "SET ROLE $role" -c "DROP FUNCTION dealscope.placement_check(text, text, date)" \
    -c "ALTER EXTENSION dealscope UPDATE"
"${PSQL[@]}" -d "$rnew" -c "SET ROLE $role" -c "CREATE EXTENSION dealscope"
owner=$("${PSQL[@]}" -At -d "$rold" -c "SELECT nspowner = 10 FROM pg_namespace WHERE nspname = 'dealscope'")
[ "$owner" = t ] || fail "after the update the schema does not belong to the bootstrap superuser"
"${PSQL[@]}" -At -d "$rold" -f test/extension_objects.sql > "$work/role-objects-updated"
"${PSQL[@]}" -At -d "$rnew" -f test/extension_objects.sql > "$work/role-objects-fresh"
diff -u "$work/role-objects-fresh" "$work/role-objects-updated" > "$work/role-objects.diff" || {
    head -50 "$work/role-objects.diff"; fail "installed by $role: objects differ between a fresh $current and $oldest updated"; }
answers "$rold" > "$work/role-answers-after"
diff -u "$work/role-answers-before" "$work/role-answers-after" > "$work/role-answers.diff" || {
    head -50 "$work/role-answers.diff"; fail "installed by $role: answers changed across the update"; }
echo "test/upgrade.sh: $oldest -> $current: $n objects identical to a fresh install (installed by a superuser, and by a role that is not one, whose planted function the update refused); $(wc -l < "$work/answers-after") answer lines unchanged"
