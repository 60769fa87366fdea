#!/usr/bin/env bash
# Installs what the test suites need on a fresh Debian 12 machine (run as root; idempotent and
# fast when everything is there). `npm test` runs it first (pretest), and .ci/run relies on that.
#   - git: .env tracking (hardcoded-password in tracked .env files)
#   - ripgrep: the benchmark baseline, and VS Code's search inside code-server
#   - neovim: the second real LSP client (test/lsp/neovim.test.ts)
#   - postgresql, mariadb-server, openssl: real TLS database servers and a throwaway test CA
#     for the test-connection integration tests (test/integration)
#   - code-server + Chromium: real VS Code for the extension-host tests (test/e2e)
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
have() { command -v "$1" >/dev/null 2>&1; }
have git || need+=(git)
have rg || need+=(ripgrep)
have nvim || need+=(neovim)
have openssl || need+=(openssl)
[ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql)
have mariadbd || need+=(mariadb-server)
if [ ${#need[@]} -gt 0 ]; then
  echo "[test/setup] apt-get install ${need[*]}" >&2
  if [ "$(id -u)" != 0 ]; then
    echo "[test/setup] needs root to install: ${need[*]} (Debian packages). Install them and run again." >&2
    exit 1
  fi
  apt-get update -qq
  # No service start-up: the tests start private instances on free ports.
  made_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && made_policy=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
  if [ "$made_policy" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
fi

# code-server (VS Code 1.100.3) and Chromium, cached outside the repository.
bash test/e2e/setup-code-server.sh >/dev/null
