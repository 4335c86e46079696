#!/bin/bash
# The benchmark proper , against whatever cluster PGHOST/PGPORT/
# PGUSER point at, with dealscope installed there: test/bench/run makes a
# throwaway cluster and calls this; test/bench_smoke.sh calls it inside the
# test suite's cluster at a tiny scale.
#
#   test/bench/bench.sh [--scale FLOWS] [--runs N] [--reference-full FLOWS]
#                       [--reference-factor F] [--db NAME] [--keep]
#
# Generates the synthetic model (test/bench/generate.sql) in a fresh
# database, then for each question times, in one connection and
# interleaved round by round (the order of the sides rotating), the
# extension, its floor and the plain-SQL reference of test/reference/.
# Every figure is the median of N rounds after a warm-up round.  Prints one
# line per comparison:
#     ratio revenue_report/floor 1.73
#     ratio reference/revenue_report 41.20
# and the peak memory of the report query.
#
# The references walk every flow day by day: above --reference-full flows
# (default 5000) the revenue and exposure references run once, cancelled
# after --reference-factor (default 25) times the extension's median, and a
# cancelled run prints a lower bound ("ratio reference/exposure >=30.00").
# The placement reference is timed on the first 10 workloads (all
# candidates) and scaled to all of them.
set -euo pipefail
cd "$(dirname "$0")/../.."

scale=20000 runs=5 ref_full=5000 ref_factor=25 db=dealscope_bench keep=
while [ $# -gt 0 ]; do
    case "$1" in
        --scale) scale=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        --reference-full) ref_full=$2; shift 2 ;;
        --reference-factor) ref_factor=$2; shift 2 ;;
        --db) db=$2; shift 2 ;;
        --keep) keep=1; shift ;;
        *) echo "usage: $0 [--scale FLOWS] [--runs N] [--reference-full FLOWS] [--reference-factor F] [--db NAME] [--keep]" >&2
           exit 2 ;;
    esac
done
case "$scale$runs$ref_full$ref_factor" in *[!0-9]*) echo "bench: numbers only" >&2; exit 2 ;; esac
[ "$scale" -ge 1000 ] || { echo "bench: --scale must be at least 1000" >&2; exit 2; }
[ "$runs" -ge 1 ] || { echo "bench: --runs must be at least 1" >&2; exit 2; }

export PGDATABASE=$db
PSQL=(psql -X -q -v ON_ERROR_STOP=1)
now() { date +%s.%N; }

echo "bench: scale $scale flows, $runs runs after a warm-up, database $db"
echo "bench: machine $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
echo "bench: load at start:$(uptime | sed 's/.*load average:/ /')"
"${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
"${PSQL[@]}" -At -c "SELECT 'bench: server ' || current_setting('server_version') || ', shared_buffers ' || current_setting('shared_buffers') || ', work_mem ' || current_setting('work_mem') || ', jit ' || current_setting('jit')"

t0=$(now)
"${PSQL[@]}" -v scale="$scale" -f test/bench/generate.sql >/dev/null
t1=$(now)
"${PSQL[@]}" -At -c "SELECT format('bench: generated %s flows, %s workloads, %s candidates, %s clauses in %s s (table %s)',
    (SELECT count(*) FROM dealscope.revenue_flow), (SELECT count(*) FROM dealscope.workload),
    (SELECT count(*) FROM bench.candidate), (SELECT count(*) FROM dealscope.clause),
    round(($t1 - $t0)::numeric, 1), pg_size_pretty(pg_total_relation_size('dealscope.revenue_flow')))"
PGOPTIONS="-c search_path=dealscope,public -c client_min_messages=warning" \
    "${PSQL[@]}" -f test/reference/placement.sql -f test/reference/prorate.sql \
    -f test/reference/revenue.sql -f test/bench/timing.sql >/dev/null

# The managed edition (managed/, SQL only) in schema dsm of the same
# database, with a copy of the model (test/bench/managed_copy.sql).
version=$(sed -n "s/^default_version = '\(.*\)'/\1/p" dealscope.control)
managed=managed/build/dealscope--$version.sql
[ -f "$managed" ] || { echo "bench: $managed is missing: run make managed" >&2; exit 1; }
{ echo "SET client_min_messages = warning; CREATE SCHEMA dsm;"
  sed -e '/^\\echo /d' -e 's/@extschema@/dsm/g' -e 's/@extowner@/CURRENT_USER/g' \
      -e 's/^SELECT pg_catalog.pg_extension_config_dump(.*//' "$managed"
} | "${PSQL[@]}" >/dev/null
"${PSQL[@]}" -f test/bench/managed_copy.sql >/dev/null

workloads=$("${PSQL[@]}" -At -c "SELECT count(*) FROM dealscope.workload")
# the matrix's columns as stored placeholders, one row per candidate: the
# "shape" side joins them to the workloads and aggregates them exactly as
# the extension's query does, with no placement work at all
"${PSQL[@]}" -c "CREATE TABLE bench.candidate_shape AS SELECT e, 'conditional'::text AS verdict, DATE '2026-06-01' AS eligible_from,
                     ARRAY['right of first refusal x: offered to y on 2026-05-01, answer due by 2026-05-31']::text[] AS reasons
                 FROM bench.candidate" \
    -c "VACUUM ANALYZE bench.candidate_shape"
sample=$(( workloads < 10 ? workloads : 10 ))
during="'[2024-01-01,2027-01-01)'"
on_date="'2026-06-01'"
party="'openai'"

# question side query [workers [scale]]
declare -A Q
Q[revenue_report.ext]="SELECT * FROM dealscope.revenue_report($during, 'month')"
Q[revenue_report.floor]="SELECT seller, currency, sum(amount) FROM dealscope.revenue_flow GROUP BY 1, 2"
Q[revenue_report.reference]="SELECT * FROM dealscope_ref.revenue_report($during, 'month')"
# placement_matrix is inlined into the query that calls it and computes
# only the columns that query reads, so the query reads all of them.  The
# candidates come from a column (LATERAL), the form that lets PostgreSQL
# inline the function (a sub-select argument would not).
Q[placement_matrix.ext]="SELECT count(*), count(m.verdict), count(m.eligible_from), sum(cardinality(m.reasons)) FROM bench.cand_array c, dealscope.placement_matrix($on_date, c.a) m"
Q[placement_matrix.floor]="SELECT count(*) FROM dealscope.workload, bench.candidate"
Q[placement_matrix.reference]="SELECT count(*), count(r.verdict), count(r.eligible_from), sum(cardinality(r.reasons)) FROM (SELECT id FROM dealscope.workload ORDER BY id LIMIT $sample) w, bench.candidate c, LATERAL dealscope_ref.placement_check(w.id, c.e, $on_date) r"
Q[revenue_report.managed]="SELECT * FROM dsm.revenue_report($during, 'month')"
Q[placement_matrix.managed]="SELECT count(*), count(m.verdict), count(m.eligible_from), sum(cardinality(m.reasons)) FROM bench.cand_array_managed c, dsm.placement_matrix($on_date, c.a) m"
Q[exposure.managed]="SELECT * FROM dsm.exposure($party, $during, 'quarter')"
Q[exposure.ext]="SELECT * FROM dealscope.exposure($party, $during, 'quarter')"
Q[exposure.floor]="SELECT seller, buyer, currency, sum(amount) FROM dealscope.revenue_flow WHERE seller = $party OR buyer = $party OR seller IN (SELECT grantor FROM dealscope.clause WHERE kind = 'revenue_share' AND holder = $party) GROUP BY 1, 2, 3"
Q[exposure.reference]="SELECT * FROM dealscope_ref.exposure($party, $during, 'quarter')"
# Informative baselines, to show where the time goes (printed as "info"):
# the report's grouping written as a plain GROUP BY seller, channel owner,
# currency with sum(amount) in place of the split; and the matrix query's own
# join and aggregates over stored placeholder columns (what the query costs
# with no placement work).
Q[revenue_report.grouping]="SELECT f.seller, p.owner, f.currency, sum(f.amount) FROM dealscope.revenue_flow f LEFT JOIN dealscope.provider p ON p.provider = dealscope.provider(f.channel) WHERE f.period && $during GROUP BY 1, 2, 3"
Q[placement_matrix.shape]="SELECT count(*), count(c.verdict), count(c.eligible_from), sum(cardinality(c.reasons)) FROM dealscope.workload w, bench.candidate_shape c"
place_scale=$(awk -v w="$workloads" -v s="$sample" 'BEGIN { printf "%.6f", w / s }')

quote() { printf "%s" "$1" | sed "s/'/''/g"; }
record() {  # question side round [workers] [scaled]
    echo "SELECT bench.record('$1', '$2', $3, '$(quote "${Q[$1.${2/parallel2/ext}]}")', ${4:-0}, ${5:-1});"
}

full_ref=; [ "$scale" -le "$ref_full" ] && full_ref=1
script=$(mktemp); trap 'rm -f "$script"' EXIT
{
    # plans made afresh for each call, so that the number of workers is
    # what max_parallel_workers_per_gather says when the report runs
    echo "SET plan_cache_mode = force_custom_plan;"
    echo "SET search_path = dealscope, public;"
    for r in $(seq 0 "$runs"); do
        for qn in revenue_report placement_matrix exposure; do
            sides=(ext floor managed)
            [ "$qn" = revenue_report ] && sides+=(parallel2 grouping)
            [ "$qn" = placement_matrix ] && sides+=(shape)
            [ -n "$full_ref" ] || [ "$qn" = placement_matrix ] && sides+=(reference)
            n=${#sides[@]}
            for i in $(seq 0 $((n - 1))); do
                s=${sides[$(( (i + r) % n ))]}
                case "$s" in
                    parallel2) record "$qn" "$s" "$r" 2 ;;
                    reference) [ "$qn" = placement_matrix ] \
                                   && record "$qn" "$s" "$r" 0 "$place_scale" \
                                   || record "$qn" "$s" "$r" ;;
                    *) record "$qn" "$s" "$r" ;;
                esac
            done
        done
    done
} > "$script"
t0=$(now)
"${PSQL[@]}" -f "$script" >/dev/null
t1=$(now)
echo "bench: measured rounds in $(printf '%.0f' "$(echo "$t1 - $t0" | bc)") s"

if [ -z "$full_ref" ]; then
    # one run of each slow reference, cancelled after ref_factor x the extension
    for qn in revenue_report exposure; do
        # (cancelled after ref_factor x the slower of the two editions, so
        # that both reference ratios are bounded by ref_factor)
        limit=$("${PSQL[@]}" -At -c "SELECT greatest(1000, ceil($ref_factor * max(ms)))::bigint FROM bench.median WHERE question = '$qn' AND side IN ('ext', 'managed')")
        "${PSQL[@]}" -c "SET search_path = dealscope, public" -c "SET statement_timeout = $limit" \
            -c "$(record "$qn" reference 1)" >/dev/null
    done
fi

# The report lines.
"${PSQL[@]}" -At <<EOF
SET search_path = dealscope, public;
WITH m AS (SELECT * FROM bench.median),
lines AS (
    SELECT 1 AS k, q.question || '/floor' AS name, e.ms / f.ms AS ratio, NULL::text AS note, false AS lower_bound
    FROM (VALUES ('revenue_report'), ('placement_matrix'), ('exposure')) q(question)
    JOIN m e ON e.question = q.question AND e.side = 'ext'
    JOIN m f ON f.question = q.question AND f.side = 'floor'
  UNION ALL
    SELECT 2, 'reference/' || q.question, r.ms / e.ms,
           CASE WHEN r.cancelled THEN format('reference cancelled after %s s at %s flows; the true ratio is higher', round((r.ms / 1000)::numeric, 1), $scale)
                WHEN r.scaled > 1 THEN format('reference timed on %s of %s workloads, scaled x%s', $sample, $workloads, round(r.scaled::numeric, 1))
                WHEN r.runs < $runs THEN 'reference run once'
           END,
           r.cancelled
    FROM (VALUES ('revenue_report'), ('placement_matrix'), ('exposure')) q(question)
    JOIN m e ON e.question = q.question AND e.side = 'ext'
    JOIN m r ON r.question = q.question AND r.side = 'reference'
  UNION ALL
    -- the managed edition against the C edition and against the reference
    SELECT 4, 'managed_' || q.short || '/' || q.question, g.ms / e.ms, NULL, false
    FROM (VALUES ('revenue_report', 'report'), ('placement_matrix', 'matrix'), ('exposure', 'exposure')) q(question, short)
    JOIN m e ON e.question = q.question AND e.side = 'ext'
    JOIN m g ON g.question = q.question AND g.side = 'managed'
  UNION ALL
    SELECT 5, 'reference/managed_' || q.short, r.ms / g.ms,
           CASE WHEN r.cancelled THEN format('reference cancelled after %s s at %s flows; the true ratio is higher', round((r.ms / 1000)::numeric, 1), $scale)
                WHEN r.scaled > 1 THEN format('reference timed on %s of %s workloads, scaled x%s', $sample, $workloads, round(r.scaled::numeric, 1))
           END,
           r.cancelled
    FROM (VALUES ('revenue_report', 'report'), ('placement_matrix', 'matrix'), ('exposure', 'exposure')) q(question, short)
    JOIN m g ON g.question = q.question AND g.side = 'managed'
    JOIN m r ON r.question = q.question AND r.side = 'reference'
  UNION ALL
    SELECT 3, 'revenue_report/parallel2', e.ms / p.ms, NULL, false
    FROM m e JOIN m p ON p.question = e.question AND p.side = 'parallel2'
    WHERE e.question = 'revenue_report' AND e.side = 'ext')
SELECT format('ratio %s %s%s%s', name, CASE WHEN lower_bound THEN '>=' ELSE '' END,
              to_char(ratio, 'FM999999990.00'), ' (' || note || ')')
FROM lines ORDER BY k, CASE WHEN name ~ 'report' THEN 1 WHEN name ~ 'matrix' THEN 2 ELSE 3 END;
SELECT format('info %s %s (%s)', name, to_char(ratio, 'FM999999990.00'), note)
FROM (SELECT 1 AS k, 'revenue_report/grouping' AS name, e.ms / g.ms AS ratio,
             'a plain GROUP BY seller, channel owner, currency with sum(amount): the report''s grouping without the split' AS note
      FROM bench.median e JOIN bench.median g ON g.question = e.question AND g.side = 'grouping'
      WHERE e.question = 'revenue_report' AND e.side = 'ext'
      UNION ALL
      SELECT 2, 'placement_matrix/shape', e.ms / g.ms,
             'the same join and aggregates over stored placeholder columns, no placement work'
      FROM bench.median e JOIN bench.median g ON g.question = e.question AND g.side = 'shape'
      WHERE e.question = 'placement_matrix' AND e.side = 'ext') i
ORDER BY k;
SELECT format('time %s %s %s ms (median of %s%s, min %s, max %s)', question, side,
              to_char(ms, 'FM999999990.0'), runs, CASE WHEN cancelled THEN ', cancelled' ELSE '' END,
              to_char(min_ms, 'FM999999990.0'), to_char(max_ms, 'FM999999990.0'))
FROM bench.median ORDER BY question, side;
EOF

# Peak memory of the report query, in a fresh connection (serial plan):
# the grouping step's memory from EXPLAIN ANALYZE (auto_explain of the
# statement inside revenue_report), and the backend's peak private memory
# (VmHWM less the shared buffers it mapped and its mapped files: the binary,
# libraries, JIT; those are current sizes, which only grow, so the figure
# is if anything an underestimate of the anonymous peak by what was
# unmapped before the end).
mem=$("${PSQL[@]}" -At 2>&1 <<'EOF'
SET max_parallel_workers_per_gather = 0;
SELECT count(*) FROM dealscope.revenue_report('[1900-01-01,1900-02-01)', 'month') \g /dev/null
LOAD 'auto_explain';
SET auto_explain.log_min_duration = 0;
SET auto_explain.log_nested_statements = on;
SET auto_explain.log_analyze = on;
SET auto_explain.log_timing = off;
SET auto_explain.log_level = notice;     -- to this client only, not the server log
SET client_min_messages = debug1;        -- and the aggregate's DEBUG1 line on its state
SELECT * FROM dealscope.revenue_report('[2024-01-01,2027-01-01)', 'month') \g /dev/null
SET client_min_messages = warning;
WITH s AS (SELECT pg_read_file('/proc/' || pg_backend_pid() || '/status') AS t),
kb AS (SELECT (regexp_match(t, 'VmHWM:\s+(\d+)'))[1]::bigint AS h,
              (regexp_match(t, 'RssShmem:\s+(\d+)'))[1]::bigint AS sh,
              (regexp_match(t, 'RssFile:\s+(\d+)'))[1]::bigint AS f FROM s)
SELECT format('RESULT peak_memory revenue_report_backend %s MB (VmHWM %s MB less shared buffers %s MB and mapped files %s MB)',
              round(((h - sh - f) / 1024.0)::numeric, 1), round((h / 1024.0)::numeric, 1),
              round((sh / 1024.0)::numeric, 1), round((f / 1024.0)::numeric, 1))
FROM kb;
EOF
) || { echo "$mem" >&2; exit 1; }
# the aggregate's state: revenue_provider_agg's final function reports the
# memory of its state (the aggregate's memory context) at DEBUG1
printf '%s\n' "$mem" | awk '
    /dealscope keyed state: / && !done {
        match($0, /[0-9]+ keys, [0-9]+ cells, [0-9]+ bytes/); split(substr($0, RSTART, RLENGTH), f, " ")
        printf "peak_memory revenue_report %.1f MB (the aggregate state: %s (seller, provider, currency) keys, %s cells; reported by the aggregate)\n", f[5] / 1048576, f[1], f[3]
        done = 1 }
    END { if (!done) print "peak_memory revenue_report unavailable (no state reported)" }'
printf '%s\n' "$mem" | sed -n 's/^RESULT //p'
echo "bench: load at end:$(uptime | sed 's/.*load average:/ /')"
[ -n "$keep" ] || "${PSQL[@]}" -d postgres -c "DROP DATABASE $db"
