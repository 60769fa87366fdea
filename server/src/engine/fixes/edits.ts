/**
 * Building blocks for fixes: text edits on connection strings and option objects, computed from
 * the ranges the extractors and DSN parsers recorded. Driver modules decide *what* to change
 * (e.g. pgx → `sslmode=verify-full`); this module only knows *how* to change text safely.
 *
 * Contract: a helper returns undefined when it cannot produce an exact edit (the value came
 * through a constant defined elsewhere, an escape sequence, a hole). A wrong edit is worse than
 * none.
 */
import { Fix, Range, TextEdit } from '../model';
import { DsnParam, DsnPart, ParsedDsn } from '../dsn/types';
import { DsnInput, Prop, Val } from '../extract/values';
import { HOLE, SrcString } from '../srcstring';

export function replace(range: Range, newText: string): TextEdit {
  return { range, newText };
}

export function fix(title: string, preferred: boolean, edits: readonly (TextEdit | undefined)[]): Fix[] {
  if (edits.length === 0 || edits.some((e) => e === undefined)) return [];
  return [{ title, preferred, edits: edits as TextEdit[] }];
}

/** Replaces a DSN part's raw value (exact ranges only). */
export function replaceDsnValue(part: DsnPart | undefined, newValue: string): TextEdit | undefined {
  if (!part || !part.exact) return undefined;
  return { range: part.range, newText: newValue };
}

/**
 * Sets `key=value` in a connection string: replaces the value of the parameter the consumer uses
 * when present, otherwise appends the parameter at the end of the literal when that is possible.
 */
export function setDsnParam(dsn: ParsedDsn, input: DsnInput | undefined, existing: DsnParam | undefined, key: string, value: string): TextEdit | undefined {
  if (existing) return replaceDsnValue(existing, value);
  if (!input || !input.appendable || !endsInDsnLiteral(dsn.source)) return undefined;
  const end = dsn.source.rangeOf(dsn.source.length, dsn.source.length);
  return { range: end, newText: `${dsn.appendPrefix}${key}=${value}` };
}

/** Characters that separate the parts of a connection string in the grammars ConnGuard parses. */
const DSN_SEPARATORS = new Set(['?', '&', ';', '=', '/', '@', ':', '(', ')', ' ']);

/**
 * Whether text inserted at the end of `s` provably lands at the end of the connection string, in
 * its parameter part: the last separator of the string and everything after it come from one
 * source literal, character for character. The literal is then a piece of connection-string
 * syntax (`…?sslmode=disable`, `…/db`, `host=h dbname=d`), not a value composed into one — a
 * database name passed to `%s`, an env default, a url.Values entry that Encode escapes — where
 * the insertion would change that value instead (and every other use of it).
 */
export function endsInDsnLiteral(s: SrcString): boolean {
  const n = s.length;
  if (n === 0 || s.text[n - 1] === HOLE) return false;
  let k = n - 1;
  while (k >= 0 && !DSN_SEPARATORS.has(s.text[k])) k--;
  return k >= 0 && s.isExact(k, n);
}

/** Deletes a parameter entry together with one adjacent separator. */
export function removeDsnParam(p: DsnParam, text: string): TextEdit | undefined {
  const { start, end } = p.entryRange;
  const before = text[start - 1];
  const after = text[end];
  // Prefer eating the separator after the entry (`a=1&b=2` → `b=2`), else the one before (`?a=1` stays valid as `?`).
  if (after === '&' || after === ';' || after === ' ') return { range: { start, end: end + 1 }, newText: '' };
  if (before === '&' || before === ';' || before === ' ') return { range: { start: start - 1, end }, newText: '' };
  if (before === '?' && (after === undefined || after === '"' || after === '`' || after === "'")) return { range: { start: start - 1, end }, newText: '' };
  return { range: { start, end }, newText: '' };
}

/** Replaces a value written directly in the source (literal, identifier) with `newText`. */
export function replaceVal(v: Val | undefined, newText: string): TextEdit | undefined {
  if (!v) return undefined;
  return { range: v.range, newText };
}

/**
 * Inserts a property (`key: value` in TS, `Key: value` in Go) into an object/composite literal,
 * keeping the literal's layout: on its own line with the indentation of the last property for
 * multi-line literals, inline otherwise. `propText` is the property without separators.
 */
export function insertProperty(text: string, obj: Val | undefined, propText: string): TextEdit | undefined {
  if (!obj || obj.k !== 'obj') return undefined;
  const close = obj.range.end - 1;
  if (text[close] !== '}') return undefined;
  // The last character of the last element: back over whitespace and comments (a separator
  // written after `// a comment` would be part of the comment).
  let i = close - 1;
  for (let guard = 0; guard < 1000; guard++) {
    while (i > obj.range.start && /\s/.test(text[i])) i--;
    if (text[i] === '/' && text[i - 1] === '*') {
      const open = text.lastIndexOf('/*', i - 2);
      if (open > obj.range.start) {
        i = open - 1;
        continue;
      }
    }
    const comment = lineCommentStart(text, text.lastIndexOf('\n', i) + 1, i + 1);
    if (comment > obj.range.start) {
      i = comment - 1;
      continue;
    }
    break;
  }
  const last = text[i];
  // New lines in the file's own line ending.
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const empty = last === '{';
  const multiline = text.slice(obj.range.start, close).includes('\n');
  if (multiline) {
    const lastProp = obj.props[obj.props.length - 1];
    let indent = '  ';
    if (lastProp) {
      const lineStart = text.lastIndexOf('\n', lastProp.range.start) + 1;
      indent = /^[ \t]*/.exec(text.slice(lineStart, lastProp.range.start))?.[0] ?? indent;
    } else {
      const lineStart = text.lastIndexOf('\n', obj.range.start) + 1;
      indent = (/^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '') + '  ';
    }
    const sep = empty || last === ',' ? '' : ',';
    return { range: { start: i + 1, end: i + 1 }, newText: `${sep}${eol}${indent}${propText},` };
  }
  if (empty) return { range: { start: i + 1, end: close }, newText: ` ${propText} ` };
  const sep = last === ',' ? ' ' : ', ';
  return { range: { start: i + 1, end: i + 1 }, newText: `${sep}${propText}` };
}

/**
 * Deletes a property written in an object literal (`key: value` and its comma); a property alone
 * on its line takes the whole line with it. Undefined when the property is not written there
 * (it came through a spread).
 */
export function removeProperty(text: string, obj: Val | undefined, p: Prop | undefined): TextEdit | undefined {
  if (!obj || obj.k !== 'obj' || !p || p.range.start < obj.range.start || p.range.end > obj.range.end) return undefined;
  let end = p.range.end;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
  if (text[end] === ',') end++;
  const lineStart = text.lastIndexOf('\n', p.range.start - 1) + 1;
  const lineEnd = text.indexOf('\n', end);
  const alone = /^[ \t]*$/.test(text.slice(lineStart, p.range.start)) && lineEnd !== -1 && /^[ \t\r]*$/.test(text.slice(end, lineEnd));
  if (alone) return { range: { start: lineStart, end: lineEnd + 1 }, newText: '' };
  while (end < text.length && text[end] === ' ') end++;
  return { range: { start: p.range.start, end }, newText: '' };
}

/** Where a `//` comment starts in text[from, to) outside string literals, or -1. */
function lineCommentStart(text: string, from: number, to: number): number {
  let quote: string | undefined;
  for (let j = from; j < to; j++) {
    const c = text[j];
    if (quote) {
      if (c === '\\') j++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '/' && text[j + 1] === '/') return j;
  }
  return -1;
}
