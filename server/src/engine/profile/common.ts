/**
 * Pieces every driver module needs: where the host is, how a password is supplied, whether token
 * auth is in use. Driver-specific meaning (what `sslmode=require` does) does NOT live here — it
 * lives in profile/drivers/<driver>.ts, one home per driver.
 */
import { Fix, Range } from '../model';
import { DsnPart, ParsedDsn } from '../dsn/types';
import { mayHideParams } from '../dsn/index';
import { ConnectionSite, TlsConfigFacts, Val, strOf } from '../extract/values';
import { isPlaceholderSecret } from '../extract/secrets';
import { EngineSettings } from '../settings';
import { detectProvider, hostLocality, ProviderInfo } from './provider';
import { AuthPosture, Locality, PasswordSource, PoolPosture, Setting, TlsPosture, Verified } from './types';

export interface ProfileContext {
  readonly settings: EngineSettings;
  /** The file text, for fixes that must respect layout. */
  readonly text: string;
}

export function setting<T>(value: T, source: string, range?: Range): Setting<T> {
  return range ? { value, source, range } : { value, source };
}

export interface HostInfo {
  readonly host: Setting<string | undefined>;
  readonly provider: ProviderInfo;
  readonly locality: Locality;
}

/**
 * `sql01\INST` → `sql01`: drops a SQL Server instance name, i.e. everything from the first `\`
 * that has no line break after it. Same as `replace(/\\.*$/, '')`, written as a scan because that
 * regex backtracks quadratically over many backslashes before a line break (regex-safety test).
 */
export function stripInstanceName(host: string): string {
  let lastBreak = -1;
  for (let i = host.length - 1; i >= 0; i--) {
    const c = host[i];
    if (c === '\n' || c === '\r' || c === '\u2028' || c === '\u2029') {
      lastBreak = i;
      break;
    }
  }
  const slash = host.indexOf('\\', lastBreak + 1);
  return slash < 0 ? host : host.slice(0, slash);
}

/**
 * Host from a parsed DSN or an options value (`host`, `server`, `Addr`). A host that comes from
 * the environment or a hole is unknown: locality 'unknown', provider none.
 */
export function hostInfo(ctx: ProfileContext, dsn: ParsedDsn | undefined, optionHost: Val | undefined): HostInfo {
  let value: string | undefined;
  let range: Range | undefined;
  let socket = false;
  let source = 'not set';
  if (optionHost) {
    value = strOf(optionHost);
    range = optionHost.range;
    source = value !== undefined ? 'host option' : optionHost.k === 'env' ? `host from environment (${optionHost.name})` : 'host not known statically';
  } else if (dsn && dsn.hosts.length > 0) {
    // A host list (libpq/pgx `host=a,b`) is tried in order with the same settings: the connection
    // is as local as its least local host, so a remote host in the list is the one that counts.
    const h = dsn.hosts.find((x) => !x.socket && x.value !== undefined && hostLocality(bareHost(x.value), false, ctx.settings.localHosts) !== 'loopback') ?? dsn.hosts[0];
    value = h.value;
    range = h.range;
    socket = h.socket;
    source = value !== undefined ? 'connection string host' : 'host not known statically';
  }
  const hostValue = value === undefined ? undefined : bareHost(value);
  return {
    host: setting(hostValue, source, range),
    provider: detectProvider(hostValue),
    locality: hostLocality(hostValue, socket, ctx.settings.localHosts),
  };
}

/**
 * A host as written in an option or connection string, without the port, for recognition:
 * "db.example.com:5432", "host,1433", "tcp:host", "[::1]:5432" → the host. An IPv6 literal
 * without brackets ("::1", "fe80::1") has no port to strip.
 */
function bareHost(value: string): string {
  const v = value.replace(/^tcp:/i, '');
  const bracketed = /^\[([^\]]*)\](?:[,:]\d+)?$/.exec(v);
  if (bracketed) return bracketed[1];
  const colons = v.split(':').length - 1;
  return stripInstanceName(colons > 1 ? v : v.replace(/[,:]\d+$/, ''));
}

/**
 * Whether the code that reads this config value sets one of `keys` itself (or passes options
 * that are not visible): that setting is then the code's, and the value alone does not decide it.
 */
export function consumerSets(site: ConnectionSite, ...keys: string[]): boolean {
  return !!site.consumerOptions?.some((k) => k === '*' || keys.includes(k));
}

/** Classifies how a password reaches the driver when given as a code value. */
export function passwordFromVal(v: Val | undefined, where: string): Setting<PasswordSource> {
  if (!v) return setting<PasswordSource>('none', `no ${where}`);
  switch (v.k) {
    case 'str':
      if (!v.s.complete) return setting<PasswordSource>('unknown', `${where} built from values not known statically`, v.range);
      return isPlaceholderSecret(v.s.text)
        ? setting<PasswordSource>('unknown', `${where} is a placeholder`, v.range)
        : setting<PasswordSource>('literal', `${where} is a literal`, v.range);
    case 'env':
      return setting<PasswordSource>('env', `${where} from environment (${v.name})`, v.range);
    case 'fn':
      return setting<PasswordSource>(v.calls.some(isTokenCall) ? 'token' : 'function', `${where} is a function called per connection`, v.range);
    case 'call':
      return setting<PasswordSource>(isTokenCall(v.callee) ? 'token' : 'unknown', `${where} from ${v.callee}()`, v.range);
    default:
      return setting<PasswordSource>('unknown', `${where} not known statically`, v.range);
  }
}

/** Classifies a password embedded in a connection string. */
export function passwordFromDsn(p: DsnPart | undefined): Setting<PasswordSource> {
  if (!p) return setting<PasswordSource>('none', 'no password in the connection string');
  if (p.value === undefined) return setting<PasswordSource>('unknown', 'password in the connection string comes from a variable', p.range);
  // `user:@host`: no password here (it comes from elsewhere — .pgpass, a hook — or none is needed).
  if (p.value === '') return setting<PasswordSource>('none', 'empty password in the connection string', p.range);
  if (isPlaceholderSecret(p.value)) return setting<PasswordSource>('unknown', 'password placeholder in the connection string', p.range);
  return setting<PasswordSource>('literal', 'literal password in the connection string', p.range);
}

/** Callees that mint IAM/Entra tokens. */
export function isTokenCall(callee: string): boolean {
  return /(^|\.)(getAuthToken|BuildAuthToken|GetToken|getToken|generateAuthToken)$/.test(callee);
}

/**
 * The provider whose CA a fix must account for: the host's; or, when the host is not known
 * statically but the connection authenticates with an RDS IAM token, Amazon RDS (RDS, Aurora or
 * RDS Proxy) — a fix that relies on the system trust store is then not safe to apply blindly.
 */
export function caProviderOf(provider: ProviderInfo, tokenAuth: AuthPosture['tokenAuth']): ProviderInfo {
  return provider.kind === 'none' && tokenAuth.value === 'rds-iam' ? { kind: 'aws-rds', label: 'Amazon RDS' } : provider;
}

/** Token auth from the site: a minted-once token, or a password function/call that mints one. */
export function tokenAuthOf(site: ConnectionSite, password: Setting<PasswordSource>): AuthPosture['tokenAuth'] {
  if (site.tokenMintedOnce) return setting(site.tokenMintedOnce.kind === 'entra' ? 'entra' : 'rds-iam', 'token minted once', site.tokenMintedOnce.usedAt);
  if (password.value === 'token') return setting('rds-iam', password.source, password.range);
  if (site.beforeConnect) return setting('rds-iam', 'credentials set per connection in a BeforeConnect hook', site.beforeConnect);
  return setting<'none'>('none', 'static credentials');
}

/** Whether a text value is a boolean true under JS/Go truthiness used in options objects. */
export function boolOf(v: Val | undefined): boolean | undefined {
  if (!v) return undefined;
  if (v.k === 'bool') return v.b;
  if (v.k === 'num') return v.n !== 0;
  if (v.k === 'str' && v.s.complete) {
    const t = v.s.text.toLowerCase();
    if (t === 'true' || t === '1') return true;
    if (t === 'false' || t === '0') return false;
  }
  return undefined;
}

/** A short label for a value as written, never the value of a secret. */
export function describeVal(v: Val): string {
  switch (v.k) {
    case 'str':
      return v.s.complete ? `'${v.s.text}'` : 'a computed string';
    case 'num':
      return String(v.n);
    case 'bool':
      return String(v.b);
    case 'null':
      return 'null';
    case 'env':
      return `environment variable ${v.name}`;
    case 'ident':
      return v.name;
    case 'obj':
      return 'an object';
    case 'fn':
      return 'a function';
    case 'call':
      return `${v.callee}()`;
    default:
      return 'a value not known statically';
  }
}

/** The candidate within edit distance 2 of `word` (case-insensitive), for "did you mean". */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestD = 3;
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase(), bestD);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

/** Damerau-Levenshtein (optimal string alignment) distance, giving up above `max`. */
function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max || a.length > 64 || b.length > 64) return max + 1;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** `*sql.DB` pool posture from the Go extractor's pool facts (C11); undefined when not a *sql.DB. */
export function goPoolPosture(site: ConnectionSite): PoolPosture | undefined {
  const gp = site.goPool;
  if (!gp) return undefined;
  const num = (v: Val | undefined): number | 'unknown' => (v && v.k === 'num' ? v.n : 'unknown');
  return {
    maxOpen: gp.maxOpen ? setting(num(gp.maxOpen.value), 'SetMaxOpenConns', gp.maxOpen.range) : setting<'unset'>('unset', 'no SetMaxOpenConns (unlimited)'),
    maxIdle: gp.maxIdle ? setting(num(gp.maxIdle.value), 'SetMaxIdleConns', gp.maxIdle.range) : setting<'unset'>('unset', 'no SetMaxIdleConns (default 2)'),
    maxLifetime: gp.maxLifetime
      ? setting(gp.maxLifetime.seconds ?? 'unknown', 'SetConnMaxLifetime', gp.maxLifetime.range)
      : setting<'unset'>('unset', 'no SetConnMaxLifetime (connections are reused forever)'),
    escapes: gp.escapes,
  };
}

/** TLS posture implied by a Go tls.Config / Node TLS options (only the fields it sets). */
export interface TlsConfigPosture {
  readonly chain?: Setting<Verified>;
  readonly hostname?: Setting<Verified>;
  readonly outdatedMinVersion?: Setting<string>;
  readonly ca?: Setting<'configured'>;
}

export function tlsConfigPosture(f: TlsConfigFacts): TlsConfigPosture {
  let chain: Setting<Verified> | undefined;
  let hostname: Setting<Verified> | undefined;
  if (f.insecureSkipVerify && f.insecureSkipVerify.value !== false) {
    const cb = f.verifyCallback;
    if (f.insecureSkipVerify.value === 'unknown') {
      chain = setting<Verified>('unknown', 'InsecureSkipVerify set from a value not known statically', f.insecureSkipVerify.range);
      hostname = chain;
    } else if (cb && cb.rejects === true) {
      chain = setting<Verified>('verified', `InsecureSkipVerify: true with a ${cb.name} callback that can reject the certificate`, cb.range);
      hostname = setting<Verified>('unknown', `hostname checked only if ${cb.name} does so`, cb.range);
    } else if (cb && cb.rejects === 'unknown') {
      chain = setting<Verified>('unknown', `InsecureSkipVerify: true with a ${cb.name} callback`, cb.range);
      hostname = chain;
    } else {
      const why = cb ? `InsecureSkipVerify: true and ${cb.name} verifies nothing (it never rejects a well-formed certificate)` : 'InsecureSkipVerify: true';
      chain = setting<Verified>('unverified', why, f.insecureSkipVerify.range);
      hostname = setting<Verified>('unverified', why, f.insecureSkipVerify.range);
    }
  }
  const low = (v: { version: string; range: Range } | undefined, field: string): Setting<string> | undefined =>
    v && (v.version === '1.0' || v.version === '1.1' || v.version === '3.0') ? setting(v.version, `tls.Config ${field}`, v.range) : undefined;
  const outdatedMinVersion = low(f.minVersion, 'MinVersion') ?? (f.minVersion === undefined ? low(f.maxVersion, 'MaxVersion') : undefined);
  return {
    chain,
    hostname,
    outdatedMinVersion,
    // Under InsecureSkipVerify the callback decides trust: rootCAs then records the roots it
    // verifies against or the pin it compares (extract/go/tls.ts).
    ca: f.rootCAs ? setting<'configured'>('configured', f.insecureSkipVerify?.value === true && f.verifyCallback ? `roots or pin checked by ${f.verifyCallback.name}` : 'RootCAs', f.rootCAs.range) : undefined,
  };
}

/** Applies a tls.Config's posture over a posture computed from connection-string settings. */
export function mergeTlsConfig(base: TlsPosture, t: TlsConfigPosture): TlsPosture {
  return {
    ...base,
    chain: t.chain ?? base.chain,
    hostname: t.hostname ?? base.hostname,
    outdatedMinVersion: t.outdatedMinVersion ?? base.outdatedMinVersion,
    ca: t.ca ?? base.ca,
  };
}

/** Go tls.Config: replace a MinVersion/MaxVersion below 1.2 with tls.VersionTLS12 (preferred). */
export function goMinTlsRemedy(f: TlsConfigFacts | undefined): Fix[] {
  const v = f?.minVersion ?? f?.maxVersion;
  if (!v || !['1.0', '1.1', '3.0'].includes(v.version)) return [];
  return [{ title: 'Use tls.VersionTLS12', preferred: true, edits: [{ range: v.range, newText: 'tls.VersionTLS12' }] }];
}

/** "TLS on · certificate NOT verified · hostname NOT verified": the start of an explanation/hover. */
export function tlsSummary(enabled: import('./types').TlsEnabled, chain: Verified, hostname: Verified): string {
  const on: Record<import('./types').TlsEnabled, string> = {
    off: 'TLS off',
    optional: 'TLS optional (plaintext fallback)',
    'login-only': 'TLS for the login only',
    on: 'TLS on',
    unknown: 'TLS not known statically',
  };
  const v = (what: string, x: Verified): string | undefined =>
    x === 'verified' ? `${what} verified` : x === 'unverified' ? `${what} NOT verified` : x === 'unknown' ? `${what} verification unknown` : undefined;
  return [on[enabled], v('certificate', chain), v('hostname', hostname)].filter((s) => s !== undefined).join(' · ');
}

/**
 * Whether a connection string may hold parameters ConnGuard cannot see: a key with an unknown
 * part, or a string that ends in an unknown part (`…?%s`, a whole DSN from the environment). An
 * absent parameter is then unknown, not absent — precision first.
 */
export function dsnMayHideParams(d: ParsedDsn): boolean {
  return mayHideParams(d.source.text);
}

/** A Node TLS option (`minVersion`, `maxVersion`, `secureProtocol`) that allows TLS below 1.2. */
export function nodeTlsVersionBelow12(key: string, v: Val | undefined): Setting<string> | undefined {
  const t = strOf(v);
  if (!v || t === undefined) return undefined;
  if (t === 'TLSv1' || t === 'TLSv1_method' || t === 'SSLv23_method' || t === 'SSLv3_method') return setting('1.0', `${key}: '${t}'`, v.range);
  if (t === 'TLSv1.1' || t === 'TLSv1_1_method') return setting('1.1', `${key}: '${t}'`, v.range);
  return undefined;
}

/** `newContent` in the same quotes as the string literal `v` (for replacement edits on TS/Go values). */
export function requoted(text: string, v: Val, newContent: string): string {
  const q = text[v.range.start];
  return q === '"' || q === "'" || q === '`' ? `${q}${newContent}${q}` : `'${newContent}'`;
}

/**
 * passwordFromDsn, plus the source behind an unknown password part: when the hole in the
 * connection string stands for an environment read (`${process.env.X}`, `os.Getenv("X")`, `${X}`
 * in a config file), the password comes from the environment ('env'), not from an unknown value.
 */
export function passwordFromDsnIn(ctx: ProfileContext, p: DsnPart | undefined): Setting<PasswordSource> {
  const base = passwordFromDsn(p);
  if (base.value !== 'unknown' || !p || p.value !== undefined || p.range.end - p.range.start > 200) return base;
  const src = ctx.text.slice(p.range.start, p.range.end).trim();
  const m =
    /^\$\{\s*(?:process\.env\.)?([A-Za-z_][A-Za-z0-9_]*)\s*\}$/.exec(src) ??
    /^process\.env\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(src) ??
    /^process\.env\[\s*['"]([^'"]+)['"]\s*\]$/.exec(src) ??
    /^os\.Getenv\(\s*"([^"]+)"\s*\)$/.exec(src) ??
    /^\$([A-Za-z_][A-Za-z0-9_]*)$/.exec(src);
  return m ? setting<PasswordSource>('env', `password in the connection string from the environment (${m[1]})`, p.range) : base;
}
