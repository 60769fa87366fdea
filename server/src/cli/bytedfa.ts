/**
 * A byte-level search DFA compiled from a simple regular expression: the machinery behind the
 * CLI's prefilter (cli/prefilter.ts says what it is for and why its answers equal the engine's).
 *
 * Supported patterns: top-level alternatives of plain ASCII characters, `\` + punctuation,
 * `\s`, simple classes `[...]`, each optionally followed by `*`; flags `i` and `g` only. The DFA
 * answers for ASCII-only input without NUL bytes; a NUL or non-ASCII byte leads to `bail`.
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
  // DFA states 0 = accept, 1 = bail, then the subsets.
  const ACCEPT = 0;
  const BAIL = 1;
  const ids = new Map<string, number>();
  const subsets: number[][] = [];
  const rows: number[][] = [];
  const stateOf = (subset: number[]): number => {
    if (subset.some((s) => accepting.has(s))) return ACCEPT;
    const key = subset.join(',');
    let id = ids.get(key);
    if (id === undefined) {
      id = 2 + subsets.length;
      ids.set(key, id);
      subsets.push(subset);
    }
    return id;
  };
  stateOf(closure(new Set([0])));
  for (let k = 0; k < subsets.length; k++) {
    if (subsets.length + 2 > MAX_STATES) return undefined;
    const row: number[] = [];
    for (let c = 0; c < 128; c++) {
      const next = new Set([0]);
      for (const s of subsets[k]) for (const e of edges[s]) if (e.codes.has(c)) next.add(e.to);
      row.push(stateOf(closure(next)));
    }
    rows.push(row);
  }
  const n = subsets.length + 2;
  if (n > MAX_STATES) return undefined;
  const table = n <= 256 ? new Uint8Array(n * 256) : new Uint16Array(n * 256);
  table.fill(ACCEPT, ACCEPT * 256, ACCEPT * 256 + 256);
  table.fill(BAIL, BAIL * 256, BAIL * 256 + 256);
  for (let k = 0; k < rows.length; k++) {
    const base = (k + 2) * 256;
    for (let c = 0; c < 256; c++) table[base + c] = c === 0 || c >= 128 ? BAIL : rows[k][c];
  }
  return { table, start: 2, accept: ACCEPT, bail: BAIL };
}

/** DFA for a regex, or undefined when its syntax or flags are outside what buildDfa handles. */
export function dfaFor(pattern: RegExp): ByteDfa | undefined {
  if (/[^gi]/.test(pattern.flags)) return undefined; // u, v, m, s, y, d: not handled here
  const alternatives = parseAlternatives(pattern.source, pattern.flags.includes('i'));
  return alternatives && buildDfa(alternatives);
}

/** Runs the DFA over the bytes; the final state (accept and bail are absorbing). */
export function runDfa(dfa: ByteDfa, bytes: Uint8Array): number {
  const t = dfa.table;
  const n = bytes.length;
  let s = dfa.start;
  for (let i = 0; i < n; i++) s = t[(s << 8) | bytes[i]];
  return s;
}

