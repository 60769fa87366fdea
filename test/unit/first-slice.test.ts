/**
 * A first analysis of a Go file leaves out the function bodies that cannot contribute
 * (server/src/engine/incremental.ts planFirstSlice, goUnitTriggered in extract/go/outline.ts).
 * It must give exactly what parsing every body gives: findings, notes, profiles, env consumers
 * and the incremental state the language server keeps. Checked on hand-written cases where a
 * body without any trigger token matters (a value it returns, a variable it reassigns, a token it
 * logs, an aliased import, a call from package-level code), on every Go fixture and on generated
 * service files; the random edit chains of incremental.test.ts compare every version too.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText, FileAnalysis, initEngine } from '../../server/src/engine/scan';
import { DEFAULT_SETTINGS } from '../../server/src/engine/settings';
import { lexGoOutline } from '../../server/src/engine/extract/go/outline';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const corpus = require(path.resolve(__dirname, '../../../test/bench/corpus.js')) as {
  prng(seed: number): unknown;
  goFile(r: unknown, pkg: string, target: number, withConn: boolean): string;
  tsFile(r: unknown, target: number, withConn: boolean): string;
};

/** Every fixture file whose name `accept`s: [rule/name, text]. */
function fixtures(accept: (name: string) => boolean): [string, string][] {
  const out: [string, string][] = [];
  for (const rule of fs.readdirSync(FIXTURES).sort()) {
    const dir = path.join(FIXTURES, rule);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const name of fs.readdirSync(dir).sort()) if (accept(name)) out.push([`${rule}/${name}`, fs.readFileSync(path.join(dir, name), 'utf8')]);
  }
  return out;
}

function comparable(a: FileAnalysis): unknown {
  return { findings: a.findings, notes: a.notes, profiles: a.profiles, envConsumers: a.envConsumers };
}

/** Analyses both ways; asserts equality; returns how many bodies the first slice left out. */
function agrees(file: string, text: string): { leftOut: number; analysis: FileAnalysis } {
  const sliced = analyzeText(file, text, DEFAULT_SETTINGS, { incremental: {} });
  const full = analyzeText(file, text, DEFAULT_SETTINGS, { incremental: {}, fullParse: true });
  assert.deepEqual(comparable(sliced), comparable(full), file);
  // The language server's state after either is the same (what the next edit is planned from),
  // except that a body left out was not read: the full parse may mark it touched or its
  // parameters read where that changed nothing (the random edit chains of incremental.test.ts
  // start from first-slice states).
  const a = sliced.incremental?.state;
  const b = full.incremental?.state;
  assert.equal(a === undefined, b === undefined, `${file}: incremental state`);
  if (a && b) {
    const strip = (s: typeof a): unknown => ({ ...s, parsed: undefined, units: s.units.map((u) => ({ ...u, touched: undefined, paramsRead: undefined })) });
    assert.deepEqual(strip(a), strip(b), `${file}: incremental state`);
    a.units.forEach((u, i) => {
      assert.ok(!u.touched || b.units[i].touched, `${file}: unit ${i} touched`);
      assert.ok(!u.paramsRead || b.units[i].paramsRead, `${file}: unit ${i} paramsRead`);
    });
  }
  return { leftOut: sliced.incremental?.leftOut ?? 0, analysis: sliced };
}

const HANDLERS = `
func Health(w http.ResponseWriter, r *http.Request) {
	items := make([]string, 0, 4)
	for i := 0; i < 3; i++ {
		items = append(items, fmt.Sprintf("%d", i))
	}
	w.WriteHeader(http.StatusOK)
}

func Index(w http.ResponseWriter, r *http.Request) {
	_ = strings.TrimSpace(r.URL.Path)
}
`;

describe('first analysis in slices (Go)', function () {
  before(() => initEngine());

  it('leaves out handlers that cannot contribute, with the findings of a full parse', () => {
    const text = `package api

import (
	"database/sql"
	"fmt"
	"net/http"
	"strings"
)

func open() (*sql.DB, error) {
	return sql.Open("pgx", "postgres://app@db.example.com/app?sslmode=disable")
}
${HANDLERS}`;
    const { leftOut, analysis } = agrees('api/server.go', text);
    assert.equal(leftOut, 2);
    assert.ok(analysis.findings.some((f) => f.ruleId === 'tls-disabled'), JSON.stringify(analysis.findings.map((f) => f.ruleId)));
  });

  it('keeps a helper without trigger tokens whose return value a connection uses (names followed)', () => {
    const text = `package api

import (
	"database/sql"
	"fmt"
	"net/http"
	"strings"
)

func host() string {
	return "orders.cluster-abc.us-east-1.rds.amazonaws.com"
}

func where() string {
	return host()
}

func open() (*sql.DB, error) {
	return sql.Open("pgx", fmt.Sprintf("postgres://app@%s/app?sslmode=require", where()))
}
${HANDLERS}`;
    const { leftOut, analysis } = agrees('api/server.go', text);
    assert.equal(leftOut, 2);
    // The host is RDS only through the helpers: the provider-specific finding needs them parsed.
    assert.ok(analysis.profiles.some((p) => p.provider.kind === 'aws-rds'), JSON.stringify(analysis.profiles.map((p) => p.provider)));
  });

  it('keeps a function that reassigns a package-level variable a connection reads', () => {
    const text = `package api

import (
	"database/sql"
	"fmt"
	"net/http"
	"strings"
)

var target = "postgres://app@db.example.com/app?sslmode=verify-full"

func setup(v string) {
	target = v
}

func open() (*sql.DB, error) {
	return sql.Open("pgx", target)
}
${HANDLERS}`;
    agrees('api/server.go', text);
  });

  it('keeps a function that logs what a token function returns (callers of kept functions are kept)', () => {
    const text = `package api

import (
	"context"
	"log"
	"net/http"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/feature/rds/auth"
	_ "github.com/jackc/pgx/v5/stdlib"
)

func mint(ctx context.Context) string {
	t, _ := auth.BuildAuthToken(ctx, "db.example.com:5432", "us-east-1", "app", nil)
	return t
}

func announce(ctx context.Context) {
	v := mint(ctx)
	log.Println(v)
}
${HANDLERS}`;
    // Only the two handlers are left out: announce may use what mint returns.
    assert.equal(agrees('api/server.go', text).leftOut, 2);
  });

  it('keeps every use of an explicitly aliased import, and functions package-level code calls', () => {
    const text = `package api

import (
	stdsql "database/sql"
	db "database/sql"
	"fmt"
	"net/http"
	"strings"
)

var pool = mustOpen()

func mustOpen() *db.DB {
	d, _ := db.Open(name(), where())
	return d
}

func name() string { return "pgx" }

func where() string { return "postgres://app@db.example.com/app?sslmode=disable" }

var _ stdsql.DB
${HANDLERS}`;
    const { analysis } = agrees('api/server.go', text);
    assert.ok(analysis.findings.length > 0);
  });

  it('analyses in full what the lexer cannot outline exactly (open strings, dot imports, no bodies to leave out)', () => {
    const dot = `package api\n\nimport . "database/sql"\n\nfunc open() { Open("pgx", "postgres://h/app?sslmode=disable") }\n${HANDLERS}`;
    assert.equal(lexGoOutline(dot), undefined);
    assert.equal(agrees('api/dot.go', dot).leftOut, 0);
    const open = `package api\n\nimport "database/sql"\n\nfunc open() { sql.Open("pgx", "postgres://h/app?sslmode=disable) }\n${HANDLERS}`;
    assert.equal(agrees('api/open.go', open).leftOut, 0);
    const generics = `package api\n\nimport "database/sql"\n\nfunc Map[T any](xs []T, f func(T) T) []T { return xs }\n\nfunc f() interface{ M() } { return nil }\n\nfunc g() struct{ a int } { return struct{ a int }{} }\n\nfunc open() { sql.Open("pgx", "postgres://h/app?sslmode=disable") }\n${HANDLERS}`;
    const out = lexGoOutline(generics)!;
    assert.deepEqual(out.functions.map((f) => f.name), ['Map', 'f', 'g', 'open', 'Health', 'Index']);
    assert.ok(agrees('api/generics.go', generics).leftOut >= 2);
  });

  it('agrees with a full parse on service files written to break it (test/unit/first-slice/)', () => {
    // t*: the reproductions of an audit's findings — a DSN name without a trigger token (pgURL),
    // methods and function values package-level code calls, a parameter bound from a caller only
    // a level-1 unit reaches, helpers using up the per-call budget; r*: realistic service code.
    const dir = path.resolve(__dirname, '../../../test/unit/first-slice');
    let leftOut = 0;
    let findings = 0;
    for (const name of fs.readdirSync(dir).sort()) {
      if (!name.endsWith('.go')) continue;
      const r = agrees(`svc/${name}`, fs.readFileSync(path.join(dir, name), 'utf8'));
      leftOut += r.leftOut;
      findings += r.analysis.findings.length;
    }
    assert.ok(leftOut > 30 && findings > 60, `${leftOut} bodies left out, ${findings} findings`);
  });

  it('agrees with a full parse on every Go fixture and on generated service files', () => {
    let files = 0;
    let leftOut = 0;
    for (const [rel, text] of fixtures((name) => name.endsWith('.go'))) {
      agrees(rel, text);
      files++;
    }
    for (let k = 0; k < 40; k++) {
      leftOut += agrees(`svc${k}/service.go`, corpus.goFile(corpus.prng(900 + k), 'orders', 6000 + 300 * k, k % 4 !== 3)).leftOut;
      files++;
    }
    assert.ok(files > 100, `${files} files`);
    // Not vacuous: the generated services' handlers are left out.
    assert.ok(leftOut > 100, `${leftOut} bodies left out`);
  });
});

describe('first analysis in slices (TS/JS)', function () {
  before(() => initEngine());

  it('agrees with a full parse on service files written to break it (test/unit/first-slice/*.ts|js)', () => {
    // t1*, w*: the reproductions of two audits' findings — a computed member name, a module
    // alias chain (`const b = postgres`), `n! / f(…)` and `quota.default / 2` read as regexes,
    // JSX in a .js file, `rows[i]` and `x[k] = …`, a subclass declared in a function,
    // `db['host'] = …`, `x.m = …` replacing a member with no body, `import.meta`, a member and
    // a function of the same name; u*, v*: service code written to break the slice (lexer
    // traps, callbacks, classes, inheritance, config modules).
    const dir = path.resolve(__dirname, '../../../test/unit/first-slice');
    let files = 0;
    let leftOut = 0;
    let findings = 0;
    for (const name of fs.readdirSync(dir).sort()) {
      if (!/\.(?:[cm]?[tj]sx?)$/.test(name)) continue;
      const r = agrees(`src/${name}`, fs.readFileSync(path.join(dir, name), 'utf8'));
      files++;
      leftOut += r.leftOut;
      findings += r.analysis.findings.length;
    }
    assert.ok(files >= 86 && leftOut > 150 && findings > 60, `${files} files, ${leftOut} bodies left out, ${findings} findings`);
  });

  it('agrees with a full parse on every TS/JS fixture and on generated service files', () => {
    let files = 0;
    let leftOut = 0;
    for (const [rel, text] of fixtures((name) => /\.(?:[cm]?[tj]sx?)$/.test(name))) {
      leftOut += agrees(rel, text).leftOut;
      files++;
    }
    for (let k = 0; k < 40; k++) {
      leftOut += agrees(`svc${k}/service.ts`, corpus.tsFile(corpus.prng(700 + k), 3000 + 300 * k, k % 4 !== 3)).leftOut;
      files++;
    }
    assert.ok(files > 80, `${files} files`);
    assert.ok(leftOut > 500, `${leftOut} bodies left out`);
  });

  it('reads no syntax error inside a body it leaves out (the note covers the parts read; findings are the same)', () => {
    const text = `import { Pool } from 'pg';\n\nexport const pool = new Pool({ host: 'db.example.com', ssl: false });\n\nexport function total(xs: number[]): number {\n  let s = 0;\n  for (const x of xs) s += x;\n  const = 5;\n  return s;\n}\n`;
    const sliced = analyzeText('src/db.ts', text, DEFAULT_SETTINGS, { incremental: {} });
    const full = analyzeText('src/db.ts', text, DEFAULT_SETTINGS, { incremental: {}, fullParse: true });
    assert.equal(sliced.incremental?.leftOut, 1);
    assert.deepEqual(sliced.findings, full.findings);
    assert.ok(sliced.findings.some((f) => f.ruleId === 'tls-disabled'));
    assert.ok(full.notes.some((n) => n.kind === 'parse-error'));
    assert.ok(!sliced.notes.some((n) => n.kind === 'parse-error'));
  });
});
