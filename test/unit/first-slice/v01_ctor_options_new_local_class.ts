// v01: a local class whose constructor stores options; the pool reads them through a method
// (`new Settings(...)`, `settings.toOptions()`); helpers without trigger tokens.
import { Pool } from 'pg';
import express from 'express';

interface Endpoint {
  host: string;
  port: number;
  database: string;
}

class Settings {
  private readonly endpoint: Endpoint;
  private readonly size: number;

  constructor(endpoint: Endpoint, size = 10) {
    this.endpoint = endpoint;
    this.size = size;
  }

  toOptions() {
    return { host: this.endpoint.host, port: this.endpoint.port, database: this.endpoint.database, max: this.size };
  }

  describe(): string {
    return `${this.endpoint.host}:${this.endpoint.port}/${this.endpoint.database}`;
  }
}

function endpointFromEnv(): Endpoint {
  return {
    host: process.env.DB_HOST ?? 'localhost',
    port: Number(process.env.DB_PORT ?? 5432),
    database: process.env.DB_NAME ?? 'orders',
  };
}

function sizeFor(mode: string): number {
  if (mode === 'batch') return 4;
  return 20;
}

const settings = new Settings(endpointFromEnv(), sizeFor(process.env.MODE ?? 'web'));
export const db = new Pool({ ...settings.toOptions(), ssl: false });

const app = express();

app.get('/health', async (_req, res) => {
  res.json({ ok: true, target: settings.describe() });
});

app.get('/orders/:id', async (req, res) => {
  const id = Number(req.params.id);
  if (!Number.isFinite(id)) {
    res.status(400).json({ error: 'bad id' });
    return;
  }
  const rows = await db.query('select * from orders where id = $1', [id]);
  res.json(rows.rows[0] ?? null);
});

export function formatMoney(cents: number): string {
  const whole = Math.floor(cents / 100);
  const rest = String(cents % 100).padStart(2, '0');
  return `${whole}.${rest}`;
}

export default app;
