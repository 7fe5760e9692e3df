#!/usr/bin/env bash
# The HTML report (`--format html`) in a real browser: the release binary writes the report
# of the fixtures in testdata/html and, when the shared corpus is present, of GitHub's spec;
# headless Chromium loads each from disk and scripts/test-html-report.js checks the DOM
# (rows, cells of known findings, details, filters, no script from the spec run) and
# measures how long GitHub's takes to draw.
#
# Usage: scripts/test-html-report.sh [--screenshot]
#   --screenshot  also rewrite docs/images/html-report.png (the README's picture)
#
# Installs Debian's chromium with apt-get when it is missing (skips, saying so, only when
# that is impossible) and playwright-core with npm into target/browser/ on first use.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
playwright_version="1.65.1"
tools="$root/target/browser"
out="$root/target/html-report"
github_spec="$root/../shared/corpus/large/github/api.github.com.json"

screenshot=()
if [ "${1:-}" = "--screenshot" ]; then
    screenshot=(--screenshot "$root/docs/images/html-report.png")
fi

chromium="$(command -v chromium || true)"
if [ -z "$chromium" ]; then
    echo "test-html-report: installing Debian's chromium" >&2
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
        apt-get update -qq >&2 || true
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2 || true
    elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
        sudo apt-get update -qq >&2 || true
        sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2 || true
    fi
    chromium="$(command -v chromium || true)"
fi
if [ -z "$chromium" ]; then
    echo "test-html-report: SKIPPED: chromium is not installed and cannot be (apt-get needs root and Debian's package lists)"
    exit 0
fi
"$chromium" --version 2>/dev/null || true

if [ ! -f "$tools/node_modules/playwright-core/package.json" ] \
    || [ "$(node -p "require('$tools/node_modules/playwright-core/package.json').version")" != "$playwright_version" ]; then
    echo "test-html-report: installing playwright-core@$playwright_version into $tools" >&2
    # Only the driver: the browser is Debian's (a browser download would fail here).
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --prefix "$tools" --no-audit --no-fund --loglevel=error \
        "playwright-core@$playwright_version" >&2
fi

cargo build --release --quiet
oaslint="$root/target/release/oaslint"
mkdir -p "$out"
lint() {
    # Findings make the run exit with 1: that is expected; anything else is not.
    local code=0
    "$oaslint" lint --no-config "$@" -f summary >/dev/null || code=$?
    if [ "$code" -gt 1 ]; then
        echo "test-html-report: oaslint lint $* exited with $code" >&2
        exit 1
    fi
}
lint testdata/html -o "html=$out/fixtures.html"
reports=("$out/fixtures.html")
if [ -f "$github_spec" ]; then
    lint "$github_spec" -o "html=$out/github.html"
    reports+=("$out/github.html")
else
    echo "test-html-report: $github_spec is absent: GitHub's report is not measured"
fi

CHROMIUM="$chromium" PLAYWRIGHT_CORE="$tools/node_modules/playwright-core" \
    node scripts/test-html-report.js "${reports[@]}" "${screenshot[@]}"
