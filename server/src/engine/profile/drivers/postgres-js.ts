/**
 * porsager `postgres` (postgres.js) semantics: reference/driver-semantics.md §5.
 * - `ssl` defaults to false (plaintext). The environment variable is PGSSL, not PGSSLMODE.
 * - 'prefer': TLS if the server answers S, otherwise plaintext — never verified.
 * - 'require' and 'allow': TLS always attempted, never verified.
 * - 'verify-full', 'verify-ca', true, any other string: full verification (verify-ca checks the hostname too).
 * - An object is merged into tls.connect options (rejectUnauthorized: false → unverified).
 * - The URL's sslmode is renamed to ssl; `sslrootcert=system` forces verify-full.
 * - connect_timeout defaults to 30 s, so C12 does not apply.
 */
import { ConnectionSite, Val, prop, strOf } from '../../extract/values';
import { param } from '../../dsn/types';
import { parsePostgres } from '../../dsn/index';
import { fix, replaceDsnValue, replaceVal, insertProperty } from '../../fixes/edits';
import { boolOf, dsnMayHideParams, hostInfo, passwordFromDsnIn, passwordFromVal, ProfileContext, setting, tokenAuthOf, consumerSets } from '../common';
import { needsProviderCa } from '../provider';
import { ConnectionProfile, InvalidSetting, TlsEnabled, TlsPosture, Verified } from '../types';
import { Range } from '../../model';

const LABEL = 'postgres.js';

function posture(enabled: TlsEnabled, chain: Verified, hostname: Verified, source: string, range: Range | undefined, explanation: string, ca: TlsPosture['ca']['value'] = 'system'): TlsPosture {
  return {
    enabled: setting(enabled, source, range),
    chain: setting(chain, source, range),
    hostname: setting(hostname, source, range),
    ca: setting(enabled === 'off' ? 'n/a' : ca, ca === 'configured' ? 'ssl.ca' : 'system trust store'),
    explanation,
  };
}

function fromString(mode: string, source: string, range: Range): TlsPosture {
  switch (mode) {
    case 'disable':
    case 'false':
      return posture('off', 'n/a', 'n/a', source, range, `${LABEL}: ${source} turns TLS off.`);
    case 'prefer':
      return posture('optional', 'unverified', 'unverified', source, range, `${LABEL}: ${source} uses TLS only if the server offers it, falls back to plaintext, and never verifies the certificate.`);
    case 'require':
    case 'allow':
      return posture('on', 'unverified', 'unverified', source, range, `${LABEL}: ${source} encrypts without verifying the certificate.`);
    default:
      return posture('on', 'verified', 'verified', source, range, `${LABEL}: ${source} means TLS with full verification.`);
  }
}

function fromValue(v: Val): TlsPosture {
  const r = v.range;
  if (v.k === 'bool') return v.b ? posture('on', 'verified', 'verified', 'ssl: true', r, `${LABEL}: ssl: true means TLS with full verification.`) : posture('off', 'n/a', 'n/a', 'ssl: false', r, `${LABEL}: ssl: false turns TLS off.`);
  if (v.k === 'str') {
    const t = strOf(v);
    if (t === undefined) return posture('unknown', 'unknown', 'unknown', 'ssl not known statically', r, `${LABEL}: ssl is not known statically.`);
    return fromString(t, `ssl: '${t}'`, r);
  }
  if (v.k === 'obj') {
    const ru = prop(v, 'rejectUnauthorized');
    const hasCa = !!prop(v, 'ca');
    if (ru && boolOf(ru.value) === false) return posture('on', 'unverified', 'unverified', 'rejectUnauthorized: false', ru.value.range, `${LABEL}: ssl.rejectUnauthorized: false encrypts without verifying the certificate.`, hasCa ? 'configured' : 'system');
    return posture('on', 'verified', 'verified', 'ssl object', r, `${LABEL}: an ssl object is passed to tls.connect: TLS with full verification.`, hasCa ? 'configured' : 'system');
  }
  return posture('unknown', 'unknown', 'unknown', 'ssl not known statically', r, `${LABEL}: ssl is not known statically.`);
}

export function profilePostgresJs(site: ConnectionSite, ctx: ProfileContext): ConnectionProfile {
  const dsn = site.dsn ? parsePostgres(site.dsn.s) : undefined;
  const invalid: InvalidSetting[] = (dsn?.errors ?? []).map((e) => ({ range: e.range, message: `${LABEL}: ${e.message}`, fixes: [] }));
  const opts = site.options;
  const hi = hostInfo(ctx, dsn, prop(opts, 'host')?.value);
  const sslProp = prop(opts, 'ssl');
  const urlMode = dsn ? param(dsn, 'sslmode') ?? param(dsn, 'ssl') : undefined;
  const root = dsn ? param(dsn, 'sslrootcert') : undefined;
  let tls: TlsPosture;
  if (root?.value === 'system') tls = posture('on', 'verified', 'verified', 'sslrootcert=system', root.range, `${LABEL}: sslrootcert=system forces full verification.`);
  else if (sslProp) tls = fromValue(sslProp.value);
  // postgres.js lets options beat the URL: a config value's reader that passes ssl decides TLS.
  else if (consumerSets(site, 'ssl')) tls = posture('unknown', 'unknown', 'unknown', 'ssl set by the code that reads this value', site.anchor, `${LABEL}: the code that reads this value sets ssl itself (options override the URL).`);
  else if (urlMode) tls = urlMode.value === undefined ? posture('unknown', 'unknown', 'unknown', `${urlMode.norm} not known statically`, urlMode.range, `${LABEL}: ${urlMode.norm} is not known statically.`) : fromString(urlMode.value, `${urlMode.norm}=${urlMode.value}`, urlMode.range);
  else if (dsn && dsnMayHideParams(dsn)) tls = posture('unknown', 'unknown', 'unknown', 'connection string partly unknown', site.dsn!.range, `${LABEL}: the connection string is built from values not known statically.`);
  else if (opts && (opts.k !== 'obj' || opts.open)) tls = posture('unknown', 'unknown', 'unknown', 'options not known statically', opts.range, `${LABEL}: the options are not known statically.`);
  else tls = posture('off', 'n/a', 'n/a', 'no ssl option (postgres.js defaults to ssl: false)', undefined, `${LABEL}: no ssl setting — postgres.js connects in plaintext by default (only PGSSL in the environment changes that).`);

  const pw = prop(opts, 'password') ?? prop(opts, 'pass');
  const password = pw ? passwordFromVal(pw.value, pw.key) : passwordFromDsnIn(ctx, dsn?.password);
  const caNeeded = needsProviderCa(hi.provider) && tls.ca.value !== 'configured';
  const caNote = caNeeded ? ' (also configure the provider CA bundle in ssl.ca)' : '';
  // A string or boolean ssl (and the URL's sslmode) has no place for a CA: it takes an ssl object,
  // which postgres.js passes to tls.connect (and which beats the URL's sslmode).
  const objCaNote = caNeeded ? ' (for the provider CA bundle use an ssl object instead: ssl: { ca }, verified by default)' : '';
  const verifiedTls = sslProp
    ? sslProp.value.k === 'obj'
      ? fix(`Set rejectUnauthorized: true${caNote}`, !caNeeded, [replaceVal(prop(sslProp.value, 'rejectUnauthorized')?.value, 'true')])
      : fix(`Set ssl: 'verify-full'${objCaNote}`, !caNeeded, [replaceVal(sslProp.value, "'verify-full'")])
    : urlMode
      ? fix(`Set ${urlMode.norm}=verify-full${caNeeded ? ' (for the provider CA bundle pass an ssl: { ca } option instead: options override the URL)' : ''}`, !caNeeded, [replaceDsnValue(urlMode, 'verify-full')])
      : opts && opts.k === 'obj'
        ? fix(`Add ssl: 'verify-full'${objCaNote}`, !caNeeded, [insertProperty(ctx.text, opts, "ssl: 'verify-full'")])
        : [];
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
    auth: { password, tokenAuth: tokenAuthOf(site, password) },
    dangerous: [],
    invalid,
    remedies: { verifiedTls, verifyHostname: verifiedTls },
  };
}

