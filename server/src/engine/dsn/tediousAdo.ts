/**
 * ADO connection strings as node-mssql reads them for tedious: `@tediousjs/connection-string`
 * `parseSqlConnectionString(cs, canonicalProps=true, allowUnknown=true)`.
 *
 * A port of that package's tokenizer (parser/connection-string.js), keeping ranges:
 * - keys end at `=` (`==` is a literal `=`), are trimmed and lowercased; keys are never quoted;
 * - values end at `;` (`;;` is a literal `;`) and are trimmed, or are quoted with `"…"`, `'…'`
 *   or `{…}` (a doubled closing quote is literal); after a closing quote only whitespace may
 *   come before `;` ("Malformed connection string"); an open quote at the end throws
 *   ("Connection string terminated unexpectedly");
 * - a segment without `=` is NOT separated at `;`: `a;Encrypt=true` is the key `a;encrypt`.
 *
 * `norm` is the lowercased canonical key of the package's schema (`server` → `data source`,
 * `database` → `initial catalog`, `uid` → `user id`, `pwd` → `password`). Semantics differ from
 * go-mssqldb (driver-semantics.md §7): booleans are false only for false/no/0, so
 * `Encrypt=strict` is plain `true`; `Trust Server Certificate` (spaced) is not recognised.
 * Those are the profile layer's business; `value` here is the string the package yields.
 */
import { SCHEMA } from '@tediousjs/connection-string/lib/parser/sql-connection-string';
import { SrcString } from '../srcstring';
import { DecodedParam, DsnBuilder, semicolonAppendPrefix } from './common';
import { ParsedDsn } from './types';
import { addServerHost } from './sqlserver';

/** Lowercased alias → lowercased canonical key, from the package's own schema. */
const CANONICAL: ReadonlyMap<string, string> = (() => {
  const m = new Map<string, string>();
  for (const [key, item] of Object.entries(SCHEMA)) {
    m.set(key.toLowerCase(), key.toLowerCase());
    for (const alias of item.aliases ?? []) m.set(alias.toLowerCase(), key.toLowerCase());
  }
  return m;
})();

/** The lowercased canonical key node-mssql uses for `key`. */
export function tediousNorm(key: string): string {
  const k = key.trim().toLowerCase();
  return CANONICAL.get(k) ?? k;
}

const QUOTES: Readonly<Record<string, string>> = { '"': '"', "'": "'", '{': '}' };

function isBlank(c: string): boolean {
  // The package tests `char.trim()`: every JS whitespace char.
  return c.trim() === '';
}

/** Parses an ADO connection string the way node-mssql (via @tediousjs/connection-string) does. */
export function parseTediousConnectionString(src: SrcString): ParsedDsn {
  const b = new DsnBuilder(src, 'ado');
  const t = b.text;
  const n = t.length;
  const params: DecodedParam[] = [];

  let k = 0;
  let entryStart = -1;
  // The key collected so far.
  let key = '';
  let keySpan: [number, number] = [0, 0];
  let inValue = false;

  // Current token (key or value): decoded chars with their text spans.
  let buf = '';
  let starts: number[] = [];
  let ends: number[] = [];
  let started = false;
  let quoted = false;
  let quote = '';
  let finished = false;
  let tokenStart = 0;
  let tokenEnd = 0;

  const resetToken = () => {
    buf = '';
    starts = [];
    ends = [];
    started = false;
    quoted = false;
    quote = '';
    finished = false;
  };
  const push = (ch: string, s: number, e: number) => {
    buf += ch;
    starts.push(s);
    ends.push(e);
  };
  /** The token as the package keeps it: trimmed unless quoted; returns its text span. */
  const collectToken = (): { value: string; span: [number, number]; s: number[]; e: number[] } => {
    if (quoted) return { value: buf, span: [tokenStart, tokenEnd], s: starts, e: ends };
    let a = 0;
    let z = buf.length;
    while (a < z && isBlank(buf[a])) a++;
    while (z > a && isBlank(buf[z - 1])) z--;
    const span: [number, number] = a < z ? [starts[a], ends[z - 1]] : [tokenStart, tokenStart];
    return { value: buf.slice(a, z), span, s: starts.slice(a, z), e: ends.slice(a, z) };
  };
  const collect = (end: number) => {
    const tok = collectToken();
    if (!inValue) {
      key = tok.value;
      keySpan = tok.span;
      inValue = true;
    } else {
      const norm = tediousNorm(key);
      const param = b.param(key, norm, keySpan, tok.value, tok.span, [entryStart, end]);
      params.push({
        param,
        decoded: { value: tok.value, starts: tok.s, ends: tok.e, badEscape: -1, badUtf8: false },
        valueStart: tok.span[0],
      });
      inValue = false;
      key = '';
      entryStart = -1;
    }
    resetToken();
    // An empty next token sits just after the terminator.
    tokenStart = end + 1;
    tokenEnd = end + 1;
  };

  while (k < n) {
    const c = t[k];
    if (!finished) {
      if (!started) {
        if (!isBlank(c)) {
          started = true;
          if (entryStart < 0) entryStart = k;
          tokenStart = k;
          if (inValue && QUOTES[c] !== undefined) {
            quoted = true;
            quote = c;
          } else {
            // The first char of a token is taken as is, even a terminator (`Encrypt=;x=y` gives
            // Encrypt the value `;x=y`), exactly as the package does.
            push(c, k, k + 1);
            tokenEnd = k + 1;
          }
        }
      } else if (quoted && c === QUOTES[quote]) {
        if (t[k + 1] === c) {
          push(c, k, k + 2);
          k++;
        } else {
          finished = true;
          tokenEnd = k + 1;
        }
      } else if (!quoted && c === (inValue ? ';' : '=')) {
        if (t[k + 1] === c) {
          push(c, k, k + 2);
          k++;
          tokenEnd = k + 1;
        } else {
          collect(k);
        }
      } else {
        push(c, k, k + 1);
        if (!quoted) tokenEnd = k + 1;
      }
    } else if (c === (inValue ? ';' : '=')) {
      collect(k);
    } else if (!isBlank(c)) {
      // The package throws "Malformed connection string"; mssql rejects the string. Skip to the
      // next ';' to keep reading.
      b.error(k, k + 1, 'malformed connection string: only whitespace may follow a quoted value before ";"');
      let e = k;
      while (e < n && t[e] !== ';') e++;
      k = e;
      continue;
    }
    k++;
  }
  if (quoted && !finished) {
    b.error(tokenStart, n, 'connection string terminated unexpectedly: unterminated quoted value');
    tokenEnd = n;
    collect(n);
  } else if (inValue) {
    collect(n);
  }
  // A trailing key without '=' is dropped, as by the package.

  const last = (norm: string): DecodedParam | undefined => {
    let found: DecodedParam | undefined;
    for (const p of params) if (p.param.norm === norm) found = p;
    return found;
  };
  const user = last('user id');
  if (user) b.user = user.param;
  const password = last('password');
  if (password) b.password = password.param;
  const database = last('initial catalog');
  if (database) b.database = database.param;
  const server = last('data source');
  if (server) addServerHost(b, server.decoded, server.valueStart, undefined, 'tedious');
  return b.build(semicolonAppendPrefix(t));
}
