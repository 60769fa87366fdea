/** `connguard.rules` in the workspace settings turns a rule off, and back on. */
import * as vscode from 'vscode';
import { activated, hasRule, lacksRule, waitForDiagnostics, workspaceFile } from './helpers';

describe('settings', () => {
  before(activated);

  it('connguard.rules {"tls-disabled": "off"} removes the finding', async () => {
    const uri = workspaceFile('settings.go');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await waitForDiagnostics(uri, hasRule('tls-disabled'), 'tls-disabled');
    const config = vscode.workspace.getConfiguration('connguard');
    await config.update('rules', { 'tls-disabled': 'off' }, vscode.ConfigurationTarget.Workspace);
    try {
      await waitForDiagnostics(uri, lacksRule('tls-disabled'), 'tls-disabled to be turned off');
    } finally {
      await config.update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitForDiagnostics(uri, hasRule('tls-disabled'), 'tls-disabled to come back');
  });
});
