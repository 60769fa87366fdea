// v21: a byte order mark and CRLF line ends throughout; the options helper is a plain function.
import { Pool } from 'pg';

function target() {
  return {
    host: 'db.internal',
    database: 'payments',
    max: 7,
  };
}

function format(n: number): string {
  return n.toFixed(2);
}

export const pool = new Pool({ ...target(), ssl: false });

export function total(items: number[]): string {
  return format(items.reduce((a, b) => a + b, 0));
}
