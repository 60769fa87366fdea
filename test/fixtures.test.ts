/**
 * Generic runner for the annotated rule fixtures (semgrep style, see test/support/annotations.ts).
 *
 * For every file test/fixtures/<rule-id>/<case>.<ext> (except `*.fixed.*`):
 *  - the file is analysed with the real engine under DEFAULT_SETTINGS, with its *basename* as the
 *    logical path (the fixtures live under a `fixtures/` directory, which the engine would
 *    otherwise treat as test code and relax transport rules for);
 *  - one test per annotation: `ruleid` → a finding of that rule starts on the target line;
 *    `ok` → none does;
 *  - one test per file: every finding of a rule annotated anywhere in the file starts on a line
 *    annotated for that rule (no unexpected findings). Rules not annotated in a file are not
 *    checked there, so a realistic line may also trigger other rules;
 *  - `todoruleid`/`todook` are known gaps: they never fail, and a summary at the end lists them
 *    (and says when one has started to pass and can be promoted);
 *  - when `<case>.fixed.<ext>` exists: applying every edit of every *preferred* fix of every
 *    finding must give exactly that file.
 *
 * The tests are compiled to out/test/, so fixtures are resolved from the repository root.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULE_IDS } from '../shared/src/rules';
import { analyzeText, applyEdits, FileAnalysis, initEngine } from '../server/src/engine/scan';
import { DEFAULT_SETTINGS } from '../server/src/engine/settings';
import { Finding } from '../server/src/engine/model';
import { Annotation, lineAt, lineStartsOf, parseAnnotations } from './support/annotations';

const FIXTURES = path.resolve(__dirname, '../../test/fixtures');

export { parseAnnotations } from './support/annotations';

/** `<case>.fixed.<ext>` for `<case>.<ext>` (the first dot separates the case name). */
function fixedPathOf(file: string): string {
  const dir = path.dirname(file);
  const base = path.basename(file);
  const dot = base.indexOf('.', 1);
  return dot === -1 ? path.join(dir, `${base}.fixed`) : path.join(dir, `${base.slice(0, dot)}.fixed${base.slice(dot)}`);
}

function isFixedFile(name: string): boolean {
  return /\.fixed(\.|$)/.test(name);
}

function listFixtureFiles(): { ruleId: string; file: string }[] {
  if (!fs.existsSync(FIXTURES)) return [];
  const out: { ruleId: string; file: string }[] = [];
  for (const ruleId of fs.readdirSync(FIXTURES).sort()) {
    const dir = path.join(FIXTURES, ruleId);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const name of fs.readdirSync(dir).sort()) {
      const file = path.join(dir, name);
      if (fs.statSync(file).isFile() && !isFixedFile(name)) out.push({ ruleId, file });
    }
  }
  return out;
}

interface Gap {
  readonly where: string;
  readonly annotation: Annotation;
  readonly ruleId: string;
  /** The engine now behaves as the annotation says it should: promote the annotation. */
  readonly nowPasses: boolean;
}

const gaps: Gap[] = [];

function describeFinding(f: Finding, starts: readonly number[]): string {
  return `${f.ruleId} at line ${lineAt(starts, f.range.start) + 1}: ${f.message}`;
}

describe('rule fixtures (test/fixtures/<rule-id>/*)', () => {
  before(async function () {
    this.timeout(60000);
    await initEngine();
  });

  after(() => {
    if (gaps.length === 0) return;
    const open = gaps.filter((g) => !g.nowPasses);
    const promoted = gaps.filter((g) => g.nowPasses);
    console.log(`\n  fixture known gaps: ${open.length} open, ${promoted.length} now passing (todoruleid/todook)`);
    for (const g of gaps) {
      const state = g.nowPasses ? 'now passes — promote to ' + (g.annotation.kind === 'todoruleid' ? 'ruleid' : 'ok') : 'open';
      console.log(`    ${g.where}:${g.annotation.targetLine + 1} ${g.annotation.kind}: ${g.ruleId} (${state})`);
    }
  });

  it('every fixture directory is a rule id', () => {
    if (!fs.existsSync(FIXTURES)) return;
    const dirs = fs.readdirSync(FIXTURES).filter((d) => fs.statSync(path.join(FIXTURES, d)).isDirectory());
    assert.deepEqual(dirs.filter((d) => !RULE_IDS.includes(d)), []);
  });

  const byRule = new Map<string, string[]>();
  for (const { ruleId, file } of listFixtureFiles()) byRule.set(ruleId, [...(byRule.get(ruleId) ?? []), file]);

  for (const [ruleId, files] of byRule) {
    describe(ruleId, () => {
      for (const file of files) {
        const rel = path.relative(FIXTURES, file).replace(/\\/g, '/');
        const text = fs.readFileSync(file, 'utf8');
        const parsed = parseAnnotations(text);
        const starts = lineStartsOf(text);

        describe(path.basename(file), () => {
          let analysis: FileAnalysis | undefined;
          const findingLines = (id: string): number[] =>
            (analysis?.findings ?? []).filter((f) => f.ruleId === id).map((f) => lineAt(starts, f.range.start));

          before(() => {
            analysis = analyzeText(path.basename(file), text, DEFAULT_SETTINGS);
            for (const a of parsed.annotations) {
              if (a.kind !== 'todoruleid' && a.kind !== 'todook') continue;
              for (const id of a.ruleIds) {
                const found = findingLines(id).includes(a.targetLine);
                gaps.push({ where: rel, annotation: a, ruleId: id, nowPasses: a.kind === 'todoruleid' ? found : !found });
              }
            }
          });

          it('annotations are well-formed and name known rules', () => {
            assert.deepEqual(parsed.errors, []);
            const unknown = parsed.annotations.flatMap((a) => a.ruleIds).filter((id) => !RULE_IDS.includes(id));
            assert.deepEqual(unknown, [], 'unknown rule ids in annotations');
            assert.ok(parsed.annotations.length > 0, 'a fixture without annotations checks nothing');
          });

          it('analysis reports no internal error', () => {
            const internal = (analysis?.notes ?? []).filter((n) => n.kind === 'internal-error');
            assert.deepEqual(internal, []);
          });

          for (const a of parsed.annotations) {
            if (a.kind !== 'ruleid' && a.kind !== 'ok') continue;
            for (const id of a.ruleIds) {
              const lineNo = a.targetLine + 1;
              const code = (text.split('\n')[a.targetLine] ?? '').trim();
              const shown = code.length > 70 ? code.slice(0, 67) + '...' : code;
              it(`line ${lineNo} ${a.kind}: ${id} — ${shown}`, () => {
                const lines = findingLines(id);
                const all = (analysis?.findings ?? []).map((f) => describeFinding(f, starts));
                if (a.kind === 'ruleid') {
                  assert.ok(lines.includes(a.targetLine), `expected a ${id} finding starting on line ${lineNo} of ${rel}; findings in file:\n  ${all.join('\n  ') || '(none)'}`);
                } else {
                  assert.ok(!lines.includes(a.targetLine), `expected no ${id} finding on line ${lineNo} of ${rel}; got:\n  ${all.filter((s) => s.startsWith(id + ' ')).join('\n  ')}`);
                }
              });
            }
          }

          it('no unexpected findings of the annotated rules', () => {
            const annotated = new Set(parsed.annotations.flatMap((a) => a.ruleIds));
            const unexpected: string[] = [];
            for (const f of analysis?.findings ?? []) {
              if (!annotated.has(f.ruleId)) continue;
              const line = lineAt(starts, f.range.start);
              const covered = parsed.annotations.some(
                (a) => a.targetLine === line && a.kind !== 'ok' && a.ruleIds.includes(f.ruleId),
              );
              if (!covered) unexpected.push(describeFinding(f, starts));
            }
            assert.deepEqual(unexpected, [], `findings on lines without a ruleid annotation in ${rel}`);
          });

          const fixedFile = fixedPathOf(file);
          if (fs.existsSync(fixedFile)) {
            it(`preferred fixes give ${path.basename(fixedFile)}`, () => {
              const edits = (analysis?.findings ?? []).flatMap((f) => f.fixes.filter((x) => x.preferred).flatMap((x) => x.edits));
              assert.ok(edits.length > 0, 'no preferred fix offered');
              assert.equal(applyEdits(text, edits), fs.readFileSync(fixedFile, 'utf8'));
            });
          }
        });
      }
    });
  }
});

describe('fixture annotation parser', () => {
  it('attaches an annotation to the next code line, skipping blanks, annotations and suppressions', () => {
    const text = [
      'package main', // 0
      '// ruleid: tls-disabled', // 1
      '', // 2
      '// ok: tls-cert-unverified, tls-hostname-unverified -- require is unverified, not hostname', // 3
      '// connguard-ignore-next-line connect-timeout-missing -- bounded by ctx', // 4
      'db, err := sql.Open("pgx", dsn)', // 5
    ].join('\n');
    const { annotations, errors } = parseAnnotations(text);
    assert.deepEqual(errors, []);
    assert.deepEqual(
      annotations.map((a) => [a.kind, a.ruleIds, a.annotationLine, a.targetLine]),
      [
        ['ruleid', ['tls-disabled'], 1, 5],
        ['ok', ['tls-cert-unverified', 'tls-hostname-unverified'], 3, 5],
      ],
    );
  });

  it('reads # comments (env/YAML/TOML) and todo kinds, with CRLF line ends', () => {
    const text = '# todoruleid: tls-version-outdated\r\nA=1\r\n  # todook: hardcoded-password\r\n  password: changeme\r\n';
    const { annotations, errors } = parseAnnotations(text);
    assert.deepEqual(errors, []);
    assert.deepEqual(annotations.map((a) => [a.kind, a.ruleIds[0], a.targetLine]), [
      ['todoruleid', 'tls-version-outdated', 1],
      ['todook', 'hardcoded-password', 3],
    ]);
  });

  it('reports an annotation with no code after it, or without a rule id', () => {
    const { annotations, errors } = parseAnnotations('x := 1\n// ok:\n// ruleid: secret-logged\n\n');
    assert.equal(annotations.length, 0);
    assert.equal(errors.length, 2);
    assert.match(errors[0], /names no rule id/);
    assert.match(errors[1], /not followed by any code/);
  });

  it('ignores ordinary comments and annotation words inside code', () => {
    const text = '// ok, this is a comment\nconst s = "// ruleid: tls-disabled";\n// okay: not an annotation\n';
    assert.deepEqual(parseAnnotations(text).annotations, []);
  });

  it('maps offsets to 0-based lines', () => {
    const starts = lineStartsOf('ab\ncd\n\nef');
    assert.deepEqual([0, 2, 3, 5, 6, 7, 9].map((o) => lineAt(starts, o)), [0, 0, 1, 1, 2, 3, 3]);
  });

  it('names the .fixed file after the first dot of the case name', () => {
    assert.equal(path.basename(fixedPathOf('/x/pgx-sslmode.go')), 'pgx-sslmode.fixed.go');
    assert.equal(path.basename(fixedPathOf('/x/production.env')), 'production.fixed.env');
    assert.ok(isFixedFile('pgx-sslmode.fixed.go'));
    assert.ok(!isFixedFile('fixedpool.go'));
  });
});
