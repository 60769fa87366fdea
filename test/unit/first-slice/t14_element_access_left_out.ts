// profiles/findings differ: `rows[i]` in a left-out body makes the full parse's member index incomplete (this.host() not followed: tls-disabled); sliced follows it ('localhost').
import { Pool } from 'pg';
export class S {
  host() { return 'localhost'; }
  open() { return new Pool({ host: this.host(), ssl: false, connectionTimeoutMillis: 5000 }); }
}
export function pick(rows: string[], i: number) { return rows[i]; }
