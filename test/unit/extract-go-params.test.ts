/**
 * Go value following into functions and methods of the same file: a method `x.M()` on a type
 * declared in the file (value and pointer receivers, composite literals), and a parameter bound to
 * the argument of the function's only call. Checks that the values keep the caller's source
 * ranges, and that everything the rules leave open (recursion, a function used as a value, an
 * unknown receiver type, an object whose fields may change) stays unknown. A function called two to
 * eight times gives one site per call (each with the parameters bound to that call's arguments),
 * and findings on its own code are reported once.
 */
import * as assert from 'node:assert/strict';
import { extractGo, initGo } from '../../server/src/engine/extract/go';
import { ConnectionSite } from '../../server/src/engine/extract/values';
import { analyzeText, initEngine } from '../../server/src/engine/scan';
import { DEFAULT_SETTINGS } from '../../server/src/engine/settings';

const HOLE = '\uE000';

function sites(src: string): ConnectionSite[] {
  const ex = extractGo(src);
  assert.deepEqual(ex.errors, []);
  return ex.sites;
}

function site(src: string): ConnectionSite {
  const s = sites(src);
  assert.equal(s.length, 1);
  return s[0];
}

function file(body: string): string {
  return `package store

import (
	"database/sql"
	"fmt"
	"os"

	_ "github.com/jackc/pgx/v5/stdlib"
)
${body}`;
}

/** The source text a piece of the DSN maps to. */
function srcOf(src: string, s: ConnectionSite, piece: string): string {
  const i = s.dsn!.s.text.indexOf(piece);
  assert.ok(i >= 0, `${piece} in ${s.dsn!.s.text}`);
  const r = s.dsn!.s.rangeOf(i, i + piece.length);
  return src.slice(r.start, r.end);
}

/** Offset of the n-th occurrence (0-based) of `needle`. */
function nth(src: string, needle: string, n = 0): number {
  let at = -1;
  for (let i = 0; i <= n; i++) at = src.indexOf(needle, at + 1);
  assert.ok(at >= 0, needle);
  return at;
}

describe('Go parameters and methods', () => {
  before(async () => {
    await initGo();
  });

  it('the receiver\'s type from a function of the file (single and multi-value results) and from a struct field', () => {
    const src = file(`
type Config struct{ Host string }

func (c Config) DSN() string { return fmt.Sprintf("host=%s dbname=app sslmode=require", c.Host) }

func loadConfig() Config { return Config{Host: os.Getenv("DB_HOST")} }
func loadConfig2() (Config, error) { return Config{Host: os.Getenv("DB_HOST")}, nil }

type Server struct {
	cfg Config
	db  *sql.DB
}

func Open() (*sql.DB, error) {
	cfg := loadConfig()
	return sql.Open("pgx", cfg.DSN())
}

func Open2() (*sql.DB, error) {
	cfg, err := loadConfig2()
	if err != nil {
		return nil, err
	}
	return sql.Open("pgx", cfg.DSN())
}

func (s *Server) Open3() (*sql.DB, error) { return sql.Open("pgx", s.cfg.DSN()) }
`);
    const all = sites(src);
    assert.equal(all.length, 3);
    for (const x of all) assert.equal(x.dsn?.s.text, `host=${HOLE} dbname=app sslmode=require`);
  });

  it('a result or field type not declared in the file stays unknown', () => {
    const src = file(`
type Config struct{ Host string }

func (c Config) DSN() string { return "host=db.example.com sslmode=require" }

func load() interface{ DSN() string } { return Config{} }

func Open() (*sql.DB, error) {
	cfg := load()
	return sql.Open("pgx", cfg.DSN())
}
`);
    assert.equal(site(src).dsn, undefined);
  });

  it('a variable a closure assigns is unknown after the closure (it may have run); a closure\'s own variable is not', () => {
    const src = file(`
func viaClosure(dsn string) (*sql.DB, error) {
	set := func() { dsn = "postgres://v@v.example.com/v?sslmode=verify-full" }
	set()
	return sql.Open("pgx", dsn)
}

func V() { viaClosure("postgres://v@v.example.com/v?sslmode=disable") }

func shadow() (*sql.DB, error) {
	dsn := "postgres://x@x.example.com/x?sslmode=disable"
	f := func() { dsn := "other"; _ = dsn }
	f()
	return sql.Open("pgx", dsn)
}
`);
    const [closure, own] = sites(src);
    assert.notEqual(closure.dsn?.s.complete, true);
    assert.equal(closure.dsn?.s.text.includes('sslmode=disable') ?? false, false);
    assert.equal(own.dsn?.s.text, 'postgres://x@x.example.com/x?sslmode=disable');
  });

  it('value receiver: the method returns a Sprintf; its literal parts count, receiver fields stay holes', () => {
    const src = file(`
type Config struct{ Host, User, Password, SSLMode string }

func (c Config) DSN() string {
	return fmt.Sprintf("host=%s user=%s password=%s dbname=app sslmode=disable", c.Host, c.User, c.Password)
}

func Open(c Config) (*sql.DB, error) { return sql.Open("pgx", c.DSN()) }
`);
    const s = site(src);
    assert.equal(s.dsn?.s.text, `host=${HOLE} user=${HOLE} password=${HOLE} dbname=app sslmode=disable`);
    const r = s.dsn!.s.rangeOf(s.dsn!.s.text.indexOf('disable'), s.dsn!.s.text.indexOf('disable') + 7);
    assert.equal(r.start, nth(src, 'sslmode=disable') + 8);
  });

  it('pointer receiver: s.dsn() called from another method of the same type', () => {
    const src = file(`
type Server struct{ pw string }

func (s *Server) dsn() string { return "app:" + s.pw + "@tcp(db.internal:3306)/app?tls=false" }

func (s *Server) open() (*sql.DB, error) { return sql.Open("mysql", s.dsn()) }
`);
    const s = site(src);
    assert.equal(s.driver, 'go-mysql');
    assert.equal(s.dsn?.s.text, `app:${HOLE}@tcp(db.internal:3306)/app?tls=false`);
    assert.equal(srcOf(src, s, 'tls=false'), 'tls=false');
  });

  it('a composite literal in the caller: its fields are known in the method, with their ranges', () => {
    const src = file(`
type Config struct{ Host, SSLMode string }

func (c Config) DSN() string { return "host=" + c.Host + " sslmode=" + c.SSLMode }

func open() (*sql.DB, error) {
	c := Config{Host: "db.internal", SSLMode: "disable"}
	return sql.Open("pgx", c.DSN())
}

func openPtr() (*sql.DB, error) {
	return sql.Open("pgx", (&Config{Host: "db2.internal"}).DSN())
}
`);
    // DSN has two calls: its receiver is not bound, but each call's literal parts stay.
    const [a, b] = sites(src);
    assert.equal(a.dsn?.s.text, `host=${HOLE} sslmode=${HOLE}`);
    assert.equal(b.dsn?.s.text, `host=${HOLE} sslmode=${HOLE}`);
    const one = file(`
type Config struct{ Host, SSLMode string }

func (c Config) DSN() string { return "host=" + c.Host + " sslmode=" + c.SSLMode }

func open() (*sql.DB, error) {
	var c = &Config{Host: "db.internal", SSLMode: "disable"}
	return sql.Open("pgx", c.DSN())
}
`);
    const s = site(one);
    assert.equal(s.dsn?.s.text, 'host=db.internal sslmode=disable');
    assert.equal(srcOf(one, s, 'disable'), 'disable');
    assert.equal(s.dsn!.s.rangeOf(s.dsn!.s.text.indexOf('disable'), s.dsn!.s.text.indexOf('disable') + 7).start, nth(one, '"disable"') + 1);
  });

  it('a parameter is the argument of the only call: a literal (ranges in the caller) or an env read', () => {
    const src = file(`
func openWith(dsn string) (*sql.DB, error) { return sql.Open("pgx", dsn) }

func main() {
	openWith("postgres://app@orders.example.com/app?sslmode=disable")
}
`);
    const s = site(src);
    assert.equal(s.dsn?.s.text, 'postgres://app@orders.example.com/app?sslmode=disable');
    assert.equal(s.dsn!.range.start, nth(src, '"postgres://'));
    assert.equal(srcOf(src, s, 'sslmode=disable'), 'sslmode=disable');
    const env = site(file(`
func openWith(dsn string) (*sql.DB, error) { return sql.Open("pgx", dsn) }

func main() {
	openWith(os.Getenv("ORDERS_DSN"))
}
`));
    assert.equal(env.dsn, undefined);
    assert.equal(env.envName, 'ORDERS_DSN');
  });

  it('through two levels, a method parameter, and a struct parameter into a value-receiver method', () => {
    const src = file(`
type Config struct{ Host, SSLMode string }

func (c Config) DSN() string { return "host=" + c.Host + " sslmode=" + c.SSLMode }

func Open(c Config) (*sql.DB, error) { return sql.Open("pgx", c.DSN()) }

type Repo struct{}

func (r *Repo) connect(dsn string) (*sql.DB, error) { return sql.Open("pgx", dsn) }

func inner(dsn string) {
	r := &Repo{}
	r.connect(dsn)
}

func main() {
	Open(Config{Host: "db.internal", SSLMode: "disable"})
	inner("host=db3.internal sslmode=allow")
}
`);
    const [a, b] = sites(src);
    assert.equal(a.dsn?.s.text, 'host=db.internal sslmode=disable');
    assert.equal(srcOf(src, a, 'disable'), 'disable');
    // connect's parameter: its only call \`r.connect(dsn)\`, then inner's parameter: main's literal.
    assert.equal(b.dsn?.s.text, 'host=db3.internal sslmode=allow');
    assert.equal(b.dsn!.range.start, nth(src, '"host=db3'));
    // \`new(Repo).connect(…)\`: the operand's type is not written as a literal or a declaration.
    const viaNew = file(`
type Repo struct{}

func (r *Repo) connect(dsn string) (*sql.DB, error) { return sql.Open("pgx", dsn) }

func main() { new(Repo).connect("host=db3.internal sslmode=allow") }
`);
    assert.equal(site(viaNew).dsn, undefined);
  });

  it('a spread, or a function used as a value leave the parameter unknown', () => {
    const value = file(`
func openWith(dsn string) (*sql.DB, error) { return sql.Open("pgx", dsn) }

var opener = openWith

func a() { openWith("postgres://a@db.example.com/app?sslmode=disable") }
`);
    assert.equal(site(value).dsn, undefined);
    const spread = file(`
func openWith(dsns ...string) (*sql.DB, error) { return sql.Open("pgx", dsns[0]) }

func a(xs []string) { openWith(xs...) }
`);
    assert.equal(site(spread).dsn, undefined);
  });

  it('recursion terminates and stays unknown (direct and mutual)', () => {
    const src = file(`
func openWith(dsn string, n int) (*sql.DB, error) {
	if n > 0 {
		return openWith(dsn+"x", n-1)
	}
	return sql.Open("pgx", dsn)
}

func ping(dsn string) { pong(dsn + "?a=1") }
func pong(dsn string) { ping(dsn); sql.Open("pgx", dsn) }
`);
    const s = sites(src);
    assert.equal(s.length, 2);
    assert.equal(s[0].dsn, undefined);
    assert.ok(s[1].dsn === undefined || s[1].dsn.s.text.includes(HOLE));
  });

  it('an unknown receiver type, or a method several types declare, is not followed (a declared result type is known)', () => {
    const src = file(`
type A struct{}
type B struct{}

func (A) DSN() string { return "host=a sslmode=disable" }
func (B) DSN() string { return "host=b sslmode=disable" }

type dsner interface{ DSN() string }

func open(x dsner) (*sql.DB, error) { return sql.Open("pgx", x.DSN()) }

func load() A { return A{} }

func open2() (*sql.DB, error) {
	y := load()
	return sql.Open("pgx", y.DSN())
}
`);
    const [a, b] = sites(src);
    assert.equal(a.dsn, undefined);
    // load() is declared to return A: y is an A, and A.DSN is the one that runs.
    assert.equal(b.dsn?.s.text, 'host=a sslmode=disable');
  });

  it('an object whose fields may change after its literal is not used', () => {
    const src = file(`
type Config struct{ Host, SSLMode string }

func (c Config) DSN() string { return "host=" + c.Host + " sslmode=" + c.SSLMode }

func load(c *Config) {}

func open() (*sql.DB, error) {
	c := Config{Host: "db.internal", SSLMode: "disable"}
	load(&c)
	return sql.Open("pgx", c.DSN())
}
`);
    assert.equal(site(src).dsn?.s.text, `host=${HOLE} sslmode=${HOLE}`);
    const assigned = file(`
type Config struct{ Host, SSLMode string }

func (c Config) DSN() string { return "host=" + c.Host + " sslmode=" + c.SSLMode }

func Open(c Config) (*sql.DB, error) {
	c.SSLMode = os.Getenv("SSLMODE")
	return sql.Open("pgx", c.DSN())
}

func main() { Open(Config{Host: "db.internal", SSLMode: "disable"}) }
`);
    assert.equal(site(assigned).dsn?.s.text, `host=${HOLE} sslmode=${HOLE}`);
  });
});

describe('Go parameters: one site per call of a function called several times', () => {
  before(async () => {
    await initEngine();
  });

  const twice = file(`
func openWith(dsn string) (*sql.DB, error) { return sql.Open("pgx", dsn) }

func a() { openWith("postgres://a@db.example.com/app?sslmode=disable") }
func b() { openWith("postgres://b@db.example.com/app?sslmode=require") }
`);

  it('two calls: two sites at the callee\'s call, each DSN ranged at its caller\'s literal', () => {
    const s = sites(twice);
    assert.equal(s.length, 2);
    const anchor = { start: nth(twice, 'sql.Open'), end: twice.indexOf(')', nth(twice, 'sql.Open')) + 1 };
    for (const x of s) assert.deepEqual(x.anchor, anchor);
    assert.equal(s[0].dsn?.s.text, 'postgres://a@db.example.com/app?sslmode=disable');
    assert.equal(s[1].dsn?.s.text, 'postgres://b@db.example.com/app?sslmode=require');
    const litA = nth(twice, '"postgres://a@');
    const litB = nth(twice, '"postgres://b@');
    assert.deepEqual(s[0].dsn!.range, { start: litA, end: twice.indexOf('"', litA + 1) + 1 });
    assert.deepEqual(s[1].dsn!.range, { start: litB, end: twice.indexOf('"', litB + 1) + 1 });
    assert.equal(srcOf(twice, s[0], 'sslmode=disable'), 'sslmode=disable');
    assert.equal(s[0].dsn!.s.rangeOf(s[0].dsn!.s.text.indexOf('disable'), s[0].dsn!.s.text.length).start, nth(twice, 'disable'));
    // The function stays recorded: the incremental analysis keeps both callers in view.
    const ex = extractGo(twice);
    assert.deepEqual(ex.paramReads, [{ start: nth(twice, 'func openWith'), end: twice.indexOf('\n', nth(twice, 'func openWith')) }]);
  });

  it('three calls, one of them unknown (an env read, a parameter of a function called several times): that site is unknown', () => {
    const src = file(`
func openWith(name, dsn string) (*sql.DB, error) {
	db, err := sql.Open("pgx", dsn)
	return db, err
}

func outer(dsn string) { openWith("x", dsn) }

func main() {
	openWith("orders", "host=orders.example.com sslmode=verify-full")
	openWith("env", os.Getenv("REPORTS_DSN"))
	outer("host=one.example.com sslmode=disable")
	outer("host=two.example.com sslmode=disable")
}
`);
    // In the order of the calls in the file.
    const s = sites(src);
    assert.equal(s.length, 3);
    // Only one level: outer's parameter (outer has two calls) is not bound inside the per-call site.
    assert.equal(s[0].dsn, undefined);
    assert.equal(s[0].envName, undefined);
    assert.equal(s[1].dsn?.s.text, 'host=orders.example.com sslmode=verify-full');
    assert.equal(s[1].dsn!.range.start, nth(src, '"host=orders'));
    assert.equal(s[2].dsn, undefined);
    assert.equal(s[2].envName, 'REPORTS_DSN');
    assert.ok(s.every((x) => x.anchor.start === nth(src, 'sql.Open')));
  });

  it('a method called twice; per-call sites that come out the same are one site', () => {
    const method = file(`
type Config struct{ Host string }

func (c Config) open(dsn string) (*sql.DB, error) { return sql.Open("pgx", dsn) }

func a(c Config) { c.open("postgres://a@db.example.com/app?sslmode=disable") }
func b(c Config) { c.open("postgres://b@db.example.com/app?sslmode=disable") }
`);
    assert.deepEqual(sites(method).map((x) => x.dsn?.range.start), [nth(method, '"postgres://a@'), nth(method, '"postgres://b@')]);
    // The parameter does not reach the DSN: every call gives the same site.
    const same = file(`
func open(label string) (*sql.DB, error) {
	fmt.Println(label)
	return sql.Open("pgx", "postgres://app@db.example.com/app?sslmode=disable")
}

func a() { open("a") }
func b() { open("b") }
`);
    assert.equal(site(same).dsn?.s.text, 'postgres://app@db.example.com/app?sslmode=disable');
    // Both callers pass unknown values (the same unknown): one unknown site.
    const unknown = file(`
func open(dsn string) (*sql.DB, error) { return sql.Open("pgx", dsn) }

func a() { open(load()) }
func b(x string) { open(x) }
`);
    assert.equal(site(unknown).dsn, undefined);
    // Unknown in different ways (a string with a hole, an unresolved call): each its own site.
    const partial = file(`
func open(dsn string) (*sql.DB, error) { return sql.Open("pgx", dsn) }

func a(x string) { open(x + "?sslmode=disable") }
func b() { open(load()) }
`);
    const [pa, pb] = sites(partial);
    assert.equal(pa.dsn?.s.text, `${HOLE}?sslmode=disable`);
    assert.equal(pb.dsn, undefined);
  });

  it('a spread in one call, more than eight calls, or a use as a value: one unknown site', () => {
    const spread = file(`
func open(dsns ...string) (*sql.DB, error) { return sql.Open("pgx", dsns[0]) }

func a(xs []string) { open(xs...) }
func b() { open("postgres://b@db.example.com/app?sslmode=disable") }
`);
    assert.equal(site(spread).dsn, undefined);
    const calls = Array.from({ length: 9 }, (_, i) => `\topen("postgres://u${i}@db.example.com/app?sslmode=disable")`).join('\n');
    const many = file(`
func open(dsn string) (*sql.DB, error) { return sql.Open("pgx", dsn) }

func main() {
${calls}
}
`);
    assert.equal(site(many).dsn, undefined);
    const value = file(`
func open(dsn string) (*sql.DB, error) { return sql.Open("pgx", dsn) }

var opener = open

func a() { open("postgres://a@db.example.com/app?sslmode=disable") }
func b() { open("postgres://b@db.example.com/app?sslmode=disable") }
`);
    assert.equal(site(value).dsn, undefined);
  });

  it('findings: on each caller\'s literal, and once on the callee\'s own code', () => {
    const src = `package store

import (
	"context"
	"database/sql"

	"github.com/jackc/pgx/v5/pgxpool"
	_ "github.com/jackc/pgx/v5/stdlib"
)

func newPool(ctx context.Context, dsn string) (*pgxpool.Pool, error) { return pgxpool.New(ctx, dsn) }
func Writer(ctx context.Context) (*pgxpool.Pool, error)    { return newPool(ctx, "postgres://w@db.example.com/app?sslmode=verify-full") }
func Reporting(ctx context.Context) (*pgxpool.Pool, error) { return newPool(ctx, "postgres://r@proxy-x.proxy-abc.eu-west-1.rds.amazonaws.com/app?sslmode=disable") }

// The literal that disables TLS is the callee's own: both per-call sites report it, once.
func openHost(host string) *sql.DB {
	db, _ := sql.Open("pgx", "host="+host+" dbname=app sslmode=disable")
	db.Ping()
	return nil
}

func a() { openHost("orders.example.com") }
func b() { openHost("billing.example.com") }
`;
    const r = analyzeText('store.go', src, DEFAULT_SETTINGS);
    const tls = r.findings.filter((x) => x.ruleId === 'tls-disabled').map((x) => x.range.start);
    assert.deepEqual(tls, [nth(src, 'disable"'), nth(src, 'disable"', 1)]);
    assert.ok(nth(src, 'disable"') > nth(src, 'func Reporting'));
    // Each finding once per rule and range.
    const keys = r.findings.map((x) => `${x.ruleId}@${x.range.start}:${x.range.end}`);
    assert.deepEqual(keys, [...new Set(keys)]);
    // The pool opened in openHost is judged (pool-unbounded / timeout) at one range per rule.
    const onCall = r.findings.filter((x) => x.range.start >= nth(src, 'func openHost') && x.range.end <= nth(src, 'func a()'));
    assert.ok(onCall.length >= 2, JSON.stringify(onCall.map((x) => x.ruleId)));
    assert.equal(new Set(onCall.map((x) => x.ruleId)).size, onCall.length);
    assert.equal(r.profiles.length, 4);
  });
});
