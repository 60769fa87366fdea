/**
 * The language server in another real LSP client: Neovim 0.7's built-in client (headless), with
 * test/lsp/nvim/init.lua. Neovim 0.7 has no pull diagnostics, so this also covers the push path
 * as a non-VS Code client sees it. Neovim is a test dependency (CI installs it: apt-get install
 * -y neovim); when it is missing the test fails with that instruction instead of skipping.
 */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT, SERVER_BIN } from './client';

const GO = `package main

import "database/sql"

func main() {
	db, err := sql.Open("pgx", "postgres://app@db.example.com/app?sslmode=disable")
	_, _ = db, err
}
`;

interface NvimResult {
  error?: string;
  diagnostics?: { code?: string; source?: string; message: string; codeDescription?: { href: string } }[];
  hover?: string | null;
  actions?: string[];
}

describe('Neovim as an LSP client', function () {
  this.timeout(60000);

  it('shows ConnGuard diagnostics, a hover and code actions in nvim --headless', async () => {
    const probe = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
    if (probe.error || probe.status !== 0) {
      assert.fail('nvim (Neovim >= 0.7) is not installed: run `apt-get install -y neovim` (CI installs it). This test does not skip.');
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'connguard-nvim-'));
    const file = path.join(dir, 'main.go');
    const out = path.join(dir, 'result.json');
    fs.writeFileSync(file, GO);
    try {
      const code = await new Promise<number | null>((resolve, reject) => {
        const child = spawn('nvim', ['--headless', '-n', '-i', 'NONE', '-u', path.join(ROOT, 'test', 'lsp', 'nvim', 'init.lua'), file], {
          cwd: dir,
          env: { ...process.env, CONNGUARD_OUT: out, CONNGUARD_SERVER: SERVER_BIN, CONNGUARD_ROOT: dir, XDG_STATE_HOME: dir, XDG_DATA_HOME: dir },
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`nvim did not exit within 45 s; stderr: ${stderr}`));
        }, 45000);
        child.on('exit', (c) => {
          clearTimeout(timer);
          resolve(c);
        });
      });
      assert.ok(fs.existsSync(out), `nvim exited (${code}) without writing a result`);
      const result = JSON.parse(fs.readFileSync(out, 'utf8')) as NvimResult;
      assert.equal(result.error, undefined, result.error);
      const tls = (result.diagnostics ?? []).filter((d) => d.code === 'tls-disabled');
      assert.equal(tls.length, 1, JSON.stringify(result.diagnostics));
      assert.equal(tls[0].source, 'connguard');
      assert.match(tls[0].codeDescription?.href ?? '', /docs\/rules\/tls-disabled\.md$/);
      assert.match(result.hover ?? '', /^\*\*pgx\*\* → `db\.example\.com`\n\nTLS off/);
      assert.ok(result.actions?.includes('Ignore tls-disabled on this line'), JSON.stringify(result.actions));
      assert.ok(result.actions?.some((t) => /sslmode=verify-full/.test(t)), JSON.stringify(result.actions));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
