/**
 * TLS pieces shared by the protocol probes: the observing handshake over a socket the protocol
 * has negotiated, certificate chain extraction, and failure explanations in words.
 *
 * The observing handshake never rejects: it completes the handshake with verification results
 * recorded (`authorized`/`authorizationError` for the chain against the policy's CA,
 * `tls.checkServerIdentity` for the name) so that the report can show the chain even when the
 * consuming driver would refuse it. Whether that is a failure is decided by `certificateStep`
 * against the driver's policy; the real driver then connects with its own settings.
 */
import * as crypto from 'node:crypto';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { detectProvider, needsProviderCa } from '../engine/profile/provider';
import { StepAborted, StepFailure, StepOutcome, StepRunner } from './steps';
import { CertificateInfo, ProbeTlsPolicy, TlsObservation } from './types';

const DAY_MS = 24 * 60 * 60 * 1000;

function nameString(n: tls.Certificate | undefined): string {
  if (!n) return '';
  const order = ['CN', 'O', 'OU', 'L', 'ST', 'C'];
  const rec = n as unknown as Record<string, string | string[]>;
  const keys = [...order.filter((k) => k in rec), ...Object.keys(rec).filter((k) => !order.includes(k))];
  return keys.map((k) => `${k}=${Array.isArray(rec[k]) ? (rec[k] as string[]).join('+') : rec[k]}`).join(', ');
}

function certInfo(c: tls.DetailedPeerCertificate, now: number): CertificateInfo {
  const validTo = new Date(c.valid_to);
  const validFrom = new Date(c.valid_from);
  const sans = (c.subjectaltname ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const fp = c.raw ? crypto.createHash('sha256').update(c.raw).digest('hex').toUpperCase().replace(/(..)(?!$)/g, '$1:') : (c.fingerprint256 ?? '');
  return {
    subject: nameString(c.subject),
    issuer: nameString(c.issuer),
    subjectAltNames: sans,
    validFrom: isNaN(validFrom.getTime()) ? c.valid_from : validFrom.toISOString(),
    validTo: isNaN(validTo.getTime()) ? c.valid_to : validTo.toISOString(),
    daysToExpiry: Math.floor((validTo.getTime() - now) / DAY_MS),
    fingerprintSha256: fp,
    selfSigned: c.issuerCertificate === c || (c.issuerCertificate !== undefined && c.issuerCertificate.fingerprint256 === c.fingerprint256),
  };
}

/** The peer chain, leaf first, walking issuerCertificate until a self-signed certificate. */
export function peerChain(socket: tls.TLSSocket, now = Date.now()): CertificateInfo[] {
  const out: CertificateInfo[] = [];
  let c: tls.DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  const seen = new Set<string>();
  while (c && Object.keys(c).length > 0 && !seen.has(c.fingerprint256)) {
    seen.add(c.fingerprint256);
    out.push(certInfo(c, now));
    if (!c.issuerCertificate || c.issuerCertificate === c) break;
    c = c.issuerCertificate;
  }
  return out;
}

/** tls.connect options that imitate the consuming driver's policy (for the real driver). */
export function driverTlsOptions(policy: ProbeTlsPolicy, host: string): tls.ConnectionOptions {
  return {
    rejectUnauthorized: policy.verifyChain,
    ca: policy.caPem,
    checkServerIdentity: policy.verifyHostname ? tls.checkServerIdentity : () => undefined,
    servername: policy.servername ?? (net.isIP(host) ? undefined : host),
    minVersion: policy.minVersion,
  };
}

/**
 * What a completed handshake shows: protocol, cipher, ALPN, SNI, the peer chain, whether the
 * chain verified against the policy's CA (`authorized`: the handshake itself never rejects, so
 * the probe can report what it saw) and whether the certificate matches `checkName`.
 * One home for the PostgreSQL/MySQL handshake and the TLS-inside-TDS one.
 */
export function observationOf(s: tls.TLSSocket, checkName: string, servername: string | undefined, policy: ProbeTlsPolicy): TlsObservation {
  const leaf = s.getPeerCertificate(true);
  const nameErr = leaf && Object.keys(leaf).length ? tls.checkServerIdentity(servername ?? checkName, leaf) : new Error('no certificate');
  const cipher = s.getCipher();
  return {
    protocol: s.getProtocol() ?? undefined,
    cipher: cipher?.standardName ?? cipher?.name,
    alpn: typeof s.alpnProtocol === 'string' ? s.alpnProtocol : undefined,
    sni: servername,
    chain: peerChain(s),
    chainVerified: s.authorized,
    verifyError: s.authorized ? undefined : String(s.authorizationError ?? 'UNKNOWN'),
    caSource: policy.caSource,
    hostnameMatches: nameErr === undefined,
  };
}

/**
 * The observing handshake over `socket` (already negotiated to TLS by the protocol). Resolves
 * with the TLS socket and the observation; rejects with a StepFailure explaining a handshake
 * failure (version refused, reset, …).
 */
export function observeHandshake(
  socket: net.Socket,
  host: string,
  policy: ProbeTlsPolicy,
  signal: AbortSignal,
  opts: { alpn?: string[]; maxVersion?: tls.SecureVersion } = {},
): Promise<{ socket: tls.TLSSocket; observation: TlsObservation }> {
  const servername = policy.servername ?? (net.isIP(host) ? undefined : host);
  return new Promise((resolve, reject) => {
    const s = tls.connect({
      socket,
      servername,
      ca: policy.caPem,
      rejectUnauthorized: false,
      // The name is checked separately so that `authorized` reflects the chain alone.
      checkServerIdentity: () => undefined,
      minVersion: policy.minVersion,
      maxVersion: opts.maxVersion,
      ALPNProtocols: opts.alpn,
    });
    const onAbort = (): void => {
      s.destroy();
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    s.once('secureConnect', () => {
      signal.removeEventListener('abort', onAbort);
      resolve({ socket: s, observation: observationOf(s, host, servername, policy) });
    });
    s.once('error', (e: NodeJS.ErrnoException) => {
      signal.removeEventListener('abort', onAbort);
      s.destroy();
      if (e instanceof StepAborted) return reject(e);
      reject(new StepFailure(`The TLS handshake failed: ${explainTlsError(e, host)}`, { Error: e.code ?? e.message }));
    });
  });
}

function hostOf(host: string): string {
  return host;
}

/** Failure explanations in words, for Node TLS error codes (from the observing handshake or a driver). */
export function explainTlsError(e: { code?: string; message?: string }, host: string): string {
  const code = e.code ?? '';
  const msg = e.message ?? '';
  const provider = detectProvider(host);
  const bundleHint = needsProviderCa(provider)
    ? provider.kind === 'aws-rds'
      ? ` ${provider.label} certificates are signed by the RDS CA, which is not in public trust stores: download the RDS CA bundle (global-bundle.pem) and configure it as the CA (sslrootcert / ssl.ca).`
      : ` ${provider.label} certificates are signed by Alibaba's ApsaraDB CA, which is not in public trust stores: download the CA bundle from the console (SSL settings) and configure it as the CA.`
    : '';
  switch (code) {
    case 'CERT_HAS_EXPIRED':
      return 'the server certificate has expired. Renew the server certificate (or, for a managed database, rotate to a current CA).';
    case 'CERT_NOT_YET_VALID':
      return 'the server certificate is not valid yet (check the clocks of the server and of this machine).';
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return `the server presents a self-signed certificate that is not trusted.${bundleHint || ' Configure that certificate (or the CA that issued it) as the CA.'}`;
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
      return `the certificate was issued by a CA that is not trusted here (unknown CA).${bundleHint || ' Configure the CA that issued the server certificate (sslrootcert / ssl.ca).'}`;
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `the certificate is not valid for the name ${hostOf(host)} (hostname mismatch). Connect with a name listed in the certificate's subject alternative names, or fix the certificate.`;
    case 'ERR_SSL_UNSUPPORTED_PROTOCOL':
    case 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION':
    case 'ERR_SSL_NO_PROTOCOLS_AVAILABLE':
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
      return 'the client and the server have no TLS version in common (TLS version refused). Check ssl_min_protocol_version / tls_version on the server and the minimum version the client allows.';
    case 'ECONNRESET':
      return 'the server closed the connection during the handshake.';
  }
  if (/protocol version|unsupported protocol|no protocols available/i.test(msg)) {
    return 'the client and the server have no TLS version in common (TLS version refused). Check ssl_min_protocol_version / tls_version on the server and the minimum version the client allows.';
  }
  return msg || code || 'unknown TLS error';
}

/** The certificate step's outcome: the observation judged against the driver's policy. */
export function certificateStep(obs: TlsObservation, policy: ProbeTlsPolicy, host: string, driverLabel: string): StepOutcome {
  const leaf = obs.chain[0];
  const facts: Record<string, string> = {};
  if (leaf) {
    facts.Subject = leaf.subject;
    facts.Issuer = leaf.issuer;
    if (leaf.subjectAltNames.length) facts['Subject alternative names'] = leaf.subjectAltNames.join(', ');
    facts['Valid'] = `${leaf.validFrom} – ${leaf.validTo}`;
    facts['Days to expiry'] = String(leaf.daysToExpiry);
    facts['SHA-256 fingerprint'] = leaf.fingerprintSha256;
  }
  facts['Chain'] = obs.chain.map((c) => c.subject).join(' ← ') || '(none)';
  facts['Verified against'] = obs.caSource;
  facts['Chain verified'] = obs.chainVerified ? 'yes' : `no (${obs.verifyError})`;
  facts['Hostname matches'] = obs.hostnameMatches ? 'yes' : 'no';
  facts['Driver verifies'] = `${policy.verifyChain ? 'chain' : 'no chain'}, ${policy.verifyHostname ? 'hostname' : 'no hostname'}`;

  const problems: string[] = [];
  if (!obs.chainVerified) problems.push(explainTlsError({ code: obs.verifyError }, host));
  if (!obs.hostnameMatches) problems.push(explainTlsError({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' }, host));
  const expiring = leaf && obs.chainVerified && leaf.daysToExpiry < 30 ? ` The certificate expires in ${leaf.daysToExpiry} days.` : '';

  const driverRejects = (policy.verifyChain && !obs.chainVerified) || (policy.verifyHostname && !obs.hostnameMatches);
  if (driverRejects) {
    return { status: 'fail', explanation: `${driverLabel} would refuse this server: ${problems.join(' Also, ')}`, facts };
  }
  if (!policy.verifyChain || !policy.verifyHostname) {
    const unverified = !policy.verifyChain ? 'neither the chain nor the hostname' : 'the chain but not the hostname';
    const found = problems.length ? ` The certificate has problems ${driverLabel} does not notice: ${problems.join(' Also, ')}` : ' The certificate itself verifies, but an attacker in the path could present any other certificate.';
    return { status: 'warn', explanation: `${driverLabel} with these settings verifies ${unverified}: encrypted, but not authenticated.${found}`, facts };
  }
  return { status: expiring ? 'warn' : 'ok', explanation: `The certificate chain verifies against the ${obs.caSource} and is valid for ${host}.${expiring}`, facts };
}

/** True when a TLS/driver error is a certificate or handshake problem (for explanations). */
export function isTlsErrorCode(code: string | undefined): boolean {
  if (!code) return false;
  return /CERT|SELF_SIGNED|ISSUER|LEAF_SIGNATURE|ALTNAME|ERR_SSL|ERR_TLS/.test(code);
}

/**
 * The 'tls-handshake' and 'certificate' steps over a socket the protocol has just switched to
 * TLS (PostgreSQL after 'S', MySQL after the SSL request). Returns what the handshake showed,
 * or undefined when it did not complete; the observing connection is closed afterwards (the
 * real driver then connects on its own).
 */
export async function handshakeSteps(runner: StepRunner, socket: net.Socket, host: string, policy: ProbeTlsPolicy, driverLabel: string): Promise<TlsObservation | undefined> {
  const hs = await runner.run('tls-handshake', 'TLS handshake', ['C4'], async (signal) => {
    const r = await observeHandshake(socket, host, policy, signal);
    runner.own(r.socket);
    const o = r.observation;
    return {
      status: 'ok',
      explanation: `Negotiated ${o.protocol} with ${o.cipher}.`,
      facts: { 'TLS version': o.protocol ?? '?', Cipher: o.cipher ?? '?', SNI: o.sni ?? '(none: IP address)', ALPN: o.alpn ?? '(none)' },
      value: r,
    };
  });
  if (!hs.value) {
    runner.skip('certificate', 'Server certificate', 'Not checked: the TLS handshake did not complete.', ['C2', 'C3', 'C5']);
    return undefined;
  }
  const obs = hs.value.observation;
  await runner.run('certificate', 'Server certificate', ['C2', 'C3', 'C5'], async () => certificateStep(obs, policy, host, driverLabel));
  hs.value.socket.end();
  return obs;
}
