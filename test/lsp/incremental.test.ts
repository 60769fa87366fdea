/**
 * Incremental re-analysis through the real language server over stdio: a large Go document is
 * edited inside a function body and re-pulled; the server takes the incremental path (its trace
 * says so) and the diagnostics equal a full analysis of the same text — including an edit that
 * adds a connection and one that removes it again.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeText, initEngine } from '../../server/src/engine/scan';
import { DEFAULT_SETTINGS } from '../../server/src/engine/settings';
import { TestClient } from './client';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const corpus = require(path.resolve(__dirname, '../../../test/bench/corpus.js')) as {
  prng(seed: number): unknown;
  goFile(r: unknown, pkg: string, target: number, withConn: boolean): string;
};

/** What the engine says about the text, as rule@line:character pairs. */
function expected(rel: string, text: string): string[] {
  const doc = TextDocument.create('file:///x', 'go', 1, text);
  return analyzeText(rel, text, DEFAULT_SETTINGS).findings.map((f) => {
    const p = doc.positionAt(f.range.start);
    return `${f.ruleId}@${p.line}:${p.character}`;
  }).sort();
}

function got(diags: Diagnostic[]): string[] {
  return diags.map((d) => `${String(d.code)}@${d.range.start.line}:${d.range.start.character}`).sort();
}

describe('language server: incremental re-analysis of a large document', function () {
  this.timeout(60000);
  let ws: string;
  let client: TestClient;

  before(async () => {
    await initEngine();
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'connguard-lsp-inc-'));
    client = new TestClient({ rootUri: pathToFileURL(ws).href, settings: { trace: { server: 'verbose' } } });
    await client.initialize();
    await client.connection.sendNotification('$/setTrace', { value: 'verbose' });
  });

  after(async () => {
    await client?.close();
    if (ws) fs.rmSync(ws, { recursive: true, force: true });
  });

  it('edits inside a function body are analysed incrementally, with the full analysis\'s results', async () => {
    const rel = 'orders/service.go';
    const abs = path.join(ws, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    let text = corpus.goFile(corpus.prng(11), 'orders', 60000, true);
    assert.ok(text.length > 40000);
    fs.writeFileSync(abs, text);
    const uri = pathToFileURL(abs).href;
    await client.open(uri, 'go', text);
    assert.deepEqual(got(await client.diagnostics(uri)), expected(rel, text));

    // A handler far from the connection code.
    const handler = text.indexOf('\n\titems := make(', Math.floor(text.length / 2)) + 1;
    assert.ok(handler > 0);
    const typed = ['x', 'y', '\tdb2, _ := sql.Open("pgx", "postgres://u@db.example.com/app?sslmode=disable")\n\t_ = db2\n'];
    for (const insert of typed) {
      text = text.slice(0, handler) + insert + text.slice(handler);
      await client.replace(uri, text);
      assert.deepEqual(got(await client.diagnostics(uri)), expected(rel, text));
    }
    // The new connection is reported: sslmode=disable.
    assert.ok((await client.diagnostics(uri)).some((d) => d.code === 'tls-disabled'));
    // And removing it again takes its finding away.
    text = text.replace(typed[2], '');
    await client.replace(uri, text);
    const after = await client.diagnostics(uri);
    assert.deepEqual(got(after), expected(rel, text));
    assert.ok(!after.some((d) => d.code === 'tls-disabled' && d.range.start.line > 0 && text.split('\n')[d.range.start.line].includes('db2')));
    assert.match(client.received, /\(incremental: \d+ unchanged bodies skipped\)/, 'the server took the incremental path');
  });
});
