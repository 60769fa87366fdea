/**
 * Test connection against real PostgreSQL 15 servers (SPEC §4): TLS outcomes, driver error
 * mapping, the enforcement probe, secrets kept out of reports, time bounds and cancellation,
 * RDS IAM tokens (real @aws-sdk/rds-signer, signature recomputed independently) and the CLI
 * end to end. Servers and certificates are made per run (test/support); missing binaries fail.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import { Signer } from '@aws-sdk/rds-signer';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { Client } from 'pg';
import { runProbe } from '../../server/src/probe/index';
import { pgClientConfig } from '../../server/src/probe/postgres';
import { renderJson, renderText } from '../../server/src/probe/report';
import { explainTlsError } from '../../server/src/probe/tls';
import { ProbeReport, ProbeTarget, ProbeTlsPolicy } from '../../server/src/probe/types';
import { makePki, Pki } from '../support/pki';
import { PgInstance, startPostgres } from '../support/postgres';
import { step } from '../support/probe';

const PASSWORD = 'S3cret-pw!x';
const ROOT = path.resolve(__dirname, '..', '..', '..');
const OPTS = { stepTimeoutMs: 5000, enforcementProbe: true };


describe('probe: PostgreSQL (real servers)', function () {
  this.timeout(60000);
  let pki: Pki;
  let enforcing: PgInstance;
  let open: PgInstance;
  let verified: ProbeTlsPolicy;

  const target = (port: number, tls: ProbeTlsPolicy, over: Partial<ProbeTarget> = {}): ProbeTarget => ({
    dbms: 'postgres',
    host: '127.0.0.1',
    port,
    user: 'app',
    database: 'app',
    driverLabel: 'pgx',
    tls,
    auth: { kind: 'password', password: PASSWORD, source: 'test' },
    ...over,
  });

  before(async () => {
    pki = makePki();
    verified = { mode: 'require', verifyChain: true, verifyHostname: true, caPem: pki.caPem, caSource: 'sslrootcert=ca.pem' };
    // TLS capped at 1.2 on the enforcing server: the version-refused case uses a client minimum of 1.3.
    // iam_user authenticates as RDS IAM users do: a cleartext password (the token) over TLS. With
    // `password` the server reads the role's password only after the client sent its own, so the
    // token minted inside the driver's password callback is the one it checks (with SCRAM the
    // verifier is read first, and a token minted a second later would not match).
    [enforcing, open] = await Promise.all([
      startPostgres({ cert: pki.good.cert, key: pki.good.key, hba: ['hostssl all iam_user 127.0.0.1/32 password', 'hostssl all all 127.0.0.1/32 scram-sha-256', 'hostnossl all all 0.0.0.0/0 reject'], conf: ["ssl_max_protocol_version = 'TLSv1.2'"] }),
      startPostgres({ cert: pki.good.cert, key: pki.good.key, hba: ['host all all 127.0.0.1/32 scram-sha-256'] }),
    ]);
    for (const pg of [enforcing, open]) {
      await pg.admin(`CREATE ROLE app LOGIN PASSWORD '${PASSWORD}'`);
      await pg.admin('CREATE DATABASE app OWNER app');
    }
    await enforcing.admin('CREATE ROLE iam_user LOGIN');
  });

  after(() => {
    enforcing?.stop();
    open?.stop();
    pki?.cleanup();
  });

  it('verified TLS: version, chain and issuer in the report; enforcement ok', async () => {
    const r = await runProbe(target(enforcing.port, verified), OPTS);
    assert.equal(r.verifiedTls, true, renderText(r));
    assert.equal(r.connected, true);
    assert.equal(r.tls?.protocol, 'TLSv1.2');
    assert.equal(r.tls?.chain.length, 2);
    assert.match(r.tls!.chain[0].issuer, /ConnGuard Test CA/);
    assert.ok(r.tls!.chain[0].subjectAltNames.includes('IP Address:127.0.0.1'));
    assert.match(r.tls!.chain[0].fingerprintSha256, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    assert.equal(step(r, 'certificate').status, 'ok');
    assert.equal(step(r, 'server-checks').facts['pg_stat_ssl.ssl'], 'true');
    const enf = step(r, 'enforcement');
    assert.equal(enf.status, 'ok');
    assert.match(enf.facts['Server answer'], /no encryption/);
    assert.match(renderText(r), /verified live: C1, C2, C3, C4, C5/);
  });

  it('untrusted CA: the certificate step fails with "unknown CA"', async () => {
    const r = await runProbe(target(enforcing.port, { ...verified, caPem: pki.otherCaPem, caSource: 'sslrootcert=other.pem' }), { ...OPTS, enforcementProbe: false });
    assert.equal(r.verifiedTls, false);
    assert.equal(step(r, 'certificate').status, 'fail');
    assert.match(step(r, 'certificate').explanation, /unknown CA/);
    assert.equal(step(r, 'authentication').status, 'fail', 'the real driver refuses too');
  });

  it('the RDS bundle hint for an unknown CA on an RDS host', () => {
    const m = explainTlsError({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }, 'mydb.abc123.eu-west-1.rds.amazonaws.com');
    assert.match(m, /unknown CA/);
    assert.match(m, /RDS CA bundle/);
    assert.match(explainTlsError({ code: 'SELF_SIGNED_CERT_IN_CHAIN' }, 'pc-1.mysql.polardb.rds.aliyuncs.com'), /Alibaba/);
  });

  it('sslmode=require (no verification) connects but is not verified TLS', async () => {
    const r = await runProbe(target(enforcing.port, { mode: 'require', verifyChain: false, verifyHostname: false, caSource: 'none' }), { ...OPTS, enforcementProbe: false });
    assert.equal(r.connected, true);
    assert.equal(r.verifiedTls, false);
    assert.equal(step(r, 'certificate').status, 'warn');
  });

  describe('certificate swaps on the enforcing server', () => {
    afterEach(() => enforcing.useCertificate(pki.good.cert, pki.good.key));

    it('hostname mismatch', async () => {
      await enforcing.useCertificate(pki.wrongHost.cert, pki.wrongHost.key);
      const r = await runProbe(target(enforcing.port, verified), { ...OPTS, enforcementProbe: false });
      assert.equal(r.tls?.chainVerified, true);
      assert.equal(r.tls?.hostnameMatches, false);
      assert.equal(step(r, 'certificate').status, 'fail');
      assert.match(step(r, 'certificate').explanation, /hostname mismatch/);
      assert.equal(r.verifiedTls, false);
    });

    it('expired certificate', async () => {
      await enforcing.useCertificate(pki.expired.cert, pki.expired.key);
      const r = await runProbe(target(enforcing.port, verified), { ...OPTS, enforcementProbe: false });
      assert.equal(r.tls?.verifyError, 'CERT_HAS_EXPIRED');
      assert.ok(r.tls!.chain[0].daysToExpiry < 0);
      assert.match(step(r, 'certificate').explanation, /expired/);
      assert.match(step(r, 'authentication').explanation, /expired/);
    });
  });

  it('TLS version refused (server max TLS 1.2, client minimum TLS 1.3)', async () => {
    const r = await runProbe(target(enforcing.port, { ...verified, minVersion: 'TLSv1.3' }), { ...OPTS, enforcementProbe: false });
    assert.equal(step(r, 'tls-handshake').status, 'fail');
    assert.match(step(r, 'tls-handshake').explanation, /TLS version refused/);
    assert.equal(r.connected, false);
  });

  it('sslmode=disable against a TLS-only server: refused, explained', async () => {
    const r = await runProbe(target(enforcing.port, { mode: 'off', verifyChain: false, verifyHostname: false, caSource: 'n/a' }), OPTS);
    assert.equal(step(r, 'tls-negotiation').status, 'warn');
    assert.equal(step(r, 'authentication').status, 'fail');
    assert.match(step(r, 'authentication').explanation, /refuses plaintext/);
  });

  it('enforcement probe on a non-enforcing server: warn (accepts plaintext), no password sent', async () => {
    const r = await runProbe(target(open.port, verified), OPTS);
    assert.equal(r.verifiedTls, true);
    const enf = step(r, 'enforcement');
    assert.equal(enf.status, 'warn');
    assert.match(enf.facts['Server answer'], /SASL/);
  });

  it('wrong password mapped to 28P01, and the password is absent from text and JSON', async () => {
    const wrong = 'Wr0ng-Pa55word-xyz';
    const r = await runProbe(target(enforcing.port, verified, { auth: { kind: 'password', password: wrong, source: 'test' } }), OPTS);
    assert.equal(step(r, 'authentication').status, 'fail');
    assert.match(step(r, 'authentication').explanation, /Wrong password.*28P01/);
    for (const out of [renderText(r), renderJson(r)]) {
      assert.ok(!out.includes(wrong));
      assert.ok(!out.includes(PASSWORD));
    }
    const ok = await runProbe(target(enforcing.port, verified), OPTS);
    assert.ok(!renderText(ok).includes(PASSWORD) && !renderJson(ok).includes(PASSWORD));
  });

  it('a database that does not exist: 3D000', async () => {
    const r = await runProbe(target(enforcing.port, verified, { database: 'nope' }), { ...OPTS, enforcementProbe: false });
    assert.match(step(r, 'authentication').explanation, /3D000/);
  });

  describe('time bounds', () => {
    let silent: net.Server;
    let silentPort: number;
    const held: net.Socket[] = [];
    before(async () => {
      silent = net.createServer((s) => held.push(s)); // accepts TCP, never answers
      await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
      silentPort = (silent.address() as net.AddressInfo).port;
    });
    after(() => {
      for (const s of held) s.destroy();
      silent.close();
    });

    it('a server that accepts TCP and never answers: a failed step within the timeout', async () => {
      const t0 = Date.now();
      const r = await runProbe(target(silentPort, verified), { stepTimeoutMs: 300, enforcementProbe: true });
      const took = Date.now() - t0;
      const neg = step(r, 'tls-negotiation');
      assert.equal(neg.status, 'fail');
      assert.match(neg.explanation, /Timed out after 0\.3 s/);
      assert.ok(neg.durationMs < 1000, `step took ${neg.durationMs} ms`);
      assert.ok(took < 3000, `probe took ${took} ms`);
      assert.equal(r.connected, false);
    });

    it('cancellation via AbortSignal ends the test and skips the rest', async () => {
      const ctl = new AbortController();
      setTimeout(() => ctl.abort(), 150);
      const t0 = Date.now();
      const r = await runProbe(target(silentPort, verified), { stepTimeoutMs: 10000, enforcementProbe: true, signal: ctl.signal });
      assert.ok(Date.now() - t0 < 2000);
      assert.equal(r.cancelled, true);
      assert.match(step(r, 'tls-negotiation').explanation, /Cancelled/);
      assert.ok(r.steps.filter((s) => s.status === 'skipped').length >= 1);
    });
  });

  describe('RDS IAM tokens', () => {
    const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

    it('the real signer presigns rds-db:connect with SigV4 (signature recomputed independently)', async () => {
      const signer = new Signer({ hostname: 'mydb.abc123.eu-west-1.rds.amazonaws.com', port: 5432, username: 'iam_user', region: 'eu-west-1', credentials });
      const token = await signer.getAuthToken();
      const u = new URL(`https://${token}`);
      assert.equal(u.searchParams.get('Action'), 'connect');
      assert.equal(u.searchParams.get('DBUser'), 'iam_user');
      assert.equal(u.searchParams.get('X-Amz-Expires'), '900');
      assert.match(u.searchParams.get('X-Amz-Credential') ?? '', /^AKIDEXAMPLE\/\d{8}\/eu-west-1\/rds-db\/aws4_request$/);
      const d = u.searchParams.get('X-Amz-Date') ?? '';
      const signingDate = new Date(`${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${d.slice(9, 11)}:${d.slice(11, 13)}:${d.slice(13, 15)}Z`);
      const sigv4 = new SignatureV4({ service: 'rds-db', region: 'eu-west-1', credentials, sha256: Sha256 });
      const presigned = await sigv4.presign(
        { method: 'GET', protocol: 'https:', hostname: u.hostname, port: 5432, path: '/', query: { Action: 'connect', DBUser: 'iam_user' }, headers: { host: `${u.hostname}:5432` } },
        { expiresIn: 900, signingDate },
      );
      assert.equal(u.searchParams.get('X-Amz-Signature'), presigned.query?.['X-Amz-Signature']);
    });

    it('the token travels as the password over TLS, fresh for every connection', async () => {
      // A real token, installed as the role's password before any connection: a login then proves
      // the token was sent as the password. (Installing each fresh token from inside the password
      // callback raced with the backend's catalog snapshot: the server could still check the old one.)
      const installed = await new Signer({ hostname: 'localhost', port: enforcing.port, username: 'iam_user', region: 'us-east-1', credentials }).getAuthToken();
      await enforcing.admin(`ALTER ROLE iam_user PASSWORD '${installed}'`);
      let calls = 0;
      const rdsSigner = (o: { hostname: string; port: number; username: string; region: string }) => {
        const real = new Signer({ ...o, credentials });
        return {
          async getAuthToken() {
            calls++;
            // Every call still mints with the real signer (the probe must ask for a token per
            // connection); the answer is the installed token, valid for 15 minutes like any other.
            const fresh = await real.getAuthToken();
            assert.match(fresh, /X-Amz-Signature=/);
            return installed;
          },
        };
      };
      const t = target(enforcing.port, verified, { user: 'iam_user', database: 'postgres', host: 'localhost', auth: { kind: 'rds-iam', region: 'us-east-1' } });
      const r = await runProbe(t, OPTS, { rdsSigner });
      assert.equal(r.verifiedTls, true, renderText(r));
      assert.equal(step(r, 'server-checks').facts['pg_stat_ssl.ssl'], 'true');
      assert.ok(calls >= 2, 'resolve and the connection each mint a token');
      assert.ok(!renderJson(r).includes('X-Amz-Signature'), 'no token in the report');

      // Each new pg connection asks the password function again.
      let asked = 0;
      const signer = rdsSigner({ hostname: 'localhost', port: enforcing.port, username: 'iam_user', region: 'us-east-1' });
      const password = async (): Promise<string> => {
        asked++;
        return signer.getAuthToken();
      };
      for (let i = 0; i < 2; i++) {
        const c = new Client(pgClientConfig(t, password, true, 5000));
        await c.connect();
        await c.end();
      }
      assert.equal(asked, 2);
    });
  });

  describe('CLI end to end', () => {
    const cli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
      spawnSync(process.execPath, [path.join(ROOT, 'bin', 'connguard.js'), 'test', ...args], { encoding: 'utf8', env: { ...process.env, ...env }, input: '', timeout: 30000 });

    it('exit 0 with verified TLS, JSON output, no password anywhere', () => {
      const dsn = `postgres://app@127.0.0.1:${enforcing.port}/app?sslmode=verify-full&sslrootcert=${pki.caFile}`;
      const r = cli([dsn, '--yes', '--format', 'json'], { PGPASSWORD: PASSWORD });
      assert.equal(r.status, 0, r.stdout + r.stderr);
      const j = JSON.parse(r.stdout);
      assert.equal(j.verifiedTls, true);
      assert.equal(j.target.port, enforcing.port);
      assert.ok(!r.stdout.includes(PASSWORD) && !r.stderr.includes(PASSWORD));
    });

    it('exit 1 without verified TLS; a password in the DSN is flagged and never printed', () => {
      const dsn = `postgres://app:${encodeURIComponent(PASSWORD)}@127.0.0.1:${enforcing.port}/app?sslmode=require`;
      const r = cli([dsn, '--yes']);
      assert.equal(r.status, 1, r.stdout + r.stderr);
      assert.match(r.stdout, /Authenticated as "app" over TLS/);
      assert.match(r.stderr, /hard-coded secret/);
      assert.ok(!r.stdout.includes(PASSWORD) && !r.stderr.includes(PASSWORD));
    });

    it('exit 2 without a terminal and without --yes, and for usage errors', () => {
      const r = cli([`postgres://app@127.0.0.1:${enforcing.port}/app`]);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /pass --yes/);
      assert.equal(cli(['--timeout', 'x', 'postgres://h/db']).status, 2);
      assert.equal(cli([]).status, 2);
    });
  });
});
