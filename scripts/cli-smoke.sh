#!/usr/bin/env bash
# Smoke-test the release binary as CI and users run it: every output format on the test
# fixtures and, when ../shared/corpus exists, on real specs (Stripe, GitHub, a sample of
# the APIs.guru directory). Each run must end with the expected exit code and print
# nothing on stderr; JSON must parse, JUnit must be well-formed XML, and every SARIF log
# of a run that could check everything (exit 0 or 1) must pass Microsoft's SARIF
# multitool with zero errors and zero warnings (scripts/validate-sarif.sh).
#
# Usage: scripts/cli-smoke.sh            (outputs are kept in target/cli-smoke/)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="$root/target/release/oaslint"
out="$root/target/cli-smoke"
corpus="$root/../shared/corpus"
formats=(human compact json sarif github junit gitlab summary html)

(cd "$root" && cargo build --release --quiet --bin oaslint)
rm -rf "$out"
mkdir -p "$out"
cd "$root"

failures=0
sarif_logs=()

fail() {
    echo "FAILED: $*" >&2
    failures=$((failures + 1))
}

# smoke NAME "EXPECTED-EXIT-CODES" [--config FILE] PATH...: lint the paths in every format
# (with no configuration file unless one is named).
smoke() {
    local name="$1" expected="$2"
    shift 2
    local format file code config=(--no-config)
    if [ "$1" = --config ]; then
        config=(--config "$2")
        shift 2
    fi
    for format in "${formats[@]}"; do
        file="$out/$name.$format"
        code=0
        "$bin" lint "${config[@]}" --color never --format "$format" "$@" >"$file" 2>"$file.stderr" || code=$?
        case " $expected " in
            *" $code "*) ;;
            *) fail "$name ($format): exit code $code, expected one of: $expected" ;;
        esac
        if [ -s "$file.stderr" ]; then
            fail "$name ($format): wrote to stderr: $(head -c 500 "$file.stderr")"
        fi
        case "$format" in
            json | sarif | gitlab)
                node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' "$file" ||
                    fail "$name ($format): not JSON"
                ;;
            junit)
                python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' "$file" ||
                    fail "$name (junit): not well-formed XML"
                ;;
            html)
                # A whole page whose every data blob is JSON (scripts/test-html-report.sh
                # checks what a browser makes of it).
                python3 - "$file" <<'EOF' || fail "$name (html): not a whole page of JSON blobs"
import json, sys
page = open(sys.argv[1], encoding="utf-8").read()
assert page.startswith("<!DOCTYPE html>") and page.endswith("</html>\n")
blobs = page.split('<script type="application/json"')[1:]
assert blobs
for blob in blobs:
    json.loads(blob[blob.index(">") + 1:blob.index("</script>")])
EOF
                ;;
        esac
        if [ "$format" = sarif ] && [ "$code" != 2 ]; then
            sarif_logs+=("$file")
        fi
    done
    echo "ok: $name (exit $code, findings: $(grep -c "" "$out/$name.compact"))"
}

smoke clean "0" testdata/cli/good.yaml
smoke fixtures "1" testdata/cli/bad.yaml testdata/cli/warnings.json testdata/rules
smoke project "1" --config testdata/cli/project/.oaslint.yaml testdata/cli/project
# Only a fragment, no document: exit 2 (a moved spec must not pass CI) unless allowed.
smoke empty-dir "0" --allow-empty testdata/cli/project/paths
# Input problems (unparsable files, broken $refs): exit 2, and every format still well-formed.
smoke input-problems "2" testdata/load

if [ -d "$corpus" ]; then
    smoke stripe "0 1" "$corpus/large/stripe/spec3.json"
    smoke stripe-yaml "0 1" "$corpus/large/stripe/spec3.yaml"
    smoke github "0 1" "$corpus/large/github/api.github.com.json"
    # A fixed sample of the directory: the first few YAML (APIs/) and JSON (v2/specs/) specs.
    mapfile -t sample < <(
        (find "$corpus/directory/APIs" -name '*.yaml' | sort | head -n 4
            find "$corpus/directory/v2" -name '*.json' | sort | head -n 4)
    )
    smoke directory-sample "0 1" "${sample[@]}"
    smoke directory "0 1 2" "$corpus/directory"
else
    echo "note: $corpus not found; corpus specs skipped" >&2
fi

if [ "${#sarif_logs[@]}" -gt 0 ]; then
    "$root/scripts/validate-sarif.sh" "${sarif_logs[@]}" || fail "SARIF validation"
fi

if [ "$failures" -gt 0 ]; then
    echo "cli-smoke: $failures failure(s); outputs in $out" >&2
    exit 1
fi
echo "cli-smoke: every format behaved on every input; outputs in $out"
