/**
 * Decides whether a configuration value is a database connection string, and for which family
 * of consumers. Config files do not say who reads them, so the driver is one of the `unknown-*`
 * ids (evaluated under libpq-like semantics, SPEC §1.1) except where the text form belongs to
 * exactly one driver (go-sql-driver's `@tcp(`, go-mssqldb's `sqlserver://`).
 *
 * This is deliberately conservative: it only recognises the shape. The DSN grammars in
 * engine/dsn/ parse the string; nothing here looks at parameters beyond what the shape needs.
 * JDBC URLs are ignored: their parameters mean different things to the JDBC drivers.
 */
import { DriverId } from '../values';

/** URL schemes that identify a connection string wherever it appears. */
const SCHEME_DRIVERS: ReadonlyArray<readonly [string, DriverId]> = [
  ['postgres://', 'unknown-postgres'],
  ['postgresql://', 'unknown-postgres'],
  ['mysql://', 'unknown-mysql'],
  ['mariadb://', 'unknown-mysql'],
  ['sqlserver://', 'go-mssqldb'],
  ['oracle://', 'unknown-oracle'],
];

/** The driver of a URL-form connection string (`postgres://…`), judged by its scheme alone. */
export function schemeDriver(text: string): DriverId | undefined {
  const t = text.trimStart().toLowerCase();
  for (const [scheme, driver] of SCHEME_DRIVERS) if (t.startsWith(scheme)) return driver;
  return undefined;
}

/** libpq keywords that, two or more together, make a keyword/value string a PostgreSQL DSN. */
const LIBPQ_KEYS = new Set(['host', 'hostaddr', 'dbname', 'user', 'sslmode', 'port']);

function isLibpqKeywordValue(t: string): boolean {
  const seen = new Set<string>();
  for (const word of t.split(/[ \t\r\n]+/)) {
    const eq = word.indexOf('=');
    if (eq <= 0) continue;
    const k = word.slice(0, eq).toLowerCase();
    if (LIBPQ_KEYS.has(k)) seen.add(k === 'hostaddr' ? 'host' : k);
  }
  return seen.size >= 2;
}

/** ADO.NET / SqlClient form: `Server=…;Database=…;` (also `Data Source=…;`). */
function isAdoSqlServer(t: string): boolean {
  if (!t.includes(';')) return false;
  let server: string | undefined;
  for (const part of t.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const k = part.slice(0, eq).trim().toLowerCase().replace(/\s+/g, ' ');
    if (k === 'server' || k === 'data source' || k === 'address' || k === 'addr' || k === 'network address') {
      server = part.slice(eq + 1).trim().toLowerCase();
      break;
    }
  }
  if (server === undefined) return false;
  // `Data Source=app.db;Version=3` is SQLite, not SQL Server.
  return !/\.(db|sqlite3?)$/.test(server) && !server.includes(':memory:');
}

/** godror logfmt: `user="scott" password=… connectString="host:1521/svc"`. */
function isGodrorLogfmt(t: string): boolean {
  return /(^|[\s])connectstring\s*=/i.test(t);
}

/**
 * The consumer family of a connection string, or undefined when `text` is not one.
 * `text` may contain HOLE characters (unknown parts); a string that is only a hole is not a DSN.
 */
export function classifyConnectionString(text: string): DriverId | undefined {
  const t = text.trim();
  if (t.length < 8) return undefined;
  const lower = t.toLowerCase();
  if (lower.startsWith('jdbc:')) return undefined;
  // `sqlserver://host:1433;database=…;…` is Prisma's SQL Server form, not go-mssqldb's URL (whose
  // parameters follow `?`): no grammar here reads it, so it is not judged (rather than misread).
  if (/^sqlserver:\/\/[^/?;]*;/i.test(t)) return undefined;
  const byScheme = schemeDriver(t);
  if (byScheme) return byScheme;
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(lower)) return undefined; // some other URL (redis://, https://…)
  if (lower.includes('@tcp(') || lower.includes('@unix(') || lower.startsWith('tcp(') || lower.startsWith('unix(')) return 'go-mysql';
  if (isGodrorLogfmt(t)) return 'unknown-oracle';
  if (isAdoSqlServer(t)) return 'unknown-sqlserver';
  if (isLibpqKeywordValue(t)) return 'unknown-postgres';
  return undefined;
}

/** A key name in letters and digits only, lowercased: `DATABASE_URL` → `databaseurl`. */
export function normKey(key: string): string {
  return key.replace(/[^A-Za-z0-9]/g, '').toLowerCase();
}

/**
 * Whether a value under this key is meant to be a connection string (DATABASE_URL, *_DSN, *_URL,
 * *CONNECTION_STRING*, connectionString, url, dsn, uri), or sits under a `ConnectionStrings`
 * section (.NET appsettings.json). `path` holds the enclosing key names, outermost first.
 */
export function isDsnKey(key: string | undefined, path: readonly string[] = []): boolean {
  if (key !== undefined) {
    const n = normKey(key);
    if (/(url|uri|dsn)$/.test(n) || /conn(ection)?str(ing)?/.test(n) || n === 'connection' || n === 'datasource') return true;
  }
  return path.some((p) => /connectionstrings?$/.test(normKey(p)));
}
