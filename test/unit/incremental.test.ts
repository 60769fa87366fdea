/**
 * Incremental re-analysis (server/src/engine/incremental.ts) must give exactly what a full
 * analysis gives. Differential check: every Go and TS/JS fixture, generated service files and
 * hand-written cross-function cases get chains of random edits inside function bodies —
 * keystrokes, deletions, and inserted lines that open connections, log values, call other
 * functions, assign package-level variables, add suppressions or leave brackets open. After
 * every edit the sliced analysis (from the previous version's state) and a full analysis of the
 * same text must agree on findings (ranges, messages, fixes, related information, fingerprints),
 * connection profiles and env consumers.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText, FileAnalysis, initEngine } from '../../server/src/engine/scan';
import { DEFAULT_SETTINGS } from '../../server/src/engine/settings';
import type { SliceState } from '../../server/src/engine/incremental';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const corpus = require(path.resolve(__dirname, '../../../test/bench/corpus.js')) as {
  prng(seed: number): { next(): number; int(lo: number, hi: number): number; pick<T>(a: readonly T[]): T; chance(p: number): boolean };
  goFile(r: unknown, pkg: string, target: number, withConn: boolean): string;
  tsFile(r: unknown, target: number, withConn: boolean): string;
};

type Rng = ReturnType<typeof corpus.prng>;

/** CONNGUARD_INCREMENTAL_SCALE=10 runs ten times the edits with other seeds (a longer exploration). */
const SCALE = Math.max(1, Number(process.env.CONNGUARD_INCREMENTAL_SCALE ?? 1) || 1);

/** What must be identical: everything but notes (parse-error notes count the blanked bodies' errors too). */
function comparable(a: FileAnalysis): unknown {
  return { findings: a.findings, profiles: a.profiles, envConsumers: a.envConsumers };
}

const CROSS_GO = `package store

import (
	"database/sql"
	"fmt"
	"log"

	_ "github.com/jackc/pgx/v5/stdlib"
)

var db *sql.DB
var dsn = "postgres://app:s3cr3t-pw@db.example.com:5432/app?sslmode=require"
var retries = 3

func open() error {
	var err error
	db, err = sql.Open("pgx", buildDSN())
	return err
}

func buildDSN() string {
	return dsn
}

func literalDSN() string {
	return "postgres://app@db.example.com:5432/app?sslmode=require"
}

func limits() {
	db.SetMaxOpenConns(10)
}

func unrelated(a, b int) int {
	if a > b {
		return a
	}
	return b
}

func describe() string {
	return fmt.Sprintf("%d", unrelated(1, 2))
}

func report() {
	log.Println("ready")
}

func backoff() int {
	return retries * 2
}
`;

const CROSS_TS = `import { Pool } from 'pg';
import { Signer } from '@aws-sdk/rds-signer';

const url = 'postgres://app:s3cr3t-pw@db.example.com/app?sslmode=disable';
let pool: Pool | undefined;

function connectionString(): string {
  return url;
}

export function open(): Pool {
  pool = new Pool({ connectionString: connectionString(), ssl: { rejectUnauthorized: true }, password: token });
  return pool;
}

export class Repo {
  constructor(private readonly p: Pool) {}

  async find(id: string): Promise<unknown> {
    const r = await this.p.query('select * from t where id = $1', [id]);
    return r.rows[0];
  }

  get size(): number {
    return 3;
  }
}

export const handler = async (id: string) => {
  const repo = new Repo(open());
  return repo.find(id);
};

function helper(n: number): number {
  return n * 2;
}

export async function token(): Promise<string> {
  const signer = new Signer({ hostname: 'db.example.com', port: 5432, username: 'app', region: 'eu-west-1' });
  return signer.getAuthToken();
}
`;

const GO_LINES = [
  '\tdb2, _ := sql.Open("pgx", "postgres://u:pw-123456@db.example.com/app?sslmode=disable")\n\t_ = db2\n',
  '\tlog.Println(%IDENT%)\n',
  '\t%UNIT%()\n',
  '\t%VALUE%.SetMaxOpenConns(5)\n',
  '\tx := 1\n\t_ = x\n',
  '\t// connguard-ignore-next-line\n',
  '\t// connguard-ignore-file\n',
  '\tpassword := "hunter2-hunter2"\n\t_ = password\n',
  '\tcfg := &tls.Config{InsecureSkipVerify: true}\n\t_ = cfg\n',
  '\t%VALUE% = "postgres://a:b@h.example.com/d?sslmode=disable"\n',
  '\tfmt.Println(',
  '\ts := `raw\nstring`\n\t_ = s\n',
  '\t_ = s.%UNIT%()\n',
];

const TS_LINES = [
  "  const p2 = new Pool({ connectionString: 'postgres://u:pw-123456@db.example.com/app', ssl: { rejectUnauthorized: false } });\n",
  '  console.log(%IDENT%);\n',
  '  %UNIT%();\n',
  "  const password = 'hunter2-hunter2';\n",
  "  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';\n",
  "  %VALUE% = 'postgres://a:b@h.example.com/d?sslmode=disable';\n",
  '  foo(',
  '  const t = `a${1 + 2}b`;\n',
  '  // connguard-ignore-next-line\n',
  '  const re = /[}{]"/;\n',
  '  const o = { a: 1 };\n',
];

const LETTERS = 'abcdefghijklmnopqrstuvwxyz_ ';

function identsOf(text: string): string[] {
  return [...new Set(text.match(/[A-Za-z_]\w{2,}/g) ?? [])];
}

interface Stats {
  edits: number;
  sliced: number;
  fallbacks: number;
}

function editOnce(text: string, state: SliceState, kind: 'go' | 'ts', r: Rng): string {
  const units = state.units;
  const u = units[r.int(0, units.length - 1)];
  const pos = r.int(u.start, u.end);
  const roll = r.next();
  if (roll < 0.4) return text.slice(0, pos) + LETTERS[r.int(0, LETTERS.length - 1)] + text.slice(pos);
  if (roll < 0.55 && u.end > u.start) {
    const at = r.int(u.start, u.end - 1);
    return text.slice(0, at) + text.slice(at + 1);
  }
  // A whole line, inserted at a line start inside the body.
  const nl = text.indexOf('\n', pos);
  const at = nl >= 0 && nl < u.end ? nl + 1 : u.start;
  const names = units.map((x) => x.name).filter((n): n is string => !!n);
  const values = [...state.values];
  const idents = identsOf(text.slice(Math.max(0, at - 2000), at + 2000));
  const line = r
    .pick(kind === 'go' ? GO_LINES : TS_LINES)
    .replace('%IDENT%', r.pick(idents.length ? idents : ['x']))
    .replace('%UNIT%', r.pick(names.length ? names : ['f']))
    .replace('%VALUE%', r.pick(values.length ? values : idents.length ? idents : ['x']));
  return text.slice(0, at) + line + text.slice(at);
}

function chain(rel: string, text0: string, kind: 'go' | 'ts', edits: number, seed: number, stats: Stats): void {
  const r = corpus.prng(seed);
  let text = text0;
  let state = analyzeText(rel, text, DEFAULT_SETTINGS, { incremental: {} }).incremental?.state;
  for (let i = 0; i < edits; i++) {
    if (!state || state.units.length === 0) {
      // Not sliceable (syntax errors outside bodies, an open bracket): undo to the start.
      text = text0;
      state = analyzeText(rel, text, DEFAULT_SETTINGS, { incremental: {} }).incremental?.state;
      if (!state || state.units.length === 0) return;
    }
    const next = editOnce(text, state, kind, r);
    const inc = analyzeText(rel, next, DEFAULT_SETTINGS, { incremental: { previous: state } });
    const full = analyzeText(rel, next, DEFAULT_SETTINGS, { fullParse: true });
    stats.edits++;
    if (inc.incremental?.blanked !== undefined) stats.sliced++;
    else stats.fallbacks++;
    assert.deepEqual(comparable(inc), comparable(full), `${rel}: edit ${i} (seed ${seed}) changed the result:\n${diffHint(text, next)}`);
    // The same version analysed afresh (a first analysis leaves out the Go bodies that cannot
    // contribute, incremental.ts planFirstSlice) agrees too.
    const first = analyzeText(rel, next, DEFAULT_SETTINGS);
    assert.deepEqual(comparable(first), comparable(full), `${rel}: edit ${i} (seed ${seed}), analysed afresh, changed the result:\n${diffHint(text, next)}`);
    text = next;
    state = inc.incremental?.state;
  }
}

function diffHint(a: string, b: string): string {
  let p = 0;
  while (p < a.length && a[p] === b[p]) p++;
  return `at offset ${p}: …${JSON.stringify(a.slice(Math.max(0, p - 60), p + 60))} → …${JSON.stringify(b.slice(Math.max(0, p - 60), p + 80))}`;
}

function codeFixtures(): { rel: string; text: string; kind: 'go' | 'ts' }[] {
  const out: { rel: string; text: string; kind: 'go' | 'ts' }[] = [];
  for (const rule of fs.readdirSync(FIXTURES).sort()) {
    const dir = path.join(FIXTURES, rule);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const name of fs.readdirSync(dir).sort()) {
      if (name.includes('.fixed')) continue;
      const kind = name.endsWith('.go') ? 'go' : /\.(?:[cm]?ts|[cm]?js)$/.test(name) ? 'ts' : undefined;
      if (kind) out.push({ rel: `${rule}/${name}`, text: fs.readFileSync(path.join(dir, name), 'utf8'), kind });
    }
  }
  return out;
}

/**
 * Analyses `text`, then `next` from that state: asserts that the edit took the sliced path and
 * that its result is the full analysis's.
 */
function sliceMatchesFull(path: string, text: string, next: string): { inc: ReturnType<typeof analyzeText>; full: ReturnType<typeof analyzeText> } {
  const state = analyzeText(path, text, DEFAULT_SETTINGS, { incremental: {} }).incremental?.state;
  assert.ok(state, 'the first analysis gives an incremental state');
  const inc = analyzeText(path, next, DEFAULT_SETTINGS, { incremental: { previous: state } });
  assert.notEqual(inc.incremental?.blanked, undefined, 'the edit is analysed in slices');
  const full = analyzeText(path, next, DEFAULT_SETTINGS, { fullParse: true });
  assert.deepEqual(comparable(inc), comparable(full));
  return { inc, full };
}

describe('incremental re-analysis', function () {
  this.timeout(300000);
  before(() => initEngine());

  it('a keystroke in an unrelated function of a large file re-analyses only what matters', () => {
    const text = corpus.goFile(corpus.prng(7), 'orders', 60000, true);
    const first = analyzeText('orders/service.go', text, DEFAULT_SETTINGS, { incremental: {} });
    const state = first.incremental?.state;
    assert.ok(state && state.units.length > 20, 'the file has an outline');
    assert.ok(state.units.some((u) => u.touched) && state.units.some((u) => !u.touched));
    const u = state.units.find((x) => !x.touched && x.end - x.start > 20)!;
    const next = text.slice(0, u.start + 5) + 'x' + text.slice(u.start + 5);
    const inc = analyzeText('orders/service.go', next, DEFAULT_SETTINGS, { incremental: { previous: state } });
    // Struct bodies are always parsed (their field types are read); of the rest, most are left out.
    const blankable = state.units.filter((x) => !x.alwaysParsed).length;
    assert.ok((inc.incremental?.blanked ?? 0) > blankable / 2, `blanked ${inc.incremental?.blanked} of ${blankable}`);
    assert.deepEqual(comparable(inc), comparable(analyzeText('orders/service.go', next, DEFAULT_SETTINGS, { fullParse: true })));
  });

  it('falls back to a full analysis for edits outside function bodies and for open brackets', () => {
    const state = analyzeText('store/db.go', CROSS_GO, DEFAULT_SETTINGS, { incremental: {} }).incremental?.state;
    assert.ok(state);
    const top = CROSS_GO.replace('var db *sql.DB', 'var db, db2 *sql.DB');
    assert.equal(analyzeText('store/db.go', top, DEFAULT_SETTINGS, { incremental: { previous: state } }).incremental?.blanked, undefined);
    const open = CROSS_GO.replace('return a\n', 'return max(a\n');
    assert.equal(analyzeText('store/db.go', open, DEFAULT_SETTINGS, { incremental: { previous: state } }).incremental?.blanked, undefined);
    const tsx = analyzeText('ui/page.tsx', CROSS_TS, DEFAULT_SETTINGS, { incremental: {} });
    assert.equal(tsx.incremental?.state, undefined, 'TSX is always analysed in full');
  });

  it('a call typed into a function keeps the function it calls (names are followed)', () => {
    const state = analyzeText('store/db.go', CROSS_GO, DEFAULT_SETTINGS, { incremental: {} }).incremental?.state;
    assert.ok(state);
    const untouched = state.units.filter((u) => !u.touched).map((u) => u.name);
    assert.ok(untouched.includes('unrelated') && untouched.includes('report'), untouched.join());
    const blankedWith = (line: string): number | undefined => {
      const next = CROSS_GO.replace('\tlog.Println("ready")\n', line);
      const inc = analyzeText('store/db.go', next, DEFAULT_SETTINGS, { incremental: { previous: state } });
      assert.deepEqual(comparable(inc), comparable(analyzeText('store/db.go', next, DEFAULT_SETTINGS, { fullParse: true })));
      return inc.incremental?.blanked;
    };
    const plain = blankedWith('\t_ = 1\n');
    const calling = blankedWith('\t_ = unrelated(1, 2)\n');
    assert.ok(plain !== undefined && calling !== undefined);
    // `unrelated` is kept once report() calls it, and so is its other caller (describe): a
    // parameter is bound from the only call of its function, so every call must stay visible.
    assert.equal(calling, plain - 2);
    // A package-level variable mentioned by the edited body keeps every body that mentions it.
    const viaValue = blankedWith('\t_ = retries\n');
    assert.ok(viaValue !== undefined && viaValue < plain, `${viaValue} vs ${plain}`);
  });

  it('keeps every caller of a function whose parameter a new call would bind (the count of calls stays exact)', () => {
    const text = [
      'package store',
      '',
      'import "database/sql"',
      '',
      'func openWith(dsn string) (*sql.DB, error) {',
      '\treturn sql.Open("pgx", dsn)',
      '}',
      '',
      'func other(x string) {',
      '\t_, _ = openWith(x)',
      '}',
      '',
      'func main() {',
      '\t_ = 1',
      '}',
      '',
    ].join('\n');
    const { full } = sliceMatchesFull('store/db.go', text, text.replace('\t_ = 1', '\t_, _ = openWith("postgres://app@orders.cluster-abc.us-east-1.rds.amazonaws.com/app?sslmode=disable")'));
    assert.ok(full.findings.some((f) => f.ruleId === 'tls-disabled'));
  });

  it('keeps a body whose assignment makes a variable unknown (evidence without a range in the output)', () => {
    const text = [
      "import { Pool } from 'pg';",
      "let url = 'postgres://app@orders.cluster-abc.us-east-1.rds.amazonaws.com/app?sslmode=disable';",
      'export function configure() {',
      '  url = process.env.DATABASE_URL!;',
      '}',
      'export function unrelated() {',
      '  return 1;',
      '}',
      'export const pool = new Pool({ connectionString: url, connectionTimeoutMillis: 5000 });',
      '',
    ].join('\n');
    const { inc } = sliceMatchesFull('src/db.ts', text, text.replace('return 1;', 'return 2;'));
    assert.equal(inc.findings.filter((f) => f.ruleId === 'tls-disabled').length, 0);
  });

  it('keeps Go struct bodies that lead to a method: a call typed in a method can depend on field types', () => {
    const text = [
      'package store',
      '',
      'import "database/sql"',
      '',
      'type Config struct {',
      '\tHost string',
      '}',
      '',
      'func (c Config) DSN() string { return "host=orders.cluster-abc.us-east-1.rds.amazonaws.com sslmode=disable connect_timeout=5" }',
      '',
      'type App struct {',
      '\tcfg Config',
      '}',
      '',
      'type Server struct {',
      '\tapp App',
      '}',
      '',
      'func (s *Server) Open() (*sql.DB, error) {',
      '\treturn nil, nil',
      '}',
      '',
    ].join('\n');
    const { full } = sliceMatchesFull('store/db.go', text, text.replace('\treturn nil, nil', '\treturn sql.Open("pgx", s.app.cfg.DSN())'));
    assert.ok(full.findings.some((f) => f.ruleId === 'tls-disabled'));
  });

  it('agrees with a full analysis after an edit in each body of service files written to break it (incremental-cases/, first-slice/*.ts|js)', () => {
    // i*: what an audit found — a body that leaves no range yet holds a file-wide fact the TS
    // evaluator reads (`rows[i]` read vs `x[k] = …` written, a subclass declared in a function,
    // a top-level subclass, `db['host'] = …`), and bodies whose mentions the lexer misread
    // (`n! / f(…)`, JSX in a .js file). u*/t*/v*/w*: the first-slice audits' service files —
    // among them `obj.settings = …` replacing a member with no body of its own (w01, v31) and
    // `import.meta` in a script, which TypeScript's incremental parse can lose (w03).
    const dirs = ['incremental-cases', 'first-slice'].map((d) => path.resolve(__dirname, '../../../test/unit', d));
    let edits = 0;
    let sliced = 0;
    for (const dir of dirs) {
      for (const name of fs.readdirSync(dir).sort()) {
        if (!/\.(?:[cm]?[tj]sx?)$/.test(name)) continue;
        const rel = `src/${name}`;
        const text = fs.readFileSync(path.join(dir, name), 'utf8');
        const state = analyzeText(rel, text, DEFAULT_SETTINGS, { incremental: {}, fullParse: true }).incremental?.state;
        if (!state) continue;
        for (const u of state.units) {
          const insert = (at: number, s: string): string => text.slice(0, at) + s + text.slice(at);
          const number = /\b\d+\b/.exec(text.slice(u.start, u.end));
          const variants = [insert(u.start, '\n    // an edit\n'), insert(u.end, ' ')];
          if (u.name !== undefined) variants.push(insert(u.start, ' void 0;'));
          if (number) variants.push(text.slice(0, u.start + number.index) + String(Number(number[0]) + 1) + text.slice(u.start + number.index + number[0].length));
          for (const next of variants) {
            const inc = analyzeText(rel, next, DEFAULT_SETTINGS, { incremental: { previous: state } });
            const full = analyzeText(rel, next, DEFAULT_SETTINGS, { fullParse: true });
            assert.deepEqual(comparable(inc), comparable(full), `${name}: edit in the body at ${u.start}:\n${diffHint(text, next)}`);
            edits++;
            if (inc.incremental?.blanked !== undefined) sliced++;
          }
        }
      }
    }
    assert.ok(edits > 500 && sliced > edits * 0.5, `${edits} edits, ${sliced} sliced`);
  });

  it('agrees with a full analysis on random edit chains: fixtures, generated services, cross-function cases', () => {
    const stats: Stats = { edits: 0, sliced: 0, fallbacks: 0 };
    const base = SCALE === 1 ? 0 : 7919;
    let seed = 1 + base;
    for (const f of codeFixtures()) chain(f.rel, f.text, f.kind, 12 * SCALE, seed++, stats);
    chain('store/db.go', CROSS_GO, 'go', 150 * SCALE, 101 + base, stats);
    chain('src/db.ts', CROSS_TS, 'ts', 150 * SCALE, 102 + base, stats);
    for (let k = 0; k < 3; k++) {
      chain(`svc${k}/service.go`, corpus.goFile(corpus.prng(200 + k), 'orders', 12000, true), 'go', 40 * SCALE, 300 + k + base, stats);
      chain(`svc${k}/service.ts`, corpus.tsFile(corpus.prng(400 + k), 12000, true), 'ts', 40 * SCALE, 500 + k + base, stats);
    }
    assert.ok(stats.edits > 800, JSON.stringify(stats));
    // Not vacuous: most edits take the sliced path.
    assert.ok(stats.sliced > stats.edits * 0.4, JSON.stringify(stats));
  });
});
