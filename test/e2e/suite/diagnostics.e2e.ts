/** Diagnostics, hover and CodeLens appear in the editor for an insecure connection string. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activated, codeOf, hasRule, waitForDiagnostics, workspaceFile } from './helpers';

describe('diagnostics', () => {
  before(activated);

  it('reports tls-disabled in a Go file with its docs link', async () => {
    const uri = workspaceFile('main.go');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const diags = await waitForDiagnostics(uri, hasRule('tls-disabled'), 'tls-disabled');
    const d = diags.find((x) => codeOf(x) === 'tls-disabled')!;
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.match(String((d.code as { target: vscode.Uri }).target), /docs\/rules\/tls-disabled\.md$/);
    assert.ok(doc.getText(d.range).includes('disable'));
  });

  it('hovers the connection with its effective profile', async () => {
    const uri = workspaceFile('main.go');
    const doc = await vscode.workspace.openTextDocument(uri);
    await waitForDiagnostics(uri, hasRule('tls-disabled'), 'tls-disabled');
    const at = doc.positionAt(doc.getText().indexOf('sslmode') + 2);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, at);
    const text = hovers
      .flatMap((h) => h.contents)
      .map((c) => (typeof c === 'string' ? c : c.value))
      .join('\n');
    assert.match(text, /\*\*pgx\*\* → `db\.example\.com`/);
    assert.match(text, /TLS off/);
  });

  it('shows "Test connection" and "Show profile" CodeLenses; "Show profile" opens the profile', async () => {
    const uri = workspaceFile('main.go');
    await waitForDiagnostics(uri, hasRule('tls-disabled'), 'tls-disabled');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    assert.ok(lenses.some((l) => l.command?.title === 'Test connection' && l.command.command === 'connguard.testConnection'));
    const lens = lenses.find((l) => l.command?.title === 'Show profile');
    assert.ok(lens, JSON.stringify(lenses.map((l) => l.command?.title)));
    const view = await vscode.commands.executeCommand<{ summary: string } | null>(lens.command!.command, ...(lens.command!.arguments ?? []));
    assert.match(view?.summary ?? '', /^pgx → db\.example\.com: TLS off/);
  });
});
