// Callbacks passed to .then / on(...) and router handlers.
import { Pool } from 'pg';
import { EventEmitter } from 'node:events';

const bus = new EventEmitter();
let target = 'localhost';

bus.on('reconfigure', (next: string) => {
  target = next;
});

bus.on('tick', () => {
  const n = Date.now() % 1000;
  return n / 10 / 2;
});

export function eventsDb() {
  return new Pool({ host: target, database: 'events', ssl: false, connectionTimeoutMillis: 4000 });
}

Promise.resolve('replica.internal').then((h) => {
  target = h;
});

export function schedule(fn: () => void, ms: number) {
  const t = setTimeout(fn, ms);
  return () => clearTimeout(t);
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
