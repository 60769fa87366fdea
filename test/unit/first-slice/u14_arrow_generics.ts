// Arrow-function generics `<T,>(x: T) =>`, type assertions `<T>x`, satisfies, as const.
import { Pool, PoolConfig } from 'pg';

const identity = <T,>(x: T): T => {
  return x;
};

const hostOf = <T extends { host?: string }>(o: T): string => {
  return o.host ?? 'localhost';
};

const defaults = { database: 'catalog', max: 4 } as const satisfies Partial<PoolConfig>;

export function catalogDb(): Pool {
  const cfg = <PoolConfig>{ ...defaults, host: hostOf({ host: 'localhost' }), ssl: false, connectionTimeoutMillis: 4000 };
  return new Pool(identity(cfg));
}

export const wrap = async <R,>(f: () => Promise<R>): Promise<R | undefined> => {
  try {
    return await f();
  } catch {
    return undefined;
  }
};

export function cast(v: unknown): number {
  const n = <number>v;
  return n / 2 / (n > 0 ? n : 1);
}

export function slug(s: string): string {
  return s.toLowerCase().split(' ').filter(Boolean).join('-');
}

export function pageOf(total: number, size: number): number {
  return Math.max(1, Math.ceil(total / size));
}

export function pairs<K, V>(m: Map<K, V>): [K, V][] {
  const out: [K, V][] = [];
  m.forEach((v, k) => out.push([k, v]));
  return out;
}
