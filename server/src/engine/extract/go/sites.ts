/**
 * Connection sites in Go code: which driver consumes which connection string / config.
 *
 * Recognised (package identifiers are resolved through the file's imports, aliases included):
 * - database/sql and sqlx openers with a driver name: `sql.Open("pgx", dsn)` …
 * - `sql.OpenDB(connector)` with mysql / pq / mssql / azuread / godror connectors
 * - pgx, pgxpool and pgconn: Connect / New / ParseConfig + config field assignments
 * - go-sql-driver `mysql.Config{…}`, `mysql.NewConfig()`, `mysql.ParseDSN`, `FormatDSN()`,
 *   `cfg.Apply(mysql.BeforeConnect(fn))`, `mysql.RegisterTLSConfig("name", …)` + `tls=name`
 * - gorm openers (postgres → pgx, mysql → go-sql-driver, sqlserver → go-mssqldb)
 * - `stdlib.OpenDB(cfg)` (pgx) and godror `ParseConnString`
 * - uptrace/bun pgdriver: `pgdriver.NewConnector(opts…)` with its functional options in order
 *   (WithDSN, WithTLSConfig, WithInsecure, WithTimeout, WithDialTimeout, WithAddr, WithPassword…;
 *   WithOptions flattened, a literal `[]pgdriver.Option{…}` spread followed), `sql.Open("pg", …)`
 * Creators that no opener in this file consumes (a ParseConfig returned to a caller, a
 * mysql.Config literal) still become sites: the settings they hold are in this file.
 *
 * `*sql.DB` pools: the variable bound to the opener is followed to its Set* calls; it "escapes"
 * when it is returned, stored in a field or package variable, or passed to another function.
 */
import { Range } from '../../model';
import { HOLE, SrcString } from '../../srcstring';
import { ConnectionSite, DriverId, DsnInput, GoPoolFacts, Prop, TlsConfigFacts, Val, siteContentKey } from '../values';
import { GoNode, callArgs, exprList, field, isWithin, namedKids, rangeOf, unparen, walk } from './ast';
import { Evaluator, ObjectRef, Taint } from './evaluate';
import { Def, GoFile } from './file';
import { TlsEntry, TlsReader, TlsResult } from './tls';

const SQL_DRIVER_NAMES: Readonly<Record<string, DriverId>> = {
  pgx: 'pgx', 'pgx/v5': 'pgx', 'pgx/v4': 'pgx', postgres: 'lib/pq', mysql: 'go-mysql', sqlserver: 'go-mssqldb',
  mssql: 'go-mssqldb', azuresql: 'go-mssqldb-azuresql', godror: 'godror', oracle: 'godror',
  // uptrace/bun's pgdriver registers itself as "pg" (driver.go init).
  pg: 'bun-pgdriver',
};

/** jinzhu/gorm v1 `gorm.Open("postgres", dsn)` uses lib/pq for "postgres". */
const SQL_OPENERS: Readonly<Record<string, readonly string[]>> = {
  sql: ['Open'],
  sqlx: ['Open', 'Connect', 'MustConnect', 'MustOpen', 'ConnectContext'],
};

/** Methods on *sql.DB that neither configure the pool nor let the pool escape. */
const POOL_SETTERS = new Set(['SetMaxOpenConns', 'SetMaxIdleConns', 'SetConnMaxLifetime']);

interface Partial {
  dsn?: DsnInput;
  note?: string;
  /** The env variable the whole connection string is read from. */
  envName?: string;
  options?: Val;
  tls?: TlsResult;
  beforeConnect?: Range;
  tunnel?: { via: string; range: Range };
  related?: { range: Range; message: string }[];
  taints: Taint[];
  /** Where the token flows in (the DSN or password expression). */
  usedAt?: Range;
}

export interface SiteScan {
  readonly sites: ConnectionSite[];
  /** tls.Config literals / declarations attributed to a connection. */
  readonly consumedTls: Set<GoNode>;
  /** Variables that hold a connection string used by a site (for secret-logged). */
  readonly dsnDefs: Set<Def>;
  /** Variables that hold a mysql/pgx config object (its FormatDSN / ConnString is a DSN). */
  readonly configDefs: Set<Def>;
}

export function scanSites(f: GoFile, ev: Evaluator, tls: TlsReader): SiteScan {
  const scanner = new SiteScanner(f, ev, tls);
  const scan = scanner.run();
  return perCallSites(f, ev, scanner.consumed, scan);
}

/**
 * Per-call rescans of one file that found a site (each looks at one function's calls only).
 * Rescans that find none are refunded — a helper whose parameters some other call read (a
 * `pebble.Open(dir, …)` wrapper) must not use up the budget of the connection helpers, or the
 * answer would depend on bodies that cannot contribute (incremental.ts planFirstSlice leaves
 * them out) — within MAX_PER_CALL_RESCANS in all, which bounds the work.
 */
const MAX_PER_CALL_SCANS = 64;
const MAX_PER_CALL_RESCANS = 1024;

/**
 * Sites inside a function whose parameters the scan read and that the file calls several times
 * (Evaluator.multiCallReads): instead of the one site with unknown parameters, one site per call,
 * each evaluated with the parameters bound to that call's arguments (Evaluator.boundTo), so that a
 * finding lands on the caller's literal. Per-call sites that come out the same (same ranges and
 * values: the site did not depend on that argument, or the argument is unknown) are one site.
 * Findings on the function's own code then come from several sites at one range; the engine
 * reports a rule once per range (scan.ts). The function stays in paramReads (the evaluator
 * recorded it), so the incremental analysis keeps every caller in view.
 */
function perCallSites(f: GoFile, ev: Evaluator, consumed: ReadonlySet<GoNode>, scan: SiteScan): SiteScan {
  if (ev.multiCallReads.size === 0) return scan;
  let sites = scan.sites;
  let budget = MAX_PER_CALL_SCANS;
  let rescans = MAX_PER_CALL_RESCANS;
  for (const fn of [...ev.multiCallReads].sort((a, b) => a.start - b.start)) {
    const calls = ev.callsOf(fn);
    if (!calls || calls.length < 2 || calls.length > budget || calls.length > rescans) continue;
    rescans -= calls.length;
    const perCall: ConnectionSite[] = [];
    const keys = new Set<string>();
    try {
      for (const call of calls) {
        const bound = ev.boundTo(fn, call);
        const sub = new SiteScanner(f, bound, new TlsReader(bound), { fn, consumed }).run();
        for (const n of sub.consumedTls) scan.consumedTls.add(n);
        for (const d of sub.dsnDefs) scan.dsnDefs.add(d);
        for (const d of sub.configDefs) scan.configDefs.add(d);
        for (const site of sub.sites) {
          const key = siteContentKey(site);
          if (key !== undefined && keys.has(key)) continue;
          if (key !== undefined) keys.add(key);
          perCall.push(site);
        }
      }
    } catch {
      continue; // keep the unbound sites (extractors never throw)
    }
    const inside = (site: ConnectionSite): boolean => fn.start <= site.anchor.start && site.anchor.end <= fn.end;
    if (perCall.length === 0 && !sites.some(inside)) continue; // found nothing: refunded
    budget -= calls.length;
    sites = [...sites.filter((site) => !inside(site)), ...perCall];
  }
  // Stable: per-call sites of one anchor stay in call order.
  sites.sort((a, b) => a.anchor.start - b.anchor.start);
  return { ...scan, sites };
}

/** A per-call rescan: only the calls and creators inside `fn`; `consumed`: creators the whole-file scan consumed. */
interface ScanScope {
  readonly fn: GoNode;
  readonly consumed: ReadonlySet<GoNode>;
}

class SiteScanner {
  private readonly sites: ConnectionSite[] = [];
  /** Creators an opener consumed (they are not sites of their own). */
  readonly consumed = new Set<GoNode>();
  private readonly consumedTls = new Set<GoNode>();
  private readonly dsnDefs = new Set<Def>();
  private readonly configDefs = new Set<Def>();
  private readonly registry = new Map<string, { call: GoNode; tls: TlsResult | undefined }>();
  /** Func literals used as per-connection hooks: tokens minted inside them are fine. */
  private readonly hooks: GoNode[] = [];

  constructor(private readonly f: GoFile, private readonly ev: Evaluator, private readonly tls: TlsReader, private readonly scope?: ScanScope) {}

  /** Outside the scope of a per-call rescan, or consumed by an opener in the whole-file scan. */
  private outOfScope(n: GoNode): boolean {
    return !!this.scope && (!isWithin(n, this.scope.fn) || this.scope.consumed.has(n));
  }

  run(): SiteScan {
    const f = this.f;
    for (const call of f.calls) {
      const q = f.calleeOf(call);
      if (q && q[0] === 'gomysql' && q[1] === 'RegisterTLSConfig') {
        const a = callArgs(call);
        const name = a[0] ? this.ev.eval(a[0]) : undefined;
        if (name && name.k === 'str' && name.s.complete) this.registry.set(name.s.text, { call, tls: this.tls.fromExpr(a[1]) });
      }
    }
    for (const call of f.calls) {
      if (this.scope && !isWithin(call, this.scope.fn)) continue;
      try {
        this.visitCall(call);
      } catch {
        // Never let one odd construct stop the file (extractors never throw).
      }
    }
    this.unconsumedCreators();
    this.sites.sort((a, b) => a.anchor.start - b.anchor.start);
    return { sites: this.sites, consumedTls: this.consumedTls, dsnDefs: this.dsnDefs, configDefs: this.configDefs };
  }

  private visitCall(call: GoNode): void {
    const q = this.f.calleeOf(call);
    const args = callArgs(call);
    if (!q) return;
    const [pkg, name] = q;
    if (SQL_OPENERS[pkg]?.includes(name)) {
      const off = name === 'ConnectContext' ? 1 : 0;
      this.sqlOpen(call, args[off], args[off + 1]);
      return;
    }
    if (pkg === 'sql' && name === 'OpenDB') return this.openDb(call, args[0]);
    if (pkg === 'pgxstdlib' && name === 'OpenDB' && args[0]) {
      const p = this.pgxConfig(this.ev.objectOf(args[0]));
      return this.emit(call, 'pgx', p, { isPool: true, goPool: this.poolFacts(call) });
    }
    if ((pkg === 'pgx' || pkg === 'pgconn') && name === 'Connect' && args[1]) return this.emit(call, 'pgx', this.dsnFrom(args[1]), { isPool: false });
    if (pkg === 'pgxpool' && (name === 'New' || name === 'Connect') && args[1]) return this.emit(call, 'pgx', this.dsnFrom(args[1]), { isPool: true });
    if (((pkg === 'pgx' || pkg === 'pgconn') && name === 'ConnectConfig') || (pkg === 'pgxpool' && (name === 'NewWithConfig' || name === 'ConnectConfig'))) {
      if (!args[1]) return;
      const p = this.pgxConfig(this.ev.objectOf(args[1]));
      return this.emit(call, 'pgx', p, { isPool: pkg === 'pgxpool' });
    }
    if (pkg === 'gorm' && name === 'Open' && args[0]) return this.gormOpen(call, args);
    // Tracing wrappers (otelsql.Open, sqltrace.Open…) with a literal driver name.
    if (name === 'Open' && args.length === 2 && !this.isKnownPackage(pkg)) {
      const d = this.ev.eval(args[0]);
      // ent's generated client (`<module>/ent`) keeps its *sql.DB to itself: no Set* to advise here.
      if (d.k === 'str' && d.s.complete && SQL_DRIVER_NAMES[d.s.text]) this.sqlOpen(call, args[0], args[1], !/(^|\/)ent$/.test(pkg));
    }
  }

  private isKnownPackage(pkg: string): boolean {
    return !pkg.includes('/') || pkg.startsWith('gorm');
  }

  /** `sql.Open(driverName, dsn)` and friends. */
  private sqlOpen(call: GoNode, nameArg: GoNode | undefined, dsnArg: GoNode | undefined, tunablePool = true): void {
    if (!nameArg || !dsnArg) return;
    const name = this.ev.eval(nameArg);
    if (name.k !== 'str' || !name.s.complete) return;
    const driver = SQL_DRIVER_NAMES[name.s.text];
    if (!driver) return;
    const p = this.dsnOrFormatted(dsnArg, driver);
    this.emit(call, driver, p, { isPool: true, ...(tunablePool ? { goPool: this.poolFacts(call) } : {}) });
  }

  /** A DSN argument, or `cfg.FormatDSN()` of a go-sql-driver Config (→ options). */
  private dsnOrFormatted(expr: GoNode, driver: DriverId): Partial {
    const e = unparen(expr);
    if (driver === 'go-mysql' && e) {
      const ref = this.formatDsnSource(e);
      if (ref) return this.mysqlConfig(ref);
    }
    return this.dsnFrom(expr);
  }

  /** The config object behind `cfg.FormatDSN()` (directly or through a variable). */
  private formatDsnSource(e: GoNode, depth = 0): ObjectRef | undefined {
    if (depth > 5) return undefined;
    if (e.type === 'identifier') {
      const d = this.f.resolve(e);
      if (d && d !== 'ambiguous' && d.value && !d.multi) {
        const inner = unparen(d.value);
        if (inner) {
          const r = this.formatDsnSource(inner, depth + 1);
          if (r) this.dsnDefs.add(d);
          return r;
        }
      }
      return undefined;
    }
    if (e.type !== 'call_expression' || callArgs(e).length > 0) return undefined;
    const fn = field(e, 'function');
    if (!fn || fn.type !== 'selector_expression' || this.f.text(field(fn, 'field') ?? fn) !== 'FormatDSN') return undefined;
    return this.ev.objectOf(field(fn, 'operand'));
  }

  private dsnFrom(expr: GoNode): Partial {
    const taints: Taint[] = [];
    const e = unparen(expr);
    if (e && e.type === 'identifier') {
      const d = this.f.resolve(e);
      if (d && d !== 'ambiguous') this.dsnDefs.add(d);
    }
    const v = this.ev.eval(expr, taints);
    const p: Partial = { taints, usedAt: rangeOf(expr) };
    if (v.k === 'str') {
      p.dsn = { s: v.s, range: v.range, appendable: appendable(v.s) };
      // The literal default of an env read: the env variable still feeds this connection.
      const env = this.ev.envFallbackOf(v);
      if (env && env.length === 1) p.envName = env[0];
    } else if (v.k === 'env') {
      p.note = `connection string from environment variable ${v.name}`;
      p.envName = v.name;
    }
    else p.note = 'connection string not resolved in this file';
    return p;
  }

  /** go-sql-driver Config: literal / NewConfig() / ParseDSN(dsn) + field assignments + Apply(…). */
  private mysqlConfig(ref: ObjectRef | undefined): Partial {
    const p: Partial = { taints: [] };
    if (!ref) return { ...p, note: 'mysql config not resolved in this file' };
    this.consumed.add(ref.node);
    if (ref.def) this.configDefs.add(ref.def);
    const node = ref.node;
    const props: Prop[] = [];
    const tlsFrom = (value: GoNode): void => {
      const t = this.tls.fromExpr(value);
      if (t) p.tls = t;
    };
    if (node.type === 'composite_literal') {
      const v = this.ev.eval(node, p.taints);
      if (v.k === 'obj') props.push(...v.props);
      for (const { key, value } of keyedPairs(this.f, node)) if (key === 'TLS') tlsFrom(value);
    } else if (node.type === 'call_expression') {
      const q = this.f.calleeOf(node);
      if (q && q[0] === 'gomysql' && q[1] === 'ParseDSN' && callArgs(node)[0]) {
        const arg = callArgs(node)[0];
        const d = this.dsnFrom(arg);
        // Fields the code does not assign come from this DSN: when it is not known here (an env
        // read), they are unknown — not the driver's defaults.
        p.dsn = d.dsn ?? { s: SrcString.hole(rangeOf(arg)), range: rangeOf(arg), appendable: false };
        p.note = d.note;
        p.envName = d.envName;
        p.taints.push(...d.taints);
        p.usedAt = d.usedAt;
      }
    }
    if (ref.def) {
      for (const a of this.ev.fieldAssigns(ref.def)) {
        if (a.path.length !== 1) continue;
        const before = p.taints.length;
        props.push({ key: a.path[0], keyRange: rangeOf(a.fieldNode), value: this.ev.eval(a.value, p.taints), range: rangeOf(a.stmt) });
        if (p.taints.length > before) p.usedAt ??= rangeOf(a.value);
        if (a.path[0] === 'TLS') tlsFrom(a.value);
      }
      // cfg.Apply(mysql.BeforeConnect(fn))
      for (const call of this.f.calls) {
        const fn = field(call, 'function');
        if (!fn || fn.type !== 'selector_expression' || this.f.text(field(fn, 'field') ?? fn) !== 'Apply') continue;
        const op = unparen(field(fn, 'operand'));
        if (!op || op.type !== 'identifier' || this.f.resolve(op) !== ref.def) continue;
        for (const opt of callArgs(call)) this.beforeConnectOption(opt, p);
      }
    }
    if (p.taints.length > 0 && !p.usedAt) {
      const pw = props.find((x) => x.key === 'Passwd');
      if (pw) p.usedAt = pw.value.range;
    }
    p.options = { k: 'obj', props, range: rangeOf(node) };
    // TLSConfig: "name" registered with RegisterTLSConfig.
    const tlsName = [...props].reverse().find((x) => x.key === 'TLSConfig');
    if (tlsName && tlsName.value.k === 'str' && tlsName.value.s.complete) this.useRegistered(tlsName.value.s.text, p);
    return p;
  }

  private beforeConnectOption(opt: GoNode, p: Partial): void {
    const call = unparen(opt);
    if (!call || call.type !== 'call_expression') return;
    const q = this.f.calleeOf(call);
    if (!q || q[0] !== 'gomysql' || q[1] !== 'BeforeConnect') return;
    p.beforeConnect = rangeOf(call);
    const fn = this.ev.functionOf(callArgs(call)[0]);
    if (fn) {
      this.hooks.push(fn);
      this.capturedToken(fn, p);
    }
  }

  /**
   * A per-connection hook that sets the password to a token minted once outside it (captured by
   * the closure, `cc.Password = token`): every connection gets the same token, so the hook is not
   * a per-connection credential — the token counts as minted once, used at that assignment.
   */
  private capturedToken(fn: GoNode, p: Partial): void {
    const body = field(fn, 'body');
    if (!body) return;
    walk(body, (n) => {
      if (n.type === 'func_literal') return false;
      if (n.type !== 'assignment_statement') return;
      const left = exprList(field(n, 'left'));
      const right = exprList(field(n, 'right'));
      left.forEach((l, i) => {
        const fld = l.type === 'selector_expression' ? field(l, 'field') : undefined;
        const name = fld ? this.f.text(fld) : '';
        if ((name !== 'Password' && name !== 'Passwd') || !right[i] || right.length !== left.length) return;
        const taints: Taint[] = [];
        this.ev.eval(right[i], taints);
        const outside = taints.filter((t) => !isWithin(t.call, fn));
        if (outside.length === 0) return;
        p.taints.unshift(...outside);
        p.usedAt = rangeOf(right[i]);
        p.beforeConnect = undefined;
      });
    });
  }

  /**
   * A DialFunc that dials through the Cloud SQL Go Connector: the file imports cloudsqlconn, makes
   * a dialer with cloudsqlconn.NewDialer, and the function calls `.Dial(…)`. The connector opens a
   * mutual-TLS tunnel to the instance itself (Google's examples use sslmode=disable inside it).
   */
  private cloudSqlDialer(value: GoNode): boolean {
    if (![...this.f.imports.values()].includes('cloud.google.com/go/cloudsqlconn')) return false;
    const fn = this.ev.functionOf(value);
    if (!fn) return false;
    let dials = false;
    walk(fn, (n) => {
      if (n.type === 'call_expression' && /\.Dial$/.test(this.f.text(field(n, 'function') ?? n).replace(/\s+/g, ''))) dials = true;
      return undefined;
    });
    const makesDialer = this.f.calls.some((c) => /(^|\.)NewDialer$/.test(this.f.text(field(c, 'function') ?? c).replace(/\s+/g, '')) && /cloudsqlconn\.NewDialer$/.test(this.f.text(field(c, 'function') ?? c).replace(/\s+/g, '')));
    return dials && makesDialer;
  }

  /** pgx / pgxpool / pgconn config from ParseConfig(dsn) plus field assignments. */
  private pgxConfig(ref: ObjectRef | undefined): Partial {
    const p: Partial = { taints: [] };
    if (!ref) return { ...p, note: 'pgx config not resolved in this file' };
    this.consumed.add(ref.node);
    if (ref.def) this.configDefs.add(ref.def);
    const node = ref.node;
    if (node.type === 'call_expression') {
      const q = this.f.calleeOf(node);
      const a = callArgs(node);
      if (q && q[1] === 'ParseConfig' && a[0]) {
        const d = this.dsnFrom(a[0]);
        Object.assign(p, { dsn: d.dsn, note: d.note, usedAt: d.usedAt });
        p.taints.push(...d.taints);
      }
    }
    const props: Prop[] = [];
    const tlsEntries: TlsEntry[] = [];
    let tlsRange: Range | undefined;
    if (ref.def) {
      for (const a of this.ev.fieldAssigns(ref.def)) {
        const last = a.path[a.path.length - 1];
        const tlsAt = a.path.indexOf('TLSConfig');
        if (tlsAt >= 0 && tlsAt < a.path.length - 1) {
          // cfg.ConnConfig.TLSConfig.InsecureSkipVerify = true
          if (tlsAt === a.path.length - 2) tlsEntries.push({ key: last, value: a.value, propRange: rangeOf(a.stmt) });
          tlsRange ??= rangeOf(a.stmt);
          continue;
        }
        if (last === 'DialFunc' && this.cloudSqlDialer(a.value)) p.tunnel = { via: 'the Cloud SQL Go Connector (cloudsqlconn)', range: rangeOf(a.stmt) };
        if (last === 'BeforeConnect') {
          p.beforeConnect = rangeOf(a.value);
          const fn = this.ev.functionOf(a.value);
          if (fn) {
            this.hooks.push(fn);
            this.capturedToken(fn, p);
          }
        }
        const before = p.taints.length;
        const value = last === 'BeforeConnect' || last === 'AfterConnect' ? this.ev.fnVal(this.ev.functionOf(a.value) ?? a.value, rangeOf(a.value)) : this.ev.eval(a.value, p.taints);
        if (p.taints.length > before && last === 'Password') p.usedAt = rangeOf(a.value);
        else if (p.taints.length > before) p.taints.length = before;
        props.push({ key: last, keyRange: rangeOf(a.fieldNode), value, range: rangeOf(a.stmt) });
        if (last === 'TLSConfig') {
          const t = this.tls.fromExpr(a.value);
          if (t) p.tls = t;
        }
      }
    }
    if (tlsEntries.length > 0) {
      const base = p.tls?.facts;
      const extra = this.tls.fromEntries(tlsEntries, tlsRange ?? rangeOf(node));
      p.tls = { node: p.tls?.node ?? node, facts: base ? mergeTls(base, extra) : extra };
    }
    p.options = { k: 'obj', props, range: rangeOf(node) };
    return p;
  }

  /** `sql.OpenDB(connector)`. */
  private openDb(call: GoNode, connExpr: GoNode | undefined): void {
    const ref = this.ev.objectOf(connExpr);
    if (!ref || ref.node.type !== 'call_expression') return;
    const r = this.connector(ref.node);
    if (!r) return;
    this.consumed.add(ref.node);
    this.emit(call, r.driver, r.partial, { isPool: true, goPool: this.poolFacts(call) });
  }

  private connector(node: GoNode): { driver: DriverId; partial: Partial } | undefined {
    const q = this.f.calleeOf(node);
    if (!q) return undefined;
    const [pkg, name] = q;
    const a = callArgs(node);
    if (pkg === 'gomysql' && name === 'NewConnector') return { driver: 'go-mysql', partial: this.mysqlConfig(this.ev.objectOf(a[0])) };
    if (pkg === 'pq' && (name === 'NewConnector') && a[0]) return { driver: 'lib/pq', partial: this.dsnFrom(a[0]) };
    if (pkg === 'mssql' && name === 'NewConnector' && a[0]) return { driver: 'go-mssqldb', partial: this.dsnFrom(a[0]) };
    if (pkg === 'azuread' && name === 'NewConnector' && a[0]) return { driver: 'go-mssqldb-azuresql', partial: this.dsnFrom(a[0]) };
    if (pkg === 'mssql' && (name === 'NewAccessTokenConnector' || name === 'NewConnectorWithAccessTokenProvider') && a[0]) {
      const p = this.dsnFrom(a[0]);
      this.fixedEntraToken(a[1], p);
      return { driver: 'go-mssqldb', partial: p };
    }
    if (pkg === 'pgdriver' && name === 'NewConnector') return { driver: 'bun-pgdriver', partial: this.pgdriverOptions(node, a) };
    if (pkg === 'godror' && name === 'NewConnector') {
      const ref = this.ev.objectOf(a[0]);
      if (ref && ref.node.type === 'call_expression') {
        const pq = this.f.calleeOf(ref.node);
        this.consumed.add(ref.node);
        if (pq && pq[0] === 'godror' && pq[1] === 'ParseConnString' && callArgs(ref.node)[0]) return { driver: 'godror', partial: this.dsnFrom(callArgs(ref.node)[0]) };
      }
      return { driver: 'godror', partial: { taints: [], note: 'godror connection parameters not resolved in this file' } };
    }
    return undefined;
  }

  /**
   * uptrace/bun pgdriver functional options, in the order NewConnector applies them (each one
   * overwrites what an earlier one set, a WithDSN only the fields its URL carries). Every option
   * becomes one prop keyed by its name without `With` (`DSN`, `TLSConfig`, `Insecure`, `Timeout`,
   * `DialTimeout`, `Addr`, `Password`…): `value` is the evaluated argument (durations in seconds
   * as a number), `range` the option call. An option this file cannot see into (a helper's
   * result, a spread slice built elsewhere) is a prop keyed `*` at its position, and the object is
   * `open`. The DSN is the last WithDSN's; the tls.Config the last WithTLSConfig's.
   */
  private pgdriverOptions(call: GoNode, args: GoNode[]): Partial {
    const p: Partial = { taints: [] };
    const props: Prop[] = [];
    let open = false;
    const opaque = (n: GoNode): void => {
      open = true;
      props.push({ key: '*', keyRange: rangeOf(n), value: { k: 'unknown', range: rangeOf(n) }, range: rangeOf(n) });
    };
    const visit = (arg: GoNode, depth: number): void => {
      if (depth > 6) return opaque(arg);
      if (arg.type === 'variadic_argument') {
        // `opts...`: a `[]pgdriver.Option{…}` literal held by a variable defined once.
        const inner = unparen(namedKids(arg)[0]);
        const lit = inner ? this.singleSliceLiteral(inner) : undefined;
        if (!lit) return opaque(arg);
        for (const el of namedKids(field(lit, 'body'))) visit(namedKids(el)[0] ?? el, depth + 1);
        return;
      }
      const ref = this.ev.objectOf(arg);
      const opt = ref && ref.node.type === 'call_expression' ? ref.node : undefined;
      const q = opt ? this.f.calleeOf(opt) : undefined;
      if (!opt || !q || q[0] !== 'pgdriver' || !q[1].startsWith('With')) return opaque(arg);
      const key = q[1].slice(4);
      const a = callArgs(opt);
      if (key === 'Options') {
        for (const x of a) visit(x, depth + 1);
        return;
      }
      const value = a[0];
      if (!value) return;
      let v: Val;
      if (key === 'DSN') {
        const d = this.dsnFrom(value);
        if (d.dsn) p.dsn = d.dsn;
        else delete p.dsn;
        p.note = d.note;
        p.envName = d.envName;
        p.taints.push(...d.taints);
        p.usedAt = d.usedAt;
        v = d.dsn ? { k: 'str', s: d.dsn.s, range: d.dsn.range } : this.ev.eval(value);
      } else if (key === 'Timeout' || key === 'DialTimeout' || key === 'ReadTimeout' || key === 'WriteTimeout') {
        const secs = this.ev.durationSeconds(value);
        v = secs === undefined ? { k: 'unknown', range: rangeOf(value) } : { k: 'num', n: secs, range: rangeOf(value) };
      } else if (key === 'Password') {
        const before = p.taints.length;
        v = this.ev.eval(value, p.taints);
        if (p.taints.length > before) p.usedAt = rangeOf(value);
      } else {
        v = this.ev.eval(value);
      }
      if (key === 'TLSConfig') {
        const t = this.tls.fromExpr(value);
        if (t) p.tls = t;
        else delete p.tls;
      }
      props.push({ key, keyRange: rangeOf(field(opt, 'function') ?? opt), value: v, range: rangeOf(opt) });
    };
    for (const arg of args) visit(arg, 0);
    p.options = { k: 'obj', props, range: rangeOf(call), ...(open ? { open: true } : {}) };
    return p;
  }

  /** The composite literal a spread variable holds when it is defined once and never appended to. */
  private singleSliceLiteral(e: GoNode): GoNode | undefined {
    if (e.type === 'composite_literal') return e;
    if (e.type !== 'identifier') return undefined;
    const d = this.f.resolve(e);
    if (!d || d === 'ambiguous' || d.multi) return undefined;
    const v = unparen(d.value);
    if (!v || v.type !== 'composite_literal') return undefined;
    // `opts = append(opts, …)` or any reassignment: the slice is not only the literal.
    if (this.f.allDefs().some((o) => o !== d && o.name === d.name && o.fn === d.fn)) return undefined;
    return v;
  }

  /** An access-token provider that returns a token minted once outside it (Entra). */
  private fixedEntraToken(provider: GoNode | undefined, p: Partial): void {
    const fn = this.ev.functionOf(provider);
    if (!fn) return;
    const body = field(fn, 'body');
    if (!body) return;
    walk(body, (n) => {
      if (n.type === 'func_literal') return false;
      if (n.type !== 'return_statement') return;
      const first = exprList(namedKids(n)[0])[0];
      if (!first) return;
      const taints: Taint[] = [];
      this.ev.eval(first, taints);
      const outside = taints.filter((t) => t.kind === 'entra' && !isWithin(t.call, fn));
      if (outside.length === 0) return;
      p.taints.unshift(...outside);
      p.usedAt = rangeOf(first);
    });
  }

  /** `gorm.Open(dialector, …)`. */
  private gormOpen(call: GoNode, args: GoNode[]): void {
    const first = this.ev.eval(args[0]);
    if (first.k === 'str' && first.s.complete && args[1]) {
      // jinzhu/gorm v1: gorm.Open("postgres", dsn)
      const driver = SQL_DRIVER_NAMES[first.s.text];
      if (driver) this.emit(call, driver, this.dsnOrFormatted(args[1], driver), { isPool: true, goPool: this.gormPool(call) });
      return;
    }
    const ref = this.ev.objectOf(args[0]);
    if (!ref || ref.node.type !== 'call_expression') return;
    const q = this.f.calleeOf(ref.node);
    if (!q) return;
    const driver: DriverId | undefined = q[0] === 'gorm-postgres' ? 'pgx' : q[0] === 'gorm-mysql' ? 'go-mysql' : q[0] === 'gorm-sqlserver' ? 'go-mssqldb' : undefined;
    if (!driver) return;
    const a = callArgs(ref.node);
    let p: Partial | undefined;
    if (q[1] === 'Open' && a[0]) p = this.dsnOrFormatted(a[0], driver);
    else if (q[1] === 'New' && a[0]) {
      const cfg = this.ev.objectOf(a[0]);
      const dsnNode = cfg && cfg.node.type === 'composite_literal' ? keyedPairs(this.f, cfg.node).find((x) => x.key === 'DSN')?.value : undefined;
      if (dsnNode) p = this.dsnOrFormatted(dsnNode, driver);
      else p = { taints: [], note: 'gorm dialector without a DSN in this file' };
    }
    if (!p) return;
    this.emit(call, driver, p, { isPool: true, goPool: this.gormPool(call) });
  }

  /** gorm: the `*sql.DB` is `g.DB()`; follow that variable's Set* calls. */
  private gormPool(call: GoNode): GoPoolFacts {
    const b = bindingOf(this.f, call);
    if (!b.def) return { escapes: true };
    const gEscapes = b.escapes || this.usesOf(b.def).some((u) => !isSelectorOperand(u));
    for (const d of this.f.allDefs()) {
      const v = unparen(d.value);
      if (!v || v.type !== 'call_expression' || d.index !== 0) continue;
      const fn = field(v, 'function');
      if (!fn || fn.type !== 'selector_expression' || this.f.text(field(fn, 'field') ?? fn) !== 'DB') continue;
      const op = unparen(field(fn, 'operand'));
      if (!op || op.type !== 'identifier' || this.f.resolve(op) !== b.def) continue;
      const facts = this.poolFacts(v);
      return { ...facts, escapes: facts.escapes || gEscapes };
    }
    return { escapes: gEscapes };
  }

  /** Uses of a variable (identifiers that resolve to it, not counting redefinitions). */
  private usesOf(def: Def, alsoDecl?: Def): GoNode[] {
    // A local is only visible inside its function; a package variable anywhere.
    const within = alsoDecl === undefined && def.fn ? def.fn : undefined;
    return this.f.identifiersNamed(def.name, within).filter((id) => {
      if (this.f.isDefName(id)) return false;
      const r = this.f.resolve(id);
      return r === def || (alsoDecl !== undefined && r === alsoDecl);
    });
  }

  /** Pool settings applied to the `*sql.DB` an opener call returns. */
  private poolFacts(call: GoNode): GoPoolFacts {
    const b = bindingOf(this.f, call);
    const facts: { maxOpen?: GoPoolFacts['maxOpen']; maxIdle?: GoPoolFacts['maxIdle']; maxLifetime?: GoPoolFacts['maxLifetime']; escapes: boolean } = { escapes: b.escapes };
    const setter = (name: string, c: GoNode): void => {
      const arg = callArgs(c)[0];
      if (!arg) return;
      if (name === 'SetMaxOpenConns') facts.maxOpen = { value: this.ev.eval(arg), range: rangeOf(c) };
      else if (name === 'SetMaxIdleConns') facts.maxIdle = { value: this.ev.eval(arg), range: rangeOf(c) };
      else if (name === 'SetConnMaxLifetime') facts.maxLifetime = { seconds: this.ev.durationSeconds(arg), range: rangeOf(c) };
    };
    if (b.def) {
      let decl: Def | undefined;
      if (b.def.kind === 'assign') {
        const r = this.f.resolveName(b.def.name, b.def.stmt, { declarationsOnly: true });
        decl = r && r !== 'ambiguous' ? r : undefined;
        // Assigned to a package-level variable: other code may configure it.
        if (!decl || decl.fn === undefined) facts.escapes = true;
      }
      const uses = this.usesOf(b.def, decl && decl.fn === undefined ? decl : undefined).sort((x, y) => x.start - y.start);
      for (const u of uses) {
        const m = methodCallOn(this.f, u);
        if (m) {
          if (POOL_SETTERS.has(m.name)) setter(m.name, m.call);
        } else if (!isSelectorOperand(u)) facts.escapes = true;
      }
    } else if (b.fieldKey) {
      const fn = b.fn;
      for (const c of this.f.calls) {
        const sel = field(c, 'function');
        if (!sel || sel.type !== 'selector_expression') continue;
        const name = this.f.text(field(sel, 'field') ?? sel);
        if (!POOL_SETTERS.has(name)) continue;
        const op = field(sel, 'operand');
        if (op && this.f.text(op).replace(/\s+/g, '') === b.fieldKey && (!fn || isWithin(c, fn))) setter(name, c);
      }
    }
    return facts;
  }

  private useRegistered(name: string, p: Partial): void {
    const reg = this.registry.get(name);
    if (!reg) return;
    if (reg.tls) p.tls = { node: reg.tls.node, facts: { ...reg.tls.facts, definedAt: reg.tls.facts.range } };
    p.related = [...(p.related ?? []), { range: rangeOf(reg.call), message: `tls=${name} is registered here` }];
  }

  private emit(anchor: GoNode, driver: DriverId, p: Partial, extra: { isPool?: boolean; goPool?: GoPoolFacts }): void {
    if (driver === 'go-mysql' && p.dsn && !p.tls) {
      const name = dsnTlsName(p.dsn.s.text);
      if (name) this.useRegistered(name, p);
    }
    if (driver === 'go-mysql' && !p.tls && p.options) {
      const params = [...(p.options.k === 'obj' ? p.options.props : [])].reverse().find((x) => x.key === 'Params')?.value;
      const tlsParam = params && params.k === 'obj' ? [...params.props].reverse().find((x) => x.key === 'tls')?.value : undefined;
      if (tlsParam && tlsParam.k === 'str' && tlsParam.s.complete) this.useRegistered(tlsParam.s.text, p);
    }
    let tlsConfig: TlsConfigFacts | undefined;
    if (p.tls) {
      this.consumedTls.add(p.tls.node);
      const inline = isWithin(p.tls.node, anchor);
      tlsConfig = inline || p.tls.facts.definedAt ? p.tls.facts : { ...p.tls.facts, definedAt: p.tls.facts.range };
    }
    const minted = p.taints.find((t) => !this.hooks.some((h) => isWithin(t.call, h)));
    const site: ConnectionSite = {
      language: 'go',
      driver,
      anchor: rangeOf(anchor),
      ...(p.dsn ? { dsn: p.dsn } : {}),
      ...(p.options ? { options: p.options } : {}),
      ...(tlsConfig ? { tlsConfig } : {}),
      ...(extra.goPool ? { goPool: extra.goPool } : {}),
      ...(extra.isPool !== undefined ? { isPool: extra.isPool } : {}),
      ...(p.beforeConnect ? { beforeConnect: p.beforeConnect } : {}),
      ...(p.tunnel ? { tunnel: p.tunnel } : {}),
      ...(minted ? { tokenMintedOnce: { mintedAt: minted.mintedAt, usedAt: p.usedAt ?? rangeOf(anchor), kind: minted.kind } } : {}),
      ...(p.note && !p.dsn ? { note: p.note } : {}),
      ...(p.envName ? { envName: p.envName } : {}),
      ...(p.related ? { related: p.related } : {}),
    };
    this.sites.push(site);
  }

  /** Config creators that no opener in this file consumed still describe a connection. */
  private unconsumedCreators(): void {
    for (const call of this.f.calls) {
      if (this.consumed.has(call) || this.outOfScope(call)) continue;
      const q = this.f.calleeOf(call);
      if (!q) continue;
      const [pkg, name] = q;
      try {
        if ((pkg === 'pgx' || pkg === 'pgxpool' || pkg === 'pgconn') && name === 'ParseConfig') {
          const b = bindingOf(this.f, call);
          const p = this.pgxConfig({ node: call, def: b.def, index: 0 });
          this.emit(call, 'pgx', p, { isPool: pkg === 'pgxpool' });
        } else if (pkg === 'gomysql' && (name === 'NewConfig' || name === 'ParseDSN')) {
          const b = bindingOf(this.f, call);
          this.emit(call, 'go-mysql', this.mysqlConfig({ node: call, def: b.def, index: 0 }), {});
        } else if (['pq', 'mssql', 'azuread', 'gomysql', 'godror', 'pgdriver'].includes(pkg) && /Connector/.test(name)) {
          const r = this.connector(call);
          if (r) this.emit(call, r.driver, r.partial, { isPool: false });
        } else if (pkg === 'godror' && name === 'ParseConnString' && callArgs(call)[0]) {
          this.emit(call, 'godror', this.dsnFrom(callArgs(call)[0]), {});
        }
      } catch {
        // see run()
      }
    }
    for (const lit of this.f.composites) {
      if (this.consumed.has(lit) || this.outOfScope(lit) || !this.ev.isType(lit, 'gomysql', 'Config')) continue;
      try {
        const b = bindingOf(this.f, lit);
        this.emit(lit, 'go-mysql', this.mysqlConfig({ node: lit, def: b.def, index: 0 }), {});
      } catch {
        // see run()
      }
    }
  }
}

function mergeTls(a: TlsConfigFacts, b: TlsConfigFacts): TlsConfigFacts {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) if (k !== 'range' && v !== undefined) out[k] = v;
  return out as unknown as TlsConfigFacts;
}

function keyedPairs(f: GoFile, lit: GoNode): { key: string; value: GoNode }[] {
  const out: { key: string; value: GoNode }[] = [];
  for (const e of namedKids(field(lit, 'body'))) {
    if (e.type !== 'keyed_element') continue;
    const kids = namedKids(e);
    const key = namedKids(kids[0])[0] ?? kids[0];
    const value = namedKids(kids[1])[0] ?? kids[1];
    if (key && value) out.push({ key: f.text(key), value });
  }
  return out;
}

/** `appendable`: the last character is a literal character in the source. */
export function appendable(s: SrcString): boolean {
  const n = s.length;
  return n > 0 && s.text[n - 1] !== HOLE && s.isExact(n - 1, n);
}

/** `tls=<value>` in a go-sql-driver DSN (simple token scan of the query). */
export function dsnTlsName(text: string): string | undefined {
  const q = text.lastIndexOf('?');
  if (q < 0) return undefined;
  for (const kv of text.slice(q + 1).split('&')) {
    const eq = kv.indexOf('=');
    if (eq > 0 && kv.slice(0, eq) === 'tls') {
      const v = kv.slice(eq + 1);
      if (v.includes(HOLE)) return undefined;
      try {
        return decodeURIComponent(v);
      } catch {
        return v;
      }
    }
  }
  return undefined;
}

interface Binding {
  def?: Def;
  /** `s.db = …`: the selector text. */
  fieldKey?: string;
  fn?: GoNode;
  /** Returned directly or stored somewhere this file cannot follow. */
  escapes: boolean;
}

/** The variable an expression's result is bound to (`db, err := sql.Open(…)` → db). */
export function bindingOf(f: GoFile, expr: GoNode): Binding {
  let cur = expr;
  while (cur.parent && (cur.parent.type === 'parenthesized_expression' || (cur.parent.type === 'unary_expression' && f.text(field(cur.parent, 'operator') ?? cur.parent).trim() === '&'))) cur = cur.parent;
  const list = cur.parent;
  if (!list) return { escapes: false };
  if (list.type === 'return_statement') return { escapes: true };
  if (list.type !== 'expression_list') return { escapes: list.type === 'argument_list' || list.type === 'literal_element' || list.type === 'keyed_element' };
  const stmt = list.parent;
  if (!stmt) return { escapes: false };
  if (stmt.type === 'return_statement') return { escapes: true };
  const isAssign = stmt.type === 'short_var_declaration' || stmt.type === 'assignment_statement';
  const isSpec = stmt.type === 'var_spec' || stmt.type === 'const_spec';
  if (!isAssign && !isSpec) return { escapes: false };
  if (field(stmt, isAssign ? 'right' : 'value') !== list) return { escapes: false };
  const rights = namedKids(list);
  const lefts = isAssign ? exprList(field(stmt, 'left')) : stmt.children.filter((c) => c.field === 'name');
  const idx = rights.length === 1 ? 0 : rights.indexOf(cur);
  const target = lefts[idx];
  if (!target) return { escapes: false };
  if (target.type === 'identifier') {
    if (f.text(target) === '_') return { escapes: false };
    const def = f.defAt(target);
    return { def, escapes: false };
  }
  if (target.type === 'selector_expression') {
    let fn: GoNode | undefined;
    for (let p = stmt.parent; p; p = p.parent) if (p.type === 'function_declaration' || p.type === 'method_declaration' || p.type === 'func_literal') { fn = p; break; }
    return { fieldKey: f.text(target).replace(/\s+/g, ''), fn, escapes: true };
  }
  return { escapes: true };
}

function isSelectorOperand(id: GoNode): boolean {
  return id.parent?.type === 'selector_expression' && id.field === 'operand';
}

/** `x.Method(…)` where `id` is x: the method name and call. */
function methodCallOn(f: GoFile, id: GoNode): { name: string; call: GoNode } | undefined {
  const sel = id.parent;
  if (!sel || sel.type !== 'selector_expression' || id.field !== 'operand') return undefined;
  const call = sel.parent;
  if (!call || call.type !== 'call_expression' || sel.field !== 'function') return undefined;
  return { name: f.text(field(sel, 'field') ?? sel), call };
}

