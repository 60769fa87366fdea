/**
 * Incremental re-analysis of an edited code file (the language server's hot path).
 *
 * Idea: after an exact analysis, every outermost function body ("unit", extract/values.ts
 * CodeUnit) is either *touched* — some site, observation or finding has a range in it, or the
 * extractor's evidence (Extraction.evidence: code it read without keeping its range) — or not.
 * An untouched unit contributed nothing. When the next version differs from the analysed one by
 * an edit inside one unit U, the new version is analysed with the bodies of the untouched units
 * blanked (every character but line breaks replaced by a space): the parse and the extraction
 * then cost what the touched code costs, not what the file costs, and every offset stays exact
 * (no range is ever shifted or patched — the result is a real analysis of real offsets). The Go
 * parser is told to skip those bodies (tree-sitter included ranges) rather than read blanks.
 *
 * Contract (what makes the sliced result equal to a full analysis; test/unit/incremental.test.ts
 * checks it differentially on random edits):
 * - Only unchanged units are blanked, only untouched ones, and never U.
 * - Names are followed: a unit is kept if a kept unit mentions its name — a bare name reaches
 *   functions, a name after a dot reaches members (after `this.`, only the members of the same
 *   class) — or if the top-level code calls it by its bare name (the evaluators follow calls and
 *   function values into bodies); and — starting from U, whose change may give a package-level
 *   value a new role — every unit that mentions a package-level variable or constant mentioned
 *   by U (before or after the edit: evidence U gave may have hidden other evidence) or by a
 *   unit kept for U; and the callers (units mentioning the name) of U, transitively, of the
 *   units reached from U that take parameters, and of the units whose parameters the last
 *   analysis read (Extraction.paramReads): the evaluators bind a parameter from the calls of its
 *   function in the file (one call, or one reading per call for up to eight), so U's change can
 *   give a caller's argument a role, and a blanked caller would change the calls seen. Mentions
 *   are lexical (identifiers outside strings and comments), so they over-approximate: more is
 *   kept, never less.
 * - Interface, struct and object-type bodies are units too (without a name): types hold no
 *   values, so an untouched one is blanked like an untouched function body — except Go struct
 *   bodies (CodeUnit.alwaysParsed), whose field types the evaluator reads.
 * - The file must parse without errors outside unit bodies, every unit body must be lexically
 *   balanced (brackets, strings, comments), and so must U's new body: blanking a balanced body
 *   cannot change how the rest of the file parses. Otherwise the caller analyses in full.
 * - JSX/TSX files are always analysed in full (JSX text is not lexable as TS tokens), and so are
 *   .js files that may hold JSX (TypeScript reads JSX in any .js file).
 * - A TS/JS unit holding something the evaluator reads file-wide — a class declaration, an
 *   element assigned with a computed key (UnitLex.fileWide) — is never blanked, nor is a class
 *   that extends another blanked whole (CodeContainer.subclass): blanking them would change
 *   answers about other units (a method overridden or replaced somewhere is not followed).
 * - Suppression comments, line numbers and fixes are computed on the real text by the caller;
 *   only the extractors see the sliced text.
 */
import type { Extraction, Outline, SliceOutline } from './extract/values';
import { goOutlineMentions, goUnitTriggered, lexGo, lexGoOutline, LexOptions, UnitLex } from './extract/go/outline';
import type { Range } from './model';
import { changedRegion } from './spans';

type Lexer = (text: string, start: number, end: number, opts?: LexOptions) => UnitLex;

interface UnitState {
  readonly start: number;
  readonly end: number;
  readonly name: string | undefined;
  readonly member: boolean;
  readonly owner: number | undefined;
  readonly touched: boolean;
  /** It takes parameters the evaluators may bind (CodeUnit.params). */
  readonly params: boolean;
  /** Never blanked (CodeUnit.alwaysParsed). */
  readonly alwaysParsed: boolean;
  /** Never blanked either: it holds a file-wide fact (UnitLex.fileWide). */
  readonly fileWide: boolean;
  /**
   * The evaluators read its parameters, or (TS) followed it as a method, in this analysis
   * (Extraction.paramReads): that answer depends on every mention of its name, so those stay in view.
   */
  readonly paramsRead: boolean;
  /** What the body mentions: bare names, names after a dot, names after `this.`. */
  readonly idents: ReadonlySet<string>;
  readonly props: ReadonlySet<string>;
  readonly thisProps: ReadonlySet<string>;
}

interface ContainerState {
  readonly start: number;
  readonly end: number;
  readonly name: string | undefined;
  readonly members: ReadonlySet<string>;
  readonly touched: boolean;
  /** The top-level code mentions the class by name beyond declaring it. */
  readonly topRef: boolean;
  /** Never blanked whole (CodeContainer.subclass). */
  readonly subclass: boolean;
}

/** What the next analysis of the same document needs to know (opaque to callers). */
export interface SliceState {
  readonly path: string;
  readonly settingsKey: string;
  readonly text: string;
  readonly units: readonly UnitState[];
  readonly values: ReadonlySet<string>;
  /**
   * Units (indices) that the code outside units (imports, package-level declarations, top-level
   * statements) mentions more often than it declares them: the ones it calls or passes around.
   */
  readonly topRefs: readonly number[];
  readonly containers: readonly ContainerState[];
  /** The extractor's parse of this version, for an incremental parse of the next (Extraction.reuse). */
  readonly parsed: unknown;
}

export interface SlicePlan {
  /**
   * What to leave out of the new text (sorted, disjoint): the untouched, unneeded unit bodies
   * and classes. The Go parser skips them (tree-sitter included ranges); the TS/JS parser reads
   * `blankSpans(text, spans)` (spans.ts).
   */
  readonly spans: readonly Range[];
  /** Units of the new text (offsets in it), U's identifiers already updated. */
  readonly units: readonly UnitState[];
  readonly edited: number;
  /** How many unit bodies were blanked (for traces and the benchmark). */
  readonly blanked: number;
  readonly containers: readonly ContainerState[];
  /** Which containers were blanked whole (their units are then absent from the sliced parse). */
  readonly blankedContainers: readonly boolean[];
  readonly prev: SliceState;
  readonly text: string;
}

/**
 * The TS/JS helpers, loaded on first use with the TypeScript compiler they run on, and kept: in
 * the bundles each `require` of our own module builds a new exports object (esbuild's
 * __toCommonJS copies every export), which per unit cost milliseconds per file.
 */
let tsOutlineModule: typeof import('./extract/ts/outline') | undefined;
let tsSliceLexer: typeof import('./extract/ts/slice-lexer') | undefined;
let tsNesting: typeof import('./extract/ts/nesting') | undefined;
function sliceLexer(): typeof import('./extract/ts/slice-lexer') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (tsSliceLexer ??= require('./extract/ts/slice-lexer') as typeof import('./extract/ts/slice-lexer'));
}
function lexTsSliceOutline(text: string): ReturnType<typeof import('./extract/ts/slice-lexer').lexTsSliceOutline> {
  return sliceLexer().lexTsSliceOutline(text);
}
function tsUnitTriggered(text: string): boolean {
  return sliceLexer().tsUnitTriggered(text);
}
function maskDeepNesting(text: string): { masked: boolean } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (tsNesting ??= require('./extract/ts/nesting') as typeof import('./extract/ts/nesting')).maskDeepNesting(text);
}
/** The TS/JS unit lexer (ts/outline.ts lexTs). */
function lexTsLazy(): Lexer {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (tsOutlineModule ??= require('./extract/ts/outline') as typeof import('./extract/ts/outline')).lexTs;
}

/**
 * The unit lexer for a file, or undefined when its bodies cannot be lexed reliably: JSX. That
 * is every .tsx/.jsx file, and a .js/.mjs/.cjs file that may hold JSX — TypeScript reads JSX in
 * any JS file, and every JSX element has a `</` or a `/>` (a JS file without either has none).
 */
function lexerFor(path: string, text: string): Lexer | undefined {
  const p = path.toLowerCase();
  if (p.endsWith('.go')) return lexGo;
  if (p.endsWith('.tsx') || p.endsWith('.jsx')) return undefined;
  if (/\.[cm]?js$/.test(p) && (text.includes('</') || text.includes('/>'))) return undefined;
  // Loaded only for TS/JS files, whose analysis has loaded the TypeScript compiler anyway.
  if (/\.(?:[cm]?ts|[cm]?js)$/.test(p)) return lexTsLazy();
  return undefined;
}

/** Every `{start, end}` range anywhere in the extraction's sites and observations and in the findings. */
export function collectRanges(roots: readonly unknown[]): Range[] {
  const out: Range[] = [];
  const seen = new Set<object>();
  // Callers index the result (indexRanges sorts it).
  const stack: unknown[] = [...roots];
  while (stack.length) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object' || seen.has(v)) continue;
    seen.add(v);
    if (Array.isArray(v)) {
      for (const x of v) stack.push(x);
      continue;
    }
    const o = v as Record<string, unknown>;
    if (typeof o.start === 'number' && typeof o.end === 'number') out.push({ start: o.start, end: o.end });
    for (const k in o) {
      const x = o[k];
      if (x !== null && typeof x === 'object') stack.push(x);
    }
  }
  return out;
}

/** Ranges sorted by start, with the running maximum of their ends (for `intersects`). */
interface RangeIndex {
  readonly ranges: readonly Range[];
  readonly maxEnd: Float64Array;
}

/**
 * What an analysis leaves in the units: the ranges that make a unit touched (sites,
 * observations, findings, and the extractor's evidence) and the functions whose parameters the
 * evaluators read (Extraction.paramReads).
 */
function analysisRanges(ex: Extraction, findings: readonly unknown[]): { touched: RangeIndex; reads: RangeIndex } {
  return {
    touched: indexRanges([...collectRanges([ex.sites, ex.observations, findings]), ...(ex.evidence ?? [])]),
    reads: indexRanges([...(ex.paramReads ?? [])]),
  };
}

function indexRanges(ranges: Range[]): RangeIndex {
  ranges.sort((a, b) => a.start - b.start);
  const maxEnd = new Float64Array(ranges.length);
  let m = -1;
  ranges.forEach((r, i) => {
    m = Math.max(m, r.end);
    maxEnd[i] = m;
  });
  return { ranges, maxEnd };
}

/** Whether any range starts in or reaches into [start, end). */
function intersects(ix: RangeIndex, start: number, end: number): boolean {
  const { ranges, maxEnd } = ix;
  let lo = 0;
  let hi = ranges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ranges[mid].start < end) lo = mid + 1;
    else hi = mid;
  }
  // Every range before `lo` starts before `end`; walk back while some of them reach past `start`.
  for (let i = lo - 1; i >= 0 && (maxEnd[i] > start || ranges[i].start >= start); i--) {
    const r = ranges[i];
    if (r.start >= start || r.end > start) return true;
  }
  return false;
}

/** Errors must lie inside unit bodies; every unit body must lex as balanced. */
function errorsInsideUnits(outline: Outline, units: readonly { start: number; end: number }[]): boolean {
  if (!outline.errorAt) return false;
  for (const at of outline.errorAt) {
    if (!units.some((u) => u.start <= at && at < u.end)) return false;
  }
  return true;
}

/**
 * Lexes each unit (in order) and counts every identifier of the code between them; undefined
 * when units overlap or nest (not an outline) or a unit is not lexically balanced.
 */
function lexUnits(text: string, units: readonly { start: number; end: number }[], lex: Lexer): { lexes: UnitLex[]; counts: Map<string, number> } | undefined {
  const counts = new Map<string, number>();
  const lexes: UnitLex[] = [];
  let pos = 0;
  for (const u of units) {
    if (u.start < pos) return undefined;
    lex(text, pos, u.start, { counts });
    const l = lex(text, u.start, u.end);
    if (!l.balanced) return undefined;
    lexes.push(l);
    pos = u.end;
  }
  lex(text, pos, text.length, { counts });
  return { lexes, counts };
}

/**
 * Whether the code outside units uses a unit's name bare: each unit's own declaration (`func
 * name(`, `name(…) {`, `const name = …`) mentions its name once, bare; any further bare mention
 * is a use. `declaresBare`: which units' declarations do (default: every named unit; not so
 * `exports.name = function …` or `'name'() {}`).
 */
function bareUses(units: readonly UnitState[], counts: ReadonlyMap<string, number>, declaresBare: (i: number) => boolean = () => true): (u: UnitState) => boolean {
  const declared = new Map<string, number>();
  units.forEach((u, i) => {
    if (u.name !== undefined && declaresBare(i)) declared.set(u.name, (declared.get(u.name) ?? 0) + 1);
  });
  return (u) => u.name !== undefined && (counts.get(u.name) ?? 0) > (declared.get(u.name) ?? 0);
}

/** The state after a full analysis, or undefined when the file cannot be re-analysed in slices. */
export function fullState(path: string, settingsKey: string, text: string, ex: Extraction, findings: readonly unknown[]): SliceState | undefined {
  const lex = lexerFor(path, text);
  const outline = ex.outline;
  if (!lex || !outline || !errorsInsideUnits(outline, outline.units)) return undefined;
  const { touched: ranges, reads } = analysisRanges(ex, findings);
  const lexed = lexUnits(text, outline.units, lex);
  if (!lexed) return undefined;
  const { counts } = lexed;
  const units: UnitState[] = outline.units.map((u, i) => {
    const l = lexed.lexes[i];
    return {
      start: u.start, end: u.end, name: u.name, member: u.member === true, owner: u.owner, params: u.params === true, alwaysParsed: u.alwaysParsed === true, fileWide: l.fileWide === true, paramsRead: intersects(reads, u.start, u.end), touched: intersects(ranges, u.start, u.end),
      idents: l.idents, props: l.props, thisProps: l.thisProps,
    };
  });
  const calledByName = bareUses(units, counts);
  const topRefs: number[] = [];
  units.forEach((u, i) => {
    // Members reached through a property at top level (`router.get(…)`) are not followed: the
    // receiver is rarely this file's class, and a member the evaluators do reach leaves a range
    // in it (a followed function value records its body), so it is touched and kept anyway.
    if (!u.member && calledByName(u)) topRefs.push(i);
  });
  const containers = (outline.containers ?? []).map((c) => ({
    start: c.start, end: c.end, name: c.name, members: new Set(c.members), touched: intersects(ranges, c.start, c.end),
    topRef: c.name !== undefined && (counts.get(c.name) ?? 0) > 1,
    subclass: c.subclass === true,
  }));
  return { path, settingsKey, text, units, values: new Set(outline.values), topRefs, containers, parsed: ex.reuse };
}

/**
 * Which units a slice keeps: the closure of the units added, over names and callers (the rules
 * of the contract above). Level 1: kept, the names it mentions followed; level 2: also the
 * package-level values it mentions (every unit mentioning one is kept at level 2). A kept unit
 * whose parameters were read (paramsRead), or one with parameters kept at level 2, keeps its
 * callers. Shared by planSlice (an edit) and planFirstSlice (a first analysis).
 */
class Reach {
  private readonly byBare: Map<string, number[]>;
  private readonly byMember: Map<string, number[]>;
  private readonly byOwnMember: Map<string, number[]>;
  private readonly bareMentions: Map<string, number[]>;
  private readonly memberMentions: Map<string, number[]>;
  private readonly thisMentions: Map<string, number[]>;
  private readonly keep: Uint8Array;
  private readonly work: [number, boolean][] = [];
  /** Lookup key → the level its targets were added at. */
  private readonly followedNames = new Map<string, number>();
  private readonly followedValues = new Set<string>();

  constructor(private readonly units: readonly UnitState[], private readonly values: ReadonlySet<string>) {
    // Unit indices by the keys each unit has (its name as reached, or the names it mentions).
    const index = (keys: (x: UnitState) => Iterable<string>): Map<string, number[]> => {
      const m = new Map<string, number[]>();
      units.forEach((x, i) => {
        for (const k of keys(x)) {
          const list = m.get(k);
          if (list) list.push(i);
          else m.set(k, [i]);
        }
      });
      return m;
    };
    this.byBare = index((x) => (x.member || x.name === undefined ? [] : [x.name]));
    this.byMember = index((x) => (x.member && x.name !== undefined ? [`.${x.name}`] : []));
    this.byOwnMember = index((x) => (x.member && x.name !== undefined && x.owner !== undefined ? [`${x.owner}\0${x.name}`] : []));
    this.bareMentions = index((x) => x.idents);
    this.memberMentions = index((x) => x.props);
    this.thisMentions = index((x) => x.thisProps);
    this.keep = new Uint8Array(units.length);
  }

  add(i: number, followValues: boolean): void {
    const level = followValues ? 2 : 1;
    if (this.keep[i] >= level) return;
    this.keep[i] = level;
    this.work.push([i, followValues]);
  }

  /** Units that mention `t`'s name the way it is called: its callers (lexically). */
  callersOf(t: UnitState): readonly number[] {
    if (t.name === undefined) return [];
    if (!t.member) return this.bareMentions.get(t.name) ?? [];
    return [...(this.memberMentions.get(t.name) ?? []), ...(this.thisMentions.get(t.name) ?? [])];
  }

  /** Units mentioning the bare name (a package-level value or an import alias). */
  mentionsOf(name: string): readonly number[] {
    return this.bareMentions.get(name) ?? [];
  }

  /** Keeps (level 1) the callers of `i`, and theirs while they take parameters, transitively. */
  addUpstream(i: number): void {
    const upstream = new Set<number>([i]);
    for (const pending = [i]; pending.length; ) {
      const t = this.units[pending.pop()!];
      if (!t.params) continue;
      for (const c of this.callersOf(t)) {
        if (upstream.has(c)) continue;
        upstream.add(c);
        this.add(c, false);
        pending.push(c);
      }
    }
  }

  /** Keeps what `from`'s names lead to: a bare name reaches functions, a name after a dot members, `this.name` the members of the same class. */
  follow(from: UnitState, followValues: boolean): void {
    for (const id of from.props) this.reach(this.byMember, `.${id}`, followValues);
    for (const id of from.thisProps) {
      if (from.owner !== undefined) this.reach(this.byOwnMember, `${from.owner}\0${id}`, followValues);
      else this.reach(this.byMember, `.${id}`, followValues);
    }
    for (const id of from.idents) {
      this.reach(this.byBare, id, followValues);
      if (followValues && this.values.has(id) && !this.followedValues.has(id)) {
        this.followedValues.add(id);
        for (const i of this.mentionsOf(id)) this.add(i, true);
      }
    }
  }

  /** Runs the closure; the level of every unit (0: not kept). */
  close(): Uint8Array {
    while (this.work.length) {
      const [i, followValues] = this.work.pop()!;
      const x = this.units[i];
      this.follow(x, followValues);
      if (x.paramsRead || (followValues && x.params)) for (const c of this.callersOf(x)) this.add(c, false);
    }
    return this.keep;
  }

  private reach(m: Map<string, number[]>, key: string, followValues: boolean): void {
    const targets = m.get(key);
    const level = followValues ? 2 : 1;
    if (!targets || (this.followedNames.get(key) ?? 0) >= level) return;
    this.followedNames.set(key, level);
    for (const t of targets) this.add(t, followValues);
  }
}

/**
 * Plans a sliced analysis of `text` from the state of the previous version, or returns
 * undefined when only a full analysis is exact (see the contract above).
 */
export function planSlice(prev: SliceState, path: string, settingsKey: string, text: string): SlicePlan | undefined {
  if (prev.path !== path || prev.settingsKey !== settingsKey) return undefined;
  const lex = lexerFor(path, text);
  if (!lex) return undefined;
  const old = prev.text;
  const { prefix: p, suffix } = changedRegion(old, text);
  const oldEnd = old.length - suffix;
  const delta = text.length - old.length;
  if (p === old.length && delta === 0) return undefined; // identical text: the caller's cache answers
  // The unit whose body contains the whole change.
  let lo = 0;
  let hi = prev.units.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (prev.units[mid].end < p) lo = mid + 1;
    else hi = mid;
  }
  const edited = lo;
  const u = prev.units[edited];
  if (!u || !(u.start <= p && oldEnd <= u.end)) return undefined;
  const newEnd = u.end + delta;
  const l = lex(text, u.start, newEnd);
  if (!l.balanced) return undefined;
  // (An edit inside U's body leaves its signature, and so `params`, as it was.)
  const units: UnitState[] = prev.units.map((x, i) =>
    i < edited ? x : i === edited ? { ...x, end: newEnd, idents: l.idents, props: l.props, thisProps: l.thisProps, fileWide: l.fileWide === true } : { ...x, start: x.start + delta, end: x.end + delta },
  );

  // Which units to keep: touched ones, U, and what names lead to (class Reach).
  const reach = new Reach(units, prev.values);
  // Callers are kept too. The evaluators bind a parameter from the calls of its function in the
  // file (and, in TS, follow a method only if no `.m = …` anywhere replaces it), so such an
  // answer depends on every mention of the function's name:
  //   - a unit whose parameters the last analysis read (paramsRead) keeps every unit that
  //     mentions its name: a blanked one would change the count;
  //   - so does a unit with parameters reached from U (names and values followed): U's change
  //     may make the evaluators read them now;
  //   - U's callers, and theirs while they pass their own parameters on, transitively: U's
  //     change can give a caller's argument a role it did not have, though that caller left no
  //     range before.
  reach.addUpstream(edited);
  reach.add(edited, true);
  // What U mentioned before the edit counts too: evidence U's old body gave may have overridden
  // evidence elsewhere (two SetMaxOpenConns calls on one pool: the profile records one), and
  // that other evidence matters again once U's is gone.
  reach.follow(prev.units[edited], true);
  units.forEach((x, i) => {
    if (x.touched || x.alwaysParsed || x.fileWide) reach.add(i, false);
  });
  for (const i of prev.topRefs) reach.add(i, false);
  const keep = reach.close();

  // A class whose members are all unneeded is blanked whole (signatures and property
  // declarations included) unless it is touched, named by the top-level code, holds a kept
  // unit, or is named — as a class or through a member — by U (before or after the edit) or a
  // unit kept for U: only U's change can make an untouched class's properties matter.
  const mentioned = new Set<string>();
  const mentionedMembers = new Set<string>();
  const ownMembers = new Set<string>();
  const note = (x: UnitState): void => {
    for (const id of x.idents) mentioned.add(id);
    for (const id of x.props) mentionedMembers.add(id);
    for (const id of x.thisProps) {
      if (x.owner !== undefined) ownMembers.add(`${x.owner}\0${id}`);
      else mentionedMembers.add(id);
    }
  };
  units.forEach((x, i) => {
    if (keep[i] === 2) note(x);
  });
  note(prev.units[edited]);
  const containers = prev.containers.map((c) =>
    c.end <= u.start ? c : c.start <= u.start && newEnd <= c.end + delta ? { ...c, end: c.end + delta } : c.start >= u.end ? { ...c, start: c.start + delta, end: c.end + delta } : undefined,
  );
  if (containers.some((c) => c === undefined)) return undefined;
  const shifted = containers as ContainerState[];
  const blankedContainers = shifted.map((c, k) => {
    if (c.touched || c.topRef || c.subclass || (c.name !== undefined && mentioned.has(c.name))) return false;
    for (const m of c.members) if (mentionedMembers.has(m) || ownMembers.has(`${k}\0${m}`)) return false;
    return !units.some((x, i) => keep[i] && c.start <= x.start && x.end <= c.end);
  });

  // What to leave out: whole containers, and the units outside them.
  const spans: { start: number; end: number }[] = [];
  let blanked = 0;
  let ci = 0;
  for (let i = 0; i < units.length; i++) {
    const x = units[i];
    while (ci < shifted.length && shifted[ci].end < x.start) ci++;
    const c = shifted[ci];
    if (c && blankedContainers[ci] && c.start <= x.start && x.end <= c.end) {
      blanked++;
      continue;
    }
    if (keep[i]) continue;
    spans.push(x);
    blanked++;
  }
  shifted.forEach((c, k) => {
    if (blankedContainers[k]) spans.push(c);
  });
  spans.sort((a, b) => a.start - b.start);
  return { spans: spans.map((x) => ({ start: x.start, end: x.end })), units, edited, blanked, containers: shifted, blankedContainers, prev, text };
}

/**
 * The seeds of a first slice (planFirstSlice, planFromSliceOutline): units marked for what they
 * show themselves. `closeOverCallers` makes every unit that calls a seed a seed too — it may
 * use what the seed returns (a DSN, a token it logs) — and adds them all to `reach`, values
 * followed (their callers, transitively, are kept by its closure: every unit has paramsRead).
 */
function seeds(units: readonly UnitState[], reach: Reach): { mark(i: number): void; closeOverCallers(): void } {
  const seed = new Uint8Array(units.length);
  const pending: number[] = [];
  const mark = (i: number): void => {
    if (seed[i]) return;
    seed[i] = 1;
    pending.push(i);
  };
  return {
    mark,
    closeOverCallers: () => {
      while (pending.length) for (const c of reach.callersOf(units[pending.pop()!])) mark(c);
      seed.forEach((x, i) => {
        if (x) reach.add(i, true);
      });
    },
  };
}

/** A first analysis in slices (planFirstSlice): the bodies to leave out, and what the parse must confirm. */
export type FirstSlicePlan =
  | {
      readonly kind: 'go';
      /** Function bodies to leave out (sorted, disjoint). */
      readonly spans: readonly Range[];
      /** Every function body the lexer found (the parser's outline must show exactly these). */
      readonly functions: readonly Range[];
      /** Package-level value names the lexer found (the parser's must be among them). */
      readonly values: ReadonlySet<string>;
    }
  | {
      readonly kind: 'ts';
      /** Bodies to leave out (sorted, disjoint): the plan from the lexed outline, which the parse's must repeat. */
      readonly spans: readonly Range[];
      readonly text: string;
      /** The lexed outline the plan came from (a parse showing the same one needs no second plan). */
      readonly outline: SliceOutline;
    };

/**
 * Plans the first analysis of a Go file in slices (a TS/JS file: planFirstSliceTs): the bodies
 * of the functions that cannot contribute are left out of the parse, as in an incremental
 * re-analysis — most of a service file is handlers that never touch a connection. Without a
 * previous analysis to say which units are touched, a unit is kept when it could be: its
 * signature or body shows a token the Go
 * extractor reacts to (goUnitTriggered, extract/go/outline.ts), or it mentions a package-level
 * value whose declaration shows one, or an explicitly aliased import, or a kept function (it
 * may use what that function returns) — and then everything the rules of planSlice keep for
 * them, values followed: what their names reach, every unit mentioning a package-level value
 * they mention, the callers of every kept function (all are assumed to take parameters that
 * were read). Functions that the package-level code calls, and methods it names, are kept too.
 *
 * Undefined: analyse in full (not Go, nothing to leave out, or the tokens do not form a
 * plausible file). The caller must check the sliced parse with firstSliceHolds. The state it
 * then keeps (fullState of the sliced extraction) may show a left-out body untouched, or its
 * parameters unread, where a full parse would have read them without effect on any result; a
 * later planSlice treats such a body as what it was to the result: untouched.
 */
export function planFirstSlice(path: string, text: string): FirstSlicePlan | undefined {
  if (!path.toLowerCase().endsWith('.go')) return lexerFor(path, text) ? planFirstSliceTs(text) : undefined;
  const lo = lexGoOutline(text);
  if (!lo || lo.functions.length === 0) return undefined;
  const lexed = goOutlineMentions(text, lo);
  if (lexed.lexes.some((l) => !l.balanced)) return undefined;
  const { counts } = lexed;
  const units: UnitState[] = lo.functions.map((f, i) => {
    const l = lexed.lexes[i];
    return {
      // Every function counts as taking parameters the evaluators read: a kept one keeps its
      // callers at any level (its parameter may be bound from their one call).
      start: f.start, end: f.end, name: f.name, member: f.member, owner: undefined, touched: false, params: true, alwaysParsed: false, fileWide: false, paramsRead: true,
      idents: l.idents, props: l.props, thisProps: l.thisProps,
    };
  });
  const values = new Set(lo.values.flatMap((v) => v.names));
  const reach = new Reach(units, values);
  // Seeds: triggers in the function itself, in a value it mentions, an alias it uses.
  const { mark, closeOverCallers } = seeds(units, reach);
  lo.functions.forEach((f, i) => {
    if (goUnitTriggered(text.slice(f.declStart, f.end))) mark(i);
  });
  for (const v of lo.values) {
    if (!goUnitTriggered(text.slice(v.start, v.end))) continue;
    for (const name of v.names) for (const i of reach.mentionsOf(name)) mark(i);
  }
  for (const a of lo.aliases) for (const i of reach.mentionsOf(a)) mark(i);
  closeOverCallers();
  // Functions the package-level code calls by name, and methods it names after a dot (`var db =
  // open(conf.Addr())`: the evaluators follow both into their bodies).
  const calledByName = bareUses(units, counts);
  units.forEach((u, i) => {
    if (u.member ? u.name !== undefined && (counts.get(`.${u.name}`) ?? 0) > 0 : calledByName(u)) reach.add(i, true);
  });
  const keep = reach.close();
  const spans = units.filter((_, i) => !keep[i]).map((u) => ({ start: u.start, end: u.end }));
  if (spans.length === 0) return undefined;
  return { kind: 'go', spans, functions: lo.functions.map((f) => ({ start: f.start, end: f.end })), values };
}

/**
 * Plans the first analysis of a TS/JS file in slices: as planFirstSlice does for Go, the bodies
 * that cannot contribute are left out of the parse. The plan is a function of the file's slice
 * outline (values.ts SliceOutline) and text (planFromSliceOutline); the outline comes from a
 * lexer first (ts/slice-lexer.ts), and firstSliceHolds requires the sliced parse's own outline to
 * give the same plan — the lexer may misread a file (then it is parsed in full), the plan cannot.
 * Undefined: analyse in full (JSX, code nested deeper than the extractor reads, nothing to leave
 * out, or a shape the lexer does not read).
 *
 * One difference from a full parse, by design: a syntax error inside a body left out is not
 * seen, so the file's parse-error note counts only the errors in the code read (any error
 * there, or outside every body, means a full analysis). Such a body holds no trigger token and
 * reaches nothing that does: no finding depends on it.
 */
function planFirstSliceTs(text: string): FirstSlicePlan | undefined {
  if (maskDeepNesting(text).masked) return undefined;
  const lexed = lexTsSliceOutline(text);
  const spans = lexed && planFromSliceOutline(text, lexed.outline, lexed);
  if (!lexed || !spans || spans.length === 0) return undefined;
  return { kind: 'ts', spans, text, outline: lexed.outline };
}

/** Whether two slice outlines are the same in everything planFromSliceOutline reads. */
function sameSliceOutline(a: SliceOutline, b: SliceOutline): boolean {
  if (a.units.length !== b.units.length || a.values.length !== b.values.length) return false;
  const sameUnit = (x: SliceOutline['units'][number], y: SliceOutline['units'][number]): boolean =>
    x.start === y.start && x.end === y.end && x.declStart === y.declStart && x.name === y.name && x.member === y.member && x.role === y.role &&
    x.context?.start === y.context?.start && x.context?.end === y.context?.end;
  if (!a.units.every((x, i) => sameUnit(x, b.units[i]))) return false;
  return a.values.every((x, i) => {
    const y = b.values[i];
    return x.start === y.start && x.end === y.end && x.imported === y.imported && x.names.length === y.names.length && x.names.every((n, k) => n === y.names[k]);
  });
}

/**
 * The TS/JS bodies to leave out, given the slice outline. Kept, with everything the rules of
 * planSlice keep for them (values followed; every unit is assumed to take parameters that were
 * read, so a kept unit keeps its callers):
 *   - `pinned` units (functions inside expressions: object-literal methods, initializers);
 *   - units whose declaration and body show a trigger token (tsUnitTriggered), and callbacks
 *     whose call statement does (its other bodies aside);
 *   - units holding a file-wide fact (UnitLex.fileWide: a class declaration, `x[k] = …`,
 *     `import.meta`), and members whose name the lexer cannot read (a computed key);
 *   - units mentioning a top-level value whose declaration (or import) shows one — directly or
 *     through another value it names (`const b = postgres`) — or that the top-level code itself
 *     uses (`let host = 'localhost'` read by `new Pool({ host })`: a unit reassigning it changes
 *     that value);
 *   - units calling one of these (they may use what it returns), transitively;
 *   - functions the top-level code calls by name (beyond their own bare declarations) and
 *     members it reaches through `this.`;
 *   - units assigning a member (`x.m = …`) that kept or top-level code names after a dot: the
 *     evaluator does not follow `this.m()`/`obj.m()` to a member replaced anywhere.
 */
function planFromSliceOutline(text: string, outline: SliceOutline, lexedAlready?: { lexes: UnitLex[]; counts: Map<string, number> }): Range[] | undefined {
  const lex = lexTsLazy();
  const lexed = lexedAlready ?? lexUnits(text, outline.units, lex);
  if (!lexed) return undefined;
  const { counts } = lexed;
  const units: UnitState[] = outline.units.map((u, i) => {
    const l = lexed.lexes[i];
    return {
      start: u.start, end: u.end, name: u.name, member: u.member, owner: undefined, touched: false, params: true, alwaysParsed: false, fileWide: l.fileWide === true, paramsRead: true,
      idents: l.idents, props: l.props, thisProps: l.thisProps,
    };
  });
  const varNames = new Set(outline.values.filter((v) => !v.imported).flatMap((v) => v.names));
  const reach = new Reach(units, varNames);
  const { mark, closeOverCallers } = seeds(units, reach);
  /** The statement's text without the unit bodies inside it (sorted units). */
  const outside = (r: Range): string => {
    let out = '';
    let pos = r.start;
    for (const u of outline.units) {
      if (u.end <= pos || u.start >= r.end) continue;
      out += text.slice(pos, u.start) + ' ';
      pos = u.end;
    }
    return out + text.slice(pos, r.end);
  };
  outline.units.forEach((u, i) => {
    // A member whose name we cannot read (a computed key) might be what `this.m()` reaches.
    const unnamed = u.member && u.name === undefined;
    if (u.role === 'pinned' || units[i].fileWide || unnamed || tsUnitTriggered(text.slice(u.declStart, u.end)) || (u.context && tsUnitTriggered(outside(u.context)))) mark(i);
  });
  const declared = new Map<string, number>();
  for (const v of outline.values) for (const n of v.names) declared.set(n, (declared.get(n) ?? 0) + 1);
  // A value triggers by its own text, or through another it names (`const b = a` where `a` is
  // the postgres module: the evaluator follows initialisers), transitively.
  const triggered = outline.values.map((v) => tsUnitTriggered(text.slice(v.start, v.end)));
  const valueIdents = outline.values.map((v) => lex(text, v.start, v.end, { counts: new Map() }).idents);
  for (let changed = true; changed; ) {
    changed = false;
    const names = new Set(outline.values.flatMap((v, k) => (triggered[k] ? v.names : [])));
    outline.values.forEach((v, k) => {
      if (triggered[k]) return;
      for (const id of valueIdents[k]) {
        if (names.has(id)) {
          triggered[k] = changed = true;
          return;
        }
      }
    });
  }
  outline.values.forEach((v, k) => {
    for (const n of v.names) {
      if (triggered[k] || (!v.imported && (counts.get(n) ?? 0) > (declared.get(n) ?? 0))) for (const i of reach.mentionsOf(n)) mark(i);
    }
  });
  closeOverCallers();
  // Functions the top-level code calls by name, and members it reaches through `this.` (class
  // property initializers): the TS evaluator follows a method only through `this.m()` in its
  // class and through const object literals (whose methods are pinned), never `x.m()`.
  const calledByName = bareUses(units, counts, (i) => {
    const u = outline.units[i];
    return u.name !== undefined && (lex(text, u.declStart, u.start, { counts: new Map() }).idents.has(u.name));
  });
  units.forEach((u, i) => {
    if (u.member ? u.name !== undefined && (counts.get(`this.${u.name}`) ?? 0) > 0 : calledByName(u)) reach.add(i, true);
  });
  let keep = reach.close();
  // A member replaced in a body left out (`x.m = …`) would change whether the evaluator follows
  // `this.m()` or `obj.m()` in the code it reads (assignedMember): every body assigning a member
  // that kept or top-level code names after a dot is kept too, until none is added.
  for (let added = true; added; ) {
    added = false;
    const named = new Set<string>();
    for (const key of counts.keys()) if (key.startsWith('.') || key.startsWith('this.')) named.add(key.slice(key.indexOf('.') + 1));
    units.forEach((u, i) => {
      if (!keep[i]) return;
      for (const p of u.props) named.add(p);
      for (const p of u.thisProps) named.add(p);
    });
    lexed.lexes.forEach((l, i) => {
      if (keep[i] || !l.assigned) return;
      for (const m of l.assigned) {
        if (named.has(m)) {
          reach.add(i, true);
          added = true;
          return;
        }
      }
    });
    if (added) keep = reach.close();
  }
  return units.filter((_, i) => !keep[i]).map((u) => ({ start: u.start, end: u.end }));
}

/**
 * Whether a parse with the first slice's bodies left out saw the file as the lexer did: the same
 * function bodies, no package-level value the lexer missed, no error anywhere. Otherwise the
 * caller analyses in full.
 */
export function firstSliceHolds(plan: FirstSlicePlan, ex: Extraction): boolean {
  const outline = ex.outline;
  if (!outline || !outline.errorAt || outline.errorAt.length > 0) return false;
  if (plan.kind === 'ts') {
    // The parse's own outline must lead to the very same plan (SliceOutline: lexed vs parsed):
    // it does when it is the same outline, else it is planned again from it.
    if (!outline.slice) return false;
    if (sameSliceOutline(outline.slice, plan.outline)) return true;
    const again = planFromSliceOutline(plan.text, outline.slice);
    return again !== undefined && again.length === plan.spans.length && again.every((x, i) => x.start === plan.spans[i].start && x.end === plan.spans[i].end);
  }
  // Function units carry `params`; type bodies do not.
  const fns = outline.units.filter((u) => u.params !== undefined);
  if (fns.length !== plan.functions.length || fns.some((u, i) => u.start !== plan.functions[i].start || u.end !== plan.functions[i].end)) return false;
  return outline.values.every((v) => plan.values.has(v));
}

/**
 * The state after a sliced analysis, or undefined if the sliced parse does not match the plan
 * (the caller then analyses in full).
 */
export function slicedState(plan: SlicePlan, ex: Extraction, findings: readonly unknown[]): SliceState | undefined {
  const outline = ex.outline;
  if (!outline) return undefined;
  // The sliced parse must show exactly the planned units, minus those of blanked containers,
  // and the same containers.
  const inBlanked = (x: { start: number; end: number }): boolean =>
    plan.containers.some((c, k) => plan.blankedContainers[k] && c.start <= x.start && x.end <= c.end);
  const expected = plan.units.filter((x) => !inBlanked(x));
  if (outline.units.length !== expected.length) return undefined;
  for (let i = 0; i < expected.length; i++) {
    if (outline.units[i].start !== expected[i].start || outline.units[i].end !== expected[i].end) return undefined;
  }
  const got = outline.containers ?? [];
  if (got.length !== plan.containers.length || got.some((c, k) => c.start !== plan.containers[k].start || c.end !== plan.containers[k].end)) return undefined;
  if (!errorsInsideUnits(outline, expected)) return undefined;
  const { touched: ranges, reads } = analysisRanges(ex, findings);
  // `params` stays as planned: an edit inside a body leaves every signature as it was.
  const units = plan.units.map((x) => ({ ...x, paramsRead: intersects(reads, x.start, x.end), touched: intersects(ranges, x.start, x.end) }));
  const containers = plan.containers.map((c) => ({ ...c, touched: intersects(ranges, c.start, c.end) }));
  return { ...plan.prev, text: plan.text, units, containers, parsed: ex.reuse };
}
