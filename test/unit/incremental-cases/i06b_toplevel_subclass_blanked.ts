// Cause (6), planSlice, top-level variant: an untouched top-level subclass that overrides host()
// is a container that planSlice blanks whole (class body gone, `extends Db` kept): the full parse
// sees the override (this.host() not followed: tls-disabled); the sliced one does not and follows
// Db.host() ('localhost', loopback, no finding). Any edit in Db's methods triggers it.
import { Pool } from 'pg';

export class Db {
  host(): string {
    return 'localhost';
  }

  connect(): Pool {
    return new Pool({ host: this.host(), database: 'app', ssl: false, connectionTimeoutMillis: 5000 });
  }
}

export class ReplicaDb extends Db {
  host(): string {
    return 'replica.db.example.com';
  }
}
