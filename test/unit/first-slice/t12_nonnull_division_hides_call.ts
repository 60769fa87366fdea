// profiles/findings differ: `n! / f('localhost') / 2` lexes as a regex after `!`, hiding the call that binds f's parameter (full: host 'localhost', sliced: unknown + tls-disabled).
import { Pool } from 'pg';
export function f(host: string) { return new Pool({ host, ssl: false, connectionTimeoutMillis: 5000 }); }
export function g(n?: number) { return n! / f('localhost').totalCount / 2; }
