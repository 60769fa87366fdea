/**
 * PostgreSQL probe (SPEC §4): TLS negotiation by hand (SSLRequest → 'S'/'N'), the observing TLS
 * handshake, authentication with the real `pg` driver under the consuming driver's TLS policy,
 * server-side checks and the enforcement probe (a plaintext StartupMessage without credentials).
 *
 * Protocol facts (PostgreSQL docs, "Message Flow" / "Message Formats"):
 * - SSLRequest: Int32 8, Int32 80877103; the server answers one byte, 'S' or 'N' ('E' from
 *   servers older than 7.x or when the request is not understood).
 * - StartupMessage: Int32 length, Int32 196608 (3.0), then name/value C strings, then a NUL.
 *   The server answers 'R' (an authentication request — we never answer it) or 'E'
 *   (ErrorResponse: fields 'S' severity, 'C' SQLSTATE, 'M' message, each a C string).
 */
import * as net from 'node:net';
import type { Client, ClientConfig } from 'pg';
import { ProbeContext, ProtocolResult } from './index';
import { SocketReader, StepFailure, StepOutcome } from './steps';
import { driverTlsOptions, explainTlsError, handshakeSteps, isTlsErrorCode } from './tls';
import { ProbeTarget, TlsObservation } from './types';
import { connectTcp } from './steps';
import { detectProvider } from '../engine/profile/provider';

const SSL_REQUEST_CODE = 80877103;
const PROTOCOL_3_0 = 196608;

function sslRequest(): Buffer {
  const b = Buffer.alloc(8);
  b.writeInt32BE(8, 0);
  b.writeInt32BE(SSL_REQUEST_CODE, 4);
  return b;
}

export function startupMessage(user: string, database: string | undefined): Buffer {
  const parts = [Buffer.from('user\0'), Buffer.from(`${user}\0`)];
  if (database) parts.push(Buffer.from('database\0'), Buffer.from(`${database}\0`));
  parts.push(Buffer.from('application_name\0connguard-probe\0'), Buffer.from([0]));
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(8);
  head.writeInt32BE(8 + body.length, 0);
  head.writeInt32BE(PROTOCOL_3_0, 4);
  return Buffer.concat([head, body]);
}

/** Fields of an ErrorResponse body. */
function errorFields(body: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < body.length && body[i] !== 0) {
    const type = String.fromCharCode(body[i]);
    const end = body.indexOf(0, i + 1);
    if (end === -1) break;
    out[type] = body.toString('utf8', i + 1, end);
    i = end + 1;
  }
  return out;
}

/** The pg driver configuration that imitates the consuming driver (exported for tests). */
export function pgClientConfig(target: ProbeTarget, password: ClientConfig['password'], ssl: boolean, connectionTimeoutMillis: number, address?: string): ClientConfig {
  return {
    // The address the probe already resolved, when given; TLS still checks the host name (servername).
    host: address ?? target.host,
    port: target.port,
    user: target.user,
    database: target.database ?? target.user,
    password,
    ssl: ssl ? driverTlsOptions(target.tls, target.host) : false,
    connectionTimeoutMillis,
    application_name: 'connguard-probe',
  };
}

interface PgError extends Error {
  code?: string;
}

/** A driver error in words, with the cause when the SQLSTATE says it. */
export function explainPgError(e: PgError, target: ProbeTarget, overTls: boolean): string {
  const iam = target.auth.kind === 'rds-iam';
  const msg = e.message ?? String(e);
  switch (e.code) {
    case '28P01':
      return iam
        ? `The server rejected the IAM token for user "${target.user}" (28P01). Check that the IAM policy allows rds-db:connect for this user, and that this machine's clock is right (tokens are signed with the current time).`
        : `Wrong password for user "${target.user}" (28P01 invalid_password).`;
    case '28000': {
      if (/PAM authentication failed/i.test(msg)) {
        return `IAM authentication failed for "${target.user}": the user is probably not granted rds_iam (GRANT rds_iam TO "${target.user}"), the token is for another user or host, or the clock is skewed.`;
      }
      if (/no encryption/i.test(msg) || /hostnossl/i.test(msg)) {
        return `The server refuses plaintext connections for this user and database (28000: ${msg}). The driver did not use TLS: enable it (sslmode=verify-full).`;
      }
      return `The server has no pg_hba.conf entry that admits this connection (28000: ${msg}).${overTls ? '' : ' Without TLS, hostssl lines do not match.'}`;
    }
    case '3D000':
      return `The database "${target.database ?? target.user}" does not exist (3D000).`;
    case '53300':
      return 'The server has no free connection slots (53300 too_many_connections).';
    case '57P03':
      return 'The server is starting up or shutting down (57P03).';
  }
  if (/server does not support SSL/i.test(msg)) return 'The server does not support TLS (it answered N to the SSLRequest) and the driver requires it.';
  if (isTlsErrorCode(e.code) || e.code === 'EPROTO' || /SSL routines|alert/i.test(msg)) return `The driver refused the TLS connection: ${explainTlsError(e, target.host)}`;
  if (/timeout/i.test(msg)) return `The driver timed out: ${msg}.`;
  return `${msg}${e.code ? ` (${e.code})` : ''}`;
}

/**
 * Ends a driver session without waiting for the server to close the socket: Terminate is sent
 * now; the socket closes on its own, and the runner destroys whatever is left when the probe ends.
 */
function closeQuietly(c: Client | undefined): void {
  if (c) void c.end().catch(() => undefined);
}

let pgModule: typeof import('pg') | undefined;

/**
 * The `pg` driver, loaded on first use (the CLI keeps it external). pg decides at load time
 * whether it runs in a Cloudflare Worker; on Node 20, which has no global `navigator`, that test
 * constructs a `Response` and so loads Node's whole fetch implementation (undici: ~20 ms, a third
 * of a local probe). A `navigator` like Node ≥ 21's own is visible to that check only, for the
 * duration of the synchronous require, and removed afterwards.
 */
export function loadPg(): typeof import('pg') {
  if (pgModule) return pgModule;
  const g = globalThis as { navigator?: unknown };
  const shim = g.navigator === undefined && !Object.getOwnPropertyDescriptor(globalThis, 'navigator');
  if (shim) Object.defineProperty(globalThis, 'navigator', { value: { userAgent: `Node.js/${process.versions.node.split('.')[0]}` }, configurable: true, writable: true });
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    pgModule = require('pg') as typeof import('pg');
  } finally {
    if (shim) delete g.navigator;
  }
  return pgModule;
}

/**
 * The step sequence. What waits for what:
 * - The enforcement probe (its own plaintext connection, no credentials) depends on nothing and
 *   starts first, running concurrently with everything else; it is recorded last, as before.
 * - Authentication depends only on the TLS negotiation (whether `prefer` gets TLS), not on the
 *   observing handshake: the driver applies its own TLS policy and refuses what the application
 *   would refuse, so it starts as soon as the server has answered the SSLRequest and runs while
 *   the observing handshake and the certificate step complete.
 * - Every connection goes to the address the TCP step connected to (no second DNS lookup); the
 *   driver's certificate check still uses the host name (SNI/servername), as the application's would.
 */
export async function probePostgresProtocol(ctx: ProbeContext, socket: net.Socket): Promise<ProtocolResult> {
  const { target, runner, opts } = ctx;
  const policy = target.tls;
  const label = target.driverLabel;
  const address = socket.remoteAddress ?? target.host;
  let observation: TlsObservation | undefined;
  let serverOffersTls = false;
  const pg = loadPg();

  /* ---- Enforcement probe: plaintext StartupMessage, no password (concurrent, recorded last) */
  const enforcement = opts.enforcementProbe ? runner.start('enforcement', 'Does the server refuse plaintext?', ['C1'], (signal) => enforcementProbe(ctx, address, signal)) : undefined;

  /* ---- TLS negotiation: SSLRequest on the raw socket */
  let handshake: Promise<TlsObservation | undefined> = Promise.resolve(undefined);
  if (policy.mode === 'off') {
    await runner.run('tls-negotiation', 'TLS negotiation (SSLRequest)', ['C1'], async () => ({
      status: 'warn',
      explanation: `${label} with these settings never asks for TLS (sslmode=disable or equivalent): the session, including the password exchange, is plaintext.`,
      facts: { 'TLS requested': 'no' },
    }));
    socket.destroy();
  } else {
    const reader = new SocketReader(socket);
    const neg = await runner.run('tls-negotiation', 'TLS negotiation (SSLRequest)', ['C1'], async (signal) => {
      socket.write(sslRequest());
      const answer = String.fromCharCode((await reader.read(1, signal))[0]);
      if (answer === 'S') return { status: 'ok', explanation: 'The server accepts TLS (answered S to the SSLRequest).', facts: { 'Server answer': 'S' }, value: true };
      if (answer === 'N') {
        if (policy.mode === 'prefer')
          return { status: 'warn', explanation: `The server does not offer TLS (answered N); ${label} falls back to plaintext.`, facts: { 'Server answer': 'N' }, value: false };
        throw new StepFailure(`The server does not offer TLS (answered N to the SSLRequest; ssl=off on the server) and ${label} requires it.`, { 'Server answer': 'N' });
      }
      throw new StepFailure(`Unexpected answer ${JSON.stringify(answer)} to the SSLRequest: this is probably not a PostgreSQL server.`);
    });
    serverOffersTls = neg.value === true;
    if (serverOffersTls) {
      reader.detach();
      handshake = handshakeSteps(runner, socket, target.host, policy, label);
    } else {
      socket.destroy();
    }
  }

  /* ---- Authentication with the real driver (concurrent with the observing handshake) */
  let client: Client | undefined;
  let tlsUsed = false;
  const tryConnect = async (ssl: boolean, signal: AbortSignal): Promise<Client> => {
    const hasSecret = target.auth.kind === 'rds-iam' || (target.auth.kind === 'password' && target.auth.password !== undefined);
    const password = hasSecret ? async (): Promise<string> => (await ctx.credential()) ?? '' : undefined;
    const c = new pg.Client(pgClientConfig(target, password, ssl, opts.stepTimeoutMs, address));
    c.on('error', () => undefined);
    runner.own({ destroy: () => void c.end().catch(() => undefined) });
    const onAbort = (): void => void c.end().catch(() => undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      await c.connect();
      return c;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  };
  const authStep = runner.start('authentication', `Authenticate with ${label === 'node-postgres (pg)' ? 'pg' : `pg (imitating ${label})`}`, target.auth.kind === 'rds-iam' ? ['C8'] : [], async (signal) => {
    const method = target.auth.kind === 'rds-iam' ? 'RDS IAM token as the password' : target.auth.kind === 'password' && target.auth.password !== undefined ? 'password' : 'no password';
    const facts: Record<string, string> = { Method: method };
    const wantTls = policy.mode !== 'off' && (policy.mode === 'require' || serverOffersTls);
    try {
      client = await tryConnect(wantTls, signal);
      tlsUsed = wantTls;
    } catch (e) {
      const err = e as PgError;
      // pgx/libpq `prefer`: any failure of the TLS attempt other than a refused password is retried in plaintext.
      if (wantTls && policy.mode === 'prefer' && err.code !== '28P01' && !signal.aborted) {
        facts['TLS attempt'] = `failed: ${explainPgError(err, target, true)}`;
        try {
          client = await tryConnect(false, signal);
        } catch (e2) {
          throw new StepFailure(explainPgError(e2 as PgError, target, false), facts);
        }
      } else {
        throw new StepFailure(explainPgError(err, target, wantTls), facts);
      }
    }
    facts.Transport = tlsUsed ? 'TLS' : 'plaintext';
    const creds = target.auth.kind === 'rds-iam' ? 'the IAM token' : 'the password';
    if (!tlsUsed) {
      return { status: 'warn', explanation: `Authenticated as "${target.user}", but without TLS: ${creds} and all data crossed the network in plaintext.`, facts };
    }
    return { status: 'ok', explanation: `Authenticated as "${target.user}" over TLS (${method}).`, facts };
  });
  // The handshake and certificate steps record themselves first, then authentication: report order is unchanged.
  observation = await handshake;
  const auth = await authStep.result();
  const connected = auth.status === 'ok' || auth.status === 'warn';

  /* ---- Server-side checks: one round trip */
  if (connected && client) {
    const c = client;
    await runner.run('server-checks', 'Server-side checks', ['C1'], async () => {
      const facts: Record<string, string> = {};
      const s = await c.query<{ server_version: string; ssl: boolean | null; version: string | null; cipher: string | null; bits: number | null }>(
        'SELECT version() AS server_version, s.ssl, s.version, s.cipher, s.bits FROM (SELECT 1) AS one LEFT JOIN pg_stat_ssl AS s ON s.pid = pg_backend_pid()',
      );
      const row = s.rows[0];
      facts['Server version'] = row?.server_version ?? '?';
      facts['pg_stat_ssl.ssl'] = String(row?.ssl ?? 'unknown');
      if (row?.ssl) {
        facts['pg_stat_ssl.version'] = row.version ?? '?';
        facts['pg_stat_ssl.cipher'] = `${row.cipher ?? '?'} (${row.bits ?? '?'} bits)`;
      }
      if (detectProvider(target.host).kind === 'aws-rds') {
        try {
          const f = await c.query<{ 'rds.force_ssl': string }>('SHOW rds.force_ssl');
          facts['rds.force_ssl'] = String(Object.values(f.rows[0] ?? {})[0] ?? '?');
        } catch {
          facts['rds.force_ssl'] = 'not available';
        }
      }
      if (row?.ssl) return { status: 'ok', explanation: `The server confirms this session is encrypted (${row.version}).`, facts };
      return { status: 'warn', explanation: 'The server reports this session as NOT encrypted (pg_stat_ssl.ssl = false).', facts };
    });
  } else {
    runner.skip('server-checks', 'Server-side checks', 'Not run: not authenticated.', ['C1']);
  }
  closeQuietly(client);

  if (enforcement) await enforcement.result();
  else runner.skip('enforcement', 'Does the server refuse plaintext?', 'Not run (--no-enforcement).', ['C1']);
  return { connected, tlsUsed, tls: observation };
}

/** Plaintext start-up without SSLRequest and without credentials; closed before any password is asked. */
async function enforcementProbe(ctx: ProbeContext, address: string, signal: AbortSignal): Promise<StepOutcome> {
  const { target, runner } = ctx;
  const socket = await connectTcp(runner, address, target.port, signal);
  try {
    const reader = new SocketReader(socket);
    const user = target.user ?? 'connguard_probe';
    socket.write(startupMessage(user, target.database ?? user));
    const head = await reader.read(5, signal);
    const type = String.fromCharCode(head[0]);
    const len = head.readInt32BE(1);
    const body = await reader.read(Math.max(0, Math.min(len - 4, 64 * 1024)), signal);
    const facts: Record<string, string> = { 'Sent': 'StartupMessage without SSLRequest, no password' };
    if (type === 'E') {
      const f = errorFields(body);
      facts['Server answer'] = `${f.C ?? '?'} ${f.M ?? ''}`.trim();
      if (f.C === '28000' || /encryption|SSL/i.test(f.M ?? '')) {
        return { status: 'ok', explanation: 'The server refuses plaintext sessions for this user and database: a client that forgets TLS cannot connect.', facts };
      }
      return { status: 'warn', explanation: `The server answered a plaintext start-up with an error that is not about encryption (${f.C}): it may accept plaintext sessions for other users or databases.`, facts };
    }
    if (type === 'R') {
      const kind = body.length >= 4 ? body.readInt32BE(0) : -1;
      const names: Record<number, string> = { 0: 'no authentication (trust!)', 3: 'cleartext password', 5: 'MD5 password', 10: 'SASL (SCRAM)' };
      facts['Server answer'] = `authentication request: ${names[kind] ?? kind}`;
      const trust = kind === 0 ? ' It even admitted the session without a password (trust).' : '';
      return {
        status: 'warn',
        explanation: `The server accepts plaintext sessions: it asked for ${names[kind] ?? 'authentication'} without TLS (the probe closed the connection without answering). Reject plaintext with hostnossl … reject in pg_hba.conf, or rds.force_ssl=1 on RDS.${trust}`,
        facts,
      };
    }
    throw new StepFailure(`Unexpected answer ${JSON.stringify(type)} to a plaintext start-up.`);
  } finally {
    socket.destroy();
    runner.release(socket);
  }
}
