/**
 * JSON formatter: the machine-readable report, one entry per scanned file (also files without
 * findings, so consumers can see what was read). Positions are 1-based lines and columns in
 * UTF-16 code units; `end` is exclusive (the column after the last character), as in SARIF.
 * Fix edits carry both the 0-based offsets the engine uses and 1-based ranges.
 *
 * Shape (`version` is the report format version, `toolVersion` ConnGuard's):
 *   { version, toolVersion, results: [{ path, findings: [{ ruleId, severity, message, range,
 *     fixes: [{ title, preferred, edits }], related, fingerprint }], notes }], runNotes, summary }
 */
import { FileResult } from '../model';
import { FormatOptions, Position1, PositionResolver, summarize, Summary } from './common';

export const JSON_REPORT_VERSION = 1;

export interface JsonRange {
  readonly start: Position1;
  readonly end: Position1;
}

export interface JsonEdit {
  readonly range: JsonRange;
  /** 0-based UTF-16 offsets into the file text, `[start, end)`. */
  readonly offset: { readonly start: number; readonly end: number };
  readonly newText: string;
}

export interface JsonFinding {
  readonly ruleId: string;
  readonly severity: string;
  readonly message: string;
  readonly range: JsonRange;
  readonly fixes: readonly { readonly title: string; readonly preferred: boolean; readonly edits: readonly JsonEdit[] }[];
  readonly related: readonly { readonly range: JsonRange; readonly message: string }[];
  readonly fingerprint: string;
}

export interface JsonReport {
  readonly version: number;
  readonly toolVersion: string;
  readonly results: readonly {
    readonly path: string;
    readonly findings: readonly JsonFinding[];
    readonly notes: readonly { readonly kind: string; readonly message: string }[];
  }[];
  readonly runNotes: readonly string[];
  readonly summary: Summary & { readonly fixedFiles: number };
}

export function buildJsonReport(
  results: readonly FileResult[],
  texts: ReadonlyMap<string, string>,
  options: FormatOptions,
): JsonReport {
  const positions = new PositionResolver(texts);
  return {
    version: JSON_REPORT_VERSION,
    toolVersion: options.toolVersion,
    results: results.map((r) => {
      const range = (start: number, end: number): JsonRange => ({
        start: positions.position(r.path, start),
        end: positions.position(r.path, end),
      });
      return {
        path: r.path,
        findings: r.findings.map((f) => ({
          ruleId: f.ruleId,
          severity: f.severity,
          message: f.message,
          range: range(f.range.start, f.range.end),
          fixes: f.fixes.map((x) => ({
            title: x.title,
            preferred: x.preferred,
            edits: x.edits.map((e) => ({
              range: range(e.range.start, e.range.end),
              offset: { start: e.range.start, end: e.range.end },
              newText: e.newText,
            })),
          })),
          related: f.related.map((x) => ({ range: range(x.range.start, x.range.end), message: x.message })),
          fingerprint: f.fingerprint,
        })),
        notes: r.notes.map((n) => ({ kind: n.kind, message: n.message })),
      };
    }),
    runNotes: [...(options.runNotes ?? [])],
    summary: { ...summarize(results), fixedFiles: options.fixedFiles ?? 0 },
  };
}

export function formatJson(
  results: readonly FileResult[],
  _root: string,
  texts: ReadonlyMap<string, string>,
  options: FormatOptions,
): string {
  return JSON.stringify(buildJsonReport(results, texts, options), null, 2) + '\n';
}
