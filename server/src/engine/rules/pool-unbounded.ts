/**
 * C11 pool-unbounded: a Go *sql.DB pool without SetMaxOpenConns, with more idle than open
 * connections, or without SetConnMaxLifetime (or above one hour). Missing settings are reported
 * at the call that opens the pool, wrong ones at the Set* call. Quiet when the pool escapes the
 * function (its settings may be applied elsewhere) — about missing settings only: a wrong value set
 * here is reported wherever the pool goes.
 */
import { ruleMeta } from '../../../../shared/src/rules';
import { Range } from '../model';
import { ConnectionProfile } from '../profile/types';
import { Rule, Violation } from './types';

const WHY = 'Without limits a burst exhausts the database’s max_connections; without a lifetime, connections survive certificate rotation, failover and IAM token expiry.';
const HOW = 'Call db.SetMaxOpenConns(n), db.SetMaxIdleConns(≤ n) and db.SetConnMaxLifetime(≤ time.Hour — below 15 minutes with IAM tokens).';

export const poolUnbounded: Rule = {
  meta: ruleMeta('pool-unbounded')!,
  check(ctx) {
    const out: Violation[] = [];
    for (const p of ctx.profiles) {
      const pool = p.pool;
      if (!pool) continue;
      const v = (range: Range, what: string, key: string): Violation => ({
        range,
        message: `This ${p.driverLabel} *sql.DB pool ${what}. ${WHY} ${HOW}`,
        profile: p,
        key: `${p.driver}|pool|${key}`,
      });
      // A pool that leaves the function may get its missing settings elsewhere; a wrong value
      // set here is wrong wherever the pool goes.
      out.push(...wrongSettings(p, v));
      if (pool.escapes) continue;
      const missing: string[] = [];
      if (pool.maxOpen.value === 'unset') missing.push('no SetMaxOpenConns (unlimited connections)');
      if (pool.maxLifetime.value === 'unset') missing.push('no SetConnMaxLifetime (connections are never recycled)');
      if (missing.length) out.push(v(p.site.anchor, `has ${missing.join(' and ')}`, 'missing'));
    }
    return out;
  },
};

function wrongSettings(p: ConnectionProfile, v: (r: Range, what: string, key: string) => Violation): Violation[] {
  const pool = p.pool!;
  const out: Violation[] = [];
  const open = pool.maxOpen.value;
  const idle = pool.maxIdle.value;
  const life = pool.maxLifetime.value;
  if (typeof open === 'number' && open <= 0 && pool.maxOpen.range) out.push(v(pool.maxOpen.range, `is unlimited: SetMaxOpenConns(${open}) means no limit`, 'open'));
  if (typeof idle === 'number' && typeof open === 'number' && open > 0 && idle > open && pool.maxIdle.range)
    out.push(v(pool.maxIdle.range, `keeps more idle than open connections: SetMaxIdleConns(${idle}) above SetMaxOpenConns(${open})`, 'idle'));
  if (typeof life === 'number' && pool.maxLifetime.range && (life <= 0 || life > 3600))
    out.push(v(pool.maxLifetime.range, life <= 0 ? 'never recycles connections: SetConnMaxLifetime(0) means forever' : `recycles connections only after ${life / 3600} hours (SetConnMaxLifetime above one hour)`, 'lifetime'));
  return out;
}
