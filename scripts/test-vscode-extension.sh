#!/usr/bin/env bash
# The VS Code extension (editors/vscode) builds from its lock file: `npm ci`, then the
# TypeScript compiler in strict mode; its package.json names the command it runs and the
# settings the README documents.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root/editors/vscode"

if ! command -v npm >/dev/null; then
    echo "test-vscode-extension: SKIPPED: npm is not installed"
    exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
rm -rf out
npx --no-install tsc -p .
test -s out/extension.js
node -e '
const manifest = require("./package.json");
const settings = Object.keys(manifest.contributes.configuration.properties).sort().join(",");
if (settings !== "oaslint.config,oaslint.path,oaslint.ruleset") throw new Error("settings: " + settings);
if (manifest.main !== "./out/extension.js") throw new Error("main: " + manifest.main);
const code = require("fs").readFileSync("out/extension.js", "utf8");
if (!code.includes("\"lsp\"")) throw new Error("the extension does not start `oaslint lsp`");
'
echo "test-vscode-extension: passed: npm ci and tsc built out/extension.js"
