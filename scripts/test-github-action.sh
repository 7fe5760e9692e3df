#!/usr/bin/env bash
# Run the GitHub Action's steps (scripts/github-action.sh, as action.yml calls them)
# locally, with the GITHUB_* variables a runner sets, on a scratch workspace: the exit code
# and SARIF file it reports, the upload decision on pushes, same-repository pull requests
# and pull requests from forks, and `upload: false`. With a wheel at hand
# (OASLINT_TEST_WHEEL, or target/wheels/*.whl), `install: wheel` is run from it too.
#
# Usage: scripts/test-github-action.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
(cd "$root" && cargo build --release --quiet --bin oaslint)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/repo/specs" "$work/bin"
cp "$root/testdata/cli/bad.yaml" "$work/repo/specs/bad.yaml"
cp "$root/testdata/cli/good.yaml" "$work/repo/specs/good.yaml"
ln -s "$root/target/release/oaslint" "$work/bin/oaslint"

failures=0
fail() {
    echo "FAILED: $*" >&2
    failures=$((failures + 1))
}

# step NAME EVENT_NAME EVENT_JSON [VAR=VALUE...]: run install and lint as a runner would;
# leaves the step outputs in $work/NAME.out and the log in $work/NAME.log.
step() {
    local name="$1" event="$2" payload="$3"
    shift 3
    echo "$payload" >"$work/$name.event.json"
    : >"$work/$name.out"
    (
        cd "$work/repo"
        export GITHUB_ACTION_PATH="$root" GITHUB_OUTPUT="$work/$name.out" GITHUB_PATH="$work/$name.path"
        export GITHUB_EVENT_NAME="$event" GITHUB_EVENT_PATH="$work/$name.event.json"
        export GITHUB_REPOSITORY=acme/api GITHUB_WORKSPACE="$work/repo" RUNNER_TEMP="$work/runner-$name"
        export PATH="$work/bin:$PATH" INPUT_INSTALL=path INPUT_PATHS=specs INPUT_FAIL_ON=error
        export INPUT_SARIF_FILE="$name.sarif" INPUT_UPLOAD=true INPUT_ARGS=""
        for assignment in "$@"; do export "${assignment?}"; done
        bash "$root/scripts/github-action.sh" install
        # As the runner does between steps: what a step appended to GITHUB_PATH comes first
        # on PATH in the next ones (the last line written first).
        if [ -s "$GITHUB_PATH" ]; then
            PATH="$(tac "$GITHUB_PATH" | paste -sd: -):$PATH"
        fi
        bash "$root/scripts/github-action.sh" lint
    ) >"$work/$name.log" 2>&1 || fail "$name: the steps failed: $(cat "$work/$name.log")"
}

expect() { # expect NAME KEY VALUE: a step output
    local got
    got="$(sed -n "s/^$2=//p" "$work/$1.out")"
    [ "$got" = "$3" ] || fail "$1: $2 is \`$got\`, expected \`$3\`; log: $(cat "$work/$1.log")"
}

push='{"ref": "refs/heads/main"}'
same='{"pull_request": {"head": {"repo": {"full_name": "acme/api"}}}}'
fork='{"pull_request": {"head": {"repo": {"full_name": "stranger/api"}}}}'

step push push "$push"
expect push exit-code 1
expect push upload true
expect push sarif-file push.sarif
python3 -c 'import json, sys; log = json.load(open(sys.argv[1])); assert log["runs"][0]["results"], "no results"' \
    "$work/repo/push.sarif" || fail "push: the SARIF file is not a report with results"
grep -q '^::error file=specs/bad.yaml,line=13' "$work/push.log" || fail "push: no annotation on specs/bad.yaml:13"

step same pull_request "$same"
expect same upload true
step fork pull_request "$fork"
expect fork upload false
expect fork exit-code 1
grep -q '^::notice title=oaslint::a pull request from the fork stranger/api' "$work/fork.log" ||
    fail "fork: no notice that the upload is skipped"
step off push "$push" INPUT_UPLOAD=false
expect off upload false
step clean push "$push" INPUT_PATHS=specs/good.yaml
expect clean exit-code 0
step warnings push "$push" INPUT_PATHS="specs/good.yaml $root/testdata/cli/warnings.json" INPUT_FAIL_ON=warning \
    INPUT_ARGS="--max-warnings 0"
expect warnings exit-code 1

wheel="${OASLINT_TEST_WHEEL:-$(ls "$root"/target/wheels/oaslint-*.whl 2>/dev/null | head -n 1 || true)}"
if [ -n "$wheel" ] && [ -f "$wheel" ]; then
    # Without the release binary on PATH: the wheel's oaslint must do.
    rm "$work/bin/oaslint"
    step wheel push "$push" INPUT_INSTALL=wheel OASLINT_PIP_SPEC="$wheel"
    expect wheel exit-code 1
    grep -q "$work/runner-wheel/oaslint-action/venv/bin" "$work/wheel.path" || fail "wheel: the venv was not put on PATH"
else
    echo "test-github-action: no wheel at hand (target/wheels/): install: wheel not run"
fi

if [ "$failures" -gt 0 ]; then
    echo "test-github-action: $failures check(s) failed" >&2
    exit 1
fi
echo "test-github-action: the action's steps behave"
