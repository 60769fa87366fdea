/**
 * CLI surface: commands, usage errors and configuration errors, and their exit codes
 * (0 clean, 1 findings, 2 usage/config/internal error) — SPEC §3.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../../shared/src/rules';
import { connguard, REPO, removeTree, scanJson, tempTree } from './helpers';

describe('cli: commands and usage errors', () => {
  let dir: string;
  before(() => {
    dir = tempTree({ 'main.go': 'package main\n\nfunc main() {}\n' });
  });
  after(() => removeTree(dir));

  it('--version prints the package version', () => {
    const r = connguard(['--version'], dir);
    assert.equal(r.code, 0);
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string };
    assert.equal(r.stdout.trim(), pkg.version);
  });

  it('--help and scan --help describe the commands and exit 0', () => {
    const r = connguard(['--help'], dir);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /connguard scan/);
    assert.match(r.stdout, /connguard rules/);
    const s = connguard(['scan', '--help'], dir);
    assert.equal(s.code, 0);
    assert.match(s.stdout, /--max-warnings/);
  });

  it('no arguments: usage on stderr, exit 2', () => {
    const r = connguard([], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Usage/);
  });

  for (const [args, pattern] of [
    [['scan', '--bogus'], /unknown option --bogus/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['scan', '--format', 'xml'], /unknown format "xml"/],
    [['scan', '--format'], /--format needs a value/],
    [['scan', '--max-warnings', 'many'], /--max-warnings needs a non-negative integer/],
    [['scan', '--fix=yes'], /--fix takes no value/],
    [['scan', 'does-not-exist'], /path not found: does-not-exist/],
    [['rules', '--format', 'sarif'], /unknown format "sarif" for rules/],
  ] as const) {
    it(`${args.join(' ')} → exit 2 with a message`, () => {
      const r = connguard(args, dir);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, pattern);
      assert.equal(r.stdout, '');
    });
  }

  it('rules lists all 18 rules with check, default severity and title', () => {
    const r = connguard(['rules'], dir);
    assert.equal(r.code, 0);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 1 + 18);
    assert.equal(RULES.length, 18);
    for (const rule of RULES) {
      const line = lines.find((l) => l.startsWith(`${rule.id} `));
      assert.ok(line, rule.id);
      assert.ok(line.includes(rule.defaultSeverity) && line.includes(rule.title) && line.includes(rule.check ?? '-'), line);
    }
    const j = connguard(['rules', '--format', 'json'], dir);
    assert.equal(j.code, 0);
    const rows = JSON.parse(j.stdout) as { id: string; docsUrl: string }[];
    assert.deepEqual(rows.map((x) => x.id), RULES.map((x) => x.id));
    assert.ok(rows.every((x) => x.docsUrl.endsWith(`/docs/rules/${x.id}.md`)));
  });

  it('a clean directory exits 0 and every format works', () => {
    assert.equal(connguard(['scan'], dir).code, 0);
    const { code, report } = scanJson(dir);
    assert.equal(code, 0);
    assert.deepEqual(report.results.map((r) => r.path), ['main.go']);
    const s = connguard(['scan', '.', '--format', 'sarif'], dir);
    assert.equal(s.code, 0);
    assert.deepEqual(JSON.parse(s.stdout).runs[0].results, []);
  });
});

describe('cli: configuration errors', () => {
  const cases: [string, string, RegExp][] = [
    ['syntax error', '{ "rules": { "tls-disabled": "off" ', /\.connguard\.json:1:\d+: invalid JSON/],
    ['unknown rule', '{ "rules": { "tls-disabeld": "off" } }', /unknown rule "tls-disabeld"/],
    ['bad severity', '{ "rules": { "tls-disabled": "fatal" } }', /severity must be one of/],
    ['unknown key', '{ "rulez": {} }', /unknown setting "rulez"/],
    ['not an object', '[1, 2]', /expected a JSON object/],
    ['bad maxFileBytes', '{ "maxFileBytes": -1 }', /"maxFileBytes" must be a positive number/],
  ];
  for (const [name, config, pattern] of cases) {
    it(`invalid .connguard.json (${name}) → exit 2 with the message`, () => {
      const dir = tempTree({ '.connguard.json': config, 'main.go': 'package main\n' });
      try {
        const r = connguard(['scan', '.'], dir);
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, /configuration error/);
        assert.match(r.stderr, pattern);
        assert.equal(r.stdout, '', 'no report for a run that did not happen');
      } finally {
        removeTree(dir);
      }
    });
  }

  it('accepts comments and trailing commas; --config that does not exist → exit 2', () => {
    const dir = tempTree({
      '.connguard.json': '{\n  // quiet for now\n  "rules": { "pool-unbounded": "off", },\n}\n',
      'main.go': 'package main\n',
    });
    try {
      assert.equal(connguard(['scan', '.'], dir).code, 0);
      const r = connguard(['scan', '.', '--config', 'missing.json'], dir);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /missing\.json: configuration file not found/);
    } finally {
      removeTree(dir);
    }
  });

  it('--output writes the report to a file', () => {
    const dir = tempTree({ 'main.go': 'package main\n' });
    try {
      const r = connguard(['scan', '.', '--format', 'json', '--output', 'reports/out.json'], dir);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, '');
      const report = JSON.parse(fs.readFileSync(path.join(dir, 'reports', 'out.json'), 'utf8'));
      assert.deepEqual(report.results.map((x: { path: string }) => x.path), ['main.go']);
    } finally {
      removeTree(dir);
    }
  });
});
