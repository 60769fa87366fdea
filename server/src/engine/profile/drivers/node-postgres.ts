/**
 * node-postgres (`pg`) semantics: reference/driver-semantics.md §5.
 *
 * What sets it apart from libpq (and makes the same string mean something else):
 * - pg-connection-string 2.x (default mode) maps sslmode prefer/require/verify-ca/verify-full/allow
 *   to `ssl: {}` — TLS required with FULL verification; only `disable` turns TLS off and only
 *   `no-verify` skips verification.
 * - `ssl=false` in the URL becomes the string 'false', which is truthy: TLS on, verified.
 * - `uselibpqcompat=true` switches to libpq meanings (require → unverified, prefer → unverified
 *   without fallback, verify-ca → chain only and throws without sslrootcert).
 * - Any ssl parameter in `connectionString` replaces a hand-written `ssl` object.
 * - No `ssl` anywhere → PGSSLMODE, else plaintext. A server answering `N` is an error (no downgrade).
 * - `connectionTimeoutMillis` defaults to 0: wait forever.
 */
import { ConnectionSite, Prop, Val, prop, strOf } from '../../extract/values';
import { DsnParam, param, ParsedDsn } from '../../dsn/types';
import { parsePostgres } from '../../dsn/index';
import { fix, insertProperty, removeProperty, replaceDsnValue, replaceVal, setDsnParam } from '../../fixes/edits';
import { Fix } from '../../model';
import { boolOf, dsnMayHideParams, nodeTlsVersionBelow12, hostInfo, passwordFromDsnIn, passwordFromVal, ProfileContext, setting, tokenAuthOf, consumerSets, caProviderOf } from '../common';
import { caBundleFile, needsProviderCa, ProviderInfo } from '../provider';
import { ConnectionProfile, InvalidSetting, Remedies, Setting, TlsEnabled, TlsPosture, Verified } from '../types';
import { misspeltKeys, retiredBundle } from './postgres-go';

const LABEL = 'node-postgres (pg)';
const URL_SSL_KEYS = ['ssl', 'sslmode', 'sslcert', 'sslkey', 'sslrootcert'];

interface SslOutcome {
  enabled: Setting<TlsEnabled>;
  chain: Setting<Verified>;
  hostname: Setting<Verified>;
  ca: TlsPosture['ca'];
  explanation: string;
}

function outcome(enabled: TlsEnabled, chain: Verified, hostname: Verified, source: string, range: ConnectionSite['anchor'] | undefined, explanation: string, ca: TlsPosture['ca']['value'] = 'system'): SslOutcome {
  return {
    enabled: setting(enabled, source, range),
    chain: setting(chain, source, range),
    hostname: setting(hostname, source, range),
    ca: setting(enabled === 'off' ? 'n/a' : ca, ca === 'configured' ? 'ssl.ca' : 'system trust store (Node.js CA list)'),
    explanation,
  };
}

/** The `ssl` outcome of a connection string, when it carries any ssl parameter. */
function fromUrl(dsn: ParsedDsn, invalid: InvalidSetting[]): SslOutcome | undefined {
  if (!dsn.params.some((p) => URL_SSL_KEYS.includes(p.norm))) return undefined;
  const mode = param(dsn, 'sslmode');
  const ssl = param(dsn, 'ssl');
  const root = param(dsn, 'sslrootcert');
  const compat = param(dsn, 'uselibpqcompat')?.value === 'true';
  const ca = root ? 'configured' : 'system';
  if (mode && mode.value === undefined) return outcome('unknown', 'unknown', 'unknown', 'sslmode not known statically', mode.range, `${LABEL}: sslmode is not known statically.`);
  if (mode) {
    const m = mode.value!;
    const src = `sslmode=${m}${compat ? ' with uselibpqcompat=true' : ''}`;
    if (m === 'disable') return outcome('off', 'n/a', 'n/a', src, mode.range, `${LABEL}: sslmode=disable turns TLS off.`);
    if (m === 'no-verify') return outcome('on', 'unverified', 'unverified', src, mode.range, `${LABEL}: sslmode=no-verify encrypts without verifying the certificate (rejectUnauthorized: false).`);
    if (compat) {
      if (m === 'prefer' || (m === 'require' && !root)) return outcome('on', 'unverified', 'unverified', src, mode.range, `${LABEL} with uselibpqcompat=true follows libpq: sslmode=${m} encrypts without verifying the certificate.`);
      if (m === 'require' || m === 'verify-ca') {
        if (m === 'verify-ca' && !root) invalid.push({ range: mode.range, message: `${LABEL} with uselibpqcompat=true throws for sslmode=verify-ca without sslrootcert.`, fixes: [] });
        return outcome('on', 'verified', 'unverified', src, mode.range, `${LABEL} with uselibpqcompat=true: sslmode=${m} verifies the chain against sslrootcert but not the hostname.`, ca);
      }
      return outcome('on', 'verified', 'verified', src, mode.range, `${LABEL}: sslmode=${m} verifies the certificate chain and hostname.`, ca);
    }
    const deprecated = m === 'prefer' || m === 'require' || m === 'verify-ca';
    return outcome('on', 'verified', 'verified', src, mode.range,
      `${LABEL}: sslmode=${m} means TLS with full verification (pg-connection-string maps it to ssl: {})${deprecated ? '; pg 9 will adopt libpq semantics, where it no longer verifies — prefer sslmode=verify-full' : ''}.`, ca);
  }
  if (ssl) {
    const v = ssl.value;
    if (v === undefined) return outcome('unknown', 'unknown', 'unknown', 'ssl not known statically', ssl.range, `${LABEL}: ssl is not known statically.`);
    if (v === '0') return outcome('off', 'n/a', 'n/a', 'ssl=0', ssl.range, `${LABEL}: ssl=0 turns TLS off.`);
    if (v === 'no-verify') return outcome('on', 'unverified', 'unverified', 'ssl=no-verify', ssl.range, `${LABEL}: ssl=no-verify encrypts without verifying the certificate.`);
    if (v === 'false') {
      invalid.push({
        range: ssl.range,
        message: `${LABEL} reads ssl=false as the string 'false', which is truthy: TLS is turned ON with full verification, not off. Write ssl=true to say what happens, or sslmode=disable if plaintext was intended (it should not be).`,
        fixes: fix('Change to ssl=true (same behaviour, stated honestly)', true, [replaceDsnValue(ssl, 'true')]),
      });
    }
    return outcome('on', 'verified', 'verified', `ssl=${v}`, ssl.range, `${LABEL}: ssl=${v} means TLS with full verification.`, ca);
  }
  return outcome('on', 'verified', 'verified', 'ssl file parameters', root?.range, `${LABEL}: sslcert/sslkey/sslrootcert in the URL turn TLS on with full verification.`, ca);
}

/** The `ssl` outcome of a config object's `ssl` property. */
function fromOption(sslProp: Prop | undefined): SslOutcome {
  if (!sslProp) {
    return outcome('off', 'n/a', 'n/a', 'no ssl option (pg then uses PGSSLMODE, else plaintext)', undefined, `${LABEL}: no ssl setting — pg connects in plaintext unless PGSSLMODE is set in the environment.`);
  }
  const v = sslProp.value;
  const r = v.range;
  switch (v.k) {
    case 'bool':
      return v.b
        ? outcome('on', 'verified', 'verified', 'ssl: true', r, `${LABEL}: ssl: true means TLS with full verification.`)
        : outcome('off', 'n/a', 'n/a', 'ssl: false', r, `${LABEL}: ssl: false turns TLS off.`);
    case 'str': {
      const t = strOf(v);
      if (t === 'no-verify') return outcome('on', 'unverified', 'unverified', "ssl: 'no-verify'", r, `${LABEL}: ssl: 'no-verify' encrypts without verifying the certificate.`);
      return outcome(t === undefined ? 'unknown' : 'on', 'unknown', 'unknown', 'ssl string', r, `${LABEL}: ssl is a string; only 'no-verify' has a defined meaning.`);
    }
    case 'obj': {
      const ru = prop(v, 'rejectUnauthorized');
      const ruVal = ru ? boolOf(ru.value) : true;
      const csi = prop(v, 'checkServerIdentity');
      const hasCa = !!prop(v, 'ca');
      if (ru && ruVal === undefined) return outcome('on', 'unknown', 'unknown', 'rejectUnauthorized not known statically', ru.value.range, `${LABEL}: rejectUnauthorized is not known statically.`);
      if (ruVal === false) return outcome('on', 'unverified', 'unverified', 'rejectUnauthorized: false', ru!.value.range, `${LABEL}: ssl.rejectUnauthorized: false encrypts without verifying the certificate.`, hasCa ? 'configured' : 'system');
      if (csi) {
        const verifiesHost = csi.value.k === 'fn' && csi.value.calls.some((c) => /checkServerIdentity$/.test(c));
        if (!verifiesHost) return outcome('on', 'verified', 'unverified', 'checkServerIdentity override', csi.value.range, `${LABEL}: the checkServerIdentity override accepts any hostname; only the chain is verified.`, hasCa ? 'configured' : 'system');
      }
      return outcome('on', 'verified', 'verified', hasCa ? 'ssl: { ca }' : 'ssl: {}', r, `${LABEL}: an ssl object means TLS with full verification${hasCa ? ' against the configured CA' : ''}.`, hasCa ? 'configured' : 'system');
    }
    case 'env':
      return outcome('unknown', 'unknown', 'unknown', `ssl from environment (${v.name})`, r, `${LABEL}: ssl comes from the environment.`);
    default:
      return outcome('unknown', 'unknown', 'unknown', 'ssl not known statically', r, `${LABEL}: ssl is not known statically.`);
  }
}

export function profileNodePostgres(site: ConnectionSite, ctx: ProfileContext): ConnectionProfile {
  const dsn = site.dsn ? parsePostgres(site.dsn.s) : undefined;
  const invalid: InvalidSetting[] = [];
  for (const e of dsn?.errors ?? []) invalid.push({ range: e.range, message: `${LABEL}: ${e.message}`, fixes: [] });
  invalid.push(...misspeltKeys(dsn, LABEL, 'pg ignores unknown connection-string keys, so the setting has no effect.'));
  const opts = site.options;
  const hi = hostInfo(ctx, dsn, prop(opts, 'host')?.value);

  const sslProp = prop(opts, 'ssl');
  const urlOutcome = dsn ? fromUrl(dsn, invalid) : undefined;
  // A connection string that is there but not known statically (TypeORM `url: config.getOrThrow('X')`
  // reaches pg as connectionString without a visible text) may carry ssl parameters, which replace
  // the ssl option: judged like one read from the environment.
  const hiddenCs = dsn ? undefined : hiddenConnectionString(opts);
  const dsnUnknown = (dsn ? dsnMayHideParams(dsn) : !!hiddenCs) && !urlOutcome && !sslProp;
  // Options that are not a visible object (a call, a parameter, an unknown spread) may hold ssl.
  const optsHidden = !!opts && (opts.k !== 'obj' || opts.open === true);
  let o = urlOutcome ??
    (!sslProp && optsHidden
      ? outcome('unknown', 'unknown', 'unknown', 'options not known statically', opts.range, `${LABEL}: the options are not known statically.`)
      : !sslProp && consumerSets(site, 'ssl')
        ? // A config value read by code that passes its own ssl (kept: the URL has no ssl parameter).
          outcome('unknown', 'unknown', 'unknown', 'ssl set by the code that reads this value', site.anchor, `${LABEL}: the code that reads this value sets ssl itself.`)
        : fromOption(sslProp));
  if (dsnUnknown) {
    // The connection string is partly unknown: an ssl parameter may hide in the unknown part.
    o = outcome('unknown', 'unknown', 'unknown', 'connection string partly unknown', site.dsn?.range ?? hiddenCs?.range, `${LABEL}: the connection string is built from values not known statically.`);
  }
  if (urlOutcome && sslProp && sslProp.value.k === 'obj') {
    invalid.push({
      range: sslProp.keyRange,
      message: `${LABEL} ignores this ssl object: the ssl parameters in connectionString replace it (pg merges the parsed URL over the config), so its CA and options are not used.`,
      fixes: [],
    });
  }

  const sslObj = sslProp?.value.k === 'obj' ? sslProp.value : undefined;
  const caPath = sslObj ? caFileHint(prop(sslObj, 'ca')?.value, ctx.text) : param(dsn ?? EMPTY_DSN, 'sslrootcert')?.value;
  const tls: TlsPosture = {
    enabled: o.enabled,
    chain: o.chain,
    hostname: o.hostname,
    ca: o.ca,
    outdatedMinVersion: nodeMinVersion(sslObj),
    retiredCa: retiredBundle(caPath, sslObj ? prop(sslObj, 'ca')?.value.range : param(dsn ?? EMPTY_DSN, 'sslrootcert')?.range),
    explanation: o.explanation,
  };

  const pwProp = prop(opts, 'password');
  const password = pwProp ? passwordFromVal(pwProp.value, 'password') : passwordFromDsnIn(ctx, dsn?.password);
  const ctProp = prop(opts, 'connectionTimeoutMillis') ?? prop(opts, 'connectTimeoutMS') ?? prop(prop(opts, 'extra')?.value, 'connectionTimeoutMillis');
  let connectTimeout: Setting<'set' | 'missing' | 'unknown'> | undefined;
  if (site.wrapper === 'knex' || site.wrapper === 'sequelize' || consumerSets(site, 'connectionTimeoutMillis', 'connectTimeoutMS', 'extra.connectionTimeoutMillis')) {
    // knex (acquireConnectionTimeout) and Sequelize (pool.acquire) give up after 60 s by default;
    // a config value's reader may set the timeout itself.
    connectTimeout = undefined;
  } else if (ctProp) {
    const n = ctProp.value.k === 'num' ? ctProp.value.n : undefined;
    connectTimeout = setting(n === undefined ? 'unknown' : n > 0 ? 'set' : 'missing', 'connectionTimeoutMillis', ctProp.value.range);
  } else if ((opts && opts.k === 'obj' && !opts.open) || !opts) {
    // connectionTimeoutMillis is an option, not a URL parameter: the object (or call) lacks it.
    connectTimeout = setting('missing', site.wrapper === 'typeorm' ? 'no connectTimeoutMS (TypeORM then leaves pg waiting forever: its default is 0)' : 'no connectionTimeoutMillis (pg waits forever: the default is 0)', opts?.range ?? site.anchor);
  } else connectTimeout = setting('unknown', 'options not known statically');

  const tokenAuth = tokenAuthOf(site, password);
  const caProvider = caProviderOf(hi.provider, tokenAuth);
  return {
    site,
    driver: site.driver,
    driverLabel: LABEL,
    consumerKnown: true,
    dbms: 'postgres',
    dsn,
    host: hi.host,
    provider: hi.provider,
    locality: hi.locality,
    tls,
    auth: { password, tokenAuth },
    connectTimeout,
    dangerous: [],
    invalid,
    remedies: remedies(site, ctx, dsn, sslProp, needsProviderCa(caProvider) && tls.ca.value !== 'configured', caProvider),
  };
}

/**
 * The `connectionString` option when it is present but its text is not known (a call, a
 * parameter, an identifier not followed): its value, for the range. Extractors turn strings and
 * env reads into a site DSN; what is left under the key here is a value of unknown content.
 */
function hiddenConnectionString(opts: Val | undefined): Val | undefined {
  const cs = prop(opts, 'connectionString');
  if (!cs) return undefined;
  const v = cs.value;
  // Clearly not a string (or `undefined`/`null`: no connection string at all).
  if (v.k === 'obj' || v.k === 'arr' || v.k === 'fn' || v.k === 'bool' || v.k === 'num' || v.k === 'null' || (v.k === 'ident' && v.name === 'undefined')) return undefined;
  if (v.k === 'str' && v.s.complete) return undefined;
  return v;
}

const EMPTY_DSN: ParsedDsn = { format: 'pg-url', source: undefined as never, hosts: [], params: [], errors: [], appendPrefix: '?' };

/** `ca: fs.readFileSync('…/rds-ca-2019-root.pem')` → the file name, for retired-bundle checks. */
function caFileHint(v: Val | undefined, text: string): string | undefined {
  if (!v) return undefined;
  if (v.k === 'str') return strOf(v);
  // The call's own source text (e.g. readFileSync('…/rds-ca-2019-root.pem')): only the file name matters.
  if (v.k === 'call' && v.range.end - v.range.start < 512) return text.slice(v.range.start, v.range.end);
  return undefined;
}

function nodeMinVersion(ssl: Val | undefined): Setting<string> | undefined {
  const mv = prop(ssl, 'minVersion') ?? prop(ssl, 'secureProtocol');
  return mv ? nodeTlsVersionBelow12(mv.key, mv.value) : undefined;
}

function remedies(site: ConnectionSite, ctx: ProfileContext, dsn: ParsedDsn | undefined, sslProp: Prop | undefined, caNeeded: boolean, provider: ProviderInfo): Remedies {
  const caFile = caBundleFile(provider);
  const caNote = caNeeded ? ' (also configure the provider CA bundle in ssl.ca)' : '';
  // With ssl parameters in the connection string pg replaces the ssl option by the URL's (a `ca`
  // there is dropped): the CA goes into the URL as sslrootcert, which pg-connection-string reads.
  const urlCaNote = caNeeded ? ` (also add the provider CA bundle to the connection string as sslrootcert=/path/to/${caFile})` : '';
  // `ssl: true` and string values have no ca: the CA needs the object form.
  const objCaNote = caNeeded ? ` (then give the provider CA bundle as an ssl object: ssl: { ca })` : '';
  let verifiedTls: Fix[] = [];
  const urlSsl: DsnParam | undefined = dsn ? param(dsn, 'sslmode') ?? param(dsn, 'ssl') : undefined;
  if (dsn && site.dsn && urlSsl) {
    verifiedTls = fix(`Set ${urlSsl.norm === 'ssl' ? 'ssl=true' : 'sslmode=verify-full'}${urlCaNote}`, !caNeeded, [replaceDsnValue(urlSsl, urlSsl.norm === 'ssl' ? 'true' : 'verify-full')]);
  } else if (sslProp) {
    const v = sslProp.value;
    if (v.k === 'obj') {
      const ru = prop(v, 'rejectUnauthorized');
      // A checkServerIdentity override that accepts any name goes too, or the hostname stays unverified.
      const csi = prop(v, 'checkServerIdentity');
      const csiEdit = csi && !(csi.value.k === 'fn' && csi.value.calls.some((c) => /checkServerIdentity$/.test(c))) ? removeProperty(ctx.text, v, csi) : undefined;
      if (ru) verifiedTls = fix(`Set rejectUnauthorized: true${csiEdit ? ' and remove the checkServerIdentity override' : ''}${caNote}`, !caNeeded, [replaceVal(ru.value, 'true'), ...(csiEdit ? [csiEdit] : [])]);
      else if (csiEdit) verifiedTls = fix(`Remove the checkServerIdentity override (verify the host name)${caNote}`, !caNeeded, [csiEdit]);
    } else if (v.k === 'bool' || v.k === 'str') {
      verifiedTls = fix(`Set ssl: true${objCaNote}`, !caNeeded, [replaceVal(v, 'true')]);
    }
  } else if (site.options && site.options.k === 'obj') {
    verifiedTls = fix(`Add ssl: true${objCaNote}`, !caNeeded, [insertProperty(ctx.text, site.options, 'ssl: true')]);
  } else if (dsn && site.dsn) {
    verifiedTls = fix(`Add sslmode=verify-full${urlCaNote}`, !caNeeded, [setDsnParam(dsn, site.dsn, undefined, 'sslmode', 'verify-full')]);
  }
  // TypeORM takes its own connectTimeoutMS and passes it to pg as connectionTimeoutMillis (it
  // ignores pg's key at the top level).
  const timeoutKey = site.wrapper === 'typeorm' ? 'connectTimeoutMS' : 'connectionTimeoutMillis';
  const connectTimeout = site.options && site.options.k === 'obj'
    ? fix(`Add ${timeoutKey}: 10000`, false, [insertProperty(ctx.text, site.options, `${timeoutKey}: 10000`)])
    : [];
  // With TLS settings in the connection string, pg replaces the ssl option by the URL's (a `ca`
  // there is dropped): the CA goes into the URL as sslrootcert, which pg-connection-string reads.
  const providerCa =
    dsn && site.dsn && urlSsl
      ? fix('Add sslrootcert with the provider CA bundle to the connection string (adjust the path)', false, [
          setDsnParam(dsn, site.dsn, param(dsn, 'sslrootcert'), 'sslrootcert', `/etc/ssl/certs/${caFile}`),
        ])
      : sslProp?.value.k === 'obj' && !prop(sslProp.value, 'ca')
        ? fix('Add ssl.ca with the provider CA bundle (adjust the path)', false, [insertProperty(ctx.text, sslProp.value, `ca: require('fs').readFileSync('/etc/ssl/certs/${caFile}', 'utf8')`)])
        : sslProp?.value.k === 'bool' && sslProp.value.b
          ? // `ssl: true` verifies against Node's CA list; the object form adds the CA and still verifies.
            fix('Replace ssl: true by an ssl object with the provider CA bundle (adjust the path)', false, [
              replaceVal(sslProp.value, `{ ca: require('fs').readFileSync('/etc/ssl/certs/${caFile}', 'utf8') }`),
            ])
          : [];
  const mv = sslProp?.value.k === 'obj' ? prop(sslProp.value, 'minVersion') : undefined;
  const minTls12 = mv ? fix("Use minVersion: 'TLSv1.2'", true, [replaceVal(mv.value, "'TLSv1.2'")]) : [];
  const pw = prop(site.options, 'password');
  const tokenPerConnection =
    pw && pw.value.k === 'call' && pw.value.awaited && site.tokenMintedOnce
      ? fix('Fetch a fresh token per connection: password: () => …getAuthToken()', true, [
          { range: withAwait(ctx.text, pw.value.range), newText: `() => ${ctx.text.slice(pw.value.range.start, pw.value.range.end).replace(/^await\s+/, '')}` },
        ])
      : [];
  return { verifiedTls, verifyHostname: verifiedTls, connectTimeout, providerCa, minTls12, tokenPerConnection };
}

/** Extends a call's range over an `await ` written right before it. */
function withAwait(text: string, r: { start: number; end: number }): { start: number; end: number } {
  const m = /await\s+$/.exec(text.slice(Math.max(0, r.start - 40), r.start));
  return m ? { start: r.start - m[0].length, end: r.end } : r;
}
