/**
 * TS/JS extractor: finds database connections and connection-related facts in one TypeScript or
 * JavaScript file using the TypeScript compiler API (error-tolerant: half-typed code still yields
 * what its valid parts say).
 *
 * Pipeline: parse → one iterative walk over the tree (no recursion on tree depth, so deeply
 * nested code cannot overflow the stack) → connection sites (ts/drivers.ts) → observations
 * (ts/observations.ts). Values are resolved by ts/evaluate.ts, names by ts/scope.ts; literal text
 * keeps exact UTF-16 source ranges (ts/strings.ts).
 *
 * Architecture invariant: never throws. Anything unexpected becomes an entry in `errors` with the
 * sites and observations found so far.
 */
import * as ts from 'typescript';
import { tsApi } from './ts/api';
import { ConnectionSite, Extraction, Observation, Outline } from './values';
import type { Range } from '../model';
import { tsOutline } from './ts/outline';
import { changedRegion } from '../spans';
import { DB_MODULES, FoundSite, SiteFinder, declarationOfObject } from './ts/drivers';
import { Evaluator, requiredModule } from './ts/evaluate';
import { ObservationCollector } from './ts/observations';
import { MAX_NESTING, maskDeepNesting } from './ts/nesting';

/** Upper bound on nodes visited per file (bounded time on pathological input). */
const MAX_NODES = 2_000_000;

export function scriptKindOf(path: string): ts.ScriptKind {
  const p = path.toLowerCase();
  if (p.endsWith('.tsx')) return tsApi.ScriptKind.TSX;
  if (p.endsWith('.jsx')) return tsApi.ScriptKind.JSX;
  if (p.endsWith('.js') || p.endsWith('.mjs') || p.endsWith('.cjs')) return tsApi.ScriptKind.JS;
  return tsApi.ScriptKind.TS;
}

/**
 * The parsed file of the previous analysis of a document, for an incremental parse of the next
 * version (engine/incremental.ts keeps it). One use only: TypeScript's incremental parser takes
 * over the old tree's nodes, so `sf` is cleared when it is used.
 */
export interface TsReuse {
  sf: ts.SourceFile | undefined;
}

/** The change between two texts as TypeScript's incremental parser wants it. */
function changeRange(before: string, after: string): ts.TextChangeRange {
  const { prefix, suffix } = changedRegion(before, after);
  return { span: { start: prefix, length: before.length - suffix - prefix }, newLength: after.length - suffix - prefix };
}

/** `reuse`: the previous version's parse of the same document (incremental re-analysis only). */
export function extractTs(text: string, path: string, reuse?: TsReuse): Extraction {
  const sites: ConnectionSite[] = [];
  const observations: Observation[] = [];
  const errors: string[] = [];
  let outline: Outline | undefined;
  let paramReads: Range[] = [];
  let evidence: Range[] = [];
  let parsed: TsReuse | undefined;
  try {
    const guarded = maskDeepNesting(text);
    if (guarded.masked) errors.push(`code nested deeper than ${MAX_NESTING} brackets was not read (the rest of the file was)`);
    text = guarded.text;
    // JSDoc is not read by the extractor (no type checking): not parsing it saves about a sixth of the parse.
    const old = reuse?.sf;
    if (reuse) reuse.sf = undefined;
    const sf = old && old.fileName === (path || 'file.ts')
      ? tsApi.updateSourceFile(old, text, changeRange(old.text, text))
      : tsApi.createSourceFile(path || 'file.ts', text, { languageVersion: tsApi.ScriptTarget.Latest, jsDocParsingMode: tsApi.JSDocParsingMode.ParseNone }, true, scriptKindOf(path));
    parsed = { sf };
    const diags = (sf as unknown as { parseDiagnostics?: readonly ts.Diagnostic[] }).parseDiagnostics ?? [];
    if (diags.length > 0) {
      // No message text: some parser messages quote source tokens, which could be secrets.
      errors.push(`${diags.length} syntax error(s) (first at offset ${diags[0].start ?? 0}); extracted from the valid parts`);
    }
    const ev = new Evaluator(sf);

    // One iterative walk: collect the nodes and the modules the file imports.
    const nodes: ts.Node[] = [];
    const modules = new Set<string>();
    const stack: ts.Node[] = [sf];
    const pushChild = (c: ts.Node): void => {
      stack.push(c);
    };
    while (stack.length > 0) {
      const n = stack.pop()!;
      nodes.push(n);
      if (nodes.length > MAX_NODES) {
        errors.push('file too large: extraction stopped early');
        break;
      }
      if (tsApi.isImportDeclaration(n) && tsApi.isStringLiteral(n.moduleSpecifier)) modules.add(n.moduleSpecifier.text);
      else if (tsApi.isImportEqualsDeclaration(n) && tsApi.isExternalModuleReference(n.moduleReference) && tsApi.isStringLiteral(n.moduleReference.expression)) {
        modules.add(n.moduleReference.expression.text);
      } else if (tsApi.isCallExpression(n)) {
        const m = requiredModule(n);
        if (m !== undefined) modules.add(m);
      }
      // Children in reverse onto the stack (source order out), without a per-node array.
      const mark = stack.length;
      tsApi.forEachChild(n, pushChild);
      for (let i = mark, j = stack.length - 1; i < j; i++, j--) {
        const t = stack[i];
        stack[i] = stack[j];
        stack[j] = t;
      }
    }

    const finder = new SiteFinder(ev, modules.has('@azure/identity'));
    const found: FoundSite[] = [];
    for (const n of nodes) {
      if (!tsApi.isCallExpression(n) && !tsApi.isNewExpression(n)) continue;
      try {
        found.push(...finder.perCall(n, () => finder.find(n)));
      } catch (e) {
        errors.push(`could not read a call at offset ${n.getStart(sf)}: ${String(e)}`);
      }
    }
    // Configuration objects that no call in this file consumes: knex/TypeORM/Sequelize shapes
    // (knexfile.js, exported DataSourceOptions, Sequelize config modules) and objects declared
    // with a driver's config type (`export const cfg: sql.config = {…}`).
    const calls = [...found];
    const consumed = (r: { start: number; end: number }): boolean =>
      calls.some((f) => (f.site.anchor.start <= r.start && r.end <= f.site.anchor.end) || (f.site.options && f.site.options.range.start === r.start && f.site.options.range.end === r.end));
    // Variables named inside a recognised call (`new Pool({ ...cfg, max: 5 })`): their objects are
    // that call's settings, not another connection. Computed on first need.
    let namedInCalls: Set<ts.Node> | undefined;
    const usedByCall = (decl: ts.Node): boolean => {
      namedInCalls ??= variablesNamedIn(nodes, calls.map((f) => f.site.anchor), ev);
      return namedInCalls.has(decl);
    };
    for (const n of nodes) {
      if (!tsApi.isObjectLiteralExpression(n)) continue;
      const r = ev.range(n);
      if (consumed(r)) continue;
      try {
        const fs = finder.perCall(n, () => finder.findConfigObject(n));
        const conn = fs[0]?.site.options;
        if (fs.length === 0 || (conn && consumed(conn.range))) continue;
        const decl = declarationOfObject(n);
        if (decl && calls.length > 0 && usedByCall(decl)) continue;
        found.push(...fs);
      } catch (e) {
        errors.push(`could not read an object at offset ${n.getStart(sf)}: ${String(e)}`);
      }
    }
    sites.push(...found.map((f) => f.site));
    // A file that imports a database driver is database code throughout. In a module that only
    // holds connection configuration, the configuration objects are, with the variables they read
    // (`ssl: tls` where `const tls = prod ? { rejectUnauthorized: false } : false`), not every
    // object that happens to look alike (observations.ts inDb).
    const dbContext = [...modules].some((m) => DB_MODULES.has(m));
    const dbRegions: { start: number; end: number }[] = [];
    if (!dbContext && found.length > calls.length) {
      const configRanges = found.slice(calls.length).map((f) => f.site.anchor);
      dbRegions.push(...configRanges);
      for (const d of variablesNamedIn(nodes, configRanges, ev)) {
        if (tsApi.isVariableDeclaration(d) && d.initializer) dbRegions.push(ev.range(d.initializer));
      }
    }

    const collector = new ObservationCollector(ev, finder, dbContext, dbRegions);
    collector.addSites(found);
    for (const n of nodes) {
      try {
        collector.visit(n);
      } catch (e) {
        errors.push(`could not read a node at offset ${n.pos}: ${String(e)}`);
      }
    }
    observations.push(...collector.out);
    paramReads = [...ev.paramReads].map((fn) => ev.range(fn));
    evidence = ev.evidence;
    outline = tsOutline(sf, guarded.masked || nodes.length > MAX_NODES ? undefined : diags.map((d) => d.start ?? 0));
  } catch (e) {
    // Stack overflow in the parser on pathological nesting, or an internal error.
    if (e instanceof RangeError) errors.push('TS/JS extraction skipped: code nested too deeply to parse');
    else errors.push(`TS/JS extraction failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  return { sites, observations, errors, outline, reuse: parsed, paramReads, evidence };
}

/** The declarations of the variables used within `ranges` (names of members excluded). */
function variablesNamedIn(nodes: readonly ts.Node[], ranges: readonly { start: number; end: number }[], ev: Evaluator): Set<ts.Node> {
  const out = new Set<ts.Node>();
  if (ranges.length === 0) return out;
  for (const n of nodes) {
    if (!tsApi.isIdentifier(n) || !ranges.some((g) => n.end > g.start && n.pos < g.end) || isMemberName(n)) continue;
    const r = ev.range(n);
    if (!ranges.some((g) => g.start <= r.start && r.end <= g.end)) continue;
    const d = ev.declOf(n);
    if (d) out.add(d);
  }
  return out;
}

/** `x.name` or `{ name: … }`: a property name, not a use of a variable. */
function isMemberName(id: ts.Identifier): boolean {
  const p = id.parent;
  return (tsApi.isPropertyAccessExpression(p) && p.name === id) || (tsApi.isPropertyAssignment(p) && p.name === id);
}
