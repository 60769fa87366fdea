/**
 * go-sql-driver/mysql DSNs: `[user[:password]@][net[(addr)]]/dbname[?param1=value1&…]`.
 *
 * A port of dsn.go ParseDSN / parseDSNParams (v1.10):
 * - The LAST `/` of the whole string splits; before it, the LAST `@` ends the user info, whose
 *   FIRST `:` separates user and password (so a password may contain `:`, `@` and `/`). User and
 *   password are not unescaped; the database name is path-unescaped.
 * - `net(addr)`: `tcp(host:port)` (port defaults to 3306), `unix(/path)` (a socket), or a name
 *   registered with RegisterDialContext. An empty net is tcp at 127.0.0.1:3306 (no host here).
 * - Parameters split at `&`; an entry without `=` is ignored by the driver (kept here for
 *   ranges). Keys are case-sensitive. `tls` custom names, `serverPubKey`, `loc` and unknown
 *   keys (sent as session variables) are query-unescaped; the driver's own keys are not.
 *
 * The driver rejects a `/` inside a parameter value (`loc=Europe/Paris` must be escaped): this
 * parser reports that error and then re-reads the string split at the last `/` before the
 * query, so rules still see the parameters.
 */
import { SrcString } from '../srcstring';
import {
  DsnBuilder,
  indexIn,
  isDigits,
  isGoDuration,
  lastIndexIn,
  percentDecode,
  queryAppendPrefix,
  splitHostPort,
  portProblem,
} from './common';
import { DsnPart, ParsedDsn } from './types';

/** Boolean parameters read with utils.go readBool: anything but these spellings is an error. */
export const GO_MYSQL_BOOL_PARAMS: ReadonlySet<string> = new Set([
  'allowAllFiles',
  'allowCleartextPasswords',
  'allowFallbackToPlaintext',
  'allowNativePasswords',
  'allowOldPasswords',
  'checkConnLiveness',
  'clientFoundRows',
  'columnsWithAlias',
  'compress',
  'interpolateParams',
  'multiStatements',
  'parseTime',
  'rejectReadOnly',
]);

const READ_BOOL = new Set(['1', 'true', 'TRUE', 'True', '0', 'false', 'FALSE', 'False']);

/** Whether `v` is accepted by go-sql-driver readBool. */
export function isGoMysqlBool(v: string): boolean {
  return READ_BOOL.has(v);
}

const DURATION_PARAMS = new Set(['timeout', 'readTimeout', 'writeTimeout', 'timeTruncate']);
/** Driver keys whose values are used as written (not query-unescaped). */
const RAW_PARAMS = new Set([
  ...GO_MYSQL_BOOL_PARAMS,
  ...DURATION_PARAMS,
  'charset',
  'collation',
  'maxAllowedPacket',
  'connectionAttributes',
]);

/** Parses a go-sql-driver/mysql DSN. */
export function parseGoMysql(src: SrcString): ParsedDsn {
  const t = src.text;
  const slash = t.lastIndexOf('/');
  const first = parseAt(src, slash);
  if (first.structural) {
    // The driver rejects the string (typically an unescaped '/' in a parameter value). Re-read
    // it split at the last '/' before the first '?' so the parameters stay visible; keep the
    // driver's error.
    const q = t.indexOf('?');
    const alt = q >= 0 ? lastIndexIn(t, '/', 0, q) : -1;
    if (alt >= 0 && alt !== slash) {
      const second = parseAt(src, alt);
      if (!second.structural) {
        second.b.errors.unshift(...first.b.errors.filter((e) => e === first.structural));
        return second.b.build(second.prefix);
      }
    }
  }
  return first.b.build(first.prefix);
}

interface Attempt {
  readonly b: DsnBuilder;
  readonly prefix: string;
  /** The error that made the driver reject the string's structure, if any. */
  readonly structural?: { range: { start: number; end: number }; message: string };
}

function parseAt(src: SrcString, slash: number): Attempt {
  const b = new DsnBuilder(src, 'go-mysql');
  const t = b.text;
  const n = t.length;
  let structural: Attempt['structural'];
  const fail = (i: number, j: number, message: string) => {
    b.error(i, j, message);
    structural ??= b.errors[b.errors.length - 1];
  };

  if (slash < 0) {
    if (n > 0) fail(0, n, 'invalid DSN: missing the slash separating the database name');
    return { b, prefix: queryAppendPrefix(t, t.includes('?')), structural };
  }

  let net = '';
  let netSpan: [number, number] = [0, 0];
  let addr: [number, number] | undefined;
  if (slash > 0) {
    // [user[:password]@]: the last '@' before the slash; the first ':' before it.
    const at = lastIndexIn(t, '@', 0, slash);
    if (at >= 0) {
      const colon = indexIn(t, ':', 0, at);
      const userEnd = colon >= 0 ? colon : at;
      b.user = b.part(0, userEnd, t.slice(0, userEnd));
      if (colon >= 0) b.password = b.part(colon + 1, at, t.slice(colon + 1, at));
    }
    // [net[(addr)]]: the first '(' after the user info; the char before the slash must be ')'.
    const netStart = at + 1;
    const paren = indexIn(t, '(', netStart, slash);
    if (paren >= 0) {
      if (t[slash - 1] !== ')') {
        if (indexIn(t, ')', paren + 1, slash) >= 0) {
          fail(paren + 1, slash, 'invalid DSN: did you forget to escape a param value? (a "/" in a parameter value must be written %2F)');
        } else {
          fail(paren, slash, 'invalid DSN: network address not terminated (missing closing parenthesis)');
        }
      } else {
        addr = [paren + 1, slash - 1];
      }
      netSpan = [netStart, paren];
    } else {
      netSpan = [netStart, slash];
    }
    net = t.slice(netSpan[0], netSpan[1]);
  }

  // dbname[?params]
  const q = indexIn(t, '?', slash + 1, n);
  const dbEnd = q >= 0 ? q : n;
  const db = percentDecode(t, slash + 1, dbEnd, false);
  if (db.badEscape >= 0) b.error(slash + 1, dbEnd, 'invalid database name: malformed percent-encoding');
  b.database = b.part(slash + 1, dbEnd, db.value);
  if (q >= 0) parseParams(b, q + 1, n);

  addHost(b, net, netSpan, addr, fail);
  return { b, prefix: queryAppendPrefix(t, q >= 0), structural };
}

function addHost(
  b: DsnBuilder,
  net: string,
  netSpan: [number, number],
  addr: [number, number] | undefined,
  fail: (i: number, j: number, m: string) => void,
): void {
  const t = b.text;
  const addrText = addr ? t.slice(addr[0], addr[1]) : '';
  if (addrText === '') {
    // normalize(): tcp → 127.0.0.1:3306, unix → /tmp/mysql.sock, anything else is an error.
    if (net !== '' && net !== 'tcp' && net !== 'unix' && !net.includes('\uE000')) {
      fail(netSpan[0], netSpan[1], 'invalid DSN: no default address for this network type; give one as net(addr)');
    }
    return;
  }
  const [as, ae] = addr!;
  if (net === 'unix') {
    b.host(b.part(as, ae, addrText), undefined, true);
    return;
  }
  if (net === '' || net === 'tcp' || net === 'tcp4' || net === 'tcp6') {
    const hp = splitHostPort(t, as, ae, true);
    if (hp.problem && hp.problemAt) b.error(hp.problemAt[0], hp.problemAt[1], hp.problem);
    let port: DsnPart | undefined;
    if (hp.port) {
      const pv = t.slice(hp.port[0], hp.port[1]);
      const problem = portProblem(pv);
      if (problem) b.error(hp.port[0], hp.port[1], problem);
      if (pv !== '') port = b.part(hp.port[0], hp.port[1], pv);
    }
    b.host(b.part(hp.host[0], hp.host[1], t.slice(hp.host[0], hp.host[1])), port, false);
    return;
  }
  // A network registered with RegisterDialContext (cloudsql, …): the address is opaque.
  b.host(b.part(as, ae, addrText), undefined, false);
}

function parseParams(b: DsnBuilder, start: number, end: number): void {
  const t = b.text;
  let k = start;
  while (k <= end) {
    let e = t.indexOf('&', k);
    if (e < 0 || e > end) e = end;
    if (e > k) {
      const eq = indexIn(t, '=', k, e);
      const keyEnd = eq >= 0 ? eq : e;
      const valStart = eq >= 0 ? eq + 1 : e;
      const key = t.slice(k, keyEnd);
      const raw = t.slice(valStart, e);
      let value = raw;
      const known = key.includes('\uE000') || raw.includes('\uE000') ? false : true;
      if (key === 'tls' && known) {
        if (!isGoMysqlBool(raw) && raw.toLowerCase() !== 'skip-verify' && raw.toLowerCase() !== 'preferred') {
          // A RegisterTLSConfig name, query-unescaped; resolved by the profile layer.
          const d = percentDecode(t, valStart, e, true);
          if (d.badEscape >= 0) b.error(valStart, e, 'invalid value for TLS config name: malformed percent-encoding');
          value = d.value;
        }
      } else if (!RAW_PARAMS.has(key)) {
        const d = percentDecode(t, valStart, e, true);
        if (d.badEscape >= 0 && known) b.error(valStart, e, `invalid percent-encoding in the value of "${key}"`);
        value = d.value;
      }
      if (known && eq >= 0) checkValue(b, key, raw, valStart, e);
      b.param(key, key, [k, keyEnd], value, [valStart, e], [k, e]);
    }
    k = e + 1;
  }
}

/** The value checks parseDSNParams makes (errors make ParseDSN fail). */
function checkValue(b: DsnBuilder, key: string, raw: string, i: number, j: number): void {
  if (GO_MYSQL_BOOL_PARAMS.has(key) && !isGoMysqlBool(raw)) {
    b.error(i, j, `invalid bool value for ${key}: go-sql-driver accepts only true, false, 1, 0 (also TRUE/True/FALSE/False)`);
  } else if (DURATION_PARAMS.has(key) && !isGoDuration(raw)) {
    b.error(i, j, `invalid duration for ${key}: use a Go duration such as 5s or 500ms`);
  } else if (key === 'maxAllowedPacket' && !isDigits(raw.replace(/^[+-]/, ''))) {
    b.error(i, j, 'invalid integer value for maxAllowedPacket');
  }
}
