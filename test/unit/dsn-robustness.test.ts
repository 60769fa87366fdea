/** All DSN parsers: never throw on malformed input, linear time on huge input, format detection. */
import * as assert from 'node:assert/strict';
import { SrcString, HOLE } from '../../server/src/engine/srcstring';
import {
  detectDsnFormat,
  parseAdo,
  parseGoMysql,
  parseMysqlUrl,
  parseOracle,
  parsePostgres,
  parseSqlServer,
  parseTediousConnectionString,
} from '../../server/src/engine/dsn/index';
import { ParsedDsn } from '../../server/src/engine/dsn/types';

const PARSERS: ((s: SrcString) => ParsedDsn)[] = [parsePostgres, parseGoMysql, parseMysqlUrl, parseSqlServer, parseAdo, parseTediousConnectionString, parseOracle];
const SEEDS = [
  'postgres://u:p@h1:5432,[::1]:5433/db?sslmode=require&host=/tmp',
  "host=h port=5432 sslmode='verify-full' password='a\\'b'",
  'user:pass@tcp(h:3306)/db?tls=true&loc=Europe%2FParis',
  'mysql://u:p@h:3306/db?ssl={"a":1}',
  'sqlserver://sa:p@h:1433/inst?encrypt=true',
  'odbc:server={h};pwd={a}}b};encrypt=true',
  'Server=tcp:h,1433;Database="x;y";Encrypt=strict',
  'user="a" password="b\\"c" connectString="(DESCRIPTION=(ADDRESS=(HOST=h)(PORT=1)))"',
  'scott/tiger@//h:1521/svc?x=y',
];
const ALPHABET = `:/@?&=;,"'{}()[]\\% +#\n\tabcXYZ019${HOLE}`;

/** Deterministic PRNG (mulberry32) so failures are reproducible. */
function rng(seed: number): () => number {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(s: string, r: () => number): string {
  let out = s;
  const n = 1 + Math.floor(r() * 6);
  for (let k = 0; k < n; k++) {
    const i = Math.floor(r() * (out.length + 1));
    const op = r();
    const ch = ALPHABET[Math.floor(r() * ALPHABET.length)];
    if (op < 0.4) out = out.slice(0, i) + ch + out.slice(i);
    else if (op < 0.7) out = out.slice(0, i) + out.slice(i + 1);
    else out = out.slice(0, i) + ch + out.slice(i + 1);
  }
  return out;
}

function checkInvariants(d: ParsedDsn, s: SrcString): void {
  const end = s.sourceRange.end;
  for (const p of [...d.params, ...d.hosts, d.user, d.password, d.database]) {
    if (!p) continue;
    assert.ok(p.range.start <= p.range.end && p.range.end <= end + 10 + 1, 'range inside the source');
    if (p.value !== undefined) assert.ok(!p.value.includes(HOLE), 'no HOLE in a known value');
  }
  assert.equal(typeof d.appendPrefix, 'string');
}

describe('dsn robustness', () => {
  it('2,000 random and mutated strings never throw', () => {
    const r = rng(42);
    for (let n = 0; n < 2000; n++) {
      let text: string;
      if (n % 4 === 0) {
        const len = Math.floor(r() * 40);
        text = '';
        for (let k = 0; k < len; k++) text += ALPHABET[Math.floor(r() * ALPHABET.length)];
      } else {
        text = mutate(SEEDS[n % SEEDS.length], r);
      }
      const src = SrcString.exact(text, 10);
      for (const parse of PARSERS) {
        let d: ParsedDsn | undefined;
        assert.doesNotThrow(() => {
          d = parse(src);
        }, `${parse.name} threw on ${JSON.stringify(text)}`);
        checkInvariants(d!, src);
      }
      assert.doesNotThrow(() => detectDsnFormat(text));
    }
  });

  it('a 1 MB string parses in bounded time with every parser (no quadratic scans)', function () {
    this.timeout(60000);
    // Each parser gets its own prefix, so that the 1 MB lands in the part it scans most.
    const prefixed: [(s: SrcString) => ParsedDsn, string][] = [
      [parsePostgres, 'postgres://u:p@h/db?'],
      [parsePostgres, ''],
      [parseGoMysql, 'u@tcp(h)/db?'],
      [parseMysqlUrl, 'mysql://h/db?'],
      [parseSqlServer, 'sqlserver://h?'],
      [parseSqlServer, 'odbc:'],
      [parseAdo, ''],
      [parseTediousConnectionString, ''],
      [parseOracle, 'user=a connectString=x '],
      [parseOracle, 'u/p@'],
    ];
    for (const chunk of ['a=b&', 'x;', "p='q' ", '(HOST=[a,']) {
      const big = chunk.repeat(Math.ceil(1_000_000 / chunk.length));
      for (const [parse, prefix] of prefixed) {
        const t0 = Date.now();
        parse(SrcString.exact(prefix + big, 0));
        const ms = Date.now() - t0;
        assert.ok(ms < 5000, `${parse.name} took ${ms} ms on ${prefix}${chunk}…`);
      }
    }
  });
});

describe('detectDsnFormat', () => {
  const cases: [string, string | undefined][] = [
    ['postgres://u@h/db', 'pg-url'],
    ['postgresql://h', 'pg-url'],
    ['host=db dbname=app sslmode=require', 'pg-kv'],
    ['user:pw@tcp(db:3306)/app?tls=true', 'go-mysql'],
    ['root@unix(/tmp/mysql.sock)/app', 'go-mysql'],
    ['root:pw@/app', 'go-mysql'],
    ['mysql://u:p@h/db', 'mysql-url'],
    ['sqlserver://h?database=x', 'sqlserver-url'],
    ['Server=h;Database=x;Encrypt=true', 'ado'],
    ['Data Source=h;Initial Catalog=x', 'ado'],
    ['odbc:server=h;uid=u', 'odbc'],
    ['user=scott connectString="h:1521/s"', 'oracle'],
    ['scott/tiger@db.example.com:1521/orcl', 'oracle'],
    ['hello world', undefined],
    ['a=b;c=d', undefined],
    ['https://example.com/@/path', undefined],
    ['name=value other=thing', undefined],
    ['me@example.com', undefined],
    ['see the docs at /usr/share', undefined],
    ['Server=;x=1', undefined],
  ];
  for (const [text, want] of cases) {
    it(`${JSON.stringify(text)} → ${want}`, () => assert.equal(detectDsnFormat(text), want));
  }
});
