/**
 * What the report formatters share: their option and summary types, and the offset → 1-based
 * line/column conversion (formatters are the only place that produces 1-based positions, see
 * model.ts). Columns count UTF-16 code units, as engine offsets
 * do, so SARIF runs declare `columnKind: utf16CodeUnits`. Line terminators are `\n`, `\r\n` and a
 * lone `\r`, the same set editors and LSP use, so a CLI position matches the editor's.
 */
import { FileResult } from '../model';

export interface FormatOptions {
  /** ConnGuard version, recorded in JSON and SARIF. */
  readonly toolVersion: string;
  /** Stylish only: ANSI colours. */
  readonly color?: boolean;
  /** Notes about the run as a whole (e.g. git unavailable), not tied to one file. */
  readonly runNotes?: readonly string[];
  /** Number of files rewritten by `--fix`, reported in summaries. */
  readonly fixedFiles?: number;
}

export type Formatter = (
  results: readonly FileResult[],
  root: string,
  texts: ReadonlyMap<string, string>,
  options: FormatOptions,
) => string;

/** Counts per severity; `infos` counts information and hint findings together. */
export interface Summary {
  readonly files: number;
  readonly problems: number;
  readonly errors: number;
  readonly warnings: number;
  readonly infos: number;
  readonly fixable: number;
}

export function summarize(results: readonly FileResult[]): Summary {
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  let fixable = 0;
  for (const r of results) {
    for (const f of r.findings) {
      if (f.severity === 'error') errors++;
      else if (f.severity === 'warning') warnings++;
      else infos++;
      if (f.fixes.some((x) => x.preferred)) fixable++;
    }
  }
  return { files: results.length, problems: errors + warnings + infos, errors, warnings, infos, fixable };
}

export interface Position1 {
  /** 1-based line. */
  readonly line: number;
  /** 1-based column in UTF-16 code units. */
  readonly column: number;
}

export class LineIndex {
  /** Offset at which each line starts; lineStarts[0] === 0. */
  private readonly lineStarts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 /* \n */) this.lineStarts.push(i + 1);
      else if (c === 13 /* \r */) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.lineStarts.push(i + 1);
      }
    }
  }

  /** Position of a 0-based UTF-16 offset (clamped to the text). */
  position(offset: number): Position1 {
    const off = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= off) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: off - this.lineStarts[lo] + 1 };
  }
}

/** Caches one LineIndex per file path for a report. A missing text yields 1:1 positions. */
export class PositionResolver {
  private readonly cache = new Map<string, LineIndex>();

  constructor(private readonly texts: ReadonlyMap<string, string>) {}

  position(path: string, offset: number): Position1 {
    let idx = this.cache.get(path);
    if (!idx) {
      const text = this.texts.get(path);
      if (text === undefined) return { line: 1, column: 1 };
      idx = new LineIndex(text);
      this.cache.set(path, idx);
    }
    return idx.position(offset);
  }
}
