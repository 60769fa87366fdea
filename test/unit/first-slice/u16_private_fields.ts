// #private fields and methods, optional chaining, `?.(`.
import mysql from 'mysql2/promise';

export class Sessions {
  #host = 'localhost';
  #cache = new Map<string, number>();

  #address(): string {
    return this.#host;
  }

  #port() {
    return 3306;
  }

  async open() {
    return mysql.createPool({ host: this.#address(), port: this.#port(), user: 'sessions', password: 'hunter2-Sessions', connectTimeout: 4000 });
  }

  hit(key: string, onMiss?: (k: string) => void): number {
    const v = this.#cache.get(key);
    if (v === undefined) onMiss?.(key);
    return v ?? 0;
  }

  touch(key: string) {
    this.#cache.set(key, (this.#cache.get(key) ?? 0) + 1);
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
