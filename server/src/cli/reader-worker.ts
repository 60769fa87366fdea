/**
 * Entry point of the reader thread (cli/reader.ts): plans and reads the files of a scan and posts
 * them to the main thread in batches. Bundled on its own (dist/reader-worker.js) so that starting
 * it loads the walk, the configuration and the prefilter only — not the engine.
 *
 * Batching: a batch is posted as soon as it holds a file to analyse (the main thread should start
 * on it at once) or BATCH_FILES files that need none; the rest at the end, then `done`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { EngineSettings } from '../engine/settings';
import { parseArgs, UsageError } from './args';
import type { EarlyReaderJob } from './early-reader';
import { ConfigError } from './config';
import { planEach, readPlanned } from './plan';
import type { ReaderJob, ReaderMessage, WireFile } from './reader';

const BATCH_FILES = 512;

function run(port: NonNullable<typeof parentPort>, job: ReaderJob): void {
  const post = (m: ReaderMessage): void => port.postMessage(m);
  const ids = new Map<EngineSettings, number>();
  let newSettings: [number, EngineSettings][] = [];
  let files: WireFile[] = [];
  const flush = (): void => {
    if (files.length === 0) return;
    post({ kind: 'files', settings: newSettings, files });
    newSettings = [];
    files = [];
  };
  try {
    planEach(job.cmd, job.cwd, (f) => {
      let id = ids.get(f.settings);
      if (id === undefined) {
        id = ids.size;
        ids.set(f.settings, id);
        newSettings.push([id, f.settings]);
      }
      const r = readPlanned(f);
      const base = { abs: f.abs, rel: f.rel, settings: id, ...(f.skipReason !== undefined ? { skipReason: f.skipReason } : {}) };
      if ('src' in r) {
        files.push({ ...base, src: r.src });
        flush();
      } else {
        files.push({ ...base, outcome: r.outcome });
        if (files.length >= BATCH_FILES) flush();
      }
    });
    flush();
    post({ kind: 'done' });
  } catch (e) {
    if (e instanceof UsageError) post({ kind: 'error', error: 'usage', message: e.message });
    else if (e instanceof ConfigError) post({ kind: 'error', error: 'config', message: e.message, problems: e.problems });
    else post({ kind: 'error', error: 'internal', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
}

/**
 * The job: from the scan (ReaderJob), or — started by the launcher before the CLI bundle loaded
 * (cli/early-reader.ts) — the raw arguments, parsed here as the main thread parses them. Arguments
 * that are no scan, or no valid one, end the thread quietly: the main thread reports them itself
 * and never adopts it.
 */
function jobOf(data: ReaderJob | { readonly early: EarlyReaderJob }): ReaderJob | undefined {
  if (!('early' in data)) return data;
  try {
    const cmd = parseArgs(data.early.argv);
    return cmd.kind === 'scan' ? { cmd, cwd: data.early.cwd } : undefined;
  } catch {
    return undefined;
  }
}

const job = parentPort ? jobOf(workerData as ReaderJob | { readonly early: EarlyReaderJob }) : undefined;
if (parentPort && job) run(parentPort, job);
