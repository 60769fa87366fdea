/**
 * From what the user points at to a ProbeTarget: (a) a connection string (postgres://, mysql://,
 * keyword/value …) or (b) a connection the engine found in a file (`--from <file>:<line>`).
 *
 * The TLS policy is the consuming driver's, as the engine's ConnectionProfile states it (a raw
 * connection string is read with the semantics the engine assumes for config files: libpq for
 * PostgreSQL, mysql2 for MySQL). Passwords are looked up in this order and never stored: the
 * connection string itself (flagged as a hard-coded secret), `--password-env NAME`,
 * PGPASSWORD / MYSQL_PWD, an interactive prompt (TTY only). RDS IAM tokens are minted by the
 * probe, fresh per connection.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { param, ParsedDsn } from '../engine/dsn/types';
import { Val } from '../engine/extract/values';
import { detectProvider } from '../engine/profile/provider';
import { ConnectionProfile } from '../engine/profile/types';
import { analyzeText, initEngine, sourceKindOf } from '../engine/scan';
import { DEFAULT_SETTINGS } from '../engine/settings';
import { Dbms, ProbeTarget, ProbeTlsPolicy } from './types';

export interface ResolveInput {
  readonly dsn?: string;
  /**
   * A connection in a file, by 1-based line. `text` is the file's content when the caller holds
   * it (an editor buffer with unsaved changes); otherwise the file is read from disk.
   */
  readonly from?: { readonly file: string; readonly line: number; readonly text?: string };
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Use RDS IAM authentication (`--iam`). */
  readonly iam: boolean;
  /** Read the password from this environment variable (`--password-env`). */
  readonly passwordEnv?: string;
  /** Asks for a password without echo; undefined when there is no terminal. */
  readonly prompt?: (question: string) => Promise<string | undefined>;
}

export type ResolveResult =
  | { readonly ok: true; readonly target: ProbeTarget; readonly notes: readonly string[] }
  | { readonly ok: false; readonly message: string };

const DEFAULT_PORT: Record<Dbms, number> = { postgres: 5432, mysql: 3306, sqlserver: 1433 };

/** Quote a connection string as a .env value so that the engine's dotenv reader keeps it verbatim. */
function dotenvLine(dsn: string): string {
  if (!dsn.includes("'") && !dsn.includes('\n')) return `DATABASE_URL='${dsn}'\n`;
  return `DATABASE_URL="${dsn.replace(/[\\"$]/g, (c) => `\\${c}`).replace(/\n/g, '\\n')}"\n`;
}

function lineRange(text: string, line: number): { start: number; end: number } | undefined {
  let start = 0;
  for (let n = 1; n < line; n++) {
    const nl = text.indexOf('\n', start);
    if (nl === -1) return undefined;
    start = nl + 1;
  }
  const nl = text.indexOf('\n', start);
  return { start, end: nl === -1 ? text.length : nl };
}

/** The profiles of one file (the engine's analysis, as the editor shows it). */
async function profilesOf(file: string, text: string): Promise<ConnectionProfile[]> {
  // Only the Go extractor needs asynchronous initialisation (tree-sitter WASM): skip it otherwise.
  if (sourceKindOf(file) === 'go') await initEngine();
  return analyzeText(file, text, { ...DEFAULT_SETTINGS, checkLocalConnections: true, checkTestFiles: true }).profiles;
}

function pickProfile(profiles: readonly ConnectionProfile[], text: string, line: number): ConnectionProfile | undefined {
  const r = lineRange(text, line);
  if (!r) return undefined;
  const overlaps = (a: { start: number; end: number } | undefined): boolean => a !== undefined && a.start <= r.end && a.end >= r.start;
  return profiles.find((p) => overlaps(p.site.anchor)) ?? profiles.find((p) => overlaps(p.site.dsn?.range));
}

function optionLiteral(v: Val | undefined, key: string): string | undefined {
  if (!v || v.k !== 'obj') return undefined;
  const p = v.props.find((x) => x.key === key);
  if (!p) return undefined;
  if (p.value.k === 'str') return p.value.s.text.includes('\uE000') ? undefined : p.value.s.text;
  if (p.value.k === 'num') return String(p.value.n);
  return undefined;
}

function dsnValue(d: ParsedDsn | undefined, ...keys: string[]): string | undefined {
  if (!d) return undefined;
  for (const k of keys) {
    const p = param(d, k);
    if (p?.value !== undefined && p.value !== '') return p.value;
  }
  return undefined;
}

const TLS_VERSIONS: Record<string, ProbeTlsPolicy['minVersion']> = { '1.0': 'TLSv1', '1.1': 'TLSv1.1', '1.2': 'TLSv1.2', '1.3': 'TLSv1.3' };

function tlsPolicy(p: ConnectionProfile, baseDir: string, notes: string[]): ProbeTlsPolicy | string {
  const t = p.tls;
  const enabled = t.enabled.value;
  const mode: ProbeTlsPolicy['mode'] = enabled === 'off' ? 'off' : enabled === 'optional' ? 'prefer' : 'require';
  if (enabled === 'unknown') notes.push(`Whether ${p.driverLabel} uses TLS here is not known from the source (${t.enabled.source}); testing as if TLS were required.`);
  const verifyChain = mode !== 'off' && t.chain.value !== 'unverified';
  const verifyHostname = mode !== 'off' && t.hostname.value !== 'unverified';
  if (t.chain.value === 'unknown' || t.hostname.value === 'unknown') notes.push('Certificate verification is not known from the source; testing with verification.');
  let caPem: string | undefined;
  let caSource = 'system trust store';
  const rootcert = dsnValue(p.dsn, 'sslrootcert', 'ssl-ca', 'sslca');
  if (rootcert !== undefined && rootcert !== 'system') {
    const file = path.resolve(baseDir, rootcert.startsWith('~/') ? path.join(os.homedir(), rootcert.slice(2)) : rootcert);
    try {
      caPem = fs.readFileSync(file, 'utf8');
      caSource = `sslrootcert=${rootcert}`;
    } catch (e) {
      return `cannot read the CA file ${rootcert}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
    }
  }
  const ssl = p.site.options?.k === 'obj' ? p.site.options.props.find((x) => x.key === 'ssl')?.value : undefined;
  const caLit = optionLiteral(ssl, 'ca');
  if (caPem === undefined && caLit?.includes('-----BEGIN')) {
    caPem = caLit;
    caSource = 'ssl.ca';
  } else if (caPem === undefined && t.ca.value === 'configured') {
    notes.push(`The CA is configured in code (${t.ca.source}) in a way the probe cannot read; verifying against the system trust store instead.`);
  }
  const min = t.outdatedMinVersion?.value ?? dsnValue(p.dsn, 'ssl_min_protocol_version', 'tlsmin')?.replace(/^TLSv/i, '');
  return { mode, verifyChain, verifyHostname, caPem, caSource, minVersion: min ? TLS_VERSIONS[min] : undefined };
}

function dbmsOf(p: ConnectionProfile): Dbms | undefined {
  return p.dbms === 'oracle' ? undefined : p.dbms;
}

export async function resolveTarget(input: ResolveInput): Promise<ResolveResult> {
  const notes: string[] = [];
  let profile: ConnectionProfile | undefined;
  let baseDir = input.cwd;
  if (input.dsn !== undefined) {
    const profiles = await profilesOf('connguard-test.env', dotenvLine(input.dsn));
    profile = profiles[0];
    if (!profile) return { ok: false, message: 'not a connection string ConnGuard understands (postgres://…, postgresql://…, host=… keyword/value, mysql://…, sqlserver://…)' };
  } else if (input.from) {
    const file = path.resolve(input.cwd, input.from.file);
    baseDir = path.dirname(file);
    let text: string;
    try {
      text = input.from.text ?? fs.readFileSync(file, 'utf8');
    } catch (e) {
      return { ok: false, message: `cannot read ${input.from.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
    }
    profile = pickProfile(await profilesOf(file, text), text, input.from.line);
    if (!profile) return { ok: false, message: `no database connection found at ${input.from.file}:${input.from.line}` };
  } else {
    return { ok: false, message: 'give a connection string or --from <file>:<line>' };
  }
  if (profile.dsn && profile.dsn.errors.length) notes.push(`The connection string has problems its driver would reject: ${profile.dsn.errors.map((e) => e.message).join('; ')}`);
  const dbms = dbmsOf(profile);
  if (!dbms) return { ok: false, message: 'Oracle connections cannot be tested (only PostgreSQL, MySQL/MariaDB and SQL Server)' };

  const d = profile.dsn;
  const opts = profile.site.options;
  const host = profile.host.value ?? dsnValue(d, 'host', 'server') ?? optionLiteral(opts, 'host') ?? optionLiteral(opts, 'server');
  if (!host) return { ok: false, message: `the host is not known from ${input.dsn !== undefined ? 'the connection string' : 'the source'} (${profile.host.source})` };
  if (host.startsWith('/') || profile.locality === 'socket') return { ok: false, message: 'unix sockets cannot be tested (TLS does not apply to them)' };
  const portText = d?.hosts[0]?.port?.value ?? dsnValue(d, 'port') ?? optionLiteral(opts, 'port');
  const port = portText !== undefined ? Number(portText) : DEFAULT_PORT[dbms];
  // The port text is not quoted: in a malformed URL it can be a piece of the password (SPEC §3).
  if (!Number.isInteger(port) || port < 1 || port > 65535) return { ok: false, message: 'invalid port: expected a number from 1 to 65535' };
  const user =
    profile.auth.user?.value ?? d?.user?.value ?? dsnValue(d, 'user', 'user id', 'uid') ?? optionLiteral(opts, 'user') ??
    (dbms === 'postgres' ? (input.env.PGUSER ?? os.userInfo().username) : dbms === 'mysql' ? (input.env.USER ?? undefined) : undefined);
  const database = d?.database?.value ?? dsnValue(d, 'dbname', 'database', 'initial catalog') ?? optionLiteral(opts, 'database');

  const policy = tlsPolicy(profile, baseDir, notes);
  if (typeof policy === 'string') return { ok: false, message: policy };

  const provider = detectProvider(host);
  const wantsIam = input.iam || profile.auth.tokenAuth.value === 'rds-iam';
  let auth: ProbeTarget['auth'];
  if (wantsIam) {
    const region = provider.region ?? input.env.AWS_REGION ?? input.env.AWS_DEFAULT_REGION;
    if (!region) return { ok: false, message: `RDS IAM needs a region: ${host} is not an RDS host name, so set AWS_REGION` };
    if (dbms === 'sqlserver') return { ok: false, message: 'RDS IAM authentication applies to PostgreSQL and MySQL only' };
    auth = { kind: 'rds-iam', region };
  } else {
    const fromDsn = d?.password?.value ?? dsnValue(d, 'password', 'pwd');
    const envName = dbms === 'postgres' ? 'PGPASSWORD' : dbms === 'mysql' ? 'MYSQL_PWD' : undefined;
    if (fromDsn !== undefined && fromDsn !== '') {
      auth = { kind: 'password', password: fromDsn, source: 'the connection string' };
      notes.push('The password is written in the connection string: that is a hard-coded secret (C6). Move it to the environment or a secret store.');
    } else if (input.passwordEnv !== undefined) {
      const v = input.env[input.passwordEnv];
      if (v === undefined) return { ok: false, message: `the environment variable ${input.passwordEnv} (--password-env) is not set` };
      auth = { kind: 'password', password: v, source: `$${input.passwordEnv}` };
    } else if (envName && input.env[envName] !== undefined) {
      auth = { kind: 'password', password: input.env[envName], source: `$${envName}` };
    } else if (input.prompt) {
      const v = await input.prompt(`Password for ${user ?? '(default user)'}@${host}: `);
      auth = { kind: 'password', password: v === '' ? undefined : v, source: 'the prompt' };
    } else {
      auth = { kind: 'password', password: undefined, source: 'nowhere' };
      notes.push(`No password given (connection string, --password-env, ${envName ?? 'environment'} or a terminal prompt): trying without one.`);
    }
  }
  if (profile.provider.kind !== 'none' && input.dsn === undefined) notes.push(`Provider: ${profile.provider.label}.`);
  return {
    ok: true,
    notes,
    target: { dbms, host, port, user, database, driverLabel: profile.driverLabel, tls: policy, auth },
  };
}
