// profiles/findings differ: a subclass declared inside a left-out body overrides host() (full: not followed, tls-disabled); sliced follows S.host ('localhost').
import { Pool } from 'pg';
export class S {
  host() { return 'localhost'; }
  open() { return new Pool({ host: this.host(), ssl: false, connectionTimeoutMillis: 5000 }); }
}
export function t() { class T extends S { host() { return 'x'; } } return new T(); }
