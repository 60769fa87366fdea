/**
 * SPEC §1.1: a connection string in a config file is judged under the driver that reads it when
 * the workspace shows that driver (code reads DATABASE_URL and passes it to pg → node-postgres
 * semantics), and under libpq semantics otherwise — with the message saying which.
 */
import { strict as assert } from 'node:assert';
import { connguard, JsonReportOut, removeTree, tempTree } from './helpers';

const ENV = 'DATABASE_URL=postgres://app@db.internal.example.com:5432/app?sslmode=require\n';
const PG_CODE = "import { Pool } from 'pg';\nexport const pool = new Pool({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 5000 });\n";
const PGX_CODE = 'package db\n\nimport (\n\t"database/sql"\n\t"os"\n)\n\nfunc Open() (*sql.DB, error) {\n\treturn sql.Open("pgx", os.Getenv("DATABASE_URL"))\n}\n';

function findings(dir: string): { ruleId: string; message: string; path: string }[] {
  const r = connguard(['scan', '.', '--format', 'json'], dir);
  const report = JSON.parse(r.stdout) as JsonReportOut;
  return report.results.flatMap((res) => res.findings.map((f) => ({ ruleId: f.ruleId, message: f.message, path: res.path })));
}

describe('cli: config values judged under the driver that reads them', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach(removeTree));

  it('no reader in sight: libpq semantics, sslmode=require is unverified', () => {
    const dir = tempTree({ 'deploy/app.env': ENV });
    dirs.push(dir);
    const f = findings(dir).filter((x) => x.path.endsWith('app.env'));
    const c2 = f.find((x) => x.ruleId === 'tls-cert-unverified');
    assert.ok(c2, JSON.stringify(f));
    assert.match(c2.message, /libpq semantics \(consumer unknown\)/);
  });

  it('read by pg (node-postgres): sslmode=require verifies, so no finding', () => {
    const dir = tempTree({ 'deploy/app.env': ENV, 'src/db.ts': PG_CODE });
    dirs.push(dir);
    const f = findings(dir).filter((x) => x.path.endsWith('app.env'));
    assert.deepEqual(f.filter((x) => x.ruleId.startsWith('tls-')), []);
  });

  it('read by pgx: sslmode=require is unverified, and the message names the reader', () => {
    const dir = tempTree({ 'deploy/app.env': ENV, 'db/db.go': PGX_CODE });
    dirs.push(dir);
    const c2 = findings(dir).find((x) => x.path.endsWith('app.env') && x.ruleId === 'tls-cert-unverified');
    assert.ok(c2);
    assert.match(c2.message, /under pgx \(DATABASE_URL is read by db\/db\.go:9\)/);
  });

  it('read by two different drivers: the consumer stays unknown', () => {
    const dir = tempTree({ 'deploy/app.env': ENV, 'db/db.go': PGX_CODE, 'src/db.ts': PG_CODE });
    dirs.push(dir);
    const c2 = findings(dir).find((x) => x.path.endsWith('app.env') && x.ruleId === 'tls-cert-unverified');
    assert.ok(c2);
    assert.match(c2.message, /consumer unknown/);
  });

  // Readers are scoped by project (profile/index.ts scopeEnvConsumers): a monorepo's services
  // share variable names, not readers.
  const RDS_ENV = 'DATABASE_URL=postgres://a@a.cluster-x.eu-west-1.rds.amazonaws.com:5432/a?sslmode=require\n';
  const PGJS_CODE = "import postgres from 'postgres';\nexport const sql = postgres(process.env.DATABASE_URL!);\n";
  const PKG = '{ "name": "svc", "private": true }\n';

  it('monorepo: a service\'s .env is judged under its own reader, not a sibling service\'s', () => {
    const dir = tempTree({
      'package.json': PKG,
      'svcA/package.json': PKG,
      'svcA/.env': RDS_ENV,
      'svcA/src/db.ts': PG_CODE,
      'svcB/package.json': PKG,
      'svcB/src/db.ts': PGJS_CODE,
    });
    dirs.push(dir);
    const f = findings(dir).filter((x) => x.path === 'svcA/.env');
    // pg verifies under sslmode=require; what remains is Aurora's private CA, under pg alone.
    assert.equal(f.find((x) => x.ruleId === 'tls-cert-unverified'), undefined, JSON.stringify(f));
    const ca = f.find((x) => x.ruleId === 'tls-ca-untrusted');
    assert.ok(ca, JSON.stringify(f));
    assert.match(ca.message, /under node-postgres \(pg\) \(DATABASE_URL is read by svcA\/src\/db\.ts:2\)/);
    assert.ok(f.every((x) => !/svcB|also read/.test(x.message)), JSON.stringify(f));
  });

  it('monorepo: a sibling service\'s reader alone does not count (assumed semantics)', () => {
    const dir = tempTree({
      'svcA/package.json': PKG,
      'svcA/.env': ENV,
      'svcB/package.json': PKG,
      'svcB/src/db.ts': PG_CODE,
    });
    dirs.push(dir);
    const c2 = findings(dir).find((x) => x.path === 'svcA/.env' && x.ruleId === 'tls-cert-unverified');
    assert.ok(c2);
    assert.match(c2.message, /consumer unknown/);
  });

  it('monorepo: the message names the reader of the same service', () => {
    const dir = tempTree({
      'package.json': PKG,
      'svcA/go.mod': 'module example.com/svca\n\ngo 1.22\n',
      'svcA/.env': ENV,
      'svcA/db/db.go': PGX_CODE,
      'svcB/package.json': PKG,
      'svcB/src/db.ts': PG_CODE,
    });
    dirs.push(dir);
    const c2 = findings(dir).find((x) => x.path === 'svcA/.env' && x.ruleId === 'tls-cert-unverified');
    assert.ok(c2);
    assert.match(c2.message, /under pgx \(DATABASE_URL is read by svcA\/db\/db\.go:9\)\./);
  });

  it('monorepo: a root-level docker-compose.yml is judged by a sub-project\'s reader', () => {
    const compose = 'services:\n  api:\n    build: ./svcA\n    environment:\n      DATABASE_URL: postgres://app@db.internal.example.com:5432/app?sslmode=require\n';
    const dir = tempTree({
      'package.json': PKG,
      'docker-compose.yml': compose,
      'svcA/package.json': PKG,
      'svcA/db/db.go': PGX_CODE,
    });
    dirs.push(dir);
    const c2 = findings(dir).find((x) => x.path === 'docker-compose.yml' && x.ruleId === 'tls-cert-unverified');
    assert.ok(c2);
    assert.match(c2.message, /under pgx \(DATABASE_URL is read by svcA\/db\/db\.go:9\)/);
  });

  it('single project with a marker: unchanged, the reader anywhere in it counts', () => {
    const dir = tempTree({ 'package.json': PKG, 'deploy/app.env': ENV, 'db/db.go': PGX_CODE });
    dirs.push(dir);
    const c2 = findings(dir).find((x) => x.path.endsWith('app.env') && x.ruleId === 'tls-cert-unverified');
    assert.ok(c2);
    assert.match(c2.message, /under pgx \(DATABASE_URL is read by db\/db\.go:9\)/);
  });
});
