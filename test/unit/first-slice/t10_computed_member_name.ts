// profiles/findings differ: this.host() reaches the computed-name method ['host'] (host 'localhost', no finding); sliced leaves it out (host unknown, tls-disabled).
import { Pool } from 'pg';
export class S {
  ['host']() { return 'localhost'; }
  open() { return new Pool({ host: this.host(), ssl: false, connectionTimeoutMillis: 5000 }); }
}
