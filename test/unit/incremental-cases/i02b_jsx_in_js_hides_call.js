// Cause (2), planSlice, with the edit in the function itself: connect() first ignores its
// parameter; Page()'s call is hidden from the lexer by JSX (`</b> {connect('localhost')…} </`
// reads as a regex). Editing connect() to use `host` keeps its lexical callers, not Page(): the
// sliced parse sees no call (tls-disabled), the full one binds 'localhost' (no finding).
import { Pool } from 'pg';

export function connect(host) {
  return new Pool({ host: 'db.example.com', database: 'app', ssl: false, connectionTimeoutMillis: 5000 });
}

export function Page() {
  return <p><b>Pool</b> {connect('localhost').totalCount} </p>;
}
