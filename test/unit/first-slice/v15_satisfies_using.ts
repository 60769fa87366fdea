// v15: `satisfies`, `as const`, `using` declarations, `declare` and `accessor` members; option
// objects typed with satisfies, reached through helpers.
import { Pool, type PoolConfig } from 'pg';

const regions = {
  eu: { host: 'eu.db.internal', port: 5432 },
  us: { host: 'us.db.internal', port: 5432 },
} as const satisfies Record<string, { host: string; port: number }>;

type Region = keyof typeof regions;

function regionOf(value: string | undefined): Region {
  return value === 'us' ? 'us' : 'eu';
}

function limits() {
  return { max: 12, idleTimeoutMillis: 15_000 } satisfies Partial<PoolConfig>;
}

class Timer {
  declare readonly label: string;
  accessor started = Date.now();
  [Symbol.dispose]() {
    const ms = Date.now() - this.started;
    if (ms > 1000) process.stderr.write(`slow: ${ms}ms\n`);
  }
}

export const pool = new Pool({ ...regions[regionOf(process.env.REGION)], ...limits(), ssl: false } satisfies PoolConfig);

export async function timed<T>(fn: () => Promise<T>): Promise<T> {
  using t = new Timer();
  return fn();
}
