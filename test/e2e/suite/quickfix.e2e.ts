/** The preferred quick fix from the server applies through VS Code and clears the diagnostic. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activated, codeOf, hasRule, lacksRule, waitForDiagnostics, workspaceFile } from './helpers';

describe('quick fix', () => {
  before(activated);

  it('applies "Set sslmode=verify-full" and the finding goes away', async () => {
    const uri = workspaceFile('main.go');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const diags = await waitForDiagnostics(uri, hasRule('tls-disabled'), 'tls-disabled');
    const d = diags.find((x) => codeOf(x) === 'tls-disabled')!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      uri,
      d.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const fix = actions.find((a) => a.title === 'Set sslmode=verify-full');
    assert.ok(fix?.edit, JSON.stringify(actions.map((a) => a.title)));
    assert.equal(fix.isPreferred, true, JSON.stringify(actions.map((a) => [a.title, a.isPreferred, a.diagnostics?.map(codeOf)])));
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(doc.getText(), /sslmode=verify-full/);
    await waitForDiagnostics(uri, lacksRule('tls-disabled'), 'tls-disabled to disappear');
    // Leave the file as it was for the other suites (never saved to disk).
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
