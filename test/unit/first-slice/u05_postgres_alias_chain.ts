// postgres (porsager) imported once and passed through aliases at module level.
import postgres from 'postgres';

const driver = postgres;
const factory = driver;

export function openOrders() {
  return factory({ host: 'orders.internal', database: 'orders', max: 10 });
}

export function openLocal() {
  return factory({ host: 'localhost', database: 'dev' });
}

export function retryDelays(n: number): number[] {
  const out: number[] = [];
  let d = 100;
  for (let i = 0; i < n; i++) {
    out.push(d);
    d = Math.min(d * 2, 5000);
  }
  return out;
}

export function isUuid(s: string): boolean {
  if (s.length !== 36) return false;
  for (const i of [8, 13, 18, 23]) if (s[i] !== '-') return false;
  return true;
}

export function parseSort(q: string | undefined): { field: string; dir: 'asc' | 'desc' } {
  if (!q) return { field: 'created_at', dir: 'desc' };
  const [field, dir] = q.split(':');
  return { field, dir: dir === 'asc' ? 'asc' : 'desc' };
}

export function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
