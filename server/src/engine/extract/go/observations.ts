/**
 * Facts in Go code that are not one connection: literal secrets under password-like names,
 * cloud keys, secrets passed to loggers, credentials interpolated into URL DSNs without escaping,
 * SSLKEYLOGFILE, and tls.Config literals no connection uses.
 *
 * Precision first (secrets.ts): a literal must look like a secret AND sit under a password-like
 * name or in a credential constructor; a log call is reported only when an argument is itself the
 * DSN / password / token (not `len(password)` or `redact(dsn)`).
 */
import { Range } from '../../model';
import { HOLE } from '../../srcstring';
import { CloudKeyKind, cloudKeyIdKind, cloudSecretKind, isPasswordName, isPlaceholderSecret } from '../secrets';
import { Observation } from '../values';
import { GoNode, callArgs, exprList, field, namedKids, rangeOf, unparen } from './ast';
import { Evaluator, Taint, parseVerbs } from './evaluate';
import { GoFile, keyedElements } from './file';
import { isStringLiteral, stringLiteral } from './literals';
import { SiteScan } from './sites';
import { TlsReader } from './tls';

const LOG_METHODS = new Set([
  'Print', 'Printf', 'Println', 'Fatal', 'Fatalf', 'Fatalln', 'Panic', 'Panicf', 'Panicln',
  'Info', 'Infof', 'Infow', 'Infoln', 'Debug', 'Debugf', 'Debugw', 'Debugln', 'Warn', 'Warnf', 'Warnw', 'Warnln',
  'Warning', 'Warningf', 'Error', 'Errorf', 'Errorw', 'Errorln', 'Fatalw', 'Panicw', 'Trace', 'Tracef',
  'Log', 'Logf', 'InfoContext', 'DebugContext', 'WarnContext', 'ErrorContext', 'Msg', 'Msgf',
]);
/** Packages whose Errorf/Error build errors instead of logging. */
const NOT_LOGGERS = new Set(['errors', 'fmt-errorf', 'strings', 'strconv', 'os', 'time', 'url', 'sql', 'tls']);
/** Wrappers whose arguments reach the log line: `zap.String("dsn", dsn)`, `fmt.Sprintf(…)`. */
const PASS_THROUGH = /^(zap\.(String|Any|Stringer|Reflect)|slog\.(String|Any)|fmt\.(Sprintf|Sprint|Sprintln)|logrus\.Fields|log\.Fields)$/;
const DSN_NAME = /^(dsn|connstr|connectionstring|conninfo|connurl|databaseurl|dburl|dbdsn|pgdsn|mysqldsn|datasourcename|datasource|sqldsn|dbconnstr|dbconnectionstring|connectionurl|pgurl|postgresurl|mysqlurl)$/;
const URL_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*$/;
/**
 * A getter that returns a connection string (`cfg.DSN()`, `ConnString()`, `GetDatabaseURL()`,
 * `buildDSN(c)`): the normalised callee name is a DSN name, optionally after a prefix that keeps
 * the meaning. Any other prefix (`RedactedDSN`, `MaskedDSN`, `SafeDSN`, `ParseDSN`) is not one.
 */
const DSN_GETTER = /^(get|build|make|to|format)?(dsn|connstr|connstring|connectionstring|conninfo|connurl|databaseurl|dburl|dbdsn|datasourcename|connectionurl|pgurl|postgresurl|mysqlurl)$/;

export function scanObservations(f: GoFile, ev: Evaluator, tls: TlsReader, scan: SiteScan): Observation[] {
  const out: Observation[] = [];
  const seen = new Set<string>();
  const push = (o: Observation): void => {
    const r = 'valueRange' in o ? o.valueRange : o.kind === 'tls-config' ? o.facts.range : o.range;
    const key = `${o.kind}@${r.start}:${r.end}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(o);
  };
  const safe = (fn: () => void): void => {
    try {
      fn();
    } catch {
      // extractors never throw
    }
  };
  safe(() => namedSecrets(f, push));
  safe(() => callObservations(f, ev, scan, push));
  safe(() => {
    for (const lit of f.stringLiterals) {
      const s = stringLiteral(lit, f.src).text;
      const kind = cloudKeyIdKind(s);
      if (kind) push({ kind: 'cloud-key', keyKind: kind, range: rangeOf(lit), valueRange: rangeOf(lit), value: s, context: 'string literal' });
    }
  });
  safe(() => {
    for (const lit of f.composites) {
      if (scan.consumedTls.has(lit) || !tls.isTlsObject(lit)) continue;
      const def = bindingDef(f, lit);
      push({ kind: 'tls-config', facts: tls.fromObject({ node: lit, def, index: 0 }), language: 'go', dbContext: f.importsDb });
    }
    for (const d of f.allDefs()) {
      if (d.kind !== 'var' || d.value || scan.consumedTls.has(d.stmt) || !tls.isTlsObject(d.stmt)) continue;
      if (ev.fieldAssigns(d).length === 0) continue;
      push({ kind: 'tls-config', facts: tls.fromObject({ node: d.stmt, def: d, index: 0 }), language: 'go', dbContext: f.importsDb });
    }
  });
  return out;
}

/** The variable a composite literal is bound to (`c := &tls.Config{…}` → c). */
function bindingDef(f: GoFile, lit: GoNode) {
  let cur = lit;
  while (cur.parent && (cur.parent.type === 'unary_expression' || cur.parent.type === 'parenthesized_expression')) cur = cur.parent;
  const list = cur.parent;
  if (!list || list.type !== 'expression_list') return undefined;
  const stmt = list.parent;
  if (!stmt) return undefined;
  const lefts = stmt.type === 'var_spec' ? stmt.children.filter((c) => c.field === 'name') : exprList(field(stmt, 'left'));
  const i = namedKids(list).indexOf(cur);
  const target = lefts[i];
  return target && target.type === 'identifier' ? f.defAt(target) : undefined;
}

function literalSecret(f: GoFile, value: GoNode | undefined): { text: string; node: GoNode } | undefined {
  const v = unparen(value);
  if (!v || !isStringLiteral(v)) return undefined;
  return { text: stringLiteral(v, f.src).text, node: v };
}

/** Password-like and cloud-secret names bound to literals: fields, assignments, const/var. */
function namedSecrets(f: GoFile, push: (o: Observation) => void): void {
  const check = (name: string, value: GoNode | undefined, range: Range, context: string): void => {
    const lit = literalSecret(f, value);
    if (!lit) return;
    const cloud = cloudSecretKind(name, lit.text);
    if (cloud) {
      push({ kind: 'cloud-key', keyKind: cloud, range, valueRange: rangeOf(lit.node), value: lit.text, context });
      return;
    }
    if (isPasswordName(name) && !isPlaceholderSecret(lit.text)) {
      push({ kind: 'secret-literal', range, valueRange: rangeOf(lit.node), name, value: lit.text, context });
    }
  };
  for (const lit of f.composites) {
    const typeNode = field(lit, 'type');
    const typeText = typeNode ? f.text(typeNode).replace(/\s+/g, '') : '';
    const isMap = typeNode?.type === 'map_type';
    for (const { key, value, elem } of keyedElements(lit)) {
      const name = isStringLiteral(key) ? stringLiteral(key, f.src).text : f.text(key);
      check(name, value, rangeOf(elem), isMap ? `map key ${name}` : `${typeText}.${name}`);
    }
  }
  for (const d of f.allDefs()) {
    if (d.kind === 'param' || d.kind === 'range' || d.kind === 'append' || d.multi) continue;
    const ctx = d.kind === 'const' ? `const ${d.name}` : d.kind === 'var' ? `var ${d.name}` : d.name;
    check(d.name, d.value, rangeOf(d.stmt), ctx);
  }
  for (const st of f.assignments) {
    const left = exprList(field(st, 'left'));
    const right = exprList(field(st, 'right'));
    left.forEach((l, i) => {
      if (l.type !== 'selector_expression') return;
      const fld = field(l, 'field');
      if (fld) check(f.text(fld), right[i], rangeOf(st), f.text(l).replace(/\s+/g, ''));
    });
  }
}

function callObservations(f: GoFile, ev: Evaluator, scan: SiteScan, push: (o: Observation) => void): void {
  for (const call of f.calls) {
    const q = f.calleeOf(call);
    const args = callArgs(call);
    if (q) {
      const [pkg, name] = q;
      if (pkg === 'url' && name === 'UserPassword' && args[1]) {
        const lit = literalSecret(f, args[1]);
        if (lit && !isPlaceholderSecret(lit.text)) push({ kind: 'secret-literal', range: rangeOf(args[1]), valueRange: rangeOf(lit.node), name: 'password', value: lit.text, context: 'url.UserPassword' });
      }
      // bun's pgdriver option: the connector's password.
      if (pkg === 'pgdriver' && name === 'WithPassword' && args[0]) {
        const lit = literalSecret(f, args[0]);
        if (lit && !isPlaceholderSecret(lit.text)) push({ kind: 'secret-literal', range: rangeOf(args[0]), valueRange: rangeOf(lit.node), name: 'password', value: lit.text, context: 'pgdriver.WithPassword' });
      }
      if (pkg === 'aws-creds' && (name === 'NewStaticCredentialsProvider' || name === 'NewStaticCredentials')) {
        cloudArg(f, args[0], undefined, `credentials.${name}`, push);
        cloudArg(f, args[1], 'SecretAccessKey', `credentials.${name}`, push);
      }
      if (pkg === 'azidentity' && name === 'NewClientSecretCredential' && args[2]) {
        const lit = literalSecret(f, args[2]);
        if (lit && !isPlaceholderSecret(lit.text)) push({ kind: 'cloud-key', keyKind: 'azure-client-secret', range: rangeOf(args[2]), valueRange: rangeOf(lit.node), value: lit.text, context: 'azidentity.NewClientSecretCredential' });
      }
      if (pkg === 'ali-sdk' && name === 'NewClientWithAccessKey') {
        cloudArg(f, args[1], undefined, `sdk.${name}`, push);
        cloudArg(f, args[2], 'AccessKeySecret', `sdk.${name}`, push);
      }
      if (pkg === 'ali-creds' && name === 'NewAccessKeyCredential') {
        cloudArg(f, args[0], undefined, `credentials.${name}`, push);
        cloudArg(f, args[1], 'AccessKeySecret', `credentials.${name}`, push);
      }
      if (pkg === 'os' && name === 'Setenv' && args[0]) {
        const k = ev.eval(args[0]);
        if (k.k === 'str' && k.s.text === 'SSLKEYLOGFILE') push({ kind: 'ssl-keylog-file', range: rangeOf(call) });
      }
      if (pkg === 'fmt' && name === 'Sprintf' && args[0]) interpolatedSprintf(f, ev, call, args, push);
    }
    const logger = loggerCallee(f, call);
    if (logger) for (const a of args) loggedSecret(f, ev, scan, logger, a, push, 0);
  }
  // String concatenation building a URL DSN: report once per outermost `+` chain.
  const seenChains = new Set<GoNode>();
  for (const n of f.stringLiterals) {
    let top: GoNode | undefined;
    for (let p = n.parent; p && (p.type === 'binary_expression' || p.type === 'parenthesized_expression'); p = p.parent) if (p.type === 'binary_expression') top = p;
    if (!top || seenChains.has(top)) continue;
    seenChains.add(top);
    interpolatedConcat(f, ev, top, push);
  }
}

function cloudArg(f: GoFile, arg: GoNode | undefined, secretName: string | undefined, context: string, push: (o: Observation) => void): void {
  const lit = literalSecret(f, arg);
  if (!lit || !arg) return;
  const kind: CloudKeyKind | undefined = secretName ? cloudSecretKind(secretName, lit.text) : cloudKeyIdKind(lit.text);
  if (kind) push({ kind: 'cloud-key', keyKind: kind, range: rangeOf(arg), valueRange: rangeOf(lit.node), value: lit.text, context });
}

/**
 * The callee as it goes into a message, built from names only (as the TS extractor does): an
 * argument of a call in the chain (`log.With("pw", "hunter2").Info`) or whatever error recovery
 * put into the operand of a half-typed call may be a secret literal, so it becomes `…`.
 */
function calleeName(f: GoFile, n: GoNode | undefined, depth: number): string {
  const e = unparen(n);
  if (!e || depth > 20) return '…';
  if (e.type === 'identifier' || e.type === 'field_identifier' || e.type === 'package_identifier') return f.text(e);
  if (e.type === 'selector_expression') return `${calleeName(f, field(e, 'operand'), depth + 1)}.${calleeName(f, field(e, 'field'), depth + 1)}`;
  if (e.type === 'call_expression') return `${calleeName(f, field(e, 'function'), depth + 1)}()`;
  return '…';
}

/** The callee text of a logging call, or undefined. */
function loggerCallee(f: GoFile, call: GoNode): string | undefined {
  const fn = field(call, 'function');
  if (!fn || fn.type !== 'selector_expression') return undefined;
  const method = f.text(field(fn, 'field') ?? fn);
  const callee = calleeName(f, fn, 0);
  const q = f.calleeOf(call);
  if (q) {
    const [pkg] = q;
    if (pkg === 'log' && /^(Print|Fatal|Panic)/.test(method)) return callee;
    if (pkg === 'fmt' && /^(Print|Fprint)/.test(method)) return callee;
    if (pkg === 'slog' || pkg === 'logrus' || pkg === 'zerolog') return LOG_METHODS.has(method) ? callee : undefined;
    if (NOT_LOGGERS.has(pkg) || pkg.includes('/') || pkg === 'fmt' || pkg === 'log') return undefined;
    return undefined;
  }
  const op = unparen(field(fn, 'operand'));
  const recv = op ? f.text(op) : '';
  // Test helpers (t.Logf) and error constructors are not logs.
  if (/^(t|b|tb|f)$/.test(recv)) return undefined;
  return LOG_METHODS.has(method) ? callee : undefined;
}

/** What a logged argument is, if it is a DSN, a password or a token. */
function loggedSecret(f: GoFile, ev: Evaluator, scan: SiteScan, callee: string, arg: GoNode, push: (o: Observation) => void, depth: number): void {
  const a = unparen(arg);
  if (!a || depth > 3) return;
  if (a.type === 'call_expression') {
    const fnText = f.text(field(a, 'function') ?? a).replace(/\s+/g, '');
    const q = f.calleeOf(a);
    const norm = q ? `${q[0]}.${q[1]}` : fnText;
    if (PASS_THROUGH.test(norm)) for (const x of callArgs(a)) loggedSecret(f, ev, scan, callee, x, push, depth + 1);
    else if (/\.FormatDSN$/.test(fnText) || isDsnGetter(f, a)) push({ kind: 'secret-logged', range: rangeOf(a), callee, what: 'connection string' });
    return;
  }
  if (a.type === 'composite_literal') {
    for (const { value } of keyedElements(a)) if (value) loggedSecret(f, ev, scan, callee, value, push, depth + 1);
    return;
  }
  if (a.type !== 'identifier' && a.type !== 'selector_expression') return;
  const name = a.type === 'identifier' ? f.text(a) : f.text(field(a, 'field') ?? a);
  const what = whatIs(f, ev, scan, a, name);
  if (what) push({ kind: 'secret-logged', range: rangeOf(a), callee, what });
}

/** `cfg.DSN()`, `c.ConnString()`, `databaseURL()`: a call whose callee is named as a DSN getter (DSN_GETTER). */
function isDsnGetter(f: GoFile, call: GoNode): boolean {
  const fn = unparen(field(call, 'function'));
  if (!fn) return false;
  const nameNode = fn.type === 'selector_expression' ? field(fn, 'field') : fn.type === 'identifier' ? fn : undefined;
  if (!nameNode) return false;
  return DSN_GETTER.test(f.text(nameNode).replace(/[^A-Za-z0-9]/g, '').toLowerCase());
}

function whatIs(f: GoFile, ev: Evaluator, scan: SiteScan, a: GoNode, name: string): string | undefined {
  if (a.type === 'identifier') {
    const d = f.resolve(a);
    if (d && d !== 'ambiguous' && scan.dsnDefs.has(d)) return 'connection string';
    if (d && d !== 'ambiguous' && scan.configDefs.has(d)) return undefined;
  }
  const norm = name.replace(/[^A-Za-z0-9]/g, '').toLowerCase();
  if (DSN_NAME.test(norm)) return 'connection string';
  if (isPasswordName(name)) return 'password';
  const taints: Taint[] = [];
  const v = ev.eval(a, taints);
  if (taints.length > 0 && v.k === 'call') return 'token';
  return undefined;
}

function isEscaped(f: GoFile, n: GoNode): boolean {
  const e = unparen(n);
  if (!e || e.type !== 'call_expression') return false;
  const q = f.calleeOf(e);
  return !!q && q[0] === 'url' && (q[1] === 'QueryEscape' || q[1] === 'PathEscape' || q[1] === 'UserPassword' || q[1] === 'User');
}

/** `fmt.Sprintf("postgres://%s:%s@…", user, pass)` with unescaped variables. */
function interpolatedSprintf(f: GoFile, ev: Evaluator, call: GoNode, args: GoNode[], push: (o: Observation) => void): void {
  const fv = ev.eval(args[0]);
  if (fv.k !== 'str') return;
  const text = fv.s.text;
  const verbs = parseVerbs(text);
  const sep = text.indexOf('://');
  if (sep <= 0) return;
  const scheme = text.slice(0, sep);
  const schemeIsVerb = verbs.some((v) => v.start === 0 && v.end === sep);
  if (!URL_SCHEME.test(scheme) && !schemeIsVerb) return;
  const authEnd = firstOf(text, sep + 3, '/?#');
  const at = text.lastIndexOf('@', authEnd - 1);
  if (at < sep + 3) return;
  const colon = text.indexOf(':', sep + 3);
  for (const v of verbs) {
    if (v.verb === '%' || v.start < sep + 3 || v.end > at) continue;
    const arg = args[v.arg + 1];
    if (!arg || isEscaped(f, arg)) continue;
    const val = ev.eval(arg);
    if (val.k === 'str' && val.s.complete) continue;
    const part = colon >= 0 && colon < at && v.start > colon ? 'password' : 'user';
    push({ kind: 'credentials-interpolated', range: rangeOf(arg), part, how: 'fmt.Sprintf', language: 'go' });
  }
}

/** `"sqlserver://" + user + ":" + pass + "@" + host` with unescaped variables. */
function interpolatedConcat(f: GoFile, ev: Evaluator, top: GoNode, push: (o: Observation) => void): void {
  let text = '';
  const vars: { at: number; node: GoNode }[] = [];
  for (const p of ev.flattenPlus(top)) {
    const v = ev.eval(p);
    if (v.k === 'str' && v.s.complete) {
      text += v.s.text;
      continue;
    }
    vars.push({ at: text.length, node: p });
    text += HOLE;
  }
  const sep = text.indexOf('://');
  if (sep <= 0 || vars.length === 0) return;
  const scheme = text.slice(0, sep).split(/[^A-Za-z0-9+.-]/).pop() ?? '';
  if (!URL_SCHEME.test(scheme)) return;
  const authEnd = firstOf(text, sep + 3, '/?#');
  const at = text.lastIndexOf('@', authEnd - 1);
  if (at < sep + 3) return;
  const colon = text.indexOf(':', sep + 3);
  for (const v of vars) {
    if (v.at < sep + 3 || v.at > at || isEscaped(f, v.node)) continue;
    const part = colon >= 0 && colon < at && v.at > colon ? 'password' : 'user';
    push({ kind: 'credentials-interpolated', range: rangeOf(v.node), part, how: 'string concatenation', language: 'go' });
  }
}

function firstOf(text: string, from: number, chars: string): number {
  for (let i = from; i < text.length; i++) if (chars.includes(text[i])) return i;
  return text.length;
}
