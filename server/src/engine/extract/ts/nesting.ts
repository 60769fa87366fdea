/**
 * Guard against pathological nesting for the TypeScript parser, which recurses on tree depth (a
 * few thousand nested brackets exhaust Node's stack), and for the recursive parts of the
 * extractor (scope tables, binding patterns, the evaluator). Code nested that deeply never holds a
 * connection configuration worth reading, so instead of losing the whole file, the contents of
 * brackets nested deeper than a limit are blanked out — replaced by spaces, newlines kept — so
 * every offset in the file stays the same and the shallow parts (imports, pool configs) are still
 * extracted.
 *
 * The scan skips string, template and comment contents (approximately: template `${}` nesting is
 * tracked as brackets), which is enough to count nesting honestly; it is linear in the text.
 */
import type { Range } from '../../model';
import { blankSpans } from '../../spans';

/** Nesting depth beyond which bracket contents are blanked. */
export const MAX_NESTING = 150;

/** The text unchanged when nothing is nested deeper than `limit`, else a masked copy. */
export function maskDeepNesting(text: string, limit = MAX_NESTING): { text: string; masked: boolean } {
  let depth = 0;
  let maskFrom = -1; // start of the current masked run (inside a bracket at depth limit)
  const runs: Range[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    // Strings and comments (approximate: no regex literals).
    if (c === 0x22 || c === 0x27) {
      // " or '
      i++;
      while (i < n && text.charCodeAt(i) !== c && text.charCodeAt(i) !== 0x0a) i += text.charCodeAt(i) === 0x5c ? 2 : 1;
      i++;
      continue;
    }
    if (c === 0x2f && text.charCodeAt(i + 1) === 0x2f) {
      while (i < n && text.charCodeAt(i) !== 0x0a) i++;
      continue;
    }
    if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
      continue;
    }
    if (c === 0x28 || c === 0x5b || c === 0x7b) {
      depth++;
      if (depth === limit + 1 && maskFrom < 0) maskFrom = i;
    } else if (c === 0x29 || c === 0x5d || c === 0x7d) {
      if (depth === limit + 1 && maskFrom >= 0) {
        runs.push({ start: maskFrom, end: i + 1 });
        maskFrom = -1;
      }
      if (depth > 0) depth--;
    }
    i++;
  }
  if (maskFrom >= 0) runs.push({ start: maskFrom, end: n });
  if (runs.length === 0) return { text, masked: false };
  return { text: blankSpans(text, runs), masked: true };
}
