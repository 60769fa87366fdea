/**
 * Value resolution within one TS/JS file: turns an expression into a Val (values.ts).
 *
 * Names are resolved by the language's scoping rules (ts/scope.ts, checked against the compiler's
 * own checker): the nearest enclosing declaration wins, destructuring and shorthand properties
 * resolve like the language does. The evaluator follows
 * const/let/var initializers, object literals (spreads merged in order), `process.env` reads,
 * concatenation, template literals and a few conversions (`String`, `Number`, `parseInt`,
 * `await`, type assertions). Anything else becomes an `ident`, `call` or `unknown` Val — never a
 * guess.
 *
 * Values are followed into this file's functions the way service code passes them (see
 * `callSiteOf` for the exact rule):
 *   - a parameter of a function (not of a method) is the argument of the function's one call in
 *     the file (or its default when that call leaves it out) — a spread argument, recursion, or
 *     the function used as a value (other than exported) leave it unknown; destructured
 *     parameters read the argument object. A function called two to eight times is read once
 *     per call instead: the site finder asks which functions' parameters a site read (tracked)
 *     and reads it again under each call's arguments (perCallBindings, withBinding);
 *   - a call of a local function, of a method through `this.m()` in its class, or of a method of
 *     a const object literal (`cfg.dsn()`) is what the function returns, when it has one return
 *     and that evaluates to a definite value (a string, number, object, env read…); otherwise it
 *     stays a `call` Val.
 * Values from a caller keep their own source ranges (the literal at the call site), so findings
 * land there and incremental re-analysis (engine/incremental.ts) sees which code they came from.
 *
 * Besides values it answers "which module member is this expression?" (moduleRef), which the
 * driver recogniser uses to tell `new pg.Pool` from any other `Pool`.
 *
 * Recursion is bounded (MAX_DEPTH) and cycles (`const a = a + 'x'`) end in `ident`.
 */
import * as ts from 'typescript';
import { tsApi } from './api';
import { Range } from '../../model';
import { SrcString } from '../../srcstring';
import { Prop, Val } from '../values';
import { holeRange, literalString, nodeRange, templatePart } from './strings';
import { Scopes } from './scope';

const MAX_DEPTH = 40;
/** Most calls of one function read one by one (perCallBindings); more leave its parameters unknown. */
const MAX_BINDINGS = 8;
/** Upper bound on the nodes nameIndex visits (like the extractor's own walk). */
const MAX_INDEXED_NODES = 2_000_000;
/** A key ConfigService.get reads as an environment variable name (configServiceRead). */
const ENV_STYLE_KEY = /^[A-Z][A-Z0-9_]*$/;
/** Modifiers that make a constructor parameter a class property. */
const PARAMETER_PROPERTY_MODIFIERS = [tsApi.SyntaxKind.PrivateKeyword, tsApi.SyntaxKind.ProtectedKeyword, tsApi.SyntaxKind.PublicKeyword, tsApi.SyntaxKind.ReadonlyKeyword];

/** A module member: `import { Pool } from 'pg'` → { module: 'pg', path: ['Pool'] }. */
export interface ModuleRef {
  readonly module: string;
  /** Member path, with a leading `default` removed (CommonJS modules are their own default). */
  readonly path: readonly string[];
}

export function unwrap(e: ts.Expression): ts.Expression {
  for (let i = 0; i < MAX_DEPTH; i++) {
    if (tsApi.isParenthesizedExpression(e) || tsApi.isAsExpression(e) || tsApi.isNonNullExpression(e) ||
        tsApi.isTypeAssertionExpression(e) || tsApi.isSatisfiesExpression(e)) {
      e = e.expression;
    } else {
      return e;
    }
  }
  return e;
}

/** The name of a property key as written, or undefined for a computed key we cannot read. */
export function propName(name: ts.PropertyName | ts.BindingName | undefined): string | undefined {
  if (!name) return undefined;
  if (tsApi.isIdentifier(name) || tsApi.isStringLiteral(name) || tsApi.isNumericLiteral(name) || tsApi.isNoSubstitutionTemplateLiteral(name)) return name.text;
  if (tsApi.isComputedPropertyName(name)) {
    const e = unwrap(name.expression);
    if (tsApi.isStringLiteral(e) || tsApi.isNoSubstitutionTemplateLiteral(e)) return e.text;
  }
  return undefined;
}

/** `process.env` written directly (not shadowed by a local `process`). */
function isProcessEnv(e: ts.Expression): boolean {
  e = unwrap(e);
  return tsApi.isPropertyAccessExpression(e) && e.name.text === 'env' && tsApi.isIdentifier(e.expression) && e.expression.text === 'process';
}

/** The env variable read by `process.env.X` / `process.env['X']`, if that is what `e` is. */
export function envRead(e: ts.Expression): string | undefined {
  e = unwrap(e);
  if (tsApi.isPropertyAccessExpression(e) && isProcessEnv(e.expression)) return e.name.text;
  if (tsApi.isElementAccessExpression(e) && isProcessEnv(e.expression)) {
    const a = unwrap(e.argumentExpression);
    if (tsApi.isStringLiteral(a) || tsApi.isNoSubstitutionTemplateLiteral(a)) return a.text;
  }
  return undefined;
}

export class Evaluator {
  /** str Vals that are exactly one literal in the source (for secret-literal observations). */
  readonly literalVals = new WeakSet<Val>();
  /** Each Prop's value expression at the place the property is written (use site). */
  readonly propExpr = new WeakMap<Prop, ts.Node>();
  /**
   * Memoized values (memo) and, per entry, the functions whose parameters it read. One pair per
   * parameter binding (withBinding): a value read under one caller's arguments is never reused
   * under another's.
   */
  private cache = new Map<ts.Node, Val>();
  private reads = new Map<ts.Node, ReadonlySet<Callable>>();
  private readonly visiting = new Set<ts.Node>();
  /** The evaluations in progress that record parameter reads (tracked, memo), innermost last. */
  private readonly readers: Set<Callable>[] = [];
  /** withBinding: the function whose parameters are bound to `call`'s arguments. */
  private binding: { readonly fn: Callable; readonly call: ts.CallExpression } | undefined;
  /** directCalls, per function (null: not known). */
  private readonly callSites = new Map<ts.Node, readonly ts.CallExpression[] | null>();
  /** Functions whose parameters were looked up (Extraction.paramReads). */
  readonly paramReads = new Set<Callable>();
  /** Code read without leaving a range in the output (Extraction.evidence). */
  readonly evidence: Range[] = [];
  /** reassigned(), per declaration. */
  private readonly assignments = new Map<ts.Node, boolean>();
  /** nameIndex (null: the file is too large to index every use). */
  private names: NameIndex | null | undefined;

  private readonly scopes: Scopes;

  constructor(readonly sf: ts.SourceFile) {
    this.scopes = new Scopes(sf);
  }

  range(n: ts.Node): Range {
    return nodeRange(n, this.sf);
  }

  /** Callee text with whitespace removed: `signer . getAuthToken` → `signer.getAuthToken`. */
  calleeText(e: ts.Node, depth = 0): string {
    // Built from names only, so that no argument (possibly a secret literal) ends up in the text.
    if (depth > 20) return '…';
    if (tsApi.isIdentifier(e) || tsApi.isPrivateIdentifier(e)) return e.text;
    if (e.kind === tsApi.SyntaxKind.ThisKeyword) return 'this';
    if (e.kind === tsApi.SyntaxKind.SuperKeyword) return 'super';
    if (tsApi.isParenthesizedExpression(e) || tsApi.isNonNullExpression(e) || tsApi.isAsExpression(e) || tsApi.isAwaitExpression(e)) return this.calleeText(e.expression, depth + 1);
    if (tsApi.isPropertyAccessExpression(e)) return `${this.calleeText(e.expression, depth + 1)}.${e.name.text}`;
    if (tsApi.isElementAccessExpression(e)) {
      const a = unwrap(e.argumentExpression);
      const k = tsApi.isStringLiteral(a) || tsApi.isNumericLiteral(a) ? a.text : '…';
      return `${this.calleeText(e.expression, depth + 1)}[${JSON.stringify(k)}]`;
    }
    if (tsApi.isCallExpression(e)) return `${this.calleeText(e.expression, depth + 1)}()`;
    if (tsApi.isNewExpression(e)) return `new${this.calleeText(e.expression, depth + 1)}()`;
    return '…';
  }

  /** The declaration an identifier refers to (nearest enclosing scope), if any. */
  declOf(id: ts.Identifier): ts.Declaration | undefined {
    // A shorthand property `{ password }` names the variable `password` in scope, like any use.
    return this.scopes.resolve(id);
  }

  /** The expression a variable's value comes from (its initializer), following plain aliases. */
  initializerOf(id: ts.Identifier): ts.Expression | undefined {
    const d = this.declOf(id);
    if (d && tsApi.isVariableDeclaration(d) && tsApi.isIdentifier(d.name) && d.initializer) return d.initializer;
    // A parameter's value comes from the argument of the function's one call (or its default).
    if (d && isParameter(d) && tsApi.isIdentifier(d.name)) return this.argumentOf(d)?.expr;
    return undefined;
  }

  eval(node: ts.Expression, depth = 0): Val {
    const r = this.range(node);
    if (depth > MAX_DEPTH) return { k: 'unknown', range: r };
    const d = depth + 1;
    const e = node;
    if (tsApi.isParenthesizedExpression(e) || tsApi.isAsExpression(e) || tsApi.isNonNullExpression(e) ||
        tsApi.isTypeAssertionExpression(e) || tsApi.isSatisfiesExpression(e)) {
      return this.eval(e.expression, d);
    }
    if (tsApi.isStringLiteral(e) || tsApi.isNoSubstitutionTemplateLiteral(e)) {
      const v: Val = { k: 'str', s: literalString(e, this.sf), range: r };
      this.literalVals.add(v);
      return v;
    }
    if (tsApi.isTemplateExpression(e)) return this.evalTemplate(e, d);
    if (tsApi.isNumericLiteral(e)) return { k: 'num', n: Number(e.text), range: r };
    if (e.kind === tsApi.SyntaxKind.TrueKeyword) return { k: 'bool', b: true, range: r };
    if (e.kind === tsApi.SyntaxKind.FalseKeyword) return { k: 'bool', b: false, range: r };
    if (e.kind === tsApi.SyntaxKind.NullKeyword) return { k: 'null', range: r };
    if (tsApi.isPrefixUnaryExpression(e)) {
      const v = this.eval(e.operand, d);
      if (e.operator === tsApi.SyntaxKind.MinusToken && v.k === 'num') return { k: 'num', n: -v.n, range: r };
      if (e.operator === tsApi.SyntaxKind.PlusToken) return this.toNumber(v, r);
      if (e.operator === tsApi.SyntaxKind.ExclamationToken) {
        if (v.k === 'bool') return { k: 'bool', b: !v.b, range: r };
        if (v.k === 'num') return { k: 'bool', b: v.n === 0, range: r }; // `!0`, `!1` minifier style
      }
      return { k: 'unknown', range: r };
    }
    if (tsApi.isObjectLiteralExpression(e)) return this.evalObject(e, d);
    if (tsApi.isArrayLiteralExpression(e)) {
      const items: Val[] = [];
      for (const el of e.elements) {
        if (tsApi.isSpreadElement(el)) {
          const v = this.eval(el.expression, d);
          if (v.k === 'arr') items.push(...v.items);
          else items.push({ k: 'unknown', range: this.range(el) });
        } else if (!tsApi.isOmittedExpression(el)) {
          items.push(this.eval(el, d));
        }
      }
      return { k: 'arr', items, range: r };
    }
    if (tsApi.isArrowFunction(e) || tsApi.isFunctionExpression(e)) return this.fnVal(e, r);
    if (tsApi.isIdentifier(e)) return this.evalIdentifier(e, d);
    if (tsApi.isAwaitExpression(e)) {
      const v = this.eval(e.expression, d);
      return v.k === 'call' ? { ...v, awaited: true } : v;
    }
    if (tsApi.isPropertyAccessExpression(e) || tsApi.isElementAccessExpression(e)) return this.evalAccess(e, d);
    if (tsApi.isCallExpression(e)) return this.evalCall(e, d);
    if (tsApi.isBinaryExpression(e)) return this.evalBinary(e, d);
    return { k: 'unknown', range: r };
  }

  fnVal(fn: ts.FunctionLikeDeclaration, r: Range): Val {
    const calls: string[] = [];
    const body = fn.body;
    if (body) {
      const stack: ts.Node[] = [body];
      let budget = 5000;
      while (stack.length && budget-- > 0) {
        const n = stack.pop()!;
        if (tsApi.isCallExpression(n)) {
          const t = this.calleeText(n.expression);
          if (!calls.includes(t)) calls.push(t);
        }
        tsApi.forEachChild(n, (c) => {
          stack.push(c);
        });
      }
      calls.reverse();
    }
    return { k: 'fn', range: r, calls, body: body ? this.range(body) : r };
  }

  private evalTemplate(e: ts.TemplateExpression, d: number): Val {
    const parts: SrcString[] = [templatePart(e.head, this.sf)];
    e.templateSpans.forEach((span, i) => {
      const hole = holeRange(e, i, this.sf);
      parts.push(this.toSrc(this.eval(span.expression, d), hole));
      parts.push(templatePart(span.literal, this.sf));
    });
    return { k: 'str', s: SrcString.concat(parts), range: this.range(e) };
  }

  /** A Val as string content; unknown values become one HOLE standing at `use`. */
  toSrc(v: Val, use: Range): SrcString {
    switch (v.k) {
      case 'str':
        return v.s;
      case 'num':
        return SrcString.approximate(String(v.n), v.range);
      case 'bool':
        return SrcString.approximate(String(v.b), v.range);
      case 'null':
        return SrcString.approximate('null', v.range);
      default:
        return SrcString.hole(use);
    }
  }

  private toNumber(v: Val, r: Range): Val {
    if (v.k === 'num' || v.k === 'env') return v;
    if (v.k === 'str' && v.s.complete && v.s.text.trim() !== '' && !Number.isNaN(Number(v.s.text))) {
      return { k: 'num', n: Number(v.s.text), range: v.range };
    }
    return { k: 'unknown', range: r };
  }

  private evalObject(e: ts.ObjectLiteralExpression, d: number): Val {
    const props: Prop[] = [];
    let open = false;
    for (const p of e.properties) {
      if (tsApi.isSpreadAssignment(p)) {
        // Spread first, later keys override: prop() takes the last one.
        const v = this.eval(p.expression, d);
        if (v.k === 'obj') {
          props.push(...v.props);
          if (v.open) open = true;
        } else {
          // Unknown keys: any property written before may be overridden, any other may be set.
          props.length = 0;
          open = true;
        }
        continue;
      }
      const key = propName(p.name);
      if (key === undefined) continue;
      let value: Val;
      let valueNode: ts.Node;
      if (tsApi.isPropertyAssignment(p)) {
        value = this.eval(p.initializer, d);
        valueNode = p.initializer;
      } else if (tsApi.isShorthandPropertyAssignment(p)) {
        value = this.evalIdentifier(p.name, d);
        valueNode = p.name;
      } else if (tsApi.isMethodDeclaration(p) || tsApi.isGetAccessorDeclaration(p)) {
        value = this.fnVal(p, this.range(p));
        valueNode = p;
      } else {
        continue;
      }
      const prop: Prop = { key, keyRange: this.range(p.name), value, range: this.range(p) };
      this.propExpr.set(prop, valueNode);
      props.push(prop);
    }
    return { k: 'obj', props, range: this.range(e), ...(open ? { open } : {}) };
  }

  private evalIdentifier(id: ts.Identifier, d: number): Val {
    const r = this.range(id);
    if (id.text === 'undefined') return { k: 'ident', name: 'undefined', range: r };
    const decl = this.declOf(id);
    if (!decl) return { k: 'ident', name: id.text, range: r };
    if (tsApi.isFunctionDeclaration(decl)) return this.fnVal(decl, this.range(decl));
    if ((tsApi.isVariableDeclaration(decl) || isParameter(decl)) && this.reassigned(decl)) return { k: 'ident', name: id.text, range: r };
    if (tsApi.isVariableDeclaration(decl) && tsApi.isIdentifier(decl.name) && decl.initializer) {
      return this.memo(decl, d, () => this.eval(decl.initializer!, d)) ?? { k: 'ident', name: id.text, range: r };
    }
    if (tsApi.isBindingElement(decl)) {
      return this.memo(decl, d, () => this.evalBinding(decl, d)) ?? { k: 'ident', name: id.text, range: r };
    }
    if (isParameter(decl)) {
      return this.memo(decl, d, () => this.evalParam(decl, d)) ?? { k: 'ident', name: id.text, range: r };
    }
    return { k: 'ident', name: id.text, range: r };
  }

  /**
   * Whether a `let`/`var` variable or a parameter is assigned after its declaration (`=`, `+=`,
   * `??=`, `++`, a destructuring or `for…of` target) anywhere in the file: its initializer or
   * argument is then not its value, and it stays unknown. The assignments are recorded as
   * evidence (Extraction.evidence), so that incremental analysis keeps the code holding them.
   * A file too large to index counts as assigned.
   */
  private reassigned(decl: ts.VariableDeclaration | ts.ParameterDeclaration): boolean {
    if (!tsApi.isIdentifier(decl.name)) return false;
    if (tsApi.isVariableDeclaration(decl) && isConst(decl)) return false;
    const known = this.assignments.get(decl);
    if (known !== undefined) return known;
    const names = this.nameIndex();
    let hit = !names;
    for (const id of names?.idents.get(decl.name.text) ?? []) {
      if (id === decl.name || !isAssignmentTarget(id) || this.declOf(id) !== decl) continue;
      hit = true;
      this.evidence.push(this.range(id));
    }
    this.assignments.set(decl, hit);
    return hit;
  }

  /**
   * A parameter's value: the argument its function's one call passes (callSiteOf), or the
   * parameter's default when the call leaves the argument out (or passes `undefined`).
   * Not bound: an `ident` named like the parameter, as for any value we cannot see.
   */
  private evalParam(p: ts.ParameterDeclaration, d: number): Val {
    const r = this.range(p.name);
    const name = tsApi.isIdentifier(p.name) ? p.name.text : this.calleeText(p.name);
    const arg = this.argumentOf(p);
    if (!arg) return { k: 'ident', name, range: r };
    if (arg.expr) return this.eval(arg.expr, d);
    return { k: 'ident', name: 'undefined', range: arg.absentAt };
  }

  /**
   * The expression a parameter is bound to by its function's one call in the file: the argument
   * at its position, or the default (`= …`) when the argument is absent or `undefined`. `expr`
   * is undefined (with where) when the argument is absent and there is no default. Undefined
   * when the parameter is not bound (no single call, a rest parameter, a spread argument).
   * Under withBinding, the bound function's parameters are that call's arguments instead.
   * Every look-up is recorded (paramReads; and for tracked(), bound or not), so that a site whose
   * value waits on a several-times-called function can be read once per call (perCallBindings).
   */
  private argumentOf(p: ts.ParameterDeclaration): { expr?: ts.Expression; absentAt: Range } | undefined {
    const fn = p.parent;
    if (p.dotDotDotToken || !isCallable(fn)) return undefined;
    this.paramReads.add(fn);
    this.readers[this.readers.length - 1]?.add(fn);
    const call = this.binding?.fn === fn ? this.binding.call : this.callSiteOf(fn);
    if (!call) return undefined;
    // TypeScript's `this: T` parameter is not an argument.
    const first = fn.parameters[0];
    const skip = first && tsApi.isIdentifier(first.name) && first.name.text === 'this' ? 1 : 0;
    const i = fn.parameters.indexOf(p) - skip;
    if (i < 0) return undefined;
    for (let k = 0; k <= i && k < call.arguments.length; k++) if (tsApi.isSpreadElement(call.arguments[k])) return undefined;
    const a = call.arguments[i];
    const absent = !a || (tsApi.isIdentifier(unwrap(a)) && (unwrap(a) as ts.Identifier).text === 'undefined' && !this.declOf(unwrap(a) as ts.Identifier));
    if (!absent) return { expr: a, absentAt: this.range(a) };
    const absentAt = a ? this.range(a) : this.range(call);
    return p.initializer ? { expr: p.initializer, absentAt } : { absentAt };
  }

  /**
   * The one call in this file that binds `fn`'s parameters, or undefined. Exact rule (precision
   * first: a value from the wrong call would be a wrong finding):
   *   - `fn` is reached by name through scope resolution — a function declaration, or a function
   *     or arrow expression that is a variable's initializer — or is called where it is written
   *     (an IIFE). Methods are not: their calls are `.m` accesses anywhere in the file;
   *   - every use of that name in the file is a direct call, an export (`export default f`,
   *     `export { f }`, `module.exports = { f }`), or a type query (`typeof f`): a function
   *     passed around as a value may be called with anything;
   *   - there is exactly one call, outside `fn` itself (no recursion).
   * Two or more such calls bind the parameters one call at a time instead (perCallBindings).
   */
  callSiteOf(fn: Callable): ts.CallExpression | undefined {
    const calls = this.directCalls(fn);
    return calls?.length === 1 ? calls[0] : undefined;
  }

  /**
   * The calls to read a site in `fn` under, one binding each (withBinding), when `fn` is called
   * 2…MAX_BINDINGS times in the file by the rule of callSiteOf (every use a direct call or an
   * export, none inside `fn`) and no call spreads its arguments. Undefined otherwise: one call
   * binds directly (callSiteOf), and anything else leaves the parameters unknown.
   */
  perCallBindings(fn: Callable): readonly ts.CallExpression[] | undefined {
    const calls = this.directCalls(fn);
    if (!calls || calls.length < 2 || calls.length > MAX_BINDINGS) return undefined;
    if (calls.some((c) => c.arguments.some((a) => tsApi.isSpreadElement(a)))) return undefined;
    return calls;
  }

  /** Every call of `fn` in the file, when all its uses are known and none is inside `fn` (cached; undefined: not known). */
  private directCalls(fn: Callable): readonly ts.CallExpression[] | undefined {
    let hit = this.callSites.get(fn);
    if (hit === undefined) {
      hit = this.findDirectCalls(fn) ?? null;
      this.callSites.set(fn, hit);
    }
    return hit ?? undefined;
  }

  private findDirectCalls(fn: Callable): ts.CallExpression[] | undefined {
    const calls: ts.CallExpression[] = [];
    const outer = outerExpression(fn);
    if (!tsApi.isFunctionDeclaration(fn) && !tsApi.isMethodDeclaration(fn) && tsApi.isCallExpression(outer.parent) && outer.parent.expression === outer) {
      // An IIFE: `(function (url) {…})('…')`; a named function expression may call itself.
      if (tsApi.isFunctionExpression(fn) && fn.name) return undefined;
      calls.push(outer.parent);
    } else {
      const names = this.nameIndex();
      if (!names) return undefined;
      const bare = bareBinding(fn, outer);
      // A method's parameters are not bound: its calls are `.m` accesses anywhere in the file,
      // which incremental analysis (engine/incremental.ts) cannot keep in view for common names.
      if (!bare) return undefined;
      for (const id of names.idents.get(bare.name.text) ?? []) {
        if (id === bare.name || this.declOf(id) !== bare.decl) continue;
        const use = bareUse(id);
        if (use === 'escape') return undefined;
        if (use) calls.push(use);
      }
    }
    if (calls.length === 0 || calls.some((call) => fn.pos <= call.pos && call.end <= fn.end)) return undefined;
    return calls.sort((a, b) => a.pos - b.pos);
  }

  /**
   * `f()` with the functions whose parameters it looked up (argumentOf), also through values
   * memoized before: what decides whether a site is read once per call (perCallBindings).
   */
  tracked<T>(f: () => T): { value: T; reads: ReadonlySet<Callable> } {
    const reads = new Set<Callable>();
    this.readers.push(reads);
    try {
      return { value: f(), reads };
    } finally {
      this.readers.pop();
      this.noteReads(reads);
    }
  }

  /**
   * `f()` with `fn`'s parameters bound to `call`'s arguments (one of perCallBindings), on a memo
   * of its own: values read under one binding never leak into another or into unbound reads.
   * One level: the arguments themselves are read by the usual rule (a parameter of another
   * several-times-called function in them stays unknown). Not nested.
   */
  withBinding<T>(fn: Callable, call: ts.CallExpression, f: () => T): T {
    const saved = { binding: this.binding, cache: this.cache, reads: this.reads };
    this.binding = { fn, call };
    this.cache = new Map();
    this.reads = new Map();
    try {
      return f();
    } finally {
      this.binding = saved.binding;
      this.cache = saved.cache;
      this.reads = saved.reads;
    }
  }

  /** Adds parameter reads to the innermost evaluation that records them. */
  private noteReads(fns: ReadonlySet<Callable> | undefined): void {
    const top = this.readers[this.readers.length - 1];
    if (top && fns) for (const fn of fns) top.add(fn);
  }

  /** Identifiers and `.name` accesses of the whole file by name (built on first need; undefined if the file is too large to index). */
  private nameIndex(): NameIndex | undefined {
    if (this.names === undefined) {
      const idents = new Map<string, ts.Identifier[]>();
      const members = new Map<string, ts.Node[]>();
      const add = <T>(m: Map<string, T[]>, k: string, v: T): void => {
        const l = m.get(k);
        if (l) l.push(v);
        else m.set(k, [v]);
      };
      const stack: ts.Node[] = [this.sf];
      let budget = MAX_INDEXED_NODES;
      let complete = true;
      const dynamicWrites: ts.Node[] = [];
      while (stack.length > 0) {
        if (budget-- <= 0) {
          complete = false;
          break;
        }
        const n = stack.pop()!;
        if (tsApi.isIdentifier(n)) add(idents, n.text, n);
        else if (tsApi.isPropertyAccessExpression(n)) add(members, n.name.text, n);
        else if (tsApi.isElementAccessExpression(n)) {
          const a = unwrap(n.argumentExpression);
          // A computed key we cannot read may be any member: assigned to (`x[k] = …`), it may
          // replace a method (read, it replaces nothing). MentionReader (ts/outline.ts) marks a
          // unit holding such an assignment `fileWide`, so that slices never leave it out.
          if (tsApi.isStringLiteral(a) || tsApi.isNoSubstitutionTemplateLiteral(a)) add(members, a.text, n);
          else if (!tsApi.isNumericLiteral(a) && isAssignedTo(n)) dynamicWrites.push(n);
        }
        tsApi.forEachChild(n, (c) => {
          stack.push(c);
        });
      }
      this.names = complete ? { idents, members, dynamicWrites } : null;
    }
    return this.names ?? undefined;
  }

  /**
   * The function a call runs, when it is declared in this file and nothing can replace it:
   * a function declaration or const-bound function, `this.m(…)` in m's class (not overridden by
   * a subclass in the file, never assigned), `obj.m(…)` on a const object literal (never assigned).
   */
  private calleeFunction(call: ts.CallExpression): Callable | undefined {
    const callee = unwrap(call.expression);
    if (tsApi.isIdentifier(callee)) {
      const decl = this.declOf(callee);
      if (decl && tsApi.isFunctionDeclaration(decl) && decl.body) return decl;
      if (decl && tsApi.isVariableDeclaration(decl) && isConst(decl) && decl.initializer) {
        const f = unwrap(decl.initializer);
        if (tsApi.isArrowFunction(f) || tsApi.isFunctionExpression(f)) return f;
      }
      return undefined;
    }
    if (!tsApi.isPropertyAccessExpression(callee)) return undefined;
    const name = callee.name.text;
    const recv = unwrap(callee.expression);
    let target: Callable | undefined;
    let cls: { cls: ts.ClassLikeDeclaration; isStatic: boolean } | undefined;
    if (recv.kind === tsApi.SyntaxKind.ThisKeyword) {
      cls = thisOwner(recv);
      if (!cls) return undefined;
      target = classMember(cls.cls, name, cls.isStatic);
    } else if (tsApi.isIdentifier(recv)) {
      const decl = this.declOf(recv);
      if (!decl || !tsApi.isVariableDeclaration(decl) || !isConst(decl) || !decl.initializer) return undefined;
      const obj = unwrap(decl.initializer);
      if (!tsApi.isObjectLiteralExpression(obj)) return undefined;
      target = objectMember(obj, name);
    }
    if (!target) return undefined;
    // Whatever the answer below, it reads every `.name` in the file (assignments, overrides):
    // recorded on the member found, so that incremental analysis keeps those accesses in view.
    this.paramReads.add(target);
    // Both questions asked (not one short-circuiting the other): each records the code its
    // answer rests on, and a later edit may take away one answer but not the other.
    const overridden = cls !== undefined && this.overriddenInFile(cls.cls, name);
    const assigned = this.assignedMember(name);
    return overridden || assigned ? undefined : target;
  }

  /**
   * `x.name = …` (or `x['name'] = …`, or `x[k] = …` with any other key) somewhere in the file, or
   * the file too large to tell. The assignments that answer it are recorded as evidence
   * (Extraction.evidence), so that incremental analysis keeps the code holding them.
   */
  private assignedMember(name: string): boolean {
    const names = this.nameIndex();
    if (!names) return true;
    let hit = false;
    for (const acc of [...(names.members.get(name) ?? []).filter((a) => isAssignedTo(a as ts.Expression)), ...names.dynamicWrites]) {
      hit = true;
      this.evidence.push(this.range(acc));
    }
    return hit;
  }

  /**
   * A class in this file that extends `cls` (by name) and declares its own member `name`; the
   * overriding member is recorded as evidence (as for assignedMember).
   */
  private overriddenInFile(cls: ts.ClassLikeDeclaration, name: string): boolean {
    const names = this.nameIndex();
    if (!names) return true;
    if (!cls.name) return false;
    let hit = false;
    for (const id of names.idents.get(cls.name.text) ?? []) {
      const h = id.parent;
      if (h.kind !== tsApi.SyntaxKind.ExpressionWithTypeArguments || h.parent.kind !== tsApi.SyntaxKind.HeritageClause || (h.parent as ts.HeritageClause).token !== tsApi.SyntaxKind.ExtendsKeyword) continue;
      const sub = h.parent.parent;
      if (!tsApi.isClassLike(sub)) continue;
      for (const m of sub.members) {
        if (m.name && propName(m.name) === name) {
          hit = true;
          this.evidence.push(this.range(m));
        }
      }
    }
    return hit;
  }

  /**
   * What a call of a local function evaluates to (calleeFunction): its one returned expression,
   * when that is a definite value. An async function's result only through `await`. Undefined
   * (the caller keeps its `call` Val) otherwise: a call we cannot see through is never a guess.
   */
  private returnedValue(call: ts.CallExpression, d: number): Val | undefined {
    const fn = this.calleeFunction(call);
    if (!fn || fn.asteriskToken) return undefined;
    const isAsync = hasModifier(fn, tsApi.SyntaxKind.AsyncKeyword);
    if (isAsync && !tsApi.isAwaitExpression(outerExpression(call).parent)) return undefined;
    const results = returnedExpressions(fn);
    if (!results || results.length !== 1) return undefined;
    const v = this.memo(fn, d, () => this.eval(results[0], d));
    if (!v) return undefined;
    switch (v.k) {
      case 'str':
      case 'num':
      case 'bool':
      case 'null':
      case 'env':
      case 'obj':
      case 'arr':
        return v;
    }
    return undefined;
  }

  /** `f()` once per declaration (and binding); a memoized value passes on the parameter reads it was made from. */
  private memo(decl: ts.Node, _d: number, f: () => Val): Val | undefined {
    const hit = this.cache.get(decl);
    if (hit) {
      this.noteReads(this.reads.get(decl));
      return hit;
    }
    if (this.visiting.has(decl)) return undefined;
    this.visiting.add(decl);
    const reads = new Set<Callable>();
    this.readers.push(reads);
    try {
      const v = f();
      this.cache.set(decl, v);
      if (reads.size > 0) this.reads.set(decl, reads);
      return v;
    } finally {
      this.readers.pop();
      this.noteReads(reads);
      this.visiting.delete(decl);
    }
  }

  /** `const { a: b = dflt } = source` and nested patterns. */
  private evalBinding(be: ts.BindingElement, d: number): Val {
    const r = this.range(be);
    const pattern = be.parent;
    if (!tsApi.isObjectBindingPattern(pattern)) return { k: 'unknown', range: r };
    const key = propName(be.propertyName ?? be.name);
    if (key === undefined) return { k: 'unknown', range: r };
    const container = pattern.parent;
    let source: Val | undefined;
    if (tsApi.isVariableDeclaration(container) && container.initializer) {
      if (isProcessEnv(container.initializer)) return { k: 'env', name: key, range: r };
      source = this.eval(container.initializer, d);
    } else if (tsApi.isBindingElement(container)) {
      source = this.memo(container, d, () => this.evalBinding(container, d));
    } else if (isParameter(container)) {
      // `function f({ url, ssl })`: the argument of the one call (evalParam), if bound.
      const p = container;
      if (!this.argumentOf(p)) return { k: 'unknown', range: r };
      source = this.memo(p, d, () => this.evalParam(p, d));
      if (!source || (source.k !== 'obj' || source.open)) return { k: 'unknown', range: r };
    }
    if (!source) return { k: 'unknown', range: r };
    if (source.k === 'obj') {
      for (let i = source.props.length - 1; i >= 0; i--) if (source.props[i].key === key) return source.props[i].value;
    }
    // `const { token } = await credential.getToken(scope)`: the token is the call's result.
    if (source.k === 'call' && key === 'token') return source;
    if (be.initializer) return this.eval(be.initializer, d);
    return { k: 'ident', name: key, range: r };
  }

  /**
   * `env` in `env.DATABASE_URL` where `const env = schema.parse(process.env)` (zod),
   * `cleanEnv(process.env, {…})` (envalid) and the like: a call that takes process.env itself and
   * hands back its variables by name, so a property read is that variable's env read.
   */
  private parsesProcessEnv(obj: ts.Expression): boolean {
    const o = unwrap(obj);
    if (!tsApi.isIdentifier(o)) return false;
    let init = this.initializerOf(o);
    if (init && tsApi.isAwaitExpression(init)) init = init.expression;
    init = init && unwrap(init);
    return !!init && tsApi.isCallExpression(init) && init.arguments.some((a) => isProcessEnv(a));
  }

  private evalAccess(e: ts.PropertyAccessExpression | ts.ElementAccessExpression, d: number): Val {
    const r = this.range(e);
    const env = envRead(e);
    if (env !== undefined) return { k: 'env', name: env, range: r };
    let key: string | undefined;
    if (tsApi.isPropertyAccessExpression(e)) {
      key = e.name.text;
    } else {
      const a = unwrap(e.argumentExpression);
      if (tsApi.isStringLiteral(a) || tsApi.isNoSubstitutionTemplateLiteral(a) || tsApi.isNumericLiteral(a)) key = a.text;
    }
    if (key === undefined) return { k: 'unknown', range: r };
    if (this.parsesProcessEnv(e.expression)) return { k: 'env', name: key, range: r };
    const obj = this.eval(e.expression, d);
    if (obj.k === 'obj') {
      for (let i = obj.props.length - 1; i >= 0; i--) if (obj.props[i].key === key) return obj.props[i].value;
    }
    if (obj.k === 'arr' && /^\d+$/.test(key) && Number(key) < obj.items.length) return obj.items[Number(key)];
    if (obj.k === 'call' && key === 'token') return obj; // Azure AccessToken.token
    return { k: 'ident', name: this.calleeText(e), range: r };
  }

  private evalCall(e: ts.CallExpression, d: number): Val {
    const r = this.range(e);
    const callee = unwrap(e.expression);
    const arg0 = e.arguments[0];
    if (tsApi.isIdentifier(callee) && !this.declOf(callee)) {
      switch (callee.text) {
        case 'String':
          if (arg0) {
            const v = this.eval(arg0, d);
            if (v.k === 'str' || v.k === 'env') return v;
            if (v.k === 'num') return { k: 'str', s: SrcString.approximate(String(v.n), v.range), range: v.range };
          }
          return { k: 'unknown', range: r };
        case 'Number':
        case 'parseInt':
        case 'parseFloat':
          return arg0 ? this.toNumber(this.eval(arg0, d), r) : { k: 'unknown', range: r };
        case 'Boolean':
          return { k: 'unknown', range: r };
        case 'encodeURIComponent':
          if (arg0) {
            const v = this.eval(arg0, d);
            if (v.k === 'str' && v.s.complete && encodeURIComponent(v.s.text) === v.s.text) return v;
          }
          break;
        case 'require':
          return { k: 'ident', name: this.calleeText(e), range: r };
      }
    }
    // `x.toString()`, `x.trim()` keep the value.
    if (tsApi.isPropertyAccessExpression(callee) && e.arguments.length === 0 && (callee.name.text === 'toString' || callee.name.text === 'trim')) {
      const v = this.eval(callee.expression, d);
      if (v.k === 'str' || v.k === 'env' || v.k === 'call') return v;
    }
    const configured = this.configServiceRead(e);
    if (configured !== undefined) return { k: 'env', name: configured, range: r };
    const returned = this.returnedValue(e, d);
    if (returned) return returned;
    return { k: 'call', callee: this.calleeText(e.expression), range: r, awaited: false };
  }

  /**
   * NestJS ConfigService reads as env reads: `config.get('DATABASE_URL')`, `config.get<string>('X')`,
   * `config.getOrThrow('X')` (with a default too, as `process.env.X ?? d` is the env read) where
   * the receiver is declared with the type `ConfigService` imported from '@nestjs/config' (see
   * isConfigService). ConfigService answers such a key from the environment (process.env and the
   * .env files ConfigModule loads). Precision first: only an env-style literal key — a dotted or
   * lower-case key names custom configuration (`registerAs`, `load`) — and only that type.
   */
  private configServiceRead(call: ts.CallExpression): string | undefined {
    const callee = unwrap(call.expression);
    if (!tsApi.isPropertyAccessExpression(callee) || (callee.name.text !== 'get' && callee.name.text !== 'getOrThrow')) return undefined;
    const a = call.arguments[0] && unwrap(call.arguments[0]);
    if (!a || !(tsApi.isStringLiteral(a) || tsApi.isNoSubstitutionTemplateLiteral(a)) || !ENV_STYLE_KEY.test(a.text)) return undefined;
    return this.isConfigService(unwrap(callee.expression)) ? a.text : undefined;
  }

  /**
   * Whether `recv` is declared as a NestJS ConfigService: a variable or parameter annotated
   * `ConfigService` (`useFactory: (c: ConfigService) => …`), or `this.x` where the class declares
   * `x: ConfigService` as a property or constructor parameter property
   * (`constructor(private readonly config: ConfigService)`).
   */
  private isConfigService(recv: ts.Expression): boolean {
    let type: ts.TypeNode | undefined;
    if (tsApi.isIdentifier(recv)) {
      const decl = this.declOf(recv);
      if (decl && (tsApi.isVariableDeclaration(decl) || isParameter(decl))) type = decl.type;
    } else if (tsApi.isPropertyAccessExpression(recv) && recv.expression.kind === tsApi.SyntaxKind.ThisKeyword) {
      const owner = thisOwner(recv.expression);
      const name = recv.name.text;
      for (const m of owner && !owner.isStatic ? owner.cls.members : []) {
        if (tsApi.isPropertyDeclaration(m) && !hasModifier(m, tsApi.SyntaxKind.StaticKeyword) && (tsApi.isPrivateIdentifier(m.name) ? m.name.text : propName(m.name)) === name) type = m.type;
        else if (tsApi.isConstructorDeclaration(m)) {
          for (const p of m.parameters) {
            const property = PARAMETER_PROPERTY_MODIFIERS.some((k) => hasModifier(p, k));
            if (property && tsApi.isIdentifier(p.name) && p.name.text === name) type = p.type;
          }
        }
      }
    }
    if (!type || !tsApi.isTypeReferenceNode(type)) return false;
    const ref = this.typeModuleRef(type.typeName);
    return ref?.module === '@nestjs/config' && ref.path.length === 1 && ref.path[0] === 'ConfigService';
  }

  private evalBinary(e: ts.BinaryExpression, d: number): Val {
    const r = this.range(e);
    const op = e.operatorToken.kind;
    if (op === tsApi.SyntaxKind.PlusToken) {
      const a = this.eval(e.left, d);
      const b = this.eval(e.right, d);
      if (a.k === 'num' && b.k === 'num') return { k: 'num', n: a.n + b.n, range: r };
      if (a.k === 'str' || b.k === 'str') {
        return { k: 'str', s: SrcString.concat([this.toSrc(a, this.range(e.left)), this.toSrc(b, this.range(e.right))]), range: r };
      }
      return { k: 'unknown', range: r };
    }
    if (op === tsApi.SyntaxKind.BarBarToken || op === tsApi.SyntaxKind.QuestionQuestionToken) {
      const a = this.eval(e.left, d);
      // An environment value usually wins over its fallback: report the env read.
      if (a.k === 'env' || a.k === 'call' || a.k === 'fn' || a.k === 'obj' || a.k === 'arr') return a;
      const nullish = a.k === 'null' || (a.k === 'ident' && a.name === 'undefined');
      const falsy = nullish || (a.k === 'bool' && !a.b) || (a.k === 'num' && a.n === 0) || (a.k === 'str' && a.s.text === '');
      if (op === tsApi.SyntaxKind.BarBarToken ? falsy : nullish) return this.eval(e.right, d);
      if (a.k === 'str' || a.k === 'num' || a.k === 'bool') return a;
      return { k: 'unknown', range: r };
    }
    if (op === tsApi.SyntaxKind.CommaToken) return this.eval(e.right, d);
    return { k: 'unknown', range: r };
  }

  /** Which module member `e` denotes, through imports, requires, aliases and destructuring. */
  moduleRef(e: ts.Expression, depth = 0): ModuleRef | undefined {
    if (depth > MAX_DEPTH) return undefined;
    e = unwrap(e);
    if (tsApi.isAwaitExpression(e)) return this.moduleRef(e.expression, depth + 1);
    if (tsApi.isIdentifier(e)) {
      const decl = this.declOf(e);
      if (!decl) return undefined;
      return this.declModuleRef(decl, depth + 1);
    }
    if (tsApi.isPropertyAccessExpression(e)) {
      const base = this.moduleRef(e.expression, depth + 1);
      return base ? member(base, e.name.text) : undefined;
    }
    if (tsApi.isElementAccessExpression(e)) {
      const a = unwrap(e.argumentExpression);
      if (!tsApi.isStringLiteral(a) && !tsApi.isNoSubstitutionTemplateLiteral(a)) return undefined;
      const base = this.moduleRef(e.expression, depth + 1);
      return base ? member(base, a.text) : undefined;
    }
    if (tsApi.isCallExpression(e)) {
      const spec = requiredModule(e);
      if (spec !== undefined) return { module: spec, path: [] };
    }
    return undefined;
  }

  /**
   * Which module member a type name denotes: `sql.config` with `import sql from 'mssql'`,
   * `PoolConfig` with `import type { PoolConfig } from 'pg'`. Only imports are followed: types and
   * values live in separate namespaces, and an import is the one declaration that names both (a
   * local value of the same name does not make a type).
   */
  typeModuleRef(name: ts.EntityName, depth = 0): ModuleRef | undefined {
    if (depth > MAX_DEPTH) return undefined;
    if (tsApi.isQualifiedName(name)) {
      const base = this.typeModuleRef(name.left, depth + 1);
      return base ? member(base, name.right.text) : undefined;
    }
    const decl = this.declOf(name);
    if (!decl || !(tsApi.isImportSpecifier(decl) || tsApi.isImportClause(decl) || tsApi.isNamespaceImport(decl) || tsApi.isImportEqualsDeclaration(decl))) return undefined;
    return this.declModuleRef(decl, depth + 1);
  }

  private declModuleRef(decl: ts.Declaration, depth: number): ModuleRef | undefined {
    if (tsApi.isImportSpecifier(decl)) {
      const mod = moduleOfImport(decl.parent.parent.parent);
      return mod === undefined ? undefined : member({ module: mod, path: [] }, (decl.propertyName ?? decl.name).text);
    }
    if (tsApi.isImportClause(decl)) {
      const mod = moduleOfImport(decl.parent);
      return mod === undefined ? undefined : { module: mod, path: [] };
    }
    if (tsApi.isNamespaceImport(decl)) {
      const mod = moduleOfImport(decl.parent.parent);
      return mod === undefined ? undefined : { module: mod, path: [] };
    }
    if (tsApi.isImportEqualsDeclaration(decl)) {
      const ref = decl.moduleReference;
      if (tsApi.isExternalModuleReference(ref) && tsApi.isStringLiteral(ref.expression)) return { module: ref.expression.text, path: [] };
      return undefined;
    }
    if (tsApi.isVariableDeclaration(decl) && decl.initializer) {
      if (this.visiting.has(decl)) return undefined;
      this.visiting.add(decl);
      try {
        return this.moduleRef(decl.initializer, depth + 1);
      } finally {
        this.visiting.delete(decl);
      }
    }
    if (tsApi.isBindingElement(decl) && tsApi.isObjectBindingPattern(decl.parent)) {
      const key = propName(decl.propertyName ?? decl.name);
      const container = decl.parent.parent;
      if (key === undefined) return undefined;
      let base: ModuleRef | undefined;
      if (tsApi.isVariableDeclaration(container) && container.initializer) base = this.moduleRef(container.initializer, depth + 1);
      else if (tsApi.isBindingElement(container)) base = this.declModuleRef(container, depth + 1);
      return base ? member(base, key) : undefined;
    }
    return undefined;
  }
}

/** Nodes whose `return` statements belong to themselves, not to the function around them. */
function ownsReturns(n: ts.Node): boolean {
  switch (n.kind) {
    case tsApi.SyntaxKind.ArrowFunction:
    case tsApi.SyntaxKind.FunctionExpression:
    case tsApi.SyntaxKind.FunctionDeclaration:
    case tsApi.SyntaxKind.MethodDeclaration:
    case tsApi.SyntaxKind.GetAccessor:
    case tsApi.SyntaxKind.SetAccessor:
    case tsApi.SyntaxKind.Constructor:
    case tsApi.SyntaxKind.ClassDeclaration:
    case tsApi.SyntaxKind.ClassExpression:
      return true;
  }
  return false;
}

/** Upper bound on the results read from one function (returns times conditional branches). */
const MAX_RESULTS = 16;

/**
 * The expressions a call of `fn` can evaluate to: the body of a concise arrow or the operands of
 * the body's `return` statements (not those of nested functions), with each branch of a
 * conditional (`cond ? a : b`) as a result of its own. Undefined when some path is not known to
 * return a value: a bare `return;`, a body without `return`, too many results, or no body.
 */
export function returnedExpressions(fn: ts.FunctionLikeDeclaration): ts.Expression[] | undefined {
  const body = fn.body;
  if (!body) return undefined;
  const roots: ts.Expression[] = [];
  if (!tsApi.isBlock(body)) {
    roots.push(body);
  } else {
    const stack: ts.Node[] = [...body.statements];
    let budget = 20000;
    while (stack.length > 0) {
      if (budget-- <= 0) return undefined;
      const n = stack.pop()!;
      if (ownsReturns(n)) continue;
      if (tsApi.isReturnStatement(n)) {
        if (!n.expression) return undefined;
        roots.push(n.expression);
        continue;
      }
      tsApi.forEachChild(n, (c) => {
        stack.push(c);
      });
    }
    if (roots.length === 0) return undefined;
    roots.sort((a, b) => a.pos - b.pos);
  }
  const out: ts.Expression[] = [];
  const pending = roots.reverse();
  while (pending.length > 0) {
    const e = pending.pop()!;
    const u = unwrap(e);
    if (tsApi.isConditionalExpression(u)) {
      pending.push(u.whenFalse, u.whenTrue);
      continue;
    }
    if (out.length >= MAX_RESULTS) return undefined;
    out.push(e);
  }
  return out;
}

function member(base: ModuleRef, name: string): ModuleRef {
  // `import pg from 'pg'; pg.Pool` and `require('pg').default.Pool` both mean `Pool`.
  if (base.path.length === 0 && name === 'default') return base;
  return { module: base.module, path: [...base.path, name] };
}

function moduleOfImport(imp: ts.ImportDeclaration | ts.JSDocImportTag): string | undefined {
  return tsApi.isImportDeclaration(imp) && tsApi.isStringLiteral(imp.moduleSpecifier) ? imp.moduleSpecifier.text : undefined;
}

/** `require('m')` → 'm'. */
export function requiredModule(e: ts.CallExpression): string | undefined {
  const callee = unwrap(e.expression);
  if (tsApi.isIdentifier(callee) && callee.text === 'require' && e.arguments.length >= 1) {
    const a = unwrap(e.arguments[0]);
    if (tsApi.isStringLiteral(a) || tsApi.isNoSubstitutionTemplateLiteral(a)) return a.text;
  }
  return undefined;
}

/** A function whose parameters and result the evaluator follows. */
export type Callable = ts.FunctionDeclaration | ts.ArrowFunction | ts.FunctionExpression | ts.MethodDeclaration;

function isParameter(n: ts.Node): n is ts.ParameterDeclaration {
  return n.kind === tsApi.SyntaxKind.Parameter;
}

function hasModifier(n: ts.Node, kind: ts.SyntaxKind): boolean {
  const mods = (n as { modifiers?: ts.NodeArray<ts.ModifierLike> }).modifiers;
  return !!mods && mods.some((m) => m.kind === kind);
}

function isCallable(n: ts.Node): n is Callable {
  return (tsApi.isFunctionDeclaration(n) || tsApi.isArrowFunction(n) || tsApi.isFunctionExpression(n) || tsApi.isMethodDeclaration(n)) && !!n.body;
}

interface NameIndex {
  /** Every identifier of the file, by text. */
  readonly idents: ReadonlyMap<string, readonly ts.Identifier[]>;
  /** Every `x.name` and `x['name']`, by name. */
  readonly members: ReadonlyMap<string, readonly ts.Node[]>;
  /** Elements assigned with a computed key (`x[k] = …`): any member may be replaced there. */
  readonly dynamicWrites: readonly ts.Node[];
}

/** The outermost expression that is `e` in parentheses or type assertions. */
function outerExpression<T extends ts.Node>(e: T): T | ts.Expression {
  let cur: T | ts.Expression = e;
  for (let i = 0; i < MAX_DEPTH; i++) {
    const p: ts.Node | undefined = cur.parent;
    if (p && (tsApi.isParenthesizedExpression(p) || tsApi.isAsExpression(p) || tsApi.isNonNullExpression(p) || tsApi.isTypeAssertionExpression(p) || tsApi.isSatisfiesExpression(p))) cur = p;
    else break;
  }
  return cur;
}

function isConst(d: ts.VariableDeclaration): boolean {
  return d.parent.kind === tsApi.SyntaxKind.VariableDeclarationList && (d.parent.flags & tsApi.NodeFlags.Const) !== 0;
}

function isAssignmentOperator(k: ts.SyntaxKind): boolean {
  return k >= tsApi.SyntaxKind.FirstAssignment && k <= tsApi.SyntaxKind.LastAssignment;
}

/** `e = …` (or `e += …`…), through parentheses and type assertions: the direct left side of an assignment. */
function isAssignedTo(e: ts.Expression): boolean {
  const outer = outerExpression(e);
  const p = outer.parent;
  return tsApi.isBinaryExpression(p) && p.left === outer && isAssignmentOperator(p.operatorToken.kind);
}

/**
 * Whether an identifier is written to: the left side of an assignment (through parentheses and
 * destructuring patterns), the operand of `++`/`--`, or the variable of a `for…in/of` head.
 */
function isAssignmentTarget(id: ts.Identifier): boolean {
  let cur: ts.Node = id;
  for (let i = 0; i < MAX_DEPTH; i++) {
    const p: ts.Node | undefined = cur.parent;
    if (!p) return false;
    if (tsApi.isBinaryExpression(p)) return p.left === cur && isAssignmentOperator(p.operatorToken.kind);
    if (tsApi.isPrefixUnaryExpression(p) || tsApi.isPostfixUnaryExpression(p)) {
      return p.operator === tsApi.SyntaxKind.PlusPlusToken || p.operator === tsApi.SyntaxKind.MinusMinusToken;
    }
    if ((tsApi.isForOfStatement(p) || tsApi.isForInStatement(p)) && p.initializer === cur) return true;
    // Inside a destructuring target: `[a, b] = …`, `({ a, b: c, ...d } = …)`, `(a) = …`.
    if (tsApi.isParenthesizedExpression(p) || tsApi.isArrayLiteralExpression(p) || tsApi.isObjectLiteralExpression(p) || tsApi.isSpreadElement(p) ||
        tsApi.isSpreadAssignment(p) || tsApi.isShorthandPropertyAssignment(p) || (tsApi.isPropertyAssignment(p) && p.initializer === cur)) {
      cur = p;
      continue;
    }
    return false;
  }
  return false;
}

/** `function f` or `const f = (…) => …` / `= function (…) {…}`: the declaration its name resolves to. */
function bareBinding(fn: Callable, outer: ts.Expression | Callable): { decl: ts.Declaration; name: ts.Identifier } | undefined {
  if (tsApi.isFunctionDeclaration(fn)) return fn.name ? { decl: fn, name: fn.name } : undefined;
  if (tsApi.isMethodDeclaration(fn)) return undefined;
  const p = outer.parent;
  if (p && tsApi.isVariableDeclaration(p) && p.initializer === outer && tsApi.isIdentifier(p.name)) return { decl: p, name: p.name };
  return undefined;
}

/**
 * How an identifier that names a function is used: the call it is the callee of, `undefined`
 * for a use that cannot call it with other arguments (an export, a type query), or 'escape'.
 */
function bareUse(id: ts.Identifier): ts.CallExpression | undefined | 'escape' {
  const p = id.parent;
  if (tsApi.isCallExpression(p) && p.expression === id) return p;
  if (p.kind === tsApi.SyntaxKind.ExportAssignment || p.kind === tsApi.SyntaxKind.ExportSpecifier || p.kind === tsApi.SyntaxKind.TypeQuery) return undefined;
  // CommonJS exports: `module.exports = f`, `exports.f = f`, `module.exports = { f }`.
  let value: ts.Node = id;
  if (tsApi.isShorthandPropertyAssignment(p) || (tsApi.isPropertyAssignment(p) && p.initializer === id)) value = outerExpression(p.parent);
  const a = value.parent;
  if (a && tsApi.isBinaryExpression(a) && a.right === value && a.operatorToken.kind === tsApi.SyntaxKind.EqualsToken && isCommonJsExports(a.left)) return undefined;
  return 'escape';
}

/** `module.exports`, `exports`, or a property of them. */
function isCommonJsExports(e: ts.Expression): boolean {
  e = unwrap(e);
  if (tsApi.isIdentifier(e)) return e.text === 'exports';
  if (!tsApi.isPropertyAccessExpression(e)) return false;
  if (tsApi.isIdentifier(e.expression) && e.expression.text === 'module' && e.name.text === 'exports') return true;
  return isCommonJsExports(e.expression);
}

/** The class whose instance (or, in a static member, constructor) `this` is, seen through arrow functions. */
function thisOwner(t: ts.Node): { cls: ts.ClassLikeDeclaration; isStatic: boolean } | undefined {
  for (let n: ts.Node | undefined = t.parent; n; n = n.parent) {
    if (tsApi.isArrowFunction(n)) continue;
    if (tsApi.isMethodDeclaration(n) || tsApi.isConstructorDeclaration(n) || tsApi.isGetAccessorDeclaration(n) || tsApi.isSetAccessorDeclaration(n) ||
        tsApi.isPropertyDeclaration(n) || n.kind === tsApi.SyntaxKind.ClassStaticBlockDeclaration) {
      if (!tsApi.isClassLike(n.parent)) return undefined;
      const isStatic = n.kind === tsApi.SyntaxKind.ClassStaticBlockDeclaration || hasModifier(n, tsApi.SyntaxKind.StaticKeyword);
      return { cls: n.parent, isStatic };
    }
    if (ownsReturns(n) || n.kind === tsApi.SyntaxKind.SourceFile) return undefined;
  }
  return undefined;
}

/** The one implementation of member `name` in a class: a method with a body or an arrow/function-valued property. */
function classMember(cls: ts.ClassLikeDeclaration, name: string, isStatic: boolean): Callable | undefined {
  let found: Callable | undefined;
  for (const m of cls.members) {
    if (!m.name) continue;
    const n = tsApi.isPrivateIdentifier(m.name) ? m.name.text : propName(m.name);
    if (n !== name) continue;
    const mStatic = hasModifier(m, tsApi.SyntaxKind.StaticKeyword);
    if (mStatic !== isStatic) continue;
    let f: Callable | undefined;
    if (tsApi.isMethodDeclaration(m)) {
      if (!m.body) continue; // overload signature
      f = m;
    } else if (tsApi.isPropertyDeclaration(m) && m.initializer) {
      const init = unwrap(m.initializer);
      if (tsApi.isArrowFunction(init) || tsApi.isFunctionExpression(init)) f = init;
    }
    if (!f || found) return undefined;
    found = f;
  }
  return found;
}

/** The function an object literal's member `name` is, if it is the last write of that key and no spread follows. */
function objectMember(obj: ts.ObjectLiteralExpression, name: string): Callable | undefined {
  let found: Callable | undefined;
  for (const p of obj.properties) {
    if (tsApi.isSpreadAssignment(p)) {
      found = undefined;
      continue;
    }
    if (propName(p.name) !== name) continue;
    found = undefined;
    if (tsApi.isMethodDeclaration(p) && p.body) found = p;
    else if (tsApi.isPropertyAssignment(p)) {
      const init = unwrap(p.initializer);
      if (tsApi.isArrowFunction(init) || tsApi.isFunctionExpression(init)) found = init;
    }
  }
  return found;
}
