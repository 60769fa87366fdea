/**
 * polardb-oracle-driver: godror / Oracle Net used against a PolarDB host. PolarDB for PostgreSQL
 * (Compatible with Oracle) speaks the PostgreSQL wire protocol; godror needs Oracle Net/TNS.
 */
import { ruleMeta } from '../../../../shared/src/rules';
import { Rule, Violation } from './types';

export const polardbOracleDriver: Rule = {
  meta: ruleMeta('polardb-oracle-driver')!,
  check(ctx) {
    const out: Violation[] = [];
    for (const p of ctx.profiles) {
      if (p.dbms !== 'oracle' || p.provider.kind !== 'alibaba-polardb') continue;
      out.push({
        range: p.site.anchor,
        message: `${p.driverLabel} (Oracle Net) is used against ${p.provider.label} (${p.host.value}). PolarDB for PostgreSQL (Compatible with Oracle) speaks the PostgreSQL wire protocol (its drivers are built on PgJDBC / protocol 3.0), not Oracle Net: use pgx (or lib/pq) with a postgres:// connection string and sslmode=verify-full.`,
        profile: p,
        key: `${p.driver}|polardb`,
      });
    }
    return out;
  },
};
