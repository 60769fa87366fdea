// v16: regular expressions right after the `)` of if/while/for heads and after the `}` of a block
// (the lexer reads `/` there as division), with slashes, quotes and brackets inside them.
import { Pool } from 'pg';

function hostOnly(value: string): string {
  let out = value.trim();
  if (out.includes(':')) /^[a-z.-]+:[0-9]+$/.test(out) && (out = out.split(':')[0]);
  while (out.endsWith('.')) out = out.slice(0, -1);
  for (const suffix of ['.local']) /x/.test(suffix) || (out = out.replace(suffix, ''));
  return out;
}

function cleanName(raw: string): string {
  if (raw.length > 63) {
    raw = raw.slice(0, 63);
  }
  /^[a-z_]/i.test(raw) || (raw = `_${raw}`);
  return raw.replace(/[^a-z0-9_]/gi, '_');
}

function options() {
  return { host: hostOnly(process.env.DB_HOST ?? 'db.internal.'), database: cleanName('app-main'), max: 9 };
}

export const pool = new Pool({ ...options(), ssl: false });

export function words(text: string): string[] {
  const out: string[] = [];
  for (const w of text.split(/\s+/)) if (w) out.push(w);
  return out;
}

export function ratio(a: number, b: number): number {
  const r = a / b;
  return r / 2 > 1 ? 1 : r;
}
