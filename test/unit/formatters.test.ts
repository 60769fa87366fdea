/**
 * Report formatters (stylish, JSON, SARIF) on hand-built results: 1-based UTF-16 positions
 * across line-ending styles and astral characters, summaries, fixes, notes, and SARIF validity
 * against the official 2.1.0 schema. Positions are found by substring, never hard-coded offsets.
 */
import * as assert from 'node:assert/strict';
import { RULES } from '../../shared/src/rules';
import { FileResult, Finding, Range, Severity } from '../../server/src/engine/model';
import { FORMATTERS, summarize } from '../../server/src/engine/formatters/index';
import { LineIndex } from '../../server/src/engine/formatters/common';
import { buildJsonReport } from '../../server/src/engine/formatters/json';
import { buildSarif, FINGERPRINT_KEY, SarifLog } from '../../server/src/engine/formatters/sarif';
import { at } from '../support/ranges';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Ajv = require('ajv-draft-04');
const validateSarif = new Ajv({ strict: false, unicodeRegExp: false, validateFormats: false, logger: false }).compile(
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'),
);

function assertValidSarif(log: unknown): void {
  const ok = validateSarif(log);
  assert.ok(ok, JSON.stringify(validateSarif.errors, null, 2));
}

function finding(ruleId: string, severity: Severity, range: Range, extra: Partial<Finding> = {}): Finding {
  return { ruleId, severity, range, message: `${ruleId} message`, fixes: [], related: [], fingerprint: `fp-${ruleId}-${range.start}`, ...extra };
}

const OPTS = { toolVersion: '9.9.9' };
const ROOT = '/repo';

// A Go file with CRLF line endings and an emoji (two UTF-16 units) before the finding.
const GO = 'package main\r\n\r\n// 🐘 db\r\nvar db, _ = sql.Open("pgx", "postgres://u@db.example.com/app?sslmode=disable")\r\n';
const ENV = 'DB_PASSWORD=hunter2hunter2\nAPP=1\n';

function sample(): { results: FileResult[]; texts: Map<string, string> } {
  const sslmode = at(GO, 'sslmode=disable');
  const value = at(GO, 'disable');
  const results: FileResult[] = [
    {
      path: 'cmd/main.go',
      findings: [
        finding('tls-disabled', 'error', sslmode, {
          message: 'TLS is disabled (pgx: sslmode=disable).',
          fixes: [
            { title: 'Use sslmode=verify-full', preferred: true, edits: [{ range: value, newText: 'verify-full' }] },
            { title: 'Use sslmode=require', preferred: false, edits: [{ range: value, newText: 'require' }] },
          ],
          related: [{ range: at(GO, 'sql.Open'), message: 'opened here' }],
        }),
        finding('connect-timeout-missing', 'information', at(GO, '"postgres://u@db.example.com/app?sslmode=disable"')),
        finding('timezone-unset', 'hint', at(GO, 'sql.Open')),
      ],
      notes: [],
    },
    { path: 'config/my app.env', findings: [finding('hardcoded-password', 'warning', at(ENV, 'DB_PASSWORD'))], notes: [] },
    { path: 'data/blob.json', findings: [], notes: [{ kind: 'skipped', message: 'skipped: binary content' }] },
    { path: 'src/clean.ts', findings: [], notes: [] },
  ];
  return { results, texts: new Map([['cmd/main.go', GO], ['config/my app.env', ENV]]) };
}

describe('formatters', () => {
  describe('LineIndex', () => {
    it('handles \\n, \\r\\n and lone \\r, 1-based, UTF-16 columns', () => {
      const idx = new LineIndex('a\nb\r\nc\rd🐘e');
      assert.deepEqual(idx.position(0), { line: 1, column: 1 });
      assert.deepEqual(idx.position(2), { line: 2, column: 1 });
      assert.deepEqual(idx.position(5), { line: 3, column: 1 });
      assert.deepEqual(idx.position(7), { line: 4, column: 1 });
      // 'e' follows a surrogate pair: column 4 in UTF-16 units.
      assert.deepEqual(idx.position(10), { line: 4, column: 4 });
      assert.deepEqual(idx.position(999), { line: 4, column: 5 });
    });
  });

  describe('summarize', () => {
    it('counts errors, warnings and infos (information + hint) and fixable findings', () => {
      const s = summarize(sample().results);
      assert.deepEqual(s, { files: 4, problems: 4, errors: 1, warnings: 1, infos: 2, fixable: 1 });
    });
  });

  describe('stylish', () => {
    it('groups by file with line:col, severity, message and rule id, then a summary', () => {
      const { results, texts } = sample();
      const out = FORMATTERS.stylish(results, ROOT, texts, OPTS);
      const lines = out.split('\n');
      const pos = new LineIndex(GO).position(GO.indexOf('sslmode=disable'));
      assert.equal(pos.line, 4);
      assert.ok(lines.includes('cmd/main.go'));
      assert.ok(lines.some((l) => l.startsWith(`  ${pos.line}:${pos.column}`) && /\serror\s+TLS is disabled \(pgx: sslmode=disable\)\.\s+tls-disabled$/.test(l)), out);
      assert.ok(lines.some((l) => /\sinfo\s+connect-timeout-missing message\s+connect-timeout-missing$/.test(l)), out);
      assert.ok(lines.some((l) => /\shint\s+/.test(l)), out);
      assert.ok(out.includes('config/my app.env\n  1:1  warning  hardcoded-password message  hardcoded-password'), out);
      assert.ok(out.includes('✖ 4 problems (1 error, 1 warning, 2 infos)'), out);
      assert.ok(out.includes('1 problem fixable with the `--fix` option.'));
      assert.ok(!out.includes('src/clean.ts'), 'files without findings are not listed');
      assert.ok(!out.includes('\u001b['), 'no colour unless asked');
      assert.ok(!out.includes('binary content'), 'notes go to stderr, not into the report');
    });

    it('uses singular forms and prints nothing for a clean run', () => {
      const one: FileResult[] = [{ path: 'a.go', findings: [finding('tls-disabled', 'error', { start: 0, end: 1 })], notes: [] }];
      assert.ok(FORMATTERS.stylish(one, ROOT, new Map([['a.go', 'x']]), OPTS).includes('✖ 1 problem (1 error, 0 warnings, 0 infos)'));
      assert.equal(FORMATTERS.stylish([{ path: 'a.go', findings: [], notes: [] }], ROOT, new Map(), OPTS), '');
    });

    it('colours only when asked', () => {
      const { results, texts } = sample();
      assert.ok(FORMATTERS.stylish(results, ROOT, texts, { ...OPTS, color: true }).includes('\u001b[31m'));
    });
  });

  describe('json', () => {
    it('lists every file with 1-based ranges, fixes, notes and a summary', () => {
      const { results, texts } = sample();
      const out = FORMATTERS.json(results, ROOT, texts, OPTS);
      const report = JSON.parse(out);
      assert.deepEqual(report, JSON.parse(JSON.stringify(buildJsonReport(results, texts, OPTS))));
      assert.equal(report.version, 1);
      assert.equal(report.toolVersion, '9.9.9');
      assert.deepEqual(report.results.map((r: { path: string }) => r.path), ['cmd/main.go', 'config/my app.env', 'data/blob.json', 'src/clean.ts']);
      const f = report.results[0].findings[0];
      const idx = new LineIndex(GO);
      const r = at(GO, 'sslmode=disable');
      assert.deepEqual(f.range, { start: idx.position(r.start), end: idx.position(r.end) });
      assert.equal(f.range.start.line, 4);
      // The emoji is on line 3, so line 4's column is plain: the column of "sslmode" in its line + 1.
      assert.equal(f.range.start.column, GO.split('\r\n')[3].indexOf('sslmode') + 1);
      assert.equal(f.ruleId, 'tls-disabled');
      assert.equal(f.severity, 'error');
      assert.equal(f.fingerprint, `fp-tls-disabled-${r.start}`);
      assert.equal(f.fixes.length, 2);
      assert.equal(f.fixes[0].preferred, true);
      assert.equal(f.fixes[0].edits[0].newText, 'verify-full');
      assert.deepEqual(f.fixes[0].edits[0].offset, at(GO, 'disable'));
      assert.equal(f.related[0].message, 'opened here');
      assert.deepEqual(report.results[2].notes, [{ kind: 'skipped', message: 'skipped: binary content' }]);
      assert.deepEqual(report.summary, { files: 4, problems: 4, errors: 1, warnings: 1, infos: 2, fixable: 1, fixedFiles: 0 });
      assert.deepEqual(report.runNotes, []);
    });
  });

  describe('sarif', () => {
    it('is valid SARIF 2.1.0 with all rules, levels, relative locations, fingerprints and preferred fixes', () => {
      const { results, texts } = sample();
      const out = FORMATTERS.sarif(results, ROOT, texts, OPTS);
      const log = JSON.parse(out) as SarifLog;
      assertValidSarif(log);
      assert.equal(log.version, '2.1.0');
      assert.ok(log.$schema.includes('sarif'));
      assert.equal(log.runs.length, 1);
      const run = log.runs[0];
      assert.equal(run.tool.driver.name, 'ConnGuard');
      assert.equal(run.tool.driver.version, '9.9.9');
      assert.equal(run.columnKind, 'utf16CodeUnits');
      assert.equal(run.originalUriBaseIds['%SRCROOT%'].uri, 'file:///repo/');
      const rules = run.tool.driver.rules;
      assert.equal(rules.length, 18);
      assert.deepEqual(rules.map((r) => r.id), RULES.map((r) => r.id));
      const tls = rules[0];
      assert.equal(tls.helpUri, 'https://github.com/connguard/connguard/blob/main/docs/rules/tls-disabled.md');
      assert.equal(tls.defaultConfiguration?.level, 'error');
      assert.ok(tls.properties?.tags.includes('external/cwe/cwe-319'));
      assert.equal(rules.find((r) => r.id === 'iam-auth-not-used')?.defaultConfiguration?.level, 'note');

      assert.equal(run.results.length, 4);
      const [r0, r1, r2, r3] = run.results;
      assert.equal(r0.ruleId, 'tls-disabled');
      assert.equal(r0.ruleIndex, RULES.findIndex((r) => r.id === 'tls-disabled'));
      assert.equal(r0.level, 'error');
      assert.equal(r1.level, 'note', 'information → note');
      assert.equal(r2.level, 'note', 'hint → note');
      assert.equal(r3.level, 'warning');
      assert.equal(r0.message.text, 'TLS is disabled (pgx: sslmode=disable).');
      const loc = r0.locations[0].physicalLocation;
      assert.deepEqual(loc.artifactLocation, { uri: 'cmd/main.go', uriBaseId: '%SRCROOT%' });
      const idx = new LineIndex(GO);
      const rg = at(GO, 'sslmode=disable');
      const s = idx.position(rg.start);
      const e = idx.position(rg.end);
      assert.deepEqual(loc.region, { startLine: s.line, startColumn: s.column, endLine: e.line, endColumn: e.column });
      assert.deepEqual(r0.partialFingerprints, { [FINGERPRINT_KEY]: `fp-tls-disabled-${rg.start}` });
      assert.equal(r0.fixes?.length, 1, 'only the preferred fix');
      const rep = r0.fixes![0].artifactChanges[0].replacements[0];
      assert.equal(rep.insertedContent.text, 'verify-full');
      assert.equal(rep.deletedRegion.charOffset, GO.indexOf('disable"'));
      assert.equal(rep.deletedRegion.charLength, 'disable'.length);
      assert.equal(r0.relatedLocations?.[0].message?.text, 'opened here');
      assert.equal(r1.fixes, undefined);
      assert.equal(r3.locations[0].physicalLocation.artifactLocation.uri, 'config/my%20app.env');

      const notes = run.invocations[0].toolExecutionNotifications;
      assert.equal(notes.length, 1);
      assert.equal(notes[0].message.text, 'data/blob.json: skipped: binary content');
      assert.equal(notes[0].locations?.[0].physicalLocation.artifactLocation.uri, 'data/blob.json');
    });

    it('always has a results array, also when clean, and stays valid with run notes', () => {
      const log = buildSarif([{ path: 'a.go', findings: [], notes: [] }], ROOT, new Map(), { ...OPTS, runNotes: ['git was not found'] });
      assertValidSarif(JSON.parse(JSON.stringify(log)));
      assert.deepEqual(log.runs[0].results, []);
      assert.equal(log.runs[0].invocations[0].toolExecutionNotifications[0].message.text, 'git was not found');
      const empty = JSON.parse(FORMATTERS.sarif([], ROOT, new Map(), OPTS));
      assertValidSarif(empty);
      assert.deepEqual(empty.runs[0].results, []);
    });

    it('uses absolute file URIs for files outside the root', () => {
      const log = buildSarif([{ path: '../other/x.go', findings: [finding('tls-disabled', 'error', { start: 0, end: 1 })], notes: [] }], ROOT, new Map([['../other/x.go', 'x']]), OPTS);
      assertValidSarif(JSON.parse(JSON.stringify(log)));
      assert.deepEqual(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation, { uri: 'file:///other/x.go' });
    });
  });

  it('never prints source text: a secret in the file but not in a message appears in no format', () => {
    const { results, texts } = sample();
    for (const name of ['stylish', 'json', 'sarif'] as const) {
      const out = FORMATTERS[name](results, ROOT, texts, OPTS);
      assert.ok(!out.includes('hunter2hunter2'), name);
    }
  });
});
