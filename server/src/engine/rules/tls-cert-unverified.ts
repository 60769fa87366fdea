/**
 * C2 tls-cert-unverified: TLS is on but the certificate chain is not verified. Also covers
 * tls.Config literals no connection claims (in files that use a database driver) and
 * NODE_TLS_REJECT_UNAUTHORIZED=0, which turns verification off process-wide.
 */
import { ruleMeta } from '../../../../shared/src/rules';
import { tlsConfigPosture } from '../profile/common';
import { Range } from '../model';
import { ConnectionProfile } from '../profile/types';
import { Rule, Violation } from './types';
import { at, keyOf, sentence, under, where } from './util';

export const tlsCertUnverified: Rule = {
  meta: ruleMeta('tls-cert-unverified')!,
  check(ctx) {
    const out: Violation[] = [];
    for (const p of ctx.profiles) {
      const { enabled, chain } = p.tls;
      if (chain.value !== 'unverified') continue;
      // With optional TLS (prefer, allow, tls=preferred) C1 already says "falls back and never
      // verifies"; a separate knob that switches verification off is still reported at that knob.
      const ownKnob = chain.range !== undefined && (chain.range.start !== enabled.range?.start || chain.range.end !== enabled.range?.end);
      if (enabled.value !== 'on' && enabled.value !== 'login-only' && !(enabled.value === 'optional' && ownKnob)) continue;
      out.push({
        range: at(p, chain),
        message: `The server certificate is not verified (${chain.source})${where(p)} ${under(p)}. ${sentence(p.tls.explanation)} Without verification, anyone who can intercept the connection can pose as the database and collect the credentials. Verify the chain and hostname${p.remedies.verifiedTls?.[0] ? ` — quick fix: ${p.remedies.verifiedTls[0].title}` : ''}.`,
        fixes: p.remedies.verifiedTls,
        profile: p,
        key: keyOf(p, chain),
      });
    }
    for (const o of ctx.observations) {
      if (o.kind === 'node-tls-reject-unauthorized') {
        // Node.js disables verification only for the exact string '0' (`= 0` stores '0').
        if (o.value.trim().replace(/^['"`]|['"`]$/g, '') !== '0') continue;
        out.push({
          range: o.range,
          message: `NODE_TLS_REJECT_UNAUTHORIZED=${o.value} turns certificate verification off for every TLS connection of the Node.js process, database connections included. Remove it and configure the database CA instead (ssl.ca).`,
          key: `node-tls-reject|${o.value}`,
        });
      } else if (o.kind === 'tls-config' && o.dbContext) {
        const t = tlsConfigPosture(o.facts);
        if (t.chain?.value !== 'unverified') continue;
        const isv = o.facts.insecureSkipVerify!;
        // Options written inside a connection's call belong to it: its locality decides whether
        // the finding is relaxed (a loopback pool), and its own report of the same literal wins.
        const owner = ctx.profiles.find((p) => p.site.anchor.start <= isv.range.start && isv.range.end <= p.site.anchor.end);
        // A connection whose profile reports the option holding this literal as one the driver
        // ignores (pg: the connection string's ssl parameters replace the ssl object) has said
        // what this literal does — nothing; reporting it as unverified TLS would contradict that.
        if (ctx.profiles.some((p) => ignoredOption(p, isv.range))) continue;
        const withOwner = <T extends object>(v: T): T => (owner ? { ...v, profile: owner } : v);
        out.push(withOwner(
          o.language === 'go'
            ? {
                range: isv.range,
                message: `${t.chain.source}: this tls.Config accepts any server certificate (chain and hostname unchecked) in a file that opens or configures database connections. Set InsecureSkipVerify to false and configure RootCAs with the database CA if needed; keep it only with a VerifyPeerCertificate/VerifyConnection callback that really verifies.`,
                fixes: [{ title: 'Set InsecureSkipVerify: false', preferred: true, edits: [{ range: isv.range, newText: 'false' }] }],
                key: 'tls.Config|InsecureSkipVerify',
              }
            : {
                range: isv.range,
                message: 'rejectUnauthorized: false makes these TLS options accept any server certificate (chain and hostname unchecked), in a file that opens or configures database connections — wherever they are used (a conditional branch, a shared options object), anyone on the path can pose as the server. Set it to true and give the database CA in `ca` if the server uses a private CA (RDS, PolarDB).',
                fixes: [{ title: 'Set rejectUnauthorized: true', preferred: false, edits: [{ range: isv.range, newText: 'true' }] }],
                key: 'tls-options|rejectUnauthorized',
              },
        ));
      }
    }
    return out;
  },
};

/**
 * Whether `r` lies in the value of a top-level option of `p`'s site that `p` reports as invalid at
 * the option's key (dsn-invalid: the driver ignores or misreads the whole option).
 */
function ignoredOption(p: ConnectionProfile, r: Range): boolean {
  const o = p.site.options;
  if (!o || o.k !== 'obj') return false;
  return o.props.some((q) => q.value.range.start <= r.start && r.end <= q.value.range.end &&
    p.invalid.some((i) => i.range.start === q.keyRange.start && i.range.end === q.keyRange.end));
}
