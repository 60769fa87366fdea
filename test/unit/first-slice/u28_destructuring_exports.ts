// Destructuring from a helper; re-exports; export default.
import { Pool } from 'pg';

function settings() {
  return { host: 'localhost', database: 'crm', port: 5432 };
}

const { host, database, port } = settings();

export default function crmDb() {
  return new Pool({ host, database, port, ssl: false, connectionTimeoutMillis: 4000 });
}

export { settings as crmSettings };
export * from './util';

export function initials(name: string): string {
  return name.split(' ').map((p) => p[0] ?? '').join('').toUpperCase();
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
