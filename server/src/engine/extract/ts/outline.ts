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
import type { LexOptions, UnitLex } from '../go/outline';

function propertyName(n: ts.PropertyName | ts.BindingName | undefined): string | undefined {
  if (!n) return undefined;
  if (tsApi.isIdentifier(n) || tsApi.isPrivateIdentifier(n) || tsApi.isStringLiteral(n)) return n.text;
  return undefined;
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
        containers.push({ start: open + 1, end: n.end - 1, name: n.name?.text, members });
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

/** Tokens after which a `/` is division; elsewhere it starts a regular expression. */
function endsExpression(t: ts.SyntaxKind): boolean {
  return t === K.Identifier || t === K.PrivateIdentifier || t === K.NumericLiteral || t === K.BigIntLiteral || t === K.StringLiteral ||
    t === K.NoSubstitutionTemplateLiteral || t === K.TemplateTail || t === K.RegularExpressionLiteral || t === K.CloseParenToken ||
    t === K.CloseBracketToken || t === K.CloseBraceToken || t === K.ThisKeyword || t === K.SuperKeyword || t === K.TrueKeyword ||
    t === K.FalseKeyword || t === K.NullKeyword || t === K.PlusPlusToken || t === K.MinusMinusToken;
}

/** Lexes text[start, end) with TypeScript's scanner (standard variant: not for JSX). */
export function lexTs(text: string, start: number, end: number, opts: LexOptions = {}): UnitLex {
  const counts = opts.counts;
  const idents = new Set<string>();
  const props = new Set<string>();
  const thisProps = new Set<string>();
  let prev2: ts.SyntaxKind = K.Unknown;
  const stack: ts.SyntaxKind[] = [];
  const sc = tsApi.createScanner(tsApi.ScriptTarget.Latest, true, tsApi.LanguageVariant.Standard, text, undefined, start, end - start);
  let prev: ts.SyntaxKind = K.Unknown;
  for (let guard = 0; guard < 10_000_000; guard++) {
    let t = sc.scan();
    if (t === K.EndOfFileToken) return { balanced: stack.length === 0, idents, props, thisProps };
    if ((t === K.SlashToken || t === K.SlashEqualsToken) && !endsExpression(prev)) t = sc.reScanSlashToken();
    if (counts) {
      // Top-level code: references only. Template literals still need their braces tracked.
      if (t === K.TemplateHead) stack.push(t);
      else if (t === K.CloseBraceToken && stack[stack.length - 1] === K.TemplateHead) {
        if (sc.reScanTemplateToken(false) === K.TemplateTail) stack.pop();
      } else if (t === K.OpenBraceToken && stack.length) stack.push(t);
      else if (t === K.CloseBraceToken && stack.length) stack.pop();
    } else if (t === K.CloseBraceToken && stack[stack.length - 1] === K.TemplateHead) {
      t = sc.reScanTemplateToken(false);
      if (t === K.TemplateTail) stack.pop();
    } else if (t === K.TemplateHead || t === K.OpenBraceToken || t === K.OpenParenToken || t === K.OpenBracketToken) {
      stack.push(t);
    } else {
      const open = OPEN.get(t);
      if (open !== undefined && stack.pop() !== open) return { balanced: false, idents, props, thisProps };
    }
    if (!counts && (sc.isUnterminated() || t === K.Unknown)) return { balanced: false, idents, props, thisProps };
    const afterDot = prev === K.DotToken || prev === K.QuestionDotToken;
    // Keywords too: contextual ones (get, set, type, async…) are also names, and after a dot any
    // keyword is a property name (`repo.delete()`).
    const isKeyword = t >= K.FirstKeyword && t <= K.LastKeyword;
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
    prev2 = prev;
    prev = t;
  }
  return { balanced: false, idents, props, thisProps };
}
