/**
 * Worker threads for large scans: the main thread walks the tree and hands out batches of
 * planned files; each worker initialises the engine once and runs processFile (cli/scan.ts) on
 * them — the same function the single-threaded path runs, so results do not depend on --jobs.
 *
 * The worker entry is this very module (or the bundle that contains it): loaded in a worker
 * thread with `workerData.connguardWorker`, it starts the worker loop instead of doing nothing.
 * Results travel back as plain data (FileOutcome is structured-clone safe) and are put back in
 * the planned order, so output order is deterministic.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { initEngine } from '../engine/scan';
import type { EnvConsumer } from '../engine/profile/index';
import type { FileOutcome, PlannedFile } from './scan';

/** Files per message: small enough to balance load, large enough to keep messaging cheap. */
const BATCH = 24;

interface WorkRequest {
  readonly files: readonly PlannedFile[];
  readonly tracked: readonly (boolean | undefined)[];
  readonly fix: boolean;
  readonly consumers?: ReadonlyMap<string, EnvConsumer>;
}

interface WorkReply {
  readonly ready?: true;
  readonly outcomes?: FileOutcome[];
  readonly error?: string;
}

/** A fixed set of workers, started once and used for several runs (the scan's two phases). */
export class WorkerPool {
  private readonly workers: Worker[];
  private readonly ready: Promise<void>[];

  constructor(size: number) {
    this.workers = Array.from({ length: size }, () => new Worker(__filename, { workerData: { connguardWorker: true } }));
    this.ready = this.workers.map((w) => reply(w).then((m) => (m.error !== undefined ? Promise.reject(new Error(m.error)) : undefined)));
  }

  /** Processes `files` on all workers; outcomes come back in the order of `files`. */
  async run(files: readonly PlannedFile[], fix: boolean, tracked: ReadonlyMap<string, boolean>, consumers?: ReadonlyMap<string, EnvConsumer>): Promise<FileOutcome[]> {
    const outcomes: FileOutcome[] = new Array(files.length);
    let next = 0;
    const drive = async (w: Worker, ready: Promise<void>): Promise<void> => {
      await ready;
      while (next < files.length) {
        const start = next;
        const slice = files.slice(start, start + BATCH);
        next += slice.length;
        const req: WorkRequest = { files: slice, tracked: slice.map((f) => tracked.get(f.abs)), fix, consumers };
        const answer = reply(w);
        w.postMessage(req);
        const m = await answer;
        if (m.error !== undefined) throw new Error(m.error);
        m.outcomes!.forEach((o, i) => (outcomes[start + i] = o));
      }
    };
    await Promise.all(this.workers.map((w, i) => drive(w, this.ready[i])));
    return outcomes;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** The next message from a worker, or its failure. */
function reply(w: Worker): Promise<WorkReply> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: WorkReply): void => {
      w.off('error', onError);
      resolve(m);
    };
    const onError = (e: Error): void => {
      w.off('message', onMessage);
      reject(e);
    };
    w.once('message', onMessage);
    w.once('error', onError);
  });
}

async function workerLoop(): Promise<void> {
  const port = parentPort!;
  try {
    await initEngine();
  } catch (e) {
    port.postMessage({ error: `engine initialisation failed: ${(e as Error).message}` });
    return;
  }
  // Loaded lazily: cli/scan imports this module, and a cycle at load time would see undefined.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { processFile } = require('./scan') as typeof import('./scan');
  port.on('message', (req: WorkRequest) => {
    try {
      const outcomes = req.files.map((f, i) => processFile(f, req.fix, { envFileTracked: req.tracked[i], envConsumers: req.consumers }));
      port.postMessage({ outcomes });
    } catch (e) {
      port.postMessage({ error: `worker failed: ${(e as Error).message}` });
    }
  });
  port.postMessage({ ready: true });
}

if (!isMainThread && (workerData as { connguardWorker?: boolean } | null)?.connguardWorker) void workerLoop();
