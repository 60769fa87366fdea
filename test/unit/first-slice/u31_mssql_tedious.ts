// mssql and tedious configs assembled by helpers.
import sql from 'mssql';
import { Connection } from 'tedious';

function server(): string {
  return 'localhost';
}

function auth(user: string) {
  return { type: 'default' as const, options: { userName: user, password: 'Pa55-Tedious!' } };
}

export async function hr() {
  return sql.connect({ server: server(), database: 'hr', user: 'hr', password: process.env.HR_DB_PASSWORD, options: { encrypt: false, trustServerCertificate: true } });
}

export function payroll() {
  return new Connection({ server: server(), authentication: auth('payroll'), options: { encrypt: true, trustServerCertificate: false, connectTimeout: 4000 } });
}

export function weekday(d: Date): string {
  return ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getDay()];
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
