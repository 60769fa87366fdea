/**
 * Name resolution for the TS/JS evaluator: which declaration a value identifier refers to, by
 * the language's scoping rules, computed lazily on the parse tree.
 *
 * Why not the compiler's binder and checker: a one-file program and its checker cost about a third
 * of a TS/JS analysis (createProgram, the binder's walk over every node, the checker's set-up),
 * while the evaluator asks for a few dozen names per file. Here a scope's table is built the first
 * time a name is looked up in it, from that scope's own declarations only.
 *
 * Contract: `resolve(id)` answers what the compiler's `getSymbolAtLocation(id)?.declarations[0]`
 * answers for an identifier in an expression (and `getShorthandAssignmentValueSymbol` for a
 * shorthand property), in a one-file program without lib files (no globals):
 *   - the nearest enclosing scope that declares the name wins: blocks, `for` heads, `catch`
 *     clauses, `switch` case blocks and class static blocks for `let`/`const`/`class`/`enum`
 *     (and, in strict code, function declarations); function-likes for their parameters and
 *     everything their body declares, `var`s of nested blocks hoisted to them; the file (or a
 *     namespace body) for its statements, imports and hoisted `var`s;
 *   - a named function or class expression sees its own name (after its parameters and locals);
 *   - within one scope the first declaration wins, function declarations first (parameters before
 *     the body), as the binder orders them;
 *   - in sloppy code (a script without "use strict", outside classes) a function declared in a
 *     block belongs to the enclosing function or file.
 * test/unit/scope.test.ts checks this against the compiler's checker on every value identifier of
 * the TS/JS fixtures and of a few thousand real files from node_modules.
 */
import * as ts from 'typescript';
import { tsApi } from './api';

type Table = Map<string, ts.Declaration>;

const SK = tsApi.SyntaxKind;
const BLOCK_SCOPED = tsApi.NodeFlags.BlockScoped;

function isFunctionScope(n: ts.Node): n is ts.SignatureDeclaration {
  switch (n.kind) {
    case SK.FunctionDeclaration:
    case SK.FunctionExpression:
    case SK.ArrowFunction:
    case SK.MethodDeclaration:
    case SK.Constructor:
    case SK.GetAccessor:
    case SK.SetAccessor:
    // Signatures without a body: their parameters are in scope in their types (`typeof key`).
    case SK.FunctionType:
    case SK.ConstructorType:
    case SK.CallSignature:
    case SK.ConstructSignature:
    case SK.MethodSignature:
    case SK.IndexSignature:
      return true;
  }
  return false;
}

/** Nodes with their own table other than function-likes. */
function isBlockScope(n: ts.Node): boolean {
  switch (n.kind) {
    case SK.Block:
      // A function's (or static block's) body belongs to the function's scope.
      return !isFunctionScope(n.parent) && n.parent.kind !== SK.ClassStaticBlockDeclaration;
    case SK.SourceFile:
    case SK.ModuleBlock:
    case SK.CaseBlock:
    case SK.ForStatement:
    case SK.ForInStatement:
    case SK.ForOfStatement:
    case SK.CatchClause:
    case SK.ClassStaticBlockDeclaration:
      return true;
  }
  return false;
}

/** Adds the names a binding name declares (identifier, or destructuring patterns) — first wins. */
function addBinding(table: Table, name: ts.BindingName, decl: ts.Declaration): void {
  if (name.kind === SK.Identifier) {
    if (!table.has(name.text)) table.set(name.text, decl);
    return;
  }
  // Source order, depth first (patterns are small; nesting is bounded like all code, ts/nesting.ts).
  const ordered: ts.BindingElement[] = [];
  const visit = (p: ts.BindingPattern): void => {
    for (const el of p.elements) {
      if (el.kind !== SK.BindingElement) continue;
      if (el.name.kind === SK.Identifier) ordered.push(el);
      else visit(el.name);
    }
  };
  visit(name);
  for (const el of ordered) {
    const id = el.name as ts.Identifier;
    if (!table.has(id.text)) table.set(id.text, el);
  }
}

function addDeclarationList(table: Table, list: ts.VariableDeclarationList): void {
  for (const d of list.declarations) addBinding(table, d.name, d);
}

function isVar(list: ts.VariableDeclarationList): boolean {
  return (list.flags & BLOCK_SCOPED) === 0;
}

/** "use strict" among the leading string-literal statements. */
function hasUseStrict(statements: ts.NodeArray<ts.Statement>): boolean {
  for (const s of statements) {
    if (s.kind !== SK.ExpressionStatement) return false;
    const e = (s as ts.ExpressionStatement).expression;
    if (e.kind !== SK.StringLiteral) return false;
    if ((e as ts.StringLiteral).text === 'use strict') return true;
  }
  return false;
}

/**
 * `import.meta` anywhere makes a file a module, as TypeScript's parser decides — but an
 * incremental parse (updateSourceFile, the language server's) can lose that mark when it reuses
 * the function holding it, so it is looked up here: only for a script (no import or export, no
 * "use strict"), and only when its text has `meta` at all.
 */
function hasImportMeta(sf: ts.SourceFile): boolean {
  if (!sf.text.includes('meta')) return false; // (`import /* … */ . meta` is legal too)
  const stack: ts.Node[] = [sf];
  while (stack.length) {
    const n = stack.pop()!;
    if (tsApi.isMetaProperty(n) && n.keywordToken === tsApi.SyntaxKind.ImportKeyword) return true;
    tsApi.forEachChild(n, (c) => {
      stack.push(c);
    });
  }
  return false;
}

export class Scopes {
  private readonly tables = new Map<ts.Node, Table>();
  private readonly strictFile: boolean;

  constructor(private readonly sf: ts.SourceFile) {
    this.strictFile = tsApi.isExternalModule(sf) || hasUseStrict(sf.statements) || hasImportMeta(sf);
  }

  /** The declaration `id` (a value identifier, or a shorthand property's name) refers to. */
  resolve(id: ts.Identifier): ts.Declaration | undefined {
    const name = id.text;
    for (let n: ts.Node | undefined = id.parent; n; n = n.parent) {
      if (isFunctionScope(n)) {
        const hit = this.table(n).get(name);
        if (hit) return hit;
        if (n.kind === SK.FunctionExpression && (n as ts.FunctionExpression).name?.text === name) return n as ts.FunctionExpression;
      } else if (n.kind === SK.ClassExpression) {
        if ((n as ts.ClassExpression).name?.text === name) return n as ts.ClassExpression;
      } else if (isBlockScope(n)) {
        const hit = this.table(n).get(name);
        if (hit) return hit;
      }
    }
    return undefined;
  }

  private table(scope: ts.Node): Table {
    let t = this.tables.get(scope);
    if (!t) {
      t = this.build(scope);
      this.tables.set(scope, t);
    }
    return t;
  }

  private build(scope: ts.Node): Table {
    const table: Table = new Map();
    switch (scope.kind) {
      case SK.ForStatement:
      case SK.ForInStatement:
      case SK.ForOfStatement: {
        const init = (scope as ts.ForStatement | ts.ForInStatement | ts.ForOfStatement).initializer;
        if (init && init.kind === SK.VariableDeclarationList && !isVar(init as ts.VariableDeclarationList)) addDeclarationList(table, init as ts.VariableDeclarationList);
        return table;
      }
      case SK.CatchClause: {
        const v = (scope as ts.CatchClause).variableDeclaration;
        if (v) addBinding(table, v.name, v);
        return table;
      }
      case SK.CaseBlock:
        for (const clause of (scope as ts.CaseBlock).clauses) this.addLexical(table, clause.statements);
        return table;
      case SK.Block:
        this.addLexical(table, (scope as ts.Block).statements);
        return table;
      case SK.ClassStaticBlockDeclaration:
        this.addScope(table, (scope as ts.ClassStaticBlockDeclaration).body.statements, true);
        return table;
      case SK.SourceFile:
        this.addScope(table, (scope as ts.SourceFile).statements, this.strictFile);
        return table;
      case SK.ModuleBlock:
        this.addScope(table, (scope as ts.ModuleBlock).statements, this.isStrictAt(scope));
        return table;
    }
    // A function-like: parameters, then the body's declarations.
    const fn = scope as ts.SignatureDeclaration & { body?: ts.Node };
    for (const p of fn.parameters) addBinding(table, p.name, p);
    const body = fn.body;
    if (body && body.kind === SK.Block) {
      const statements = (body as ts.Block).statements;
      this.addScope(table, statements, hasUseStrict(statements) || this.isStrictAt(scope));
    }
    return table;
  }

  /** A nested block's own table: `let`/`const`/`class`/`enum` (and, in strict code, functions). */
  private addLexical(table: Table, statements: ts.NodeArray<ts.Statement>): void {
    if (statements.length > 0 && this.isStrictAt(statements[0])) {
      for (const s of statements) if (s.kind === SK.FunctionDeclaration) addNamed(table, s as ts.FunctionDeclaration);
    }
    for (const s of statements) {
      if (s.kind === SK.VariableStatement) {
        const list = (s as ts.VariableStatement).declarationList;
        if (!isVar(list)) addDeclarationList(table, list);
      } else if (s.kind !== SK.FunctionDeclaration) {
        addOwn(table, s);
      }
    }
  }

  /**
   * The table of a function body, file, namespace body or static block: its own statements'
   * declarations, and the `var`s (in sloppy code also the functions) of the blocks nested in it —
   * not of nested functions or classes, which have their own. In the binder's order: each
   * statement list's function declarations first, then the rest in source order, depth first.
   * (Recursion on statement nesting: bounded, deeper code is masked before parsing, ts/nesting.ts.)
   */
  private addScope(table: Table, statements: ts.NodeArray<ts.Statement>, strict: boolean): void {
    const list = (stmts: readonly ts.Statement[], top: boolean): void => {
      if (top || !strict) {
        for (const s of stmts) if (s.kind === SK.FunctionDeclaration) addNamed(table, s as ts.FunctionDeclaration);
      }
      for (const s of stmts) if (s.kind !== SK.FunctionDeclaration) statement(s, top);
    };
    const statement = (s: ts.Statement, top: boolean): void => {
      switch (s.kind) {
        case SK.VariableStatement: {
          const l = (s as ts.VariableStatement).declarationList;
          if (top || isVar(l)) addDeclarationList(table, l);
          return;
        }
        case SK.Block:
          return list((s as ts.Block).statements, false);
        case SK.IfStatement: {
          const f = s as ts.IfStatement;
          statement(f.thenStatement, false);
          if (f.elseStatement) statement(f.elseStatement, false);
          return;
        }
        case SK.ForStatement:
        case SK.ForInStatement:
        case SK.ForOfStatement: {
          const f = s as ts.ForStatement | ts.ForInStatement | ts.ForOfStatement;
          const init = f.initializer;
          if (init && init.kind === SK.VariableDeclarationList && isVar(init as ts.VariableDeclarationList)) addDeclarationList(table, init as ts.VariableDeclarationList);
          return statement(f.statement, false);
        }
        case SK.WhileStatement:
        case SK.DoStatement:
        case SK.LabeledStatement:
        case SK.WithStatement:
          return statement((s as ts.WhileStatement | ts.DoStatement | ts.LabeledStatement | ts.WithStatement).statement, false);
        case SK.TryStatement: {
          const t = s as ts.TryStatement;
          list(t.tryBlock.statements, false);
          if (t.catchClause) list(t.catchClause.block.statements, false);
          if (t.finallyBlock) list(t.finallyBlock.statements, false);
          return;
        }
        case SK.SwitchStatement:
          for (const c of (s as ts.SwitchStatement).caseBlock.clauses) list(c.statements, false);
          return;
      }
      if (top) addOwn(table, s);
    };
    list(statements, true);
  }

  /** Whether the code at `n` is strict: a module, a "use strict" prologue around it, a class. */
  private isStrictAt(n: ts.Node): boolean {
    if (this.strictFile) return true;
    for (let a: ts.Node | undefined = n.parent; a; a = a.parent) {
      if (a.kind === SK.ClassDeclaration || a.kind === SK.ClassExpression) return true;
      if (isFunctionScope(a)) {
        const b = (a as { body?: ts.Node }).body;
        if (b && b.kind === SK.Block && hasUseStrict((b as ts.Block).statements)) return true;
      }
    }
    return false;
  }
}

function addNamed(table: Table, d: ts.FunctionDeclaration | ts.ClassDeclaration | ts.EnumDeclaration): void {
  const name = d.name;
  if (name && !table.has(name.text)) table.set(name.text, d);
}

/** A class, enum, namespace or import statement's names (other statements declare nothing here). */
function addOwn(table: Table, s: ts.Statement): void {
  switch (s.kind) {
    case SK.ClassDeclaration:
    case SK.EnumDeclaration:
      addNamed(table, s as ts.ClassDeclaration | ts.EnumDeclaration);
      return;
    case SK.ModuleDeclaration: {
      const name = (s as ts.ModuleDeclaration).name;
      if (name.kind === SK.Identifier && !table.has(name.text)) table.set(name.text, s as ts.ModuleDeclaration);
      return;
    }
    case SK.ImportDeclaration: {
      const clause = (s as ts.ImportDeclaration).importClause;
      if (!clause) return;
      if (clause.name && !table.has(clause.name.text)) table.set(clause.name.text, clause);
      const nb = clause.namedBindings;
      if (nb?.kind === SK.NamespaceImport) {
        if (!table.has(nb.name.text)) table.set(nb.name.text, nb);
      } else if (nb) {
        for (const spec of nb.elements) if (!table.has(spec.name.text)) table.set(spec.name.text, spec);
      }
      return;
    }
    case SK.ImportEqualsDeclaration: {
      const name = (s as ts.ImportEqualsDeclaration).name;
      if (!table.has(name.text)) table.set(name.text, s as ts.ImportEqualsDeclaration);
      return;
    }
  }
}
