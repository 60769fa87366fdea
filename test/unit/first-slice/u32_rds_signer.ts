// RDS IAM token minted once and reused; hostname from a helper.
import { Signer } from '@aws-sdk/rds-signer';
import { Pool } from 'pg';

function endpoint(): string {
  return 'orders.cluster-abc123.eu-west-1.rds.amazonaws.com';
}

const signer = new Signer({ hostname: endpoint(), port: 5432, username: 'app', region: 'eu-west-1' });

export async function ordersPool() {
  const token = await signer.getAuthToken();
  return new Pool({ host: endpoint(), user: 'app', password: token, ssl: true, connectionTimeoutMillis: 4000 });
}

export function retry<T>(f: () => Promise<T>, n = 3): Promise<T> {
  return f().catch((e) => (n > 0 ? retry(f, n - 1) : Promise.reject(e)));
}

export function slug(s: string): string {
  return s.toLowerCase().split(' ').filter(Boolean).join('-');
}

export function pageOf(total: number, size: number): number {
  return Math.max(1, Math.ceil(total / size));
}

export function pairs<K, V>(m: Map<K, V>): [K, V][] {
  const out: [K, V][] = [];
  m.forEach((v, k) => out.push([k, v]));
  return out;
}
