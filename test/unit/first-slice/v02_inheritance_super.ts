// v02: class inheritance — a subclass overrides `options()` and calls super; the pool is made in
// the base class through `this.options()`.
import { Pool, PoolConfig } from 'pg';

abstract class Store {
  protected handle?: Pool;

  protected options(): PoolConfig {
    return { host: 'primary.internal', database: 'catalog', max: 10 };
  }

  open(): Pool {
    this.handle ??= new Pool(this.options());
    return this.handle;
  }

  abstract name(): string;
}

class ReplicaStore extends Store {
  constructor(private readonly region: string) {
    super();
  }

  protected options(): PoolConfig {
    return { ...super.options(), host: replicaHost(this.region), max: 4 };
  }

  name(): string {
    return `replica-${this.region}`;
  }
}

class PrimaryStore extends Store {
  name(): string {
    return 'primary';
  }
}

function replicaHost(region: string): string {
  const parts = ['replica', region, 'internal'];
  return parts.join('.');
}

function pickRegion(list: string[]): string {
  const sorted = [...list].sort();
  return sorted[0] ?? 'eu-west-1';
}

export const primary = new PrimaryStore();
export const replica = new ReplicaStore(pickRegion(['us-east-1', 'eu-west-1']));

export function summary(): string[] {
  return [primary.name(), replica.name()].map((n) => n.toUpperCase());
}
