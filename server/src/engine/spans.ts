/**
 * Two text operations on UTF-16 offsets that keep every other offset meaningful: blanking spans
 * in place, and finding the one region in which two versions of a text differ.
 */
import type { Range } from './model';

/**
 * The text with the spans (sorted, disjoint) blanked: every character but line breaks (\n, \r,
 * U+2028, U+2029) becomes a space, so offsets, lines and columns stay exact.
 */
export function blankSpans(text: string, spans: readonly Range[]): string {
  const parts: string[] = [];
  let pos = 0;
  for (const sp of spans) {
    parts.push(text.slice(pos, sp.start), blank(text, sp.start, sp.end));
    pos = sp.end;
  }
  parts.push(text.slice(pos));
  return parts.join('');
}

function blank(text: string, start: number, end: number): string {
  let out = '';
  let run = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029) {
      if (run) out += ' '.repeat(run);
      run = 0;
      out += text[i];
    } else run++;
  }
  return run ? out + ' '.repeat(run) : out;
}

/**
 * Where `after` differs from `before`: their common prefix and suffix (never overlapping), so
 * that before[prefix, before.length - suffix) became after[prefix, after.length - suffix).
 */
export function changedRegion(before: string, after: string): { prefix: number; suffix: number } {
  const max = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < max && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < max - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  return { prefix, suffix };
}
