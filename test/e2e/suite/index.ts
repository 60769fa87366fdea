/**
 * Entry point of the extension-host tests (`extensionTestsPath`): runs every `*.e2e.js` suite of
 * this folder with mocha inside VS Code — under @vscode/test-electron (test/e2e/runTest.ts) or
 * code-server driven by Chromium (test/e2e/run-code-server.js).
 *
 * Results go to `<workspace folder>/../e2e-results.json` (the runners copy the workspace into a
 * temporary directory and read the file from there), because a browser-hosted workbench has no
 * exit code to pass back. With `"screenshot": true` in `<workspace folder>/../e2e-options.json`,
 * the runner takes a picture afterwards: this module leaves the editor showing a finding with
 * the quick-fix menu open, says so in the results file, and waits for the runner's `screenshot-done`
 * file before returning. `"mode": "untrusted"` runs only untrusted.e2e.js (the runner opened the
 * folder in Restricted Mode); any other mode runs every suite but that one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { codeOf, hasRule, waitForDiagnostics, workspaceFile } from './helpers';

interface TestResult {
  readonly title: string;
  readonly state: 'passed' | 'failed';
  readonly error?: string;
  readonly ms?: number;
}

function baseDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder: the runner must open the copied test/e2e/workspace');
  return path.dirname(folder.uri.fsPath);
}

function waitForFile(file: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (fs.existsSync(file)) return resolve(true);
    const watcher = fs.watch(path.dirname(file), () => {
      if (!fs.existsSync(file)) return;
      watcher.close();
      clearTimeout(timer);
      resolve(true);
    });
    const timer = setTimeout(() => {
      watcher.close();
      resolve(fs.existsSync(file));
    }, timeoutMs);
  });
}

/** Leaves the editor on a finding with the quick-fix menu open, for the runner's screenshot. */
async function stageScreenshot(): Promise<void> {
  // Room for the code: no side bar, no leftover notifications from the suites.
  await vscode.commands.executeCommand('workbench.action.closeSidebar');
  await vscode.commands.executeCommand('notifications.clearAll');
  // One editor group, nothing else open: the suites leave reports and test files behind.
  await vscode.commands.executeCommand('workbench.action.closeAllGroups');
  await vscode.commands.executeCommand('workbench.action.closePanel');
  const uri = workspaceFile('screenshot.go');
  const doc = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  const diags = await waitForDiagnostics(uri, hasRule('tls-cert-unverified'), 'tls-cert-unverified').catch(() =>
    waitForDiagnostics(uri, (d) => d.length > 0, 'any finding'),
  );
  const target = diags.find((d) => codeOf(d) === 'tls-cert-unverified') ?? diags[0];
  editor.selection = new vscode.Selection(target.range.start, target.range.start);
  editor.revealRange(target.range, vscode.TextEditorRevealType.InCenter);
  await vscode.commands.executeCommand('editor.action.quickFix');
}

export async function run(): Promise<void> {
  const dir = baseDir();
  const resultsFile = path.join(dir, 'e2e-results.json');
  let options: { screenshot?: boolean; mode?: string } = {};
  try {
    options = JSON.parse(fs.readFileSync(path.join(dir, 'e2e-options.json'), 'utf8'));
  } catch {
    // no options: plain run
  }
  const mocha = new Mocha({ ui: 'bdd', timeout: 60000, color: false, reporter: 'spec' });
  const untrusted = options.mode === 'untrusted';
  for (const f of fs.readdirSync(__dirname).sort()) {
    if (f.endsWith('.e2e.js') && (f === 'untrusted.e2e.js') === untrusted) mocha.addFile(path.join(__dirname, f));
  }
  const results: TestResult[] = [];
  const failures = await new Promise<number>((resolve) => {
    const runner = mocha.run((n) => resolve(n));
    runner.on('pass', (t) => results.push({ title: t.fullTitle(), state: 'passed', ms: t.duration }));
    runner.on('fail', (t, err: Error) => results.push({ title: t.fullTitle(), state: 'failed', error: err?.stack ?? String(err) }));
  });
  let screenshotReady = false;
  if (options.screenshot) {
    try {
      await stageScreenshot();
      screenshotReady = true;
    } catch (e) {
      results.push({ title: 'stage the screenshot', state: 'failed', error: (e as Error).stack });
    }
  }
  const passed = results.filter((r) => r.state === 'passed').length;
  const failed = results.filter((r) => r.state === 'failed').length;
  const summary = { vscodeVersion: vscode.version, passed, failed, mochaFailures: failures, screenshotReady, results };
  fs.writeFileSync(resultsFile + '.tmp', JSON.stringify(summary, null, 2));
  fs.renameSync(resultsFile + '.tmp', resultsFile);
  if (screenshotReady) await waitForFile(path.join(dir, 'screenshot-done'), 60000);
  if (failed > 0) throw new Error(`${failed} extension-host test(s) failed`);
}
