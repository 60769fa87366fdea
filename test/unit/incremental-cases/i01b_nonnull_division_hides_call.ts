// Cause (1), planSlice, with the edit in the function itself: connect() first ignores its
// parameter, so its parameter is never read and ratio() (whose call `n! / connect('localhost')…`
// the lexer reads as a regex) is untouched. Editing connect() to use `host` keeps connect's
// lexical callers — not ratio(): the sliced parse sees no call (host unknown: tls-disabled), the
// full one binds host to 'localhost' (loopback, no finding).
import { Pool } from 'pg';

export function connect(host: string): Pool {
  return new Pool({ host: 'db.example.com', database: 'app', ssl: false, connectionTimeoutMillis: 5000 });
}

export function ratio(n?: number): number {
  return n! / connect('localhost').totalCount / 2;
}
