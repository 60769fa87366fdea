// Non-null assertions followed by division: `x! / y / z`.
import { Pool } from 'pg';

export function statsDb(host: string) {
  return new Pool({ host, database: 'stats', ssl: false, connectionTimeoutMillis: 4000 });
}

interface Window {
  total?: number;
  span?: number;
}

export function rate(w: Window): number {
  return w.total! / w.span! / 60;
}

export function load(w: Window): number {
  const share = w.total! / statsDb('localhost').totalCount / 2;
  return share;
}

export function ratio(a?: number, b?: number): number {
  if (!a || !b) return 0;
  return a / b;
}

export function pct(a: number, b: number): string {
  return `${((a / b) * 100).toFixed(1)}%`;
}
