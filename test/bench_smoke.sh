#!/bin/bash
# Smoke test of the benchmark: runs test/bench/bench.sh at a tiny scale in
# the suite's cluster and checks that it prints every line.  It never
# asserts a time: the ratios of a 2,000-flow model on a shared machine
# mean nothing (run test/bench/run --scale 10000000 for the real figures).
set -uo pipefail
cd "$(dirname "$0")/.."
out=$(test/bench/bench.sh --scale 2000 --runs 1 --reference-full 0 --db dealscope_bench_smoke 2>&1)
rc=$?
fail=0
if [ $rc -ne 0 ]; then echo "bench_smoke: bench.sh exited with $rc"; fail=1; fi
for line in 'ratio revenue_report/floor [0-9]' 'ratio placement_matrix/floor [0-9]' 'ratio exposure/floor [0-9]' \
            'ratio reference/revenue_report (>=)?[0-9]' 'ratio reference/placement_matrix (>=)?[0-9]' \
            'ratio reference/exposure (>=)?[0-9]' 'ratio revenue_report/parallel2 [0-9]' \
            'ratio managed_report/revenue_report [0-9]' 'ratio managed_matrix/placement_matrix [0-9]' \
            'ratio managed_exposure/exposure [0-9]' 'ratio reference/managed_report (>=)?[0-9]' \
            'ratio reference/managed_matrix (>=)?[0-9]' 'ratio reference/managed_exposure (>=)?[0-9]' \
            'peak_memory revenue_report [0-9]' 'peak_memory revenue_report_backend [0-9]'; do
    if ! grep -Eq "^$line" <<<"$out"; then echo "bench_smoke: missing line: $line"; fail=1; fi
done
[ $fail -eq 0 ] || printf '%s\n' "$out" | tail -40
exit $fail
