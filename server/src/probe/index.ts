/**
 * Test connection (SPEC §4): `runProbe` runs the steps for one target and returns the report.
 * Shared steps live here (resolve, DNS, TCP); the protocol steps live in postgres.ts, mysql.ts
 * and mssql.ts (SQL Server, maintained separately and loaded only when present).
 *
 * Architecture invariants:
 * - A failure is a report, never an exception: `runProbe` resolves for every input.
 * - No secret leaves the probe: every password and token the probe holds is registered with the
 *   Redactor before it is used, and every step text passes through it.
 * - The probe imports no `vscode` and no LSP types.
 */
import * as net from 'node:net';
import { Redactor, resolveHost, StepRunner, tcpStep } from './steps';
import { ProbeOptions, ProbeReport, ProbeTarget, TlsObservation } from './types';

export * from './types';

/** What a protocol probe tells the report beyond its steps. */
export interface ProtocolResult {
  readonly connected: boolean;
  /** The authenticated connection used TLS. */
  readonly tlsUsed: boolean;
  readonly tls?: TlsObservation;
}

/** A minter of RDS IAM tokens (the shape of @aws-sdk/rds-signer's Signer). */
export interface TokenSigner {
  getAuthToken(): Promise<string>;
}

/** Injection points for tests and embedders; the defaults use the real SDKs. */
export interface ProbeDeps {
  /** Builds an RDS IAM signer; default: `new Signer({...})` with the default credential chain. */
  readonly rdsSigner?: (o: { hostname: string; port: number; username: string; region: string }) => TokenSigner;
}

/** Everything a protocol probe needs. */
export interface ProbeContext {
  readonly target: ProbeTarget;
  readonly opts: ProbeOptions;
  readonly runner: StepRunner;
  readonly redactor: Redactor;
  /** The password to send on one new connection: a fresh IAM token each call. Registered with the redactor. */
  readonly credential: () => Promise<string | undefined>;
}

export type ProtocolProbe = (ctx: ProbeContext, socket: net.Socket) => Promise<ProtocolResult>;

function defaultSigner(o: { hostname: string; port: number; username: string; region: string }): TokenSigner {
  // Loaded on first use: the AWS SDK is large and most tests never need it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Signer } = require('@aws-sdk/rds-signer') as typeof import('@aws-sdk/rds-signer');
  return new Signer(o);
}

function makeCredential(target: ProbeTarget, redactor: Redactor, deps: ProbeDeps): () => Promise<string | undefined> {
  const auth = target.auth;
  if (auth.kind === 'password') {
    redactor.add(auth.password);
    return async () => auth.password;
  }
  if (auth.kind === 'rds-iam') {
    const signer = (deps.rdsSigner ?? defaultSigner)({ hostname: target.host, port: target.port, username: target.user ?? '', region: auth.region });
    return async () => {
      const token = await signer.getAuthToken();
      redactor.add(token);
      return token;
    };
  }
  return async () => undefined;
}

function loadProtocol(dbms: ProbeTarget['dbms']): ProtocolProbe | string {
  switch (dbms) {
    case 'postgres':
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return (require('./postgres') as typeof import('./postgres')).probePostgresProtocol;
    case 'mysql':
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return (require('./mysql') as typeof import('./mysql')).probeMysqlProtocol;
    case 'sqlserver':
      return 'sqlserver';
  }
}

/** SQL Server has its own entry point (probe/mssql.ts), loaded only when it exists. */
async function runSqlServer(target: ProbeTarget, opts: ProbeOptions): Promise<ProbeReport | undefined> {
  let mod: { probeSqlServer?: (t: ProbeTarget, o: ProbeOptions) => Promise<ProbeReport> } | undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require('./mssql');
  } catch {
    mod = undefined;
  }
  return mod?.probeSqlServer ? mod.probeSqlServer(target, opts) : undefined;
}

function summary(target: ProbeTarget): ProbeReport['target'] {
  return { dbms: target.dbms, host: target.host, port: target.port, driverLabel: target.driverLabel, user: target.user, database: target.database };
}

export async function runProbe(target: ProbeTarget, opts: ProbeOptions, deps: ProbeDeps = {}): Promise<ProbeReport> {
  const started = performance.now();
  if (target.dbms === 'sqlserver') {
    const r = await runSqlServer(target, opts).catch(() => undefined);
    if (r) return r;
  }
  const redactor = new Redactor();
  const runner = new StepRunner(opts, redactor);
  let result: ProtocolResult = { connected: false, tlsUsed: false };
  try {
    result = await runSteps(target, opts, deps, runner, redactor);
  } catch (e) {
    // Defence in depth: a bug in a protocol module still ends in a report.
    runner.skip('authentication', 'Internal error', `The test stopped on an internal error: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    runner.destroyAll();
  }
  const obs = result.tls;
  const verifiedTls =
    result.connected && result.tlsUsed && obs !== undefined && target.tls.verifyChain && target.tls.verifyHostname && obs.chainVerified && obs.hostnameMatches;
  return {
    target: summary(target),
    steps: runner.steps,
    tls: obs,
    verifiedTls,
    connected: result.connected,
    totalMs: Math.round(performance.now() - started),
    cancelled: runner.cancelled,
  };
}

async function runSteps(target: ProbeTarget, opts: ProbeOptions, deps: ProbeDeps, runner: StepRunner, redactor: Redactor): Promise<ProtocolResult> {
  const none: ProtocolResult = { connected: false, tlsUsed: false };
  const protocol = loadProtocol(target.dbms);
  const credential = makeCredential(target, redactor, deps);

  const resolved = await runner.run('resolve', 'Resolve settings and credentials', [], async () => {
    const facts: Record<string, string> = {
      Driver: target.driverLabel,
      'TLS policy': `${target.tls.mode}; chain ${target.tls.verifyChain ? 'verified' : 'not verified'}; hostname ${target.tls.verifyHostname ? 'verified' : 'not verified'}`,
      'CA source': target.tls.caSource,
    };
    if (target.user !== undefined) facts.User = target.user;
    if (target.database !== undefined) facts.Database = target.database;
    if (typeof protocol === 'string') {
      return { status: 'fail', explanation: 'SQL Server testing is not available in this build (probe/mssql.ts is missing).', facts };
    }
    const a = target.auth;
    switch (a.kind) {
      case 'password':
        facts.Password = a.password === undefined ? 'none' : `from ${a.source}`;
        return { status: 'ok', explanation: a.password === undefined ? 'No password: the server must accept the user without one.' : `Password from ${a.source}.`, facts };
      case 'rds-iam': {
        facts.Authentication = `RDS IAM token (region ${a.region})`;
        try {
          await credential();
        } catch (e) {
          const m = e instanceof Error ? e.message : String(e);
          return { status: 'fail', explanation: `Cannot mint an RDS IAM token: ${m}. Check the AWS credentials (AWS_PROFILE, environment, SSO, instance role).`, facts };
        }
        return { status: 'ok', explanation: 'RDS IAM tokens can be minted with the default AWS credential chain; a fresh token is used for every connection.', facts };
      }
      case 'entra':
        return { status: 'fail', explanation: 'Microsoft Entra tokens are supported for SQL Server only.', facts };
      case 'none':
        return { status: 'ok', explanation: 'No credentials configured.', facts };
    }
  });
  if (resolved.status === 'fail' || resolved.status === 'skipped' || typeof protocol === 'string') return none;

  const addrs = await runner.run('dns', `Resolve ${target.host}`, [], (signal) => resolveHost(target.host, signal));
  if (!addrs.value) return none;
  const address = addrs.value.addresses[0];
  const tcp = await runner.run('tcp', `Connect to ${target.host}:${target.port}`, [], (signal) => tcpStep(runner, address, target.port, signal));
  if (!tcp.value) return none;
  return protocol({ target, opts, runner, redactor, credential }, tcp.value);
}
