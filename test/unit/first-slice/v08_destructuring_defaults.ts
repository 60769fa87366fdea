// v08: destructuring with defaults from helper results, nested patterns, parameter patterns.
import { Pool } from 'pg';

interface Raw {
  host?: string;
  port?: string;
  name?: string;
  limits?: { max?: number; idle?: number };
}

function readRaw(): Raw {
  return { host: process.env.DB_HOST, port: process.env.DB_PORT, limits: { max: 12 } };
}

function normalise({ host = 'localhost', port = '5432', name = 'inventory', limits: { max = 10, idle = 30_000 } = {} }: Raw) {
  return { host, port: Number(port), database: name, max, idleTimeoutMillis: idle };
}

const { host, port, database, max } = normalise(readRaw());

export const pool = new Pool({ host, port, database, max, ssl: false });

export function paginate<T>(items: T[], { page = 1, size = 20 }: { page?: number; size?: number } = {}) {
  const start = (page - 1) * size;
  return items.slice(start, start + size);
}

export function parseRange(value: string): [number, number] {
  const [lo = '0', hi = '0'] = value.split('-');
  return [Number(lo), Number(hi)];
}

export function mergeDefaults<T extends object>(base: T, extra: Partial<T>): T {
  const { ...copy } = base;
  return Object.assign(copy, extra);
}
