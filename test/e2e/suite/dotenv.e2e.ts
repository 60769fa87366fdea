/** `.env` files get the extension's `dotenv` language and are analysed. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activated, hasRule, waitForDiagnostics, workspaceFile } from './helpers';

describe('dotenv', () => {
  before(activated);

  it('a .env file gets languageId dotenv and diagnostics', async () => {
    const uri = workspaceFile('.env');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, 'dotenv');
    await waitForDiagnostics(uri, hasRule('tls-disabled'), 'tls-disabled in .env');
  });
});
