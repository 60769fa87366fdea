#!/usr/bin/env bash
# Installs what the extension-host tests need to run real VS Code here (shared/TESTBED.md):
# code-server 4.100.3 (VS Code 1.100.3 server + web workbench, from the npm registry) into a
# cache directory outside the repository, and Debian's Chromium to drive it. Idempotent: a
# complete install is marked and reused. `@vscode/test-electron` cannot download VS Code on
# this network; code-server is the stand-in (the suites run under both).
#
#   test/e2e/setup-code-server.sh            # prints the code-server directory on the last line
#   CONNGUARD_CACHE=/some/dir test/e2e/setup-code-server.sh
set -euo pipefail

VERSION=4.100.3
CACHE="${CONNGUARD_CACHE:-$HOME/.cache/connguard}"
DIR="$CACHE/code-server-$VERSION"
MARK="$DIR/.connguard-complete"

log() { echo "[setup-code-server] $*" >&2; }

# System packages: native-module build deps, ripgrep (VS Code's search), Chromium (the browser).
need=()
for pkg in libkrb5-dev libxkbfile-dev libsecret-1-dev pkg-config ripgrep chromium; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
command -v g++ >/dev/null 2>&1 || need+=(g++)
command -v make >/dev/null 2>&1 || need+=(make)
command -v python3 >/dev/null 2>&1 || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
  log "apt-get install ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >&2
fi

if [ -f "$MARK" ]; then
  log "reusing $DIR"
  echo "$DIR/node_modules/code-server"
  exit 0
fi

rm -rf "$DIR"
mkdir -p "$DIR"
cd "$DIR"
echo '{ "name": "connguard-code-server", "private": true }' > package.json
export npm_config_yes=true npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

log "npm install code-server@$VERSION (scripts off: its postinstall downloads from GitHub)"
npm install --ignore-scripts --no-save "code-server@$VERSION" >&2
npm rebuild argon2 >&2

VS="$DIR/node_modules/code-server/lib/vscode"
log "installing VS Code's own dependencies"
(cd "$VS" && npm install --omit=dev --ignore-scripts >&2)
(cd "$VS" && npm rebuild kerberos node-pty @parcel/watcher @vscode/spdlog native-watchdog @vscode/deviceid >&2)
# @vscode/ripgrep's installer downloads a binary from GitHub: use Debian's ripgrep instead.
mkdir -p "$VS/node_modules/@vscode/ripgrep/bin"
ln -sf "$(command -v rg)" "$VS/node_modules/@vscode/ripgrep/bin/rg"
ln -sfn node_modules "$VS/node_modules.asar"
(cd "$VS/extensions" && npm install --omit=dev --ignore-scripts >&2)

touch "$MARK"
log "installed into $DIR"
echo "$DIR/node_modules/code-server"
