/**
 * Facts in TS/JS code that are not one connection's settings (values.ts Observation):
 * NODE_TLS_REJECT_UNAUTHORIZED / SSLKEYLOGFILE assignments, literal secrets and cloud keys,
 * secrets passed to loggers, and credentials interpolated into URL-form DSNs.
 *
 * Reports only what the code says; rules decide what is a finding. Literal passwords are
 * reported in files that import a database driver (dbContext) — a `password: 'x'` in a form
 * component is not a database credential. Cloud keys are recognised anywhere.
 */
import * as ts from 'typescript';
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
  ) {}

  /** Registers the sites first so that secrets and logged values can be attributed to them. */
  addSites(sites: readonly FoundSite[]): void {
    for (const f of sites) {
      for (const [expr, set] of [[f.dsnExpr, this.dsnDecls], [f.optionsExpr, this.configDecls]] as const) {
        const e = expr && unwrap(expr);
        if (e && ts.isIdentifier(e)) {
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
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) this.assignment(n);
    else if (ts.isPropertyAssignment(n)) this.named(propName(n.name), n.initializer, n);
    else if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer) this.named(n.name.text, n.initializer, n);
    else if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) this.anyLiteral(n);
    else if (ts.isNewExpression(n)) this.credentialConstructor(n);
    else if (ts.isCallExpression(n)) this.loggerCall(n);
    if (ts.isTemplateExpression(n)) this.interpolated(n);
    else if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.PlusToken && !isPlusOperand(n)) this.interpolated(n);
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
    if (ts.isIdentifier(left)) name = left.text;
    else if (ts.isPropertyAccessExpression(left)) name = left.name.text;
    else if (ts.isElementAccessExpression(left)) {
      const a = unwrap(left.argumentExpression);
      if (ts.isStringLiteral(a)) name = a.text;
    }
    this.named(name, n.right, n);
  }

  /** `name: 'literal'`, `const name = 'literal'`, `x.name = 'literal'`. */
  private named(name: string | undefined, valueExpr: ts.Expression, whole: ts.Node): void {
    if (name === undefined) return;
    const e = unwrap(valueExpr);
    let text: string;
    let valueRange: Range;
    if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) {
      text = literalString(e, this.ev.sf).text;
      valueRange = this.ev.range(e);
    } else if (ts.isIdentifier(e) && (isPasswordName(name) || /secret|key/i.test(name))) {
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
    if (this.dbContext && isPasswordName(name) && !isPlaceholderSecret(text) && !this.seenValues.has(valueRange.start)) {
      this.seenValues.add(valueRange.start);
      const context = this.optionContexts.get(range.start)
        ?? (ts.isPropertyAssignment(whole) ? 'object property' : ts.isVariableDeclaration(whole) ? 'variable' : 'assignment');
      this.out.push({ kind: 'secret-literal', range, valueRange, name, value: text, context });
    }
  }

  private anyLiteral(n: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral): void {
    if (n.text.length < 16 || n.text.length > 40) return;
    const kind = cloudKeyIdKind(n.text);
    if (!kind) return;
    const p = n.parent;
    const context = p && (ts.isPropertyAssignment(p) || ts.isVariableDeclaration(p)) ? (propName(p.name) ?? 'string literal') : 'string literal';
    const r = this.ev.range(n);
    this.cloudKey(kind, p && (ts.isPropertyAssignment(p) || ts.isVariableDeclaration(p)) ? this.ev.range(p) : r, r, n.text, context);
  }

  /** `new ClientSecretCredential(tenantId, clientId, 'secret')`. */
  private credentialConstructor(n: ts.NewExpression): void {
    const ref = this.ev.moduleRef(n.expression);
    const name = ref ? ref.path[ref.path.length - 1] : ts.isIdentifier(n.expression) ? n.expression.text : undefined;
    if (name !== 'ClientSecretCredential' || !n.arguments || n.arguments.length < 3) return;
    const v = this.ev.eval(n.arguments[2]);
    if (v.k !== 'str' || !v.s.complete || !this.ev.literalVals.has(v) || isPlaceholderSecret(v.s.text)) return;
    this.cloudKey('azure-client-secret', this.ev.range(n.arguments[2]), v.range, v.s.text, 'ClientSecretCredential');
  }

  private isLogger(callee: ts.Expression): boolean {
    if (!ts.isPropertyAccessExpression(callee) || !LOG_METHODS.has(callee.name.text)) return false;
    const recv = unwrap(callee.expression);
    const last = ts.isIdentifier(recv) ? recv.text : ts.isPropertyAccessExpression(recv) ? recv.name.text : recv.kind === ts.SyntaxKind.ThisKeyword ? 'this' : '';
    if (/^(console|log|logger|_logger|_log)$/i.test(last) || /[a-z](Logger|Log)$/.test(last)) return true;
    if (ts.isIdentifier(recv)) {
      const init = this.ev.initializerOf(recv);
      const call = init && unwrap(init);
      if (call && ts.isCallExpression(call)) {
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
    if (ts.isTemplateExpression(e)) {
      for (const s of e.templateSpans) {
        const h = this.classify(s.expression, d);
        if (h) return h;
      }
      return undefined;
    }
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) return this.classify(e.left, d) ?? this.classify(e.right, d);
    if (ts.isObjectLiteralExpression(e)) {
      for (const p of e.properties) {
        if (ts.isShorthandPropertyAssignment(p)) {
          const h = this.classify(p.name, d);
          if (h) return h;
        } else if (ts.isPropertyAssignment(p)) {
          const h = this.classify(p.initializer, d);
          if (h) return h;
        } else if (ts.isSpreadAssignment(p)) {
          const h = this.classify(p.expression, d);
          if (h) return h;
        }
      }
      return undefined;
    }
    if (ts.isCallExpression(e)) {
      const c = unwrap(e.expression);
      if (ts.isPropertyAccessExpression(c) && c.name.text === 'stringify' && e.arguments[0]) return this.classify(e.arguments[0], d);
      if (this.finder.tokenKind(e)) return { node: e, what: 'token' };
      return undefined;
    }
    if (ts.isAwaitExpression(e)) return this.classify(e.expression, d);
    const env = envRead(e);
    if (env !== undefined) {
      if (isPasswordName(env)) return { node: e, what: 'password' };
      if (isDsnName(env)) return { node: e, what: 'connection string' };
      return undefined;
    }
    let name: string | undefined;
    if (ts.isIdentifier(e)) name = e.text;
    else if (ts.isPropertyAccessExpression(e)) name = e.name.text;
    if (name === undefined) return undefined;
    if (isPasswordName(name)) return { node: e, what: 'password' };
    if (isTokenName(name)) return { node: e, what: 'token' };
    if (isDsnName(name)) return { node: e, what: 'connection string' };
    if (!ts.isIdentifier(e)) return undefined;
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
    if (ts.isTemplateExpression(n)) {
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
        if (ts.isStringLiteral(u) || ts.isNoSubstitutionTemplateLiteral(u)) parts.push({ text: u.text });
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
    if (ts.isCallExpression(u)) {
      const c = unwrap(u.expression);
      const t = ts.isIdentifier(c) ? c.text : ts.isPropertyAccessExpression(c) ? c.name.text : '';
      if (t === 'encodeURIComponent' || t === 'escape' || t === 'encode') return true;
    }
    const v = this.ev.eval(u);
    return v.k === 'str' && v.s.complete && encodeURIComponent(v.s.text) === v.s.text;
  }
}

function isPlusOperand(n: ts.BinaryExpression): boolean {
  let p = n.parent;
  while (p && ts.isParenthesizedExpression(p)) p = p.parent;
  return !!p && ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.PlusToken;
}

/** Left-to-right operands of an `a + b + c` chain (iterative: long chains are left-deep). */
function flattenPlus(n: ts.BinaryExpression): ts.Expression[] {
  const out: ts.Expression[] = [];
  const stack: ts.Expression[] = [n];
  while (stack.length) {
    const e = stack.pop()!;
    const u = unwrap(e);
    if (ts.isBinaryExpression(u) && u.operatorToken.kind === ts.SyntaxKind.PlusToken) {
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
