/** secret-logged: a DSN, password or token passed to a logger or print function. */
import { ruleMeta } from '../../../../shared/src/rules';
import { Rule, Violation } from './types';

export const secretLogged: Rule = {
  meta: ruleMeta('secret-logged')!,
  check(ctx) {
    const out: Violation[] = [];
    for (const o of ctx.observations) {
      if (o.kind !== 'secret-logged') continue;
      out.push({
        range: o.range,
        message: `A ${o.what} is passed to ${o.callee}(). Logs are shipped, indexed and kept far longer and wider than secrets should be: the credentials end up in every log store. Log the host and database name only, or a redacted form.`,
        key: `${o.callee}|${o.what}`,
      });
    }
    return out;
  },
};
