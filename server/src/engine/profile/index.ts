/**
 * Turns a ConnectionSite into its ConnectionProfile by dispatching to the one module that knows
 * the consuming driver's semantics (SPEC §1.1). Adding a driver = one module + one line here.
 */
import { ConnectionSite } from '../extract/values';
import { ProfileContext } from './common';
import { ConnectionProfile } from './types';
import { profilePostgresGo } from './drivers/postgres-go';
import { profileNodePostgres } from './drivers/node-postgres';
import { profilePostgresJs } from './drivers/postgres-js';
import { profileGoMysql } from './drivers/go-mysql';
import { profileMysql2 } from './drivers/mysql2';
import { profileGoMssqldb } from './drivers/go-mssqldb';
import { profileNodeMssql } from './drivers/node-mssql';
import { profileGodror } from './drivers/godror';

export type { ProfileContext };

export function buildProfile(site: ConnectionSite, ctx: ProfileContext): ConnectionProfile {
  switch (site.driver) {
    case 'pgx':
    case 'lib/pq':
    case 'unknown-postgres':
      return profilePostgresGo(site, ctx);
    case 'node-postgres':
      return profileNodePostgres(site, ctx);
    case 'postgres.js':
      return profilePostgresJs(site, ctx);
    case 'go-mysql':
      return profileGoMysql(site, ctx);
    case 'mysql2':
    case 'unknown-mysql':
      return profileMysql2(site, ctx);
    case 'go-mssqldb':
    case 'go-mssqldb-azuresql':
      return profileGoMssqldb(site, ctx);
    case 'mssql':
    case 'tedious':
    case 'unknown-sqlserver':
      return profileNodeMssql(site, ctx);
    case 'godror':
    case 'unknown-oracle':
      return profileGodror(site, ctx);
  }
}
