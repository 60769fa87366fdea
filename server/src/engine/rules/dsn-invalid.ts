/** dsn-invalid: a connection string or option its consumer would reject or misread (from the profile). */
import { ruleMeta } from '../../../../shared/src/rules';
import { Rule, Violation } from './types';

export const dsnInvalid: Rule = {
  meta: ruleMeta('dsn-invalid')!,
  check(ctx) {
    const out: Violation[] = [];
    for (const p of ctx.profiles) {
      for (const inv of p.invalid) {
        out.push({ range: inv.range, message: inv.message, fixes: inv.fixes, profile: p, key: `${p.driver}|${inv.message.slice(0, 60)}` });
      }
    }
    return out;
  },
};
