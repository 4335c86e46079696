#!/bin/bash
# The Citus benchmark, against the Citus coordinator PGHOST/PGPORT/PGUSER
# point at (database postgres), with dealscope installed on every node:
# test/bench/run --citus makes a coordinator and two workers and calls this.
#
#   test/bench/citus.sh [--scale FLOWS] [--runs N]
#
# Generates the synthetic model (test/bench/generate.sql) on the
# coordinator, copies the flows into bench.flows distributed by seller, and
# times, interleaved round by round (the order rotating), each the median
# of N rounds after a warm-up round, in one connection:
#   single      revenue_report over dealscope.revenue_flow, a local table
#               of the coordinator: one node, one core
#   citus       revenue_report_dist over bench.flows: partial aggregates
#               on the two workers, combined on the coordinator
#   local_dist  revenue_report_dist over dealscope.revenue_flow: the _dist
#               path on one node, no Citus in the way
#   gather_agg  revenue_provider_agg (state internal) over bench.flows: the
#               workers send every row, the coordinator aggregates
#   split_agg   revenue_provider_agg_dist over bench.flows
# and prints
#     ratio citus_report/revenue_report 1.23
# All three nodes share the machine's cores: the ratio is what running the
# report through Citus costs on the same hardware, not a speed-up figure.
set -euo pipefail
cd "$(dirname "$0")/../.."

scale=20000 runs=5
while [ $# -gt 0 ]; do
    case "$1" in
        --scale) scale=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        *) echo "usage: $0 [--scale FLOWS] [--runs N]" >&2; exit 2 ;;
    esac
done
case "$scale$runs" in *[!0-9]*) echo "bench: numbers only" >&2; exit 2 ;; esac

export PGDATABASE=postgres
PSQL=(psql -X -q -v ON_ERROR_STOP=1)
now() { date +%s.%N; }

echo "bench --citus: scale $scale flows, $runs runs after a warm-up; a coordinator and 2 workers on one machine"
echo "bench --citus: machine $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
echo "bench --citus: load at start:$(uptime | sed 's/.*load average:/ /')"
"${PSQL[@]}" -At -c "SELECT 'bench --citus: server ' || current_setting('server_version') || ', Citus ' || (SELECT extversion FROM pg_extension WHERE extname = 'citus') || ', shard_count ' || current_setting('citus.shard_count') || ', shared_buffers ' || current_setting('shared_buffers') || ' per node'"

t0=$(now)
"${PSQL[@]}" -c "CREATE EXTENSION IF NOT EXISTS dealscope" >/dev/null
"${PSQL[@]}" -v scale="$scale" -f test/bench/generate.sql >/dev/null
PGOPTIONS="-c client_min_messages=error" "${PSQL[@]}" -f test/bench/timing.sql >/dev/null  # (Citus warns that the view stays local)
"${PSQL[@]}" >/dev/null <<'EOF'
SET client_min_messages = warning;
CREATE TABLE bench.flows (LIKE dealscope.revenue_flow INCLUDING DEFAULTS INCLUDING CONSTRAINTS, PRIMARY KEY (seller, id));
SELECT create_distributed_table('bench.flows', 'seller');
INSERT INTO bench.flows SELECT * FROM dealscope.revenue_flow;
VACUUM ANALYZE bench.flows;
EOF
t1=$(now)
"${PSQL[@]}" -At -c "SELECT format('bench --citus: generated %s flows, %s distributed (%s shards) in %s s',
    (SELECT count(*) FROM dealscope.revenue_flow), (SELECT count(*) FROM bench.flows),
    (SELECT count(*) FROM pg_dist_shard WHERE logicalrelid = 'bench.flows'::regclass), round(($t1 - $t0)::numeric, 1))"

during="'[2024-01-01,2027-01-01)'"
declare -A Q
Q[single]="SELECT * FROM dealscope.revenue_report($during, 'month')"
Q[citus]="SELECT * FROM dealscope.revenue_report_dist('bench.flows', $during, 'month')"
Q[local_dist]="SELECT * FROM dealscope.revenue_report_dist('dealscope.revenue_flow', $during, 'month')"
Q[gather_agg]="SELECT dealscope.revenue_provider_agg(seller, product, channel, amount, currency, period, 'month', 1, $during) FROM bench.flows"
Q[split_agg]="SELECT dealscope.revenue_provider_agg_dist(seller, product, channel, amount, currency, period, 'month', 1, $during, (SELECT array_agg(c) FROM dealscope.clause c WHERE c.kind = 'revenue_share')) FROM bench.flows"
sides=(single citus local_dist gather_agg split_agg)
quote() { printf "%s" "$1" | sed "s/'/''/g"; }
script=$(mktemp); trap 'rm -f "$script"' EXIT
{
    echo "SET max_parallel_workers_per_gather = 0;"
    for r in $(seq 0 "$runs"); do
        n=${#sides[@]}
        for i in $(seq 0 $((n - 1))); do
            s=${sides[$(( (i + r) % n ))]}
            echo "SELECT bench.record('report', '$s', $r, '$(quote "${Q[$s]}")');"
        done
    done
} > "$script"
t0=$(now)
"${PSQL[@]}" -f "$script" >/dev/null
t1=$(now)
echo "bench --citus: measured rounds in $(printf '%.0f' "$(echo "$t1 - $t0" | bc)") s"

"${PSQL[@]}" -At <<EOF
-- the distributed report's rows are the single node's
SELECT format('check citus report rows = single-node rows: %s (%s rows)',
              (SELECT array_agg(r) FROM dealscope.revenue_report($during, 'month') r)::text
              = (SELECT array_agg(r) FROM dealscope.revenue_report_dist('bench.flows', $during, 'month') r)::text,
              (SELECT count(*) FROM dealscope.revenue_report($during, 'month')));
WITH m AS (SELECT side, ms FROM bench.median WHERE question = 'report')
SELECT format('ratio citus_report/revenue_report %s (revenue_report_dist over bench.flows, distributed by seller over 2 workers, against revenue_report on one node; the same %s cores: an overhead figure, not a speed-up)',
              to_char(c.ms / s.ms, 'FM999990.00'), $(nproc))
FROM m c, m s WHERE c.side = 'citus' AND s.side = 'single';
WITH m AS (SELECT side, ms FROM bench.median WHERE question = 'report')
SELECT format('info %s %s (%s)', name, to_char(a.ms / b.ms, 'FM999990.00'), note)
FROM (VALUES (1, 'local_dist/revenue_report', 'local_dist', 'single', 'revenue_report_dist over the local table: the _dist path without Citus'),
             (2, 'citus_report/local_dist', 'citus', 'local_dist', 'what Citus adds to the _dist path'),
             (3, 'gather_agg/split_agg', 'gather_agg', 'split_agg', 'revenue_provider_agg (internal state: the workers send rows) against revenue_provider_agg_dist (partial states) over bench.flows')) v(k, name, a_side, b_side, note)
JOIN m a ON a.side = v.a_side JOIN m b ON b.side = v.b_side ORDER BY v.k;
SELECT format('time report %s %s ms (median of %s, min %s, max %s)', side, to_char(ms, 'FM999999990.0'), runs,
              to_char(min_ms, 'FM999999990.0'), to_char(max_ms, 'FM999999990.0'))
FROM bench.median WHERE question = 'report' ORDER BY side;
EOF
