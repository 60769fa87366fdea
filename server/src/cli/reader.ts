/**
 * The reader of `connguard scan`: walks the path arguments and reads every file up to the
 * decision whether it needs analysis (cli/plan.ts), handing each file to the scan as soon as it
 * is read.
 *
 * Where: for a scan that walks a directory on a machine with two or more CPUs, on a worker
 * thread (cli/reader-worker.ts, a small bundle without the engine): the walk, the reads and the
 * prefilter — about a third of a large scan — then overlap the analysis on the main thread,
 * which meanwhile loads the parsers and analyses each candidate as it arrives. Otherwise
 * (explicit files, one CPU) on the calling thread, interleaved with the analysis the same way.
 *
 * Contract: the same files, with the same outcomes and texts, reach `onFile` either way (in walk
 * order); only the interleaving with the analysis differs, and the scan sorts its results.
 * Errors of the path arguments and of the configuration (UsageError, ConfigError) are thrown
 * before any file, from either thread.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EngineSettings } from '../engine/settings';
import { ScanCommand, UsageError } from './args';
import { ConfigError } from './config';
import type { AdoptedReader } from './early-reader';
import { FileOutcome, planEach, PlannedFile, readPlanned } from './plan';
import type { SourceText } from './source';

/** One file as read: the outcome when it needs no analysis, else its text. */
export type ReadFile =
  | { readonly file: PlannedFile; readonly outcome: FileOutcome }
  | { readonly file: PlannedFile; readonly src: SourceText & { kind: 'text' } };

/** What the reader thread posts (plain data, structured clone). */
export type ReaderMessage =
  | {
      readonly kind: 'files';
      /** Settings first seen in this batch, by id (a scan has one per configuration). */
      readonly settings: readonly (readonly [number, EngineSettings])[];
      readonly files: readonly WireFile[];
    }
  | { readonly kind: 'done' }
  | { readonly kind: 'error'; readonly error: 'usage' | 'config' | 'internal'; readonly message: string; readonly problems?: readonly string[] };

export interface WireFile {
  readonly abs: string;
  readonly rel: string;
  readonly settings: number;
  readonly skipReason?: string;
  readonly outcome?: FileOutcome;
  readonly src?: SourceText & { kind: 'text' };
}

/** The worker's input. */
export interface ReaderJob {
  readonly cmd: ScanCommand;
  readonly cwd: string;
}

/**
 * Read on a worker thread? A directory to walk, and a second CPU to walk it on.
 * CONNGUARD_READER=inline or =thread overrides (troubleshooting, and the tests that compare both).
 */
export function readsInWorker(directories: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.CONNGUARD_READER === 'inline') return false;
  if (env.CONNGUARD_READER === 'thread') return true;
  return directories && os.availableParallelism() >= 2;
}

/** Plans and reads every file on this thread (the inline reader). */
export function readInline(cmd: ScanCommand, cwd: string, onFile: (r: ReadFile) => void): void {
  planEach(cmd, cwd, (file) => {
    const r = readPlanned(file);
    onFile('outcome' in r ? { file, outcome: r.outcome } : { file, src: r.src });
  });
}

/**
 * Plans and reads every file on a worker thread; resolves when the last file has been handed to
 * `onFile`. `onFile` runs on this thread, between messages (the worker reads on meanwhile), and
 * not before `ready` has resolved (the thread starts reading at once; files wait meanwhile).
 */
export function readInWorker(job: ReaderJob, ready: Promise<void>, onFile: (r: ReadFile) => void, early?: AdoptedReader): Promise<void> {
  return new Promise((resolve, reject) => {
    // A thread the launcher started for this very scan (cli/early-reader.ts) is the same reader,
    // started sooner: what it posted so far is replayed below, in order.
    const worker = early?.worker ?? new Worker(path.join(__dirname, 'reader-worker.js'), { workerData: job });
    /** Messages that arrived before `ready`; undefined once it has resolved. */
    let waiting: ReaderMessage[] | undefined = [];
    const settings = new Map<number, EngineSettings>();
    let finished = false;
    const finish = (e?: Error): void => {
      if (finished) return;
      finished = true;
      if (e) {
        void worker.terminate();
        reject(e);
      } else resolve();
    };
    const handle = (m: ReaderMessage): void => {
      if (finished) return;
      try {
        if (m.kind === 'files') {
          for (const [id, s] of m.settings) settings.set(id, s);
          for (const w of m.files) {
            const file: PlannedFile = { abs: w.abs, rel: w.rel, settings: settings.get(w.settings)!, ...(w.skipReason !== undefined ? { skipReason: w.skipReason } : {}) };
            onFile(w.src ? { file, src: w.src } : { file, outcome: w.outcome! });
          }
        } else if (m.kind === 'done') {
          finish();
        } else {
          finish(m.error === 'usage' ? new UsageError(m.message) : m.error === 'config' ? new ConfigError(m.problems ?? [m.message]) : new Error(`reader thread: ${m.message}`));
        }
      } catch (e) {
        finish(e as Error);
      }
    };
    ready.then(
      () => {
        const queued = waiting ?? [];
        waiting = undefined;
        for (const m of queued) handle(m);
      },
      (e: Error) => finish(e),
    );
    const onMessage = (m: ReaderMessage): void => {
      if (waiting) waiting.push(m);
      else handle(m);
    };
    const onError = (e: Error): void => finish(e);
    // After `done` has been handled, `finished` is set; an exit before that (the queue included) is an error.
    const onExit = (code: number): void => {
      if (!waiting) finish(new Error(`reader thread exited (${code}) before the end of the walk`));
      else if (!finished) ready.then(() => finish(new Error(`reader thread exited (${code}) before the end of the walk`)), () => undefined);
    };
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    for (const ev of early?.events ?? []) {
      if (ev.kind === 'message') onMessage(ev.message as ReaderMessage);
      else if (ev.kind === 'error') onError(ev.error);
      else onExit(ev.code);
    }
  });
}
