// Repository class: this.x assigned in the constructor, read in a method; getters; static members.
import { Pool, PoolConfig } from 'pg';

export class OrdersRepository {
  private readonly region: string;
  private tableName = 'orders';
  static defaultPort = 5432;

  constructor(region = 'eu-west-1') {
    this.region = region;
  }

  get table(): string {
    return this.tableName;
  }

  private hostName(): string {
    return 'db.internal';
  }

  private options(): PoolConfig {
    return {
      host: this.hostName(),
      port: OrdersRepository.defaultPort,
      database: 'orders',
      ssl: { rejectUnauthorized: false },
      connectionTimeoutMillis: 3000,
    };
  }

  pool(): Pool {
    return new Pool(this.options());
  }

  async byId(id: string) {
    const r = await this.pool().query(`select * from ${this.table} where id = $1`, [id]);
    return r.rows[0];
  }

  describe(): string {
    const parts = [this.region, this.tableName];
    return parts.filter(Boolean).join('/');
  }

  static normalise(id: string): string {
    return id.trim().toLowerCase();
  }
}

export function idsFrom(input: string): string[] {
  const out: string[] = [];
  for (const piece of input.split(',')) {
    const v = OrdersRepository.normalise(piece);
    if (v) out.push(v);
  }
  return out;
}
