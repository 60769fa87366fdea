/**
 * Analysis worker threads (`--jobs N`: N-1 of them): the files that need parsing go to the
 * workers, which initialise the engine once and run analyzeSource (cli/scan.ts), the same
 * function the single-threaded path runs, so results do not depend on --jobs. (Reading is the
 * reader's, cli/reader.ts, on its own thread already.)
 *
 * The worker entry is this very module (or the bundle that contains it): loaded in a worker
 * thread with `workerData.connguardWorker`, it starts the worker loop instead of doing nothing.
 * Messages are plain data (structured clone); the scan sorts the outcomes, so the output is
 * deterministic.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { initEngine, needsParse } from '../engine/scan';
import type { SourceText } from './source';
import type { FileOutcome, PlannedFile } from './plan';
import type { FileContext } from './scan';

interface Job {
  readonly id: number;
  readonly file: PlannedFile;
  readonly src: SourceText & { kind: 'text' };
  readonly fix: boolean;
  readonly fc: FileContext;
}

type Reply = { readonly ready: true } | { readonly id: number; readonly outcome: FileOutcome } | { readonly error: string };

interface Slot {
  readonly worker: Worker;
  pending: number;
}

/** A fixed set of workers, started once and used for both phases of a scan. */
export class WorkerPool {
  private readonly slots: Slot[];
  private readonly waiting = new Map<number, { resolve: (o: FileOutcome) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private failure: Error | undefined;

  constructor(size: number) {
    this.slots = Array.from({ length: Math.max(1, size) }, () => {
      const slot: Slot = { worker: new Worker(__filename, { workerData: { connguardWorker: true } }), pending: 0 };
      slot.worker.on('message', (m: Reply) => this.onReply(slot, m));
      slot.worker.on('error', (e) => this.fail(e));
      return slot;
    });
  }

  /**
   * Analyses one file that has been read: here when it needs no parse (the prefilter's answer),
   * otherwise on the least busy worker.
   */
  analyze(f: PlannedFile, src: SourceText & { kind: 'text' }, fix: boolean, fc: FileContext): FileOutcome | Promise<FileOutcome> {
    if (needsParse(f.rel, src.text, f.settings)) return this.submit(f, src, fix, fc);
    // Loaded lazily: cli/scan imports this module, and a cycle at load time would see undefined.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { analyzeSource } = require('./scan') as typeof import('./scan');
    return analyzeSource(f, src, fix, fc);
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private submit(file: PlannedFile, src: SourceText & { kind: 'text' }, fix: boolean, fc: FileContext): Promise<FileOutcome> {
    if (this.failure) return Promise.reject(this.failure);
    const slot = this.slots.reduce((a, b) => (b.pending < a.pending ? b : a));
    const id = this.nextId++;
    slot.pending++;
    const job: Job = { id, file, src, fix, fc };
    return new Promise<FileOutcome>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      slot.worker.postMessage(job);
    });
  }

  private onReply(slot: Slot, m: Reply): void {
    if ('error' in m) return this.fail(new Error(m.error));
    if (!('id' in m)) return; // ready
    slot.pending--;
    const w = this.waiting.get(m.id);
    this.waiting.delete(m.id);
    w?.resolve(m.outcome);
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const w of this.waiting.values()) w.reject(e);
    this.waiting.clear();
  }
}

async function workerLoop(): Promise<void> {
  const port = parentPort!;
  try {
    await initEngine();
  } catch (e) {
    port.postMessage({ error: `engine initialisation failed: ${(e as Error).message}` });
    return;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { analyzeSource } = require('./scan') as typeof import('./scan');
  port.on('message', (job: Job) => {
    try {
      port.postMessage({ id: job.id, outcome: analyzeSource(job.file, job.src, job.fix, job.fc) });
    } catch (e) {
      port.postMessage({ error: `worker failed: ${(e as Error).message}` });
    }
  });
  port.postMessage({ ready: true });
}

if (!isMainThread && (workerData as { connguardWorker?: boolean } | null)?.connguardWorker) void workerLoop();
