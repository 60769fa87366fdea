/**
 * Test connection against a server that stalls mid-TLS-handshake (issue 5): it completes TCP
 * and answers PostgreSQL's SSLRequest with 'S', then reads the ClientHello and never sends a
 * ServerHello. The tls-handshake step must fail within the per-step timeout and say so, and
 * cancelling during the stall must end the test promptly. The stalling server is a plain
 * net server in this process (no database binaries needed).
 */
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { runProbe } from '../../server/src/probe/index';
import { renderText } from '../../server/src/probe/report';
import { ProbeReport, ProbeTarget, StepId } from '../../server/src/probe/types';
import { step } from '../support/probe';


describe('probe: server stalls mid-TLS-handshake', function () {
  this.timeout(30000);
  let server: net.Server;
  let port: number;
  const held: net.Socket[] = [];
  /** Resolves each time a client's ClientHello (the first bytes after 'S') arrives. */
  let helloWaiters: (() => void)[] = [];

  const target = (): ProbeTarget => ({
    dbms: 'postgres',
    host: '127.0.0.1',
    port,
    user: 'app',
    database: 'app',
    driverLabel: 'pgx',
    tls: { mode: 'require', verifyChain: true, verifyHostname: true, caSource: 'system trust store' },
    auth: { kind: 'password', password: 'Stall-pw-123!', source: 'test' },
  });

  before(async () => {
    server = net.createServer((s) => {
      held.push(s);
      s.on('error', () => undefined);
      let answered = false;
      s.on('data', (chunk) => {
        if (!answered) {
          // SSLRequest: length 8, code 80877103. Answer 'S' and switch to "TLS" (silence).
          answered = true;
          s.write('S');
          if (chunk.length > 8) notifyHello();
          return;
        }
        notifyHello(); // ClientHello bytes: read and ignored, no ServerHello ever
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as net.AddressInfo).port;
  });

  function notifyHello(): void {
    const w = helloWaiters;
    helloWaiters = [];
    for (const f of w) f();
  }

  after(() => {
    for (const s of held) s.destroy();
    server.close();
  });

  it('the tls-handshake step fails with a timeout and the report says so', async () => {
    const r = await runProbe(target(), { stepTimeoutMs: 500, enforcementProbe: false });
    assert.equal(step(r, 'tcp').status, 'ok');
    assert.equal(step(r, 'tls-negotiation').status, 'ok');
    const hs = step(r, 'tls-handshake');
    assert.equal(hs.status, 'fail', renderText(r));
    assert.match(hs.explanation, /Timed out after 0\.5 s/);
    assert.match(hs.explanation, /tls handshake/);
    // Hang guard only (the step timer is 0.5 s; 2-core CI gets generous slack).
    assert.ok(hs.durationMs < 10000, `handshake step took ${hs.durationMs} ms`);
    assert.equal(step(r, 'certificate').status, 'skipped');
    assert.equal(r.connected, false);
    assert.equal(r.verifiedTls, false);
    assert.equal(r.cancelled, false);
    const text = renderText(r);
    assert.match(text, /TLS handshake/);
    assert.match(text, /Timed out/);
    assert.doesNotMatch(text, /Stall-pw-123!/);
  });

  it('cancellation during the stalled handshake ends the test promptly', async () => {
    const ctl = new AbortController();
    // Cancel once the probe is in the handshake (the server has the ClientHello): an event, not a sleep.
    const inHandshake = new Promise<void>((r) => helloWaiters.push(r));
    const steps: StepId[] = [];
    const probe = runProbe(target(), {
      stepTimeoutMs: 60000,
      enforcementProbe: true,
      signal: ctl.signal,
      onStepStart: (id) => steps.push(id),
    });
    await inHandshake;
    ctl.abort();
    // With 60 s step timeouts, only cancellation can end it before the mocha timeout (30 s).
    const r = await probe;
    assert.equal(r.cancelled, true, renderText(r));
    assert.ok(steps.includes('tls-handshake'));
    assert.match(step(r, 'tls-handshake').explanation, /Cancelled/);
    assert.equal(r.connected, false);
    assert.ok(step(r, 'authentication').status === 'skipped' || /Cancelled/.test(step(r, 'authentication').explanation), renderText(r));
  });
});
