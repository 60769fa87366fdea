/**
 * A real LSP client for the protocol tests: spawns `node bin/connguard-language-server.js
 * --stdio` and talks JSON-RPC to it over the child's stdio with vscode-jsonrpc — the same wire
 * any editor uses. It answers the server's requests (workspace/configuration from an in-test
 * settings object, capability registration, progress creation, applyEdit, refresh) and records
 * notifications so tests can wait on them (events, never sleeps).
 *
 * Positions are found by substring (`positionOf`), never hard-coded line/column numbers.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import {
  createMessageConnection,
  MessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  CancellationTokenSource,
} from 'vscode-jsonrpc/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type {
  ClientCapabilities,
  CodeAction,
  Diagnostic,
  DocumentDiagnosticReport,
  InitializeResult,
  Position,
  PublishDiagnosticsParams,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const SERVER_BIN = path.join(ROOT, 'bin', 'connguard-language-server.js');

export interface ClientOptions {
  /** Advertise textDocument/diagnostic (pull). Default true. */
  readonly pull?: boolean;
  readonly rootUri?: string;
  readonly settings?: Record<string, unknown>;
  /** Sent as `initializationOptions` (e.g. workspaceTrusted, testConnectionUi). */
  readonly initializationOptions?: Record<string, unknown>;
}

type Waiter<T> = { match: (v: T) => boolean; resolve: (v: T) => void };

export class TestClient {
  readonly connection: MessageConnection;
  readonly child: ChildProcess;
  readonly docs = new Map<string, TextDocument>();
  /** The `connguard` settings section served to workspace/configuration. */
  settings: Record<string, unknown>;
  readonly published: PublishDiagnosticsParams[] = [];
  readonly logs: string[] = [];
  readonly shown: string[] = [];
  /** `$/progress` notifications, in order. */
  readonly progress: { token: string | number; value: { kind: string; title?: string; message?: string } }[] = [];
  /** Every byte the server wrote to stdout (all JSON-RPC traffic the client receives). */
  received = '';
  refreshes = 0;
  progressTokens = 0;
  stderr = '';
  private diagWaiters: Waiter<PublishDiagnosticsParams>[] = [];
  private refreshWaiters: (() => void)[] = [];
  exited = false;

  constructor(private readonly opts: ClientOptions = {}) {
    this.settings = opts.settings ?? {};
    this.child = spawn(process.execPath, [SERVER_BIN, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr!.on('data', (b: Buffer) => {
      this.stderr += b.toString();
    });
    this.child.on('exit', () => {
      this.exited = true;
    });
    this.child.stdout!.on('data', (b: Buffer) => {
      this.received += b.toString();
    });
    this.connection = createMessageConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.published.push(p);
      this.diagWaiters = this.diagWaiters.filter((w) => {
        if (!w.match(p)) return true;
        w.resolve(p);
        return false;
      });
    });
    this.connection.onNotification('window/logMessage', (p: { message: string }) => this.logs.push(p.message));
    this.connection.onNotification('window/showMessage', (p: { message: string }) => this.shown.push(p.message));
    // vscode-jsonrpc routes $/progress to progress handlers; tokens nobody registered land here.
    this.connection.onUnhandledProgress((p) => this.progress.push(p as TestClient['progress'][number]));
    this.connection.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) =>
      p.items.map((i) => (i.section === 'connguard' ? this.settings : null)),
    );
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => {
      this.progressTokens++;
      return null;
    });
    this.connection.onRequest('workspace/diagnostic/refresh', () => {
      this.refreshes++;
      const w = this.refreshWaiters;
      this.refreshWaiters = [];
      w.forEach((f) => f());
      return null;
    });
    this.connection.onRequest('workspace/codeLens/refresh', () => null);
    this.connection.onRequest('workspace/applyEdit', (p: { edit: WorkspaceEdit }) => {
      this.applyWorkspaceEdit(p.edit);
      return { applied: true };
    });
    this.connection.listen();
  }

  async initialize(): Promise<InitializeResult> {
    const pull = this.opts.pull !== false;
    const capabilities: ClientCapabilities = {
      workspace: {
        configuration: true,
        didChangeConfiguration: { dynamicRegistration: true },
        didChangeWatchedFiles: { dynamicRegistration: true },
        workspaceEdit: { documentChanges: true },
        workspaceFolders: true,
        diagnostics: pull ? { refreshSupport: true } : undefined,
        codeLens: { refreshSupport: true },
      },
      textDocument: {
        synchronization: { dynamicRegistration: false },
        publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, versionSupport: true },
        diagnostic: pull ? { dynamicRegistration: false, relatedDocumentSupport: false } : undefined,
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } }, isPreferredSupport: true },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        codeLens: {},
      },
      window: { workDoneProgress: true },
    };
    const rootUri = this.opts.rootUri ?? null;
    const result = await this.connection.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: rootUri ? [{ uri: rootUri, name: 'ws' }] : null,
      capabilities,
      initializationOptions: this.opts.initializationOptions,
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  async open(uri: string, languageId: string, text: string): Promise<TextDocument> {
    const doc = TextDocument.create(uri, languageId, 1, text);
    this.docs.set(uri, doc);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return doc;
  }

  /** Applies edits locally and sends them as incremental changes. */
  async edit(uri: string, edits: TextEdit[]): Promise<TextDocument> {
    const old = this.docs.get(uri)!;
    const text = TextDocument.applyEdits(old, edits);
    const doc = TextDocument.create(uri, old.languageId, old.version + 1, text);
    this.docs.set(uri, doc);
    await this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: doc.version },
      contentChanges: [{ text }],
    });
    return doc;
  }

  async replace(uri: string, text: string): Promise<TextDocument> {
    const old = this.docs.get(uri)!;
    return this.edit(uri, [{ range: { start: { line: 0, character: 0 }, end: old.positionAt(old.getText().length) }, newText: text }]);
  }

  applyWorkspaceEdit(edit: WorkspaceEdit): Promise<TextDocument[]> {
    const out: Promise<TextDocument>[] = [];
    for (const dc of edit.documentChanges ?? []) {
      if ('textDocument' in dc) out.push(this.edit(dc.textDocument.uri, dc.edits as TextEdit[]));
    }
    for (const [uri, edits] of Object.entries(edit.changes ?? {})) out.push(this.edit(uri, edits));
    return Promise.all(out);
  }

  async pull(uri: string, previousResultId?: string): Promise<DocumentDiagnosticReport> {
    return this.connection.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri }, previousResultId });
  }

  async diagnostics(uri: string): Promise<Diagnostic[]> {
    const r = await this.pull(uri);
    if (r.kind !== 'full') throw new Error('expected a full report');
    return r.items;
  }

  async codeActions(uri: string, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return this.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range,
      context: { diagnostics, only },
    });
  }

  waitForPublish(match: (p: PublishDiagnosticsParams) => boolean, timeoutMs = 10000): Promise<PublishDiagnosticsParams> {
    const seen = this.published.find(match);
    if (seen) return Promise.resolve(seen);
    return withTimeout(
      new Promise((resolve) => this.diagWaiters.push({ match, resolve })),
      timeoutMs,
      'publishDiagnostics',
    );
  }

  waitForRefresh(timeoutMs = 10000): Promise<void> {
    return withTimeout(new Promise<void>((resolve) => this.refreshWaiters.push(resolve)), timeoutMs, 'diagnostic refresh');
  }

  cancellable(): CancellationTokenSource {
    return new CancellationTokenSource();
  }

  async close(): Promise<void> {
    if (!this.exited) {
      try {
        await withTimeout(this.connection.sendRequest('shutdown'), 3000, 'shutdown');
        await this.connection.sendNotification('exit');
      } catch {
        // already gone
      }
    }
    this.connection.dispose();
    if (!this.exited) this.child.kill();
  }
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    }),
  ]);
}

/** The position of the `nth` occurrence of `needle` in `doc` (plus `delta` characters). */
export function positionOf(doc: TextDocument, needle: string, delta = 0, nth = 0): Position {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = doc.getText().indexOf(needle, at + 1);
    if (at < 0) throw new Error(`"${needle}" not found`);
  }
  return doc.positionAt(at + delta);
}
