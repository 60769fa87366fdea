// Cause (5), planSlice: `rows[i]` in an untouched function makes the full parse's member index
// incomplete (membersComplete = false), so `this.host()` is not followed (host unknown:
// tls-disabled). An edit elsewhere (e.g. a comment line in host() or connect()) re-analyses with
// pageOf() blanked: the index is complete, this.host() is followed ('localhost', loopback, no finding).
import { Pool } from 'pg';

export class OrdersDb {
  host(): string {
    return 'localhost';
  }

  connect(): Pool {
    return new Pool({ host: this.host(), database: 'orders', ssl: false, connectionTimeoutMillis: 5000 });
  }
}

export function pageOf(rows: string[], i: number): string {
  return rows[i];
}
