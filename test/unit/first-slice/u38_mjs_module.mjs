// ES module (.mjs) with top-level await and dynamic import.
import pg from 'pg';

function where() {
  return 'localhost';
}

export const pool = new pg.Pool({ host: where(), database: 'jobs', ssl: false, connectionTimeoutMillis: 4000 });

const { format } = await import('node:util');

export function line(job) {
  return format('%s: %d', job.name, job.tries);
}

export function backoff(n) {
  return Math.min(1000 * 2 ** n, 60000);
}
