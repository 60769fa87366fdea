/**
 * Redaction audit, CLI scan surface (issue 5 item 3; SPEC §3 "No output ever contains a secret
 * value"): the planted corpus (corpus.ts) in a git repository (so that .env files count as
 * tracked), scanned with every output format; stdout and stderr must hold none of the secrets
 * in any form, while the findings that prove the secrets were seen are there.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { connguard, JsonReportOut, removeTree, tempTree } from '../cli/helpers';
import { Corpus, leaks, makeCorpus } from './corpus';

/** 1-based line of the first occurrence of `needle` in `text`. */
function lineOf(text: string, needle: string): number {
  return text.slice(0, text.indexOf(needle)).split('\n').length;
}

describe('redaction audit: CLI scan', function () {
  this.timeout(120000);
  let corpus: Corpus;
  let dir: string;
  let report: JsonReportOut;

  before(() => {
    corpus = makeCorpus();
    dir = tempTree(corpus.files);
    execFileSync('git', ['init', '-q'], { cwd: dir });
    execFileSync('git', ['add', '-A'], { cwd: dir });
    const r = connguard(['scan', '.', '--format', 'json'], dir);
    report = JSON.parse(r.stdout) as JsonReportOut;
  });

  after(() => {
    if (dir) removeTree(dir);
  });

  it('is not vacuous: every file produces its expected rule ids', () => {
    for (const [rel, rules] of Object.entries(corpus.expected)) {
      const got = new Set(report.results.find((x) => x.path === rel)?.findings.map((f) => f.ruleId) ?? []);
      for (const id of rules) assert.ok(got.has(id), `${rel}: expected ${id}, got ${[...got].join(', ')}`);
    }
  });

  it('is not vacuous: every well-formed planted secret lies on (or just above) a finding', () => {
    // The hostile files are about malformed text: what matters there is only that nothing leaks.
    const missed: string[] = [];
    for (const p of corpus.book.all) {
      const rel = Object.keys(corpus.files).find((f) => corpus.files[f].includes(p.value) || corpus.files[f].includes(encodeURIComponent(p.value)));
      assert.ok(rel, `${p.label} is planted nowhere`);
      if (rel.includes('hostile')) continue;
      const line = lineOf(corpus.files[rel], p.value);
      const findings = report.results.find((x) => x.path === rel)?.findings ?? [];
      // A logged DSN is reported on the logging call, the line after the literal.
      if (!findings.some((f) => f.range.start.line <= line + 1 && f.range.end.line >= line)) missed.push(`${p.label} (${rel}:${line})`);
    }
    assert.deepEqual(missed, [], 'planted secrets without a finding');
    assert.ok(corpus.book.all.length >= 50, `${corpus.book.all.length} secrets`);
  });

  for (const format of ['stylish', 'json', 'sarif']) {
    it(`scan --format ${format}: no secret on stdout or stderr`, () => {
      const r = connguard(['scan', '.', '--format', format], dir);
      assert.equal(r.code, 1, `${format}: ${r.stderr}`);
      assert.ok(r.stdout.includes('hardcoded-password'), `${format} output names the findings`);
      const found = leaks(corpus.book, r.stdout + r.stderr);
      assert.deepEqual(found, [], `secrets in scan --format ${format}:\n${found.join('\n')}`);
    });
  }

  it('scan --output: no secret in the written file either', () => {
    connguard(['scan', '.', '--format', 'sarif', '--output', 'out.sarif'], dir);
    const written = execFileSync('cat', ['out.sarif'], { cwd: dir, encoding: 'utf8' });
    assert.ok(written.includes('"ruleId"'));
    assert.deepEqual(leaks(corpus.book, written), []);
  });

  it('rules: no secret (the catalogue never sees source text, checked anyway)', () => {
    const r = connguard(['rules'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(leaks(corpus.book, r.stdout + r.stderr), []);
  });

  it('malformed URLs whose password holds an unescaped "/", "?" or "#" are reported, not misread', () => {
    for (const rel of ['hostile.go', 'hostile.ts', '.env.hostile']) {
      const ids = report.results.find((x) => x.path === rel)?.findings.map((f) => `${f.ruleId}: ${f.message}`) ?? [];
      assert.ok(
        ids.some((m) => m.startsWith('dsn-invalid') && m.includes('unescaped')),
        `${rel}: ${ids.join('\n')}`,
      );
    }
  });
});
