/**
 * The reader thread of `connguard scan`, started by the launcher (bin/connguard.js) before it
 * loads the CLI bundle: the thread's start-up (a new isolate and its bundle, ~35 ms) and the
 * start of the walk then overlap the loading of the bundle on the main thread, instead of
 * following it. On a large scan the main thread waits for the first candidate file, so every
 * millisecond the walk starts earlier is one the scan ends earlier.
 *
 * Contract:
 *   - The launcher only starts it (startReaderEarly); the thread parses the same arguments with
 *     the same parser as the main thread (cli/args.ts) and reads exactly what it would have read
 *     when started by the scan (cli/reader-worker.ts).
 *   - The scan adopts it (adoptEarlyReader) only for the very arguments and working directory it
 *     was started with, and only when it reads on a thread at all (cli/reader.ts readsInWorker);
 *     anything else discards it (discardEarlyReader), and the scan proceeds as if it had never
 *     been started.
 *   - Nothing it posts is lost before adoption: messages and events are kept and replayed.
 *   - It never keeps the process alive unadopted (unref'd until adopted).
 *
 * A bundle of its own (dist/early-reader.js, esbuild.js), required by the launcher and, as the
 * same file, by the CLI bundle, so that both see the one thread started.
 */
import { Worker } from 'node:worker_threads';

/** The worker's input when started early: the raw arguments (cli/reader-worker.ts parses them). */
export interface EarlyReaderJob {
  readonly argv: readonly string[];
  readonly cwd: string;
}

/** A worker event kept until adoption. */
export type ReaderEvent = { readonly kind: 'message'; readonly message: unknown } | { readonly kind: 'error'; readonly error: Error } | { readonly kind: 'exit'; readonly code: number };

/** An adopted thread: its worker, and what it posted so far, in order. */
export interface AdoptedReader {
  readonly worker: Worker;
  readonly events: readonly ReaderEvent[];
}

interface Early {
  readonly worker: Worker;
  readonly job: EarlyReaderJob;
  readonly events: ReaderEvent[];
  readonly listeners: { message(m: unknown): void; error(e: Error): void; exit(code: number): void };
}

let early: Early | undefined;

/**
 * Starts the reader thread for `argv` (the arguments after the script) when they are a scan and
 * reading on a thread has not been turned off; does nothing otherwise, and never throws.
 */
export function startReaderEarly(workerFile: string, argv: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): void {
  if (early || argv[0] !== 'scan' || env.CONNGUARD_READER === 'inline') return;
  try {
    const job: EarlyReaderJob = { argv: [...argv], cwd };
    const worker = new Worker(workerFile, { workerData: { early: job } });
    const events: ReaderEvent[] = [];
    const listeners = {
      message: (message: unknown): void => void events.push({ kind: 'message', message }),
      error: (error: Error): void => void events.push({ kind: 'error', error }),
      exit: (code: number): void => void events.push({ kind: 'exit', code }),
    };
    worker.on('message', listeners.message).on('error', listeners.error).on('exit', listeners.exit);
    worker.unref();
    early = { worker, job, events, listeners };
  } catch {
    early = undefined; // the scan starts its own thread
  }
}

/**
 * The early thread, if one was started for exactly these arguments and directory; it is then the
 * caller's (listeners of its own attached, the kept events replayed by the caller). Once only.
 */
export function adoptEarlyReader(argv: readonly string[], cwd: string): AdoptedReader | undefined {
  const e = early;
  if (!e || e.job.cwd !== cwd || e.job.argv.length !== argv.length || e.job.argv.some((a, i) => a !== argv[i])) return undefined;
  early = undefined;
  e.worker.off('message', e.listeners.message).off('error', e.listeners.error).off('exit', e.listeners.exit);
  e.worker.ref();
  return { worker: e.worker, events: e.events };
}

/** Stops an early thread nobody adopted (a scan reading inline, another command). */
export function discardEarlyReader(): void {
  const e = early;
  early = undefined;
  if (e) void e.worker.terminate();
}
