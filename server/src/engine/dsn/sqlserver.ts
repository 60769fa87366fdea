/**
 * microsoft/go-mssqldb connection strings (msdsn/conn_str.go), in its three forms:
 *
 * - URL `sqlserver://user:pass@host[:port][/instance]?k=v`: user info percent-decoded; query keys
 *   lowercased (norm) and values query-unescaped; a key given twice — since v1.10 also with
 *   different casing — is an error.
 * - ODBC `odbc:k=v;k2={va;lue}`: keys trimmed and lowercased; a value may be braced, `}}` inside
 *   braces is a `}`; whitespace around a bare value is dropped.
 * - ADO `k=v;k2=v2`: split at `;`, then at the first `=`; keys trimmed and lowercased, values
 *   trimmed; no quoting. Later keys win.
 *
 * ADO/ODBC synonyms are folded into `norm` (`Data Source` → `server`, `UID` → `user id`,
 * `Trust Server Certificate` → `trustservercertificate`, …). `server` is read as
 * `[tcp:|np:|lpc:|admin:]host[\instance][,port]`. Values the driver rejects (`encrypt=maybe`,
 * `TrustServerCertificate=yes`, a non-numeric port or timeout) are reported as errors.
 */
import { SrcString } from '../srcstring';
import {
  addUrlHost,
  Decoded,
  DecodedParam,
  decodedUrlPart,
  DsnBuilder,
  indexIn,
  indexOfAny,
  isDigits,
  isGoParseBool,
  isSpace,
  lastIndexIn,
  parseQuery,
  plain,
  portProblem,
  queryAppendPrefix,
  semicolonAppendPrefix,
  urlAuthority,
} from './common';
import { DsnPart, ParsedDsn } from './types';

/** go-mssqldb's ADO key synonyms, after lowercasing and trimming. */
export const MSSQL_ADO_SYNONYMS: Readonly<Record<string, string>> = {
  'application name': 'app name',
  'data source': 'server',
  address: 'server',
  'network address': 'server',
  addr: 'server',
  user: 'user id',
  uid: 'user id',
  pwd: 'password',
  'initial catalog': 'database',
  'trust server certificate': 'trustservercertificate',
  'host name in certificate': 'hostnameincertificate',
  'server certificate': 'servercertificate',
};

/** Lowercased, trimmed key with go-mssqldb's synonyms applied. */
export function mssqlNorm(key: string): string {
  const k = key.trim().toLowerCase();
  return MSSQL_ADO_SYNONYMS[k] ?? k;
}

const ENCRYPT_VALUES = new Set(['true', 'false', '1', '0', 't', 'f', 'yes', 'no', 'mandatory', 'optional', 'strict', 'disable']);
const UINT_PARAMS = new Set(['log', 'connection timeout', 'dial timeout', 'keepalive', 'packet size', 'failoverport']);
const BOOL_PARAMS = new Set(['trustservercertificate', 'disableretry']);

/** Parses any go-mssqldb connection string, choosing URL, ODBC or ADO by prefix as msdsn.Parse does. */
export function parseSqlServer(src: SrcString): ParsedDsn {
  const t = src.text;
  if (t.startsWith('sqlserver://')) return parseSqlServerUrl(src);
  if (t.startsWith('odbc:')) return parseOdbc(src);
  return parseAdo(src);
}

/** go-mssqldb ADO form: `k=v;k2=v2` (no quoting). */
export function parseAdo(src: SrcString): ParsedDsn {
  const b = new DsnBuilder(src, 'ado');
  const t = b.text;
  const n = t.length;
  const params: DecodedParam[] = [];
  let k = 0;
  while (k <= n) {
    let e = t.indexOf(';', k);
    if (e < 0) e = n;
    if (e > k) {
      const eq = indexIn(t, '=', k, e);
      const [ks, ke] = trimSpan(t, k, eq >= 0 ? eq : e);
      if (ke > ks) {
        const [vs, ve] = eq >= 0 ? trimSpan(t, eq + 1, e) : [e, e];
        const key = t.slice(ks, ke);
        const param = b.param(key, mssqlNorm(key), [ks, ke], t.slice(vs, ve), [vs, ve], [k, e]);
        params.push({ param, decoded: plain(t, vs, ve), valueStart: vs });
      }
    }
    k = e + 1;
  }
  finishMssql(b, params);
  return b.build(semicolonAppendPrefix(t));
}

function trimSpan(t: string, i: number, j: number): [number, number] {
  while (i < j && isSpace(t[i])) i++;
  while (j > i && isSpace(t[j - 1])) j--;
  return [i, j];
}

/** go-mssqldb ODBC form: `odbc:k=v;k2={braced;value}`. A port of splitConnectionStringOdbc. */
function parseOdbc(src: SrcString): ParsedDsn {
  const b = new DsnBuilder(src, 'odbc');
  const t = b.text;
  const n = t.length;
  const params: DecodedParam[] = [];
  let k = 5; // after "odbc:"
  while (k < n) {
    // Before a key: skip whitespace and ';'.
    if (isSpace(t[k]) || t[k] === ';') {
      k++;
      continue;
    }
    const entryStart = k;
    if (t[k] === '=') {
      b.error(k, k + 1, 'unexpected "=": expected the start of a key');
      k++;
      continue;
    }
    const keyStart = k;
    while (k < n && t[k] !== '=' && t[k] !== ';') k++;
    let keyEnd = k;
    while (keyEnd > keyStart && isSpace(t[keyEnd - 1])) keyEnd--;
    const key = t.slice(keyStart, keyEnd);
    if (k >= n || t[k] === ';') {
      // A key without a value.
      const param = b.param(key, mssqlNorm(key), [keyStart, keyEnd], '', [k, k], [entryStart, k]);
      params.push({ param, decoded: plain(t, k, k), valueStart: k });
      continue;
    }
    k++; // '='
    while (k < n && isSpace(t[k])) k++;
    const valStart = k;
    let decoded: Decoded;
    let valEnd: number;
    if (t[k] === '{') {
      let value = '';
      const starts: number[] = [];
      const ends: number[] = [];
      k++;
      let closed = false;
      while (k < n) {
        if (t[k] === '}') {
          if (t[k + 1] === '}') {
            value += '}';
            starts.push(k);
            ends.push(k + 2);
            k += 2;
            continue;
          }
          closed = true;
          k++;
          break;
        }
        value += t[k];
        starts.push(k);
        ends.push(k + 1);
        k++;
      }
      valEnd = k;
      decoded = { value, starts, ends, badEscape: -1, badUtf8: false };
      if (!closed) b.error(valStart, n, 'unterminated braced value');
      // After the closing brace: only whitespace until ';'.
      while (k < n && isSpace(t[k])) k++;
      if (k < n && t[k] !== ';') {
        b.error(k, k + 1, 'unexpected character after a braced value: expected ";"');
        while (k < n && t[k] !== ';') k++;
      }
    } else {
      while (k < n && t[k] !== ';') k++;
      valEnd = k;
      while (valEnd > valStart && isSpace(t[valEnd - 1])) valEnd--;
      decoded = plain(t, valStart, valEnd);
    }
    const param = b.param(key, mssqlNorm(key), [keyStart, keyEnd], decoded.value, [valStart, valEnd], [entryStart, valEnd]);
    params.push({ param, decoded, valueStart: valStart });
  }
  finishMssql(b, params);
  return b.build(n <= 5 ? '' : semicolonAppendPrefix(t));
}

/** `sqlserver://user:pass@host:port/instance?k=v` (splitConnectionStringURL). */
function parseSqlServerUrl(src: SrcString): ParsedDsn {
  const b = new DsnBuilder(src, 'sqlserver-url');
  const t = b.text;
  const n = t.length;
  const start = 'sqlserver://'.length;
  const { hash, authEnd } = urlAuthority(b, start, n);
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
    if (pathEnd < hash) queryStart = pathEnd + 1;
  } else if (authEnd < hash && t[authEnd] === '?') {
    queryStart = authEnd + 1;
  }
  const params: DecodedParam[] = [];
  if (queryStart >= 0) parseQuery(b, queryStart, hash, params, (k) => k.toLowerCase());
  // Duplicate keys (any casing since v1.10) make msdsn.Parse fail.
  const seen = new Set<string>();
  for (const p of b.params) {
    if (seen.has(p.norm)) b.errorAt(p.keyRange, `parameter "${p.norm}" is given more than once (go-mssqldb rejects the connection string)`);
    seen.add(p.norm);
  }
  // The URL authority is the server unless a `server` parameter replaces it.
  finishMssql(b, params);
  return b.build(queryAppendPrefix(t.slice(0, hash), queryStart >= 0));
}

/**
 * Common tail of the three forms: user/password/database/server from the (last) parameters, and
 * the value checks msdsn.Parse makes.
 */
function finishMssql(b: DsnBuilder, params: readonly DecodedParam[]): void {
  const last = (norm: string): DecodedParam | undefined => {
    let found: DecodedParam | undefined;
    for (const p of params) if (p.param.norm === norm) found = p;
    return found;
  };
  const user = last('user id');
  if (user) b.user = user.param;
  const password = last('password');
  if (password) b.password = password.param;
  const database = last('database');
  if (database) b.database = database.param;
  const server = last('server');
  const port = last('port');
  if (server) {
    b.hosts.length = 0;
    addServerHost(b, server.decoded, server.valueStart, port, 'go-mssqldb');
  } else if (port && b.hosts.length > 0) {
    b.hosts[0] = { ...b.hosts[0], port: b.decodedPart(port.decoded, 0, port.decoded.value.length, port.valueStart) };
  }
  for (const { param: p } of params) {
    const v = p.value;
    if (v === undefined) continue;
    if (p.norm === 'encrypt' && !ENCRYPT_VALUES.has(v.toLowerCase())) {
      b.errorAt(p.range, `invalid encrypt value: go-mssqldb accepts true, false, strict, disable (also yes/no, mandatory/optional, 1/0)`);
    } else if (BOOL_PARAMS.has(p.norm) && !isGoParseBool(v)) {
      b.errorAt(p.range, `invalid boolean value for ${p.key.trim()}: go-mssqldb accepts only true/false, 1/0, t/f (strconv.ParseBool; "yes" is an error)`);
    } else if (p.norm === 'port' && portProblem(v)) {
      b.errorAt(p.range, `invalid tcp port: ${portProblem(v)}`);
    } else if (UINT_PARAMS.has(p.norm) && !isDigits(v) && !(p.norm === 'packet size' || p.norm === 'failoverport' ? /^0[xX][0-9a-fA-F]+$/.test(v) : false)) {
      b.errorAt(p.range, `invalid ${p.norm}: expected a non-negative integer`);
    }
  }
}

/**
 * Adds the host of an ADO/ODBC `server` value: `[tcp:|np:|lpc:|admin:]host[\instance][,port]`.
 * `lpc:` (shared memory) is a local socket. Shared with the tedious reading (`dialect`).
 */
export function addServerHost(
  b: DsnBuilder,
  d: Decoded,
  valueStart: number,
  portParam: DecodedParam | undefined,
  dialect: 'go-mssqldb' | 'tedious',
): void {
  const v = d.value;
  let a = 0;
  let socket = false;
  const m = /^(tcp|np|lpc|admin):/i.exec(v.slice(0, 7));
  if (m) {
    const prot = m[1].toLowerCase();
    if (dialect === 'tedious' && prot === 'np') {
      b.errorAt(b.decodedPart(d, 0, 3, valueStart).range, 'connection via named pipes is not supported by mssql/tedious');
    }
    socket = prot === 'lpc';
    a = m[0].length;
  }
  let e = v.length;
  let portSpan: [number, number] | undefined;
  const comma = v.indexOf(',', a);
  if (comma >= 0) {
    // go-mssqldb: exactly `host,port` with a non-empty port; tedious/mssql: the first comma.
    const rest = v.slice(comma + 1);
    if (dialect === 'tedious' || (!rest.includes(',') && rest.length > 0)) {
      portSpan = [comma + 1, v.length];
      e = comma;
    }
  }
  const bs = v.indexOf('\\', a);
  const hostEnd = bs >= 0 && bs < e ? bs : e;
  let port: DsnPart | undefined;
  if (portSpan) {
    port = b.decodedPart(d, portSpan[0], portSpan[1], valueStart);
    const problem = portProblem(v.slice(portSpan[0], portSpan[1]).trim());
    if (problem) b.errorAt(port.range, problem);
  } else if (portParam) {
    port = b.decodedPart(portParam.decoded, 0, portParam.decoded.value.length, portParam.valueStart);
  }
  b.host(b.decodedPart(d, a, hostEnd, valueStart), port, socket);
}
