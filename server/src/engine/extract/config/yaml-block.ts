/**
 * A fast path for the YAML most configuration is written in: one document of block mappings and
 * block sequences whose values are single-line scalars — Kubernetes manifests, compose files,
 * Helm values, CI settings. It builds the very node objects of the `yaml` package (YAMLMap,
 * YAMLSeq, Pair, Scalar, with their ranges) that yaml.ts walks, without the package's lexer,
 * parser and composer: on a large scan those ran cold, for most of the time spent on
 * configuration files (measured: ~130 ms of ~170 ms for the benchmark corpus's 30 manifests).
 *
 * Contract: parseBlockYaml returns undefined — and the caller parses with `yaml` — for anything
 * outside the subset below, so that whenever it answers, the nodes are what `yaml`'s
 * parseAllDocuments would give for yaml.ts's walk: the same collections, keys, scalar values,
 * scalar types and scalar ranges `[start, valueEnd]`. test/unit/yaml-block.test.ts checks this
 * differentially (every YAML fixture, generated manifests, and mutated texts).
 *
 * The subset, line by line (anything else: undefined):
 *   - no tab, no carriage return, no byte order mark, no flow collection, anchor, alias, tag,
 *     block scalar, directive, document end, or second document; a `---` first line is allowed;
 *   - blank lines and comment lines (`#` first) anywhere;
 *   - `key: value`, `key:` followed by a more indented block or by a `- ` sequence at the same
 *     indentation; keys are plain words (letters, digits, `_ . / -`, starting with a letter or
 *     `_`, not null/true/false), never the merge key `<<`, never `valueFrom` (yaml.ts reads
 *     that value's collection range);
 *   - `- value` and `- key: value` (a mapping in a sequence item, its further keys aligned);
 *   - at most MAX_NESTING collections deep, keys of at most 1,024 characters (`yaml`'s limit);
 *   - values on one line: double-quoted without escapes, single-quoted, or plain — a plain value
 *     that is a string for certain (it starts with a letter, `_`, `/`, `$` … and is no
 *     null/true/false), a decimal integer, or null/true/false in the core schema's spellings;
 *     then optionally a comment (` #`). A plain value with `: ` or ending in `:` is refused.
 */
import { Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';

type Node = YAMLMap | YAMLSeq | Scalar;

interface Line {
  /** Offset of the line's first character. */
  readonly start: number;
  /** Indentation (spaces). */
  readonly indent: number;
  /** End of the line's content (before the newline). */
  readonly end: number;
}

class Refused extends Error {}

function refuse(): never {
  throw new Refused();
}

/** Characters that may not start a plain value (indicators, quotes, digits and signs are decided apart). */
const NOT_PLAIN_START = new Set([...'-?:,[]{}#&*!|>\'"%@`.+~=<']);
const KEY = /^[A-Za-z_][A-Za-z0-9_./-]*$/;
const NULLS = new Set(['null', 'Null', 'NULL', '~']);
const BOOLS: ReadonlyMap<string, boolean> = new Map([
  ['true', true], ['True', true], ['TRUE', true], ['false', false], ['False', false], ['FALSE', false],
]);

/** The document's root node, or undefined when the text is outside the subset (see the header). */
export function parseBlockYaml(text: string): Node | undefined {
  if (text.includes('\t') || text.includes('\r') || text.charCodeAt(0) === 0xfeff) return undefined;
  try {
    const lines = contentLines(text);
    if (lines.length === 0 || lines[0].indent !== 0) return undefined;
    const p = new BlockParser(text, lines);
    const root = p.node(0, 0);
    if (p.next !== lines.length) return undefined;
    return root.node;
  } catch {
    // Refused — or anything else (a stack overflow on pathological input): `yaml` decides.
    return undefined;
  }
}

/** The lines with content (no blank or comment-only lines); refuses a document marker after the first line. */
function contentLines(text: string): Line[] {
  const out: Line[] = [];
  let pos = 0;
  let first = true;
  while (pos < text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl === -1) nl = text.length;
    let i = pos;
    while (i < nl && text.charCodeAt(i) === 0x20) i++;
    if (i < nl && text[i] !== '#') {
      const indent = i - pos;
      if (indent === 0 && (text.startsWith('---', i) || text.startsWith('...', i) || text[i] === '%')) {
        // `---` alone (or with a comment after a space) as the very first content line starts
        // the document; `---#…` or `--- value` do not.
        // (Only spaces count: YAML's whitespace is not JavaScript's, which trims U+00A0 too.)
        if (!(first && text.startsWith('---', i) && /^(?: +(?:#.*)?)?$/.test(text.slice(i + 3, nl)))) refuse();
      } else out.push({ start: pos, indent, end: nl });
      first = false;
    }
    pos = nl + 1;
  }
  return out;
}

/** Collections nested deeper are refused (`yaml` reports its own limits; yaml.ts reads no deeper than MAX_DEPTH anyway). */
const MAX_NESTING = 100;
/** `yaml` rejects a plain key longer than this (KEY_OVER_1024_CHARS). */
const MAX_KEY_LENGTH = 1024;

class BlockParser {
  /** The next line to read. */
  next = 0;
  /** Collections open around the one being read. */
  private depth = 0;

  constructor(private readonly text: string, private readonly lines: readonly Line[]) {}

  /** The block node whose first line is `i`, at indentation `indent` (a mapping or a sequence). */
  node(i: number, indent: number): { node: YAMLMap | YAMLSeq } {
    const l = this.lines[i];
    if (l.indent !== indent) refuse();
    return { node: this.isItem(l) ? this.seq(i, indent) : this.map(i, indent, l.start + indent) };
  }

  private isItem(l: Line): boolean {
    const c = l.start + l.indent;
    return this.text[c] === '-' && (c + 1 === l.end || this.text[c + 1] === ' ');
  }

  /**
   * A block sequence at `indent` starting at line `i`. `inMapping`: it is a mapping value at the
   * mapping's own indentation (`key:` then `- item`), so a line at that indentation that is no
   * item is the mapping's next key.
   */
  private seq(i: number, indent: number, inMapping = false): YAMLSeq {
    this.enter();
    const seq = new YAMLSeq();
    const first = this.lines[i];
    this.next = i;
    while (this.next < this.lines.length) {
      const l = this.lines[this.next];
      if (l.indent < indent || (inMapping && l.indent === indent && !this.isItem(l))) break;
      if (l.indent !== indent || !this.isItem(l)) refuse();
      const dash = l.start + indent;
      let c = dash + 1;
      while (c < l.end && this.text.charCodeAt(c) === 0x20) c++;
      if (c >= l.end || this.text[c] === '#') refuse(); // `-` alone: a nested block
      const itemCol = c - l.start;
      if (this.keyAt(c, l.end) !== undefined) {
        // `- key: value`: a mapping whose keys align at the first key's column.
        seq.items.push(this.map(this.next, itemCol, c));
      } else {
        seq.items.push(this.scalarLine(c, l.end));
        this.next++;
        this.noDeeper(indent);
      }
    }
    seq.range = [first.start + indent, this.lines[this.next - 1].end, this.lines[this.next - 1].end];
    this.depth--;
    return seq;
  }

  /**
   * A block mapping whose keys are at column `indent`, the first at offset `firstKey` on line
   * `i` (after a `- ` when the mapping is a sequence item).
   */
  private map(i: number, indent: number, firstKey: number): YAMLMap {
    this.enter();
    const map = new YAMLMap();
    this.next = i;
    let keyAt = firstKey;
    while (this.next < this.lines.length) {
      const l = this.lines[this.next];
      if (this.next !== i) {
        if (l.indent < indent) break;
        if (l.indent !== indent || this.isItem(l)) refuse();
        keyAt = l.start + indent;
      }
      const k = this.keyAt(keyAt, l.end);
      if (k === undefined) refuse();
      const key = new Scalar(k.name);
      key.type = 'PLAIN';
      key.range = [keyAt, keyAt + k.name.length, keyAt + k.name.length];
      let v = k.valueStart;
      while (v < l.end && this.text.charCodeAt(v) === 0x20) v++;
      let value: Node;
      if (v >= l.end || this.text[v] === '#') {
        // `key:` — its value is the block on the next lines: more indented, or a sequence at the
        // same indentation (YAML allows `key:` then `- item` at the key's column).
        const n = this.next + 1;
        const nl = this.lines[n];
        if (!nl || nl.indent < indent || (nl.indent === indent && !this.isItem(nl))) refuse(); // an empty value
        value = nl.indent === indent ? this.seq(n, indent, true) : this.node(n, nl.indent).node;
      } else {
        value = this.scalarLine(v, l.end);
        this.next++;
        this.noDeeper(indent);
      }
      map.items.push(new Pair(key, value));
    }
    const last = this.lines[this.next - 1];
    map.range = [firstKey, last.end, last.end];
    this.depth--;
    return map;
  }

  /** One more collection open; refused beyond MAX_NESTING. */
  private enter(): void {
    if (++this.depth > MAX_NESTING) refuse();
  }

  /** After a one-line value, no line may be more indented than its key (that would continue it). */
  private noDeeper(indent: number): void {
    const l = this.lines[this.next];
    if (l && l.indent > indent) refuse();
  }

  /**
   * A `key:` at `at`: undefined when the line has no `:` followed by a space or its end (a
   * scalar, `postgres://h:5432/db` included); refused when the text before that `:` is no plain
   * key of the subset.
   */
  private keyAt(at: number, end: number): { name: string; valueStart: number } | undefined {
    // (Searched on this line only: a file of colon-free items must stay linear.)
    let colon = at;
    while (colon < end && !(this.text.charCodeAt(colon) === 0x3a && (colon + 1 === end || this.text.charCodeAt(colon + 1) === 0x20))) colon++;
    if (colon >= end) return undefined;
    const name = this.text.slice(at, colon);
    if (name.length > MAX_KEY_LENGTH || !KEY.test(name) || NULLS.has(name) || BOOLS.has(name) || name === 'valueFrom') refuse();
    return { name, valueStart: colon + 1 };
  }

  /** A one-line scalar starting at `s`, with an optional comment up to `end`. */
  private scalarLine(s: number, end: number): Scalar {
    const t = this.text;
    const c = t[s];
    if (c === '"' || c === "'") {
      let close = s + 1;
      let value = '';
      for (;;) {
        let q = close;
        while (q < end && t[q] !== c) q++;
        if (q >= end) refuse();
        if (c === "'" && t[q + 1] === "'") {
          value += t.slice(close, q) + "'";
          close = q + 2;
          continue;
        }
        value += t.slice(close, q);
        close = q + 1;
        break;
      }
      if (c === '"' && value.includes('\\')) refuse();
      this.afterValue(close, end);
      const node = new Scalar(value);
      node.type = c === '"' ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE';
      node.range = [s, close, close];
      return node;
    }
    // Plain: up to a comment (` #`, searched on this line only), trailing spaces trimmed.
    let e = s + 1;
    while (e < end && !(t.charCodeAt(e) === 0x23 && t.charCodeAt(e - 1) === 0x20)) e++;
    while (e > s && t.charCodeAt(e - 1) === 0x20) e--;
    const raw = t.slice(s, e);
    if (raw.includes(': ') || raw.endsWith(':')) refuse();
    let value: string | number | boolean | null;
    if (/^[0-9]+$/.test(raw)) value = Number(raw);
    else if (NULLS.has(raw)) value = null;
    else if (BOOLS.has(raw)) value = BOOLS.get(raw)!;
    else if (NOT_PLAIN_START.has(c) || (c >= '0' && c <= '9')) refuse();
    else value = raw;
    const node = new Scalar(value);
    node.type = 'PLAIN';
    node.range = [s, e, e];
    return node;
  }

  /** Only spaces, then an optional ` #` comment, may follow a quoted value. */
  private afterValue(at: number, end: number): void {
    let i = at;
    while (i < end && this.text.charCodeAt(i) === 0x20) i++;
    if (i < end && !(this.text[i] === '#' && i > at)) refuse();
  }
}
