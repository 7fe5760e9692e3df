#!/usr/bin/env bash
# Test the pre-commit hooks of .pre-commit-hooks.yaml for real, with `pre-commit try-repo`
# against a scratch git repository holding a good spec, a bad spec, a spec split into a
# root and a fragment, and YAML files that are not OpenAPI documents. Each hook must pass
# on the good spec with the unrelated files, fail on the bad one, and fail on the
# fragment staged alone (linted through the root that references it).
#
# Usage: scripts/test-pre-commit.sh [HOOK...]   (default: oaslint-python oaslint-system oaslint)
#
# The hooks are taken from the committed HEAD (`try-repo --ref`), as users get them: the
# uncommitted changes of a working tree are not built.
#
# pre-commit is installed with pip into a venv under target/. The `oaslint-python` hook
# (language: python) makes pre-commit `pip install` this repository, whose root
# pyproject.toml is a shim requiring the `oaslint` wheel of the same version: the wheel is
# built first (scripts/build-wheel.sh) and pip is pointed at it instead of PyPI
# (PIP_FIND_LINKS, PIP_NO_INDEX), so that hook installs with no network and no compiler,
# as it does from PyPI once the wheel is published. The `oaslint` hook
# (language: rust) makes pre-commit `cargo install` this repository; CARGO_TARGET_DIR
# points that build at target/ so it reuses the dependencies already compiled there
# (a few minutes from nothing, about one with a warm target/). `oaslint-system` runs the
# oaslint on PATH: target/release/oaslint, built first.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
hooks=("$@")
[ "${#hooks[@]}" -gt 0 ] || hooks=(oaslint-python oaslint-system oaslint)

venv="$root/target/pre-commit-venv"
if [ ! -x "$venv/bin/pre-commit" ]; then
    echo "Installing pre-commit into $venv" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check pre-commit
fi
pre_commit="$venv/bin/pre-commit"

(cd "$root" && cargo build --release --quiet --bin oaslint)
wheels="$root/target/wheels"
for hook in "${hooks[@]}"; do
    if [ "$hook" = oaslint-python ]; then
        "$root/scripts/build-wheel.sh" "$wheels" >/dev/null
    fi
done
export PATH="$root/target/release:$PATH"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
# A cache of its own: hook environments built here never leak into the user's.
export PRE_COMMIT_HOME="$root/target/pre-commit-home"
export PRE_COMMIT_COLOR=never

head="$(git -C "$root" rev-parse HEAD)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
scratch="$work/scratch"
mkdir -p "$scratch/specs" "$scratch/.github/workflows" "$scratch/chart"
cp "$root/testdata/cli/good.yaml" "$scratch/specs/good.yaml"
cp "$root/testdata/cli/bad.yaml" "$scratch/specs/bad.yaml"
cp "$root/testdata/cli/unrelated.yaml" "$scratch/.github/workflows/ci.yml"
cp "$root/testdata/cli/not-yaml.yaml" "$scratch/chart/values.yaml"
mkdir -p "$scratch/specs/split"
cp -r "$root/testdata/cli/project/openapi.yaml" "$root/testdata/cli/project/paths" "$scratch/specs/split/"
echo '{"name": "scratch", "private": true}' > "$scratch/package.json"
(
    cd "$scratch"
    git init --quiet
    git add .
    git -c user.name=oaslint -c user.email=oaslint@example.invalid commit --quiet -m scratch
)

failures=0
# try HOOK EXPECTED FILE...: run the hook on the files; EXPECTED is pass or fail.
try() {
    local hook="$1" expected="$2"
    shift 2
    local log="$work/$hook-$expected.log" outcome
    local pip_env=()
    [ "$hook" = oaslint-python ] && pip_env=(PIP_NO_INDEX=1 "PIP_FIND_LINKS=$wheels")
    if (cd "$scratch" && env "${pip_env[@]}" "$pre_commit" try-repo "$root" "$hook" --ref "$head" --verbose --files "$@") \
        >"$log" 2>&1; then
        outcome=pass
    else
        outcome=fail
    fi
    if [ "$outcome" = "$expected" ]; then
        echo "ok: $hook ${expected}ed on $*"
    else
        echo "FAILED: $hook should $expected on $* but did not; its log:" >&2
        cat "$log" >&2
        failures=$((failures + 1))
    fi
}

for hook in "${hooks[@]}"; do
    echo "== hook $hook"
    start=$SECONDS
    try "$hook" pass specs/good.yaml .github/workflows/ci.yml chart/values.yaml package.json
    try "$hook" fail specs/bad.yaml specs/good.yaml .github/workflows/ci.yml
    # The failing run names the finding's place.
    if ! grep -q "specs/bad.yaml:13:11" "$work/$hook-fail.log"; then
        echo "FAILED: $hook's report does not point at specs/bad.yaml:13:11" >&2
        cat "$work/$hook-fail.log" >&2
        failures=$((failures + 1))
    fi
    # Only a fragment staged: linted through specs/split/openapi.yaml, which references it.
    try "$hook" fail specs/split/paths/pet.yaml
    if ! grep -q "specs/split/paths/pet.yaml:7:7" "$work/$hook-fail.log"; then
        echo "FAILED: $hook's report on the staged fragment does not point at specs/split/paths/pet.yaml:7:7" >&2
        cat "$work/$hook-fail.log" >&2
        failures=$((failures + 1))
    fi
    echo "   $hook: $((SECONDS - start)) s for both runs, the first of which installs the hook"
done

if [ "$failures" -gt 0 ]; then
    echo "test-pre-commit: $failures check(s) failed" >&2
    exit 1
fi
echo "test-pre-commit: all hooks behave (${hooks[*]})"
