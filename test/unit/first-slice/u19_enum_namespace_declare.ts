// enum, declare, overloads without bodies, abstract methods.
import { Pool } from 'pg';

enum Region {
  Eu = 'eu',
  Us = 'us',
}

declare const BUILD_ID: string;
declare function report(msg: string): void;

export function hostFor(r: Region): string;
export function hostFor(r: string): string;
export function hostFor(r: string): string {
  return r === Region.Eu ? 'localhost' : 'us.internal';
}

export abstract class Store {
  abstract name(): string;
  protected abstract region(): Region;

  open(): Pool {
    return new Pool({ host: hostFor(this.region()), database: this.name(), ssl: false, connectionTimeoutMillis: 4000 });
  }
}

export class EuStore extends Store {
  name() {
    return 'eu_store';
  }
  protected region() {
    return Region.Eu;
  }
}

export function build(): string {
  report(BUILD_ID);
  return BUILD_ID.slice(0, 7);
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
