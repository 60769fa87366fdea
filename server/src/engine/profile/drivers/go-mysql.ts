/**
 * go-sql-driver/mysql semantics (reference/driver-semantics.md §1, §4): the one place that knows
 * what `tls=`, `allowFallbackToPlaintext`, `allowCleartextPasswords`, `allowAllFiles`,
 * `multiStatements`, `allowOldPasswords`, `timeout`, `parseTime`/`loc` mean to this driver.
 *
 * Settings come from the DSN (`user:pass@tcp(host:3306)/db?tls=true`) and/or a `mysql.Config`
 * literal with field assignments (`site.options`: User, Passwd, Net, Addr, TLSConfig, TLS,
 * AllowCleartextPasswords, …). When both are present the Config field wins, as it does after
 * `mysql.ParseDSN` + field assignment or `cfg.FormatDSN()`.
 *
 * Key facts encoded here:
 * - DSN keys are case-sensitive; booleans accept only 1/true/TRUE/True and 0/false/FALSE/False.
 * - `tls`: absent/false → plaintext; true → verified chain + hostname (system roots);
 *   skip-verify → unverified; preferred → TLS only if offered, unverified (plaintext fallback);
 *   any other value is a name registered with RegisterTLSConfig (an unregistered name is an
 *   error at Open). `Config.TLS` set in code overrides the name.
 * - `allowFallbackToPlaintext=true` turns required TLS into optional TLS.
 * - `timeout` absent → the OS TCP connect timeout (often minutes).
 */
import { Range, TextEdit } from '../../model';
import { DsnParam, param, ParsedDsn } from '../../dsn/types';
import { parseGoMysql } from '../../dsn/index';
import { ConnectionSite, Prop, prop, strOf, Val } from '../../extract/values';
import { fix, insertProperty, removeDsnParam, replaceDsnValue, replaceVal, setDsnParam } from '../../fixes/edits';
import {
  closest, describeVal, dsnMayHideParams, goPoolPosture, hostInfo, HostInfo, mergeTlsConfig, passwordFromDsnIn, passwordFromVal,
  ProfileContext, setting, tlsConfigPosture, tlsSummary, tokenAuthOf, caProviderOf,
} from '../common';
import { detectProvider, hostLocality, needsProviderCa } from '../provider';
import { ConnectionProfile, DangerousOption, InvalidSetting, Remedies, Setting, TlsEnabled, TlsPosture, Verified } from '../types';

const LABEL = 'go-sql-driver/mysql';
const RESERVED_TLS = ['true', 'false', 'skip-verify', 'preferred'];
/** tls values that look like booleans the driver does not accept (it reads them as config names). */
const BOOLISH_TLS: Readonly<Record<string, string>> = {
  yes: 'true', y: 'true', on: 'true', enable: 'true', enabled: 'true', require: 'true', required: 'true', verify: 'true',
  'verify-full': 'true', 'verify-ca': 'true', strict: 'true', no: 'false', n: 'false', off: 'false', disable: 'false', disabled: 'false', none: 'false',
};

/**
 * go-sql-driver's own DSN parameters (dsn.go parseDSNParams). Keys are case-sensitive; any other
 * key is sent to the server as a system variable (`SET key=value` at connect).
 */
const GO_MYSQL_KEYS = [
  'allowAllFiles', 'allowCleartextPasswords', 'allowFallbackToPlaintext', 'allowNativePasswords', 'allowOldPasswords', 'charset',
  'checkConnLiveness', 'clientFoundRows', 'collation', 'columnsWithAlias', 'compress', 'connectionAttributes', 'interpolateParams', 'loc',
  'timeTruncate', 'maxAllowedPacket', 'multiStatements', 'parseTime', 'readTimeout', 'rejectReadOnly', 'serverPubKey', 'timeout', 'tls', 'writeTimeout',
];

/** One driver setting as the driver sees it: a Config field (wins) or a DSN parameter. */
type Src =
  | { readonly where: 'field'; readonly name: string; readonly prop: Prop }
  | { readonly where: 'dsn'; readonly name: string; readonly param: DsnParam };

function lookup(site: ConnectionSite, dsn: ParsedDsn | undefined, field: string, key: string): Src | undefined {
  const p = prop(site.options, field);
  if (p) return { where: 'field', name: field, prop: p };
  // parseDSNParams assigns in order: the last occurrence of a key wins.
  const q = dsn ? param(dsn, key) : undefined;
  return q ? { where: 'dsn', name: key, param: q } : undefined;
}

function srcRange(s: Src): Range {
  return s.where === 'field' ? s.prop.value.range : s.param.range;
}

/** The setting as written, for `Setting.source` (never used for secrets). */
function srcText(s: Src): string {
  return s.where === 'field' ? `${s.name}: ${describeVal(s.prop.value)}` : `${s.name}=${s.param.value ?? '…'}`;
}

/** go-sql-driver `readBool`. */
function goMysqlBool(s: string): boolean | undefined {
  if (s === '1' || s === 'true' || s === 'TRUE' || s === 'True') return true;
  if (s === '0' || s === 'false' || s === 'FALSE' || s === 'False') return false;
  return undefined;
}

function boolOfSrc(s: Src | undefined): boolean | 'unknown' | 'invalid' | undefined {
  if (!s) return undefined;
  if (s.where === 'field') {
    const v = s.prop.value;
    if (v.k === 'bool') return v.b;
    if (v.k === 'ident' && (v.name === 'true' || v.name === 'false')) return v.name === 'true';
    return 'unknown';
  }
  if (s.param.value === undefined) return 'unknown';
  return goMysqlBool(s.param.value) ?? 'invalid';
}

/** Removes a DSN parameter or sets a Config field to false (the preferred way out of a dangerous flag). */
function disableEdit(s: Src, dsn: ParsedDsn | undefined, text: string): TextEdit | undefined {
  if (s.where === 'field') return replaceVal(s.prop.value, 'false');
  return dsn && s.param.exact ? removeDsnParam(s.param, text) : undefined;
}

const DANGEROUS: ReadonlyArray<readonly [string, string, string]> = [
  ['AllowAllFiles', 'allowAllFiles', 'disables the LOAD DATA LOCAL INFILE allowlist: a malicious or impersonated server can read any file the application can read'],
  ['MultiStatements', 'multiStatements', 'lets one query carry several statements, which turns any SQL injection into arbitrary stacked statements'],
  ['AllowOldPasswords', 'allowOldPasswords', 'enables the pre-4.1 password hash (mysql_old_password), which is weak and lets a server downgrade authentication'],
];

const BOOL_KEYS: ReadonlyArray<readonly [string, string]> = [
  ['AllowCleartextPasswords', 'allowCleartextPasswords'],
  ['AllowNativePasswords', 'allowNativePasswords'],
  ['AllowFallbackToPlaintext', 'allowFallbackToPlaintext'],
  ['ParseTime', 'parseTime'],
  ...DANGEROUS.map(([f, k]) => [f, k] as const),
];

interface TlsResult {
  readonly tls: TlsPosture;
  /** Where the tls name came from (for remedies). */
  readonly name?: Src;
  /** A custom tls.Config is in use (TLS field or a registered name). */
  readonly custom: boolean;
}

function posture(enabled: TlsEnabled, chain: Verified, hostname: Verified, ca: TlsPosture['ca']['value'], source: string, range: Range | undefined, why: string): TlsPosture {
  return {
    enabled: setting(enabled, source, range),
    chain: setting(chain, source, range),
    hostname: setting(hostname, source, range),
    ca: setting(ca, ca === 'system' ? 'system trust store' : source, ca === 'system' ? undefined : range),
    explanation: why,
  };
}

function tlsOf(site: ConnectionSite, dsn: ParsedDsn | undefined, hidden: boolean, invalid: InvalidSetting[]): TlsResult {
  const custom = (source: string, range: Range | undefined, what: string): TlsResult => {
    if (!site.tlsConfig) {
      return { tls: posture('on', 'unknown', 'unknown', 'unknown', source, range, `${what}; its settings are not visible in this file`), custom: true };
    }
    // go-sql-driver fills an empty ServerName from the host unless InsecureSkipVerify is set.
    const base = posture('on', 'verified', 'verified', 'system', source, range, what);
    return { tls: mergeTlsConfig(base, tlsConfigPosture(site.tlsConfig)), custom: true };
  };

  const tlsField = prop(site.options, 'TLS');
  if (tlsField && tlsField.value.k !== 'null' && !(tlsField.value.k === 'ident' && tlsField.value.name === 'nil')) {
    return custom('TLS field (*tls.Config)', tlsField.value.range, 'Config.TLS sets a custom tls.Config, which overrides any tls= name');
  }
  const name = lookup(site, dsn, 'TLSConfig', 'tls');
  if (!name) {
    if (hidden) return { tls: posture('unknown', 'unknown', 'unknown', 'unknown', 'connection string not fully known', undefined, 'the tls parameter may be in a part of the connection string that is not known statically'), custom: false };
    return { tls: posture('off', 'n/a', 'n/a', 'n/a', 'default (no tls parameter → plaintext)', undefined, 'without a tls parameter the connection is never encrypted'), custom: false };
  }
  const range = srcRange(name);
  const raw = name.where === 'field' ? strOf(name.prop.value) : name.param.value;
  if (raw === undefined) {
    return { tls: posture('unknown', 'unknown', 'unknown', 'unknown', `${name.name} not known statically`, range, `${name.name} is not known statically`), name, custom: false };
  }
  const src = name.where === 'field' ? `TLSConfig: "${raw}"` : `tls=${raw}`;
  const b = goMysqlBool(raw);
  const lower = raw.toLowerCase();
  if (b === false) return { tls: posture('off', 'n/a', 'n/a', 'n/a', src, range, `${src} never encrypts the connection`), name, custom: false };
  if (b === true) return { tls: posture('on', 'verified', 'verified', 'system', src, range, `${src} requires TLS and verifies the certificate (system roots) and the host name`), name, custom: false };
  if (lower === 'skip-verify') return { tls: posture('on', 'unverified', 'unverified', 'n/a', src, range, `${src} encrypts but accepts any certificate`), name, custom: false };
  if (lower === 'preferred') {
    return { tls: posture('optional', 'unverified', 'unverified', 'n/a', src, range, `${src} uses TLS only if the server offers it (otherwise plaintext, which an attacker can force) and never verifies the certificate`), name, custom: false };
  }
  if (site.tlsConfig) return { ...custom(src, range, `${src} uses the tls.Config registered with mysql.RegisterTLSConfig`), name };
  // Boolean-looking words are attempts at true/false, not names someone registered.
  const guess = BOOLISH_TLS[lower] ?? closest(raw, RESERVED_TLS);
  if (guess) {
    invalid.push({
      range,
      message: `${LABEL} reads ${src} as the name of a tls.Config registered with RegisterTLSConfig; none is registered under that name, so opening the connection fails ("invalid value / unknown config name"). Did you mean ${name.where === 'field' ? `TLSConfig: "${guess}"` : `tls=${guess}`}?`,
      fixes: fix(`Change to ${name.where === 'field' ? `TLSConfig: "${guess}"` : `tls=${guess}`}`, false, [
        name.where === 'field' ? replaceVal(name.prop.value, `"${guess}"`) : replaceDsnValue(name.param, guess),
      ]),
    });
    return { tls: posture('unknown', 'unknown', 'unknown', 'unknown', src, range, `${src} is not a known tls value (the connection fails to open)`), name, custom: false };
  }
  return { ...custom(src, range, `${src} names a tls.Config registered with RegisterTLSConfig elsewhere`), name };
}

export function profileGoMysql(site: ConnectionSite, ctx: ProfileContext): ConnectionProfile {
  const dsn = site.dsn ? parseGoMysql(site.dsn.s) : undefined;
  const opts = site.options && site.options.k === 'obj' ? site.options : undefined;
  // Absent parameters are unknown when the DSN may hide them, or when nothing is visible at all.
  const hidden = dsn ? dsnMayHideParams(dsn) : !opts;
  const get = (field: string, key: string): Src | undefined => lookup(site, dsn, field, key);
  const invalid: InvalidSetting[] = [];

  // --- host: Addr field, DSN address; go-sql-driver defaults to 127.0.0.1:3306 / /tmp/mysql.sock.
  const net = strOf(prop(opts, 'Net')?.value);
  let hi: HostInfo = hostInfo(ctx, dsn, prop(opts, 'Addr')?.value);
  const noAddress = !prop(opts, 'Addr') && (!dsn || (dsn.hosts.length === 0 && dsn.source.complete));
  if (net === 'unix') hi = { ...hi, locality: 'socket' };
  else if (noAddress && (dsn || opts)) {
    hi = { host: setting<string | undefined>('127.0.0.1', 'default address (127.0.0.1:3306)'), provider: detectProvider(undefined), locality: hostLocality('127.0.0.1', false, ctx.settings.localHosts) };
  }

  // --- invalid booleans (the driver errors on anything but 1/true/TRUE/True/0/false/FALSE/False)
  for (const [field, key] of BOOL_KEYS) {
    const s = get(field, key);
    if (s && s.where === 'dsn' && boolOfSrc(s) === 'invalid') {
      const guess = closest(s.param.value ?? '', ['true', 'false']);
      invalid.push({
        range: s.param.range,
        message: `${LABEL} rejects ${key}=${s.param.value}: booleans must be true/false or 1/0 (the connection fails to open).${guess ? ` Did you mean ${key}=${guess}?` : ''}`,
        fixes: guess ? fix(`Change to ${key}=${guess}`, false, [replaceDsnValue(s.param, guess)]) : [],
      });
    }
  }

  // --- a driver parameter in the wrong case: sent to the server as a system variable instead, so
  // the setting is lost (and MySQL rejects the unknown variable, failing the connection).
  for (const q of dsn?.params ?? []) {
    if (GO_MYSQL_KEYS.includes(q.key) || q.key.includes('\uE000')) continue;
    const known = GO_MYSQL_KEYS.find((k) => k.toLowerCase() === q.key.toLowerCase());
    if (!known) continue;
    invalid.push({
      range: q.keyRange,
      message: `${LABEL} parameters are case-sensitive: "${q.key}" is not "${known}", so the driver does not apply it and sends it to the server as a system variable (MySQL rejects an unknown one and the connection fails).`,
      fixes: q.exact ? fix(`Change to ${known}`, true, [{ range: q.keyRange, newText: known }]) : [],
    });
  }

  // --- TLS
  const tr = tlsOf(site, dsn, hidden, invalid);
  let tls = tr.tls;
  let explanation = tls.explanation;
  const fallback = get('AllowFallbackToPlaintext', 'allowFallbackToPlaintext');
  if (fallback && boolOfSrc(fallback) === true && tls.enabled.value === 'on') {
    tls = { ...tls, enabled: setting<TlsEnabled>('optional', srcText(fallback), srcRange(fallback)) };
    explanation += `; ${srcText(fallback)} falls back to plaintext when the server does not offer TLS (an attacker can force this)`;
  }
  tls = { ...tls, explanation: `${tlsSummary(tls.enabled.value, tls.chain.value, tls.hostname.value)} — ${LABEL}: ${explanation}` };

  // Parser errors, except on the tls parameter (its meaning depends on registrations judged above)
  // and where an entry above already covers the range.
  const tlsEntry = tr.name?.where === 'dsn' ? tr.name.param.entryRange : undefined;
  for (const e of dsn?.errors ?? []) {
    if (tlsEntry && e.range.start >= tlsEntry.start && e.range.end <= tlsEntry.end) continue;
    if (invalid.some((i) => i.range.start < e.range.end && e.range.start < i.range.end)) continue;
    invalid.push({ range: e.range, message: `${LABEL}: ${e.message}`, fixes: [] });
  }

  // --- auth
  const pw = prop(opts, 'Passwd');
  const password = pw ? passwordFromVal(pw.value, 'Passwd') : passwordFromDsnIn(ctx, dsn?.password);
  const tokenAuth = tokenAuthOf(site, password);
  const userProp = prop(opts, 'User');
  const user = userProp
    ? setting(strOf(userProp.value), 'User field', userProp.value.range)
    : dsn?.user ? setting(dsn.user.value, 'user in the connection string', dsn.user.range) : undefined;
  const clear = get('AllowCleartextPasswords', 'allowCleartextPasswords');
  const cleartextPlugin = clear && boolOfSrc(clear) === true ? setting<true>(true, srcText(clear), srcRange(clear)) : undefined;

  // --- dangerous options
  const dangerous: DangerousOption[] = [];
  for (const [field, key, why] of DANGEROUS) {
    const s = get(field, key);
    if (!s || boolOfSrc(s) !== true) continue;
    const written = srcText(s);
    dangerous.push({
      option: written,
      range: srcRange(s),
      why: `${LABEL}: ${written} ${why}.`,
      fixes: fix(s.where === 'field' ? `Set ${field} to false` : `Remove ${key}=${s.param.value}`, true, [disableEdit(s, dsn, ctx.text)]),
    });
  }

  // --- connect timeout (absent → the OS default, often minutes)
  let connectTimeout: Setting<'set' | 'missing' | 'unknown'>;
  const to = get('Timeout', 'timeout');
  if (to) {
    const v = to.where === 'dsn' ? to.param.value : undefined;
    const zero = v !== undefined && /^0+(\.0*)?[a-zµ]*$/i.test(v);
    const unknown = to.where === 'dsn' && v === undefined;
    connectTimeout = setting(unknown ? 'unknown' : zero ? 'missing' : 'set', srcText(to), srcRange(to));
  } else if (hidden) connectTimeout = setting('unknown', 'connection string not fully known');
  else connectTimeout = setting('missing', `no timeout (${LABEL} then waits for the operating system's TCP connect timeout, often minutes)`);

  // --- parseTime without loc
  const parseTime = get('ParseTime', 'parseTime');
  const timezoneUnset =
    parseTime && boolOfSrc(parseTime) === true && !get('Loc', 'loc') && !hidden
      ? setting<true>(true, `${srcText(parseTime)} without loc (times are read as UTC whatever the server's time_zone)`, srcRange(parseTime))
      : undefined;

  // tls=true (system roots) fails against a provider's private CA: then the fix is a suggestion.
  const caProvider = caProviderOf(hi.provider, tokenAuth);
  const remedies = goMysqlRemedies(site, ctx, dsn, opts, tr, fallback, needsProviderCa(caProvider) ? caProvider.label : undefined);

  return {
    site,
    driver: site.driver,
    driverLabel: LABEL,
    consumerKnown: true,
    dbms: 'mysql',
    dsn,
    host: hi.host,
    provider: hi.provider,
    locality: hi.locality,
    tls,
    auth: { password, tokenAuth, cleartextPlugin, user },
    pool: goPoolPosture(site),
    connectTimeout,
    timezoneUnset,
    dangerous,
    invalid,
    remedies,
  };
}

function goMysqlRemedies(
  site: ConnectionSite, ctx: ProfileContext, dsn: ParsedDsn | undefined, opts: Val | undefined, tr: TlsResult, fallback: Src | undefined, caProvider: string | undefined,
): Remedies {
  const setDsnOrField = (field: string, key: string, dsnValue: string, fieldText: string): TextEdit | undefined => {
    if (dsn && site.dsn) return setDsnParam(dsn, site.dsn, undefined, key, dsnValue);
    if (opts) return insertProperty(ctx.text, opts, `${field}: ${fieldText}`);
    return undefined;
  };

  // verified TLS: keep a custom config (turn InsecureSkipVerify off), else tls=true.
  const edits: (TextEdit | undefined)[] = [];
  let title: string;
  const skip = site.tlsConfig?.insecureSkipVerify;
  if (tr.custom && skip && skip.value === true) {
    edits.push({ range: skip.range, newText: 'false' });
    title = 'Set InsecureSkipVerify to false (verify the certificate and host name)';
  } else if (tr.custom) {
    title = '';
  } else {
    const n = tr.name;
    if (n) edits.push(n.where === 'field' ? replaceVal(n.prop.value, '"true"') : replaceDsnValue(n.param, 'true'));
    else edits.push(setDsnOrField('TLSConfig', 'tls', 'true', '"true"'));
    title = n?.where === 'field' || (!n && !dsn) ? 'Set TLSConfig: "true" (verified TLS)' : 'Set tls=true (verified TLS)';
  }
  if (fallback && boolOfSrc(fallback) === true) {
    edits.push(disableEdit(fallback, dsn, ctx.text));
    title = title ? `${title} and remove the plaintext fallback` : `Remove ${srcText(fallback)}`;
  }
  const caNote = caProvider ? ` — also register a tls.Config with the ${caProvider} CA bundle in RootCAs, which is not in the system trust store` : '';
  const verifiedTls = title && edits.length > 0 ? fix(`${title}${caNote}`, !caProvider, edits) : [];

  // TLS ≥ 1.2 on the tls.Config.
  const low = (v: { version: string } | undefined) => v !== undefined && (v.version === '1.0' || v.version === '1.1' || v.version === '3.0');
  const tlsEdits: TextEdit[] = [];
  const f = site.tlsConfig;
  if (f && low(f.minVersion)) tlsEdits.push({ range: f.minVersion!.range, newText: 'tls.VersionTLS12' });
  if (f && low(f.maxVersion)) tlsEdits.push({ range: f.maxVersion!.range, newText: 'tls.VersionTLS13' });
  const minTls12 = tlsEdits.length > 0 ? fix('Require TLS 1.2 or later (tls.VersionTLS12)', true, tlsEdits) : undefined;

  const hasTimeImport = ctx.text.includes('"time"');
  const timeoutEdit = dsn ? setDsnOrField('Timeout', 'timeout', '10s', '') : hasTimeImport ? setDsnOrField('Timeout', 'timeout', '10s', '10 * time.Second') : undefined;
  const locEdit = dsn ? setDsnOrField('Loc', 'loc', 'UTC', '') : hasTimeImport ? setDsnOrField('Loc', 'loc', 'UTC', 'time.UTC') : undefined;
  return {
    verifiedTls,
    verifyHostname: verifiedTls,
    minTls12,
    connectTimeout: fix(dsn ? 'Add timeout=10s' : 'Add Timeout: 10 * time.Second', false, [timeoutEdit]),
    timezone: fix(dsn ? 'Add loc=UTC (or the location the database stores times in)' : 'Add Loc: time.UTC (or the location the database stores times in)', false, [locEdit]),
  };
}
