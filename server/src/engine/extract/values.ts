/**
 * The values extractors resolve from code, and the records they hand to the profile layer.
 *
 * Extractors (Go, TS/JS, config files) follow values within one file — constants, variables,
 * concatenation, Sprintf/template literals, env reads — and describe each connection they find as
 * a ConnectionSite: which driver consumes it and the raw settings it receives, each with its
 * source range. They do not judge anything: driver semantics live in profile/drivers/*, rules in
 * rules/*. Facts that are not part of one connection (a logged secret, a cloud key, a tls.Config
 * literal that no connection uses) are Observations.
 *
 * Architecture invariant: extractors never throw. A construct they cannot resolve becomes an
 * `unknown` value, never a guess.
 */
import { Range } from '../model';
import { SrcString } from '../srcstring';

export type Val =
  /** A string, fully or partly known (holes are HOLE characters in `s.text`). */
  | { readonly k: 'str'; readonly s: SrcString; readonly range: Range }
  | { readonly k: 'num'; readonly n: number; readonly range: Range }
  | { readonly k: 'bool'; readonly b: boolean; readonly range: Range }
  | { readonly k: 'null'; readonly range: Range }
  /** Read from the environment: `os.Getenv("X")`, `process.env.X`, `${X}` in config files. */
  | { readonly k: 'env'; readonly name: string; readonly range: Range }
  /**
   * An object. `open`: some of its properties come from a value not known statically (a spread of
   * a call or parameter), so a key missing from `props` may still be set — unknown, not absent.
   */
  | { readonly k: 'obj'; readonly props: readonly Prop[]; readonly range: Range; readonly open?: boolean }
  | { readonly k: 'arr'; readonly items: readonly Val[]; readonly range: Range }
  /** A function value: `() => signer.getAuthToken()`, a Go func literal. `body` is its source range. */
  | { readonly k: 'fn'; readonly range: Range; readonly calls: readonly string[]; readonly body: Range }
  /**
   * The result of a call whose value is not known: `await signer.getAuthToken()`,
   * `auth.BuildAuthToken(...)`. `callee` is the callee text with whitespace removed
   * (`signer.getAuthToken`, `auth.BuildAuthToken`).
   */
  | { readonly k: 'call'; readonly callee: string; readonly range: Range; readonly awaited: boolean }
  /** A named constant or identifier the extractor did not resolve further (`tls.VersionTLS10`). */
  | { readonly k: 'ident'; readonly name: string; readonly range: Range }
  | { readonly k: 'unknown'; readonly range: Range };

export interface Prop {
  /** Property / field / key name as written (quotes removed). */
  readonly key: string;
  readonly keyRange: Range;
  readonly value: Val;
  /** The whole property including key and value (for deletion fixes). */
  readonly range: Range;
}

export function prop(obj: Val | undefined, key: string): Prop | undefined {
  if (!obj || obj.k !== 'obj') return undefined;
  // Last one wins, as in a JS object literal and a Go composite literal cannot repeat.
  for (let i = obj.props.length - 1; i >= 0; i--) if (obj.props[i].key === key) return obj.props[i];
  return undefined;
}

export function propVal(obj: Val | undefined, key: string): Val | undefined {
  return prop(obj, key)?.value;
}

/** Known string content of a value (undefined when not a fully known string). */
export function strOf(v: Val | undefined): string | undefined {
  return v && v.k === 'str' && v.s.complete ? v.s.text : undefined;
}

export type DriverId =
  // Go
  | 'pgx' // jackc/pgx (pgx.Connect, pgxpool, stdlib "pgx" driver name)
  | 'lib/pq' // sql.Open("postgres", …)
  | 'go-mysql' // go-sql-driver/mysql
  | 'go-mssqldb' // sql.Open("sqlserver"|"mssql", …)
  | 'go-mssqldb-azuresql' // sql.Open("azuresql", …) from the azuread package: interprets fedauth
  | 'godror' // sql.Open("godror"|"oracle", …)
  | 'bun-pgdriver' // uptrace/bun driver/pgdriver: sql.OpenDB(pgdriver.NewConnector(With…)), sql.Open("pg", …)
  // Node
  | 'node-postgres' // pg Pool/Client
  | 'postgres.js' // porsager postgres()
  | 'mysql2'
  | 'mssql' // node-mssql (object or connection string via @tediousjs/connection-string)
  | 'tedious'
  // Prisma's query engine (prisma-engines quaint): a `datasource` URL in schema.prisma, or an env
  // variable a datasource reads with env("X"). Semantics in profile/drivers/prisma.ts.
  | 'prisma-postgres' // provider postgresql / postgres / cockroachdb
  | 'prisma-mysql' // provider mysql
  // Unknown consumer: a config file. Evaluated under libpq semantics (SPEC §1.1).
  | 'unknown-postgres'
  | 'unknown-mysql'
  | 'unknown-sqlserver'
  | 'unknown-oracle';

export type SourceLanguage = 'go' | 'ts' | 'config';

/** Go `crypto/tls` Config or Node `tls.connect` options as written in code. */
export interface TlsConfigFacts {
  readonly range: Range;
  readonly insecureSkipVerify?: { readonly value: boolean | 'unknown'; readonly range: Range; readonly propRange: Range };
  /** A VerifyPeerCertificate / VerifyConnection callback and whether it can reject. */
  readonly verifyCallback?: { readonly name: string; readonly range: Range; readonly rejects: boolean | 'unknown' };
  /** TLS version as `1.0`|`1.1`|`1.2`|`1.3`, or 'unknown'. */
  readonly minVersion?: { readonly version: string; readonly range: Range };
  readonly maxVersion?: { readonly version: string; readonly range: Range };
  readonly rootCAs?: { readonly range: Range };
  readonly serverName?: { readonly value: Val; readonly range: Range };
  readonly keyLogWriter?: { readonly range: Range };
  /** Where the config was defined, when it came from another statement (for related info). */
  readonly definedAt?: Range;
}

/** `*sql.DB` pool settings seen for one pool variable (Go). */
export interface GoPoolFacts {
  readonly maxOpen?: { readonly value: Val; readonly range: Range };
  readonly maxIdle?: { readonly value: Val; readonly range: Range };
  /** `SetConnMaxLifetime(d)`: seconds when resolvable, else undefined with the range. */
  readonly maxLifetime?: { readonly seconds: number | undefined; readonly range: Range };
  /** Whether the pool variable escapes the function (returned / stored): settings may be applied elsewhere. */
  readonly escapes: boolean;
}

/**
 * One connection found in a file: the consumer and the raw settings it gets.
 * Only the fields that apply to the consumer are set.
 */
export interface ConnectionSite {
  readonly language: SourceLanguage;
  readonly driver: DriverId;
  /** The call, object literal or connection-string literal that makes this connection. */
  readonly anchor: Range;
  /** The connection string, when there is one. */
  readonly dsn?: DsnInput;
  /**
   * Code-level options: a TS config object (`new Pool({...})`, `createConnection({...})`,
   * mssql config), a Go `mysql.Config{…}` literal plus field assignments, pgx/pgxpool config
   * field assignments. Keys are as in the driver's API (`ssl`, `TLSConfig`, `AllowCleartextPasswords`…).
   */
  readonly options?: Val;
  /** Go: the tls.Config used by this connection (mysql RegisterTLSConfig, pgx cfg.TLSConfig, …). */
  readonly tlsConfig?: TlsConfigFacts;
  /** Go: `*sql.DB` pool settings applied to the returned pool. Undefined = not a `*sql.DB`. */
  readonly goPool?: GoPoolFacts;
  /** The library between the code and the driver (knex, Sequelize, TypeORM), when there is one. */
  readonly wrapper?: 'knex' | 'sequelize' | 'typeorm';
  /** The call makes a pool (pg Pool, mysql2 createPool, mssql ConnectionPool, pgxpool, *sql.DB). */
  readonly isPool?: boolean;
  /** A per-connection hook that sets credentials (pgxpool BeforeConnect, mysql.BeforeConnect…). */
  readonly beforeConnect?: Range;
  /**
   * An IAM/Entra token that was minted once (outside a per-connection hook) and flows into this
   * connection's DSN or password. `mintedAt` is the signer call.
   */
  readonly tokenMintedOnce?: { readonly mintedAt: Range; readonly usedAt: Range; readonly kind: 'rds-iam' | 'entra' };
  /**
   * The environment variable that links code and configuration: in code, the variable the whole
   * connection string is read from (`os.Getenv("DATABASE_URL")`, `process.env.DATABASE_URL`); in
   * a config file, the env-style key the connection string is stored under (`DATABASE_URL=` in
   * .env, docker-compose `environment:`, Kubernetes `env:`). The CLI uses it to judge a config
   * value under the driver that reads it (SPEC §1.1).
   */
  readonly envName?: string;
  /** Where the DSN/options came from in another file or the environment (for the message). */
  readonly note?: string;
  /**
   * A config value judged under the code that reads it: the option keys that code passes beside
   * the connection string (`ssl`, `connectionTimeoutMillis`, `options.encrypt`…; `*` when its
   * options are not visible). Settings the consumer makes itself are not the value's to judge.
   */
  readonly consumerOptions?: readonly string[];
  /**
   * The connection goes through a connector that dials its own verified TLS tunnel (pgx
   * `ConnConfig.DialFunc` from the Cloud SQL Go Connector): the driver's TLS settings apply
   * inside that tunnel, not to the network.
   */
  readonly tunnel?: { readonly via: string; readonly range: Range };
  /** A related location worth showing (e.g. the RegisterTLSConfig call). */
  readonly related?: readonly { readonly range: Range; readonly message: string }[];
}

/** A connection string as the consumer receives it. */
export interface DsnInput {
  /** The resolved text (possibly with holes). */
  readonly s: SrcString;
  /** The literal (or expression) that produced it: the range of a "missing setting" finding. */
  readonly range: Range;
  /**
   * Whether a fix may append a parameter at the end of `s` (the string's last character is a
   * literal character in the source, so an insertion after it lands inside the literal).
   */
  readonly appendable: boolean;
}

export type Observation =
  /** A crypto/tls Config (Go) or Node TLS options object not attributed to any connection. */
  | { readonly kind: 'tls-config'; readonly facts: TlsConfigFacts; readonly language: SourceLanguage;
      /** The file imports a database driver (a tls.Config in an HTTP-only file is not ours to judge). */
      readonly dbContext: boolean }
  /** A literal secret bound to a password-like name (config key, struct field, property, url.UserPassword). */
  | { readonly kind: 'secret-literal'; readonly range: Range; readonly valueRange: Range; readonly name: string; readonly value: string; readonly context: string }
  /** A literal cloud credential. `valueRange` is the literal. */
  | { readonly kind: 'cloud-key'; readonly keyKind: 'aws-access-key-id' | 'aws-secret-access-key' | 'alibaba-access-key-id' | 'alibaba-access-key-secret' | 'azure-client-secret'; readonly range: Range; readonly valueRange: Range; readonly value: string; readonly context: string }
  /** A DSN, password or token passed to a logger/print function. `what` names the argument. */
  | { readonly kind: 'secret-logged'; readonly range: Range; readonly callee: string; readonly what: string }
  /** `NODE_TLS_REJECT_UNAUTHORIZED` set to 0 in code or an env file. */
  | { readonly kind: 'node-tls-reject-unauthorized'; readonly range: Range; readonly value: string }
  /** `SSLKEYLOGFILE` set in code or env files. */
  | { readonly kind: 'ssl-keylog-file'; readonly range: Range }
  /** User or password interpolated into a URL-form DSN without escaping. */
  | { readonly kind: 'credentials-interpolated'; readonly range: Range; readonly part: 'user' | 'password'; readonly how: string; readonly language: SourceLanguage };

/**
 * An outermost function body (the text between its braces, exclusive): the unit of incremental
 * re-analysis (engine/incremental.ts). `name` is how other code can call it (function, method or
 * the variable/property holding it); anonymous callbacks have none.
 */
export interface CodeUnit {
  readonly start: number;
  readonly end: number;
  readonly name?: string;
  /** Called as a property (`x.name()`: methods, object members) rather than by its bare name. */
  readonly member?: boolean;
  /** For members of an outermost class: its index in `Outline.containers`, so `this.name()` finds only its own methods. */
  readonly owner?: number;
  /**
   * It takes parameters (a Go receiver included), which the evaluators bind from the function's
   * calls in the file: its callers matter to it (engine/incremental.ts keeps them).
   */
  readonly params?: boolean;
  /** Never left out of an incremental slice (Go struct bodies: their field types are read). */
  readonly alwaysParsed?: boolean;
}

/**
 * A class body (between its braces, exclusive) holding units: blanked whole when none of its
 * members is needed, so its property declarations and method signatures are not parsed either.
 */
export interface CodeContainer {
  readonly start: number;
  readonly end: number;
  /** The class name (`new Name()`, `Name.member`). */
  readonly name?: string;
  /** Names of every member: properties, methods, accessors. */
  readonly members: readonly string[];
  /**
   * The class extends another: its member names say which methods of the base it overrides
   * (the TS evaluator follows `this.m()` only when no subclass in the file overrides m), so it
   * is never left out whole.
   */
  readonly subclass?: boolean;
}

/** The file's shape as incremental re-analysis needs it (only code extractors produce one). */
export interface Outline {
  readonly units: readonly CodeUnit[];
  /** Outermost classes (TS/JS); none for Go. */
  readonly containers?: readonly CodeContainer[];
  /** Names of package-level / module-level variables and constants. */
  readonly values: readonly string[];
  /**
   * Where the parser had to recover (offsets). Undefined when an error exists that could not be
   * located: the file is then never re-analysed in slices.
   */
  readonly errorAt: readonly number[] | undefined;
  /** TS/JS: what a first analysis in slices plans from (engine/incremental.ts planFirstSliceTs). */
  readonly slice?: SliceOutline;
}

/**
 * A unit as a first analysis in slices sees it (TS/JS): how other code reaches it, and whether
 * leaving it out is allowed at all. `free`: a top-level function declaration, a top-level
 * `const f = (…) => {…}` (or function expression), a member of a top-level class — reached only
 * by its name. `callback`: a function passed directly to a top-level call statement
 * (`router.get('/x', async (req, res) => {…})`), which may be left out when that statement
 * (`context`, its bodies aside) shows no trigger token. `pinned`: anything else (object-literal
 * methods, functions inside initializers and other expressions): never left out.
 */
export interface SliceUnit {
  readonly start: number;
  readonly end: number;
  /** Where its declaration starts: decorators, modifiers, the variable's name; the triggers are looked for in [declStart, end). */
  readonly declStart: number;
  readonly name: string | undefined;
  readonly member: boolean;
  readonly role: 'free' | 'callback' | 'pinned';
  readonly context?: Range;
}

/** A top-level declaration of values (a `const`/`let`/`var` declarator, an import): the names it binds and its text. */
export interface SliceValue {
  readonly names: readonly string[];
  readonly start: number;
  readonly end: number;
  /** An import (its names are never followed as values). */
  readonly imported: boolean;
}

export interface SliceOutline {
  readonly units: readonly SliceUnit[];
  readonly values: readonly SliceValue[];
}

export interface Extraction {
  readonly sites: ConnectionSite[];
  readonly observations: Observation[];
  /** Parse problems worth a note (never thrown). */
  readonly errors: string[];
  readonly outline?: Outline;
  /** Parser state an incremental re-analysis of the next version may reuse (opaque; TS/JS only). */
  readonly reuse?: unknown;
  /**
   * The bodies of the functions whose parameters the evaluators tried to bind from a call
   * (bound or not): their values depend on every call of the function in the file, so
   * engine/incremental.ts keeps those calls in view.
   */
  readonly paramReads?: readonly Range[];
  /**
   * Code the evaluators read without leaving its range in a site or observation (e.g. the
   * assignments that make a variable unknown): engine/incremental.ts counts the units holding it
   * as touched, so it stays in view.
   */
  readonly evidence?: readonly Range[];
}

/**
 * Identity of a site's content (ranges and values), for collapsing the equal sites that reading a
 * helper once per call gives (the site did not depend on that call's arguments). Undefined when
 * the site cannot be serialised: it is then never collapsed.
 */
export function siteContentKey(site: ConnectionSite): string | undefined {
  try {
    return JSON.stringify(site);
  } catch {
    return undefined;
  }
}
