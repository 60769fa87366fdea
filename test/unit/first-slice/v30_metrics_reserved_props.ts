// v30: metrics code with reserved words as property names (`.new`, `.delete`, `.default`)
// divided on lines that carry a trailing `// a / b` comment; one such line in the pool's options
// also calls the helper that gives the host.
// DIFFERS (shows w02): the `max: weights.default / 2, host: replicaHost(), // … / …` line.
import { Pool } from 'pg';

interface Counts {
  new: number;
  delete: number;
  total: number;
}

const weights = { default: 4, heavy: 12 };

function replicaHost(): string {
  return 'replica.internal';
}

function churn(c: Counts): number {
  const r = c.delete / c.total; // deleted / all
  return Math.round(r * 100);
}

function growth(c: Counts): number {
  const r = c.new / c.total; // added / all
  return Math.round(r * 100);
}

export const replica = new Pool({
  database: 'metrics',
  idleTimeoutMillis: weights.heavy * 1000,
  max: weights.default / 2, host: replicaHost(), // per node / replica
  ssl: false,
});

export function summary(c: Counts) {
  return { churn: churn(c), growth: growth(c) };
}
