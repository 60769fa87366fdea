// Default parameters that call helpers without trigger tokens.
import { Pool } from 'pg';

function defaultHost() {
  return 'localhost';
}

function defaultName() {
  return 'billing';
}

export function billingDb(host = defaultHost(), database = defaultName()) {
  return new Pool({ host, database, ssl: false, connectionTimeoutMillis: 4000 });
}

export const primary = billingDb();

export function invoiceNo(n: number, year = new Date().getFullYear()): string {
  return `${year}-${String(n).padStart(5, '0')}`;
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
