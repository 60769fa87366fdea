/** The extension activates in real VS Code, starts its server, and registers its commands. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activated, EXTENSION_ID } from './helpers';

describe('activation', () => {
  it('activates and starts the language server', async () => {
    await activated();
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
  });

  it('registers its commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const c of ['connguard.showOutput', 'connguard.fixAll', 'connguard.scanWorkspace', 'connguard.showConnectionProfile', 'connguard.testConnection']) {
      assert.ok(commands.includes(c), `${c} is registered`);
    }
  });
});
