/**
 * The engine's content prefilter (CANDIDATE_PATTERN in engine/sources.ts) run on a file's raw bytes,
 * so that the ~98% of files that show no candidate token are never decoded to a string.
 *
 * Why: on a large scan almost every file ends at the prefilter, and the case-insensitive
 * 29-way alternation costs ~4 ms/MB in V8's regex engine (most of its first letters are common
 * letters, so it can skip little). A byte-level DFA compiled from the same pattern is one table
 * load per byte: less than half the time, and no UTF-8 decoding, validation or string garbage.
 *
 * Contract (equivalence with the engine): the DFA's search over a file's bytes (run by
 * cli/read.ts readForAnalysis) ends neither in `accept` nor in `bail` only when the
 * engine, given the same file, would answer at once with no findings and no notes:
 *   - every byte is ASCII (so the UTF-8 decoding is the bytes themselves: valid, no BOM, and the
 *     pattern's case-insensitive ASCII letters and `\s` mean exactly what the DFA tests — in
 *     non-unicode mode `/i` never folds a non-ASCII character onto an ASCII one, and the
 *     non-ASCII `\s` characters cannot occur);
 *   - no NUL byte (the engine would note "binary content");
 *   - the DFA, built from CANDIDATE_PATTERN's own source and flags, finds no match.
 * Any other file (non-ASCII, NUL, a match) takes the ordinary path — decode,
 * then the engine's own checks — so the answer never depends on this module beyond speed.
 * When the pattern uses syntax that cli/bytedfa.ts does not compile, no DFA is built and
 * every file takes the ordinary path (slower, never different).
 */
import { CANDIDATE_PATTERN } from '../engine/sources';
import { ByteDfa, dfaFor, restoreDfa, SerializedDfa, serializeDfa } from './bytedfa';

/*
 * The DFA is prebuilt: esbuild.js runs serializedCandidateDfa() (this module, bundled from the
 * same sources) while it builds, and defines CONNGUARD_CANDIDATE_DFA as its result (JSON text)
 * in the bundles, so the reader thread restores a table instead of running the subset construction
 * (25–35 ms of CPU before its first read). CANDIDATE_PATTERN stays the one source of truth:
 * restoreDfa accepts the data only when it was built from this very pattern source and flags;
 * otherwise (tsc's unbundled output, `esbuild.js --watch`, a pattern edited since the build)
 * the DFA is built here as before. Either way it is the DFA dfaFor(CANDIDATE_PATTERN) gives.
 */
declare const CONNGUARD_CANDIDATE_DFA: string | undefined;

let candidateDfa: ByteDfa | null | undefined;

/** The DFA of CANDIDATE_PATTERN, once; undefined when the pattern is beyond bytedfa.ts. */
export function candidateByteDfa(): ByteDfa | undefined {
  if (candidateDfa === undefined) {
    const prebuilt: unknown = typeof CONNGUARD_CANDIDATE_DFA === 'string' ? JSON.parse(CONNGUARD_CANDIDATE_DFA) : undefined;
    candidateDfa = restoreDfa(prebuilt, CANDIDATE_PATTERN) ?? dfaFor(CANDIDATE_PATTERN) ?? null;
  }
  return candidateDfa ?? undefined;
}

/** The DFA of CANDIDATE_PATTERN as data, for esbuild.js; undefined when bytedfa.ts cannot compile or serialize it. */
export function serializedCandidateDfa(): SerializedDfa | undefined {
  const dfa = dfaFor(CANDIDATE_PATTERN);
  return dfa && serializeDfa(CANDIDATE_PATTERN, dfa);
}
