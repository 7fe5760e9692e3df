#!/usr/bin/env bash
# Fuzz load + resolve + view (the `load` target) for a bounded time, on stable Rust.
#
# Usage: fuzz/run.sh [SECONDS]      (default 60)
#
# cargo-fuzz is installed from crates.io when missing. `--sanitizer none` is what makes it
# work on stable (AddressSanitizer needs nightly's -Zsanitizer); safe Rust needs no ASan to
# catch panics, overflows (debug assertions are on), hangs (-timeout) and runaway memory
# (-rss_limit_mb). The corpus is seeded on each run from testdata/ (and from small documents
# of ../shared/corpus when present) into fuzz/corpus/load, which git ignores.
#
# A crash leaves its input in fuzz/artifacts/load/. Keep it as a regression test:
#   cp fuzz/artifacts/load/crash-<hash> testdata/fuzz/crashes/<what-it-is>
# tests/fuzz_regressions.rs replays every file there with plain `cargo test`.
set -euo pipefail

seconds="${1:-60}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if ! command -v cargo-fuzz >/dev/null 2>&1; then
    echo "fuzz: installing cargo-fuzz"
    cargo install cargo-fuzz --locked --quiet
fi

corpus="fuzz/corpus/load"
mkdir -p "$corpus"
seed() { # copy each file, named after its path so seeds from different folders don't collide
    local file
    while IFS= read -r -d '' file; do
        cp "$file" "$corpus/seed-$(echo "${file#./}" | tr '/ ' '__')"
    done
}
find testdata/load testdata/fuzz -type f -print0 | seed
if [ -d ../shared/corpus/versions ]; then
    find ../shared/corpus/versions -type f \( -name '*.yaml' -o -name '*.json' \) -size -16k -print0 | seed
fi
echo "fuzz: $(find "$corpus" -type f | wc -l) inputs in $corpus; running for ${seconds}s"

status=0
cargo fuzz run --sanitizer none load "$corpus" -- \
    -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
    -dict=fuzz/load.dict -print_final_stats=1 || status=$?
if [ "$status" -ne 0 ]; then
    echo "fuzz: FAILED; the input is in fuzz/artifacts/load/:" >&2
    ls -l fuzz/artifacts/load/ >&2 || true
    echo "fuzz: keep it: cp fuzz/artifacts/load/<file> testdata/fuzz/crashes/<name>" >&2
fi
exit "$status"
