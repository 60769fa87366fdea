/**
 * One Go file prepared for extraction: its imports (package identifiers → import paths), the
 * definitions of every name (const, var, `:=`, `=`, parameters), and a resolver that answers
 * "which definition does this identifier see here?".
 *
 * Resolution contract (deliberately simple, never a guess):
 * - Within a function, the last definition of the name that ends before the use and whose block
 *   encloses the use wins. An assignment (`=`, `+=`) made in a block that does not enclose the use
 *   (inside an `if`, a loop body) makes the value ambiguous → the resolver says 'ambiguous'.
 * - A use inside a func literal sees its own locals first, then the enclosing function's
 *   definitions before the literal, then package level.
 * - Package-level const/var are visible everywhere in the file.
 */
import { GoNode, enclosingFunction, exprList, field, fields, isFunctionNode, namedKids, walk } from './ast';

/** Logical package ids the extractor knows, keyed by import path. */
const PACKAGE_IDS: ReadonlyArray<readonly [string | RegExp, string]> = [
  ['database/sql', 'sql'],
  ['github.com/jmoiron/sqlx', 'sqlx'],
  [/^github\.com\/jackc\/pgx(\/v\d+)?$/, 'pgx'],
  [/^github\.com\/jackc\/pgx(\/v\d+)?\/pgxpool$/, 'pgxpool'],
  [/^github\.com\/jackc\/(pgx(\/v\d+)?\/)?pgconn$/, 'pgconn'],
  [/^github\.com\/jackc\/pgx(\/v\d+)?\/stdlib$/, 'pgxstdlib'],
  ['github.com/lib/pq', 'pq'],
  ['github.com/uptrace/bun/driver/pgdriver', 'pgdriver'],
  ['github.com/go-sql-driver/mysql', 'gomysql'],
  [/^github\.com\/(microsoft|denisenkom)\/go-mssqldb$/, 'mssql'],
  [/^github\.com\/(microsoft|denisenkom)\/go-mssqldb\/azuread$/, 'azuread'],
  [/^github\.com\/godror\/godror$/, 'godror'],
  [/^github\.com\/sijms\/go-ora(\/v\d+)?$/, 'goora'],
  ['gorm.io/gorm', 'gorm'],
  ['github.com/jinzhu/gorm', 'gorm'],
  ['gorm.io/driver/postgres', 'gorm-postgres'],
  ['gorm.io/driver/mysql', 'gorm-mysql'],
  ['gorm.io/driver/sqlserver', 'gorm-sqlserver'],
  ['crypto/tls', 'tls'],
  ['net/url', 'url'],
  ['fmt', 'fmt'],
  ['os', 'os'],
  ['time', 'time'],
  ['strings', 'strings'],
  ['bytes', 'bytes'],
  ['cmp', 'cmp'],
  ['strconv', 'strconv'],
  ['log', 'log'],
  ['log/slog', 'slog'],
  ['go.uber.org/zap', 'zap'],
  ['github.com/sirupsen/logrus', 'logrus'],
  ['github.com/rs/zerolog/log', 'zerolog'],
  ['errors', 'errors'],
  ['github.com/pkg/errors', 'errors'],
  ['github.com/aws/aws-sdk-go-v2/feature/rds/auth', 'aws-rds-auth'],
  ['github.com/aws/aws-sdk-go/aws/credentials/rdsutils', 'aws-rdsutils'],
  ['github.com/aws/aws-sdk-go-v2/credentials', 'aws-creds'],
  ['github.com/aws/aws-sdk-go/aws/credentials', 'aws-creds'],
  ['github.com/Azure/azure-sdk-for-go/sdk/azidentity', 'azidentity'],
  ['github.com/aliyun/alibaba-cloud-sdk-go/sdk', 'ali-sdk'],
  ['github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials', 'ali-creds'],
  ['github.com/aliyun/credentials-go/credentials', 'ali-creds'],
];

/** Import paths that make a file "database code" (a tls.Config there is judged). */
const DB_PACKAGES = new Set(['sql', 'sqlx', 'pgx', 'pgxpool', 'pgconn', 'pgxstdlib', 'pq', 'gomysql', 'mssql', 'azuread', 'godror', 'goora', 'pgdriver', 'gorm', 'gorm-postgres', 'gorm-mysql', 'gorm-sqlserver']);

/** Package identifier used when a file has no import for it (half-typed code). */
const DEFAULT_NAMES: Readonly<Record<string, string>> = {
  sql: 'sql', sqlx: 'sqlx', pgx: 'pgx', pgxpool: 'pgxpool', pgconn: 'pgconn', stdlib: 'pgxstdlib', pq: 'pq', pgdriver: 'pgdriver',
  mysql: 'gomysql', mssql: 'mssql', azuread: 'azuread', godror: 'godror', gorm: 'gorm', tls: 'tls', url: 'url',
  fmt: 'fmt', os: 'os', time: 'time', strings: 'strings', bytes: 'bytes', cmp: 'cmp', strconv: 'strconv', log: 'log', slog: 'slog',
  zap: 'zap', logrus: 'logrus', errors: 'errors', auth: 'aws-rds-auth', rdsutils: 'aws-rdsutils', azidentity: 'azidentity',
};

function packageIdOf(path: string): string | undefined {
  for (const [p, id] of PACKAGE_IDS) if (typeof p === 'string' ? p === path : p.test(path)) return id;
  return undefined;
}

/** The identifier Go binds for an import without an alias (`…/pgx/v5` → pgx, `…/go-mssqldb` → mssql). */
function defaultImportName(path: string): string {
  const parts = path.split('/');
  let last = parts[parts.length - 1] ?? path;
  if (/^v\d+$/.test(last) && parts.length > 1) last = parts[parts.length - 2];
  if (last === 'go-mssqldb') return 'mssql';
  if (last === 'go-ora') return 'go_ora';
  last = last.replace(/\.v\d+$/, '').replace(/^go-/, '');
  return last.replace(/[^A-Za-z0-9_]/g, '_');
}

export type DefKind = 'const' | 'var' | 'short' | 'assign' | 'append' | 'param' | 'range';

export interface Def {
  readonly name: string;
  readonly kind: DefKind;
  /** The identifier on the left side. */
  readonly nameNode: GoNode;
  /** The statement (spec, `:=`, assignment, parameter) — its end is where the value takes effect. */
  readonly stmt: GoNode;
  /** The right-hand expression, when there is one. */
  readonly value: GoNode | undefined;
  /** Position in a multi-value assignment (`db, err := sql.Open(…)` → db is 0, err is 1). */
  readonly index: number;
  /** True when one call on the right yields several values (`a, b := f()`). */
  readonly multi: boolean;
  /** Innermost function around the definition (undefined = package level). */
  readonly fn: GoNode | undefined;
  /** The block that scopes a declaration, or in which an assignment executes. */
  readonly block: GoNode;
}

export type Resolution = Def | 'ambiguous' | undefined;

/** Nodes that open a scope for declarations in Go. */
function isScopeNode(n: GoNode): boolean {
  return (
    n.type === 'block' || n.type === 'if_statement' || n.type === 'for_statement' || n.type === 'expression_switch_statement' ||
    n.type === 'type_switch_statement' || n.type === 'select_statement' || n.type === 'expression_case' || n.type === 'type_case' ||
    n.type === 'default_case' || n.type === 'communication_case' || n.type === 'source_file' || isFunctionNode(n)
  );
}

function scopeOf(n: GoNode): GoNode {
  for (let p = n.parent; p; p = p.parent) if (isScopeNode(p)) return p;
  return n;
}

export class GoFile {
  /** Package identifier (alias) → logical package id or the raw import path. */
  readonly imports = new Map<string, string>();
  readonly importsDb: boolean;
  readonly calls: GoNode[] = [];
  readonly composites: GoNode[] = [];
  readonly assignments: GoNode[] = [];
  readonly stringLiterals: GoNode[] = [];
  readonly identifiers: GoNode[] = [];
  readonly funcDecls = new Map<string, GoNode>();
  private readonly defs = new Map<string, Def[]>();
  /** name → function (undefined = package) → definitions, for resolution without scanning. */
  private readonly defsByFn = new Map<string, Map<GoNode | undefined, Def[]>>();
  /** assignedInClosure, per definition. */
  private readonly closureAssigned = new Map<Def, boolean>();
  private readonly identsByName = new Map<string, GoNode[]>();
  private readonly defNames = new Map<GoNode, Def>();

  constructor(readonly src: string, readonly root: GoNode) {
    let db = false;
    walk(root, (n) => {
      switch (n.type) {
        case 'import_spec': {
          const pathNode = field(n, 'path');
          if (!pathNode) break;
          const path = src.slice(pathNode.start + 1, pathNode.end - 1);
          const id = packageIdOf(path);
          if (id && DB_PACKAGES.has(id)) db = true;
          const nameNode = field(n, 'name');
          const alias = nameNode ? src.slice(nameNode.start, nameNode.end) : defaultImportName(path);
          if (alias !== '_' && alias !== '.') this.imports.set(alias, id ?? path);
          break;
        }
        case 'call_expression': this.calls.push(n); break;
        case 'composite_literal': this.composites.push(n); break;
        case 'assignment_statement': this.assignments.push(n); this.collectAssignment(n); break;
        case 'short_var_declaration': this.collectAssignment(n); break;
        case 'const_spec': case 'var_spec': this.collectSpec(n); break;
        case 'parameter_declaration': case 'variadic_parameter_declaration': this.collectParam(n); break;
        case 'range_clause': this.collectRange(n); break;
        case 'interpreted_string_literal': case 'raw_string_literal': this.stringLiterals.push(n); break;
        case 'identifier': {
          this.identifiers.push(n);
          const name = src.slice(n.start, n.end);
          const l = this.identsByName.get(name);
          if (l) l.push(n);
          else this.identsByName.set(name, [n]);
          break;
        }
        case 'function_declaration': {
          const name = field(n, 'name');
          if (name) this.funcDecls.set(this.text(name), n);
          break;
        }
      }
    });
    this.importsDb = db;
  }

  text(n: GoNode): string {
    return this.src.slice(n.start, n.end);
  }

  /** The logical package id an identifier names (`mysql` → 'gomysql' or 'gorm-mysql'), if any. */
  packageOf(ident: GoNode | undefined): string | undefined {
    if (!ident || (ident.type !== 'identifier' && ident.type !== 'package_identifier')) return undefined;
    const name = this.text(ident);
    // A local variable with the same name shadows the package.
    if (this.defs.has(name) && this.resolve(ident)) return undefined;
    const imported = this.imports.get(name);
    if (imported !== undefined) return imported;
    // No import for this name (code being typed): assume the usual package, unless the file
    // imports that package under another name.
    const guess = DEFAULT_NAMES[name];
    if (!guess || [...this.imports.values()].includes(guess)) return undefined;
    return guess;
  }

  /** `pkg.Name` for a selector whose operand is a package identifier, e.g. ['gomysql', 'NewConfig']. */
  qualified(n: GoNode | undefined): [string, string] | undefined {
    if (!n) return undefined;
    if (n.type === 'selector_expression' || n.type === 'qualified_type') {
      const op = field(n, n.type === 'selector_expression' ? 'operand' : 'package');
      const name = field(n, n.type === 'selector_expression' ? 'field' : 'name');
      const pkg = this.packageOf(op);
      if (pkg && name) return [pkg, this.text(name)];
    }
    if (n.type === 'generic_type') return this.qualified(field(n, 'type'));
    return undefined;
  }

  /** The callee of a call as `[pkg, Func]` when it is a package function. */
  calleeOf(call: GoNode): [string, string] | undefined {
    return this.qualified(field(call, 'function'));
  }

  /** Every definition in the file. */
  allDefs(): Def[] {
    return [...this.defs.values()].flat();
  }

  /** Whether an identifier is the name being defined/assigned (not a use). */
  isDefName(n: GoNode): boolean {
    return this.defNames.has(n);
  }

  /** The definition whose name is this identifier (a left-hand side). */
  defAt(n: GoNode): Def | undefined {
    return this.defNames.get(n);
  }

  private addDef(d: Def): void {
    this.defNames.set(d.nameNode, d);
    if (d.name === '_') return;
    let list = this.defs.get(d.name);
    if (!list) this.defs.set(d.name, (list = []));
    list.push(d);
    let byFn = this.defsByFn.get(d.name);
    if (!byFn) this.defsByFn.set(d.name, (byFn = new Map()));
    let inFn = byFn.get(d.fn);
    if (!inFn) byFn.set(d.fn, (inFn = []));
    inFn.push(d);
  }

  private collectAssignment(n: GoNode): void {
    const left = exprList(field(n, 'left'));
    const right = exprList(field(n, 'right'));
    const op = n.type === 'short_var_declaration' ? ':=' : this.text(field(n, 'operator') ?? n).trim();
    const kind: DefKind | undefined = op === ':=' ? 'short' : op === '=' ? 'assign' : op === '+=' ? 'append' : 'assign';
    const multi = left.length > 1 && right.length === 1;
    const fn = enclosingFunction(n);
    left.forEach((l, i) => {
      if (l.type !== 'identifier') return;
      const value = multi ? right[0] : right[i];
      // Compound operators other than += (e.g. -=, |=) leave the value unknown.
      const unknownOp = op !== ':=' && op !== '=' && op !== '+=';
      this.addDef({ name: this.text(l), kind, nameNode: l, stmt: n, value: unknownOp ? undefined : value, index: multi ? i : 0, multi, fn, block: scopeOf(n) });
    });
  }

  private collectSpec(n: GoNode): void {
    const names = fields(n, 'name');
    const values = exprList(field(n, 'value'));
    const multi = names.length > 1 && values.length === 1;
    const fn = enclosingFunction(n);
    names.forEach((nm, i) => {
      this.addDef({
        name: this.text(nm), kind: n.type === 'const_spec' ? 'const' : 'var', nameNode: nm, stmt: n,
        value: multi ? values[0] : values[i], index: multi ? i : 0, multi, fn, block: scopeOf(n),
      });
    });
  }

  private collectParam(n: GoNode): void {
    const fnNode = n.parent?.parent;
    if (!fnNode || !isFunctionNode(fnNode)) return;
    const body = field(fnNode, 'body');
    for (const nm of fields(n, 'name')) {
      this.addDef({ name: this.text(nm), kind: 'param', nameNode: nm, stmt: n, value: undefined, index: 0, multi: false, fn: fnNode, block: body ?? fnNode });
    }
  }

  private collectRange(n: GoNode): void {
    const fn = enclosingFunction(n);
    for (const l of exprList(field(n, 'left'))) {
      if (l.type === 'identifier') this.addDef({ name: this.text(l), kind: 'range', nameNode: l, stmt: n, value: undefined, index: 0, multi: false, fn, block: scopeOf(n) });
    }
  }

  /** Which definition the identifier `use` sees (see the contract in the header). */
  resolve(use: GoNode): Resolution {
    return this.resolveName(this.text(use), use);
  }

  resolveName(name: string, at: GoNode, opts: { declarationsOnly?: boolean } = {}): Resolution {
    const byFn = this.defsByFn.get(name);
    if (!byFn) return undefined;
    let pos = at.start;
    let fn = enclosingFunction(at);
    for (;;) {
      const list = byFn.get(fn) ?? [];
      if (fn === undefined) {
        // Package level: declarations only, position does not matter.
        return list.find((d) => d.kind === 'const' || d.kind === 'var');
      }
      // Latest first (definitions were collected in source order).
      for (let i = list.length - 1; i >= 0; i--) {
        const d = list[i];
        if (d.nameNode === at || (d.kind !== 'param' && d.stmt.end > pos)) continue;
        if (opts.declarationsOnly && (d.kind === 'assign' || d.kind === 'append')) continue;
        const visible = d.block.start <= pos && pos < d.block.end;
        // An assignment in a block that does not enclose the use may or may not have run.
        if (d.kind === 'assign' || d.kind === 'append') return visible ? d : 'ambiguous';
        // A closure that assigns the variable may have run before the use: not known.
        if (visible) return this.assignedInClosure(d) ? 'ambiguous' : d;
      }
      // Not defined in this function: look in the enclosing one, from where this literal starts.
      pos = fn.start;
      fn = enclosingFunction(fn);
    }
  }

  /**
   * Whether a function literal inside `d`'s scope assigns a variable of `d`'s name that it does
   * not declare itself (`set := func() { dsn = "…" }`): the closure may run at any point, so what
   * `d` gave is not known to be the value. Lexical, so it over-approximates (an intermediate
   * closure's own declaration is not looked at): more unknowns, never a wrong value.
   */
  private assignedInClosure(d: Def): boolean {
    const hit = this.closureAssigned.get(d);
    if (hit !== undefined) return hit;
    let found = false;
    const fn = d.fn;
    if (fn && (d.kind === 'param' || d.kind === 'var' || d.kind === 'short')) {
      for (const [g, list] of this.defsByFn.get(d.name) ?? []) {
        if (!g || g === fn || g.start < d.block.start || g.end > d.block.end) continue;
        const declares = list.some((x) => x.kind === 'param' || x.kind === 'var' || x.kind === 'short' || x.kind === 'const' || x.kind === 'range');
        if (!declares && list.some((x) => x.kind === 'assign' || x.kind === 'append')) {
          found = true;
          break;
        }
      }
    }
    this.closureAssigned.set(d, found);
    return found;
  }

  /** The definitions of `name` made directly in function `fn` (undefined = package level), in source order. */
  defsIn(name: string, fn: GoNode | undefined): readonly Def[] {
    return this.defsByFn.get(name)?.get(fn) ?? [];
  }

  /** Every identifier in the file named `name`. */
  identifiersNamed(name: string, within?: GoNode): GoNode[] {
    const all = this.identsByName.get(name) ?? [];
    if (!within) return all;
    // Identifiers are in source order: binary-search the first one inside `within`.
    let lo = 0;
    let hi = all.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (all[mid].start < within.start) lo = mid + 1;
      else hi = mid;
    }
    const out: GoNode[] = [];
    for (let i = lo; i < all.length && all[i].start < within.end; i++) out.push(all[i]);
    return out;
  }

  /** Function body of a top-level function by name. */
  funcBody(name: string): GoNode | undefined {
    return field(this.funcDecls.get(name), 'body');
  }
}

/** Names of the elements of a composite literal body: keyed elements as [key text node, value node]. */
export function keyedElements(lit: GoNode): { key: GoNode; value: GoNode | undefined; elem: GoNode }[] {
  const body = field(lit, 'body');
  const out: { key: GoNode; value: GoNode | undefined; elem: GoNode }[] = [];
  for (const e of namedKids(body)) {
    if (e.type !== 'keyed_element') continue;
    const keyEl = field(e, 'key') ?? namedKids(e)[0];
    const valEl = field(e, 'value') ?? namedKids(e)[1];
    const key = keyEl && keyEl.type === 'literal_element' ? namedKids(keyEl)[0] : keyEl;
    const value = valEl && valEl.type === 'literal_element' ? namedKids(valEl)[0] : valEl;
    if (key) out.push({ key, value, elem: e });
  }
  return out;
}
