/**
 * A byte-level search DFA compiled from a simple regular expression: the machinery behind the
 * CLI's prefilter (cli/prefilter.ts says what it is for and why its answers equal the engine's).
 *
 * Supported patterns: top-level alternatives of plain ASCII characters, `\` + punctuation,
 * `\s`, simple classes `[...]`, each optionally followed by `*`; flags `i` and `g` only. The DFA
 * answers for ASCII-only input without NUL bytes; a NUL or non-ASCII byte leads to `bail`.
 *
 * A DFA can also be written out as data (serializeDfa) and read back (restoreDfa): the build
 * embeds the prefilter's so that the reader thread does not run the subset construction at every
 * start (25–35 ms of CPU before the first file is read; restoring it takes well under 1 ms).
 */
/** Upper bound on DFA states; a pattern needing more falls back to the regex. */
const MAX_STATES = 4096;

/** ASCII characters matched by `\s` (the non-ASCII ones cannot occur in an ASCII-only file). */
const ASCII_SPACE = [9, 10, 11, 12, 13, 32];

/** Characters that are syntax in a pattern (outside a class) and that this compiler does not support unescaped. */
const UNSUPPORTED = new Set([...'^$.()[]{}+?*|\\']);

interface Atom {
  /** ASCII codes this atom matches (case-folded when the pattern has the `i` flag). */
  readonly codes: readonly number[];
  /** Followed by `*`. */
  readonly star: boolean;
}

/** Case folding of /i without /u on ASCII: letters only. */
function fold(codes: readonly number[], ignoreCase: boolean): number[] {
  const out = new Set(codes);
  if (ignoreCase) {
    for (const c of codes) {
      if (c >= 65 && c <= 90) out.add(c + 32);
      else if (c >= 97 && c <= 122) out.add(c - 32);
    }
  }
  return [...out];
}

/**
 * Parses a pattern made of top-level alternatives of: plain ASCII characters, `\` + punctuation,
 * `\s`, simple classes `[...]` (plain characters only), each optionally followed by `*`.
 * Undefined for anything else.
 *
 */
export function parseAlternatives(source: string, ignoreCase: boolean): Atom[][] | undefined {
  const alternatives: Atom[][] = [];
  for (const alt of source.split('|')) {
    const atoms: Atom[] = [];
    let i = 0;
    while (i < alt.length) {
      const c = alt[i];
      let codes: number[];
      if (c === '\\') {
        const d = alt[i + 1];
        if (d === undefined) return undefined;
        if (d === 's') codes = ASCII_SPACE;
        else if (/^[!-/:-@[-`{-~]$/.test(d)) codes = [d.charCodeAt(0)]; // escaped punctuation
        else return undefined;
        i += 2;
      } else if (c === '[') {
        const end = alt.indexOf(']', i + 1);
        if (end < 0) return undefined;
        const body = alt.slice(i + 1, end);
        if (body === '' || /[\\^\-[]/.test(body)) return undefined;
        codes = [...body].map((x) => x.charCodeAt(0));
        i = end + 1;
      } else if (UNSUPPORTED.has(c)) {
        return undefined;
      } else {
        codes = [c.charCodeAt(0)];
        i++;
      }
      if (codes.some((x) => x >= 128)) return undefined;
      let star = false;
      if (alt[i] === '*') {
        star = true;
        i++;
      }
      if (alt[i] === '*' || alt[i] === '+' || alt[i] === '?' || alt[i] === '{') return undefined;
      atoms.push({ codes: fold(codes, ignoreCase), star });
    }
    if (atoms.length === 0 || atoms.every((a) => a.star)) return undefined; // matches the empty string
    alternatives.push(atoms);
  }
  return alternatives;
}

/** The states every DFA built here has: the two absorbing ones, then the start. */
const ACCEPT_STATE = 0;
const BAIL_STATE = 1;
const START_STATE = 2;

/** A search DFA over bytes: `table[state * 256 + byte]`; two absorbing states. */
export interface ByteDfa {
  readonly table: Uint8Array | Uint16Array;
  /** Where a search starts. */
  readonly start: number;
  /** Absorbing: the pattern matched. */
  readonly accept: number;
  /** Absorbing: a NUL or non-ASCII byte — the DFA cannot answer for this file. */
  readonly bail: number;
}

/**
 * Subset construction of "the pattern occurs somewhere" (unanchored search: the start state is
 * in every set) over the 128 ASCII codes; NUL and bytes ≥ 0x80 lead to `bail`.
 */
export function buildDfa(alternatives: readonly (readonly Atom[])[]): ByteDfa | undefined {
  // NFA: state 0 is the start; each atom adds one state. Edges on code sets, epsilon edges for `*`.
  const edges: { codes: Set<number>; to: number }[][] = [[]];
  const eps: number[][] = [[]];
  const accepting = new Set<number>();
  for (const atoms of alternatives) {
    let prev = 0;
    for (const a of atoms) {
      const id = edges.length;
      edges.push([]);
      eps.push([]);
      if (a.star) {
        eps[prev].push(id);
        edges[id].push({ codes: new Set(a.codes), to: id });
      } else {
        edges[prev].push({ codes: new Set(a.codes), to: id });
      }
      prev = id;
    }
    accepting.add(prev);
  }
  const closure = (set: Set<number>): number[] => {
    const out = new Set(set);
    const work = [...set];
    while (work.length) for (const e of eps[work.pop()!]) if (!out.has(e)) (out.add(e), work.push(e));
    return [...out].sort((x, y) => x - y);
  };
  // DFA states: accept, bail, then the subsets (the first is the start).
  const ids = new Map<string, number>();
  const subsets: number[][] = [];
  const rows: number[][] = [];
  const stateOf = (subset: number[]): number => {
    if (subset.some((s) => accepting.has(s))) return ACCEPT_STATE;
    const key = subset.join(',');
    let id = ids.get(key);
    if (id === undefined) {
      id = START_STATE + subsets.length;
      ids.set(key, id);
      subsets.push(subset);
    }
    return id;
  };
  stateOf(closure(new Set([0])));
  for (let k = 0; k < subsets.length; k++) {
    if (START_STATE + subsets.length > MAX_STATES) return undefined;
    const row: number[] = [];
    for (let c = 0; c < 128; c++) {
      const next = new Set([0]);
      for (const s of subsets[k]) for (const e of edges[s]) if (e.codes.has(c)) next.add(e.to);
      row.push(stateOf(closure(next)));
    }
    rows.push(row);
  }
  const n = START_STATE + subsets.length;
  if (n > MAX_STATES) return undefined;
  const table = n <= 256 ? new Uint8Array(n * 256) : new Uint16Array(n * 256);
  table.fill(ACCEPT_STATE, ACCEPT_STATE * 256, ACCEPT_STATE * 256 + 256);
  table.fill(BAIL_STATE, BAIL_STATE * 256, BAIL_STATE * 256 + 256);
  for (let k = 0; k < rows.length; k++) {
    const base = (START_STATE + k) * 256;
    for (let c = 0; c < 256; c++) table[base + c] = c === 0 || c >= 128 ? BAIL_STATE : rows[k][c];
  }
  return { table, start: START_STATE, accept: ACCEPT_STATE, bail: BAIL_STATE };
}

/** DFA for a regex, or undefined when its syntax or flags are outside what buildDfa handles. */
export function dfaFor(pattern: RegExp): ByteDfa | undefined {
  if (/[^gi]/.test(pattern.flags)) return undefined; // u, v, m, s, y, d: not handled here
  const alternatives = parseAlternatives(pattern.source, pattern.flags.includes('i'));
  return alternatives && buildDfa(alternatives);
}

/**
 * A DFA as plain data that can be written into a bundle (esbuild.js prebuilds the prefilter's,
 * cli/prefilter.ts) and that names the pattern it was built from. Only DFAs of at most 256
 * states (one byte per entry), and only the columns of the ASCII bytes: every other column is
 * determined (bail, or the absorbing state itself).
 */
export interface SerializedDfa {
  /** The pattern's `source` and `flags` (restoreDfa refuses the data for any other pattern). */
  readonly source: string;
  readonly flags: string;
  readonly states: number;
  /** Base64 of `states × 128` bytes: the next state for bytes 0–127, state by state. */
  readonly rows: string;
}

/** The DFA of `pattern` (built by dfaFor) as data; undefined for a DFA of more than 256 states. */
export function serializeDfa(pattern: RegExp, dfa: ByteDfa): SerializedDfa | undefined {
  if (!(dfa.table instanceof Uint8Array)) return undefined;
  const states = dfa.table.length / 256;
  const rows = Buffer.alloc(states * 128);
  for (let s = 0; s < states; s++) rows.set(dfa.table.subarray(s * 256, s * 256 + 128), s * 128);
  return { source: pattern.source, flags: pattern.flags, states, rows: rows.toString('base64') };
}

/**
 * The DFA that `data` holds, or undefined when it was not serialized from this very pattern
 * (source and flags) or is not well formed; the caller then builds it with dfaFor. The result is
 * the DFA dfaFor(pattern) gave when the data was written (same table, start, accept, bail).
 */
export function restoreDfa(data: unknown, pattern: RegExp): ByteDfa | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const d = data as Partial<Record<keyof SerializedDfa, unknown>>;
  if (d.source !== pattern.source || d.flags !== pattern.flags) return undefined;
  const n = d.states;
  if (typeof n !== 'number' || !Number.isInteger(n) || n <= START_STATE || n > 256 || typeof d.rows !== 'string') return undefined;
  const rows = Buffer.from(d.rows, 'base64');
  if (rows.length !== n * 128) return undefined;
  // No entry names a state that does not exist (Buffer#indexOf is a memchr; a loop over the
  // bytes costs ~1.5 ms in a fresh thread, more than the rest of this function).
  for (let v = n; v < 256; v++) if (rows.indexOf(v) >= 0) return undefined;
  const table = new Uint8Array(n * 256);
  for (let s = 0; s < n; s++) {
    const base = s * 256;
    table.set(rows.subarray(s * 128, s * 128 + 128), base);
    // The other bytes: the absorbing states stay where they are; every other state bails.
    table.fill(s < START_STATE ? s : BAIL_STATE, base + 128, base + 256);
  }
  // The absorbing states must absorb (and NUL must bail) for runDfa's answers to mean anything.
  for (let c = 0; c < 128; c++) if (table[ACCEPT_STATE * 256 + c] !== ACCEPT_STATE || table[BAIL_STATE * 256 + c] !== BAIL_STATE) return undefined;
  for (let s = START_STATE; s < n; s++) if (table[s * 256] !== BAIL_STATE) return undefined;
  return { table, start: START_STATE, accept: ACCEPT_STATE, bail: BAIL_STATE };
}

/** Runs the DFA over the bytes; the final state (accept and bail are absorbing). */
export function runDfa(dfa: ByteDfa, bytes: Uint8Array): number {
  const t = dfa.table;
  const n = bytes.length;
  let s = dfa.start;
  for (let i = 0; i < n; i++) s = t[(s << 8) | bytes[i]];
  return s;
}

/** Below this size a search runs as one stream (the set-up of four is not worth it). */
const INTERLEAVE_MIN_BYTES = 1024;

/**
 * Whether the bytes contain a match or a byte the DFA bails on: `accept` or `bail` when runDfa
 * would end in either of them (not necessarily the same one — a file with both may answer
 * either), otherwise a state that is neither. What the prefilter asks, about twice as fast as
 * runDfa on a large scan.
 *
 * Why faster: runDfa is one chain of dependent table loads (each state is the index of the next
 * load), so it runs at the latency of a load, not at the CPU's throughput. Here four streams
 * each run over a quarter of the bytes from the start state, in one loop, as four independent
 * chains.
 *
 * Why the answer is runDfa's: the DFA searches (subset construction with the start state in
 * every set), so the state after any text is the set of partial matches that text ends with.
 * A stream that starts at a quarter boundary from `start` sees a subset of the partial matches
 * the true run has there — it only misses those that began before the boundary. Each stream
 * that ends its quarter in a state other than `start` therefore runs on into the next quarter,
 * until it reaches `start` (no partial match left: from there the true state equals the next
 * stream's, since the next stream's state is a subset that contains `start`, and `start` is
 * the smallest state), `accept` or `bail`, or the end of the bytes. So every match is seen by
 * the stream its first byte falls in, and every NUL or non-ASCII byte by the stream of its quarter.
 */
export function searchDfa(dfa: ByteDfa, bytes: Uint8Array): number {
  const n = bytes.length;
  if (n < INTERLEAVE_MIN_BYTES) return runDfa(dfa, bytes);
  const t = dfa.table;
  const start = dfa.start;
  const q = n >> 2;
  let a = start;
  let b = start;
  let c = start;
  let d = start;
  for (let i = 0; i < q; i++) {
    a = t[(a << 8) | bytes[i]];
    b = t[(b << 8) | bytes[i + q]];
    c = t[(c << 8) | bytes[i + 2 * q]];
    d = t[(d << 8) | bytes[i + 3 * q]];
  }
  // The last quarter takes the remainder of n / 4.
  for (let i = 4 * q; i < n; i++) d = t[(d << 8) | bytes[i]];
  if (d === dfa.accept || d === dfa.bail) return d;
  const ends = [a, b, c];
  for (let k = 0; k < 3; k++) {
    let s = ends[k];
    for (let i = (k + 1) * q; i < n && s !== start && s !== dfa.accept && s !== dfa.bail; i++) s = t[(s << 8) | bytes[i]];
    if (s === dfa.accept || s === dfa.bail) return s;
  }
  return d;
}
