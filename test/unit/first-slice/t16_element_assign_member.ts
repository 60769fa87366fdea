// profiles/findings differ: `s['host'] = …` in a left-out body replaces the method (full: not followed, tls-disabled); sliced follows S.host ('localhost').
import { Pool } from 'pg';
export class S {
  host() { return 'localhost'; }
  open() { return new Pool({ host: this.host(), ssl: false, connectionTimeoutMillis: 5000 }); }
}
export function patch(s: S) { s['host'] = () => 'x'; }
