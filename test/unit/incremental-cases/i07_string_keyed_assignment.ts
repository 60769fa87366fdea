// Cause (7), planSlice: `db['host'] = …` in an untouched function replaces the method; the full
// parse's assignedMember sees it (this.host() not followed: tls-disabled), but the lexer's
// mentions do not show `.host` in that body, so an edit elsewhere blanks it and this.host() is
// followed ('localhost', loopback, no finding).
import { Pool } from 'pg';

export class Db {
  host(): string {
    return 'localhost';
  }

  connect(): Pool {
    return new Pool({ host: this.host(), database: 'app', ssl: false, connectionTimeoutMillis: 5000 });
  }
}

export function pointAtReplica(db: Db): void {
  db['host'] = () => 'replica.db.example.com';
}
