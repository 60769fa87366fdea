/**
 * godror (Oracle) semantics, also used for Oracle connection strings in config files whose
 * consumer is unknown ('unknown-oracle').
 *
 * What ConnGuard can and cannot say here:
 * - TLS for Oracle Net is configured with a `tcps://` connect string / `(PROTOCOL=TCPS)` and a
 *   wallet or sqlnet.ora, which ConnGuard does not read. A plain `host:port/service` therefore
 *   has TLS 'unknown' (never a C1 finding — precision first); `tcps` means TLS on, verification
 *   unknown.
 * - A PolarDB host (Oracle-compatible edition) speaks the PostgreSQL protocol, not Oracle Net:
 *   the `polardb-oracle-driver` rule reads `provider.kind === 'alibaba-polardb'` with dbms 'oracle'.
 * - godror without a `timezone` parameter guesses the session time zone (times can shift):
 *   `timezone-unset`.
 * godror's connect timeout is bounded by Oracle Net defaults: C12 does not apply.
 */
import { DsnParam, ParsedDsn } from '../../dsn/types';
import { parseOracle } from '../../dsn/index';
import { ConnectionSite, prop, propVal, strOf } from '../../extract/values';
import { fix, setDsnParam } from '../../fixes/edits';
import { dsnMayHideParams, goPoolPosture, hostInfo, passwordFromDsnIn, passwordFromVal, ProfileContext, setting, tlsSummary, tokenAuthOf } from '../common';
import { ConnectionProfile, Remedies, Setting, TlsEnabled, TlsPosture, Verified } from '../types';

function lastParam(d: ParsedDsn | undefined, key: string): DsnParam | undefined {
  let found: DsnParam | undefined;
  for (const p of d?.params ?? []) if (p.norm.toLowerCase() === key) found = p;
  return found;
}

/** `tcps://host…` or `(PROTOCOL=TCPS)` anywhere in the connect string. */
function usesTcps(text: string): boolean {
  const t = text.toLowerCase().replace(/\s+/g, '');
  return t.includes('tcps://') || t.includes('protocol=tcps');
}

export function profileGodror(site: ConnectionSite, ctx: ProfileContext): ConnectionProfile {
  const known = site.driver === 'godror';
  const label = known ? 'godror' : 'Oracle connection-string semantics (consumer unknown)';
  const assumed = known ? '' : ' (the consumer of this connection string is unknown)';
  const dsn = site.dsn ? parseOracle(site.dsn.s) : undefined;
  const opts = site.options && site.options.k === 'obj' ? site.options : undefined;
  // godror.ConnectionParams{CommonParams: {Username, Password, ConnectString, Timezone}}
  const common = propVal(opts, 'CommonParams') ?? opts;
  const hidden = dsn ? dsnMayHideParams(dsn) : !opts;

  const hi = hostInfo(ctx, dsn, undefined);

  // --- TLS: only tcps is visible in the string; wallets and sqlnet.ora are not.
  const connectText = dsn?.source.text ?? strOf(propVal(common, 'ConnectString')) ?? '';
  const tcps = usesTcps(connectText);
  const src = tcps ? 'tcps connect string' : 'Oracle Net settings (sqlnet.ora / wallet) not visible';
  const enabled = setting<TlsEnabled>(tcps ? 'on' : 'unknown', src, tcps ? dsn?.hosts[0]?.range : undefined);
  const unknown = setting<Verified>('unknown', tcps ? 'verification is configured in the wallet / sqlnet.ora' : src);
  const tls: TlsPosture = {
    enabled,
    chain: unknown,
    hostname: unknown,
    ca: setting('unknown', 'wallet / sqlnet.ora'),
    explanation: `${tlsSummary(enabled.value, 'unknown', 'unknown')} — ${label}: ${
      tcps
        ? 'the tcps connect string uses TLS; certificate checks are configured in the Oracle wallet / sqlnet.ora, which ConnGuard does not read'
        : 'Oracle Net encryption is configured with a tcps:// connect string or in sqlnet.ora, which ConnGuard does not read'
    }${hi.provider.kind === 'alibaba-polardb' ? '. This is a PolarDB host: its Oracle-compatible edition speaks the PostgreSQL protocol, not Oracle Net' : ''}${assumed}`,
  };

  // --- auth
  const pwProp = prop(common, 'Password');
  const password = pwProp ? passwordFromVal(pwProp.value, 'Password') : passwordFromDsnIn(ctx, dsn?.password ?? lastParam(dsn, 'password'));
  const tokenAuth = tokenAuthOf(site, password);
  const userProp = prop(common, 'Username');
  const user = userProp
    ? setting(strOf(userProp.value), 'Username field', userProp.value.range)
    : dsn?.user ? setting(dsn.user.value, 'user in the connection string', dsn.user.range) : undefined;

  // --- time zone: godror guesses it from the database unless `timezone` is given.
  const tzSet = lastParam(dsn, 'timezone') !== undefined || prop(common, 'Timezone') !== undefined;
  const logfmt = dsn !== undefined && /(^|\s)connectstring\s*=/i.test(dsn.source.text);
  const url = dsn !== undefined && dsn.source.text.trimStart().startsWith('oracle://');
  const timezoneUnset: Setting<true> | undefined =
    (known || logfmt) && !tzSet && !hidden ? setting<true>(true, 'no timezone parameter (godror takes the session time zone from the database, so times can shift)') : undefined;

  // A parameter can be appended to the logfmt and URL forms only (not to a descriptor or alias).
  const remedies: Remedies = {
    timezone: dsn && site.dsn && timezoneUnset && (logfmt || url) ? fix('Add timezone=UTC (or the zone the database stores times in)', false, [setDsnParam(dsn, site.dsn, undefined, 'timezone', 'UTC')]) : undefined,
  };

  return {
    site,
    driver: site.driver,
    driverLabel: label,
    consumerKnown: known,
    dbms: 'oracle',
    dsn,
    host: hi.host,
    provider: hi.provider,
    locality: hi.locality,
    tls,
    auth: { password, tokenAuth, user },
    pool: goPoolPosture(site),
    timezoneUnset,
    dangerous: [],
    invalid: (dsn?.errors ?? []).map((e) => ({ range: e.range, message: `${label}: ${e.message}`, fixes: [] })),
    remedies,
  };
}
