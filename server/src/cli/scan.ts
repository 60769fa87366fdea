/**
 * `connguard scan`: path arguments → settings → files → analysis (and --fix) → results.
 *
 * Results are sorted by path relative to the current directory (`/` separators), whatever the
 * order in which files finish. Reading and analysis are synchronous (cheapest for many small
 * files); large scans spread files over worker threads (cli/parallel.ts, `--jobs`). Git is asked
 * about `.env` files up front, at most READ_CONCURRENCY at a time.
 * Every file that was considered appears in the results (files without findings too, and
 * skipped ones with a note); ignored files do not appear and are never opened.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileNote, FileResult, Finding, Fix, TextEdit } from '../engine/model';
import { analyzeText, applyEdits, consumerEntries, FileAnalysis, isCodeKind, sourceKindOf } from '../engine/scan';
import { EnvConsumer, mergeEnvConsumers } from '../engine/profile/index';
import { DEFAULT_SETTINGS, EngineSettings } from '../engine/settings';
import { ScanCommand, UsageError } from './args';
import { ConfigError, discoverConfig, IgnoreLayer, resolveConfig } from './config';
import { GitTracking } from './git';
import { preloadTypeScript } from './compile-cache';
import { candidateByteDfa } from './prefilter';
import { readForAnalysis } from './read';
import { decodeSource, SourceText, writeSource } from './source';
import { FileWalker, WalkState } from './walk';
import { WorkerPool } from './parallel';

export const READ_CONCURRENCY = 16;
/** Below this many files, starting worker threads costs more than it saves. */
export const PARALLEL_MIN_FILES = 400;

/** --fix re-analyses and applies again while fixes remain (overlapping fixes need several passes). */
export const MAX_FIX_PASSES = 10;

export interface ScanOutcome {
  readonly results: FileResult[];
  /** Text of every file with findings, for the formatters' positions. */
  readonly texts: Map<string, string>;
  readonly runNotes: string[];
  readonly fixedFiles: number;
}

export interface PlannedFile {
  readonly abs: string;
  /** Relative to cwd, `/`-separated: the path shown in reports and used for fingerprints. */
  readonly rel: string;
  readonly settings: EngineSettings;
  readonly skipReason?: string;
}

function displayPath(abs: string, cwd: string): string {
  // Fast path for the usual case, a file below cwd (abs is normalised: it comes from path.resolve
  // and the walker's joins), as path.relative would answer; anything else goes to path.relative.
  const below = cwd.endsWith(path.sep) ? cwd : cwd + path.sep;
  const rel = abs.startsWith(below) && abs.length > below.length ? abs.slice(below.length) : path.relative(cwd, abs);
  return (rel === '' ? path.basename(abs) : rel).split(path.sep).join('/');
}

/** Settings and ignore layers for one scan root, cached by the configuration files involved. */
class SettingsResolver {
  private readonly cache = new Map<string, { settings: EngineSettings; layers: readonly IgnoreLayer[] }>();

  constructor(
    private readonly cmd: ScanCommand,
    private readonly cwd: string,
  ) {}

  forRoot(rootDir: string): { settings: EngineSettings; layers: readonly IgnoreLayer[] } {
    const files: { abs: string; display: string }[] = [];
    const discovered = discoverConfig(rootDir, this.cwd);
    if (discovered) files.push({ abs: discovered, display: displayPath(discovered, this.cwd) });
    if (this.cmd.config) {
      const abs = path.resolve(this.cwd, this.cmd.config);
      if (!fs.existsSync(abs)) throw new ConfigError([`${this.cmd.config}: configuration file not found`]);
      files.push({ abs, display: this.cmd.config });
    }
    const key = files.map((f) => f.abs).join('\0');
    let hit = this.cache.get(key);
    if (!hit) {
      const resolved = resolveConfig(DEFAULT_SETTINGS, files);
      const settings: EngineSettings = {
        ...resolved.settings,
        checkTestFiles: resolved.settings.checkTestFiles || this.cmd.includeTests,
        checkLocalConnections: resolved.settings.checkLocalConnections || this.cmd.checkLocal,
      };
      hit = { settings, layers: this.cmd.useIgnoreFiles ? resolved.ignoreLayers : [] };
      this.cache.set(key, hit);
    }
    return hit;
  }
}

/** Expands the path arguments; throws UsageError for a missing path, ConfigError for bad config. */
export function planFiles(cmd: ScanCommand, cwd: string): PlannedFile[] {
  const resolver = new SettingsResolver(cmd, cwd);
  const state = new WalkState();
  const planned = new Map<string, PlannedFile>();
  for (const p of cmd.paths) {
    const abs = path.resolve(cwd, p);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      throw new UsageError(`path not found: ${p}`);
    }
    const rootDir = st.isDirectory() ? abs : cwd;
    const { settings, layers } = resolver.forRoot(rootDir);
    const walker = new FileWalker({ useIgnoreFiles: cmd.useIgnoreFiles, configLayers: layers }, state);
    const files = st.isDirectory() ? walker.walkDirectory(abs) : [walker.explicitFile(abs)].filter((f) => f !== undefined);
    for (const f of files) {
      const rel = displayPath(f.abs, cwd);
      if (!planned.has(rel)) planned.set(rel, { abs: f.abs, rel, settings, skipReason: f.skipReason });
    }
  }
  return [...planned.values()].sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}

/**
 * The preferred fixes to apply in one pass: at most one per finding, whole fixes only (a fix
 * whose edits overlap an already chosen fix waits for the next pass, never half-applied).
 */
export function chooseFixes(findings: readonly Finding[]): TextEdit[] {
  const chosen: TextEdit[] = [];
  // Two edits conflict when their ranges intersect, or when both touch the same point and one
  // of them is an insertion (the order of the two results would be arbitrary).
  const conflict = (a: TextEdit, b: TextEdit): boolean =>
    (a.range.start < b.range.end && b.range.start < a.range.end) ||
    (a.range.start === b.range.start && (a.range.start === a.range.end || b.range.start === b.range.end));
  const overlaps = (e: TextEdit): boolean => chosen.some((c) => conflict(e, c));
  for (const f of findings) {
    const fix: Fix | undefined = f.fixes.find((x) => x.preferred);
    if (!fix || fix.edits.length === 0) continue;
    if (fix.edits.some(overlaps)) continue;
    chosen.push(...fix.edits);
  }
  return chosen;
}

export interface FileOutcome {
  readonly result: FileResult;
  readonly text?: string;
  readonly fixed: boolean;
  /** Env variables this (code) file reads as a connection string: [name, consumer] pairs. */
  readonly envConsumers?: readonly (readonly [string, EnvConsumer])[];
}

/** What processFile needs to know from outside the file. */
export interface FileContext {
  /** For `.env` files: whether git tracks the file. */
  readonly envFileTracked?: boolean;
  /** Env variable → the code that reads it (collected from code files in the first phase). */
  readonly envConsumers?: ReadonlyMap<string, EnvConsumer>;
}

/**
 * Reads one planned file: its text, or the outcome when it needs no analysis — skipped, or
 * bytes in which the engine's prefilter cannot match (cli/prefilter.ts: then the outcome is the
 * one analyzeSource would give, no findings and no notes, without decoding the file).
 */
export function readPlanned(f: PlannedFile): { readonly outcome: FileOutcome } | { readonly src: SourceText & { kind: 'text' } } {
  if (f.skipReason) return { outcome: { result: { path: f.rel, findings: [], notes: [{ kind: 'skipped', message: f.skipReason }] }, fixed: false } };
  const r = readForAnalysis({ abs: f.abs, maxFileBytes: f.settings.maxFileBytes }, candidateByteDfa());
  if ('note' in r) return { outcome: { result: { path: f.rel, findings: [], notes: [r.note] }, fixed: false } };
  if ('noCandidate' in r) return { outcome: { result: { path: f.rel, findings: [], notes: [] }, fixed: false } };
  return { src: decodeSource(r.bytes) };
}

/** Reads, analyses (and with --fix rewrites) one file. */
export function processFile(f: PlannedFile, fix: boolean, fc: FileContext): FileOutcome {
  const r = readPlanned(f);
  return 'outcome' in r ? r.outcome : analyzeSource(f, r.src, fix, fc);
}

/**
 * Analyses (and with --fix rewrites) one file that has been read. Synchronous and self-contained
 * so that it runs the same on the main thread and in a worker (cli/parallel.ts); the outside
 * facts it needs (git tracking of `.env` files, env consumers) come in `fc`.
 */
export function analyzeSource(f: PlannedFile, src: SourceText & { kind: 'text' }, fix: boolean, fc: FileContext): FileOutcome {
  const notes: FileNote[] = [];
  // The compiler through the code cache, before the engine's first require('typescript').
  if (sourceKindOf(f.rel) === 'ts') preloadTypeScript();
  const analyze = (text: string): FileAnalysis => {
    try {
      return analyzeText(f.rel, text, f.settings, fc);
    } catch (e) {
      // analyzeText promises not to throw; if it does anyway, one file must not stop the run.
      return { findings: [], notes: [{ kind: 'internal-error', message: `internal error while analysing: ${(e as Error).message}` }], profiles: [], envConsumers: [] };
    }
  };
  let text = src.text;
  let analysis = analyze(text);
  let fixed = false;
  if (fix && analysis.findings.some((x) => x.fixes.some((y) => y.preferred))) {
    if (src.lossy) {
      notes.push({ kind: 'skipped', message: 'not fixed: the file is not valid UTF-8, rewriting it would change bytes outside the fix' });
    } else {
      for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
        const edits = chooseFixes(analysis.findings);
        if (edits.length === 0) break;
        const next = applyEdits(text, edits);
        if (next === text) break;
        text = next;
        analysis = analyze(text);
      }
      if (text !== src.text) {
        try {
          writeSource(f.abs, text, src.bom);
          fixed = true;
        } catch (e) {
          // Report against the text on disk, which is unchanged.
          notes.push({ kind: 'skipped', message: `not fixed: cannot write the file (${(e as NodeJS.ErrnoException).code ?? 'error'})` });
          text = src.text;
          analysis = analyze(text);
        }
      }
    }
  }
  if (src.lossy) notes.push({ kind: 'parse-error', message: 'the file is not valid UTF-8; invalid bytes were read as U+FFFD' });
  const envConsumers = consumerEntries(analysis, f.rel, text);
  return {
    result: { path: f.rel, findings: analysis.findings, notes: [...analysis.notes, ...notes] },
    text: analysis.findings.length ? text : undefined,
    fixed,
    ...(envConsumers.length ? { envConsumers } : {}),
  };
}

export async function runScan(cmd: ScanCommand, files: readonly PlannedFile[]): Promise<ScanOutcome> {
  const git = new GitTracking();
  // Git is asked once per repository, before any analysis, for every .env file.
  const tracked = new Map<string, boolean>();
  const envFiles = files.filter((f) => !f.skipReason && sourceKindOf(f.rel) === 'dotenv');
  for (let i = 0; i < envFiles.length; i += READ_CONCURRENCY) {
    const batch = envFiles.slice(i, i + READ_CONCURRENCY);
    const answers = await Promise.all(batch.map((f) => git.isTracked(f.abs)));
    batch.forEach((f, j) => tracked.set(f.abs, answers[j]));
  }
  const jobs = files.length >= PARALLEL_MIN_FILES ? cmd.jobs : 1;
  // This thread reads and prefilters; with N jobs, N-1 workers parse (a pipeline, see parallel.ts).
  const pool = jobs > 1 ? new WorkerPool(jobs - 1) : undefined;
  const run = (batch: readonly PlannedFile[], consumers?: ReadonlyMap<string, EnvConsumer>): Promise<FileOutcome[]> | FileOutcome[] =>
    pool
      ? pool.run(batch, cmd.fix, (f) => ({ envFileTracked: tracked.get(f.abs), envConsumers: consumers }))
      : batch.map((f) => processFile(f, cmd.fix, { envFileTracked: tracked.get(f.abs), envConsumers: consumers }));
  // Phase 1: code. It tells which env variables carry connection strings to which driver, so that
  // phase 2 can judge config values (DATABASE_URL=… in .env) under the driver that reads them.
  const isCode = (f: PlannedFile): boolean => isCodeKind(sourceKindOf(f.rel));
  const outcomes: FileOutcome[] = new Array(files.length);
  try {
    const codeIdx = files.flatMap((f, i) => (isCode(f) ? [i] : []));
    const restIdx = files.flatMap((f, i) => (isCode(f) ? [] : [i]));
    const codeOut = await run(codeIdx.map((i) => files[i]));
    codeIdx.forEach((fi, j) => (outcomes[fi] = codeOut[j]));
    const consumers = envConsumerMap(codeOut);
    const restOut = await run(restIdx.map((i) => files[i]), consumers);
    restIdx.forEach((fi, j) => (outcomes[fi] = restOut[j]));
  } finally {
    await pool?.close();
  }
  const texts = new Map<string, string>();
  let fixedFiles = 0;
  for (const o of outcomes) {
    if (o.text !== undefined) texts.set(o.result.path, o.text);
    if (o.fixed) fixedFiles++;
  }
  const runNotes = git.problem ? [git.problem] : [];
  return { results: outcomes.map((o) => o.result), texts, runNotes, fixedFiles };
}

/** Env variable → consumer, from the code files' outcomes (profile/index.ts mergeEnvConsumers). */
export function envConsumerMap(outcomes: readonly FileOutcome[]): Map<string, EnvConsumer> {
  return mergeEnvConsumers(outcomes.flatMap((o) => o.envConsumers ?? []));
}

