/**
 * `.env` files (dotenv / docker-compose env files): a line-oriented parser that keeps the exact
 * source range of every value.
 *
 * Grammar (the common subset of dotenv, dotenv-expand and docker compose):
 *   [export] KEY = value        (also `KEY: value`)
 *   value: 'literal, no escapes, may span lines'
 *        | "escapes \n \r \t \" \\ \$, may span lines, ${VAR} and $VAR interpolate"
 *        | `backtick literal`
 *        | unquoted up to the end of the line; ` #` starts a comment; ${VAR}/$VAR interpolate
 * Interpolations become holes (their value comes from the environment, never guessed).
 */
import { HOLE, SrcString } from '../../srcstring';
import { EntrySink } from './sink';

type Piece = readonly [string, number, number];

const DOUBLE_ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\', $: '$' };

function isKeyStart(c: string): boolean {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c === '_';
}

function isKeyChar(c: string): boolean {
  return isKeyStart(c) || (c >= '0' && c <= '9') || c === '.' || c === '-';
}

/** `${...}` or `$NAME` starting at `i` (text[i] === '$'): the end offset, or -1 when not a reference. */
function interpolationEnd(text: string, i: number, limit: number): number {
  if (text[i + 1] === '{') {
    const close = text.indexOf('}', i + 2);
    return close !== -1 && close < limit ? close + 1 : -1;
  }
  if (i + 1 < limit && isKeyStart(text[i + 1])) {
    let j = i + 2;
    while (j < limit && (isKeyStart(text[j]) || (text[j] >= '0' && text[j] <= '9'))) j++;
    return j;
  }
  return -1;
}

function lineNumber(text: string, offset: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

export function parseDotenv(text: string, sink: EntrySink): void {
  const n = text.length;
  let pos = 0;
  while (pos < n) {
    const eol0 = text.indexOf('\n', pos);
    const eol = eol0 === -1 ? n : eol0;
    pos = parseLine(text, pos, eol, sink);
  }
}

function skipBlanks(text: string, i: number, end: number): number {
  while (i < end && (text[i] === ' ' || text[i] === '\t')) i++;
  return i;
}

/** Parses the entry starting at `start` (line ends at `eol`); returns where the next line starts. */
function parseLine(text: string, start: number, eol: number, sink: EntrySink): number {
  const next = eol + 1;
  let i = skipBlanks(text, start, eol);
  if (i >= eol || text[i] === '#' || text[i] === '\r') return next;
  if (text.startsWith('export', i) && (text[i + 6] === ' ' || text[i + 6] === '\t')) i = skipBlanks(text, i + 6, eol);
  const keyStart = i;
  if (!isKeyStart(text[i] ?? '')) {
    sink.error(() => `.env line ${lineNumber(text, start)}: expected KEY=value`);
    return next;
  }
  while (i < eol && isKeyChar(text[i])) i++;
  const key = text.slice(keyStart, i);
  i = skipBlanks(text, i, eol);
  // `KEY: value` is accepted by dotenv too (the colon must be followed by a blank).
  const colon = text[i] === ':' && (text[i + 1] === ' ' || text[i + 1] === '\t');
  if (text[i] !== '=' && !colon) {
    // The "key" is whatever text starts the line — often a secret pasted on a line of its own
    // (a value continued on the next line): never quote it (SPEC §3, no secret in any output).
    sink.error(() => `.env line ${lineNumber(text, start)}: expected KEY=value (no '=' after the name)`);
    return next;
  }
  i = skipBlanks(text, i + 1, eol);
  const q = text[i];
  if (q === "'" || q === '"' || q === '`') {
    const close = findClosingQuote(text, i + 1, q);
    if (close === -1) {
      sink.error(() => `.env line ${lineNumber(text, start)}: unterminated ${q === '"' ? 'double' : 'single'}-quoted value for ${key}`);
      // Read the rest of the line as the value so that the part that is there is still seen.
      const end = trimEnd(text, i + 1, eol);
      sink.add({ key, path: [], value: decodeQuoted(text, i + 1, end, q), range: { start: i, end }, scalar: 'string', context: '.env file' });
      return next;
    }
    sink.add({ key, path: [], value: decodeQuoted(text, i + 1, close, q), range: { start: i, end: close + 1 }, scalar: 'string', context: '.env file' });
    const after = text.indexOf('\n', close);
    return after === -1 ? text.length : after + 1;
  }
  // Unquoted: up to a ` #` comment or the end of the line, trailing blanks trimmed.
  let end = i;
  while (end < eol && !(text[end] === '#' && end > i && (text[end - 1] === ' ' || text[end - 1] === '\t'))) end++;
  end = trimEnd(text, i, end);
  sink.add({ key, path: [], value: decodeUnquoted(text, i, end), range: { start: i, end }, scalar: 'string', context: '.env file' });
  return next;
}

function trimEnd(text: string, start: number, end: number): number {
  while (end > start && (text[end - 1] === ' ' || text[end - 1] === '\t' || text[end - 1] === '\r')) end--;
  return end;
}

function findClosingQuote(text: string, from: number, q: string): number {
  for (let i = from; i < text.length; i++) {
    if (q === '"' && text[i] === '\\') {
      i++;
      continue;
    }
    if (text[i] === q) return i;
  }
  return -1;
}

function decodeQuoted(text: string, start: number, end: number, q: string): SrcString {
  if (q !== '"') return SrcString.exact(text.slice(start, end), start);
  const pieces: Piece[] = [];
  for (let i = start; i < end; i++) {
    const c = text[i];
    if (c === '\\' && i + 1 < end) {
      const d = DOUBLE_ESCAPES[text[i + 1]];
      if (d !== undefined) {
        pieces.push([d, i, i + 2]);
        i++;
        continue;
      }
    }
    if (c === '$') {
      const j = interpolationEnd(text, i, end);
      if (j !== -1) {
        pieces.push([HOLE, i, j]);
        i = j - 1;
        continue;
      }
    }
    pieces.push([c, i, i + 1]);
  }
  return SrcString.fromPieces(pieces);
}

function decodeUnquoted(text: string, start: number, end: number): SrcString {
  const pieces: Piece[] = [];
  for (let i = start; i < end; i++) {
    if (text[i] === '$') {
      const j = interpolationEnd(text, i, end);
      if (j !== -1) {
        pieces.push([HOLE, i, j]);
        i = j - 1;
        continue;
      }
    }
    pieces.push([text[i], i, i + 1]);
  }
  return SrcString.fromPieces(pieces);
}
