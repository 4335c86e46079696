#!/bin/bash
# pg_dump / pg_restore round trip: catalog rows a user added come back, rows
# the extension ships are not duplicated, neither restore reports an error,
# and the example deal (clauses, workloads, events, revenue flows) gives the
# same placement, revenue, exposure, concentration and partner answers.  The source database is
# populated by a role that is not a superuser, as a trusted extension allows.
#
# Row-level security, policies and privileges on the extension's tables: the
# source has RLS (and FORCE) on, a policy, GRANTs made by the installing role
# (table and column) and by a superuser, and an initial privilege revoked.
# pg_dump keeps none of RLS and policies, and the installing role's GRANTs
# fail when a superuser restores; dealscope.security_script(), saved before
# the dump and run by a superuser after the restore, puts all of it back.
# Three restores, each compared with the source: the custom dump by a
# superuser (without the dump's ACL entries of the extension's tables), the
# plain dump (pg_dump -O) through psql -1 by the installing role, and the
# custom dump by the installing role (pg_restore -1 -O).
#
# Runs inside a throwaway cluster (PGHOST, PGPORT, PGUSER set; see test/run).
set -euo pipefail

tag="dealscope_dump_$$"
src="${tag}_src"            # populated database
dst_custom="${tag}_custom"  # restored with pg_restore from pg_dump -Fc
dst_plain="${tag}_plain"    # restored with psql from pg_dump -Fp -O, by the role
dst_role="${tag}_role"      # restored with pg_restore -1 -O from pg_dump -Fc, by the role
dst_multi="${tag}_multi"    # pg_restore -O by the role without -1: refused
role="${tag}_user"
reader="${tag}_reader"      # may read some of the deal tables, through a policy
pw="pw_$$"
work=$(mktemp -d)

PSQL=(psql -X -q -v ON_ERROR_STOP=1 --no-psqlrc)

cleanup() {
    for db in "$src" "$dst_custom" "$dst_plain" "$dst_role" "$dst_multi"; do
        dropdb --if-exists "$db" >/dev/null 2>&1 || true
    done
    "${PSQL[@]}" -d postgres -c "DROP ROLE IF EXISTS $role" -c "DROP ROLE IF EXISTS $reader" >/dev/null 2>&1 || true
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

# Row-level security, policies and privileges (grantor aside: a re-granted
# privilege's grantor is whoever grants it) of the extension's tables, and
# what the reader role sees through them.
security() {
    "${PSQL[@]}" -At -d "$1" <<SQL
SELECT 'rls', c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c
WHERE c.relnamespace = 'dealscope'::regnamespace AND c.relkind = 'r' ORDER BY 2;
SELECT 'policy', tablename, policyname, permissive, roles::text, cmd, qual, with_check
FROM pg_policies WHERE schemaname = 'dealscope' ORDER BY 2, 3;
SELECT DISTINCT 'acl', c.relname, a.attname, CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(x.grantee)::text END,
       x.privilege_type, x.is_grantable
FROM pg_class c LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND a.attacl IS NOT NULL,
     aclexplode(coalesce(a.attacl, c.relacl)) x
WHERE c.relnamespace = 'dealscope'::regnamespace AND c.relkind IN ('r', 'S') AND x.grantee <> c.relowner
ORDER BY 2, 3, 4, 5;
SET ROLE $reader;
SELECT 'reader', (SELECT count(*) FROM dealscope.clause), (SELECT count(*) FROM dealscope.deal),
       (SELECT count(*) FROM dealscope.jurisdiction), (SELECT count(id) FROM dealscope.workload);
SQL
}

# Runs the saved security script as a superuser, then compares.
check_security() {
    local db=$1 how=$2
    # (the reader may lack its privileges now: then this stops early)
    security "$db" > "$work/$db.security-before" 2>/dev/null || true
    cmp -s "$work/src.security" "$work/$db.security-before" && kept=yes || kept=no
    "${PSQL[@]}" -d "$db" -f "$work/security.sql" > /dev/null 2> "$work/$db.security.err" \
        || { cat "$work/$db.security.err" >&2; fail "$how: the saved security_script() failed"; }
    [ -s "$work/$db.security.err" ] && { cat "$work/$db.security.err" >&2; fail "$how: the saved security_script() printed warnings"; }
    security "$db" > "$work/$db.security"
    if ! diff -u "$work/src.security" "$work/$db.security" >&2; then
        fail "$how: row-level security, policies or privileges differ from the source after security_script()"
    fi
    # the script is idempotent: a second run changes nothing
    "${PSQL[@]}" -d "$db" -f "$work/security.sql" > /dev/null 2>&1 || fail "$how: security_script() failed on a second run"
    security "$db" | cmp -s - "$work/$db.security" || fail "$how: a second run of security_script() changed something"
    echo "$how: RLS, policies and privileges as in the source after security_script() (kept by pg_dump alone: $kept)"
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
"${PSQL[@]}" -d postgres -c "CREATE ROLE $role LOGIN PASSWORD '$pw' NOSUPERUSER; GRANT CREATE ON DATABASE $src TO $role" \
    -c "CREATE ROLE $reader NOLOGIN NOSUPERUSER" || fail "cannot create roles $role, $reader"
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
-- the installing role shares some of its data
GRANT SELECT ON dealscope.clause, dealscope.deal TO $reader;
GRANT SELECT (id, owner) ON dealscope.workload TO $reader;
RESET ROLE;
-- a superuser (the tables' owner) adds row-level security and a policy,
-- grants, and revokes one of the initial privileges
ALTER TABLE dealscope.clause ENABLE ROW LEVEL SECURITY;
CREATE POLICY clause_microsoft ON dealscope.clause FOR SELECT TO $reader USING (grantor = 'microsoft');
ALTER TABLE dealscope.deal ENABLE ROW LEVEL SECURITY;
ALTER TABLE dealscope.deal FORCE ROW LEVEL SECURITY;
REVOKE SELECT ON dealscope.jurisdiction FROM PUBLIC;
GRANT SELECT ON dealscope.jurisdiction TO $reader;
SQL

counts "$src" > "$work/src.counts"
snapshot "$src" > "$work/src.rows"
answers "$src" > "$work/src.answers"
[ "$(grep -c '^report|' "$work/src.answers")" -gt 0 ] || fail "the source database has no revenue report rows"
security "$src" > "$work/src.security"
grep -q '^policy|clause|clause_microsoft' "$work/src.security" || fail "the source database has no policy"
grep -q '^reader|[1-9][0-9]*|0|' "$work/src.security" || fail "the reader role does not see what the source's policies let it see"
# saved before the dump, as the procedure in doc/reference.md ("Dump and restore, step by step") says
"${PSQL[@]}" -At -d "$src" -c "SELECT dealscope.security_script()" > "$work/security.sql" \
    || fail "security_script() failed on the source"
shipped_regions=$(awk -F'|' '$1 == "region" {print $3}' "$work/src.counts")
[ "${shipped_regions:-0}" -gt 0 ] || fail "the source database has no shipped regions"

# --- custom format, restored with pg_restore ---------------------------------
pg_dump -Fc -f "$work/src.dump" "$src" 2> "$work/dump_custom.err" \
    || { cat "$work/dump_custom.err" >&2; fail "pg_dump -Fc failed"; }
[ -s "$work/dump_custom.err" ] && { cat "$work/dump_custom.err" >&2; fail "pg_dump -Fc printed warnings or errors"; }

createdb "$dst_custom" || fail "createdb $dst_custom"
# a superuser restores without the dump's ACL entries of the extension's
# tables (the installing role's GRANTs among them would fail: here the
# extension is a superuser's); security_script() grants them all
pg_restore -l "$work/src.dump" | grep -v -E '^[0-9]+; [0-9]+ [0-9]+ ACL dealscope (TABLE|COLUMN|SEQUENCE) ' > "$work/src.list"
if ! pg_restore -L "$work/src.list" -d "$dst_custom" "$work/src.dump" 2> "$work/restore_custom.err"; then
    cat "$work/restore_custom.err" >&2
    fail "pg_restore reported errors"
fi
[ -s "$work/restore_custom.err" ] && { cat "$work/restore_custom.err" >&2; fail "pg_restore printed warnings or errors"; }
check_restored "$dst_custom" "pg_dump -Fc | pg_restore"
check_security "$dst_custom" "pg_dump -Fc | pg_restore (superuser)" > "$work/custom.note"

# --- plain format (-O), restored with psql -1 -v ON_ERROR_STOP=1 by the role --
# The schema belongs to the bootstrap superuser, whom the role cannot make
# an owner: the dump leaves owners out (-O), and runs in one transaction, in
# which the schema it creates can go to the superuser safely (src/guard.c).
pg_dump -Fp -O -f "$work/src.sql" "$src" 2> "$work/dump_plain.err" \
    || { cat "$work/dump_plain.err" >&2; fail "pg_dump -Fp failed"; }
[ -s "$work/dump_plain.err" ] && { cat "$work/dump_plain.err" >&2; fail "pg_dump -Fp printed warnings or errors"; }

createdb "$dst_plain" || fail "createdb $dst_plain"
"${PSQL[@]}" -d postgres -c "GRANT CREATE ON DATABASE $dst_plain TO $role" || fail "cannot grant CREATE on $dst_plain"
if ! PGUSER=$role PGPASSWORD=$pw psql -X -q -1 -v ON_ERROR_STOP=1 -d "$dst_plain" -f "$work/src.sql" > /dev/null 2> "$work/restore_plain.err"; then
    cat "$work/restore_plain.err" >&2
    fail "psql could not restore the plain dump as $role"
fi
[ -s "$work/restore_plain.err" ] && { cat "$work/restore_plain.err" >&2; fail "psql printed warnings or errors restoring the plain dump"; }
check_restored "$dst_plain" "pg_dump -Fp -O | psql -1 (the role)"
check_security "$dst_plain" "pg_dump -Fp -O | psql -1 (the role)" > "$work/plain.note"

# --- custom format, restored with pg_restore -1 -O by the role ---------------
createdb "$dst_role" || fail "createdb $dst_role"
"${PSQL[@]}" -d postgres -c "GRANT CREATE ON DATABASE $dst_role TO $role" || fail "cannot grant CREATE on $dst_role"
if ! PGUSER=$role PGPASSWORD=$pw pg_restore -1 -O -d "$dst_role" "$work/src.dump" 2> "$work/restore_role.err"; then
    cat "$work/restore_role.err" >&2
    fail "pg_restore -1 -O as $role reported errors"
fi
[ -s "$work/restore_role.err" ] && { cat "$work/restore_role.err" >&2; fail "pg_restore -1 -O as $role printed warnings or errors"; }
check_restored "$dst_role" "pg_dump -Fc | pg_restore -1 -O (the role)"
check_security "$dst_role" "pg_dump -Fc | pg_restore -1 -O (the role)" > "$work/role.note"

# without -1 the role's restore creates the schema, commits, and only then
# creates the extension: refused, the schema could have received the role's
# objects in between
createdb "$dst_multi" || fail "createdb $dst_multi"
"${PSQL[@]}" -d postgres -c "GRANT CREATE ON DATABASE $dst_multi TO $role" || fail "cannot grant CREATE on $dst_multi"
if PGUSER=$role PGPASSWORD=$pw pg_restore -O -d "$dst_multi" "$work/src.dump" 2> "$work/restore_multi.err"; then
    fail "pg_restore -O as $role without -1 was not refused"
fi
grep -q 'schema "dealscope" already exists and belongs to role' "$work/restore_multi.err" \
    || { cat "$work/restore_multi.err" >&2; fail "pg_restore -O as $role without -1 failed for another reason"; }

cat "$work/custom.note" "$work/plain.note" "$work/role.note" | sed 's/^/test\/dump_restore.sh: /'
echo "test/dump_restore.sh: ok ($(wc -l < "$work/src.rows") catalog rows, 5 of them user rows, $(wc -l < "$work/src.answers") answer lines over the example deal and $(wc -l < "$work/src.security") lines of RLS, policies and privileges, identical after three restores)"
