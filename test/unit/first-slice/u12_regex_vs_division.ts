// Regex literals containing braces next to divisions; regex after `)` of if/while.
import { Pool } from 'pg';

function origin(): string {
  return 'localhost';
}

export function ordersDb() {
  return new Pool({ host: origin(), database: 'orders', ssl: false, connectionTimeoutMillis: 4000 });
}

export function stripBraces(s: string): string {
  if (s.length > 0) /}/.test(s);
  let out = s.replace(/[{}]/g, '');
  while (out.endsWith('}')) out = out.slice(0, -1);
  return out.replace(/\{\{(\w+)\}\}/g, (_m, k) => `<${k}>`);
}

export function ratio(a: number, b: number, c: number): number {
  const x = a / b / c;
  const y = (a + b) / 2 / c;
  return x / y;
}

export function tokens(line: string): string[] {
  const re = /\s*([{}()[\]])\s*/g;
  return line.split(re).filter((t) => t !== '');
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
