/**
 * PostgreSQL under uptrace/bun's own driver, pgdriver (github.com/uptrace/bun/driver/pgdriver):
 * `sql.OpenDB(pgdriver.NewConnector(opts…))` and `sql.Open("pg", dsn)`.
 *
 * Source of truth: docs/drivers/bun-pgdriver.md (read from bun's config.go, driver.go, proto.go).
 * Where it differs from pgx / lib/pq / libpq:
 * - TLS is a `*tls.Config` or nil, nothing else: when non-nil the driver sends SSLRequest and
 *   fails ("SSL is not enabled on the server") if the server refuses — there is NO plaintext
 *   fallback for any sslmode, prefer and allow included.
 * - Without sslmode/sslrootcert and TLS options, newDefaultConfig's TLSConfig is
 *   `&tls.Config{InsecureSkipVerify: true}`: encrypted, never verified.
 * - sslmode: disable → nil; allow/prefer, and sslrootcert WITHOUT sslmode → InsecureSkipVerify;
 *   require → InsecureSkipVerify (verify-ca when sslrootcert is set); verify-ca → chain checked by
 *   its own VerifyPeerCertificate, hostname not; verify-full → ServerName = URL host, full
 *   verification. Any other value is an error (WithDSN panics, sql.Open fails).
 * - Only URLs (postgres://, postgresql://, unix://) are accepted; a keyword/value string fails
 *   with "pgdriver: invalid scheme". A repeated query key: the LAST value wins (pgx: the first).
 *   Unknown query keys are sent to the server as `SET key TO value` at connect time.
 * - Timeouts: dial 5 s, read 10 s, write 5 s by default; `connect_timeout`/`dial_timeout`/`timeout`
 *   accept Go durations ("5s") as well as whole seconds. Only WithDialTimeout(0)/WithTimeout(0)
 *   leave the dial unbounded.
 * - Options apply in order; each overwrites what an earlier one set (a WithDSN only the fields
 *   its URL carries).
 */
import { Range } from '../../model';
import { HOLE, SrcString } from '../../srcstring';
import { ConnectionSite, Prop, strOf } from '../../extract/values';
import { param, ParsedDsn } from '../../dsn/types';
import { parsePostgres } from '../../dsn/index';
import { goDurationSeconds } from '../../dsn/common';
import { fix, replaceDsnValue, setDsnParam } from '../../fixes/edits';
import { caProviderOf, closest, consumerSets, dsnMayHideParams, goMinTlsRemedy, goPoolPosture, hostInfo, HostInfo, passwordFromDsnIn, passwordFromVal, ProfileContext, setting, tlsConfigPosture, tokenAuthOf } from '../common';
import { caBundleFile, needsProviderCa } from '../provider';
import { ConnectionProfile, InvalidSetting, Remedies, Setting, TlsEnabled, TlsPosture, Verified } from '../types';
import { misspeltKeys, retiredBundle } from './postgres-go';

const LABEL = 'bun pgdriver';
const SSLMODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
/** Query keys parseDSN reads; every other key becomes `SET key TO value` on each new connection. */
const READ_KEYS = new Set(['host', 'application_name', 'sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'timeout', 'dial_timeout', 'connect_timeout', 'read_timeout', 'write_timeout']);
/**
 * libpq / pgx client settings that are not server parameters: pgdriver sends them with SET and
 * the server answers "unrecognized configuration parameter", so every connection fails.
 */
const CLIENT_ONLY_KEYS = new Set([
  'hostaddr', 'port', 'dbname', 'user', 'password', 'passfile', 'sslnegotiation', 'sslsni', 'sslpassword', 'sslcrl', 'sslcrldir',
  'sslcertmode', 'sslcompression', 'target_session_attrs', 'load_balance_hosts', 'channel_binding', 'require_auth', 'gssencmode',
  'krbsrvname', 'service', 'keepalives', 'keepalives_idle', 'keepalives_interval', 'keepalives_count', 'pool_max_conns',
  'pool_min_conns', 'pool_max_conn_lifetime', 'pool_max_conn_idle_time', 'pool_health_check_period', 'default_query_exec_mode',
  'statement_cache_capacity', 'description_cache_capacity', 'fallback_application_name',
]);
/** Duration keys, in the order parseDSN applies them (the later one wins for the dial timeout). */
const DIAL_KEYS = ['timeout', 'dial_timeout', 'connect_timeout'] as const;

/** The TLS state the options have built so far. */
interface TlsState {
  readonly enabled: Setting<TlsEnabled>;
  readonly chain: Setting<Verified>;
  readonly hostname: Setting<Verified>;
  readonly ca: TlsPosture['ca'];
  readonly explanation: string;
  /** What decided it: the default, the DSN's sslmode, or an option. */
  readonly by: 'default' | 'dsn' | 'option' | 'unknown';
}

function tlsState(enabled: TlsEnabled, chain: Verified, hostname: Verified, source: string, range: Range | undefined, explanation: string, by: TlsState['by'], ca?: TlsPosture['ca']): TlsState {
  return {
    enabled: setting(enabled, source, range),
    chain: setting(chain, source, range),
    hostname: setting(hostname, source, range),
    ca: ca ?? setting(chain === 'verified' ? 'system' : 'n/a', chain === 'verified' ? 'system trust store' : 'not verified'),
    explanation,
    by,
  };
}

function unknownTls(source: string, range: Range | undefined): TlsState {
  return { ...tlsState('unknown', 'unknown', 'unknown', source, range, `${LABEL}: ${source}.`, 'unknown'), ca: setting('unknown', source, range) };
}

export function profileBunPgdriver(site: ConnectionSite, ctx: ProfileContext): ConnectionProfile {
  const invalid: InvalidSetting[] = [];
  const mainScheme = site.dsn ? schemeOf(site.dsn.s) : undefined;
  const dsn: ParsedDsn | undefined = site.dsn && mainScheme !== undefined && isPgScheme(mainScheme) ? parsePostgres(site.dsn.s) : undefined;

  // The options in the order NewConnector applies them; sql.Open("pg", dsn) is one WithDSN.
  const opts = site.options?.k === 'obj' ? site.options.props : undefined;
  const steps: readonly Prop[] = opts ?? [{ key: 'DSN', keyRange: site.anchor, value: site.dsn ? { k: 'str', s: site.dsn.s, range: site.dsn.range } : { k: 'unknown', range: site.anchor }, range: site.dsn?.range ?? site.anchor }];
  const lastDsnStep = [...steps].reverse().find((s) => s.key === 'DSN');

  let tls = tlsState(
    'on', 'unverified', 'unverified',
    'no sslmode: bun pgdriver\'s default tls.Config sets InsecureSkipVerify: true',
    site.dsn?.range,
    `${LABEL}: no sslmode and no TLS option — the default tls.Config requires TLS (no plaintext fallback) but sets InsecureSkipVerify: true, so the certificate and hostname are never checked.`,
    'default',
  );
  let timeout: Setting<'set' | 'missing' | 'unknown'> = setting('set', 'default dial timeout of 5 s');
  let hi: HostInfo = { host: setting<string | undefined>(undefined, 'no address (PGHOST from the environment, else localhost)'), provider: { kind: 'none', label: 'no cloud provider recognised' }, locality: 'unknown' };
  let socket = false;
  let rootParam: ReturnType<typeof param>;
  let broken = false;
  let codeSetsTls = false;
  /** The TLS option or DSN after which nothing else changed TLS: where a fix must be made. */
  let tlsStep: Prop | undefined;

  for (const step of steps) {
    const v = step.value;
    switch (step.key) {
      case 'DSN': {
        const isMain = step === lastDsnStep && !!site.dsn;
        const src = v.k === 'str' ? v.s : undefined;
        const scheme = src ? schemeOf(src) : undefined;
        if (src && scheme !== undefined && !isPgScheme(scheme)) {
          broken = true;
          if (isMain) invalid.push(schemeInvalid(scheme, site.dsn!.range));
          break;
        }
        if (scheme === 'unix') {
          socket = true;
          break;
        }
        const d = isMain ? dsn : src ? parsePostgres(src) : undefined;
        if (!d) {
          tls = unknownTls(v.k === 'env' ? `connection string from environment variable ${v.name} (sslmode may be set in it)` : 'connection string not known statically (sslmode may be set in it)', step.range);
          tlsStep = step;
          if (timeout.value === 'missing') timeout = setting('unknown', 'connection string not known statically (it may set connect_timeout)', step.range);
          hi = { ...hi, host: setting<string | undefined>(undefined, 'host not known statically'), locality: 'unknown' };
          break;
        }
        const r = applyDsn(d, tls, timeout, isMain ? invalid : undefined);
        if (r.tls !== tls) tlsStep = step;
        tls = r.tls;
        timeout = r.timeout;
        rootParam = param(d, 'sslrootcert') ?? rootParam;
        const hostParam = param(d, 'host');
        if (hostParam) {
          hi = { ...hostInfo(ctx, undefined, { k: 'str', s: SrcString.exact(hostParam.value ?? HOLE, hostParam.range.start), range: hostParam.range }), ...(hostParam.value === undefined ? { host: setting<string | undefined>(undefined, 'host not known statically', hostParam.range), locality: 'unknown' as const } : {}) };
          if (hostParam.value?.startsWith('/')) socket = true;
        } else if (d.hosts.length > 0) hi = hostInfo(ctx, d, undefined);
        break;
      }
      case 'TLSConfig': {
        tlsStep = step;
        if (v.k === 'null') {
          tls = tlsState('off', 'n/a', 'n/a', 'WithTLSConfig(nil)', step.range, `${LABEL}: WithTLSConfig(nil) removes the tls.Config, so the connection is plaintext.`, 'option');
        } else if (site.tlsConfig && step === [...steps].reverse().find((s) => s.key === 'TLSConfig')) {
          // The config is used as is (tls.Client): crypto/tls verifies chain and ServerName unless it
          // says otherwise; without ServerName and InsecureSkipVerify the handshake fails (closed).
          const base = tlsState('on', 'verified', 'verified', 'WithTLSConfig, InsecureSkipVerify not set', step.range, '', 'option');
          const t = tlsConfigPosture(site.tlsConfig);
          tls = {
            ...base,
            chain: t.chain ?? base.chain,
            hostname: t.hostname ?? base.hostname,
            ca: t.ca ?? base.ca,
            explanation: `${LABEL}: the tls.Config given with WithTLSConfig is used as is — TLS is required (no plaintext fallback) and it is verified as that config says.`,
          };
        } else tls = { ...unknownTls('tls.Config passed to WithTLSConfig not resolved in this file', step.range), enabled: setting<TlsEnabled>('unknown', 'WithTLSConfig with a value not known statically', step.range), by: 'option' };
        break;
      }
      case 'Insecure': {
        tlsStep = step;
        if (v.k === 'bool' && v.b) tls = tlsState('off', 'n/a', 'n/a', 'WithInsecure(true)', step.range, `${LABEL}: WithInsecure(true) removes the tls.Config, so the connection is plaintext.`, 'option');
        else if (v.k === 'bool')
          tls = tlsState(
            'on', 'unverified', 'unverified', 'WithInsecure(false), which released bun (≤ v1.2.16) implements as InsecureSkipVerify: true', step.range,
            `${LABEL}: WithInsecure(false) turns TLS on with tls.Config{InsecureSkipVerify: true} in released bun versions (≤ v1.2.16; the current source verifies instead), so the certificate is not checked.`,
            'option',
          );
        else tls = { ...unknownTls('WithInsecure with a value not known statically', step.range), by: 'option' };
        break;
      }
      case 'Timeout':
      case 'DialTimeout': {
        const call = `With${step.key}`;
        if (v.k !== 'num') timeout = setting('unknown', `${call} with a value not known statically`, step.range);
        else if (v.n === 0) timeout = setting('missing', `${call}(0): net.Dialer then has no timeout and waits on the operating system, often minutes`, v.range);
        else timeout = setting('set', `${call}(${v.n} s)`, step.range);
        break;
      }
      case 'Addr': {
        hi = hostInfo(ctx, undefined, v);
        if (strOf(v)?.startsWith('/')) socket = true;
        break;
      }
      case 'Network': {
        if (strOf(v) === 'unix') socket = true;
        break;
      }
      case 'Config':
      case '*': {
        // WithConfig replaces the whole config; an option not visible here may set anything.
        const why = step.key === 'Config' ? 'WithConfig replaces the whole configuration' : 'an option not resolved in this file may change it';
        tls = unknownTls(why, step.range);
        tlsStep = step;
        timeout = setting('unknown', why, step.range);
        break;
      }
      default:
        break;
    }
  }

  // A config value judged under the code that reads it: options that code passes beside WithDSN
  // (their order is not known here) may replace the TLS config or the timeouts.
  if (consumerSets(site, 'TLSConfig', 'Insecure', 'Config')) {
    tls = unknownTls('tls.Config set by the code that reads this value', undefined);
    tlsStep = undefined;
    codeSetsTls = true;
  }
  if (consumerSets(site, 'Timeout', 'DialTimeout', 'Config') && timeout.value === 'missing') timeout = setting('unknown', 'timeouts set by the code that reads this value');
  if (broken) {
    // The connector never connects: nothing else about it is worth reporting.
    tls = unknownTls('connection string rejected by pgdriver', site.dsn?.range);
    timeout = setting('unknown', 'connection string rejected by pgdriver', site.dsn?.range);
  }
  const rootcert = rootParam?.value;
  const posture: TlsPosture = {
    enabled: tls.enabled,
    chain: tls.chain,
    hostname: tls.hostname,
    ca: tls.ca,
    retiredCa: retiredBundle(rootcert, rootParam?.range),
    explanation: tls.explanation,
  };

  // --- auth
  const pwOpt = [...steps].reverse().find((s) => s.key === 'Password');
  const password = pwOpt ? passwordFromVal(pwOpt.value, 'WithPassword') : passwordFromDsnIn(ctx, dsn?.password);
  const tokenAuth = tokenAuthOf(site, password);
  const userOpt = [...steps].reverse().find((s) => s.key === 'User');

  // --- remedies: a DSN edit works only when no TLS option follows the (last) WithDSN.
  const dsnDecides = !!site.dsn && !!dsn && !codeSetsTls && (tlsStep === undefined || tlsStep === lastDsnStep);
  const caProvider = caProviderOf(hi.provider, tokenAuth);
  let remedies: Remedies = { minTls12: goMinTlsRemedy(site.tlsConfig) };
  if (dsn && site.dsn && !broken) {
    const caNeeded = needsProviderCa(caProvider) && !rootcert;
    const modeParam = param(dsn, 'sslmode');
    const verified = dsnDecides
      ? fix(caNeeded ? `Set sslmode=verify-full (also configure the ${caProvider.label} CA bundle with sslrootcert)` : 'Set sslmode=verify-full', !caNeeded, [setDsnParam(dsn, site.dsn, modeParam, 'sslmode', 'verify-full')])
      : [];
    const caEdit = setDsnParam(dsn, site.dsn, param(dsn, 'sslrootcert'), 'sslrootcert', `/etc/ssl/certs/${caBundleFile(caProvider)}`);
    remedies = { ...remedies, verifiedTls: verified, verifyHostname: verified, providerCa: dsnDecides ? fix(`Add sslrootcert pointing at the ${caProvider.label} CA bundle (adjust the path)`, false, [caEdit]) : [] };
  }
  const skip = site.tlsConfig?.insecureSkipVerify;
  if (tlsStep?.key === 'TLSConfig' && skip && skip.value === true) {
    // tls.Client refuses to verify without a ServerName: safe only with one.
    const hasName = site.tlsConfig?.serverName !== undefined;
    const verified = fix(`Set InsecureSkipVerify to false${hasName ? '' : ' (also set ServerName to the database host: without it the handshake fails)'}`, hasName, [{ range: skip.range, newText: 'false' }]);
    remedies = { ...remedies, verifiedTls: verified, verifyHostname: verified };
  }
  if (timeout.value === 'missing' && timeout.range) remedies = { ...remedies, connectTimeout: fix('Use a dial timeout of 5 seconds', false, [{ range: timeout.range, newText: '5 * time.Second' }]) };

  return {
    site,
    driver: site.driver,
    driverLabel: LABEL,
    consumerKnown: true,
    dbms: 'postgres',
    dsn,
    host: hi.host,
    provider: hi.provider,
    locality: socket ? 'socket' : hi.locality,
    tls: posture,
    auth: {
      password,
      tokenAuth,
      user: userOpt ? setting(strOf(userOpt.value), 'WithUser', userOpt.value.range) : dsn?.user ? setting(dsn.user.value, 'user in the connection string', dsn.user.range) : undefined,
    },
    pool: goPoolPosture(site),
    connectTimeout: broken ? undefined : timeout,
    dangerous: [],
    invalid,
    remedies,
  };
}

/** What one parsed WithDSN does to the TLS state and the dial timeout (parseDSN in config.go). */
function applyDsn(d: ParsedDsn, tlsIn: TlsState, timeoutIn: Setting<'set' | 'missing' | 'unknown'>, invalid: InvalidSetting[] | undefined): { tls: TlsState; timeout: Setting<'set' | 'missing' | 'unknown'> } {
  let tls = tlsIn;
  let timeout = timeoutIn;
  const hidden = dsnMayHideParams(d);
  if (invalid) {
    for (const e of d.errors) invalid.push({ range: e.range, message: `${LABEL}: ${e.message}`, fixes: [] });
    invalid.push(...unreadKeys(d));
  }

  const modeParam = param(d, 'sslmode');
  const rootParam = param(d, 'sslrootcert');
  const mode = modeParam?.value;
  const root = rootParam?.value;
  const range = modeParam?.range ?? rootParam?.range;
  if ((modeParam && mode === undefined) || (rootParam && root === undefined)) {
    tls = unknownTls('sslmode not known statically', range);
  } else if ((mode ?? '') !== '' || (root ?? '') !== '') {
    const ca: TlsPosture['ca'] = root ? setting('configured', `sslrootcert=${root}`, rootParam?.range) : setting('system', 'system trust store');
    const m = mode ?? '';
    switch (m) {
      case 'disable':
        tls = tlsState('off', 'n/a', 'n/a', 'sslmode=disable', range, `${LABEL}: sslmode=disable never uses TLS.`, 'dsn');
        break;
      case '':
        tls = tlsState('on', 'unverified', 'unverified', 'sslrootcert without sslmode: InsecureSkipVerify stays true', rootParam?.range,
          `${LABEL}: sslrootcert without sslmode loads the CA but still sets InsecureSkipVerify: true (an empty sslmode acts as prefer), so nothing is verified.`, 'dsn');
        break;
      case 'allow':
      case 'prefer':
        tls = tlsState('on', 'unverified', 'unverified', `sslmode=${m}`, range,
          `${LABEL}: sslmode=${m} requires TLS — unlike libpq there is no plaintext fallback — but sets InsecureSkipVerify: true, so the certificate is never checked.`, 'dsn');
        break;
      case 'require':
        tls = root
          ? tlsState('on', 'verified', 'unverified', 'sslmode=require with sslrootcert (acts as verify-ca)', range, `${LABEL}: sslmode=require with sslrootcert acts as verify-ca: the chain is verified against that CA but not the hostname.`, 'dsn', ca)
          : tlsState('on', 'unverified', 'unverified', 'sslmode=require', range, `${LABEL}: sslmode=require encrypts with InsecureSkipVerify: true, without verifying the certificate.`, 'dsn');
        break;
      case 'verify-ca':
        tls = tlsState('on', 'verified', 'unverified', 'sslmode=verify-ca', range, `${LABEL}: sslmode=verify-ca verifies the certificate chain (its own VerifyPeerCertificate) but not the hostname.`, 'dsn', ca);
        break;
      case 'verify-full':
        tls = tlsState('on', 'verified', 'verified', 'sslmode=verify-full', range, `${LABEL}: sslmode=verify-full verifies the certificate chain and the hostname (ServerName is the URL host).`, 'dsn', ca);
        break;
      default: {
        tls = unknownTls(`sslmode=${m} (rejected)`, range);
        if (invalid && modeParam) {
          const guess = closest(m, SSLMODES);
          invalid.push({
            range: modeParam.range,
            message: `${LABEL} rejects sslmode=${m} ("pgdriver: sslmode '${m}' is not supported": WithDSN panics, sql.Open returns the error)${guess ? `; did you mean sslmode=${guess}?` : ''} Valid values: ${SSLMODES.join(', ')}.`,
            fixes: guess ? fix(`Change to sslmode=${guess}`, true, [replaceDsnValue(modeParam, guess)]) : [],
          });
        }
      }
    }
  } else if (hidden) {
    tls = unknownTls('connection string partly unknown (sslmode may be set in the unknown part)', undefined);
  }

  // Dial timeout: parseDSN applies timeout, then dial_timeout, then connect_timeout.
  for (const key of [...DIAL_KEYS, 'read_timeout', 'write_timeout']) {
    const q = param(d, key);
    if (!q) continue;
    if (q.value === undefined) {
      if (key !== 'read_timeout' && key !== 'write_timeout' && timeout.value === 'missing') timeout = setting('unknown', `${key} not known statically`, q.range);
      continue;
    }
    const secs = pgdriverDuration(q.value);
    if (secs === 'invalid') {
      invalid?.push({ range: q.range, message: `${LABEL} rejects ${key}=${q.value}: it is a Go duration ("5s") or whole seconds ("pgdriver: invalid ${key} duration"), so the connection string fails to parse.`, fixes: [] });
      continue;
    }
    if (secs < 0) {
      // A whole number ≤ 0 is meant to "disable timeouts" but becomes -1 ns, which net.Dialer and
      // the read/write deadlines treat as already expired.
      invalid?.push({ range: q.range, message: `${key}=${q.value} does not disable the timeout in ${LABEL}: it becomes a negative duration (-1 ns for a whole number ≤ 0), which Go treats as an already expired deadline, so every connection fails. Remove it or give a positive number of seconds.`, fixes: [] });
      continue;
    }
    // 0 as a duration ("0s") is ignored (parseDSN only applies non-zero durations).
    if (secs !== 0 && key !== 'read_timeout' && key !== 'write_timeout') timeout = setting('set', `${key}=${q.value}`, q.range);
  }
  if (hidden && timeout.value === 'missing') timeout = setting('unknown', 'connection string partly unknown (it may set connect_timeout)');
  return { tls, timeout };
}

/** Keys pgdriver does not read: client-only libpq/pgx keys fail the connection, misspellings are reported. */
function unreadKeys(d: ParsedDsn): InvalidSetting[] {
  const out: InvalidSetting[] = [];
  for (const q of d.params) {
    if (READ_KEYS.has(q.norm) || !CLIENT_ONLY_KEYS.has(q.norm)) continue;
    out.push({
      range: q.keyRange,
      message: `${LABEL} does not read "${q.key}": it sends unknown keys to the server as "SET ${q.key} TO …" on every new connection, and the server rejects it (unrecognized configuration parameter), so connecting fails.`,
      fixes: [],
    });
  }
  const rest: ParsedDsn = { ...d, params: d.params.filter((q) => !READ_KEYS.has(q.norm) && !CLIENT_ONLY_KEYS.has(q.norm)) };
  out.push(...misspeltKeys(rest, LABEL, `${LABEL} sends unknown keys to the server with SET, which rejects an unknown parameter: connecting fails.`));
  return out;
}

/**
 * queryOptions.duration: a whole number is seconds (≤ 0 → -1 ns), else time.ParseDuration;
 * anything else is an error. Seconds, or 'invalid'.
 */
export function pgdriverDuration(s: string): number | 'invalid' {
  if (/^[+-]?\d+$/.test(s)) {
    const n = Number(s);
    return n <= 0 ? -1e-9 : n;
  }
  return goDurationSeconds(s) ?? 'invalid';
}

/**
 * The URL scheme as net/url's getScheme finds it (lowercased): '' when the text has no scheme
 * (a keyword/value string), undefined when an unknown part comes first.
 */
export function schemeOf(s: SrcString): string | undefined {
  const t = s.text;
  for (let i = 0; i < t.length; i++) {
    const c = t[i];
    if (c === HOLE) return undefined;
    if (/[A-Za-z]/.test(c)) continue;
    if (/[0-9+.-]/.test(c) && i > 0) continue;
    if (c === ':') return t.slice(0, i).toLowerCase();
    return '';
  }
  return s.complete ? '' : undefined;
}

function isPgScheme(scheme: string): boolean {
  return scheme === 'postgres' || scheme === 'postgresql' || scheme === 'unix';
}

function schemeInvalid(scheme: string, range: Range): InvalidSetting {
  return {
    range,
    message: scheme === ''
      ? `${LABEL} reads only URLs (postgres://, postgresql://, unix://): a keyword/value connection string fails with "pgdriver: invalid scheme" (WithDSN panics, sql.Open returns the error). Write it as postgres://user@host:5432/db?sslmode=verify-full.`
      : `${LABEL} rejects the scheme "${scheme}://" ("pgdriver: invalid scheme: ${scheme}"): it reads postgres://, postgresql:// and unix:// URLs only.`,
    fixes: [],
  };
}
