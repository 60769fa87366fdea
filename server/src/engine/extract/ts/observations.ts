/**
 * Facts in TS/JS code that are not one connection's settings (values.ts Observation):
 * NODE_TLS_REJECT_UNAUTHORIZED / SSLKEYLOGFILE assignments, literal secrets and cloud keys,
 * secrets passed to loggers, and credentials interpolated into URL-form DSNs.
 *
 * Reports only what the code says; rules decide what is a finding. Literal passwords are
 * reported in database code (dbContext) — a `password: 'x'` in a form component is not a database
 * credential. Database code is a whole file that imports a database driver, or, in a module that
 * only holds connection configuration (a knexfile, an exported TypeORM or `sql.config` object),
 * the configuration objects found there and the variables they read (`dbRegions`). Cloud keys are recognised anywhere.
 */
import * as ts from 'typescript';
import { tsApi } from './api';
import { Range } from '../../model';
import { cloudKeyIdKind, cloudSecretKind, isPasswordName, isPlaceholderSecret } from '../secrets';
import { Observation, Prop, Val } from '../values';
import { FoundSite, SiteFinder } from './drivers';
import { Evaluator, envRead, propName, unwrap } from './evaluate';
import { holeRange, literalString } from './strings';

const LOG_METHODS = new Set(['log', 'info', 'warn', 'error', 'debug', 'trace', 'fatal', 'verbose', 'silly', 'notice']);
const LOGGER_MODULES = new Set(['pino', 'winston', 'bunyan', 'log4js', 'loglevel', 'consola', 'signale']);
const URL_DSN = /^(postgres|postgresql|mysql|mariadb|mssql|sqlserver|jdbc:postgresql|jdbc:mysql|jdbc:sqlserver):\/\//i;

export class ObservationCollector {
  readonly out: Observation[] = [];
  private readonly seenValues = new Set<number>();
  /** Declarations of variables used as a DSN / config object by some site. */
  private readonly dsnDecls = new Set<ts.Node>();
  private readonly configDecls = new Set<ts.Node>();
  /** Property ranges (start) inside site options → the site's context label. */
  private readonly optionContexts = new Map<number, string>();

  constructor(
    private readonly ev: Evaluator,
    private readonly finder: SiteFinder,
    private readonly dbContext: boolean,
    private readonly dbRegions: readonly Range[] = [],
  ) {}

  /** Whether `n` is database code: anywhere in a driver-importing file, else inside a config region. */
  private inDb(n: ts.Node): boolean {
    if (this.dbContext) return true;
    if (this.dbRegions.length === 0) return false;
    const r = this.ev.range(n);
    return this.dbRegions.some((g) => g.start <= r.start && r.end <= g.end);
  }

  /** Registers the sites first so that secrets and logged values can be attributed to them. */
  addSites(sites: readonly FoundSite[]): void {
    for (const f of sites) {
      for (const [expr, set] of [[f.dsnExpr, this.dsnDecls], [f.optionsExpr, this.configDecls]] as const) {
        const e = expr && unwrap(expr);
        if (e && tsApi.isIdentifier(e)) {
          const d = this.ev.declOf(e);
          if (d) set.add(d);
        }
      }
      this.secretsInOptions(f.site.options, f.context, 0);
    }
  }

  private secretsInOptions(v: Val | undefined, context: string, depth: number): void {
    if (!v || v.k !== 'obj' || depth > 5) return;
    for (const p of v.props) {
      this.optionContexts.set(p.range.start, context);
      if (isPasswordName(p.key)) this.secretLiteral(p.key, p.value, p.range, context);
      this.secretsInOptions(p.value, context, depth + 1);
    }
  }

  /** A literal, non-placeholder secret value bound to a password-like name. */
  private secretLiteral(name: string, v: Val, range: Range, context: string): void {
    if (v.k !== 'str' || !v.s.complete || !this.ev.literalVals.has(v)) return;
    if (isPlaceholderSecret(v.s.text) || this.seenValues.has(v.range.start)) return;
    this.seenValues.add(v.range.start);
    this.out.push({ kind: 'secret-literal', range, valueRange: v.range, name, value: v.s.text, context });
  }

  private cloudKey(kind: ReturnType<typeof cloudKeyIdKind>, range: Range, valueRange: Range, value: string, context: string): void {
    if (!kind || this.seenValues.has(valueRange.start)) return;
    this.seenValues.add(valueRange.start);
    this.out.push({ kind: 'cloud-key', keyKind: kind, range, valueRange, value, context });
  }

  /** Called for every node of the file (iterative walk in the caller). */
  visit(n: ts.Node): void {
    if (tsApi.isBinaryExpression(n) && n.operatorToken.kind === tsApi.SyntaxKind.EqualsToken) this.assignment(n);
    else if (tsApi.isPropertyAssignment(n)) {
      this.named(propName(n.name), n.initializer, n);
      this.tlsOption(n);
    }
    else if (tsApi.isVariableDeclaration(n) && tsApi.isIdentifier(n.name) && n.initializer) this.named(n.name.text, n.initializer, n);
    else if (tsApi.isStringLiteral(n) || tsApi.isNoSubstitutionTemplateLiteral(n)) this.anyLiteral(n);
    else if (tsApi.isNewExpression(n)) this.credentialConstructor(n);
    else if (tsApi.isCallExpression(n)) this.loggerCall(n);
    if (tsApi.isTemplateExpression(n)) this.interpolated(n);
    else if (tsApi.isBinaryExpression(n) && n.operatorToken.kind === tsApi.SyntaxKind.PlusToken && !isPlusOperand(n)) this.interpolated(n);
  }

  /**
   * `rejectUnauthorized: false` written anywhere in database code (see inDb) — also in
   * a branch of a conditional (`ssl: prod ? { rejectUnauthorized: false } : false`) or a helper
   * object that no recognised call consumes directly. Reported as a TLS options object that skips
   * verification; where a connection's profile reports the same literal, the engine keeps one.
   */
  private tlsOption(n: ts.PropertyAssignment): void {
    if (propName(n.name) !== 'rejectUnauthorized' || !this.inDb(n)) return;
    const init = unwrap(n.initializer);
    if (init.kind !== tsApi.SyntaxKind.FalseKeyword) return;
    const range = this.ev.range(init);
    this.out.push({
      kind: 'tls-config',
      language: 'ts',
      dbContext: true,
      facts: { range: this.ev.range(n.parent), insecureSkipVerify: { value: true, range, propRange: this.ev.range(n) } },
    });
  }

  private assignment(n: ts.BinaryExpression): void {
    const env = envRead(n.left);
    if (env === 'NODE_TLS_REJECT_UNAUTHORIZED') {
      const v = this.ev.eval(n.right);
      const value = v.k === 'str' && v.s.complete ? v.s.text : v.k === 'num' ? String(v.n) : v.k === 'bool' ? String(v.b) : 'unknown';
      this.out.push({ kind: 'node-tls-reject-unauthorized', range: this.ev.range(n), value });
      return;
    }
    if (env === 'SSLKEYLOGFILE') {
      this.out.push({ kind: 'ssl-keylog-file', range: this.ev.range(n) });
      return;
    }
    const left = unwrap(n.left);
    let name: string | undefined;
    if (tsApi.isIdentifier(left)) name = left.text;
    else if (tsApi.isPropertyAccessExpression(left)) name = left.name.text;
    else if (tsApi.isElementAccessExpression(left)) {
      const a = unwrap(left.argumentExpression);
      if (tsApi.isStringLiteral(a)) name = a.text;
    }
    this.named(name, n.right, n);
  }

  /** `name: 'literal'`, `const name = 'literal'`, `x.name = 'literal'`. */
  private named(name: string | undefined, valueExpr: ts.Expression, whole: ts.Node): void {
    if (name === undefined) return;
    const e = unwrap(valueExpr);
    let text: string;
    let valueRange: Range;
    if (tsApi.isStringLiteral(e) || tsApi.isNoSubstitutionTemplateLiteral(e)) {
      text = literalString(e, this.ev.sf).text;
      valueRange = this.ev.range(e);
    } else if (tsApi.isIdentifier(e) && (isPasswordName(name) || /secret|key/i.test(name))) {
      // `secretAccessKey: AWS_SECRET` where AWS_SECRET is a literal defined in this file.
      const v = this.ev.eval(e);
      if (v.k !== 'str' || !v.s.complete || !this.ev.literalVals.has(v)) return;
      text = v.s.text;
      valueRange = v.range;
    } else {
      return;
    }
    const range = this.ev.range(whole);
    const cloud = cloudSecretKind(name, text);
    if (cloud) this.cloudKey(cloud, range, valueRange, text, name);
    if (isPasswordName(name) && !isPlaceholderSecret(text) && !this.seenValues.has(valueRange.start) && this.inDb(whole)) {
      this.seenValues.add(valueRange.start);
      const context = this.optionContexts.get(range.start)
        ?? (tsApi.isPropertyAssignment(whole) ? 'object property' : tsApi.isVariableDeclaration(whole) ? 'variable' : 'assignment');
      this.out.push({ kind: 'secret-literal', range, valueRange, name, value: text, context });
    }
  }

  private anyLiteral(n: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral): void {
    if (n.text.length < 16 || n.text.length > 40) return;
    const kind = cloudKeyIdKind(n.text);
    if (!kind) return;
    const p = n.parent;
    const context = p && (tsApi.isPropertyAssignment(p) || tsApi.isVariableDeclaration(p)) ? (propName(p.name) ?? 'string literal') : 'string literal';
    const r = this.ev.range(n);
    this.cloudKey(kind, p && (tsApi.isPropertyAssignment(p) || tsApi.isVariableDeclaration(p)) ? this.ev.range(p) : r, r, n.text, context);
  }

  /** `new ClientSecretCredential(tenantId, clientId, 'secret')`. */
  private credentialConstructor(n: ts.NewExpression): void {
    const ref = this.ev.moduleRef(n.expression);
    const name = ref ? ref.path[ref.path.length - 1] : tsApi.isIdentifier(n.expression) ? n.expression.text : undefined;
    if (name !== 'ClientSecretCredential' || !n.arguments || n.arguments.length < 3) return;
    const v = this.ev.eval(n.arguments[2]);
    if (v.k !== 'str' || !v.s.complete || !this.ev.literalVals.has(v) || isPlaceholderSecret(v.s.text)) return;
    this.cloudKey('azure-client-secret', this.ev.range(n.arguments[2]), v.range, v.s.text, 'ClientSecretCredential');
  }

  private isLogger(callee: ts.Expression): boolean {
    if (!tsApi.isPropertyAccessExpression(callee) || !LOG_METHODS.has(callee.name.text)) return false;
    const recv = unwrap(callee.expression);
    const last = tsApi.isIdentifier(recv) ? recv.text : tsApi.isPropertyAccessExpression(recv) ? recv.name.text : recv.kind === tsApi.SyntaxKind.ThisKeyword ? 'this' : '';
    if (/^(console|log|logger|_logger|_log)$/i.test(last) || /[a-z](Logger|Log)$/.test(last)) return true;
    if (tsApi.isIdentifier(recv)) {
      const init = this.ev.initializerOf(recv);
      const call = init && unwrap(init);
      if (call && tsApi.isCallExpression(call)) {
        const ref = this.ev.moduleRef(call.expression);
        if (ref && LOGGER_MODULES.has(ref.module)) return true;
      }
    }
    return false;
  }

  private loggerCall(n: ts.CallExpression): void {
    const callee = unwrap(n.expression);
    if (!this.isLogger(callee)) return;
    const calleeText = this.ev.calleeText(callee);
    for (const a of n.arguments) {
      const hit = this.classify(a, 0);
      if (hit) this.out.push({ kind: 'secret-logged', range: this.ev.range(hit.node), callee: calleeText, what: hit.what });
    }
  }

  /** What secret a logged expression carries, if any. */
  private classify(expr: ts.Expression, depth: number): { node: ts.Node; what: string } | undefined {
    if (depth > 8) return undefined;
    const e = unwrap(expr);
    const d = depth + 1;
    if (tsApi.isTemplateExpression(e)) {
      for (const s of e.templateSpans) {
        const h = this.classify(s.expression, d);
        if (h) return h;
      }
      return undefined;
    }
    if (tsApi.isBinaryExpression(e) && e.operatorToken.kind === tsApi.SyntaxKind.PlusToken) return this.classify(e.left, d) ?? this.classify(e.right, d);
    if (tsApi.isObjectLiteralExpression(e)) {
      for (const p of e.properties) {
        if (tsApi.isShorthandPropertyAssignment(p)) {
          const h = this.classify(p.name, d);
          if (h) return h;
        } else if (tsApi.isPropertyAssignment(p)) {
          const h = this.classify(p.initializer, d);
          if (h) return h;
        } else if (tsApi.isSpreadAssignment(p)) {
          const h = this.classify(p.expression, d);
          if (h) return h;
        }
      }
      return undefined;
    }
    if (tsApi.isCallExpression(e)) {
      const c = unwrap(e.expression);
      if (tsApi.isPropertyAccessExpression(c) && c.name.text === 'stringify' && e.arguments[0]) return this.classify(e.arguments[0], d);
      if (this.finder.tokenKind(e)) return { node: e, what: 'token' };
      return undefined;
    }
    if (tsApi.isAwaitExpression(e)) return this.classify(e.expression, d);
    const env = envRead(e);
    if (env !== undefined) {
      if (isPasswordName(env)) return { node: e, what: 'password' };
      if (isDsnName(env)) return { node: e, what: 'connection string' };
      return undefined;
    }
    let name: string | undefined;
    if (tsApi.isIdentifier(e)) name = e.text;
    else if (tsApi.isPropertyAccessExpression(e)) name = e.name.text;
    if (name === undefined) return undefined;
    if (isPasswordName(name)) return { node: e, what: 'password' };
    if (isTokenName(name)) return { node: e, what: 'token' };
    if (isDsnName(name)) return { node: e, what: 'connection string' };
    if (!tsApi.isIdentifier(e)) return undefined;
    const decl = this.ev.declOf(e);
    if (decl && this.dsnDecls.has(decl)) return { node: e, what: 'connection string' };
    if (decl && this.configDecls.has(decl)) return { node: e, what: 'connection config' };
    if (decl && this.finder.tokenCall(e, 0)) return { node: e, what: 'token' };
    const v = this.ev.eval(e);
    if (v.k === 'str' && URL_DSN.test(v.s.text) && v.s.text.includes('@')) return { node: e, what: 'connection string' };
    if (v.k === 'obj' && v.props.some((p: Prop) => isPasswordName(p.key) || p.key === 'connectionString')) return { node: e, what: 'connection config' };
    return undefined;
  }

  /**
   * A template literal or `+` chain that builds a URL-form DSN and puts an expression into its
   * userinfo without encodeURIComponent.
   */
  private interpolated(n: ts.TemplateExpression | ts.BinaryExpression): void {
    type Part = { text: string } | { expr: ts.Expression; range: Range };
    const parts: Part[] = [];
    let how: string;
    if (tsApi.isTemplateExpression(n)) {
      how = 'template literal';
      parts.push({ text: n.head.text });
      n.templateSpans.forEach((s, i) => {
        parts.push({ expr: s.expression, range: holeRange(n, i, this.ev.sf) });
        parts.push({ text: s.literal.text });
      });
    } else {
      how = 'string concatenation';
      for (const op of flattenPlus(n)) {
        const u = unwrap(op);
        if (tsApi.isStringLiteral(u) || tsApi.isNoSubstitutionTemplateLiteral(u)) parts.push({ text: u.text });
        else {
          const v = this.ev.eval(u);
          if (v.k === 'str' && v.s.complete) parts.push({ text: v.s.text });
          else parts.push({ expr: u, range: this.ev.range(op) });
        }
      }
    }
    // Find the scheme in the leading literal text, then walk the authority up to '@'.
    let prefix = '';
    let i = 0;
    for (; i < parts.length; i++) {
      const p = parts[i];
      if (!('text' in p)) break;
      prefix += p.text;
    }
    const sch = prefix.indexOf('://');
    if (sch < 0) return;
    let schemeStart = sch;
    while (schemeStart > 0 && /[A-Za-z:]/.test(prefix[schemeStart - 1])) schemeStart--;
    if (!URL_DSN.test(prefix.slice(schemeStart, sch + 3))) return;
    const afterScheme = prefix.slice(sch + 3);
    if (/[@/?#]/.test(afterScheme)) return; // userinfo already complete in literal text
    let seenColon = afterScheme.includes(':');
    const candidates: { part: 'user' | 'password'; expr: ts.Expression; range: Range }[] = [];
    for (; i < parts.length; i++) {
      const p = parts[i];
      if ('text' in p) {
        const at = p.text.search(/[@/?#]/);
        if (at >= 0) {
          if (p.text[at] === '@') break;
          return; // reached the path before any '@': no userinfo
        }
        if (p.text.includes(':')) seenColon = true;
      } else {
        candidates.push({ part: seenColon ? 'password' : 'user', expr: p.expr, range: p.range });
      }
    }
    if (i >= parts.length) return; // never reached '@'
    for (const c of candidates) {
      if (this.escaped(c.expr)) continue;
      this.out.push({ kind: 'credentials-interpolated', range: c.range, part: c.part, how, language: 'ts' });
    }
  }

  /** encodeURIComponent(x), or a known value with nothing that needs escaping. */
  private escaped(e: ts.Expression): boolean {
    const u = unwrap(e);
    if (tsApi.isCallExpression(u)) {
      const c = unwrap(u.expression);
      const t = tsApi.isIdentifier(c) ? c.text : tsApi.isPropertyAccessExpression(c) ? c.name.text : '';
      if (t === 'encodeURIComponent' || t === 'escape' || t === 'encode') return true;
    }
    const v = this.ev.eval(u);
    return v.k === 'str' && v.s.complete && encodeURIComponent(v.s.text) === v.s.text;
  }
}

function isPlusOperand(n: ts.BinaryExpression): boolean {
  let p = n.parent;
  while (p && tsApi.isParenthesizedExpression(p)) p = p.parent;
  return !!p && tsApi.isBinaryExpression(p) && p.operatorToken.kind === tsApi.SyntaxKind.PlusToken;
}

/** Left-to-right operands of an `a + b + c` chain (iterative: long chains are left-deep). */
function flattenPlus(n: ts.BinaryExpression): ts.Expression[] {
  const out: ts.Expression[] = [];
  const stack: ts.Expression[] = [n];
  while (stack.length) {
    const e = stack.pop()!;
    const u = unwrap(e);
    if (tsApi.isBinaryExpression(u) && u.operatorToken.kind === tsApi.SyntaxKind.PlusToken) {
      stack.push(u.right, u.left);
    } else {
      out.push(e);
    }
    if (out.length > 200) break;
  }
  return out;
}

function isTokenName(name: string): boolean {
  const n = name.replace(/[^A-Za-z0-9]/g, '').toLowerCase();
  return n === 'token' || /(auth|access|iam|db|rds|aad|entra|signer|password|database)token$/.test(n);
}

function isDsnName(name: string): boolean {
  const n = name.replace(/[^A-Za-z0-9]/g, '').toLowerCase();
  return /(databaseurl|dburl|dsn|connectionstring|connstr|connstring|databaseuri|dburi|pgurl|postgresurl|postgresqlurl|mysqlurl|mssqlurl|sqlserverurl)$/.test(n);
}
