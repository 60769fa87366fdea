/** C1 tls-disabled: the connection can run without TLS (off, optional, plaintext fallback, login-only). */
import { ruleMeta } from '../../../../shared/src/rules';
import { Rule, Violation } from './types';
import { at, keyOf, sentence, under, where } from './util';

export const tlsDisabled: Rule = {
  meta: ruleMeta('tls-disabled')!,
  check(ctx) {
    const out: Violation[] = [];
    for (const p of ctx.profiles) {
      const e = p.tls.enabled;
      if (e.value !== 'off' && e.value !== 'optional' && e.value !== 'login-only') continue;
      const what =
        e.value === 'off' ? 'TLS is off' : e.value === 'optional' ? 'TLS is optional: the driver falls back to plaintext when TLS is not offered, which an attacker on the path can force' : 'Only the login packet is encrypted; the rest of the session travels in plaintext unless the server demands encryption';
      out.push({
        range: at(p, e),
        message: `${what} (${e.source})${where(p)} ${under(p)}. ${sentence(p.tls.explanation)} Queries, results and credentials can be read or changed in transit. Require TLS with full verification${p.remedies.verifiedTls?.[0] ? ` — quick fix: ${p.remedies.verifiedTls[0].title}` : ''}.`,
        fixes: p.remedies.verifiedTls,
        profile: p,
        key: keyOf(p, e),
      });
    }
    return out;
  },
};
