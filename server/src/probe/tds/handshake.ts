/**
 * The probe's observing TLS handshake for SQL Server: the same observation as `probe/tls.ts`
 * `observeHandshake`, but run over `TdsTlsTransport` so that the handshake records travel inside
 * TDS PRELOGIN packets as they do for tedious and go-mssqldb (non-strict encryption).
 *
 * Like tedious for non-strict connections, the handshake is capped at TLS 1.2. The chain is
 * verified against the policy's CA (or Node's default store), the name separately with
 * `tls.checkServerIdentity`, so that the report shows the chain even when the driver would refuse
 * it. Never rejects with anything but a StepFailure or the step signal's reason.
 */

import * as net from 'node:net';
import * as tls from 'node:tls';
import { StepAborted, StepFailure } from '../steps';
import { explainTlsError, observationOf } from '../tls';
import { ProbeTlsPolicy, TlsObservation } from '../types';
import { TdsTlsTransport } from './tls-in-tds';

export interface TdsHandshakeResult {
  readonly socket: tls.TLSSocket;
  readonly observation: TlsObservation;
}

/** The name tedious sends as SNI and checks the certificate against: `serverName`, else the host. */
export function tdsServername(host: string, policy: ProbeTlsPolicy): string | undefined {
  const name = policy.servername ?? host;
  return net.isIP(name) ? undefined : name;
}

export function observeTdsHandshake(socket: net.Socket, host: string, policy: ProbeTlsPolicy, signal: AbortSignal): Promise<TdsHandshakeResult> {
  const servername = tdsServername(host, policy);
  return new Promise((resolve, reject) => {
    const transport = new TdsTlsTransport(socket, 'client');
    const s = tls.connect({
      socket: transport,
      servername,
      ca: policy.caPem,
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
      minVersion: policy.minVersion,
      maxVersion: 'TLSv1.2',
    });
    const onAbort = (): void => {
      s.destroy();
      socket.destroy();
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    s.once('secureConnect', () => {
      signal.removeEventListener('abort', onAbort);
      transport.switchToRaw();
      // tedious checks the certificate against serverName, else the host (not the SNI rule).
      resolve({ socket: s, observation: { ...observationOf(s, policy.servername ?? host, undefined, policy), sni: servername } });
    });
    s.once('error', (e: NodeJS.ErrnoException) => {
      signal.removeEventListener('abort', onAbort);
      s.destroy();
      socket.destroy();
      if (e instanceof StepAborted) return reject(e);
      reject(new StepFailure(`The TLS handshake inside TDS failed: ${explainTlsError(e, host)}`, { Error: e.code ?? e.message }));
    });
  });
}
