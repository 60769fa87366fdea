// Members named like keywords: get, set, async, static, delete, default.
import { Pool } from 'pg';

export class Settings {
  private values = new Map<string, string>();

  get(key: string): string | undefined {
    return this.values.get(key);
  }

  set(key: string, v: string): void {
    this.values.set(key, v);
  }

  async(): string {
    return 'localhost';
  }

  static static(): number {
    return 5432;
  }

  delete(key: string) {
    return this.values.delete(key);
  }

  default() {
    return { host: this.async(), port: Settings.static() };
  }

  open() {
    return new Pool({ ...this.default(), database: 'settings', ssl: false, connectionTimeoutMillis: 4000 });
  }
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
