/** C12 connect-timeout-missing: no connect timeout where the driver's default waits forever or for minutes. */
import { ruleMeta } from '../../../../shared/src/rules';
import { Rule, Violation } from './types';
import { at, keyOf, under } from './util';

export const connectTimeoutMissing: Rule = {
  meta: ruleMeta('connect-timeout-missing')!,
  check(ctx) {
    const out: Violation[] = [];
    for (const p of ctx.profiles) {
      const t = p.connectTimeout;
      if (!t || t.value !== 'missing') continue;
      out.push({
        range: at(p, t),
        message: `No connect timeout ${under(p)}: ${t.source}. When the database is unreachable (failover, security group, DNS) requests hang instead of failing fast, and pools fill with stuck dials. Set a connect timeout of a few seconds${p.remedies.connectTimeout?.[0] ? ` — suggestion: ${p.remedies.connectTimeout[0].title}` : ''}.`,
        fixes: p.remedies.connectTimeout,
        profile: p,
        key: keyOf(p, t),
      });
    }
    return out;
  },
};
