/**
 * TOML files (Cargo-style app configs, fly.toml, netlify.toml, config.toml…).
 *
 * `smol-toml` is correct but gives values without positions, so this module carries a small
 * scanner of its own for what ConnGuard needs: `[table]` and `[[array]]` headers, dotted
 * bare/quoted keys, basic "…" strings with escapes, literal '…' strings, inline tables, arrays,
 * and scalars. Multi-line strings are mapped approximately (the whole literal). smol-toml
 * validates the file; its error becomes a note (position only: its message quotes the source).
 */
import { parse as parseToml } from 'smol-toml';
import { SrcString } from '../../srcstring';
import { dottedPath, EntryGroup, EntrySink, MAX_DEPTH, ScalarKind, withHoles } from './sink';

type Piece = readonly [string, number, number];

const ESCAPES: Readonly<Record<string, string>> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', e: '\x1b', '"': '"', '\\': '\\' };
const HEX: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };

export function parseTomlFile(text: string, sink: EntrySink): void {
  try {
    parseToml(text);
  } catch (e) {
    const err = e as { line?: number; column?: number; message?: string };
    const first = String(err.message ?? 'invalid TOML').split('\n')[0];
    sink.error(`TOML: ${first}${err.line ? ` (line ${err.line}, column ${err.column})` : ''}`);
  }
  new TomlScanner(text, sink).run();
}

class TomlScanner {
  private pos = 0;
  private table: string[] = [];
  /** One per table header, so that two `[[array]]` elements are two groups (sink.ts EntryGroup). */
  private group: EntryGroup = {};

  constructor(
    private readonly text: string,
    private readonly sink: EntrySink,
  ) {}

  run(): void {
    const t = this.text;
    while (this.pos < t.length) {
      this.skipBlanks();
      const c = t[this.pos];
      if (c === undefined) break;
      if (c === '\n' || c === '\r' || c === '#') {
        this.skipLine();
        continue;
      }
      if (c === '[') {
        this.header();
        continue;
      }
      const before = this.pos;
      if (!this.keyValue(this.table, 0)) {
        this.sink.error(() => `TOML line ${this.lineOf(before)}: could not read a key/value`);
        if (this.pos === before) this.skipLine();
      }
      this.skipLine();
    }
  }

  private lineOf(offset: number): number {
    let n = 1;
    for (let i = this.text.indexOf('\n'); i !== -1 && i < offset; i = this.text.indexOf('\n', i + 1)) n++;
    return n;
  }

  private skipBlanks(): void {
    const t = this.text;
    while (this.pos < t.length && (t[this.pos] === ' ' || t[this.pos] === '\t')) this.pos++;
  }

  /** Blanks, newlines and comments (inside arrays). */
  private skipSpace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t[this.pos];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.pos++;
      else if (c === '#') this.skipToEol();
      else break;
    }
  }

  private skipToEol(): void {
    const nl = this.text.indexOf('\n', this.pos);
    this.pos = nl === -1 ? this.text.length : nl;
  }

  private skipLine(): void {
    const nl = this.text.indexOf('\n', this.pos);
    this.pos = nl === -1 ? this.text.length : nl + 1;
  }

  private header(): void {
    const array = this.text.startsWith('[[', this.pos);
    this.pos += array ? 2 : 1;
    this.skipBlanks();
    const keys = this.dottedKey();
    this.skipBlanks();
    this.group = {};
    if (keys && this.text.startsWith(array ? ']]' : ']', this.pos)) this.table = keys;
    else this.sink.error(() => `TOML line ${this.lineOf(this.pos)}: bad table header`);
    this.skipLine();
  }

  private bareKeyChar(c: string | undefined): boolean {
    return c !== undefined && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c === '_' || c === '-');
  }

  /** `a."b c".'d'` → ['a', 'b c', 'd']; undefined when no key is there. */
  private dottedKey(): string[] | undefined {
    const keys: string[] = [];
    for (;;) {
      this.skipBlanks();
      const c = this.text[this.pos];
      if (c === '"' || c === "'") {
        const s = this.quoted(c);
        if (!s) return undefined;
        keys.push(s.value.text);
      } else {
        const start = this.pos;
        while (this.bareKeyChar(this.text[this.pos])) this.pos++;
        if (this.pos === start) return undefined;
        keys.push(this.text.slice(start, this.pos));
      }
      this.skipBlanks();
      if (this.text[this.pos] !== '.') return keys;
      this.pos++;
    }
  }

  /** `key = value` at pos; entries are reported under `table`. */
  private keyValue(table: readonly string[], depth: number): boolean {
    const keys = this.dottedKey();
    if (!keys) return false;
    this.skipBlanks();
    if (this.text[this.pos] !== '=') return false;
    this.pos++;
    this.skipBlanks();
    const key = keys[keys.length - 1];
    return this.value([...table, ...keys.slice(0, -1)], key, depth);
  }

  private value(path: readonly string[], key: string, depth: number): boolean {
    const t = this.text;
    const c = t[this.pos];
    if (c === '"' || c === "'") {
      const s = this.quoted(c);
      if (!s) return false;
      this.emit(path, key, withHoles(s.value, false), s.start, 'string');
      return true;
    }
    if (c === '[') return this.array(path, key, depth);
    if (c === '{') return this.inlineTable([...path, key], depth);
    const start = this.pos;
    while (this.pos < t.length && !',]}#\n\r'.includes(t[this.pos])) this.pos++;
    let end = this.pos;
    while (end > start && (t[end - 1] === ' ' || t[end - 1] === '\t')) end--;
    if (end === start) return false;
    const raw = t.slice(start, end);
    const kind: ScalarKind = raw === 'true' || raw === 'false' ? 'bool' : /^[-+]?[0-9]/.test(raw) || /^[-+]?(inf|nan)$/.test(raw) ? 'number' : 'string';
    // Dates and times are the only other bare scalars; they are never secrets or DSNs.
    if (kind !== 'string') this.emit(path, key, SrcString.exact(raw, start), start, kind);
    return true;
  }

  private emit(path: readonly string[], key: string, value: SrcString, start: number, kind: ScalarKind): void {
    const range = { start, end: this.pos };
    this.sink.add({ key, path, value, range, scalar: kind, context: `TOML key ${dottedPath(path, key)}`, group: this.group });
  }

  private array(path: readonly string[], key: string, depth: number): boolean {
    if (depth >= MAX_DEPTH) return false;
    this.pos++; // [
    for (;;) {
      this.skipSpace();
      const c = this.text[this.pos];
      if (c === undefined) return false;
      if (c === ']') {
        this.pos++;
        return true;
      }
      if (!this.value(path, key, depth + 1)) return false;
      this.skipSpace();
      if (this.text[this.pos] === ',') this.pos++;
    }
  }

  private inlineTable(path: readonly string[], depth: number): boolean {
    if (depth >= MAX_DEPTH) return false;
    this.pos++; // {
    for (;;) {
      this.skipSpace();
      const c = this.text[this.pos];
      if (c === undefined) return false;
      if (c === '}') {
        this.pos++;
        return true;
      }
      if (!this.keyValue(path, depth + 1)) return false;
      this.skipSpace();
      if (this.text[this.pos] === ',') this.pos++;
    }
  }

  /** A quoted string at pos (basic, literal, or their multi-line forms); pos moves past it. */
  private quoted(q: string): { value: SrcString; start: number } | undefined {
    const t = this.text;
    const start = this.pos;
    const triple = t.startsWith(q.repeat(3), start);
    if (triple) {
      let close = t.indexOf(q.repeat(3), start + 3);
      if (close === -1) return undefined;
      while (t[close + 3] === q) close++; // up to two quotes may end the content
      this.pos = close + 3;
      let body = t.slice(start + 3, close);
      if (body.startsWith('\r\n')) body = body.slice(2);
      else if (body.startsWith('\n')) body = body.slice(1);
      // Escapes and line-ending backslashes are not decoded here: approximate is enough.
      return { value: SrcString.approximate(body, { start, end: this.pos }), start };
    }
    const pieces: Piece[] = [];
    let i = start + 1;
    for (;;) {
      const c = t[i];
      if (c === undefined || c === '\n') return undefined;
      if (c === q) break;
      if (q === '"' && c === '\\') {
        const d = t[i + 1];
        const hex = d === undefined ? undefined : HEX[d];
        if (hex !== undefined) {
          const code = Number.parseInt(t.slice(i + 2, i + 2 + hex), 16);
          if (!Number.isFinite(code) || code > 0x10ffff) return undefined;
          pieces.push([String.fromCodePoint(code), i, i + 2 + hex]);
          i += 2 + hex;
          continue;
        }
        if (d !== undefined && ESCAPES[d] !== undefined) {
          pieces.push([ESCAPES[d], i, i + 2]);
          i += 2;
          continue;
        }
        return undefined;
      }
      pieces.push([c, i, i + 1]);
      i++;
    }
    this.pos = i + 1;
    return { value: SrcString.fromPieces(pieces), start };
  }
}
