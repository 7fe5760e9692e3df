#!/usr/bin/env bash
# Fuzz every target for a long time, one after the other, and keep every crash it finds as a
# regression input. Not part of .ci/run (which fuzzes for a minute through fuzz/run.sh).
#
# Usage: scripts/fuzz-long.sh SECONDS_PER_TARGET [TARGET...]   (targets: load lint; default both)
#   e.g. scripts/fuzz-long.sh 1200            twenty minutes each
#
# libFuzzer runs in fork mode and keeps going after a crash, a timeout or running out of
# memory; each input that failed is copied from fuzz/artifacts/<target>/ into
# testdata/fuzz/crashes/<target>-<kind>-<hash> (unless an identical file is there already),
# where tests/fuzz_regressions.rs replays it with plain `cargo test`. Fix what fails, then
# commit the inputs with the fix. Exits 1 when a new input was kept.
set -euo pipefail

seconds="${1:?usage: scripts/fuzz-long.sh SECONDS_PER_TARGET [TARGET...]}"
shift
targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
    targets=(load lint)
fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
crashes=testdata/fuzz/crashes
mkdir -p "$crashes"

kept=0
for target in "${targets[@]}"; do
    echo "fuzz-long: $target for ${seconds}s ($(date -u +%H:%M:%S))"
    FUZZ_KEEP_GOING=1 fuzz/run.sh "$seconds" "$target" || true
    for artifact in fuzz/artifacts/"$target"/*; do
        [ -f "$artifact" ] || continue
        name="$target-$(basename "$artifact")"
        if cmp -s "$artifact" "$crashes/$name"; then
            continue
        fi
        cp "$artifact" "$crashes/$name"
        echo "fuzz-long: kept $crashes/$name"
        kept=$((kept + 1))
    done
done
echo "fuzz-long: done; $kept new inputs in $crashes"
if [ "$kept" -gt 0 ]; then
    echo "fuzz-long: replay them with: cargo test --test fuzz_regressions" >&2
    exit 1
fi
