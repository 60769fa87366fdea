// v28: logging through helpers — a `report` helper that prints with console.error, a wrapper
// that forwards its arguments, and a URL built in one function and printed in another.
import { Pool } from 'pg';

const target = process.env.PRIMARY_URL ?? 'postgres://app:hunter2@db.internal/app';

function report(message: string, detail?: unknown) {
  console.error(`[svc] ${message}`, detail ?? '');
}

function forward(...args: unknown[]) {
  report('event', args);
}

function describe(u: string): string {
  const parsed = new URL(u);
  return `${parsed.hostname}/${parsed.pathname.slice(1)}`;
}

export const pool = new Pool({ connectionString: target });

export async function check() {
  try {
    await pool.query('select 1');
  } catch (e) {
    report('unreachable', describe(target));
    forward(e);
  }
}

export function warnSlow(ms: number) {
  if (ms > 500) report('slow query', { ms });
}
