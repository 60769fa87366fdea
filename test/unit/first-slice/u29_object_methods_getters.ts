// Object-literal methods, getters and setters in a config module.
import { Pool } from 'pg';

export const config = {
  _host: 'localhost',
  get host() {
    return this._host;
  },
  set host(v: string) {
    this._host = v;
  },
  database() {
    return 'search';
  },
};

export function searchDb() {
  return new Pool({ host: config.host, database: config.database(), ssl: false, connectionTimeoutMillis: 4000 });
}

export const helpers = {
  trim(s: string) {
    return s.trim();
  },
  lower: (s: string) => {
    return s.toLowerCase();
  },
};

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
