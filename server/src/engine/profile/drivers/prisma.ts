/**
 * Prisma's query engine (prisma-engines, quaint) as the consumer of a connection URL: a literal
 * `url`/`directUrl`/`shadowDatabaseUrl` in a schema.prisma `datasource`, or a config value
 * (`DATABASE_URL=` in .env) that a datasource reads with `env("DATABASE_URL")`.
 *
 * PostgreSQL / CockroachDB (quaint `src/connector/postgres/url.rs`, `native/mod.rs`):
 * - `sslmode` accepts only `disable`, `prefer`, `require` (case-sensitive). Any other value
 *   (verify-full, verify-ca, allow, Require…) is logged "Unsupported SSL mode, defaulting to
 *   `prefer`" and the connection uses prefer: TLS when offered, plaintext otherwise. Absent = prefer.
 * - Certificate checks are NOT governed by sslmode but by `sslaccept`: `strict` verifies the chain
 *   and the hostname (native-tls); `accept_invalid_certs` — the DEFAULT — verifies nothing. An
 *   unrecognised sslaccept value is treated as `strict`.
 * - `sslcert` is the CA file for the server certificate (relative to the schema file);
 *   `sslidentity`/`sslpassword` the client identity (PKCS#12). `sslrootcert` is not read.
 * - connect_timeout defaults to 5 s (0 = none); the last of a repeated key wins.
 * So the libpq fix `sslmode=verify-full` is wrong here: Prisma reads it as prefer. The verified
 * form is `sslmode=require&sslaccept=strict`.
 *
 * MySQL (quaint `src/connector/mysql/url.rs`): no TLS at all unless one of `sslaccept`, `sslcert`,
 * `sslidentity`, `sslpassword` is present; then TLS is required and verified only with
 * `sslaccept=strict` (default and unrecognised values accept invalid certificates). `sslmode` /
 * `ssl-mode` are not Prisma parameters.
 *
 * SQL Server datasources are not judged here (they keep the ADO-family assumed semantics).
 */
import { ConnectionSite } from '../../extract/values';
import { DsnParam, param, ParsedDsn } from '../../dsn/types';
import { parseMysqlUrl, parsePostgres } from '../../dsn/index';
import { TextEdit } from '../../model';
import { fix, replaceDsnValue, setDsnParam } from '../../fixes/edits';
import { closest, dsnMayHideParams, hostInfo, passwordFromDsnIn, ProfileContext, setting, tokenAuthOf } from '../common';
import { caBundleFile, needsProviderCa } from '../provider';
import { ConnectionProfile, InvalidSetting, Remedies, Setting, TlsEnabled, TlsPosture, Verified } from '../types';
import { retiredBundle } from './postgres-go';

const LABEL = 'Prisma';

const PG_MODES = ['disable', 'prefer', 'require'] as const;
type PgMode = (typeof PG_MODES)[number];

/** Query parameters quaint's PostgreSQL connector reads; any other key is discarded silently. */
const PG_KEYS = [
  'pgbouncer', 'sslmode', 'sslcert', 'sslidentity', 'sslpassword', 'statement_cache_size', 'sslaccept', 'schema', 'connection_limit',
  'host', 'socket_timeout', 'connect_timeout', 'pool_timeout', 'max_connection_lifetime', 'max_idle_connection_lifetime',
  'application_name', 'channel_binding', 'options',
];
/** Query parameters quaint's MySQL connector reads. */
const MYSQL_KEYS = [
  'connection_limit', 'statement_cache_size', 'sslcert', 'sslidentity', 'sslpassword', 'socket', 'socket_timeout', 'prefer_socket',
  'connect_timeout', 'pool_timeout', 'sslaccept', 'max_connection_lifetime', 'max_idle_connection_lifetime',
];
/** TLS keys worth a did-you-mean when misspelt (Prisma ignores unknown keys without a word). */
const TLS_KEYS = ['sslmode', 'sslaccept', 'sslcert', 'sslidentity', 'sslpassword', 'connect_timeout'];
/** Keys of other PostgreSQL clients that are not misspellings but that Prisma does not read. */
const FOREIGN_PG_KEYS = new Set(['sslkey', 'sslcrl', 'sslsni', 'sslnegotiation', 'sslcompression', 'sslcertmode', 'target_session_attrs', 'uselibpqcompat', 'ssl']);

export function profilePrisma(site: ConnectionSite, ctx: ProfileContext): ConnectionProfile {
  return site.driver === 'prisma-mysql' ? profilePrismaMysql(site, ctx) : profilePrismaPostgres(site, ctx);
}

/**
 * The edit that makes Prisma verify: `sslaccept=strict`, plus `sslmode=require` unless sslmode
 * already is require. Written as ONE edit where sslaccept is absent (the new parameter rides on
 * the sslmode value, or both are appended together) so that two findings offering the same fix
 * (dsn-invalid and tls-disabled on one sslmode) never insert it twice.
 */
function verifyEdits(dsn: ParsedDsn, site: ConnectionSite, mode: DsnParam | undefined, modeIsRequire: boolean, accept: DsnParam | undefined): (TextEdit | undefined)[] {
  const input = site.dsn;
  if (accept) {
    const edits = [replaceDsnValue(accept, 'strict')];
    if (!modeIsRequire) edits.push(setDsnParam(dsn, input, mode, 'sslmode', 'require'));
    return edits;
  }
  if (mode) return [replaceDsnValue(mode, 'require&sslaccept=strict')];
  return [setDsnParam(dsn, input, undefined, 'sslmode', 'require&sslaccept=strict')];
}

function misspelt(dsn: ParsedDsn | undefined, known: readonly string[]): InvalidSetting[] {
  const out: InvalidSetting[] = [];
  for (const q of dsn?.params ?? []) {
    if (known.includes(q.key) || FOREIGN_PG_KEYS.has(q.key) || q.key.includes('\uE000')) continue;
    const guess = closest(q.key, TLS_KEYS) ?? closest(q.key.toLowerCase(), TLS_KEYS);
    if (!guess || guess === q.key) continue;
    out.push({
      range: q.keyRange,
      message: `"${q.key}" is not a ${LABEL} connection parameter — did you mean "${guess}"? Prisma discards unknown parameters without an error, so the setting is silently ignored.`,
      fixes: q.exact ? fix(`Change to ${guess}`, true, [{ range: q.keyRange, newText: guess }]) : [],
    });
  }
  return out;
}

function profilePrismaPostgres(site: ConnectionSite, ctx: ProfileContext): ConnectionProfile {
  const dsn = site.dsn ? parsePostgres(site.dsn.s) : undefined;
  const p = (k: string) => (dsn ? param(dsn, k) : undefined);
  const invalid: InvalidSetting[] = (dsn?.errors ?? []).map((e) => ({ range: e.range, message: `${LABEL}: ${e.message}`, fixes: [] }));

  // quaint: the `host` query parameter wins over the URL host (it is how sockets are given).
  const hostParam = p('host');
  const hi = hostInfo(ctx, dsn, undefined);
  const host = hostParam ? setting(hostParam.value, 'host parameter', hostParam.range) : hi.host;
  const socket = (host.value ?? '').startsWith('/') || hi.locality === 'socket';

  const hidden = !dsn || dsnMayHideParams(dsn);
  const modeParam = p('sslmode');
  const acceptParam = p('sslaccept');
  const certParam = p('sslcert');

  // --- sslmode → TLS enabled
  let mode: PgMode = 'prefer';
  let modeKnown = true;
  let modeSource = 'no sslmode (Prisma defaults to sslmode=prefer)';
  let unsupported: string | undefined;
  if (modeParam) {
    if (modeParam.value === undefined) modeKnown = false;
    else if ((PG_MODES as readonly string[]).includes(modeParam.value)) {
      mode = modeParam.value as PgMode;
      modeSource = `sslmode=${mode}`;
    } else {
      unsupported = modeParam.value;
      modeSource = `sslmode=${unsupported} (not supported by Prisma, which uses prefer instead)`;
    }
  } else if (hidden) {
    modeKnown = false;
  }

  // --- sslaccept → chain and hostname
  let strict = false;
  let acceptKnown = true;
  let acceptSource = 'no sslaccept (Prisma defaults to sslaccept=accept_invalid_certs)';
  if (acceptParam) {
    if (acceptParam.value === undefined) acceptKnown = false;
    else {
      strict = acceptParam.value !== 'accept_invalid_certs';
      acceptSource = acceptParam.value === 'strict' || acceptParam.value === 'accept_invalid_certs' ? `sslaccept=${acceptParam.value}` : `sslaccept=${acceptParam.value} (unrecognised: Prisma treats it as strict)`;
    }
  } else if (hidden) {
    acceptKnown = false;
  }

  if (unsupported !== undefined && modeParam) {
    const edits = verifyEdits(dsn!, site, modeParam, false, acceptParam);
    const guessNote = unsupported === 'verify-full' || unsupported === 'verify-ca' ? ' The libpq way to verify does not exist in Prisma: certificate checks are set with sslaccept=strict.' : '';
    invalid.push({
      range: modeParam.range,
      message: `${LABEL} does not support sslmode=${unsupported} (only disable, prefer, require): it logs "Unsupported SSL mode" and silently connects with sslmode=prefer, which falls back to plaintext and verifies no certificate.${guessNote} Use sslmode=require&sslaccept=strict.`,
      fixes: fix('Change to sslmode=require&sslaccept=strict', true, edits),
    });
  }
  const rootParam = p('sslrootcert');
  if (rootParam) {
    invalid.push({
      range: rootParam.keyRange,
      message: `${LABEL} does not read sslrootcert: the CA file is ignored. Prisma takes the server's CA file in sslcert (a path relative to the schema file).`,
      fixes: rootParam.exact && !certParam ? fix('Change to sslcert', true, [{ range: rootParam.keyRange, newText: 'sslcert' }]) : [],
    });
  }
  invalid.push(...misspelt(dsn, PG_KEYS));

  // --- posture
  const modeRange = modeParam?.range;
  let enabled: Setting<TlsEnabled>;
  if (socket) enabled = setting<TlsEnabled>('off', 'unix socket (TLS is not used)', host.range);
  else if (!modeKnown) enabled = setting<TlsEnabled>('unknown', hidden && !modeParam ? 'connection string partly unknown (sslmode may be set in the unknown part)' : 'sslmode not known statically', modeRange);
  else enabled = setting<TlsEnabled>(mode === 'disable' ? 'off' : mode === 'require' ? 'on' : 'optional', modeSource, modeRange);
  const off = enabled.value === 'off';
  const verified: Setting<Verified> = off
    ? setting<Verified>('n/a', enabled.source)
    : !acceptKnown
      ? setting<Verified>('unknown', 'sslaccept not known statically', acceptParam?.range)
      : setting<Verified>(strict ? 'verified' : 'unverified', acceptSource, acceptParam?.range);
  const caFile = certParam?.value;
  let tls: TlsPosture = {
    enabled,
    chain: verified,
    hostname: verified,
    ca: setting(off ? 'n/a' : certParam ? 'configured' : verified.value === 'verified' ? 'system' : 'n/a', certParam ? `sslcert=${caFile ?? '…'}` : 'system trust store', certParam?.range),
    retiredCa: retiredBundle(caFile, certParam?.range),
    explanation: '',
  };
  const modeWords = !modeKnown
    ? 'sslmode is not known statically'
    : mode === 'disable'
      ? 'sslmode=disable never uses TLS'
      : mode === 'require'
        ? 'sslmode=require always uses TLS'
        : `${modeParam ? `sslmode=${modeParam.value}` : 'no sslmode'} means prefer: TLS when the server offers it, plaintext otherwise`;
  const acceptWords = off ? '' : !acceptKnown ? '; sslaccept is not known statically' : strict ? `, and ${acceptSource} verifies the certificate chain and hostname` : `, and ${acceptSource} accepts any server certificate`;
  tls = { ...tls, explanation: `${LABEL}: ${modeWords}${acceptWords} (certificate checks are set by sslaccept, not sslmode)` };

  const password = passwordFromDsnIn(ctx, dsn?.password);
  const remedies: Remedies = dsn && site.dsn ? pgRemedies(dsn, site, modeParam, mode === 'require' && !unsupported, acceptParam, certParam, hi.provider) : {};
  const ct = p('connect_timeout');
  const connectTimeout = ct && ct.value !== undefined && Number(ct.value) === 0 ? setting<'set' | 'missing' | 'unknown'>('missing', 'connect_timeout=0 (Prisma then waits without a limit)', ct.range) : undefined;
  return {
    site,
    driver: site.driver,
    driverLabel: LABEL,
    consumerKnown: true,
    dbms: 'postgres',
    dsn,
    host,
    provider: hi.provider,
    locality: socket ? 'socket' : hi.locality,
    tls,
    auth: { password, tokenAuth: tokenAuthOf(site, password), user: dsn?.user ? setting(dsn.user.value, 'user in the connection string', dsn.user.range) : undefined },
    connectTimeout,
    dangerous: [],
    invalid,
    remedies,
  };
}

function pgRemedies(dsn: ParsedDsn, site: ConnectionSite, modeParam: DsnParam | undefined, modeIsRequire: boolean, acceptParam: DsnParam | undefined, certParam: DsnParam | undefined, provider: ReturnType<typeof hostInfo>['provider']): Remedies {
  const caNeeded = needsProviderCa(provider) && !certParam;
  const title = modeIsRequire ? 'Set sslaccept=strict' : 'Set sslmode=require and sslaccept=strict';
  const verifiedTls = fix(caNeeded ? `${title} (also give the ${provider.label} CA bundle in sslcert)` : title, !caNeeded, verifyEdits(dsn, site, modeParam, modeIsRequire, acceptParam));
  const providerCa = fix(`Add sslcert pointing at the ${provider.label} CA bundle (a path relative to the schema file; adjust it)`, false, [setDsnParam(dsn, site.dsn, certParam, 'sslcert', `./${caBundleFile(provider)}`)]);
  return { verifiedTls, verifyHostname: verifiedTls, providerCa };
}

function profilePrismaMysql(site: ConnectionSite, ctx: ProfileContext): ConnectionProfile {
  const dsn = site.dsn ? parseMysqlUrl(site.dsn.s) : undefined;
  const p = (k: string) => (dsn ? param(dsn, k) : undefined);
  const invalid: InvalidSetting[] = (dsn?.errors ?? []).map((e) => ({ range: e.range, message: `${LABEL}: ${e.message}`, fixes: [] }));
  const hi = hostInfo(ctx, dsn, undefined);
  const socketParam = p('socket');
  const socket = !!socketParam || hi.locality === 'socket';
  const hidden = !dsn || dsnMayHideParams(dsn);

  // Every sslaccept/sslcert/sslidentity/sslpassword turns TLS on; any sslaccept=strict turns
  // verification on (a later accept_invalid_certs does not turn it off again).
  const tlsParams = (dsn?.params ?? []).filter((q) => q.key === 'sslaccept' || q.key === 'sslcert' || q.key === 'sslidentity' || q.key === 'sslpassword');
  const accepts = tlsParams.filter((q) => q.key === 'sslaccept');
  const strictParam = accepts.find((q) => q.value === 'strict');
  const acceptUnknown = accepts.some((q) => q.value === undefined);
  const lastAccept = accepts[accepts.length - 1];
  const certParam = p('sslcert');

  for (const q of dsn?.params ?? []) {
    if (q.key !== 'sslmode' && q.key !== 'ssl-mode' && q.key !== 'ssl_mode' && q.key !== 'ssl') continue;
    invalid.push({
      range: q.keyRange,
      message: `${LABEL}'s MySQL connector ignores "${q.key}": TLS is used only when sslaccept, sslcert, sslidentity or sslpassword is set. Use sslaccept=strict.`,
      fixes: [],
    });
  }
  invalid.push(...misspelt(dsn, MYSQL_KEYS));

  let enabled: Setting<TlsEnabled>;
  if (socket) enabled = setting<TlsEnabled>('off', 'unix socket (TLS is not used)', socketParam?.range ?? hi.host.range);
  else if (tlsParams.length > 0) enabled = setting<TlsEnabled>('on', `${tlsParams[0].key}=${tlsParams[0].value ?? '…'}`, tlsParams[0].range);
  else if (hidden) enabled = setting<TlsEnabled>('unknown', 'connection string partly unknown (TLS parameters may be in the unknown part)');
  else enabled = setting<TlsEnabled>('off', 'no sslaccept/sslcert (Prisma\'s MySQL connector then does not use TLS)');
  const off = enabled.value === 'off';
  const verified: Setting<Verified> = off
    ? setting<Verified>('n/a', enabled.source)
    : strictParam
      ? setting<Verified>('verified', 'sslaccept=strict', strictParam.range)
      : acceptUnknown || enabled.value === 'unknown'
        ? setting<Verified>('unknown', 'sslaccept not known statically', lastAccept?.range)
        : setting<Verified>('unverified', lastAccept ? `sslaccept=${lastAccept.value} (Prisma accepts any certificate unless sslaccept=strict)` : 'no sslaccept (Prisma defaults to sslaccept=accept_invalid_certs)', lastAccept?.range);
  const tls: TlsPosture = {
    enabled,
    chain: verified,
    hostname: verified,
    ca: setting(off ? 'n/a' : certParam ? 'configured' : verified.value === 'verified' ? 'system' : 'n/a', certParam ? `sslcert=${certParam.value ?? '…'}` : 'system trust store', certParam?.range),
    retiredCa: retiredBundle(certParam?.value, certParam?.range),
    explanation: off
      ? `${LABEL}: ${enabled.source}.`
      : `${LABEL}: ${enabled.value === 'on' ? 'TLS is required' : 'TLS is not known statically'}; ${verified.value === 'verified' ? 'sslaccept=strict verifies the certificate chain and hostname' : verified.value === 'unverified' ? 'without sslaccept=strict any server certificate is accepted' : 'sslaccept is not known statically'}.`,
  };

  const password = passwordFromDsnIn(ctx, dsn?.password);
  let remedies: Remedies = {};
  if (dsn && site.dsn) {
    const caNeeded = needsProviderCa(hi.provider) && !certParam;
    const edit = setDsnParam(dsn, site.dsn, lastAccept, 'sslaccept', 'strict');
    const verifiedTls = fix(caNeeded ? `Set sslaccept=strict (also give the ${hi.provider.label} CA bundle in sslcert)` : 'Set sslaccept=strict', !caNeeded, [edit]);
    const providerCa = fix(`Add sslcert pointing at the ${hi.provider.label} CA bundle (a path relative to the schema file; adjust it)`, false, [setDsnParam(dsn, site.dsn, certParam, 'sslcert', `./${caBundleFile(hi.provider)}`)]);
    remedies = { verifiedTls, verifyHostname: verifiedTls, providerCa };
  }
  return {
    site,
    driver: site.driver,
    driverLabel: LABEL,
    consumerKnown: true,
    dbms: 'mysql',
    dsn,
    host: hi.host,
    provider: hi.provider,
    locality: socket ? 'socket' : hi.locality,
    tls,
    auth: { password, tokenAuth: tokenAuthOf(site, password), user: dsn?.user ? setting(dsn.user.value, 'user in the connection string', dsn.user.range) : undefined },
    dangerous: [],
    invalid,
    remedies,
  };
}
