/**
 * The one place where config-file values become ConnectionSites and Observations.
 *
 * Every format parser (dotenv, YAML, JSON, TOML, properties, Prisma) reduces the file to a
 * stream of ConfigEntry records — a key, the enclosing key path and the decoded value as a
 * SrcString mapped to source — and hands them to an EntrySink. The sink applies the same
 * judgement to all formats: connection strings (via classify.ts), literal passwords, cloud
 * keys, NODE_TLS_REJECT_UNAUTHORIZED and SSLKEYLOGFILE. Parsers never decide these themselves.
 */
import { Range } from '../../model';
import { HOLE, SrcString } from '../../srcstring';
import { cloudKeyIdKind, cloudSecretKind, isPasswordName, isPlaceholderSecret } from '../secrets';
import { ConnectionSite, DriverId, Extraction, Observation } from '../values';
import { classifyConnectionString, isDsnKey, normKey, schemeDriver } from './classify';
import { PgEnvGroups, withEnvDefaults, withEnvSettings } from './pgenv';

/**
 * The collection an entry belongs to, by identity: one Kubernetes container's `env:` list, one
 * compose service's `environment:`, one JSON object, one TOML table. Entries of one group are one
 * process environment (libpq PG* variables are read together, pgenv.ts). Entries without a group
 * are grouped by their path (a `.env` file is one group).
 */
export interface EntryGroup {
  /** More variables may come from elsewhere (Kubernetes `envFrom`, compose `env_file`). */
  readonly open?: boolean;
}

/** What kind of scalar the source wrote: only strings can be connection strings or cloud keys. */
export type ScalarKind = 'string' | 'number' | 'bool' | 'null';

export interface ConfigEntry {
  /** The key the value is bound to, as written (undefined for a bare sequence item). */
  readonly key: string | undefined;
  /** Enclosing key names, outermost first, not including `key`. */
  readonly path: readonly string[];
  /** The decoded value; unknown parts (`${VAR}`) are HOLE characters. */
  readonly value: SrcString;
  /** Source range of the value token, quotes included. */
  readonly range: Range;
  readonly scalar: ScalarKind;
  /** Human-readable place, e.g. `.env file`, `YAML key database.password` (never a value). */
  readonly context: string;
  /**
   * Set by formats that know the consumer (Prisma `provider`): overrides the classifier's
   * driver. `null` means "a connection string for a consumer ConnGuard does not check".
   */
  readonly driver?: DriverId | null;
  /** The value is a connection string by its position (Prisma `url`), not by its key name. */
  readonly dsnSlot?: boolean;
  /** The collection the entry belongs to (see EntryGroup). */
  readonly group?: EntryGroup;
}

/** `a.b.c` for messages and contexts. */
export function dottedPath(path: readonly string[], key: string | undefined): string {
  return [...path, ...(key === undefined ? [] : [key])].join('.');
}

/**
 * Replaces `${VAR}` (and, when `bare` — YAML — `$VAR` and Kubernetes' `$(VAR)`) in an already
 * decoded value with holes. `$$` is the docker-compose (and Kubernetes) escape for a literal `$`
 * and is left alone.
 */
export function withHoles(s: SrcString, bare: boolean): SrcString {
  const t = s.text;
  if (!t.includes('$')) return s;
  const parts: SrcString[] = [];
  let from = 0;
  let i = 0;
  while (i < t.length) {
    if (t[i] !== '$') {
      i++;
      continue;
    }
    if (t[i + 1] === '$') {
      i += 2;
      continue;
    }
    let end = -1;
    if (t[i + 1] === '{') {
      const close = t.indexOf('}', i + 2);
      if (close !== -1) end = close + 1;
    } else if (bare && t[i + 1] === '(' && /[A-Za-z_]/.test(t[i + 2] ?? '')) {
      // Kubernetes `$(VAR_NAME)`: a container env value made from another variable (a secretKeyRef).
      let close = i + 3;
      while (close < t.length && /[A-Za-z0-9_]/.test(t[close])) close++;
      if (t[close] === ')') end = close + 1;
    } else if (bare && /[A-Za-z_]/.test(t[i + 1] ?? '')) {
      end = i + 2;
      while (end < t.length && /[A-Za-z0-9_]/.test(t[end])) end++;
    }
    if (end === -1) {
      i++;
      continue;
    }
    if (from < i) parts.push(s.slice(from, i));
    parts.push(SrcString.hole(s.rangeOf(i, end)));
    from = end;
    i = end;
  }
  if (parts.length === 0) return s;
  if (from < t.length) parts.push(s.slice(from));
  return SrcString.concat(parts);
}

/** A fix may append to the string when its last character is a literal source character. */
export function isAppendable(s: SrcString): boolean {
  const n = s.length;
  return n > 0 && s.text[n - 1] !== HOLE && s.isExact(n - 1, n);
}

/** Parse errors kept per file: a file that is not the format at all must not flood the notes. */
const MAX_ERRORS = 20;

/** Nesting depth below which YAML/JSON/TOML values are not walked (bounded time and stack). */
export const MAX_DEPTH = 200;

export class EntrySink {
  readonly sites: ConnectionSite[] = [];
  readonly observations: Observation[] = [];
  readonly errors: string[] = [];
  private droppedErrors = 0;
  private readonly pgEnv = new PgEnvGroups();
  /** The connection-string sites and the entries they came from (for PGSSLMODE beside them). */
  private readonly connections: { readonly index: number; readonly entry: ConfigEntry }[] = [];
  private done = false;

  /**
   * Records a parse problem. Messages must not quote source text (it may hold a secret); a
   * function is called only while under the cap, so costly positions are computed rarely.
   */
  error(message: string | (() => string)): void {
    if (this.errors.length >= MAX_ERRORS) {
      this.droppedErrors++;
      return;
    }
    this.errors.push(typeof message === 'string' ? message : message());
  }

  add(e: ConfigEntry): void {
    const text = e.value.text;
    const key = e.key ?? '';
    const nk = normKey(key);
    // PG* variables are also judged together as one connection (pgenv.ts); each is still an
    // entry of its own below (PGPASSWORD is a literal password wherever it is written).
    this.pgEnv.add(e);

    if (nk === 'nodetlsrejectunauthorized') {
      if (text.trim() === '0') this.observations.push({ kind: 'node-tls-reject-unauthorized', range: e.range, value: '0' });
      return;
    }
    if (nk === 'sslkeylogfile') {
      // Set from the environment only (`${X}`) may be empty: report only a literal part.
      if (e.scalar === 'string' && text.replaceAll(HOLE, '').trim() !== '') this.observations.push({ kind: 'ssl-keylog-file', range: e.range });
      return;
    }
    if (e.scalar === 'string' && this.addConnection(e)) return;

    const literal = e.value.complete && (e.scalar === 'string' || e.scalar === 'number');
    if (!literal) return;
    if (e.scalar === 'string') {
      const kind = cloudKeyIdKind(text) ?? (key ? cloudSecretKind(key, text) : undefined);
      if (kind) {
        this.observations.push({ kind: 'cloud-key', keyKind: kind, range: e.range, valueRange: e.range, value: text, context: e.context });
        return;
      }
    }
    if (key && isPasswordName(key) && !isPlaceholderSecret(text)) {
      this.observations.push({ kind: 'secret-literal', range: e.range, valueRange: e.range, name: key, value: text, context: e.context });
    }
  }

  /** Records a ConnectionSite when the value is a connection string; true when it did. */
  private addConnection(e: ConfigEntry): boolean {
    const text = e.value.text;
    let driver: DriverId | undefined;
    if (e.driver !== undefined) {
      if (e.driver === null) return false;
      driver = e.driver;
    } else {
      const classified = classifyConnectionString(text);
      if (!classified) return false;
      // Shapes without a scheme only count under a key that names a connection string.
      if (!e.dsnSlot && !schemeDriver(text) && !isDsnKey(e.key, e.path)) return false;
      driver = classified;
    }
    const envName = e.key !== undefined && /^[A-Z_][A-Z0-9_]*$/.test(e.key) ? e.key : undefined;
    this.connections.push({ index: this.sites.length, entry: e });
    this.sites.push({
      language: 'config',
      driver,
      anchor: e.range,
      dsn: { s: e.value, range: e.range, appendable: isAppendable(e.value) },
      ...(envName ? { envName } : {}),
    });
    return true;
  }

  result(): Extraction {
    if (this.droppedErrors > 0) this.errors.push(`… and ${this.droppedErrors} more parse errors`);
    if (!this.done) {
      // A PostgreSQL connection string beside PG* variables in one environment: libpq takes
      // the settings the string does not make from them (pgenv.ts withEnvSettings), and an
      // absent sslmode is PGSSLMODE's, not libpq's default; where that cannot be told exactly,
      // what the string does not say is unknown (withEnvDefaults).
      for (const { index, entry } of this.connections) {
        const site = this.sites[index];
        if (!site.dsn || site.driver !== 'unknown-postgres') continue;
        const beside = this.pgEnv.varsBeside(entry);
        const merged = beside.length > 0 ? withEnvSettings(site.dsn.s, beside) : undefined;
        if (merged && merged !== site.dsn.s) this.sites[index] = { ...site, dsn: { ...site.dsn, s: merged, appendable: false } };
        else if (!merged && this.pgEnv.setsSslmode(entry)) this.sites[index] = { ...site, dsn: { ...site.dsn, s: withEnvDefaults(site.dsn.s), appendable: false } };
      }
      this.sites.push(...this.pgEnv.sites(this.sites.map((s) => s.dsn?.range ?? s.anchor)));
    }
    this.done = true;
    return { sites: this.sites, observations: this.observations, errors: this.errors };
  }
}
