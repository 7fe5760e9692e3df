#!/usr/bin/env bash
# Fuzz for a bounded time, on stable Rust: the `load` target (load + resolve + view) and the
# `lint` target (the whole path: every check under every built-in ruleset, every output format).
#
# Usage: fuzz/run.sh [SECONDS] [TARGET...]   (default: 60 seconds in all, shared by load and lint)
#
# cargo-fuzz is installed from crates.io when missing. `--sanitizer none` is what makes it
# work on stable (AddressSanitizer needs nightly's -Zsanitizer); safe Rust needs no ASan to
# catch panics, overflows (debug assertions are on), hangs (-timeout) and runaway memory
# (-rss_limit_mb). Each target's corpus is seeded on each run from testdata/ (and from small
# documents of ../shared/corpus when present) into fuzz/corpus/<target>, which git ignores.
#
# A crash leaves its input in fuzz/artifacts/<target>/. Keep it as a regression test:
#   cp fuzz/artifacts/<target>/crash-<hash> testdata/fuzz/crashes/<what-it-is>
# tests/fuzz_regressions.rs replays every file there through both targets with plain `cargo test`.
# For long runs that keep going after a crash and keep every crash, see scripts/fuzz-long.sh
# (it sets FUZZ_KEEP_GOING=1, which runs libFuzzer in fork mode, ignoring crashes).
set -euo pipefail

seconds="${1:-60}"
shift || true
targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
    targets=(load lint)
fi
per_target=$((seconds / ${#targets[@]}))
if [ "$per_target" -lt 1 ]; then
    per_target=1
fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if ! command -v cargo-fuzz >/dev/null 2>&1; then
    echo "fuzz: installing cargo-fuzz"
    cargo install cargo-fuzz --locked --quiet
fi

keep_going=()
if [ "${FUZZ_KEEP_GOING:-0}" = 1 ]; then
    keep_going=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
fi

status=0
for target in "${targets[@]}"; do
    corpus="fuzz/corpus/$target"
    mkdir -p "$corpus"
    seed() { # copy each file, named after its path so seeds from different folders don't collide
        local file
        while IFS= read -r -d '' file; do
            cp "$file" "$corpus/seed-$(echo "${file#./}" | tr '/ ' '__')"
        done
    }
    find testdata/load testdata/fuzz -type f ! -name '.*' -print0 | seed
    if [ -d ../shared/corpus/versions ]; then
        find ../shared/corpus/versions -type f \( -name '*.yaml' -o -name '*.json' \) -size -16k -print0 | seed
    fi
    echo "fuzz: $target: $(find "$corpus" -type f | wc -l) inputs in $corpus; running for ${per_target}s"
    target_status=0
    cargo fuzz run --sanitizer none "$target" "$corpus" -- \
        -max_total_time="$per_target" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
        -dict=fuzz/load.dict -print_final_stats=1 "${keep_going[@]}" || target_status=$?
    if [ "$target_status" -ne 0 ]; then
        status=$target_status
        echo "fuzz: $target FAILED; the input is in fuzz/artifacts/$target/:" >&2
        ls -l "fuzz/artifacts/$target/" >&2 || true
        echo "fuzz: keep it: cp fuzz/artifacts/$target/<file> testdata/fuzz/crashes/<name>" >&2
    fi
done
exit "$status"
