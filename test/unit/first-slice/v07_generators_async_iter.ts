// v07: generators and async iterators, `yield` followed by a regex, `for await`; the option
// helpers are generator-free.
import { Pool } from 'pg';

function* hosts(prefix: string) {
  for (let i = 0; i < 3; i++) yield `${prefix}-${i}.internal`;
}

function* tokensOf(line: string) {
  yield /^\s*#/.test(line) ? 'comment' : 'code';
  yield line.length > 80 ? 'long' : 'short';
}

async function* batches<T>(items: T[], size: number) {
  for (let i = 0; i < items.length; i += size) {
    yield items.slice(i, i + size);
  }
}

function firstHost(): string {
  const it = hosts('db');
  const next = it.next();
  return next.done ? 'localhost' : next.value;
}

function options() {
  return { host: 'db-0.internal', database: 'events', max: 6 };
}

export const pool = new Pool({ ...options(), ssl: false });

export async function importAll(rows: { id: number }[]) {
  let n = 0;
  for await (const batch of batches(rows, 100)) {
    n += batch.length;
    await pool.query('insert into seen(id) select unnest($1::int[])', [batch.map((r) => r.id)]);
  }
  return n;
}

export function classify(lines: string[]) {
  return lines.map((l) => [...tokensOf(l)]);
}

export { firstHost };
