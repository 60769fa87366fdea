/**
 * One analysis per document version: the language server's single place that calls the engine
 * for open documents. Diagnostics, code actions, hovers, CodeLenses and commands all read the
 * run recorded here for the document's current version — code actions are therefore built from
 * exactly the findings the user sees, never from a second lint (the vscode-eslint model).
 *
 * Contracts:
 * - A run is keyed by (uri, version, settings generation); concurrent callers share one run.
 * - Debounce: while the user types, work waits until the document has been quiet for a while —
 *   MIN_DEBOUNCE_MS when its last analysis was cheap (≤ CHEAP_ANALYSIS_MS: small files, and
 *   large ones re-analysed incrementally), else 1.5 × the last analysis time, at most
 *   `debounceMs`: a file that analyses in 5 ms is not made to wait, a slow one does not
 *   re-analyse on every keystroke, and there is always a timer turn in which a cancellation or
 *   the next change that arrived with the request is seen. A caller
 *   whose token is cancelled meanwhile (the client sent a newer request)
 *   gets `cancelled`, and one whose document moved on gets `stale`. The engine itself is
 *   synchronous and bounded per file (size limit, binary guard), so cancellation happens at
 *   these boundaries.
 * - Never throws: an engine failure becomes an empty run with a logged note.
 */
import * as path from 'node:path';
import { CancellationToken, Connection, TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { GitTracking } from '../cli/git';
import { analyzeText, consumerEntries, FileAnalysis, isCodeKind, SourceKind, sourceKindOf } from '../engine/scan';
import { EnvConsumer, ProjectEnvConsumer, scopeEnvConsumers } from '../engine/profile/index';
import { ProjectFinder } from '../cli/project';
import { DocumentSettings, fsPathOf, SettingsStore } from './settings';

export const DEFAULT_DEBOUNCE_MS = 200;
export const MIN_DEBOUNCE_MS = 4;
/** An analysis this fast costs less than waiting would save: analyse after MIN_DEBOUNCE_MS. */
export const CHEAP_ANALYSIS_MS = 15;
/**
 * Documents at least this long keep an incremental state once edited (engine/incremental.ts):
 * below it a full analysis takes a few milliseconds and the state would only cost memory.
 */
export const INCREMENTAL_MIN_CHARS = 16_384;

/** File names standing in for documents whose URI has no usable path (untitled buffers). */
const NAME_BY_LANGUAGE: Readonly<Record<string, string>> = {
  go: 'untitled.go',
  typescript: 'untitled.ts',
  typescriptreact: 'untitled.tsx',
  javascript: 'untitled.js',
  javascriptreact: 'untitled.jsx',
  dotenv: '.env',
  yaml: 'untitled.yaml',
  dockercompose: 'docker-compose.yaml',
  json: 'untitled.json',
  jsonc: 'untitled.jsonc',
  toml: 'untitled.toml',
  properties: 'untitled.properties',
  'java-properties': 'untitled.properties',
  prisma: 'untitled.prisma',
};

export interface AnalysisRun {
  readonly uri: string;
  readonly version: number;
  readonly generation: number;
  /** Changes whenever the result may differ: pull diagnostics' `resultId`. */
  readonly resultId: string;
  readonly kind: SourceKind | undefined;
  readonly analysis: FileAnalysis;
  readonly settings: DocumentSettings;
  /** For config documents: the env-consumer version the result was computed with. */
  readonly consumers: number;
}

export type AnalysisOutcome = AnalysisRun | 'cancelled' | 'stale';

const EMPTY: FileAnalysis = { findings: [], notes: [], profiles: [], envConsumers: [] };

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class Analyzer {
  private readonly runs = new Map<string, AnalysisRun>();
  private readonly inflight = new Map<string, Promise<AnalysisOutcome>>();
  private readonly lastChange = new Map<string, number>();
  /** How long the last analysis of each document took (ms): the adaptive debounce. */
  private readonly lastMs = new Map<string, number>();
  private generation = 0;
  private counter = 0;
  private git = new GitTracking();
  /** Project of each directory, for scoping env consumers; forgotten with the settings (invalidateAll). */
  private projects = new ProjectFinder();
  /**
   * Which env variables code documents read as connection strings, and the driver they go to
   * (SPEC §1.1): config documents are judged under that driver. Fed by every analysed code
   * document and by the workspace scan; keyed by document URI.
   */
  private readonly consumersByUri = new Map<string, readonly (readonly [string, EnvConsumer])[]>();
  private consumerVersion = 0;
  private consumerTimer: NodeJS.Timeout | undefined;
  /** Called when the consumer map changed, so config documents' diagnostics can be refreshed. */
  onConsumersChanged: (() => void) | undefined;

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly settings: SettingsStore,
    /** Resolves when the engine's parsers are loaded (tree-sitter WASM). */
    private readonly engineReady: Promise<void>,
    readonly debounceMs = DEFAULT_DEBOUNCE_MS,
  ) {}

  /** The path given to the engine: relative to the workspace folder (test-file detection and
   * fingerprints then match the CLI's), else the base name; by languageId for untitled buffers. */
  enginePath(doc: TextDocument): string {
    const fsPath = fsPathOf(doc.uri);
    if (fsPath && sourceKindOf(fsPath)) {
      const folder = this.settings.folderOf(fsPath);
      return folder ? path.relative(folder, fsPath).split(path.sep).join('/') : path.basename(fsPath);
    }
    if (!fsPath) {
      const last = decodeURIComponent(doc.uri.split(/[/\\]/).pop() ?? '');
      if (sourceKindOf(last)) return last;
    }
    return NAME_BY_LANGUAGE[doc.languageId] ?? '';
  }

  /** Whether ConnGuard reads this document at all. */
  supports(doc: TextDocument): boolean {
    return sourceKindOf(this.enginePath(doc)) !== undefined;
  }

  noteChange(uri: string): void {
    this.lastChange.set(uri, Date.now());
  }

  forget(uri: string): void {
    this.runs.delete(uri);
    this.lastChange.delete(uri);
    this.lastMs.delete(uri);
  }

  /** Settings or ignore files changed: every recorded run is out of date. */
  invalidateAll(): void {
    this.generation++;
    this.runs.clear();
    this.git = new GitTracking();
    this.projects = new ProjectFinder();
  }

  /** The recorded run for exactly this document version, without analysing. */
  runFor(doc: TextDocument): AnalysisRun | undefined {
    const run = this.runs.get(doc.uri);
    if (!run || run.version !== doc.version || run.generation !== this.generation) return undefined;
    return isCodeKind(run.kind) || run.consumers === this.consumerVersion ? run : undefined;
  }

  /** Records the env consumers of one code file (an analysed document or a workspace-scan file). */
  setConsumers(uri: string, entries: readonly (readonly [string, EnvConsumer])[]): void {
    const before = JSON.stringify(this.consumersByUri.get(uri) ?? []);
    if (entries.length) this.consumersByUri.set(uri, entries);
    else this.consumersByUri.delete(uri);
    if (JSON.stringify(entries) !== before) {
      this.consumerVersion++;
      // Coalesce: a workspace scan records many files in a row; one refresh is enough.
      if (!this.consumerTimer) {
        this.consumerTimer = setTimeout(() => {
          this.consumerTimer = undefined;
          this.onConsumersChanged?.();
        }, 50);
        this.consumerTimer.unref?.();
      }
    }
  }

  /**
   * The env consumers that count for the config document at `uri`: the readers in its project,
   * else below it, else in the nearest enclosing project (profile/index.ts scopeEnvConsumers,
   * projects from cli/project.ts). A document without a file path (untitled) is in no project
   * and sees every reader.
   */
  envConsumers(uri: string): Map<string, EnvConsumer> {
    const projectOf = (u: string): string => {
      const fsPath = fsPathOf(u);
      return fsPath ? this.projects.projectOfFile(fsPath) : '';
    };
    const readers: ProjectEnvConsumer[] = [];
    for (const [u, entries] of this.consumersByUri) {
      const project = projectOf(u);
      for (const [name, consumer] of entries) readers.push({ name, consumer, project });
    }
    return scopeEnvConsumers(readers, projectOf(uri));
  }

  /** The run for the document's current version, analysing (once) if there is none yet. */
  async analyze(doc: TextDocument, token?: CancellationToken): Promise<AnalysisOutcome> {
    // TextDocuments updates document objects in place: remember which version was asked for.
    const { uri, version } = doc;
    // Debounce: wait until the user has stopped typing.
    const last = this.lastMs.get(uri) ?? 0;
    const wait = last <= CHEAP_ANALYSIS_MS ? MIN_DEBOUNCE_MS : Math.min(this.debounceMs, Math.round(1.5 * last));
    for (;;) {
      const quietFor = Date.now() - (this.lastChange.get(uri) ?? 0);
      if (quietFor >= wait) break;
      await sleep(wait - quietFor);
      if (token?.isCancellationRequested) return 'cancelled';
    }
    const current = this.documents.get(uri);
    if (!current || current.version !== version) return 'stale';
    const hit = this.runFor(current);
    if (hit) return hit;
    const key = `${uri}\0${version}\0${this.generation}`;
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.run(current).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    const outcome = await pending;
    if (token?.isCancellationRequested) return 'cancelled';
    return outcome;
  }

  private async run(doc: TextDocument): Promise<AnalysisOutcome> {
    const { uri, version } = doc;
    const generation = this.generation;
    await this.engineReady;
    const settings = await this.settings.forDocument(uri);
    const enginePath = this.enginePath(doc);
    const kind = sourceKindOf(enginePath);
    let envFileTracked: boolean | undefined;
    if (kind === 'dotenv') {
      const fsPath = fsPathOf(uri);
      envFileTracked = fsPath ? await this.git.isTracked(fsPath).catch(() => false) : false;
    }
    // The document or the settings may have moved on while we awaited.
    const current = this.documents.get(uri);
    if (!current || current.version !== version) return 'stale';
    if (generation !== this.generation) return 'stale';
    let analysis = EMPTY;
    if (settings.enable && kind) {
      const started = Date.now();
      const text = current.getText();
      // Edited large code documents are re-analysed incrementally from the previous run's state.
      const incremental = isCodeKind(kind) && text.length >= INCREMENTAL_MIN_CHARS && this.lastChange.has(uri)
        ? { previous: this.runs.get(uri)?.analysis.incremental?.state }
        : undefined;
      try {
        analysis = analyzeText(enginePath, text, settings.engine, { envFileTracked, envConsumers: isCodeKind(kind) ? undefined : this.envConsumers(uri), incremental });
      } catch (e) {
        // analyzeText promises never to throw; one document must not take the server down.
        analysis = { findings: [], notes: [{ kind: 'internal-error', message: `internal error while analysing: ${(e as Error).message}` }], profiles: [], envConsumers: [] };
      }
      const ms = Date.now() - started;
      this.lastMs.set(uri, ms);
      for (const n of analysis.notes) this.connection.console.info(`${enginePath}: ${n.message}`);
      const how = analysis.incremental?.blanked !== undefined ? ` (incremental: ${analysis.incremental.blanked} unchanged bodies skipped)` : analysis.incremental?.leftOut !== undefined ? ` (${analysis.incremental.leftOut} bodies that cannot contribute left out)` : '';
      this.connection.tracer.log(`analysed ${enginePath} v${version}: ${analysis.findings.length} finding(s), ${analysis.profiles.length} connection(s) in ${ms} ms${how}`);
    }
    const consumers = this.consumerVersion;
    const run: AnalysisRun = {
      uri,
      version,
      generation,
      resultId: `${generation}.${version}.${consumers}.${++this.counter}`,
      kind,
      analysis,
      settings,
      consumers,
    };
    this.runs.set(uri, run);
    if (isCodeKind(kind)) {
      this.setConsumers(uri, consumerEntries(analysis, enginePath, current.getText()));
    }
    return run;
  }
}
