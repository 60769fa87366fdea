// Cause (6), planSlice: a subclass declared inside an untouched function body overrides host();
// the full parse sees it (overriddenInFile: this.host() not followed, host unknown:
// tls-disabled). An edit elsewhere re-analyses with tenantDb() blanked: this.host() is followed
// ('localhost', loopback, no finding).
import { Pool } from 'pg';

export class Db {
  host(): string {
    return 'localhost';
  }

  connect(): Pool {
    return new Pool({ host: this.host(), database: 'app', ssl: false, connectionTimeoutMillis: 5000 });
  }
}

export function tenantDb(tenant: string): Db {
  class TenantDb extends Db {
    host(): string {
      return `${tenant}.db.example.com`;
    }
  }
  return new TenantDb();
}
