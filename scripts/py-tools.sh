#!/usr/bin/env bash
# Print the path of a Python virtual environment under target/ holding the packaging tools
# the scripts use (maturin; pipx and uv with --all), installing them with pip when missing.
#
# Usage: scripts/py-tools.sh [--all]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/target/py-tools"
want=(maturin)
[ "${1:-}" = --all ] && want+=(pipx uv)

if ! command -v python3 >/dev/null 2>&1; then
    echo "py-tools: python3 is not installed" >&2
    exit 1
fi
if [ ! -x "$venv/bin/pip" ]; then
    echo "py-tools: creating $venv" >&2
    python3 -m venv "$venv"
fi
missing=()
for tool in "${want[@]}"; do
    [ -x "$venv/bin/$tool" ] || missing+=("$tool")
done
if [ "${#missing[@]}" -gt 0 ]; then
    echo "py-tools: installing ${missing[*]} into $venv" >&2
    specs=()
    for tool in "${missing[@]}"; do
        case "$tool" in
            maturin) specs+=('maturin>=1.7,<2') ;;
            *) specs+=("$tool") ;;
        esac
    done
    "$venv/bin/pip" install --quiet --disable-pip-version-check "${specs[@]}" >&2
fi
echo "$venv"
