#!/usr/bin/env bash
# Peak memory of the oaslint process (maximum resident set size, /usr/bin/time -v), against
# the targets of issue 8:
#   - a single large spec: under 4x its size (Stripe, GitHub, Kubernetes);
#   - the whole of ../shared/corpus: under 250 MB;
#   - a flat curve as inputs grow: three copies of the corpus peak no higher than 1.25x
#     one copy (the run holds the roots in flight, not every input).
#
# Usage: scripts/bench-memory.sh [--no-copies]
#   --no-copies  skip the three-copy run (it copies the corpus, ~500 MB, into target/).
# Not part of CI: peaks vary with the machine; the figures go into the README.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus="$root/../shared/corpus"
bin="$root/target/release/oaslint"
copies=true
for arg in "$@"; do
    case "$arg" in
        --no-copies) copies=false ;;
        *) echo "usage: $0 [--no-copies]" >&2; exit 2 ;;
    esac
done
if [ ! -d "$corpus" ]; then
    echo "bench-memory: $corpus not found: nothing to measure" >&2
    exit 2
fi
if [ ! -x /usr/bin/time ]; then
    echo "bench-memory: /usr/bin/time is missing (apt-get install time)" >&2
    exit 2
fi
(cd "$root" && cargo build --release --quiet --bin oaslint)

# peak_kb ARGS...: the maximum resident set size of one lint, in kilobytes.
peak_kb() {
    /usr/bin/time -f '%M' "$bin" lint --no-config -f compact "$@" 2>&1 >/dev/null | tail -n 1
}

over=0
verdict() { # verdict OK?
    if "$@"; then echo ok; else over=$((over + 1)); echo OVER; fi
}

echo "oaslint $("$bin" --version | cut -d' ' -f2), $(nproc) cores"
for spec in large/stripe/spec3.json large/stripe/spec3.yaml large/github/api.github.com.json large/kubernetes/swagger.json; do
    file="$corpus/$spec"
    [ -f "$file" ] || continue
    size=$(stat -c %s "$file")
    kb=$(peak_kb "$file")
    ratio=$(awk -v kb="$kb" -v size="$size" 'BEGIN { printf "%.2f", kb * 1024 / size }')
    printf '%-40s %8s KB peak  %5sx its size   (target < 4x) %s\n' "$spec" "$kb" "$ratio" \
        "$(verdict awk -v r="$ratio" 'BEGIN { exit !(r < 4) }')"
done

one=$(peak_kb "$corpus")
printf '%-40s %8s KB peak  (%s MB of input)   (target < 250 MB) %s\n' "corpus/" "$one" \
    "$(du -sm "$corpus" | cut -f1)" "$(verdict test "$one" -lt $((250 * 1024)))"

if $copies; then
    work="$root/target/bench-memory"
    rm -rf "$work"
    mkdir -p "$work"
    trap 'rm -rf "$work"' EXIT
    for copy in a b c; do cp -r "$corpus" "$work/$copy"; done
    three=$(peak_kb "$work")
    printf '%-40s %8s KB peak  (%.2fx one copy)   (target < 1.25x) %s\n' "three copies of corpus/" "$three" \
        "$(awk -v a="$three" -v b="$one" 'BEGIN { print a / b }')" \
        "$(verdict awk -v a="$three" -v b="$one" 'BEGIN { exit !(a < 1.25 * b) }')"
fi
[ "$over" -eq 0 ] || { echo "bench-memory: $over figure(s) over target" >&2; exit 1; }
