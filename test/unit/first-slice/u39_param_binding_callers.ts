// A connection helper bound from its one call in a function without trigger tokens.
import { Pool } from 'pg';

export function openFor(host: string, database: string) {
  return new Pool({ host, database, ssl: false, connectionTimeoutMillis: 4000 });
}

export function start() {
  const h = 'localhost';
  return openFor(h, 'queue');
}

export function queueName(kind: string): string {
  return `q.${kind}`;
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
