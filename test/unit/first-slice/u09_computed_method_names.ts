// Methods with computed (string) names, called through this.
import { Pool } from 'pg';

const HOST = 'host';

export class Inventory {
  ['address']() {
    return 'localhost';
  }

  [`database`]() {
    return 'inventory';
  }

  open() {
    return new Pool({ host: this.address(), database: this.database(), ssl: false, connectionTimeoutMillis: 4000 });
  }

  [HOST]() {
    return 'unused';
  }
}

export function sku(prefix: string, n: number): string {
  return `${prefix}-${String(n).padStart(6, '0')}`;
}

export function restock(levels: Map<string, number>, min: number): string[] {
  const out: string[] = [];
  for (const [k, v] of levels) if (v < min) out.push(k);
  return out.sort();
}

export function merge(a: Map<string, number>, b: Map<string, number>) {
  const out = new Map(a);
  for (const [k, v] of b) out.set(k, (out.get(k) ?? 0) + v);
  return out;
}
