/** timezone-unset: go-sql-driver parseTime=true without loc, godror without timezone (times silently shift). */
import { ruleMeta } from '../../../../shared/src/rules';
import { Rule, Violation } from './types';
import { at, keyOf } from './util';

export const timezoneUnset: Rule = {
  meta: ruleMeta('timezone-unset')!,
  check(ctx) {
    const out: Violation[] = [];
    for (const p of ctx.profiles) {
      const t = p.timezoneUnset;
      if (!t) continue;
      out.push({
        range: at(p, t),
        message: `${t.source} under ${p.driverLabel}: times are read and written in a zone the code does not state, so they shift silently when the server or client zone differs. ${p.dbms === 'mysql' ? 'Add loc=UTC (or the zone the data uses).' : 'Add timezone="UTC" (or the zone the data uses).'}`,
        fixes: p.remedies.timezone,
        profile: p,
        key: keyOf(p, t),
      });
    }
    return out;
  },
};
