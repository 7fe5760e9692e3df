#!/usr/bin/env bash
# The steps of the GitHub Action (action.yml), kept here so that CI can run them locally
# with the GITHUB_* variables set (scripts/test-github-action.sh): GitHub itself is not
# reachable from CI.
#
#   github-action.sh install   get oaslint as INPUT_INSTALL says: wheel (pip, the prebuilt
#                              wheel of this action's version), cargo (cargo install
#                              --locked from the action's repository at its ref), or path
#   github-action.sh lint      run `oaslint lint` writing SARIF; record the exit code and
#                              whether to upload in $GITHUB_OUTPUT; always exit 0 so that
#                              the upload step runs, and the action's last step fails the job
#
# Inputs come as INPUT_* variables (action.yml maps them). OASLINT_PIP_SPEC replaces the
# wheel's pip requirement (tests point it at a local wheel).
set -euo pipefail

action_dir="${GITHUB_ACTION_PATH:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"

# The version of the action's own checkout: what `install: wheel` installs.
version() {
    sed -n '/^\[package\]/,/^\[/s/^version = "\(.*\)"/\1/p' "$action_dir/Cargo.toml"
}

output() { # output NAME VALUE: a step output, or stdout outside Actions
    if [ -n "${GITHUB_OUTPUT:-}" ]; then
        echo "$1=$2" >>"$GITHUB_OUTPUT"
    else
        echo "$1=$2"
    fi
}

install() {
    local how="${INPUT_INSTALL:-wheel}"
    local bin_dir="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/oaslint-action"
    case "$how" in
        path)
            command -v oaslint >/dev/null || { echo "::error::install: path, but no oaslint on PATH"; exit 1; }
            ;;
        wheel)
            local spec="${OASLINT_PIP_SPEC:-oaslint==$(version)}"
            local python
            python="$(command -v python3 || command -v python)" || {
                echo "::error::install: wheel needs Python; use install: cargo"
                exit 1
            }
            # A virtual environment of its own: nothing leaks into the job's Python.
            "$python" -m venv "$bin_dir/venv"
            "$bin_dir/venv/bin/python" -m pip install --quiet --disable-pip-version-check "$spec" ||
                "$bin_dir/venv/Scripts/python" -m pip install --quiet --disable-pip-version-check "$spec"
            local scripts="$bin_dir/venv/bin"
            [ -d "$scripts" ] || scripts="$bin_dir/venv/Scripts"
            if [ -n "${GITHUB_PATH:-}" ]; then echo "$scripts" >>"$GITHUB_PATH"; fi
            export PATH="$scripts:$PATH"
            ;;
        cargo)
            if ! command -v oaslint >/dev/null; then
                local repository="${OASLINT_ACTION_REPOSITORY:-oaslint/oaslint}"
                local ref=()
                [ -n "${OASLINT_ACTION_REF:-}" ] && ref=(--tag "$OASLINT_ACTION_REF")
                # A tag or a branch: cargo wants to know which; a tag is what users pin.
                if [ -n "${OASLINT_ACTION_REF:-}" ] && ! [[ "$OASLINT_ACTION_REF" =~ ^v[0-9] ]]; then
                    ref=(--branch "$OASLINT_ACTION_REF")
                fi
                cargo install --locked --git "https://github.com/$repository" "${ref[@]}" oaslint
            fi
            ;;
        *)
            echo "::error::install must be wheel, cargo or path, not \`$how\`"
            exit 1
            ;;
    esac
    oaslint --version
}

# Whether the SARIF can be uploaded: asked for, and not a pull request from a fork (its
# token cannot write security events).
should_upload() {
    [ "${INPUT_UPLOAD:-true}" = true ] || return 1
    case "${GITHUB_EVENT_NAME:-}" in
        pull_request | pull_request_review | pull_request_review_comment) ;;
        *) return 0 ;;
    esac
    local head
    head="$(python3 -c 'import json, sys
event = json.load(open(sys.argv[1]))
print(((event.get("pull_request") or {}).get("head") or {}).get("repo", {}).get("full_name", ""))' \
        "${GITHUB_EVENT_PATH:-/dev/null}" 2>/dev/null || true)"
    if [ -n "$head" ] && [ "$head" != "${GITHUB_REPOSITORY:-}" ]; then
        echo "::notice title=oaslint::a pull request from the fork $head has a read-only token: the SARIF upload is skipped; the findings still decide the job"
        return 1
    fi
    return 0
}

lint() {
    local sarif="${INPUT_SARIF_FILE:-oaslint.sarif}"
    local args=(lint --fail-on "${INPUT_FAIL_ON:-error}" --output "sarif=$sarif")
    [ -n "${INPUT_RULESET:-}" ] && args+=(--ruleset "$INPUT_RULESET")
    [ -n "${INPUT_CONFIG:-}" ] && args+=(--config "$INPUT_CONFIG")
    # Annotations on the pull request's diff, as the job's log.
    args+=(--format github)
    local extra=() paths=()
    # Word splitting on purpose: options and paths are lists; globs stay quoted for oaslint.
    set -f
    # shellcheck disable=SC2206
    extra=(${INPUT_ARGS:-})
    # shellcheck disable=SC2206
    paths=(${INPUT_PATHS:-.})
    set +f
    local code=0
    oaslint "${args[@]}" "${extra[@]}" "${paths[@]}" || code=$?
    output exit-code "$code"
    output sarif-file "$sarif"
    if [ -f "$sarif" ] && should_upload; then
        output upload true
    else
        output upload false
    fi
    echo "oaslint exited with $code"
}

case "${1:-}" in
    install) install ;;
    lint) lint ;;
    *)
        echo "usage: $0 install|lint" >&2
        exit 2
        ;;
esac
