/**
 * Value resolution for Go expressions within one file: literals, constants and variables (via
 * GoFile.resolve), `+` concatenation, `fmt.Sprintf`, `os.Getenv`, durations, composite literals,
 * `url.URL{…}.String()`, `strings.Builder` / `bytes.Buffer` `.String()`, string-returning functions
 * of this file (followed by bare name), methods `x.M()` of a type declared in this file, parameters
 * bound to the argument of their function's only call in the file (or, per call, of one of its
 * few calls: Evaluator.boundTo), env reads with a literal
 * default (`if dsn == "" {…}`, getenv helpers, `cmp.Or`), func literals. What cannot be known
 * becomes `unknown` / a HOLE — never a guess.
 *
 * Conventions:
 * - A Val's range is the expression that produced the value after following identifiers (the
 *   literal inside a `const`, the Sprintf call), so that a fix lands where the text is written.
 * - `time.Duration` expressions (`5*time.Minute`, `time.Hour`) evaluate to `num` in SECONDS.
 * - IAM/Entra tokens: a value minted by `auth.BuildAuthToken` / `rdsutils.BuildAuthToken` (RDS) or
 *   a credential's `GetToken(…)` (Entra) is a `call` Val; every evaluation that passes through one
 *   records a Taint, so callers learn that a DSN or password carries a token and where it was minted.
 */
import { Range } from '../../model';
import { HOLE, SrcString } from '../../srcstring';
import { Prop, Val } from '../values';
import { GoNode, callArgs, enclosingFunction, exprList, field, isFunctionNode, isWithin, namedKids, rangeOf, receiverTypeOf, structFieldsOf, unparen, walk } from './ast';
import { Def, GoFile, keyedElements } from './file';
import { decodeEscape, isStringLiteral, numberLiteral, stringLiteral } from './literals';

/** Per-call evaluation: `fn`'s parameters are the arguments of `call` (Evaluator.boundTo). */
export interface CallBinding {
  readonly fn: GoNode;
  readonly call: GoNode;
}

export interface Taint {
  readonly kind: 'rds-iam' | 'entra';
  /** The signer call (`auth.BuildAuthToken(…)`, `cred.GetToken(…)`). */
  readonly mintedAt: Range;
  readonly call: GoNode;
}

/** Seconds per `time` unit constant. */
const TIME_UNITS: Readonly<Record<string, number>> = {
  Nanosecond: 1e-9, Microsecond: 1e-6, Millisecond: 1e-3, Second: 1, Minute: 60, Hour: 3600,
};

const MAX_EVAL_DEPTH = 60;

/** A function with more calls than this in the file is not evaluated per call (bounds the work). */
export const MAX_BOUND_CALLS = 8;

/** entgo.io/ent/dialect constants (the database/sql driver names ent opens). */
const ENT_DIALECTS: Readonly<Record<string, string>> = { MySQL: 'mysql', Postgres: 'postgres', SQLite: 'sqlite3' };

/** A field assignment `x.A.B = v` on a variable. `path` is ['A', 'B']. */
export interface FieldAssign {
  readonly path: string[];
  readonly lhs: GoNode;
  readonly fieldNode: GoNode;
  readonly value: GoNode;
  readonly stmt: GoNode;
}

/** The node that created an object and the variable it was reached through. */
export interface ObjectRef {
  readonly node: GoNode;
  readonly def?: Def;
  /** Multi-value position of the def (`cfg, err := …` → 0). */
  readonly index: number;
}

export interface VerbSpec {
  readonly start: number;
  readonly end: number;
  readonly verb: string;
  /** No flags, width or precision. */
  readonly plain: boolean;
  /** 0-based argument index after the format string, or -1 for `%%`. */
  readonly arg: number;
}

/** Parses the verbs of a Go format string (handles `%%`, flags, width, precision, `%[n]v`). */
export function parseVerbs(text: string): VerbSpec[] {
  const out: VerbSpec[] = [];
  let next = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '%') continue;
    let j = i + 1;
    if (text[j] === '%') {
      out.push({ start: i, end: j + 1, verb: '%', plain: true, arg: -1 });
      i = j;
      continue;
    }
    const from = j;
    while (j < text.length && '+-# 0'.includes(text[j])) j++;
    let explicit: number | undefined;
    const readIndex = (): void => {
      if (text[j] !== '[') return;
      const close = text.indexOf(']', j);
      if (close < 0) return;
      const n = parseInt(text.slice(j + 1, close), 10);
      if (Number.isFinite(n)) explicit = n - 1;
      j = close + 1;
    };
    readIndex();
    while (j < text.length && (/[0-9]/.test(text[j]) || text[j] === '*')) j++;
    if (text[j] === '.') {
      j++;
      readIndex();
      while (j < text.length && (/[0-9]/.test(text[j]) || text[j] === '*')) j++;
    }
    readIndex();
    if (j >= text.length) break;
    const plain = j === from || (explicit !== undefined && !/[^[\]0-9]/.test(text.slice(from, j)));
    const arg = explicit ?? next;
    next = arg + 1;
    out.push({ start: i, end: j + 1, verb: text[j], plain, arg });
    i = j;
  }
  return out;
}

export class Evaluator {
  private readonly memo = new Map<Def, { val: Val; taints: Taint[] }>();
  private readonly active = new Set<Def>();
  /** Functions whose parameters (or receiver) were looked up (Extraction.paramReads). */
  readonly paramReads: Set<GoNode>;
  /**
   * Functions whose parameters were looked up and that have 2…MAX_BOUND_CALLS calls in the file,
   * all of them direct and lined up (callsOf): the sites inside them are made once per call
   * (go/sites.ts, boundTo). Recorded by an unbound evaluator only (one level).
   */
  readonly multiCallReads = new Set<GoNode>();
  private readonly assignsMemo = new Map<Def, FieldAssign[]>();
  private depth = 0;
  /** Per-call evaluation (boundTo): this function's parameters are the arguments of this call. */
  private readonly binding?: CallBinding;

  constructor(readonly f: GoFile, bound?: { readonly binding: CallBinding; readonly parent: Evaluator }) {
    this.paramReads = bound ? bound.parent.paramReads : new Set<GoNode>();
    if (bound) {
      this.binding = bound.binding;
      // Binding-independent facts of the file: shared, not rebuilt per call.
      this.fileIndex = bound.parent.index();
      this.callsMemo = bound.parent.callsMemo;
    }
  }

  /** Evaluates an expression; taints found on the way are appended to `taints`. */
  eval(n: GoNode | undefined, taints: Taint[] = []): Val {
    if (!n) return { k: 'unknown', range: { start: 0, end: 0 } };
    if (this.depth > MAX_EVAL_DEPTH) return { k: 'unknown', range: rangeOf(n) };
    this.depth++;
    try {
      return this.evalInner(n, taints);
    } finally {
      this.depth--;
    }
  }

  /** The value a definition holds. Memoized; cycles give unknown. */
  defValue(d: Def, taints: Taint[]): Val {
    const m = this.memo.get(d);
    if (m) {
      taints.push(...m.taints);
      return m.val;
    }
    const r = d.value ? rangeOf(d.value) : rangeOf(d.nameNode);
    const unbound: Val = d.kind === 'param' || d.kind === 'range' ? { k: 'ident', name: d.name, range: rangeOf(d.nameNode) } : { k: 'unknown', range: r };
    if (this.active.has(d)) return unbound;
    if (!d.value) {
      // A parameter of a function or method with exactly one call in this file (or of the function
      // this evaluator is bound to): that call's argument.
      const arg = d.kind === 'param' ? this.boundArg(d) : undefined;
      return arg ? this.boundValue(d, arg, unbound, taints) : unbound;
    }
    this.active.add(d);
    const own: Taint[] = [];
    let val: Val;
    try {
      const v = unparen(d.value);
      if (d.multi && v && v.type === 'call_expression' && d.index > 0) val = { k: 'unknown', range: r };
      else val = this.eval(d.value, own);
      if (d.kind === 'append') {
        const prev = this.f.resolveName(d.name, d.stmt);
        const before: Val = prev && prev !== 'ambiguous' ? this.defValue(prev, own) : { k: 'unknown', range: r };
        val = this.concat([before, val], rangeOf(d.stmt), [d.stmt, d.value]);
      }
    } finally {
      this.active.delete(d);
    }
    this.memo.set(d, { val, taints: own });
    taints.push(...own);
    return val;
  }

  /** A string view of any value: known strings keep their map; everything else is a hole at `at`. */
  toSrc(v: Val, at: GoNode | Range): SrcString {
    const r = 'type' in at ? rangeOf(at) : at;
    switch (v.k) {
      case 'str': return v.s;
      case 'num': return SrcString.approximate(String(v.n), v.range);
      case 'bool': return SrcString.approximate(String(v.b), v.range);
      default: return SrcString.hole(r);
    }
  }

  /** Evaluates to a string view (a hole when not a string). */
  str(n: GoNode, taints: Taint[] = []): SrcString {
    return this.toSrc(this.eval(n, taints), n);
  }

  private concat(vals: Val[], range: Range, nodes: (GoNode | undefined)[]): Val {
    if (vals.every((v) => v.k === 'num')) return { k: 'num', n: vals.reduce((a, v) => a + (v.k === 'num' ? v.n : 0), 0), range };
    if (!vals.some((v) => v.k === 'str')) return { k: 'unknown', range };
    return { k: 'str', s: SrcString.concat(vals.map((v, i) => this.toSrc(v, nodes[i] ?? range))), range };
  }

  private evalInner(n: GoNode, taints: Taint[]): Val {
    const r = rangeOf(n);
    const f = this.f;
    switch (n.type) {
      case 'interpreted_string_literal':
      case 'raw_string_literal':
        return { k: 'str', s: stringLiteral(n, f.src), range: r };
      case 'int_literal':
      case 'float_literal': {
        const v = numberLiteral(f.text(n));
        return v === undefined ? { k: 'unknown', range: r } : { k: 'num', n: v, range: r };
      }
      case 'true': return { k: 'bool', b: true, range: r };
      case 'false': return { k: 'bool', b: false, range: r };
      case 'nil': return { k: 'null', range: r };
      case 'parenthesized_expression': return this.eval(namedKids(n)[0], taints);
      case 'identifier': {
        const d = f.resolve(n);
        if (d === 'ambiguous') return this.envDefault(n, taints) ?? { k: 'unknown', range: r };
        if (!d) {
          const fnDecl = f.funcDecls.get(f.text(n));
          if (fnDecl) return this.fnVal(fnDecl, r);
          return { k: 'ident', name: f.text(n), range: r };
        }
        return this.defValue(d, taints);
      }
      case 'selector_expression': {
        const q = f.qualified(n);
        if (q) {
          if (q[0] === 'time' && TIME_UNITS[q[1]] !== undefined) return { k: 'num', n: TIME_UNITS[q[1]], range: r };
          // ent's driver names (entgo.io/ent/dialect: dialect.MySQL is "mysql"), as sql.Open takes them.
          const entDialect = q[0] === 'entgo.io/ent/dialect' ? ENT_DIALECTS[q[1]] : undefined;
          if (entDialect) return { k: 'str', s: SrcString.approximate(entDialect, r), range: r };
          // go-mssqldb's Entra ID driver registers itself as azuread.DriverName ("azuresql").
          if (q[0] === 'azuread' && q[1] === 'DriverName') return { k: 'str', s: SrcString.approximate('azuresql', r), range: r };
          return { k: 'ident', name: `${f.text(field(n, 'operand')!)}.${q[1]}`, range: r };
        }
        const fieldName = f.text(field(n, 'field') ?? n);
        const operand = this.eval(field(n, 'operand'), taints);
        // `tok.Token` where tok came from a credential's GetToken: the token itself.
        if (fieldName === 'Token' && operand.k === 'call' && /\.GetToken$/.test(operand.callee)) return operand;
        // A field of a composite literal held in a variable.
        if (operand.k === 'obj') {
          const p = [...operand.props].reverse().find((x) => x.key === fieldName);
          if (p) return p.value;
        }
        return { k: 'ident', name: f.text(n).replace(/\s+/g, ''), range: r };
      }
      case 'binary_expression': {
        const op = f.text(field(n, 'operator') ?? n).trim();
        const dur = this.duration(n);
        if (dur && dur.dur) return { k: 'num', n: dur.v, range: r };
        if (op === '+') {
          const parts = this.flattenPlus(n);
          return this.concat(parts.map((p) => this.eval(p, taints)), r, parts);
        }
        if (dur) return { k: 'num', n: dur.v, range: r };
        return { k: 'unknown', range: r };
      }
      case 'unary_expression': {
        const op = f.text(field(n, 'operator') ?? n).trim();
        const operand = field(n, 'operand');
        if (op === '&' || op === '*') return this.eval(operand, taints);
        if (op === '-') {
          const v = this.eval(operand, taints);
          return v.k === 'num' ? { k: 'num', n: -v.n, range: r } : { k: 'unknown', range: r };
        }
        if (op === '!') {
          const v = this.eval(operand, taints);
          return v.k === 'bool' ? { k: 'bool', b: !v.b, range: r } : { k: 'unknown', range: r };
        }
        return { k: 'unknown', range: r };
      }
      case 'composite_literal': return this.composite(n, taints);
      case 'func_literal': return this.fnVal(n, r);
      case 'call_expression': return this.call(n, taints);
      default:
        return { k: 'unknown', range: r };
    }
  }

  /** Operands of a left-nested `a + b + c` chain. */
  flattenPlus(n: GoNode): GoNode[] {
    const out: GoNode[] = [];
    const stack: GoNode[] = [n];
    while (stack.length) {
      const cur = unparen(stack.pop()!)!;
      if (cur.type === 'binary_expression' && this.f.text(field(cur, 'operator') ?? cur).trim() === '+') {
        const l = field(cur, 'left');
        const rt = field(cur, 'right');
        if (rt) stack.push(rt);
        if (l) stack.push(l);
      } else out.push(cur);
    }
    return out;
  }

  fnVal(fn: GoNode, range: Range): Val {
    const body = field(fn, 'body') ?? fn;
    const calls: string[] = [];
    walk(body, (c) => {
      if (c !== fn && c.type === 'func_literal') return false;
      if (c.type === 'call_expression') calls.push(this.f.text(field(c, 'function') ?? c).replace(/\s+/g, ''));
    });
    return { k: 'fn', range, calls, body: rangeOf(body) };
  }

  private composite(n: GoNode, taints: Taint[]): Val {
    const body = field(n, 'body');
    const keyed = keyedElements(n);
    if (keyed.length === 0 && namedKids(body).length > 0) {
      const items = namedKids(body).map((e) => this.eval(e.type === 'literal_element' ? namedKids(e)[0] : e, taints));
      return { k: 'arr', items, range: rangeOf(n) };
    }
    const props: Prop[] = keyed.map(({ key, value, elem }) => ({
      key: isStringLiteral(key) ? stringLiteral(key, this.f.src).text : this.f.text(key),
      keyRange: rangeOf(key),
      value: value ? this.eval(value, taints) : { k: 'unknown', range: rangeOf(elem) },
      range: rangeOf(elem),
    }));
    return { k: 'obj', props, range: rangeOf(n) };
  }

  /** Name of a token minter for a call, if it is one. */
  mintKind(call: GoNode): { kind: 'rds-iam' | 'entra'; callee: string } | undefined {
    const q = this.f.calleeOf(call);
    if (q && q[1] === 'BuildAuthToken' && (q[0] === 'aws-rds-auth' || q[0] === 'aws-rdsutils')) {
      return { kind: 'rds-iam', callee: q[0] === 'aws-rds-auth' ? 'auth.BuildAuthToken' : 'rdsutils.BuildAuthToken' };
    }
    const fn = field(call, 'function');
    if (!q && fn && fn.type === 'selector_expression' && this.f.text(field(fn, 'field') ?? fn) === 'GetToken') {
      return { kind: 'entra', callee: this.f.text(fn).replace(/\s+/g, '') };
    }
    return undefined;
  }

  private call(n: GoNode, taints: Taint[]): Val {
    const r = rangeOf(n);
    const f = this.f;
    const fn = field(n, 'function');
    const args = callArgs(n);
    const mint = this.mintKind(n);
    if (mint) {
      taints.push({ kind: mint.kind, mintedAt: r, call: n });
      return { k: 'call', callee: mint.callee, range: r, awaited: false };
    }
    const q = f.calleeOf(n);
    if (q) {
      const [pkg, name] = q;
      if (pkg === 'fmt' && name === 'Sprintf' && args.length > 0) return this.sprintf(n, args, taints);
      if (pkg === 'fmt' && name === 'Sprint') {
        return this.concat(args.map((a) => this.eval(a, taints)), r, args);
      }
      if (pkg === 'os' && (name === 'Getenv' || name === 'LookupEnv') && args[0]) {
        const a = this.eval(args[0]);
        if (a.k === 'str' && a.s.complete) return { k: 'env', name: a.s.text, range: r };
        return { k: 'unknown', range: r };
      }
      if (pkg === 'strconv' && name === 'Itoa' && args[0]) {
        const a = this.eval(args[0], taints);
        return a.k === 'num' ? { k: 'str', s: SrcString.approximate(String(a.n), a.range), range: r } : { k: 'unknown', range: r };
      }
      if (pkg === 'strings' && name === 'TrimSpace' && args[0]) return this.eval(args[0], taints);
      if (pkg === 'cmp' && name === 'Or' && args.length > 0) {
        const v = this.cmpOr(args, taints);
        if (v) return v;
      }
      if (pkg === 'time' && name === 'Duration' && args[0]) return this.eval(args[0], taints);
    }
    // A function of this file called by its bare name: what it returns.
    const callee = unparen(fn);
    if (callee && callee.type === 'identifier' && !f.resolve(callee)) {
      const decl = f.funcDecls.get(f.text(callee));
      const v = decl ? this.helperResult(decl, n, args, taints) : undefined;
      if (v) return v;
    }
    // `x.M(…)` where x's type is declared in this file with method M: what M returns.
    const method = q ? undefined : this.methodOf(n);
    if (method) {
      const v = this.helperResult(method, n, args, taints);
      if (v) return v;
    }
    // `u.String()` on a url.URL built in this file; `b.String()` on a strings.Builder / bytes.Buffer.
    if (fn && fn.type === 'selector_expression' && f.text(field(fn, 'field') ?? fn) === 'String' && args.length === 0) {
      const obj = this.objectOf(field(fn, 'operand'));
      if (obj && obj.node.type === 'composite_literal' && this.isType(obj.node, 'url', 'URL')) return this.buildUrl(obj, n, taints);
      const built = obj && obj.def ? this.builderString(obj, obj.def, n, taints) : undefined;
      if (built) return built;
    }
    // `q.Encode()` on url.Values built in this file (literal entries, then q.Add / q.Set / q.Del).
    if (fn && fn.type === 'selector_expression' && f.text(field(fn, 'field') ?? fn) === 'Encode' && args.length === 0) {
      const obj = this.objectOf(field(fn, 'operand'));
      if (obj && this.isUrlValues(obj.node)) {
        const v = this.encodeValues(obj, n, taints);
        if (v) return v;
      }
    }
    return { k: 'call', callee: f.text(fn ?? n).replace(/\s+/g, ''), range: r, awaited: false };
  }

  private sprintf(call: GoNode, args: GoNode[], taints: Taint[]): Val {
    const r = rangeOf(call);
    const fmtVal = this.eval(args[0], taints);
    if (fmtVal.k !== 'str') return { k: 'unknown', range: r };
    const fmt = fmtVal.s;
    const parts: SrcString[] = [];
    let lit = 0;
    for (const v of parseVerbs(fmt.text)) {
      parts.push(fmt.slice(lit, v.start));
      lit = v.end;
      if (v.verb === '%') {
        parts.push(fmt.slice(v.start + 1, v.end));
        continue;
      }
      const a = args[v.arg + 1];
      if (!a) {
        parts.push(SrcString.hole(fmt.rangeOf(v.start, v.end)));
        continue;
      }
      const val = this.eval(a, taints);
      if (v.plain && 'svd'.includes(v.verb) && (val.k === 'str' || val.k === 'num' || (val.k === 'bool' && v.verb !== 'd'))) parts.push(this.toSrc(val, a));
      else parts.push(SrcString.hole(rangeOf(a)));
    }
    parts.push(fmt.slice(lit));
    return { k: 'str', s: SrcString.concat(parts), range: r };
  }

  /** Whether a composite literal's type is `pkg.Name` (pkg is a logical package id). */
  isType(lit: GoNode, pkg: string, name: string): boolean {
    const q = this.typeOf(lit);
    return !!q && q[0] === pkg && q[1] === name;
  }

  /** `[pkg, Name]` of a composite literal or typed `var` declaration (pointers unwrapped). */
  typeOf(n: GoNode): [string, string] | undefined {
    let t = field(n, 'type');
    while (t && t.type === 'pointer_type') t = namedKids(t)[0];
    return this.f.qualified(t);
  }

  /**
   * The node that created the object an expression refers to: follows `&`, `*`, parentheses and
   * variables to a composite literal or a call. `def` is the variable (for field assignments).
   */
  objectOf(expr: GoNode | undefined, depth = 0): ObjectRef | undefined {
    const e = unparen(expr);
    if (!e || depth > 20) return undefined;
    if (e.type === 'unary_expression') {
      const op = this.f.text(field(e, 'operator') ?? e).trim();
      if (op === '&' || op === '*') return this.objectOf(field(e, 'operand'), depth + 1);
      return undefined;
    }
    if (e.type === 'identifier') {
      const d = this.f.resolve(e);
      if (!d || d === 'ambiguous') return undefined;
      // `var cfg mysql.Config` then field assignments: the declaration stands for the object.
      if (!d.value) return d.kind === 'var' && field(d.stmt, 'type') ? { node: d.stmt, def: d, index: 0 } : undefined;
      const inner = this.objectOf(d.value, depth + 1);
      if (!inner) return undefined;
      // An alias (`c := cfg`) keeps the original variable, whose fields are the ones assigned.
      if (unparen(d.value)?.type === 'identifier') return inner;
      return { node: inner.node, def: d, index: d.index };
    }
    if (e.type === 'call_expression') {
      // A helper in this file that builds and returns the object: follow its return value.
      const callee = unparen(field(e, 'function'));
      const decl = callee && callee.type === 'identifier' && !this.f.resolve(callee) ? this.f.funcDecls.get(this.f.text(callee)) : undefined;
      if (decl) {
        for (const ret of returnStatements(decl)) {
          const first = exprList(namedKids(ret)[0])[0];
          if (!first || first.type === 'nil') continue;
          const inner = this.objectOf(first, depth + 1);
          if (inner) return inner;
        }
      }
      return { node: e, index: 0 };
    }
    if (e.type === 'composite_literal' || e.type === 'func_literal') return { node: e, index: 0 };
    return undefined;
  }

  /** Field assignments `v.A.B = x` made on the variable `def` (anywhere it is visible). */
  fieldAssigns(def: Def): FieldAssign[] {
    const memo = this.assignsMemo.get(def);
    if (memo) return memo;
    const out: FieldAssign[] = [];
    for (const st of this.f.assignments) {
      const op = this.f.text(field(st, 'operator') ?? st).trim();
      if (op !== '=') continue;
      const left = exprList(field(st, 'left'));
      const right = exprList(field(st, 'right'));
      left.forEach((l, i) => {
        const path: string[] = [];
        let cur: GoNode | undefined = l;
        let fieldNode: GoNode | undefined;
        while (cur && cur.type === 'selector_expression') {
          const fld = field(cur, 'field');
          if (!fld) return;
          fieldNode ??= fld;
          path.unshift(this.f.text(fld));
          cur = unparen(field(cur, 'operand'));
        }
        if (!cur || cur.type !== 'identifier' || path.length === 0 || !fieldNode) return;
        if (this.f.text(cur) !== def.name) return;
        if (this.f.resolve(cur) !== def) return;
        const value = right.length === left.length ? right[i] : undefined;
        if (value) out.push({ path, lhs: l, fieldNode, value, stmt: st });
      });
    }
    this.assignsMemo.set(def, out);
    return out;
  }

  /**
   * A duration in seconds, with whether the expression is a `time.Duration` (a bare integer
   * is a plain number; passed where a Duration is expected it means nanoseconds).
   */
  duration(n: GoNode | undefined, depth = 0): { v: number; dur: boolean } | undefined {
    const e = unparen(n);
    if (!e || depth > 20) return undefined;
    switch (e.type) {
      case 'int_literal':
      case 'float_literal': {
        const v = numberLiteral(this.f.text(e));
        return v === undefined ? undefined : { v, dur: false };
      }
      case 'selector_expression': {
        const q = this.f.qualified(e);
        if (q && q[0] === 'time' && TIME_UNITS[q[1]] !== undefined) return { v: TIME_UNITS[q[1]], dur: true };
        return undefined;
      }
      case 'call_expression': {
        const q = this.f.calleeOf(e);
        const args = callArgs(e);
        if (q && q[0] === 'time' && q[1] === 'Duration' && args[0]) {
          const inner = this.duration(args[0], depth + 1);
          return inner ? { v: inner.v, dur: false } : undefined;
        }
        return undefined;
      }
      case 'identifier': {
        const d = this.f.resolve(e);
        if (!d || d === 'ambiguous' || !d.value || d.multi) return undefined;
        return this.duration(d.value, depth + 1);
      }
      case 'binary_expression': {
        const op = this.f.text(field(e, 'operator') ?? e).trim();
        const a = this.duration(field(e, 'left'), depth + 1);
        const b = this.duration(field(e, 'right'), depth + 1);
        if (!a || !b) return undefined;
        const dur = a.dur || b.dur;
        switch (op) {
          case '*': return { v: a.v * b.v, dur };
          case '+': return { v: a.v + b.v, dur };
          case '-': return { v: a.v - b.v, dur };
          case '/': return b.v === 0 ? undefined : { v: a.v / b.v, dur: a.dur && !b.dur };
          default: return undefined;
        }
      }
      default:
        return undefined;
    }
  }

  /** Seconds for an expression used as a time.Duration (bare numbers are nanoseconds). */
  durationSeconds(n: GoNode | undefined): number | undefined {
    const d = this.duration(n);
    if (!d) return undefined;
    return d.dur ? d.v : d.v / 1e9;
  }

  /**
   * `url.URL{Scheme, User, Host, Path, RawQuery, Fragment}` (plus field assignments on its
   * variable) → the text `String()` produces. Separators are approximate (mapped to the literal);
   * user info and RawQuery keep their own maps, so parameters in a RawQuery literal have exact
   * ranges; the escaped parts (Host, Path, Fragment) do not.
   */
  private buildUrl(obj: ObjectRef, call: GoNode, taints: Taint[]): Val {
    const lit = obj.node;
    const fieldsByName = new Map<string, GoNode>();
    for (const { key, value } of keyedElements(lit)) if (value) fieldsByName.set(this.f.text(key), value);
    if (obj.def) for (const a of this.fieldAssigns(obj.def)) if (a.path.length === 1) fieldsByName.set(a.path[0], a.value);
    const sep = (s: string): SrcString => SrcString.approximate(s, rangeOf(lit));
    const parts: SrcString[] = [];
    const get = (k: string): SrcString | undefined => {
      const v = fieldsByName.get(k);
      return v ? this.str(v, taints) : undefined;
    };
    const scheme = get('Scheme');
    if (scheme) parts.push(scheme, sep('://'));
    const user = fieldsByName.get('User');
    const userCall = unparen(user);
    if (userCall && userCall.type === 'call_expression') {
      const q = this.f.calleeOf(userCall);
      const a = callArgs(userCall);
      if (q && q[0] === 'url' && q[1] === 'UserPassword' && a.length >= 2) parts.push(this.str(a[0], taints), sep(':'), this.str(a[1], taints), sep('@'));
      else if (q && q[0] === 'url' && q[1] === 'User' && a.length >= 1) parts.push(this.str(a[0], taints), sep('@'));
      else parts.push(SrcString.hole(rangeOf(userCall)), sep('@'));
    } else if (user) parts.push(SrcString.hole(rangeOf(user)), sep('@'));
    // String() escapes Host, Path and Fragment, so text inserted into their literals does not
    // reach the URL as written (`?` in a Path becomes %3F): they keep no character-exact map, and
    // no fix appends inside them. RawQuery is written verbatim and keeps its map.
    const escaped = (v: SrcString): SrcString => SrcString.approximate(v.text, v.sourceRange);
    const host = get('Host');
    if (host) parts.push(escaped(host));
    const path = get('Path');
    if (path && path.length > 0) {
      if (host && path.text[0] !== '/') parts.push(sep('/'));
      parts.push(escaped(path));
    }
    const query = get('RawQuery');
    if (query && query.length > 0) parts.push(sep('?'), query);
    const fragment = get('Fragment');
    if (fragment && fragment.length > 0) parts.push(sep('#'), escaped(fragment));
    return { k: 'str', s: SrcString.concat(parts), range: rangeOf(call) };
  }

  /** `url.Values{…}` or `make(url.Values)`. */
  private isUrlValues(n: GoNode): boolean {
    if (n.type === 'composite_literal') return this.isType(n, 'url', 'Values');
    if (n.type !== 'call_expression') return false;
    const callee = unparen(field(n, 'function'));
    const a = callArgs(n)[0];
    if (!callee || callee.type !== 'identifier' || this.f.text(callee) !== 'make' || !a) return false;
    const q = this.f.qualified(a);
    return !!q && q[0] === 'url' && q[1] === 'Values';
  }

  /**
   * The text `Encode()` gives for url.Values built in this file: the literal's entries, then the
   * `Add`/`Set`/`Del` calls on its variable that come before the Encode call (source order), keys
   * sorted as Go sorts them, each part query-escaped. A key not known statically, or a call that
   * passes the values elsewhere (they could change there), gives no answer (undefined).
   */
  private encodeValues(obj: ObjectRef, call: GoNode, taints: Taint[]): Val | undefined {
    const values = new Map<string, SrcString[]>();
    const keySrc = new Map<string, SrcString>();
    const keyOf = (k: GoNode): string | undefined => {
      const v = this.str(k, taints);
      if (!v.complete) return undefined;
      if (!keySrc.has(v.text)) keySrc.set(v.text, v);
      return v.text;
    };
    if (obj.node.type === 'composite_literal') {
      for (const { key, value } of keyedElements(obj.node)) {
        const k = keyOf(key);
        if (k === undefined) return undefined;
        const list = unparen(value);
        const body = list && (list.type === 'literal_value' ? list : field(list, 'body'));
        if (!body) return undefined;
        values.set(k, namedKids(body).map((e) => this.str(e.type === 'literal_element' ? namedKids(e)[0] : e, taints)));
      }
    }
    if (obj.def) {
      for (const c of this.f.calls) {
        if (c.start >= call.start) break;
        const cf = unparen(field(c, 'function'));
        const recv = cf && cf.type === 'selector_expression' ? unparen(field(cf, 'operand')) : undefined;
        if (!cf || !recv || recv.type !== 'identifier' || this.f.resolve(recv) !== obj.def) continue;
        const method = this.f.text(field(cf, 'field') ?? cf);
        const a = callArgs(c);
        const k = a[0] ? keyOf(a[0]) : undefined;
        if (k === undefined) return undefined;
        if (method === 'Del') values.delete(k);
        else if ((method === 'Add' || method === 'Set') && a[1]) {
          const v = this.str(a[1], taints);
          values.set(k, method === 'Add' ? [...(values.get(k) ?? []), v] : [v]);
        } else if (method !== 'Get' && method !== 'Has') return undefined;
      }
    }
    const sep = (t: string): SrcString => SrcString.approximate(t, rangeOf(call));
    // A part that escaping leaves alone keeps its own source map (exact ranges for fixes).
    const escaped = (v: SrcString): SrcString => (!v.complete || queryEscape(v.text) === v.text ? v : SrcString.approximate(queryEscape(v.text), v.sourceRange));
    const parts: SrcString[] = [];
    for (const k of [...values.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
      for (const v of values.get(k)!) {
        if (parts.length) parts.push(sep('&'));
        parts.push(escaped(keySrc.get(k)!), sep('='), escaped(v));
      }
    }
    return { k: 'str', s: SrcString.concat(parts), range: rangeOf(call) };
  }

  // ---- Env reads with a literal default ---------------------------------------------------------
  //
  // A Val is one value, but service code often says "the environment's value, or else this
  // literal": `dsn := os.Getenv("X"); if dsn == "" { dsn = "…" }`, `getenv("X", "…")`,
  // `cmp.Or(os.Getenv("X"), "…")`. The literal is a value the connection really gets (whenever the
  // variable is unset), so it is what this file knows of the connection string and is judged as
  // such; the env reads are values the file does not know. When every alternative but exactly one
  // is an env read, that one is the result — a copy, remembered with the env names so that sites
  // still link the env variable (envFallbackOf). Two known alternatives that differ stay unknown:
  // choosing one would be a guess.

  private readonly envAlternatives = new WeakMap<Val, readonly string[]>();
  private readonly helperMemo = new Map<GoNode, HelperReturn[] | null>();
  private readonly activeHelpers = new Set<GoNode>();

  /** The env variables a value is the literal default of, when it came from such a fallback. */
  envFallbackOf(v: Val): readonly string[] | undefined {
    return this.envAlternatives.get(v);
  }

  /** The one alternative that is not an env read, when there is exactly one and some are env reads. */
  private literalDefault(alts: readonly Alt[]): Val | undefined {
    const envs = alts.filter((a) => a.env);
    if (envs.length === 0) return undefined;
    const known: Val[] = [];
    for (const a of alts) if (!a.env && !known.some((k) => sameVal(k, a.val))) known.push(a.val);
    if (known.length !== 1 || known[0].k !== 'str') return undefined;
    const names = envs.flatMap((a) => (a.val.k === 'env' ? [a.val.name] : []));
    const copy: Val = { ...known[0] };
    this.envAlternatives.set(copy, [...new Set([...(this.envAlternatives.get(known[0]) ?? []), ...names])]);
    return copy;
  }

  /**
   * A use of a variable the resolver calls ambiguous because of assignments in `if` blocks:
   * when each such assignment is the whole effect of an emptiness test (`if dsn == "" {…}`,
   * `if v != "" {…}`, `if !ok {…}`) and the alternatives are env reads plus one literal, the literal.
   */
  private envDefault(use: GoNode, taints: Taint[]): Val | undefined {
    const f = this.f;
    const name = f.text(use);
    const decl = f.resolveName(name, use, { declarationsOnly: true });
    if (!decl || decl === 'ambiguous' || !decl.fn || !decl.value || (decl.multi && decl.index > 0)) return undefined;
    const assigns: Def[] = [];
    for (const id of f.identifiersNamed(name, decl.fn)) {
      const d = f.defAt(id);
      if (!d || d === decl || d.stmt.start < decl.stmt.end || d.stmt.end > use.start) continue;
      if (f.resolveName(name, id, { declarationsOnly: true }) !== decl) continue;
      if (d.fn !== decl.fn || d.kind !== 'assign' || !d.value || d.multi || !this.isEmptinessBranch(d)) return undefined;
      assigns.push(d);
    }
    if (assigns.length === 0) return undefined;
    const own: Taint[] = [];
    const alts = [decl, ...assigns].map((d): Alt => {
      const val = d === decl ? this.defValue(d, own) : this.eval(d.value, own);
      return { val, env: val.k === 'env' };
    });
    const v = this.literalDefault(alts);
    if (v) taints.push(...own);
    return v;
  }

  /** An assignment that is a statement of the `then` block of an `if` testing emptiness. */
  private isEmptinessBranch(d: Def): boolean {
    const block = d.block;
    const ifs = block.parent;
    if (block.type !== 'block' || block.field !== 'consequence' || !ifs || ifs.type !== 'if_statement') return false;
    const list = d.stmt.parent;
    if (!list || (list !== block && list.parent !== block)) return false;
    const cond = unparen(field(ifs, 'condition'));
    if (!cond) return false;
    // `ok` / `!ok` of `v, ok := os.LookupEnv(…)`.
    const lookupOk = (n: GoNode | undefined): boolean => {
      const d = n && n.type === 'identifier' ? this.f.resolve(n) : undefined;
      if (!d || d === 'ambiguous' || !d.multi || d.index !== 1) return false;
      const call = unparen(d.value);
      const q = call && call.type === 'call_expression' ? this.f.calleeOf(call) : undefined;
      return !!q && q[0] === 'os' && q[1] === 'LookupEnv';
    };
    if (cond.type === 'identifier') return lookupOk(cond);
    if (cond.type === 'unary_expression') return this.f.text(field(cond, 'operator') ?? cond).trim() === '!' && lookupOk(unparen(field(cond, 'operand')));
    if (cond.type !== 'binary_expression') return false;
    const op = this.f.text(field(cond, 'operator') ?? cond).trim();
    const sides = [unparen(field(cond, 'left')), unparen(field(cond, 'right'))];
    const emptyString = (n: GoNode | undefined): boolean => !!n && isStringLiteral(n) && stringLiteral(n, this.f.src).length === 0;
    const zero = (n: GoNode | undefined): boolean => !!n && n.type === 'int_literal' && this.f.text(n) === '0';
    const isLen = (n: GoNode | undefined): boolean => !!n && n.type === 'call_expression' && this.f.text(field(n, 'function') ?? n) === 'len';
    if ((op === '==' || op === '!=') && sides.some(emptyString)) return true;
    return ['==', '!=', '>'].includes(op) && isLen(sides[0]) && zero(sides[1]);
  }

  /** `cmp.Or(a, b, …)`: the first argument that is not the zero value. */
  private cmpOr(args: GoNode[], taints: Taint[]): Val | undefined {
    const alts: Alt[] = [];
    for (const a of args) {
      const v = this.eval(a, taints);
      if (v.k === 'env') {
        alts.push({ val: v, env: true });
        continue;
      }
      // A known non-empty string is never passed over; anything else may be empty.
      if (v.k !== 'str' || !v.s.complete || v.s.length === 0) return undefined;
      return alts.length === 0 ? v : this.literalDefault([...alts, { val: v, env: false }]);
    }
    return undefined;
  }

  // ---- Functions of this file that return a string -----------------------------------------------

  /**
   * What `name(args)` returns, for a function declared in this file (followed by bare name, as the
   * incremental contract expects). Each `return` gives one alternative: its first expression,
   * evaluated in the function (parameters stay holes), except a parameter returned as is (the
   * call's argument) and an env read keyed by a parameter (an env read). Returns that also give a
   * non-nil error are not values the caller uses. One alternative is the result; env reads plus one
   * literal give the literal (see literalDefault); alternatives that disagree give undefined (the
   * caller keeps the call as unknown). Tokens minted inside count as minted at the call.
   */
  private helperResult(decl: GoNode, call: GoNode, args: GoNode[], taints: Taint[]): Val | undefined {
    const rets = this.helperReturns(decl);
    if (!rets || rets.length === 0) return undefined;
    const own: Taint[] = [];
    const alts: Alt[] = rets.map((r): Alt => {
      if (r.k === 'param') {
        const val = args[r.index] ? this.eval(args[r.index], own) : { k: 'unknown', range: rangeOf(call) } as Val;
        return { val, env: val.k === 'env' };
      }
      if (r.k === 'env') {
        const key = r.param !== undefined && args[r.param] ? this.eval(args[r.param]) : undefined;
        const name = r.name ?? (key && key.k === 'str' && key.s.complete ? key.s.text : undefined);
        return { val: name !== undefined ? { k: 'env', name, range: rangeOf(call) } : { k: 'unknown', range: rangeOf(call) }, env: true };
      }
      for (const t of r.taints) own.push(isWithin(t.call, decl) ? { ...t, call } : t);
      return { val: r.val, env: r.val.k === 'env' };
    });
    let v: Val | undefined;
    if (alts.every((a) => sameVal(a.val, alts[0].val))) v = alts[0].val;
    else v = this.literalDefault(alts);
    if (!v || v.k === 'unknown' || v.k === 'ident') return undefined;
    taints.push(...own);
    return v;
  }

  private helperReturns(decl: GoNode): HelperReturn[] | undefined {
    const memo = this.helperMemo.get(decl);
    if (memo !== undefined) return memo ?? undefined;
    if (this.activeHelpers.has(decl)) return undefined;
    this.activeHelpers.add(decl);
    let out: HelperReturn[] | null = null;
    try {
      out = this.classifyReturns(decl);
    } finally {
      this.activeHelpers.delete(decl);
    }
    this.helperMemo.set(decl, out);
    return out ?? undefined;
  }

  private classifyReturns(decl: GoNode): HelperReturn[] | null {
    const f = this.f;
    const params: (Def | undefined)[] = [];
    for (const pd of namedKids(field(decl, 'parameters'))) {
      const names = pd.children.filter((c) => c.field === 'name');
      if (names.length === 0) params.push(undefined);
      for (const nm of names) params.push(pd.type === 'parameter_declaration' ? f.defAt(nm) : undefined);
    }
    const paramIndex = (e: GoNode | undefined): number => {
      const x = unparen(e);
      if (!x || x.type !== 'identifier') return -1;
      const d = f.resolve(x);
      return d && d !== 'ambiguous' && d.kind === 'param' ? params.indexOf(d) : -1;
    };
    const result = field(decl, 'result');
    const resultCount = result && result.type === 'parameter_list' ? namedKids(result).reduce((n, pd) => n + Math.max(1, pd.children.filter((c) => c.field === 'name').length), 0) : 1;
    const out: HelperReturn[] = [];
    for (const ret of returnStatements(decl)) {
      const list = exprList(namedKids(ret)[0]);
      if (list.length === 0) return null; // bare return of named results
      if (resultCount > 1 && list.length === resultCount && unparen(list[list.length - 1])?.type !== 'nil') continue;
      const e = list[0];
      const pi = paramIndex(e);
      if (pi >= 0) {
        out.push({ k: 'param', index: pi });
        continue;
      }
      const env = this.envReadOf(e, paramIndex);
      if (env) {
        out.push(env);
        continue;
      }
      const taints: Taint[] = [];
      out.push({ k: 'val', val: this.eval(e, taints), taints });
    }
    return out;
  }

  /** `os.Getenv(key)` (directly or through local variables) whose key is a parameter. */
  private envReadOf(e: GoNode, paramIndex: (e: GoNode | undefined) => number): HelperReturn | undefined {
    let x = unparen(e);
    for (let i = 0; i < 8 && x && x.type === 'identifier'; i++) {
      const d = this.f.resolve(x);
      if (!d || d === 'ambiguous' || !d.value || (d.multi && d.index > 0)) return undefined;
      x = unparen(d.value);
    }
    if (!x || x.type !== 'call_expression') return undefined;
    const q = this.f.calleeOf(x);
    if (!q || q[0] !== 'os' || (q[1] !== 'Getenv' && q[1] !== 'LookupEnv')) return undefined;
    const pi = paramIndex(callArgs(x)[0]);
    return pi >= 0 ? { k: 'env', param: pi } : undefined;
  }

  // ---- strings.Builder / bytes.Buffer ------------------------------------------------------------

  /**
   * The initial content of a builder the variable `obj.def` holds itself (`var b strings.Builder`,
   * `strings.Builder{}`, `&bytes.Buffer{}`, `new(strings.Builder)`, `bytes.NewBufferString(s)`),
   * or undefined when `obj` is not one. Package-level builders are shared state: not followed.
   */
  private builderInit(obj: ObjectRef, taints: Taint[]): SrcString | undefined {
    const n = obj.node;
    const def = obj.def;
    if (!def || !def.fn) return undefined;
    if (def.value) {
      let v = unparen(def.value);
      if (v && v.type === 'unary_expression' && this.f.text(field(v, 'operator') ?? v).trim() === '&') v = unparen(field(v, 'operand'));
      if (v !== n) return undefined;
    }
    const empty = SrcString.exact('', n.start);
    const isBuilder = (q: [string, string] | undefined): boolean => !!q && ((q[0] === 'strings' && q[1] === 'Builder') || (q[0] === 'bytes' && q[1] === 'Buffer'));
    if (n.type === 'var_spec') return field(n, 'type')?.type !== 'pointer_type' && isBuilder(this.typeOf(n)) ? empty : undefined;
    if (n.type === 'composite_literal') return isBuilder(this.typeOf(n)) && namedKids(field(n, 'body')).length === 0 ? empty : undefined;
    if (n.type !== 'call_expression') return undefined;
    const callee = unparen(field(n, 'function'));
    const a = callArgs(n);
    if (callee && callee.type === 'identifier' && this.f.text(callee) === 'new' && !this.f.resolve(callee)) return isBuilder(this.f.qualified(a[0])) ? empty : undefined;
    const q = this.f.calleeOf(n);
    if (!q || q[0] !== 'bytes' || !a[0]) return undefined;
    if (q[1] === 'NewBufferString') return this.str(a[0], taints);
    if (q[1] === 'NewBuffer') return unparen(a[0])?.type === 'nil' ? empty : this.bytesOf(a[0], taints);
    return undefined;
  }

  /** `[]byte(s)` → s; any other byte slice is a hole. */
  private bytesOf(n: GoNode, taints: Taint[]): SrcString {
    const e = unparen(n);
    if (e && e.type === 'type_conversion_expression' && this.f.text(field(e, 'type') ?? e).replace(/\s+/g, '') === '[]byte') {
      const operand = field(e, 'operand');
      if (operand) return this.str(operand, taints);
    }
    return SrcString.hole(rangeOf(n));
  }

  /** A byte or rune: a rune literal (`'?'`), or a known number. */
  private runeOf(n: GoNode, taints: Taint[]): SrcString {
    const e = unparen(n);
    if (e && e.type === 'rune_literal') {
      const body = this.f.src.slice(e.start + 1, e.end - 1);
      if (body.startsWith('\\')) return SrcString.approximate(decodeEscape(body), rangeOf(e));
      return SrcString.exact(body, e.start + 1);
    }
    const v = this.eval(n, taints);
    return v.k === 'num' && Number.isInteger(v.n) && v.n >= 0 && v.n <= 0x10ffff ? SrcString.approximate(String.fromCodePoint(v.n), v.range) : SrcString.hole(rangeOf(n));
  }

  /**
   * `b.String()`: the builder's initial content, then what the writes on its variable before this
   * call add, in source order, in its function. A write that may run zero or several times (in a
   * loop, a branch or a closure that does not also hold the String call) or whose effect is not
   * known (the builder passed to a function) is a hole at that point; a use that lets the builder
   * escape (copied, stored, captured) makes the rest unknown, as does a String call inside a loop
   * below the declaration (earlier iterations wrote too).
   */
  private builderString(obj: ObjectRef, def: Def, call: GoNode, taints: Taint[]): Val | undefined {
    const f = this.f;
    const init = this.builderInit(obj, taints);
    if (!init) return undefined;
    let parts: SrcString[] = [init];
    const hole = (at: GoNode): void => {
      const last = parts[parts.length - 1];
      if (last && last.text === HOLE) return;
      parts.push(SrcString.hole(rangeOf(at)));
    };
    let loop: GoNode | undefined;
    for (let p = call.parent; p && p !== def.block; p = p.parent) if (p.type === 'for_statement' || p.type === 'func_literal') loop = p;
    for (const u of f.identifiersNamed(def.name, def.fn)) {
      if (f.isDefName(u) || isWithin(u, call) || f.resolve(u) !== def) continue;
      const inLoop = !!loop && isWithin(u, loop);
      if (u.start > call.start && !inLoop) break;
      if (inLoop) {
        hole(u);
        break;
      }
      const w = this.builderWrite(u, taints);
      const cond = conditionalBetween(u, call, def.block);
      if (w.k === 'escape' || cond === 'closure') {
        hole(u);
        break;
      }
      if (w.k === 'read') continue;
      if (w.k === 'unknown-all') parts = [SrcString.hole(rangeOf(u))];
      else if (w.k === 'reset') parts = cond ? [SrcString.hole(rangeOf(u))] : [];
      else if (w.k === 'passed' || cond) hole(w.k === 'write' ? w.at : u);
      else parts.push(w.s);
    }
    return { k: 'str', s: SrcString.concat(parts), range: rangeOf(call) };
  }

  /** What one use of a builder variable does to its content. */
  private builderWrite(u: GoNode, taints: Taint[]): BuilderUse {
    const f = this.f;
    const sel = u.parent;
    if (sel && sel.type === 'selector_expression' && u.field === 'operand') {
      const c = sel.parent;
      if (!c || c.type !== 'call_expression' || sel.field !== 'function') return { k: 'escape' };
      const a = callArgs(c);
      switch (f.text(field(sel, 'field') ?? sel)) {
        case 'WriteString': return a[0] ? { k: 'write', s: this.str(a[0], taints), at: c } : { k: 'passed' };
        case 'WriteByte': case 'WriteRune': return a[0] ? { k: 'write', s: this.runeOf(a[0], taints), at: c } : { k: 'passed' };
        case 'Write': return a[0] ? { k: 'write', s: this.bytesOf(a[0], taints), at: c } : { k: 'passed' };
        case 'Reset': return { k: 'reset' };
        case 'String': case 'Len': case 'Cap': case 'Grow': case 'Available': return { k: 'read' };
        // Truncate, reads that consume a bytes.Buffer (Read, ReadString, WriteTo, Next…).
        default: return { k: 'unknown-all' };
      }
    }
    let arg: GoNode = u;
    if (sel && sel.type === 'unary_expression' && f.text(field(sel, 'operator') ?? sel).trim() === '&') arg = sel;
    const list = arg.parent;
    if (!list || list.type !== 'argument_list' || !list.parent) return { k: 'escape' };
    const c = list.parent;
    const q = f.calleeOf(c);
    const a = callArgs(c);
    if (q && q[0] === 'fmt' && a[0] === arg) {
      const rest = a.slice(1);
      const r = rangeOf(c);
      if (q[1] === 'Fprintf' && rest.length > 0) return { k: 'write', s: this.toSrc(this.sprintf(c, rest, taints), c), at: c };
      if (q[1] === 'Fprint') return { k: 'write', s: this.toSrc(this.concat(rest.map((x) => this.eval(x, taints)), r, rest), c), at: c };
      if (q[1] === 'Fprintln') {
        const items: SrcString[] = [];
        rest.forEach((x, i) => {
          if (i > 0) items.push(SrcString.approximate(' ', r));
          items.push(this.str(x, taints));
        });
        items.push(SrcString.approximate('\n', r));
        return { k: 'write', s: SrcString.concat(items), at: c };
      }
    }
    return { k: 'passed' };
  }

  // ---- Parameters bound from the only call; methods of this file's types ---------------------------
  //
  // Service code passes the DSN down (`openWith(dsn)`) and builds it in methods (`c.DSN()`). A
  // parameter of a function or method declared in this file is the argument of its call when the
  // file holds exactly one reference to that function and the reference is a call from elsewhere:
  // no second call, no use as a value, no recursion, no spread. The argument is then the only value
  // this file gives it (callers in other files are not seen; a finding on the literal stays true).
  // Several calls leave it unknown to this evaluator: choosing one would be a guess. Instead, when
  // every reference is such a call (2…MAX_BOUND_CALLS of them, arguments lined up), the function
  // is recorded (multiCallReads) and go/sites.ts makes the sites inside it once per call, each
  // with an evaluator bound to that call (boundTo) — one level: a parameter of another function
  // with several calls stays unknown there. A receiver is the parameter
  // whose argument is the call's operand. `x.M()` is followed into M when x's type is a named type
  // declared once in this file and that type declares M (a receiver, a typed parameter or `var`, a
  // `T{…}` / `&T{…}` literal); otherwise it stays an unknown call. A bound object whose fields may
  // change after its literal (a field assignment, `&x` handed out, a pointer to its type written
  // anywhere in the file) is not used. Values keep the caller's source ranges, so findings land on
  // the caller's literal; the incremental analysis keeps the callers of an edited function.

  private fileIndex?: FileIndex;
  /** callsOf per function (null: not bindable). Shared with the per-call evaluators. */
  private readonly callsMemo: Map<GoNode, readonly GoNode[] | null> = new Map();

  /** Named types, methods and selectors of this file (built on first use). */
  private index(): FileIndex {
    if (this.fileIndex) return this.fileIndex;
    const f = this.f;
    const types = new Map<string, number>();
    const methods = new Map<string, MethodDecl[]>();
    const selectors = new Map<string, GoNode[]>();
    const localTypes: { name: string; fn: GoNode }[] = [];
    const structFields = new Map<string, Map<string, GoNode>>();
    walk(f.root, (n) => {
      if (n.type === 'type_spec' || n.type === 'type_alias') {
        const name = field(n, 'name');
        const fn = enclosingFunction(n);
        if (name && fn) localTypes.push({ name: f.text(name), fn });
        else if (name) {
          types.set(f.text(name), (types.get(f.text(name)) ?? 0) + 1);
          const decls = structFieldsOf(field(n, 'type'));
          if (decls) {
            const fields = new Map<string, GoNode>();
            for (const fd of decls) for (const nm of fd.names) fields.set(f.text(nm), fd.type);
            structFields.set(f.text(name), fields);
          }
        }
      } else if (n.type === 'method_declaration') {
        const name = field(n, 'name');
        const recv = receiverTypeOf(n);
        if (name && recv) {
          const list = methods.get(f.text(name)) ?? [];
          list.push({ decl: n, type: f.text(recv.type), pointer: recv.pointer });
          methods.set(f.text(name), list);
        }
      } else if (n.type === 'selector_expression') {
        const fld = field(n, 'field');
        if (fld) {
          const list = selectors.get(f.text(fld)) ?? [];
          list.push(n);
          selectors.set(f.text(fld), list);
        }
      }
    });
    this.fileIndex = { types, localTypes, methods, selectors, structFields };
    return this.fileIndex;
  }

  /**
   * The name of a package-level type declared once in this file that `t` (or `*t`) names; not
   * when a type of the function around `t` has that name (local types have no methods).
   */
  private namedType(t: GoNode | undefined): string | undefined {
    let x = t;
    if (x && x.type === 'pointer_type') x = namedKids(x)[0];
    if (!x || x.type !== 'type_identifier') return undefined;
    const name = this.f.text(x);
    const ix = this.index();
    if (ix.types.get(name) !== 1) return undefined;
    return ix.localTypes.some((l) => l.name === name && isWithin(x!, l.fn)) ? undefined : name;
  }

  /**
   * The type declared in this file of an expression, when the code says it: a parameter or
   * receiver, a `var` with a type, a `T{…}` / `&T{…}` literal, the result of a function of this
   * file (`cfg := loadConfig()`, `cfg, err := loadConfig()`), a field of a struct of this file
   * (`s.cfg`) — directly or through variables.
   */
  private typeNameOf(expr: GoNode | undefined, depth = 0): string | undefined {
    const e = unparen(expr);
    if (!e || depth > 20) return undefined;
    if (e.type === 'unary_expression') {
      const op = this.f.text(field(e, 'operator') ?? e).trim();
      return op === '&' || op === '*' ? this.typeNameOf(field(e, 'operand'), depth + 1) : undefined;
    }
    if (e.type === 'composite_literal') return this.namedType(field(e, 'type'));
    if (e.type === 'call_expression') return this.namedType(this.resultTypes(e)?.[0]);
    if (e.type === 'selector_expression') {
      const owner = this.typeNameOf(field(e, 'operand'), depth + 1);
      const name = field(e, 'field');
      return owner && name ? this.namedType(this.index().structFields.get(owner)?.get(this.f.text(name))) : undefined;
    }
    if (e.type !== 'identifier') return undefined;
    // Go's types are static: the declaration says it, whatever was assigned since.
    const d = this.f.resolveName(this.f.text(e), e, { declarationsOnly: true });
    if (!d || d === 'ambiguous' || d.kind === 'range') return undefined;
    const declared = d.kind === 'param' || d.kind === 'var' || d.kind === 'const' ? field(d.stmt, 'type') : undefined;
    if (declared) return this.namedType(declared);
    if (d.kind === 'param' || !d.value) return undefined;
    if (d.multi) {
      const v = unparen(d.value);
      return v?.type === 'call_expression' ? this.namedType(this.resultTypes(v)?.[d.index]) : undefined;
    }
    return this.typeNameOf(d.value, depth + 1);
  }

  /**
   * The declared result types of a call of a package-level function of this file, by position
   * (`func load() (Config, error)` → [Config, error]); undefined for anything else.
   */
  private resultTypes(call: GoNode): GoNode[] | undefined {
    const callee = unparen(field(call, 'function'));
    if (!callee || callee.type !== 'identifier' || this.f.resolve(callee)) return undefined;
    const fn = this.f.funcDecls.get(this.f.text(callee));
    const result = fn && fn.parent?.type === 'source_file' ? field(fn, 'result') : undefined;
    if (!result) return undefined;
    if (result.type !== 'parameter_list') return [result];
    const out: GoNode[] = [];
    for (const pd of namedKids(result)) {
      const t = field(pd, 'type');
      if (pd.type !== 'parameter_declaration' || !t) return undefined;
      const names = pd.children.filter((c) => c.field === 'name').length;
      for (let k = 0; k < Math.max(1, names); k++) out.push(t);
    }
    return out;
  }

  /** The method of this file a call `x.M(…)` runs, when x's type is known to declare M. */
  methodOf(call: GoNode): GoNode | undefined {
    const fn = unparen(field(call, 'function'));
    if (!fn || fn.type !== 'selector_expression') return undefined;
    const cands = this.index().methods.get(this.f.text(field(fn, 'field') ?? fn));
    if (!cands) return undefined;
    const t = this.typeNameOf(field(fn, 'operand'));
    const m = t ? cands.filter((c) => c.type === t) : [];
    return m.length === 1 ? m[0].decl : undefined;
  }

  /**
   * The calls of a function or method of this file, when every reference to it in the file is a
   * direct call from outside it (no use as a value, no recursion); undefined otherwise. Several
   * calls are listed only up to MAX_BOUND_CALLS (more: undefined).
   */
  callsOf(fn: GoNode): readonly GoNode[] | undefined {
    const memo = this.callsMemo.get(fn);
    if (memo !== undefined) return memo ?? undefined;
    let calls: readonly GoNode[] | undefined;
    try {
      calls = this.findCalls(fn);
    } finally {
      this.callsMemo.set(fn, calls ?? null);
    }
    return calls;
  }

  private findCalls(fn: GoNode): GoNode[] | undefined {
    const f = this.f;
    const nameNode = field(fn, 'name');
    if (!nameNode) return undefined;
    const name = f.text(nameNode);
    let refs: GoNode[];
    if (fn.type === 'function_declaration') {
      if (f.funcDecls.get(name) !== fn || fn.parent?.type !== 'source_file') return undefined;
      // Every bare mention that no local name shadows: a call, a function value, another call.
      refs = f.identifiersNamed(name).filter((id) => id !== nameNode && !f.resolve(id));
    } else if (fn.type === 'method_declaration') {
      const own = this.index().methods.get(name)?.filter((m) => m.decl === fn)[0];
      if (!own || this.index().methods.get(name)!.filter((m) => m.type === own.type).length !== 1) return undefined;
      // Every `.M` in the file, whatever its operand: a call on another type, a method value.
      refs = [...(this.index().selectors.get(name) ?? [])];
      if (refs.length > MAX_BOUND_CALLS || refs.some((s) => this.typeNameOf(field(s, 'operand')) !== own.type)) return undefined;
    } else return undefined;
    if (refs.length === 0 || refs.length > MAX_BOUND_CALLS) return undefined;
    const calls: GoNode[] = [];
    for (const ref of refs) {
      const call = ref.parent;
      if (!call || call.type !== 'call_expression' || ref.field !== 'function' || isWithin(call, fn)) return undefined;
      calls.push(call);
    }
    return calls;
  }

  /**
   * An evaluator for the sites inside `fn`, with `fn`'s parameters bound to the arguments of
   * `call` (one of callsOf(fn)). Its memos are its own (values under another binding differ);
   * the file index, the call lists and paramReads are shared.
   */
  boundTo(fn: GoNode, call: GoNode): Evaluator {
    return new Evaluator(this.f, { binding: { fn, call }, parent: this });
  }

  /**
   * The argument a parameter (or receiver) of a declared function receives: from the call this
   * evaluator is bound to, or from the function's only call. A function with several calls is
   * recorded in multiCallReads (unbound evaluators only) and its parameters stay unknown here.
   */
  private boundArg(d: Def): GoNode | undefined {
    const fn = d.fn;
    if (!fn || d.stmt.type !== 'parameter_declaration' || (fn.type !== 'function_declaration' && fn.type !== 'method_declaration')) return undefined;
    this.paramReads.add(fn);
    if (this.binding && this.binding.fn === fn) return this.argFor(d, this.binding.call);
    const calls = this.callsOf(fn);
    if (!calls) return undefined;
    if (calls.length === 1) return this.argFor(d, calls[0]);
    // Several calls: bindable per call when every call lines up (else no call's argument is sure).
    if (!this.binding && calls.every((c) => this.argFor(d, c))) this.multiCallReads.add(fn);
    return undefined;
  }

  /** The argument of `call` at the position of parameter `d` (the operand for a receiver). */
  private argFor(d: Def, call: GoNode): GoNode | undefined {
    const list = d.stmt.parent;
    if (!list) return undefined;
    if (list.field === 'receiver') {
      const callee = unparen(field(call, 'function'));
      return callee && callee.type === 'selector_expression' ? field(callee, 'operand') : undefined;
    }
    if (list.field !== 'parameters') return undefined;
    let index = -1;
    let count = 0;
    let variadic = false;
    for (const pd of namedKids(list)) {
      if (pd.type === 'variadic_parameter_declaration') {
        variadic = true;
        continue;
      }
      const names = pd.children.filter((c) => c.field === 'name');
      if (names.length === 0) count++;
      for (const nm of names) {
        if (nm === d.nameNode) index = count;
        count++;
      }
    }
    const args = callArgs(call);
    // `f(g())` with a multi-value g, or a spread `f(xs...)`: positions do not line up.
    if (index < 0 || args.some((a) => a.type === 'variadic_argument')) return undefined;
    if (variadic ? args.length < count : args.length !== count) return undefined;
    return args[index];
  }

  /**
   * A bound parameter's value: the argument evaluated where it is written (its ranges are the
   * caller's). What the caller does not know either stays the parameter (as unbound).
   */
  private boundValue(d: Def, arg: GoNode, unbound: Val, taints: Taint[]): Val {
    this.active.add(d);
    const own: Taint[] = [];
    let val: Val;
    try {
      val = this.eval(arg, own);
      if (val.k === 'unknown' || val.k === 'ident' || (val.k === 'obj' && this.mayChange(d, arg))) val = unbound;
    } finally {
      this.active.delete(d);
    }
    this.memo.set(d, { val, taints: own });
    taints.push(...own);
    return val;
  }

  /**
   * Whether an object bound to parameter `d` from `arg` may not be what its literal says. Checked
   * on the parameter and on each variable the argument goes through: a field assignment, `&v` /
   * `&v.F` handed out (other than as this argument), a method call other than one of this file's
   * value-receiver methods (a pointer method may write it), or — for a pointer — the variable
   * passed on whole. Only code that the evaluation itself reaches is looked at (the callee, the
   * callers, the methods called by name), which is what the incremental analysis keeps.
   */
  private mayChange(d: Def, arg: GoNode): boolean {
    if (this.holderChanges(d, undefined)) return true;
    let e = unparen(arg);
    for (let i = 0; i < 20 && e; i++) {
      if (e.type === 'unary_expression') {
        const op = this.f.text(field(e, 'operator') ?? e).trim();
        if (op !== '&' && op !== '*') return false;
        e = unparen(field(e, 'operand'));
        continue;
      }
      if (e.type !== 'identifier') return false;
      const h = this.f.resolve(e);
      if (h === 'ambiguous') return true;
      if (!h) return false;
      if (this.holderChanges(h, arg)) return true;
      e = unparen(h.value);
    }
    return false;
  }

  /** What mayChange looks for on one variable; `except` is the argument being bound (not a change). */
  private holderChanges(h: Def, except: GoNode | undefined): boolean {
    const f = this.f;
    if (this.fieldAssigns(h).length > 0) return true;
    const declared = field(h.stmt, 'type');
    const pointer = (h.kind === 'param' || h.kind === 'var') && declared ? declared.type === 'pointer_type' : isAddressOf(f, unparen(h.value));
    const methods = this.index().methods;
    const excepted = (n: GoNode): boolean => !!except && isWithin(n, except) && isWithin(except, n);
    for (const u of f.identifiersNamed(h.name, h.fn)) {
      if (f.isDefName(u) || f.resolve(u) !== h) continue;
      let x: GoNode = u;
      while (x.parent && x.parent.type === 'parenthesized_expression') x = x.parent;
      const p = x.parent;
      if (!p || excepted(x)) continue;
      if (p.type === 'selector_expression' && x.field === 'operand') {
        const c = p.parent;
        if (c && c.type === 'call_expression' && p.field === 'function') {
          const m = methods.get(f.text(field(p, 'field') ?? p));
          if (!m || !m.every((md) => !md.pointer)) return true;
          continue;
        }
        // `&v.F…`: a field handed out.
        let top: GoNode = p;
        while (top.parent && top.parent.type === 'selector_expression' && top.field === 'operand') top = top.parent;
        if (top.parent && isAddressOf(f, top.parent)) return true;
        continue;
      }
      if (isAddressOf(f, p) && !excepted(p)) return true;
      if (pointer && (p.type === 'argument_list' || p.type === 'expression_list' || p.type === 'keyed_element' || p.type === 'literal_element' || p.type === 'return_statement')) return true;
    }
    return false;
  }

  /** The function node a callback expression names (func literal or a top-level function). */
  functionOf(expr: GoNode | undefined): GoNode | undefined {
    const e = unparen(expr);
    if (!e) return undefined;
    if (e.type === 'func_literal') return e;
    if (e.type === 'identifier') {
      const d = this.f.resolve(e);
      if (d && d !== 'ambiguous' && d.value) return this.functionOf(d.value);
      if (!d) return this.f.funcDecls.get(this.f.text(e));
    }
    if (isFunctionNode(e)) return e;
    return undefined;
  }
}

/** A method declared in this file, on the named type `type` (`pointer`: `func (x *T) …`). */
interface MethodDecl {
  readonly decl: GoNode;
  readonly type: string;
  readonly pointer: boolean;
}

/** What following methods and bound parameters needs to know about the whole file. */
interface FileIndex {
  /** Package-level type name → how many declarations use it. */
  readonly types: ReadonlyMap<string, number>;
  /** Types declared inside functions (they may shadow a package-level name there). */
  readonly localTypes: readonly { readonly name: string; readonly fn: GoNode }[];
  /** Method name → its declarations. */
  readonly methods: ReadonlyMap<string, readonly MethodDecl[]>;
  /** Field/method name → every selector `x.Name` in the file. */
  readonly selectors: ReadonlyMap<string, readonly GoNode[]>;
  /** Package-level struct type → its named fields' declared types (embedded fields left out). */
  readonly structFields: ReadonlyMap<string, ReadonlyMap<string, GoNode>>;
}

/** One alternative value of a variable or a function result, and whether it is an env read. */
interface Alt {
  readonly val: Val;
  readonly env: boolean;
}

/** One `return` of a function of this file, as helperResult uses it. */
type HelperReturn =
  | { readonly k: 'val'; readonly val: Val; readonly taints: readonly Taint[] }
  /** The parameter at `index`, returned as is. */
  | { readonly k: 'param'; readonly index: number }
  /** An env read keyed by the parameter at `param`. */
  | { readonly k: 'env'; readonly name?: string; readonly param?: number };

/** What a use of a builder variable does (builderWrite). */
type BuilderUse =
  | { readonly k: 'write'; readonly s: SrcString; readonly at: GoNode }
  | { readonly k: 'reset' }
  | { readonly k: 'read' }
  /** Passed to a function: it may write anything. */
  | { readonly k: 'passed' }
  /** A method whose effect on the content is not modelled (Truncate, a consuming read). */
  | { readonly k: 'unknown-all' }
  /** Copied, stored, captured or returned: later writes are out of sight. */
  | { readonly k: 'escape' };

/** `&x` */
function isAddressOf(f: GoFile, n: GoNode | undefined): boolean {
  return !!n && n.type === 'unary_expression' && f.text(field(n, 'operator') ?? n).trim() === '&';
}

/** The same value: the same object, or strings with the same text from the same place. */
function sameVal(a: Val, b: Val): boolean {
  if (a === b) return true;
  if (a.k === 'str' && b.k === 'str') return a.s.text === b.s.text && a.range.start === b.range.start && a.range.end === b.range.end;
  if (a.k === 'env' && b.k === 'env') return a.name === b.name;
  return false;
}

/** Statements that run a use zero or several times relative to a later point. */
const CONDITIONAL = new Set(['for_statement', 'if_statement', 'expression_switch_statement', 'type_switch_statement', 'select_statement']);

/**
 * Whether `u` runs conditionally or repeatedly relative to `at`: a loop, branch or closure around
 * `u`, below `scope`, that does not also hold `at`. The initializer and condition of an `if` run
 * unconditionally.
 */
function conditionalBetween(u: GoNode, at: GoNode, scope: GoNode): 'branch' | 'closure' | undefined {
  let out: 'branch' | undefined;
  let prev = u;
  for (let p = u.parent; p && p !== scope && !isWithin(at, p); prev = p, p = p.parent) {
    if (p.type === 'func_literal') return 'closure';
    if (p.type === 'if_statement' && (prev.field === 'initializer' || prev.field === 'condition')) continue;
    if (CONDITIONAL.has(p.type)) out = 'branch';
  }
  return out;
}

/** Go's url.QueryEscape: unreserved characters kept, space as `+`, everything else %XX (UTF-8). */
export function queryEscape(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const unreserved = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x2d || b === 0x5f || b === 0x2e || b === 0x7e;
    if (unreserved) out += String.fromCharCode(b);
    else if (b === 0x20) out += '+';
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Return statements of a function, not counting those of nested func literals. */
export function returnStatements(fn: GoNode): GoNode[] {
  const out: GoNode[] = [];
  const body = field(fn, 'body');
  if (!body) return out;
  walk(body, (n) => {
    if (n.type === 'func_literal') return false;
    if (n.type === 'return_statement') out.push(n);
  });
  return out;
}
