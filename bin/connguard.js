#!/usr/bin/env node
/** `connguard` command: a thin launcher for the bundled CLI in dist/cli.js. */
'use strict';
const path = require('node:path');
const fs = require('node:fs');

const bundle = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(bundle)) {
  process.stderr.write(`connguard: ${path.relative(process.cwd(), bundle) || bundle} is missing — run npm run build first.\n`);
  process.exit(2);
}
// `connguard scan | head` closes the pipe early: stop quietly instead of crashing on EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err && err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

// `connguard scan`: the reader thread starts now, while the bundle loads (dist/early-reader.js,
// cli/early-reader.ts); the scan adopts it. Any failure here: the scan starts its own.
try {
  require(path.join(__dirname, '..', 'dist', 'early-reader.js')).startReaderEarly(path.join(__dirname, '..', 'dist', 'reader-worker.js'), process.argv.slice(2), process.cwd());
} catch {
  // no early reader
}

// The bundle through the V8 code cache when possible (dist/code-cache.js, cli/code-cache.ts);
// any failure there just means an ordinary require.
try {
  require(path.join(__dirname, '..', 'dist', 'code-cache.js')).loadThroughCache(bundle, 'connguard-cli', require('../package.json').version);
} catch {
  // no cache
}
require(bundle).runProcess(process.argv.slice(2));
