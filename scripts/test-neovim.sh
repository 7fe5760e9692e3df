#!/usr/bin/env bash
# `oaslint lsp` in a real editor: headless Neovim (Debian's package; 0.7.2 there) opens a
# spec in a scratch workspace, waits for oaslint's diagnostics, applies the preferred code
# action and writes the buffer (scripts/test-neovim.lua). Then the file on disk is checked:
# only the fix changed (the 204's body is gone, every other line as it was, non-ASCII
# text included) and `oaslint lint` no longer reports `no-body`.
#
# Installs neovim with apt-get when it is missing (skips, saying so, only when that is
# impossible).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if ! command -v nvim >/dev/null; then
    echo "test-neovim: installing Debian's neovim" >&2
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
        apt-get update -qq >&2 || true
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq neovim >&2 || true
    elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
        sudo apt-get update -qq >&2 || true
        sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq neovim >&2 || true
    fi
fi
if ! command -v nvim >/dev/null; then
    echo "test-neovim: SKIPPED: neovim is not installed and cannot be (apt-get needs root and Debian's package lists)"
    exit 0
fi
nvim --version | head -1

cargo build --release --quiet
oaslint="$root/target/release/oaslint"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The default configuration (the recommended ruleset): the DELETE's 204 has a body, on a
# line with non-ASCII text before the offending key.
cat > "$work/openapi.yaml" <<'YAML'
openapi: 3.1.0
info:
  title: Größen – API
  version: "1"
paths:
  /größen/{id}:
    delete:
      summary: Löscht eine Größe 😀
      responses:
        "204": {description: "Gelöscht ✓", content: {application/json: {schema: {type: object}}}}
        "404":
          description: Nicht gefunden
YAML
cp "$work/openapi.yaml" "$work/original.yaml"
: > "$work/.oaslint.yaml"

status=0
OASLINT="$oaslint" SPEC="$work/openapi.yaml" HOME="$work" XDG_CONFIG_HOME="$work" XDG_DATA_HOME="$work" \
    XDG_STATE_HOME="$work" timeout 120 nvim --headless --clean -n -c "luafile $root/scripts/test-neovim.lua" \
    || status=$?
if [ "$status" -ne 0 ]; then
    echo "test-neovim: FAILED: neovim exited with $status"
    exit 1
fi

# Only the fix changed: the 204 line lost its content, nothing else moved.
expected='        "204": {description: "Gelöscht ✓"}'
changed="$(diff "$work/original.yaml" "$work/openapi.yaml" || true)"
echo "$changed"
if [ "$(diff "$work/original.yaml" "$work/openapi.yaml" | grep -c '^[<>]')" -ne 2 ] \
    || ! grep -qxF "$expected" "$work/openapi.yaml"; then
    echo "test-neovim: FAILED: the file on disk is not the original with the fix applied:"
    cat "$work/openapi.yaml"
    exit 1
fi
if "$oaslint" lint "$work/openapi.yaml" -f compact | grep -F '[no-body]'; then
    echo "test-neovim: FAILED: oaslint still reports no-body on the written file"
    exit 1
fi
echo "test-neovim: passed: diagnostics shown, the preferred fix applied and written, the finding gone"
