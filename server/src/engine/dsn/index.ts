/**
 * Entry point of the DSN parsers: one parser per driver grammar (see each file), plus
 * `detectDsnFormat` for strings of unknown origin (config files, environment values).
 *
 * Architecture invariant: parsers never throw; a string the consumer would reject yields
 * `errors`, and every part keeps its exact source range (dsn/types.ts).
 */
import { SrcString } from '../srcstring';
import { parseGoMysql } from './goMysql';
import { mysqlUrlPrefix, parseMysqlUrl } from './mysqlUrl';
import { parseOracle } from './oracle';
import { looksLikePostgresKv, parsePostgres, postgresUrlPrefix } from './postgres';
import { parseAdo, parseSqlServer } from './sqlserver';
import { parseTediousConnectionString } from './tediousAdo';
import { DsnFormat, ParsedDsn } from './types';

export * from './types';
export { parseGoMysql, isGoMysqlBool, GO_MYSQL_BOOL_PARAMS } from './goMysql';
export { parseMysqlUrl } from './mysqlUrl';
export { parseOracle } from './oracle';
export { looksLikePostgresKv, parsePostgres } from './postgres';
export { parseAdo, parseSqlServer, mssqlNorm, MSSQL_ADO_SYNONYMS } from './sqlserver';
export { parseTediousConnectionString, tediousNorm } from './tediousAdo';

/** Strings longer than this are not taken for a DSN by detection (parsers accept any length). */
const MAX_DETECT_LENGTH = 8192;

const ADO_SERVER_KEYS = new Set(['server', 'data source', 'address', 'addr', 'network address']);
const ADO_OTHER_KEYS = new Set([
  'database', 'initial catalog', 'user id', 'uid', 'user', 'password', 'pwd', 'encrypt',
  'trustservercertificate', 'trust server certificate', 'integrated security', 'trusted_connection',
  'authentication', 'port', 'app name', 'application name', 'connection timeout', 'multipleactiveresultsets',
  'persist security info', 'fedauth', 'hostnameincertificate', 'driver',
]);

/**
 * The grammar a string of unknown origin is written in, or undefined. Conservative: prefixes
 * that only DSNs have, or several well-known keys; a random string is not a DSN.
 */
export function detectDsnFormat(text: string): DsnFormat | undefined {
  const s = text.trim();
  if (s.length < 5 || s.length > MAX_DETECT_LENGTH) return undefined;
  if (postgresUrlPrefix(s) > 0) return 'pg-url';
  if (mysqlUrlPrefix(s) > 0) return 'mysql-url';
  if (s.startsWith('sqlserver://')) return 'sqlserver-url';
  if (s.startsWith('oracle://')) return 'oracle';
  if (s.startsWith('odbc:') && s.includes('=')) return 'odbc';
  if (looksLikeGoMysql(s)) return 'go-mysql';
  if (looksLikeAdo(s)) return 'ado';
  if (looksLikeOracle(s)) return 'oracle';
  if (looksLikePostgresKv(s)) return 'pg-kv';
  return undefined;
}

/** `user:pass@tcp(host:3306)/db`, `user@unix(/sock)/db`, `user:pass@/db`. */
function looksLikeGoMysql(s: string): boolean {
  if (/\s/.test(s) || s.includes('://')) return false;
  const at = s.lastIndexOf('@', s.lastIndexOf('/'));
  if (at < 0) return /^(tcp|unix)\([^()]*\)\//.test(s);
  const rest = s.slice(at + 1);
  return /^(tcp|tcp4|tcp6|unix)\([^()]*\)\//.test(rest) || rest.startsWith('/');
}

/** `Server=…;Database=…` — a server key and at least one other well-known key. */
function looksLikeAdo(s: string): boolean {
  if (!s.includes(';') || !s.includes('=')) return false;
  let server = false;
  let other = 0;
  for (const seg of s.split(';')) {
    const eq = seg.indexOf('=');
    if (eq < 0) continue;
    const key = seg.slice(0, eq).trim().toLowerCase();
    if (ADO_SERVER_KEYS.has(key) && seg.slice(eq + 1).trim() !== '') server = true;
    else if (ADO_OTHER_KEYS.has(key)) other++;
  }
  return server && other >= 1;
}

/** godror logfmt with connectString=, an Oracle descriptor, or `user/pass@host:port/service`. */
function looksLikeOracle(s: string): boolean {
  if (/(^|\s)connectString=/.test(s) && /(^|\s)user=/.test(s)) return true;
  if (/^\(\s*DESCRIPTION\s*=/i.test(s)) return true;
  // user/pass@host:port/service — every part a plain token, with a numeric port.
  return /^[A-Za-z0-9_$#.]+\/[^\s@/]+@(\/\/)?[A-Za-z0-9.-]+:[0-9]{1,5}\/[A-Za-z0-9_.$-]+$/.test(s);
}

/** Parses `src` with the grammar `format`; ADO strings are read the go-mssqldb way. */
export function parseDsn(src: SrcString, format: DsnFormat): ParsedDsn {
  switch (format) {
    case 'pg-url':
    case 'pg-kv':
      return parsePostgres(src);
    case 'go-mysql':
      return parseGoMysql(src);
    case 'mysql-url':
      return parseMysqlUrl(src);
    case 'sqlserver-url':
    case 'odbc':
      return parseSqlServer(src);
    case 'ado':
      return parseAdo(src);
    case 'oracle':
      return parseOracle(src);
  }
}

/** node-mssql reading of an ADO string (for TS/JS consumers). */
export const parseAdoForTedious = parseTediousConnectionString;

/**
 * Whether an unknown part (HOLE) of a connection string could contain parameters the parser did
 * not see, so that a *missing* parameter is not known to be missing. A hole that stands as a
 * parameter value (`sslmode=%s`, `password=${pw}`) or inside the URL authority (user, password,
 * host) hides nothing; a hole that is the whole string, stands where a key could be, or sits in
 * the path with no `?` after it may hide `?sslmode=disable`.
 */
export function mayHideParams(text: string): boolean {
  const HOLE = '\uE000';
  if (!text.includes(HOLE)) return false;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(text);
  let from = 0;
  if (scheme) {
    // Authority: up to the first '/' or '?' after the scheme.
    const rest = text.slice(scheme[0].length);
    const m = /[/?]/.exec(rest);
    if (!m) return rest.includes(HOLE) && !rest.includes('?');
    from = scheme[0].length + m.index;
    const q = text.indexOf('?', from);
    // A hole in the path hides parameters only when no literal '?' follows it: with one, it is
    // the database name (a name holding "?…" would make the literal query part of a value).
    if (q < 0) return text.slice(from).includes(HOLE);
    from = q + 1;
  } else if (/@(tcp|tcp4|tcp6|unix)?\(|^[^=;]*@\//.test(text)) {
    // go-sql-driver: holes before the last '/' are user/password/address; after it, dbname and params.
    const slash = text.lastIndexOf('/', text.indexOf('?') < 0 ? text.length : text.indexOf('?'));
    const q = text.indexOf('?', slash);
    if (q < 0) return text.slice(slash + 1).includes(HOLE);
    from = q + 1;
  }
  // Keyword/value, query and ADO parts: every hole must directly follow '=' (optionally a quote)
  // or continue a value that did — but not at the very end of the string: a hole after a complete
  // value there (`…connect_timeout=5` + what a loop or another function writes) may start new
  // parameters.
  for (let i = text.indexOf(HOLE, from); i !== -1; i = text.indexOf(HOLE, i + 1)) {
    let j = i - 1;
    while (j >= from && text[j] !== '=' && !/[\s&;]/.test(text[j])) j--;
    if (j < from || text[j] !== '=') return true;
    if (i === text.length - 1 && j !== i - 1 && !/["']/.test(text[i - 1])) return true;
  }
  return false;
}
