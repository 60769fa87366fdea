/**
 * Recognises the calls that open database connections in TS/JS and describes each as a
 * ConnectionSite: node-postgres, postgres.js, mysql2, mssql, tedious, and the ORMs/query
 * builders that hand settings to them (Sequelize, knex, TypeORM, Drizzle, Prisma 7's driver
 * adapters).
 *
 * A call is recognised by the module member its callee resolves to (imports, requires,
 * destructuring; see Evaluator.moduleRef), never by a bare name. For an ORM the site's `driver`
 * is the underlying driver and `options` is rebuilt with that driver's keys, the way the ORM
 * passes them on (e.g. TypeORM postgres: `{ connectionString: url, host, user: username,
 * password, ssl, ...extra }`), so the per-driver profile reads one shape.
 *
 * Settings a driver receives without a literal argument are read too: the object a knex
 * `connection` function returns (knex calls it per connection), configuration objects no call in
 * the file consumes (knexfile environments, TypeORM/Sequelize options), and objects declared with
 * a driver's config type (`const cfg: sql.config = {…}`, `{…} satisfies PoolConfig`).
 */
import * as ts from 'typescript';
import { tsApi } from './api';
import { Range } from '../../model';
import { SrcString } from '../../srcstring';
import { ConnectionSite, DriverId, DsnInput, Prop, Val, prop, siteContentKey, strOf } from '../values';
import { Callable, Evaluator, ModuleRef, returnedExpressions, unwrap } from './evaluate';

/** Modules whose import marks a file as database code (dbContext for secret observations). */
export const DB_MODULES = new Set([
  'pg', 'pg-pool', 'postgres', 'mysql', 'mysql2', 'mysql2/promise', 'mssql', 'tedious', 'sequelize',
  '@sequelize/core', 'sequelize-typescript', 'knex', 'typeorm', '@nestjs/typeorm', '@aws-sdk/rds-signer',
  '@mikro-orm/core', 'drizzle-orm', 'kysely', '@prisma/client', 'slonik', 'pg-promise',
  'drizzle-orm/node-postgres', 'drizzle-orm/postgres-js', 'drizzle-orm/mysql2', 'drizzle-orm/cockroach',
  'drizzle-orm/singlestore', 'drizzle-orm/node-mssql', '@prisma/adapter-pg', '@prisma/adapter-mssql',
  '@prisma/adapter-mariadb', 'drizzle-kit',
]);

/**
 * Drizzle entries whose `drizzle(…)` builds the driver itself from a connection string or
 * `connection` config (drizzle-orm/src/<entry>/driver.ts), with the call each one makes:
 * node-postgres and cockroach `new pg.Pool({ connectionString })` / `new pg.Pool(connection)`;
 * postgres-js `postgres(url)` / `postgres(connection.url, rest)` / `postgres(connection)`;
 * mysql2 `createPool({ uri })` / `createPool(connection)`; singlestore the same plus
 * `connectAttributes`; node-mssql `new mssql.ConnectionPool(connection)` (its AutoPool), a string
 * going through drizzle's own URL reading first (see drizzleMssqlPassesThrough).
 */
const DRIZZLE_ENTRIES: ReadonlyMap<string, { driver: DriverId; label: string }> = new Map([
  ['drizzle-orm/node-postgres', { driver: 'node-postgres', label: 'Drizzle (pg Pool)' }],
  ['drizzle-orm/cockroach', { driver: 'node-postgres', label: 'Drizzle (pg Pool)' }],
  ['drizzle-orm/postgres-js', { driver: 'postgres.js', label: 'Drizzle (postgres.js)' }],
  ['drizzle-orm/mysql2', { driver: 'mysql2', label: 'Drizzle (mysql2 createPool)' }],
  ['drizzle-orm/singlestore', { driver: 'mysql2', label: 'Drizzle (mysql2 createPool)' }],
  ['drizzle-orm/node-mssql', { driver: 'mssql', label: 'Drizzle (mssql ConnectionPool)' }],
]);

/** What a recognised call is, before its arguments are read. */
interface Recognised {
  readonly kind: 'pg' | 'postgres.js' | 'mysql2' | 'mssql' | 'tedious' | 'sequelize' | 'knex' | 'typeorm' | 'drizzle' | 'prisma-adapter';
  readonly label: string;
  /** For Drizzle and the Prisma adapters: the driver they build. */
  readonly driver?: DriverId;
  readonly isPool: boolean;
  /** The argument is `{ useFactory: () => config }`: the config is what the factory returns. */
  readonly factory?: boolean;
}

function recognise(ref: ModuleRef, isNew: boolean): Recognised | undefined {
  const p = ref.path.join('.');
  const drizzle = DRIZZLE_ENTRIES.get(ref.module);
  if (drizzle) return !isNew && p === 'drizzle' ? { kind: 'drizzle', label: drizzle.label, isPool: true, driver: drizzle.driver } : undefined;
  switch (ref.module) {
    case 'pg':
      if (isNew && p === 'Pool') return { kind: 'pg', label: 'pg Pool', isPool: true };
      if (isNew && p === 'Client') return { kind: 'pg', label: 'pg Client', isPool: false };
      if (isNew && p === 'native.Pool') return { kind: 'pg', label: 'pg Pool', isPool: true };
      if (isNew && p === 'native.Client') return { kind: 'pg', label: 'pg Client', isPool: false };
      return undefined;
    case 'pg-pool':
      return isNew && p === '' ? { kind: 'pg', label: 'pg Pool', isPool: true } : undefined;
    case 'postgres':
      return !isNew && p === '' ? { kind: 'postgres.js', label: 'postgres.js', isPool: true } : undefined;
    case 'mysql2':
    case 'mysql2/promise':
      if (isNew) return undefined;
      if (p === 'createConnection') return { kind: 'mysql2', label: 'mysql2 createConnection', isPool: false };
      if (p === 'createPool') return { kind: 'mysql2', label: 'mysql2 createPool', isPool: true };
      if (p === 'createPoolCluster') return { kind: 'mysql2', label: 'mysql2 createPoolCluster', isPool: true };
      return undefined;
    case 'mssql':
      if (!isNew && p === 'connect') return { kind: 'mssql', label: 'mssql connect', isPool: true };
      if (isNew && p === 'ConnectionPool') return { kind: 'mssql', label: 'mssql ConnectionPool', isPool: true };
      return undefined;
    case 'tedious':
      return isNew && p === 'Connection' ? { kind: 'tedious', label: 'tedious Connection', isPool: false } : undefined;
    case 'sequelize':
    case '@sequelize/core':
    case 'sequelize-typescript':
      return isNew && (p === '' || p === 'Sequelize') ? { kind: 'sequelize', label: 'Sequelize', isPool: true } : undefined;
    case 'knex':
      return !isNew && (p === '' || p === 'knex') ? { kind: 'knex', label: 'knex', isPool: true } : undefined;
    case 'typeorm':
      if (isNew && p === 'DataSource') return { kind: 'typeorm', label: 'TypeORM DataSource', isPool: true };
      if (!isNew && p === 'createConnection') return { kind: 'typeorm', label: 'TypeORM createConnection', isPool: true };
      return undefined;
    case '@nestjs/typeorm':
      if (!isNew && p === 'TypeOrmModule.forRoot') return { kind: 'typeorm', label: 'TypeORM forRoot', isPool: true };
      if (!isNew && p === 'TypeOrmModule.forRootAsync') return { kind: 'typeorm', label: 'TypeORM forRootAsync', isPool: true, factory: true };
      return undefined;
    // Prisma 7 driver adapters (index.ts: `PrismaPgAdapterFactory as PrismaPg`, `PrismaMssqlAdapterFactory
    // as PrismaMssql`); the factory's connect() makes the pool. @prisma/adapter-mariadb drives the
    // `mariadb` connector, which is not modelled.
    case '@prisma/adapter-pg':
      return isNew && p === 'PrismaPg' ? { kind: 'prisma-adapter', label: 'PrismaPg (pg Pool)', isPool: true, driver: 'node-postgres' } : undefined;
    case '@prisma/adapter-mssql':
      return isNew && p === 'PrismaMssql' ? { kind: 'prisma-adapter', label: 'PrismaMssql (mssql ConnectionPool)', isPool: true, driver: 'mssql' } : undefined;
  }
  return undefined;
}

/** A site plus what the observation pass needs to know about it. */
export interface FoundSite {
  readonly site: ConnectionSite;
  /** "pg Pool config": the context of secrets found in this site's options. */
  readonly context: string;
  /** Expressions that are this site's DSN / config (identifiers logged later are matched against them). */
  readonly dsnExpr?: ts.Expression;
  readonly optionsExpr?: ts.Expression;
}

const DSN_KEYS = ['connectionString', 'url', 'uri'];

export class SiteFinder {
  constructor(private readonly ev: Evaluator, private readonly azureImported: boolean) {}

  find(call: ts.CallExpression | ts.NewExpression): FoundSite | undefined {
    const isNew = tsApi.isNewExpression(call);
    const ref = this.ev.moduleRef(call.expression);
    if (!ref) return undefined;
    const rec = recognise(ref, isNew);
    if (!rec) return undefined;
    const args = call.arguments ? [...call.arguments] : [];
    const anchor = this.ev.range(call);
    const base = { anchor, isPool: rec.isPool, context: `${rec.label} config` };
    switch (rec.kind) {
      case 'pg':
        return this.simple('node-postgres', base, args[0], undefined);
      case 'postgres.js':
        // postgres(url?, options?) — with one argument, an object is the options.
        return args.length >= 2 ? this.simple('postgres.js', base, args[0], args[1]) : this.simple('postgres.js', base, args[0], undefined);
      case 'mysql2':
        return this.simple('mysql2', base, args[0], undefined);
      case 'mssql':
        return this.simple('mssql', base, args[0], undefined);
      case 'tedious':
        return this.simple('tedious', base, args[0], undefined);
      case 'knex':
        return this.knex(base, args[0]);
      case 'sequelize':
        return this.sequelize(base, args);
      case 'typeorm':
        return this.typeorm(base, rec.factory ? this.factoryResult(args[0]) : args[0]);
      case 'drizzle':
        return this.drizzle(rec.driver!, base, args[0]);
      case 'prisma-adapter':
        return this.prismaAdapter(rec.driver!, base, args[0]);
    }
  }

  /**
   * The sites `read` finds at `node` (find or findConfigObject), once per call of the function
   * they wait on. A site inside a function F that reads F's parameters, where F is called two or
   * more times in the file (Evaluator.perCallBindings: every use a direct call, none spread),
   * is read again under each call's arguments: `createPool(process.env.MAIN_URL!)` and
   * `createPool('postgres://…?sslmode=disable')` are two connections, one an env consumer, the
   * other a literal with its own findings. Identical readings collapse (equal arguments, or
   * arguments the site does not use). One level: a site reading the parameters of two such
   * functions, or whose arguments are themselves such parameters, keeps the unknowns. Findings
   * on F's own code (the `new Pool(…)` call, its options object) repeat in every reading; the
   * engine reports a rule once per range (scan.ts).
   */
  perCall(node: ts.Node, read: () => FoundSite | undefined): FoundSite[] {
    const { value: unbound, reads } = this.ev.tracked(read);
    if (!unbound) return [];
    let target: { fn: Callable; calls: readonly ts.CallExpression[] } | undefined;
    for (const fn of reads) {
      if (node.pos < fn.pos || fn.end < node.end) continue;
      const calls = this.ev.perCallBindings(fn);
      if (!calls) continue;
      if (target) return [unbound];
      target = { fn, calls };
    }
    if (!target) return [unbound];
    const out: FoundSite[] = [];
    const seen = new Set<string>();
    for (const call of target.calls) {
      const f = this.ev.withBinding(target.fn, call, read);
      if (!f) continue;
      const key = siteContentKey(f.site);
      if (key !== undefined && seen.has(key)) continue;
      if (key !== undefined) seen.add(key);
      out.push(f);
    }
    return out.length > 0 ? out : [unbound];
  }

  /**
   * A configuration object written for a library that is not called in this file — knexfile
   * environments (`{ client: 'pg', connection: {…} }`), exported TypeORM DataSourceOptions
   * (`{ type: 'postgres', host, … }`), Sequelize options (`{ dialect: 'postgres', dialectOptions }`).
   * The shape must be unmistakable: the discriminating key with a known driver value plus a
   * connection key. The caller skips objects that a recognised call already consumed.
   */
  findConfigObject(obj: ts.ObjectLiteralExpression): FoundSite | undefined {
    const typed = this.typedConfig(obj);
    if (typed) return typed;
    const v = this.ev.eval(obj);
    const str = (k: string): string | undefined => strOf(prop(v, k)?.value)?.toLowerCase();
    const has = (...keys: string[]): boolean => keys.some((k) => prop(v, k) !== undefined);
    const base = { anchor: this.ev.range(obj), isPool: true, context: '' };
    const client = str('client');
    if (client && has('connection') && ['pg', 'postgres', 'postgresql', 'mysql', 'mysql2', 'mssql', 'tedious'].includes(client)) {
      return this.knex({ ...base, context: 'knex config' }, obj);
    }
    const type = str('type');
    if (type && ['postgres', 'mysql', 'mariadb', 'mssql'].includes(type) && has('host', 'url', 'username', 'database', 'entities')) {
      return this.typeorm({ ...base, context: 'TypeORM options' }, obj);
    }
    const dialect = str('dialect');
    if (dialect && ['postgres', 'mysql', 'mariadb', 'mssql'].includes(dialect) && has('host', 'dialectOptions', 'username', 'database', 'use_env_variable')) {
      return this.sequelize({ ...base, context: 'Sequelize options' }, [obj]);
    }
    return undefined;
  }

  /**
   * An object literal declared with a driver's own config type, so the type names its consumer:
   * `const cfg: sql.config = {…}`, `export const pool: PoolConfig = {…}`, `{…} satisfies
   * PoolOptions`. Read as if it were passed to that driver's call.
   */
  private typedConfig(obj: ts.ObjectLiteralExpression): FoundSite | undefined {
    const type = declaredType(obj);
    if (!type || !tsApi.isTypeReferenceNode(type)) return undefined;
    const ref = this.ev.typeModuleRef(type.typeName);
    const rec = ref && recogniseConfigType(ref);
    if (!rec) return undefined;
    const base = { anchor: this.ev.range(obj), isPool: rec.isPool, context: `${rec.label} config` };
    return this.simple(rec.driver, base, obj, undefined);
  }

  /**
   * A driver call taking a config object or a connection string (and, for postgres.js, both).
   * `second` is the options argument when the first one is the URL.
   */
  private simple(driver: DriverId, base: SiteBase, first: ts.Expression | undefined, second: ts.Expression | undefined): FoundSite {
    let dsn: { input: DsnInput; note?: string; expr: ts.Expression } | undefined;
    let options: Val | undefined;
    let optionsExpr: ts.Expression | undefined;
    if (first) {
      const v = this.ev.eval(first);
      if (second || isStringLike(v)) {
        dsn = this.dsn(first);
      } else {
        options = v;
        optionsExpr = first;
      }
    }
    if (second) {
      options = this.ev.eval(second);
      optionsExpr = second;
    }
    if (!dsn && options) dsn = this.dsnFromOptions(options);
    return this.build(driver, base, dsn, options, optionsExpr);
  }

  private knex(base: SiteBase, cfgExpr: ts.Expression | undefined): FoundSite | undefined {
    const cfg = cfgExpr ? this.ev.eval(cfgExpr) : undefined;
    const client = strOf(cfg && prop(cfg, 'client')?.value)?.toLowerCase();
    let driver: DriverId | undefined;
    if (client === 'pg' || client === 'postgres' || client === 'postgresql') driver = 'node-postgres';
    else if (client === 'mysql' || client === 'mysql2') driver = 'mysql2';
    else if (client === 'mssql' || client === 'tedious') driver = 'mssql';
    if (!driver) return undefined;
    const connProp = prop(cfg, 'connection');
    let connExpr = connProp ? (this.ev.propExpr.get(connProp) as ts.Expression | undefined) : undefined;
    const ctx = { ...base, context: 'knex connection' };
    if (!connProp || !connExpr) return this.build(driver, ctx, undefined, undefined, undefined);
    let conn = connProp.value;
    let perConnection: ts.Node | undefined;
    if (conn.k === 'fn') {
      // `connection: async () => ({ … })`: knex calls the function for every new connection and
      // hands the driver what it returns. Settings the returns do not agree on are not known.
      const fn = this.functionOf(connExpr);
      const returned = fn && this.agreedResult(fn);
      if (!fn || !returned) return undefined;
      connExpr = returned;
      conn = this.ev.eval(returned);
      perConnection = fn;
    }
    if (isStringLike(conn)) return this.build(driver, ctx, this.dsn(connExpr), undefined, undefined, perConnection);
    return this.build(driver, ctx, this.dsnFromOptions(conn), conn, connExpr, perConnection);
  }

  /**
   * `drizzle(url, drizzleConfig?)`, `drizzle({ connection, …drizzleConfig })`: Drizzle makes the
   * pool from the string or hands `connection` to the driver as it is (DRIZZLE_ENTRIES), so the
   * site reads like that driver call. `drizzle(pool)` and `drizzle({ client })` take a client made
   * elsewhere (its own site when it is made in this file): nothing new here. Anything else (a
   * value not known statically, a spread that may hold `connection`) is not read.
   */
  private drizzle(driver: DriverId, base: SiteBase, first: ts.Expression | undefined): FoundSite | undefined {
    if (!first) return undefined;
    const v = this.ev.eval(first);
    let connExpr: ts.Expression | undefined;
    if (isStringLike(v)) {
      connExpr = first;
    } else if (v.k === 'obj') {
      if (prop(v, 'client')) return undefined;
      const conn = prop(v, 'connection');
      const e = conn && this.ev.propExpr.get(conn);
      if (e && isExpression(e)) connExpr = e;
    }
    if (!connExpr) return undefined;
    const conn = this.ev.eval(connExpr);
    if (driver === 'mssql' && isStringLike(conn) && !drizzleMssqlPassesThrough(conn)) return undefined;
    // postgres-js: `{ url, …options }` is postgres(url, options); simple() reads `url` as the DSN key.
    return this.simple(driver, base, connExpr, undefined);
  }

  /**
   * `new PrismaPg(poolOrConfig, options?)`: a PoolConfig (or a connection string, which the
   * factory makes `{ connectionString }`) becomes `new pg.Pool(config)` on connect(); a pool made
   * elsewhere is that pool's site. `new PrismaMssql(config)`: `new sql.ConnectionPool(config)`. A
   * PrismaMssql string goes through Prisma's own JDBC-style parser (adapter-mssql
   * connection-string.ts), whose semantics no profile models: not read.
   */
  private prismaAdapter(driver: DriverId, base: SiteBase, first: ts.Expression | undefined): FoundSite | undefined {
    if (!first) return undefined;
    const v = this.ev.eval(first);
    if (v.k === 'obj' || (driver === 'node-postgres' && isStringLike(v))) return this.simple(driver, base, first, undefined);
    return undefined;
  }

  /**
   * `{ useFactory: (…) => ({…}) }` (or a `useFactory() {…}` method) → the expression the factory
   * returns, when its returns agree (agreedResult).
   */
  private factoryResult(arg: ts.Expression | undefined): ts.Expression | undefined {
    const o = arg && unwrap(arg);
    if (!o || !tsApi.isObjectLiteralExpression(o)) return undefined;
    for (const p of o.properties) {
      let fn: ts.FunctionLikeDeclaration | undefined;
      if (tsApi.isPropertyAssignment(p) && propNameText(p.name) === 'useFactory') fn = this.functionOf(p.initializer);
      else if (tsApi.isMethodDeclaration(p) && propNameText(p.name) === 'useFactory') fn = p;
      if (fn) return this.agreedResult(fn);
    }
    return undefined;
  }

  /**
   * The function a value denotes: a function or arrow expression, an object method (`async
   * connection() {…}`), or a name bound to one of these or to a function declaration.
   */
  private functionOf(n: ts.Node): ts.FunctionLikeDeclaration | undefined {
    let e: ts.Node = tsApi.isMethodDeclaration(n) || tsApi.isGetAccessorDeclaration(n) ? n : unwrap(n as ts.Expression);
    if (tsApi.isIdentifier(e)) {
      const decl = this.ev.declOf(e);
      if (decl && tsApi.isFunctionDeclaration(decl)) return decl;
      const init = this.ev.initializerOf(e);
      if (!init) return undefined;
      e = unwrap(init);
    }
    if (tsApi.isArrowFunction(e) || tsApi.isFunctionExpression(e) || tsApi.isMethodDeclaration(e)) return e;
    return undefined;
  }

  /**
   * The expression a function returns when every return (and every branch of a returned
   * conditional) evaluates to the same settings; undefined when they disagree or are not known.
   */
  private agreedResult(fn: ts.FunctionLikeDeclaration): ts.Expression | undefined {
    const results = returnedExpressions(fn);
    if (!results || results.length === 0) return undefined;
    const first = this.canonical(this.ev.eval(results[0]), 0);
    for (const r of results.slice(1)) if (this.canonical(this.ev.eval(r), 0) !== first) return undefined;
    return results[0];
  }

  /** A Val as a comparable string: equal strings mean the same settings (written alike). */
  private canonical(v: Val, depth: number): string {
    const src = (): string => this.ev.sf.text.slice(v.range.start, v.range.end);
    if (depth > 8) return `?${src()}`;
    switch (v.k) {
      case 'str':
        return v.s.complete ? `s${JSON.stringify(v.s.text)}` : `t${src()}`;
      case 'num':
        return `n${v.n}`;
      case 'bool':
        return `b${v.b}`;
      case 'null':
        return 'null';
      case 'env':
        return `e${v.name}`;
      case 'obj': {
        const last = new Map<string, Val>();
        for (const p of v.props) last.set(p.key, p.value);
        const keys = [...last.keys()].sort();
        return `{${keys.map((k) => `${JSON.stringify(k)}:${this.canonical(last.get(k)!, depth + 1)}`).join(',')}}`;
      }
      case 'arr':
        return `[${v.items.map((i) => this.canonical(i, depth + 1)).join(',')}]`;
      default:
        // Calls, names, functions, unknowns: the same only when written the same.
        return `${v.k}:${src()}`;
    }
  }

  private sequelize(base: SiteBase, args: ts.Expression[]): FoundSite | undefined {
    let url: ts.Expression | undefined;
    let optsExpr: ts.Expression | undefined;
    const positional: Prop[] = [];
    if (args.length >= 3) {
      // new Sequelize(database, username, password, options?)
      const names = ['database', 'user', 'password'];
      args.slice(0, 3).forEach((a, i) => positional.push(this.syntheticProp(names[i], a)));
      optsExpr = args[3];
    } else if (args.length >= 1) {
      const v0 = this.ev.eval(args[0]);
      if (isStringLike(v0)) {
        url = args[0];
        optsExpr = args[1];
      } else {
        optsExpr = args[0];
      }
    }
    const opts = optsExpr ? this.ev.eval(optsExpr) : undefined;
    const dsn = url ? this.dsn(url) : undefined;
    let dialect = strOf(prop(opts, 'dialect')?.value)?.toLowerCase();
    if (!dialect && dsn) dialect = dsn.input.s.text.split(':', 1)[0].toLowerCase();
    const driver = dialectDriver(dialect);
    if (!driver) return undefined;
    const dialectOptions = prop(opts, 'dialectOptions')?.value;
    const range = opts ? opts.range : base.anchor;
    let options: Val;
    if (driver === 'tedious') {
      // dialectOptions is the tedious config shape ({ options: { encrypt }, authentication }).
      options = this.merge(range, [this.renamed(opts, { host: 'server', port: 'port' }), positional, objProps(dialectOptions)]);
    } else {
      options = this.merge(range, [
        this.renamed(opts, { host: 'host', port: 'port', username: 'user', password: 'password', database: 'database' }),
        positional,
        objProps(dialectOptions),
      ]);
    }
    return this.build(driver, { ...base, context: 'Sequelize options' }, dsn, options, optsExpr);
  }

  private typeorm(base: SiteBase, cfgExpr: ts.Expression | undefined): FoundSite | undefined {
    const cfg = cfgExpr ? this.ev.eval(cfgExpr) : undefined;
    const type = strOf(prop(cfg, 'type')?.value)?.toLowerCase();
    const driver = dialectDriver(type === 'mssql' ? 'mssql-typeorm' : type);
    if (!driver || !cfg) return undefined;
    const urlProp = prop(cfg, 'url');
    const urlExpr = urlProp ? (this.ev.propExpr.get(urlProp) as ts.Expression | undefined) : undefined;
    const dsn = urlProp && urlExpr && isStringLike(urlProp.value) ? this.dsn(urlExpr) : undefined;
    const extra = objProps(prop(cfg, 'extra')?.value);
    let options: Val;
    if (driver === 'node-postgres') {
      options = this.merge(cfg.range, [
        this.renamed(cfg, { url: 'connectionString', host: 'host', port: 'port', username: 'user', password: 'password', database: 'database', ssl: 'ssl', connectTimeoutMS: 'connectionTimeoutMillis' }),
        extra,
      ]);
    } else if (driver === 'mysql2') {
      options = this.merge(cfg.range, [
        this.renamed(cfg, { url: 'uri', host: 'host', port: 'port', username: 'user', password: 'password', database: 'database', ssl: 'ssl', multipleStatements: 'multipleStatements', flags: 'flags', connectTimeout: 'connectTimeout', insecureAuth: 'insecureAuth' }),
        extra,
      ]);
    } else {
      options = this.merge(cfg.range, [
        this.renamed(cfg, { host: 'server', port: 'port', username: 'user', password: 'password', database: 'database', domain: 'domain', options: 'options', authentication: 'authentication' }),
        extra,
      ]);
    }
    return this.build(driver, { ...base, context: `${base.context.replace(/ config$/, '')} options` }, dsn, options, cfgExpr);
  }

  /**
   * `perConnection`: the function that produced these settings and runs for every new connection
   * (knex `connection: async () => ({…})`): a token minted inside it is fresh for each connection.
   */
  private build(driver: DriverId, base: SiteBase, dsn: { input: DsnInput; note?: string; envName?: string; expr: ts.Expression } | undefined,
    options: Val | undefined, optionsExpr: ts.Expression | undefined, perConnection?: ts.Node): FoundSite {
    const site: ConnectionSite = {
      language: 'ts',
      driver,
      anchor: base.anchor,
      ...(dsn ? { dsn: dsn.input } : {}),
      ...(options ? { options } : {}),
      isPool: base.isPool,
      ...(wrapperOf(base.context) ? { wrapper: wrapperOf(base.context) } : {}),
      ...(dsn?.note ? { note: dsn.note } : {}),
      ...(dsn?.envName ? { envName: dsn.envName } : {}),
    };
    let minted = base.isPool ? this.mintedOnce(dsn?.expr, options) : undefined;
    if (minted && perConnection && within(minted.mintedAt, this.ev.range(perConnection))) minted = undefined;
    if (minted && this.poolClosedInCall(base.anchor, minted.mintedAt)) minted = undefined;
    return {
      site: minted ? { ...site, tokenMintedOnce: minted } : site,
      context: base.context,
      dsnExpr: dsn?.expr,
      optionsExpr,
    };
  }

  /** The connection string passed as `expr`, with its producing literal and appendability. */
  dsn(expr: ts.Expression): { input: DsnInput; note?: string; envName?: string; expr: ts.Expression } {
    const v = this.ev.eval(expr);
    const producer = this.producer(expr);
    const s = v.k === 'str' ? v.s : SrcString.hole(this.ev.range(expr));
    const note = v.k === 'env' ? `connection string from process.env.${v.name}` : undefined;
    const envName = v.k === 'env' ? v.name : undefined;
    if (this.ev.literalVals.has(v) && v.k === 'str') {
      // The whole value is one literal (through variables or object properties): that literal is its home.
      return { input: { s, range: v.range, appendable: v.s.length > 0 }, note, envName, expr };
    }
    return { input: { s, range: this.ev.range(producer), appendable: this.endsInOwnLiteral(expr) }, note, envName, expr };
  }

  private dsnFromOptions(options: Val): { input: DsnInput; note?: string; envName?: string; expr: ts.Expression } | undefined {
    for (const key of DSN_KEYS) {
      const p = prop(options, key);
      const e = p && (this.ev.propExpr.get(p) as ts.Expression | undefined);
      // Under a DSN key, anything that is not clearly another kind of value is the connection string.
      if (p && e && isExpression(e) && !['obj', 'arr', 'fn', 'bool', 'num', 'null'].includes(p.value.k)) return this.dsn(e);
    }
    return undefined;
  }

  /** Follows whole-variable references to the expression that produced the value. */
  private producer(expr: ts.Expression): ts.Expression {
    let e = unwrap(expr);
    for (let i = 0; i < 20; i++) {
      if (tsApi.isAwaitExpression(e)) {
        e = unwrap(e.expression);
        continue;
      }
      if (!tsApi.isIdentifier(e)) break;
      const init = this.ev.initializerOf(e);
      if (!init) break;
      e = unwrap(init);
    }
    return e;
  }

  /**
   * Whether the string's last character is a literal character written in this expression (or
   * in the literal a whole-variable reference stands for), so that appending lands in a literal.
   */
  private endsInOwnLiteral(expr: ts.Expression): boolean {
    let e = this.producer(expr);
    for (let i = 0; i < 50; i++) {
      if (tsApi.isStringLiteral(e) || tsApi.isNoSubstitutionTemplateLiteral(e)) return e.text.length > 0;
      if (tsApi.isTemplateExpression(e)) return e.templateSpans[e.templateSpans.length - 1].literal.text.length > 0;
      if (tsApi.isBinaryExpression(e) && e.operatorToken.kind === tsApi.SyntaxKind.PlusToken) {
        // The right operand must be written here: a constant defined elsewhere is not ours to edit.
        e = unwrap(e.right);
        if (tsApi.isIdentifier(e)) return false;
        continue;
      }
      return false;
    }
    return false;
  }

  private syntheticProp(key: string, e: ts.Expression): Prop {
    const r = this.ev.range(e);
    const p: Prop = { key, keyRange: r, value: this.ev.eval(e), range: r };
    this.ev.propExpr.set(p, e);
    return p;
  }

  /** Props of `obj` whose keys are in `map`, renamed to the driver's key (Prop identity kept when unchanged). */
  private renamed(obj: Val | undefined, map: Record<string, string>): Prop[] {
    if (!obj || obj.k !== 'obj') return [];
    const out: Prop[] = [];
    for (const p of obj.props) {
      const to = map[p.key];
      if (to === undefined) continue;
      if (to === p.key) {
        out.push(p);
      } else {
        const q: Prop = { ...p, key: to };
        const e = this.ev.propExpr.get(p);
        if (e) this.ev.propExpr.set(q, e);
        out.push(q);
      }
    }
    return out;
  }

  private merge(range: Range, groups: Prop[][]): Val {
    return { k: 'obj', props: groups.flat(), range };
  }

  /**
   * A pool made for one call and closed before it returns, from a token minted in the same call:
   * `const pool = await new sql.ConnectionPool({… token …}).connect(); try {…} finally { await
   * pool.close(); }`. The token is as fresh as the pool (no reuse past expiry).
   */
  private poolClosedInCall(anchor: Range, mintedAt: Range): boolean {
    // The innermost function around the pool's creation.
    let fn: ts.Node | undefined;
    let cur: ts.Node = this.ev.sf;
    for (let depth = 0; depth < 400; depth++) {
      let next: ts.Node | undefined;
      tsApi.forEachChild(cur, (c) => {
        if (!next && c.pos <= anchor.start && anchor.end <= c.end) next = c;
      });
      if (!next) break;
      cur = next;
      const body = (cur as { body?: ts.Node }).body;
      if (body && tsApi.isBlock(body) && (tsApi.isFunctionDeclaration(cur) || tsApi.isFunctionExpression(cur) || tsApi.isArrowFunction(cur) || tsApi.isMethodDeclaration(cur))) fn = cur;
    }
    if (!fn || !within(mintedAt, this.ev.range(fn))) return false;
    // The variable that holds the pool, and a `<it>.close()` in the same function.
    const holders = new Set<string>();
    const closes = new Set<string>();
    const stack: ts.Node[] = [fn];
    while (stack.length) {
      const n = stack.pop()!;
      if (n !== fn && (tsApi.isFunctionDeclaration(n) || tsApi.isFunctionExpression(n) || tsApi.isArrowFunction(n))) continue;
      if (tsApi.isVariableDeclaration(n) && tsApi.isIdentifier(n.name) && n.initializer && n.initializer.pos <= anchor.start && anchor.end <= n.initializer.end) holders.add(n.name.text);
      if (tsApi.isCallExpression(n) && tsApi.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'close' && tsApi.isIdentifier(n.expression.expression)) closes.add(n.expression.expression.text);
      tsApi.forEachChild(n, (c) => {
        stack.push(c);
      });
    }
    return [...holders].some((h) => closes.has(h));
  }

  /**
   * An IAM/Entra token minted once (awaited outside a per-connection function) that reaches this
   * pool's password/token or its connection string.
   */
  private mintedOnce(dsnExpr: ts.Expression | undefined, options: Val | undefined): ConnectionSite['tokenMintedOnce'] {
    if (dsnExpr) {
      const m = this.tokenCall(dsnExpr, 0);
      if (m) return { mintedAt: this.ev.range(m.call), usedAt: this.ev.range(dsnExpr), kind: m.kind };
    }
    const visit = (v: Val | undefined, depth: number): ConnectionSite['tokenMintedOnce'] => {
      if (!v || v.k !== 'obj' || depth > 4) return undefined;
      for (const p of v.props) {
        const e = this.ev.propExpr.get(p);
        if (e && /^(password|pass|token|accesstoken)$/i.test(p.key) && isExpression(e)) {
          const m = this.tokenCall(e, 0);
          if (m) return { mintedAt: this.ev.range(m.call), usedAt: this.ev.range(e), kind: m.kind };
        }
        const inner = visit(p.value, depth + 1);
        if (inner) return inner;
      }
      return undefined;
    };
    return visit(options, 0);
  }

  /** The token-minting call a value comes from, not looking inside functions (those run per connection). */
  tokenCall(expr: ts.Expression, depth: number): { call: ts.CallExpression; kind: 'rds-iam' | 'entra' } | undefined {
    if (depth > 20) return undefined;
    const e = unwrap(expr);
    const d = depth + 1;
    if (tsApi.isAwaitExpression(e)) return this.tokenCall(e.expression, d);
    if (tsApi.isCallExpression(e)) {
      const kind = this.tokenKind(e);
      if (kind) return { call: e, kind };
      const callee = unwrap(e.expression);
      if (tsApi.isIdentifier(callee) && (callee.text === 'encodeURIComponent' || callee.text === 'String') && e.arguments[0]) {
        return this.tokenCall(e.arguments[0], d);
      }
      return undefined;
    }
    if (tsApi.isIdentifier(e)) {
      const decl = this.ev.declOf(e);
      if (decl && tsApi.isVariableDeclaration(decl) && decl.initializer) return this.tokenCall(decl.initializer, d);
      if (decl && tsApi.isBindingElement(decl) && tsApi.isObjectBindingPattern(decl.parent)) {
        const c = decl.parent.parent;
        if (tsApi.isVariableDeclaration(c) && c.initializer) return this.tokenCall(c.initializer, d);
      }
      return undefined;
    }
    if (tsApi.isPropertyAccessExpression(e) && e.name.text === 'token') return this.tokenCall(e.expression, d);
    if (tsApi.isTemplateExpression(e)) {
      for (const span of e.templateSpans) {
        const m = this.tokenCall(span.expression, d);
        if (m) return m;
      }
      return undefined;
    }
    if (tsApi.isBinaryExpression(e) && e.operatorToken.kind === tsApi.SyntaxKind.PlusToken) {
      return this.tokenCall(e.left, d) ?? this.tokenCall(e.right, d);
    }
    return undefined;
  }

  /** `signer.getAuthToken()` → rds-iam; `credential.getToken(scope)` (with @azure/identity) → entra. */
  tokenKind(call: ts.CallExpression): 'rds-iam' | 'entra' | undefined {
    const callee = unwrap(call.expression);
    if (!tsApi.isPropertyAccessExpression(callee)) return undefined;
    if (callee.name.text === 'getAuthToken') return 'rds-iam';
    if (callee.name.text === 'getToken') {
      const ref = this.ev.moduleRef(callee.expression);
      const receiverIsAzure = ref?.module === '@azure/identity';
      const scope = call.arguments[0] ? this.ev.eval(call.arguments[0]) : undefined;
      const sqlScope = scope?.k === 'str' && scope.s.text.includes('database.windows.net');
      if (this.azureImported || receiverIsAzure || sqlScope) return 'entra';
    }
    return undefined;
  }
}

interface SiteBase {
  readonly anchor: Range;
  readonly isPool: boolean;
  readonly context: string;
}

/** Driver config types (their type declarations) → the driver and the call they configure. */
function recogniseConfigType(ref: ModuleRef): { driver: DriverId; label: string; isPool: boolean } | undefined {
  const p = ref.path.join('.');
  switch (ref.module) {
    case 'pg':
      if (p === 'PoolConfig') return { driver: 'node-postgres', label: 'pg Pool', isPool: true };
      if (p === 'ClientConfig' || p === 'ConnectionConfig') return { driver: 'node-postgres', label: 'pg Client', isPool: false };
      return undefined;
    case 'mysql2':
    case 'mysql2/promise':
      if (p === 'PoolOptions') return { driver: 'mysql2', label: 'mysql2 createPool', isPool: true };
      if (p === 'ConnectionOptions') return { driver: 'mysql2', label: 'mysql2 createConnection', isPool: false };
      return undefined;
    case 'mssql':
      // `config` is what sql.connect and new sql.ConnectionPool take.
      return p === 'config' ? { driver: 'mssql', label: 'mssql ConnectionPool', isPool: true } : undefined;
  }
  return undefined;
}

/**
 * The type an object literal is declared with: `const x: T = {…}` or `{…} satisfies T`
 * (parentheses allowed between them).
 */
function declaredType(obj: ts.ObjectLiteralExpression): ts.TypeNode | undefined {
  let node: ts.Node = obj;
  let p = obj.parent;
  while (p && tsApi.isParenthesizedExpression(p)) {
    node = p;
    p = p.parent;
  }
  if (p && tsApi.isSatisfiesExpression(p) && p.expression === node) return p.type;
  if (p && tsApi.isVariableDeclaration(p) && p.initializer === node) return p.type;
  return undefined;
}

/**
 * The variable an object literal initialises (`const cfg = {…}`, also through parentheses,
 * `as` and `satisfies`), so that uses of the name can be matched.
 */
export function declarationOfObject(obj: ts.ObjectLiteralExpression): ts.VariableDeclaration | undefined {
  let node: ts.Node = obj;
  let p = obj.parent;
  while (p && (tsApi.isParenthesizedExpression(p) || tsApi.isSatisfiesExpression(p) || tsApi.isAsExpression(p))) {
    node = p;
    p = p.parent;
  }
  return p && tsApi.isVariableDeclaration(p) && p.initializer === node ? p : undefined;
}

/**
 * drizzle-orm/node-mssql reads a connection string with `new URL(…)` first
 * (getMsSqlConnectionParams: `encrypt` and `trustServerCertificate` only when the query says
 * `true`), and hands it to mssql unchanged only when that throws (an ADO.NET
 * `Server=…;Encrypt=…` string). Only a fully known string that is not a URL is the driver's own.
 */
function drizzleMssqlPassesThrough(v: Val): boolean {
  const text = strOf(v);
  if (text === undefined) return false;
  try {
    new URL(text);
    return false;
  } catch {
    return true;
  }
}

function within(inner: Range, outer: Range): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

function propNameText(n: ts.PropertyName): string | undefined {
  return tsApi.isIdentifier(n) || tsApi.isStringLiteral(n) ? n.text : undefined;
}

function isExpression(n: ts.Node): n is ts.Expression {
  return !tsApi.isMethodDeclaration(n) && !tsApi.isGetAccessorDeclaration(n);
}

/** A value that is (or may be) a connection string rather than a config object. */
function isStringLike(v: Val): boolean {
  return v.k === 'str' || v.k === 'env';
}

function objProps(v: Val | undefined): Prop[] {
  return v && v.k === 'obj' ? [...v.props] : [];
}

/** Sequelize dialect / TypeORM type / URL scheme → the Node driver underneath. */
/** The wrapper library named by a site's context label. */
function wrapperOf(context: string): 'knex' | 'sequelize' | 'typeorm' | undefined {
  if (context.startsWith('knex')) return 'knex';
  if (context.startsWith('Sequelize')) return 'sequelize';
  if (context.startsWith('TypeORM')) return 'typeorm';
  return undefined;
}

function dialectDriver(dialect: string | undefined): DriverId | undefined {
  switch (dialect) {
    case 'postgres':
    case 'postgresql':
      return 'node-postgres';
    case 'mysql':
    case 'mariadb':
      return 'mysql2';
    case 'mssql':
      return 'tedious'; // Sequelize's mssql dialect drives tedious directly
    case 'mssql-typeorm':
      return 'mssql'; // TypeORM's mssql driver uses node-mssql
  }
  return undefined;
}
