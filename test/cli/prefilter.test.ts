/**
 * The CLI's byte-level prefilter (cli/prefilter.ts, cli/bytedfa.ts, cli/read.ts) and the
 * code caches (cli/code-cache.ts) are speed only: a file's outcome must be the one
 * the engine gives on the decoded text, and a scan's output must not depend on the cache (nor
 * may a changed script ever run with the cache of its former content).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CANDIDATE_PATTERN } from '../../server/src/engine/scan';
import { DEFAULT_SETTINGS } from '../../server/src/engine/settings';
import { ByteDfa, dfaFor, restoreDfa, runDfa, searchDfa, SerializedDfa, serializeDfa } from '../../server/src/cli/bytedfa';
import { candidateByteDfa, serializedCandidateDfa } from '../../server/src/cli/prefilter';
import { analyzeSource, processFile } from '../../server/src/cli/scan';
import { PlannedFile } from '../../server/src/cli/plan';
import { decodeSource, readSource, readSourceBytes } from '../../server/src/cli/source';
import { connguard, removeTree, tempTree } from './helpers';
import { RACY_MS, scriptKey } from '../../server/src/cli/code-cache';
import { spawnSync } from 'node:child_process';
import Module from 'node:module';
import * as vm from 'node:vm';

/** A small deterministic generator (tests must not depend on Math.random). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Random ASCII text built from pieces near the pattern's tokens (whole, cut, re-cased). */
function sample(next: () => number, pieces: readonly string[]): string {
  let out = '';
  const n = Math.floor(next() * 12);
  for (let i = 0; i < n; i++) {
    let p = pieces[Math.floor(next() * pieces.length)];
    const r = next();
    if (r < 0.3) p = p.slice(0, Math.max(1, Math.floor(next() * p.length)));
    else if (r < 0.5) p = p.slice(Math.floor(next() * p.length));
    if (next() < 0.4) p = [...p].map((c) => (next() < 0.5 ? c.toUpperCase() : c.toLowerCase())).join('');
    out += p;
  }
  return out;
}

const TOKENS = CANDIDATE_PATTERN.source.split('|').map((t) => t.replace(/\\s\*/g, '').replace(/\\/g, '').replace(/\[['"`]+\]/g, "'"));
const FILLER = [' ', '\t', '\n', '\r\n', '\v', '\f', '=', '  =', "'", '"', '`', '(', 'x', 'e', 'a', 's', 'p', 'g', 'q', 'l', '-', '_', 'srv', 'serve', 'data  source'];

describe('cli: byte-level prefilter', () => {
  it('compiles the engine CANDIDATE_PATTERN (else every file would take the slow path)', () => {
    assert.ok(candidateByteDfa(), `cli/bytedfa.ts cannot compile ${CANDIDATE_PATTERN.source}`);
  });

  it('agrees with CANDIDATE_PATTERN on 20,000 generated ASCII texts', () => {
    const dfa = candidateByteDfa()!;
    const next = rng(7);
    let matches = 0;
    for (let i = 0; i < 20000; i++) {
      const text = sample(next, [...TOKENS, ...FILLER]);
      const end = runDfa(dfa, Buffer.from(text, 'latin1'));
      const expected = CANDIDATE_PATTERN.test(text);
      if (expected) matches++;
      assert.equal(end === dfa.accept, expected, JSON.stringify(text));
      assert.notEqual(end, dfa.bail, JSON.stringify(text));
    }
    assert.ok(matches > 2000 && matches < 18000, `a useful mix of matches: ${matches}`);
  });

  it('bails out on NUL and non-ASCII bytes (the engine decides those files)', () => {
    const dfa = candidateByteDfa()!;
    assert.equal(runDfa(dfa, Buffer.from('abc\0def')), dfa.bail);
    assert.equal(runDfa(dfa, Buffer.from('server\u00a0= x')), dfa.bail); // NBSP: \s in the regex
    assert.equal(runDfa(dfa, Buffer.from('caf\u00e9')), dfa.bail);
    assert.equal(runDfa(dfa, Buffer.from('password \u00e9')), dfa.accept); // a match first
  });

  it('searches large files in four interleaved streams with the answer of one (matches and bail bytes across the quarter boundaries)', () => {
    // searchDfa splits at n/4, n/2, 3n/4: a match (or a long `server   =`) that begins before
    // a boundary and ends after it is found only by the stream running on past its quarter.
    const dfa = candidateByteDfa()!;
    const next = rng(23);
    const classOf = (s: number): string => (s === dfa.accept || s === dfa.bail ? 'match-or-bail' : 'none');
    const filler = (len: number): string => {
      let out = '';
      while (out.length < len) out += sample(next, FILLER).replace(/[a-z]/gi, (c) => (next() < 0.5 ? c : '.'));
      return out.slice(0, len);
    };
    const plants = ['server' + ' '.repeat(40) + '=', 'PASSW', 'data source', "'pg'", 'sslmode', '\0', '\u00e9'];
    let found = 0;
    let none = 0;
    for (let i = 0; i < 3000; i++) {
      const n = 1024 + Math.floor(next() * 4000);
      let text = filler(n);
      // Scrub chance matches of the filler, then plant up to two tokens near a boundary.
      while (CANDIDATE_PATTERN.test(text)) text = text.replace(CANDIDATE_PATTERN, (m) => '.'.repeat(m.length));
      for (let k = Math.floor(next() * 3); k > 0; k--) {
        const plant = plants[Math.floor(next() * plants.length)];
        const boundary = Math.floor(n / 4) * (1 + Math.floor(next() * 3));
        const at = Math.max(0, Math.min(n - plant.length, boundary - Math.floor(next() * (plant.length + 2))));
        text = text.slice(0, at) + plant + text.slice(at + plant.length);
      }
      const bytes = Buffer.from(text, 'utf8');
      const expected = classOf(runDfa(dfa, bytes));
      assert.equal(classOf(searchDfa(dfa, bytes)), expected, JSON.stringify(text.slice(0, 80)));
      if (expected === 'none') none++;
      else found++;
    }
    assert.ok(found > 1000 && none > 500, `both answers exercised: ${found} found, ${none} none`);
    // Short inputs take the single stream.
    assert.equal(searchDfa(dfa, Buffer.from('passwd')), dfa.accept);
  });

  it('compiles other simple patterns exactly, and refuses what it does not know', () => {
    const next = rng(11);
    for (const re of [/ab\s*c|x[yz]q|\(d\)/i, /Ab|cD/, /a\s*=|=b*c/gi]) {
      const dfa = dfaFor(re)!;
      assert.ok(dfa, re.source);
      for (let i = 0; i < 3000; i++) {
        const text = sample(next, ['a', 'A', 'b', 'B', 'c', 'C', 'd', 'D', 'x', 'y', 'z', 'q', 'Q', '(', ')', ' ', '\t', '=', 'bb']);
        assert.equal(runDfa(dfa, Buffer.from(text, 'latin1')) === dfa.accept, new RegExp(re.source, re.flags.replace('g', '')).test(text), `${re} on ${JSON.stringify(text)}`);
      }
    }
    for (const re of [/a+/, /(a)/, /a/u, /[a-z]/, /^a/, /a|/, /a.b/, /a?/, /\d/, /[^a]/, /a*/, /a{2}/, /\u00e9/]) assert.equal(dfaFor(re), undefined, String(re));
  });
});

describe('cli: prebuilt prefilter DFA (esbuild.js embeds it in the bundles)', () => {
  const same = (a: ByteDfa | undefined, b: ByteDfa | undefined): boolean =>
    a !== undefined && b !== undefined && a.start === b.start && a.accept === b.accept && a.bail === b.bail &&
    a.table.constructor === b.table.constructor && Buffer.from(a.table.buffer, a.table.byteOffset, a.table.byteLength).equals(Buffer.from(b.table.buffer, b.table.byteOffset, b.table.byteLength));

  it('restores exactly the DFA dfaFor builds, through JSON (as the bundles carry it)', () => {
    for (const re of [CANDIDATE_PATTERN, /ab\s*c|x[yz]q|\(d\)/i, /Ab|cD/, /a\s*=|=b*c/gi]) {
      const data = serializeDfa(re, dfaFor(re)!);
      assert.ok(data, String(re));
      assert.ok(same(restoreDfa(JSON.parse(JSON.stringify(data)), re), dfaFor(re)), String(re));
    }
    assert.ok(same(restoreDfa(serializedCandidateDfa(), CANDIDATE_PATTERN), candidateByteDfa()));
  });

  it('refuses data of another pattern, other flags, or not well formed (the DFA is then built)', () => {
    const data = serializedCandidateDfa()!;
    const rows = Buffer.from(data.rows, 'base64');
    const withRows = (f: (b: Buffer) => Buffer): SerializedDfa => ({ ...data, rows: f(Buffer.from(rows)).toString('base64') });
    const bad: [string, unknown][] = [
      ['another pattern', { ...data, source: data.source.replace('|passw|', '|passwd|') }],
      ['other flags', { ...data, flags: '' }],
      ['no data', undefined],
      ['not an object', JSON.stringify(data)],
      ['truncated rows', withRows((b) => b.subarray(0, b.length - 1))],
      ['a state that does not exist', withRows((b) => ((b[3 * 128 + 65] = data.states), b))],
      ['accept does not absorb', withRows((b) => ((b[0 * 128 + 65] = 2), b))],
      ['NUL does not bail', withRows((b) => ((b[2 * 128] = 2), b))],
      ['state count', { ...data, states: data.states + 1 }],
      ['state count type', { ...data, states: String(data.states) }],
    ];
    assert.notEqual((bad[0][1] as SerializedDfa).source, data.source);
    for (const [what, d] of bad) assert.equal(restoreDfa(d, CANDIDATE_PATTERN), undefined, what);
    // A DFA of more than 256 states is not serialized (the bundles build it at run time).
    const wide: ByteDfa = { table: new Uint16Array(300 * 256), start: 2, accept: 0, bail: 1 };
    assert.equal(serializeDfa(/x/, wide), undefined);
  });

  it('the built bundles carry the DFA of the current CANDIDATE_PATTERN (else: npm run build)', () => {
    const rows = serializedCandidateDfa()!.rows;
    for (const bundle of ['reader-worker.js', 'cli.js']) {
      const text = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'dist', bundle), 'utf8');
      assert.ok(text.includes(rows), `dist/${bundle} has no prebuilt DFA of the current pattern`);
    }
  });
});

describe('cli: reading with the prefilter gives the engine outcome', () => {
  let dir: string;
  const files: Record<string, string | Buffer> = {
    'plain.ts': 'export const x = 1;\n',
    'cand.ts': "import { Pool } from 'pg';\nexport const p = new Pool({ connectionString: 'postgres://a@db.example.com/x?sslmode=disable' });\n",
    'nbsp.env': 'SERVER\u00a0= db.example.com\n',
    'accent.yaml': 'name: caf\u00e9\n',
    'bom.json': '\ufeff{"a": 1}\n',
    'invalid.ts': Buffer.concat([Buffer.from('const a = "'), Buffer.from([0xff, 0xfe]), Buffer.from('";\n')]),
    'invalid-cand.env': Buffer.concat([Buffer.from('PASSWORD='), Buffer.from([0xc3]), Buffer.from('\n')]),
    'late-nul.go': `package x\n// ${'y'.repeat(9000)}\u0000\n`,
    'early-nul.go': 'package x\u0000\n',
    'server.env': 'server =db.example.com\n',
  };
  before(() => {
    dir = tempTree(files);
  });
  after(() => removeTree(dir));

  it('processFile equals the engine on the decoded text, file by file', () => {
    for (const name of Object.keys(files)) {
      const f: PlannedFile = { abs: path.join(dir, name), rel: name, settings: DEFAULT_SETTINGS };
      const src = readSource(f.abs, DEFAULT_SETTINGS.maxFileBytes);
      const expected = src.kind === 'text' ? analyzeSource(f, src, false, {}) : { result: { path: name, findings: [], notes: [src.note] }, fixed: false };
      // JSON: `text: undefined` (analyzeSource) and no `text` (an outcome from reading) are the same outcome.
      assert.deepEqual(JSON.parse(JSON.stringify(processFile(f, false, {}))), JSON.parse(JSON.stringify(expected)), name);
    }
    assert.equal(decodeSource(fs.readFileSync(path.join(dir, 'bom.json'))).bom, true);
  });
});

describe('cli: reading into the scratch buffer', () => {
  it('reads files around the buffer size whole, and skips a file over the limit with its size', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-read-'));
    try {
      const scratch = { buf: Buffer.allocUnsafe(16) };
      const limit = 100;
      for (const size of [0, 1, 15, 16, 17, 40, 99, 100]) {
        const bytes = Buffer.from(Array.from({ length: size }, (_, i) => 97 + (i % 26)));
        const f = path.join(dir, `f${size}.ts`);
        fs.writeFileSync(f, bytes);
        const r = readSourceBytes(f, limit, scratch);
        assert.equal(r.kind, 'bytes', `size ${size}`);
        if (r.kind === 'bytes') assert.ok(r.bytes.equals(bytes), `size ${size}`);
      }
      for (const [size, buf] of [[101, 16], [101, 4096], [5000, 16]] as const) {
        const f = path.join(dir, `big${size}.ts`);
        fs.writeFileSync(f, Buffer.alloc(size, 97));
        const r = readSourceBytes(f, limit, { buf: Buffer.allocUnsafe(buf) });
        assert.equal(r.kind, 'skipped');
        if (r.kind === 'skipped') assert.equal(r.note.message, `skipped: ${size} bytes is above the ${limit}-byte limit (maxFileBytes)`);
      }
      // The scratch path and the plain path agree.
      const f = path.join(dir, 'f40.ts');
      const plain = readSourceBytes(f, limit);
      const viaScratch = readSourceBytes(f, limit, { buf: Buffer.allocUnsafe(8) });
      assert.ok(plain.kind === 'bytes' && viaScratch.kind === 'bytes' && plain.bytes.equals(viaScratch.bytes));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('cli: TypeScript code cache', () => {
  let dir: string;
  let cache: string;
  before(() => {
    dir = tempTree({
      'src/db.ts': "import { Pool } from 'pg';\nexport const p = new Pool({ connectionString: 'postgres://a@db.example.com/x?sslmode=disable' });\n",
    });
    cache = fs.mkdtempSync(path.join(os.tmpdir(), 'connguard-cache-'));
  });
  after(() => {
    removeTree(dir);
    fs.rmSync(cache, { recursive: true, force: true });
  });

  const cacheFiles = (): string[] => {
    try {
      return fs.readdirSync(path.join(cache, 'connguard')).filter((n) => n.endsWith('.v8cache'));
    } catch {
      return [];
    }
  };

  it('writes a private cache once, and the output is the same with, without and with a broken cache', function () {
    if (process.platform === 'win32') this.skip();
    const env = { XDG_CACHE_HOME: cache };
    const none = connguard(['scan', '.', '--format', 'json'], dir, { CONNGUARD_NO_CACHE: '1', XDG_CACHE_HOME: cache });
    assert.deepEqual(cacheFiles(), [], 'CONNGUARD_NO_CACHE=1 writes nothing');
    const first = connguard(['scan', '.', '--format', 'json'], dir, env);
    const written = cacheFiles().sort();
    // One for the CLI bundle (loaded through the cache by bin/connguard.js), one for the compiler.
    assert.deepEqual(written.map((n) => n.replace(/-.*$/, '')), ['connguard', 'typescript'], written.join(', '));
    const files = written.map((n) => path.join(cache, 'connguard', n));
    for (const file of files) assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.equal(fs.statSync(path.dirname(files[0])).mode & 0o077, 0);
    const mtimes = files.map((f) => fs.statSync(f).mtimeMs);
    const second = connguard(['scan', '.', '--format', 'json'], dir, env);
    assert.deepEqual(files.map((f) => fs.statSync(f).mtimeMs), mtimes, 'a fresh, accepted cache is not rewritten');
    for (const file of files) fs.writeFileSync(file, 'not a code cache');
    const broken = connguard(['scan', '.', '--format', 'json'], dir, env);
    for (const file of files) assert.notEqual(fs.readFileSync(file, 'utf8'), 'not a code cache', `a rejected cache is rewritten: ${file}`);
    for (const r of [first, second, broken]) {
      assert.equal(r.code, none.code, r.stderr);
      assert.equal(r.stdout, none.stdout);
    }
  });

  it('keys a script by its stat (device, inode, size, mtime, ctime): a changed script never runs with a stale cache', function () {
    if (process.platform === 'win32') this.skip();
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'connguard-key-'));
    try {
      const script = path.join(work, 'probe.js');
      const xdg = path.join(work, 'cache');
      const codeCache = path.join(__dirname, '..', '..', 'server', 'src', 'cli', 'code-cache.js');
      // A fresh process per load (the module keeps what it loaded); `skewMs` moves its clock
      // past the racy window instead of waiting for it.
      const load = (skewMs: number): { loaded: boolean; value: string } => {
        const program = `const c = require(${JSON.stringify(codeCache)});
          const loaded = c.loadThroughCache(${JSON.stringify(script)}, 'probe', '1', { XDG_CACHE_HOME: ${JSON.stringify(xdg)} }, () => Date.now() + ${skewMs});
          const value = require(${JSON.stringify(script)});
          c.saveCodeCaches();
          process.stdout.write(JSON.stringify({ loaded, value }));`;
        const r = spawnSync(process.execPath, ['-e', program], { encoding: 'utf8' });
        assert.equal(r.status, 0, r.stderr);
        return JSON.parse(r.stdout) as { loaded: boolean; value: string };
      };
      const caches = (): string[] => {
        try {
          return fs.readdirSync(path.join(xdg, 'connguard')).filter((n) => n.endsWith('.v8cache')).sort();
        } catch {
          return [];
        }
      };
      const later = 2 * RACY_MS;
      // Big enough for V8 to keep the code of its functions in the cache.
      const source = (v: string): string => `function value() { return ${JSON.stringify(v)}; }\n${'// padding\n'.repeat(200)}module.exports = value();\n`;

      fs.writeFileSync(script, source('AAAA'));
      assert.deepEqual(load(0), { loaded: false, value: 'AAAA' }, 'a script changed just now is not cached');
      assert.deepEqual(caches(), []);
      assert.deepEqual(load(later), { loaded: true, value: 'AAAA' });
      const [first] = caches();
      assert.ok(first?.startsWith('probe-1-'), caches().join(', '));
      assert.deepEqual(load(later), { loaded: true, value: 'AAAA' }, 'through the cache');

      // Why the key matters: V8 takes the cache of A for B of the same length (it checks the length).
      const data = fs.readFileSync(path.join(xdg, 'connguard', first));
      const stale = new vm.Script(Module.wrap(source('BBBB')), { filename: script, cachedData: data });
      if (!stale.cachedDataRejected) {
        const m = { exports: {} as unknown };
        (stale.runInThisContext() as (...a: unknown[]) => void)(m.exports, require, m, script, work);
        assert.equal(m.exports, 'AAAA', 'V8 ran the stale bytecode');
      }

      // Same inode, same size, mtime put back: the ctime still tells the new content.
      const { atime, mtime } = fs.statSync(script);
      fs.writeFileSync(script, source('BBBB'));
      fs.utimesSync(script, atime, mtime);
      assert.deepEqual(load(later), { loaded: true, value: 'BBBB' });
      assert.equal(caches().length, 2, 'a new key, a new cache');
      // Replaced by rename (a new inode), same size.
      fs.writeFileSync(`${script}.new`, source('CCCC'));
      fs.renameSync(`${script}.new`, script);
      assert.deepEqual(load(later), { loaded: true, value: 'CCCC' });
      assert.deepEqual(load(later), { loaded: true, value: 'CCCC' });
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });

  it('derives no key while a script changes, from a recent change, or without a ctime', () => {
    const st = (o: Partial<Record<'dev' | 'ino' | 'size' | 'mtimeNs' | 'ctimeNs', bigint>> = {}): fs.BigIntStats =>
      ({ dev: 1n, ino: 2n, size: 3n, mtimeNs: 1_000_000_000_000n, ctimeNs: 1_000_000_000_000n, ...o }) as fs.BigIntStats;
    const ctimeMs = 1_000_000;
    const key = scriptKey(st(), st(), ctimeMs + RACY_MS);
    assert.match(key ?? '', /^[0-9a-f]{16}$/);
    for (const field of ['dev', 'ino', 'size', 'mtimeNs', 'ctimeNs'] as const) {
      const other = st({ [field]: st()[field] + 1n });
      assert.notEqual(scriptKey(other, other, ctimeMs + RACY_MS), key, field);
      assert.equal(scriptKey(st(), other, ctimeMs + RACY_MS), undefined, `${field} changed while reading`);
    }
    assert.equal(scriptKey(st(), st(), ctimeMs + RACY_MS - 1), undefined, 'changed within the racy window');
    assert.equal(scriptKey(st(), st(), ctimeMs - 5000), undefined, 'ctime in the future');
    assert.equal(scriptKey(st({ ctimeNs: 0n }), st({ ctimeNs: 0n }), ctimeMs), undefined, 'no ctime');
  });

  it('does not use a cache directory that others can write to', function () {
    if (process.platform === 'win32') this.skip();
    const open = fs.mkdtempSync(path.join(os.tmpdir(), 'connguard-open-'));
    try {
      fs.mkdirSync(path.join(open, 'connguard'), { mode: 0o777 });
      fs.chmodSync(path.join(open, 'connguard'), 0o777);
      const r = connguard(['scan', '.', '--format', 'json'], dir, { XDG_CACHE_HOME: open });
      assert.equal(r.code, 1, r.stderr);
      assert.deepEqual(fs.readdirSync(path.join(open, 'connguard')), []);
    } finally {
      fs.rmSync(open, { recursive: true, force: true });
    }
  });
});
