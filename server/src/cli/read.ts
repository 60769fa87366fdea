/**
 * The reading steps of a scan for one file, up to the decision whether it needs analysis: the
 * size and binary guards (cli/source.ts), then the content prefilter on the raw bytes
 * (cli/prefilter.ts). Files that end here are never decoded.
 */
import { FileNote } from '../engine/model';
import { ByteDfa, searchDfa } from './bytedfa';
import { ReadScratch, readSourceBytes } from './source';

/** This thread's read buffer (cli/source.ts readSourceBytes). */
const scratch: ReadScratch = { buf: Buffer.allocUnsafe(64 * 1024) };

/** What reading one file gave: a note (skipped), nothing to analyse, or the bytes to analyse. */
export type ReadResult = { readonly note: FileNote } | { readonly noCandidate: true } | { readonly bytes: Buffer };

export interface ReadJob {
  readonly abs: string;
  readonly maxFileBytes: number;
}

/**
 * Reads one file for readPlanned (cli/scan.ts). `dfa` is the prefilter's (cli/prefilter.ts
 * candidateByteDfa; undefined: no byte-level prefilter, every file that reads is analysed).
 * `noCandidate` stands for the engine's immediate "no findings, no notes" (see prefilter.ts).
 * The bytes returned are valid until the next call (one read buffer for all files).
 */
export function readForAnalysis(job: ReadJob, dfa: ByteDfa | undefined): ReadResult {
  const raw = readSourceBytes(job.abs, job.maxFileBytes, scratch);
  if (raw.kind === 'skipped') return { note: raw.note };
  if (dfa) {
    const end = searchDfa(dfa, raw.bytes);
    if (end !== dfa.accept && end !== dfa.bail) return { noCandidate: true };
  }
  return { bytes: raw.bytes };
}
