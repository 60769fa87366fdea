/**
 * Helpers for the extension-host suites: wait on diagnostics through events
 * (`onDidChangeDiagnostics`) — a timeout only bounds the wait, it is never a sleep — and find the
 * workspace's files. Runs inside VS Code (code-server or @vscode/test-electron).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'connguard.connguard';

export function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the e2e tests need a workspace folder (test/e2e/workspace copied by the runner)');
  return vscode.Uri.file(path.join(folder.uri.fsPath, name));
}

export function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  return typeof c === 'object' ? String(c.value) : String(c);
}

export function connguardDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'connguard');
}

/** Resolves with ConnGuard's diagnostics for `uri` once `accept` holds for them. */
export function waitForDiagnostics(
  uri: vscode.Uri,
  accept: (diags: vscode.Diagnostic[]) => boolean,
  what: string,
  timeoutMs = 30000,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    let sub: vscode.Disposable | undefined;
    const done = (diags: vscode.Diagnostic[]): void => {
      sub?.dispose();
      clearTimeout(timer);
      resolve(diags);
    };
    const check = (): boolean => {
      const diags = connguardDiagnostics(uri);
      if (!accept(diags)) return false;
      done(diags);
      return true;
    };
    const timer = setTimeout(() => {
      sub?.dispose();
      const now = connguardDiagnostics(uri).map((d) => `${codeOf(d)}: ${d.message}`);
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} on ${uri.fsPath}; now: ${JSON.stringify(now)}`));
    }, timeoutMs);
    sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    check();
  });
}

export const hasRule = (id: string) => (diags: vscode.Diagnostic[]): boolean => diags.some((d) => codeOf(d) === id);
export const lacksRule = (id: string) => (diags: vscode.Diagnostic[]): boolean => !diags.some((d) => codeOf(d) === id);

export async function activated(): Promise<{ ready: Promise<void> }> {
  const ext = vscode.extensions.getExtension<{ ready: Promise<void> }>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed in this VS Code`);
  const api = await ext.activate();
  await api.ready;
  return api;
}

/** What the runner wrote beside the workspace (e2e-options.json): the run's mode and database. */
export interface E2eOptions {
  readonly mode?: 'trusted' | 'untrusted';
  readonly postgres?: { host: string; port: number; user: string; password: string; database: string; caFile: string };
}

export function e2eOptions(): E2eOptions {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder');
  return JSON.parse(fs.readFileSync(path.join(path.dirname(folder.uri.fsPath), 'e2e-options.json'), 'utf8')) as E2eOptions;
}
