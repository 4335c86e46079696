#!/bin/bash
# pg_dump / pg_restore round trip: catalog rows a user added come back, rows
# the extension ships are not duplicated, neither restore reports an error,
# and the example deal (clauses, workloads, events, revenue flows) gives the
# same placement, revenue, exposure, concentration and partner answers.  The source database is
# populated by a role that is not a superuser, as a trusted extension allows.
#
# Runs inside a throwaway cluster (PGHOST, PGPORT, PGUSER set; see test/run).
set -euo pipefail

tag="dealscope_dump_$$"
src="${tag}_src"            # populated database
dst_custom="${tag}_custom"  # restored with pg_restore from pg_dump -Fc
dst_plain="${tag}_plain"    # restored with psql from pg_dump -Fp
role="${tag}_user"
work=$(mktemp -d)

PSQL=(psql -X -q -v ON_ERROR_STOP=1 --no-psqlrc)

cleanup() {
    for db in "$src" "$dst_custom" "$dst_plain"; do
        dropdb --if-exists "$db" >/dev/null 2>&1 || true
    done
    "${PSQL[@]}" -d postgres -c "DROP ROLE IF EXISTS $role" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

fail() {
    echo "test/dump_restore.sh: FAIL: $*" >&2
    exit 1
}

# Everything in the catalog, one row per line, in a fixed order.
snapshot() {
    "${PSQL[@]}" -At -d "$1" -c "
        SELECT 'provider', provider, owner, NULL, shipped FROM dealscope.provider
        UNION ALL
        SELECT 'region', provider, region, country, shipped FROM dealscope.region
        UNION ALL
        SELECT 'jurisdiction', code, countries::text, NULL, shipped FROM dealscope.jurisdiction
        ORDER BY 1, 2, 3"
}

# Row counts per table: all, shipped, added by the user.
counts() {
    "${PSQL[@]}" -At -d "$1" -c "
        SELECT t, count(*), count(*) FILTER (WHERE shipped), count(*) FILTER (WHERE NOT shipped)
        FROM (SELECT 'provider' AS t, shipped FROM dealscope.provider
              UNION ALL SELECT 'region', shipped FROM dealscope.region
              UNION ALL SELECT 'jurisdiction', shipped FROM dealscope.jurisdiction) s
        GROUP BY t ORDER BY t"
}

# The answers to every question over the example deal, one per line.
answers() {
    "${PSQL[@]}" -At -d "$1" -c "
        SET search_path = dealscope, public;
        SELECT 'summary', d, m.* FROM unnest(ARRAY['2026-04-27', '2026-05-15', '2026-06-03']::date[]) d,
            LATERAL placement_summary(d) m ORDER BY 2, 3;
        SELECT 'check', c.* FROM placement_check('agents-enterprise', 'aws/us-east-1', '2026-06-03') c;
        SELECT 'report', r.* FROM revenue_report('[2025-07-01,2027-07-01)', 'quarter') r ORDER BY 2, 5, 6, 7;
        SELECT 'exposure', e.* FROM exposure('openai', '[2025-07-01,2027-07-01)', 'quarter', 7) e ORDER BY 2, 5, 6;
        SELECT 'concentration', c.* FROM concentration('openai', '[2026-07-01,2027-01-01)') c ORDER BY 2;
        SELECT 'partner', p.* FROM partner_status('openai', '2026-12-31') p ORDER BY 2;
        SELECT 'rows', (SELECT count(*) FROM deal), (SELECT count(*) FROM clause), (SELECT count(*) FROM workload),
               (SELECT count(*) FROM placement_event), (SELECT count(*) FROM revenue_flow), (SELECT max(id) FROM revenue_flow);"
}

# Compares a restored database with the source; $2 names the method.
check_restored() {
    local db=$1 how=$2
    counts "$db" > "$work/$db.counts"
    if ! diff -u "$work/src.counts" "$work/$db.counts" >&2; then
        fail "$how: row counts (table|all|shipped|user) differ from the source database"
    fi
    snapshot "$db" > "$work/$db.rows"
    if ! diff -u "$work/src.rows" "$work/$db.rows" >&2; then
        fail "$how: catalog rows differ from the source database"
    fi
    answers "$db" > "$work/$db.answers"
    if ! diff -u "$work/src.answers" "$work/$db.answers" >&2; then
        fail "$how: answers over the example deal differ from the source database"
    fi
    # a new flow after restore gets a fresh identity, not a duplicate key
    "${PSQL[@]}" -d "$db" -c "INSERT INTO dealscope.revenue_flow (seller, channel, amount, currency, period)
                              VALUES ('openai', 'openai/global/api', 1.00, 'USD', '[2027-01-01,2027-01-02)')" \
        || fail "$how: cannot add a revenue flow after restore"
    local user_rows
    user_rows=$(grep -c '|f$' "$work/$db.rows" || true)
    [ "$user_rows" -eq 5 ] || fail "$how: expected 5 user rows after restore, found $user_rows"
    # The restored tables still take new rows and still enforce their keys.
    "${PSQL[@]}" -d "$db" -c "INSERT INTO dealscope.region (provider, region, country)
                              VALUES ('example-cloud', 'after-restore-1', 'FR')" \
        || fail "$how: cannot add a region after restore"
    if "${PSQL[@]}" -d "$db" -c "INSERT INTO dealscope.region (provider, region, country)
                                 VALUES ('aws', 'eu-central-1', 'DE')" 2>/dev/null; then
        fail "$how: primary key of region not enforced after restore"
    fi
}

# --- the source database, filled by a role that is not a superuser ----------
createdb "$src" || fail "createdb $src"
"${PSQL[@]}" -d postgres -c "CREATE ROLE $role NOLOGIN NOSUPERUSER; GRANT CREATE ON DATABASE $src TO $role" \
    || fail "cannot create role $role"
"${PSQL[@]}" -d "$src" <<SQL || fail "cannot install the extension and add user rows as $role"
SET ROLE $role;
CREATE EXTENSION dealscope;
-- a party and a provider of the user's own, with a region
INSERT INTO dealscope.party (id, name) VALUES ('example-corp', 'Example Corp');
INSERT INTO dealscope.provider (provider, owner) VALUES ('example-cloud', 'example-corp');
INSERT INTO dealscope.region (provider, region, country) VALUES ('example-cloud', 'eu-1', 'DE');
INSERT INTO dealscope.region (provider, region, country) VALUES ('example-cloud', 'us-1', 'US');
-- a region of the user's own under a shipped provider
INSERT INTO dealscope.region (provider, region, country) VALUES ('aws', 'example-local-1', 'FR');
-- a jurisdiction of the user's own
INSERT INTO dealscope.jurisdiction (code, countries) VALUES ('DACH', '{AT,CH,DE}');
-- the example deal and its revenue flows
\\i examples/msft_openai.sql
\\i examples/msft_openai_revenue.sql
SQL

counts "$src" > "$work/src.counts"
snapshot "$src" > "$work/src.rows"
answers "$src" > "$work/src.answers"
[ "$(grep -c '^report|' "$work/src.answers")" -gt 0 ] || fail "the source database has no revenue report rows"
shipped_regions=$(awk -F'|' '$1 == "region" {print $3}' "$work/src.counts")
[ "${shipped_regions:-0}" -gt 0 ] || fail "the source database has no shipped regions"

# --- custom format, restored with pg_restore ---------------------------------
pg_dump -Fc -f "$work/src.dump" "$src" 2> "$work/dump_custom.err" \
    || { cat "$work/dump_custom.err" >&2; fail "pg_dump -Fc failed"; }
[ -s "$work/dump_custom.err" ] && { cat "$work/dump_custom.err" >&2; fail "pg_dump -Fc printed warnings or errors"; }

createdb "$dst_custom" || fail "createdb $dst_custom"
if ! pg_restore -d "$dst_custom" "$work/src.dump" 2> "$work/restore_custom.err"; then
    cat "$work/restore_custom.err" >&2
    fail "pg_restore reported errors"
fi
[ -s "$work/restore_custom.err" ] && { cat "$work/restore_custom.err" >&2; fail "pg_restore printed warnings or errors"; }
check_restored "$dst_custom" "pg_dump -Fc | pg_restore"

# --- plain format, restored with psql -v ON_ERROR_STOP=1 ---------------------
pg_dump -Fp -f "$work/src.sql" "$src" 2> "$work/dump_plain.err" \
    || { cat "$work/dump_plain.err" >&2; fail "pg_dump -Fp failed"; }
[ -s "$work/dump_plain.err" ] && { cat "$work/dump_plain.err" >&2; fail "pg_dump -Fp printed warnings or errors"; }

createdb "$dst_plain" || fail "createdb $dst_plain"
if ! psql -X -q -v ON_ERROR_STOP=1 -d "$dst_plain" -f "$work/src.sql" > /dev/null 2> "$work/restore_plain.err"; then
    cat "$work/restore_plain.err" >&2
    fail "psql could not restore the plain dump"
fi
[ -s "$work/restore_plain.err" ] && { cat "$work/restore_plain.err" >&2; fail "psql printed warnings or errors restoring the plain dump"; }
check_restored "$dst_plain" "pg_dump -Fp | psql"

echo "test/dump_restore.sh: ok ($(wc -l < "$work/src.rows") catalog rows, 5 of them user rows, and $(wc -l < "$work/src.answers") answer lines over the example deal, identical after pg_restore and psql)"
