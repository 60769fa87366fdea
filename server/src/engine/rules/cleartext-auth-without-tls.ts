/** C10 cleartext-auth-without-tls: a cleartext-password mechanism is enabled without verified TLS. */
import { ruleMeta } from '../../../../shared/src/rules';
import { Rule, Violation } from './types';
import { at, keyOf, under } from './util';

export const cleartextAuthWithoutTls: Rule = {
  meta: ruleMeta('cleartext-auth-without-tls')!,
  check(ctx) {
    const out: Violation[] = [];
    for (const p of ctx.profiles) {
      const c = p.auth.cleartextPlugin;
      if (!c) continue;
      const verified = p.tls.enabled.value === 'on' && p.tls.chain.value === 'verified';
      if (verified || p.tls.enabled.value === 'unknown' || p.tls.chain.value === 'unknown') continue;
      out.push({
        range: at(p, c),
        message: `The cleartext password plugin is enabled (${c.source}) ${under(p)} but TLS is ${p.tls.enabled.value === 'on' ? 'not verified' : 'not required'} (${p.tls.enabled.value === 'on' ? p.tls.chain.source : p.tls.enabled.source}). The driver sends the password (or RDS IAM token) as plain text and does not check that the channel is protected. Require verified TLS (RDS IAM for MySQL needs it anyway)${p.remedies.verifiedTls?.[0] ? ` — quick fix: ${p.remedies.verifiedTls[0].title}` : ''}.`,
        fixes: p.remedies.verifiedTls,
        profile: p,
        key: keyOf(p, c),
      });
    }
    return out;
  },
};
