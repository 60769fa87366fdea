// A secret returned by a helper and logged by a function without trigger tokens in its name.
import winston from 'winston';

const out = winston.createLogger();

function materialise(): string {
  return process.env.DB_PASSWORD ?? '';
}

export function announce() {
  const v = materialise();
  out.info(`starting with ${v}`);
}

export function title(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
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
