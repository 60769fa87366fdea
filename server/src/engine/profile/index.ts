/**
 * Turns a ConnectionSite into its ConnectionProfile by dispatching to the one module that knows
 * the consuming driver's semantics (SPEC §1.1). Adding a driver = one module + one line here.
 */
import { ConnectionSite, DriverId } from '../extract/values';
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

/** Code that reads a connection string from an environment variable (SPEC §1.1). */
export interface EnvConsumer {
  readonly driver: DriverId;
  /** `src/db.ts:12`, for the message. */
  readonly where: string;
}

/**
 * Env variable → consumer, from the readers found in code files. A variable read by drivers of
 * different kinds stays unresolved (its config values keep the assumed semantics); the first
 * reader of one kind is named. One home for this rule: the CLI and the language server use it.
 */
export function mergeEnvConsumers(entries: Iterable<readonly [string, EnvConsumer]>): Map<string, EnvConsumer> {
  const map = new Map<string, EnvConsumer>();
  const conflicting = new Set<string>();
  for (const [name, c] of entries) {
    const prev = map.get(name);
    if (prev && prev.driver !== c.driver) conflicting.add(name);
    else if (!prev) map.set(name, c);
  }
  for (const name of conflicting) map.delete(name);
  return map;
}

/** Which known drivers can read a config value of each unknown-consumer family. */
const FAMILY: Partial<Record<DriverId, readonly DriverId[]>> = {
  'unknown-postgres': ['pgx', 'lib/pq', 'node-postgres', 'postgres.js'],
  'unknown-mysql': ['mysql2'],
  'unknown-sqlserver': ['mssql', 'tedious', 'go-mssqldb', 'go-mssqldb-azuresql'],
  'unknown-oracle': ['godror'],
};

/**
 * A config-file connection string stored under an env-style key that code in the workspace reads
 * and hands to a known driver is judged under that driver, not under assumed semantics.
 */
export function withConsumer(site: ConnectionSite, consumers: ReadonlyMap<string, EnvConsumer> | undefined): ConnectionSite {
  if (site.language !== 'config' || !site.envName || !consumers) return site;
  const c = consumers.get(site.envName);
  if (!c || !FAMILY[site.driver]?.includes(c.driver)) return site;
  return { ...site, driver: c.driver, note: `${site.envName} is read by ${c.where}` };
}

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
