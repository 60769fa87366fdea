/**
 * The language server's Node flags have one home (shared/src/runtime.ts); the launcher's shebang
 * must carry the same ones, and must run as an executable (how `connguard-language-server` is
 * started by Neovim and other LSP clients through npm's bin link).
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SERVER_NODE_FLAGS } from '../../shared/src/runtime';

const LAUNCHER = path.resolve(__dirname, '../../../bin/connguard-language-server.js');

describe('language server runtime flags', () => {
  it('the launcher shebang carries SERVER_NODE_FLAGS', () => {
    const first = fs.readFileSync(LAUNCHER, 'utf8').split('\n', 1)[0];
    assert.equal(first, `#!/usr/bin/env -S node ${SERVER_NODE_FLAGS.join(' ')}`);
  });

  it('the launcher runs through its shebang', () => {
    const r = spawnSync(LAUNCHER, ['--help'], { encoding: 'utf8', timeout: 20000 });
    assert.equal(r.error, undefined, String(r.error));
    assert.match(`${r.stdout}${r.stderr}`, /usage: connguard-language-server --stdio/);
  });
});
