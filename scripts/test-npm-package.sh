#!/usr/bin/env bash
# Test the npm packaging as users get it: `npm pack` the `oaslint` launcher package and
# this platform's binary package (from target/release/oaslint), install both tarballs into
# a scratch project with no network (an unreachable registry, --offline, an empty cache),
# and run `npx oaslint`: version, findings and exit codes, standard input, arguments with
# spaces, signals in both directions; then install the launcher alone and check its
# message for a missing binary, and OASLINT_BINARY.
#
# Prints the time from nothing (the tarballs) to a first lint.
#
# Usage: scripts/test-npm-package.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "test-npm-package: skipped, node and npm are not installed"
    exit 0
fi

version="$(sed -n '/^\[package\]/,/^\[/s/^version = "\(.*\)"/\1/p' Cargo.toml)"
platform="$(node -p 'process.platform + "-" + process.arch')"
if [ "$platform" = linux-x64 ] || [ "$platform" = linux-arm64 ]; then
    # The release binary links glibc: it belongs in the glibc package.
    ldd --version 2>&1 | grep -qi musl && platform="$platform-musl"
fi
cargo build --release --quiet --bin oaslint
binary="$root/target/release/oaslint"

work="$(mktemp -d)"
launcher_pid=""
cleanup() {
    [ -n "$launcher_pid" ] && kill "$launcher_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
tarballs="$work/tarballs"
node npm/pack.js --out "$tarballs" --main --platform "$platform" --binary "$binary" >/dev/null
main_tgz="$tarballs/oaslint-$version.tgz"
platform_tgz="$tarballs/oaslint-$platform-$version.tgz"
for tgz in "$main_tgz" "$platform_tgz"; do
    [ -f "$tgz" ] || { echo "test-npm-package: npm pack made no $tgz" >&2; exit 1; }
done
echo "packed: $(cd "$tarballs" && du -k ./*.tgz | tr '\n\t' '  ')"

# No network: an address nothing listens on, offline mode, and a cache of our own.
export npm_config_registry=http://127.0.0.1:9/ npm_config_offline=true npm_config_cache="$work/npm-cache"
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

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
# scratch DIR: an empty npm project with the fixtures, outside the repository.
scratch() {
    mkdir -p "$1/specs/with space"
    echo '{"name": "scratch", "private": true}' >"$1/package.json"
    cp testdata/cli/bad.yaml testdata/cli/good.yaml "$1/specs/"
    cp testdata/cli/bad.yaml "$1/specs/with space/bad spec.yaml"
}

project="$work/project"
scratch "$project"
start="$(now)"
(cd "$project" && npm install --silent "$main_tgz" "$platform_tgz")
(cd "$project" && npx oaslint lint specs/bad.yaml >/dev/null) || true
first_lint="$(since "$start")"

npx_oaslint() { (cd "$project" && npx oaslint "$@"); }
expected="specs/bad.yaml:13:11: error [no-body] DELETE /pets/{id}: 204 No Content declares a body"

out="$(npx_oaslint --version)" || fail "npx oaslint --version exited non-zero"
[ "$out" = "$("$binary" --version)" ] || fail "npx oaslint --version printed '$out', the binary '$("$binary" --version)'"
[[ "$out" == "oaslint $version"* ]] || fail "npx oaslint --version printed '$out', not 'oaslint $version ...'"

code=0
out="$(npx_oaslint lint --format compact specs/bad.yaml)" || code=$?
[ "$code" = 1 ] || fail "npx oaslint lint specs/bad.yaml exited $code, not 1"
[[ "$out" == *"$expected"* ]] || fail "npx oaslint lint specs/bad.yaml did not report '$expected':"$'\n'"$out"
code=0
npx_oaslint lint specs/good.yaml >/dev/null || code=$?
[ "$code" = 0 ] || fail "npx oaslint lint specs/good.yaml exited $code, not 0"
code=0
npx_oaslint lint --format no-such-format specs/good.yaml >/dev/null 2>&1 || code=$?
[ "$code" = 2 ] || fail "npx oaslint with a usage error exited $code, not 2"
code=0
out="$(npx_oaslint lint --format compact - --stdin-filename specs/bad.yaml <"$project/specs/bad.yaml")" || code=$?
[ "$code" = 1 ] && [[ "$out" == *"$expected"* ]] || fail "npx oaslint lint - (standard input): exit $code, '$out'"
code=0
out="$(npx_oaslint lint --format compact "specs/with space/bad spec.yaml")" || code=$?
[ "$code" = 1 ] && [[ "$out" == *"specs/with space/bad spec.yaml:13:11"* ]] ||
    fail "npx oaslint with a path with spaces: exit $code, '$out'"

# Signals. oaslint reading a standard input that stays open waits; the launcher is
# node_modules/.bin/oaslint itself (npx adds processes of its own around it).
# signal_test WHO SIGNAL EXPECTED-STATUS: send SIGNAL to the launcher or to oaslint.
signal_test() {
    local who="$1" signal="$2" expected="$3" child="" status=0 i
    mkfifo "$work/stdin-$who-$signal"
    sleep 30 >"$work/stdin-$who-$signal" &
    local holder=$!
    (cd "$project" && exec node_modules/.bin/oaslint lint -) <"$work/stdin-$who-$signal" &
    launcher_pid=$!
    for i in $(seq 100); do
        child="$(pgrep -P "$launcher_pid" || true)"
        [ -n "$child" ] && break
        sleep 0.05
    done
    # The launcher sets its signal handlers right after starting oaslint: give it a moment.
    sleep 0.2
    if [ -z "$child" ]; then
        fail "signals: the launcher started no oaslint"
    elif [ "$who" = launcher ]; then
        kill -s "$signal" "$launcher_pid"
    else
        kill -s "$signal" "$child"
    fi
    # (Braces: bash's own "Killed" note about the job goes to /dev/null too.)
    { wait "$launcher_pid" || status=$?; } 2>/dev/null
    launcher_pid=""
    kill "$holder" 2>/dev/null || true
    [ "$status" = "$expected" ] || fail "signals: SIG$signal to the $who: the launcher exited $status, not $expected"
    if [ -n "$child" ] && kill -0 "$child" 2>/dev/null; then
        fail "signals: oaslint ($child) still runs after SIG$signal to the $who"
        kill "$child" 2>/dev/null || true
    fi
}
signal_test launcher TERM 143
signal_test launcher INT 130
signal_test oaslint TERM 143
signal_test oaslint KILL 137

# The launcher without its binary package (as after --omit=optional): a clear message, exit 2.
alone="$work/alone"
scratch "$alone"
(cd "$alone" && npm install --silent "$main_tgz")
code=0
out="$(cd "$alone" && npx oaslint lint specs/bad.yaml 2>&1)" || code=$?
[ "$code" = 2 ] && [[ "$out" == *"@oaslint/$platform"*"is not installed"* ]] ||
    fail "without @oaslint/$platform: exit $code (not 2) or no clear message: '$out'"
out="$(cd "$alone" && OASLINT_BINARY="$binary" npx oaslint --version)" || fail "OASLINT_BINARY: exit non-zero"
[[ "$out" == "oaslint $version"* ]] || fail "OASLINT_BINARY: --version printed '$out'"

echo "time from nothing to a first lint: npm install of the two tarballs + npx oaslint lint $first_lint"
if [ "$failures" -gt 0 ]; then
    echo "test-npm-package: $failures check(s) failed" >&2
    exit 1
fi
echo "test-npm-package: oaslint and @oaslint/$platform install offline and run through npx"
