/**
 * PostgreSQL connection strings, as pgx (v5), lib/pq, libpq and pg-connection-string read them:
 *
 * - URL: `postgres[ql]://[user[:password]@][host[:port][,host[:port]…]][/dbname][?k=v&…]`.
 *   The authority ends at the first `/`, `?` or `#`; the LAST `@` in it ends the user info (Go
 *   net/url and WHATWG URL agree); user, password, host, database and query keys/values are
 *   percent-decoded (`+` is a space in the query, as url.ParseQuery and URLSearchParams do).
 *   Query parameters `host`, `port`, `user`, `password`, `dbname` override the authority, as in
 *   pgx and libpq; pgx keeps the FIRST value of a repeated query key.
 * - Keyword/value (libpq `conninfo_parse`): `key = value` pairs separated by whitespace; a
 *   value may be single-quoted; `\` escapes the next char in quoted and unquoted values. The
 *   LAST value of a repeated key wins.
 *
 * Keys are case-sensitive (norm = key). Multi-host lists (`host=a,b port=5432,5433`) produce one
 * DsnHost each; a host starting with `/` is a unix socket directory.
 * Value checks (`sslmode=verify_full`) are not made here: they differ between consumers.
 */
import { SrcString } from '../srcstring';
import {
  addUrlHost,
  decodedUrlPart,
  DecodedParam,
  DsnBuilder,
  indexOfAny,
  isSpace,
  lastIndexIn,
  indexIn,
  parseQuery,
  portProblem,
  queryAppendPrefix,
  splitList,
  urlAuthority,
} from './common';
import { ParsedDsn } from './types';

const URL_PREFIXES = ['postgres://', 'postgresql://'];

/** Length of the `postgres://`/`postgresql://` prefix of `text` (case-insensitive), or 0. */
export function postgresUrlPrefix(text: string): number {
  const lower = text.slice(0, 13).toLowerCase();
  for (const p of URL_PREFIXES) if (lower.startsWith(p)) return p.length;
  return 0;
}

/** Parses a PostgreSQL URL or keyword/value connection string, choosing the form by prefix. */
export function parsePostgres(src: SrcString): ParsedDsn {
  return postgresUrlPrefix(src.text) > 0 ? parsePostgresUrl(src) : parsePostgresKv(src);
}

/** Well-known libpq keywords (used to recognise keyword/value strings of unknown origin). */
const LIBPQ_KEYWORDS = new Set([
  'host', 'hostaddr', 'port', 'dbname', 'user', 'password', 'passfile', 'sslmode', 'sslrootcert',
  'sslcert', 'sslkey', 'sslcrl', 'sslsni', 'sslnegotiation', 'sslpassword', 'connect_timeout',
  'application_name', 'options', 'target_session_attrs', 'require_auth', 'channel_binding',
  'gssencmode', 'krbsrvname', 'service', 'client_encoding', 'keepalives', 'load_balance_hosts',
  'pool_max_conns', 'pool_min_conns', 'statement_cache_capacity', 'default_query_exec_mode',
]);
const LIBPQ_ANCHORS = new Set(['host', 'hostaddr', 'dbname', 'sslmode', 'user']);

/**
 * Whether `text` looks like a libpq keyword/value string: at least two `key=value` pairs with
 * well-known keywords, one of them host/hostaddr/dbname/sslmode/user. Conservative on purpose:
 * config files are full of `a=b` strings.
 */
export function looksLikePostgresKv(text: string): boolean {
  if (text.length > 100_000 || text.includes(';') || text.includes('&')) return false;
  const d = parsePostgresKv(SrcString.exact(text, 0));
  if (d.errors.length > 0 || d.params.length < 2) return false;
  let known = 0;
  let anchor = false;
  for (const p of d.params) {
    if (LIBPQ_KEYWORDS.has(p.key)) known++;
    if (LIBPQ_ANCHORS.has(p.key)) anchor = true;
  }
  return anchor && known >= 2 && known * 2 >= d.params.length;
}

function parsePostgresUrl(src: SrcString): ParsedDsn {
  const b = new DsnBuilder(src, 'pg-url');
  const t = b.text;
  const n = t.length;
  const start = postgresUrlPrefix(t);
  const { hash, authEnd } = urlAuthority(b, start, n);

  // User info: everything before the last '@' of the authority.
  const at = lastIndexIn(t, '@', start, authEnd);
  let hostStart = start;
  if (at >= 0) {
    hostStart = at + 1;
    const colon = indexIn(t, ':', start, at);
    const userEnd = colon >= 0 ? colon : at;
    b.user = decodedUrlPart(b, start, userEnd, 'user name');
    if (colon >= 0) b.password = decodedUrlPart(b, colon + 1, at, 'password');
  }

  // Hosts: a comma-separated list (pgx, libpq); empty entries are skipped.
  let k = hostStart;
  while (k <= authEnd) {
    const e = indexOfAny(t, ',', k, authEnd);
    addUrlHost(b, k, e, { decode: true });
    k = e + 1;
  }

  // Database: the path after '/', up to '?' or '#'.
  let queryStart = -1;
  if (authEnd < hash && t[authEnd] === '/') {
    const pathEnd = indexOfAny(t, '?', authEnd + 1, hash);
    b.database = decodedUrlPart(b, authEnd + 1, pathEnd, 'database name');
    if (pathEnd < hash) queryStart = pathEnd + 1;
  } else if (authEnd < hash && t[authEnd] === '?') {
    queryStart = authEnd + 1;
  }

  const decodedParams: DecodedParam[] = [];
  if (queryStart >= 0) parseQuery(b, queryStart, hash, decodedParams, (key) => key);
  applyParamOverrides(b, decodedParams, true);
  return b.build(queryAppendPrefix(t.slice(0, hash), queryStart >= 0));
}

/**
 * Applies `host`/`hostaddr`/`port`/`user`/`password`/`dbname` parameters, which override the URL
 * authority (pgx, libpq). `firstWins` follows pgx's URL reading; keyword/value takes the last.
 */
function applyParamOverrides(b: DsnBuilder, params: readonly DecodedParam[], firstWins: boolean): void {
  const pick = (key: string): DecodedParam | undefined => {
    let found: DecodedParam | undefined;
    for (const p of params) {
      if (p.param.key !== key) continue;
      if (firstWins) return p;
      found = p;
    }
    return found;
  };
  const hostP = pick('host') ?? pick('hostaddr');
  const portP = pick('port');
  if (hostP) {
    const hosts = splitList(hostP.decoded);
    const ports = portP ? splitList(portP.decoded) : [];
    b.hosts.length = 0;
    hosts.forEach(([a, e], idx) => {
      const host = b.decodedPart(hostP.decoded, a, e, hostP.valueStart);
      const pr = ports.length === 1 ? ports[0] : ports[idx];
      let port;
      if (portP && pr && pr[1] > pr[0]) port = b.decodedPart(portP.decoded, pr[0], pr[1], portP.valueStart);
      const hv = hostP.decoded.value.slice(a, e);
      if (hv.length === 0 && !port) return;
      b.host(host, port, hv.startsWith('/'));
    });
  } else if (portP && b.hosts.length > 0) {
    // A `port` parameter alone applies to the hosts of the authority.
    const ports = splitList(portP.decoded);
    for (let idx = 0; idx < b.hosts.length; idx++) {
      const pr = ports.length === 1 ? ports[0] : ports[idx];
      if (!pr || pr[1] <= pr[0]) continue;
      b.hosts[idx] = { ...b.hosts[idx], port: b.decodedPart(portP.decoded, pr[0], pr[1], portP.valueStart) };
    }
  }
  if (portP) {
    for (const [a, e] of splitList(portP.decoded)) {
      const problem = portProblem(portP.decoded.value.slice(a, e));
      if (problem) b.errorAt(b.decodedPart(portP.decoded, a, e, portP.valueStart).range, problem);
    }
  }
  const user = pick('user');
  if (user) b.user = user.param;
  const password = pick('password');
  if (password) b.password = password.param;
  const db = pick('dbname');
  if (db) b.database = db.param;
}

/** libpq keyword/value form (fe-connect.c conninfo_parse), with error recovery. */
function parsePostgresKv(src: SrcString): ParsedDsn {
  const b = new DsnBuilder(src, 'pg-kv');
  const t = b.text;
  const n = t.length;
  const decodedParams: DecodedParam[] = [];
  let k = 0;
  while (k < n) {
    if (isSpace(t[k])) {
      k++;
      continue;
    }
    // Keyword: up to '=' or whitespace.
    const keyStart = k;
    while (k < n && t[k] !== '=' && !isSpace(t[k])) k++;
    const keyEnd = k;
    while (k < n && isSpace(t[k])) k++;
    if (t[k] !== '=') {
      // libpq: missing "=" after keyword. The word is dropped; parsing resumes after it.
      b.error(keyStart, keyEnd, 'missing "=" after a keyword (libpq rejects the connection string)');
      continue;
    }
    k++; // '='
    if (keyEnd === keyStart) b.error(keyStart, k, 'empty keyword before "="');
    while (k < n && isSpace(t[k])) k++;
    const valStart = k;
    let value = '';
    const starts: number[] = [];
    const ends: number[] = [];
    if (t[k] === "'") {
      k++;
      let closed = false;
      while (k < n) {
        if (t[k] === '\\' && k + 1 < n) {
          value += t[k + 1];
          starts.push(k);
          ends.push(k + 2);
          k += 2;
          continue;
        }
        if (t[k] === '\\') {
          k++;
          continue;
        }
        if (t[k] === "'") {
          closed = true;
          k++;
          break;
        }
        value += t[k];
        starts.push(k);
        ends.push(k + 1);
        k++;
      }
      if (!closed) b.error(valStart, n, 'unterminated quoted string in connection string');
    } else {
      while (k < n && !isSpace(t[k])) {
        if (t[k] === '\\') {
          if (k + 1 < n) {
            value += t[k + 1];
            starts.push(k);
            ends.push(k + 2);
            k += 2;
          } else {
            b.error(k, k + 1, 'trailing backslash in value (pgx rejects it)');
            k++;
          }
          continue;
        }
        value += t[k];
        starts.push(k);
        ends.push(k + 1);
        k++;
      }
    }
    const valEnd = k;
    const key = t.slice(keyStart, keyEnd);
    const param = b.param(key, key, [keyStart, keyEnd], value, [valStart, valEnd], [keyStart, valEnd]);
    decodedParams.push({ param, decoded: { value, starts, ends, badEscape: -1, badUtf8: false }, valueStart: valStart });
  }
  applyParamOverrides(b, decodedParams, false);
  return b.build(n === 0 || isSpace(t[n - 1]) ? '' : ' ');
}
