/**
 * "Test connection" in real VS Code against the runner's private TLS PostgreSQL (run-code-server.js
 * writes `live.env` and the port/password into e2e-options.json): the CodeLens runs
 * `connguard.testConnection`, the host is confirmed and the password given through the
 * extension's test hooks (VS Code refuses dialogs in tests), and the report document reads as a
 * person would read it. A second test finds the host remembered (workspaceState) and the password
 * in SecretStorage: nothing is asked again.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ConnGuardApi } from '../../../client/src/extension';
import type { TestConnectionCommandResult } from '../../../client/src/testConnection';
import type { ConnectionTargetInfo } from '../../../shared/src/protocol';
import { activated, e2eOptions, workspaceFile } from './helpers';

describe('test connection (PostgreSQL with TLS)', () => {
  let api: ConnGuardApi;
  const confirms: ConnectionTargetInfo[] = [];
  const passwords: ConnectionTargetInfo[] = [];
  const db = () => {
    const pg = e2eOptions().postgres;
    if (!pg) throw new Error('the runner did not start PostgreSQL (e2e-options.json has no "postgres")');
    return pg;
  };

  before(async () => {
    api = (await activated()) as ConnGuardApi;
    assert.ok(api.testHooks, 'test hooks exist in extension test mode');
    api.testHooks.setPrompts({
      confirmHost: async (info) => {
        confirms.push(info);
        return true;
      },
      askPassword: async (info) => {
        passwords.push(info);
        return db().password;
      },
      offerToStore: async () => true,
      allowEnvSecrets: async () => false,
    });
  });

  function reportText(r: TestConnectionCommandResult | undefined): string {
    assert.ok(r?.reportUri, JSON.stringify(r));
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === r.reportUri);
    assert.ok(doc, 'the report document is open');
    assert.equal(doc.languageId, 'markdown');
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), r.reportUri, 'the report is shown');
    return doc.getText();
  }

  it('the CodeLens runs the test; the report shows steps, icons, durations, facts and verified live', async () => {
    const uri = workspaceFile('live.env');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    const lens = lenses.find((l) => l.command?.title === 'Test connection');
    assert.ok(lens?.command, JSON.stringify(lenses.map((l) => l.command?.title)));
    assert.equal(lens.command.command, 'connguard.testConnection');
    const r = await vscode.commands.executeCommand<TestConnectionCommandResult>(lens.command.command, ...(lens.command.arguments ?? []));
    assert.equal(r?.outcome, 'tested', r?.text);
    assert.equal(r.report?.verifiedTls, true, r.text);
    const text = reportText(r);
    assert.match(text, new RegExp(`^# Test connection: postgres app@localhost:${db().port}/app`));
    assert.match(text, /Connected with verified TLS/);
    assert.match(text, /✅ TLS handshake — ok, \d+ ms/);
    assert.match(text, /✅ Server certificate/);
    assert.match(text, /ConnGuard Test CA/);
    assert.match(text, /Server version\*\*: PostgreSQL 15/);
    assert.match(text, /verified live: C1, C2, C3/);
    assert.ok(!text.includes(db().password), 'no password in the report');
    assert.equal(confirms.length, 1);
    assert.equal(confirms[0].host, 'localhost');
    assert.equal(confirms[0].origin, 'live.env:2');
    assert.equal(passwords.length, 1);
  });

  it('a pasted connection string to the same host: remembered host, password from SecretStorage', async () => {
    await api.testHooks!.settled(); // the "store the password?" answer has been acted on
    const pg = db();
    const dsn = `postgres://app@localhost:${pg.port}/app?sslmode=verify-full&sslrootcert=${pg.caFile}`;
    const r = await vscode.commands.executeCommand<TestConnectionCommandResult>('connguard.testConnection', { dsn });
    assert.equal(r?.outcome, 'tested', r?.text);
    assert.equal(r.report?.verifiedTls, true, r.text);
    assert.match(reportText(r), /verified live: C1/);
    assert.equal(confirms.length, 1, 'the confirmed host is remembered for the workspace');
    assert.equal(passwords.length, 1, 'the stored password is used');
  });

  it('the command palette entry is contributed with trust enablement', () => {
    const pkg = vscode.extensions.getExtension('connguard.connguard')!.packageJSON as {
      contributes: { commands: { command: string; enablement?: string; title: string }[]; menus: { commandPalette: { command: string; when?: string }[] } };
    };
    const cmd = pkg.contributes.commands.find((c) => c.command === 'connguard.testConnection');
    assert.equal(cmd?.title, 'Test Connection…');
    assert.equal(cmd?.enablement, 'isWorkspaceTrusted');
    assert.ok(pkg.contributes.menus.commandPalette.some((m) => m.command === 'connguard.testConnection' && m.when === 'isWorkspaceTrusted'));
  });
});
