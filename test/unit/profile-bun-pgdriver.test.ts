/**
 * uptrace/bun pgdriver: extraction of NewConnector options / sql.Open("pg", …) and the profile
 * semantics from docs/drivers/bun-pgdriver.md (no plaintext fallback, InsecureSkipVerify defaults,
 * last query key wins, 5 s default dial timeout, URL-only DSNs).
 */
import { strict as assert } from 'node:assert';
import { extractGo, initGo } from '../../server/src/engine/extract/go';
import { ConnectionSite } from '../../server/src/engine/extract/values';
import { buildProfile } from '../../server/src/engine/profile/index';
import { pgdriverDuration, schemeOf } from '../../server/src/engine/profile/drivers/bun-pgdriver';
import { ConnectionProfile } from '../../server/src/engine/profile/types';
import { SrcString } from '../../server/src/engine/srcstring';
import { DEFAULT_SETTINGS } from '../../server/src/engine/settings';
import { applyEdits } from '../../server/src/engine/scan';

const HEAD = `package main

import (
	"crypto/tls"
	"database/sql"
	"os"
	"time"

	"github.com/uptrace/bun/driver/pgdriver"
)

var _ = tls.VersionTLS12
var _ = time.Second
var _ = os.Getenv
`;

function sitesOf(body: string): { sites: ConnectionSite[]; text: string } {
  const text = `${HEAD}\nfunc open() *sql.DB {\n${body}\n}\n`;
  const ex = extractGo(text);
  assert.deepEqual(ex.errors, []);
  return { sites: ex.sites, text };
}

function prof(body: string): ConnectionProfile & { text: string } {
  const { sites, text } = sitesOf(body);
  assert.equal(sites.length, 1, `sites: ${sites.map((s) => s.driver).join(', ')}`);
  assert.equal(sites[0].driver, 'bun-pgdriver');
  return { ...buildProfile(sites[0], { settings: DEFAULT_SETTINGS, text }), text };
}

const opened = (opts: string): string => `\treturn sql.OpenDB(pgdriver.NewConnector(${opts}))`;
const dsn = (url: string): string => opened(`pgdriver.WithDSN("${url}")`);

describe('bun pgdriver: extraction', () => {
  before(async function () {
    this.timeout(60000);
    await initGo();
  });

  it('NewConnector options become ordered props; the DSN and tls.Config are attached', () => {
    const { sites } = sitesOf(opened('pgdriver.WithDSN("postgres://app@db.example.com/app"), pgdriver.WithTLSConfig(&tls.Config{InsecureSkipVerify: true}), pgdriver.WithTimeout(5*time.Second)'));
    const s = sites[0];
    assert.equal(s.driver, 'bun-pgdriver');
    assert.equal(s.dsn?.s.text, 'postgres://app@db.example.com/app');
    assert.equal(s.isPool, true);
    assert.ok(s.goPool);
    assert.ok(s.options?.k === 'obj');
    assert.deepEqual(s.options.props.map((p) => p.key), ['DSN', 'TLSConfig', 'Timeout']);
    const t = s.options.props[2].value;
    assert.ok(t.k === 'num' && t.n === 5);
    assert.equal(s.tlsConfig?.insecureSkipVerify?.value, true);
  });

  it('sql.Open("pg", …) is pgdriver; env DSNs keep the variable name', () => {
    const a = sitesOf('\tdb, _ := sql.Open("pg", "postgres://app@db.example.com/app")\n\treturn db').sites;
    assert.equal(a[0].driver, 'bun-pgdriver');
    const b = sitesOf(opened('pgdriver.WithDSN(os.Getenv("DATABASE_URL"))')).sites;
    assert.equal(b[0].envName, 'DATABASE_URL');
    assert.equal(b[0].dsn, undefined);
  });

  it('follows option variables, WithOptions and a literal option slice; opaque options are marked', () => {
    const { sites } = sitesOf('\tinsecure := pgdriver.WithInsecure(true)\n\topts := []pgdriver.Option{pgdriver.WithOptions(pgdriver.WithAddr("db.example.com:5432"), insecure)}\n\treturn sql.OpenDB(pgdriver.NewConnector(opts...))');
    const o = sites[0].options;
    assert.ok(o?.k === 'obj');
    assert.deepEqual(o.props.map((p) => p.key), ['Addr', 'Insecure']);
    assert.equal(o.open, undefined);
    const { sites: s2 } = sitesOf('\treturn sql.OpenDB(pgdriver.NewConnector(myOptions()...))');
    assert.ok(s2[0].options?.k === 'obj' && s2[0].options.open === true);
  });
});

describe('bun pgdriver: profile', () => {
  before(async function () {
    this.timeout(60000);
    await initGo();
  });

  it('default (no sslmode): TLS required, nothing verified, 5 s dial timeout', () => {
    const p = prof(dsn('postgres://app@db.example.com/app'));
    assert.equal(p.driverLabel, 'bun pgdriver');
    assert.equal(p.tls.enabled.value, 'on');
    assert.equal(p.tls.chain.value, 'unverified');
    assert.equal(p.tls.hostname.value, 'unverified');
    assert.equal(p.connectTimeout?.value, 'set');
    assert.match(p.tls.explanation, /no plaintext fallback/);
    assert.equal(p.locality, 'remote');
  });

  it('sslmode values: prefer/allow are encrypted (no fallback), require unverified, verify-ca chain only, verify-full full', () => {
    const cases: [string, string, string, string][] = [
      ['disable', 'off', 'n/a', 'n/a'],
      ['allow', 'on', 'unverified', 'unverified'],
      ['prefer', 'on', 'unverified', 'unverified'],
      ['require', 'on', 'unverified', 'unverified'],
      ['verify-ca', 'on', 'verified', 'unverified'],
      ['verify-full', 'on', 'verified', 'verified'],
    ];
    for (const [mode, enabled, chain, hostname] of cases) {
      const p = prof(dsn(`postgres://app@db.example.com/app?sslmode=${mode}`));
      assert.deepEqual([p.tls.enabled.value, p.tls.chain.value, p.tls.hostname.value], [enabled, chain, hostname], mode);
    }
  });

  it('sslrootcert: with require it acts as verify-ca; without sslmode it verifies nothing', () => {
    const req = prof(dsn('postgres://app@db.example.com/app?sslmode=require&sslrootcert=/etc/ca.pem'));
    assert.equal(req.tls.chain.value, 'verified');
    assert.equal(req.tls.hostname.value, 'unverified');
    assert.equal(req.tls.ca.value, 'configured');
    const alone = prof(dsn('postgres://app@db.example.com/app?sslrootcert=/etc/ca.pem'));
    assert.equal(alone.tls.enabled.value, 'on');
    assert.equal(alone.tls.chain.value, 'unverified');
  });

  it('the last repeated sslmode wins (pgx reads the first)', () => {
    const p = prof(dsn('postgres://app@db.example.com/app?sslmode=verify-full&sslmode=disable'));
    assert.equal(p.tls.enabled.value, 'off');
  });

  it('options apply in order: a later WithTLSConfig / WithInsecure overrides the DSN, and vice versa', () => {
    const a = prof(opened('pgdriver.WithDSN("postgres://app@db.example.com/app?sslmode=disable"), pgdriver.WithTLSConfig(&tls.Config{ServerName: "db.example.com"})'));
    assert.deepEqual([a.tls.enabled.value, a.tls.chain.value, a.tls.hostname.value], ['on', 'verified', 'verified']);
    const b = prof(opened('pgdriver.WithInsecure(true), pgdriver.WithDSN("postgres://app@db.example.com/app?sslmode=verify-full")'));
    assert.equal(b.tls.hostname.value, 'verified');
    const c = prof(opened('pgdriver.WithDSN("postgres://app@db.example.com/app?sslmode=verify-full"), pgdriver.WithInsecure(false)'));
    assert.equal(c.tls.chain.value, 'unverified');
    assert.match(c.tls.chain.source, /v1\.2\.16/);
    // A DSN without TLS keys leaves an earlier TLS option alone.
    const d = prof(opened('pgdriver.WithTLSConfig(nil), pgdriver.WithDSN("postgres://app@db.example.com/app")'));
    assert.equal(d.tls.enabled.value, 'off');
  });

  it('TLS is unknown for a DSN from the environment or an option not visible here', () => {
    assert.equal(prof(opened('pgdriver.WithDSN(os.Getenv("DATABASE_URL"))')).tls.enabled.value, 'unknown');
    assert.equal(prof(opened('pgdriver.WithAddr("db.example.com:5432"), extraOption()')).tls.chain.value, 'unknown');
  });

  it('dial timeout: WithDialTimeout(0)/WithTimeout(0) is missing; a later DSN connect_timeout sets it again', () => {
    assert.equal(prof(opened('pgdriver.WithAddr("db.example.com:5432"), pgdriver.WithDialTimeout(0)')).connectTimeout?.value, 'missing');
    const t = prof(opened('pgdriver.WithTimeout(0), pgdriver.WithDSN("postgres://app@db.example.com/app?connect_timeout=5s")'));
    assert.equal(t.connectTimeout?.value, 'set');
    assert.equal(t.invalid.length, 0);
  });

  it('invalid: keyword/value DSN, unknown sslmode (with a fix), connect_timeout=0, pgx-only keys', () => {
    const kv = prof(dsn('host=db.example.com user=app sslmode=verify-full'));
    assert.equal(kv.invalid.length, 1);
    assert.match(kv.invalid[0].message, /invalid scheme/);
    assert.equal(kv.tls.enabled.value, 'unknown');
    const bad = prof(dsn('postgres://app@db.example.com/app?sslmode=verify_full'));
    assert.equal(bad.invalid.length, 1);
    assert.equal(bad.invalid[0].fixes[0]?.title, 'Change to sslmode=verify-full');
    assert.match(prof(dsn('postgres://app@db.example.com/app?connect_timeout=0')).invalid[0].message, /expired deadline/);
    assert.match(prof(dsn('postgres://app@db.example.com/app?target_session_attrs=read-write')).invalid[0].message, /SET target_session_attrs/);
    assert.match(prof(dsn('mysql://app@db.example.com/app')).invalid[0].message, /scheme "mysql:\/\/"/);
  });

  it('fixes: sslmode=verify-full appended to the DSN; RDS without a CA bundle is not preferred', () => {
    const p = prof(dsn('postgres://app@db.example.com/app'));
    const f = p.remedies.verifiedTls?.[0];
    assert.ok(f && f.preferred);
    assert.match(applyEdits(p.text, f.edits), /postgres:\/\/app@db\.example\.com\/app\?sslmode=verify-full"/);
    const rds = prof(dsn('postgres://app@orders.cluster-c9akciq32xyz.eu-west-1.rds.amazonaws.com/app?sslmode=require'));
    assert.equal(rds.remedies.verifiedTls?.[0]?.preferred, false);
    assert.match(rds.remedies.verifiedTls?.[0]?.title ?? '', /Aurora|Amazon RDS/);
    assert.match(applyEdits(rds.text, rds.remedies.providerCa?.[0]?.edits ?? []), /sslrootcert=\/etc\/ssl\/certs\/global-bundle\.pem/);
    // The DSN does not decide TLS when a TLS option follows it: no DSN edit.
    const after = prof(opened('pgdriver.WithDSN("postgres://app@db.example.com/app"), pgdriver.WithInsecure(false)'));
    assert.deepEqual(after.remedies.verifiedTls ?? [], []);
  });

  it('host from WithAddr / the DSN; unix sockets; default host from PGHOST is unknown', () => {
    assert.equal(prof(opened('pgdriver.WithAddr("localhost:5432")')).locality, 'loopback');
    assert.equal(prof(opened('pgdriver.WithNetwork("unix"), pgdriver.WithAddr("/var/run/postgresql/.s.PGSQL.5432")')).locality, 'socket');
    assert.equal(prof(opened('pgdriver.WithUser("app")')).locality, 'unknown');
    assert.equal(prof(dsn('postgres://app@db.example.com/app?host=/var/run/postgresql')).locality, 'socket');
  });

  it('helpers: Go duration parsing and net/url scheme detection', () => {
    assert.equal(pgdriverDuration('5'), 5);
    assert.equal(pgdriverDuration('1m30s'), 90);
    assert.equal(pgdriverDuration('0s'), 0);
    assert.ok((pgdriverDuration('0') as number) < 0);
    assert.equal(pgdriverDuration('5 s'), 'invalid');
    assert.equal(schemeOf(SrcString.exact('POSTGRES://x', 0)), 'postgres');
    assert.equal(schemeOf(SrcString.exact('host=x', 0)), '');
    assert.equal(schemeOf(SrcString.hole({ start: 0, end: 3 })), undefined);
  });
});
