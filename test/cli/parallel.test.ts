/**
 * Threads must not change results: the same tree scanned with one and with two analysis threads
 * (cli/parallel.ts), and with the reader (cli/reader.ts) on its own thread or inline, gives
 * byte-identical JSON — and each path really runs (the CONNGUARD_TIMING line says which).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { connguard, removeTree, tempTree } from './helpers';

const DIST_CLI = path.resolve(__dirname, '../../../dist/cli.js');

/** Every file of a tree, path and content, in one string (to compare two trees). */
function readTree(dir: string): string {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(`${path.relative(dir, p)}\n${fs.readFileSync(p, 'utf8')}`);
    }
  };
  walk(dir);
  return out.join('\0');
}

describe('cli: parallel scan', () => {
  let dir: string;
  const treeFiles: Record<string, string> = {};
  before(() => {
    const files = treeFiles;
    for (let i = 0; i < 450; i++) {
      const host = `db${i}.internal.example.com`;
      files[`svc${i % 9}/f${i}.go`] =
        i % 15 === 0
          ? `package main\n\nimport "database/sql"\n\nfunc open() (*sql.DB, error) {\n\treturn sql.Open("pgx", "postgres://app@${host}/app?sslmode=require")\n}\n`
          : `package main\n\n// helper ${i}\nfunc add${i}(a, b int) int { return a + b }\n`;
    }
    files['deploy/app.yaml'] = 'database:\n  url: postgres://app@db.internal.example.com/app?sslmode=disable\n';
    dir = tempTree(files);
  });
  after(() => removeTree(dir));

  it('gives identical JSON with --jobs 1 and --jobs 2', () => {
    const one = connguard(['scan', '.', '--format', 'json', '--jobs', '1'], dir, { CONNGUARD_TIMING: '1' });
    const two = connguard(['scan', '.', '--format', 'json', '--jobs', '2'], dir, { CONNGUARD_TIMING: '1' });
    assert.equal(one.code, 1);
    assert.equal(two.code, 1);
    assert.match(one.stderr, /jobs 1[;)]/);
    assert.match(two.stderr, /jobs 2[;)]/);
    assert.equal(two.stdout, one.stdout);
    const report = JSON.parse(two.stdout) as { results: { findings: { ruleId: string }[] }[] };
    const ids = report.results.flatMap((r) => r.findings.map((f) => f.ruleId));
    assert.equal(ids.filter((id) => id === 'tls-cert-unverified').length, 30);
    assert.equal(ids.filter((id) => id === 'tls-disabled').length, 1);
  });

  it('gives identical JSON with the reader on its own thread and inline, --fix included', () => {
    const thread = connguard(['scan', '.', '--format', 'json'], dir, { CONNGUARD_TIMING: '1' });
    const inline = connguard(['scan', '.', '--format', 'json'], dir, { CONNGUARD_TIMING: '1', CONNGUARD_READER: 'inline' });
    assert.match(thread.stderr, /thread reader/);
    assert.match(inline.stderr, /inline reader/);
    // The timing line's milestones come in the order a scan passes them.
    const at = (name: string): number => Number(new RegExp(`[(;,] ${name} (\\d+)`).exec(thread.stderr)?.[1] ?? Number.NaN);
    const milestones = ['first', 'read', 'code', 'config'].map(at);
    assert.ok(milestones.every((t, i) => Number.isFinite(t) && (i === 0 || t >= milestones[i - 1])), thread.stderr);
    assert.match(thread.stderr, /busy go \d+/);
    assert.equal(thread.code, 1);
    assert.equal(inline.code, 1);
    assert.equal(thread.stdout, inline.stdout);
    // --fix through the thread reader rewrites the same files as inline (fresh copies of the tree).
    const fixed: string[] = [];
    for (const reader of ['thread', 'inline']) {
      const copy = tempTree(Object.fromEntries(Object.entries(treeFiles).map(([k, v]) => [k, v])));
      try {
        const r = connguard(['scan', '.', '--fix', '--format', 'json'], copy, { CONNGUARD_READER: reader });
        assert.equal(JSON.parse(r.stdout).summary.fixedFiles, 31, r.stderr);
        fixed.push(readTree(copy));
      } finally {
        removeTree(copy);
      }
    }
    assert.equal(fixed[0], fixed[1]);
  });

  it('adopts the reader thread the launcher started early, with the output of one the scan starts itself', () => {
    // bin/connguard.js starts the reader before it loads the bundle (cli/early-reader.ts); the
    // bundle run directly (node dist/cli.js) starts its own.
    const early = connguard(['scan', '.', '--format', 'json'], dir, { CONNGUARD_TIMING: '1' });
    const own = spawnSync(process.execPath, [DIST_CLI, 'scan', '.', '--format', 'json'], { cwd: dir, encoding: 'utf8', env: { ...process.env, CONNGUARD_TIMING: '1' }, maxBuffer: 64 * 1024 * 1024 });
    assert.match(early.stderr, /early thread reader/);
    assert.match(own.stderr, /\(\d+ files, thread reader/);
    assert.equal(own.status, early.code);
    assert.equal(own.stdout, early.stdout);
    // Started but not adopted — a scan of explicit files reads inline; no scan at all — and the
    // run ends as usual, with its own answer.
    const files = connguard(['scan', 'svc0/f0.go', 'svc1/f1.go', '--format', 'json'], dir, { CONNGUARD_TIMING: '1' });
    assert.match(files.stderr, /inline reader/);
    assert.equal(files.code, 1);
    assert.equal(JSON.parse(files.stdout).results.length, 2);
    const usage = connguard(['scan', '--no-such-option'], dir);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /no-such-option/);
  });

  it('reports a missing path or a bad configuration from the reader thread, before any output', () => {
    const missing = connguard(['scan', '.', 'no-such-dir', '--format', 'json'], dir, { CONNGUARD_READER: 'thread' });
    assert.equal(missing.code, 2);
    assert.equal(missing.stdout, '');
    assert.match(missing.stderr, /path not found: no-such-dir/);
    const bad = tempTree({ '.connguard.json': '{"rules": {"no-such-rule": "error"}}', 'a.go': 'package main\n' });
    try {
      const r = connguard(['scan', '.'], bad, { CONNGUARD_READER: 'thread' });
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /configuration error: .*no-such-rule/);
    } finally {
      removeTree(bad);
    }
  });

  it('rejects a bad --jobs value with exit code 2', () => {
    const r = connguard(['scan', '.', '--jobs', '0'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--jobs needs a positive integer/);
  });
});
