/**
 * Redaction audit, `connguard test` surface (issue 5 item 3; SPEC §3/§4 "never log a secret"):
 * the real CLI against a private TLS PostgreSQL 15 (test/support/postgres.ts) and the SQL Server
 * TDS stand-in (test/support/tds-server.ts), with planted passwords in the connection string —
 * right and wrong, URL and keyword/ADO forms, and from PGPASSWORD — in text and JSON. The
 * reports, notes and error messages must hold none of the secrets in any form; each case also
 * asserts the outcome (authenticated / wrong password) so the audit is not vacuous.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { makePki, Pki } from '../support/pki';
import { PgInstance, startPostgres } from '../support/postgres';
import { createTdsPki, TdsPki } from '../support/tds-pki';
import { startTdsServer, TdsTestServer } from '../support/tds-server';
import { leaks, SecretBook } from './corpus';

const BIN = path.resolve(__dirname, '..', '..', '..', 'bin', 'connguard.js');

/**
 * Runs `connguard test …` asynchronously: the TDS stand-in lives in this process, so a
 * synchronous spawn would block the event loop it needs to answer.
 */
function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'test', ...args, '--yes', '--timeout', '5'], {
      env: { ...process.env, NO_COLOR: '1', PGPASSWORD: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const timer = setTimeout(() => child.kill(), 60000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

describe('redaction audit: connguard test (real PostgreSQL, TDS stand-in)', function () {
  this.timeout(120000);
  const book = new SecretBook();
  // Characters a URL must escape, so that the percent-encoded form is exercised too.
  const pgRight = book.password('pg-right', '@:/#?');
  const pgWrong = book.password('pg-wrong', '@:/');
  const pgEnv = book.password('pg-env-wrong');
  const cut = book.fragment('pg-url-cut-by-slash');
  const sqlRight = book.password('tds-right');
  const sqlWrong = book.password('tds-wrong');
  let pki: Pki;
  let pg: PgInstance;
  let tdsPki: TdsPki;
  let tds: TdsTestServer;

  const noLeak = (what: string, out: string): void => {
    const found = leaks(book, out);
    assert.deepEqual(found, [], `secrets in ${what}:\n${found.join('\n')}\n--- output ---\n${out}`);
  };

  before(async () => {
    pki = makePki();
    pg = await startPostgres({ cert: pki.good.cert, key: pki.good.key, hba: ['hostssl all all 127.0.0.1/32 scram-sha-256'] });
    await pg.admin(`CREATE ROLE app LOGIN PASSWORD '${pgRight.replace(/'/g, "''")}'`);
    await pg.admin('CREATE DATABASE app OWNER app');
    tdsPki = createTdsPki();
    tds = await startTdsServer({ encryption: 'ENCRYPT_REQ', identity: tdsPki.valid, logins: { app: sqlRight } });
  });

  after(async () => {
    pg?.stop();
    pki?.cleanup();
    await tds?.close();
    tdsPki?.dispose();
  });

  const pgUrl = (password: string): string =>
    `postgres://app:${encodeURIComponent(password)}@127.0.0.1:${pg.port}/app?sslmode=verify-full&sslrootcert=${pki.caFile}`;

  for (const format of ['text', 'json']) {
    it(`PostgreSQL, right password in the URL (${format})`, async () => {
      const r = await cli([pgUrl(pgRight), '--format', format]);
      assert.equal(r.code, 0, r.out);
      assert.match(r.out, /hard-coded secret/);
      noLeak(`test --format ${format}`, r.out);
    });

    it(`PostgreSQL, wrong password in the URL: 28P01 (${format})`, async () => {
      const r = await cli([pgUrl(pgWrong), '--format', format]);
      assert.equal(r.code, 1, r.out);
      assert.match(r.out, /28P01/);
      noLeak(`test --format ${format}`, r.out);
    });

    it(`PostgreSQL, keyword/value form with the right password (${format})`, async () => {
      const kv = `host=127.0.0.1 port=${pg.port} user=app dbname=app password='${pgRight.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}' sslmode=verify-full sslrootcert=${pki.caFile}`;
      const r = await cli([kv, '--format', format]);
      assert.equal(r.code, 0, r.out);
      noLeak(`test --format ${format}`, r.out);
    });

    it(`PostgreSQL, wrong password from PGPASSWORD (${format})`, async () => {
      const r = await cli([`postgres://app@127.0.0.1:${pg.port}/app?sslmode=verify-full&sslrootcert=${pki.caFile}`, '--format', format], { PGPASSWORD: pgEnv });
      assert.equal(r.code, 1, r.out);
      assert.match(r.out, /28P01/);
      noLeak(`test --format ${format}`, r.out);
    });

    it(`PostgreSQL, a password with an unescaped "/" never becomes the host (${format})`, async () => {
      const r = await cli([`postgres://app:Pw-a@${cut}/x@127.0.0.1:${pg.port}/app?sslmode=verify-full&sslrootcert=${pki.caFile}`, '--format', format]);
      assert.match(r.out, /unescaped/);
      noLeak(`test --format ${format}`, r.out);
    });

    it(`SQL Server stand-in, right password in a sqlserver:// URL (${format})`, async () => {
      const r = await cli([`sqlserver://app:${encodeURIComponent(sqlRight)}@127.0.0.1:${tds.port}?database=appdb&encrypt=true&TrustServerCertificate=true`, '--format', format]);
      assert.match(r.out, /encrypt_option/, r.out);
      assert.doesNotMatch(r.out, /18456/, r.out);
      noLeak(`test --format ${format}`, r.out);
    });

    it(`SQL Server stand-in, wrong password in an ADO string: 18456 (${format})`, async () => {
      const r = await cli([`Server=127.0.0.1,${tds.port};Database=appdb;User Id=app;Password=${sqlWrong};Encrypt=true;TrustServerCertificate=true`, '--format', format]);
      assert.equal(r.code, 1, r.out);
      assert.match(r.out, /18456/);
      noLeak(`test --format ${format}`, r.out);
    });
  }
});
