/**
 * Language server protocol tests over stdio with a real JSON-RPC client (test/lsp/client.ts):
 * initialize → didOpen → pull diagnostics → code actions → apply → diagnostics cleared; hover;
 * suppressions; settings; CodeLens/commands; push fallback; workspace scan; cancellation; bad
 * input. The server is the built bundle (`npm run build` first), started as editors start it.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic, Hover, CodeLens, MarkupContent } from 'vscode-languageserver-protocol';
import { docsUrl } from '../../shared/src/rules';
import { positionOf, TestClient, withTimeout } from './client';

const GO_DISABLED = `package main

import "database/sql"

func main() {
	db, err := sql.Open("pgx", "postgres://app@db.example.com/app?sslmode=disable")
	_, _ = db, err
}
`;

const GO_SECRET = `package main

import "database/sql"

func open() {
	db, _ := sql.Open("pgx", "postgres://app:Sup3rSecretPw@mydb.abc123.eu-west-1.rds.amazonaws.com/app?sslmode=require")
	_ = db
}
`;

function tls(diags: Diagnostic[]): Diagnostic[] {
  return diags.filter((d) => d.code === 'tls-disabled');
}

describe('language server over stdio', function () {
  this.timeout(30000);
  let ws: string;
  let client: TestClient;
  let n = 0;
  const uriOf = (name: string): string => pathToFileURL(path.join(ws, name)).href;
  const fresh = (name: string): string => uriOf(`${path.basename(name, path.extname(name))}_${++n}${path.extname(name)}`);

  before(async () => {
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'connguard-lsp-'));
    client = new TestClient({ rootUri: pathToFileURL(ws).href });
    const init = await client.initialize();
    assert.equal(init.serverInfo?.name, 'connguard-language-server');
    assert.ok(init.capabilities.diagnosticProvider, 'pull diagnostics advertised');
    assert.ok(init.capabilities.hoverProvider);
    assert.deepEqual(init.capabilities.executeCommandProvider?.commands.sort(), [
      'connguard.fixAll',
      'connguard.scanWorkspace',
      'connguard.showConnectionProfile',
      'connguard.testConnection',
    ]);
  });

  after(async () => {
    await client.close();
    fs.rmSync(ws, { recursive: true, force: true });
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed' && client.stderr) console.error(client.stderr);
  });

  it('reports tls-disabled with its rule id, docs link and source', async () => {
    const uri = fresh('main.go');
    const doc = await client.open(uri, 'go', GO_DISABLED);
    const diags = tls(await client.diagnostics(uri));
    assert.equal(diags.length, 1, JSON.stringify(diags));
    const d = diags[0];
    assert.equal(d.source, 'connguard');
    assert.equal(d.severity, 1);
    assert.equal(d.codeDescription?.href, docsUrl('tls-disabled'));
    assert.equal(d.range.start.line, positionOf(doc, 'sslmode=disable').line);
    assert.ok(doc.getText().slice(doc.offsetAt(d.range.start), doc.offsetAt(d.range.end)).includes('disable'));
  });

  it('answers an unchanged report for the same version', async () => {
    const uri = fresh('main.go');
    await client.open(uri, 'go', GO_DISABLED);
    const first = await client.pull(uri);
    assert.equal(first.kind, 'full');
    const second = await client.pull(uri, (first as { resultId?: string }).resultId);
    assert.equal(second.kind, 'unchanged');
  });

  it('applies the preferred quick fix and the diagnostic goes away', async () => {
    const uri = fresh('main.go');
    await client.open(uri, 'go', GO_DISABLED);
    const diags = tls(await client.diagnostics(uri));
    const actions = await client.codeActions(uri, diags);
    const preferred = actions.filter((a) => a.isPreferred);
    assert.equal(preferred.length, 1, actions.map((a) => a.title).join(' | '));
    assert.equal(preferred[0].kind, 'quickfix');
    assert.deepEqual(preferred[0].diagnostics?.map((d) => d.code), ['tls-disabled']);
    const [doc] = await client.applyWorkspaceEdit(preferred[0].edit!);
    assert.match(doc.getText(), /sslmode=verify-full/);
    assert.deepEqual(tls(await client.diagnostics(uri)), []);
  });

  it('offers suppressions that work, indented like the line', async () => {
    const uri = fresh('main.go');
    await client.open(uri, 'go', GO_DISABLED);
    const diags = tls(await client.diagnostics(uri));
    const actions = await client.codeActions(uri, diags);
    const ignoreLine = actions.find((a) => a.title === 'Ignore tls-disabled on this line');
    const ignoreFile = actions.find((a) => a.title === 'Ignore tls-disabled in this file');
    assert.ok(ignoreLine && ignoreFile, actions.map((a) => a.title).join(' | '));
    const [doc] = await client.applyWorkspaceEdit(ignoreLine.edit!);
    assert.match(doc.getText(), /\n\t\/\/ connguard-ignore-next-line tls-disabled -- TODO: reason\n\tdb, err := sql\.Open/);
    assert.deepEqual(tls(await client.diagnostics(uri)), []);

    const uri2 = fresh('main.go');
    await client.open(uri2, 'go', GO_DISABLED);
    const actions2 = await client.codeActions(uri2, tls(await client.diagnostics(uri2)));
    const [doc2] = await client.applyWorkspaceEdit(actions2.find((a) => a.title === 'Ignore tls-disabled in this file')!.edit!);
    assert.ok(doc2.getText().startsWith('// connguard-ignore-file tls-disabled -- TODO: reason\n'));
    assert.deepEqual(tls(await client.diagnostics(uri2)), []);
  });

  it('uses # for suppressions in .env files', async () => {
    const uri = uriOf(`prod_${++n}/.env`);
    await client.open(uri, 'dotenv', 'DATABASE_URL=postgres://app@db.example.com/app?sslmode=disable\n');
    const diags = tls(await client.diagnostics(uri));
    assert.equal(diags.length, 1, 'a .env file is analysed by its path');
    const actions = await client.codeActions(uri, diags);
    const [doc] = await client.applyWorkspaceEdit(actions.find((a) => a.title === 'Ignore tls-disabled on this line')!.edit!);
    assert.ok(doc.getText().startsWith('# connguard-ignore-next-line tls-disabled -- TODO: reason\nDATABASE_URL='));
    assert.deepEqual(tls(await client.diagnostics(uri)), []);
  });

  it('source.fixAll.connguard applies every preferred fix', async () => {
    const uri = fresh('main.go');
    await client.open(uri, 'go', GO_DISABLED.replace('_, _ = db, err', 'db2, _ := sql.Open("pgx", "postgres://app@db2.example.com/app?sslmode=disable")\n\t_, _, _ = db, db2, err'));
    assert.equal(tls(await client.diagnostics(uri)).length, 2);
    const actions = await client.codeActions(uri, [], ['source.fixAll']);
    assert.deepEqual(actions.map((a) => a.kind), ['source.fixAll.connguard']);
    const [doc] = await client.applyWorkspaceEdit(actions[0].edit!);
    assert.equal(doc.getText().split('sslmode=verify-full').length - 1, 2);
    assert.deepEqual(tls(await client.diagnostics(uri)), []);
  });

  it('hovers a connection with its effective profile and never a secret', async () => {
    const uri = fresh('main.go');
    const doc = await client.open(uri, 'go', GO_SECRET);
    await client.diagnostics(uri);
    const hover = await client.connection.sendRequest<Hover | null>('textDocument/hover', {
      textDocument: { uri },
      position: positionOf(doc, 'sslmode=require', 3),
    });
    assert.ok(hover, 'a hover inside the DSN');
    const text = (hover.contents as MarkupContent).value;
    assert.match(text, /^\*\*pgx\*\* → Amazon RDS \(eu-west-1\)/);
    assert.match(text, /TLS on · certificate NOT verified · hostname NOT verified/);
    assert.ok(!text.includes('Sup3rSecretPw'), text);
    const none = await client.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position: positionOf(doc, 'package') });
    assert.equal(none, null);
  });

  it('puts "Test connection" and "Show profile" CodeLenses above each connection', async () => {
    const uri = fresh('main.go');
    const doc = await client.open(uri, 'go', GO_SECRET);
    const lenses = await client.connection.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.deepEqual(lenses.map((l) => l.command?.title), ['Test connection', 'Show profile']);
    const line = positionOf(doc, 'sql.Open').line;
    for (const l of lenses) assert.equal(l.range.start.line, line);
    assert.equal(lenses[0].command?.command, 'connguard.testConnection');
    assert.deepEqual(lenses[0].command?.arguments, [{ uri, line }]);
    assert.equal(lenses[1].command?.command, 'connguard.showConnectionProfile');
    const view = await client.connection.sendRequest<{ summary: string; markdown: string } | null>('workspace/executeCommand', {
      command: lenses[1].command!.command,
      arguments: lenses[1].command!.arguments,
    });
    assert.ok(view);
    assert.match(view.summary, /^pgx → Amazon RDS \(eu-west-1\): TLS on/);
    assert.ok(!view.markdown.includes('Sup3rSecretPw'));
    assert.ok(client.shown.some((m) => m.startsWith('ConnGuard: pgx → Amazon RDS')), 'a client without commands gets a message');
  });

  it('puts one pair of CodeLenses on a helper that opens a connection per call', async () => {
    const uri = fresh('store.go');
    const helper = [
      'package store',
      '',
      'import (',
      '\t"context"',
      '',
      '\t"github.com/jackc/pgx/v5/pgxpool"',
      ')',
      '',
      'func newPool(ctx context.Context, dsn string) (*pgxpool.Pool, error) { return pgxpool.New(ctx, dsn) }',
      '',
      'func Writer(ctx context.Context) (*pgxpool.Pool, error) {',
      '\treturn newPool(ctx, "postgres://w@writer.internal.example.com/app?sslmode=verify-full&connect_timeout=5")',
      '}',
      '',
      'func Reporting(ctx context.Context) (*pgxpool.Pool, error) {',
      '\treturn newPool(ctx, "postgres://r@reports.internal.example.com/app?sslmode=disable&connect_timeout=5")',
      '}',
      '',
    ].join('\n');
    const doc = await client.open(uri, 'go', helper);
    const lenses = await client.connection.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.deepEqual(lenses.map((l) => l.command?.title), ['Test connection', 'Show profile']);
    assert.equal(lenses[0].range.start.line, positionOf(doc, 'pgxpool.New').line);
    const diags = await client.diagnostics(uri);
    assert.deepEqual(tls(diags).map((d) => d.range.start.line), [positionOf(doc, 'sslmode=disable').line]);
  });

  it('turns a rule off through workspace/didChangeConfiguration', async () => {
    const uri = fresh('main.go');
    await client.open(uri, 'go', GO_DISABLED);
    assert.equal(tls(await client.diagnostics(uri)).length, 1);
    client.settings = { rules: { 'tls-disabled': 'off' } };
    const refreshed = client.waitForRefresh();
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { connguard: client.settings } });
    await refreshed;
    assert.deepEqual(tls(await client.diagnostics(uri)), []);
    client.settings = { enable: false };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.waitForRefresh();
    assert.deepEqual(await client.diagnostics(uri), []);
    client.settings = {};
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.waitForRefresh();
    assert.equal(tls(await client.diagnostics(uri)).length, 1);
  });

  it('reads .connguard.json of the workspace folder', async () => {
    fs.writeFileSync(path.join(ws, '.connguard.json'), JSON.stringify({ rules: { 'tls-disabled': 'warning' } }));
    try {
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf('.connguard.json'), type: 1 }] });
      const uri = fresh('main.go');
      await client.open(uri, 'go', GO_DISABLED);
      const diags = tls(await client.diagnostics(uri));
      assert.equal(diags[0]?.severity, 2);
    } finally {
      fs.rmSync(path.join(ws, '.connguard.json'));
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf('.connguard.json'), type: 3 }] });
    }
  });

  it('cancels a stale diagnostic request when the user types again', async () => {
    const uri = fresh('main.go');
    await client.open(uri, 'go', GO_DISABLED);
    await client.replace(uri, GO_DISABLED + '\n// typing');
    const cts = client.cancellable();
    const pending = client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } }, cts.token);
    cts.cancel();
    await assert.rejects(pending, (e: { code?: number }) => e.code === -32800);
    // A request for a version that is superseded while it waits is answered ServerCancelled.
    await client.replace(uri, GO_DISABLED + '\n// typing more');
    const superseded = client.pull(uri);
    await client.replace(uri, GO_DISABLED + '\n// typing even more');
    await assert.rejects(superseded, (e: { code?: number; data?: { retriggerRequest?: boolean } }) => e.code === -32802 && e.data?.retriggerRequest === true);
    assert.equal(tls(await client.diagnostics(uri)).length, 1);
  });

  it('survives binary, huge, half-typed and malformed input', async () => {
    const inputs: [string, string, string][] = [
      [fresh('bin.go'), 'go', 'package main\u0000\u0001\u0002\uFFFD' + '\u0000'.repeat(1000)],
      [fresh('huge.ts'), 'typescript', `const url = "postgres://a@h/db?sslmode=disable";\n`.repeat(120_000)],
      [fresh('line.ts'), 'typescript', `const x = "${'postgres://a@h/db?sslmode=disable&'.repeat(30_000)}";`],
      [fresh('half.go'), 'go', 'package main\nimport "database/sql"\nfunc f() { sql.Open("pgx", "postgres://x@h/db?sslmode=dis'],
      [fresh('deep.ts'), 'typescript', '['.repeat(20_000) + ']'.repeat(20_000)],
      [fresh('bad.json'), 'json', '{"ConnectionStrings": {"Db": "Server=tcp:x.database.windows.net;Encrypt=False;'],
      [fresh('bad.yaml'), 'yaml', 'a: [\n  - b: "postgres://u@h/d?sslmode=disable\n\t:::'],
    ];
    for (const [uri, lang, text] of inputs) {
      await client.open(uri, lang, text);
      const started = Date.now();
      const report = await client.pull(uri);
      assert.equal(report.kind, 'full', uri);
      assert.ok(Date.now() - started < 10000, `${uri} took ${Date.now() - started} ms`);
    }
    // Malformed requests: unknown document, out-of-range positions, missing fields.
    assert.equal(await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: 'file:///nope.go' }, position: { line: 9, character: 9 } }), null);
    assert.deepEqual(await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: inputs[3][0] }, range: null, context: {} }), []);
    assert.equal(await client.connection.sendRequest('workspace/executeCommand', { command: 'connguard.showConnectionProfile', arguments: [42] }), null);
    await assert.rejects(client.connection.sendRequest('connguard/noSuchMethod', {}));
    // Still alive and answering.
    const uri = fresh('main.go');
    await client.open(uri, 'go', GO_DISABLED);
    assert.equal(tls(await client.diagnostics(uri)).length, 1);
    assert.equal(client.exited, false);
  });
});

describe('language server: push diagnostics and workspace scan', function () {
  this.timeout(30000);
  let ws: string;
  let client: TestClient;

  before(async () => {
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'connguard-lsp-push-'));
    fs.mkdirSync(path.join(ws, 'vendor'));
    fs.mkdirSync(path.join(ws, 'app'));
    fs.writeFileSync(path.join(ws, '.gitignore'), 'vendor/\n');
    fs.writeFileSync(path.join(ws, '.connguardignore'), 'generated.go\n');
    fs.writeFileSync(path.join(ws, 'app', 'db.go'), GO_DISABLED);
    fs.writeFileSync(path.join(ws, 'app', 'generated.go'), GO_DISABLED);
    fs.writeFileSync(path.join(ws, 'vendor', 'lib.go'), GO_DISABLED);
    fs.writeFileSync(path.join(ws, 'app', 'clean.go'), 'package app\n');
    client = new TestClient({ pull: false, rootUri: pathToFileURL(ws).href });
    const init = await client.initialize();
    assert.equal(init.capabilities.diagnosticProvider, undefined, 'no pull for a client without it');
  });

  after(async () => {
    await client.close();
    fs.rmSync(ws, { recursive: true, force: true });
  });

  it('publishes diagnostics to a client without pull support', async () => {
    const uri = pathToFileURL(path.join(ws, 'app', 'open.go')).href;
    await client.open(uri, 'go', GO_DISABLED);
    const p = await client.waitForPublish((x) => x.uri === uri && x.diagnostics.some((d) => d.code === 'tls-disabled'));
    assert.equal(p.version, 1);
    await client.replace(uri, GO_DISABLED.replace('sslmode=disable', 'sslmode=verify-full'));
    await client.waitForPublish((x) => x.uri === uri && x.version === 2 && !x.diagnostics.some((d) => d.code === 'tls-disabled'));
  });

  it('scans the workspace with progress, honouring .gitignore and .connguardignore', async () => {
    const before = client.progressTokens;
    const result = await withTimeout(
      client.connection.sendRequest<{ files: number; problems: number }>('workspace/executeCommand', { command: 'connguard.scanWorkspace', arguments: [] }),
      20000,
      'scan',
    );
    assert.ok(client.progressTokens > before, 'work done progress created');
    const uris = new Set(client.published.map((p) => p.uri));
    assert.ok(uris.has(pathToFileURL(path.join(ws, 'app', 'db.go')).href));
    assert.ok(!uris.has(pathToFileURL(path.join(ws, 'app', 'generated.go')).href), '.connguardignore honoured');
    assert.ok(!uris.has(pathToFileURL(path.join(ws, 'vendor', 'lib.go')).href), '.gitignore honoured');
    assert.equal(result.files, 2, JSON.stringify(result));
    assert.ok(result.problems >= 1);
  });
});
