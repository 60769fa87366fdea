/**
 * Test connection for SQL Server (SPEC §4; driver facts in driver-semantics §3, §7, §9).
 *
 * Steps: resolve (password or Entra token) → DNS → TCP → PRELOGIN encryption negotiation →
 * TLS handshake *inside TDS* (chain, SNI, version; verified against the CA the driver would use)
 * → certificate → authentication with the real `mssql` (tedious) driver and `SELECT 1` →
 * server checks (`sys.dm_exec_connections.encrypt_option`, `auth_scheme`, `@@VERSION`) →
 * optional enforcement probe (a PRELOGIN that says ENCRYPT_NOT_SUP, no LOGIN7).
 *
 * Contracts:
 * - `probeSqlServer` resolves for every input: failures are report steps, never exceptions.
 * - The probe imitates the consuming driver's TLS settings: mode 'off' → tedious `encrypt:false`
 *   (PRELOGIN ENCRYPT_NOT_SUP); otherwise `encrypt:true` (ENCRYPT_ON); `verifyChain:false` →
 *   `trustServerCertificate:true`. A policy of mode 'require' means "TLS or refuse", so the probe
 *   never logs in without TLS then; for 'prefer' and 'off' it logs in as the driver would and
 *   says so (warn).
 * - The password and the Entra token are registered with the Redactor before use; no step text
 *   or fact carries them.
 * - Entra tokens come from `deps.tokenProvider` (tests) or `@azure/identity`
 *   DefaultAzureCredential for scope https://database.windows.net/.default, and are sent as a
 *   FEDAUTH SECURITYTOKEN feature extension in LOGIN7 (tedious `azure-active-directory-access-token`).
 */

import * as net from 'node:net';
import type * as mssqlTypes from 'mssql';
import { Redactor, SocketReader, StepFailure, StepOutcome, StepRunner, connectTcp, resolveHost, tcpStep } from './steps';
import { certificateStep } from './tls';
import { ProbeOptions, ProbeReport, ProbeTarget, StepId, TlsObservation } from './types';
import { HEADER_LENGTH, PacketType, STATUS_EOM, encodeMessage } from './tds/packet';
import { EncryptionFlag, PreloginFields, buildPrelogin, parsePrelogin } from './tds/prelogin';
import { observeTdsHandshake } from './tds/handshake';

/** Scope of Azure SQL Database / Managed Instance / Synapse / Fabric SQL tokens. */
export const ENTRA_SQL_SCOPE = 'https://database.windows.net/.default';

/** The shape of @azure/core-auth `TokenCredential` that the probe needs. */
export interface EntraTokenProvider {
  getToken(scopes: string | string[], options?: { abortSignal?: AbortSignal }): Promise<{ token: string; expiresOnTimestamp: number } | null>;
}

/** Injection points (tests); the defaults use the real SDKs. */
export interface SqlServerProbeDeps {
  /** Default: `new DefaultAzureCredential()` from @azure/identity, loaded on first use. */
  readonly tokenProvider?: EntraTokenProvider;
}

const SQL_ERROR_LOGIN_FAILED = 18456;
const SQL_ERROR_CANNOT_OPEN_DATABASE = 4060;

const ENCRYPTION_WORDS: Readonly<Record<EncryptionFlag, string>> = {
  ENCRYPT_REQ: 'requires encryption',
  ENCRYPT_ON: 'supports encryption',
  ENCRYPT_OFF: 'offers encryption of the login packet only',
  ENCRYPT_NOT_SUP: 'does not support encryption',
};

interface Credential {
  readonly kind: 'password' | 'entra' | 'none';
  readonly user?: string;
  readonly secret?: string;
}

interface LoggedIn {
  readonly pool: mssqlTypes.ConnectionPool;
}

export async function probeSqlServer(target: ProbeTarget, opts: ProbeOptions, deps: SqlServerProbeDeps = {}): Promise<ProbeReport> {
  const started = performance.now();
  const redactor = new Redactor();
  const runner = new StepRunner(opts, redactor);
  let connected = false;
  let tlsUsed = false;
  let observation: TlsObservation | undefined;
  const pools: mssqlTypes.ConnectionPool[] = [];
  try {
    ({ connected, tlsUsed, observation } = await runSteps(target, opts, deps, runner, redactor, pools));
  } catch (e) {
    // Defence in depth: a bug here still ends in a report.
    runner.skip('authentication', 'Internal error', `The test stopped on an internal error: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    runner.destroyAll();
    await Promise.all(pools.map((p) => p.close().catch(() => undefined)));
  }
  const verifiedTls =
    connected && tlsUsed && observation !== undefined && target.tls.verifyChain && target.tls.verifyHostname && observation.chainVerified && observation.hostnameMatches;
  return {
    target: { dbms: target.dbms, host: target.host, port: target.port, driverLabel: target.driverLabel, user: target.user, database: target.database },
    steps: runner.steps,
    tls: observation,
    verifiedTls,
    connected,
    totalMs: Math.round(performance.now() - started),
    cancelled: runner.cancelled,
  };
}

const TITLES: Readonly<Record<StepId, string>> = {
  resolve: 'Resolve settings and credentials',
  dns: 'Resolve the host name',
  tcp: 'Open a TCP connection',
  'tls-negotiation': 'Negotiate encryption (TDS PRELOGIN)',
  'tls-handshake': 'TLS handshake inside TDS',
  certificate: 'Server certificate',
  authentication: 'Log in with the real driver (mssql/tedious)',
  'server-checks': 'Server-side checks (sys.dm_exec_connections)',
  enforcement: 'Does the server refuse unencrypted connections?',
};

const VERIFIES: Readonly<Record<StepId, readonly string[]>> = {
  resolve: [],
  dns: [],
  tcp: [],
  'tls-negotiation': ['C1'],
  'tls-handshake': ['C4'],
  certificate: ['C2', 'C3', 'C5'],
  authentication: ['C8', 'C10'],
  'server-checks': ['C1'],
  enforcement: ['C1'],
};

function skipAll(runner: StepRunner, ids: readonly StepId[], why: string): void {
  for (const id of ids) runner.skip(id, TITLES[id], why, VERIFIES[id]);
}

async function runSteps(
  target: ProbeTarget,
  opts: ProbeOptions,
  deps: SqlServerProbeDeps,
  runner: StepRunner,
  redactor: Redactor,
  pools: mssqlTypes.ConnectionPool[],
): Promise<{ connected: boolean; tlsUsed: boolean; observation?: TlsObservation }> {
  const policy = target.tls;
  const encrypt = policy.mode !== 'off';
  const result: { connected: boolean; tlsUsed: boolean; observation?: TlsObservation } = { connected: false, tlsUsed: false };

  // 1. Resolve credentials.
  const resolved = await runner.run<Credential>('resolve', TITLES.resolve, VERIFIES.resolve, (signal) => resolveCredential(target, deps, redactor, signal));
  if (!resolved.value) {
    skipAll(runner, ['dns', 'tcp', 'tls-negotiation', 'tls-handshake', 'certificate', 'authentication', 'server-checks', 'enforcement'], 'Not run: the credentials could not be resolved.');
    return result;
  }
  const credential = resolved.value;

  // 2. DNS and TCP.
  const addrs = await runner.run('dns', `Resolve ${target.host}`, VERIFIES.dns, (signal) => resolveHost(target.host, signal));
  if (!addrs.value) {
    skipAll(runner, ['tcp', 'tls-negotiation', 'tls-handshake', 'certificate', 'authentication', 'server-checks', 'enforcement'], 'Not run: the host name did not resolve.');
    return result;
  }
  const address = addrs.value.addresses[0];
  const tcp = await runner.run('tcp', `Connect to ${target.host}:${target.port}`, VERIFIES.tcp, (signal) => tcpStep(runner, address, target.port, signal));
  if (!tcp.value) {
    skipAll(runner, ['tls-negotiation', 'tls-handshake', 'certificate', 'authentication', 'server-checks', 'enforcement'], 'Not run: no TCP connection.');
    return result;
  }
  const socket = tcp.value;

  // 3. PRELOGIN: what the driver asks for, what the server answers.
  const clientFlag: EncryptionFlag = encrypt ? 'ENCRYPT_ON' : 'ENCRYPT_NOT_SUP';
  const negotiation = await runner.run<{ tls: boolean; answer: EncryptionFlag }>('tls-negotiation', TITLES['tls-negotiation'], VERIFIES['tls-negotiation'], async (signal) => {
    const reader = new SocketReader(socket);
    const answer = await preloginExchange(socket, reader, clientFlag, signal);
    reader.detach();
    return judgeNegotiation(answer, target, clientFlag);
  });
  let loginAllowed = negotiation.value !== undefined;
  const tlsExpected = negotiation.value?.tls === true;

  // 4–5. TLS handshake inside TDS and the certificate.
  if (!negotiation.value) {
    skipAll(runner, ['tls-handshake', 'certificate'], 'Not run: encryption was not negotiated.');
  } else if (!tlsExpected) {
    socket.destroy();
    skipAll(runner, ['tls-handshake', 'certificate'], 'Not run: this connection would not use TLS.');
  } else {
    const handshake = await runner.run<TlsObservation>('tls-handshake', TITLES['tls-handshake'], VERIFIES['tls-handshake'], async (signal) => {
      const { socket: tlsSocket, observation } = await observeTdsHandshake(socket, target.host, policy, signal);
      tlsSocket.destroy();
      socket.destroy();
      const outdated = observation.protocol === 'TLSv1' || observation.protocol === 'TLSv1.1';
      const facts: Record<string, string> = {
        'TLS version': observation.protocol ?? 'unknown',
        Cipher: observation.cipher ?? 'unknown',
        SNI: observation.sni ?? '(none: IP address)',
        Transport: 'TLS records inside TDS PRELOGIN packets (TDS 7.x), as tedious and go-mssqldb do',
      };
      return {
        status: outdated ? 'warn' : 'ok',
        explanation: outdated
          ? `The server negotiated ${observation.protocol}, which is outdated: require TLS 1.2 on the server (minimal TLS version) and in the client.`
          : `TLS ${observation.protocol?.replace('TLSv', '') ?? ''} established with ${observation.cipher ?? 'an unknown cipher'}. Like tedious without encrypt:'strict', the probe offers at most TLS 1.2.`,
        facts,
        value: observation,
      };
    });
    if (!handshake.value) {
      loginAllowed = false;
      skipAll(runner, ['certificate'], 'Not run: no TLS handshake.');
    } else {
      result.observation = handshake.value;
      const cert = await runner.run('certificate', TITLES.certificate, VERIFIES.certificate, async () => {
        // The name tedious checks: serverName when set, else the host.
        const outcome = certificateStep(handshake.value as TlsObservation, policy, policy.servername ?? target.host, target.driverLabel);
        const facts = { ...(outcome.facts ?? {}), 'Driver setting': policy.verifyChain ? 'trustServerCertificate: false' : 'trustServerCertificate: true' };
        return { ...outcome, facts };
      });
      if (cert.status === 'fail') loginAllowed = false;
    }
  }
  socket.destroy();

  // 6. Authentication with the real driver.
  let loggedIn: LoggedIn | undefined;
  if (!loginAllowed) {
    runner.skip(
      'authentication',
      TITLES.authentication,
      negotiation.value ? 'Not run: the driver would not get past TLS with these settings, so no credentials were sent.' : 'Not run: encryption negotiation failed, so no credentials were sent.',
      VERIFIES.authentication,
    );
  } else {
    const auth = await runner.run<LoggedIn>('authentication', TITLES.authentication, VERIFIES.authentication, (signal) =>
      authenticate(target, opts, credential, encrypt, tlsExpected, pools, signal),
    );
    loggedIn = auth.value;
    if (loggedIn) {
      result.connected = true;
      result.tlsUsed = tlsExpected;
    }
  }

  // 7. Server-side checks over the driver's session.
  if (!loggedIn) {
    runner.skip('server-checks', TITLES['server-checks'], 'Not run: not logged in.', VERIFIES['server-checks']);
  } else {
    const pool = loggedIn.pool;
    await runner.run('server-checks', TITLES['server-checks'], VERIFIES['server-checks'], (signal) => serverChecks(pool, policy.mode, signal));
    await pool.close().catch(() => undefined);
  }

  // 8. Enforcement probe on a new connection.
  if (!opts.enforcementProbe) {
    runner.skip('enforcement', TITLES.enforcement, 'Not requested (enforcement probe off).', VERIFIES.enforcement);
  } else {
    await runner.run('enforcement', TITLES.enforcement, VERIFIES.enforcement, (signal) => enforcementProbe(runner, address, target, signal));
  }
  return result;
}

/* ------------------------------------------------------------------ resolve */

async function resolveCredential(target: ProbeTarget, deps: SqlServerProbeDeps, redactor: Redactor, signal: AbortSignal): Promise<StepOutcome<Credential>> {
  const policy = target.tls;
  const facts: Record<string, string> = {
    Driver: target.driverLabel,
    'Driver TLS settings': `encrypt: ${policy.mode !== 'off'}, trustServerCertificate: ${!policy.verifyChain}`,
    'TLS policy': `${policy.mode}; chain ${policy.verifyChain ? 'verified' : 'not verified'}; hostname ${policy.verifyHostname ? 'verified' : 'not verified'}`,
    'CA source': policy.caSource,
  };
  if (target.user !== undefined) facts.User = target.user;
  if (target.database !== undefined) facts.Database = target.database;
  const auth = target.auth;
  switch (auth.kind) {
    case 'password':
      redactor.add(auth.password);
      facts.Authentication = 'SQL login (user name and password)';
      facts.Password = auth.password === undefined ? 'none' : `from ${auth.source}`;
      return {
        status: 'ok',
        explanation: auth.password === undefined ? 'No password: the server must accept the login without one.' : `SQL login; password from ${auth.source}.`,
        facts,
        value: { kind: 'password', user: target.user, secret: auth.password },
      };
    case 'entra': {
      facts.Authentication = 'Microsoft Entra access token (FEDAUTH)';
      facts.Scope = ENTRA_SQL_SCOPE;
      let provider: EntraTokenProvider;
      try {
        provider = deps.tokenProvider ?? defaultTokenProvider();
      } catch (e) {
        return { status: 'fail', explanation: `Cannot load @azure/identity: ${e instanceof Error ? e.message : String(e)}.`, facts };
      }
      let token: { token: string; expiresOnTimestamp: number } | null;
      try {
        token = await provider.getToken(ENTRA_SQL_SCOPE, { abortSignal: signal });
      } catch (e) {
        if (signal.aborted) throw signal.reason;
        const message = e instanceof Error ? e.message : String(e);
        return {
          status: 'fail',
          explanation: `Cannot get a Microsoft Entra token for ${ENTRA_SQL_SCOPE}: ${message.split('\n')[0]}. Sign in (az login, azd auth login, VS Code Azure account) or check the managed identity / environment credentials.`,
          facts,
        };
      }
      if (!token || token.token.length === 0) {
        return { status: 'fail', explanation: `The credential returned no token for ${ENTRA_SQL_SCOPE}.`, facts };
      }
      redactor.add(token.token);
      facts['Token expires'] = new Date(token.expiresOnTimestamp).toISOString();
      facts.Token = '****';
      return { status: 'ok', explanation: 'A Microsoft Entra access token was obtained with the default Azure credential chain.', facts, value: { kind: 'entra', secret: token.token } };
    }
    case 'rds-iam':
      return { status: 'fail', explanation: 'RDS IAM authentication applies to PostgreSQL and MySQL; SQL Server uses a SQL login or Microsoft Entra.', facts };
    case 'none':
      facts.Authentication = 'none configured';
      return { status: 'ok', explanation: 'No credentials configured: the login will most likely fail.', facts, value: { kind: 'none', user: target.user } };
  }
}

function defaultTokenProvider(): EntraTokenProvider {
  // Loaded on first use: @azure/identity is large and only Entra targets need it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { DefaultAzureCredential } = require('@azure/identity') as typeof import('@azure/identity');
  return new DefaultAzureCredential();
}

/* ------------------------------------------------------------------ PRELOGIN */

/** Reads one whole TDS message (packets up to EOM) through the step-bounded reader. */
async function readTdsMessage(reader: SocketReader, signal: AbortSignal): Promise<{ type: number; payload: Buffer }> {
  const parts: Buffer[] = [];
  let type = -1;
  for (;;) {
    const header = await reader.read(HEADER_LENGTH, signal);
    const length = header.readUInt16BE(2);
    if (length < HEADER_LENGTH || (header[0] !== PacketType.TABULAR_RESULT && header[0] !== PacketType.PRELOGIN)) {
      throw new StepFailure('The server did not answer PRELOGIN like SQL Server does (not a TDS packet): check the port; another service may be listening there.', {
        'First bytes': header.toString('hex'),
      });
    }
    if (type === -1) type = header[0];
    parts.push(await reader.read(length - HEADER_LENGTH, signal));
    if ((header[1] & STATUS_EOM) !== 0) return { type, payload: Buffer.concat(parts) };
  }
}

/** Sends a PRELOGIN with `flag` (and FEDAUTHREQUIRED, as tedious does) and returns the answer. */
async function preloginExchange(socket: net.Socket, reader: SocketReader, flag: EncryptionFlag, signal: AbortSignal): Promise<PreloginFields & { encryption: EncryptionFlag }> {
  socket.write(encodeMessage(PacketType.PRELOGIN, buildPrelogin({ encryption: flag, fedAuthRequired: true })));
  let message: { type: number; payload: Buffer };
  try {
    message = await readTdsMessage(reader, signal);
  } catch (e) {
    if (e instanceof StepFailure || signal.aborted) throw e;
    throw new StepFailure(`The server closed the connection instead of answering PRELOGIN (${e instanceof Error ? e.message : String(e)}).`);
  }
  const parsed = parsePrelogin(message.payload);
  if (!parsed.ok) throw new StepFailure(`The server's PRELOGIN answer is malformed: ${parsed.error}.`);
  const encryption = parsed.fields.encryption;
  if (encryption === undefined) {
    throw new StepFailure(
      parsed.fields.encryptionByte === undefined
        ? "The server's PRELOGIN answer has no ENCRYPTION option."
        : `The server answered an unknown ENCRYPTION value 0x${parsed.fields.encryptionByte.toString(16)}.`,
    );
  }
  return { ...parsed.fields, encryption };
}

function judgeNegotiation(answer: PreloginFields & { encryption: EncryptionFlag }, target: ProbeTarget, sent: EncryptionFlag): StepOutcome<{ tls: boolean; answer: EncryptionFlag }> {
  const mode = target.tls.mode;
  const flag = answer.encryption;
  const facts: Record<string, string> = { 'Client sent': sent, 'Server answered': flag };
  if (answer.version) facts['Server version (PRELOGIN)'] = `${answer.version.major}.${answer.version.minor}.${answer.version.build}`;
  const words = `The server ${ENCRYPTION_WORDS[flag]} (answered ${flag})`;
  const serverEncrypts = flag === 'ENCRYPT_ON' || flag === 'ENCRYPT_REQ';
  if (mode === 'off') {
    if (serverEncrypts) {
      return {
        status: 'fail',
        explanation: `${words}, but the driver is configured without encryption (encrypt: false): tedious stops with "Server requires encryption" (EENCRYPT). Set encrypt: true and verify the certificate.`,
        facts,
      };
    }
    return {
      status: 'warn',
      explanation: `${words} and the driver does not ask for it (encrypt: false): the login (password only obfuscated) and all data travel in plaintext.`,
      facts,
      value: { tls: false, answer: flag },
    };
  }
  if (serverEncrypts) {
    return { status: 'ok', explanation: `${words}: the whole session will be encrypted with TLS.`, facts, value: { tls: true, answer: flag } };
  }
  if (mode === 'require') {
    return { status: 'fail', explanation: `${words}; the driver requires encryption and refuses to continue. Install a certificate on the server (or use a server that offers TLS).`, facts };
  }
  return {
    status: 'warn',
    explanation: `${words}; ${target.driverLabel} continues WITHOUT TLS (tedious with encrypt: true silently downgrades here, go-mssqldb would stop): the password and all data travel in plaintext.`,
    facts,
    value: { tls: false, answer: flag },
  };
}

/* ------------------------------------------------------------------ authentication */

interface ServerMessage {
  readonly number: number;
  readonly message: string;
}

async function authenticate(
  target: ProbeTarget,
  opts: ProbeOptions,
  credential: Credential,
  encrypt: boolean,
  tlsUsed: boolean,
  pools: mssqlTypes.ConnectionPool[],
  signal: AbortSignal,
): Promise<StepOutcome<LoggedIn>> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sql = require('mssql') as typeof mssqlTypes;
  const policy = target.tls;
  const serverMessages: ServerMessage[] = [];
  const options: mssqlTypes.IOptions = {
    encrypt,
    trustServerCertificate: !policy.verifyChain,
    appName: 'connguard-test-connection',
    cryptoCredentialsDetails: { ca: policy.caPem, minVersion: policy.minVersion },
  };
  if (policy.servername !== undefined) options.serverName = policy.servername;
  const config: mssqlTypes.config = {
    server: target.host,
    port: target.port,
    database: target.database,
    options,
    connectionTimeout: opts.stepTimeoutMs,
    requestTimeout: opts.stepTimeoutMs,
    pool: { max: 1, min: 0, idleTimeoutMillis: 1000 },
    validateConnection: false,
    beforeConnect: (conn) => {
      conn.on('errorMessage', (m: { number: number; message: string }) => serverMessages.push({ number: m.number, message: m.message }));
    },
  };
  if (credential.kind === 'entra') {
    config.authentication = { type: 'azure-active-directory-access-token', options: { token: credential.secret ?? '' } };
  } else {
    config.user = credential.user;
    config.password = credential.secret;
  }
  const method = credential.kind === 'entra' ? 'Microsoft Entra access token (FEDAUTH)' : 'SQL login (password)';
  const facts: Record<string, string> = { Method: method, Encryption: tlsUsed ? 'TLS for the whole session' : 'none' };
  const pool = new sql.ConnectionPool(config);
  pools.push(pool);
  const onAbort = (): void => {
    void pool.close().catch(() => undefined);
  };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    await pool.connect();
    const rows = await pool.request().query<{ ok: number }>('SELECT 1 AS ok');
    const one = rows.recordset?.[0]?.ok;
    facts['SELECT 1'] = String(one);
  } catch (e) {
    if (signal.aborted) throw signal.reason;
    const explanation = explainLoginError(e, serverMessages, credential, target);
    const found = serverMessages.find((m) => m.number === SQL_ERROR_LOGIN_FAILED) ?? serverMessages[0];
    if (found) facts['Server error'] = String(found.number);
    const code = (e as { code?: string }).code;
    if (code) facts['Driver error'] = code;
    return { status: 'fail', explanation, facts };
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  const who = credential.kind === 'entra' ? 'with a Microsoft Entra token' : `as ${credential.user ?? '(no user)'}`;
  if (!tlsUsed) {
    return {
      status: 'warn',
      explanation: `Logged in ${who} WITHOUT TLS: the LOGIN7 packet (password only obfuscated, trivially reversible) and all data crossed the network in plaintext. SELECT 1 works.`,
      facts,
      value: { pool },
    };
  }
  return { status: 'ok', explanation: `Logged in ${who} over TLS with ${method}; SELECT 1 works.`, facts, value: { pool } };
}

function explainLoginError(e: unknown, messages: readonly ServerMessage[], credential: Credential, target: ProbeTarget): string {
  const numbers = new Set(messages.map((m) => m.number));
  const err = e as { code?: string; message?: string; originalError?: { code?: string; message?: string; cause?: { code?: string; message?: string } } };
  const text = `${err.message ?? ''} ${err.originalError?.message ?? ''}`;
  if (numbers.has(SQL_ERROR_CANNOT_OPEN_DATABASE)) {
    return `Login failed (SQL Server error ${SQL_ERROR_CANNOT_OPEN_DATABASE}): the database ${target.database ?? ''} does not exist or the login has no access to it.`;
  }
  if (numbers.has(SQL_ERROR_LOGIN_FAILED) || /Login failed for user/i.test(text)) {
    if (credential.kind === 'entra') {
      return `Login failed (SQL Server error ${SQL_ERROR_LOGIN_FAILED}): the server refused the Microsoft Entra token. Check that the identity exists in the database (CREATE USER … FROM EXTERNAL PROVIDER), that the server has an Entra admin, and the tenant.`;
    }
    return `Login failed (SQL Server error ${SQL_ERROR_LOGIN_FAILED}): wrong password, disabled login or wrong database. The server does not say which, on purpose; its error log has the state code.`;
  }
  const code = err.code ?? err.originalError?.code;
  if (code === 'EENCRYPT') return 'The server requires encryption but the driver is configured with encrypt: false.';
  if (code === 'ETIMEOUT') return `The driver timed out (${err.message ?? 'timeout'}).`;
  const cause = err.originalError?.cause ?? err.originalError;
  if (cause?.code && /CERT|SELF_SIGNED|ISSUER|LEAF_SIGNATURE|ALTNAME|ERR_SSL|ERR_TLS/.test(cause.code)) {
    return `The driver refused the TLS connection (${cause.code}): ${cause.message ?? ''}`;
  }
  return `The driver could not log in: ${err.message ?? String(e)}${code ? ` (${code})` : ''}.`;
}

/* ------------------------------------------------------------------ server checks */

async function serverChecks(pool: mssqlTypes.ConnectionPool, mode: ProbeTarget['tls']['mode'], signal: AbortSignal): Promise<StepOutcome> {
  const onAbort = (): void => {
    void pool.close().catch(() => undefined);
  };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const conn = await pool
      .request()
      .query<{ encrypt_option: string; auth_scheme: string }>('SELECT encrypt_option, auth_scheme FROM sys.dm_exec_connections WHERE session_id = @@SPID');
    const version = await pool.request().query<{ version: string }>('SELECT @@VERSION AS version');
    const row = conn.recordset?.[0];
    const facts: Record<string, string> = {
      encrypt_option: String(row?.encrypt_option ?? 'unknown'),
      auth_scheme: String(row?.auth_scheme ?? 'unknown'),
    };
    const v = version.recordset?.[0]?.version;
    if (typeof v === 'string') facts.Version = v.split('\n')[0].trim();
    const encrypted = String(row?.encrypt_option).toUpperCase() === 'TRUE';
    if (encrypted) return { status: 'ok', explanation: `The server reports this session as encrypted (encrypt_option TRUE, auth_scheme ${facts.auth_scheme}).`, facts };
    return {
      status: mode === 'require' ? 'fail' : 'warn',
      explanation: `The server reports this session as NOT encrypted (encrypt_option ${facts.encrypt_option}): data and queries travel in plaintext.`,
      facts,
    };
  } catch (e) {
    if (signal.aborted) throw signal.reason;
    const message = e instanceof Error ? e.message : String(e);
    return { status: 'warn', explanation: `The checks could not run (${message}); VIEW SERVER STATE (or VIEW SERVER PERFORMANCE STATE) is needed for sys.dm_exec_connections.` };
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/* ------------------------------------------------------------------ enforcement */

async function enforcementProbe(runner: StepRunner, address: string, target: ProbeTarget, signal: AbortSignal): Promise<StepOutcome> {
  const socket = await connectTcp(runner, address, target.port, signal);
  const reader = new SocketReader(socket);
  const facts: Record<string, string> = { 'Client sent': 'ENCRYPT_NOT_SUP (no LOGIN7, no credentials)' };
  try {
    let answer: PreloginFields & { encryption: EncryptionFlag };
    try {
      answer = await preloginExchange(socket, reader, 'ENCRYPT_NOT_SUP', signal);
    } catch (e) {
      if (signal.aborted || !(e instanceof StepFailure)) throw e;
      return { status: 'warn', explanation: `Inconclusive: ${e.explanation}`, facts: { ...facts, ...e.facts } };
    }
    facts['Server answered'] = answer.encryption;
    if (answer.encryption === 'ENCRYPT_REQ' || answer.encryption === 'ENCRYPT_ON') {
      return {
        status: 'ok',
        explanation: `The server refuses plaintext: to a client that cannot encrypt it answered ${answer.encryption}, so no unencrypted login is possible.`,
        facts,
      };
    }
    return {
      status: 'warn',
      explanation: `The server accepts plaintext: to a client that cannot encrypt it answered ${answer.encryption}, so a client with encrypt: false (or a downgraded one) logs in without TLS. Turn on Force Encryption (or Azure SQL, which always requires it).`,
      facts,
    };
  } finally {
    reader.detach();
    socket.destroy();
    runner.release(socket);
  }
}
