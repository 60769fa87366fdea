// v35: async arrows, `export default async function`, re-exports `export { a as b }`, and an
// options helper used only through a re-exported name.
import { Pool } from 'pg';

const sizing = async () => ({ max: 6, idleTimeoutMillis: 2_000 });

async function placement() {
  return { host: 'orders.internal', database: 'orders' };
}

export default async function start() {
  const [s, p] = await Promise.all([sizing(), placement()]);
  return new Pool({ ...s, ...p, ssl: false });
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function drain(queue: string[]) {
  while (queue.length) {
    queue.shift();
    await wait(10);
  }
}

export { drain as flush, placement as where };
