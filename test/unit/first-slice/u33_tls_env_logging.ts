// NODE_TLS_REJECT_UNAUTHORIZED and logging of a connection string.
import { Pool } from 'pg';
import pino from 'pino';

const logger = pino();

function connectionUrl(): string {
  return 'postgres://app:Tr0ub4dor@orders.internal:5432/app';
}

export function disableChecks() {
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
}

export function open() {
  const url = connectionUrl();
  logger.info({ url }, 'connecting');
  return new Pool({ connectionString: url, connectionTimeoutMillis: 4000 });
}

export function banner(name: string): string {
  return `== ${name} ==`;
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
