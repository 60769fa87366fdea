/**
 * node-mssql and tedious semantics (reference/driver-semantics.md §7), and ADO connection strings
 * in config files whose consumer is unknown ('unknown-sqlserver').
 *
 * Key facts encoded here:
 * - `options.encrypt` defaults to true (tedious ≥ 6, node-mssql ≥ 6); `trustServerCertificate`
 *   defaults to false (tedious ≥ 9, node-mssql ≥ 7).
 * - encrypt true: TLS if the server answers ON/REQ — a NOT_SUP/OFF answer continues in plaintext
 *   (code-derived downgrade). This is not a configuration error the user can fix other than with
 *   `'strict'`, so it is an explanation, not a C1 finding.
 * - encrypt false: no TLS (Azure SQL then refuses: EENCRYPT). `'strict'`: TDS 8.0, and
 *   trustServerCertificate is ignored (always verified).
 * - Connection strings (node-mssql via @tediousjs/connection-string): booleans are false only for
 *   false/no/0, so Encrypt=strict/optional/mandatory all mean plain true; TrustServerCertificate=yes
 *   is true; missing keys take node-mssql's defaults.
 * - authentication.type azure-active-directory-* / token-credential → Entra token auth.
 * - Unknown consumer (an ADO string in a config file): only explicit weaknesses are reported.
 * tedious' connect timeout defaults to 15 s: C12 does not apply.
 */
import { Range, TextEdit } from '../../model';
import { DsnParam, param } from '../../dsn/types';
import { parseTediousConnectionString } from '../../dsn/index';
import { ConnectionSite, prop, propVal, strOf, Val } from '../../extract/values';
import { fix, replaceDsnValue, replaceVal } from '../../fixes/edits';
import { closest, describeVal, dsnMayHideParams, hostInfo, nodeTlsVersionBelow12, passwordFromDsnIn, passwordFromVal, ProfileContext, requoted, setting, tlsSummary, tokenAuthOf } from '../common';
import { needsProviderCa } from '../provider';
import { AuthPosture, ConnectionProfile, InvalidSetting, Remedies, Setting, TlsEnabled, TlsPosture, Verified } from '../types';

type Enc = 'true' | 'false' | 'strict' | 'unknown' | 'invalid';
type Trust = boolean | 'unknown' | 'invalid';

interface Flavour {
  readonly label: string;
  readonly known: boolean;
}

function flavourOf(site: ConnectionSite): Flavour {
  switch (site.driver) {
    case 'tedious':
      return { label: 'tedious', known: true };
    case 'unknown-sqlserver':
      return { label: 'SQL Server connection-string semantics (consumer unknown)', known: false };
    default:
      return { label: 'node-mssql', known: true };
  }
}

/** @tediousjs/connection-string booleans: only false/no/0 are false. */
function csBool(v: string): boolean {
  const t = v.trim().toLowerCase();
  return !(t === 'false' || t === 'no' || t === '0');
}

export function profileNodeMssql(site: ConnectionSite, ctx: ProfileContext): ConnectionProfile {
  const fl = flavourOf(site);
  const assumed = fl.known ? '' : ' (the consumer of this connection string is unknown; only explicit settings are judged)';
  const opts = site.options && site.options.k === 'obj' ? site.options : undefined;
  const inner = propVal(opts, 'options');
  const dsn = site.dsn ? parseTediousConnectionString(site.dsn.s) : undefined;
  const hidden = (dsn ? dsnMayHideParams(dsn) : !opts) || opts?.open === true;
  // node-mssql matches the package's canonical keys only (`Trust Server Certificate` is not one);
  // for an unknown consumer (SqlClient, JDBC…) spaced spellings count too.
  const p = (k: string): DsnParam | undefined => {
    if (!dsn) return undefined;
    if (fl.known) return param(dsn, k);
    let found: DsnParam | undefined;
    for (const q of dsn.params) if (q.norm.replace(/\s+/g, '') === k.replace(/\s+/g, '')) found = q;
    return found;
  };
  const invalid: InvalidSetting[] = [];

  // --- host
  const hi = hostInfo(ctx, dsn, propVal(opts, 'server'));
  const azure = hi.provider.kind === 'azure-sql' || hi.provider.kind === 'azure-sql-mi';

  // --- encrypt
  let enc: Enc;
  let encSrc: string;
  let encRange: Range | undefined;
  let notes = '';
  const encProp = prop(inner, 'encrypt');
  const encParam = p('encrypt');
  if (encProp) {
    const v = encProp.value;
    encRange = v.range;
    encSrc = `options.encrypt: ${describeVal(v)}`;
    if (v.k === 'bool') enc = v.b ? 'true' : 'false';
    else if (strOf(v) === 'strict') enc = 'strict';
    else if ((v.k === 'str' && v.s.complete) || v.k === 'num') {
      // tedious throws a TypeError; node-mssql substitutes its default for a non-boolean.
      if (site.driver === 'tedious') {
        enc = 'invalid';
        const t = strOf(v);
        const to = t === 'true' || t === 'false' ? t : t !== undefined && closest(t, ['strict']) ? "'strict'" : undefined;
        invalid.push({
          range: v.range,
          message: `tedious throws for options.encrypt ${describeVal(v)}: it must be a boolean or 'strict'.${to ? ` Did you mean ${to}?` : ''}`,
          fixes: to ? fix(`Change to ${to}`, false, [replaceVal(v, to === "'strict'" ? requoted(ctx.text, v, 'strict') : to)]) : [],
        });
      } else enc = 'unknown';
    } else enc = 'unknown';
  } else if (encParam) {
    encRange = encParam.range;
    encSrc = `${encParam.key}=${encParam.value ?? '…'}`;
    if (encParam.value === undefined) enc = 'unknown';
    else if (fl.known) {
      enc = csBool(encParam.value) ? 'true' : 'false';
      const lower = encParam.value.trim().toLowerCase();
      if (enc === 'true' && lower !== 'true' && lower !== 'yes' && lower !== '1') {
        notes += `; in a node-mssql connection string ${encSrc} means plain true${lower === 'strict' ? " (not TDS 8.0 strict: use options.encrypt: 'strict' in a config object)" : ''}`;
      }
    } else {
      const lower = encParam.value.trim().toLowerCase();
      enc = ['false', 'no', '0', 'optional'].includes(lower) ? 'false' : ['true', 'yes', '1', 'mandatory', 'strict'].includes(lower) ? (lower === 'strict' ? 'strict' : 'true') : 'unknown';
    }
  } else if (!fl.known || (hidden && !opts)) {
    enc = 'unknown';
    encSrc = fl.known ? 'connection settings not fully known' : 'no Encrypt setting';
  } else {
    enc = 'true';
    encSrc = `default (${fl.label} sets encrypt: true)`;
  }

  // --- trustServerCertificate
  let trust: Trust;
  let trustSrc: string;
  let trustRange: Range | undefined;
  const trustProp = prop(inner, 'trustServerCertificate');
  const trustParam = p('trustservercertificate');
  if (trustProp) {
    const v = trustProp.value;
    trustRange = v.range;
    trustSrc = `options.trustServerCertificate: ${describeVal(v)}`;
    if (v.k === 'bool') trust = v.b;
    else if (site.driver === 'tedious' && ((v.k === 'str' && v.s.complete) || v.k === 'num')) {
      trust = 'invalid';
      const t = strOf(v);
      invalid.push({
        range: v.range,
        message: `tedious throws for options.trustServerCertificate ${describeVal(v)}: it must be a boolean.`,
        fixes: t === 'true' || t === 'false' ? fix(`Change to ${t}`, false, [replaceVal(v, t)]) : [],
      });
    } else trust = 'unknown';
  } else if (trustParam) {
    trustRange = trustParam.range;
    trustSrc = `${trustParam.key}=${trustParam.value ?? '…'}`;
    if (trustParam.value === undefined) trust = 'unknown';
    else if (fl.known) trust = csBool(trustParam.value);
    else {
      const lower = trustParam.value.trim().toLowerCase();
      trust = ['true', 'yes', '1'].includes(lower) ? true : ['false', 'no', '0'].includes(lower) ? false : 'unknown';
    }
  } else if (!fl.known) {
    trust = 'unknown';
    trustSrc = 'no TrustServerCertificate setting';
  } else {
    trust = false;
    trustSrc = `default (${fl.label} sets trustServerCertificate: false)`;
  }

  // --- TLS posture
  let enabled: Setting<TlsEnabled>;
  let chain: Setting<Verified>;
  let why: string;
  switch (enc) {
    case 'false':
      enabled = setting<TlsEnabled>('off', encSrc, encRange);
      chain = setting<Verified>('n/a', encSrc, encRange);
      why = fl.known
        ? `${encSrc} sends NOT_SUP: the connection is not encrypted${azure ? ' (Azure SQL requires encryption, so tedious fails with EENCRYPT)' : ''}`
        : `${encSrc} turns encryption off for most SQL Server clients`;
      break;
    case 'strict':
      enabled = setting<TlsEnabled>('on', encSrc, encRange);
      chain = setting<Verified>('verified', `${encSrc} (trustServerCertificate is ignored)`, encRange);
      why = `${encSrc} (TDS 8.0) encrypts from the first byte and always verifies the certificate`;
      break;
    case 'true':
      enabled = setting<TlsEnabled>('on', encSrc, encRange);
      chain =
        trust === true
          ? setting<Verified>('unverified', trustSrc, trustRange)
          : trust === false
            ? setting<Verified>('verified', trustSrc, trustRange)
            : setting<Verified>('unknown', trustSrc, trustRange);
      why = `${encSrc} encrypts${trust === true ? ` but ${trustSrc} accepts any server certificate` : trust === false ? ' and verifies the certificate and host name' : ''}`;
      if (fl.known) why += "; note that tedious continues in plaintext if the server answers that it does not support encryption (use encrypt: 'strict' to rule that out)";
      break;
    default:
      enabled = setting<TlsEnabled>('unknown', encSrc, encRange);
      // An explicit TrustServerCertificate=true is a weakness whatever Encrypt is.
      chain = trust === true ? setting<Verified>('unverified', trustSrc, trustRange) : setting<Verified>('unknown', encSrc, encRange);
      why = trust === true ? `${trustSrc} accepts any server certificate whenever TLS is used` : enc === 'invalid' ? `${encSrc} is rejected` : 'the encrypt setting is not known statically';
  }
  const crypto = propVal(inner, 'cryptoCredentialsDetails');
  const caProp = prop(crypto, 'ca');
  const ca: TlsPosture['ca'] =
    chain.value !== 'verified' ? setting('n/a', 'certificate not verified') : caProp ? setting('configured', 'cryptoCredentialsDetails.ca', caProp.value.range) : setting('system', 'system trust store');
  const outdatedMinVersion =
    nodeTlsVersionBelow12('minVersion', propVal(crypto, 'minVersion')) ??
    nodeTlsVersionBelow12('secureProtocol', propVal(crypto, 'secureProtocol')) ??
    nodeTlsVersionBelow12('maxVersion', propVal(crypto, 'maxVersion'));
  const tls: TlsPosture = {
    enabled,
    chain,
    hostname: chain,
    ca,
    outdatedMinVersion,
    explanation: `${tlsSummary(enabled.value, chain.value, chain.value)} — ${fl.label}: ${why}${notes}${assumed}`,
  };

  // --- auth
  const authObj = propVal(opts, 'authentication');
  const authOpts = propVal(authObj, 'options');
  const pwProp = prop(opts, 'password') ?? prop(authOpts, 'password');
  const password = pwProp ? passwordFromVal(pwProp.value, 'password') : passwordFromDsnIn(ctx, dsn?.password ?? p('password'));
  let tokenAuth: AuthPosture['tokenAuth'] = tokenAuthOf(site, password);
  const typeVal = propVal(authObj, 'type');
  const type = strOf(typeVal);
  const authParam = p('authentication');
  // A token-minting password function for SQL Server is an Entra token, not RDS IAM.
  if (tokenAuth.value === 'rds-iam' && !site.tokenMintedOnce) tokenAuth = setting<'entra'>('entra', tokenAuth.source, tokenAuth.range);
  if (tokenAuth.value === 'none' || tokenAuth.value === 'entra') {
    if (typeVal && type !== undefined && (type.startsWith('azure-active-directory-') || type === 'token-credential')) {
      tokenAuth = setting<'entra'>('entra', `authentication.type: '${type}'`, typeVal.range);
    } else if (authParam?.value && /^active directory (integrated|password)$/i.test(authParam.value.trim().replace(/\s+/g, ' '))) {
      tokenAuth = setting<'entra'>('entra', `${authParam.key}=${authParam.value}`, authParam.range);
    }
  }
  const userProp = prop(opts, 'user') ?? prop(authOpts, 'userName');
  const user = userProp
    ? setting(strOf(userProp.value), `${userProp.key} option`, userProp.value.range)
    : dsn?.user ? setting(dsn.user.value, 'user in the connection string', dsn.user.range) : undefined;

  for (const e of dsn?.errors ?? []) {
    if (invalid.some((i) => i.range.start < e.range.end && e.range.start < i.range.end)) continue;
    invalid.push({ range: e.range, message: `${fl.label}: ${e.message}`, fixes: [] });
  }

  return {
    site,
    driver: site.driver,
    driverLabel: fl.label,
    consumerKnown: fl.known,
    dbms: 'sqlserver',
    dsn,
    host: hi.host,
    provider: hi.provider,
    locality: hi.locality,
    tls,
    auth: { password, tokenAuth, user },
    dangerous: [],
    invalid,
    remedies: nodeMssqlRemedies(ctx, encProp?.value, encParam, enc, trustProp?.value, trustParam, trust, crypto, needsProviderCa(hi.provider) ? hi.provider.label : undefined, fl.known),
  };
}

function nodeMssqlRemedies(
  ctx: ProfileContext, encVal: Val | undefined, encParam: DsnParam | undefined, enc: Enc,
  trustVal: Val | undefined, trustParam: DsnParam | undefined, trust: Trust, crypto: Val | undefined, caProvider: string | undefined, known: boolean,
): Remedies {
  const edits: (TextEdit | undefined)[] = [];
  const titles: string[] = [];
  if (enc === 'false' || enc === 'invalid') {
    if (encVal) edits.push(replaceVal(encVal, 'true'));
    else if (encParam) edits.push(replaceDsnValue(encParam, 'true'));
    titles.push('encrypt to true');
  }
  if (trust === true || trust === 'invalid') {
    if (trustVal) edits.push(replaceVal(trustVal, 'false'));
    else if (trustParam) edits.push(replaceDsnValue(trustParam, 'false'));
    titles.push('trustServerCertificate to false');
  }
  const verifiedTls =
    edits.length > 0
      ? fix(`Set ${titles.join(' and ')} (encrypt and verify the certificate)${caProvider ? ` — also set cryptoCredentialsDetails.ca to the ${caProvider} CA bundle` : ''}`, !caProvider && known, edits)
      : [];
  const minEdits: TextEdit[] = [];
  for (const [k, to] of [['minVersion', 'TLSv1.2'], ['maxVersion', 'TLSv1.3'], ['secureProtocol', 'TLSv1_2_method']] as const) {
    const v = propVal(crypto, k);
    if (v && nodeTlsVersionBelow12(k, v)) minEdits.push({ range: v.range, newText: requoted(ctx.text, v, to) });
  }
  return {
    verifiedTls,
    verifyHostname: verifiedTls,
    minTls12: minEdits.length > 0 ? fix("Require TLS 1.2 or later (minVersion: 'TLSv1.2')", true, minEdits) : undefined,
  };
}
