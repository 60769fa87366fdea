// Template literals with nested `${ {} }`, backticks inside, and braces in strings.
import { Pool } from 'pg';

function where(): string {
  return 'localhost';
}

export function reportsDb() {
  return new Pool({ host: `${where()}`, database: `reports`, ssl: false, connectionTimeoutMillis: 4000 });
}

export function render(name: string, tags: string[]): string {
  return `<h1>${name}</h1>${tags.map((t) => `<span class="${ { a: 'x', b: 'y' }[t] ?? '}' }">${t}</span>`).join('')}`;
}

export function code(s: string): string {
  const tick = '`';
  return `${tick}${s.replace(/`/g, '\\`')}${tick} is ${JSON.stringify({ s })}`;
}

export function braces(): string {
  return '{ "open": "{", "close": "}" }' + "}}{{";
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
