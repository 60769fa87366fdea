// Class fields, static members and arrow-function properties.
import { Pool } from 'pg';

export class Geo {
  static readonly host = 'localhost';
  readonly database = Geo.pick();
  resolve = () => {
    return Geo.host;
  };

  static pick(): string {
    return 'geo';
  }

  pool = new Pool({ host: this.resolve(), database: this.database, ssl: false, connectionTimeoutMillis: 4000 });

  distance(a: [number, number], b: [number, number]): number {
    const dx = a[0] - b[0];
    const dy = a[1] - b[1];
    return Math.sqrt(dx * dx + dy * dy);
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
