/**
 * Parser for semgrep-style fixture annotations (test/fixtures/<rule-id>/<case>.<ext>).
 *
 * An annotation is a whole-line comment (`//` in Go/TS/JSONC/Prisma, `#` in .env/YAML/TOML/
 * properties) of the form
 *
 *     // ruleid: tls-disabled, tls-cert-unverified -- optional note
 *     # ok: hardcoded-password
 *
 * and applies to the next line that is neither blank, nor an annotation, nor a
 * `connguard-ignore-*` suppression directive (so that a suppression can sit directly above the code
 * it suppresses while the annotation sits above the suppression).
 *
 *   ruleid      a finding of that rule must START on the target line
 *   ok          no finding of that rule starts on the target line
 *   todoruleid  known gap: a finding should start there but the engine does not report it yet
 *   todook      known gap: no finding should start there but the engine reports one
 *
 * The parser never throws: problems (an annotation with no code after it, no rule id) are
 * returned as `errors` so that the runner can fail the fixture with a clear message.
 */

export type AnnotationKind = 'ruleid' | 'ok' | 'todoruleid' | 'todook';

export interface Annotation {
  readonly kind: AnnotationKind;
  readonly ruleIds: readonly string[];
  /** 0-based line of the annotation comment itself. */
  readonly annotationLine: number;
  /** 0-based line of the code the annotation is about. */
  readonly targetLine: number;
}

export interface ParsedAnnotations {
  readonly annotations: Annotation[];
  readonly errors: string[];
}

// One comment marker, the kind, a colon and the rest of the line. Linear: no nested quantifiers.
const ANNOTATION = /^\s*(?:\/\/|#)\s*(todoruleid|todook|ruleid|ok)\s*:(.*)$/;
const SUPPRESSION = /^\s*(?:\/\/|#)\s*connguard-ignore-/;
const RULE_ID = /^[a-z][a-z0-9-]*$/;

/** Splits text into lines the way the engine counts them (`\n`; a trailing `\r` is dropped). */
export function splitLines(text: string): string[] {
  return text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

function parseIds(rest: string): string[] {
  // `-- note` ends the id list.
  const sep = rest.indexOf(' --');
  const body = sep === -1 ? rest : rest.slice(0, sep);
  return body
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export function parseAnnotations(text: string): ParsedAnnotations {
  const lines = splitLines(text);
  const annotations: Annotation[] = [];
  const errors: string[] = [];
  const pending: { kind: AnnotationKind; ruleIds: string[]; line: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const m = ANNOTATION.exec(line);
    if (m) {
      const ids = parseIds(m[2]);
      const bad = ids.filter((id) => !RULE_ID.test(id));
      if (ids.length === 0) errors.push(`line ${i + 1}: annotation "${m[1]}:" names no rule id`);
      else if (bad.length) errors.push(`line ${i + 1}: malformed rule id(s) ${bad.map((b) => JSON.stringify(b)).join(', ')}`);
      else pending.push({ kind: m[1] as AnnotationKind, ruleIds: ids, line: i });
      continue;
    }
    if (line.trim() === '' || SUPPRESSION.test(line)) continue;
    for (const p of pending) annotations.push({ kind: p.kind, ruleIds: p.ruleIds, annotationLine: p.line, targetLine: i });
    pending.length = 0;
  }
  for (const p of pending) errors.push(`line ${p.line + 1}: annotation "${p.kind}: ${p.ruleIds.join(', ')}" is not followed by any code`);
  return { annotations, errors };
}

/** 0-based line of a 0-based UTF-16 offset (the engine's offset unit, see engine/model.ts). */
export function lineAt(lineStarts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}
