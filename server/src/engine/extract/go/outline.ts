/**
 * The outline of a Go file for incremental re-analysis (engine/incremental.ts): the bodies of
 * top-level functions and methods, package-level variable and constant names, and where the
 * parser recovered from errors — plus the lexer that checks an edited body and lists the names
 * it mentions.
 */
import type { CodeUnit, Outline } from '../values';
import { field, GoNode, namedKids, receiverTypeOf, structFieldsOf, walk } from './ast';
import type { GoFile } from './file';
import { showsTriggerToken } from '../../sources';

export function goOutline(file: GoFile, root: GoNode, hasError: boolean): Outline {
  const units: CodeUnit[] = [];
  const leading = typesLeadingToMethods(file, root);
  for (const n of root.children) {
    if (n.type === 'type_declaration') {
      typeBodies(file, n, units, leading);
      continue;
    }
    if (n.type !== 'function_declaration' && n.type !== 'method_declaration') continue;
    const body = field(n, 'body');
    // A body whose braces the parser had to invent is not a unit (its extent is a guess).
    if (!body || file.src[body.start] !== '{' || file.src[body.end - 1] !== '}' || body.end - body.start < 2) continue;
    const name = field(n, 'name');
    const params = n.type === 'method_declaration' || namedKids(field(n, 'parameters')).length > 0;
    units.push({ start: body.start + 1, end: body.end - 1, name: name ? file.text(name) : undefined, member: n.type === 'method_declaration', params });
  }
  const values = file.allDefs().filter((d) => d.fn === undefined && (d.kind === 'const' || d.kind === 'var')).map((d) => d.name);
  let errorAt: number[] | undefined = [];
  if (hasError) {
    walk(root, (n) => {
      if (n.type === 'ERROR') {
        errorAt!.push(n.start, Math.max(n.start, n.end - 1));
        return false;
      }
      return undefined;
    });
    // Only zero-width MISSING nodes: the error cannot be located.
    if (errorAt.length === 0) errorAt = undefined;
  }
  return { units, values: [...new Set(values)], errorAt };
}

/**
 * The brace-delimited bodies of struct and interface types declared at package level: units
 * without a name (types hold no values, but their bodies are parsed like everything else). The
 * body of a struct in `leading` is never left out of a slice (`alwaysParsed`): the evaluator reads
 * its field types to find the method a call runs (`s.cfg.DSN()` runs Config's DSN).
 */
function typeBodies(file: GoFile, decl: GoNode, out: CodeUnit[], leading: ReadonlySet<string>): void {
  for (const spec of decl.children) {
    if (spec.type !== 'type_spec') continue;
    const t = field(spec, 'type');
    if (!t) continue;
    let open = -1;
    if (t.type === 'struct_type') {
      const list = t.children.find((c) => c.type === 'field_declaration_list');
      if (list) open = list.start;
    } else if (t.type === 'interface_type') {
      open = file.src.indexOf('{', t.start);
    }
    if (open < 0 || open >= t.end || file.src[open] !== '{' || file.src[t.end - 1] !== '}') continue;
    const name = field(spec, 'name');
    const read = t.type === 'struct_type' && !!name && leading.has(file.text(name));
    out.push({ start: open + 1, end: t.end - 1, ...(read ? { alwaysParsed: true } : {}) });
  }
}

/**
 * The package-level struct types whose fields lead, directly or through other structs, to a type
 * with methods declared in this file: the only structs whose field types a method lookup reads.
 * (Which types have methods changes only with a declaration outside every body, which is always
 * analysed in full.)
 */
function typesLeadingToMethods(file: GoFile, root: GoNode): Set<string> {
  const withMethods = new Set<string>();
  const out = new Set<string>();
  const fieldTypes = new Map<string, string[]>();
  const typeName = (t: GoNode | undefined): string | undefined => {
    const x = t?.type === 'pointer_type' ? namedKids(t)[0] : t;
    return x?.type === 'type_identifier' ? file.text(x) : undefined;
  };
  for (const n of root.children) {
    if (n.type === 'method_declaration') {
      const recv = receiverTypeOf(n);
      if (recv) withMethods.add(file.text(recv.type));
    } else if (n.type === 'type_declaration') {
      for (const spec of n.children) {
        const name = spec.type === 'type_spec' ? field(spec, 'name') : undefined;
        const decls = spec.type === 'type_spec' ? structFieldsOf(field(spec, 'type')) : undefined;
        if (!name || !decls) continue;
        fieldTypes.set(file.text(name), decls.map((fd) => typeName(fd.type)).filter((x): x is string => x !== undefined));
      }
    }
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, types] of fieldTypes) {
      if (!out.has(name) && types.some((t) => withMethods.has(t) || out.has(t))) {
        out.add(name);
        changed = true;
      }
    }
  }
  return out;
}

export interface UnitLex {
  /** Brackets match and no string, rune or comment is left open. */
  readonly balanced: boolean;
  /** Identifiers used by their bare name (outside strings and comments). */
  readonly idents: Set<string>;
  /** Identifiers after a `.`: field and method names. */
  readonly props: Set<string>;
  /** Identifiers after `this.` (TS/JS only; a subset of nothing else). */
  readonly thisProps: Set<string>;
  /**
   * TS/JS only: the unit holds something the TS evaluator reads file-wide, wherever it is — a
   * class declaration (`overriddenInFile` looks for subclasses anywhere), an element assigned
   * with a computed key (`x[k] = …` may replace any member: `assignedMember`). Such a unit is
   * never left out of a slice: leaving it out would change answers about other units.
   */
  readonly fileWide?: boolean;
  /** TS/JS only: member names the unit assigns (`x.m = …`), which the TS evaluator reads file-wide. */
  readonly assigned?: ReadonlySet<string>;
}

const enum C {
  Slash = 0x2f, Star = 0x2a, NL = 0x0a, DQ = 0x22, BQ = 0x60, SQ = 0x27, BS = 0x5c,
}

function isIdentStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c >= 0x80;
}
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 0x30 && c <= 0x39);
}

/**
 * Options of a unit lexer. `counts`: also count every identifier (for top-level code, which is
 * not a balanced span and is lexed for its references only: brackets are then not checked).
 */
export interface LexOptions {
  readonly counts?: Map<string, number>;
}

/** Lexes text[start, end) as Go tokens (linear; no regex): goTokens, then goMentions. */
export function lexGo(text: string, start: number, end: number, opts: LexOptions = {}): UnitLex {
  const toks = goTokens(text, start, end);
  return goMentions(text, toks, 0, toks.length, toks.complete, opts.counts);
}

/**
 * What tokens [from, to) mention — the one home of these rules, for lexGo and for the first
 * slice (incremental.ts planFirstSlice reads the tokens lexGoOutline scanned). An identifier
 * after a `.` (newlines, comments, strings and numbers between them kept) is a field or method
 * name. `counts`: top-level code, lexed for its references only — every name counted (`x`,
 * `.x`), brackets not checked. `complete`: no string or comment was left open.
 */
export function goMentions(text: string, toks: GoTokens, from: number, to: number, complete: boolean, counts?: Map<string, number>): UnitLex {
  const idents = new Set<string>();
  const props = new Set<string>();
  /** The last significant token was a `.` (the next identifier is a selector). */
  let dot = false;
  const stack: number[] = [];
  let balanced = complete;
  const kinds = toks.kind;
  for (let k = from; k < to; k++) {
    const c = kinds[k];
    if (c === TK.Id) {
      const id = text.slice(toks.start[k], toks.end[k]);
      if (dot) props.add(id);
      else idents.add(id);
      if (counts) {
        const key = dot ? `.${id}` : id;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      dot = false;
    } else if (c === TK.Str || c === TK.Num || c === TK.Nl) {
      // (as whitespace: no effect on a pending selector)
    } else if (c === 0x2e) {
      dot = true;
    } else {
      dot = false;
      if (counts) continue;
      if (c === 0x28 || c === 0x5b || c === 0x7b) stack.push(c);
      else if (c === 0x29 || c === 0x5d || c === 0x7d) {
        if (stack.pop() !== (c === 0x29 ? 0x28 : c === 0x5d ? 0x5b : 0x7b)) {
          balanced = false;
          break;
        }
      }
    }
  }
  return { balanced: balanced && stack.length === 0, idents, props, thisProps: new Set() };
}

/**
 * Whether a Go unit shows what a first analysis must parse it for (engine/incremental.ts
 * planFirstSlice): any token the Go extractor reacts to by itself — the file-level prefilter's
 * tokens (CANDIDATE_PATTERN: driver and package names, DSN and password words, cloud key
 * prefixes, SSLKEYLOGFILE), plus what the sites, observations and tls reader key on inside a
 * database file: crypto/tls fields and verification callbacks, pool and connector fields and
 * setters, dialers, env reads, auth tokens and credential constructors, `://` URLs, password-like
 * names (`pass`, `pwd`), DSN-like names (`conn…`, `dsn`, `datasource`, `pgURL`; also with `_`
 * removed, as the extractor normalises names), cloud hosts.
 *
 * Contract: a function whose signature and body match none of these, that mentions no package
 * name whose declaration matches, no explicitly aliased import and no function that matches, and
 * that no such function reaches by name, contributes nothing to the Go extraction. Extending the
 * Go extractor to react to a new token means adding it here (CONTRIBUTING.md);
 * test/unit/first-slice.test.ts checks sliced against full analyses differentially.
 */
export function goUnitTriggered(text: string): boolean {
  return showsTriggerToken(text, GO_EXTRA_TOKENS);
}

/** Tokens beyond CANDIDATE_PATTERN that goUnitTriggered looks for. */
const GO_EXTRA_TOKENS =
  /pass|tls|x509|insecure|verif|rootca|servername|minversion|maxversion|cipher|certif|setmax|setconn|maxconn|minconn|lifetime|idletime|healthcheck|beforeconnect|afterconnect|dial|conn|runtimeparams|fallback|getenv|lookupenv|environ|token|credential|azidentity|auth|iam|entra|:\/\/|accesskey|rds|amazonaws|windows\.net|polardb|aliyuncs|stdlib|go_ora|sslkey|datasource|pgurl/i;

/** A function or method body found by lexing alone (offsets as in goOutline's units). */
export interface LexedGoFunction {
  readonly start: number;
  readonly end: number;
  /** Where its declaration (`func`) starts: the signature is text[declStart, start - 1). */
  readonly declStart: number;
  readonly name: string | undefined;
  readonly member: boolean;
  /** The tokens (LexedGoOutline.tokens) of the body's `{` and `}`. */
  readonly open: number;
  readonly close: number;
}

/** A package-level `var`/`const` spec: the names it declares and its text span. */
export interface LexedGoValue {
  readonly names: readonly string[];
  readonly start: number;
  readonly end: number;
}

/** The shape of a Go file from its tokens alone, before any parse (planFirstSlice). */
export interface LexedGoOutline {
  readonly functions: readonly LexedGoFunction[];
  readonly values: readonly LexedGoValue[];
  /** Local names of imports with an explicit alias (`d "database/sql"`). */
  readonly aliases: readonly string[];
  /** The file's tokens, for goOutlineMentions. */
  readonly tokens: GoTokens;
}

/**
 * What each function body of a lexed outline mentions, and how often the code outside the bodies
 * names each identifier: what incremental.ts lexUnits gives with lexGo (each body and each
 * stretch between them read on its own), from the tokens lexGoOutline scanned.
 */
export function goOutlineMentions(text: string, lo: LexedGoOutline): { lexes: UnitLex[]; counts: Map<string, number> } {
  const counts = new Map<string, number>();
  const lexes: UnitLex[] = [];
  let from = 0;
  for (const f of lo.functions) {
    // The stretch before the body ends with its `{`; the next one starts with its `}`.
    goMentions(text, lo.tokens, from, f.open + 1, true, counts);
    lexes.push(goMentions(text, lo.tokens, f.open + 1, f.close, true));
    from = f.close;
  }
  goMentions(text, lo.tokens, from, lo.tokens.length, true, counts);
  return { lexes, counts };
}

/** Token kinds beside punctuation, whose kind is its character code (below 0x80: non-ASCII characters are identifier characters). */
const enum TK {
  Id = 0x80,
  /** A string, rune or raw string. */
  Str = 0x81,
  /** A newline, or a block comment spanning lines (semicolon insertion). */
  Nl = 0x82,
  Num = 0x83,
}

/** Go tokens as parallel arrays (no object per token: a scan reads thousands per file). */
export interface GoTokens {
  readonly kind: Uint8Array;
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly length: number;
  /** No string, rune or comment was left open (the tokens stop there otherwise). */
  readonly complete: boolean;
}

/** The Go tokens of text[start, end): comments dropped, newlines kept for semicolon insertion. */
export function goTokens(text: string, start = 0, end = text.length): GoTokens {
  let cap = Math.max(16, (end - start) >> 2);
  let kind = new Uint8Array(cap);
  let from = new Int32Array(cap);
  let to = new Int32Array(cap);
  let n = 0;
  const push = (k: number, s: number, e: number): void => {
    if (n === cap) {
      cap *= 2;
      const k2 = new Uint8Array(cap);
      k2.set(kind);
      kind = k2;
      const f2 = new Int32Array(cap);
      f2.set(from);
      from = f2;
      const t2 = new Int32Array(cap);
      t2.set(to);
      to = t2;
    }
    kind[n] = k;
    from[n] = s;
    to[n] = e;
    n++;
  };
  const done = (complete: boolean): GoTokens => ({ kind, start: from, end: to, length: n, complete });
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === C.Slash && text.charCodeAt(i + 1) === C.Slash) {
      const nl = text.indexOf('\n', i);
      i = nl === -1 || nl >= end ? end : nl;
    } else if (c === C.Slash && text.charCodeAt(i + 1) === C.Star) {
      const close = text.indexOf('*/', i + 2);
      if (close === -1 || close + 2 > end) return done(false);
      if (text.slice(i, close).includes('\n')) push(TK.Nl, i, close + 2);
      i = close + 2;
    } else if (c === C.DQ || c === C.SQ) {
      let j = i + 1;
      while (j < end) {
        const d = text.charCodeAt(j);
        if (d === C.BS) j += 2;
        else if (d === c || d === C.NL) break;
        else j++;
      }
      if (j >= end || text.charCodeAt(j) !== c) return done(false);
      push(TK.Str, i, j + 1);
      i = j + 1;
    } else if (c === C.BQ) {
      const close = text.indexOf('`', i + 1);
      if (close === -1 || close >= end) return done(false);
      push(TK.Str, i, close + 1);
      i = close + 1;
    } else if (isIdentStart(c)) {
      let j = i + 1;
      while (j < end && isIdentPart(text.charCodeAt(j))) j++;
      push(TK.Id, i, j);
      i = j;
    } else if (c >= 0x30 && c <= 0x39) {
      let j = i + 1;
      while (j < end && (isIdentPart(text.charCodeAt(j)) || text.charCodeAt(j) === 0x2e)) j++;
      push(TK.Num, i, j);
      i = j;
    } else if (c === C.NL) {
      push(TK.Nl, i, i + 1);
      i++;
    } else if (c === 0x20 || c === 0x09 || c === 0x0d) {
      i++;
    } else {
      push(c, i, i + 1);
      i++;
    }
  }
  return done(true);
}

/** The closing bracket's character code for an opening one. */
function closerOf(c: number): number {
  return c === 0x28 ? 0x29 : c === 0x5b ? 0x5d : c === 0x7b ? 0x7d : -1;
}

/**
 * The functions, package-level values and import aliases of a Go file, by lexing. Undefined when
 * the tokens do not form a plausible file (unbalanced brackets, an open string, a dot import):
 * the caller then parses everything. Misreadings are caught by the caller, which compares this
 * outline with the parser's.
 */
export function lexGoOutline(text: string): LexedGoOutline | undefined {
  const toks = goTokens(text);
  if (!toks.complete) return undefined;
  const n = toks.length;
  const kind = toks.kind;
  /** A token's kind; past the end, none (0). */
  const kd = (k: number): number => (k >= 0 && k < n ? kind[k] : 0);
  // Matching bracket of every opening one.
  const match = new Int32Array(n).fill(-1);
  const stack: number[] = [];
  for (let k = 0; k < n; k++) {
    const t = kind[k];
    if (t === 0x28 || t === 0x5b || t === 0x7b) stack.push(k);
    else if (t === 0x29 || t === 0x5d || t === 0x7d) {
      const o = stack.pop();
      if (o === undefined || closerOf(kind[o]) !== t) return undefined;
      match[o] = k;
    }
  }
  if (stack.length) return undefined;
  const word = (k: number): string | undefined => (kd(k) === TK.Id ? text.slice(toks.start[k], toks.end[k]) : undefined);
  const skipNl = (k: number): number => {
    while (k < n && (kind[k] === TK.Nl || kind[k] === 0x3b)) k++;
    return k;
  };
  const functions: LexedGoFunction[] = [];
  const values: LexedGoValue[] = [];
  const aliases: string[] = [];
  /** Ends a simple statement: a newline or `;` at this level. */
  const specEnd = (k: number, limit: number): number => {
    while (k < limit && kind[k] !== TK.Nl && kind[k] !== 0x3b) k = match[k] >= 0 ? match[k] + 1 : k + 1;
    return k;
  };
  /**
   * The specs of the `var`/`const`/`import` declaration whose keyword is at `k`, one spec or a
   * `( … )` group: `spec(j, limit)` reads the one starting at token j and returns where it ends
   * (undefined: give up on the whole file). The index after the declaration, or undefined.
   */
  const eachSpec = (k: number, spec: (j: number, limit: number) => number | undefined): number | undefined => {
    let j = k + 1;
    const group = kd(j) === 0x28;
    const limit = group ? match[j] : n;
    if (group) j++;
    do {
      j = skipNl(j);
      if (j >= limit) break;
      const e = spec(j, limit);
      if (e === undefined) return undefined;
      j = e;
    } while (group && j < limit);
    return group ? limit + 1 : j;
  };
  let k = 0;
  while (k < n) {
    const w = word(k);
    if (w === 'func') {
      const declStart = toks.start[k];
      let j = k + 1;
      let member = false;
      if (kd(j) === 0x28) {
        member = true;
        j = match[j] + 1;
      }
      const name = word(j);
      if (name !== undefined) j++;
      // Signature up to the body's `{` at this level: `struct {`/`interface {` are type bodies.
      let body = -1;
      while (j < n) {
        const t = kind[j];
        if (t === 0x7b) {
          const prev = word(j - 1);
          if (prev === 'struct' || prev === 'interface') {
            j = match[j] + 1;
            continue;
          }
          body = j;
          break;
        }
        if (t === 0x28 || t === 0x5b) {
          j = match[j] + 1;
          continue;
        }
        if (t === TK.Nl || t === 0x3b) {
          // Semicolon insertion ends a declaration without a body (`func f() int` + newline).
          const p = kd(j - 1);
          if (t === 0x3b || p === TK.Id || p === 0x29 || p === 0x5d || p === 0x7d || p === TK.Str || p === TK.Num) break;
        }
        j++;
      }
      if (body < 0) {
        k = j;
        continue;
      }
      const close = match[body];
      functions.push({ start: toks.start[body] + 1, end: toks.start[close], declStart, name, member, open: body, close });
      k = close + 1;
      continue;
    }
    if (w === 'var' || w === 'const') {
      k = eachSpec(k, (start, limit) => {
        let j = start;
        const names: string[] = [];
        while (word(j) !== undefined) {
          names.push(word(j)!);
          if (kd(j + 1) !== 0x2c) break;
          j = skipNl(j + 2);
        }
        const e = specEnd(j, limit);
        if (names.length) values.push({ names, start: toks.start[start], end: Math.min(e, n) - 1 >= 0 ? toks.end[Math.min(e, n) - 1] : text.length });
        return e;
      })!; // (defined: this reader never gives up)
      continue;
    }
    if (w === 'import') {
      const after = eachSpec(k, (j, limit) => {
        if (kind[j] === 0x2e) return undefined; // dot import: names without a qualifier
        const alias = word(j);
        if (alias !== undefined && alias !== '_') aliases.push(alias);
        return specEnd(j, limit);
      });
      if (after === undefined) return undefined;
      k = after;
      continue;
    }
    k = match[k] >= 0 ? match[k] + 1 : k + 1;
  }
  return { functions, values, aliases, tokens: toks };
}
