/**
 * mysql2 semantics (reference/driver-semantics.md §6), also used for `mysql://` URLs in config
 * files whose consumer is unknown ('unknown-mysql'): they are evaluated the way mysql2 would read
 * them, and every explanation says that the consumer is unknown.
 *
 * Settings come from an options object (`createConnection({...})`, `createPool`) and/or a URL
 * (`createConnection('mysql://…')`, `{ uri }`). Explicit options win over URL values, as in
 * ConnectionConfig. URL query values go through `JSON.parse` (`?ssl={"verifyIdentity":true}` is an
 * object, `?ssl=true` the boolean true).
 *
 * Key facts encoded here:
 * - `ssl` absent/false → plaintext. An object → TLS required; the chain is verified unless
 *   `rejectUnauthorized === false`; the hostname ONLY with `verifyIdentity: true` (v3+).
 * - `ssl: 'Amazon RDS'` → deprecated CA profile (still shipped): chain verified, no hostname check.
 * - `ssl: true` (or `?ssl=true`) throws "SSL profile must be an object"; another string throws
 *   "Unknown SSL profile".
 * - `enableCleartextPlugin` / `authPlugins.mysql_clear_password` send the password in clear.
 * - `multipleStatements`, an explicit `LOCAL_FILES` flag are dangerous.
 * - The connect timeout defaults to 10 s: C12 does not apply.
 * For config-file URLs also `ssl-mode`/`sslmode` (MySQL clients) and Prisma's `sslaccept`.
 */
import { Range, TextEdit } from '../../model';
import { DsnParam, ParsedDsn } from '../../dsn/types';
import { parseMysqlUrl } from '../../dsn/index';
import { HOLE, SrcString } from '../../srcstring';
import { ConnectionSite, DsnInput, Prop, prop, propVal, strOf, Val } from '../../extract/values';
import { fix, insertProperty, removeDsnParam, replaceDsnValue, replaceVal, setDsnParam } from '../../fixes/edits';
import { describeVal, dsnMayHideParams, hostInfo, nodeTlsVersionBelow12, passwordFromDsnIn, passwordFromVal, ProfileContext, requoted, setting, tlsSummary, tokenAuthOf, consumerSets, caProviderOf } from '../common';
import { detectProvider, hostLocality, needsProviderCa } from '../provider';
import { ConnectionProfile, DangerousOption, InvalidSetting, Remedies, Setting, TlsEnabled, TlsPosture, Verified } from '../types';

/**
 * `ssl={"verifyIdentity":true}` percent-encoded, as fixes write it into URLs: mysql2 decodes query
 * values (URLSearchParams) before JSON.parse, and without quotes the edit is safe inside any host
 * string — a double-quoted YAML or JSON value, a Go or TS literal — with no escaping to get wrong.
 */
const URL_SSL_VERIFIED = '%7B%22verifyIdentity%22%3Atrue%7D';

/** A mysql2 option as the driver receives it: from the options object or a URL parameter. */
type Opt =
  | { readonly where: 'opt'; readonly key: string; readonly prop: Prop }
  | { readonly where: 'url'; readonly key: string; readonly param: DsnParam; readonly json: JsonValue };

/** A URL value after mysql2's `JSON.parse` attempt; 'unknown' when the text is not known. */
type JsonValue = unknown;
const UNKNOWN = Symbol('unknown');

function jsonOf(p: DsnParam): JsonValue {
  if (p.value === undefined) return UNKNOWN;
  try {
    return JSON.parse(p.value) as unknown;
  } catch {
    return p.value;
  }
}

function optRange(o: Opt): Range {
  return o.where === 'opt' ? o.prop.value.range : o.param.range;
}

function optText(o: Opt): string {
  return o.where === 'opt' ? `${o.key}: ${describeVal(o.prop.value)}` : `${o.key}=${o.param.value ?? '…'}`;
}

/** Truthiness as mysql2 tests it; undefined when unknown. */
function truthy(o: Opt): boolean | undefined {
  if (o.where === 'url') return o.json === UNKNOWN ? undefined : Boolean(o.json);
  const v = o.prop.value;
  switch (v.k) {
    case 'bool':
      return v.b;
    case 'num':
      return v.n !== 0;
    case 'null':
      return false;
    case 'str':
      return v.s.complete ? v.s.text !== '' : undefined;
    case 'obj':
    case 'arr':
    case 'fn':
      return true;
    default:
      return undefined;
  }
}

/** A field of an ssl object (from code, or from a JSON-parsed URL value whose range is the parameter). */
interface SslField {
  readonly key: string;
  /** The value: a JS primitive, or UNKNOWN. */
  readonly value: unknown;
  readonly range: Range;
  readonly val?: Val;
}

type SslView =
  | { readonly kind: 'absent' }
  | { readonly kind: 'off'; readonly src: Opt }
  | { readonly kind: 'true'; readonly src: Opt }
  | { readonly kind: 'unknown'; readonly src: Opt }
  | { readonly kind: 'string'; readonly src: Opt; readonly name: string }
  | { readonly kind: 'object'; readonly src: Opt; readonly field: (k: string) => SslField | undefined; readonly obj?: Val; readonly json?: Record<string, unknown> };

function primitiveOf(v: Val): unknown {
  switch (v.k) {
    case 'bool':
      return v.b;
    case 'num':
      return v.n;
    case 'null':
      return null;
    case 'str':
      return v.s.complete ? v.s.text : UNKNOWN;
    case 'obj':
    case 'arr':
    case 'fn':
      return {};
    default:
      return UNKNOWN;
  }
}

function sslView(ssl: Opt | undefined): SslView {
  if (!ssl) return { kind: 'absent' };
  if (ssl.where === 'opt') {
    const v = ssl.prop.value;
    if (v.k === 'obj') {
      return {
        kind: 'object',
        src: ssl,
        obj: v,
        field: (k) => {
          const p = prop(v, k);
          return p ? { key: k, value: primitiveOf(p.value), range: p.value.range, val: p.value } : undefined;
        },
      };
    }
    if (v.k === 'bool') return v.b ? { kind: 'true', src: ssl } : { kind: 'off', src: ssl };
    if (v.k === 'null' || (v.k === 'num' && v.n === 0) || (v.k === 'str' && v.s.complete && v.s.text === '')) return { kind: 'off', src: ssl };
    if (v.k === 'str' && v.s.complete) return { kind: 'string', src: ssl, name: v.s.text };
    return { kind: 'unknown', src: ssl };
  }
  const j = ssl.json;
  if (j === UNKNOWN) return { kind: 'unknown', src: ssl };
  if (j === true) return { kind: 'true', src: ssl };
  if (!j) return { kind: 'off', src: ssl };
  if (typeof j === 'string') return { kind: 'string', src: ssl, name: j };
  if (typeof j === 'object' && !Array.isArray(j)) {
    const o = j as Record<string, unknown>;
    return {
      kind: 'object',
      src: ssl,
      json: o,
      field: (k) => (k in o ? { key: k, value: o[k], range: ssl.param.range } : undefined),
    };
  }
  return { kind: 'true', src: ssl }; // a number or an array: not an object → throws like `true`
}

function isAppendable(s: SrcString): boolean {
  const n = s.length;
  return n > 0 && s.text[n - 1] !== HOLE && s.isExact(n - 1, n);
}

export function profileMysql2(site: ConnectionSite, ctx: ProfileContext): ConnectionProfile {
  const unknownConsumer = site.driver === 'unknown-mysql';
  const label = unknownConsumer ? 'mysql2 semantics (consumer unknown)' : 'mysql2';
  const assumed = unknownConsumer ? ' (the consumer of this connection string is unknown; mysql2 semantics were assumed)' : '';
  const opts = site.options && site.options.k === 'obj' ? site.options : undefined;

  // The URL: the connection string argument, or the `uri` option.
  const uriVal = propVal(opts, 'uri');
  let input: DsnInput | undefined = site.dsn;
  if (!input && uriVal && uriVal.k === 'str') input = { s: uriVal.s, range: uriVal.range, appendable: isAppendable(uriVal.s) };
  const dsn = input ? parseMysqlUrl(input.s) : undefined;
  const hidden = (dsn ? dsnMayHideParams(dsn) : !opts || (uriVal !== undefined && uriVal.k !== 'str')) || opts?.open === true;

  const get = (key: string): Opt | undefined => {
    const p = prop(opts, key);
    if (p) return { where: 'opt', key, prop: p };
    let found: DsnParam | undefined;
    for (const q of dsn?.params ?? []) if (q.key === key) found = q; // keys are case-sensitive; the last one wins
    return found ? { where: 'url', key, param: found, json: jsonOf(found) } : undefined;
  };
  /** Config-file spellings, matched case-insensitively (`ssl-mode`, `sslMode`, `sslmode`). */
  const urlParamCi = (...keys: string[]): DsnParam | undefined => {
    let found: DsnParam | undefined;
    for (const q of dsn?.params ?? []) if (keys.includes(q.key.toLowerCase())) found = q;
    return found;
  };

  const invalid: InvalidSetting[] = [];
  for (const e of dsn?.errors ?? []) invalid.push({ range: e.range, message: `${label}: ${e.message}${assumed}`, fixes: [] });

  // --- host
  let hi = hostInfo(ctx, dsn, propVal(opts, 'host'));
  if (prop(opts, 'socketPath')) hi = { ...hi, locality: 'socket' };
  else if (!propVal(opts, 'host') && !dsn && opts && !opts.open) {
    hi = { host: setting<string | undefined>('localhost', 'default host (localhost)'), provider: detectProvider(undefined), locality: hostLocality('localhost', false, ctx.settings.localHosts) };
  }
  const caNeeded = needsProviderCa(hi.provider);

  // --- TLS
  const sslOpt = get('ssl');
  const view = sslView(sslOpt);
  const sslModeParam = unknownConsumer || !opts ? urlParamCi('ssl-mode', 'sslmode', 'ssl_mode') : undefined;
  const acceptParam = unknownConsumer ? urlParamCi('sslaccept') : undefined;
  let tls: TlsPosture;
  const post = (enabled: TlsEnabled, chain: Verified, hostname: Verified, ca: TlsPosture['ca']['value'], source: string, range: Range | undefined, why: string): TlsPosture => ({
    enabled: setting(enabled, source, range),
    chain: setting(chain, source, range),
    hostname: setting(hostname, source, range),
    ca: setting(ca, ca === 'system' ? 'system trust store' : source, ca === 'system' ? undefined : range),
    explanation: why,
  });

  if (sslModeParam && unknownConsumer) {
    tls = sslModePosture(sslModeParam, post);
  } else if (!sslOpt && consumerSets(site, 'ssl')) {
    // mysql2 keeps a truthy ssl option over the URL's: the reader of this value decides TLS.
    tls = post('unknown', 'unknown', 'unknown', 'unknown', 'ssl set by the code that reads this value', undefined, 'the code that reads this value passes its own ssl option');
  } else if (view.kind === 'absent') {
    if (sslModeParam) {
      // mysql2 ignores unknown options (with a warning): `ssl-mode` does not turn TLS on.
      invalid.push({
        range: sslModeParam.keyRange,
        message: `mysql2 ignores "${sslModeParam.key}" (a MySQL client option, not a mysql2 one), so this connection does not use TLS. Use ssl={"verifyIdentity":true} in the URL or an ssl object in the options.`,
        fixes: [],
      });
    }
    tls = hidden
      ? post('unknown', 'unknown', 'unknown', 'unknown', 'connection settings not fully known', undefined, 'the ssl option may be set in a part that is not known statically')
      : post('off', 'n/a', 'n/a', 'n/a', 'default (no ssl option → plaintext)', undefined, 'without an ssl option mysql2 never encrypts the connection');
  } else if (view.kind === 'off') {
    tls = post('off', 'n/a', 'n/a', 'n/a', optText(view.src), optRange(view.src), `${optText(view.src)} never encrypts the connection`);
  } else if (view.kind === 'unknown') {
    tls = post('unknown', 'unknown', 'unknown', 'unknown', `${view.src.key} not known statically`, optRange(view.src), 'the ssl option is not known statically');
  } else if (view.kind === 'true') {
    const shown = view.src.where === 'opt' ? '{ verifyIdentity: true }' : '{"verifyIdentity":true}';
    const fixText = view.src.where === 'opt' ? shown : URL_SSL_VERIFIED;
    invalid.push({
      range: optRange(view.src),
      message: `mysql2 throws "SSL profile must be an object" for ${optText(view.src)}: the connection never opens.${assumed} Use ssl=${shown} for verified TLS.`,
      fixes: fix(`Change to ssl ${shown}`, false, [view.src.where === 'opt' ? replaceVal(view.src.prop.value, fixText) : replaceDsnValue(view.src.param, fixText)]),
    });
    tls = post('unknown', 'unknown', 'unknown', 'unknown', optText(view.src), optRange(view.src), `${optText(view.src)} makes mysql2 throw (the connection fails)`);
  } else if (view.kind === 'string') {
    const range = optRange(view.src);
    if (view.name === 'Amazon RDS') {
      tls = {
        ...post('on', 'verified', 'unverified', 'profile', `ssl: 'Amazon RDS'`, range, `ssl: 'Amazon RDS' verifies the chain against the bundled RDS CAs (a deprecated profile) but never checks the hostname (a string profile cannot set verifyIdentity)`),
        retiredCa: setting('Amazon RDS', `ssl: 'Amazon RDS' (deprecated mysql2 CA profile)`, range),
      };
    } else {
      invalid.push({ range, message: `mysql2 throws "Unknown SSL profile" for ssl '${view.name}': only the deprecated 'Amazon RDS' profile exists; use an ssl object.${assumed}`, fixes: [] });
      tls = post('unknown', 'unknown', 'unknown', 'unknown', optText(view.src), range, `ssl '${view.name}' is not a mysql2 SSL profile (the connection fails)`);
    }
  } else {
    tls = objectPosture(view, post);
  }

  // Prisma `sslaccept=accept_invalid_certs` (config files) turns verification off.
  if (acceptParam && acceptParam.value?.toLowerCase() === 'accept_invalid_certs') {
    const src = `sslaccept=${acceptParam.value}`;
    const enabled = tls.enabled.value === 'off' || tls.enabled.value === 'unknown' ? setting<TlsEnabled>('on', src, acceptParam.range) : tls.enabled;
    tls = { ...tls, enabled, chain: setting<Verified>('unverified', src, acceptParam.range), hostname: setting<Verified>('unverified', src, acceptParam.range), ca: setting('n/a', src), explanation: `${src} accepts any server certificate (Prisma)` };
  }
  tls = { ...tls, explanation: `${tlsSummary(tls.enabled.value, tls.chain.value, tls.hostname.value)} — ${label}: ${tls.explanation}${assumed}` };

  // --- auth
  const pwProp = prop(opts, 'password');
  const password = pwProp ? passwordFromVal(pwProp.value, 'password') : passwordFromDsnIn(ctx, dsn?.password);
  const tokenAuth = tokenAuthOf(site, password);
  const userProp = prop(opts, 'user');
  const user = userProp
    ? setting(strOf(userProp.value), 'user option', userProp.value.range)
    : dsn?.user ? setting(dsn.user.value, 'user in the connection string', dsn.user.range) : undefined;
  let cleartextPlugin: Setting<true> | undefined;
  const ecp = get('enableCleartextPlugin');
  const clearPluginProp = prop(propVal(opts, 'authPlugins'), 'mysql_clear_password');
  if (ecp && truthy(ecp) === true) cleartextPlugin = setting<true>(true, optText(ecp), optRange(ecp));
  else if (clearPluginProp) cleartextPlugin = setting<true>(true, 'authPlugins.mysql_clear_password', clearPluginProp.range);

  // --- dangerous options
  const dangerous: DangerousOption[] = [];
  const ms = get('multipleStatements');
  if (ms && truthy(ms) === true) {
    dangerous.push({
      option: optText(ms),
      range: optRange(ms),
      why: `${label}: ${optText(ms)} lets one query carry several statements, which turns any SQL injection into arbitrary stacked statements.${assumed}`,
      fixes: fix(ms.where === 'opt' ? 'Set multipleStatements to false' : 'Remove multipleStatements', true, [
        ms.where === 'opt' ? replaceVal(ms.prop.value, 'false') : dsn && ms.param.exact ? removeDsnParam(ms.param, ctx.text) : undefined,
      ]),
    });
  }
  const flags = get('flags');
  if (flags) dangerous.push(...localFilesFlag(flags, ctx, label, assumed));

  const caProvider = caProviderOf(hi.provider, tokenAuth);
  const remedies = mysql2Remedies(ctx, opts, dsn, input, view, sslModeParam && unknownConsumer ? sslModeParam : undefined, acceptParam, needsProviderCa(caProvider), unknownConsumer, caProvider.label);

  return {
    site,
    driver: site.driver,
    driverLabel: unknownConsumer ? 'mysql2 semantics (consumer unknown)' : 'mysql2',
    consumerKnown: !unknownConsumer,
    dbms: 'mysql',
    dsn,
    host: hi.host,
    provider: hi.provider,
    locality: hi.locality,
    tls,
    auth: { password, tokenAuth, cleartextPlugin, user },
    dangerous,
    invalid,
    remedies,
  };
}

type Post = (enabled: TlsEnabled, chain: Verified, hostname: Verified, ca: TlsPosture['ca']['value'], source: string, range: Range | undefined, why: string) => TlsPosture;

/** MySQL client `ssl-mode` (config files only; the consumer is unknown). */
function sslModePosture(p: DsnParam, post: Post): TlsPosture {
  const v = p.value?.toUpperCase().replace(/-/g, '_');
  const src = `${p.key}=${p.value ?? '…'}`;
  switch (v) {
    case 'DISABLED':
      return post('off', 'n/a', 'n/a', 'n/a', src, p.range, `${src} never encrypts the connection`);
    case 'PREFERRED':
      return post('optional', 'unverified', 'unverified', 'n/a', src, p.range, `${src} uses TLS only if the server offers it and does not verify the certificate`);
    case 'REQUIRED':
      return post('on', 'unverified', 'unverified', 'n/a', src, p.range, `${src} encrypts without verifying the certificate`);
    case 'VERIFY_CA':
      return post('on', 'verified', 'unverified', 'system', src, p.range, `${src} verifies the certificate chain but not the hostname`);
    case 'VERIFY_IDENTITY':
      return post('on', 'verified', 'verified', 'system', src, p.range, `${src} verifies the certificate chain and the hostname`);
    default:
      return post('unknown', 'unknown', 'unknown', 'unknown', src, p.range, `${src} is not a value ConnGuard knows`);
  }
}

function objectPosture(view: Extract<SslView, { kind: 'object' }>, post: Post): TlsPosture {
  const base = optText(view.src);
  const range = optRange(view.src);
  const ru = view.field('rejectUnauthorized');
  const vi = view.field('verifyIdentity');
  const ca = view.field('ca');
  let chain: Setting<Verified>;
  let hostname: Setting<Verified>;
  let why: string;
  if (ru && ru.value === UNKNOWN) {
    chain = setting<Verified>('unknown', 'rejectUnauthorized not known statically', ru.range);
    hostname = chain;
    why = 'rejectUnauthorized is not known statically';
  } else if (ru && ru.value === false) {
    chain = setting<Verified>('unverified', 'rejectUnauthorized: false', ru.range);
    hostname = setting<Verified>('unverified', 'rejectUnauthorized: false', ru.range);
    why = 'ssl with rejectUnauthorized: false encrypts but accepts any certificate';
  } else {
    chain = setting<Verified>('verified', ru ? 'rejectUnauthorized: true' : 'ssl object (rejectUnauthorized defaults to true)', ru?.range ?? range);
    if (vi && vi.value === UNKNOWN) {
      hostname = setting<Verified>('unknown', 'verifyIdentity not known statically', vi.range);
      why = 'the chain is verified; verifyIdentity is not known statically';
    } else if (vi && vi.value) {
      hostname = setting<Verified>('verified', 'verifyIdentity: true', vi.range);
      why = 'the ssl object verifies the certificate chain and, with verifyIdentity: true, the hostname';
    } else {
      hostname = setting<Verified>('unverified', vi ? `verifyIdentity: ${String(vi.value)}` : 'no verifyIdentity (mysql2 checks the hostname only with verifyIdentity: true)', vi?.range ?? range);
      why = 'the ssl object verifies the certificate chain but not the hostname (mysql2 checks it only with verifyIdentity: true)';
    }
  }
  const p = post('on', 'n/a', 'n/a', 'n/a', base, range, why);
  const caSetting: TlsPosture['ca'] =
    chain.value !== 'verified' ? setting('n/a', 'certificate not verified') : ca ? setting('configured', 'ssl.ca', ca.range) : setting('system', 'system trust store (no ssl.ca)');
  const fv = (k: string): Setting<string> | undefined => {
    const f = view.field(k);
    if (!f) return undefined;
    if (f.val) return nodeTlsVersionBelow12(k, f.val);
    const t = typeof f.value === 'string' ? f.value : undefined;
    if (t === 'TLSv1' || t === 'TLSv1_method') return setting('1.0', `${k}: '${t}'`, f.range);
    if (t === 'TLSv1.1' || t === 'TLSv1_1_method') return setting('1.1', `${k}: '${t}'`, f.range);
    return undefined;
  };
  return { ...p, chain, hostname, ca: caSetting, outdatedMinVersion: fv('minVersion') ?? fv('secureProtocol') ?? fv('maxVersion') };
}

/** An explicit `LOCAL_FILES` in `flags` (string `'LOCAL_FILES,…'` or array); `-LOCAL_FILES` removes it. */
function localFilesFlag(flags: Opt, ctx: ProfileContext, label: string, assumed: string): DangerousOption[] {
  const why = `${label}: the LOCAL_FILES flag lets the server ask for any local file with LOAD DATA LOCAL INFILE, so a malicious or impersonated server can read files the application can read.${assumed}`;
  const hit = (range: Range, edit: TextEdit | undefined): DangerousOption => ({
    option: 'flags: LOCAL_FILES',
    range,
    why,
    fixes: fix('Replace LOCAL_FILES with -LOCAL_FILES (turn local files off)', true, [edit]),
  });
  const inString = (s: SrcString, whole: Range, exactOk: boolean): DangerousOption[] => {
    const text = s.text;
    const out: DangerousOption[] = [];
    let from = 0;
    for (const item of text.split(',')) {
      const start = from + (item.length - item.trimStart().length);
      const token = item.trim();
      from += item.length + 1;
      if (token.toUpperCase() !== 'LOCAL_FILES' && token.toUpperCase() !== '+LOCAL_FILES') continue;
      const end = start + token.length;
      const exact = exactOk && s.isExact(start, end);
      out.push(hit(exact ? s.rangeOf(start, end) : whole, exact ? { range: s.rangeOf(start, end), newText: '-LOCAL_FILES' } : undefined));
    }
    return out;
  };
  if (flags.where === 'url') {
    const p = flags.param;
    if (p.value === undefined) return [];
    if (Array.isArray(flags.json)) return flags.json.some((x) => String(x).toUpperCase() === 'LOCAL_FILES') ? [hit(p.range, undefined)] : [];
    return inString(SrcString.approximate(p.value, p.range), p.range, false).map((d) => ({ ...d, fixes: p.value!.trim().toUpperCase() === 'LOCAL_FILES' ? fix('Replace LOCAL_FILES with -LOCAL_FILES (turn local files off)', true, [replaceDsnValue(p, '-LOCAL_FILES')]) : [] }));
  }
  const v = flags.prop.value;
  if (v.k === 'str' && v.s.complete) return inString(v.s, v.range, true);
  if (v.k === 'arr') {
    const out: DangerousOption[] = [];
    for (const item of v.items) {
      const t = strOf(item);
      if (t !== undefined && t.trim().toUpperCase() === 'LOCAL_FILES') out.push(hit(item.range, replaceVal(item, requoted(ctx.text, item, '-LOCAL_FILES'))));
    }
    return out;
  }
  return [];
}

function mysql2Remedies(
  ctx: ProfileContext, opts: Val | undefined, dsn: ParsedDsn | undefined, input: DsnInput | undefined, view: SslView,
  sslMode: DsnParam | undefined, accept: DsnParam | undefined, caNeeded: boolean, unknownConsumer: boolean, providerLabel: string,
): Remedies {
  const preferred = !caNeeded && !unknownConsumer;
  const caNote = caNeeded ? ` — also set ssl.ca to the ${providerLabel} CA bundle, which is not in Node's trust store` : '';
  let verified: (TextEdit | undefined)[] = [];
  let hostEdits: (TextEdit | undefined)[] = [];
  const viJson = (o: Record<string, unknown> | undefined): string => {
    const next: Record<string, unknown> = { ...(o ?? {}) };
    delete next.rejectUnauthorized;
    next.verifyIdentity = true;
    return JSON.stringify(next);
  };
  if (sslMode) {
    verified = [replaceDsnValue(sslMode, /^[a-z_-]+$/.test(sslMode.value ?? '') ? 'verify_identity' : 'VERIFY_IDENTITY')];
    hostEdits = verified;
  } else if (view.kind === 'object') {
    if (view.src.where === 'url') {
      verified = [replaceDsnValue(view.src.param, viJson(view.json))];
      hostEdits = verified;
    } else {
      const ru = view.field('rejectUnauthorized');
      const vi = view.field('verifyIdentity');
      const viEdit = vi?.val ? replaceVal(vi.val, 'true') : insertProperty(ctx.text, view.obj, 'verifyIdentity: true');
      hostEdits = [viEdit];
      verified = ru && ru.value !== true && ru.val ? [replaceVal(ru.val, 'true'), viEdit] : [viEdit];
    }
  } else if (view.kind === 'off' || view.kind === 'true') {
    verified = [view.src.where === 'opt' ? replaceVal(view.src.prop.value, '{ verifyIdentity: true }') : replaceDsnValue(view.src.param, URL_SSL_VERIFIED)];
  } else if (view.kind === 'absent') {
    if (opts) verified = [insertProperty(ctx.text, opts, 'ssl: { verifyIdentity: true }')];
    else if (dsn && input) verified = [setDsnParam(dsn, input, undefined, 'ssl', URL_SSL_VERIFIED)];
  }
  if (accept && accept.value?.toLowerCase() === 'accept_invalid_certs') verified = [...verified, replaceDsnValue(accept, 'strict')];
  const verifiedTls = verified.length > 0 ? fix(`Require verified TLS (certificate and hostname)${caNote}`, preferred, verified) : [];
  const verifyHostname = hostEdits.length > 0 ? fix('Verify the server hostname (verifyIdentity: true)', !unknownConsumer, hostEdits) : [];

  // TLS ≥ 1.2 (object form in code only).
  const minEdits: TextEdit[] = [];
  if (view.kind === 'object' && view.obj) {
    for (const [k, to] of [['minVersion', 'TLSv1.2'], ['maxVersion', 'TLSv1.3'], ['secureProtocol', 'TLSv1_2_method']] as const) {
      const v = propVal(view.obj, k);
      if (v && nodeTlsVersionBelow12(k, v)) minEdits.push({ range: v.range, newText: requoted(ctx.text, v, to) });
    }
  }
  return {
    verifiedTls,
    verifyHostname,
    minTls12: minEdits.length > 0 ? fix("Require TLS 1.2 or later (minVersion: 'TLSv1.2')", true, minEdits) : undefined,
  };
}
