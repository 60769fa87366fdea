/**
 * `connguard scan`: path arguments → settings → files → analysis (and --fix) → results.
 *
 * The files come from the reader (cli/reader.ts: walk, read, prefilter — on its own thread for
 * directory scans); code files are analysed as they arrive, configuration files once all code
 * has been (phase 2, see runScan). Analysis is synchronous on this thread, or spread over worker
 * threads with `--jobs` (cli/parallel.ts). Git is asked about `.env` files as they arrive.
 * Results are sorted by path relative to the current directory (`/` separators), whatever the
 * order in which files were read or finished.
 * Every file that was considered appears in the results (files without findings too, and
 * skipped ones with a note); ignored files do not appear and are never opened.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileNote, FileResult, Finding, Fix, TextEdit } from '../engine/model';
import { analyzeText, applyEdits, consumerEntries, FileAnalysis, initEngine, isCodeKind, sourceKindOf } from '../engine/scan';
import { EnvConsumer, ProjectEnvConsumer, scopeEnvConsumers } from '../engine/profile/index';
import { ScanCommand } from './args';
import { GitTracking } from './git';
import { preloadTypeScript } from './code-cache';
import { byPath, FileOutcome, PlannedFile, readPlanned } from './plan';
import { ProjectFinder } from './project';
import type { AdoptedReader } from './early-reader';
import { ReadFile, readInline, readInWorker, readsInWorker } from './reader';
import { SourceText, writeSource } from './source';
import { WorkerPool } from './parallel';

/** --fix re-analyses and applies again while fixes remain (overlapping fixes need several passes). */
export const MAX_FIX_PASSES = 10;

export interface ScanOutcome {
  readonly results: FileResult[];
  /** Text of every file with findings, for the formatters' positions. */
  readonly texts: Map<string, string>;
  readonly runNotes: string[];
  readonly fixedFiles: number;
  /** Where the files were read (for CONNGUARD_TIMING): 'early thread' when started by the launcher. */
  readonly reader: 'thread' | 'early thread' | 'inline';
  /**
   * Where a scan's time went, ms since runScan began (for CONNGUARD_TIMING and the benchmark's
   * profiling): `engine` parsers loaded, `first` first code file analysed, `read` every file
   * handed over, `code` code analysed, `config` configuration analysed; `busy <kind>` the time
   * this thread spent analysing code of that kind as files arrived (not with --jobs).
   */
  readonly timeline: Readonly<Record<string, number>>;
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

/** What processFile needs to know from outside the file. */
export interface FileContext {
  /** For `.env` files: whether git tracks the file. */
  readonly envFileTracked?: boolean;
  /** Env variable → the code that reads it (collected from code files in the first phase). */
  readonly envConsumers?: ReadonlyMap<string, EnvConsumer>;
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

/** `early`: the reader thread the launcher started for this scan (cli/early-reader.ts), adopted by the caller. */
export async function runScan(cmd: ScanCommand, cwd: string, early?: AdoptedReader): Promise<ScanOutcome> {
  const git = new GitTracking();
  const pool = cmd.jobs > 1 ? new WorkerPool(cmd.jobs - 1) : undefined;
  const analyse = (f: PlannedFile, src: SourceText & { kind: 'text' }, fc: FileContext): FileOutcome | Promise<FileOutcome> =>
    pool ? pool.analyze(f, src, cmd.fix, fc) : analyzeSource(f, src, cmd.fix, fc);
  interface Entry {
    readonly file: PlannedFile;
    outcome: FileOutcome | Promise<FileOutcome> | undefined;
    /** A configuration file's text, analysed in phase 2. */
    readonly deferred?: SourceText & { kind: 'text' };
    readonly tracked?: Promise<boolean>;
  }
  const entries: Entry[] = [];
  let outcomes: FileOutcome[] = [];
  const t0 = performance.now();
  const timeline: Record<string, number> = {};
  const mark = (k: string): void => {
    timeline[k] = Math.round(performance.now() - t0);
  };
  const reader = readsInWorker(hasDirectory(cmd, cwd)) ? (early ? 'early thread' : 'thread') : 'inline';
  // Reading inline after all (explicit files only, one CPU): the early thread is not needed.
  if (reader === 'inline' && early) void early.worker.terminate();
  try {
    // Phase 1, while the files are read: code is analysed as it arrives. It tells which env
    // variables carry connection strings to which driver, so that phase 2 can judge config
    // values (DATABASE_URL=… in .env) under the driver that reads them.
    let tsPreload: 'wait' | 'scheduled' | 'off' = reader !== 'inline' && !pool ? 'wait' : 'off';
    let gitPrefetched = false;
    const onFile = (r: ReadFile): void => {
      const kind = sourceKindOf(r.file.rel);
      // Git is started at the first .env file, read or not: cheaper now than later (cli/git.ts).
      if (kind === 'dotenv' && !gitPrefetched) {
        gitPrefetched = true;
        git.prefetch(r.file.abs);
      }
      // While this thread waits for the reader, load the TypeScript compiler (~80 ms) as soon as
      // the walk shows TS/JS files: time otherwise idle, and the first TS/JS candidate needs it.
      if (tsPreload === 'wait' && kind === 'ts') {
        tsPreload = 'scheduled';
        setImmediate(preloadTypeScript);
      }
      if ('outcome' in r) entries.push({ file: r.file, outcome: r.outcome });
      else if (isCodeKind(kind)) {
        if (timeline.first === undefined) mark('first');
        const started = performance.now();
        entries.push({ file: r.file, outcome: analyse(r.file, r.src, {}) });
        // With --jobs the analysis runs elsewhere: this thread only hands the file over.
        if (!pool) {
          const busy = `busy ${kind}`;
          timeline[busy] = (timeline[busy] ?? 0) + performance.now() - started;
        }
      } else {
        // Git is asked once per repository, while the analysis goes on.
        const tracked = kind === 'dotenv' ? git.isTracked(r.file.abs) : undefined;
        entries.push({ file: r.file, outcome: undefined, deferred: r.src, ...(tracked ? { tracked } : {}) });
      }
    };
    if (reader !== 'inline') {
      // The reader starts at once (or has started already); this thread meanwhile loads the Go
      // parser (files wait for it).
      await readInWorker({ cmd, cwd }, initEngine().then(() => mark('engine')), onFile, early);
    } else {
      await initEngine();
      mark('engine');
      readInline(cmd, cwd, onFile);
    }
    mark('read');
    entries.sort((x, y) => byPath(x.file, y.file));
    const codeEntries = entries.filter((e) => e.deferred === undefined);
    const code = await Promise.all(codeEntries.map((e) => e.outcome!));
    mark('code');
    const consumers = new ScopedConsumers(code.map((o, i) => ({ abs: codeEntries[i].file.abs, outcome: o })));
    // Phase 2: configuration files, under the drivers that read their values (in scope: the
    // readers of the config file's project, profile/index.ts scopeEnvConsumers).
    for (const e of entries) {
      if (e.deferred) e.outcome = analyse(e.file, e.deferred, { envFileTracked: e.tracked ? await e.tracked : undefined, envConsumers: consumers.forFile(e.file.abs) });
    }
    // Every outcome before the pool closes (phase 2's may still be on a worker).
    outcomes = await Promise.all(entries.map((e) => e.outcome!));
    mark('config');
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
  return { results: outcomes.map((o) => o.result), texts, runNotes, fixedFiles, reader, timeline };
}

/** Whether a path argument is a directory (a missing one is the reader's to report). */
function hasDirectory(cmd: ScanCommand, cwd: string): boolean {
  return cmd.paths.some((p) => {
    try {
      return fs.statSync(path.resolve(cwd, p)).isDirectory();
    } catch {
      return false;
    }
  });
}

/**
 * Env variable → consumer for each configuration file, from the code files' outcomes: the
 * readers in the config file's project, else below it, else in the nearest enclosing project
 * (profile/index.ts scopeEnvConsumers; projects from cli/project.ts). One map per project.
 */
export class ScopedConsumers {
  private readonly readers: ProjectEnvConsumer[] = [];
  private readonly projects = new ProjectFinder();
  private readonly byProject = new Map<string, Map<string, EnvConsumer>>();

  constructor(code: readonly { readonly abs: string; readonly outcome: FileOutcome }[]) {
    for (const { abs, outcome } of code) {
      if (!outcome.envConsumers?.length) continue;
      const project = this.projects.projectOfFile(abs);
      for (const [name, consumer] of outcome.envConsumers) this.readers.push({ name, consumer, project });
    }
  }

  /** The consumers that count for the configuration file at `abs` (undefined: no reader at all). */
  forFile(abs: string): ReadonlyMap<string, EnvConsumer> | undefined {
    if (this.readers.length === 0) return undefined;
    const project = this.projects.projectOfFile(abs);
    let map = this.byProject.get(project);
    if (!map) {
      map = scopeEnvConsumers(this.readers, project);
      this.byProject.set(project, map);
    }
    return map;
  }
}

