/**
 * The reading half of `connguard scan`: path arguments → configuration → the files to consider
 * (walk order) → each file read up to the decision whether it needs analysis (size, binary and
 * content prefilter; cli/read.ts). Nothing here loads the engine's extractors, so this runs on
 * the reader thread (cli/reader.ts) as cheaply as on the main thread.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileResult } from '../engine/model';
import type { EnvConsumer } from '../engine/profile/index';
import { DEFAULT_SETTINGS, EngineSettings } from '../engine/settings';
import { ScanCommand, UsageError } from './args';
import { ConfigError, discoverConfig, IgnoreLayer, resolveConfig } from './config';
import { candidateByteDfa } from './prefilter';
import { readForAnalysis } from './read';
import { decodeSource, SourceText } from './source';
import { FileWalker, WalkedFile, WalkState } from './walk';

export interface PlannedFile {
  readonly abs: string;
  /** Relative to cwd, `/`-separated: the path shown in reports and used for fingerprints. */
  readonly rel: string;
  readonly settings: EngineSettings;
  readonly skipReason?: string;
}

export function displayPath(abs: string, cwd: string): string {
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

/** A path argument, checked and with its settings: what the walk starts from. */
interface ScanRoot {
  readonly abs: string;
  readonly isDirectory: boolean;
  readonly settings: EngineSettings;
  readonly layers: readonly IgnoreLayer[];
}

/**
 * Checks every path argument and resolves its configuration before any walking, so that a
 * missing path (UsageError) or a bad configuration (ConfigError) stops the scan before any work.
 */
function scanRoots(cmd: ScanCommand, cwd: string): ScanRoot[] {
  const resolver = new SettingsResolver(cmd, cwd);
  return cmd.paths.map((p) => {
    const abs = path.resolve(cwd, p);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      throw new UsageError(`path not found: ${p}`);
    }
    const { settings, layers } = resolver.forRoot(st.isDirectory() ? abs : cwd);
    return { abs, isDirectory: st.isDirectory(), settings, layers };
  });
}

/**
 * Expands the path arguments, passing each file to `emit` as the walk finds it (walk order, each
 * display path once). Throws UsageError for a missing path, ConfigError for bad configuration,
 * both before the first file.
 */
export function planEach(cmd: ScanCommand, cwd: string, emit: (f: PlannedFile) => void): void {
  const roots = scanRoots(cmd, cwd);
  const state = new WalkState();
  const seen = new Set<string>();
  for (const root of roots) {
    const walker = new FileWalker({ useIgnoreFiles: cmd.useIgnoreFiles, configLayers: root.layers }, state);
    const plan = (f: WalkedFile): void => {
      const rel = displayPath(f.abs, cwd);
      if (seen.has(rel)) return;
      seen.add(rel);
      emit({ abs: f.abs, rel, settings: root.settings, skipReason: f.skipReason });
    };
    if (root.isDirectory) walker.walkDirectoryEach(root.abs, plan);
    else {
      const f = walker.explicitFile(root.abs);
      if (f) plan(f);
    }
  }
}

/** The order of results: by display path. */
export function byPath(a: { readonly rel: string }, b: { readonly rel: string }): number {
  return a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0;
}

/** Every planned file, sorted by display path (planEach, collected). */
export function planFiles(cmd: ScanCommand, cwd: string): PlannedFile[] {
  const out: PlannedFile[] = [];
  planEach(cmd, cwd, (f) => out.push(f));
  return out.sort(byPath);
}

export interface FileOutcome {
  readonly result: FileResult;
  readonly text?: string;
  readonly fixed: boolean;
  /** Env variables this (code) file reads as a connection string: [name, consumer] pairs. */
  readonly envConsumers?: readonly (readonly [string, EnvConsumer])[];
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
