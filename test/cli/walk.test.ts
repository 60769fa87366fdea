/**
 * File discovery and bad input through the CLI: .gitignore (root and nested, negation),
 * .connguardignore and config `ignore` globs are honoured (ignored files are not even opened:
 * they are absent from the JSON file list), --no-ignore, binary and oversized files become
 * notes, symlink loops terminate, and the output order is sorted by path.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { connguard, paths, removeTree, scanJson, tempTree } from './helpers';

const DSN_GO = 'package main\n\nimport "database/sql"\n\nfunc open() { sql.Open("pgx", "postgres://u:hunter2hunter2@db.example.com/app?sslmode=disable") }\n';

describe('cli: file discovery', () => {
  let dir: string;
  before(() => {
    dir = tempTree({
      '.gitignore': 'secret/\n*.local.go\nbuild/*\n!build/keep.go\n',
      '.connguardignore': 'vendor/\n',
      '.connguard.json': '{ "ignore": ["generated/**"] }\n',
      'main.go': 'package main\n',
      'app.local.go': DSN_GO,
      'secret/db.go': DSN_GO,
      'vendor/lib/db.go': DSN_GO,
      'generated/db.go': DSN_GO,
      'build/other.go': DSN_GO,
      'build/keep.go': 'package build\n',
      'svc/.gitignore': 'private.yaml\n',
      'svc/private.yaml': 'url: postgres://u:hunter2hunter2@db.example.com/app\n',
      'svc/public.yaml': 'name: svc\n',
      'node_modules/pkg/index.js': 'module.exports = 1\n',
      '.git/config': '[core]\n',
      'README.md': '# not a source file\n',
      'z/last.ts': 'export {}\n',
      'A/first.ts': 'export {}\n',
    });
  });
  after(() => removeTree(dir));

  it('honours .gitignore (root, nested, negation), .connguardignore and config ignore globs', () => {
    const { code, report } = scanJson(dir);
    assert.equal(code, 0, JSON.stringify(report));
    assert.deepEqual(paths(report), ['.connguard.json', 'A/first.ts', 'build/keep.go', 'main.go', 'svc/public.yaml', 'z/last.ts']);
  });

  it('--no-ignore reads everything except .git and node_modules', () => {
    const { report } = scanJson(dir, ['.', '--no-ignore']);
    const p = paths(report);
    for (const f of ['app.local.go', 'secret/db.go', 'vendor/lib/db.go', 'generated/db.go', 'build/other.go', 'svc/private.yaml']) assert.ok(p.includes(f), f);
    assert.ok(!p.some((x) => x.startsWith('node_modules/') || x.startsWith('.git/')));
  });

  it('paths named on the command line are scanned even when ignored (as in ripgrep)', () => {
    const { report } = scanJson(dir, ['secret/db.go', 'main.go', 'README.md']);
    // Sorted by UTF-16 code units, so upper case first.
    assert.deepEqual(paths(report), ['README.md', 'main.go', 'secret/db.go']);
    assert.deepEqual(report.results[2].notes, []);
    assert.match(report.results[0].notes[0].message, /not a file type ConnGuard reads/);
    const sub = scanJson(dir, ['secret']);
    assert.deepEqual(paths(sub.report), ['secret/db.go']);
  });

  it('scanning a subdirectory still applies the parent .gitignore of the repository', () => {
    fs.mkdirSync(path.join(dir, '.git'), { recursive: true });
    const { report } = scanJson(dir, ['build']);
    assert.deepEqual(paths(report), ['build/keep.go']);
  });
});

describe('cli: bad input', () => {
  let dir: string;
  before(() => {
    const big = 'a: ' + 'x'.repeat(3 * 1024 * 1024) + '\n';
    const binary = Buffer.concat([Buffer.from('{"password": "'), Buffer.from([0, 1, 2, 0xff, 0xfe]), Buffer.from('"}')]);
    dir = tempTree({
      'big.yaml': big,
      'blob.json': binary,
      'latin1.env': Buffer.from([0x44, 0x42, 0x3d, 0xe9, 0x0a]),
      'ok.go': 'package ok\n',
    });
    fs.mkdirSync(path.join(dir, 'loop', 'inner'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'loop', 'inner', 'x.ts'), 'export {}\n');
    fs.symlinkSync('..', path.join(dir, 'loop', 'inner', 'up'), 'dir');
    fs.symlinkSync(path.join(dir, 'loop'), path.join(dir, 'loop', 'self'), 'dir');
    fs.symlinkSync(path.join(dir, 'nowhere'), path.join(dir, 'dangling.go'));
  });
  after(() => removeTree(dir));

  it('binary and 3 MB files produce notes, invalid UTF-8 is read, symlink loops terminate', () => {
    const { code, report } = scanJson(dir);
    assert.equal(code, 0, JSON.stringify(report));
    assert.deepEqual(paths(report), ['big.yaml', 'blob.json', 'latin1.env', 'loop/inner/x.ts', 'ok.go']);
    const byPath = new Map(report.results.map((r) => [r.path, r]));
    assert.match(byPath.get('big.yaml')!.notes[0].message, /above the 2097152-byte limit/);
    assert.match(byPath.get('blob.json')!.notes[0].message, /binary/);
    assert.ok(byPath.get('latin1.env')!.notes.some((n) => /UTF-8/.test(n.message)));
    assert.deepEqual(byPath.get('ok.go')!.notes, []);
  });

  it('in stylish mode the notes go to stderr and stdout stays the findings report', () => {
    const r = connguard(['scan', '.'], dir);
    assert.equal(r.code, 0);
    assert.match(r.stderr, /big\.yaml: skipped: \d+ bytes is above/);
    assert.match(r.stderr, /blob\.json: skipped: binary content/);
    assert.doesNotMatch(r.stdout, /skipped/);
  });

  it('maxFileBytes from .connguard.json applies', () => {
    fs.writeFileSync(path.join(dir, '.connguard.json'), '{ "maxFileBytes": 5 }');
    try {
      const { report } = scanJson(dir);
      const ok = report.results.find((r) => r.path === 'ok.go')!;
      assert.match(ok.notes[0].message, /above the 5-byte limit/);
    } finally {
      fs.rmSync(path.join(dir, '.connguard.json'));
    }
  });
});
