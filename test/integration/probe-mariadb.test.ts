/**
 * Test connection against real MariaDB servers (SPEC §4): verified TLS, certificate failures,
 * the mysql2 error mapping, the enforcement verdict with require_secure_transport ON and OFF,
 * and the password kept out of every report. Servers and certificates are made per run.
 */
import * as assert from 'node:assert/strict';
import { runProbe } from '../../server/src/probe/index';
import { renderJson, renderText } from '../../server/src/probe/report';
import { ProbeReport, ProbeTarget, ProbeTlsPolicy } from '../../server/src/probe/types';
import { MariaDbInstance, startMariaDb } from '../support/mariadb';
import { makePki, Pki } from '../support/pki';
import { step } from '../support/probe';

const PASSWORD = 'My-S3cret-pw!';
const OPTS = { stepTimeoutMs: 5000, enforcementProbe: true };


describe('probe: MariaDB (real servers)', function () {
  this.timeout(60000);
  let pki: Pki;
  let enforcing: MariaDbInstance;
  let open: MariaDbInstance;
  let wrongHost: MariaDbInstance;
  let verified: ProbeTlsPolicy;

  const target = (port: number, tls: ProbeTlsPolicy, over: Partial<ProbeTarget> = {}): ProbeTarget => ({
    dbms: 'mysql',
    host: '127.0.0.1',
    port,
    user: 'app',
    database: 'app',
    driverLabel: 'mysql2',
    tls,
    auth: { kind: 'password', password: PASSWORD, source: 'test' },
    ...over,
  });

  before(async () => {
    pki = makePki();
    verified = { mode: 'require', verifyChain: true, verifyHostname: true, caPem: pki.caPem, caSource: 'ssl.ca' };
    [enforcing, open, wrongHost] = await Promise.all([
      startMariaDb({ ca: pki.caFile, cert: pki.good.cert, key: pki.good.key, requireSecureTransport: true }),
      startMariaDb({ ca: pki.caFile, cert: pki.good.cert, key: pki.good.key, requireSecureTransport: false }),
      startMariaDb({ ca: pki.caFile, cert: pki.wrongHost.cert, key: pki.wrongHost.key, requireSecureTransport: true }),
    ]);
    for (const m of [enforcing, open, wrongHost]) m.admin(`CREATE USER 'app'@'%' IDENTIFIED BY '${PASSWORD}'; CREATE DATABASE app; GRANT ALL ON app.* TO 'app'@'%';`);
  });

  after(async () => {
    await Promise.all([enforcing?.stop(), open?.stop(), wrongHost?.stop()]);
    pki?.cleanup();
  });

  it('verified TLS with server-side confirmation and enforcement ON', async () => {
    const r = await runProbe(target(enforcing.port, verified), OPTS);
    assert.equal(r.verifiedTls, true, renderText(r));
    assert.equal(step(r, 'tls-negotiation').facts['CLIENT_SSL offered'], 'yes');
    assert.match(r.tls!.chain[0].issuer, /ConnGuard Test CA/);
    const sc = step(r, 'server-checks');
    assert.match(sc.facts.Ssl_version, /^TLSv1\.[23]$/);
    assert.equal(sc.facts.require_secure_transport, 'ON');
    assert.equal(step(r, 'enforcement').status, 'ok');
  });

  it('enforcement on a non-enforcing server: warn', async () => {
    const r = await runProbe(target(open.port, verified), OPTS);
    assert.equal(r.verifiedTls, true);
    assert.equal(step(r, 'enforcement').status, 'warn');
    assert.match(step(r, 'enforcement').explanation, /require_secure_transport is OFF/);
  });

  it('untrusted CA and hostname mismatch are explained', async () => {
    const a = await runProbe(target(enforcing.port, { ...verified, caPem: pki.otherCaPem }), { ...OPTS, enforcementProbe: false });
    assert.match(step(a, 'certificate').explanation, /unknown CA/);
    assert.equal(step(a, 'authentication').status, 'fail');
    const b = await runProbe(target(wrongHost.port, verified), { ...OPTS, enforcementProbe: false });
    assert.match(step(b, 'certificate').explanation, /hostname mismatch/);
    assert.equal(b.verifiedTls, false);
  });

  it('mysql2 without verifyIdentity: connected, chain only, not verified TLS', async () => {
    const r = await runProbe(target(wrongHost.port, { ...verified, verifyHostname: false }), { ...OPTS, enforcementProbe: false });
    assert.equal(r.connected, true);
    assert.equal(step(r, 'certificate').status, 'warn');
    assert.equal(r.verifiedTls, false);
  });

  it('no TLS against require_secure_transport=ON: refused, explained', async () => {
    const r = await runProbe(target(enforcing.port, { mode: 'off', verifyChain: false, verifyHostname: false, caSource: 'n/a' }), OPTS);
    assert.equal(step(r, 'authentication').status, 'fail');
    assert.match(step(r, 'authentication').explanation, /require_secure_transport/);
  });

  it('wrong password mapped to 1045; no password in text or JSON', async () => {
    const wrong = 'Wr0ng-My-Pa55';
    const r = await runProbe(target(open.port, verified, { auth: { kind: 'password', password: wrong, source: 'test' } }), OPTS);
    assert.match(step(r, 'authentication').explanation, /1045/);
    for (const out of [renderText(r), renderJson(r)]) assert.ok(!out.includes(wrong) && !out.includes(PASSWORD));
  });
});
