/**
 * TS/JS evaluator: values followed into this file's functions — a parameter bound by the
 * function's one call (or, for a function called several times, one site per call), a local function's / `this.m()` method's / object method's return value —
 * and the cases that must stay unknown (several calls, a spread, recursion, a function passed
 * around as a value). Offsets are found by substring in the test source.
 */
import * as assert from 'node:assert/strict';
import { HOLE, SrcString } from '../../server/src/engine/srcstring';
import { extractTs } from '../../server/src/engine/extract/typescript';
import { at } from '../support/ranges';
import { ConnectionSite, Observation, Val, propVal } from '../../server/src/engine/extract/values';

const DSN = 'postgres://app@orders.cluster-abc.us-east-1.rds.amazonaws.com/app?sslmode=disable';

function sites(code: string): ConnectionSite[] {
  const r = extractTs(code, 'src/db.ts');
  assert.deepEqual(r.errors, []);
  return r.sites;
}

function oneSite(code: string): ConnectionSite {
  const s = sites(code);
  assert.equal(s.length, 1, `expected one site, got ${s.length}`);
  return s[0];
}

/** Resolved text with holes shown as «?». */
function shown(s: SrcString | undefined): string | undefined {
  return s?.text.split(HOLE).join('«?»');
}

/** The source range of `word` (its first occurrence) in a DSN's resolved text. */
function rangeIn(s: SrcString, word: string): { start: number; end: number } | undefined {
  const i = s.text.indexOf(word);
  return s.rangeOf(i, i + word.length);
}

function dsnText(site: ConnectionSite): string | undefined {
  return shown(site.dsn?.s);
}

function unknownDsn(site: ConnectionSite): void {
  // Not bound: the connection string is a hole (or absent), never some call's argument.
  const t = dsnText(site);
  assert.ok(t === undefined || t === '«?»', `expected an unknown DSN, got ${t}`);
  assert.equal(site.envName, undefined);
}

function secrets(code: string): Extract<Observation, { kind: 'secret-literal' }>[] {
  return extractTs(code, 'src/db.ts').observations.filter((o): o is Extract<Observation, { kind: 'secret-literal' }> => o.kind === 'secret-literal');
}

describe('extractTs: values followed into functions', () => {
  describe('a parameter is the argument of the one call', () => {
    it('a parameter assigned in the function is not the argument (=, +=, ??=, destructuring, for…of)', () => {
      for (const body of ['url = process.env.DB_URL!;', "url += '&sslmode=verify-full';", "url ??= 'x';", '[url] = [process.env.DB_URL!];', 'for (url of list) break;']) {
        const code = `import { Pool } from 'pg';
declare const list: string[];
function makePool(url: string) { ${body} return new Pool({ connectionString: url }); }
export const p = makePool('${DSN}');
`;
        unknownDsn(oneSite(code));
      }
    });

    it('a let assigned anywhere in the file is not its initializer; the assignment is evidence for incremental analysis', () => {
      const code = `import { Pool } from 'pg';
let url = '${DSN}';
export function configure() { url = process.env.DB_URL!; }
export const p = new Pool({ connectionString: url });
`;
      unknownDsn(oneSite(code));
      const ex = extractTs(code, 'src/db.ts');
      assert.deepEqual(ex.evidence, [at(code, 'url', 1)]);
    });

    it('a computed member access elsewhere in the file does not stop a function\'s parameter from binding', () => {
      const code = `import { Pool } from 'pg';
const shards = ['a', 'b']; const i = 1; export const shard = shards[i];
function makePool(url: string) { return new Pool({ connectionString: url }); }
export const p = makePool('${DSN}');
`;
      assert.equal(dsnText(oneSite(code)), DSN);
    });

    it('string literal: the DSN is the call-site literal, with its ranges', () => {
      const code = `import { Pool } from 'pg';
function makePool(url: string) { return new Pool({ connectionString: url }); }
export const p = makePool('${DSN}');
`;
      const site = oneSite(code);
      assert.equal(dsnText(site), DSN);
      assert.deepEqual(site.dsn?.range, at(code, `'${DSN}'`));
      assert.equal(site.dsn?.appendable, true);
      assert.deepEqual(rangeIn(site.dsn!.s, 'disable'), at(code, 'disable'));
    });

    it('template literal at the call site keeps its pieces; a hole stays a hole', () => {
      const code = `import { Pool } from 'pg';
const makePool = (host: string, db: string) => new Pool({ connectionString: \`postgres://app@\${host}/\${db}?sslmode=disable\` });
export const p = makePool(process.env.PGHOST!, \`orders-\${region}\`);
`;
      const site = oneSite(code);
      assert.equal(dsnText(site), 'postgres://app@«?»/orders-«?»?sslmode=disable');
      assert.deepEqual(rangeIn(site.dsn!.s, 'orders-'), at(code, 'orders-'));
      assert.deepEqual(rangeIn(site.dsn!.s, '?sslmode=disable'), at(code, '?sslmode=disable'));
    });

    it('env read: the site reads the env variable (an env consumer)', () => {
      const code = `import pg from 'pg';
export function createDb(connectionString: string) { const pool = new pg.Pool({ connectionString }); return drizzle(pool); }
createDb(process.env.DATABASE_URL!);
`;
      const site = oneSite(code);
      assert.equal(site.envName, 'DATABASE_URL');
      assert.match(site.note ?? '', /DATABASE_URL/);
      assert.deepEqual(site.dsn?.range, at(code, 'process.env.DATABASE_URL'));
    });

    it('a call inside another function binds too, and through a second helper', () => {
      const code = `import { Pool } from 'pg';
function makePool(url: string) { return new Pool({ connectionString: url }); }
function wrap(u: string) { return makePool(u); }
export function main() { return wrap('${DSN}'); }
`;
      const site = oneSite(code);
      assert.equal(dsnText(site), DSN);
      assert.deepEqual(site.dsn?.range, at(code, `'${DSN}'`));
    });

    it('default parameter: used when the one call leaves the argument out', () => {
      const code = `import { Pool } from 'pg';
function makePool(url = '${DSN}', max = 5) { return new Pool({ connectionString: url, max }); }
export const p = makePool(undefined, 10);
`;
      const site = oneSite(code);
      assert.equal(dsnText(site), DSN);
      assert.deepEqual(site.dsn?.range, at(code, `'${DSN}'`));
      assert.deepEqual(propVal(site.options, 'max'), { k: 'num', n: 10, range: at(code, '10') });
    });

    it('an absent argument without a default is undefined (a `??` fallback applies)', () => {
      const code = `import { Pool } from 'pg';
function makePool(url?: string) { return new Pool({ connectionString: url ?? '${DSN}' }); }
export const p = makePool();
`;
      assert.equal(dsnText(oneSite(code)), DSN);
    });

    it('destructured parameter reads the argument object', () => {
      const code = `import { Pool } from 'pg';
function makePool({ url, ssl = true }: { url: string; ssl?: boolean }) { return new Pool({ connectionString: url, ssl }); }
export const p = makePool({ url: '${DSN}' });
`;
      const site = oneSite(code);
      assert.equal(dsnText(site), DSN);
      assert.deepEqual(propVal(site.options, 'ssl'), { k: 'bool', b: true, range: at(code, 'true') });
    });

    it('IIFE: the call where the function is written', () => {
      const code = `import { Pool } from 'pg';
export const p = ((url: string) => new Pool({ connectionString: url }))('${DSN}');
`;
      assert.equal(dsnText(oneSite(code)), DSN);
    });

    it('exported function: an export is not a use as a value', () => {
      const code = `import { Pool } from 'pg';
function makePool(url: string) { return new Pool({ connectionString: url }); }
export default makePool;
export type MakePool = typeof makePool;
makePool('${DSN}');
`;
      assert.equal(dsnText(oneSite(code)), DSN);
    });

    it('CommonJS export is not a use as a value', () => {
      const code = `const { Pool } = require('pg');
function makePool(url) { return new Pool({ connectionString: url }); }
makePool('${DSN}');
module.exports = { makePool };
`;
      assert.equal(dsnText(oneSite(code)), DSN);
    });

    it('a literal password passed by the caller is a secret at the call site', () => {
      const code = `import { Pool } from 'pg';
function makePool(password: string) { return new Pool({ host: 'db.internal', password }); }
export const p = makePool('sup3r-s3cret-value');
`;
      const s = secrets(code);
      assert.equal(s.length, 1);
      assert.deepEqual(s[0].valueRange, at(code, `'sup3r-s3cret-value'`));
    });
  });

  describe('several calls: one site per call, each under its own arguments', () => {
    const OTHER = 'postgres://app@reports.cluster-abc.us-east-1.rds.amazonaws.com/app?sslmode=verify-full';

    it('two calls: two sites at the helper\'s call, each DSN the literal at its own call', () => {
      const code = `import { Pool } from 'pg';
function makePool(url: string) { return new Pool({ connectionString: url }); }
export const a = makePool('${DSN}');
export const b = makePool('${OTHER}');
`;
      const s = sites(code);
      assert.equal(s.length, 2);
      for (const site of s) assert.deepEqual(site.anchor, at(code, 'new Pool({ connectionString: url })'));
      assert.deepEqual(s.map(dsnText), [DSN, OTHER]);
      assert.deepEqual(s.map((x) => x.dsn?.range), [at(code, `'${DSN}'`), at(code, `'${OTHER}'`)]);
      assert.deepEqual(rangeIn(s[0].dsn!.s, 'disable'), at(code, 'disable'));
      assert.deepEqual(s.map((x) => x.dsn?.appendable), [true, true]);
    });

    it('three calls of an arrow with two parameters: each call\'s arguments, with their ranges', () => {
      const code = `import { Pool } from 'pg';
const regionPool = (host: string, ssl: boolean) => new Pool({ host, ssl, max: 5 });
export const eu = regionPool('eu.db.internal', true);
export const us = regionPool('us.db.internal', false);
export const ap = regionPool('ap.db.internal', true);
`;
      const s = sites(code);
      assert.equal(s.length, 3);
      const host = (x: ConnectionSite): unknown => {
        const v = propVal(x.options, 'host');
        return v?.k === 'str' ? [v.s.text, v.range] : v?.k;
      };
      assert.deepEqual(s.map(host), ['eu', 'us', 'ap'].map((r) => [`${r}.db.internal`, at(code, `'${r}.db.internal'`)]));
      assert.deepEqual(s.map((x) => propVal(x.options, 'ssl')), [
        { k: 'bool', b: true, range: at(code, 'true', 0) },
        { k: 'bool', b: false, range: at(code, 'false') },
        { k: 'bool', b: true, range: at(code, 'true', 1) },
      ]);
      // The helper's own literal is the same in every reading.
      for (const x of s) assert.deepEqual(propVal(x.options, 'max'), { k: 'num', n: 5, range: at(code, '5') });
    });

    it('env and literal: the env call is an env consumer, the literal call a DSN', () => {
      const code = `import { Pool } from 'pg';
function createPool(url: string) { return new Pool({ connectionString: url, connectionTimeoutMillis: 5000 }); }
export const main = createPool(process.env.REPORTS_DB_URL!);
export const archive = createPool('${DSN}');
`;
      const [env, lit] = sites(code);
      assert.equal(env.envName, 'REPORTS_DB_URL');
      assert.match(env.note ?? '', /REPORTS_DB_URL/);
      assert.deepEqual(env.dsn?.range, at(code, 'process.env.REPORTS_DB_URL'));
      assert.equal(lit.envName, undefined);
      assert.equal(dsnText(lit), DSN);
      assert.deepEqual(lit.dsn?.range, at(code, `'${DSN}'`));
    });

    it('a value derived inside the helper is read anew for every call (no memo shared between calls)', () => {
      const code = `import { Pool } from 'pg';
function makePool(host: string) {
  const dsn = \`postgres://app@\${host}/app?sslmode=disable\`;
  return new Pool({ connectionString: dsn });
}
export const a = makePool('a.db.internal');
export const b = makePool('b.db.internal');
`;
      const s = sites(code);
      assert.deepEqual(s.map(dsnText), ['postgres://app@a.db.internal/app?sslmode=disable', 'postgres://app@b.db.internal/app?sslmode=disable']);
      for (const x of s) assert.deepEqual(rangeIn(x.dsn!.s, 'disable'), at(code, 'disable'));
      assert.deepEqual(rangeIn(s[1].dsn!.s, 'b.db.internal'), at(code, 'b.db.internal'));
    });

    it('an unknown argument makes that call\'s site unknown; the other call is still read', () => {
      const code = `import { Pool } from 'pg';
declare function lookupUrl(): string;
function makePool(url: string) { return new Pool({ connectionString: url }); }
export const a = makePool(lookupUrl());
export const b = makePool('${DSN}');
`;
      const s = sites(code);
      assert.equal(s.length, 2);
      assert.equal(dsnText(s[0]), '«?»');
      assert.equal(s[0].envName, undefined);
      assert.equal(dsnText(s[1]), DSN);
    });

    it('identical readings collapse: equal arguments, or arguments the site does not use', () => {
      const code = `import { Pool } from 'pg';
const URL = '${DSN}';
function makePool(url: string, label: string) { console.log(label); return new Pool({ connectionString: url }); }
export const a = makePool(URL, 'a');
export const b = makePool(URL, 'b');
`;
      const site = oneSite(code);
      assert.equal(dsnText(site), DSN);
      const unused = `import { Pool } from 'pg';
function makePool(label: string) { console.log(label); return new Pool({ connectionString: '${DSN}' }); }
export const a = makePool('a');
export const b = makePool('b');
`;
      assert.equal(dsnText(oneSite(unused)), DSN);
    });

    it('one level: an argument that is the parameter of another several-times-called function stays unknown', () => {
      const code = `import { Pool } from 'pg';
function makePool(url: string) { return new Pool({ connectionString: url }); }
function wrap(u: string) { return makePool(u); }
export const a = makePool('${DSN}');
export const b = wrap('${DSN}');
export const c = wrap('${OTHER}');
`;
      const s = sites(code);
      // In source order of the calls: `makePool(u)` in wrap comes first.
      assert.deepEqual(s.map(dsnText), ['«?»', DSN]);
    });

    it('more calls than the cap (8), a spread argument, or a use as a value: one unknown site', () => {
      const calls = Array.from({ length: 9 }, (_, i) => `export const p${i} = makePool('${DSN}');`).join('\n');
      for (const extra of [calls, `export const a = makePool('${DSN}');\nexport const b = makePool(...args);`, `export const a = makePool('${DSN}');\nexport const b = makePool('${OTHER}');\napp.use(makePool);`]) {
        const code = `import { Pool } from 'pg';
declare const args: [string];
function makePool(url: string) { return new Pool({ connectionString: url }); }
${extra}
`;
        unknownDsn(oneSite(code));
      }
    });

    it('the helper stays recorded as a parameter read (incremental analysis keeps its callers)', () => {
      const code = `import { Pool } from 'pg';
function makePool(url: string) { return new Pool({ connectionString: url }); }
export const a = makePool('${DSN}');
export const b = makePool('${OTHER}');
`;
      const helper = 'function makePool(url: string) { return new Pool({ connectionString: url }); }';
      assert.deepEqual(extractTs(code, 'src/db.ts').paramReads, [at(code, helper)]);
    });

    it('a secret passed by two callers is a secret at each call', () => {
      const code = `import { Pool } from 'pg';
function makePool(password: string) { return new Pool({ host: 'db.internal', password }); }
export const a = makePool('sup3r-s3cret-value');
export const b = makePool('an0ther-s3cret-value');
`;
      assert.deepEqual(secrets(code).map((o) => o.valueRange), [at(code, `'sup3r-s3cret-value'`), at(code, `'an0ther-s3cret-value'`)]);
    });
  });

  describe('a parameter stays unknown', () => {
    it('no call in the file (only exported): a default is not assumed', () => {
      const code = `import { Pool } from 'pg';
export function makePool(url = '${DSN}') { return new Pool({ connectionString: url }); }
`;
      unknownDsn(oneSite(code));
    });

    it('a spread argument', () => {
      const code = `import { Pool } from 'pg';
function makePool(url: string) { return new Pool({ connectionString: url }); }
const args = ['${DSN}'] as const;
export const p = makePool(...args);
`;
      unknownDsn(oneSite(code));
    });

    it('the function passed as a value', () => {
      const code = `import { Pool } from 'pg';
function makePool(url: string) { return new Pool({ connectionString: url }); }
app.use(makePool);
export const p = makePool('${DSN}');
`;
      unknownDsn(oneSite(code));
    });

    it('an arrow function reassigned', () => {
      const code = `import { Pool } from 'pg';
let makePool = (url: string) => new Pool({ connectionString: url });
makePool = other;
export const p = makePool('${DSN}');
`;
      unknownDsn(oneSite(code));
    });

    it('a same-named member of another object is not a call of the function', () => {
      const code = `import { Pool } from 'pg';
function makePool(url: string) { return new Pool({ connectionString: url }); }
export const p = factory.makePool('${DSN}');
`;
      unknownDsn(oneSite(code));
    });

    it('recursion terminates and stays unknown', () => {
      const code = `import { Pool } from 'pg';
function connect(url: string, tries: number): Pool {
  if (tries > 3) return new Pool({ connectionString: url });
  return connect(url, tries + 1);
}
function a(x: string): string { return b(x); }
function b(y: string): string { return a(y); }
export const p = new Pool({ connectionString: a('${DSN}') });
export const q = connect('${DSN}', 0);
`;
      const s = sites(code);
      assert.equal(s.length, 2);
      for (const site of s) assert.notEqual(dsnText(site), DSN);
    });

    it('self-recursive helper with a single outside call terminates', () => {
      const code = `import { Pool } from 'pg';
function dsn(n: number): string { return n > 0 ? dsn(n - 1) : '${DSN}'; }
function self(u: string): string { return self(u) + u; }
export const p = new Pool({ connectionString: dsn(3) + self('x') });
`;
      const site = oneSite(code);
      assert.notEqual(dsnText(site), DSN);
    });
  });

  describe('methods and function results', () => {
    it('this.method() in the same class: its return value', () => {
      const code = `import { Pool } from 'pg';
export class Repo {
  private url() { return '${DSN}'; }
  pool = new Pool({ connectionString: this.url() });
}
`;
      const site = oneSite(code);
      assert.equal(dsnText(site), DSN);
      assert.deepEqual(site.dsn?.range, at(code, `'${DSN}'`));
    });

    it('this.method(arg): a method\'s parameters are not bound (its calls are `.m` accesses anywhere)', () => {
      const code = `import { Pool } from 'pg';
export class Repo {
  private pool: Pool;
  constructor() { this.pool = this.open('${DSN}'); }
  private open(url: string) { return new Pool({ connectionString: url }); }
}
`;
      unknownDsn(oneSite(code));
    });

    it('this.method() overridden by a subclass in the file is not followed', () => {
      const code = `import { Pool } from 'pg';
class Base {
  url() { return '${DSN}'; }
  pool = new Pool({ connectionString: this.url() });
}
export class Prod extends Base { url() { return process.env.DATABASE_URL!; } }
`;
      unknownDsn(oneSite(code));
    });

    it('a method called from outside the class too: parameter unknown', () => {
      const code = `import { Pool } from 'pg';
export class Repo {
  open(url: string) { return new Pool({ connectionString: url }); }
  init() { return this.open('${DSN}'); }
}
new Repo().open(process.env.OTHER!);
`;
      unknownDsn(oneSite(code));
    });

    it('object-literal method: cfg.dsn()', () => {
      const code = `import { Pool } from 'pg';
const cfg = { dsn() { return '${DSN}'; }, other: 1 };
new Pool({ connectionString: cfg.dsn() });
`;
      const site = oneSite(code);
      assert.equal(dsnText(site), DSN);
      assert.deepEqual(site.dsn?.range, at(code, `'${DSN}'`));
    });

    it('object-literal arrow with a parameter: cfg.make(url) leaves the parameter unknown (a member)', () => {
      const code = `import { Pool } from 'pg';
const db = { make: (url: string) => new Pool({ connectionString: url }) };
export const p = db.make('${DSN}');
`;
      unknownDsn(oneSite(code));
    });

    it('a local function returning an env read or an object', () => {
      const code = `import { Pool } from 'pg';
function dbUrl() { return process.env.DATABASE_URL; }
const options = () => ({ connectionString: dbUrl(), ssl: false });
export const p = new Pool(options());
`;
      const site = oneSite(code);
      assert.equal(site.envName, 'DATABASE_URL');
      assert.deepEqual(propVal(site.options, 'ssl'), { k: 'bool', b: false, range: at(code, 'false') });
    });

    it('an async function result only through await', () => {
      const code = `import { Pool } from 'pg';
async function dbUrl() { return '${DSN}'; }
export async function a() { return new Pool({ connectionString: await dbUrl() }); }
export function b() { return new Pool({ connectionString: dbUrl() as unknown as string }); }
`;
      const [a, b] = sites(code);
      assert.equal(dsnText(a), DSN);
      unknownDsn(b);
    });

    it('several returns are not one value; a call we cannot see through stays a call', () => {
      const code = `import { Pool } from 'pg';
function dbUrl(prod: boolean) { if (prod) return process.env.DATABASE_URL!; return '${DSN}'; }
function token() { return signer.getAuthToken(); }
export const p = new Pool({ connectionString: dbUrl(true), password: token() });
`;
      const site = oneSite(code);
      unknownDsn(site);
      const pw: Val | undefined = propVal(site.options, 'password');
      assert.equal(pw?.k, 'call');
      assert.equal(pw?.k === 'call' && pw.callee, 'token');
    });
  });
});

describe('analyzeText: a helper called several times', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const scan = require('../../server/src/engine/scan') as typeof import('../../server/src/engine/scan');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { DEFAULT_SETTINGS } = require('../../server/src/engine/settings') as typeof import('../../server/src/engine/settings');
  before(async function () {
    this.timeout(60000);
    await scan.initEngine();
  });

  it('a finding per caller on the callers\' literals, one on the helper\'s own code; the env call is an env consumer', () => {
    const code = `import { Pool } from 'pg';
import postgres from 'postgres';
function createPool(url: string) { return new Pool({ connectionString: url }); }
export const main = createPool(process.env.REPORTS_DB_URL!);
export const archive = createPool('${DSN}');
export const audit = createPool('${DSN.replace('orders', 'audit')}');
function legacy(host: string) { return postgres(\`postgres://app@\${host}/app?sslmode=disable\`, { password: 'hunter2-legacy' }); }
export const l1 = legacy('l1.db.internal');
export const l2 = legacy('l2.db.internal');
`;
    const r = scan.analyzeText('src/db.ts', code, DEFAULT_SETTINGS);
    const keys = r.findings.map((f) => `${f.ruleId}@${f.range.start}:${f.range.end}`);
    assert.deepEqual(keys, [...new Set(keys)], 'no finding twice');
    assert.deepEqual(new Set(r.findings.map((f) => f.fingerprint)).size, r.findings.length);
    const tls = r.findings.filter((f) => f.ruleId === 'tls-disabled').map((f) => f.range);
    assert.deepEqual(tls, [at(code, 'disable', 0), at(code, 'disable', 1), at(code, 'disable', 2)]);
    const timeouts = r.findings.filter((f) => f.ruleId === 'connect-timeout-missing').map((f) => code.slice(f.range.start, f.range.end));
    assert.equal(timeouts.length, new Set(timeouts).size);
    assert.deepEqual(timeouts, ['{ connectionString: url }']);
    assert.equal(r.findings.filter((f) => f.ruleId === 'hardcoded-password').length, 1);
    assert.deepEqual(r.envConsumers.map((c) => c.name), ['REPORTS_DB_URL']);
  });
});

/**
 * Incremental re-analysis with bound parameters: a function's parameters depend on every unit
 * that names it (its calls, or a use as a value), so those units must stay in the sliced parse.
 * engine/incremental.ts keeps the callers of the edited unit only; these cases need the callers
 * of every kept unit (transitively). Skipped until incremental.ts does that.
 */
describe('incremental re-analysis of bound parameters (needs callers of every kept unit)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const scan = require('../../server/src/engine/scan') as typeof import('../../server/src/engine/scan');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { DEFAULT_SETTINGS } = require('../../server/src/engine/settings') as typeof import('../../server/src/engine/settings');
  before(async function () {
    this.timeout(60000);
    await scan.initEngine();
  });
  const same = (before: string, after: string): void => {
    const state = scan.analyzeText('svc.ts', before, DEFAULT_SETTINGS, { incremental: {} }).incremental?.state;
    assert.ok(state);
    const inc = scan.analyzeText('svc.ts', after, DEFAULT_SETTINGS, { incremental: { previous: state } });
    const full = scan.analyzeText('svc.ts', after, DEFAULT_SETTINGS);
    assert.ok(full.findings.some((f) => f.ruleId === 'tls-disabled'));
    assert.deepEqual({ f: inc.findings, p: inc.profiles, e: inc.envConsumers }, { f: full.findings, p: full.profiles, e: full.envConsumers });
  };

  it('an untouched caller passing a package-level constant stays in the slice', () => {
    const code = `import { Pool } from 'pg';
const URL = '${DSN}';
function makePool(url: string) { return new Pool({ connectionString: url, connectionTimeoutMillis: 5000 }); }
export function main() { return makePool(URL); }
export function x() { return 1; }
`;
    same(code, code.replace('return 1;', 'return 2;'));
  });

  it('a helper called twice: an edit elsewhere keeps both callers in view', () => {
    const code = `import { Pool } from 'pg';
function makePool(url: string) { return new Pool({ connectionString: url, connectionTimeoutMillis: 5000 }); }
export function main() { return makePool(process.env.MAIN_URL!); }
export function archive() { return makePool('${DSN}'); }
export function x() { return 1; }
`;
    same(code, code.replace('return 1;', 'return 2;'));
    same(code.replace('sslmode=disable', 'sslmode=verify-full'), code);
  });

  it('removing the one use as a value elsewhere binds the parameter again', () => {
    const code = `import { Pool } from 'pg';
function makePool(url: string) { return new Pool({ connectionString: url, connectionTimeoutMillis: 5000 }); }
export function main() { return makePool('${DSN}'); }
export function y() { return list.map(makePool); }
export function x() { return 1; }
`;
    same(code, code.replace('list.map(makePool)', 'list.map(makePoo)'));
  });
});
