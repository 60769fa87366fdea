/**
 * MySQL / MariaDB probe (SPEC §4): the server greeting read by hand (protocol 10, capability
 * CLIENT_SSL), the 32-byte SSL request and the observing TLS handshake, authentication with the
 * real `mysql2` driver under the consuming driver's TLS policy, server-side checks, and the
 * enforcement probe (a plaintext handshake response carrying the user name and no auth data).
 *
 * Protocol facts (MySQL client/server protocol, "Connection Phase"):
 * - Packet: 3-byte little-endian payload length, 1-byte sequence id, payload.
 * - Greeting v10: 0x0a, server version (NUL), thread id (4), auth data 1 (8), filler, capability
 *   flags low (2), charset, status (2), capability flags high (2), … An 0xff first byte is an
 *   ERR packet (e.g. 1130 host not allowed).
 * - SSLRequest: capability flags (4, with CLIENT_SSL), max packet (4), charset (1), 23 zero bytes.
 * - Responses: 0x00 OK, 0xff ERR (code LE16, '#', SQLSTATE, message), 0xfe auth switch.
 */
import * as net from 'node:net';
import type { Connection, ConnectionOptions } from 'mysql2/promise';
import { ProbeContext, ProtocolResult } from './index';
import { connectTcp, SocketReader, StepFailure, StepOutcome } from './steps';
import { driverTlsOptions, explainTlsError, handshakeSteps, isTlsErrorCode } from './tls';
import { ProbeTarget, TlsObservation } from './types';

const CLIENT_LONG_PASSWORD = 0x1;
const CLIENT_PROTOCOL_41 = 0x200;
const CLIENT_SSL = 0x800;
const CLIENT_SECURE_CONNECTION = 0x8000;
const CLIENT_PLUGIN_AUTH = 0x80000;
const UTF8MB4_GENERAL_CI = 45;

/** MySQL ER_SECURE_TRANSPORT_REQUIRED and MariaDB's equivalent. */
const SECURE_TRANSPORT_ERRNOS = new Set([3159, 4036]);

interface Greeting {
  readonly protocol: number;
  readonly serverVersion: string;
  readonly capabilities: number;
}

function packet(seq: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(4);
  h.writeUIntLE(payload.length, 0, 3);
  h[3] = seq;
  return Buffer.concat([h, payload]);
}

async function readPacket(reader: SocketReader, signal: AbortSignal): Promise<Buffer> {
  const h = await reader.read(4, signal);
  const len = h.readUIntLE(0, 3);
  return reader.read(len, signal);
}

function parseErr(p: Buffer): { errno: number; message: string } {
  const errno = p.readUInt16LE(1);
  let i = 3;
  if (p[i] === 0x23 /* # */) i += 6;
  return { errno, message: p.toString('utf8', i) };
}

async function readGreeting(reader: SocketReader, signal: AbortSignal): Promise<Greeting> {
  const p = await readPacket(reader, signal);
  if (p[0] === 0xff) {
    const e = parseErr(p);
    throw new StepFailure(`The server refused the connection before the handshake (${e.errno}: ${e.message}).`, { Error: String(e.errno) });
  }
  if (p[0] !== 10) throw new StepFailure(`Unexpected greeting (protocol ${p[0]}): this is probably not a MySQL/MariaDB server.`);
  const nul = p.indexOf(0, 1);
  const serverVersion = p.toString('latin1', 1, nul);
  let i = nul + 1 + 4 + 8 + 1;
  const low = p.readUInt16LE(i);
  i += 2 + 1 + 2;
  const high = i + 2 <= p.length ? p.readUInt16LE(i) : 0;
  return { protocol: 10, serverVersion, capabilities: (low | (high << 16)) >>> 0 };
}

function fixedHeader(capabilities: number): Buffer {
  const b = Buffer.alloc(32);
  b.writeUInt32LE(capabilities >>> 0, 0);
  b.writeUInt32LE(16 * 1024 * 1024, 4);
  b[8] = UTF8MB4_GENERAL_CI;
  return b;
}

const BASE_CAPS = CLIENT_LONG_PASSWORD | CLIENT_PROTOCOL_41 | CLIENT_SECURE_CONNECTION | CLIENT_PLUGIN_AUTH;

/** The mysql2 options that imitate the consuming driver (exported for tests). */
export function mysqlClientOptions(target: ProbeTarget, password: string | undefined, ssl: boolean, connectTimeout: number): ConnectionOptions {
  const tlsOpts = driverTlsOptions(target.tls, target.host);
  const o: ConnectionOptions = {
    host: target.host,
    port: target.port,
    user: target.user,
    database: target.database,
    password,
    connectTimeout,
    ssl: ssl ? { ca: tlsOpts.ca as string | undefined, rejectUnauthorized: target.tls.verifyChain, verifyIdentity: target.tls.verifyHostname, minVersion: target.tls.minVersion } : undefined,
  };
  if (target.auth.kind === 'rds-iam' && password !== undefined) {
    // RDS IAM for MySQL needs the cleartext plugin; the token goes as the password, over TLS only.
    const token = password;
    return { ...o, authPlugins: { mysql_clear_password: () => () => Buffer.from(`${token}\0`) } };
  }
  return o;
}

interface MysqlError extends Error {
  errno?: number;
  code?: string;
  sqlMessage?: string;
}

export function explainMysqlError(e: MysqlError, target: ProbeTarget, overTls: boolean): string {
  const msg = e.sqlMessage ?? e.message ?? String(e);
  if (e.errno === 1045) {
    if (target.auth.kind === 'rds-iam') {
      return `The server rejected the IAM token for "${target.user}" (1045). Check that the user was created IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS', that the IAM policy allows rds-db:connect, and that this machine's clock is right.`;
    }
    const plain = overTls ? '' : ' This connection did not use TLS: MariaDB answers "access denied" also when require_secure_transport=ON refuses a plaintext session, so enable TLS before suspecting the password.';
    return `Access denied for "${target.user}" (1045): wrong password, or the user is not allowed from this host.${plain}`;
  }
  if (e.errno !== undefined && SECURE_TRANSPORT_ERRNOS.has(e.errno) || /insecure transport|secure_transport/i.test(msg)) {
    return `The server requires TLS (require_secure_transport=ON) and the driver connected without it (${e.errno ?? e.code}): enable TLS in the client (ssl: { ca, verifyIdentity: true } / tls=true).`;
  }
  if (e.errno === 1049) return `The database "${target.database}" does not exist (1049).`;
  if (e.code === 'HANDSHAKE_NO_SSL_SUPPORT') return 'The server does not support TLS and the driver requires it.';
  if (e.code === 'MYSQL_CLEAR_PASSWORD_NOT_ENABLED') return 'The server asked for the cleartext password plugin, which the driver has disabled.';
  if (isTlsErrorCode(e.code) || e.code === 'EPROTO' || /SSL routines|alert/i.test(msg)) return `The driver refused the TLS connection: ${explainTlsError(e, target.host)}`;
  if (e.code === 'ETIMEDOUT') return 'The driver timed out connecting.';
  return `${msg}${e.errno ? ` (${e.errno})` : e.code ? ` (${e.code})` : ''}`;
}

export async function probeMysqlProtocol(ctx: ProbeContext, socket: net.Socket): Promise<ProtocolResult> {
  const { target, runner, opts } = ctx;
  const policy = target.tls;
  const label = target.driverLabel;
  let observation: TlsObservation | undefined;

  /* ---- Greeting and SSL request */
  const reader = new SocketReader(socket);
  const neg = await runner.run('tls-negotiation', 'TLS negotiation (server greeting, SSL request)', ['C1'], async (signal) => {
    const g = await readGreeting(reader, signal);
    const sslOffered = (g.capabilities & CLIENT_SSL) !== 0;
    const facts = { 'Server version': g.serverVersion, 'CLIENT_SSL offered': sslOffered ? 'yes' : 'no' };
    if (policy.mode === 'off') {
      return { status: 'warn', explanation: `${label} with these settings never asks for TLS: the session, including authentication, is plaintext.${sslOffered ? ' The server offers TLS.' : ''}`, facts, value: { sslOffered, useTls: false } };
    }
    if (!sslOffered) {
      if (policy.mode === 'prefer') return { status: 'warn', explanation: `The server does not offer TLS; ${label} continues in plaintext.`, facts, value: { sslOffered, useTls: false } };
      throw new StepFailure(`The server does not offer TLS (no CLIENT_SSL capability) and ${label} requires it.`, facts);
    }
    socket.write(packet(1, fixedHeader(BASE_CAPS | CLIENT_SSL)));
    return { status: 'ok', explanation: 'The server offers TLS (CLIENT_SSL); sent the SSL request.', facts, value: { sslOffered, useTls: true } };
  });
  const sslOffered = neg.value?.sslOffered === true;
  if (neg.value?.useTls) {
    reader.detach();
    observation = await handshakeSteps(runner, socket, target.host, policy, label);
  } else {
    socket.destroy();
  }

  /* ---- Authentication with mysql2 */
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mysql = require('mysql2/promise') as typeof import('mysql2/promise');
  let conn: Connection | undefined;
  const wantTls = policy.mode === 'require' || (policy.mode === 'prefer' && sslOffered);
  const auth = await runner.run('authentication', label === 'mysql2' ? 'Authenticate with mysql2' : `Authenticate with mysql2 (imitating ${label})`, target.auth.kind === 'rds-iam' ? ['C8', 'C10'] : [], async (signal) => {
    const facts: Record<string, string> = {
      Method: target.auth.kind === 'rds-iam' ? 'RDS IAM token via mysql_clear_password' : target.auth.kind === 'password' && target.auth.password !== undefined ? 'password' : 'no password',
      Transport: wantTls ? 'TLS' : 'plaintext',
    };
    if (target.auth.kind === 'rds-iam' && !wantTls) {
      throw new StepFailure('RDS IAM authentication for MySQL sends the token with the cleartext plugin; the probe refuses to send it without TLS (enable TLS with verification).', facts);
    }
    const password = await ctx.credential();
    const onAbort = (): void => conn?.destroy();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      conn = await mysql.createConnection(mysqlClientOptions(target, password, wantTls, opts.stepTimeoutMs));
      conn.on('error', () => undefined);
      const c = conn;
      runner.own({ destroy: () => c.destroy() });
    } catch (e) {
      throw new StepFailure(explainMysqlError(e as MysqlError, target, wantTls), facts);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
    if (!wantTls) return { status: 'warn', explanation: `Authenticated as "${target.user}", but without TLS: credentials and data crossed the network in plaintext.`, facts };
    return { status: 'ok', explanation: `Authenticated as "${target.user}" over TLS.`, facts };
  });
  const connected = auth.status === 'ok' || auth.status === 'warn';

  /* ---- Server-side checks */
  let requireSecureTransport: string | undefined;
  if (connected && conn) {
    const c = conn;
    await runner.run('server-checks', 'Server-side checks', ['C1'], async () => {
      const facts: Record<string, string> = {};
      const one = async (sql: string): Promise<string | undefined> => {
        const [rows] = await c.query(sql);
        const r = (rows as Array<Record<string, unknown>>)[0];
        return r ? String(r.Value ?? Object.values(r)[0]) : undefined;
      };
      facts['Server version'] = (await one('SELECT VERSION() AS Value')) ?? '?';
      const sslVersion = (await one("SHOW SESSION STATUS LIKE 'Ssl_version'")) ?? '';
      const sslCipher = (await one("SHOW SESSION STATUS LIKE 'Ssl_cipher'")) ?? '';
      const rst = (await one("SHOW GLOBAL VARIABLES LIKE 'require_secure_transport'")) ?? 'not available';
      facts.Ssl_version = sslVersion || '(empty: not encrypted)';
      facts.Ssl_cipher = sslCipher || '(empty)';
      facts.require_secure_transport = rst;
      requireSecureTransport = rst.toUpperCase();
      const enforce = rst.toUpperCase() === 'ON' ? ' The server enforces TLS (require_secure_transport=ON).' : ' The server does not enforce TLS for other clients (require_secure_transport is not ON).';
      if (sslVersion) return { status: rst.toUpperCase() === 'ON' ? 'ok' : 'warn', explanation: `The server confirms this session is encrypted (${sslVersion}).${enforce}`, facts };
      return { status: 'warn', explanation: `The server reports this session as NOT encrypted (Ssl_version is empty).${enforce}`, facts };
    });
  } else {
    runner.skip('server-checks', 'Server-side checks', 'Not run: not authenticated.', ['C1']);
  }
  if (conn) {
    const c = conn;
    await Promise.race([c.end().catch(() => undefined), new Promise((r) => setTimeout(r, 500).unref())]);
    c.destroy();
  }

  /* ---- Enforcement probe */
  if (!opts.enforcementProbe) {
    runner.skip('enforcement', 'Does the server refuse plaintext?', 'Not run (--no-enforcement).', ['C1']);
  } else {
    await runner.run('enforcement', 'Does the server refuse plaintext?', ['C1'], (signal) => enforcementProbe(ctx, signal, requireSecureTransport));
  }
  return { connected, tlsUsed: connected && wantTls, tls: observation };
}

/** A plaintext handshake response with the user name and no auth data; closed right after the answer. */
/*
 * MySQL and MariaDB decide require_secure_transport only after the credentials are checked
 * (MariaDB 10.11 then answers 1045 "access denied", whatever the password): a probe without
 * credentials sees the same answer from an enforcing and a non-enforcing server. The verdict
 * therefore combines the probe (the server did not refuse before authentication) with the
 * require_secure_transport value read in the authenticated session, and says so.
 */
async function enforcementProbe(ctx: ProbeContext, signal: AbortSignal, requireSecureTransport: string | undefined): Promise<StepOutcome> {
  const { target, runner } = ctx;
  const socket = await connectTcp(runner, target.host, target.port, signal);
  try {
    const reader = new SocketReader(socket);
    await readGreeting(reader, signal);
    const user = target.user ?? 'connguard_probe';
    const payload = Buffer.concat([fixedHeader(BASE_CAPS), Buffer.from(`${user}\0`), Buffer.from([0]), Buffer.from('mysql_native_password\0')]);
    socket.write(packet(1, payload));
    const p = await readPacket(reader, signal);
    const facts: Record<string, string> = { Sent: 'handshake response without TLS and without auth data' };
    if (p[0] === 0xff) {
      const e = parseErr(p);
      facts['Server answer'] = `${e.errno} ${e.message}`;
      if (SECURE_TRANSPORT_ERRNOS.has(e.errno) || /insecure transport|secure_transport/i.test(e.message)) {
        return { status: 'ok', explanation: 'The server refuses insecure transport: a client that forgets TLS cannot connect.', facts };
      }
      return afterCredentials(`answered ${e.errno} to a plaintext login without credentials`, requireSecureTransport, facts);
    }
    facts['Server answer'] = p[0] === 0x00 ? 'OK (logged in without a password!)' : p[0] === 0xfe ? 'authentication switch request' : `packet 0x${p[0].toString(16)}`;
    if (p[0] === 0x00) return { status: 'warn', explanation: 'The server accepted a plaintext login without a password: it accepts plaintext sessions (and this user has no password). Set require_secure_transport=ON.', facts };
    return afterCredentials('continued the authentication without TLS (the probe closed the connection)', requireSecureTransport, facts);
  } finally {
    socket.destroy();
    runner.release(socket);
  }
}

function afterCredentials(what: string, rst: string | undefined, facts: Record<string, string>): StepOutcome {
  facts.require_secure_transport = rst ?? 'unknown (not authenticated)';
  if (rst === 'ON') {
    return { status: 'ok', explanation: `The server ${what}; it checks transport after the credentials, and require_secure_transport=ON makes it refuse plaintext sessions.`, facts };
  }
  if (rst === undefined) {
    return { status: 'warn', explanation: `Inconclusive: the server ${what}. MySQL/MariaDB check require_secure_transport only after the credentials, and the probe could not read it (not authenticated).`, facts };
  }
  return { status: 'warn', explanation: `The server ${what} and require_secure_transport is ${rst}: it accepts plaintext sessions. Set require_secure_transport=ON.`, facts };
}
