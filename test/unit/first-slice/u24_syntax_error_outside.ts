// A syntax error at top level (outside any body): the slice must not be used.
import { Pool } from 'pg';

function dbHost() {
  return 'orders.internal';
}

export function ordersDb() {
  return new Pool({ host: dbHost(), database: 'orders', ssl: false, connectionTimeoutMillis: 4000 });
}

export const limits = { max: 10, min: 1

export function handler(q: string) {
  return q.trim();
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
