/**
 * SPEC §1.1 in the editor: a `.env` connection string is judged under the driver that code in
 * the workspace hands it to. Opening the code document changes the verdict on the config
 * document, and the server asks the client to pull diagnostics again.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TestClient } from './client';

const ENV = 'DATABASE_URL=postgres://app@db.internal.example.com:5432/app?sslmode=require\n';
const PG = "import { Pool } from 'pg';\nexport const pool = new Pool({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 5000 });\n";

describe('language server: config values under the driver that reads them', function () {
  this.timeout(30000);
  let ws: string;
  let client: TestClient;
  before(async () => {
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'connguard-consumers-'));
    client = new TestClient({ rootUri: pathToFileURL(ws).href });
    await client.initialize();
  });
  after(async () => {
    await client.close();
    fs.rmSync(ws, { recursive: true, force: true });
  });

  it('libpq semantics until a pg reader is open, then node-postgres semantics', async () => {
    const envUri = pathToFileURL(path.join(ws, 'deploy.env')).href;
    await client.open(envUri, 'dotenv', ENV);
    const before = await client.diagnostics(envUri);
    const c2 = before.find((d) => d.code === 'tls-cert-unverified');
    assert.ok(c2, JSON.stringify(before));
    assert.match(c2.message, /consumer unknown/);

    const refreshed = client.waitForRefresh();
    await client.open(pathToFileURL(path.join(ws, 'db.ts')).href, 'typescript', PG);
    await client.diagnostics(pathToFileURL(path.join(ws, 'db.ts')).href);
    await refreshed;
    const after = await client.diagnostics(envUri);
    assert.deepEqual(after.filter((d) => String(d.code).startsWith('tls-')), [], 'pg verifies sslmode=require');
  });
});

describe('language server: env readers scoped by project (monorepo)', function () {
  this.timeout(30000);
  let ws: string;
  let client: TestClient;
  before(async () => {
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'connguard-consumers-mono-'));
    // Project markers on disk: the language server finds projects from the directories.
    for (const svc of ['svcA', 'svcB']) {
      fs.mkdirSync(path.join(ws, svc, 'src'), { recursive: true });
      fs.writeFileSync(path.join(ws, svc, 'package.json'), '{ "private": true }\n');
    }
    client = new TestClient({ rootUri: pathToFileURL(ws).href });
    await client.initialize();
  });
  after(async () => {
    await client.close();
    fs.rmSync(ws, { recursive: true, force: true });
  });

  it("a sibling service's reader does not judge svcA/.env; svcA's own reader does", async () => {
    const envUri = pathToFileURL(path.join(ws, 'svcA', '.env')).href;
    await client.open(envUri, 'dotenv', ENV);

    const svcB = pathToFileURL(path.join(ws, 'svcB', 'src', 'db.ts')).href;
    const refreshedB = client.waitForRefresh();
    await client.open(svcB, 'typescript', PG);
    await client.diagnostics(svcB);
    await refreshedB;
    const before = await client.diagnostics(envUri);
    const c2 = before.find((d) => d.code === 'tls-cert-unverified');
    assert.ok(c2, JSON.stringify(before));
    assert.match(c2.message, /consumer unknown/);

    const svcA = pathToFileURL(path.join(ws, 'svcA', 'src', 'db.ts')).href;
    const refreshedA = client.waitForRefresh();
    await client.open(svcA, 'typescript', PG);
    await client.diagnostics(svcA);
    await refreshedA;
    const after = await client.diagnostics(envUri);
    assert.deepEqual(after.filter((d) => String(d.code).startsWith('tls-')), [], 'pg verifies sslmode=require');
  });
});
