/**
 * The engine's entry point: one file's text in, findings out. No IO here (the CLI and the
 * language server read files); the whole pipeline is extract → profile → rules → (redact,
 * suppress, severity) and is shared by every surface.
 *
 * Architecture invariants:
 * - `analyzeText` never throws: an internal error becomes a FileNote.
 * - No finding leaves this module with a secret in its message (redactSecrets below).
 * - Time per file is bounded: files above `maxFileBytes` and files whose content shows no
 *   candidate token are not parsed at all.
 */
import { createHash } from 'node:crypto';
import { FileNote, Finding, Fix, Range } from './model';
import { extractConfig, ConfigKind } from './extract/config/index';
import { extractGo, initGo } from './extract/go';
import { firstSliceHolds, fullState, planFirstSlice, planSlice, SliceState, slicedState } from './incremental';
import { blankSpans } from './spans';
import { ConnectionSite, DriverId, Extraction, Observation } from './extract/values';
import { REDACTED } from './extract/secrets';
import { EnvConsumer, profilesFor } from './profile/index';
import { ConnectionProfile } from './profile/types';
import { RULE_LIST } from './rules/index';
import { Violation } from './rules/types';
import { EngineSettings } from './settings';
import { isSuppressed, parseSuppressions } from './suppress';

export { CANDIDATE_PATTERN, isCodeKind, isTestFile, SourceKind, sourceKindOf } from './sources';
import { CANDIDATE_PATTERN, isTestFile, SourceKind, sourceKindOf } from './sources';

let goReady: Promise<void> | undefined;

/** Loads parsers that need asynchronous initialisation (tree-sitter WASM). Idempotent. */
export function initEngine(): Promise<void> {
  goReady ??= initGo();
  return goReady;
}

export interface AnalyzeOptions {
  /** For `.env` files: whether git tracks the file (C6 applies to tracked .env files only). */
  readonly envFileTracked?: boolean;
  /** Env variable → the code that reads it as a connection string (from other files). */
  readonly envConsumers?: ReadonlyMap<string, EnvConsumer>;
  /**
   * Ask for incremental re-analysis (engine/incremental.ts): the result then carries a state,
   * and `previous` — the state of the last analysis of the same document — lets an edit inside
   * one function body be re-analysed in slices. Same findings either way.
   */
  readonly incremental?: { readonly previous?: SliceState };
  /**
   * Parse every function body even on a first analysis (incremental.ts planFirstSlice leaves
   * out the Go bodies that cannot contribute; same findings either way — the tests compare).
   */
  readonly fullParse?: boolean;
}

export interface FileAnalysis {
  readonly findings: Finding[];
  readonly notes: FileNote[];
  /** Connection profiles, for hovers and the test-connection command. */
  readonly profiles: ConnectionProfile[];
  /** Env variables this file reads as a whole connection string, and the driver they go to. */
  readonly envConsumers: readonly { readonly name: string; readonly driver: DriverId; readonly offset: number; readonly options: readonly string[] }[];
  /** When asked for (AnalyzeOptions.incremental): the state for the next version; how many
   * function bodies a re-analysis from the previous state skipped (`blanked`; undefined: not
   * one), or how many a first analysis left out as unable to contribute (`leftOut`). */
  readonly incremental?: { readonly state: SliceState | undefined; readonly blanked?: number; readonly leftOut?: number };
}

const EMPTY: Extraction = { sites: [], observations: [], errors: [] };

let tsExtractor: typeof import('./extract/typescript') | undefined;

/** `skip`: spans an incremental re-analysis leaves out (engine/incremental.ts); code kinds only. */
function extract(kind: SourceKind, text: string, path: string, skip?: readonly Range[], reuse?: unknown): Extraction {
  switch (kind) {
    case 'go':
      return extractGo(text, skip);
    case 'ts':
      // Loaded on first use: the TypeScript compiler is large, and most scans need it for few files.
      // (Kept: in the bundles each `require` of our own module builds a new exports object.)
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return (tsExtractor ??= require('./extract/typescript') as typeof import('./extract/typescript')).extractTs(skip ? blankSpans(text, skip) : text, path, reuse as import('./extract/typescript').TsReuse | undefined);
    default:
      return extractConfig(kind, text, path);
  }
}

/** Every literal secret the extraction saw, so that messages can be scrubbed (defence in depth). */
function secretValues(ex: Extraction, profiles: readonly ConnectionProfile[]): string[] {
  const out = new Set<string>();
  for (const o of ex.observations) if ((o.kind === 'secret-literal' || o.kind === 'cloud-key') && o.value.length >= 3) out.add(o.value);
  for (const p of profiles) {
    const pw = p.dsn?.password?.value;
    if (pw && pw.length >= 3) out.add(pw);
  }
  return [...out];
}

/**
 * Names that messages are made of — drivers, products, providers — of which a weak password can
 * be part (`postgres`, `mysql`, `pass`…). An occurrence of a secret inside a longer one of them is
 * that name, not the secret; masking it would garble the message ("node-**** (pg)") and, worse,
 * tell the reader what the password is.
 */
const MESSAGE_VOCABULARY = [
  'node-postgres', 'postgres.js', 'PostgreSQL', 'postgresql', 'postgres', 'mysql2', 'go-sql-driver/mysql', 'MySQL', 'mysql', 'MariaDB', 'mariadb',
  'node-mssql', 'mssql', 'go-mssqldb', 'SQL Server', 'sqlserver', 'tedious', 'pgx', 'lib/pq', 'libpq', 'godror', 'Oracle', 'oracle',
  'Prisma', 'TypeORM', 'Sequelize', 'knex', 'gorm', 'sqlx', 'Aurora', 'Amazon RDS', 'Azure SQL', 'Azure', 'Alibaba', 'PolarDB', 'ApsaraDB',
  'localhost', 'root', 'admin', 'password', 'secret',
];

/** Masks every occurrence of a secret in a message, except inside the message vocabulary and the file's driver labels. */
function redactSecrets(message: string, secrets: readonly string[], labels: readonly string[]): string {
  let m = message;
  for (const s of secrets) {
    if (!m.includes(s)) continue;
    // Spans of vocabulary words in the current text; an occurrence wholly inside one is kept.
    const keep: [number, number][] = [];
    for (const w of [...labels, ...MESSAGE_VOCABULARY]) {
      // Only words longer than the secret: a message that says the secret itself is masked.
      if (w.length <= s.length || !w.includes(s)) continue;
      for (let i = m.indexOf(w); i !== -1; i = m.indexOf(w, i + 1)) keep.push([i, i + w.length]);
    }
    let out = '';
    let last = 0;
    for (let i = m.indexOf(s); i !== -1; i = m.indexOf(s, i + s.length)) {
      if (keep.some(([a, b]) => a <= i && i + s.length <= b)) continue;
      out += m.slice(last, i) + REDACTED;
      last = i + s.length;
    }
    m = out + m.slice(last);
  }
  return m;
}

/** 0-based line of a UTF-16 offset. */
export function lineOf(text: string, offset: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function fingerprint(ruleId: string, path: string, key: string, n: number): string {
  return createHash('sha256').update(`${ruleId}\0${path}\0${key}\0${n}`).digest('hex').slice(0, 32);
}

/** Is this violation about a connection whose transport findings are relaxed (SPEC §1.6)? */
function relaxed(v: Violation, transport: boolean, settings: EngineSettings, testFile: boolean): boolean {
  if (!transport) return false;
  if (testFile && !settings.checkTestFiles) return true;
  if (settings.checkLocalConnections) return false;
  const loc = v.profile?.locality;
  return loc === 'loopback' || loc === 'socket';
}

/**
 * Whether `analyzeText` would parse this text (as opposed to answering at once: no extractor for
 * the path, above the size limit, binary, or no candidate token). Lets a caller keep cheap files
 * on its own thread and send only real work elsewhere (cli/parallel.ts).
 */
export function needsParse(path: string, text: string, settings: EngineSettings): boolean {
  return sourceKindOf(path) !== undefined && text.length <= settings.maxFileBytes && !text.includes('\u0000') && CANDIDATE_PATTERN.test(text);
}

export function analyzeText(path: string, text: string, settings: EngineSettings, opts: AnalyzeOptions = {}): FileAnalysis {
  const notes: FileNote[] = [];
  const kind = sourceKindOf(path);
  if (!kind) return { findings: [], notes, profiles: [], envConsumers: [] };
  if (text.length > settings.maxFileBytes) {
    notes.push({ kind: 'skipped', message: `skipped: ${text.length} bytes is above the ${settings.maxFileBytes}-byte limit (maxFileBytes)` });
    return { findings: [], notes, profiles: [], envConsumers: [] };
  }
  if (text.includes('\u0000')) {
    notes.push({ kind: 'skipped', message: 'skipped: binary content' });
    return { findings: [], notes, profiles: [], envConsumers: [] };
  }
  if (!CANDIDATE_PATTERN.test(text)) return { findings: [], notes, profiles: [], envConsumers: [] };

  const inc = opts.incremental;
  if (inc?.previous && opts.envConsumers === undefined && (kind === 'go' || kind === 'ts')) {
    const settingsKey = JSON.stringify(settings);
    const plan = planSlice(inc.previous, path, settingsKey, text);
    if (plan) {
      const r = judge(path, text, { skip: plan.spans, reuse: inc.previous.parsed }, kind, settings, opts, notes.slice());
      const state = r.ex && r.analysis.notes.every((n) => n.kind !== 'internal-error') ? slicedState(plan, r.ex, r.analysis.findings) : undefined;
      if (state) return { ...r.analysis, incremental: { state, blanked: plan.blanked } };
    }
  }
  const first = (kind === 'go' || kind === 'ts') && !opts.fullParse ? planFirstSlice(path, text) : undefined;
  if (first) {
    const r = judge(path, text, { skip: first.spans }, kind, settings, opts, notes.slice());
    if (r.ex && r.analysis.notes.every((n) => n.kind !== 'internal-error') && firstSliceHolds(first, r.ex)) {
      if (!inc) return r.analysis;
      return { ...r.analysis, incremental: { state: fullState(path, JSON.stringify(settings), text, r.ex, r.analysis.findings), leftOut: first.spans.length } };
    }
  }
  const r = judge(path, text, {}, kind, settings, opts, notes);
  if (!inc) return r.analysis;
  const state = r.ex && (kind === 'go' || kind === 'ts') ? fullState(path, JSON.stringify(settings), text, r.ex, r.analysis.findings) : undefined;
  return { ...r.analysis, incremental: { state } };
}

/**
 * Extraction (of the text, less the `skip` spans of an incremental re-analysis — same offsets —
 * reusing the previous parse where the parser can) → profiles → rules → suppressed, relaxed and
 * deduplicated findings (on the whole text).
 */
function judge(path: string, text: string, slice: { readonly skip?: readonly Range[]; readonly reuse?: unknown }, kind: SourceKind, settings: EngineSettings, opts: AnalyzeOptions, notes: FileNote[]): { analysis: FileAnalysis; ex: Extraction | undefined } {
  let ex: Extraction = EMPTY;
  let profiles: ConnectionProfile[] = [];
  try {
    ex = extract(kind, text, path, slice.skip, slice.reuse);
    profiles = ex.sites.flatMap((s) => profilesFor(s, opts.envConsumers, { settings, text }));
  } catch (e) {
    notes.push({ kind: 'internal-error', message: `internal error while analysing: ${(e as Error).message}` });
    return { analysis: { findings: [], notes, profiles: [], envConsumers: [] }, ex: undefined };
  }
  for (const err of ex.errors) notes.push({ kind: 'parse-error', message: err });

  const suppressions = parseSuppressions(text);
  const testFile = isTestFile(path);
  const secrets = secretValues(ex, profiles);
  // Names messages are made of: driver labels, and where secrets sit (`YAML key services.postgres.env…`:
  // a key path is structure, not a secret, even when the password equals a service name).
  const labels = [...new Set([...profiles.map((p) => p.driverLabel), ...ex.observations.flatMap((o) => ('context' in o && typeof o.context === 'string' ? [o.context] : []))])];
  const findings: Finding[] = [];
  const seen = new Map<string, number>();
  const observations: readonly Observation[] = ex.observations;
  for (const rule of RULE_LIST) {
    const meta = rule.meta;
    const sev = settings.rules[meta.id] ?? meta.defaultSeverity;
    if (sev === 'off') continue;
    let violations: Violation[];
    try {
      violations = rule.check({ profiles, observations, path, envFileTracked: opts.envFileTracked ?? true });
    } catch (e) {
      notes.push({ kind: 'internal-error', message: `rule ${meta.id} failed: ${(e as Error).message}` });
      continue;
    }
    for (const v of violations) {
      if (relaxed(v, meta.transport, settings, testFile)) continue;
      if (isSuppressed(suppressions, meta.id, lineOf(text, v.range.start))) continue;
      const at = `${meta.id}@${v.range.start}:${v.range.end}`;
      if (seen.has(at)) continue; // two sources of one fact (an observation and a profile) report once
      seen.set(at, 1);
      const same = `${meta.id}#${v.key}`;
      const n = seen.get(same) ?? 0; // n-th occurrence of the same key keeps fingerprints distinct
      seen.set(same, n + 1);
      findings.push({
        ruleId: meta.id,
        severity: sev,
        range: v.range,
        message: redactSecrets(v.message, secrets, labels),
        fixes: effectiveFixes(v.fixes ?? [], text).map((f) => ({ ...f, title: redactSecrets(f.title, secrets, labels) })),
        related: (v.related ?? []).map((r) => ({ range: r.range, message: redactSecrets(r.message, secrets, labels) })),
        fingerprint: fingerprint(meta.id, path, v.key, n),
      });
    }
  }
  findings.sort((a, b) => a.range.start - b.range.start || a.ruleId.localeCompare(b.ruleId));
  const envConsumers = ex.sites
    // Code readers, and Prisma datasources' env("X") (config sites without a connection string).
    .filter((s) => (s.language !== 'config' || (s.driver.startsWith('prisma-') && !s.dsn)) && s.envName !== undefined && !s.driver.startsWith('unknown-'))
    .map((s) => ({ name: s.envName!, driver: s.driver, offset: s.anchor.start, options: optionKeys(s) }));
  return { analysis: { findings, notes, profiles, envConsumers }, ex };
}


/**
 * A file's env consumers as [variable, consumer] entries naming `path:line` (1-based), ready for
 * mergeEnvConsumers — the form the CLI and the language server both collect.
 */
export function consumerEntries(analysis: FileAnalysis, path: string, text: string): [string, EnvConsumer][] {
  return analysis.envConsumers.map((c) => [c.name, { driver: c.driver, where: `${path}:${lineOf(text, c.offset) + 1}`, options: c.options }]);
}

/**
 * The option keys a reader of an env connection string passes beside it (top level, and one
 * level down as `parent.key`: `options.encrypt`); `*` when the options are not a visible object.
 */
/**
 * The fixes that change something: an edit that writes the text already there is dropped, and so
 * is a fix left without edits (e.g. "Set sslmode=verify-full" on a value that already says so,
 * while code elsewhere weakens the TLS config). A fix that changes nothing would promise what it
 * does not do, and `--fix` would apply it forever.
 */
function effectiveFixes(fixes: readonly Fix[], text: string): Fix[] {
  const out: Fix[] = [];
  for (const f of fixes) {
    const edits = f.edits.filter((e) => text.slice(e.range.start, e.range.end) !== e.newText);
    if (edits.length === 0) continue;
    out.push(edits.length === f.edits.length ? f : { ...f, edits });
  }
  return out;
}

function optionKeys(s: ConnectionSite): string[] {
  const o = s.options;
  if (!o) return [];
  if (o.k !== 'obj' || o.open) return ['*'];
  const keys: string[] = [];
  for (const p of o.props) {
    keys.push(p.key);
    if (p.value.k === 'obj') for (const q of p.value.props) keys.push(`${p.key}.${q.key}`);
  }
  return [...new Set(keys)];
}

/** Applies edits (offsets into `text`) from the end backwards; overlapping edits are skipped. */
export function applyEdits(text: string, edits: readonly { range: Range; newText: string }[]): string {
  const sorted = [...edits].sort((a, b) => b.range.start - a.range.start || b.range.end - a.range.end);
  let out = text;
  let limit = Infinity;
  for (const e of sorted) {
    if (e.range.end > limit) continue;
    out = out.slice(0, e.range.start) + e.newText + out.slice(e.range.end);
    limit = e.range.start;
  }
  return out;
}

