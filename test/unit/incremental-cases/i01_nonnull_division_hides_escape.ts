// Cause (1), planSlice: in `total! / hosts.map(connect).length / 2` the lexer reads a regex after
// `!` and misses the mention of connect. The full parse sees connect passed as a value (an
// escaping use): its parameter is not bound (host unknown: tls-disabled) and stats() leaves no
// range (untouched). An edit elsewhere blanks stats(): connect has one call left, main()'s, and
// host is bound to 'localhost' (loopback, no finding).
import { Pool } from 'pg';

export function connect(host: string): Pool {
  return new Pool({ host, database: 'app', ssl: false, connectionTimeoutMillis: 5000 });
}

export function main(): Pool {
  return connect('localhost');
}

export function stats(hosts: string[], total?: number): number {
  return total! / hosts.map(connect).length / 2;
}
