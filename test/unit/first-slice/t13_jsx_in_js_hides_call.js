// profiles/findings differ: JSX in a .js file; `</b> {f('localhost')} </p>` lexes as a regex, hiding the call that binds f's parameter (sliced: tls-disabled).
import { Pool } from 'pg';
export function f(host) { return new Pool({ host, ssl: false, connectionTimeoutMillis: 5000 }); }
export function P() { return <p><b>x</b> {f('localhost').totalCount} </p>; }
