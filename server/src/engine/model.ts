/**
 * Core data model of the engine: source ranges, findings and fixes.
 *
 * Contract: every offset in the engine is a 0-based UTF-16 code-unit offset into the file text
 * as the engine received it (the same unit JavaScript strings and LSP `utf-16` positions use).
 * Only the LSP layer converts offsets to line/character, and only formatters produce 1-based
 * line/column numbers.
 */

/** A half-open span `[start, end)` of UTF-16 offsets into one file's text. */
export interface Range {
  readonly start: number;
  readonly end: number;
}

export function range(start: number, end: number): Range {
  return { start, end };
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** One text replacement, offsets into the original text. An insertion has start === end. */
export interface TextEdit {
  readonly range: Range;
  readonly newText: string;
}

/**
 * A fix offered for a finding. `preferred` fixes remove the weakness and otherwise keep
 * behaviour (SPEC §2); `connguard scan --fix` applies only those. Everything else is a
 * suggestion: shown in the editor, never applied in bulk.
 */
export interface Fix {
  readonly title: string;
  readonly preferred: boolean;
  readonly edits: readonly TextEdit[];
}

/** Another place that matters for a finding (the RegisterTLSConfig behind `tls=custom`, …). */
export interface RelatedLocation {
  readonly range: Range;
  readonly message: string;
}

/**
 * A rule violation. `message` must never contain a secret value: the engine redacts before a
 * finding is built (see redact.ts), and the secret-leak tests check every output format.
 */
export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly range: Range;
  readonly message: string;
  readonly fixes: readonly Fix[];
  readonly related: readonly RelatedLocation[];
  /** Stable across unrelated edits: rule id + a hash of the normalized offending token. */
  readonly fingerprint: string;
}

/** A note about the file as a whole (skipped because too large, binary, parse error…). */
export interface FileNote {
  readonly kind: 'skipped' | 'parse-error' | 'internal-error' | 'config-error';
  readonly message: string;
}

export interface FileResult {
  /** Path relative to the scan root, with `/` separators. */
  readonly path: string;
  readonly findings: Finding[];
  readonly notes: FileNote[];
}
