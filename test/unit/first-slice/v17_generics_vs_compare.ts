// v17: `<` as generics and as comparisons, generic calls, arrow generics, nested type arguments
// next to comparisons in one expression.
import { Pool } from 'pg';

type Opt<T> = { value: T; set: boolean };

function opt<T>(value: T): Opt<T> {
  return { value, set: true };
}

function clamp(n: number, lo: number, hi: number): number {
  return n < lo ? lo : n > hi ? hi : n;
}

const sizeOf = <T,>(xs: Array<T>): number => xs.length;

function pickMax(a: number, b: number) {
  const less = a < b, more = a > b;
  return less ? b : more ? a : a;
}

function settings() {
  const max = clamp(pickMax(4, 10), 1, 50);
  const host = opt<string>('db.internal').value;
  return { host, max, database: 'analytics' };
}

export const pool = new Pool(new Map<string, number>().size < 1 ? { ...settings(), ssl: false } : settings());

export function rank<K extends string, V extends number>(m: Map<K, V>): K[] {
  return [...m.entries()].sort((x, y) => (x[1] < y[1] ? 1 : -1)).map(([k]) => k);
}

export const count = sizeOf<number>([1, 2, 3]);
