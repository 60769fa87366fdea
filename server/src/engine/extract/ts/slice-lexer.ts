/**
 * The slice outline of a TS/JS file from its tokens alone, before any parse (values.ts
 * SliceOutline; engine/incremental.ts planFirstSliceTs): the outermost function and type bodies
 * with the names other code reaches them by and their role, and the top-level declarations of
 * values. The same facts tsOutline (ts/outline.ts) reads from a parse — the planner computes its
 * plan from both and uses the slice only when the two plans agree, so this lexer may be wrong
 * (then the file is parsed in full), never the result.
 *
 * It reads the shapes service code is written in: imports, `const`/`let`/`var`, function and class
 * declarations (decorators, modifiers, accessors, property initializers), interfaces and type
 * literals, call statements with callbacks (`router.get('/x', async (req, res) => {…})`),
 * `export` of any of these, and expressions with object literals, arrows and function
 * expressions. Anything else — top-level control flow, namespaces, class expressions, static
 * blocks, unbalanced or unterminated tokens — gives undefined: parse in full.
 */
import type * as ts from 'typescript';
import type { Range } from '../../model';
import type { SliceOutline, SliceUnit, SliceValue } from '../values';
import type { UnitLex } from '../go/outline';
import { tsApi } from './api';
import { endsExpression, MentionReader, scannerOver } from './outline';
import { showsTriggerToken } from '../../sources';

const K = tsApi.SyntaxKind;

/** A reason to give up on the lexed outline (the file is then analysed with a full parse). */
class GiveUp extends Error {}

function giveUp(): never {
  throw new GiveUp();
}

/** Tokens that, after a line break, continue the expression before them (no automatic semicolon). */
function continues(t: ts.SyntaxKind): boolean {
  if (t >= K.FirstBinaryOperator && t <= K.LastBinaryOperator) return true;
  if (t >= K.FirstAssignment && t <= K.LastAssignment) return true;
  return t === K.OpenParenToken || t === K.OpenBracketToken || t === K.DotToken || t === K.QuestionDotToken || t === K.QuestionToken ||
    t === K.ColonToken || t === K.CommaToken || t === K.EqualsGreaterThanToken || t === K.NoSubstitutionTemplateLiteral ||
    t === K.TemplateHead || t === K.InKeyword || t === K.InstanceOfKeyword || t === K.AsKeyword || t === K.SatisfiesKeyword ||
    t === K.ExclamationToken;
}

const MODIFIERS = new Set(['static', 'public', 'private', 'protected', 'readonly', 'abstract', 'override', 'declare', 'accessor', 'async']);

class Tokens {
  readonly kind: ts.SyntaxKind[] = [];
  readonly start: number[] = [];
  readonly end: number[] = [];
  readonly nl: boolean[] = [];
  /** For a bracket token, the index of its partner; -1 otherwise. */
  readonly match: number[] = [];

  constructor(readonly text: string) {
    const sc = scannerOver(text);
    try {
      this.scan(sc);
    } finally {
      sc.setText(''); // the shared scanner keeps no reference to the text
    }
  }

  private scan(sc: ts.Scanner): void {
    /** Open brackets (token indices), -1 for a template literal's `${`. */
    const stack: number[] = [];
    let ended = false;
    for (let guard = 0; guard < 20_000_000; guard++) {
      let t = sc.scan();
      if (t === K.EndOfFileToken) {
        if (stack.length) giveUp();
        return;
      }
      if ((t === K.SlashToken || t === K.SlashEqualsToken) && !ended) t = sc.reScanSlashToken();
      if (t === K.CloseBraceToken && stack[stack.length - 1] === -1) {
        t = sc.reScanTemplateToken(false);
        if (t === K.TemplateTail) stack.pop();
      }
      if (sc.isUnterminated() || t === K.Unknown || t === K.ConflictMarkerTrivia) giveUp();
      const i = this.kind.length;
      this.kind.push(t);
      this.start.push(sc.getTokenStart());
      this.end.push(sc.getTokenEnd());
      this.nl.push(sc.hasPrecedingLineBreak());
      // Names are read from the text (value()): one with an escape would read differently.
      if ((t === K.Identifier || t === K.PrivateIdentifier) && sc.hasUnicodeEscape()) giveUp();
      this.match.push(-1);
      if (t === K.TemplateHead) stack.push(-1);
      else if (t === K.OpenParenToken || t === K.OpenBracketToken || t === K.OpenBraceToken) stack.push(i);
      else if (t === K.CloseParenToken || t === K.CloseBracketToken || t === K.CloseBraceToken) {
        const o = stack.pop();
        if (o === undefined || o === -1) giveUp();
        const want = t === K.CloseParenToken ? K.OpenParenToken : t === K.CloseBracketToken ? K.OpenBracketToken : K.OpenBraceToken;
        if (this.kind[o] !== want) giveUp();
        this.match[o] = i;
        this.match[i] = o;
      }
      ended = endsExpression(t, i > 0 ? this.kind[i - 1] : K.Unknown, ended, sc.hasPrecedingLineBreak());
    }
    giveUp();
  }

  get length(): number {
    return this.kind.length;
  }

  /** A token's name: its text, a string literal's body (escapes read as written: such a name only matters as a trigger). */
  value(i: number): string {
    const s = this.start[i];
    const e = this.end[i];
    return this.kind[i] === K.StringLiteral || this.kind[i] === K.NoSubstitutionTemplateLiteral ? this.text.slice(s + 1, e - 1) : this.text.slice(s, e);
  }
}

/** A name as tsOutline's propertyName reads it: identifiers, private names, string literals (and any keyword used as a name). */
function isNameToken(t: ts.SyntaxKind): boolean {
  return t === K.Identifier || t === K.PrivateIdentifier || t === K.StringLiteral || t === K.NumericLiteral || (t >= K.FirstKeyword && t <= K.LastKeyword);
}

class SliceLexer {
  readonly units: SliceUnit[] = [];
  readonly values: SliceValue[] = [];

  constructor(private readonly t: Tokens) {}

  private k(i: number): ts.SyntaxKind {
    return i < this.t.length ? this.t.kind[i] : K.EndOfFileToken;
  }

  private v(i: number): string {
    return i < this.t.length ? this.t.value(i) : '';
  }

  /** A member's name at `i` as tsOutline names it (evaluate.ts propName): a number as its value (`0x10` is `16`). */
  private memberName(i: number): string | undefined {
    if (this.k(i) !== K.NumericLiteral) return this.v(i);
    const n = Number(this.v(i).replace(/_/g, ''));
    return Number.isFinite(n) ? String(n) : undefined;
  }

  /** The name of a computed member `[…]` opened at `i`: a string or a template without holes alone inside, else none. */
  private computedName(i: number): string | undefined {
    const k = this.k(i + 1);
    return (k === K.StringLiteral || k === K.NoSubstitutionTemplateLiteral) && this.t.match[i] === i + 2 ? this.v(i + 1) : undefined;
  }

  /** Index just past the token that closes the bracket opened at `i`. */
  private after(i: number): number {
    const m = this.t.match[i];
    if (m < 0) giveUp();
    return m + 1;
  }

  /** Whether a statement (or class member) ends before token `i` (`;` excluded): end of input, or a line break where no expression can go on. */
  private endsBefore(i: number): boolean {
    if (i >= this.t.length) return true;
    const k = this.k(i);
    if (k === K.CloseBraceToken) return true;
    return this.t.nl[i] && endsExpression(this.k(i - 1), K.Unknown, false, false) && !continues(k);
  }

  /** The end (exclusive, `;` included) of the statement or member whose tokens start at `i`, brackets skipped. */
  private statementEnd(i: number, limit: number): number {
    let j = i;
    for (;;) {
      if (j >= limit) return limit;
      const k = this.k(j);
      if (k === K.SemicolonToken) return j + 1;
      if (j > i && this.endsBefore(j)) return j;
      j = k === K.OpenParenToken || k === K.OpenBracketToken || k === K.OpenBraceToken ? this.after(j) : j + 1;
    }
  }

  /** Skips `<…>` type parameters or arguments at `i` (angle brackets counted); the index after them. */
  private skipAngles(i: number): number {
    let depth = 0;
    for (let j = i; j < this.t.length; j++) {
      const k = this.k(j);
      if (k === K.LessThanToken) depth++;
      else if (k === K.GreaterThanToken) {
        if (--depth === 0) return j + 1;
      } else if (k === K.OpenParenToken || k === K.OpenBracketToken || k === K.OpenBraceToken) j = this.after(j) - 1;
      else if (k === K.SemicolonToken || k === K.CloseBraceToken || k === K.CloseParenToken) giveUp();
    }
    giveUp();
  }

  /**
   * A return type annotation from `i` (just after `:`) up to the body's `{` (functions) or `=>`
   * (arrows): the index of that token. An object type's `{` follows a token that cannot end a
   * type (`:`, `|`, `&`, `<`…) and is skipped; the body's follows one that can.
   */
  private skipReturnType(i: number, arrow: boolean): number {
    for (let j = i; j < this.t.length; ) {
      const k = this.k(j);
      if (arrow && k === K.EqualsGreaterThanToken) return j;
      if (k === K.OpenBraceToken) {
        const pk = this.k(j - 1);
        if (!arrow && j > i && (endsExpression(pk, K.Unknown, false, false) || pk === K.GreaterThanToken || (pk >= K.FirstKeyword && pk <= K.LastKeyword))) return j;
        j = this.after(j);
        continue;
      }
      if (k === K.LessThanToken) {
        j = this.skipAngles(j);
        continue;
      }
      if (k === K.OpenParenToken || k === K.OpenBracketToken) {
        j = this.after(j);
        continue;
      }
      if (k === K.SemicolonToken || k === K.CloseBraceToken || k === K.CloseParenToken || k === K.CommaToken || k === K.EqualsToken) return -1;
      j++;
    }
    return -1;
  }

  /**
   * A function head at `i` (`async`? then `function *? name? <…>? (…) (: T)? {` or an arrow
   * `<…>? (…) (: T)? => {` / `x => {`): the index of the body's `{`, or -1.
   */
  private headAt(i: number): number {
    let j = i;
    if (this.k(j) === K.AsyncKeyword && !this.t.nl[j + 1] && this.k(j + 1) !== K.EqualsGreaterThanToken) j++;
    if (this.k(j) === K.FunctionKeyword) {
      j++;
      if (this.k(j) === K.AsteriskToken) j++;
      if (this.k(j) !== K.OpenParenToken && this.k(j) !== K.LessThanToken) j++;
      if (this.k(j) === K.LessThanToken) j = this.skipAngles(j);
      if (this.k(j) !== K.OpenParenToken) return -1;
      j = this.after(j);
      if (this.k(j) === K.ColonToken) return this.skipReturnType(j + 1, false);
      return this.k(j) === K.OpenBraceToken ? j : -1;
    }
    if (this.k(j) === K.Identifier && this.k(j + 1) === K.EqualsGreaterThanToken) return this.k(j + 2) === K.OpenBraceToken ? j + 2 : -1;
    if (this.k(j) === K.LessThanToken) j = this.skipAngles(j);
    if (this.k(j) !== K.OpenParenToken) return -1;
    j = this.after(j);
    if (this.k(j) === K.ColonToken) {
      j = this.skipReturnType(j + 1, true);
      if (j < 0) return -1;
    }
    if (this.k(j) !== K.EqualsGreaterThanToken) return -1;
    return this.k(j + 1) === K.OpenBraceToken ? j + 1 : -1;
  }

  private unit(open: number, u: Omit<SliceUnit, 'start' | 'end'>): number {
    const close = this.after(open) - 1;
    this.units.push({ start: this.t.end[open], end: this.t.start[close], declStart: u.declStart, name: u.name, member: u.member, role: u.role, ...(u.context ? { context: u.context } : {}) });
    return close + 1;
  }

  /**
   * Units inside an expression's tokens [i, end): arrows and function expressions (named as
   * tsOutline names them: their own name, else none), object literals' methods and function
   * values (named after their key, as members). All pinned.
   */
  private expression(i: number, end: number): void {
    for (let j = i; j < end; ) {
      const k = this.k(j);
      if (k === K.ClassKeyword) giveUp();
      if (k === K.FunctionKeyword || k === K.AsyncKeyword || k === K.OpenParenToken || k === K.Identifier || k === K.LessThanToken) {
        const body = k === K.LessThanToken && this.k(j - 1) !== K.EqualsToken && this.k(j - 1) !== K.OpenParenToken && this.k(j - 1) !== K.CommaToken ? -1 : this.headAt(j);
        if (body >= 0 && body < end) {
          const named = k === K.FunctionKeyword && this.k(j + 1) === K.Identifier ? this.v(j + 1) : k === K.FunctionKeyword && this.k(j + 1) === K.AsteriskToken && this.k(j + 2) === K.Identifier ? this.v(j + 2) : undefined;
          this.expression(j, body);
          j = this.unit(body, { declStart: this.t.start[j], name: named, member: false, role: 'pinned' });
          continue;
        }
      }
      if (k === K.OpenBraceToken) {
        this.objectLiteral(j);
        j = this.after(j);
        continue;
      }
      if (k === K.OpenParenToken || k === K.OpenBracketToken) {
        this.expression(j + 1, this.after(j) - 1);
        j = this.after(j);
        continue;
      }
      j++;
    }
  }

  /** The end (exclusive) of the comma-separated element that starts at `j`, before `close`: up to the next comma at this level. */
  private elementEnd(j: number, close: number): number {
    let e = j;
    while (e < close && this.k(e) !== K.CommaToken) {
      const k = this.k(e);
      e = k === K.OpenParenToken || k === K.OpenBracketToken || k === K.OpenBraceToken ? this.after(e) : e + 1;
    }
    return e;
  }

  /** An object literal at `open`: its methods and function-valued properties are pinned units named after their keys. */
  private objectLiteral(open: number): void {
    const close = this.after(open) - 1;
    let j = open + 1;
    while (j < close) {
      const end = this.elementEnd(j, close);
      this.property(j, end);
      j = end + 1;
    }
  }

  private property(i: number, end: number): void {
    if (i >= end) return;
    if (this.k(i) === K.DotDotDotToken) return this.expression(i + 1, end);
    // Method: modifiers (async, get, set, *), a name, (…), an optional type, a body.
    let j = i;
    while ((this.k(j) === K.AsyncKeyword || this.k(j) === K.GetKeyword || this.k(j) === K.SetKeyword || this.k(j) === K.AsteriskToken) && j + 1 < end && this.k(j + 1) !== K.OpenParenToken && this.k(j + 1) !== K.ColonToken && this.k(j + 1) !== K.CommaToken) j++;
    let name: string | undefined;
    let nameEnd: number;
    if (this.k(j) === K.OpenBracketToken) {
      this.expression(j + 1, this.after(j) - 1);
      nameEnd = this.after(j);
      name = this.computedName(j);
    } else if (isNameToken(this.k(j))) {
      name = this.memberName(j);
      nameEnd = j + 1;
    } else return this.expression(i, end);
    if (this.k(nameEnd) === K.QuestionToken) nameEnd++;
    if (this.k(nameEnd) === K.OpenParenToken || this.k(nameEnd) === K.LessThanToken) {
      let p = nameEnd;
      if (this.k(p) === K.LessThanToken) p = this.skipAngles(p);
      if (this.k(p) !== K.OpenParenToken) giveUp();
      p = this.after(p);
      const body = this.k(p) === K.ColonToken ? this.skipReturnType(p + 1, false) : this.k(p) === K.OpenBraceToken ? p : -1;
      if (body < 0) giveUp();
      this.expression(nameEnd, body);
      this.unit(body, { declStart: this.t.start[i], name, member: true, role: 'pinned' });
      return;
    }
    if (this.k(nameEnd) === K.ColonToken) {
      const value = nameEnd + 1;
      const body = this.headAt(value);
      if (body >= 0 && this.after(body) === end) {
        this.expression(value, body);
        this.unit(body, { declStart: this.t.start[value], name, member: true, role: 'pinned' });
        return;
      }
      return this.expression(value, end);
    }
    // Shorthand (`{ a }`, `{ a = 1 }` in patterns).
    this.expression(nameEnd, end);
  }

  /** Identifiers a binding pattern binds (`{ a, b: c, d = 1, ...e }`, `[x, , y]`). */
  private bindingNames(i: number, end: number, out: string[]): void {
    const k = this.k(i);
    if (k === K.Identifier || (k >= K.FirstKeyword && k <= K.LastKeyword && k > K.LastReservedWord)) {
      out.push(this.v(i));
      return;
    }
    if (k !== K.OpenBraceToken && k !== K.OpenBracketToken) giveUp();
    const close = this.after(i) - 1;
    let j = i + 1;
    while (j < close) {
      const e = this.elementEnd(j, close);
      if (j < e) {
        let s = j;
        if (this.k(s) === K.DotDotDotToken) s++;
        if (k === K.OpenBraceToken && this.k(s + 1) === K.ColonToken) s += 2;
        else if (k === K.OpenBraceToken && this.k(s) === K.OpenBracketToken) giveUp();
        this.bindingNames(s, e, out);
      }
      j = e + 1;
    }
    void end;
  }

  /** `const|let|var` declarators from `i` (after the keyword) to `end`. */
  private variables(i: number, end: number): void {
    let j = i;
    while (j < end) {
      let e = j;
      while (e < end && this.k(e) !== K.CommaToken && this.k(e) !== K.SemicolonToken) {
        const kk = this.k(e);
        e = kk === K.OpenParenToken || kk === K.OpenBracketToken || kk === K.OpenBraceToken ? this.after(e) : kk === K.LessThanToken && this.k(e - 1) !== K.EqualsToken ? this.skipAngles(e) : e + 1;
      }
      const names: string[] = [];
      this.bindingNames(j, e, names);
      let eq = j + 1;
      if (this.k(j) === K.OpenBraceToken || this.k(j) === K.OpenBracketToken) eq = this.after(j);
      if (this.k(eq) === K.ExclamationToken) eq++;
      if (this.k(eq) === K.ColonToken) {
        eq++;
        while (eq < e && this.k(eq) !== K.EqualsToken) {
          const kk = this.k(eq);
          eq = kk === K.OpenParenToken || kk === K.OpenBracketToken || kk === K.OpenBraceToken ? this.after(eq) : kk === K.LessThanToken ? this.skipAngles(eq) : eq + 1;
        }
      }
      const last = e - 1;
      this.values.push({ names, start: this.t.start[j], end: this.t.end[last], imported: false });
      if (this.k(eq) === K.EqualsToken) {
        const value = eq + 1;
        const body = this.headAt(value);
        if (body >= 0 && this.after(body) === e && this.k(j) === K.Identifier) {
          this.expression(value, body);
          this.unit(body, { declStart: this.t.start[j], name: names[0], member: false, role: 'free' });
        } else {
          this.expression(value, e);
        }
      }
      j = e + 1;
    }
  }

  /** An import declaration from `i` (the `import` token) to `end`. */
  private importDecl(i: number, end: number, stmtEnd: number): void {
    const names: string[] = [];
    let j = i + 1;
    if (this.k(j) === K.TypeKeyword && this.k(j + 1) !== K.FromKeyword && this.k(j + 1) !== K.CommaToken && this.k(j + 1) !== K.EqualsToken) j++;
    for (; j < end; j++) {
      const k = this.k(j);
      if (k === K.StringLiteral || k === K.FromKeyword || k === K.EqualsToken) break;
      if (k === K.AsteriskToken) {
        if (this.k(j + 1) !== K.AsKeyword) giveUp();
        names.push(this.v(j + 2));
        j += 2;
      } else if (k === K.OpenBraceToken) {
        const close = this.after(j) - 1;
        for (let e = j + 1; e < close; ) {
          let s = e;
          if (this.k(s) === K.TypeKeyword && this.k(s + 1) !== K.CommaToken && this.k(s + 1) !== K.CloseBraceToken && this.k(s + 1) !== K.AsKeyword) s++;
          let local = s;
          if (this.k(s + 1) === K.AsKeyword) local = s + 2;
          names.push(this.v(local));
          e = local + 1;
          if (this.k(e) === K.CommaToken) e++;
          else if (e !== close) giveUp();
        }
        j = close;
      } else if (k === K.Identifier || (k >= K.FirstKeyword && k <= K.LastKeyword && k > K.LastReservedWord)) {
        names.push(this.v(j));
      } else if (k !== K.CommaToken) giveUp();
    }
    this.values.push({ names, start: this.t.start[i], end: this.t.end[stmtEnd - 1], imported: true });
  }

  /** A class declaration: `class` at `i`, statement tokens from `stmt`. Returns the index after its body. */
  private classDecl(i: number, stmt: number): number {
    let j = i + 1;
    const className = this.k(j) === K.Identifier ? this.v(j) : undefined;
    for (; j < this.t.length && this.k(j) !== K.OpenBraceToken; ) {
      const k = this.k(j);
      if (k === K.LessThanToken) j = this.skipAngles(j);
      else if (k === K.OpenParenToken || k === K.OpenBracketToken) j = this.after(j);
      else if (k === K.SemicolonToken || k === K.CloseBraceToken) giveUp();
      else j++;
    }
    void stmt;
    const open = j;
    const close = this.after(open) - 1;
    this.classBody(open + 1, close, className);
    return close + 1;
  }

  private classBody(i: number, close: number, className: string | undefined): void {
    let j = i;
    while (j < close) {
      if (this.k(j) === K.SemicolonToken) {
        j++;
        continue;
      }
      const memberStart = j;
      while (this.k(j) === K.AtToken) {
        j++;
        while (this.k(j) === K.Identifier || this.k(j) === K.DotToken || (this.k(j) >= K.FirstKeyword && this.k(j) <= K.LastKeyword)) j++;
        if (this.k(j) === K.LessThanToken) j = this.skipAngles(j);
        if (this.k(j) === K.OpenParenToken) {
          this.expression(j + 1, this.after(j) - 1);
          j = this.after(j);
        }
      }
      const isModifier = (x: number): boolean => {
        const nk = this.k(x + 1);
        return (MODIFIERS.has(this.v(x)) || this.k(x) === K.GetKeyword || this.k(x) === K.SetKeyword) &&
          nk !== K.OpenParenToken && nk !== K.EqualsToken && nk !== K.ColonToken && nk !== K.SemicolonToken && nk !== K.QuestionToken &&
          nk !== K.ExclamationToken && nk !== K.LessThanToken && nk !== K.CloseBraceToken && !this.t.nl[x + 1];
      };
      while ((this.k(j) === K.Identifier || (this.k(j) >= K.FirstKeyword && this.k(j) <= K.LastKeyword)) && isModifier(j)) j++;
      if (this.k(j) === K.AsteriskToken) j++;
      if (this.v(j) === 'static' && this.k(j + 1) === K.OpenBraceToken) giveUp();
      let name: string | undefined;
      let nameEnd: number;
      if (this.k(j) === K.OpenBracketToken) {
        nameEnd = this.after(j);
        if (this.k(nameEnd) === K.ColonToken || this.k(j + 2) === K.ColonToken) {
          // An index signature: up to the end of the member.
          j = this.statementEnd(j, close);
          continue;
        }
        this.expression(j + 1, nameEnd - 1);
        name = this.computedName(j);
      } else if (isNameToken(this.k(j))) {
        name = this.memberName(j);
        nameEnd = j + 1;
      } else giveUp();
      const ctor = name === 'constructor' && this.k(j) !== K.StringLiteral;
      let p = nameEnd;
      if (this.k(p) === K.QuestionToken || this.k(p) === K.ExclamationToken) p++;
      if (this.k(p) === K.OpenParenToken || this.k(p) === K.LessThanToken) {
        if (this.k(p) === K.LessThanToken) p = this.skipAngles(p);
        if (this.k(p) !== K.OpenParenToken) giveUp();
        const params = p;
        p = this.after(p);
        let body = -1;
        if (this.k(p) === K.ColonToken) body = this.skipReturnType(p + 1, false);
        else if (this.k(p) === K.OpenBraceToken) body = p;
        this.expression(params + 1, this.after(params) - 1);
        if (body < 0) {
          // An overload or abstract signature: no body.
          j = this.statementEnd(p, close);
          continue;
        }
        j = this.unit(body, { declStart: this.t.start[memberStart], name: ctor ? className : name, member: !ctor, role: 'free' });
        continue;
      }
      // A property: optional type, optional initializer, up to the end of the member.
      const end = this.statementEnd(p, close);
      let eq = p;
      while (eq < end && this.k(eq) !== K.EqualsToken) {
        const kk = this.k(eq);
        eq = kk === K.OpenParenToken || kk === K.OpenBracketToken || kk === K.OpenBraceToken ? this.after(eq) : kk === K.LessThanToken ? this.skipAngles(eq) : eq + 1;
      }
      if (eq < end) {
        const value = eq + 1;
        const valueEnd = this.k(end - 1) === K.SemicolonToken ? end - 1 : end;
        const body = this.headAt(value);
        if (body >= 0 && this.after(body) === valueEnd) {
          this.expression(value, body);
          this.unit(body, { declStart: this.t.start[memberStart], name, member: true, role: 'free' });
        } else {
          this.expression(value, valueEnd);
        }
      }
      j = end;
    }
  }

  /** A call statement `a.b.c(…)` over the whole of [i, end): its argument functions are callbacks. */
  private callStatement(i: number, end: number): boolean {
    let j = i;
    if (this.k(j) !== K.Identifier) return false;
    j++;
    while (this.k(j) === K.DotToken && (this.k(j + 1) === K.Identifier || (this.k(j + 1) >= K.FirstKeyword && this.k(j + 1) <= K.LastKeyword))) j += 2;
    if (this.k(j) !== K.OpenParenToken) return false;
    const close = this.after(j) - 1;
    const stmtEnd = this.k(end - 1) === K.SemicolonToken ? end - 1 : end;
    if (close + 1 !== stmtEnd) return false;
    const context: Range = { start: this.t.start[i], end: this.t.end[end - 1] };
    for (let a = j + 1; a < close; ) {
      let e = a;
      while (e < close && this.k(e) !== K.CommaToken) {
        const kk = this.k(e);
        e = kk === K.OpenParenToken || kk === K.OpenBracketToken || kk === K.OpenBraceToken ? this.after(e) : e + 1;
      }
      const body = this.headAt(a);
      if (body >= 0 && this.after(body) === e) {
        this.expression(a, body);
        this.unit(body, { declStart: this.t.start[a], name: this.k(a) === K.FunctionKeyword && this.k(a + 1) === K.Identifier ? this.v(a + 1) : undefined, member: false, role: 'callback', context });
      } else {
        this.expression(a, e);
      }
      a = e + 1;
    }
    return true;
  }

  /** One top-level statement from `i`; the index after it. */
  statement(i: number): number {
    const k = this.k(i);
    if (k === K.SemicolonToken) return i + 1;
    const stmt = i;
    let j = i;
    while (this.k(j) === K.AtToken) {
      j++;
      while (this.k(j) === K.Identifier || this.k(j) === K.DotToken) j++;
      if (this.k(j) === K.OpenParenToken) {
        this.expression(j + 1, this.after(j) - 1);
        j = this.after(j);
      }
    }
    let exported = false;
    if (this.k(j) === K.ExportKeyword) {
      exported = true;
      j++;
      if (this.k(j) === K.DefaultKeyword) {
        j++;
        if (this.k(j) !== K.FunctionKeyword && this.k(j) !== K.ClassKeyword && this.k(j) !== K.AbstractKeyword && !(this.k(j) === K.AsyncKeyword && this.k(j + 1) === K.FunctionKeyword)) {
          const end = this.statementEnd(j, this.t.length);
          this.expression(j, end);
          return end;
        }
      } else if (this.k(j) === K.OpenBraceToken || this.k(j) === K.AsteriskToken || this.k(j) === K.EqualsToken || this.k(j) === K.TypeKeyword && this.k(j + 1) === K.OpenBraceToken) {
        const end = this.statementEnd(j, this.t.length);
        this.expression(j, end);
        return end;
      }
    }
    const kw = this.k(j);
    if (kw === K.ImportKeyword && this.k(j + 1) !== K.OpenParenToken && this.k(j + 1) !== K.DotToken) {
      const end = this.statementEnd(j, this.t.length);
      this.importDecl(j, this.k(end - 1) === K.SemicolonToken ? end - 1 : end, end);
      return end;
    }
    if (kw === K.ConstKeyword && this.k(j + 1) === K.EnumKeyword) giveUp();
    if (kw === K.ConstKeyword || kw === K.VarKeyword || (kw === K.LetKeyword && (this.k(j + 1) === K.Identifier || this.k(j + 1) === K.OpenBraceToken || this.k(j + 1) === K.OpenBracketToken))) {
      const end = this.statementEnd(j + 1, this.t.length);
      this.variables(j + 1, this.k(end - 1) === K.SemicolonToken ? end - 1 : end);
      return end;
    }
    if (kw === K.FunctionKeyword || (kw === K.AsyncKeyword && this.k(j + 1) === K.FunctionKeyword && !this.t.nl[j + 1])) {
      const body = this.headAt(j);
      if (body < 0) {
        // An overload signature (no body).
        return this.statementEnd(j, this.t.length);
      }
      const fk = kw === K.AsyncKeyword ? j + 1 : j;
      const nameAt = this.k(fk + 1) === K.AsteriskToken ? fk + 2 : fk + 1;
      const name = this.k(nameAt) === K.Identifier || (this.k(nameAt) >= K.FirstKeyword && this.k(nameAt) <= K.LastKeyword && this.k(nameAt) !== K.OpenParenToken) ? this.v(nameAt) : undefined;
      this.expression(j, body);
      return this.unit(body, { declStart: this.t.start[stmt], name: this.k(nameAt) === K.OpenParenToken || this.k(nameAt) === K.LessThanToken ? undefined : name, member: false, role: 'free' });
    }
    if (kw === K.ClassKeyword || (kw === K.AbstractKeyword && this.k(j + 1) === K.ClassKeyword)) return this.classDecl(kw === K.ClassKeyword ? j : j + 1, stmt);
    if (kw === K.InterfaceKeyword || (kw === K.TypeKeyword && this.k(j + 1) === K.Identifier)) {
      let b = j + 1;
      const isType = kw === K.TypeKeyword;
      for (; b < this.t.length && (isType ? this.k(b) !== K.EqualsToken : this.k(b) !== K.OpenBraceToken); ) {
        const kk = this.k(b);
        if (kk === K.LessThanToken) b = this.skipAngles(b);
        else if (kk === K.OpenParenToken || kk === K.OpenBracketToken) b = this.after(b);
        else if (kk === K.SemicolonToken || kk === K.CloseBraceToken || (isType && kk === K.OpenBraceToken)) giveUp();
        else b++;
      }
      if (isType) {
        b++;
        if (this.k(b) !== K.OpenBraceToken) return this.typeEnd(b);
        const after = this.after(b);
        if (!this.endsBefore(after) && this.k(after) !== K.SemicolonToken) return this.typeEnd(b);
      }
      this.unit(b, { declStart: this.t.start[stmt], name: undefined, member: false, role: 'free' });
      const after = this.after(b);
      return this.k(after) === K.SemicolonToken ? after + 1 : after;
    }
    if (kw === K.DeclareKeyword && (this.k(j + 1) === K.ConstKeyword || this.k(j + 1) === K.LetKeyword || this.k(j + 1) === K.VarKeyword)) {
      const end = this.typeEnd(j + 2);
      this.variables(j + 2, this.k(end - 1) === K.SemicolonToken ? end - 1 : end);
      return end;
    }
    if (kw === K.EnumKeyword || kw === K.DeclareKeyword) return this.typeEnd(j);
    if (exported) giveUp();
    // An expression statement.
    const end = this.statementEnd(j, this.t.length);
    if (this.isControl(j)) giveUp();
    if (!this.callStatement(j, end) && !this.memberAssignment(j, end)) this.expression(j, end);
    return end;
  }

  /** `a.b = <function>` over the whole of [i, end): a unit named `b`, as a member (pinned). */
  private memberAssignment(i: number, end: number): boolean {
    if (this.k(i) !== K.Identifier || this.k(i + 1) !== K.DotToken) return false;
    let j = i + 1;
    while (this.k(j) === K.DotToken && isNameToken(this.k(j + 1)) && this.k(j + 1) !== K.StringLiteral && this.k(j + 1) !== K.NumericLiteral) j += 2;
    if (this.k(j) !== K.EqualsToken) return false;
    const body = this.headAt(j + 1);
    const stmtEnd = this.k(end - 1) === K.SemicolonToken ? end - 1 : end;
    if (body < 0 || this.after(body) !== stmtEnd) return false;
    this.expression(j + 1, body);
    this.unit(body, { declStart: this.t.start[j + 1], name: this.v(j - 1), member: true, role: 'pinned' });
    return true;
  }

  /** Top-level control flow and blocks are not read (the file is parsed in full). */
  private isControl(j: number): boolean {
    const k = this.k(j);
    return k === K.IfKeyword || k === K.ForKeyword || k === K.WhileKeyword || k === K.DoKeyword || k === K.SwitchKeyword || k === K.TryKeyword ||
      k === K.WithKeyword || k === K.OpenBraceToken || k === K.ReturnKeyword || k === K.ThrowKeyword ||
      ((this.v(j) === 'namespace' || this.v(j) === 'module') && (this.k(j + 1) === K.Identifier || this.k(j + 1) === K.StringLiteral) && !this.t.nl[j + 1]) ||
      (k === K.Identifier && this.k(j + 1) === K.ColonToken);
  }

  /** The end of a type-level statement (type alias, enum, `declare …`) from `i`, brackets skipped, no units read. */
  private typeEnd(i: number): number {
    let j = i;
    for (;;) {
      if (j >= this.t.length) return j;
      const k = this.k(j);
      if (k === K.SemicolonToken) return j + 1;
      if (j > i && this.t.nl[j] && !continues(k) && k !== K.BarToken && k !== K.AmpersandToken && (endsExpression(this.k(j - 1), K.Unknown, false, false) || this.k(j - 1) === K.GreaterThanToken)) return j;
      j = k === K.OpenParenToken || k === K.OpenBracketToken || k === K.OpenBraceToken ? this.after(j) : k === K.LessThanToken ? this.skipAngles(j) : j + 1;
    }
  }
}

/**
 * The slice outline of a TS/JS (not JSX) file's text from its tokens, or undefined: parse it in
 * full. With it, what each unit body mentions and how often the code outside them names each
 * identifier — what engine/incremental.ts lexUnits gives with ts/outline.ts lexTs, read from the
 * same tokens instead of scanning the file again.
 */
export function lexTsSliceOutline(text: string): { outline: SliceOutline; lexes: UnitLex[]; counts: Map<string, number> } | undefined {
  try {
    const tokens = new Tokens(text);
    const lexer = new SliceLexer(tokens);
    for (let i = 0; i < tokens.length; ) {
      const next = lexer.statement(i);
      if (next <= i) return undefined;
      i = next;
    }
    const units = lexer.units.sort((a, b) => a.start - b.start);
    for (let i = 1; i < units.length; i++) if (units[i].start < units[i - 1].end) return undefined;
    return { outline: { units, values: lexer.values }, ...mentions(tokens, units) };
  } catch (e) {
    if (e instanceof GiveUp || e instanceof RangeError) return undefined;
    throw e;
  }
}

/**
 * Per unit, what its body mentions; outside units, how often each name occurs — what
 * engine/incremental.ts lexUnits gives with ts/outline.ts lexTs (the same MentionReader, each
 * unit and each stretch between them read on its own), from the tokens already scanned.
 */
function mentions(t: Tokens, units: readonly SliceUnit[]): { lexes: UnitLex[]; counts: Map<string, number> } {
  const counts = new Map<string, number>();
  const lexes: UnitLex[] = [];
  const at = { i: 0, value: (): string => t.text.slice(t.start[at.i], t.end[at.i]) };
  let i = 0;
  const read = (reader: MentionReader, end: number): void => {
    for (; i < t.length && t.start[i] < end; i++) {
      at.i = i;
      reader.token(t.kind[i], t.nl[i], at);
    }
  };
  for (const u of units) {
    read(new MentionReader(counts), u.start);
    const reader = new MentionReader();
    read(reader, u.end);
    lexes.push(reader.lexed(true));
  }
  read(new MentionReader(counts), t.text.length);
  return { lexes, counts };
}

/**
 * Whether a TS/JS unit's text (its declaration and body, or a call statement around callbacks)
 * shows a token the TS extractor reacts to by itself (engine/incremental.ts planFirstSliceTs): the
 * file-level prefilter's tokens (sources.ts CANDIDATE_PATTERN) and TS_EXTRA_TOKENS — drivers and
 * their options, TLS settings, credentials and tokens, loggers (a secret logged is a finding),
 * cloud hosts, URL schemes, the driver modules. Also matched with `_` removed, as the extractor
 * normalises names (`DB_PASS`, `PG_URL`). A unit without one can only matter through what names
 * reach, which the planner follows.
 */
export function tsUnitTriggered(text: string): boolean {
  return showsTriggerToken(text, TS_EXTRA_TOKENS);
}

/** Tokens beyond CANDIDATE_PATTERN that tsUnitTriggered looks for (see CONTRIBUTING.md: a new TS extractor token goes here). */
const TS_EXTRA_TOKENS =
  /pass|pool|client|conn|ssl|tls|x509|cert|reject|insecure|verif|trust|encrypt|servername|identity|cipher|minversion|maxversion|secureprotocol|secureoptions|token|credential|auth|signer|iam|entra|aad|azure|aws|rds|amazonaws|windows\.net|polardb|aliyuncs|:\/\/|accesskey|log|pino|winston|bunyan|consola|signale|datasource|drizzle|kysely|slonik|mikro|pg-|pgurl|keylog|cleartext/i;
