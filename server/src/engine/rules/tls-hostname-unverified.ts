/** C3 tls-hostname-unverified: the chain is verified but the hostname is not. */
import { ruleMeta } from '../../../../shared/src/rules';
import { Rule, Violation } from './types';
import { at, keyOf, sentence, under, where } from './util';

export const tlsHostnameUnverified: Rule = {
  meta: ruleMeta('tls-hostname-unverified')!,
  check(ctx) {
    const out: Violation[] = [];
    for (const p of ctx.profiles) {
      const { enabled, chain, hostname } = p.tls;
      if (enabled.value === 'off' || enabled.value === 'unknown' || chain.value !== 'verified' || hostname.value !== 'unverified') continue;
      const fixes = p.remedies.verifyHostname;
      out.push({
        range: at(p, hostname),
        message: `The certificate chain is verified but not the hostname (${hostname.source})${where(p)} ${under(p)}. ${sentence(p.tls.explanation)} Any certificate issued by the same CA — for any other server — is accepted, so a machine holding one can impersonate this database. Verify the hostname${fixes?.[0] ? ` — quick fix: ${fixes[0].title}` : ''}.`,
        fixes,
        profile: p,
        key: keyOf(p, hostname),
      });
    }
    return out;
  },
};
