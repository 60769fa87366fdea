/**
 * credentials-unescaped: a user or password interpolated into a URL-form DSN without escaping —
 * breaks on `@ : / # ?` and can inject connection parameters (e.g. `?sslmode=disable`).
 */
import { ruleMeta } from '../../../../shared/src/rules';
import { Rule, Violation } from './types';

export const credentialsUnescaped: Rule = {
  meta: ruleMeta('credentials-unescaped')!,
  check(ctx) {
    const out: Violation[] = [];
    for (const o of ctx.observations) {
      if (o.kind !== 'credentials-interpolated') continue;
      const fix = o.language === 'go' ? 'build the URL with url.URL{User: url.UserPassword(user, password)} (or url.QueryEscape each part), or use the keyword/value form' : 'wrap each part in encodeURIComponent(…), or pass user and password as separate options';
      out.push({
        range: o.range,
        message: `The ${o.part} is interpolated into a URL-form connection string without escaping (${o.how}). A ${o.part} containing @ : / # ? or & breaks the URL or injects parameters (for example ?sslmode=disable). Instead, ${fix}.`,
        key: `${o.part}|${o.how}`,
      });
    }
    return out;
  },
};
