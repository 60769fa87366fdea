/**
 * The outline of a TS/JS file for incremental re-analysis (engine/incremental.ts): the outermost
 * function bodies (functions, methods, constructors, accessors, arrow and function expressions
 * with a block body — route handlers passed as callbacks included), module-level variable names,
 * and where the parser recovered from errors — plus the lexer (TypeScript's own scanner) that
 * checks an edited body and lists the names it mentions.
 */
import type * as ts from 'typescript';
import type { CodeContainer, CodeUnit, Outline } from '../values';
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

export function tsOutline(sf: ts.SourceFile, errorStarts: readonly number[] | undefined): Outline {
  const units: CodeUnit[] = [];
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
      if (sf.text[open] === '{' && sf.text[body.end - 1] === '}' && body.end - 1 > open) units.push({ start: open + 1, end: body.end - 1 });
      continue;
    }
    if (isFunctionWithBlock(n)) {
      const open = n.body.getStart(sf);
      if (sf.text[open] === '{' && sf.text[n.body.end - 1] === '}' && n.body.end - open >= 2) {
        const named = unitName(n, containerOf);
        // Only functions bind parameters from their call (ts/evaluate.ts callSiteOf), not methods.
        units.push({ start: open + 1, end: n.body.end - 1, ...named, params: n.parameters.length > 0 && named.member !== true });
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
  const values: string[] = [];
  for (const s of sf.statements) {
    if (tsApi.isVariableStatement(s)) for (const d of s.declarationList.declarations) bindingNames(d.name, values);
  }
  return { units, containers, values: [...new Set(values)], errorAt: errorStarts ? [...errorStarts] : undefined };
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
  /** The key when the only token inside is a string literal or a template without holes. */
  key: string | undefined;
}

/**
 * Lexes text[start, end) with TypeScript's scanner (standard variant: not for JSX — callers
 * keep JS files that may hold JSX away, engine/incremental.ts lexerFor). A constant key of an
 * element access (`s['host']`) counts as a member mention (`.host`), as the evaluator reads it;
 * an element assigned with any other key, or a class declared, marks the unit `fileWide`.
 */
export function lexTs(text: string, start: number, end: number, opts: LexOptions = {}): UnitLex {
  const counts = opts.counts;
  const idents = new Set<string>();
  const props = new Set<string>();
  const thisProps = new Set<string>();
  let fileWide = false;
  let prev2: ts.SyntaxKind = K.Unknown;
  const stack: ts.SyntaxKind[] = [];
  /** The open `[` brackets, innermost last (units only). */
  const brackets: Bracket[] = [];
  /** The token before was the `]` of an element access with a key that is no constant. */
  let computedKeyClosed = false;
  const lexed = (balanced: boolean): UnitLex => ({ balanced, idents, props, thisProps, ...(fileWide ? { fileWide } : {}) });
  const sc = tsApi.createScanner(tsApi.ScriptTarget.Latest, true, tsApi.LanguageVariant.Standard, text, undefined, start, end - start);
  let prev: ts.SyntaxKind = K.Unknown;
  let ended = false;
  for (let guard = 0; guard < 10_000_000; guard++) {
    let t = sc.scan();
    if (t === K.EndOfFileToken) return lexed(stack.length === 0);
    if ((t === K.SlashToken || t === K.SlashEqualsToken) && !ended) t = sc.reScanSlashToken();
    if (counts) {
      // Top-level code: references only. Template literals still need their braces tracked.
      if (t === K.TemplateHead) stack.push(t);
      else if (t === K.CloseBraceToken && stack[stack.length - 1] === K.TemplateHead) {
        if (sc.reScanTemplateToken(false) === K.TemplateTail) stack.pop();
      } else if (t === K.OpenBraceToken && stack.length) stack.push(t);
      else if (t === K.CloseBraceToken && stack.length) stack.pop();
    } else {
      if (computedKeyClosed && t >= K.FirstAssignment && t <= K.LastAssignment) fileWide = true;
      computedKeyClosed = false;
      if (t === K.CloseBraceToken && stack[stack.length - 1] === K.TemplateHead) {
        t = sc.reScanTemplateToken(false);
        if (t === K.TemplateTail) stack.pop();
      }
      // A token directly inside the innermost `[` (a closing `]` is not).
      const inner = stack[stack.length - 1] === K.OpenBracketToken && t !== K.CloseBracketToken ? brackets[brackets.length - 1] : undefined;
      if (inner) {
        inner.tokens++;
        inner.key = inner.tokens === 1 && (t === K.StringLiteral || t === K.NoSubstitutionTemplateLiteral) ? sc.getTokenValue() : undefined;
      }
      if (t === K.TemplateHead || t === K.OpenBraceToken || t === K.OpenParenToken || t === K.OpenBracketToken) {
        stack.push(t);
        if (t === K.OpenBracketToken) brackets.push({ indexes: ended, tokens: 0, key: undefined });
      } else if (t !== K.TemplateTail && t !== K.TemplateMiddle) {
        const open = OPEN.get(t);
        if (open !== undefined && stack.pop() !== open) return lexed(false);
        if (t === K.CloseBracketToken) {
          const b = brackets.pop()!;
          if (b.indexes && b.key !== undefined) props.add(b.key);
          else if (b.indexes) computedKeyClosed = true;
        }
      }
    }
    if (!counts && (sc.isUnterminated() || t === K.Unknown)) return lexed(false);
    const afterDot = prev === K.DotToken || prev === K.QuestionDotToken;
    // Keywords too: contextual ones (get, set, type, async…) are also names, and after a dot any
    // keyword is a property name (`repo.delete()`).
    const isKeyword = t >= K.FirstKeyword && t <= K.LastKeyword;
    if (t === K.ClassKeyword && !afterDot && !counts) fileWide = true;
    const id = t === K.Identifier || t === K.PrivateIdentifier ? sc.getTokenValue() : isKeyword && (afterDot || t > K.LastReservedWord) ? sc.getTokenText() : undefined;
    if (id !== undefined) {
      if (afterDot && prev2 === K.ThisKeyword) thisProps.add(id);
      else if (afterDot) props.add(id);
      else idents.add(id);
      if (counts) {
        const key = afterDot ? `.${id}` : id;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    // `import.meta` anywhere makes TypeScript read the file as a module (strict, as an import
    // would): a file-wide fact too.
    if (t === K.Identifier && afterDot && prev2 === K.ImportKeyword && !counts && sc.getTokenValue() === 'meta') fileWide = true;
    ended = endsExpression(t, prev, ended, sc.hasPrecedingLineBreak());
    prev2 = prev;
    prev = t;
  }
  return lexed(false);
}
