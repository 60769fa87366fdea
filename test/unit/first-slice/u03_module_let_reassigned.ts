// Module-level let reassigned inside functions without trigger tokens.
import mysql from 'mysql2/promise';

let host = 'localhost';
let database = 'shop';
let user = 'shop';

export function configure(opts: { h?: string; d?: string; u?: string }) {
  if (opts.h) host = opts.h;
  if (opts.d) database = opts.d;
  if (opts.u) user = opts.u;
}

export function useStaging() {
  host = 'staging.shop.internal';
}

export async function connect() {
  return mysql.createConnection({ host, database, user, password: 'S3cr3t-Shop!', connectTimeout: 5000 });
}

export function slugify(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export function chunk<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
