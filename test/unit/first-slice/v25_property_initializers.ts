// v25: class property initializers calling module functions and `this` methods; a method reads
// a property set by an initializer.
import { Pool } from 'pg';

function defaultHost(): string {
  return process.env.DB_HOST ?? 'db.internal';
}

function defaultSize(): number {
  return 15;
}

export class Gateway {
  readonly host = defaultHost();
  readonly size = defaultSize();
  readonly started = Date.now();
  readonly shape = this.describe();
  readonly db = new Pool({ host: this.host, max: this.size, ssl: false, ...this.extra() });

  describe() {
    return { host: this.host, size: this.size };
  }

  extra() {
    return { database: 'gateway', idleTimeoutMillis: 1_000 };
  }

  uptime(): number {
    return Date.now() - this.started;
  }
}

export const gateway = new Gateway();
