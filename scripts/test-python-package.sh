#!/usr/bin/env bash
# Test the Python packaging as users get it: build the wheel (scripts/build-wheel.sh), then
# install it into a fresh virtual environment with pip and run it, run it with `pipx run`
# and `uvx` (both installed with pip into target/py-tools), and check the root
# pyproject.toml (the oaslint-python pre-commit hook's shim) pins this version. Nothing is
# taken from a package index but pipx's and uv's own installs: the wheel comes from disk.
#
# Prints the time from nothing (no environment) to a first lint for each route.
#
# Usage: scripts/test-python-package.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if ! command -v python3 >/dev/null 2>&1; then
    echo "test-python-package: skipped, python3 is not installed"
    exit 0
fi

version="$(sed -n '/^\[package\]/,/^\[/s/^version = "\(.*\)"/\1/p' Cargo.toml)"
cargo build --release --quiet --bin oaslint
wheel="$(scripts/build-wheel.sh)"
tools="$(scripts/py-tools.sh --all)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# Outside the repository: a run must not find its files by accident.
cp testdata/cli/bad.yaml testdata/cli/good.yaml "$work/"
expected="bad.yaml:13:11: error [no-body] DELETE /pets/{id}: 204 No Content declares a body"
commit="$(git rev-parse HEAD 2>/dev/null | cut -c1-12 || true)"

failures=0
fail() {
    echo "FAILED: $*" >&2
    failures=$((failures + 1))
}
now() { date +%s%N; }
since() {
    local ms=$((($(now) - $1) / 1000000))
    printf '%d.%d s' $((ms / 1000)) $((ms % 1000 / 100))
}
# unzip_p ARCHIVE MEMBER: print a member of a zip archive (no unzip needed).
unzip_p() {
    python3 -c 'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())' "$1" "$2"
}

# check ROUTE COMMAND...: COMMAND runs oaslint; its version, a failing and a passing lint,
# and standard input must come out as from the binary itself.
check() {
    local route="$1" out code
    shift
    out="$(cd "$work" && "$@" --version)" || fail "$route: --version exited non-zero"
    read -r name got_version rest <<<"$out"
    [ "$name $got_version" = "oaslint $version" ] || fail "$route: --version printed '$out', not 'oaslint $version ...'"
    if [ -n "$commit" ] && [[ "$rest" != "($commit"* ]]; then
        fail "$route: --version printed '$out', without the commit $commit"
    fi
    code=0
    out="$(cd "$work" && "$@" lint --format compact bad.yaml)" || code=$?
    [ "$code" = 1 ] || fail "$route: lint bad.yaml exited $code, not 1"
    [[ "$out" == *"$expected"* ]] || fail "$route: lint bad.yaml did not report '$expected':"$'\n'"$out"
    code=0
    (cd "$work" && "$@" lint --format compact good.yaml >/dev/null) || code=$?
    [ "$code" = 0 ] || fail "$route: lint good.yaml exited $code, not 0"
    code=0
    out="$(cd "$work" && "$@" lint --format compact --stdin-filename specs/bad.yaml <bad.yaml)" || code=$?
    [ "$code" = 1 ] && [[ "$out" == *"specs/$expected"* ]] || fail "$route: lint of standard input: exit $code, '$out'"
    echo "ok: $route"
}

echo "wheel: $wheel ($(du -k "$wheel" | cut -f1) KiB)"
# The wheel's metadata: Cargo.toml's version, the README as description, both licences.
metadata="$(python3 -m zipfile -l "$wheel")"
for entry in "oaslint-$version.data/scripts/oaslint" "oaslint-$version.dist-info/licenses/LICENSE-MIT" \
    "oaslint-$version.dist-info/licenses/LICENSE-APACHE"; do
    [[ "$metadata" == *"$entry"* ]] || fail "the wheel lacks $entry"
done
info="$(unzip_p "$wheel" "oaslint-$version.dist-info/METADATA")"
grep -qx "Version: $version" <<<"$info" || fail "the wheel's METADATA does not say Version: $version"
grep -qx "Description-Content-Type: text/markdown; charset=UTF-8; variant=GFM" <<<"$info" &&
    grep -qx "# oaslint" <<<"$info" || fail "the wheel's METADATA lacks the README as its description"

# pip into a fresh virtual environment.
start="$(now)"
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check --no-index "$wheel"
(cd "$work" && "$work/venv/bin/oaslint" lint --format compact bad.yaml >/dev/null) || true
pip_time="$(since "$start")"
check "pip install" "$work/venv/bin/oaslint"

# pipx run, with a pipx home of its own (first run: it makes the environment).
export PIPX_HOME="$work/pipx" PIPX_BIN_DIR="$work/pipx/bin"
start="$(now)"
(cd "$work" && "$tools/bin/pipx" run --pip-args=--no-index --spec "$wheel" oaslint lint bad.yaml >/dev/null) || true
pipx_time="$(since "$start")"
check "pipx run" "$tools/bin/pipx" run --pip-args=--no-index --spec "$wheel" oaslint

# uvx, offline, with a cache of its own.
export UV_CACHE_DIR="$work/uv-cache" UV_NO_CONFIG=1 UV_PYTHON_DOWNLOADS=never
start="$(now)"
(cd "$work" && "$tools/bin/uvx" --offline --from "$wheel" oaslint lint bad.yaml >/dev/null) || true
uvx_time="$(since "$start")"
check "uvx" "$tools/bin/uvx" --offline --from "$wheel" oaslint

# The pre-commit shim at the root: a wheel with no code that requires exactly this oaslint.
"$tools/bin/pip" wheel --quiet --disable-pip-version-check --no-index --no-deps -w "$work/shim" "$root" >/dev/null
shim_wheel=("$work"/shim/oaslint_pre_commit-"$version"-py3-none-any.whl)
shim="$(unzip_p "${shim_wheel[0]}" "oaslint_pre_commit-$version.dist-info/METADATA")"
grep -qx "Requires-Dist: oaslint==$version" <<<"$shim" || fail "the root pyproject.toml's shim does not require oaslint==$version:"$'\n'"$shim"

echo "time from nothing to a first lint: pip (new venv + install) $pip_time, pipx run $pipx_time, uvx $uvx_time"
if [ "$failures" -gt 0 ]; then
    echo "test-python-package: $failures check(s) failed" >&2
    exit 1
fi
echo "test-python-package: the wheel installs and runs with pip, pipx and uvx"
