/**
 * microsoft/go-mssqldb semantics (reference/driver-semantics.md §3, §9 Azure SQL), for the
 * `sqlserver`/`mssql` driver names and the `azuresql` driver of the azuread package.
 *
 * The encrypt table (msdsn/conn_str.go parseTLS), exactly:
 * | encrypt                          | encrypted                          | TrustServerCertificate default | verified            |
 * | absent                           | login packet only (ENCRYPT_OFF)    | true                           | no                  |
 * | false/optional/no/0/f            | login packet only                  | false                          | yes                 |
 * | true/mandatory/yes/1/t           | whole session                      | false                          | unless Trust…=true  |
 * | strict                           | TDS 8.0, TLS first                 | forced false                   | always              |
 * | disable                          | never (NOT_SUP)                    | n/a                            | —                   |
 * Azure SQL demands encryption, so there "login only" becomes the whole session — with the same
 * verification (C2 still applies to an absent encrypt on Azure).
 *
 * TrustServerCertificate is read with strconv.ParseBool (`yes` is an error). hostNameInCertificate
 * replaces the name checked; serverCertificate pins the leaf; certificate is a CA file; tlsmin
 * 1.0/1.1 allows old TLS. `fedauth` is read only by the azuresql driver (ignored under sqlserver).
 * go-mssqldb's dial timeout is bounded by default (15 s per address): C12 does not apply.
 */
import { TextEdit } from '../../model';
import { DsnParam, param, ParsedDsn } from '../../dsn/types';
import { parseSqlServer } from '../../dsn/index';
import { ConnectionSite } from '../../extract/values';
import { fix, removeDsnParam, replaceDsnValue, setDsnParam } from '../../fixes/edits';
import { closest, dsnMayHideParams, goPoolPosture, hostInfo, passwordFromDsnIn, ProfileContext, setting, tlsSummary, tokenAuthOf } from '../common';
import { needsProviderCa, ProviderInfo } from '../provider';
import { AuthPosture, ConnectionProfile, InvalidSetting, Remedies, Setting, TlsEnabled, TlsPosture, Verified } from '../types';

const ENCRYPT_REQUIRED = ['true', 'mandatory', 'yes', '1', 't'];
const ENCRYPT_OFF = ['false', 'optional', 'no', '0', 'f'];
const ENCRYPT_VALUES = ['true', 'false', 'strict', 'disable', 'mandatory', 'optional', 'yes', 'no'];

/** azuread/configuration.go fedauth values (matched with EqualFold). */
const FEDAUTH_VALUES = [
  'ActiveDirectoryDefault', 'ActiveDirectoryIntegrated', 'ActiveDirectoryPassword', 'ActiveDirectoryManagedIdentity', 'ActiveDirectoryMSI',
  'ActiveDirectoryServicePrincipal', 'ActiveDirectoryApplication', 'ActiveDirectoryServicePrincipalAccessToken', 'ActiveDirectoryInteractive',
  'ActiveDirectoryDeviceCode', 'ActiveDirectoryAzCli', 'ActiveDirectoryAzureDeveloperCli', 'ActiveDirectoryAzurePipelines',
  'ActiveDirectoryEnvironment', 'ActiveDirectoryWorkloadIdentity', 'ActiveDirectoryClientAssertion', 'ActiveDirectoryOnBehalfOf',
];

/** strconv.ParseBool. */
function parseBool(s: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  return undefined;
}

type Encrypt = 'absent' | 'off' | 'required' | 'strict' | 'disable' | 'invalid' | 'unknown';

function encryptOf(p: DsnParam | undefined, hidden: boolean): Encrypt {
  if (!p) return hidden ? 'unknown' : 'absent';
  if (p.value === undefined) return 'unknown';
  const v = p.value.toLowerCase();
  if (ENCRYPT_REQUIRED.includes(v)) return 'required';
  if (ENCRYPT_OFF.includes(v)) return 'off';
  if (v === 'strict') return 'strict';
  if (v === 'disable') return 'disable';
  return 'invalid';
}

function isAzure(p: ProviderInfo): boolean {
  return p.kind === 'azure-sql' || p.kind === 'azure-sql-mi';
}

function isIp(h: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(h) || h.includes(':');
}

/**
 * Whether hostNameInCertificate still pins this server: the host itself, or the same server
 * name reached through another DNS name (a private endpoint, an IP). A wildcard accepts every
 * server under the domain.
 */
function hnicVerifies(hnic: string, host: string | undefined): boolean {
  const n = hnic.trim().toLowerCase();
  if (n.startsWith('*')) return false;
  if (host === undefined || isIp(host)) return true;
  const h = host.toLowerCase();
  return n === h || n.split('.')[0] === h.split('.')[0];
}

export function profileGoMssqldb(site: ConnectionSite, ctx: ProfileContext): ConnectionProfile {
  const azuresql = site.driver === 'go-mssqldb-azuresql';
  const label = azuresql ? 'go-mssqldb (azuresql driver)' : 'go-mssqldb';
  const dsn = site.dsn ? parseSqlServer(site.dsn.s) : undefined;
  const hidden = dsn ? dsnMayHideParams(dsn) : true;
  const p = (k: string) => (dsn ? param(dsn, k) : undefined);
  const hi = hostInfo(ctx, dsn, undefined);
  const azure = isAzure(hi.provider);
  const invalid: InvalidSetting[] = [];

  // --- encrypt / TrustServerCertificate
  const encParam = p('encrypt');
  const enc = encryptOf(encParam, hidden);
  if (enc === 'invalid' && encParam) {
    const guess = closest(encParam.value ?? '', ENCRYPT_VALUES);
    invalid.push({
      range: encParam.range,
      message: `${label} rejects encrypt=${encParam.value} ("invalid encrypt"): use true, strict, false or disable.${guess ? ` Did you mean encrypt=${guess}?` : ''}`,
      fixes: guess ? fix(`Change to encrypt=${guess}`, false, [replaceDsnValue(encParam, guess)]) : [],
    });
  }
  const trustParam = p('trustservercertificate');
  let trust: boolean | 'invalid' | 'unknown' = enc === 'absent';
  let trustSource = enc === 'absent' ? 'default (no encrypt → TrustServerCertificate defaults to true)' : 'default (TrustServerCertificate=false)';
  if (trustParam) {
    trustSource = `${trustParam.key}=${trustParam.value ?? '…'}`;
    if (trustParam.value === undefined) trust = 'unknown';
    else {
      const b = parseBool(trustParam.value);
      if (b === undefined) {
        trust = 'invalid';
        invalid.push({
          range: trustParam.range,
          message: `${label} rejects ${trustParam.key}=${trustParam.value}: it is read with strconv.ParseBool, which accepts only true/false, 1/0, t/f ("${trustParam.value}" is an error and the connection never opens).`,
          fixes: fix(`Change to ${trustParam.key}=false (verify the server certificate)`, false, [replaceDsnValue(trustParam, 'false')]),
        });
      } else trust = b;
    }
  }
  if (enc === 'strict') {
    trust = false;
    trustSource = 'encrypt=strict (TrustServerCertificate is forced to false)';
  }

  // --- TLS posture
  const encSrc = encParam ? `encrypt=${encParam.value ?? '…'}` : 'no encrypt parameter';
  const encRange = encParam?.range;
  const trustRange = trustParam?.range;
  const pin = p('servercertificate');
  const caFile = p('certificate');
  const hnic = p('hostnameincertificate');
  let enabled: Setting<TlsEnabled>;
  let chain: Setting<Verified>;
  let why: string;
  const chainFromTrust = (): Setting<Verified> =>
    trust === true
      ? setting<Verified>('unverified', trustSource, trustRange ?? encRange)
      : trust === false
        ? setting<Verified>('verified', trustSource, trustRange)
        : setting<Verified>('unknown', trustSource, trustRange);
  switch (enc) {
    case 'unknown':
    case 'invalid':
      enabled = setting<TlsEnabled>('unknown', enc === 'invalid' ? `${encSrc} (invalid)` : encParam ? `${encSrc} not known statically` : 'connection string not fully known', encRange);
      chain = setting<Verified>('unknown', enabled.source, encRange);
      why = enc === 'invalid' ? `${encSrc} is rejected by the driver` : 'the encrypt setting is not known statically';
      break;
    case 'absent':
      enabled = setting<TlsEnabled>(azure ? 'on' : 'login-only', azure ? 'no encrypt parameter (Azure SQL demands encryption)' : 'default (no encrypt → only the login packet is encrypted)');
      chain = chainFromTrust();
      why = azure
        ? `without encrypt= the driver sends ENCRYPT_OFF; Azure SQL demands encryption, so the whole session is encrypted${trust === true ? ' — but TrustServerCertificate defaults to true, so any server certificate is accepted' : ''}`
        : `without encrypt= only the login packet is encrypted (unless the server demands encryption)${trust === true ? ' and any server certificate is trusted (TrustServerCertificate defaults to true)' : ''}`;
      break;
    case 'off':
      enabled = setting<TlsEnabled>(azure ? 'on' : 'login-only', azure ? `${encSrc} (Azure SQL demands encryption)` : encSrc, encRange);
      chain = chainFromTrust();
      why = azure ? `${encSrc} asks for login-only encryption, but Azure SQL demands encryption, so the whole session is encrypted` : `${encSrc} encrypts only the login packet; the rest of the session is plaintext unless the server demands encryption`;
      break;
    case 'required':
      enabled = setting<TlsEnabled>('on', encSrc, encRange);
      chain = chainFromTrust();
      why = `${encSrc} encrypts the whole session`;
      break;
    case 'strict':
      enabled = setting<TlsEnabled>('on', encSrc, encRange);
      chain = setting<Verified>('verified', encSrc, encRange);
      why = `${encSrc} (TDS 8.0) encrypts from the first byte and always verifies the certificate`;
      break;
    case 'disable':
      if (azure) {
        enabled = setting<TlsEnabled>('on', `${encSrc} (Azure SQL demands encryption)`, encRange);
        chain = setting<Verified>('verified', `${encSrc}: when the server still negotiates encryption the driver verifies fully`, encRange);
        why = `${encSrc} asks for no encryption, but Azure SQL demands it; the driver then encrypts and verifies the certificate`;
      } else {
        enabled = setting<TlsEnabled>('off', encSrc, encRange);
        chain = setting<Verified>('n/a', encSrc, encRange);
        why = `${encSrc} never encrypts, not even the login packet (unless the server demands encryption)`;
      }
      break;
  }
  if (trust === 'invalid' && chain.value !== 'n/a') chain = setting<Verified>('unknown', `${trustSource} (invalid)`, trustRange);

  let hostname: Setting<Verified> = chain;
  let ca: TlsPosture['ca'] = chain.value === 'verified' ? setting('system', 'system trust store') : setting('n/a', 'certificate not verified');
  if (chain.value === 'unverified') why += trust === true && trustParam ? `; ${trustSource} accepts any server certificate` : '';
  /** A hostNameInCertificate that does not pin this server: said after what the session verifies. */
  let hnicNote = '';
  if (pin && enabled.value !== 'off' && enabled.value !== 'unknown') {
    chain = setting<Verified>('verified', `${pin.key} pins the exact server certificate`, pin.range);
    hostname = setting<Verified>('verified', `${pin.key} pins the exact server certificate`, pin.range);
    ca = setting('configured', pin.key, pin.range);
    why += `; ${pin.key} pins the exact server certificate`;
  } else if (chain.value === 'verified') {
    if (caFile) ca = setting('configured', `${caFile.key}=${caFile.value ?? '…'}`, caFile.range);
    if (hnic) {
      if (hnic.value === undefined) hostname = setting<Verified>('unknown', `${hnic.key} not known statically`, hnic.range);
      else if (!hnicVerifies(hnic.value, hi.host.value)) {
        hostname = setting<Verified>('unverified', `${hnic.key}=${hnic.value}`, hnic.range);
        hnicNote = hnic.value.trim().startsWith('*')
          ? `; ${hnic.key}=${hnic.value} accepts the certificate of any server under that domain`
          : `; ${hnic.key}=${hnic.value} checks a name that is not this server's host`;
      } else hostname = setting<Verified>('verified', `${hnic.key}=${hnic.value}`, hnic.range);
    } else hostname = setting<Verified>('verified', 'server host name', hi.host.range);
  }
  if (chain.value === 'verified' && enc === 'required' && !pin) why += hostname.value === 'verified' ? ' and verifies the certificate and host name' : ' and verifies the certificate chain';
  why += hnicNote;

  const tlsmin = p('tlsmin');
  const outdatedMinVersion = tlsmin && (tlsmin.value === '1.0' || tlsmin.value === '1.1') ? setting(tlsmin.value, `tlsmin=${tlsmin.value}`, tlsmin.range) : undefined;
  if (outdatedMinVersion) why += `; tlsmin=${tlsmin!.value} allows TLS ${tlsmin!.value}`;

  const tls: TlsPosture = {
    enabled,
    chain,
    hostname,
    ca,
    outdatedMinVersion,
    explanation: `${tlsSummary(enabled.value, chain.value, hostname.value)} — ${label}: ${why}`,
  };

  // --- auth: fedauth is Entra token auth under azuresql only.
  const password = passwordFromDsnIn(ctx, dsn?.password ?? p('password'));
  const fedauth = p('fedauth');
  let tokenAuth: AuthPosture['tokenAuth'] = tokenAuthOf(site, password);
  // A per-connection token hook or token-minting call for SQL Server is Entra, not RDS IAM.
  if (tokenAuth.value === 'rds-iam' && !site.tokenMintedOnce) tokenAuth = setting<'entra'>('entra', tokenAuth.source, tokenAuth.range);
  if (fedauth && !site.tokenMintedOnce) {
    const known = fedauth.value !== undefined && FEDAUTH_VALUES.some((v) => v.toLowerCase() === fedauth.value!.toLowerCase());
    if (!azuresql) {
      tokenAuth = setting<'none'>('none', `${fedauth.key}=${fedauth.value ?? '…'} is ignored by the sqlserver driver — only the azuresql driver (github.com/microsoft/go-mssqldb/azuread) reads it`, fedauth.range);
    } else if (fedauth.value === undefined) {
      tokenAuth = setting<'unknown'>('unknown', `${fedauth.key} not known statically`, fedauth.range);
    } else if (known) {
      tokenAuth = setting<'entra'>('entra', `${fedauth.key}=${fedauth.value}`, fedauth.range);
    } else {
      const guess = closest(fedauth.value, FEDAUTH_VALUES);
      invalid.push({
        range: fedauth.range,
        message: `${label} rejects ${fedauth.key}=${fedauth.value}: not a known fedauth value.${guess ? ` Did you mean ${guess}?` : ''}`,
        fixes: guess ? fix(`Change to ${fedauth.key}=${guess}`, false, [replaceDsnValue(fedauth, guess)]) : [],
      });
    }
  }
  const user = dsn?.user ? setting(dsn.user.value, 'user in the connection string', dsn.user.range) : undefined;

  // Parser errors not already covered above.
  for (const e of dsn?.errors ?? []) {
    if (invalid.some((i) => i.range.start < e.range.end && e.range.start < i.range.end)) continue;
    invalid.push({ range: e.range, message: `${label}: ${e.message}`, fixes: [] });
  }

  return {
    site,
    driver: site.driver,
    driverLabel: label,
    consumerKnown: true,
    dbms: 'sqlserver',
    dsn,
    host: hi.host,
    provider: hi.provider,
    locality: hi.locality,
    tls,
    auth: { password, tokenAuth, user },
    pool: goPoolPosture(site),
    dangerous: [],
    invalid,
    remedies: mssqlRemedies(site, ctx, dsn, enc, encParam, trustParam, trust, hnic, tlsmin, hi.provider, hostname),
  };
}

function mssqlRemedies(
  site: ConnectionSite, ctx: ProfileContext, dsn: ParsedDsn | undefined, enc: Encrypt, encParam: DsnParam | undefined, trustParam: DsnParam | undefined,
  trust: boolean | 'invalid' | 'unknown', hnic: DsnParam | undefined, tlsmin: DsnParam | undefined, provider: ProviderInfo, hostname: Setting<Verified>,
): Remedies {
  if (!dsn || !site.dsn) return {};
  const url = dsn.format === 'sqlserver-url';
  const edits: (TextEdit | undefined)[] = [];
  const titles: string[] = [];
  if (enc !== 'required' && enc !== 'strict') {
    edits.push(setDsnParam(dsn, site.dsn, encParam, url ? 'encrypt' : 'Encrypt', 'true'));
    titles.push('encrypt=true');
  }
  if (trustParam && trust !== false) {
    edits.push(replaceDsnValue(trustParam, 'false'));
    titles.push('TrustServerCertificate=false');
  }
  const caNeeded = needsProviderCa(provider);
  const verifiedTls =
    edits.length > 0
      ? fix(`Set ${titles.join(' and ')} (encrypt the session and verify the certificate)${caNeeded ? ` — also set certificate= to the ${provider.label} CA bundle` : ''}`, !caNeeded, edits)
      : [];
  const verifyHostname =
    hnic && hostname.value === 'unverified' && hnic.exact
      ? fix(`Remove ${hnic.key} (check the server's own host name)`, provider.kind === 'azure-sql', [removeDsnParam(hnic, ctx.text)])
      : undefined;
  const minTls12 = tlsmin && (tlsmin.value === '1.0' || tlsmin.value === '1.1') ? fix('Set tlsmin=1.2', true, [replaceDsnValue(tlsmin, '1.2')]) : undefined;
  return { verifiedTls, verifyHostname, minTls12 };
}

