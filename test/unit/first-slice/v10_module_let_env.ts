// v10: module-level `let` values reassigned by an init function without trigger tokens, read by
// the function that makes the pool; env reads through a zod-like parse.
import { Pool } from 'pg';

let host = 'localhost';
let port = 5432;
let database = 'ledger';
let secure = false;

export function configure(argv: string[]) {
  for (let i = 0; i < argv.length; i += 2) {
    const [key, value] = [argv[i], argv[i + 1]];
    if (key === '--host') host = value;
    else if (key === '--port') port = Number(value);
    else if (key === '--db') database = value;
    else if (key === '--secure') secure = value === 'yes';
  }
}

function schemaParse<T>(src: T): T {
  return src;
}

const env = schemaParse(process.env);

export function open(): Pool {
  return new Pool({ host, port, database, ssl: secure, max: Number(env.MAX_SIZE ?? 10) });
}

export function describe(): string {
  return `${host}:${port}/${database}`;
}

export function humanBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n.toFixed(1)} ${units[i]}`;
}
