/**
 * Go extractor tests: realistic service code in, connection sites and observations out.
 * Positions are found by substring (`at`), never hard-coded, so the cases stay readable.
 */
import * as assert from 'node:assert/strict';
import { extractGo, initGo } from '../../server/src/engine/extract/go';
import { ConnectionSite, Extraction, Observation, Val, propVal, strOf } from '../../server/src/engine/extract/values';
import { Range } from '../../server/src/engine/model';

/** Range of `needle` in `src`, searching from the first occurrence of `after` (if given). */
function at(src: string, needle: string, after?: string): Range {
  const base = after === undefined ? 0 : src.indexOf(after);
  assert.ok(base >= 0, `context not found: ${after}`);
  const i = src.indexOf(needle, base);
  assert.ok(i >= 0, `not found: ${needle}`);
  return { start: i, end: i + needle.length };
}

function go(src: string): Extraction {
  const ex = extractGo(src);
  assert.deepEqual(ex.errors, [], `unexpected errors: ${ex.errors.join('; ')}`);
  return ex;
}

function only(ex: Extraction): ConnectionSite {
  assert.equal(ex.sites.length, 1, `expected one site, got ${ex.sites.map((s) => s.driver).join(', ')}`);
  return ex.sites[0];
}

/** Source range of a substring of the DSN text (the parameter's own range in the file). */
function dsnRange(site: ConnectionSite, sub: string): Range {
  assert.ok(site.dsn, 'site has no dsn');
  const i = site.dsn.s.text.indexOf(sub);
  assert.ok(i >= 0, `dsn does not contain ${sub}: ${site.dsn.s.text}`);
  return site.dsn.s.rangeOf(i, i + sub.length);
}

function obs<K extends Observation['kind']>(ex: Extraction, kind: K): Extract<Observation, { kind: K }>[] {
  return ex.observations.filter((o): o is Extract<Observation, { kind: K }> => o.kind === kind);
}

function num(v: Val | undefined): number | undefined {
  return v && v.k === 'num' ? v.n : undefined;
}

const HOLE = '\uE000';

describe('Go extractor', () => {
  before(async () => {
    await initGo();
  });

  describe('database/sql openers', () => {
    it('sql.Open("pgx", const DSN): driver, DSN text, exact parameter range, appendable', () => {
      const src = `package store

import (
	"database/sql"

	_ "github.com/jackc/pgx/v5/stdlib"
)

const dsn = "postgres://app@db.internal:5432/orders?sslmode=require"

func Open() (*sql.DB, error) {
	return sql.Open("pgx", dsn)
}
`;
      const s = only(go(src));
      assert.equal(s.driver, 'pgx');
      assert.equal(s.language, 'go');
      assert.equal(s.isPool, true);
      assert.equal(s.dsn?.s.text, 'postgres://app@db.internal:5432/orders?sslmode=require');
      assert.deepEqual(s.dsn?.range, at(src, '"postgres://app@db.internal:5432/orders?sslmode=require"'));
      assert.deepEqual(dsnRange(s, 'sslmode=require'), at(src, 'sslmode=require'));
      assert.equal(s.dsn?.appendable, true);
      assert.deepEqual(s.anchor, at(src, 'sql.Open("pgx", dsn)'));
      assert.equal(s.goPool?.escapes, true, 'returned directly');
    });

    it('maps every database/sql driver name to its driver id', () => {
      const cases: [string, ConnectionSite['driver'] | undefined][] = [
        ['pgx', 'pgx'], ['pgx/v5', 'pgx'], ['pgx/v4', 'pgx'], ['postgres', 'lib/pq'], ['mysql', 'go-mysql'],
        ['sqlserver', 'go-mssqldb'], ['mssql', 'go-mssqldb'], ['azuresql', 'go-mssqldb-azuresql'],
        ['godror', 'godror'], ['oracle', 'godror'], ['sqlite3', undefined],
      ];
      for (const [name, driver] of cases) {
        const src = `package x\nimport "database/sql"\nfunc f() { db, _ := sql.Open("${name}", "dsn-text"); _ = db }\n`;
        const ex = go(src);
        if (driver === undefined) assert.equal(ex.sites.length, 0, name);
        else assert.equal(only(ex).driver, driver, name);
      }
    });

    it('sqlx.Connect / MustConnect and tracing wrappers', () => {
      const src = `package x
import (
	"github.com/jmoiron/sqlx"
	"github.com/XSAM/otelsql"
)
func a() { db := sqlx.MustConnect("postgres", "host=db sslmode=verify-full"); _ = db }
func b() { db, _ := otelsql.Open("mysql", "u@tcp(db:3306)/app?tls=true"); _ = db }
`;
      const ex = go(src);
      assert.equal(ex.sites.length, 2);
      assert.equal(ex.sites[0].driver, 'lib/pq');
      assert.equal(ex.sites[0].dsn?.s.text, 'host=db sslmode=verify-full');
      assert.equal(ex.sites[1].driver, 'go-mysql');
      assert.deepEqual(dsnRange(ex.sites[1], 'tls=true'), at(src, 'tls=true'));
    });

    it('DSN from the environment: no dsn, a note naming the variable', () => {
      const src = `package x
import ("database/sql"; "os")
func f() { db, _ := sql.Open("pgx", os.Getenv("DATABASE_URL")); db.Ping() }
`;
      const s = only(go(src));
      assert.equal(s.dsn, undefined);
      assert.match(s.note ?? '', /DATABASE_URL/);
    });

    it('godror with a logfmt DSN in a raw string', () => {
      const src = 'package x\nimport "database/sql"\nfunc f() { db, _ := sql.Open("godror", `user="scott" connectString="db.example.com:1521/ORCL"`); _ = db }\n';
      const s = only(go(src));
      assert.equal(s.driver, 'godror');
      assert.equal(s.dsn?.s.text, 'user="scott" connectString="db.example.com:1521/ORCL"');
      assert.deepEqual(dsnRange(s, 'db.example.com:1521'), at(src, 'db.example.com:1521'));
    });
  });

  describe('value resolution', () => {
    it('fmt.Sprintf with env vars: known parts exact, unknown parts holes', () => {
      const src = `package config

import (
	"database/sql"
	"fmt"
	"os"
)

func connect() (*sql.DB, error) {
	host := os.Getenv("PGHOST")
	port := 5432
	dsn := fmt.Sprintf("host=%s port=%d dbname=%s sslmode=%s connect_timeout=10", host, port, "billing", "verify-full")
	return sql.Open("pgx", dsn)
}
`;
      const s = only(go(src));
      assert.equal(s.dsn?.s.text, `host=${HOLE} port=5432 dbname=billing sslmode=verify-full connect_timeout=10`);
      assert.deepEqual(dsnRange(s, 'verify-full'), at(src, 'verify-full'));
      assert.deepEqual(dsnRange(s, 'connect_timeout=10'), at(src, 'connect_timeout=10'));
      assert.deepEqual(dsnRange(s, 'billing'), at(src, 'billing'));
      assert.deepEqual(s.dsn?.range, at(src, 'fmt.Sprintf("host=%s port=%d dbname=%s sslmode=%s connect_timeout=10", host, port, "billing", "verify-full")'));
      assert.equal(s.dsn?.appendable, true);
    });

    it('concatenation through constants keeps each piece mapped to its literal', () => {
      const src = `package x
import "database/sql"
const base = "postgres://app@db/app"
const mode = "disable"
func f() { db, _ := sql.Open("postgres", base+"?sslmode="+mode); _ = db }
`;
      const s = only(go(src));
      assert.equal(s.driver, 'lib/pq');
      assert.equal(s.dsn?.s.text, 'postgres://app@db/app?sslmode=disable');
      assert.deepEqual(dsnRange(s, 'disable'), at(src, 'disable'));
      assert.deepEqual(dsnRange(s, '?sslmode='), at(src, '?sslmode='));
      assert.equal(s.dsn?.appendable, true);
    });

    it('the last assignment before use wins; += appends', () => {
      const src = `package x
import "database/sql"
func f() {
	dsn := "postgres://db/app?sslmode=disable"
	dsn = "postgres://db/app?sslmode=require"
	dsn += "&connect_timeout=5"
	db, _ := sql.Open("pgx", dsn)
	_ = db
}
`;
      const s = only(go(src));
      assert.equal(s.dsn?.s.text, 'postgres://db/app?sslmode=require&connect_timeout=5');
      assert.deepEqual(dsnRange(s, 'connect_timeout=5'), at(src, 'connect_timeout=5'));
    });

    it('an assignment inside a branch makes the value ambiguous (unknown, never a guess)', () => {
      const src = `package x
import ("database/sql"; "os")
func f() {
	dsn := "postgres://db/app?sslmode=verify-full"
	if os.Getenv("LOCAL") != "" {
		dsn = "postgres://localhost/app?sslmode=disable"
	}
	db, _ := sql.Open("pgx", dsn)
	_ = db
}
`;
      const s = only(go(src));
      assert.equal(s.dsn, undefined);
      assert.ok(s.note);
    });

    it('escape sequences decode and later characters keep exact ranges', () => {
      const src = 'package x\nimport "database/sql"\nfunc f() { db, _ := sql.Open("pgx", "host=db\\tuser=\\u00e9 sslmode=require"); _ = db }\n';
      const s = only(go(src));
      assert.equal(s.dsn?.s.text, 'host=db\tuser=\u00e9 sslmode=require');
      assert.deepEqual(dsnRange(s, 'sslmode=require'), at(src, 'sslmode=require'));
      assert.deepEqual(dsnRange(s, '\t'), at(src, '\\t'));
    });

    it('UTF-16 ranges are exact after non-ASCII text (Cyrillic, emoji)', () => {
      const src = `package x
// Подключение к базе 😀 — ünïcödé
import "database/sql"
var greeting = "héllo wörld 🚀"
func f() { db, _ := sql.Open("pgx", "postgres://ü@db/app?sslmode=prefer"); _ = db }
`;
      const s = only(go(src));
      assert.deepEqual(dsnRange(s, 'sslmode=prefer'), at(src, 'sslmode=prefer'));
      assert.deepEqual(s.anchor, at(src, 'sql.Open("pgx", "postgres://ü@db/app?sslmode=prefer")'));
      assert.equal(src.slice(s.dsn!.range.start, s.dsn!.range.end), '"postgres://ü@db/app?sslmode=prefer"');
    });

    it('url.URL{…}.String() builds the DSN; RawQuery parameters keep exact ranges', () => {
      const src = `package x

import (
	"database/sql"
	"net/url"
)

func open(host string) (*sql.DB, error) {
	u := url.URL{
		Scheme:   "postgres",
		User:     url.UserPassword("app", "Sup3r-Secret!"),
		Host:     host,
		Path:     "inventory",
		RawQuery: "sslmode=verify-full&sslrootcert=/etc/ssl/rds.pem",
	}
	return sql.Open("pgx", u.String())
}
`;
      const ex = go(src);
      const s = only(ex);
      assert.equal(s.dsn?.s.text, `postgres://app:Sup3r-Secret!@${HOLE}/inventory?sslmode=verify-full&sslrootcert=/etc/ssl/rds.pem`);
      assert.deepEqual(dsnRange(s, 'sslmode=verify-full'), at(src, 'sslmode=verify-full'));
      assert.deepEqual(dsnRange(s, 'inventory'), at(src, 'inventory'));
      const secrets = obs(ex, 'secret-literal');
      assert.equal(secrets.length, 1);
      assert.equal(secrets[0].context, 'url.UserPassword');
      assert.deepEqual(secrets[0].valueRange, at(src, '"Sup3r-Secret!"'));
    });

    it('half-typed code still yields the valid parts', () => {
      const src = `package x
import "database/sql"
func f() {
	db, err := sql.Open("postgres", "host=db sslmode=disable")
	if err != nil {
		log.Printf("open failed: %v", err
	}
	db.SetMaxOpenConns(
}
func g() {
	cfg := mysql.Config{User: "app", Net: "tcp", Addr: "db:3306", AllowCleartextPasswords: true,
`;
      const ex = extractGo(src);
      const pq = ex.sites.find((s) => s.driver === 'lib/pq');
      assert.ok(pq, 'lib/pq site from the valid statement');
      assert.deepEqual(dsnRange(pq, 'sslmode=disable'), at(src, 'sslmode=disable'));
    });
  });

  describe('*sql.DB pool facts', () => {
    it('Set* calls with durations resolved to seconds; local-only use does not escape', () => {
      const src = `package x
import ("context"; "database/sql"; "time")
const lifetime = 5 * time.Minute
func run(ctx context.Context) error {
	db, err := sql.Open("pgx", "postgres://db/app?sslmode=verify-full")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(25)
	db.SetMaxIdleConns(5)
	db.SetConnMaxLifetime(lifetime)
	if err := db.PingContext(ctx); err != nil {
		return err
	}
	_, err = db.ExecContext(ctx, "SELECT 1")
	return err
}
`;
      const s = only(go(src));
      assert.equal(s.goPool?.escapes, false);
      assert.equal(num(s.goPool?.maxOpen?.value), 25);
      assert.deepEqual(s.goPool?.maxOpen?.range, at(src, 'db.SetMaxOpenConns(25)'));
      assert.equal(num(s.goPool?.maxIdle?.value), 5);
      assert.equal(s.goPool?.maxLifetime?.seconds, 300);
      assert.deepEqual(s.goPool?.maxLifetime?.range, at(src, 'db.SetConnMaxLifetime(lifetime)'));
    });

    it('duration forms: time.Hour, 30 * time.Second, bare nanoseconds, unknown', () => {
      const cases: [string, number | undefined][] = [
        ['time.Hour', 3600], ['30 * time.Second', 30], ['time.Minute * 2', 120], ['0', 0],
        ['time.Duration(n) * time.Second', undefined], ['3600000000000', 3600],
      ];
      for (const [expr, seconds] of cases) {
        const src = `package x\nimport ("database/sql"; "time")\nfunc f(n int) { db, _ := sql.Open("pgx", "x"); db.SetConnMaxLifetime(${expr}); db.Ping() }\n`;
        const s = only(go(src));
        assert.equal(s.goPool?.maxLifetime?.seconds, seconds, expr);
        assert.deepEqual(s.goPool?.maxLifetime?.range, at(src, `db.SetConnMaxLifetime(${expr})`));
      }
    });

    it('escapes when stored in a struct field by a method receiver', () => {
      const src = `package repo
import ("database/sql"; "fmt"; "os")
type Store struct{ db *sql.DB }
func (s *Store) Connect() error {
	var err error
	s.db, err = sql.Open("mysql", fmt.Sprintf("%s:%s@tcp(%s)/shop?tls=true", os.Getenv("U"), os.Getenv("P"), "db:3306"))
	if err != nil {
		return fmt.Errorf("open: %w", err)
	}
	s.db.SetMaxOpenConns(50)
	return nil
}
`;
      const ex = go(src);
      const s = only(ex);
      assert.equal(s.driver, 'go-mysql');
      assert.equal(s.goPool?.escapes, true);
      assert.equal(num(s.goPool?.maxOpen?.value), 50);
      assert.equal(s.dsn?.s.text, `${HOLE}:${HOLE}@tcp(db:3306)/shop?tls=true`);
      assert.equal(obs(ex, 'credentials-interpolated').length, 0, 'go-sql-driver form is not a URL');
    });

    it('escapes when passed to another function or assigned to a package variable', () => {
      const src = `package x
import "database/sql"
var DB *sql.DB
func newRepo(db *sql.DB) {}
func a() {
	db, _ := sql.Open("pgx", "x")
	db.SetMaxOpenConns(10)
	newRepo(db)
}
func Init() {
	var err error
	DB, err = sql.Open("pgx", "y")
	_ = err
	DB.SetMaxIdleConns(2)
}
func later() { DB.SetMaxOpenConns(20) }
`;
      const ex = go(src);
      assert.equal(ex.sites.length, 2);
      assert.equal(ex.sites[0].goPool?.escapes, true);
      assert.equal(num(ex.sites[0].goPool?.maxOpen?.value), 10);
      assert.equal(ex.sites[1].goPool?.escapes, true);
      assert.equal(num(ex.sites[1].goPool?.maxIdle?.value), 2);
      assert.equal(num(ex.sites[1].goPool?.maxOpen?.value), 20, 'package var configured in another function');
    });
  });

  describe('go-sql-driver/mysql', () => {
    it('mysql.Config literal + FormatDSN → options, no dsn; literal password observed', () => {
      const src = `package db
import (
	"database/sql"
	"github.com/go-sql-driver/mysql"
)
func Open() (*sql.DB, error) {
	cfg := mysql.Config{
		User:                    "orders",
		Passwd:                  "pr0d-Passw0rd",
		Net:                     "tcp",
		Addr:                    "orders.cluster-abc.eu-west-1.rds.amazonaws.com:3306",
		DBName:                  "orders",
		AllowCleartextPasswords: true,
		ParseTime:               true,
		TLSConfig:               "skip-verify",
	}
	return sql.Open("mysql", cfg.FormatDSN())
}
`;
      const ex = go(src);
      const s = only(ex);
      assert.equal(s.driver, 'go-mysql');
      assert.equal(s.dsn, undefined);
      assert.equal(strOf(propVal(s.options, 'Addr')), 'orders.cluster-abc.eu-west-1.rds.amazonaws.com:3306');
      assert.deepEqual(propVal(s.options, 'AllowCleartextPasswords'), { k: 'bool', b: true, range: at(src, 'true', 'AllowCleartextPasswords') });
      assert.equal(strOf(propVal(s.options, 'TLSConfig')), 'skip-verify');
      const sec = obs(ex, 'secret-literal');
      assert.equal(sec.length, 1);
      assert.equal(sec[0].context, 'mysql.Config.Passwd');
      assert.equal(sec[0].name, 'Passwd');
      assert.deepEqual(sec[0].valueRange, at(src, '"pr0d-Passw0rd"'));
    });

    it('NewConfig + field assignments + Apply(BeforeConnect) + NewConnector + sql.OpenDB', () => {
      const src = `package db
import (
	"context"
	"database/sql"
	"time"

	"github.com/go-sql-driver/mysql"
)
func Open(endpoint string) (*sql.DB, error) {
	cfg := mysql.NewConfig()
	cfg.User = "iam_user"
	cfg.Net = "tcp"
	cfg.Addr = endpoint
	cfg.TLSConfig = "true"
	cfg.AllowCleartextPasswords = true
	cfg.Timeout = 5 * time.Second
	if err := cfg.Apply(mysql.BeforeConnect(func(ctx context.Context, c *mysql.Config) error {
		c.Passwd = "from-hook"
		return nil
	})); err != nil {
		return nil, err
	}
	connector, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, err
	}
	db := sql.OpenDB(connector)
	db.SetMaxOpenConns(10)
	return db, nil
}
`;
      const s = only(go(src));
      assert.equal(s.driver, 'go-mysql');
      assert.deepEqual(s.anchor, at(src, 'sql.OpenDB(connector)'));
      assert.equal(strOf(propVal(s.options, 'TLSConfig')), 'true');
      assert.equal(num(propVal(s.options, 'Timeout')), 5);
      const bc = s.beforeConnect!;
      assert.ok(src.slice(bc.start, bc.end).startsWith('mysql.BeforeConnect(func'));
      assert.equal(s.goPool?.escapes, true);
      assert.equal(num(s.goPool?.maxOpen?.value), 10);
    });

    it('RegisterTLSConfig + tls=custom in the DSN → tlsConfig and related location', () => {
      const src = `package db
import (
	"crypto/tls"
	"crypto/x509"
	"database/sql"

	"github.com/go-sql-driver/mysql"
)
func init() {
	pool := x509.NewCertPool()
	mysql.RegisterTLSConfig("custom", &tls.Config{
		RootCAs:            pool,
		InsecureSkipVerify: true,
		MinVersion:         tls.VersionTLS12,
	})
}
func Open() (*sql.DB, error) {
	return sql.Open("mysql", "app:@tcp(db.example.com:3306)/shop?tls=custom&parseTime=true")
}
`;
      const ex = go(src);
      const s = only(ex);
      assert.equal(s.tlsConfig?.insecureSkipVerify?.value, true);
      assert.deepEqual(s.tlsConfig?.insecureSkipVerify?.range, at(src, 'true', 'InsecureSkipVerify'));
      assert.deepEqual(s.tlsConfig?.insecureSkipVerify?.propRange, at(src, 'InsecureSkipVerify: true'));
      assert.equal(s.tlsConfig?.minVersion?.version, '1.2');
      assert.ok(s.tlsConfig?.rootCAs);
      assert.ok(s.tlsConfig?.definedAt);
      assert.equal(s.related?.length, 1);
      assert.equal(s.related?.[0].message, 'tls=custom is registered here');
      assert.equal(src.slice(s.related![0].range.start, s.related![0].range.end).startsWith('mysql.RegisterTLSConfig("custom"'), true);
      assert.equal(obs(ex, 'tls-config').length, 0, 'attributed to the connection, not an observation');
    });

    it('mysql.Config{TLSConfig: name} with a registered tls.Config variable', () => {
      const src = `package db
import ("crypto/tls"; "github.com/go-sql-driver/mysql")
func setup() *mysql.Config {
	tlsCfg := &tls.Config{ServerName: "db.internal"}
	tlsCfg.InsecureSkipVerify = true
	_ = mysql.RegisterTLSConfig("rds", tlsCfg)
	return &mysql.Config{User: "app", Addr: "db:3306", Net: "tcp", TLSConfig: "rds"}
}
`;
      const s = only(go(src));
      assert.equal(s.driver, 'go-mysql');
      assert.equal(s.tlsConfig?.insecureSkipVerify?.value, true);
      assert.deepEqual(s.tlsConfig?.insecureSkipVerify?.propRange, at(src, 'tlsCfg.InsecureSkipVerify = true'));
      assert.equal(strOf(s.tlsConfig?.serverName?.value), 'db.internal');
      assert.equal(s.related?.[0].message, 'tls=rds is registered here');
    });

    it('Config.TLS = &tls.Config{MinVersion: tls.VersionTLS10} goes to site.tlsConfig', () => {
      const src = `package db
import ("crypto/tls"; "database/sql"; "github.com/go-sql-driver/mysql")
func Open() {
	c := mysql.Config{Net: "tcp", Addr: "db:3306", TLS: &tls.Config{MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS11}}
	db, _ := sql.Open("mysql", c.FormatDSN())
	db.Ping()
}
`;
      const ex = go(src);
      const s = only(ex);
      assert.equal(s.tlsConfig?.minVersion?.version, '1.0');
      assert.deepEqual(s.tlsConfig?.minVersion?.range, at(src, 'tls.VersionTLS10'));
      assert.equal(s.tlsConfig?.maxVersion?.version, '1.1');
      assert.equal(obs(ex, 'tls-config').length, 0);
    });

    it('mysql.ParseDSN(dsn) + field assignments → dsn and options', () => {
      const src = `package db
import ("database/sql"; "os"; "github.com/go-sql-driver/mysql")
func Open() (*sql.DB, error) {
	cfg, err := mysql.ParseDSN("app@tcp(db:3306)/shop?tls=preferred")
	if err != nil {
		return nil, err
	}
	cfg.Passwd = os.Getenv("DB_PASSWORD")
	cfg.AllowCleartextPasswords = true
	c, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(c), nil
}
`;
      const s = only(go(src));
      assert.equal(s.dsn?.s.text, 'app@tcp(db:3306)/shop?tls=preferred');
      assert.deepEqual(dsnRange(s, 'tls=preferred'), at(src, 'tls=preferred'));
      assert.deepEqual(propVal(s.options, 'Passwd'), { k: 'env', name: 'DB_PASSWORD', range: at(src, 'os.Getenv("DB_PASSWORD")') });
      assert.equal((propVal(s.options, 'AllowCleartextPasswords') as { b: boolean }).b, true);
    });
  });

  describe('pgx and pgxpool', () => {
    it('pgxpool.ParseConfig + BeforeConnect + MaxConns + NewWithConfig', () => {
      const src = `package db

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/rds/auth"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func NewPool(ctx context.Context, awsCfg aws.Config, endpoint, region, user string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(fmt.Sprintf("host=%s user=%s dbname=app sslmode=verify-full", endpoint, user))
	if err != nil {
		return nil, err
	}
	cfg.MaxConns = 20
	cfg.MaxConnLifetime = 14 * time.Minute
	cfg.BeforeConnect = func(ctx context.Context, cc *pgx.ConnConfig) error {
		token, err := auth.BuildAuthToken(ctx, endpoint+":5432", region, user, awsCfg.Credentials)
		if err != nil {
			return err
		}
		cc.Password = token
		return nil
	}
	return pgxpool.NewWithConfig(ctx, cfg)
}
`;
      const s = only(go(src));
      assert.equal(s.driver, 'pgx');
      assert.equal(s.isPool, true);
      assert.equal(s.dsn?.s.text, `host=${HOLE} user=${HOLE} dbname=app sslmode=verify-full`);
      assert.deepEqual(dsnRange(s, 'sslmode=verify-full'), at(src, 'sslmode=verify-full'));
      assert.equal(num(propVal(s.options, 'MaxConns')), 20);
      assert.equal(num(propVal(s.options, 'MaxConnLifetime')), 840);
      assert.equal(propVal(s.options, 'BeforeConnect')?.k, 'fn');
      const bc = s.beforeConnect!;
      assert.ok(src.slice(bc.start, bc.end).startsWith('func(ctx context.Context, cc *pgx.ConnConfig) error {'));
      assert.equal(s.tokenMintedOnce, undefined, 'token minted per connection');
      assert.equal(s.goPool, undefined, 'not a *sql.DB');
    });

    it('RDS IAM token minted once and formatted into the DSN → tokenMintedOnce', () => {
      const src = `package db
import (
	"context"
	"fmt"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/feature/rds/auth"
	"github.com/jackc/pgx/v5/pgxpool"
)
func Connect(ctx context.Context, host string) (*pgxpool.Pool, error) {
	awsCfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, err
	}
	authToken, err := auth.BuildAuthToken(ctx, host+":5432", "eu-west-1", "app", awsCfg.Credentials)
	if err != nil {
		return nil, err
	}
	dsn := fmt.Sprintf("postgres://app:%s@%s:5432/app?sslmode=verify-full", authToken, host)
	return pgxpool.New(ctx, dsn)
}
`;
      const s = only(go(src));
      assert.equal(s.isPool, true);
      assert.equal(s.tokenMintedOnce?.kind, 'rds-iam');
      assert.deepEqual(s.tokenMintedOnce?.mintedAt, at(src, 'auth.BuildAuthToken(ctx, host+":5432", "eu-west-1", "app", awsCfg.Credentials)'));
      assert.deepEqual(s.tokenMintedOnce?.usedAt, at(src, 'dsn', 'pgxpool.New'));
    });

    it('pgx.ParseConfig + TLSConfig with a rejecting VerifyPeerCertificate + ConnectTimeout', () => {
      const src = `package db
import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"time"
	"github.com/jackc/pgx/v5"
)
func Connect(ctx context.Context) (*pgx.Conn, error) {
	cfg, err := pgx.ParseConfig("postgres://app@db:5432/app")
	if err != nil {
		return nil, err
	}
	cfg.ConnectTimeout = 5 * time.Second
	cfg.TLSConfig = &tls.Config{
		InsecureSkipVerify: true,
		VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
			if len(raw) == 0 {
				return errors.New("no certificate")
			}
			c, err := x509.ParseCertificate(raw[0])
			if err != nil {
				return err
			}
			_, err = c.Verify(x509.VerifyOptions{DNSName: "db"})
			return err
		},
	}
	return pgx.ConnectConfig(ctx, cfg)
}
`;
      const ex = go(src);
      const s = only(ex);
      assert.equal(s.isPool, false);
      assert.equal(num(propVal(s.options, 'ConnectTimeout')), 5);
      assert.equal(s.tlsConfig?.insecureSkipVerify?.value, true);
      assert.equal(s.tlsConfig?.verifyCallback?.name, 'VerifyPeerCertificate');
      assert.equal(s.tlsConfig?.verifyCallback?.rejects, true);
      assert.equal(obs(ex, 'tls-config').length, 0);
    });

    it('cfg.ConnConfig.TLSConfig.InsecureSkipVerify = true on a pool config; Password field', () => {
      const src = `package db
import ("context"; "os"; "github.com/jackc/pgx/v5/pgxpool")
func Pool(ctx context.Context) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(os.Getenv("DATABASE_URL"))
	if err != nil {
		return nil, err
	}
	cfg.ConnConfig.TLSConfig.InsecureSkipVerify = true
	cfg.ConnConfig.Password = os.Getenv("PGPASSWORD")
	return pgxpool.NewWithConfig(ctx, cfg)
}
`;
      const s = only(go(src));
      assert.equal(s.dsn, undefined);
      assert.match(s.note ?? '', /DATABASE_URL/);
      assert.equal(s.tlsConfig?.insecureSkipVerify?.value, true);
      assert.deepEqual(s.tlsConfig?.insecureSkipVerify?.propRange, at(src, 'cfg.ConnConfig.TLSConfig.InsecureSkipVerify = true'));
      assert.equal(propVal(s.options, 'Password')?.k, 'env');
    });

    it('pgx.Connect with a literal and a ParseConfig returned to the caller', () => {
      const src = `package db
import ("context"; "github.com/jackc/pgx/v5"; "github.com/jackc/pgx/v5/pgxpool")
func c(ctx context.Context) { conn, _ := pgx.Connect(ctx, "postgres://db/app?sslmode=allow"); conn.Close(ctx) }
func cfg() (*pgxpool.Config, error) { return pgxpool.ParseConfig("postgres://db/app?pool_max_conns=50") }
`;
      const ex = go(src);
      assert.equal(ex.sites.length, 2);
      assert.equal(ex.sites[0].isPool, false);
      assert.deepEqual(dsnRange(ex.sites[0], 'sslmode=allow'), at(src, 'sslmode=allow'));
      assert.equal(ex.sites[1].isPool, true);
      assert.deepEqual(dsnRange(ex.sites[1], 'pool_max_conns=50'), at(src, 'pool_max_conns=50'));
    });
  });

  describe('more openers', () => {
    it('RDS IAM token set once as mysql Passwd → tokenMintedOnce at the assignment', () => {
      const src = `package db
import (
	"context"
	"database/sql"
	"github.com/aws/aws-sdk-go-v2/feature/rds/auth"
	"github.com/go-sql-driver/mysql"
)
func Open(ctx context.Context, creds auth.CredentialsProvider) (*sql.DB, error) {
	token, err := auth.BuildAuthToken(ctx, "db.abc.us-east-1.rds.amazonaws.com:3306", "us-east-1", "iam_app", creds)
	if err != nil {
		return nil, err
	}
	cfg := mysql.NewConfig()
	cfg.User = "iam_app"
	cfg.Passwd = token
	cfg.Net = "tcp"
	cfg.Addr = "db.abc.us-east-1.rds.amazonaws.com:3306"
	cfg.AllowCleartextPasswords = true
	cfg.TLSConfig = "true"
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(conn), nil
}
`;
      const s = only(go(src));
      assert.equal(s.tokenMintedOnce?.kind, 'rds-iam');
      assert.deepEqual(s.tokenMintedOnce?.usedAt, at(src, 'token', 'cfg.Passwd = '));
      assert.deepEqual(propVal(s.options, 'Passwd'), { k: 'call', callee: 'auth.BuildAuthToken', range: at(src, 'auth.BuildAuthToken(ctx, "db.abc.us-east-1.rds.amazonaws.com:3306", "us-east-1", "iam_app", creds)'), awaited: false });
    });

    it('stdlib.OpenDB(*connConfig) → pgx *sql.DB; pq.NewConnector; godror.ParseConnString', () => {
      const src = `package db
import (
	"database/sql"
	"github.com/godror/godror"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/lib/pq"
)
func a() *sql.DB {
	cc, _ := pgx.ParseConfig("postgres://db/app?sslmode=verify-full")
	db := stdlib.OpenDB(*cc)
	db.SetMaxOpenConns(3)
	return db
}
func b() *sql.DB {
	c, _ := pq.NewConnector("host=db sslmode=require")
	return sql.OpenDB(c)
}
func c() {
	p, _ := godror.ParseConnString("oracle://scott@db:1521/ORCL")
	_ = p
}
`;
      const ex = go(src);
      assert.deepEqual(ex.sites.map((x) => x.driver), ['pgx', 'lib/pq', 'godror']);
      assert.equal(num(ex.sites[0].goPool?.maxOpen?.value), 3);
      assert.deepEqual(dsnRange(ex.sites[0], 'sslmode=verify-full'), at(src, 'sslmode=verify-full'));
      assert.deepEqual(dsnRange(ex.sites[1], 'sslmode=require'), at(src, 'sslmode=require'));
      assert.equal(ex.sites[2].dsn?.s.text, 'oracle://scott@db:1521/ORCL');
    });

    it('a RegisterTLSConfig no DSN in the file uses stays an observation', () => {
      const src = `package db
import ("crypto/tls"; "github.com/go-sql-driver/mysql")
func init() { mysql.RegisterTLSConfig("legacy", &tls.Config{MaxVersion: tls.VersionTLS11}) }
`;
      const ex = go(src);
      assert.equal(ex.sites.length, 0);
      const [o] = obs(ex, 'tls-config');
      assert.equal(o.dbContext, true);
      assert.equal(o.facts.maxVersion?.version, '1.1');
    });
  });

  describe('gorm', () => {
    it('gorm.Open(postgres.Open(dsn)) → pgx; pool via db.DB()', () => {
      const src = `package db
import (
	"time"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
)
func Open(dsn string) (*gorm.DB, error) {
	db, err := gorm.Open(postgres.Open("host=db user=app sslmode=require"), &gorm.Config{})
	if err != nil {
		return nil, err
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	sqlDB.SetMaxOpenConns(40)
	sqlDB.SetConnMaxLifetime(time.Hour)
	return db, nil
}
`;
      const s = only(go(src));
      assert.equal(s.driver, 'pgx');
      assert.deepEqual(dsnRange(s, 'sslmode=require'), at(src, 'sslmode=require'));
      assert.equal(num(s.goPool?.maxOpen?.value), 40);
      assert.equal(s.goPool?.maxLifetime?.seconds, 3600);
      assert.equal(s.goPool?.escapes, true, 'the gorm DB is returned');
    });

    it('mysql package disambiguated by import path (gorm driver vs go-sql-driver)', () => {
      const src = `package db
import (
	gomysql "github.com/go-sql-driver/mysql"
	"gorm.io/driver/mysql"
	"gorm.io/driver/sqlserver"
	"gorm.io/gorm"
)
func OpenMySQL() (*gorm.DB, error) {
	cfg := gomysql.Config{User: "app", Net: "tcp", Addr: "db:3306", DBName: "shop", AllowAllFiles: true}
	return gorm.Open(mysql.Open(cfg.FormatDSN()), &gorm.Config{})
}
func OpenMSSQL() (*gorm.DB, error) {
	return gorm.Open(sqlserver.Open("sqlserver://app@sql.example.com?database=shop&encrypt=true"), &gorm.Config{})
}
`;
      const ex = go(src);
      assert.equal(ex.sites.length, 2);
      const [my, ms] = ex.sites;
      assert.equal(my.driver, 'go-mysql');
      assert.equal((propVal(my.options, 'AllowAllFiles') as { b: boolean }).b, true);
      assert.equal(ms.driver, 'go-mssqldb');
      assert.deepEqual(dsnRange(ms, 'encrypt=true'), at(src, 'encrypt=true'));
    });

    it('postgres.New(postgres.Config{DSN: …}) → pgx', () => {
      const src = `package db
import ("gorm.io/driver/postgres"; "gorm.io/gorm")
func Open() { db, _ := gorm.Open(postgres.New(postgres.Config{DSN: "host=db sslmode=verify-ca", PreferSimpleProtocol: true}), &gorm.Config{}); _ = db }
`;
      const s = only(go(src));
      assert.equal(s.driver, 'pgx');
      assert.deepEqual(dsnRange(s, 'sslmode=verify-ca'), at(src, 'sslmode=verify-ca'));
    });
  });

  describe('SQL Server and Entra', () => {
    it('azuread.NewConnector → go-mssqldb-azuresql via sql.OpenDB', () => {
      const src = `package db
import ("database/sql"; "github.com/microsoft/go-mssqldb/azuread")
func Open() (*sql.DB, error) {
	c, err := azuread.NewConnector("sqlserver://app.database.windows.net?database=shop&fedauth=ActiveDirectoryDefault")
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(c), nil
}
`;
      const s = only(go(src));
      assert.equal(s.driver, 'go-mssqldb-azuresql');
      assert.deepEqual(dsnRange(s, 'fedauth=ActiveDirectoryDefault'), at(src, 'fedauth=ActiveDirectoryDefault'));
    });

    it('Entra token fetched once and captured by NewAccessTokenConnector → tokenMintedOnce entra', () => {
      const src = `package db
import (
	"context"
	"database/sql"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	mssql "github.com/microsoft/go-mssqldb"
)
func Open(ctx context.Context) (*sql.DB, error) {
	cred, err := azidentity.NewDefaultAzureCredential(nil)
	if err != nil {
		return nil, err
	}
	tok, err := cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{"https://database.windows.net/.default"}})
	if err != nil {
		return nil, err
	}
	connector, err := mssql.NewAccessTokenConnector("sqlserver://app.database.windows.net?database=shop&encrypt=true", func() (string, error) {
		return tok.Token, nil
	})
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(connector), nil
}
`;
      const s = only(go(src));
      assert.equal(s.driver, 'go-mssqldb');
      assert.equal(s.tokenMintedOnce?.kind, 'entra');
      assert.deepEqual(s.tokenMintedOnce?.mintedAt, at(src, 'cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{"https://database.windows.net/.default"}})'));
      assert.deepEqual(s.tokenMintedOnce?.usedAt, at(src, 'tok.Token'));
    });
  });

  describe('tls.Config observations', () => {
    it('a tls.Config no connection uses → observation; dbContext from imports', () => {
      const dbFile = `package x
import ("crypto/tls"; "database/sql"; "net/http")
var _ *sql.DB
func client() *http.Client {
	return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
}
`;
      const httpFile = dbFile.replace('"database/sql"; ', '').replace('var _ *sql.DB\n', '');
      const a = obs(go(dbFile), 'tls-config');
      assert.equal(a.length, 1);
      assert.equal(a[0].dbContext, true);
      assert.equal(a[0].facts.insecureSkipVerify?.value, true);
      assert.deepEqual(a[0].facts.range, at(dbFile, 'tls.Config{InsecureSkipVerify: true}'));
      const b = obs(go(httpFile), 'tls-config');
      assert.equal(b.length, 1);
      assert.equal(b[0].dbContext, false);
    });

    it('VerifyConnection that only returns nil does not reject; version, KeyLogWriter, ServerName', () => {
      const src = `package x
import ("crypto/tls"; "os"; "github.com/lib/pq")
var _ = pq.Driver{}
func cfg(w *os.File) *tls.Config {
	c := &tls.Config{
		MinVersion:   tls.VersionSSL30,
		KeyLogWriter: w,
		ServerName:   "db.internal",
		VerifyConnection: func(cs tls.ConnectionState) error {
			return nil
		},
	}
	c.MaxVersion = tls.VersionTLS13
	return c
}
`;
      const [o] = obs(go(src), 'tls-config');
      assert.equal(o.facts.minVersion?.version, '3.0');
      assert.equal(o.facts.maxVersion?.version, '1.3');
      assert.ok(o.facts.keyLogWriter);
      assert.equal(strOf(o.facts.serverName?.value), 'db.internal');
      assert.equal(o.facts.verifyCallback?.name, 'VerifyConnection');
      assert.equal(o.facts.verifyCallback?.rejects, false);
      assert.equal(o.dbContext, true);
    });

    it('a verify callback that only checks there is a certificate verifies nothing', () => {
      const src = `package x
import ("crypto/tls"; "crypto/x509"; "errors")
var conf = &tls.Config{InsecureSkipVerify: true, VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
	if len(raw) == 0 {
		return errors.New("no certificate")
	}
	return nil
}}
`;
      const [o] = obs(go(src), 'tls-config');
      assert.equal(o.facts.verifyCallback?.rejects, false);
    });

    it('a verify callback named by a function declaration is analysed', () => {
      const src = `package x
import ("crypto/tls"; "crypto/x509"; "fmt")
func verify(raw [][]byte, chains [][]*x509.Certificate) error {
	if len(chains) == 0 {
		return fmt.Errorf("unverified")
	}
	return nil
}
var conf = &tls.Config{InsecureSkipVerify: true, VerifyPeerCertificate: verify}
`;
      const [o] = obs(go(src), 'tls-config');
      assert.equal(o.facts.verifyCallback?.rejects, true);
    });
  });

  describe('secrets and credentials', () => {
    it('password-like names with literals; placeholders and env reads are quiet', () => {
      const src = `package config
import "os"
const dbPassword = "Tr0ub4dor&3"
const passwordEnv = "DB_PASSWORD"
var adminPwd = "changeme"
type Settings struct{ DBPassword string }
func load() Settings {
	s := Settings{DBPassword: "hunter2-prod"}
	s.DBPassword = os.Getenv("DB_PASSWORD")
	return s
}
`;
      const sec = obs(go(src), 'secret-literal');
      assert.deepEqual(sec.map((o) => o.context).sort(), ['Settings.DBPassword', 'const dbPassword']);
      const c = sec.find((o) => o.context === 'const dbPassword')!;
      assert.deepEqual(c.valueRange, at(src, '"Tr0ub4dor&3"'));
      assert.equal(c.value, 'Tr0ub4dor&3');
    });

    it('cloud keys in static credential constructors and bare literals', () => {
      const src = `package aws
import (
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/aws/aws-sdk-go-v2/credentials"
)
func creds() {
	_ = credentials.NewStaticCredentialsProvider("AKIAQWERTYUIOPASDFGH", "wJalrXUtnFEMIK7MDENGbPxRfiCYzEXAMPLE1234", "")
	_ = "AKIAIOSFODNN7EXAMPLE"
	_ = "LTAI5tRv8Lxh2pYNc3dKq9mE"
	_, _ = azidentity.NewClientSecretCredential("tenant", "client", "S3cr3t-value-not-a-placeholder", nil)
}
`;
      const keys = obs(go(src), 'cloud-key');
      const kinds = keys.map((k) => k.keyKind).sort();
      assert.deepEqual(kinds, ['alibaba-access-key-id', 'aws-access-key-id', 'aws-secret-access-key', 'azure-client-secret']);
      const id = keys.find((k) => k.keyKind === 'aws-access-key-id')!;
      assert.deepEqual(id.valueRange, at(src, '"AKIAQWERTYUIOPASDFGH"'));
      assert.equal(id.context, 'credentials.NewStaticCredentialsProvider');
    });

    it('secret-logged: DSN, password field, token; not len(password) or a redacted DSN', () => {
      const src = `package db
import (
	"database/sql"
	"log"
	"context"
	"go.uber.org/zap"
	"github.com/aws/aws-sdk-go-v2/feature/rds/auth"
)
type Cfg struct{ Password string }
func Open(ctx context.Context, logger *zap.Logger, c Cfg, connStr string) {
	db, _ := sql.Open("pgx", connStr)
	log.Printf("opening %s", connStr)
	logger.Info("db config", zap.String("password", c.Password))
	log.Printf("password length %d", len(c.Password))
	tok, _ := auth.BuildAuthToken(ctx, "db:5432", "us-east-1", "app", nil)
	logger.Sugar().Debugf("token %s", tok)
	log.Println("dsn", redact(connStr))
	_ = db
}
`;
      const logged = obs(go(src), 'secret-logged');
      assert.deepEqual(logged.map((o) => [o.callee, o.what]), [
        ['log.Printf', 'connection string'],
        ['logger.Info', 'password'],
        ['logger.Sugar().Debugf', 'token'],
      ]);
      assert.deepEqual(logged[0].range, at(src, 'connStr', 'log.Printf'));
      assert.deepEqual(logged[1].range, at(src, 'c.Password', 'zap.String'));
    });

    it('secret-logged: the callee is built from names only, never from argument text (fuzz regression)', () => {
      // A literal argument inside the callee chain, and a half-typed file whose error recovery
      // makes one selector out of everything before `fmt.Println`: neither may reach the message.
      const src = `package db
import ("database/sql"; "fmt"; "go.uber.org/zap")
func Open(logger *zap.Logger, connStr string) {
	logger.With(zap.String("pw", "Zq9!fuzzSecret7")).Info("dsn", connStr)
	sql.Open({((("x"))) package main
	dsn := fmt.Sprintf("host=h password=%s", "Zq9!fuzzSecret7")
	fmt.Println("connecting", dsn)
}
`;
      const logged = obs(go(src), 'secret-logged');
      assert.ok(logged.length >= 1);
      assert.equal(logged[0].callee, 'logger.With().Info');
      for (const o of logged) assert.ok(!o.callee.includes('Zq9!fuzzSecret7') && /^[\w.()…]+$/.test(o.callee), o.callee);
    });

    it('credentials-interpolated: Sprintf and concatenation into URL userinfo, escaped values quiet', () => {
      const src = `package db
import ("fmt"; "net/url"; "os")
func dsns(user, pass, host string) []string {
	a := fmt.Sprintf("postgres://%s:%s@%s/app?sslmode=verify-full", user, pass, host)
	b := "sqlserver://" + user + ":" + pass + "@" + host + "?database=app"
	c := fmt.Sprintf("postgres://%s:%s@%s/app", url.QueryEscape(user), url.QueryEscape(pass), host)
	d := fmt.Sprintf("%s:%s@tcp(%s)/app", user, pass, host)
	e := "mysql://" + host + "/app"
	_ = os.Args
	return []string{a, b, c, d, e}
}
`;
      const ci = obs(go(src), 'credentials-interpolated');
      assert.deepEqual(ci.map((o) => [o.part, o.how]), [
        ['user', 'fmt.Sprintf'], ['password', 'fmt.Sprintf'],
        ['user', 'string concatenation'], ['password', 'string concatenation'],
      ]);
      assert.deepEqual(ci[1].range, at(src, 'pass', ', user, '));
      assert.deepEqual(ci[3].range, at(src, 'pass', '"sqlserver://"'));
    });

    it('SSLKEYLOGFILE set in code', () => {
      const src = `package x\nimport "os"\nfunc f() { os.Setenv("SSLKEYLOGFILE", "/tmp/keys") }\n`;
      const o = obs(go(src), 'ssl-keylog-file');
      assert.equal(o.length, 1);
      assert.deepEqual(o[0].range, at(src, 'os.Setenv("SSLKEYLOGFILE", "/tmp/keys")'));
    });
  });

  describe('guards', () => {
    it('deep nesting and a 1 MB line neither throw nor hang', () => {
      const deep = `package x\nvar v = ${'('.repeat(5000)}1${')'.repeat(5000)}\n`;
      const t0 = Date.now();
      const a = extractGo(deep);
      assert.ok(Array.isArray(a.sites));
      const long = `package x\nimport "database/sql"\nvar s = "${'a'.repeat(1_000_000)}"\nfunc f() { db, _ := sql.Open("pgx", "host=db sslmode=disable"); _ = db }\n`;
      const b = extractGo(long);
      assert.equal(b.sites.length, 1);
      assert.ok(Date.now() - t0 < 10_000, 'bounded time');
    });

    it('garbage input returns without throwing', () => {
      for (const src of ['', '}}}{{{', 'package', 'func (', '"unterminated', '\u0000\u0001']) {
        const ex = extractGo(src);
        assert.ok(Array.isArray(ex.sites));
      }
    });
  });
});
