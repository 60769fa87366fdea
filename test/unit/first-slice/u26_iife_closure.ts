// IIFEs and closures producing options.
import { Pool } from 'pg';

const makeHost = (() => {
  const base = 'localhost';
  return () => base;
})();

function counter() {
  let n = 0;
  return () => ++n;
}

export const next = counter();

export function cacheDb() {
  return new Pool({ host: makeHost(), database: 'cache', ssl: false, connectionTimeoutMillis: 4000 });
}

export const warm = (async () => {
  const xs = [1, 2, 3];
  return xs.map((x) => x * 2);
})();

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
