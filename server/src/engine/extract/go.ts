/**
 * Go extractor: tree-sitter-go (web-tree-sitter WASM) → connection sites and observations.
 *
 * Pipeline: parse (error-tolerant: half-typed code still yields its valid parts) → plain copy of
 * the tree (go/ast.ts; the WASM tree is deleted at once) → GoFile (imports, definitions,
 * resolver) → sites (go/sites.ts) → observations (go/observations.ts).
 *
 * Architecture invariants:
 * - `extractGo` never throws; problems become `errors`.
 * - Work per file is bounded: parsing is cancelled after PARSE_BUDGET_MS (progress callback),
 *   tree depth is capped (ast.ts MAX_DEPTH), value resolution is depth-limited (evaluate.ts).
 * - Offsets are UTF-16 code units (web-tree-sitter parses JS strings as UTF-16).
 *
 * `initGo` must resolve before `extractGo` is called. WASM files are looked up next to the bundle
 * first (esbuild copies them into dist/), then in node_modules.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Language as TSLanguage, Parser as TSParser, Range as TSRange } from 'web-tree-sitter';
import { Extraction } from './values';
import type { Range } from '../model';
import { RawCursorApi, convertTree, rawCursorApi, rangeOf } from './go/ast';
import { Evaluator } from './go/evaluate';
import { GoFile } from './go/file';
import { goOutline } from './go/outline';
import { scanObservations } from './go/observations';
import { scanSites } from './go/sites';
import { TlsReader } from './go/tls';

/** Parsing longer than this is cancelled (a pathological file must not hang the server). */
const PARSE_BUDGET_MS = 3000;

let parser: TSParser | undefined;
/** Fast cursor access for convertTree (undefined: the public TreeCursor is used). */
let rawCursor: RawCursorApi | undefined;
let initError: string | undefined;

function locate(bundled: string, fallback: string): string {
  const local = path.join(__dirname, bundled);
  if (fs.existsSync(local)) return local;
  return require.resolve(fallback);
}

export async function initGo(): Promise<void> {
  if (parser) return;
  try {
    // CommonJS entry of web-tree-sitter (the package is ESM-first; its "require" export is .cjs).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ts = require('web-tree-sitter') as { Parser: typeof TSParser; Language: typeof TSLanguage };
    const runtimeWasm = locate('tree-sitter.wasm', 'web-tree-sitter/tree-sitter.wasm');
    // Emscripten makes this options object the module object, so after init it also holds the
    // WASM exports that convertTree calls directly (go/ast.ts RawCursorApi). If the runtime was
    // already initialised elsewhere, it stays a plain object and the public API is used.
    const moduleOptions = { locateFile: () => runtimeWasm };
    await ts.Parser.init(moduleOptions as unknown as Parameters<typeof TSParser.init>[0]);
    rawCursor = rawCursorApi(moduleOptions);
    // Bytes, not a path: given a path, Language.load reads it through a dynamic import() of
    // fs/promises, which code compiled through a V8 code cache (vm.Script, cli/code-cache.ts)
    // cannot do.
    const go = await ts.Language.load(fs.readFileSync(locate('tree-sitter-go.wasm', 'tree-sitter-go/tree-sitter-go.wasm')));
    const p = new ts.Parser();
    p.setLanguage(go);
    parser = p;
    initError = undefined;
  } catch (e) {
    initError = `Go parser unavailable: ${(e as Error).message}`;
  }
}

/**
 * Points (0-based row, UTF-16 column) of increasing offsets, counting lines as it goes.
 */
function pointCounter(text: string): (offset: number) => { row: number; column: number } {
  let row = 0;
  let lineStart = 0;
  let pos = 0;
  return (offset) => {
    let nl = text.indexOf('\n', pos);
    while (nl !== -1 && nl < offset) {
      row++;
      lineStart = nl + 1;
      nl = text.indexOf('\n', nl + 1);
    }
    pos = offset;
    return { row, column: offset - lineStart };
  };
}

/** The complement of `skip` (sorted, disjoint) as tree-sitter included ranges (UTF-16 units: the binding doubles them). */
function includedRanges(text: string, skip: readonly Range[]): TSRange[] {
  const point = pointCounter(text);
  const out: TSRange[] = [];
  let pos = 0;
  for (const sp of [...skip, { start: text.length, end: text.length }]) {
    if (sp.start > pos) out.push({ startIndex: pos, endIndex: sp.start, startPosition: point(pos), endPosition: point(sp.start) });
    pos = Math.max(pos, sp.end);
  }
  return out;
}

/**
 * `skip`: spans to leave out of the parse (an incremental re-analysis' unneeded function bodies,
 * engine/incremental.ts). Offsets stay those of `text`.
 */
export function extractGo(text: string, skip?: readonly Range[]): Extraction {
  const errors: string[] = [];
  if (!parser) return { sites: [], observations: [], errors: [initError ?? 'Go parser not initialised (initGo was not awaited)'] };
  let tree: ReturnType<TSParser['parse']> = null;
  try {
    const deadline = Date.now() + PARSE_BUDGET_MS;
    parser.reset();
    // The d.ts types the callback as returning void, but returning true cancels the parse.
    const progressCallback = ((): boolean => Date.now() > deadline) as unknown as () => void;
    tree = parser.parse(text, null, { progressCallback, includedRanges: skip?.length ? includedRanges(text, skip) : undefined });
    if (!tree) {
      parser.reset();
      return { sites: [], observations: [], errors: [`Go parse cancelled after ${PARSE_BUDGET_MS} ms`] };
    }
    const { root, truncated, hasError } = convertTree(tree, rawCursor);
    tree.delete();
    tree = null;
    if (truncated) errors.push('Go code nested too deeply: the innermost parts were not analysed');
    const file = new GoFile(text, root);
    const ev = new Evaluator(file);
    const tls = new TlsReader(ev);
    const scan = scanSites(file, ev, tls);
    const observations = scanObservations(file, ev, tls, scan);
    const outline = goOutline(file, root, hasError || truncated);
    const paramReads = [...ev.paramReads].map(rangeOf);
    return { sites: scan.sites, observations, errors, outline: truncated ? { ...outline, errorAt: undefined } : outline, paramReads };
  } catch (e) {
    errors.push(`Go extractor error: ${(e as Error).message}`);
    return { sites: [], observations: [], errors };
  } finally {
    tree?.delete();
  }
}
