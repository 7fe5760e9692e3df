#!/usr/bin/env bash
# Time the oaslint process as people run it, against the targets of issues 4 and 8:
#   - the whole of ../shared/corpus/directory (~750 specs): under 3 s wall, and under 2x
#     the physical limit: ../shared/tools/bareparse parsing the same files on all cores;
#   - Stripe's and GitHub's specs against bareparse on the same file (one core each);
#   - Stripe's spec3.json: under 40 ms, in every output format;
#   - GitHub's api.github.com.json: under 100 ms, in every output format;
# and, where Spectral and Redocly CLI are installed, the same single-spec runs with them
# and the ratio of their time to oaslint's.
#
# Usage: scripts/bench-cli.sh [--install-peers] [--no-peers] [--quick]
#   --install-peers  npm install @stoplight/spectral-cli and @redocly/cli into
#                    target/bench-tools/ first (they are looked for there and on PATH).
#   --no-peers       time oaslint only (Spectral alone takes minutes on GitHub's spec).
#   --quick          fewer runs.
# Uses hyperfine when installed (`apt-get install hyperfine`), else a shell loop (median
# of the runs). Warm cache: each command runs a few times before it is timed.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus="$root/../shared/corpus"
tools="$root/target/bench-tools"
bin="$root/target/release/oaslint"
install_peers=false
peers=true
runs=20
for arg in "$@"; do
    case "$arg" in
        --install-peers) install_peers=true ;;
        --no-peers) peers=false ;;
        --quick) runs=5 ;;
        *) echo "usage: $0 [--install-peers] [--no-peers] [--quick]" >&2; exit 2 ;;
    esac
done

if [ ! -d "$corpus" ]; then
    echo "bench-cli: $corpus not found: nothing to time" >&2
    exit 2
fi
if $install_peers; then
    echo "Installing Spectral and Redocly CLI into $tools" >&2
    npm install --prefix "$tools" --no-audit --no-fund --loglevel=error @stoplight/spectral-cli @redocly/cli >&2
fi
(cd "$root" && cargo build --release --quiet --bin oaslint)

stripe="$corpus/large/stripe/spec3.json"
github="$corpus/large/github/api.github.com.json"
directory="$corpus/directory"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# mean_ms NAME WARMUP RUNS COMMAND: time a command (its output discarded, its exit code
# ignored); print the mean wall time and the mean CPU time (user + system), in
# milliseconds. CPU time says more than wall time on a machine others are loading.
mean_ms() {
    local name="$1" warmup="$2" count="$3" command="$4"
    if command -v hyperfine >/dev/null; then
        hyperfine --style none --warmup "$warmup" --runs "$count" --ignore-failure \
            --export-json "$work/$name.json" --output null "$command" >/dev/null 2>&1
        node -e '
            const r = require(process.argv[1]).results[0];
            const ms = (s) => (Math.round(s * 10000) / 10).toFixed(1);
            console.log(ms(r.mean), ms(r.user + r.system));' "$work/$name.json"
    else
        local i start end times=()
        for ((i = 0; i < warmup; i++)); do bash -c "$command" >/dev/null 2>&1 || true; done
        for ((i = 0; i < count; i++)); do
            start=$(date +%s%N)
            bash -c "$command" >/dev/null 2>&1 || true
            end=$(date +%s%N)
            times+=($(((end - start) / 100000)))
        done
        # The median, in tenths of a millisecond; CPU time is not measured.
        printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "%.1f -\n", a[int((NR + 1) / 2)] / 10 }'
    fi
}

# check LABEL "WALL CPU" LIMIT_MS: print a line with the verdict (on wall time).
verdicts=0
check() {
    local label="$1" wall="${2% *}" cpu="${2#* }" limit="$3" verdict
    if awk -v ms="$wall" -v limit="$limit" 'BEGIN { exit !(ms < limit) }'; then verdict="ok"; else verdict="OVER"; verdicts=$((verdicts + 1)); fi
    printf '%-40s %9s ms wall %9s ms cpu   (target < %s ms) %s\n' "$label" "$wall" "$cpu" "$limit" "$verdict"
}

echo "oaslint $("$bin" --version | cut -d' ' -f2), $(nproc) cores, $(command -v hyperfine >/dev/null && echo hyperfine || echo 'shell loop')"
spec_count=$(find "$directory" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) | wc -l)
ms=$(mean_ms directory 1 $((runs / 4 + 2)) "$bin lint --no-config -f compact $directory")
check "directory/ ($spec_count files), compact" "$ms" 3000

# The physical limit: a bare parse of the same bytes (serde_json into a Value, granit
# events for YAML), built from ../shared/tools into target/ (shared/ is read-only in CI).
bareparse="$root/target/bareparse/release/bareparse"
if CARGO_TARGET_DIR="$root/target/bareparse" cargo build --release --quiet --locked \
    --manifest-path "$root/../shared/tools/bareparse/Cargo.toml" 2>/dev/null; then
    find "$directory" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) >"$work/list"
    bare=$(mean_ms bare-directory 1 $((runs / 4 + 2)) "$bareparse --list $work/list")
    # limit check: oaslint's wall time against twice the bare parse's.
    check "directory/ against bareparse (${bare% *} ms)" "$ms" "$(awk -v b="${bare% *}" 'BEGIN { print 2 * b }')"
    printf '%-40s %9.2fx wall %8.2fx cpu\n' "  oaslint / bareparse, directory/" \
        "$(awk -v a="${ms% *}" -v b="${bare% *}" 'BEGIN { print a / b }')" \
        "$(awk -v a="${ms#* }" -v b="${bare#* }" 'BEGIN { print (b > 0) ? a / b : 0 }')"
    for spec in stripe github; do
        file="${!spec}"
        one=$(mean_ms "bare-$spec" 3 "$runs" "$bareparse $file")
        lint=$(mean_ms "lint-$spec" 3 "$runs" "$bin lint --no-config -f compact $file")
        printf '%-40s %9.2fx wall (%s ms against %s ms)\n' "  oaslint / bareparse, $spec" \
            "$(awk -v a="${lint% *}" -v b="${one% *}" 'BEGIN { print a / b }')" "${lint% *}" "${one% *}"
    done
else
    echo "bareparse: could not build ../shared/tools/bareparse; the physical-limit comparison is skipped"
fi

declare -A ours
for format in human compact json sarif github junit; do
    for spec in stripe github; do
        file="${!spec}"
        ms=$(mean_ms "$spec-$format" 3 "$runs" "$bin lint --no-config --color never -f $format $file")
        limit=40
        [ "$spec" = github ] && limit=100
        check "$spec ($(basename "$file")), $format" "$ms" "$limit"
        [ "$format" = compact ] && ours[$spec]=${ms% *}
    done
done

# Peers: their recommended rulesets, on the same specs (one warm-up, two runs: Spectral
# takes minutes on GitHub's spec); the ratio is their wall time over oaslint's (compact).
peer() {
    local name="$1" command="$2" spec ms
    for spec in stripe github; do
        ms=$(mean_ms "$name-$spec" 1 2 "$command ${!spec}")
        printf '%-40s %9s ms wall %9s ms cpu   %5.0fx oaslint\n' "$name on $spec" "${ms% *}" "${ms#* }" \
            "$(awk -v a="${ms% *}" -v b="${ours[$spec]}" 'BEGIN { print a / b }')"
    done
}
if ! $peers; then
    [ "$verdicts" -eq 0 ] || echo "bench-cli: $verdicts timing(s) over target" >&2
    exit 0
fi
spectral="$(command -v spectral || true)"
[ -x "$tools/node_modules/.bin/spectral" ] && spectral="$tools/node_modules/.bin/spectral"
redocly="$(command -v redocly || true)"
[ -x "$tools/node_modules/.bin/redocly" ] && redocly="$tools/node_modules/.bin/redocly"
if [ -n "$spectral" ]; then
    echo 'extends: ["spectral:oas"]' >"$work/spectral.yaml"
    peer spectral "$spectral lint --quiet --ruleset $work/spectral.yaml"
else
    echo "spectral: not installed (scripts/bench-cli.sh --install-peers)"
fi
if [ -n "$redocly" ]; then
    peer redocly "$redocly lint --format stylish"
else
    echo "redocly: not installed (scripts/bench-cli.sh --install-peers)"
fi

[ "$verdicts" -eq 0 ] || echo "bench-cli: $verdicts timing(s) over target" >&2
