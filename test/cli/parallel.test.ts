/**
 * Worker threads (cli/parallel.ts) must not change results: the same tree scanned with one and
 * with two analysis threads gives byte-identical JSON, and the worker path really runs (the
 * CONNGUARD_TIMING line reports the jobs used).
 */
import { strict as assert } from 'node:assert';
import { connguard, removeTree, tempTree } from './helpers';

describe('cli: parallel scan', () => {
  let dir: string;
  before(() => {
    const files: Record<string, string> = {};
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
    assert.match(one.stderr, /jobs 1\)/);
    assert.match(two.stderr, /jobs 2\)/);
    assert.equal(two.stdout, one.stdout);
    const report = JSON.parse(two.stdout) as { results: { findings: { ruleId: string }[] }[] };
    const ids = report.results.flatMap((r) => r.findings.map((f) => f.ruleId));
    assert.equal(ids.filter((id) => id === 'tls-cert-unverified').length, 30);
    assert.equal(ids.filter((id) => id === 'tls-disabled').length, 1);
  });

  it('rejects a bad --jobs value with exit code 2', () => {
    const r = connguard(['scan', '.', '--jobs', '0'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--jobs needs a positive integer/);
  });
});
