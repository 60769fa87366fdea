/**
 * PostgreSQL connections written as the standard libpq environment variables (PGHOST, PGSSLMODE,
 * PGSSLROOTCERT…), which libpq, pgx, lib/pq and node-postgres read from the process environment.
 *
 * One group of such variables — one `.env` file, one Kubernetes container's `env:` list, one
 * docker-compose service's `environment:` map or list, one flat JSON/TOML/YAML object — is one
 * connection. It is handed to the profile layer as a libpq keyword/value connection string made
 * of the group's values (`host=<PGHOST value> sslmode=<PGSSLMODE value> …`), so that the
 * PostgreSQL grammar, the libpq-semantics profile (consumer unknown, SPEC §1.1) and the rules
 * judge it exactly as they judge a connection string in a config file:
 * - each value keeps its source range, so a finding lands on the value that causes it and a fix
 *   replaces that value (`disable` → `verify-full`);
 * - the keyword text, separators and any quoting are synthetic: they map to empty ranges, so no
 *   fix can edit them, and the string is not appendable, so no fix inserts a setting that is not
 *   in the file (an absent PGSSLMODE gets a finding on the PGHOST value, without a fix);
 * - a value that is a reference (`${VAR}`, `$(VAR)`, `#{X}#`, `{{ x }}`, a Kubernetes
 *   `valueFrom`, a compose pass-through) is a hole: unknown, never guessed;
 * - a group whose variables may also come from elsewhere (Kubernetes `envFrom`, compose
 *   `env_file`, a YAML merge key, the other `env:` levels of a GitHub Actions workflow) ends in a
 *   hole, so that an absent setting is unknown rather than absent.
 *
 * A group without PGHOST/PGHOSTADDR makes no connection: libpq then uses the local unix socket,
 * which gets no transport findings (SPEC §1.6).
 *
 * A PostgreSQL connection string in the same group (DATABASE_URL beside PGSSLMODE) takes the
 * TLS, certificate, timeout and authentication settings it does not make itself from the group
 * (withEnvSettings), as libpq does: `PGSSLMODE=disable` beside a URL without sslmode is a
 * plaintext connection, reported on the variable.
 */
import { Range } from '../../model';
import { parsePostgres, postgresUrlPrefix } from '../../dsn/postgres';
import { SrcString } from '../../srcstring';
import { ConnectionSite } from '../values';
import type { ConfigEntry, EntryGroup } from './sink';

/** libpq environment variable → the connection parameter it sets (libpq `PQconndefaults`). */
const PG_ENV_KEYWORDS: ReadonlyMap<string, string> = new Map([
  ['PGHOST', 'host'],
  ['PGHOSTADDR', 'hostaddr'],
  ['PGPORT', 'port'],
  ['PGUSER', 'user'],
  ['PGPASSWORD', 'password'],
  ['PGDATABASE', 'dbname'],
  ['PGSSLMODE', 'sslmode'],
  ['PGSSLROOTCERT', 'sslrootcert'],
  ['PGSSLCERT', 'sslcert'],
  ['PGSSLKEY', 'sslkey'],
  ['PGSSLCRL', 'sslcrl'],
  ['PGSSLSNI', 'sslsni'],
  ['PGSSLNEGOTIATION', 'sslnegotiation'],
  ['PGCONNECT_TIMEOUT', 'connect_timeout'],
  ['PGTARGETSESSIONATTRS', 'target_session_attrs'],
  ['PGREQUIREAUTH', 'require_auth'],
  ['PGCHANNELBINDING', 'channel_binding'],
]);

/** Whether `key` is one of the libpq environment variables read here (names are case-sensitive). */
export function isPgEnvKey(key: string | undefined): boolean {
  return key !== undefined && PG_ENV_KEYWORDS.has(key);
}

/**
 * A whole value that stands for text supplied at deploy time rather than the value itself:
 * Azure Pipelines / Octopus `#{Name}#`, `__Name__`, Helm/Go templates `{{ … }}`, `<host>`,
 * printf `%s` / `%(x)s`, and a bare `$VAR` in formats that do not interpolate it (JSON).
 * `${VAR}` and `$(VAR)` are already holes (the format readers replace them).
 */
function isReference(v: string): boolean {
  const t = v.trim();
  if (t.includes('{{')) return true;
  return /^#\{[A-Za-z0-9_.:-]+\}#?$|^__[A-Za-z0-9_.]+__$|^<[^<>]*>$|^%[sv]$|^%\([^()]*\)s$|^\$[A-Za-z_][A-Za-z0-9_]*$/.test(t);
}

/** Characters that need quoting in a libpq keyword/value value. */
function needsQuoting(t: string): boolean {
  for (const c of t) if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v' || c === "'" || c === '\\') return true;
  return false;
}

/** Synthetic text (not in the file): an empty source range, so no fix can ever replace it. */
function synthetic(text: string, at: number): SrcString {
  return SrcString.approximate(text, { start: at, end: at });
}

interface GroupState {
  readonly open: boolean;
  /** Variable → its entry; a later assignment replaces an earlier one (dotenv, compose, Kubernetes). */
  readonly vars: Map<string, ConfigEntry>;
}

/**
 * A PostgreSQL connection string whose absent settings may come from PG* variables beside it:
 * an unknown parameter is appended (synthetic separator and a hole, both at the end of the
 * value), so that what the string does not say is unknown rather than libpq's default, and no
 * fix appends a setting (the string is no longer appendable).
 */
export function withEnvDefaults(s: SrcString): SrcString {
  const end = s.length > 0 ? s.rangeOf(s.length, s.length).end : 0;
  const sep = /^[a-z][a-z0-9+.-]*:\/\//i.test(s.text) ? (s.text.includes('?') ? '&' : '?') : ' ';
  return SrcString.concat([s, synthetic(sep, end), SrcString.hole({ start: end, end })]);
}

/**
 * The variables libpq applies to a connection string's absent settings that the rules judge
 * (TLS, certificates, timeouts, authentication); host, port, user, password and database are
 * left to the string (a PGPASSWORD is judged where it is written).
 */
const STRING_DEFAULTS = new Set(['PGSSLMODE', 'PGSSLROOTCERT', 'PGSSLCERT', 'PGSSLKEY', 'PGSSLCRL', 'PGSSLSNI', 'PGSSLNEGOTIATION', 'PGCONNECT_TIMEOUT', 'PGTARGETSESSIONATTRS', 'PGREQUIREAUTH', 'PGCHANNELBINDING']);

/** Characters a URI query value may hold as they are (anything else would need percent-encoding). */
const URI_SAFE = /^[A-Za-z0-9._~/:-]*$/;

/**
 * A PostgreSQL connection string with the settings it does not make itself taken from the PG*
 * variables of its own environment (`vars`), as libpq does: `keyword=value` appended for each
 * (synthetic keyword and separators; the value keeps its source range, so a finding lands on
 * the variable and a fix edits it). A setting the string makes itself wins. Undefined when that
 * cannot be told exactly — the string has an unknown part, or a value would need encoding in a
 * URI —: the caller then makes its absent settings unknown (withEnvDefaults).
 */
export function withEnvSettings(s: SrcString, vars: readonly ConfigEntry[]): SrcString | undefined {
  if (!s.complete) return undefined;
  // The settings the string makes, and how to append one, as the PostgreSQL grammar reads it.
  const d = parsePostgres(s);
  if (d.errors.length > 0) return undefined;
  const uri = postgresUrlPrefix(s.text) > 0;
  const own = new Set(d.params.map((p) => p.norm));
  const parts: SrcString[] = [s];
  let sep = d.appendPrefix;
  const end = s.length > 0 ? s.rangeOf(s.length, s.length).end : 0;
  for (const e of vars) {
    const keyword = PG_ENV_KEYWORDS.get(e.key!);
    if (!keyword || !STRING_DEFAULTS.has(e.key!) || own.has(keyword)) continue;
    const v = valueOf(e);
    if (uri && !URI_SAFE.test(v.text)) return undefined;
    parts.push(synthetic(`${sep}${keyword}=`, end), uri ? v : token(v, e.range));
    sep = uri ? '&' : ' ';
  }
  return parts.length === 1 ? s : SrcString.concat(parts);
}

/** Collects the PG* entries of one file by group and turns each group into a ConnectionSite. */
export class PgEnvGroups {
  /** Group identity → path → state. Entries without a group (dotenv, properties) share one. */
  private readonly groups = new Map<EntryGroup | undefined, Map<string, GroupState>>();

  add(e: ConfigEntry): void {
    if (!isPgEnvKey(e.key)) return;
    let byPath = this.groups.get(e.group);
    if (!byPath) this.groups.set(e.group, (byPath = new Map()));
    const pathKey = e.path.join('\u0000');
    let g = byPath.get(pathKey);
    if (!g) byPath.set(pathKey, (g = { open: e.group?.open === true, vars: new Map() }));
    g.vars.delete(e.key!); // keep source order of the winning assignments
    g.vars.set(e.key!, e);
  }

  /**
   * Whether the process environment of `e` sets PGSSLMODE — libpq, pgx and node-postgres then
   * take a connection string's absent sslmode from it: its own group does, or, for an open group
   * (GitHub Actions `env:` levels, envFrom…), an open group of the same file does.
   */
  /** The PG* variables of `e`'s own group (its environment), in source order; none for an open group. */
  varsBeside(e: ConfigEntry): ConfigEntry[] {
    if (e.group?.open === true) return [];
    return [...(this.groups.get(e.group)?.get(e.path.join('\u0000'))?.vars.values() ?? [])];
  }

  setsSslmode(e: ConfigEntry): boolean {
    if (this.groups.get(e.group)?.get(e.path.join('\u0000'))?.vars.has('PGSSLMODE')) return true;
    if (e.group?.open !== true) return false;
    for (const [group, byPath] of this.groups) {
      if (group?.open !== true) continue;
      for (const g of byPath.values()) if (g.vars.has('PGSSLMODE')) return true;
    }
    return false;
  }

  /**
   * One site per group with a host. A value inside a `covered` range — one another site already
   * judges (a variable whose value is itself a connection string) — is left out of its group, so
   * that no finding is reported twice on it.
   */
  sites(covered: readonly Range[]): ConnectionSite[] {
    const out: ConnectionSite[] = [];
    for (const byPath of this.groups.values()) {
      for (const g of byPath.values()) {
        const vars = [...g.vars.values()].filter((e) => !covered.some((r) => r.start < e.range.end && e.range.start < r.end));
        const site = siteOf(vars, g.open);
        if (site) out.push(site);
      }
    }
    return out;
  }
}

/** The value as libpq would receive it: unknown (a hole) when it is a reference, empty or null. */
function valueOf(e: ConfigEntry): SrcString {
  const v = e.value;
  if (e.scalar === 'null' || v.text.trim() === '') return SrcString.hole(e.range);
  if (v.complete && isReference(v.text)) return SrcString.hole(v.length > 0 ? v.sourceRange : e.range);
  return v;
}

/** `v` as a keyword/value token: as is, or single-quoted with `'` and `\` escaped (synthetic quoting). */
function token(v: SrcString, range: Range): SrcString {
  if (!needsQuoting(v.text)) return v;
  const start = v.length > 0 ? v.rangeOf(0, 0).start : range.start;
  const end = v.length > 0 ? v.rangeOf(v.length, v.length).end : range.end;
  const parts: SrcString[] = [synthetic("'", start)];
  let from = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.text[i];
    if (c !== "'" && c !== '\\') continue;
    if (from < i) parts.push(v.slice(from, i));
    parts.push(synthetic('\\', v.rangeOf(i, i + 1).start), v.slice(i, i + 1));
    from = i + 1;
  }
  if (from < v.length) parts.push(v.slice(from));
  parts.push(synthetic("'", end));
  return SrcString.concat(parts);
}

function siteOf(vars: readonly ConfigEntry[], open: boolean): ConnectionSite | undefined {
  const host = vars.find((e) => e.key === 'PGHOST') ?? vars.find((e) => e.key === 'PGHOSTADDR');
  if (!host) return undefined;
  const parts: SrcString[] = [];
  let lastEnd = host.range.end;
  for (const e of vars) {
    const v = valueOf(e);
    const at = v.rangeOf(0, 0).start;
    parts.push(synthetic(`${parts.length === 0 ? '' : ' '}${PG_ENV_KEYWORDS.get(e.key!)}=`, at), token(v, e.range));
    lastEnd = Math.max(lastEnd, e.range.end);
  }
  // Variables may come from elsewhere too (envFrom, env_file): what is absent here is unknown.
  if (open) parts.push(synthetic(' ', lastEnd), SrcString.hole({ start: lastEnd, end: lastEnd }));
  const s = SrcString.concat(parts);
  const names = vars.map((e) => e.key!).join(', ');
  return {
    language: 'config',
    driver: 'unknown-postgres',
    anchor: host.range,
    dsn: { s, range: host.range, appendable: false },
    note: `libpq environment variables ${names}${open ? ' (more may be set elsewhere: envFrom, env_file, a merge key, another workflow level)' : ''}, read as one connection`,
  };
}
