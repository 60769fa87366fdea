/**
 * SQL Server test connection (probe/mssql.ts) against the TDS stand-in (test/support/tds-server.ts)
 * with the REAL mssql/tedious driver doing the login and the queries. SQL Server itself cannot run
 * here; see the stand-in's header for what it implements and what it does not.
 */

import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { probeSqlServer, EntraTokenProvider, ENTRA_SQL_SCOPE } from '../../server/src/probe/mssql';
import { ProbeOptions, ProbeReport, ProbeTarget, ProbeTlsPolicy } from '../../server/src/probe/types';
import { createTdsPki, TdsPki } from '../support/tds-pki';
import { decodeLoginPassword, startTdsServer, TdsServerOptions, TdsTestServer } from '../support/tds-server';
import { step } from '../support/probe';

const PASSWORD = 'S3cret!pass-Wörd';
const TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.eyJhdWQiOiJodHRwczovL2RhdGFiYXNlLndpbmRvd3MubmV0LyJ9.sig-stand-in';
const OPTS: ProbeOptions = { stepTimeoutMs: 5000, enforcementProbe: true };


function statuses(report: ProbeReport): string {
  return report.steps.map((s) => `${s.id}:${s.status}`).join(' ');
}

describe('SQL Server probe against the TDS stand-in (real mssql driver)', function () {
  this.timeout(30000);
  let pki: TdsPki;
  const servers: TdsTestServer[] = [];

  before(() => {
    pki = createTdsPki();
  });
  after(() => pki?.dispose());
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  async function server(over: Partial<TdsServerOptions> = {}): Promise<TdsTestServer> {
    const s = await startTdsServer({ encryption: 'ENCRYPT_REQ', identity: pki.valid, logins: { app: PASSWORD }, accessToken: TOKEN, ...over });
    servers.push(s);
    return s;
  }

  function target(s: TdsTestServer, over: { tls?: Partial<ProbeTlsPolicy>; auth?: ProbeTarget['auth']; user?: string; database?: string } = {}): ProbeTarget {
    return {
      dbms: 'sqlserver',
      host: s.host,
      port: s.port,
      user: over.user ?? 'app',
      database: over.database ?? 'appdb',
      driverLabel: 'mssql (tedious)',
      // 127.0.0.1 with serverName 'localhost' (tedious `serverName`): SNI and the name check use it.
      tls: { mode: 'require', verifyChain: true, verifyHostname: true, caPem: pki.caPem, caSource: 'options.cryptoCredentialsDetails.ca', servername: 'localhost', ...over.tls },
      auth: over.auth ?? { kind: 'password', password: PASSWORD, source: 'test' },
    };
  }

  it('verified success: TLS inside TDS, chain with the test CA, login and SELECT 1 with mssql', async () => {
    const s = await server();
    const report = await probeSqlServer(target(s), OPTS);
    assert.equal(report.connected, true, statuses(report));
    assert.equal(report.verifiedTls, true);
    assert.equal(report.cancelled, false);
    assert.ok(report.steps.every((x) => x.status === 'ok'), statuses(report));
    assert.equal(report.tls?.protocol, 'TLSv1.2');
    assert.equal(report.tls?.sni, 'localhost');
    assert.equal(report.tls?.chainVerified, true);
    assert.equal(report.tls?.hostnameMatches, true);
    assert.ok((report.tls?.chain.length ?? 0) >= 2);
    assert.match(report.tls?.chain[0].issuer ?? '', /CN=ConnGuard Test CA/);
    assert.match(report.tls?.chain[0].fingerprintSha256 ?? '', /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    assert.ok((report.tls?.chain[0].daysToExpiry ?? -1) >= 0);
    assert.match(step(report, 'tls-negotiation').explanation, /requires encryption/);
    assert.equal(step(report, 'authentication').facts['SELECT 1'], '1');
    assert.equal(step(report, 'server-checks').facts.encrypt_option, 'TRUE');
    assert.equal(step(report, 'server-checks').facts.auth_scheme, 'SQL');
    assert.match(step(report, 'server-checks').facts.Version ?? '', /stand-in/);
    // The logins really happened inside TLS, with the password the server expects (mssql opens
    // a throwaway connection before its pool, so there are two).
    assert.ok(s.logins.length >= 1);
    for (const l of s.logins) assert.deepEqual([l.method, l.user, l.database, l.encrypted, l.accepted], ['sql', 'app', 'appdb', true, true]);
  });

  it('untrusted CA: certificate fails, no credentials sent', async () => {
    const s = await server();
    const report = await probeSqlServer(target(s, { tls: { caPem: pki.otherCaPem } }), OPTS);
    assert.equal(step(report, 'certificate').status, 'fail');
    assert.match(step(report, 'certificate').explanation, /not trusted here \(unknown CA\)/);
    assert.equal(report.tls?.chainVerified, false);
    assert.equal(step(report, 'authentication').status, 'skipped');
    assert.equal(s.logins.length, 0);
    assert.equal(report.connected, false);
    assert.equal(report.verifiedTls, false);
  });

  it('hostname mismatch: certificate fails with the name in words', async () => {
    const s = await server({ identity: pki.wrongHost });
    const report = await probeSqlServer(target(s), OPTS);
    assert.equal(report.tls?.chainVerified, true);
    assert.equal(report.tls?.hostnameMatches, false);
    assert.equal(step(report, 'certificate').status, 'fail');
    assert.match(step(report, 'certificate').explanation, /hostname mismatch/);
    assert.deepEqual(report.tls?.chain[0].subjectAltNames, ['DNS:sql.wrong-name.test']);
  });

  it('expired leaf: certificate fails as expired', async () => {
    const s = await server({ identity: pki.expired });
    const report = await probeSqlServer(target(s), OPTS);
    assert.equal(report.tls?.verifyError, 'CERT_HAS_EXPIRED');
    assert.ok((report.tls?.chain[0].daysToExpiry ?? 0) < 0);
    assert.equal(step(report, 'certificate').status, 'fail');
    assert.match(step(report, 'certificate').explanation, /expired/);
  });

  it('trustServerCertificate: the driver logs in to an untrusted server, the report warns', async () => {
    const s = await server({ identity: pki.expired });
    const report = await probeSqlServer(target(s, { tls: { verifyChain: false, verifyHostname: false } }), OPTS);
    assert.equal(step(report, 'certificate').status, 'warn');
    assert.equal(step(report, 'certificate').facts['Driver setting'], 'trustServerCertificate: true');
    assert.equal(report.connected, true, statuses(report));
    assert.equal(report.verifiedTls, false);
  });

  it('wrong password: authentication fails with the 18456 cause', async () => {
    const s = await server();
    const report = await probeSqlServer(target(s, { auth: { kind: 'password', password: 'not-the-password', source: 'test' } }), OPTS);
    const auth = step(report, 'authentication');
    assert.equal(auth.status, 'fail');
    assert.match(auth.explanation, /18456.*wrong password, disabled login or wrong database/);
    assert.equal(auth.facts['Server error'], '18456');
    assert.equal(report.connected, false);
    assert.equal(step(report, 'server-checks').status, 'skipped');
    assert.doesNotMatch(JSON.stringify(report), /not-the-password/);
  });

  it('Entra: token from the injected provider, sent in the FEDAUTH extension and checked by the server', async () => {
    const s = await server();
    const scopes: Array<string | string[]> = [];
    const tokenProvider: EntraTokenProvider = {
      getToken: async (scope) => {
        scopes.push(scope);
        return { token: TOKEN, expiresOnTimestamp: Date.now() + 3600_000 };
      },
    };
    const report = await probeSqlServer(target(s, { auth: { kind: 'entra' }, user: undefined }), OPTS, { tokenProvider });
    assert.deepEqual(scopes, [ENTRA_SQL_SCOPE]);
    assert.equal(report.connected, true, statuses(report));
    assert.match(step(report, 'authentication').facts.Method, /Entra/);
    assert.ok(s.logins.length >= 1);
    for (const l of s.logins) assert.deepEqual([l.method, l.accepted, l.encrypted], ['fedauth', true, true]);

    const wrong: EntraTokenProvider = { getToken: async () => ({ token: 'some-other-token-value', expiresOnTimestamp: Date.now() + 60_000 }) };
    const refused = await probeSqlServer(target(s, { auth: { kind: 'entra' }, user: undefined }), OPTS, { tokenProvider: wrong });
    assert.equal(step(refused, 'authentication').status, 'fail');
    assert.match(step(refused, 'authentication').explanation, /18456.*Entra token/);
    assert.doesNotMatch(JSON.stringify(refused), /some-other-token-value/);
  });

  it('Entra: a provider that throws fails the resolve step and nothing is sent', async () => {
    const s = await server();
    const failing: EntraTokenProvider = { getToken: async () => { throw new Error('no account signed in'); } };
    const report = await probeSqlServer(target(s, { auth: { kind: 'entra' } }), OPTS, { tokenProvider: failing });
    assert.equal(step(report, 'resolve').status, 'fail');
    assert.match(step(report, 'resolve').explanation, /no account signed in/);
    assert.equal(s.preloginRequests.length, 0);
  });

  it('the password and the token never appear in the report JSON', async () => {
    const s = await server();
    const withPassword = JSON.stringify(await probeSqlServer(target(s), OPTS));
    const withToken = JSON.stringify(
      await probeSqlServer(target(s, { auth: { kind: 'entra' } }), OPTS, { tokenProvider: { getToken: async () => ({ token: TOKEN, expiresOnTimestamp: Date.now() + 60_000 }) } }),
    );
    for (const json of [withPassword, withToken]) {
      assert.ok(!json.includes(PASSWORD));
      assert.ok(!json.includes(TOKEN));
      assert.ok(!json.includes(TOKEN.slice(0, 30)));
    }
  });

  it('enforcement probe: ENCRYPT_REQ refuses plaintext (ok), ENCRYPT_OFF accepts it (warn)', async () => {
    const strict = await server({ encryption: 'ENCRYPT_REQ' });
    const r1 = await probeSqlServer(target(strict), OPTS);
    assert.equal(step(r1, 'enforcement').status, 'ok');
    assert.equal(step(r1, 'enforcement').facts['Server answered'], 'ENCRYPT_REQ');
    assert.match(step(r1, 'enforcement').explanation, /refuses plaintext/);

    const lax = await server({ encryption: 'ENCRYPT_OFF' });
    const r2 = await probeSqlServer(target(lax), OPTS);
    assert.equal(r2.connected, true, statuses(r2));
    assert.match(step(r2, 'tls-negotiation').explanation, /supports encryption \(answered ENCRYPT_ON\)/);
    assert.equal(step(r2, 'enforcement').status, 'warn');
    assert.equal(step(r2, 'enforcement').facts['Server answered'], 'ENCRYPT_NOT_SUP');
    assert.match(step(r2, 'enforcement').explanation, /accepts plaintext/);
    // Neither the observing handshake nor the enforcement probe sends LOGIN7: every other
    // PRELOGIN is one of the driver's connections, each with one login.
    assert.equal(lax.logins.length, lax.preloginRequests.length - 2);
    assert.deepEqual(lax.preloginRequests.slice(-1), ['ENCRYPT_NOT_SUP']);
  });

  it('encrypt:false against a server without Force Encryption: plaintext login, reported as such', async () => {
    const s = await server({ encryption: 'ENCRYPT_OFF' });
    const report = await probeSqlServer(target(s, { tls: { mode: 'off' } }), OPTS);
    assert.equal(step(report, 'tls-negotiation').status, 'warn');
    assert.equal(step(report, 'tls-handshake').status, 'skipped');
    assert.equal(step(report, 'authentication').status, 'warn', statuses(report));
    assert.equal(step(report, 'server-checks').facts.encrypt_option, 'FALSE');
    assert.equal(report.verifiedTls, false);
    assert.ok(s.logins.length >= 1);
    assert.ok(s.logins.every((l) => !l.encrypted && l.accepted));
  });

  it('encrypt:false against ENCRYPT_REQ: negotiation fails as tedious would (EENCRYPT)', async () => {
    const s = await server({ encryption: 'ENCRYPT_REQ' });
    const report = await probeSqlServer(target(s, { tls: { mode: 'off' } }), OPTS);
    assert.equal(step(report, 'tls-negotiation').status, 'fail');
    assert.match(step(report, 'tls-negotiation').explanation, /EENCRYPT/);
    assert.equal(step(report, 'authentication').status, 'skipped');
  });

  it('server without a certificate (NOT_SUP) and a policy that requires TLS: fail, nothing sent', async () => {
    const s = await server({ encryption: 'ENCRYPT_NOT_SUP', identity: undefined });
    const report = await probeSqlServer(target(s), OPTS);
    assert.equal(step(report, 'tls-negotiation').status, 'fail');
    assert.match(step(report, 'tls-negotiation').explanation, /does not support encryption/);
    assert.equal(s.logins.length, 0);
  });

  it('tedious downgrade: encrypt:true (prefer) against a server without a certificate logs in without TLS, warned', async () => {
    const s = await server({ encryption: 'ENCRYPT_NOT_SUP', identity: undefined });
    const report = await probeSqlServer(target(s, { tls: { mode: 'prefer' } }), OPTS);
    assert.equal(step(report, 'tls-negotiation').status, 'warn');
    assert.match(step(report, 'tls-negotiation').explanation, /silently downgrades/);
    assert.equal(step(report, 'authentication').status, 'warn', statuses(report));
    assert.match(step(report, 'authentication').explanation, /WITHOUT TLS/);
    assert.equal(report.connected, true);
    assert.equal(report.verifiedTls, false);
    assert.ok(s.logins.every((l) => !l.encrypted));
  });

  it('unknown database: the 4060 cause is reported', async () => {
    const s = await server({ databases: ['master', 'appdb'] });
    const report = await probeSqlServer(target(s, { database: 'nosuchdb' }), OPTS);
    assert.equal(step(report, 'authentication').status, 'fail');
    assert.match(step(report, 'authentication').explanation, /4060/);
  });

  it('a server that accepts TCP and never answers: the PRELOGIN step fails within the timeout', async () => {
    const s = await server({ silent: true });
    const started = Date.now();
    const report = await probeSqlServer(target(s), { stepTimeoutMs: 400, enforcementProbe: true });
    const elapsed = Date.now() - started;
    assert.equal(step(report, 'tcp').status, 'ok');
    assert.equal(step(report, 'tls-negotiation').status, 'fail');
    assert.match(step(report, 'tls-negotiation').explanation, /Timed out/);
    assert.equal(step(report, 'enforcement').status, 'fail');
    assert.ok(elapsed < 3000, `took ${elapsed} ms`);
  });

  it('cancellation: an aborted signal ends the test with cancelled steps', async () => {
    const s = await server({ silent: true });
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 150);
    const started = Date.now();
    const report = await probeSqlServer(target(s), { stepTimeoutMs: 10_000, enforcementProbe: true, signal: ctl.signal });
    assert.ok(Date.now() - started < 2000);
    assert.equal(report.cancelled, true);
    assert.equal(step(report, 'tls-negotiation').status, 'fail');
    assert.match(step(report, 'tls-negotiation').explanation, /Cancelled/);
    assert.equal(step(report, 'enforcement').status, 'skipped');
  });

  it('nothing listening: the TCP step fails and the rest is skipped', async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const report = await probeSqlServer({ ...target({ host: '127.0.0.1', port } as TdsTestServer) }, OPTS);
    assert.equal(step(report, 'tcp').status, 'fail');
    assert.equal(step(report, 'authentication').status, 'skipped');
  });

  it('the stand-in decodes the TDS password obfuscation (nibble swap, XOR 0xA5)', () => {
    const clear = Buffer.from('Pa55', 'ucs2');
    const scrambled = Buffer.from(clear.map((b) => (((b & 0x0f) << 4) | (b >> 4)) ^ 0xa5));
    assert.equal(decodeLoginPassword(scrambled), 'Pa55');
  });
});
