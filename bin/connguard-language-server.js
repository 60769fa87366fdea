#!/usr/bin/env -S node --max-semi-space-size=8
/**
 * `connguard-language-server` command: a thin launcher for the bundled language server in
 * dist/server.js. The shebang carries the Node flags of shared/src/runtime.ts (SERVER_NODE_FLAGS;
 * a unit test keeps them equal). Transport flags are read by vscode-languageserver itself:
 *   connguard-language-server --stdio       (Neovim, Helix, Emacs, any LSP client)
 *   connguard-language-server --node-ipc    (when forked by a Node client)
 */
'use strict';
const path = require('node:path');
const fs = require('node:fs');

const bundle = path.join(__dirname, '..', 'dist', 'server.js');
if (!fs.existsSync(bundle)) {
  process.stderr.write(`connguard-language-server: ${bundle} is missing — run npm run build first.\n`);
  process.exit(2);
}
const args = process.argv.slice(2);
if (args.includes('--version')) {
  process.stdout.write(`${require(bundle).SERVER_VERSION}\n`);
  process.exit(0);
}
if (!args.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket=') || a.startsWith('--pipe='))) {
  process.stderr.write('usage: connguard-language-server --stdio | --node-ipc | --socket=<port> | --pipe=<name>\n');
  process.exit(2);
}
require(bundle).startServer();
