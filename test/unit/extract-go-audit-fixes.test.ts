/**
 * Go audit follow-ups, end to end through the engine (extract → profile → rules → fixes):
 * - a DSN parameter is appended only where the text lands at the end of the connection string
 *   (not inside a url.URL Path or a url.Values entry that String()/Encode() escape, nor inside a
 *   value composed into the DSN);
 * - pgxpool's pool_* keys are dsn-invalid where pgx itself parses the string;
 * - a verification callback that checks against its own Roots (or a pin) configures the CA (C5).
 */
import * as assert from 'node:assert/strict';
import { analyzeText, applyEdits, FileAnalysis, initEngine } from '../../server/src/engine/scan';
import { DEFAULT_SETTINGS } from '../../server/src/engine/settings';
import { Finding } from '../../server/src/engine/model';
import { extractGo, initGo } from '../../server/src/engine/extract/go';
import { endsInDsnLiteral } from '../../server/src/engine/fixes/edits';
import { SrcString } from '../../server/src/engine/srcstring';
import { tlsConfigPosture } from '../../server/src/engine/profile/common';

const GETENV = `
func getenv(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
`;

function analyze(src: string): FileAnalysis {
  const a = analyzeText('service.go', src, DEFAULT_SETTINGS);
  assert.deepEqual(a.notes.filter((n) => n.kind === 'internal-error'), []);
  return a;
}

function findings(a: FileAnalysis, ruleId: string): Finding[] {
  return a.findings.filter((f) => f.ruleId === ruleId);
}

/** The source after applying the preferred fixes of one finding. */
function applyPreferred(src: string, f: Finding): string {
  return applyEdits(src, f.fixes.filter((x) => x.preferred).flatMap((x) => x.edits));
}

describe('Go audit follow-ups', () => {
  before(async function () {
    this.timeout(60000);
    await initEngine();
    await initGo();
  });

  describe('appending a DSN parameter', () => {
    it('url.URL with url.Values and a getenv Path: findings kept, no append fix into any literal', () => {
      const src = `package main

import (
	"database/sql"
	"net/url"
	"os"
)
${GETENV}
func open() (*sql.DB, error) {
	q := url.Values{}
	q.Add("app name", "reports")
	u := url.URL{Scheme: "sqlserver", Host: "reports-sql.internal.example.com:1433", Path: getenv("SQL_DB", "reports"), RawQuery: q.Encode()}
	return sql.Open("sqlserver", u.String())
}
`;
      const a = analyze(src);
      const disabled = findings(a, 'tls-disabled');
      const unverified = findings(a, 'tls-cert-unverified');
      assert.equal(disabled.length, 1);
      assert.equal(unverified.length, 1);
      for (const f of [...disabled, ...unverified]) {
        assert.deepEqual(f.fixes.filter((x) => x.preferred), [], `no preferred fix expected: ${JSON.stringify(f.fixes)}`);
        // Whatever fix remains must not touch the getenv default or the url.Values entry.
        const fixed = applyEdits(src, f.fixes.flatMap((x) => x.edits));
        assert.ok(fixed.includes('getenv("SQL_DB", "reports")'), fixed);
        assert.ok(fixed.includes('q.Add("app name", "reports")'), fixed);
      }
    });

    it('url.URL with a Path and no query: the `?` would be escaped inside the Path, so no fix', () => {
      const src = `package main

import "database/sql"
import "net/url"

func open() (*sql.DB, error) {
	u := url.URL{Scheme: "sqlserver", Host: "archive-sql.internal.example.com:1433", Path: "/archive"}
	return sql.Open("sqlserver", u.String())
}
`;
      const [f] = findings(analyze(src), 'tls-disabled');
      assert.ok(f);
      assert.deepEqual(f.fixes.filter((x) => x.preferred), []);
    });

    it('url.URL with a RawQuery literal: the fix appends inside it (String() writes RawQuery verbatim)', () => {
      const src = `package main

import "database/sql"
import "net/url"

func open() (*sql.DB, error) {
	u := url.URL{Scheme: "sqlserver", Host: "billing-sql.internal.example.com:1433", RawQuery: "database=billing"}
	return sql.Open("sqlserver", u.String())
}
`;
      const [f] = findings(analyze(src), 'tls-disabled');
      assert.ok(f);
      const fixed = applyPreferred(src, f);
      assert.ok(fixed.includes('RawQuery: "database=billing&encrypt=true"}'), fixed);
      // Applied once, the fixed source no longer has the finding.
      assert.deepEqual(findings(analyze(fixed), 'tls-disabled'), []);
    });

    it('a value passed to %s ends the DSN: no append into it; a format string that ends it: exact append', () => {
      const src = `package main

import (
	"database/sql"
	"fmt"
	"os"
)
${GETENV}
func openLedger() (*sql.DB, error) {
	return sql.Open("pgx", fmt.Sprintf("postgres://ledger@ledger-db.internal.example.com:5432/%s", getenv("LEDGER_DB", "ledger")))
}

func openOrders() (*sql.DB, error) {
	return sql.Open("pgx", fmt.Sprintf("postgres://orders@%s:5432/orders", getenv("ORDERS_HOST", "orders-db.internal.example.com")))
}
`;
      const [ledger, orders] = findings(analyze(src), 'tls-disabled');
      assert.ok(ledger && orders);
      assert.deepEqual(ledger.fixes.filter((x) => x.preferred), []);
      const fixed = applyPreferred(src, orders);
      assert.ok(fixed.includes('"postgres://orders@%s:5432/orders?sslmode=verify-full"'), fixed);
      assert.ok(fixed.includes('getenv("LEDGER_DB", "ledger")'), fixed);
    });

    it('endsInDsnLiteral: the last separator and the rest must come from one exact literal', () => {
      const lit = (t: string, at: number) => SrcString.exact(t, at);
      assert.equal(endsInDsnLiteral(lit('postgres://h/db', 10)), true);
      assert.equal(endsInDsnLiteral(lit('host=h dbname=app', 10)), true);
      assert.equal(endsInDsnLiteral(SrcString.concat([lit('postgres://h/', 10), lit('db', 40)])), false);
      assert.equal(endsInDsnLiteral(SrcString.concat([lit('postgres://', 10), lit('h/db', 40)])), true);
      assert.equal(endsInDsnLiteral(SrcString.concat([lit('postgres://h/db?a', 10), SrcString.approximate('=', { start: 0, end: 5 }), lit('b', 40)])), false);
      assert.equal(endsInDsnLiteral(lit('reports', 10)), false);
      assert.equal(endsInDsnLiteral(SrcString.concat([lit('postgres://h/db?x=', 10), SrcString.hole({ start: 30, end: 35 })])), false);
    });
  });

  describe('pgxpool pool_* keys', () => {
    const src = (call: string): string => `package store

import (
	"context"
	"database/sql"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

var _ = sql.Open
var _ = pgx.Connect
var _ = pgxpool.New

func open(ctx context.Context) {
	${call}
}
`;
    const dsn = 'postgres://app@db.internal.example.com:5432/app?sslmode=verify-full&pool_max_conns=20&connect_timeout=5';

    it('pgxpool.New accepts them', () => {
      assert.deepEqual(findings(analyze(src(`pgxpool.New(ctx, "${dsn}")`)), 'dsn-invalid'), []);
    });

    it('pgx.Connect sends them to the server: dsn-invalid at the key, with a removal fix', () => {
      const text = src(`pgx.Connect(ctx, "${dsn}")`);
      const [f, ...rest] = findings(analyze(text), 'dsn-invalid');
      assert.ok(f);
      assert.deepEqual(rest, []);
      assert.equal(text.slice(f.range.start, f.range.end), 'pool_max_conns');
      assert.match(f.message, /read only by pgxpool/);
      assert.match(f.message, /pgx\.Connect/);
      const removal = f.fixes.find((x) => x.title === 'Remove pool_max_conns');
      assert.ok(removal && !removal.preferred);
      const fixed = applyEdits(text, removal.edits);
      assert.ok(fixed.includes('"postgres://app@db.internal.example.com:5432/app?sslmode=verify-full&connect_timeout=5"'), fixed);
    });

    it('sql.Open("pgx") (stdlib) sends them too, and the message points at the *sql.DB setters', () => {
      const [f] = findings(analyze(src(`db, _ := sql.Open("pgx", "host=db.internal.example.com dbname=app sslmode=verify-full connect_timeout=5 pool_max_conn_lifetime=1h")
	db.SetMaxOpenConns(10)
	db.SetMaxIdleConns(5)`)), 'dsn-invalid');
      assert.ok(f);
      assert.match(f.message, /"pool_max_conn_lifetime".*database\/sql/);
      assert.match(f.message, /SetMaxOpenConns/);
    });

    it('pgxpool.ParseConfig + NewWithConfig accepts them; pgx.ParseConfig + ConnectConfig does not', () => {
      const pool = src(`cfg, _ := pgxpool.ParseConfig("${dsn}")
	pgxpool.NewWithConfig(ctx, cfg)`);
      assert.deepEqual(findings(analyze(pool), 'dsn-invalid'), []);
      const conn = src(`cfg, _ := pgx.ParseConfig("${dsn}")
	pgx.ConnectConfig(ctx, cfg)`);
      assert.equal(findings(analyze(conn), 'dsn-invalid').length, 1);
    });
  });

  describe('verification callbacks with their own roots (C5)', () => {
    const pgx = (callback: string): string => `package store

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"os"

	"github.com/jackc/pgx/v5/pgxpool"
)

func open(ctx context.Context) (*pgxpool.Pool, error) {
	pem, _ := os.ReadFile("global-bundle.pem")
	rdsPool := x509.NewCertPool()
	rdsPool.AppendCertsFromPEM(pem)
	rdsHost := "orders.cluster-abc123.eu-west-1.rds.amazonaws.com"
	cfg, err := pgxpool.ParseConfig("postgres://orders@" + rdsHost + ":5432/orders?sslmode=require&connect_timeout=5")
	if err != nil {
		return nil, err
	}
	cfg.ConnConfig.TLSConfig = &tls.Config{
		InsecureSkipVerify: true,
		ServerName:         rdsHost,
		VerifyConnection: ${callback},
	}
	return pgxpool.NewWithConfig(ctx, cfg)
}
`;
    const withRoots = `func(cs tls.ConnectionState) error {
			opts := x509.VerifyOptions{Roots: rdsPool, DNSName: rdsHost}
			_, err := cs.PeerCertificates[0].Verify(opts)
			return err
		}`;
    const withoutRoots = `func(cs tls.ConnectionState) error {
			_, err := cs.PeerCertificates[0].Verify(x509.VerifyOptions{DNSName: rdsHost})
			return err
		}`;

    it('the extractor records the Roots given to Verify as the configured CA', () => {
      const text = pgx(withRoots);
      const ex = extractGo(text);
      const site = ex.sites.find((s) => s.driver === 'pgx');
      assert.ok(site?.tlsConfig?.rootCAs, 'rootCAs recorded');
      assert.equal(text.slice(site.tlsConfig.rootCAs.range.start, site.tlsConfig.rootCAs.range.end), 'Roots: rdsPool');
      const posture = tlsConfigPosture(site.tlsConfig);
      assert.equal(posture.ca?.value, 'configured');
      assert.match(posture.ca?.source ?? '', /VerifyConnection/);
      assert.equal(posture.chain?.value, 'verified');
    });

    it('Roots given: no tls-ca-untrusted; no Roots: reported (the system store lacks the RDS CA)', () => {
      assert.deepEqual(findings(analyze(pgx(withRoots)), 'tls-ca-untrusted'), []);
      assert.equal(findings(analyze(pgx(withoutRoots)), 'tls-ca-untrusted').length, 1);
    });

    it('mysql VerifyPeerCertificate with Roots or a pin is quiet as well', () => {
      const mysql = (body: string): string => `package store

import (
	"bytes"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"database/sql"
	"errors"
	"os"

	"github.com/go-sql-driver/mysql"
)

var pin = []byte{1, 2, 3}
var _ = bytes.Equal
var _ = sha256.Sum256
var _ = errors.New

func open() (*sql.DB, error) {
	pem, _ := os.ReadFile("global-bundle.pem")
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	host := "inventory.cluster-abc123.eu-west-1.rds.amazonaws.com"
	mysql.RegisterTLSConfig("rds", &tls.Config{
		InsecureSkipVerify: true,
		VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
			${body}
		},
	})
	return sql.Open("mysql", "inventory@tcp("+host+":3306)/inventory?tls=rds&timeout=5s")
}
`;
      const roots = `cert, err := x509.ParseCertificate(raw[0])
			if err != nil {
				return err
			}
			_, err = cert.Verify(x509.VerifyOptions{Roots: pool, DNSName: host})
			return err`;
      const pinned = `sum := sha256.Sum256(raw[0])
			if !bytes.Equal(sum[:], pin) {
				return errors.New("pin mismatch")
			}
			return nil`;
      const system = `cert, err := x509.ParseCertificate(raw[0])
			if err != nil {
				return err
			}
			_, err = cert.Verify(x509.VerifyOptions{DNSName: host})
			return err`;
      assert.deepEqual(findings(analyze(mysql(roots)), 'tls-ca-untrusted'), []);
      assert.deepEqual(findings(analyze(mysql(pinned)), 'tls-ca-untrusted'), []);
      assert.equal(findings(analyze(mysql(system)), 'tls-ca-untrusted').length, 1);
    });
  });
});
