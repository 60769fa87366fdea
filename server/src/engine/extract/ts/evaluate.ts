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
  private readonly cache = new Map<ts.Node, Val>();
  private readonly visiting = new Set<ts.Node>();

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
    if (tsApi.isVariableDeclaration(decl) && tsApi.isIdentifier(decl.name) && decl.initializer) {
      return this.memo(decl, d, () => this.eval(decl.initializer!, d)) ?? { k: 'ident', name: id.text, range: r };
    }
    if (tsApi.isBindingElement(decl)) {
      return this.memo(decl, d, () => this.evalBinding(decl, d)) ?? { k: 'ident', name: id.text, range: r };
    }
    return { k: 'ident', name: id.text, range: r };
  }

  private memo(decl: ts.Node, _d: number, f: () => Val): Val | undefined {
    const hit = this.cache.get(decl);
    if (hit) return hit;
    if (this.visiting.has(decl)) return undefined;
    this.visiting.add(decl);
    try {
      const v = f();
      this.cache.set(decl, v);
      return v;
    } finally {
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
    return { k: 'call', callee: this.calleeText(e.expression), range: r, awaited: false };
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
