/**
 * `workspace/executeCommand connguard.testConnection` over stdio against a private TLS
 * PostgreSQL 15 (test/support/postgres.ts + pki.ts): the report (verified TLS, version, issuer),
 * work-done progress per step, the host confirmation (connguard/confirmHost and, for generic
 * clients, window/showMessageRequest) where "Cancel" means no TCP connection at all, refusal in
 * an untrusted workspace and after a trust change, the password asked through
 * connguard/askPassword and never seen again in any byte the client receives, the step timeout
 * setting, cancellation with `$/cancelRequest`, and the CodeLens that runs the test.
 *
 * "No TCP connection" is checked with local listeners that count accepted connections.
 * Waits are on events (a connection accepted, a request received), never sleeps.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeLens } from 'vscode-languageserver-protocol';
import type { ConnectionTargetInfo, TestConnectionResult } from '../../shared/src/protocol';
import { makePki, Pki } from '../support/pki';
import { PgInstance, startPostgres } from '../support/postgres';
import { TestClient, withTimeout } from './client';

const PASSWORD = 'Lsp-Secr3t-pw!q';

/** A TCP listener that counts connections and never answers (a silent server). */
interface Listener {
  readonly port: number;
  accepted: number;
  /** Resolves at the next accepted connection. */
  nextConnection(): Promise<void>;
  close(): Promise<void>;
}

function silentServer(): Promise<Listener> {
  const sockets = new Set<net.Socket>();
  let waiters: (() => void)[] = [];
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    l.accepted++;
    const w = waiters;
    waiters = [];
    w.forEach((f) => f());
  });
  const l: Listener = {
    port: 0,
    accepted: 0,
    nextConnection: () => new Promise<void>((resolve) => waiters.push(resolve)),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      (l as { port: number }).port = (server.address() as net.AddressInfo).port;
      resolve(l);
    });
  });
}

interface UiLog {
  confirms: ConnectionTargetInfo[];
  passwords: ConnectionTargetInfo[];
  envAsks: number;
}

/** A client that answers the connguard/* prompts (as the VS Code extension does). */
async function uiClient(ws: string, answers: { confirm: boolean; env?: boolean }, init: Record<string, unknown> = {}, settings: Record<string, unknown> = {}): Promise<{ client: TestClient; ui: UiLog }> {
  const client = new TestClient({ rootUri: pathToFileURL(ws).href, initializationOptions: { testConnectionUi: true, ...init }, settings });
  const ui: UiLog = { confirms: [], passwords: [], envAsks: 0 };
  client.connection.onRequest('connguard/confirmHost', (p: ConnectionTargetInfo) => {
    ui.confirms.push(p);
    return { confirmed: answers.confirm };
  });
  client.connection.onRequest('connguard/askPassword', (p: ConnectionTargetInfo) => {
    ui.passwords.push(p);
    return { password: PASSWORD, source: 'the test prompt' };
  });
  client.connection.onRequest('connguard/confirmEnvSecrets', () => {
    ui.envAsks++;
    return { allowed: answers.env === true };
  });
  await client.initialize();
  return { client, ui };
}

function testConnection(client: TestClient, args: unknown, extra: Record<string, unknown> = {}, token?: import('vscode-jsonrpc').CancellationToken): Promise<TestConnectionResult> {
  const params = { command: 'connguard.testConnection', arguments: [args], ...extra };
  return token ? client.connection.sendRequest<TestConnectionResult>('workspace/executeCommand', params, token) : client.connection.sendRequest<TestConnectionResult>('workspace/executeCommand', params);
}

describe('language server: connguard.testConnection (real PostgreSQL)', function () {
  this.timeout(60000);
  let pki: Pki;
  let pg: PgInstance;
  let ws: string;
  let dsn: string;
  const clients: TestClient[] = [];
  const track = <T extends { client: TestClient }>(x: T): T => {
    clients.push(x.client);
    return x;
  };

  before(async () => {
    pki = makePki();
    pg = await startPostgres({ cert: pki.good.cert, key: pki.good.key, hba: ['hostssl all all 127.0.0.1/32 scram-sha-256', 'hostnossl all all 0.0.0.0/0 reject'] });
    await pg.admin(`CREATE ROLE app LOGIN PASSWORD '${PASSWORD}'`);
    await pg.admin('CREATE DATABASE app OWNER app');
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'connguard-lsp-probe-'));
    fs.copyFileSync(pki.caFile, path.join(ws, 'ca.pem'));
    dsn = `postgresql://app@127.0.0.1:${pg.port}/app?sslmode=verify-full&sslrootcert=${pki.caFile}`;
  });

  after(async () => {
    for (const c of clients) await c.close();
    pg?.stop();
    pki?.cleanup();
    if (ws) fs.rmSync(ws, { recursive: true, force: true });
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') for (const c of clients) if (c.stderr) console.error(c.stderr);
  });

  it('tests a pasted connection string: verified TLS, version, issuer; progress per step; confirmation and password asked', async () => {
    const { client, ui } = track(await uiClient(ws, { confirm: true }));
    const r = await testConnection(client, { dsn }, { workDoneToken: 'probe-1' });
    assert.equal(r.outcome, 'tested', r.text);
    assert.ok(r.report);
    assert.equal(r.report.verifiedTls, true, r.text);
    assert.equal(r.report.connected, true);
    assert.match(r.report.tls?.protocol ?? '', /^TLSv1\.[23]$/);
    assert.match(r.report.tls!.chain[0].issuer, /ConnGuard Test CA/);
    const checks = r.report.steps.find((s) => s.id === 'server-checks');
    assert.match(checks?.facts['Server version'] ?? '', /PostgreSQL 15/);
    assert.deepEqual(r.report.verifiedLive.slice(0, 3), ['C1', 'C2', 'C3']);
    assert.match(r.markdown, /verified live: C1/);
    assert.match(r.markdown, /✅ TLS handshake/);
    assert.match(r.text, /ConnGuard Test CA/);

    // The user was asked, in this order, and told what the prompts are about (no secret in them).
    assert.equal(ui.confirms.length, 1);
    assert.equal(ui.confirms[0].host, '127.0.0.1');
    assert.equal(ui.confirms[0].port, pg.port);
    assert.equal(ui.confirms[0].origin, 'a pasted connection string');
    assert.equal(ui.passwords.length, 1);
    assert.equal(ui.passwords[0].user, 'app');

    // Work-done progress on the client's token: begin, one report per step, end.
    const mine = client.progress.filter((p) => p.token === 'probe-1').map((p) => p.value);
    assert.equal(mine[0]?.kind, 'begin');
    assert.equal(mine[mine.length - 1]?.kind, 'end');
    const messages = mine.filter((v) => v.kind === 'report').map((v) => v.message);
    assert.ok(messages.includes('TLS handshake…'), JSON.stringify(messages));
    assert.ok(messages.includes('Resolve 127.0.0.1…'), JSON.stringify(messages));

    // The password never comes back: not in the result, the log, any notification.
    assert.ok(client.received.length > 0);
    assert.ok(!client.received.includes(PASSWORD), 'the password appears in the traffic the client received');
    assert.ok(!client.stderr.includes(PASSWORD));
  });

  it('tests a connection detected in an open document ({ uri, line }), read from the buffer', async () => {
    const { client, ui } = track(await uiClient(ws, { confirm: true }));
    const uri = pathToFileURL(path.join(ws, 'app.env')).href; // never written to disk
    await client.open(uri, 'dotenv', `# app\nDATABASE_URL=postgres://app@localhost:${pg.port}/app?sslmode=verify-full&sslrootcert=ca.pem\n`);
    const lenses = await client.connection.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    const lens = lenses.find((l) => l.command?.title === 'Test connection');
    assert.ok(lens, JSON.stringify(lenses));
    assert.equal(lens.command!.command, 'connguard.testConnection');
    assert.deepEqual(lens.command!.arguments, [{ uri, line: 1 }]);
    assert.ok(lenses.some((l) => l.command?.title === 'Show profile' && l.command.command === 'connguard.showConnectionProfile'));
    const r = await testConnection(client, lens.command!.arguments![0]);
    assert.equal(r.outcome, 'tested', r.text);
    assert.equal(r.report?.verifiedTls, true, r.text);
    assert.equal(r.report?.target.host, 'localhost');
    assert.equal(ui.confirms[0].origin, 'app.env:2');
    assert.ok(!client.received.includes(PASSWORD));
  });

  it('"Cancel" at connguard/confirmHost: refused, no TCP connection, logged', async () => {
    const silent = await silentServer();
    try {
      const { client, ui } = track(await uiClient(ws, { confirm: false }));
      const r = await testConnection(client, { dsn: `postgres://app@127.0.0.1:${silent.port}/app?sslmode=require` });
      assert.equal(r.outcome, 'refused');
      assert.equal(r.report, undefined);
      assert.match(r.message, /not confirmed/);
      assert.equal(ui.confirms.length, 1, 'the confirmation was asked');
      assert.equal(ui.passwords.length, 0, 'no password is asked for a host that was not confirmed');
      assert.equal(silent.accepted, 0, 'no TCP connection');
      assert.ok(client.logs.some((l) => l.includes(`refused: not connecting to 127.0.0.1:${silent.port}`)), client.logs.join('\n'));
    } finally {
      await silent.close();
    }
  });

  it('a generic client is asked with window/showMessageRequest; "Cancel" means no TCP connection', async () => {
    const silent = await silentServer();
    const client = new TestClient({ rootUri: pathToFileURL(ws).href });
    clients.push(client);
    const asked: string[] = [];
    client.connection.onRequest('window/showMessageRequest', (p: { message: string; actions: { title: string }[] }) => {
      asked.push(`${p.message} [${p.actions.map((a) => a.title).join('] [')}]`);
      return { title: 'Cancel' };
    });
    try {
      const init = await client.initialize();
      assert.ok(init.capabilities.executeCommandProvider?.commands.includes('connguard.testConnection'));
      const r = await testConnection(client, { dsn: `postgres://app@127.0.0.1:${silent.port}/app` });
      assert.equal(r.outcome, 'refused');
      assert.equal(asked.length, 1);
      assert.match(asked[0], new RegExp(`connect to app@127\\.0\\.0\\.1:${silent.port} .*\\[Connect\\] \\[Cancel\\]`));
      assert.equal(silent.accepted, 0);
    } finally {
      await silent.close();
    }
  });

  it('refuses in an untrusted workspace (nothing asked, nothing contacted) until trust is granted', async () => {
    const silent = await silentServer();
    try {
      const { client, ui } = track(await uiClient(ws, { confirm: false }, { workspaceTrusted: false }));
      const r = await testConnection(client, { dsn: `postgres://app@127.0.0.1:${silent.port}/app`, confirmedHosts: [`127.0.0.1:${silent.port}`] });
      assert.equal(r.outcome, 'refused');
      assert.match(r.message, /not trusted/);
      assert.equal(ui.confirms.length, 0);
      assert.equal(silent.accepted, 0);
      await client.connection.sendNotification('connguard/didChangeWorkspaceTrust', { trusted: true });
      const r2 = await testConnection(client, { dsn: `postgres://app@127.0.0.1:${silent.port}/app` });
      assert.equal(r2.outcome, 'refused');
      assert.match(r2.message, /not confirmed/, 'now trusted: the user is asked (and says no)');
      assert.equal(ui.confirms.length, 1);
      assert.equal(silent.accepted, 0);
    } finally {
      await silent.close();
    }
  });

  it('uses connguard.testConnection.timeoutSeconds per step', async () => {
    const silent = await silentServer();
    try {
      const { client } = track(await uiClient(ws, { confirm: true }, {}, { testConnection: { timeoutSeconds: 1 } }));
      const r = await testConnection(client, { dsn: `postgres://app:pw@127.0.0.1:${silent.port}/app?sslmode=require`, confirmedHosts: [`127.0.0.1:${silent.port}`] });
      assert.equal(r.outcome, 'tested');
      const neg = r.report!.steps.find((s) => s.id === 'tls-negotiation');
      assert.equal(neg?.status, 'fail', r.text);
      assert.match(neg!.explanation, /Timed out after 1 s/);
      assert.ok(silent.accepted >= 1, 'the probe connected');
      assert.ok(!client.received.includes(':pw@'), 'the password of the connection string is not echoed');
    } finally {
      await silent.close();
    }
  });

  it('$/cancelRequest cancels a running test: the report says cancelled', async () => {
    const silent = await silentServer();
    try {
      const { client } = track(await uiClient(ws, { confirm: true }));
      const cts = client.cancellable();
      const connected = silent.nextConnection();
      const pending = testConnection(client, { dsn: `postgres://app@127.0.0.1:${silent.port}/app?sslmode=require`, confirmedHosts: [`127.0.0.1:${silent.port}`] }, {}, cts.token);
      await withTimeout(connected, 10000, 'the probe to connect');
      cts.cancel();
      const r = await withTimeout(pending, 5000, 'the cancelled result');
      assert.equal(r.outcome, 'tested');
      assert.equal(r.report?.cancelled, true, r.text);
      assert.equal(r.report?.connected, false);
      assert.match(r.message, /Cancelled/);
    } finally {
      await silent.close();
    }
  });

  it('reads PGPASSWORD from the workspace .env only after the user agreed, asked once', async () => {
    const envWs = fs.mkdtempSync(path.join(os.tmpdir(), 'connguard-lsp-env-'));
    try {
      fs.writeFileSync(path.join(envWs, '.env'), `PGPASSWORD=${PASSWORD}\n`);
      const { client, ui } = track(await uiClient(envWs, { confirm: true, env: true }));
      for (let i = 0; i < 2; i++) {
        const r = await testConnection(client, { dsn });
        assert.equal(r.report?.verifiedTls, true, r.text);
        assert.match(r.report!.steps.find((s) => s.id === 'resolve')?.facts.Password ?? '', /PGPASSWORD/);
      }
      assert.equal(ui.envAsks, 1, 'asked once per workspace');
      assert.equal(ui.passwords.length, 0, 'no prompt: the password came from .env');
      assert.ok(!client.received.includes(PASSWORD));

      // Refused: the .env file is not read, the password is asked instead.
      const other = track(await uiClient(envWs, { confirm: true, env: false }));
      const r = await testConnection(other.client, { dsn });
      assert.equal(r.report?.verifiedTls, true, r.text);
      assert.equal(other.ui.envAsks, 1);
      assert.equal(other.ui.passwords.length, 1);
    } finally {
      fs.rmSync(envWs, { recursive: true, force: true });
    }
  });

  it('bad arguments are answered, not thrown', async () => {
    const { client } = track(await uiClient(ws, { confirm: true }));
    assert.equal((await testConnection(client, {})).outcome, 'invalid');
    assert.equal((await testConnection(client, { dsn: 'not a dsn' })).outcome, 'invalid');
    assert.equal((await testConnection(client, { uri: pathToFileURL(path.join(ws, 'missing.go')).href, line: 3 })).outcome, 'invalid');
  });
});
