// v03: static members, a static factory and a static default object; the options reach the pool
// from a static method and a module constant.
import * as pg from 'pg';

const DEFAULTS = { port: 5432, max: 8, idleTimeoutMillis: 10_000 };

export class Database {
  static instance: Database | undefined;
  static readonly retries = 3;

  private constructor(readonly handle: pg.Pool) {}

  static create(host: string): Database {
    Database.instance ??= new Database(new pg.Pool({ ...DEFAULTS, host, ssl: { rejectUnauthorized: false } }));
    return Database.instance;
  }

  static reset(): void {
    Database.instance = undefined;
  }

  static backoff(attempt: number): number {
    return Math.min(2 ** attempt * 100, 5_000);
  }
}

function hostFromArgs(argv: string[]): string {
  const i = argv.indexOf('--host');
  return i >= 0 && argv[i + 1] ? argv[i + 1] : 'localhost';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function withRetry<T>(fn: () => Promise<T>): Promise<T> {
  let last: unknown;
  for (let attempt = 0; attempt < Database.retries; attempt++) {
    try {
      return await fn();
    } catch (e) {
      last = e;
      await sleep(Database.backoff(attempt));
    }
  }
  throw last;
}

export const database = Database.create(hostFromArgs(process.argv));
