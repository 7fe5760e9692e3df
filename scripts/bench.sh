#!/usr/bin/env bash
# Benchmarks of the library against the targets of issue 2: load + resolve + view of the
# corpus's big specs (criterion, benches/load.rs) and peak memory per document
# (benches/peak_memory.rs). Needs ../shared/corpus; not part of CI.
#
# Usage: scripts/bench.sh [--quick]
#   --quick  shorter criterion runs (noisier).
# The machine is shared: the load average is printed before and after, so a noisy run shows.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
criterion_args=()
for arg in "$@"; do
    case "$arg" in
        --quick) criterion_args=(--warm-up-time 1 --measurement-time 3) ;;
        *) echo "usage: $0 [--quick]" >&2; exit 2 ;;
    esac
done

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
echo "== cargo bench --bench load"
cargo bench --bench load -- "${criterion_args[@]}"

echo "== medians against targets"
results="target/criterion/load"
if [ -f "$results/targets.tsv" ]; then
    missed=0
    compared=0
    printf '%-24s %10s %10s\n' benchmark "median ms" "target ms"
    while IFS=$'\t' read -r name target; do
        estimates="$results/$name/new/estimates.json"
        [ -f "$estimates" ] || continue
        compared=$((compared + 1))
        median_ms="$(python3 -c 'import json,sys; print("%.2f" % (json.load(open(sys.argv[1]))["median"]["point_estimate"] / 1e6))' "$estimates")"
        verdict=""
        if [ "$target" != "-" ] && python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) >= float(sys.argv[2]) else 1)' "$median_ms" "$target"; then
            verdict="  MISSED"
            missed=$((missed + 1))
        fi
        printf '%-24s %10s %10s%s\n' "$name" "$median_ms" "$target" "$verdict"
    done < "$results/targets.tsv"
    if [ "$compared" -eq 0 ]; then
        echo "no criterion results found in $results"
    elif [ "$missed" -eq 0 ]; then
        echo "all timing targets met"
    else
        echo "$missed timing target(s) missed"
    fi
else
    echo "no results (corpus absent?)"
fi

echo "== cargo bench --bench peak_memory"
cargo bench --bench peak_memory
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
