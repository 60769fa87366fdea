#!/usr/bin/env node
// Comments with braces and trigger words; strings with braces; "</script>"-like text.
import { Pool } from 'pg';

/* function fake() { return new Pool({ ssl: false }) } */
function node(): string {
  // } password: "hunter2" {
  return 'localhost'; // }
}

export function auditDb() {
  return new Pool({ host: node(), database: 'audit', ssl: false, connectionTimeoutMillis: 4000 });
}

export function page(title: string): string {
  const head = '<script>var x = { a: 1 };</script>';
  const tail = "</script><!-- } -->";
  return head + '<title>' + title + '</title>' + tail;
}

export function explain(): string {
  /** Not a connection: { host: "db", sslmode: "disable" } */
  return 'see docs { }';
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
