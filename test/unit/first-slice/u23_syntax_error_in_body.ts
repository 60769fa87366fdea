// A half-typed handler (syntax error inside a body without trigger tokens).
import { Pool } from 'pg';

function dbHost() {
  return 'orders.internal';
}

export function ordersDb() {
  return new Pool({ host: dbHost(), database: 'orders', ssl: false, connectionTimeoutMillis: 4000 });
}

export function handler(req: { query: Record<string, string> }) {
  const page = Number(req.query.page ?? 1
  return { page };
}

export function ok() {
  return { status: 'ok' };
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
