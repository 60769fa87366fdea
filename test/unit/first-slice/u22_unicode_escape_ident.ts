// Unicode escapes in identifiers (the lexer reads names from the text).
import { Pool } from 'pg';

function h\u006fst(): string {
  return 'localhost';
}

export function mailDb() {
  return new Pool({ host: host(), database: 'mail', ssl: false, connectionTimeoutMillis: 4000 });
}

export function \u0066old(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
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
