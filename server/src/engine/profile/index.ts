/**
 * Turns a ConnectionSite into its ConnectionProfile by dispatching to the one module that knows
 * the consuming driver's semantics (SPEC §1.1). Adding a driver = one module + one line here.
 * Also the home of env consumers: which code reads a config file's variable, scoped by project
 * (scopeEnvConsumers: the config file's own project, else its sub-projects, else the nearest
 * enclosing project; never a sibling), and how several readers are merged (mergeEnvConsumers).
 */
import { ConnectionSite, DriverId } from '../extract/values';
import { ProfileContext } from './common';
import { Fix } from '../model';
import { ConnectionProfile, Remedies } from './types';
import { profilePostgresGo } from './drivers/postgres-go';
import { profileNodePostgres } from './drivers/node-postgres';
import { profilePostgresJs } from './drivers/postgres-js';
import { profileGoMysql } from './drivers/go-mysql';
import { profileMysql2 } from './drivers/mysql2';
import { profileGoMssqldb } from './drivers/go-mssqldb';
import { profileNodeMssql } from './drivers/node-mssql';
import { profileGodror } from './drivers/godror';
import { profilePrisma } from './drivers/prisma';
import { profileBunPgdriver } from './drivers/bun-pgdriver';

export type { ProfileContext };

/**
 * Something that reads a connection string from an environment variable (SPEC §1.1): code
 * (`os.Getenv`, `process.env`) handing it to a driver, or a Prisma datasource's `env("X")`.
 */
export interface EnvConsumer {
  readonly driver: DriverId;
  /** `src/db.ts:12`, for the message. */
  readonly where: string;
  /**
   * Further readers of the same variable whose semantics differ from `driver`'s (Prisma beside
   * pg, say): the value is judged under each of them, so that what is wrong under any is reported.
   */
  readonly also?: readonly EnvConsumer[];
  /** Other code readers disagree among themselves: the value is also judged under the assumed semantics. */
  readonly alsoAssumed?: boolean;
  /** The option keys the reader passes beside the connection string (ConnectionSite.consumerOptions). */
  readonly options?: readonly string[];
}

function isPrisma(d: DriverId): boolean {
  return d === 'prisma-postgres' || d === 'prisma-mysql';
}

/**
 * Env variable → consumer, from the readers found in code files and Prisma schemas. One home for
 * this rule: the CLI and the language server use it.
 * - One kind of reader: it is named (the first one).
 * - Code readers of different kinds (pg and pgx): unresolved — config values keep the assumed
 *   semantics, as no single driver's reading is right.
 * - Prisma beside other readers: Prisma reads sslmode/sslaccept unlike any other driver, so
 *   "assumed" semantics would hide its problems (and libpq's fix, sslmode=verify-full, breaks it).
 *   The value is judged under Prisma AND under the other reader (or the assumed semantics when
 *   the other readers disagree among themselves); each finding names its consumer.
 */
export function mergeEnvConsumers(entries: Iterable<readonly [string, EnvConsumer]>): Map<string, EnvConsumer> {
  const byName = new Map<string, EnvConsumer[]>();
  for (const [name, c] of entries) {
    const list = byName.get(name) ?? [];
    const same = list.findIndex((x) => x.driver === c.driver);
    // Readers with one driver: the first is named. A setting is the code's own (not judged in the
    // value) only when every one of them sets it: a reader that leaves it to the URL keeps the
    // URL's setting in effect (`postgres(url)` beside `postgres(url, { ssl: 'prefer' })`).
    if (same < 0) list.push({ driver: c.driver, where: c.where, options: c.options });
    else {
      const mine = new Set(c.options ?? []);
      list[same] = { ...list[same], options: (list[same].options ?? []).filter((o) => mine.has(o)) };
    }
    byName.set(name, list);
  }
  const map = new Map<string, EnvConsumer>();
  for (const [name, list] of byName) {
    const prisma = list.filter((c) => isPrisma(c.driver));
    const code = list.filter((c) => !isPrisma(c.driver));
    if (prisma.length === 0) {
      if (code.length === 1) map.set(name, code[0]);
      continue; // readers disagree: unresolved
    }
    if (code.length === 0) map.set(name, prisma.length === 1 ? prisma[0] : { ...prisma[0], also: prisma.slice(1) });
    else if (code.length === 1) map.set(name, { ...code[0], also: prisma });
    else map.set(name, { ...prisma[0], also: prisma.slice(1), alsoAssumed: true });
  }
  return map;
}

/**
 * A reader of an env variable together with the project it sits in: the nearest ancestor
 * directory holding a project marker (cli/project.ts), `/`-separated, or '' when none does.
 */
export interface ProjectEnvConsumer {
  readonly name: string;
  readonly consumer: EnvConsumer;
  readonly project: string;
}

/** Whether `inner` is `outer` or lies below it ('' lies above every project). */
export function projectWithin(inner: string, outer: string): boolean {
  if (outer === '' || inner === outer) return true;
  return inner.startsWith(outer.endsWith('/') ? outer : outer + '/');
}

/**
 * The readers that count for a config file in `project` (SPEC §1.1), per env variable, merged
 * (mergeEnvConsumers). In a monorepo a variable name is shared by unrelated services
 * (svcA/.env's DATABASE_URL is not read by svcB's code), so readers are scoped by project, the
 * nearest first:
 * 1. readers in the config file's own project;
 * 2. else readers in projects below it — a compose or k8s file at the repository root (or at a
 *    services/ workspace root) configures the services in its subdirectories;
 * 3. else readers in the nearest enclosing project that has any — a directory of deployment
 *    files with a marker of its own (svcA/deploy/package.json for tooling) still configures the
 *    code around it.
 * Readers in sibling projects never count: a value no reader in scope reads keeps the assumed
 * semantics. A config file outside every project ('') sees every reader, as does a workspace
 * without project markers.
 */
export function scopeEnvConsumers(readers: readonly ProjectEnvConsumer[], project: string): Map<string, EnvConsumer> {
  const byName = new Map<string, ProjectEnvConsumer[]>();
  for (const r of readers) {
    const list = byName.get(r.name);
    if (list) list.push(r);
    else byName.set(r.name, [r]);
  }
  const chosen: (readonly [string, EnvConsumer])[] = [];
  for (const [name, list] of byName) {
    let inScope = list.filter((r) => r.project === project);
    if (inScope.length === 0) inScope = list.filter((r) => projectWithin(r.project, project));
    if (inScope.length === 0) {
      const enclosing = list.filter((r) => projectWithin(project, r.project));
      const nearest = enclosing.reduce((best, r) => (r.project.length > best.length ? r.project : best), '');
      inScope = enclosing.filter((r) => r.project === nearest);
    }
    for (const r of inScope) chosen.push([name, r.consumer]);
  }
  return mergeEnvConsumers(chosen);
}

/** Which known drivers can read a config value of each unknown-consumer family. */
const FAMILY: Partial<Record<DriverId, readonly DriverId[]>> = {
  'unknown-postgres': ['pgx', 'lib/pq', 'bun-pgdriver', 'node-postgres', 'postgres.js', 'prisma-postgres'],
  'unknown-mysql': ['mysql2', 'prisma-mysql'],
  'unknown-sqlserver': ['mssql', 'tedious', 'go-mssqldb', 'go-mssqldb-azuresql'],
  'unknown-oracle': ['godror'],
};

/**
 * A config-file connection string stored under an env-style key that code (or a Prisma schema)
 * in the workspace reads and hands to a known driver is judged under that driver, not under
 * assumed semantics. With several readers that judge differently (mergeEnvConsumers), one site
 * per reader; the note names the others.
 */
export function withConsumers(site: ConnectionSite, consumers: ReadonlyMap<string, EnvConsumer> | undefined): ConnectionSite[] {
  if (site.language !== 'config' || !site.envName || !consumers) return [site];
  const c = consumers.get(site.envName);
  if (!c) return [site];
  const readers = [c, ...(c.also ?? [])].filter((r) => FAMILY[site.driver]?.includes(r.driver));
  if (readers.length === 0) return [site];
  const many = readers.length > 1 || c.alsoAssumed === true;
  const out = readers.map((r) => {
    const others = readers.filter((o) => o !== r).map((o) => o.where);
    const note = `${site.envName} is read by ${r.where}${many ? `; also read by ${[...others, ...(c.alsoAssumed ? ['code whose drivers disagree'] : [])].join(', ')}, judged separately` : ''}`;
    return { ...site, driver: r.driver, note, ...(r.options?.length ? { consumerOptions: r.options } : {}) };
  });
  if (c.alsoAssumed) out.push({ ...site, note: `${site.envName} is also read by ${readers.map((r) => r.where).join(', ')}, judged separately` });
  return out;
}

/** The single-reader form of withConsumers (the first reader), for callers that need one site. */
export function withConsumer(site: ConnectionSite, consumers: ReadonlyMap<string, EnvConsumer> | undefined): ConnectionSite {
  return withConsumers(site, consumers)[0];
}

/**
 * The profiles of one extracted site: one per reader of its env variable (withConsumers). When a
 * value has several readers, no fix is preferred: an edit right for one reader can be wrong for
 * another (libpq's `sslmode=verify-full` makes Prisma fall back to prefer; Prisma's `sslaccept`
 * is sent to the server by pgx as a run-time parameter).
 */
export function profilesFor(site: ConnectionSite, consumers: ReadonlyMap<string, EnvConsumer> | undefined, ctx: ProfileContext): ConnectionProfile[] {
  const sites = withConsumers(site, consumers);
  const profiles = sites.map((s) => buildProfile(s, ctx));
  if (sites.length < 2) return profiles;
  return profiles.map(withoutPreferredFixes);
}

function withoutPreferredFixes(p: ConnectionProfile): ConnectionProfile {
  const demote = (fs: readonly Fix[] | undefined): Fix[] | undefined => fs?.map((f) => ({ ...f, preferred: false, title: `${f.title} (for ${p.driverLabel} only)` }));
  const remedies: Remedies = {};
  for (const k of Object.keys(p.remedies) as (keyof Remedies)[]) (remedies as Record<string, Fix[] | undefined>)[k] = demote(p.remedies[k]);
  return {
    ...p,
    remedies,
    invalid: p.invalid.map((i) => ({ ...i, fixes: demote(i.fixes) ?? [] })),
    dangerous: p.dangerous.map((d) => ({ ...d, fixes: demote(d.fixes) ?? [] })),
  };
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
    case 'prisma-postgres':
    case 'prisma-mysql':
      return profilePrisma(site, ctx);
    case 'bun-pgdriver':
      return profileBunPgdriver(site, ctx);
  }
}
