/**
 * godror (Oracle) data source names, a port of godror/dsn Parse:
 *
 * - URL `oracle://user:pass@host:1521/service?k=v` (Go net/url; keys case-sensitive).
 * - logfmt, chosen when the string has a newline or contains `connectString=`:
 *   `user="scott" password="tiger" connectString="host:1521/service" timezone=UTC`. Values may
 *   be double-quoted with Go escapes (go-logfmt); keys are case-sensitive.
 * - Plain `user/password@connectString` (splitQuoted: the FIRST `@` and `/` not preceded by `\`;
 *   backslashes are removed from user and password); a string like `tcps://host/svc` (a scheme)
 *   is a bare connect string. A trailing ` AS SYSDBA` (etc.) is an admin role.
 *
 * The connect string gives hosts and the service (database): Easy Connect
 * `[scheme://][//]host[:port][,host…][/service][:server][/instance][?k=v&…]` (its `?` parameters
 * become params with lowercased norm), or a descriptor `(DESCRIPTION=…(HOST=h)(PORT=p)…
 * (SERVICE_NAME=s))`, or a tnsnames alias (no host known).
 *
 * appendPrefix: `?`/`&` for URL (and, in the plain form, for Easy Connect parameters), ` ` for
 * logfmt; `` for a descriptor or alias, where no parameter can be appended.
 */
import { SrcString } from '../srcstring';
import {
  Decoded,
  decodedUrlPart,
  DsnBuilder,
  indexIn,
  indexOfAny,
  isSpace,
  lastIndexIn,
  parseQuery,
  plain,
  portProblem,
  queryAppendPrefix,
  addUrlHost,
  urlAuthority,
} from './common';
import { ParsedDsn } from './types';

const ADMIN_ROLES = ['SYSDBA', 'SYSOPER', 'SYSBACKUP', 'SYSDG', 'SYSKM', 'SYSRAC', 'SYSASM'];

/** Parses a godror DSN. */
export function parseOracle(src: SrcString): ParsedDsn {
  const b = new DsnBuilder(src, 'oracle');
  const t = b.text;
  let s = 0;
  let e = t.length;
  while (s < e && isSpace(t[s])) s++;
  while (e > s && isSpace(t[e - 1])) e--;
  if (t.startsWith('oracle://', s)) return parseOracleUrl(b, s, e);
  if (t.includes('\n') || t.includes('connectString=')) return parseLogfmt(b, s, e);
  return parsePlain(b, s, e);
}

function parseOracleUrl(b: DsnBuilder, s: number, end: number): ParsedDsn {
  const t = b.text;
  const start = s + 'oracle://'.length;
  const { hash, authEnd } = urlAuthority(b, start, end);
  const at = lastIndexIn(t, '@', start, authEnd);
  let hostStart = start;
  if (at >= 0) {
    hostStart = at + 1;
    const colon = indexIn(t, ':', start, at);
    b.user = decodedUrlPart(b, start, colon >= 0 ? colon : at, 'user name');
    if (colon >= 0) b.password = decodedUrlPart(b, colon + 1, at, 'password');
  }
  addUrlHost(b, hostStart, authEnd, { decode: true });
  let queryStart = -1;
  if (authEnd < hash && t[authEnd] === '/') {
    const pathEnd = indexOfAny(t, '?', authEnd + 1, hash);
    if (pathEnd > authEnd + 1) b.database = decodedUrlPart(b, authEnd + 1, pathEnd, 'service name');
    if (pathEnd < hash) queryStart = pathEnd + 1;
  } else if (authEnd < hash && t[authEnd] === '?') {
    queryStart = authEnd + 1;
  }
  if (queryStart >= 0) parseQuery(b, queryStart, hash, undefined, (k) => k);
  return b.build(queryAppendPrefix(t.slice(0, hash), queryStart >= 0));
}

const LOGFMT_ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', "'": "'", b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** go-logfmt key=value pairs; `user`, `password`, `connectString` fill the DSN parts. */
function parseLogfmt(b: DsnBuilder, s: number, end: number): ParsedDsn {
  const t = b.text;
  let k = s;
  let connect: { d: Decoded; start: number } | undefined;
  while (k < end) {
    if (t.charCodeAt(k) <= 32) {
      k++;
      continue;
    }
    const keyStart = k;
    while (k < end && t.charCodeAt(k) > 32 && t[k] !== '=' && t[k] !== '"') k++;
    const keyEnd = k;
    if (t[k] === '"') {
      b.error(k, k + 1, 'unexpected \'"\' in a logfmt key');
      k++;
      continue;
    }
    if (keyEnd === keyStart) {
      // '=' without a key.
      b.error(k, k + 1, 'unexpected "=": expected a key');
      k++;
      continue;
    }
    const key = t.slice(keyStart, keyEnd);
    let d: Decoded;
    let valStart = k;
    let valEnd = k;
    if (t[k] === '=') {
      k++;
      valStart = k;
      if (t[k] === '"') {
        let value = '';
        const starts: number[] = [];
        const ends: number[] = [];
        k++;
        let closed = false;
        while (k < end) {
          const c = t[k];
          if (c === '"') {
            closed = true;
            k++;
            break;
          }
          if (c === '\\' && k + 1 < end) {
            const nx = t[k + 1];
            if (nx === 'u' && /^[0-9a-fA-F]{4}$/.test(t.slice(k + 2, k + 6))) {
              value += String.fromCharCode(parseInt(t.slice(k + 2, k + 6), 16));
              starts.push(k);
              ends.push(k + 6);
              k += 6;
              continue;
            }
            const esc = LOGFMT_ESCAPES[nx];
            if (esc === undefined) b.error(k, k + 2, 'invalid escape sequence in a quoted logfmt value');
            value += esc ?? nx;
            starts.push(k);
            ends.push(k + 2);
            k += 2;
            continue;
          }
          value += c;
          starts.push(k);
          ends.push(k + 1);
          k++;
        }
        if (!closed) b.error(valStart, end, 'unterminated quoted value');
        valEnd = k;
        d = { value, starts, ends, badEscape: -1, badUtf8: false };
      } else {
        while (k < end && t.charCodeAt(k) > 32) {
          if (t[k] === '=' || t[k] === '"') b.error(k, k + 1, `unexpected '${t[k]}' in an unquoted logfmt value`);
          k++;
        }
        valEnd = k;
        d = plain(t, valStart, valEnd);
      }
    } else {
      d = plain(t, k, k);
    }
    const p = b.param(key, key, [keyStart, keyEnd], d.value, [valStart, valEnd], [keyStart, valEnd]);
    if (key === 'user') b.user = p;
    else if (key === 'password') b.password = p;
    else if (key === 'connectString') connect = { d, start: valStart };
  }
  if (connect) readConnectString(b, connect.d, connect.start, false);
  return b.build(end === 0 || isSpace(t[b.text.length - 1]) ? '' : ' ');
}

/** Index of the first `ch` in text[i, j) not preceded by a backslash, or -1 (godror splitQuoted). */
function indexUnescaped(t: string, ch: string, i: number, j: number): number {
  for (let k = i; k < j; k++) if (t[k] === ch && (k === i || t[k - 1] !== '\\')) return k;
  return -1;
}

/** godror unquote: drops backslashes, `\n` `\r` `\t` become control chars. */
function unquote(t: string, i: number, j: number): string {
  let out = '';
  for (let k = i; k < j; k++) {
    if (t[k] === '\\' && k + 1 < j) {
      const nx = t[++k];
      out += nx === 'n' ? '\n' : nx === 'r' ? '\r' : nx === 't' ? '\t' : nx;
    } else if (t[k] !== '\\') {
      out += t[k];
    }
  }
  return out;
}

function parsePlain(b: DsnBuilder, s: number, end: number): ParsedDsn {
  const t = b.text;
  // `scheme://…` (alphanumeric scheme) is a bare connect string.
  const sepAt = t.indexOf('://', s);
  const sep = sepAt >= 0 && sepAt < end ? sepAt : -1;
  let csStart = s;
  if (!(sep > s && /^[A-Za-z0-9]+$/.test(t.slice(s, sep)))) {
    const at = indexUnescaped(t, '@', s, end);
    const upEnd = at >= 0 ? at : end;
    const slash = indexUnescaped(t, '/', s, upEnd);
    if (at >= 0 || slash >= 0) {
      const userEnd = slash >= 0 ? slash : upEnd;
      b.user = b.part(s, userEnd, unquote(t, s, userEnd));
      if (slash >= 0) b.password = b.part(slash + 1, upEnd, unquote(t, slash + 1, upEnd));
      csStart = at >= 0 ? at + 1 : end;
    }
  }
  // A trailing " AS SYSDBA" (etc.) is the admin role, not part of the connect string.
  let csEnd = end;
  const upper = t.slice(csStart, end).toUpperCase();
  for (const role of ADMIN_ROLES) {
    if (upper.endsWith(' AS ' + role)) {
      csEnd = end - role.length - 4;
      break;
    }
  }
  const d = plain(t, csStart, csEnd);
  const kind = readConnectString(b, d, csStart, true);
  return b.build(kind === 'easy' ? queryAppendPrefix(t.slice(0, csEnd), d.value.includes('?')) : '');
}

/**
 * Reads hosts and service from a decoded connect string. With `withParams`, Easy Connect `?k=v`
 * parameters become params (the plain form has no other parameter syntax).
 */
function readConnectString(b: DsnBuilder, d: Decoded, start: number, withParams: boolean): 'easy' | 'descriptor' | 'alias' | 'empty' {
  const v = d.value;
  let i = 0;
  while (i < v.length && isSpace(v[i])) i++;
  if (i >= v.length) return 'empty';
  if (v[i] === '(') {
    readDescriptor(b, d, start);
    return 'descriptor';
  }
  const scheme = v.indexOf('://', i);
  if (scheme > i && /^[A-Za-z0-9]+$/.test(v.slice(i, scheme))) i = scheme + 3;
  else if (v.startsWith('//', i)) i += 2;
  const hostEnd = indexOfAny(v, '/?', i, v.length);
  const hostsText = v.slice(i, hostEnd);
  if (hostEnd === v.length && !/[.:,]/.test(hostsText) && hostsText.toLowerCase() !== 'localhost' && i === 0) {
    return 'alias';
  }
  // host[:port][,host[:port]…]
  let k = i;
  while (k <= hostEnd) {
    const e = indexOfAny(v, ',', k, hostEnd);
    if (e > k) {
      let hs = k;
      let he = e;
      let ps = -1;
      if (v[k] === '[') {
        const close = indexIn(v, ']', k, e);
        if (close > k && close < e) {
          hs = k + 1;
          he = close;
          if (v[close + 1] === ':') ps = close + 2;
        }
      } else {
        const c = lastIndexIn(v, ':', k, e);
        if (c >= 0) {
          he = c;
          ps = c + 1;
        }
      }
      let port;
      if (ps >= 0 && e > ps) {
        port = b.decodedPart(d, ps, e, start);
        const problem = portProblem(v.slice(ps, e));
        if (problem) b.errorAt(port.range, problem);
      }
      b.host(b.decodedPart(d, hs, he, start), port, false);
    }
    k = e + 1;
  }
  if (v[hostEnd] === '/') {
    const se = indexOfAny(v, ':/?', hostEnd + 1, v.length);
    if (se > hostEnd + 1) b.database = b.decodedPart(d, hostEnd + 1, se, start);
  }
  const q = v.indexOf('?', hostEnd);
  if (withParams && q >= 0) {
    // Easy Connect Plus parameters: `?k=v&k2=v2`, keys case-insensitive.
    let a = q + 1;
    while (a <= v.length) {
      const e = indexOfAny(v, '&', a, v.length);
      if (e > a) {
        const eq = indexIn(v, '=', a, e);
        const keyEnd = eq >= 0 ? eq : e;
        const valStart = eq >= 0 ? eq + 1 : e;
        const [ks, ke] = [d.starts[a], d.ends[keyEnd - 1] ?? d.starts[a]];
        const [vs, ve] = valStart < e ? [d.starts[valStart], d.ends[e - 1]] : [d.ends[e - 1], d.ends[e - 1]];
        const key = v.slice(a, keyEnd).trim();
        b.param(key, key.toLowerCase(), [ks, ke], v.slice(valStart, e).trim(), [vs, ve], [ks, ve]);
      }
      a = e + 1;
    }
  }
  return 'easy';
}

/** `(DESCRIPTION=(ADDRESS=(PROTOCOL=TCPS)(HOST=h)(PORT=1522))(CONNECT_DATA=(SERVICE_NAME=s)))`. */
function readDescriptor(b: DsnBuilder, d: Decoded, start: number): void {
  const v = d.value;
  const upper = v.toUpperCase();
  const valueOf = (from: number): [number, number] | undefined => {
    // After "(KEY": optional spaces, '=', optional spaces, value up to ')'.
    let k = from;
    while (k < v.length && isSpace(v[k])) k++;
    if (v[k] !== '=') return undefined;
    k++;
    while (k < v.length && isSpace(v[k])) k++;
    // The value ends at ')' (or at the next '(' of a malformed descriptor): linear overall.
    let e = k;
    while (e < v.length && v[e] !== ')' && v[e] !== '(') e++;
    let z = e;
    while (z > k && isSpace(v[z - 1])) z--;
    return [k, z];
  };
  const hosts: [number, number][] = [];
  const ports: ([number, number] | undefined)[] = [];
  let k = 0;
  while ((k = upper.indexOf('(', k)) >= 0) {
    k++;
    let n = k;
    while (n < v.length && isSpace(v[n])) n++;
    if (upper.startsWith('HOST', n) && !/[A-Z_]/.test(upper[n + 4] ?? '')) {
      const span = valueOf(n + 4);
      if (span) {
        hosts.push(span);
        ports.push(undefined);
      }
    } else if (upper.startsWith('PORT', n) && !/[A-Z_]/.test(upper[n + 4] ?? '') && hosts.length > 0) {
      const span = valueOf(n + 4);
      if (span) ports[hosts.length - 1] = span;
    } else if ((upper.startsWith('SERVICE_NAME', n) || upper.startsWith('SID', n)) && !b.database) {
      const span = valueOf(n + (upper.startsWith('SID', n) ? 3 : 12));
      if (span && span[1] > span[0]) b.database = b.decodedPart(d, span[0], span[1], start);
    }
  }
  hosts.forEach((h, idx) => {
    const p = ports[idx];
    b.host(b.decodedPart(d, h[0], h[1], start), p ? b.decodedPart(d, p[0], p[1], start) : undefined, false);
  });
}
