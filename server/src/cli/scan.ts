/**
 * `connguard scan`: path arguments → settings → files → analysis (and --fix) → results.
 *
 * Results are sorted by path relative to the current directory (`/` separators), whatever the
 * order in which files finish. Reading and analysis are synchronous (cheapest for many small
 * files); what runs concurrently is the waiting on git for `.env` files, at most
 * READ_CONCURRENCY files at a time, so a huge tree never holds more than that many in memory.
 * Every file that was considered appears in the results (files without findings too, and
 * skipped ones with a note); ignored files do not appear and are never opened.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileNote, FileResult, Finding, Fix, TextEdit } from '../engine/model';
import { analyzeText, applyEdits, FileAnalysis, sourceKindOf } from '../engine/scan';
import { DEFAULT_SETTINGS, EngineSettings } from '../engine/settings';
import { ScanCommand, UsageError } from './args';
import { ConfigError, discoverConfig, IgnoreLayer, resolveConfig } from './config';
import { GitTracking } from './git';
import { readSource, writeSource } from './source';
import { FileWalker, WalkState } from './walk';

export const READ_CONCURRENCY = 16;
/** --fix re-analyses and applies again while fixes remain (overlapping fixes need several passes). */
export const MAX_FIX_PASSES = 10;

export interface ScanOutcome {
  readonly results: FileResult[];
  /** Text of every file with findings, for the formatters' positions. */
  readonly texts: Map<string, string>;
  readonly runNotes: string[];
  readonly fixedFiles: number;
}

interface PlannedFile {
  readonly abs: string;
  /** Relative to cwd, `/`-separated: the path shown in reports and used for fingerprints. */
  readonly rel: string;
  readonly settings: EngineSettings;
  readonly skipReason?: string;
}

function displayPath(abs: string, cwd: string): string {
  const rel = path.relative(cwd, abs);
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

interface FileOutcome {
  readonly result: FileResult;
  readonly text?: string;
  readonly fixed: boolean;
}

async function processFile(f: PlannedFile, fix: boolean, git: GitTracking): Promise<FileOutcome> {
  const notes: FileNote[] = [];
  if (f.skipReason) return { result: { path: f.rel, findings: [], notes: [{ kind: 'skipped', message: f.skipReason }] }, fixed: false };
  const src = readSource(f.abs, f.settings.maxFileBytes);
  if (src.kind === 'skipped') return { result: { path: f.rel, findings: [], notes: [src.note] }, fixed: false };
  const envFileTracked = sourceKindOf(f.rel) === 'dotenv' ? await git.isTracked(f.abs) : undefined;
  const analyze = (text: string): FileAnalysis => {
    try {
      return analyzeText(f.rel, text, f.settings, { envFileTracked });
    } catch (e) {
      // analyzeText promises not to throw; if it does anyway, one file must not stop the run.
      return { findings: [], notes: [{ kind: 'internal-error', message: `internal error while analysing: ${(e as Error).message}` }], profiles: [] };
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
  return {
    result: { path: f.rel, findings: analysis.findings, notes: [...analysis.notes, ...notes] },
    text: analysis.findings.length ? text : undefined,
    fixed,
  };
}

export async function runScan(cmd: ScanCommand, files: readonly PlannedFile[]): Promise<ScanOutcome> {
  const git = new GitTracking();
  const outcomes: FileOutcome[] = new Array(files.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const i = next++;
      outcomes[i] = await processFile(files[i], cmd.fix, git);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, files.length) }, worker));
  const texts = new Map<string, string>();
  let fixedFiles = 0;
  for (const o of outcomes) {
    if (o.text !== undefined) texts.set(o.result.path, o.text);
    if (o.fixed) fixedFiles++;
  }
  const runNotes = git.problem ? [git.problem] : [];
  return { results: outcomes.map((o) => o.result), texts, runNotes, fixedFiles };
}
