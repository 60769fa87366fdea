// Service class whose dsn() helper is followed through this.dsn(); a handler elsewhere indexes arrays by a variable.
import { Pool } from 'pg';
import type { Request, Response } from 'express';

export class Database {
  dsn(): string {
    return 'postgres://app@localhost:5432/app?sslmode=disable';
  }

  pool(): Pool {
    return new Pool({ connectionString: this.dsn(), connectionTimeoutMillis: 5000 });
  }
}

const db = new Database();

export async function listUsers(req: Request, res: Response) {
  const r = await db.pool().query('select id, name from users');
  res.json(r.rows);
}

export function headerValue(req: Request, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

export function pickColumns(row: Record<string, unknown>, cols: string[]) {
  const out: Record<string, unknown> = {};
  for (const c of cols) out[c] = row[c];
  return out;
}

export function csv(rows: Record<string, unknown>[]): string {
  if (rows.length === 0) return '';
  const cols = Object.keys(rows[0]);
  const lines = [cols.join(',')];
  for (const r of rows) lines.push(cols.map((c) => JSON.stringify(r[c] ?? '')).join(','));
  return lines.join('\n');
}
