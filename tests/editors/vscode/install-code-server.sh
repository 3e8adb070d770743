#!/usr/bin/env bash
# Install the VS Code end-to-end tooling into tests/editors/vscode/node_modules:
# code-server 4.100.3 (VS Code 1.100.3; the last release that runs on node 20) and
# playwright-core (drives Debian's /usr/bin/chromium; it downloads no browser).
#
# code-server's own postinstall cannot run here (it insists on --unsafe-perm as root and
# downloads ripgrep from GitHub), so this script does its steps by hand: lifecycle
# scripts off, ripgrep from Debian, native modules rebuilt from source with node-gyp.
# Only the npm registry is used. Needs (Debian): build-essential pkg-config python3
# libkrb5-dev libxkbfile-dev libsecret-1-dev ripgrep; and node 20 with its headers
# (nodedir=/usr, or node-gyp's header cache).
#
# Idempotent: a finished install is recorded in node_modules/.agentls-install and
# skipped while package-lock.json is unchanged.
set -euo pipefail
cd "$(dirname "$0")"
here=$PWD

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" != 20 ]; then
  echo "install-code-server.sh: code-server 4.100.3 needs node 20, found $(node --version)" >&2
  exit 1
fi
rg_bin=$(command -v rg || true)
if [ -z "$rg_bin" ]; then
  echo "install-code-server.sh: ripgrep (rg) is required: apt-get install ripgrep" >&2
  exit 1
fi

stamp="node_modules/.agentls-install"
want="$(sha256sum package-lock.json install-code-server.sh | sha256sum | cut -d' ' -f1) node$(node --version)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "code-server and playwright-core already installed ($here/node_modules)"
  exit 0
fi

export npm_config_yes=true npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
export npm_config_loglevel=error
[ -d /usr/include/node ] && export npm_config_nodedir=/usr

npm ci --ignore-scripts
npm rebuild argon2                      # code-server's one native dependency

cd node_modules/code-server/lib/vscode  # what code-server's postinstall.sh would do:
npm install --omit=dev --ignore-scripts # (locked by its npm-shrinkwrap.json)
mkdir -p node_modules/@vscode/ripgrep/bin
ln -sf "$rg_bin" node_modules/@vscode/ripgrep/bin/rg
npm rebuild                             # node-pty, spdlog, ... from source (node-gyp)
ln -sfn node_modules node_modules.asar
(cd bin/remote-cli && ln -sf code-linux.sh code-server)
(cd bin/helpers && ln -sf browser-linux.sh browser.sh)
cd extensions
npm install --omit=dev

cd "$here"
tmp_home=$(mktemp -d)   # code-server writes a default config.yaml into $HOME on every start
HOME=$tmp_home XDG_CONFIG_HOME=$tmp_home XDG_DATA_HOME=$tmp_home node_modules/.bin/code-server --version
rm -rf "$tmp_home"
echo "$want" > "$stamp"
