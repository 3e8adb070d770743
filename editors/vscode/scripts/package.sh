#!/usr/bin/env bash
# Build the agentls VS Code extension: npm ci, strict tsc, then a .vsix with @vscode/vsce.
# Usage: editors/vscode/scripts/package.sh [out.vsix]   (default: editors/vscode/dist/agentls.vsix)
# Needs node >= 20 and npm; reaches only the npm registry (npm ci is skipped when
# node_modules already matches package-lock.json).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-dist/agentls.vsix}"
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac

# Install exactly the locked dependencies. Lifecycle scripts are skipped: the only ones
# (keytar, @vscode/vsce-sign) serve `vsce publish`/signing, which we never do, and
# they would download binaries.
if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.package-lock.json.src 2>/dev/null; then
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.package-lock.json.src
fi

rm -rf out   # no stale output in the package
mkdir -p "$(dirname "$out")"
# vsce runs the `vscode:prepublish` script first: `tsc -p ./` with the strict tsconfig.json,
# so a type error fails the package. --allow-missing-repository: no public repo URL yet.
npx --no-install vsce package --allow-missing-repository --out "$out"
echo "packaged: $out"
