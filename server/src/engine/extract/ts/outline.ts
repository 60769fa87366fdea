/**
 * The outline of a TS/JS file for incremental re-analysis (engine/incremental.ts): the outermost
 * function bodies (functions, methods, constructors, accessors, arrow and function expressions
 * with a block body — route handlers passed as callbacks included), module-level variable names,
 * and where the parser recovered from errors — plus the lexer (TypeScript's own scanner) that
 * checks an edited body and lists the names it mentions.
 */
import type * as ts from 'typescript';
import type { CodeContainer, CodeUnit, Outline, SliceUnit, SliceValue } from '../values';
import { tsApi } from './api';
import { propName } from './evaluate';
import type { LexOptions, UnitLex } from '../go/outline';

/** A member's or binding's name as the evaluator reads it (evaluate.ts propName: `['host']` is `host`), private names included. */
function propertyName(n: ts.PropertyName | ts.BindingName | undefined): string | undefined {
  return n && tsApi.isPrivateIdentifier(n) ? n.text : propName(n);
}

/** How other code calls the function whose body this is: by name, or as a member of what. */
function unitName(fn: ts.Node, containerOf: ReadonlyMap<ts.Node, number>): Pick<CodeUnit, 'name' | 'member' | 'owner'> {
  // `new C()` reaches the constructor by the class's bare name.
  if (tsApi.isConstructorDeclaration(fn)) return { name: fn.parent && tsApi.isClassLike(fn.parent) ? fn.parent.name?.text : undefined };
  const ownerOf = (n: ts.Node): number | undefined => (n.parent ? containerOf.get(n.parent) : undefined);
  const own = (fn as { name?: ts.PropertyName }).name;
  if (tsApi.isFunctionDeclaration(fn)) return { name: own ? propertyName(own) : undefined };
  if (!tsApi.isFunctionExpression(fn) && !tsApi.isArrowFunction(fn)) return { name: propertyName(own), member: true, owner: ownerOf(fn) };
  // Function and arrow expressions: called by what holds them.
  const p = fn.parent;
  if (!p) return {};
  if (tsApi.isVariableDeclaration(p)) return { name: propertyName(p.name) };
  if (tsApi.isPropertyAssignment(p)) return { name: propertyName(p.name), member: true };
  if (tsApi.isPropertyDeclaration(p)) return { name: propertyName(p.name), member: true, owner: ownerOf(p) };
  if (tsApi.isBinaryExpression(p) && p.right === fn && tsApi.isPropertyAccessExpression(p.left)) return { name: p.left.name.text, member: true };
  return { name: own ? propertyName(own) : undefined };
}

function isFunctionWithBlock(n: ts.Node): n is ts.FunctionLikeDeclaration & { body: ts.Block } {
  const body = (n as { body?: ts.Node }).body;
  if (!body || !tsApi.isBlock(body)) return false;
  return tsApi.isFunctionDeclaration(n) || tsApi.isMethodDeclaration(n) || tsApi.isConstructorDeclaration(n) || tsApi.isGetAccessorDeclaration(n) ||
    tsApi.isSetAccessorDeclaration(n) || tsApi.isFunctionExpression(n) || tsApi.isArrowFunction(n);
}

function bindingNames(n: ts.BindingName, out: string[]): void {
  if (tsApi.isIdentifier(n)) {
    out.push(n.text);
    return;
  }
  for (const e of n.elements) if (!tsApi.isOmittedExpression(e)) bindingNames(e.name, out);
}

/** `a`, `a.b.c`: the callee of a call statement whose callbacks may be left out (SliceUnit `callback`). */
function isDottedName(e: ts.Expression): boolean {
  for (let x = e; ; x = x.expression) {
    if (tsApi.isIdentifier(x)) return true;
    if (!tsApi.isPropertyAccessExpression(x) || x.questionDotToken || !tsApi.isIdentifier(x.name)) return false;
  }
}

/** How a first analysis in slices may treat the unit of function `n` (values.ts SliceUnit). */
function sliceRole(n: ts.FunctionLikeDeclaration, sf: ts.SourceFile): Pick<SliceUnit, 'declStart' | 'role' | 'context'> {
  const p = n.parent;
  const top = (x: ts.Node | undefined): boolean => x === sf;
  if (tsApi.isFunctionDeclaration(n) && top(p)) return { declStart: n.getStart(sf), role: 'free' };
  if (tsApi.isMethodDeclaration(n) || tsApi.isConstructorDeclaration(n) || tsApi.isGetAccessorDeclaration(n) || tsApi.isSetAccessorDeclaration(n)) {
    return { declStart: n.getStart(sf), role: tsApi.isClassDeclaration(p) && top(p.parent) ? 'free' : 'pinned' };
  }
  if (tsApi.isArrowFunction(n) || tsApi.isFunctionExpression(n)) {
    if (tsApi.isVariableDeclaration(p) && p.initializer === n && tsApi.isIdentifier(p.name) && top(p.parent?.parent?.parent) && tsApi.isVariableStatement(p.parent.parent)) {
      return { declStart: p.getStart(sf), role: 'free' };
    }
    if (tsApi.isPropertyDeclaration(p) && p.initializer === n && tsApi.isClassDeclaration(p.parent) && top(p.parent.parent)) return { declStart: p.getStart(sf), role: 'free' };
    if (tsApi.isCallExpression(p) && p.arguments.some((a) => a === n) && isDottedName(p.expression) && tsApi.isExpressionStatement(p.parent) && top(p.parent.parent)) {
      return { declStart: n.getStart(sf), role: 'callback', context: { start: p.parent.getStart(sf), end: p.parent.end } };
    }
  }
  return { declStart: n.getStart(sf), role: 'pinned' };
}

/** Top-level variable declarators and imports with the names they bind (values.ts SliceValue). */
function sliceValues(sf: ts.SourceFile): SliceValue[] {
  const out: SliceValue[] = [];
  for (const s of sf.statements) {
    if (tsApi.isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) {
        const names: string[] = [];
        bindingNames(d.name, names);
        out.push({ names, start: d.getStart(sf), end: d.end, imported: false });
      }
    } else if (tsApi.isImportDeclaration(s)) {
      const names: string[] = [];
      const c = s.importClause;
      if (c?.name) names.push(c.name.text);
      const b = c?.namedBindings;
      if (b && tsApi.isNamespaceImport(b)) names.push(b.name.text);
      else if (b) for (const e of b.elements) names.push(e.name.text);
      out.push({ names, start: s.getStart(sf), end: s.end, imported: true });
    } else if (tsApi.isImportEqualsDeclaration(s)) {
      out.push({ names: [s.name.text], start: s.getStart(sf), end: s.end, imported: true });
    }
  }
  return out;
}

export function tsOutline(sf: ts.SourceFile, errorStarts: readonly number[] | undefined): Outline {
  const units: CodeUnit[] = [];
  const slice: SliceUnit[] = [];
  const containers: CodeContainer[] = [];
  const containerOf = new Map<ts.Node, number>();
  const stack: ts.Node[] = [...sf.statements].reverse();
  while (stack.length) {
    const n = stack.pop()!;
    // Outermost classes are containers (a class nested in one is part of it); their methods are
    // still units, found below.
    if (tsApi.isClassLike(n)) {
      const open = n.members.pos - 1;
      const outer = containers[containers.length - 1];
      if (sf.text[open] === '{' && sf.text[n.end - 1] === '}' && n.end - 1 > open && !(outer && open < outer.end)) {
        const members: string[] = [];
        for (const m of n.members) {
          const name = propertyName(m.name);
          if (name !== undefined) members.push(name);
        }
        containerOf.set(n, containers.length);
        const subclass = n.heritageClauses?.some((h) => h.token === tsApi.SyntaxKind.ExtendsKeyword) === true;
        containers.push({ start: open + 1, end: n.end - 1, name: n.name?.text, members, ...(subclass ? { subclass } : {}) });
      }
    }
    // Interface and object-type bodies: units without a name (types hold no values).
    const body = tsApi.isInterfaceDeclaration(n) ? n : tsApi.isTypeAliasDeclaration(n) && tsApi.isTypeLiteralNode(n.type) ? n.type : undefined;
    if (body) {
      // `members.pos` is just after the `{`; the declaration (or type literal) ends with the `}`.
      const open = body.members.pos - 1;
      if (sf.text[open] === '{' && sf.text[body.end - 1] === '}' && body.end - 1 > open) {
        units.push({ start: open + 1, end: body.end - 1 });
        slice.push({ start: open + 1, end: body.end - 1, declStart: n.getStart(sf), name: undefined, member: false, role: n.parent === sf ? 'free' : 'pinned' });
      }
      continue;
    }
    if (isFunctionWithBlock(n)) {
      const open = n.body.getStart(sf);
      if (sf.text[open] === '{' && sf.text[n.body.end - 1] === '}' && n.body.end - open >= 2) {
        const named = unitName(n, containerOf);
        // Only functions bind parameters from their call (ts/evaluate.ts callSiteOf), not methods.
        units.push({ start: open + 1, end: n.body.end - 1, ...named, params: n.parameters.length > 0 && named.member !== true });
        slice.push({ start: open + 1, end: n.body.end - 1, name: named.name, member: named.member === true, ...sliceRole(n, sf) });
        continue;
      }
    }
    // Children in reverse onto the stack (source order out), without a per-node array.
    const mark = stack.length;
    tsApi.forEachChild(n, (c) => {
      stack.push(c);
    });
    for (let i = mark, j = stack.length - 1; i < j; i++, j--) {
      const t = stack[i];
      stack[i] = stack[j];
      stack[j] = t;
    }
  }
  units.sort((a, b) => a.start - b.start);
  slice.sort((a, b) => a.start - b.start);
  const values: string[] = [];
  for (const s of sf.statements) {
    if (tsApi.isVariableStatement(s)) for (const d of s.declarationList.declarations) bindingNames(d.name, values);
  }
  return { units, containers, values: [...new Set(values)], errorAt: errorStarts ? [...errorStarts] : undefined, slice: { units: slice, values: sliceValues(sf) } };
}

const K = tsApi.SyntaxKind;
const OPEN: ReadonlyMap<ts.SyntaxKind, ts.SyntaxKind> = new Map([
  [K.CloseParenToken, K.OpenParenToken],
  [K.CloseBracketToken, K.OpenBracketToken],
  [K.CloseBraceToken, K.OpenBraceToken],
]);

/**
 * Whether an expression has ended after token `t`, so that a `/` next is division; elsewhere it
 * starts a regular expression. `prev`: the token before `t`; `ended`: whether an expression had
 * ended before `t`; `lineBreak`: whether `t` follows a line break. Contextual keywords (`get`,
 * `of`, `type`, `as`…) are names here, and so is any keyword after a dot (`quota.default / 2`).
 * A `!` right after an ended expression, on its line, is TypeScript's postfix non-null
 * assertion (`n! / 2`); anywhere else it is a prefix `!` (`!/re/.test(s)`). The one home of this
 * rule: the slice lexer (ts/slice-lexer.ts) reads `/` with it too.
 */
export function endsExpression(t: ts.SyntaxKind, prev: ts.SyntaxKind, ended: boolean, lineBreak: boolean): boolean {
  if (t === K.ExclamationToken) return ended && !lineBreak;
  if (t >= K.FirstKeyword && t <= K.LastKeyword && (prev === K.DotToken || prev === K.QuestionDotToken)) return true;
  return t === K.Identifier || t === K.PrivateIdentifier || t === K.NumericLiteral || t === K.BigIntLiteral || t === K.StringLiteral ||
    t === K.NoSubstitutionTemplateLiteral || t === K.TemplateTail || t === K.RegularExpressionLiteral || t === K.CloseParenToken ||
    t === K.CloseBracketToken || t === K.CloseBraceToken || t === K.ThisKeyword || t === K.SuperKeyword || t === K.TrueKeyword ||
    t === K.FalseKeyword || t === K.NullKeyword || t === K.PlusPlusToken || t === K.MinusMinusToken ||
    (t >= K.FirstKeyword && t <= K.LastKeyword && t > K.LastReservedWord);
}

/** An open `[`: whether it indexes (`x[…]`, not an array literal), and what stands directly inside. */
interface Bracket {
  readonly indexes: boolean;
  tokens: number;
  /** The key when the only token inside is a string literal or a template without holes (as written, quotes removed). */
  key: string | undefined;
}

/** Where a MentionReader gets the current token's text (one object per stretch, no allocation per token). */
export interface TokenText {
  /** The current token as written; an identifier's name with escapes read. */
  value(): string;
}

/**
 * What a stretch of TS/JS tokens mentions, read token by token: the one home of these rules, for
 * lexTs (tokens from TypeScript's scanner) and the slice lexer (ts/slice-lexer.ts, which has
 * scanned the file once already). Names: identifiers, contextual keywords, any keyword after a
 * dot (`repo.delete()`); after `this.` they are `thisProps`. A constant key of an element access
 * (`s['host']`) counts as a member mention (`.host`), as the evaluator reads it; an element
 * assigned with any other key, or a class declared, marks the stretch `fileWide`. With `counts`
 * (top-level code, lexed for its references only) every name is counted instead (`x`, `.x`,
 * `this.x`), and brackets are not read.
 */
export class MentionReader {
  readonly idents = new Set<string>();
  readonly props = new Set<string>();
  readonly thisProps = new Set<string>();
  /** Member names assigned (`x.m = …`, `x['m'] = …`): the evaluator reads them file-wide (assignedMember). */
  readonly assigned = new Set<string>();
  private fileWide = false;
  /** The member named by the last token(s) — `x.m` or `x['m']` — until another token comes. */
  private member: string | undefined;
  private prev: ts.SyntaxKind = K.Unknown;
  private prev2: ts.SyntaxKind = K.Unknown;
  /** Whether an expression has ended (endsExpression): a `/` next is division. */
  ended = false;
  /** Open brackets, innermost last (not with counts). */
  private readonly open: ts.SyntaxKind[] = [];
  private readonly brackets: Bracket[] = [];
  /** The token before was the `]` of an element access whose key is no constant. */
  private computedKeyClosed = false;

  constructor(private readonly counts?: Map<string, number>) {}

  /** The next token: its kind (after any rescan of `/` or `}`), whether a line break precedes it, its text. */
  token(t: ts.SyntaxKind, lineBreak: boolean, text: TokenText): void {
    const member = this.member;
    this.member = undefined;
    if (member !== undefined && t >= K.FirstAssignment && t <= K.LastAssignment) this.assigned.add(member);
    if (!this.counts) this.bracketToken(t, text);
    const afterDot = this.prev === K.DotToken || this.prev === K.QuestionDotToken;
    const isKeyword = t >= K.FirstKeyword && t <= K.LastKeyword;
    if (t === K.ClassKeyword && !afterDot && !this.counts) this.fileWide = true;
    // `import.meta` anywhere makes TypeScript read the file as a module (strict, as an import
    // would): a file-wide fact too.
    if (t === K.Identifier && afterDot && this.prev2 === K.ImportKeyword && !this.counts && text.value() === 'meta') this.fileWide = true;
    if (t === K.Identifier || t === K.PrivateIdentifier || (isKeyword && (afterDot || t > K.LastReservedWord))) {
      const id = text.value();
      const counts = this.counts;
      if (afterDot && this.prev2 === K.ThisKeyword) this.thisProps.add(id);
      else if (afterDot) this.props.add(id);
      else this.idents.add(id);
      if (afterDot) this.member = id;
      if (counts) {
        // `this.x` apart from `y.x`: only the former reaches this file's class members (planFirstSliceTs).
        const key = afterDot ? (this.prev2 === K.ThisKeyword ? `this.${id}` : `.${id}`) : id;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    this.ended = endsExpression(t, this.prev, this.ended, lineBreak);
    this.prev2 = this.prev;
    this.prev = t;
  }

  private bracketToken(t: ts.SyntaxKind, text: TokenText): void {
    if (this.computedKeyClosed && t >= K.FirstAssignment && t <= K.LastAssignment) this.fileWide = true;
    this.computedKeyClosed = false;
    // A token directly inside the innermost `[` (its closing `]` is not).
    if (this.open[this.open.length - 1] === K.OpenBracketToken && t !== K.CloseBracketToken) {
      const b = this.brackets[this.brackets.length - 1];
      b.tokens++;
      if (b.tokens === 1 && (t === K.StringLiteral || t === K.NoSubstitutionTemplateLiteral)) {
        const body = text.value().slice(1, -1);
        b.key = body.includes('\\') ? undefined : body;
      } else b.key = undefined;
    }
    if (t === K.OpenParenToken || t === K.OpenBracketToken || t === K.OpenBraceToken || t === K.TemplateHead) {
      this.open.push(t);
      if (t === K.OpenBracketToken) this.brackets.push({ indexes: this.ended, tokens: 0, key: undefined });
    } else if (t === K.CloseParenToken || t === K.CloseBracketToken || t === K.CloseBraceToken || t === K.TemplateTail) {
      const o = this.open.pop();
      if (o === K.OpenBracketToken) {
        const b = this.brackets.pop()!;
        if (b.indexes && b.key !== undefined) {
          this.props.add(b.key);
          this.member = b.key;
        }
        else if (b.indexes) this.computedKeyClosed = true;
      }
    }
  }

  /** What the stretch mentions; `balanced` from the caller's bracket check. */
  lexed(balanced: boolean): UnitLex {
    return { balanced, idents: this.idents, props: this.props, thisProps: this.thisProps, assigned: this.assigned, ...(this.fileWide ? { fileWide: true } : {}) };
  }
}

/** One scanner for every lexTs call (creating one per unit cost more than scanning small bodies). */
let sharedScanner: ts.Scanner | undefined;

/**
 * The shared scanner (standard variant), set to text[start, start + length). The caller must be
 * done with it before anything else lexes (lexTs included); `scanner.setText('')` when done lets
 * the text go.
 */
export function scannerOver(text: string, start = 0, length = text.length - start): ts.Scanner {
  const sc = (sharedScanner ??= tsApi.createScanner(tsApi.ScriptTarget.Latest, true, tsApi.LanguageVariant.Standard));
  sc.setText(text, start, length);
  return sc;
}

/**
 * Lexes text[start, end) with TypeScript's scanner (standard variant: not for JSX — callers
 * keep JS files that may hold JSX away, engine/incremental.ts lexerFor): brackets and strings
 * checked, mentions read by MentionReader.
 */
export function lexTs(text: string, start: number, end: number, opts: LexOptions = {}): UnitLex {
  const counts = opts.counts;
  const reader = new MentionReader(counts);
  const sc = scannerOver(text, start, end - start);
  const tokenText: TokenText = { value: () => (sc.getToken() === K.Identifier || sc.getToken() === K.PrivateIdentifier ? sc.getTokenValue() : sc.getTokenText()) };
  /** Open brackets and template heads, for the balance check (with counts: template braces only). */
  const stack: ts.SyntaxKind[] = [];
  try {
    for (let guard = 0; guard < 10_000_000; guard++) {
      let t = sc.scan();
      if (t === K.EndOfFileToken) return reader.lexed(stack.length === 0);
      if ((t === K.SlashToken || t === K.SlashEqualsToken) && !reader.ended) t = sc.reScanSlashToken();
      if (counts) {
        // Top-level code: references only. Template literals still need their braces tracked.
        if (t === K.TemplateHead) stack.push(t);
        else if (t === K.CloseBraceToken && stack[stack.length - 1] === K.TemplateHead) {
          t = sc.reScanTemplateToken(false);
          if (t === K.TemplateTail) stack.pop();
        } else if (t === K.OpenBraceToken && stack.length) stack.push(t);
        else if (t === K.CloseBraceToken && stack.length) stack.pop();
      } else if (t === K.CloseBraceToken && stack[stack.length - 1] === K.TemplateHead) {
        t = sc.reScanTemplateToken(false);
        if (t === K.TemplateTail) stack.pop();
      } else if (t === K.TemplateHead || t === K.OpenBraceToken || t === K.OpenParenToken || t === K.OpenBracketToken) {
        stack.push(t);
      } else {
        const open = OPEN.get(t);
        if (open !== undefined && stack.pop() !== open) return reader.lexed(false);
      }
      if (!counts && (sc.isUnterminated() || t === K.Unknown)) return reader.lexed(false);
      reader.token(t, sc.hasPrecedingLineBreak(), tokenText);
    }
    return reader.lexed(false);
  } finally {
    sc.setText(''); // the scanner keeps no reference to the text
  }
}
