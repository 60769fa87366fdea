// Cause (2), planSlice: JSX in a .js file is lexed as plain JS; `</b> {hosts.map(connect).length} </`
// reads as a regex and hides the mention of connect. The full parse sees connect passed as a
// value (escaping use): host unknown (tls-disabled), and Status() is untouched. An edit elsewhere
// blanks Status(): connect's one remaining call binds host to 'localhost' (no finding).
import { Pool } from 'pg';

export function connect(host) {
  return new Pool({ host, database: 'app', ssl: false, connectionTimeoutMillis: 5000 });
}

export function main() {
  return connect('localhost');
}

export function Status({ hosts }) {
  return <p><b>Pools</b> {hosts.map(connect).length} </p>;
}
