#!/bin/bash
# Mutation fuzzing of the text input functions.  Runs inside the
# throwaway cluster made by test/run.  FUZZ_INPUTS per type (default 100000
# in the test suite; FUZZ_INPUTS=1000000 for a full run of a million).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${FUZZ_INPUTS:-100000}
export PGOPTIONS="-c client_min_messages=warning"
db=dealscope_fuzz
psql -X -q -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
trap 'psql -X -q -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true' EXIT
run() {   # type, seeds as a SQL text[] literal
    psql -X -q -d $db -v ON_ERROR_STOP=1 -At <<SQL
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS dealscope;
\i test/fuzz.sql
SELECT setseed(0.42) \g /dev/null
SELECT format('fuzz %s: %s inputs, %s accepted', '$1', $n, pg_temp.fuzz('$1'::regtype, $2, $n));
SQL
}
# Seeds per type; types not built yet are skipped.
declare -A seeds=(
  [dealscope.endpoint]="ARRAY['aws/us-east-1/bedrock', 'azure/eastus', 'openai/global/api', 'A.b_c-9/x']"
  [dealscope.endpoint_set]="ARRAY['aws', '*', '', 'aws/eu-*, !aws/eu-west-1', '!azure/*/openai', 'gcp/us-*/vertex*, oci']"
  [dealscope.rate_schedule]="ARRAY['20%', '0.125', '{}', '{[2019-07-22,2026-04-28) 20%, [2026-04-28,2027-04-28) 20%->0%}', '{[-infinity,2026-04-28) 20%, [2026-04-28,infinity) 5%}']"
)
for t in "${!seeds[@]}"; do
    exists=$(psql -X -At -d $db -c "SET client_min_messages=warning; CREATE EXTENSION IF NOT EXISTS dealscope; SELECT to_regtype('$t') IS NOT NULL")
    [ "$(echo "$exists" | tail -1)" = t ] || { echo "fuzz $t: type not built yet, skipped"; continue; }
    run "$t" "${seeds[$t]}"
done
