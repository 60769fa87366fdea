/**
 * A connection profile in words, for the hover and the "Test connection" CodeLens command
 * (SPEC §1.2): who consumes the connection, where it goes, and what its TLS really does.
 *
 *   **pgx** → Amazon RDS (eu-west-1)
 *
 *   TLS on · certificate NOT verified · hostname NOT verified
 *
 *   pgx: sslmode=require encrypts without verifying the certificate.
 *
 * Never a secret: only setting sources and hosts are shown, and every literal password the
 * profile knows is scrubbed from the result as defence in depth.
 */
import { ConnectionProfileView } from '../../../shared/src/protocol';
import { REDACTED } from '../engine/extract/secrets';
import { ConnectionProfile, PasswordSource, Setting, TlsEnabled, Verified } from '../engine/profile/types';

const TLS_WORDS: Readonly<Record<TlsEnabled, string>> = {
  off: 'TLS off',
  optional: 'TLS optional (plaintext fallback)',
  'login-only': 'TLS for the login only',
  on: 'TLS on',
  unknown: 'TLS unknown',
};

function verifiedWords(what: string, v: Verified): string | undefined {
  switch (v) {
    case 'verified':
      return `${what} verified`;
    case 'unverified':
      return `${what} NOT verified`;
    case 'unknown':
      return `${what} verification unknown`;
    default:
      return undefined;
  }
}

const PASSWORD_WORDS: Readonly<Record<PasswordSource, string>> = {
  literal: 'hard-coded password',
  env: 'password from the environment / a secret reference',
  function: 'password from a per-connection callback',
  token: 'IAM/Entra token',
  none: 'no password',
  unknown: 'password source unknown',
};

/** Where the connection goes: the provider when recognised, else the host. */
function destination(p: ConnectionProfile): string {
  if (p.provider.kind !== 'none') return p.provider.label;
  const host = p.host.value;
  if (host) return `\`${host}\``;
  return 'host not known from this file';
}

export function tlsLine(p: ConnectionProfile): string {
  const parts = [TLS_WORDS[p.tls.enabled.value] ?? 'TLS unknown'];
  if (p.tls.enabled.value !== 'off') {
    const chain = verifiedWords('certificate', p.tls.chain.value);
    const host = verifiedWords('hostname', p.tls.hostname.value);
    if (chain) parts.push(chain);
    if (host) parts.push(host);
  }
  return parts.join(' · ');
}

function scrubber(p: ConnectionProfile): (s: string) => string {
  const secrets: string[] = [];
  const pw = p.dsn?.password?.value;
  if (pw && pw.length >= 3) secrets.push(pw);
  return (s) => secrets.reduce((acc, x) => acc.split(x).join(REDACTED), s);
}

/** The hover text (Markdown). */
export function profileHover(p: ConnectionProfile): string {
  const scrub = scrubber(p);
  const lines = [`**${p.driverLabel}** → ${destination(p)}`, tlsLine(p)];
  if (p.tls.explanation) lines.push(p.tls.explanation);
  if (!p.consumerKnown) lines.push('_The consuming driver is not known from this file: its semantics are assumed._');
  return scrub(lines.join('\n\n'));
}

function sourceLine(label: string, s: Setting<unknown> | undefined): string | undefined {
  if (!s) return undefined;
  return `- ${label}: ${String(s.value)} — ${s.source}`;
}

/** The full profile for the "Test connection" command. */
export function profileView(p: ConnectionProfile): ConnectionProfileView {
  const scrub = scrubber(p);
  const summary = scrub(`${p.driverLabel} → ${destination(p).replace(/`/g, '')}: ${tlsLine(p)}`);
  const details = [
    sourceLine('TLS', p.tls.enabled),
    sourceLine('Certificate chain', p.tls.chain),
    sourceLine('Hostname', p.tls.hostname),
    sourceLine('Trust anchors', p.tls.ca),
    sourceLine('Lowest TLS version below 1.2', p.tls.outdatedMinVersion),
    sourceLine('Retired CA', p.tls.retiredCa),
    p.auth.password ? `- Authentication: ${PASSWORD_WORDS[p.auth.password.value] ?? p.auth.password.value} — ${p.auth.password.source}` : undefined,
    sourceLine('Token authentication', p.auth.tokenAuth),
    sourceLine('Connect timeout', p.connectTimeout),
    p.host.value ? `- Host: \`${p.host.value}\` (${p.locality})` : `- Host: ${p.host.source}`,
  ].filter((l): l is string => l !== undefined);
  const markdown = [
    profileHover(p),
    '**Effective settings**',
    details.join('\n'),
    '_This profile is derived from the source text. A live connection test (handshake, certificate chain, server-side checks) is not available in this version._',
  ].join('\n\n');
  return { summary, markdown: scrub(markdown) };
}
