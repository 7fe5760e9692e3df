#!/usr/bin/env bash
# Build oaslint's wheel (python/pyproject.toml: the release binary, stripped, as the
# `oaslint` command) with maturin, installed with pip into target/py-tools when missing.
# maturin builds in the same target/ as cargo: after `cargo build --release` it only
# relinks the binary stripped (about a second), and target/release/oaslint is then that
# stripped binary until the next build.
#
# Usage: scripts/build-wheel.sh [OUT_DIR]   (default target/wheels; prints the wheel's path)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$(mkdir -p "${1:-$root/target/wheels}" && cd "${1:-$root/target/wheels}" && pwd)"
tools="$("$root/scripts/py-tools.sh")"

rm -f "$out"/oaslint-*.whl
# maturin reads python/pyproject.toml from the current directory; its progress goes to stderr.
(cd "$root/python" && "$tools/bin/maturin" build --release --locked --out "$out" 1>&2)
wheels=("$out"/oaslint-*.whl)
if [ "${#wheels[@]}" -ne 1 ] || [ ! -f "${wheels[0]}" ]; then
    echo "build-wheel: expected one oaslint wheel in $out, found: ${wheels[*]}" >&2
    exit 1
fi
echo "${wheels[0]}"
