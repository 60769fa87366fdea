/**
 * The client restarts a crashed server and says so (issue 5): the test-only hook kills the
 * language server process; vscode-languageclient's default error handler restarts it, and the
 * extension tells the user (log, status bar, notification) with RESTARTED_MESSAGE. The test waits
 * on the extension's restart event and then on diagnostics from the new server (events; the
 * mocha timeout is only a hang guard). Named to run after the other trusted suites.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ConnGuardApi } from '../../../client/src/extension';
import { EXTENSION_ID, hasRule, waitForDiagnostics } from './helpers';

const GO = `package main

import "database/sql"

func main() {
	db, err := sql.Open("pgx", "postgres://app@db.example.com/app?sslmode=disable")
	_, _ = db, err
}
`;

describe('server crash', function () {
  this.timeout(60000);

  it('the client restarts a crashed server and says so', async () => {
    const api = await vscode.extensions.getExtension<ConnGuardApi>(EXTENSION_ID)!.activate();
    await api.ready;
    const hooks = api.testHooks;
    assert.ok(hooks, 'test hooks exist in extension test mode');
    const restarted = hooks.nextRestart();
    hooks.crashServer();
    assert.equal(await restarted, 'ConnGuard language server stopped unexpectedly and was restarted.');
    assert.equal(api.client.isRunning(), true);
    // The new server answers: a fresh document gets its diagnostics.
    const doc = await vscode.workspace.openTextDocument({ language: 'go', content: GO });
    await waitForDiagnostics(doc.uri, hasRule('tls-disabled'), 'tls-disabled after the restart');
  });
});
