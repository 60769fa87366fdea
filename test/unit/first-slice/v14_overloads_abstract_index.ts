// v14: overload signatures, abstract classes and members, index signatures, optional methods
// `m?()`, interfaces with call signatures; the pool options come from an overloaded helper.
import { Pool, PoolConfig } from 'pg';

interface Registry {
  [name: string]: PoolConfig | undefined;
  fallback?: PoolConfig;
}

interface Hooks {
  before?(sql: string): void;
  after?(ms: number): void;
  (event: string): void;
}

function optionsFor(name: 'primary'): PoolConfig;
function optionsFor(name: 'replica', lag: number): PoolConfig;
function optionsFor(name: string, lag?: number): PoolConfig {
  const registry: Registry = {
    primary: { host: 'primary.internal', database: 'app' },
    replica: { host: 'replica.internal', database: 'app', max: lag && lag > 5 ? 2 : 8 },
  };
  return registry[name] ?? { host: 'localhost' };
}

abstract class Repository<T> {
  protected abstract readonly table: string;
  abstract map(row: Record<string, unknown>): T;
  optional?(): void;

  constructor(protected readonly pool: Pool) {}

  async all(): Promise<T[]> {
    const r = await this.pool.query(`select * from ${this.table}`);
    return r.rows.map((row) => this.map(row));
  }
}

class Users extends Repository<{ id: number }> {
  protected readonly table = 'users';
  map(row: Record<string, unknown>) {
    return { id: Number(row.id) };
  }
}

export const users = new Users(new Pool({ ...optionsFor('primary'), ssl: false }));

export function compare(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
