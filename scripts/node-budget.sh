#!/usr/bin/env bash
# The node budget at real size: a 245 MB JSON file of 129 million tiny numbers (a node every
# two bytes) must be refused with `too-large`, exit 2, in bounded memory (it took 5 GB and was
# killed under a memory limit before the budget). Not part of .ci/run: it writes 245 MB.
#
# Usage: scripts/node-budget.sh [BINARY]   (default: target/release/oaslint, built if missing)
# Prints the exit code, the finding, and the peak resident memory (GNU time's -v).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
binary="${1:-$root/target/release/oaslint}"
if [ ! -x "$binary" ]; then
    (cd "$root" && cargo build --release --quiet)
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
spec="$work/numbers.json"
# `[0,0,…,0]`: 122.5 million numbers in 245 MB (under the 256 MiB file-size limit, so the
# node budget is what stops it).
python3 - "$spec" <<'PY'
import sys
count = 245 * 1000 * 1000 // 2
with open(sys.argv[1], "w") as out:
    out.write("[0")
    chunk = ",0" * 1_000_000
    for _ in range(count // 1_000_000):
        out.write(chunk)
    out.write("]")
PY
echo "node-budget: $(du -h "$spec" | cut -f1) of tiny numbers"
status=0
/usr/bin/time -v "$binary" lint -f compact "$spec" >"$work/out" 2>"$work/time" || status=$?
echo "node-budget: exit $status"
sed -n 1p "$work/out"
peak_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time")
size_kb=$(( $(stat -c %s "$spec") / 1024 ))
echo "node-budget: peak ${peak_kb} kB for a ${size_kb} kB file ($(awk "BEGIN {printf \"%.1f\", $peak_kb / $size_kb}")x)"
if [ "$status" -ne 2 ] || ! grep -q "too-large" "$work/out"; then
    echo "node-budget: FAILED: expected exit 2 and a too-large finding" >&2
    exit 1
fi
