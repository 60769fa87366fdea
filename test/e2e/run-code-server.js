#!/usr/bin/env node
/**
 * Runs the extension-host suites (test/e2e/suite, compiled to out/test/e2e/suite) in real VS Code
 * here: code-server 4.100.3 (VS Code 1.100.3) opened in Debian's Chromium through playwright-core,
 * the extension loaded from this repository as a development extension (shared/TESTBED.md).
 *
 * Steps: install/reuse code-server (setup-code-server.sh) → copy test/e2e/workspace to a temp
 * dir → start code-server on a free loopback port → open the workbench with
 * extensionDevelopmentPath/extensionTestsPath → wait for the suites' results file → take
 * test-results/editor.png (a finding with the quick-fix menu open) → print the results and a
 * closing "N passed, N failed" line → exit 1 on any failure, a missing result or a timeout.
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

async function main() {
  for (const f of [path.join(ROOT, 'dist', 'extension.js'), path.join(ROOT, 'dist', 'server.js'), SUITE]) {
    if (!fs.existsSync(f)) throw new Error(`${path.relative(ROOT, f)} is missing: run npm run build && npx tsc -p . first`);
  }
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: run test/e2e/setup-code-server.sh (installs Debian's chromium)`);
  const cs = codeServerDir();
  const entry = path.join(cs, 'out', 'node', 'entry.js');
  if (!fs.existsSync(entry)) throw new Error(`code-server not found at ${cs}`);

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'connguard-e2e-'));
  const workspace = path.join(tmp, 'workspace');
  fs.cpSync(path.join(__dirname, 'workspace'), workspace, { recursive: true });
  fs.writeFileSync(path.join(tmp, 'e2e-options.json'), JSON.stringify({ screenshot: true }));
  const userData = path.join(tmp, 'user');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify({
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'security.workspace.trust.enabled': false,
      'telemetry.telemetryLevel': 'off',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'update.mode': 'none',
      'workbench.enableExperiments': false,
      'window.commandCenter': false,
      'chat.commandCenter.enabled': false,
      'workbench.colorTheme': 'Default Dark Modern',
    }),
  );
  const resultsFile = path.join(tmp, 'e2e-results.json');
  const port = await freePort();
  const started = Date.now();

  log(`code-server ${cs} on 127.0.0.1:${port}, workspace ${workspace}`);
  const server = spawn(
    process.execPath,
    [
      entry,
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
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
    await waitFor(() => httpOk(`http://127.0.0.1:${port}/healthz`), 60000, 'code-server to listen');
    log(`code-server up after ${((Date.now() - started) / 1000).toFixed(1)} s`);

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
    log('workbench opened; waiting for the suites');
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

    log(`VS Code ${results.vscodeVersion}, ${((Date.now() - started) / 1000).toFixed(1)} s`);
    for (const r of results.results) {
      process.stdout.write(`  ${r.state === 'passed' ? '✔' : '✖'} ${r.title}${r.ms !== undefined ? ` (${r.ms} ms)` : ''}\n`);
      if (r.error) process.stdout.write(`      ${r.error.split('\n').join('\n      ')}\n`);
    }
    process.stdout.write(`${results.passed} passed, ${results.failed} failed\n`);
    await cleanup();
    fs.rmSync(tmp, { recursive: true, force: true });
    return results.failed === 0 && results.passed > 0 ? 0 : 1;
  } catch (e) {
    log(`error: ${e instanceof Error ? e.message : e}`);
    if (serverLog) log(`code-server output (last 3000 chars):\n${serverLog.slice(-3000)}`);
    await cleanup();
    process.stdout.write('0 passed, 1 failed\n');
    return 1;
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`[e2e] ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  },
);
