// A test hook patches a member through element access.
import { Pool } from 'pg';

export class Reports {
  address(): string {
    return 'localhost';
  }

  open(): Pool {
    return new Pool({ host: this.address(), database: 'reports', ssl: false, connectionTimeoutMillis: 4000 });
  }
}

export function pointAtReplica(r: Reports) {
  r['address'] = () => 'replica.reports.internal';
}

export function weekOf(d: Date): number {
  const start = new Date(d.getFullYear(), 0, 1);
  const days = Math.floor((d.getTime() - start.getTime()) / 86_400_000);
  return Math.ceil((days + start.getDay() + 1) / 7);
}

export function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

export function avg(xs: number[]): number {
  return xs.length ? sum(xs) / xs.length : 0;
}

export function bucket(v: number, edges: number[]): number {
  let i = 0;
  while (i < edges.length && v >= edges[i]) i++;
  return i;
}
