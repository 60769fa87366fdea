/**
 * Redaction audit, language server surface (issue 5 item 3; SPEC §3 "No output ever contains a
 * secret value"): the planted corpus (corpus.ts) is opened in a real server over stdio with
 * trace at `verbose`, and every feature that can echo source text is exercised — diagnostics
 * (pull, and push from the workspace scan) with related information, hovers on every finding and
 * every connection, code actions on every finding and `source.fixAll`, CodeLens, the
 * `showConnectionProfile` and `fixAll` commands, window/logMessage and $/logTrace. Then the
 * complete byte stream the client received is searched for every secret in every form.
 *
 * Edits are held to the same bar: a quick fix may rewrite a DSN, but its newText must never
 * introduce or copy a secret (it is part of the received stream, so the same search covers it).
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, CodeLens, Diagnostic, Hover } from 'vscode-languageserver-protocol';
import { removeTree, tempTree } from '../cli/helpers';
import { TestClient } from '../lsp/client';
import { Corpus, leaks, makeCorpus } from './corpus';

describe('redaction audit: language server', function () {
  this.timeout(120000);
  let corpus: Corpus;
  let dir: string;
  let client: TestClient;
  const uriOf = (rel: string): string => pathToFileURL(path.join(dir, rel)).href;
  /** What each feature returned, for the assertions on coverage. */
  const seen = { diagnostics: 0, related: 0, hovers: 0, actions: 0, edits: 0, lenses: 0, profiles: 0, fixAllEdits: 0 };
  const rulesByFile = new Map<string, Set<string>>();
  const pushedRules = new Map<string, Set<string>>();

  before(async () => {
    corpus = makeCorpus();
    dir = tempTree(corpus.files);
    execFileSync('git', ['init', '-q'], { cwd: dir });
    execFileSync('git', ['add', '-A'], { cwd: dir });
    client = new TestClient({
      rootUri: pathToFileURL(dir).href,
      settings: { trace: { server: 'verbose' } },
    });
    await client.initialize();
    // What VS Code's language client does for `connguard.trace.server: verbose`.
    await client.connection.sendNotification('$/setTrace', { value: 'verbose' });
    // The workspace scan pushes diagnostics (and logs) for files that are not open: run it to the
    // end before the files are opened, so that every file goes through the push path too.
    await client.connection.sendRequest('workspace/executeCommand', { command: 'connguard.scanWorkspace', arguments: [] });
    for (const p of client.published) pushedRules.set(p.uri, new Set(p.diagnostics.map((d) => String(d.code))));

    for (const [rel, text] of Object.entries(corpus.files)) {
      const uri = uriOf(rel);
      const doc = await client.open(uri, corpus.languages[rel], text);
      const diags = await client.diagnostics(uri);
      rulesByFile.set(rel, new Set(diags.map((d) => String(d.code))));
      seen.diagnostics += diags.length;
      seen.related += diags.reduce((n, d) => n + (d.relatedInformation?.length ?? 0), 0);

      const hoverAt = async (position: { line: number; character: number }): Promise<void> => {
        const h = await client.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position });
        if (h) seen.hovers++;
      };
      for (const d of diags) {
        await hoverAt(d.range.start);
        const actions = await client.codeActions(uri, [d]);
        seen.actions += actions.length;
        seen.edits += actions.filter((a) => a.edit).length;
      }
      // Every action for the whole document at once, and fix-all.
      const whole = { start: { line: 0, character: 0 }, end: doc.positionAt(text.length) };
      await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: whole, context: { diagnostics: diags as Diagnostic[] } });
      const fixAll = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: whole,
        context: { diagnostics: diags, only: ['source.fixAll'] },
      });
      seen.fixAllEdits += fixAll.filter((a) => a.edit).length;

      const lenses = await client.connection.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
      seen.lenses += lenses.length;
      for (const lens of lenses) {
        if (lens.command?.command !== 'connguard.showConnectionProfile') continue;
        const arg = lens.command.arguments?.[0] as { uri: string; offset: number };
        // Hover on the connection itself (its anchor) and the profile command.
        await hoverAt(doc.positionAt(arg.offset));
        const view = await client.connection.sendRequest('workspace/executeCommand', { command: 'connguard.showConnectionProfile', arguments: [arg] });
        if (view) seen.profiles++;
      }
    }
    // The fix-all command applies edits through workspace/applyEdit (server → client traffic).
    for (const rel of Object.keys(corpus.files)) {
      const uri = uriOf(rel);
      await client.connection.sendRequest('workspace/executeCommand', { command: 'connguard.fixAll', arguments: [{ uri }] });
    }
  });

  after(async () => {
    await client?.close();
    if (dir) removeTree(dir);
  });

  it('is not vacuous: every file has its findings, and every feature answered', () => {
    for (const [rel, rules] of Object.entries(corpus.expected)) {
      const got = rulesByFile.get(rel) ?? new Set();
      for (const id of rules) assert.ok(got.has(id), `${rel}: expected ${id}, got ${[...got].join(', ')}`);
    }
    assert.ok(corpus.book.all.length >= 50, `${corpus.book.all.length} secrets planted`);
    assert.ok(seen.hovers > 20 && seen.actions > 20 && seen.edits > 5 && seen.lenses > 10 && seen.profiles > 10 && seen.fixAllEdits > 0, JSON.stringify(seen));
    for (const [rel, rules] of Object.entries(corpus.expected)) {
      if (rules.length === 0) continue;
      assert.ok(pushedRules.get(uriOf(rel))?.size, `the workspace scan pushed no findings for ${rel}`);
    }
    assert.ok(client.received.includes('"$/logTrace"'), 'trace messages were received');
    // The parse notes of the hostile files reach window/logMessage (where a quoted line would leak).
    assert.ok(client.logs.some((m) => m.includes('.env.hostile') && m.includes('expected KEY=value')), client.logs.join('\n'));
  });

  it('no secret in anything the server sent (diagnostics, hovers, actions and edits, lenses, commands, logs, traces)', () => {
    const found = leaks(corpus.book, client.received);
    assert.deepEqual(found, [], `secrets in the language server's traffic:\n${found.join('\n')}`);
  });

  it('no secret on the server\'s stderr', () => {
    const found = leaks(corpus.book, client.stderr);
    assert.deepEqual(found, [], found.join('\n'));
  });
});
