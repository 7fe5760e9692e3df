#!/usr/bin/env bash
# Validate SARIF files with Microsoft's SARIF multitool: the SARIF 2.1.0 JSON schema, the
# spec's own rules and GitHub's ingestion rules (rule kinds Sarif, Gh and Ghas). Fails on
# any error or warning; notes (advice such as "embed the file contents") are only counted.
#
# Usage: scripts/validate-sarif.sh [FILE.sarif...]
#   With no files, validates the SARIF reporter's own outputs for its shared test findings
#   and for an empty run (written into target/sarif/ by an ignored unit test).
#
# The multitool is installed with npm into target/tools/ on first use.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/target/tools"
multitool_version="5.7.0"

if [ ! -d "$tools/node_modules/@microsoft/sarif-multitool" ]; then
    echo "Installing @microsoft/sarif-multitool@$multitool_version into $tools" >&2
    npm install --prefix "$tools" --no-audit --no-fund --loglevel=error \
        "@microsoft/sarif-multitool@$multitool_version" >&2
fi
# The npm wrapper runs the tool through a shell, which would split the `;`-separated
# option values below, so call the platform binary directly.
multitool="$(cd "$tools" && node -p "require('@microsoft/sarif-multitool')")"
# Its package makes the binary executable in an install script, which npm may skip.
[ -x "$multitool" ] || chmod u+x "$multitool"

files=("$@")
if [ "${#files[@]}" -eq 0 ]; then
    out="$root/target/sarif"
    (cd "$root" && OASLINT_SARIF_OUT="$out" cargo test --quiet --lib \
        report::sarif::tests::write_fixture_sarif -- --ignored >&2)
    files=("$out/fixture.sarif" "$out/empty.sarif" "$out/no-root.sarif" "$out/absolute.sarif")
fi
for file in "${files[@]}"; do
    [ -f "$file" ] || { echo "validate-sarif: no such file: $file" >&2; exit 2; }
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
log="$work/validation.sarif"
if ! "$multitool" validate "${files[@]}" --output "$log" --log ForceOverwrite \
    --rule-kind "Sarif;Gh;Ghas" --level "Error;Warning;Note" >"$work/console.txt" 2>&1; then
    cat "$work/console.txt" >&2
    echo "validate-sarif: the multitool failed" >&2
    exit 2
fi

# Show the errors and warnings as the multitool words them...
grep -E ': (error|warning) ' "$work/console.txt" || true
# ...but count them in its own SARIF log: it exits 0 even when it reports errors.
node - "$log" "${#files[@]}" <<'EOF'
const [logPath, fileCount] = process.argv.slice(2);
const log = JSON.parse(require('fs').readFileSync(logPath, 'utf8'));
const counts = { error: 0, warning: 0, note: 0 };
for (const run of log.runs ?? []) {
    const notifications = (run.invocations ?? []).flatMap((invocation) => [
        ...(invocation.toolExecutionNotifications ?? []),
        ...(invocation.toolConfigurationNotifications ?? []),
    ]);
    for (const item of [...(run.results ?? []), ...notifications]) {
        // SARIF's default level is "warning".
        const level = item.level ?? 'warning';
        if (level === 'none') continue;
        counts[level] = (counts[level] ?? 0) + 1;
    }
    for (const invocation of run.invocations ?? []) {
        if (invocation.executionSuccessful === false) counts.error += 1;
    }
}
console.log(`validate-sarif: ${fileCount} file(s): ${counts.error} error(s), ${counts.warning} warning(s), ${counts.note} note(s)`);
process.exit(counts.error + counts.warning > 0 ? 1 : 0);
EOF
