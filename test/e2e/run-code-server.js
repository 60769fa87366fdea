#!/usr/bin/env node
/**
 * Runs the extension-host suites (test/e2e/suite, compiled to out/test/e2e/suite) in real VS Code
 * here: code-server 4.100.3 (VS Code 1.100.3) opened in Debian's Chromium through playwright-core,
 * the extension loaded from this repository as a development extension (shared/TESTBED.md).
 *
 * Steps: install/reuse code-server (setup-code-server.sh) → start a private TLS PostgreSQL 15
 * (test/support, compiled to out/test/support) for the test-connection suite → for each run
 * (trusted, then untrusted): copy test/e2e/workspace to a temp dir (plus `live.env` pointing at
 * the PostgreSQL instance and its `ca.pem`) → start code-server on a free loopback port → open the
 * workbench with extensionDevelopmentPath/extensionTestsPath → wait for the suites' results file
 * → (trusted run) take test-results/editor.png (a finding with the quick-fix menu open) → print
 * the results and one closing "N passed, N failed" line for both runs → exit 1 on any failure, a
 * missing result or a timeout.
 *
 * The runs differ by `e2e-options.json` beside the workspace (`mode`, read by suite/index.ts):
 *  - trusted: `--disable-workspace-trust`, every suite but untrusted.e2e.js;
 *  - untrusted: workspace trust on (`security.workspace.trust.enabled`, no start-up prompt, the
 *    folder never trusted), only untrusted.e2e.js — Restricted Mode, where tests must be refused.
 * The PostgreSQL port, user and password reach the suites through `e2e-options.json` too.
 *
 *   npm run build && npx tsc -p . && node test/e2e/run-code-server.js
 *   CODE_SERVER=/path/to/node_modules/code-server  (skip the setup script)
 *   CONNGUARD_E2E_TIMEOUT_S=600                    (whole-run limit, default 600)
 */
'use strict';
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const SUITE = path.join(ROOT, 'out', 'test', 'e2e', 'suite', 'index.js');
const RESULTS_DIR = path.join(ROOT, 'test-results');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TIMEOUT_MS = Number(process.env.CONNGUARD_E2E_TIMEOUT_S || 600) * 1000;

function log(msg) {
  process.stdout.write(`[e2e] ${msg}\n`);
}

function codeServerDir() {
  if (process.env.CODE_SERVER) return process.env.CODE_SERVER;
  const out = execFileSync('bash', [path.join(__dirname, 'setup-code-server.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return out.trim().split('\n').pop();
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function waitFor(predicate, timeoutMs, what, intervalMs = 250) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = async () => {
      let ok = false;
      try {
        ok = await predicate();
      } catch {
        ok = false;
      }
      if (ok) return resolve();
      if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, intervalMs);
    };
    void tick();
  });
}

async function httpOk(url) {
  try {
    const res = await fetch(url);
    return res.status < 500;
  } catch {
    return false;
  }
}

const BASE_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'workbench.enableExperiments': false,
  'window.commandCenter': false,
  'chat.commandCenter.enabled': false,
  'workbench.colorTheme': 'Default Dark Modern',
};

const PG_PASSWORD = 'E2e-Pg-pw-7x!';

/** A private TLS PostgreSQL with role/database `app` (scram, TLS required), and its CA. */
async function startDatabase() {
  const support = path.join(ROOT, 'out', 'test', 'support');
  const { makePki } = require(path.join(support, 'pki.js'));
  const { startPostgres } = require(path.join(support, 'postgres.js'));
  const pki = makePki();
  let pg;
  try {
    pg = await startPostgres({ cert: pki.good.cert, key: pki.good.key, hba: ['hostssl all all 127.0.0.1/32 scram-sha-256', 'hostnossl all all 0.0.0.0/0 reject'] });
    await pg.admin(`CREATE ROLE app LOGIN PASSWORD '${PG_PASSWORD}'`);
    await pg.admin('CREATE DATABASE app OWNER app');
  } catch (e) {
    pg?.stop();
    pki.cleanup();
    throw e;
  }
  return {
    pki,
    pg,
    stop() {
      pg.stop();
      pki.cleanup();
    },
  };
}

/** One code-server session running the suites of `mode`; returns the parsed results file. */
async function runOnce(cs, mode, db, started) {
  const entry = path.join(cs, 'out', 'node', 'entry.js');
  const trusted = mode === 'trusted';
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `connguard-e2e-${mode}-`));
  const workspace = path.join(tmp, 'workspace');
  fs.cpSync(path.join(__dirname, 'workspace'), workspace, { recursive: true });
  // The connection the test-connection suite tests (localhost: the certificate's SAN).
  fs.copyFileSync(db.pki.caFile, path.join(workspace, 'ca.pem'));
  fs.writeFileSync(path.join(workspace, 'live.env'), `# The e2e PostgreSQL (written by run-code-server.js)\nDATABASE_URL=postgres://app@localhost:${db.pg.port}/app?sslmode=verify-full&sslrootcert=ca.pem\n`);
  fs.writeFileSync(
    path.join(tmp, 'e2e-options.json'),
    JSON.stringify({ mode, screenshot: trusted, postgres: { host: 'localhost', port: db.pg.port, user: 'app', password: PG_PASSWORD, database: 'app', caFile: path.join(workspace, 'ca.pem') } }),
  );
  const userData = path.join(tmp, 'user');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  const trust = trusted
    ? { 'security.workspace.trust.enabled': false }
    : { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'never', 'security.workspace.trust.emptyWindow': false };
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({ ...BASE_SETTINGS, ...trust }));
  const resultsFile = path.join(tmp, 'e2e-results.json');
  const port = await freePort();

  log(`[${mode}] code-server ${cs} on 127.0.0.1:${port}, workspace ${workspace}`);
  const server = spawn(
    process.execPath,
    [
      entry,
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      ...(trusted ? ['--disable-workspace-trust'] : []),
      '--disable-getting-started-override',
      '--user-data-dir', userData,
      '--extensions-dir', path.join(tmp, 'extensions'),
      workspace,
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      // No marketplace: point the extension gallery at a closed loopback port so that the
      // workbench never looks up a public host.
      env: { ...process.env, EXTENSIONS_GALLERY: JSON.stringify({ serviceUrl: 'http://127.0.0.1:9/gallery', itemUrl: 'http://127.0.0.1:9/item' }) },
    },
  );
  let serverLog = '';
  server.stdout.on('data', (b) => (serverLog += b));
  server.stderr.on('data', (b) => (serverLog += b));
  let browser;
  const cleanup = async () => {
    if (browser) await browser.close().catch(() => undefined);
    if (server.exitCode === null) server.kill('SIGTERM');
  };
  try {
    const t0 = Date.now();
    await waitFor(() => httpOk(`http://127.0.0.1:${port}/healthz`), 60000, 'code-server to listen');
    log(`[${mode}] code-server up after ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    const { chromium } = require('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    // The workbench's console (with the extension host's, where mocha reports) — on request.
    if (process.env.CONNGUARD_E2E_VERBOSE) page.on('console', (m) => process.stdout.write(`  [browser] ${m.text()}\n`));
    const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(ROOT)],
      ['extensionTestsPath', remote(SUITE)],
    ];
    const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url);
    log(`[${mode}] workbench opened; waiting for the suites`);
    await waitFor(() => fs.existsSync(resultsFile), TIMEOUT_MS - (Date.now() - started), 'the e2e results file', 500);
    const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));

    if (results.screenshotReady) {
      fs.mkdirSync(RESULTS_DIR, { recursive: true });
      const shot = path.join(RESULTS_DIR, 'editor.png');
      // The quick-fix widget is in the DOM once VS Code has rendered it.
      await page.waitForSelector('.action-widget', { timeout: 15000 }).catch(() => log('quick-fix menu not visible; taking the screenshot anyway'));
      await page.screenshot({ path: shot });
      log(`screenshot: ${path.relative(process.cwd(), shot)}`);
    }
    fs.writeFileSync(path.join(tmp, 'screenshot-done'), '');
    log(`[${mode}] VS Code ${results.vscodeVersion}, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    await cleanup();
    fs.rmSync(tmp, { recursive: true, force: true });
    return results;
  } catch (e) {
    log(`[${mode}] error: ${e instanceof Error ? e.message : e}`);
    if (serverLog) log(`code-server output (last 3000 chars):\n${serverLog.slice(-3000)}`);
    await cleanup();
    return { passed: 0, failed: 1, results: [{ title: `${mode} run`, state: 'failed', error: e instanceof Error ? e.message : String(e) }] };
  }
}

async function main() {
  for (const f of [path.join(ROOT, 'dist', 'extension.js'), path.join(ROOT, 'dist', 'server.js'), SUITE, path.join(ROOT, 'out', 'test', 'support', 'postgres.js')]) {
    if (!fs.existsSync(f)) throw new Error(`${path.relative(ROOT, f)} is missing: run npm run build && npx tsc -p . first`);
  }
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: run test/e2e/setup-code-server.sh (installs Debian's chromium)`);
  const cs = codeServerDir();
  if (!fs.existsSync(path.join(cs, 'out', 'node', 'entry.js'))) throw new Error(`code-server not found at ${cs}`);
  const started = Date.now();
  const db = await startDatabase();
  log(`PostgreSQL 15 with TLS on 127.0.0.1:${db.pg.port}`);
  let passed = 0;
  let failed = 0;
  try {
    for (const mode of ['trusted', 'untrusted']) {
      const results = await runOnce(cs, mode, db, started);
      for (const r of results.results) {
        process.stdout.write(`  ${r.state === 'passed' ? '✔' : '✖'} [${mode}] ${r.title}${r.ms !== undefined ? ` (${r.ms} ms)` : ''}\n`);
        if (r.error) process.stdout.write(`      ${r.error.split('\n').join('\n      ')}\n`);
      }
      passed += results.passed;
      failed += results.failed + (results.passed === 0 && results.failed === 0 ? 1 : 0);
    }
  } finally {
    db.stop();
  }
  log(`both runs: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`[e2e] ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  },
);
