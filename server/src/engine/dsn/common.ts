/**
 * Shared machinery of the DSN parsers: building a ParsedDsn with exact source ranges, decoding
 * values (percent-encoding, backslash escapes) while remembering where each decoded character
 * came from, and splitting `host:port` the way URL parsers do.
 *
 * Conventions used by every parser (contract of dsn/types.ts):
 * - Parsers work on `src.text` by index; a range is always `src.rangeOf(i, j)` of the RAW text,
 *   so a fix that replaces `range` replaces exactly the written value (quotes and escapes
 *   included where the grammar quotes: a quoted value's range covers its quotes).
 * - A part whose raw text contains HOLE has `value: undefined` (unknown, never guessed).
 * - Parsers never throw. Error messages name keys and grammar problems, never values (a value
 *   may be a secret).
 */
import { Range } from '../model';
import { HOLE, SrcString } from '../srcstring';
import { DsnFormat, DsnHost, DsnParam, DsnPart, ParsedDsn } from './types';

/**
 * A decoded value that remembers its origin: decoded char k came from raw text
 * `[starts[k], ends[k])` (an escape sequence maps all its decoded chars to the whole sequence).
 */
export interface Decoded {
  readonly value: string;
  readonly starts: readonly number[];
  readonly ends: readonly number[];
  /** Text index of the first malformed escape, or -1. */
  readonly badEscape: number;
  /** Percent-decoding produced bytes that are not valid UTF-8 (JS decodeURIComponent throws). */
  readonly badUtf8: boolean;
}

/** The identity decoding of text[i, j). */
export function plain(text: string, i: number, j: number): Decoded {
  const starts: number[] = [];
  const ends: number[] = [];
  for (let k = i; k < j; k++) {
    starts.push(k);
    ends.push(k + 1);
  }
  return { value: text.slice(i, j), starts, ends, badEscape: -1, badUtf8: false };
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true });
const utf8Lenient = new TextDecoder('utf-8', { fatal: false });

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/**
 * Percent-decodes text[i, j) (`%XX`, and `+` as space when `plusAsSpace`, as query strings do).
 * A malformed `%` is kept literally and reported in `badEscape` (Go's url.Unescape and JS
 * decodeURIComponent reject it; URLSearchParams keeps it).
 */
export function percentDecode(text: string, i: number, j: number, plusAsSpace: boolean): Decoded {
  let value = '';
  const starts: number[] = [];
  const ends: number[] = [];
  let badEscape = -1;
  let badUtf8 = false;
  let k = i;
  while (k < j) {
    const c = text.charCodeAt(k);
    if (c === 37 /* % */) {
      // Collect a run of consecutive escapes: a multi-byte UTF-8 character spans several.
      const runStart = k;
      const bytes: number[] = [];
      while (k + 2 < j + 0 && text.charCodeAt(k) === 37) {
        const h = hexVal(text.charCodeAt(k + 1));
        const l = hexVal(text.charCodeAt(k + 2));
        if (h < 0 || l < 0) break;
        bytes.push(h * 16 + l);
        k += 3;
      }
      if (bytes.length === 0) {
        if (badEscape < 0) badEscape = k;
        value += '%';
        starts.push(k);
        ends.push(k + 1);
        k++;
        continue;
      }
      const buf = Uint8Array.from(bytes);
      let decoded: string;
      try {
        decoded = utf8Strict.decode(buf);
      } catch {
        badUtf8 = true;
        decoded = utf8Lenient.decode(buf);
      }
      value += decoded;
      for (let n = 0; n < decoded.length; n++) {
        starts.push(runStart);
        ends.push(k);
      }
      continue;
    }
    value += plusAsSpace && c === 43 /* + */ ? ' ' : text[k];
    starts.push(k);
    ends.push(k + 1);
    k++;
  }
  return { value, starts, ends, badEscape, badUtf8 };
}

/** Text range `[start, end)` of decoded chars `[a, b)`; `fallback` is the position for an empty slice. */
export function decodedSpan(d: Decoded, a: number, b: number, fallback: number): [number, number] {
  if (b <= a) {
    const p = a < d.starts.length ? d.starts[a] : a > 0 && d.ends.length >= a ? d.ends[a - 1] : fallback;
    return [p, p];
  }
  return [d.starts[a], d.ends[b - 1]];
}

/** Go's strconv.ParseBool accepted spellings. */
export function isGoParseBool(v: string): boolean {
  return ['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v);
}

/** Whether `v` is a valid Go time.ParseDuration string ("300ms", "1h2m", "-1.5s", "0"). */
export function isGoDuration(v: string): boolean {
  return goDurationSeconds(v) !== undefined;
}

const GO_DURATION_UNITS: Readonly<Record<string, number>> = { ns: 1e-9, us: 1e-6, 'µs': 1e-6, 'μs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** Go's time.ParseDuration, in seconds; undefined where Go returns an error. */
export function goDurationSeconds(v: string): number | undefined {
  let k = 0;
  const negative = v[k] === '-';
  if (v[k] === '+' || v[k] === '-') k++;
  if (v.slice(k) === '0') return 0;
  if (k >= v.length) return undefined;
  let total = 0;
  while (k < v.length) {
    const numStart = k;
    while (k < v.length && v[k] >= '0' && v[k] <= '9') k++;
    const intDigits = k - numStart;
    let fracDigits = 0;
    if (v[k] === '.') {
      k++;
      const f = k;
      while (k < v.length && v[k] >= '0' && v[k] <= '9') k++;
      fracDigits = k - f;
    }
    if (intDigits + fracDigits === 0) return undefined;
    const amount = Number(v.slice(numStart, k));
    // Longest unit first so that "ms" is not read as "m".
    const unit = Object.keys(GO_DURATION_UNITS)
      .filter((u) => v.startsWith(u, k))
      .sort((a, b) => b.length - a.length)[0];
    if (!unit) return undefined;
    total += amount * GO_DURATION_UNITS[unit];
    k += unit.length;
  }
  return negative ? -total : total;
}

export function isDigits(v: string): boolean {
  if (v.length === 0) return false;
  for (let k = 0; k < v.length; k++) {
    const c = v.charCodeAt(k);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** JS/Go `isspace` for ASCII: space, \t, \n, \v, \f, \r. */
export function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';
}

/** Index of the first char in text[i, j) that is one of `chars`, or j. */
export function indexOfAny(text: string, chars: string, i: number, j: number): number {
  for (let k = i; k < j; k++) if (chars.includes(text[k])) return k;
  return j;
}

/** Last index of `ch` in text[i, j), or -1. Bounded to the slice (no scan beyond it). */
export function lastIndexIn(text: string, ch: string, i: number, j: number): number {
  for (let k = j - 1; k >= i; k--) if (text[k] === ch) return k;
  return -1;
}

/** First index of `ch` in text[i, j), or -1. Bounded to the slice (no scan beyond it). */
export function indexIn(text: string, ch: string, i: number, j: number): number {
  for (let k = i; k < j; k++) if (text[k] === ch) return k;
  return -1;
}

/**
 * The fragment start (`hash`) and authority end (`authEnd`) of a URL whose authority starts at
 * `start` (after `scheme://`) and which ends at `end`.
 *
 * Drivers end the authority at the first '/', '?' or '#' (Go net/url, WHATWG URL). When the
 * password holds one of those unescaped (`postgres://u:ab/cd@host/db`), the driver reads the
 * rest of the password as the host, the path or the fragment — and every output that names the
 * host (hover, messages, `connguard test`) would show a piece of the secret. So an '@' after
 * that point with no '=' or '&' before it (the user info was cut short) is reported, and the
 * authority is read as the author meant it: up to the first '/' or '?' after that '@'. The
 * whole password is then known, flagged and redacted (SPEC §3). The message never quotes text.
 */
export function urlAuthority(b: DsnBuilder, start: number, end: number): { hash: number; authEnd: number } {
  const t = b.text;
  const hashAt = indexIn(t, '#', start, end);
  let hash = hashAt >= 0 ? hashAt : end;
  let authEnd = indexOfAny(t, '/?', start, hash);
  let stray = -1;
  for (let k = authEnd; k < end; k++) {
    const c = t[k];
    if (c === '=' || c === '&') break;
    if (c === '@') {
      stray = k;
      break;
    }
  }
  if (stray >= 0) {
    b.error(
      start,
      stray,
      "the user info holds an unescaped '/', '?' or '#': the driver ends it there and reads the rest of the password as the host — percent-encode the password (encodeURIComponent, url.UserPassword)",
    );
    const hashAfter = indexIn(t, '#', stray, end);
    hash = hashAfter >= 0 ? hashAfter : end;
    authEnd = indexOfAny(t, '/?', stray, hash);
  }
  return { hash, authEnd };
}

export interface HostPortSpan {
  /** Host text span, without IPv6 brackets. */
  readonly host: [number, number];
  readonly port?: [number, number];
  readonly problem?: string;
  readonly problemAt?: [number, number];
}

/**
 * Splits text[i, j) as URL authorities do: `[v6]:port`, `host:port` (last colon), `host`.
 * With `bareV6` (Go net.SplitHostPort + go-sql-driver ensureHavePort), an address with several
 * colons and no brackets is a host without port.
 */
export function splitHostPort(text: string, i: number, j: number, bareV6 = false): HostPortSpan {
  if (text[i] === '[') {
    const close = indexIn(text, ']', i + 1, j);
    if (close < 0) return { host: [i + 1, j], problem: 'missing "]" in IPv6 host', problemAt: [i, j] };
    if (close + 1 === j) return { host: [i + 1, close] };
    if (text[close + 1] === ':') return { host: [i + 1, close], port: [close + 2, j] };
    return { host: [i + 1, close], problem: 'unexpected characters after "]" in host', problemAt: [close + 1, j] };
  }
  const c = lastIndexIn(text, ':', i, j);
  if (c < 0) return { host: [i, j] };
  if (bareV6 && indexIn(text, ':', i, c) >= 0) return { host: [i, j] };
  return { host: [i, c], port: [c + 1, j] };
}

/** Collects the parts of one ParsedDsn. */
export class DsnBuilder {
  readonly text: string;
  readonly hosts: DsnHost[] = [];
  readonly params: DsnParam[] = [];
  readonly errors: { range: Range; message: string }[] = [];
  user?: DsnPart;
  password?: DsnPart;
  database?: DsnPart;

  constructor(
    readonly src: SrcString,
    readonly format: DsnFormat,
  ) {
    this.text = src.text;
  }

  range(i: number, j: number): Range {
    return this.src.rangeOf(i, j);
  }

  /** A part whose raw text is text[i, j) and whose decoded value is `value`. */
  part(i: number, j: number, value: string): DsnPart {
    const raw = this.text.slice(i, j);
    return { value: raw.includes(HOLE) ? undefined : value, range: this.src.rangeOf(i, j), exact: this.src.isExact(i, j) };
  }

  /** A part for decoded chars [a, b) of `d`. */
  decodedPart(d: Decoded, a: number, b: number, fallback: number): DsnPart {
    const [s, e] = decodedSpan(d, a, b, fallback);
    const value = d.value.slice(a, b);
    return { value: value.includes(HOLE) ? undefined : value, range: this.src.rangeOf(s, e), exact: this.src.isExact(s, e) };
  }

  host(part: DsnPart, port: DsnPart | undefined, socket: boolean): void {
    this.hosts.push(port ? { ...part, port, socket } : { ...part, socket });
  }

  /**
   * Adds a parameter. `key`/`value` are decoded; `keySpan`, `valueSpan`, `entrySpan` are raw text
   * spans. `raw` is the raw value text.
   */
  param(
    key: string,
    norm: string,
    keySpan: readonly [number, number],
    value: string,
    valueSpan: readonly [number, number],
    entrySpan: readonly [number, number],
  ): DsnParam {
    const raw = this.text.slice(valueSpan[0], valueSpan[1]);
    const p: DsnParam = {
      key,
      norm,
      keyRange: this.src.rangeOf(keySpan[0], keySpan[1]),
      entryRange: this.src.rangeOf(entrySpan[0], entrySpan[1]),
      raw,
      value: raw.includes(HOLE) ? undefined : value,
      range: this.src.rangeOf(valueSpan[0], valueSpan[1]),
      exact: this.src.isExact(valueSpan[0], valueSpan[1]),
    };
    this.params.push(p);
    return p;
  }

  /**
   * Records a problem with `text[i, j)`. A span that contains an unknown part (HOLE) is not
   * reported: the unknown text may well make it valid, and unknown stays unknown, never guessed.
   */
  error(i: number, j: number, message: string): void {
    if (this.text.slice(i, Math.max(j, i + 1)).includes(HOLE)) return;
    this.errors.push({ range: this.src.rangeOf(i, j), message });
  }

  errorAt(r: Range, message: string): void {
    this.errors.push({ range: r, message });
  }

  build(appendPrefix: string): ParsedDsn {
    return {
      format: this.format,
      source: this.src,
      hosts: this.hosts,
      user: this.user,
      password: this.password,
      database: this.database,
      params: this.params,
      errors: this.errors,
      appendPrefix,
    };
  }
}

/** appendPrefix for a URL-style query: `?` without a query, `&` after one, nothing after a trailing `?`/`&`. */
export function queryAppendPrefix(text: string, hasQuery: boolean): string {
  if (!hasQuery) return '?';
  const last = text[text.length - 1];
  return last === '?' || last === '&' ? '' : '&';
}

/** appendPrefix for `;`-separated grammars: nothing after a trailing `;` (or for an empty string). */
export function semicolonAppendPrefix(text: string): string {
  let k = text.length - 1;
  while (k >= 0 && isSpace(text[k])) k--;
  return k < 0 || text[k] === ';' ? '' : ';';
}

/** Whether a port value is acceptable (digits, ≤ 65535); unknown (HOLE) ports are not judged. */
export function portProblem(port: string): string | undefined {
  if (port.includes(HOLE) || port === '') return undefined;
  if (!isDigits(port)) return 'port is not a number';
  if (Number(port) > 65535) return 'port is out of range (0-65535)';
  return undefined;
}

/**
 * Adds the `host[:port]` at text[i, j) with URL semantics (brackets, percent-decoded host).
 * Returns the host part (undefined when empty). Used by every URL-form grammar.
 */
export function addUrlHost(
  b: DsnBuilder,
  i: number,
  j: number,
  opts: { decode: boolean; bareV6?: boolean; portRequiredNumeric?: boolean },
): void {
  if (j <= i) return;
  const hp = splitHostPort(b.text, i, j, opts.bareV6 ?? false);
  if (hp.problem && hp.problemAt) b.error(hp.problemAt[0], hp.problemAt[1], hp.problem);
  const [hs, he] = hp.host;
  let hostValue: string;
  if (opts.decode) {
    const d = percentDecode(b.text, hs, he, false);
    if (d.badEscape >= 0) b.error(d.badEscape, Math.min(d.badEscape + 3, he), 'invalid percent-encoding in host');
    hostValue = d.value;
  } else {
    hostValue = b.text.slice(hs, he);
  }
  let port: DsnPart | undefined;
  if (hp.port) {
    const [ps, pe] = hp.port;
    const pv = b.text.slice(ps, pe);
    const problem = portProblem(pv);
    if (problem) b.error(ps, pe, problem);
    if (pe > ps) port = b.part(ps, pe, pv);
  }
  if (he <= hs && !port) return;
  b.host(b.part(hs, he, hostValue), port, hostValue.startsWith('/'));
}

export interface DecodedParam {
  readonly param: DsnParam;
  readonly decoded: Decoded;
  /** Text index where the value starts (for empty values). */
  readonly valueStart: number;
}

/** A percent-decoded part of a URL (user, password, database); reports a malformed escape. */
export function decodedUrlPart(b: DsnBuilder, i: number, j: number, what: string) {
  const d = percentDecode(b.text, i, j, false);
  if (d.badEscape >= 0) b.error(d.badEscape, Math.min(d.badEscape + 3, j), `invalid percent-encoding in ${what}`);
  return b.part(i, j, d.value);
}

/**
 * Parses a URL query `k=v&k2=v2` in text[i, end): keys and values percent-decoded with `+` as
 * space; entries without `=` are keys with an empty value; empty entries are skipped.
 */
export function parseQuery(
  b: DsnBuilder,
  i: number,
  end: number,
  out: DecodedParam[] | undefined,
  normalize: (key: string) => string,
  reportBadEscapes = true,
): void {
  const t = b.text;
  let k = i;
  while (k <= end) {
    const e = indexOfAny(t, '&', k, end);
    if (e > k) {
      const eq = indexIn(t, '=', k, e);
      const keyEnd = eq >= 0 ? eq : e;
      const valStart = eq >= 0 ? eq + 1 : e;
      const kd = percentDecode(t, k, keyEnd, true);
      const vd = percentDecode(t, valStart, e, true);
      if (reportBadEscapes && (kd.badEscape >= 0 || vd.badEscape >= 0)) {
        const at = kd.badEscape >= 0 ? kd.badEscape : vd.badEscape;
        b.error(at, Math.min(at + 3, e), `invalid percent-encoding in parameter "${kd.value}"`);
      }
      const param = b.param(kd.value, normalize(kd.value), [k, keyEnd], vd.value, [valStart, e], [k, e]);
      out?.push({ param, decoded: vd, valueStart: valStart });
    }
    k = e + 1;
  }
}

/** Splits a decoded value at commas: decoded-index spans. */
export function splitList(d: Decoded): [number, number][] {
  const out: [number, number][] = [];
  let a = 0;
  for (let k = 0; k <= d.value.length; k++) {
    if (k === d.value.length || d.value[k] === ',') {
      out.push([a, k]);
      a = k + 1;
    }
  }
  return out;
}
