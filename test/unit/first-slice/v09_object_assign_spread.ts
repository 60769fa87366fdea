// v09: Object.assign and spread over helper results, with a later key overriding an earlier one.
import { Pool, PoolConfig } from 'pg';

const base = { host: 'db.internal', database: 'crm', port: 5432 };

function sizing(env: string) {
  return env === 'production' ? { max: 40, idleTimeoutMillis: 5_000 } : { max: 5, idleTimeoutMillis: 1_000 };
}

function overrides(): Partial<typeof base> {
  return { database: 'crm_read' };
}

function assembled() {
  return Object.assign({}, base, sizing(process.env.NODE_ENV ?? 'development'), overrides());
}

const cfg: PoolConfig = { ...base, ...sizing('production'), ssl: { rejectUnauthorized: false } };

export const writer = new Pool(cfg);
export const reader = new Pool({ ...assembled(), ssl: true });

export function chunk<T>(list: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += n) out.push(list.slice(i, i + n));
  return out;
}

export function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const k of keys) out[k] = o[k];
  return out;
}
