// Express service: pool options come from helpers without trigger tokens.
import express, { Request, Response } from 'express';
import { Pool } from 'pg';

const app = express();

function dbHost(): string {
  return 'localhost';
}

function dbPort(): number {
  return 5432;
}

function baseOptions() {
  return { host: dbHost(), port: dbPort(), database: 'orders', max: 10 };
}

export function createPool() {
  return new Pool({ ...baseOptions(), user: 'orders', ssl: false, connectionTimeoutMillis: 5000 });
}

function paginate(req: Request): { limit: number; offset: number } {
  const limit = Math.min(Number(req.query.limit ?? 20), 100);
  const offset = Number(req.query.offset ?? 0);
  return { limit, offset };
}

app.get('/health', (_req: Request, res: Response) => {
  res.json({ ok: true, uptime: process.uptime() });
});

app.get('/orders', async (req: Request, res: Response) => {
  const { limit, offset } = paginate(req);
  const rows = await createPool().query('select * from orders limit $1 offset $2', [limit, offset]);
  res.json(rows.rows);
});

function formatMoney(cents: number): string {
  const whole = Math.floor(cents / 100);
  const frac = String(cents % 100).padStart(2, '0');
  return `${whole}.${frac}`;
}

export function summary(items: { cents: number }[]): string {
  let total = 0;
  for (const it of items) total += it.cents;
  return formatMoney(total);
}

app.listen(3000);
