#!/usr/bin/env bash
# The release binary, default (human) format, on every .json and .yaml of the shared corpus
# one file at a time: no run may crash (exit 101 is a panic; above 128, a signal). Exit codes
# 0, 1 and 2 (findings, input problems) are what linting real specs gives.
# Minified JSON (one line of megabytes) is where the human output used to panic.
#
# Usage: scripts/human-output-sweep.sh [CORPUS]   (default ../shared/corpus; skips if absent)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus="${1:-$root/../shared/corpus}"
if [ ! -d "$corpus" ]; then
    echo "human-output-sweep: SKIPPED: no corpus at $corpus"
    exit 0
fi
(cd "$root" && cargo build --release --quiet)
binary="$root/target/release/oaslint"
results="$(mktemp)"
trap 'rm -f "$results"' EXIT
# Two at a time; each prints its exit code and path.
find "$corpus" -type f \( -name '*.json' -o -name '*.yaml' -o -name '*.yml' \) -print0 |
    xargs -0 -n 1 -P 2 sh -c '"$0" lint --width 100 "$1" >/dev/null 2>&1; echo "$? $1"' "$binary" >"$results"
echo "human-output-sweep: $(wc -l <"$results") files; exit codes:"
cut -d' ' -f1 "$results" | sort -n | uniq -c
crashed="$(awk '$1 > 2' "$results")"
if [ -n "$crashed" ]; then
    echo "human-output-sweep: FAILED: these runs crashed:" >&2
    echo "$crashed" >&2
    exit 1
fi
