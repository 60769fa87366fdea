/**
 * PostgreSQL under libpq-family semantics: jackc/pgx (v5), lib/pq, and connection strings whose
 * consumer is unknown (config files), which SPEC §1.1 evaluates as libpq does.
 *
 * Source of truth: reference/driver-semantics.md §2. The differences that matter:
 * - absent sslmode: pgx and libpq → `prefer` (TLS with plaintext fallback, never verified);
 *   lib/pq ≤ 1.12.3 → `require` (unverified), unreleased master → `prefer`.
 * - `require` verifies the chain (acts as verify-ca) only when sslrootcert is set.
 * - `verify-ca` verifies the chain (system roots without sslrootcert) but never the hostname.
 * - `sslrootcert=system` forces verify-full in pgx; lib/pq/libpq reject an explicitly weaker mode.
 * - pgx reads URL parameters with net/url: the first of a repeated key wins; keyword/value: the last.
 */
import { ConnectionSite, prop } from '../../extract/values';
import { param, ParsedDsn } from '../../dsn/types';
import { parsePostgres } from '../../dsn/index';
import { fix, removeDsnParam, setDsnParam, replaceDsnValue } from '../../fixes/edits';
import { closest, dsnMayHideParams, goMinTlsRemedy, goPoolPosture, hostInfo, mergeTlsConfig, passwordFromDsnIn, passwordFromVal, ProfileContext, setting, tlsConfigPosture, tokenAuthOf, consumerSets, caProviderOf } from '../common';
import { caBundleFile, needsProviderCa } from '../provider';
import { ConnectionProfile, InvalidSetting, Remedies, TlsPosture, Setting, TlsEnabled, Verified } from '../types';

const SSLMODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
/** The target_session_attrs values pgx v5 accepts. */
const TARGET_SESSION_ATTRS: readonly string[] = ['any', 'read-write', 'read-only', 'primary', 'standby', 'prefer-standby'];
type SslMode = (typeof SSLMODES)[number];

interface Flavour {
  readonly label: string;
  readonly defaultMode: SslMode;
  readonly defaultWhy: string;
  readonly consumerKnown: boolean;
}

function flavourOf(site: ConnectionSite): Flavour {
  switch (site.driver) {
    case 'pgx':
      return { label: 'pgx', defaultMode: 'prefer', defaultWhy: 'pgx defaults to sslmode=prefer', consumerKnown: true };
    case 'lib/pq':
      return { label: 'lib/pq', defaultMode: 'require', defaultWhy: 'lib/pq (≤ v1.12.3) defaults to sslmode=require; its next release defaults to prefer', consumerKnown: true };
    default:
      return { label: 'libpq semantics (consumer unknown)', defaultMode: 'prefer', defaultWhy: 'libpq defaults to sslmode=prefer', consumerKnown: false };
  }
}

const MODE_WORDS: Record<SslMode, string> = {
  disable: 'never uses TLS',
  allow: 'tries plaintext first and uses TLS only if the server insists, without verification',
  prefer: 'tries TLS but silently falls back to plaintext and never verifies the certificate',
  require: 'encrypts without verifying the certificate',
  'verify-ca': 'verifies the certificate chain but not the hostname',
  'verify-full': 'verifies the certificate chain and the hostname',
};

export function profilePostgresGo(site: ConnectionSite, ctx: ProfileContext): ConnectionProfile {
  const fl = flavourOf(site);
  const dsn: ParsedDsn | undefined = site.dsn ? parsePostgres(site.dsn.s) : undefined;
  const firstWins = site.driver === 'pgx' && dsn?.format === 'pg-url';
  const p = (k: string) => (dsn ? param(dsn, k, firstWins) : undefined);
  const invalid: InvalidSetting[] = [];
  for (const e of dsn?.errors ?? []) invalid.push({ range: e.range, message: `${fl.label}: ${e.message}`, fixes: [] });

  // --- host, provider, locality
  const hostParam = p('host');
  const hi = hostInfo(ctx, dsn, undefined);
  const host = hostParam && !dsn?.hosts.length ? setting(hostParam.value, 'host parameter', hostParam.range) : hi.host;
  const socket = (host.value ?? '').startsWith('/') || hi.locality === 'socket';

  // --- sslmode
  const modeParam = p('sslmode');
  const rootParam = p('sslrootcert');
  let mode: SslMode = fl.defaultMode;
  let modeSource = `no sslmode (${fl.defaultWhy})`;
  let modeKnown = true;
  // No connection string in sight (read from the environment) or one with unknown parts that may hold sslmode.
  const hidden = !dsn || dsnMayHideParams(dsn);
  if (!modeParam && hidden) {
    modeKnown = false;
    modeSource = 'connection string partly unknown (sslmode may be set in the unknown part)';
  }
  if (modeParam) {
    if (modeParam.value === undefined) modeKnown = false;
    else if ((SSLMODES as readonly string[]).includes(modeParam.value)) {
      mode = modeParam.value as SslMode;
      modeSource = `sslmode=${mode}`;
    } else {
      modeKnown = false;
      const guess = closest(modeParam.value, SSLMODES);
      invalid.push({
        range: modeParam.range,
        message: `${fl.label} rejects sslmode=${modeParam.value} ("sslmode is invalid")${guess ? `; did you mean sslmode=${guess}?` : ''} Valid values: ${SSLMODES.join(', ')}.`,
        fixes: guess ? fix(`Change to sslmode=${guess}`, true, [replaceDsnValue(modeParam, guess)]) : [],
      });
    }
  }
  // libpq reads the URI parameter ssl=true as sslmode=require (JDBC compatibility; of ssl=true and
  // sslmode the later one wins) and refuses any other ssl value, and ssl in keyword/value form
  // ("invalid URI query parameter" / "invalid connection option"): fe-connect.c
  // conninfo_uri_parse_params. Assumed libpq semantics only — pgx and lib/pq treat ssl otherwise.
  let modeAt = modeParam;
  const sslParam = site.driver === 'unknown-postgres' ? p('ssl') : undefined;
  if (sslParam) {
    const alias = sslParam.value === 'true' && dsn?.format === 'pg-url';
    const decides = !modeParam || sslParam.range.start > modeParam.range.start;
    if (sslParam.value !== undefined && !alias) {
      // No connection is made: its TLS is not a plaintext fallback, whatever sslmode says.
      modeKnown = false;
      modeAt = sslParam;
      modeSource = `ssl=${sslParam.value} (libpq refuses the connection string)`;
      const url = dsn?.format === 'pg-url';
      invalid.push({
        range: sslParam.range,
        message: `Under ${fl.label}, ssl=${sslParam.value} is refused (${url ? 'libpq: "invalid URI query parameter"' : 'libpq: "invalid connection option"'}): libpq accepts ssl only as ssl=true in a URL, an alias of sslmode=require. Drivers read other ssl values differently (node-postgres takes ssl=false as TLS on with full verification, ssl=0 as off): say what is meant with sslmode=verify-full.`,
        fixes: !modeParam && sslParam.exact ? fix('Change to sslmode=verify-full', false, [{ range: sslParam.keyRange, newText: 'sslmode' }, replaceDsnValue(sslParam, 'verify-full')]) : [],
      });
    } else if (decides && alias) {
      mode = 'require';
      modeKnown = true;
      modeAt = sslParam;
      modeSource = 'ssl=true (libpq reads it as sslmode=require)';
    } else if (decides) {
      modeKnown = false;
      modeAt = sslParam;
    }
  }
  // pgx ≥ 5.7.5: sslnegotiation=direct starts TLS at once (no plaintext attempt), so prefer acts as
  // require. (An older pgx sends the unknown key to the server, which rejects it: a deployment
  // that works has a pgx that knows it.)
  const negotiation = p('sslnegotiation');
  if (site.driver === 'pgx' && negotiation?.value === 'direct' && modeKnown && mode === 'prefer') {
    mode = 'require';
    modeSource = `${modeSource} with sslnegotiation=direct (pgx then requires TLS)`;
  }
  const rootcert = rootParam?.value;
  const systemRoot = rootcert === 'system';
  if (systemRoot && site.driver === 'pgx') {
    mode = 'verify-full';
    modeSource = 'sslrootcert=system (pgx forces verify-full)';
  } else if (systemRoot && modeParam && mode !== 'verify-full' && modeKnown) {
    invalid.push({ range: modeParam.range, message: `${fl.label} rejects sslrootcert=system with the weaker sslmode=${mode}: use sslmode=verify-full.`, fixes: fix('Change to sslmode=verify-full', true, [replaceDsnValue(modeParam, 'verify-full')]) });
  }
  invalid.push(...misspeltKeys(dsn, fl.label, site.driver === 'pgx' ? 'pgx sends unknown keys to the server as run-time parameters, so the setting is silently ignored.' : 'The setting is ignored or rejected.'));
  invalid.push(...poolKeysOutsidePgxpool(site, dsn, ctx.text));
  // pgx rejects any other target_session_attrs (driver-semantics §2: "anything else is an error").
  const tsa = p('target_session_attrs');
  if (tsa?.value !== undefined && site.driver === 'pgx' && !TARGET_SESSION_ATTRS.includes(tsa.value)) {
    const guess = closest(tsa.value.replace(/_/g, '-'), TARGET_SESSION_ATTRS);
    invalid.push({
      range: tsa.range,
      message: `${fl.label} rejects target_session_attrs=${tsa.value}: the connection string fails to parse.${guess ? ` Did you mean target_session_attrs=${guess}?` : ''} Valid values: ${TARGET_SESSION_ATTRS.join(', ')}.`,
      fixes: guess ? fix(`Change to target_session_attrs=${guess}`, true, [replaceDsnValue(tsa, guess)]) : [],
    });
  }

  // --- TLS posture from sslmode
  const modeRange = modeAt?.range;
  let enabled: Setting<TlsEnabled>;
  let chain: Setting<Verified>;
  let hostname: Setting<Verified>;
  if (!modeKnown) {
    enabled = setting<TlsEnabled>('unknown', 'sslmode not known statically', modeRange);
    chain = setting<Verified>('unknown', 'sslmode not known statically', modeRange);
    hostname = chain;
  } else {
    const verifiesChain = mode === 'verify-ca' || mode === 'verify-full' || (mode === 'require' && !!rootcert);
    enabled = setting<TlsEnabled>(mode === 'disable' ? 'off' : mode === 'allow' || mode === 'prefer' ? 'optional' : 'on', modeSource, modeRange);
    const chainWhy = mode === 'require' && rootcert ? 'sslmode=require with sslrootcert (acts as verify-ca)' : modeSource;
    chain = setting<Verified>(mode === 'disable' ? 'n/a' : verifiesChain ? 'verified' : 'unverified', chainWhy, modeRange);
    hostname = setting<Verified>(mode === 'disable' ? 'n/a' : mode === 'verify-full' ? 'verified' : 'unverified', modeSource, modeRange);
  }
  // `sslaccept` is Prisma's, not libpq's: Prisma URLs are judged in drivers/prisma.ts.
  // A unix socket never uses TLS, whatever sslmode says.
  if (socket) enabled = setting<TlsEnabled>('off', 'unix socket (TLS is not used)', host.range);

  // pgx: a tls.Config set on the config replaces verification (the fallback stays as sslmode made it).
  const tlsOpt = prop(site.options, 'TLSConfig');
  let tls: TlsPosture = {
    enabled,
    chain,
    hostname,
    ca: setting(rootcert ? (systemRoot ? 'system' : 'configured') : chain.value === 'verified' ? 'system' : 'n/a', rootParam ? `sslrootcert=${rootcert ?? '…'}` : 'system trust store', rootParam?.range),
    retiredCa: retiredBundle(rootParam?.value, rootParam?.range),
    explanation: '',
  };
  if (site.tunnel) {
    // The connector's own mutual-TLS tunnel carries the connection; sslmode applies inside it.
    const src = `DialFunc through ${site.tunnel.via}`;
    tls = { ...tls, enabled: setting<TlsEnabled>('on', src, site.tunnel.range), chain: setting<Verified>('verified', src, site.tunnel.range), hostname: setting<Verified>('verified', src, site.tunnel.range), ca: setting('configured', src, site.tunnel.range) };
  } else if (tlsOpt && tlsOpt.value.k === 'null') {
    tls = { ...tls, enabled: setting<TlsEnabled>('off', 'TLSConfig = nil', tlsOpt.value.range), chain: setting<Verified>('n/a', 'TLSConfig = nil'), hostname: setting<Verified>('n/a', 'TLSConfig = nil') };
  } else if (site.tlsConfig && tlsOpt && !socket) {
    // `cfg.TLSConfig = &tls.Config{…}` replaces the config sslmode built for the first attempt:
    // TLS on, and crypto/tls verifies the chain and ServerName unless the config says otherwise
    // (pgx fills no ServerName: without one the handshake fails, it is not left unverified).
    // sslmode's fallbacks stay: prefer (also the default) keeps a plaintext attempt, allow an
    // unverified TLS one — an attacker who fails the first attempt gets the fallback.
    const src = 'TLSConfig replaced';
    const why = !modeKnown
      ? 'sslmode not known statically: it decides whether a fallback attempt follows the replaced TLSConfig'
      : `sslmode=${mode}${modeParam ? '' : ' (the default)'} ${mode === 'prefer' ? 'keeps a plaintext fallback attempt' : mode === 'allow' ? 'keeps an unverified TLS fallback attempt' : 'adds no fallback attempt'} beside the replaced TLSConfig`;
    const own = mergeTlsConfig(
      { ...tls, chain: setting<Verified>('verified', `${src}, InsecureSkipVerify not set`, tlsOpt.range), hostname: setting<Verified>('verified', `${src}, InsecureSkipVerify not set`, tlsOpt.range), ca: setting('system', 'system trust store') },
      tlsConfigPosture(site.tlsConfig),
    );
    const enabledNow: TlsEnabled = !modeKnown ? 'unknown' : mode === 'prefer' ? 'optional' : 'on';
    tls = { ...own, enabled: setting<TlsEnabled>(enabledNow, why, enabledNow === 'on' ? tlsOpt.range : modeRange ?? tlsOpt.range) };
    if (modeKnown && mode === 'allow') {
      tls = { ...tls, chain: setting<Verified>('unverified', 'sslmode=allow keeps an unverified TLS fallback after the replaced TLSConfig', modeRange), hostname: setting<Verified>('unverified', 'sslmode=allow keeps an unverified TLS fallback', modeRange) };
    }
  } else if (site.tlsConfig) {
    // Fields set on the config sslmode built (`cfg.TLSConfig.InsecureSkipVerify = true`): a change, not a replacement.
    tls = mergeTlsConfig(tls, tlsConfigPosture(site.tlsConfig));
  } else if (site.driver === 'pgx' && consumerSets(site, 'TLSConfig') && !socket) {
    // A config value whose reader assigns its own tls.Config: verification is the code's; the
    // value's sslmode still decides the fallback attempt (prefer keeps a plaintext one).
    const why = 'tls.Config set by the code that reads this value';
    tls = {
      ...tls,
      enabled: modeKnown && mode === 'prefer' ? tls.enabled : setting<TlsEnabled>('unknown', why),
      chain: setting<Verified>('unknown', why),
      hostname: setting<Verified>('unknown', why),
      ca: setting('unknown', why),
    };
  }
  const modeWords = modeKnown ? MODE_WORDS[mode] : 'uses an sslmode not known statically';
  const replaced = !!(site.tlsConfig && tlsOpt && tlsOpt.value.k !== 'null' && !socket);
  tls = {
    ...tls,
    explanation: replaced
      ? `${fl.label}: the TLSConfig assigned in code replaces the one ${modeParam ? `sslmode=${modeParam.value ?? '?'}` : 'the default sslmode'} built for the first attempt; ${!modeKnown ? 'whether sslmode adds a fallback attempt is not known statically' : mode === 'prefer' ? 'sslmode=prefer still adds a plaintext fallback attempt' : mode === 'allow' ? 'sslmode=allow still adds an unverified TLS fallback attempt' : 'there is no fallback attempt'}.`
      : `${fl.label}: ${modeAt ? `${modeAt.norm}=${modeAt.value ?? '?'}` : 'no sslmode'} ${modeWords}${!modeAt ? ` (${fl.defaultWhy})` : modeAt !== modeParam && modeKnown ? ' (libpq reads ssl=true as sslmode=require)' : ''}${mode === 'require' && rootcert ? ', but sslrootcert makes it verify the chain (as verify-ca)' : ''}.`,
  };

  // --- auth
  const pwOpt = prop(site.options, 'Password');
  const password = pwOpt ? passwordFromVal(pwOpt.value, 'Password') : passwordFromDsnIn(ctx, dsn?.password);
  const tokenAuth = tokenAuthOf(site, password);

  // --- timeouts: pgx uses net.Dialer{} (no timeout) and lib/pq waits for the OS without connect_timeout.
  let connectTimeout: Setting<'set' | 'missing' | 'unknown'> | undefined;
  if (fl.consumerKnown) {
    const ct = p('connect_timeout');
    const ctOpt = prop(site.options, 'ConnectTimeout');
    if (ct && ct.value !== undefined && !/^\s*[+-]?\d+\s*$/.test(ct.value)) {
      // pgx (strconv.ParseInt), lib/pq (strconv.Atoi) and libpq all reject a non-integer: "5s" fails to connect.
      invalid.push({
        range: ct.range,
        message: `${fl.label} rejects connect_timeout=${ct.value}: it is a whole number of seconds ("invalid connect_timeout"), so the connection string fails to parse.`,
        fixes: /^\d+s$/.test(ct.value.trim()) ? fix(`Change to connect_timeout=${ct.value.trim().slice(0, -1)}`, true, [replaceDsnValue(ct, ct.value.trim().slice(0, -1))]) : [],
      });
      connectTimeout = setting('unknown', `connect_timeout=${ct.value} (invalid)`, ct.range);
    } else if (ct) connectTimeout = setting(ct.value === undefined ? 'unknown' : Number(ct.value) > 0 ? 'set' : 'missing', `connect_timeout=${ct.value ?? '?'}`, ct.range);
    else if (ctOpt) connectTimeout = setting('set', 'ConnectTimeout field', ctOpt.range);
    else if (consumerSets(site, 'ConnectTimeout')) connectTimeout = setting('set', 'ConnectTimeout set by the code that reads this value');
    else if (hidden) connectTimeout = setting('unknown', 'connection settings not fully visible');
    else connectTimeout = setting('missing', `no connect_timeout (${fl.label} then waits on the operating system, often minutes)`);
  }

  const caProvider = caProviderOf(hi.provider, tokenAuth);
  // A misspelt sslmode (`sslmdoe=…`, dsn-invalid renames its key) is where the fix writes the value:
  // appending another sslmode as well would leave the key twice once both fixes are applied.
  // ssl=true after an sslmode (libpq: the later wins) is overridden only by a later sslmode: appended.
  const modeTarget = modeAt !== modeParam && modeParam ? undefined : modeParam ?? (dsn ? dsn.params.find((q) => q.norm !== 'sslmode' && !KNOWN_PG_KEYS.has(q.norm) && closest(q.norm, ['sslmode']) === 'sslmode') : undefined);
  let remedies: Remedies = { ...pgRemedies(site, dsn, modeTarget, caProvider, !!rootcert), minTls12: goMinTlsRemedy(site.tlsConfig) };
  const skip = site.tlsConfig?.insecureSkipVerify;
  if (replaced && skip && skip.value === true) {
    // The replaced config is what skips verification: fix it there (and drop sslmode's fallback too).
    const fallback = !modeKnown || mode === 'prefer' || mode === 'allow';
    const sslEdits = fallback ? (remedies.verifiedTls ?? []).flatMap((f) => f.edits) : [];
    // Safe to apply only when the handshake will still work — pgx passes this config to
    // tls.Client as is, which refuses to verify without a ServerName — and when no fallback
    // attempt is left behind (the sslmode edit could be written).
    const safe = site.tlsConfig?.serverName !== undefined && (!fallback || sslEdits.length > 0);
    const title = `Set InsecureSkipVerify to false${sslEdits.length ? ' and sslmode=verify-full' : ''}${site.tlsConfig?.serverName === undefined ? ' (also set ServerName to the database host: without it the handshake fails)' : ''}${fallback && sslEdits.length === 0 ? ' (also set sslmode=verify-full: sslmode keeps a fallback attempt)' : ''}`;
    const verified = fix(title, safe, [{ range: skip.range, newText: 'false' }, ...sslEdits]);
    remedies = { ...remedies, verifiedTls: verified, verifyHostname: verified };
  }
  return {
    site,
    driver: site.driver,
    driverLabel: fl.label,
    consumerKnown: fl.consumerKnown,
    dbms: 'postgres',
    dsn,
    host,
    provider: hi.provider,
    locality: socket ? 'socket' : hi.locality,
    tls,
    auth: { password, tokenAuth, user: dsn?.user ? setting(dsn.user.value, 'user in the connection string', dsn.user.range) : undefined },
    pool: goPoolPosture(site),
    connectTimeout,
    dangerous: [],
    invalid,
    remedies,
  };
}

/**
 * Keys that look like a misspelt TLS/timeout key (`sslmdoe`, `sslrootcrt`): reported with a
 * did-you-mean fix, since no PostgreSQL driver warns about them.
 */
export function misspeltKeys(dsn: ParsedDsn | undefined, label: string, consequence: string): InvalidSetting[] {
  const out: InvalidSetting[] = [];
  for (const q of dsn?.params ?? []) {
    if (KNOWN_PG_KEYS.has(q.norm) || q.norm.includes('\uE000')) continue;
    const guess = closest(q.norm, ['sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'connect_timeout', 'target_session_attrs', 'sslnegotiation', 'sslsni', 'password', 'dbname', 'host', 'user']);
    if (!guess || guess === q.norm) continue;
    out.push({
      range: q.keyRange,
      message: `"${q.key}" is not a ${label} connection parameter — did you mean "${guess}"? ${consequence}`,
      fixes: q.exact ? fix(`Change to ${guess}`, true, [{ range: q.keyRange, newText: guess }]) : [],
    });
  }
  return out;
}

/** The connection-string keys only pgxpool.ParseConfig reads (and strips): driver-semantics §2. */
const PGXPOOL_KEYS: ReadonlySet<string> = new Set([
  'pool_max_conns', 'pool_min_conns', 'pool_min_idle_conns', 'pool_max_conn_lifetime', 'pool_max_conn_idle_time',
  'pool_health_check_period', 'pool_max_conn_lifetime_jitter', 'pool_ping_timeout',
]);

/**
 * A pgx site whose connection string pgxpool parses: pgxpool.New / NewWithConfig / Connect(Config).
 * The extractor marks those `isPool` without `goPool`; a `*sql.DB` (sql.Open("pgx"), stdlib.OpenDB,
 * GORM) has `goPool`, and pgx.Connect / ConnectConfig is not a pool.
 */
function isPgxpoolSite(site: ConnectionSite): boolean {
  return site.isPool === true && site.goPool === undefined;
}

/**
 * `pool_*` keys in a connection string that pgx itself parses (pgx.Connect/ParseConfig, the
 * database/sql driver): only pgxpool.ParseConfig strips them, so pgx sends them to the server as
 * run-time parameters and PostgreSQL refuses the connection ("unrecognized configuration
 * parameter"). Judged for Go sites only: a config value's reader is not known to be a pool or not.
 */
function poolKeysOutsidePgxpool(site: ConnectionSite, dsn: ParsedDsn | undefined, text: string): InvalidSetting[] {
  if (site.driver !== 'pgx' || site.language !== 'go' || isPgxpoolSite(site) || !dsn) return [];
  const sqlDb = site.goPool !== undefined;
  const out: InvalidSetting[] = [];
  for (const q of dsn.params) {
    if (!PGXPOOL_KEYS.has(q.norm)) continue;
    const consumer = sqlDb ? 'database/sql (the pgx stdlib driver)' : 'pgx.Connect / pgx.ParseConfig';
    const instead = sqlDb ? ' Size the *sql.DB with SetMaxOpenConns / SetMaxIdleConns / SetConnMaxLifetime instead.' : ' Use pgxpool.New / pgxpool.ParseConfig for a pool.';
    // Remove the entry only when its source text is exactly `key=value` (a wrong edit is worse than none).
    const entry = text.slice(q.entryRange.start, q.entryRange.end);
    const edit = q.exact && entry === `${q.key}=${q.raw}` ? removeDsnParam(q, text) : undefined;
    out.push({
      range: q.keyRange,
      message: `"${q.key}" is read only by pgxpool; ${consumer} sends it to the server as a run-time parameter, and PostgreSQL rejects the connection (unrecognized configuration parameter).${instead}`,
      fixes: fix(`Remove ${q.key}`, false, [edit]),
    });
  }
  return out;
}

/** Keys pgx, lib/pq and libpq understand (others become run-time parameters or errors). */
const KNOWN_PG_KEYS = new Set([
  'host', 'hostaddr', 'port', 'dbname', 'user', 'password', 'passfile', 'connect_timeout', 'client_encoding', 'options',
  'application_name', 'fallback_application_name', 'keepalives', 'keepalives_idle', 'keepalives_interval', 'keepalives_count',
  'tcp_user_timeout', 'replication', 'gssencmode', 'sslmode', 'sslnegotiation', 'sslcompression', 'sslcert', 'sslkey',
  'sslpassword', 'sslcertmode', 'sslrootcert', 'sslcrl', 'sslcrldir', 'sslsni', 'requirepeer', 'ssl_min_protocol_version',
  'ssl_max_protocol_version', 'krbsrvname', 'gsslib', 'gssdelegation', 'service', 'target_session_attrs', 'load_balance_hosts',
  'require_auth', 'channel_binding', 'search_path', 'timezone', 'statement_timeout', 'lock_timeout', 'idle_in_transaction_session_timeout',
  'pool_max_conns', 'pool_min_conns', 'pool_min_idle_conns', 'pool_max_conn_lifetime', 'pool_max_conn_idle_time', 'pool_health_check_period',
  'pool_max_conn_lifetime_jitter', 'pool_ping_timeout', 'default_query_exec_mode', 'statement_cache_capacity', 'description_cache_capacity',
  'prefer_simple_protocol', 'min_read_buffer_size', 'datestyle', 'extra_float_digits', 'binary_parameters', 'disable_prepared_binary_result',
  'schema', 'sslinline', 'sslaccept', 'uselibpqcompat', 'ssl', 'pgbouncer', 'connection_limit', 'pool_timeout', 'socket_timeout', 'statement_cache_size',
]);

const RETIRED = /rds-ca-2015-root\.pem|rds-ca-2019-root\.pem|rds-combined-ca-bundle\.pem|rds-ca-2015|rds-ca-2019/i;

/** A retired RDS CA bundle named in a CA path (C5). */
export function retiredBundle(path: string | undefined, range: import('../../model').Range | undefined): Setting<string> | undefined {
  if (!path || !RETIRED.test(path)) return undefined;
  return setting(path.split('/').pop() ?? path, `CA file ${path}`, range);
}

function pgRemedies(site: ConnectionSite, dsn: ParsedDsn | undefined, modeParam: ReturnType<typeof param>, provider: ReturnType<typeof hostInfo>['provider'], hasRoot: boolean): Remedies {
  if (!dsn || !site.dsn) return {};
  const caNeeded = needsProviderCa(provider) && !hasRoot;
  const verify = setDsnParam(dsn, site.dsn, modeParam, 'sslmode', 'verify-full');
  const verifiedTls = fix(
    caNeeded ? `Set sslmode=verify-full (also configure the ${provider.label} CA bundle with sslrootcert)` : 'Set sslmode=verify-full',
    !caNeeded,
    [verify],
  );
  const caEdit = setDsnParam(dsn, site.dsn, param(dsn, 'sslrootcert'), 'sslrootcert', `/etc/ssl/certs/${caBundleFile(provider)}`);
  const providerCa = fix(`Add sslrootcert pointing at the ${provider.label} CA bundle (adjust the path)`, false, [caEdit]);
  const timeoutEdit = setDsnParam(dsn, site.dsn, undefined, 'connect_timeout', '10');
  return {
    verifiedTls,
    verifyHostname: verifiedTls,
    providerCa,
    connectTimeout: fix('Add connect_timeout=10', false, [timeoutEdit]),
  };
}

