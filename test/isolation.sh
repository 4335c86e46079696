#!/bin/bash
# Isolation tests: test/isolation/specs/*.spec against test/isolation/expected/
# with PostgreSQL's isolation tester (pg_isolation_regress, shipped with
# PostgreSQL's PGXS files in postgresql-client-15).  Runs inside a throwaway
# cluster (PGHOST, PGPORT, PGUSER set; see test/run), like every test/*.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
pgxs=$(${PG_CONFIG:-pg_config} --pgxs)
regress="$(dirname "$pgxs")/../test/isolation/pg_isolation_regress"
[ -x "$regress" ] || { echo "test/isolation.sh: FAIL: no $regress" >&2; exit 1; }
out=$(mktemp -d /tmp/dealscope-isolation.XXXXXX)
trap 'rm -rf "$out"' EXIT
specs=$(ls test/isolation/specs/*.spec | sed 's|.*/||; s|\.spec$||')
if ! "$regress" --inputdir=test/isolation --outputdir="$out" --dbname=dealscope_isolation $specs > "$out/log" 2>&1; then
    cat "$out/log"
    [ -f "$out/regression.diffs" ] && head -150 "$out/regression.diffs"
    echo "test/isolation.sh: FAIL" >&2
    exit 1
fi
echo "test/isolation.sh: $(echo $specs | wc -w) spec(s) as expected"
