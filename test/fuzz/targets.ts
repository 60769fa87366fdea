/**
 * Property-based fuzz targets (fast-check) for the engine's "bad input" contract (SPEC §5):
 * DSN parsers, extractors and analyzeText never throw, every range they return lies inside the
 * text they were given, a known value never contains an unknown part, and no message repeats a
 * secret planted in the input. Shared by the long fuzz program (test/fuzz/fuzz.ts) and the short
 * fixed-seed pass that `npm test` runs (test/unit/fuzz-short.test.ts).
 *
 * Every target is a fast-check property over a structured generator (a corpus entry plus a list
 * of mutations), so a failure shrinks to a small counterexample; `render` turns the generated
 * value back into the text the engine saw, for the report.
 */
import * as fc from 'fast-check';
import { Range } from '../../server/src/engine/model';
import { HOLE, SrcString } from '../../server/src/engine/srcstring';
import {
  detectDsnFormat,
  mayHideParams,
  parseAdo,
  parseDsn,
  parseGoMysql,
  parseMysqlUrl,
  parseOracle,
  parsePostgres,
  parseSqlServer,
  parseTediousConnectionString,
} from '../../server/src/engine/dsn/index';
import { ParsedDsn } from '../../server/src/engine/dsn/types';
import { extractGo } from '../../server/src/engine/extract/go';
import { extractTs } from '../../server/src/engine/extract/typescript';
import { extractConfig, ConfigKind } from '../../server/src/engine/extract/config/index';
import { Extraction } from '../../server/src/engine/extract/values';
import { analyzeText } from '../../server/src/engine/scan';
import { DEFAULT_SETTINGS, EngineSettings } from '../../server/src/engine/settings';
import { CONFIG_SOURCES, DSNS, GO_SOURCES, PW, TS_SOURCES } from './corpus';

// ---------------------------------------------------------------------------------------------
// Invariant checks (throw an Error describing the violation)

function fail(what: string): never {
  throw new Error(what);
}

/** Every Range-shaped object reachable from `root` (iterative: deep inputs make deep values). */
export function rangesIn(root: unknown): Range[] {
  const out: Range[] = [];
  const seen = new Set<object>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object' || seen.has(v)) continue;
    seen.add(v);
    if (v instanceof SrcString) continue; // its segments are source maps, checked through rangeOf results
    const o = v as Record<string, unknown>;
    if (typeof o.start === 'number' && typeof o.end === 'number') out.push(o as unknown as Range);
    for (const k of Object.keys(o)) stack.push(o[k]);
  }
  return out;
}

function checkRanges(root: unknown, lo: number, hi: number, what: string): void {
  for (const r of rangesIn(root)) {
    if (!(Number.isInteger(r.start) && Number.isInteger(r.end) && lo <= r.start && r.start <= r.end && r.end <= hi)) {
      fail(`${what}: range [${r.start}, ${r.end}) outside [${lo}, ${hi}] or reversed`);
    }
  }
}

const PARSERS: readonly (readonly [string, (s: SrcString) => ParsedDsn])[] = [
  ['parsePostgres', parsePostgres],
  ['parseGoMysql', parseGoMysql],
  ['parseMysqlUrl', parseMysqlUrl],
  ['parseSqlServer', parseSqlServer],
  ['parseAdo', parseAdo],
  ['parseTediousConnectionString', parseTediousConnectionString],
  ['parseOracle', parseOracle],
];

/** Characters whose presence in a raw value means the grammar may decode it (quotes, escapes…). */
const DECODING_CHARS = /[%+'"{}\\;\s]/; // `;;` is a literal `;` in ADO values

function tryPercentDecode(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/**
 * The DSN invariants for one parse of `src`, whose source range is [lo, hi]. `srcText` is the
 * source text when `src` maps 1:1 onto it at offset `lo` (no holes), for raw/range agreement.
 */
export function checkDsn(name: string, d: ParsedDsn, src: SrcString, lo: number, hi: number, srcText: string | undefined, secret: string | undefined): void {
  const parts = [d.user, d.password, d.database, ...d.hosts, ...d.hosts.map((h) => h.port), ...d.params];
  for (const p of parts) {
    if (!p) continue;
    if (p.value !== undefined && p.value.includes(HOLE)) fail(`${name}: a known value contains HOLE`);
  }
  checkRanges(
    { hosts: d.hosts, user: d.user, password: d.password, database: d.database, params: d.params, errors: d.errors },
    lo,
    hi,
    name,
  );
  if (typeof d.appendPrefix !== 'string') fail(`${name}: appendPrefix is not a string`);
  for (const p of d.params) {
    if (p.raw.includes(HOLE) && p.value !== undefined) fail(`${name}: param "${p.key}" has a HOLE in raw text but a known value`);
    if (srcText !== undefined && p.exact) {
      const at = srcText.slice(p.range.start - lo, p.range.end - lo);
      if (at !== p.raw) fail(`${name}: param "${p.key}" raw ${JSON.stringify(p.raw)} differs from its source range text ${JSON.stringify(at)}`);
    }
    if (p.value === undefined) continue;
    // The value is the decoded raw text: identical when nothing in it can decode…
    if (!DECODING_CHARS.test(p.raw) && p.raw !== '' && p.value !== p.raw) {
      fail(`${name}: param "${p.key}" value ${JSON.stringify(p.value)} differs from its plain raw text ${JSON.stringify(p.raw)}`);
    }
    // …and percent-decoded (`+` as space) in URL query strings.
    if ((d.format === 'pg-url' || d.format === 'mysql-url') && !/["'{}\\]/.test(p.raw)) {
      const dec = tryPercentDecode(p.raw);
      if (dec !== undefined && dec !== p.value) fail(`${name}: query param "${p.key}" value ${JSON.stringify(p.value)} is not the percent-decoding ${JSON.stringify(dec)} of ${JSON.stringify(p.raw)}`);
    }
  }
  if (secret !== undefined) for (const e of d.errors) if (e.message.includes(secret)) fail(`${name}: error message repeats the planted secret: ${e.message}`);
}

function runAllParsers(src: SrcString, lo: number, hi: number, srcText: string | undefined, secret: string | undefined): void {
  for (const [name, parse] of PARSERS) checkDsn(name, parse(src), src, lo, hi, srcText, secret);
  const text = src.text;
  const format = detectDsnFormat(text);
  if (format !== undefined) checkDsn(`parseDsn(${format})`, parseDsn(src, format), src, lo, hi, srcText, secret);
  mayHideParams(text);
}

// ---------------------------------------------------------------------------------------------
// Generators

/** Characters that matter to some grammar, plus a few ordinary ones and the hole. */
const DSN_ALPHABET = [...`:/@?&=;,"'{}()[]\\%+# \n\tabcXYZ0159.-_`, HOLE, 'é', '\u0000', '\uD83D', '\uDE00', '€'];

const secretArb = fc.nat({ max: 999_999 }).map((n) => `Zq9!fuzzSecret${n}`);

/** One edit of a text: positions are fractions of the current length so they shrink well. */
type Mutation =
  | { readonly op: 'insert'; readonly at: number; readonly s: string }
  | { readonly op: 'delete'; readonly at: number; readonly n: number }
  | { readonly op: 'dup'; readonly at: number; readonly n: number; readonly times: number }
  | { readonly op: 'replace'; readonly at: number; readonly s: string };

const fragmentArb = fc.oneof(
  fc.constantFrom(...DSN_ALPHABET),
  fc.string({ unit: fc.constantFrom(...DSN_ALPHABET), maxLength: 8 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.string({ unit: 'grapheme', maxLength: 4 }),
  fc.constantFrom(
    '99999999999999999999999999',
    '-1',
    '65536',
    '1e309',
    '0x10',
    '&sslmode=disable',
    '&sslmode=verify-full&sslmode=disable',
    ';Encrypt=false;Encrypt=true',
    ' sslmode=disable sslmode=require',
    '?tls=false&tls=true',
    '%',
    '%zz',
    '%C3',
    '%F0%9F%98',
    '%00',
    '[',
    ']:',
    '@@',
    '(',
    ')))',
    '{{',
    '}}}',
    "''",
    '\\',
    '\r\n',
    '\u200B',
    '\uFEFF',
    'İ',
  ),
);

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('insert' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), s: fragmentArb }),
  fc.record({ op: fc.constant('delete' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), n: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ op: fc.constant('dup' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), n: fc.integer({ min: 1, max: 24 }), times: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ op: fc.constant('replace' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), s: fragmentArb }),
);

export function applyMutations(text: string, ms: readonly Mutation[]): string {
  let t = text;
  for (const m of ms) {
    const i = Math.min(t.length, Math.floor(m.at * (t.length + 1)));
    switch (m.op) {
      case 'insert':
        t = t.slice(0, i) + m.s + t.slice(i);
        break;
      case 'delete':
        t = t.slice(0, i) + t.slice(i + m.n);
        break;
      case 'dup':
        t = t.slice(0, i + m.n) + t.slice(i, i + m.n).repeat(m.times) + t.slice(i + m.n);
        break;
      case 'replace':
        t = t.slice(0, i) + m.s + t.slice(i + m.s.length);
        break;
    }
  }
  return t;
}

const mutationsArb = fc.array(mutationArb, { minLength: 0, maxLength: 6 });

/** A DSN with `{{PW}}` where the corpus has its password placeholder. */
function dsnTemplate(i: number): string {
  return DSNS[i].text.split(PW).join('{{PW}}');
}

function plant(text: string, secret: string): string {
  return text.split('{{PW}}').join(secret);
}

// ---------------------------------------------------------------------------------------------
// Targets

export interface Target {
  readonly name: string;
  /** Share of the default total (relative weight). */
  readonly weight: number;
  readonly description: string;
  readonly property: fc.IProperty<never>;
  /** The text the engine saw for a generated value (for the failure report). */
  readonly render: (v: unknown) => string;
}

const BASE = 7; // DSNs sit at a non-zero source offset, as inside a file

const dsnRandom = {
  arb: fc.oneof(
    fc.string({ unit: fc.constantFrom(...DSN_ALPHABET), maxLength: 120 }),
    fc.string({ unit: 'binary', maxLength: 80 }),
    fc.tuple(fc.constantFrom('postgres://', 'mysql://', 'sqlserver://', 'odbc:', 'oracle://', 'host=', 'Server=', 'u:p@tcp(', '(DESCRIPTION='), fc.string({ unit: fc.constantFrom(...DSN_ALPHABET), maxLength: 100 })).map(([a, b]) => a + b),
  ),
  run(text: string): void {
    runAllParsers(SrcString.exact(text, BASE), BASE, BASE + text.length, text, undefined);
  },
};

const dsnMutatedArb = fc.record({ dsn: fc.nat({ max: DSNS.length - 1 }), ms: mutationsArb, secret: secretArb });
function renderDsnMutated(v: { dsn: number; ms: readonly Mutation[]; secret: string }): string {
  return plant(applyMutations(dsnTemplate(v.dsn), v.ms), v.secret);
}

/** A DSN cut into pieces, some replaced by holes (`%s`, `${x}`), each piece at increasing source offsets. */
const dsnHolesArb = fc.record({
  dsn: fc.nat({ max: DSNS.length - 1 }),
  ms: fc.array(mutationArb, { maxLength: 2 }),
  secret: secretArb,
  cuts: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 5 }),
  holes: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
  holeAtEnd: fc.boolean(),
});
type HolesCase = { dsn: number; ms: readonly Mutation[]; secret: string; cuts: readonly number[]; holes: readonly boolean[]; holeAtEnd: boolean };

function buildHoled(v: HolesCase): { src: SrcString; hi: number } {
  const text = renderDsnMutated(v);
  const at = [...new Set(v.cuts.map((c) => Math.floor(c * text.length)))].sort((a, b) => a - b);
  const pieces: SrcString[] = [];
  let pos = BASE;
  let prev = 0;
  at.push(text.length);
  at.forEach((cut, k) => {
    const piece = text.slice(prev, cut);
    if (v.holes[k % v.holes.length] && piece.length > 0) {
      pieces.push(SrcString.hole({ start: pos, end: pos + 2 })); // `%s` replaces the piece
      pos += 2;
    } else {
      pieces.push(SrcString.exact(piece, pos));
      pos += piece.length;
    }
    prev = cut;
  });
  if (v.holeAtEnd) {
    pieces.push(SrcString.hole({ start: pos, end: pos + 4 }));
    pos += 4;
  }
  return { src: SrcString.concat(pieces), hi: pos };
}

function extractionCheck(ex: Extraction, text: string, what: string): void {
  if (!ex || !Array.isArray(ex.sites) || !Array.isArray(ex.observations) || !Array.isArray(ex.errors)) fail(`${what}: malformed extraction`);
  checkRanges({ sites: ex.sites, observations: ex.observations }, 0, text.length, what);
  for (const s of ex.sites) {
    if (s.dsn) {
      const r = s.dsn.s.sourceRange;
      if (r.start < 0 || r.end > text.length || r.start > r.end) fail(`${what}: dsn source range [${r.start}, ${r.end}) outside the text`);
    }
  }
}

/** Quoting of a DSN for each source language (so the unmutated source is valid). */
function quoted(dsn: string): string {
  return JSON.stringify(dsn);
}

function fillSource(template: string, dsnIndex: number, secret: string): string {
  const dsn = plant(dsnTemplate(dsnIndex), secret);
  return plant(
    template
      .split('{{DSN}}')
      .join(quoted(dsn))
      .split('{{RAWQ}}')
      .join(dsn.replace(/["\\]/g, '\\$&'))
      .split('{{RAW}}')
      .join(dsn.replace(/\n/g, ' ')),
    secret,
  );
}

/** Source-level edits: code-ish fragments, truncation, splice with another source, deep nesting. */
const CODE_FRAGMENTS = ['{', '}', '(', ')', '[', ']', '"', "'", '`', '${', '\n', ';', ',', ':', '=', '/*', '*/', '//', '#', '\\', '\t', ' - ', ': |', 'é', '\uD800', HOLE, 'func', 'import', 'return', 'sql.Open(', 'new Pool(', 'fmt.Sprintf("%s", ', '"+"', '...'];

const sourceEditArb = fc.oneof(
  { weight: 4, arbitrary: mutationArb },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('insert' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), s: fc.constantFrom(...CODE_FRAGMENTS) }) },
);

interface SourceCase {
  readonly template: number;
  readonly dsn: number;
  readonly secret: string;
  readonly edits: readonly Mutation[];
  /** Keep text[0, cut) (1 = everything). */
  readonly cut: number;
  /** Keep text[from, …) (0 = everything). */
  readonly from: number;
  /** Splice: prefix of this source + suffix of another template. */
  readonly splice?: { readonly other: number; readonly at: number; readonly otherAt: number };
  readonly nest?: { readonly at: number; readonly depth: number; readonly style: number };
}

function sourceCaseArb(templates: number): fc.Arbitrary<SourceCase> {
  return fc.record(
    {
      template: fc.nat({ max: templates - 1 }),
      dsn: fc.nat({ max: DSNS.length - 1 }),
      secret: secretArb,
      edits: fc.array(sourceEditArb, { maxLength: 5 }),
      cut: fc.oneof({ weight: 3, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) }),
      from: fc.oneof({ weight: 5, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) }),
      splice: fc.option(fc.record({ other: fc.nat({ max: templates - 1 }), at: fc.double({ min: 0, max: 1, noNaN: true }), otherAt: fc.double({ min: 0, max: 1, noNaN: true }) }), { freq: 5 }),
      nest: fc.option(fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), depth: fc.integer({ min: 1, max: 400 }), style: fc.nat({ max: 7 }) }), { freq: 8 }),
    },
    { requiredKeys: ['template', 'dsn', 'secret', 'edits', 'cut', 'from'] },
  );
}

const NESTS: readonly (readonly [string, string])[] = [
  ['(', ')'],
  ['[', ']'],
  ['{', '}'],
  ['f(', ')'],
  ['{"a":', '}'],
  ['[]any{', '}'],
  ['`${', '}`'],
  ['x+(', ')'],
];

function renderSource(sources: readonly string[], v: SourceCase): string {
  let t = fillSource(sources[v.template], v.dsn, v.secret);
  if (v.splice) {
    const other = fillSource(sources[v.splice.other], v.dsn, v.secret);
    t = t.slice(0, Math.floor(v.splice.at * t.length)) + other.slice(Math.floor(v.splice.otherAt * other.length));
  }
  if (v.nest) {
    const [open, close] = NESTS[v.nest.style % NESTS.length];
    const i = Math.floor(v.nest.at * t.length);
    t = t.slice(0, i) + open.repeat(v.nest.depth) + '"x"' + close.repeat(v.nest.depth) + t.slice(i);
  }
  t = applyMutations(t, v.edits);
  const from = Math.floor(v.from * t.length);
  const cut = Math.max(from, Math.floor(v.cut * t.length));
  return t.slice(from, cut);
}

const CONFIG_TEXTS = CONFIG_SOURCES.map((c) => c.text);

function configCase(v: SourceCase): { kind: ConfigKind; path: string; text: string } {
  const c = CONFIG_SOURCES[v.template];
  return { kind: c.kind, path: c.path, text: renderSource(CONFIG_TEXTS, v) };
}

/** Deeply nested input in every language (SPEC §5 "deeply nested code"). */
const deepArb = fc.record({
  lang: fc.constantFrom('go', 'ts', 'json', 'yaml', 'toml', 'dotenv', 'properties', 'prisma'),
  depth: fc.integer({ min: 1, max: 5000 }),
  style: fc.nat({ max: 7 }),
  close: fc.boolean(),
});
type DeepCase = { lang: string; depth: number; style: number; close: boolean };

function renderDeep(v: DeepCase): { path: string; text: string } {
  const [open, close] = NESTS[v.style % NESTS.length];
  const body = open.repeat(v.depth) + '"postgres://u:Zq9!fuzzSecret0@h/db?sslmode=disable"' + (v.close ? close.repeat(v.depth) : '');
  switch (v.lang) {
    case 'go':
      return { path: 'deep.go', text: `package main\nimport "database/sql"\nfunc f() { sql.Open("postgres", ${body}) }\n` };
    case 'ts':
      return { path: 'deep.ts', text: `import { Pool } from 'pg';\nnew Pool({ connectionString: ${body} });\n` };
    case 'json':
      return { path: 'deep.json', text: '{"db":'.repeat(Math.min(v.depth, 3000)) + '{"password":"x","url":"postgres://h/db"}' + (v.close ? '}'.repeat(Math.min(v.depth, 3000)) : '') };
    case 'yaml': {
      let t = '';
      const d = Math.min(v.depth, 800);
      for (let k = 0; k < d; k++) t += ' '.repeat(k) + `k${k}:\n`;
      return { path: 'deep.yaml', text: t + ' '.repeat(d) + 'password: postgres://u:p@h/db?sslmode=disable\n' };
    }
    case 'toml':
      return { path: 'deep.toml', text: 'db = ' + '{a = '.repeat(v.depth) + '"postgres://h/db"' + (v.close ? '}'.repeat(v.depth) : '') + '\npassword = "x"\n' };
    case 'dotenv':
      return { path: '.env', text: 'DATABASE_URL=' + '${'.repeat(v.depth) + 'postgres://h/db' + (v.close ? '}'.repeat(v.depth) : '') + '\n' };
    case 'properties':
      return { path: 'a.properties', text: 'db.url=' + '\\\n'.repeat(v.depth) + 'postgres://h/db\n' };
    default:
      return { path: 'schema.prisma', text: 'datasource db {\n' + '{'.repeat(v.depth) + ' url = "postgres://h/db"\n' + (v.close ? '}'.repeat(v.depth) : '') };
  }
}

const SETTINGS: EngineSettings = { ...DEFAULT_SETTINGS, checkLocalConnections: true, checkTestFiles: true };

/** End-to-end invariants of one analyzeText call. */
export function checkAnalysis(path: string, text: string, secret: string | undefined): void {
  const r = analyzeText(path, text, SETTINGS);
  for (const n of r.notes) if (n.kind === 'internal-error') fail(`internal-error note: ${n.message}`);
  for (const f of r.findings) {
    checkRanges({ range: f.range, fixes: f.fixes, related: f.related }, 0, text.length, `finding ${f.ruleId}`);
    if (secret !== undefined) {
      const texts = [f.message, ...f.fixes.map((x) => x.title), ...f.related.map((x) => x.message)];
      for (const m of texts) if (m.includes(secret)) fail(`finding ${f.ruleId} repeats the planted secret: ${m}`);
    }
  }
  if (secret !== undefined) for (const n of r.notes) if (n.message.includes(secret)) fail(`note repeats the planted secret: ${n.message}`);
  checkRanges(r.profiles, 0, text.length, 'profile');
}

const analyzeArb = fc.oneof(
  fc.record({ lang: fc.constant('go' as const), c: sourceCaseArb(GO_SOURCES.length) }),
  fc.record({ lang: fc.constant('ts' as const), c: sourceCaseArb(TS_SOURCES.length) }),
  fc.record({ lang: fc.constant('config' as const), c: sourceCaseArb(CONFIG_SOURCES.length) }),
);
type AnalyzeCase = { lang: 'go' | 'ts' | 'config'; c: SourceCase };

function renderAnalyze(v: AnalyzeCase): { path: string; text: string } {
  if (v.lang === 'go') return { path: 'internal/db/open.go', text: renderSource(GO_SOURCES, v.c) };
  if (v.lang === 'ts') return { path: 'src/db.ts', text: renderSource(TS_SOURCES, v.c) };
  const c = configCase(v.c);
  return { path: `deploy/${c.path}`, text: c.text };
}

/** Whether the planted secret survived the edits intact (otherwise there is nothing to check). */
function intactSecret(text: string, secret: string): string | undefined {
  return text.includes(secret) ? secret : undefined;
}

function prop<T>(arb: fc.Arbitrary<T>, pred: (v: T) => void): fc.IProperty<never> {
  return fc.property(arb, (v) => {
    pred(v);
  }) as unknown as fc.IProperty<never>;
}

export const TARGETS: readonly Target[] = [
  {
    name: 'dsn-random',
    weight: 30,
    description: 'random strings over the DSN alphabet and arbitrary UTF-16 through every parser',
    property: prop(dsnRandom.arb, (t) => dsnRandom.run(t)),
    render: (v) => v as string,
  },
  {
    name: 'dsn-mutated',
    weight: 35,
    description: 'corpus DSNs with inserted/deleted/duplicated/replaced text, planted secret, every parser',
    property: prop(dsnMutatedArb, (v) => {
      const text = renderDsnMutated(v);
      runAllParsers(SrcString.exact(text, BASE), BASE, BASE + text.length, text, intactSecret(text, v.secret));
    }),
    render: (v) => renderDsnMutated(v as never),
  },
  {
    name: 'dsn-holes',
    weight: 15,
    description: 'corpus DSNs cut into pieces joined with holes (SrcString.concat + SrcString.hole)',
    property: prop(dsnHolesArb, (v) => {
      const { src, hi } = buildHoled(v);
      runAllParsers(src, BASE, hi, undefined, intactSecret(src.text, v.secret));
    }),
    render: (v) => buildHoled(v as never).src.text.split(HOLE).join('⟨HOLE⟩'),
  },
  {
    name: 'extract-go',
    weight: 3,
    description: 'Go sources: edits, truncations, splices, deep nesting',
    property: prop(sourceCaseArb(GO_SOURCES.length), (v) => {
      const text = renderSource(GO_SOURCES, v);
      extractionCheck(extractGo(text), text, 'extractGo');
    }),
    render: (v) => renderSource(GO_SOURCES, v as never),
  },
  {
    name: 'extract-ts',
    weight: 2,
    description: 'TS/JS sources: edits, truncations, splices, deep nesting',
    property: prop(sourceCaseArb(TS_SOURCES.length), (v) => {
      const text = renderSource(TS_SOURCES, v);
      extractionCheck(extractTs(text, 'src/db.ts'), text, 'extractTs');
    }),
    render: (v) => renderSource(TS_SOURCES, v as never),
  },
  {
    name: 'extract-config',
    weight: 8,
    description: 'dotenv/yaml/json/toml/properties/prisma sources: edits, truncations, splices',
    property: prop(sourceCaseArb(CONFIG_SOURCES.length), (v) => {
      const c = configCase(v);
      extractionCheck(extractConfig(c.kind, c.text, c.path), c.text, `extractConfig(${c.kind})`);
    }),
    render: (v) => JSON.stringify(configCase(v as never)),
  },
  {
    name: 'deep-nesting',
    weight: 0.3,
    description: 'nesting up to 5,000 levels in every language, analyzeText end to end',
    property: prop(deepArb, (v) => {
      const { path, text } = renderDeep(v);
      checkAnalysis(path, text, undefined);
    }),
    render: (v) => JSON.stringify(renderDeep(v as never)).slice(0, 400),
  },
  {
    name: 'analyze',
    weight: 6.7,
    description: 'analyzeText end to end: no exception, no internal-error note, ranges in the text, no planted secret in any message',
    property: prop(analyzeArb, (v) => {
      const { path, text } = renderAnalyze(v);
      checkAnalysis(path, text, intactSecret(text, v.c.secret));
    }),
    render: (v) => JSON.stringify(renderAnalyze(v as never)),
  },
];

export interface TargetResult {
  readonly name: string;
  readonly cases: number;
  readonly ms: number;
  readonly failure?: { readonly seed: number; readonly path?: string; readonly counterexample: string; readonly error: string; readonly shrinks: number };
}

/** Splits `total` cases over `targets` by weight (each at least 1). */
export function plan(targets: readonly Target[], total: number): Map<Target, number> {
  const sum = targets.reduce((a, t) => a + t.weight, 0);
  return new Map(targets.map((t) => [t, Math.max(1, Math.round((total * t.weight) / sum))]));
}

export function runTarget(t: Target, numRuns: number, seed: number): TargetResult {
  const t0 = performance.now();
  const details = fc.check(t.property, { numRuns, seed });
  const ms = performance.now() - t0;
  if (!details.failed) return { name: t.name, cases: details.numRuns, ms };
  const ce = details.counterexample?.[0];
  let rendered: string;
  try {
    rendered = t.render(ce);
  } catch (e) {
    rendered = `(render failed: ${(e as Error).message}) ${fc.stringify(ce)}`;
  }
  return {
    name: t.name,
    cases: details.numRuns,
    ms,
    failure: {
      seed: details.seed,
      path: details.counterexamplePath ?? undefined,
      counterexample: rendered.length > 3000 ? `${rendered.slice(0, 3000)}… (${rendered.length} chars)` : rendered,
      error: String((details.errorInstance as unknown as Error | undefined)?.stack ?? details.errorInstance).split('\n').slice(0, 8).join('\n'),
      shrinks: details.numShrinks,
    },
  };
}

