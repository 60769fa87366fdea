/**
 * Go value following into functions and methods of the same file: a method `x.M()` on a type
 * declared in the file (value and pointer receivers, composite literals), and a parameter bound to
 * the argument of the function's only call. Checks that the values keep the caller's source
 * ranges, and that everything the rules leave open (two calls, recursion, a function used as a
 * value, an unknown receiver type, an object whose fields may change) stays unknown.
 */
import * as assert from 'node:assert/strict';
import { extractGo, initGo } from '../../server/src/engine/extract/go';
import { ConnectionSite } from '../../server/src/engine/extract/values';

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

  it('two calls, a spread, or a function used as a value leave the parameter unknown', () => {
    const two = file(`
func openWith(dsn string) (*sql.DB, error) { return sql.Open("pgx", dsn) }

func a() { openWith("postgres://a@db.example.com/app?sslmode=disable") }
func b() { openWith("postgres://b@db.example.com/app?sslmode=require") }
`);
    assert.equal(site(two).dsn, undefined);
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
    const methodTwice = file(`
type Config struct{ Host string }

func (c Config) open(dsn string) (*sql.DB, error) { return sql.Open("pgx", dsn) }

func a(c Config) { c.open("postgres://a@db.example.com/app?sslmode=disable") }
func b(c Config) { c.open("postgres://b@db.example.com/app?sslmode=disable") }
`);
    assert.equal(site(methodTwice).dsn, undefined);
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
