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
});
