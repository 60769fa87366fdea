/**
 * Restricted Mode (run-code-server.js's "untrusted" run: workspace trust on, the folder never
 * trusted): analysis still runs, but "Test connection" is refused by the extension and — from the
 * trust state sent in initializationOptions — by the language server itself.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ConnGuardApi } from '../../../client/src/extension';
import type { TestConnectionResult } from '../../../shared/src/protocol';
import { activated, e2eOptions, hasRule, waitForDiagnostics, workspaceFile } from './helpers';

describe('untrusted workspace', () => {
  let api: ConnGuardApi;
  let dsn: string;
  let asked = 0;

  before(async () => {
    api = (await activated()) as ConnGuardApi;
    const pg = e2eOptions().postgres!;
    dsn = `postgres://app@localhost:${pg.port}/app?sslmode=verify-full&sslrootcert=${pg.caFile}`;
    api.testHooks!.setPrompts({
      confirmHost: async () => {
        asked++;
        return true;
      },
      askPassword: async () => {
        asked++;
        return pg.password;
      },
    });
  });

  it('the folder is open in Restricted Mode', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it('still analyses files', async () => {
    const uri = workspaceFile('main.go');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await waitForDiagnostics(uri, hasRule('tls-disabled'), 'tls-disabled');
  });

  it('the command refuses to test a connection', async () => {
    const r = await vscode.commands.executeCommand<TestConnectionResult>('connguard.testConnection', { dsn });
    assert.equal(r?.outcome, 'refused');
    assert.match(r.message, /not trusted/);
    assert.equal(asked, 0, 'nothing was asked');
  });

  it('the language server refuses too (trust from initializationOptions), even with a confirmed host', async () => {
    const pg = e2eOptions().postgres!;
    const r = await api.client.sendRequest<TestConnectionResult>('workspace/executeCommand', {
      command: 'connguard.testConnection',
      arguments: [{ dsn, confirmedHosts: [`localhost:${pg.port}`] }],
    });
    assert.equal(r.outcome, 'refused');
    assert.match(r.message, /not trusted/);
    assert.equal(r.report, undefined);
    assert.equal(asked, 0);
  });
});
