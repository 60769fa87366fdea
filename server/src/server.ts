/**
 * The ConnGuard language server: LSP wiring only (Architecture Invariant: only this layer knows
 * LSP; the engine knows neither LSP nor `vscode`). Runs over stdio (`--stdio`, any LSP client:
 * `connguard-language-server --stdio`) or node IPC (`--node-ipc`, the VS Code extension).
 *
 * What it offers (SPEC §3): diagnostics (pull when the client supports it, push otherwise),
 * quick fixes + suppressions + `source.fixAll.connguard`, a hover with the connection's
 * effective profile, "Test connection" and "Show profile" CodeLenses, live connection tests
 * (lsp/testConnection.ts), and an optional workspace scan.
 *
 * Every handler is wrapped (`guard`): an exception is logged and answered with an empty result,
 * so no input — binary, huge, half-typed — takes the server down.
 */
import {
  CancellationToken,
  CancellationTokenSource,
  CodeAction,
  CodeActionKind,
  CodeLens,
  CodeLensRefreshRequest,
  DiagnosticServerCancellationData,
  Connection,
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  DocumentDiagnosticReport,
  DocumentDiagnosticReportKind,
  ExecuteCommandParams,
  ExecuteCommandRequest,
  Hover,
  InitializeParams,
  InitializeResult,
  LSPErrorCodes,
  MarkupKind,
  MessageType,
  ShowMessageNotification,
  ProposedFeatures,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  Commands,
  DidChangeWorkspaceTrustNotification,
  FIX_ALL_KIND,
  FixAllArgs,
  InitializationOptions,
  ListConnectionsRequest,
  SERVER_COMMANDS,
  ShowConnectionProfileArgs,
  TestConnectionArgs,
  TestConnectionResult,
} from '../../shared/src/protocol';
import { initEngine, isCodeKind, sourceKindOf } from './engine/scan';
import { ConnectionProfile } from './engine/profile/types';
import { AnalysisRun, Analyzer } from './lsp/analysis';
import { codeActions, fixAllEdits, workspaceEdit } from './lsp/codeActions';
import { toDiagnostics, toLspRange } from './lsp/convert';
import { profileHover, profileView } from './lsp/profileView';
import { SettingsStore } from './lsp/settings';
import { ConnectionTester } from './lsp/testConnection';
import { WorkspaceScanner } from './lsp/workspaceScan';

export const SERVER_NAME = 'connguard-language-server';
export const SERVER_VERSION = '0.1.0';

/** Files whose change invalidates settings or ignore rules. */
const WATCHED = ['**/.connguard.json', '**/.connguardignore', '**/.gitignore'];

interface ClientFeatures {
  pullDiagnostics: boolean;
  diagnosticRefresh: boolean;
  codeLensRefresh: boolean;
  configuration: boolean;
  dynamicConfiguration: boolean;
  dynamicWatchedFiles: boolean;
  documentChanges: boolean;
  clientCommands: boolean;
  workDoneProgress: boolean;
  /** InitializationOptions.testConnectionUi: the client answers the connguard/* prompts. */
  testConnectionUi: boolean;
}

/** The connection profile whose anchor or connection string contains `offset` (innermost first). */
function profileAt(run: AnalysisRun, offset: number): ConnectionProfile | undefined {
  let best: ConnectionProfile | undefined;
  let bestLen = Infinity;
  for (const p of run.analysis.profiles) {
    for (const r of [p.site.anchor, p.site.dsn?.range]) {
      if (!r || offset < r.start || offset > r.end) continue;
      if (r.end - r.start < bestLen) {
        best = p;
        bestLen = r.end - r.start;
      }
    }
  }
  return best;
}

export function startServer(connection: Connection = createConnection(ProposedFeatures.all)): Connection {
  // Last line of defence: a stray rejected promise is logged, never fatal to the editor session.
  process.on('unhandledRejection', (reason) => {
    connection.console.error(`unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`);
  });
  process.on('uncaughtException', (e) => {
    connection.console.error(`uncaught exception: ${e.stack ?? e.message}`);
  });
  const documents = new TextDocuments(TextDocument);
  const features: ClientFeatures = {
    pullDiagnostics: false,
    diagnosticRefresh: false,
    codeLensRefresh: false,
    configuration: false,
    dynamicConfiguration: false,
    dynamicWatchedFiles: false,
    documentChanges: false,
    clientCommands: false,
    workDoneProgress: false,
    testConnectionUi: false,
  };
  /** Workspace trust as the client reports it; clients that say nothing are trusted (protocol.ts). */
  let workspaceTrusted = true;
  let settings = new SettingsStore(connection, false);
  let analyzer: Analyzer | undefined;
  let scanner: WorkspaceScanner | undefined;
  let tester: ConnectionTester | undefined;
  /** Workspace folders as URIs (the SettingsStore keeps file system paths). */
  let folderUris: string[] = [];
  let workspaceFoldersSupported = false;
  const engineReady = initEngine().catch((e: unknown) => {
    connection.console.error(`engine initialisation failed (Go files will not be analysed): ${(e as Error).message}`);
  });

  /** Wraps a handler: exceptions are logged and answered with `fallback`. */
  function guard<P, R>(name: string, fallback: R, fn: (params: P, token: CancellationToken) => Promise<R> | R) {
    return async (params: P, token: CancellationToken): Promise<R> => {
      try {
        return await fn(params, token);
      } catch (e) {
        connection.console.error(`${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        return fallback;
      }
    };
  }

  /** Wraps a notification handler the same way. */
  function guardNote<P>(name: string, fn: (params: P) => Promise<void> | void): (params: P) => void {
    return (params: P) => {
      void guard(name, undefined, (p: P) => fn(p))(params, CancellationToken.None);
    };
  }

  /** The analysis run for a document's current version (shared by every feature). */
  async function runOf(uri: string, token?: CancellationToken): Promise<{ doc: TextDocument; run: AnalysisRun } | undefined> {
    const doc = documents.get(uri);
    if (!doc || !analyzer || !analyzer.supports(doc)) return undefined;
    await engineReady;
    const outcome = await analyzer.analyze(doc, token);
    // Positions are computed against the text the run analysed: the document must not have moved on.
    return typeof outcome === 'object' && doc.version === outcome.version ? { doc, run: outcome } : undefined;
  }

  // ---- push diagnostics (clients without textDocument/diagnostic) -------------------------
  const pushPending = new Map<string, CancellationTokenSource>();
  function schedulePush(doc: TextDocument): void {
    if (features.pullDiagnostics || !analyzer) return;
    pushPending.get(doc.uri)?.cancel();
    const cts = new CancellationTokenSource();
    pushPending.set(doc.uri, cts);
    void guard('publish diagnostics', undefined, async () => {
      const r = await runOf(doc.uri, cts.token);
      if (cts.token.isCancellationRequested || !r) return;
      if (pushPending.get(doc.uri) === cts) pushPending.delete(doc.uri);
      await connection.sendDiagnostics({ uri: r.doc.uri, version: r.doc.version, diagnostics: toDiagnostics(r.doc, r.run.analysis.findings) });
    })(undefined, cts.token);
  }

  /** Settings or ignore files changed: every result may differ. */
  function refreshAll(): void {
    settings.invalidate();
    analyzer?.invalidateAll();
    if (features.pullDiagnostics) {
      if (features.diagnosticRefresh) connection.languages.diagnostics.refresh();
    } else {
      for (const d of documents.all()) schedulePush(d);
    }
    if (features.codeLensRefresh) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  }

  async function maybeScanWorkspace(): Promise<void> {
    if (!scanner) return;
    const folders = settings.workspaceFolders();
    for (const f of folders) {
      if ((await settings.forFolder(f)).scanWorkspace) {
        await scanner.scan();
        return;
      }
    }
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities;
    const init = (params.initializationOptions ?? {}) as InitializationOptions;
    features.pullDiagnostics = !!caps.textDocument?.diagnostic;
    features.diagnosticRefresh = !!caps.workspace?.diagnostics?.refreshSupport;
    features.codeLensRefresh = !!caps.workspace?.codeLens?.refreshSupport;
    features.configuration = !!caps.workspace?.configuration;
    features.dynamicConfiguration = !!caps.workspace?.didChangeConfiguration?.dynamicRegistration;
    features.dynamicWatchedFiles = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    features.documentChanges = !!caps.workspace?.workspaceEdit?.documentChanges;
    features.clientCommands = init.clientCommands === true;
    features.workDoneProgress = !!caps.window?.workDoneProgress;
    features.testConnectionUi = init.testConnectionUi === true;
    workspaceTrusted = init.workspaceTrusted !== false;

    settings = new SettingsStore(connection, features.configuration);
    folderUris = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    workspaceFoldersSupported = !!caps.workspace?.workspaceFolders;
    settings.setFolders(folderUris);
    analyzer = new Analyzer(connection, documents, settings, engineReady);
    const a = analyzer;
    // A code document now reads another env variable (or a different driver): config documents'
    // results may differ (they are judged under the reading driver), so clients pull again.
    a.onConsumersChanged = () => {
      if (features.pullDiagnostics) {
        if (features.diagnosticRefresh) connection.languages.diagnostics.refresh();
      } else {
        for (const d of documents.all()) if (!isCodeKind(sourceKindOf(a.enginePath(d)))) schedulePush(d);
      }
    };
    scanner = new WorkspaceScanner(connection, documents, settings, analyzer, engineReady);
    tester = new ConnectionTester({
      connection,
      documents,
      settings,
      enginePath: (doc) => a.enginePath(doc),
      isTrusted: () => workspaceTrusted,
      hasCustomUi: () => features.testConnectionUi,
      canCreateProgress: () => features.workDoneProgress,
    });

    const result: InitializeResult = {
      serverInfo: { name: SERVER_NAME, version: SERVER_VERSION },
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
        hoverProvider: true,
        codeLensProvider: { resolveProvider: false },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
    };
    if (features.pullDiagnostics) {
      result.capabilities.diagnosticProvider = { identifier: 'connguard', interFileDependencies: false, workspaceDiagnostics: false };
    }
    if (!features.clientCommands) result.capabilities.executeCommandProvider = { commands: [...SERVER_COMMANDS] };
    return result;
  });

  connection.onInitialized(
    guardNote('initialized', async () => {
      if (features.dynamicConfiguration) {
        await connection.client.register(DidChangeConfigurationNotification.type, { section: 'connguard' });
      }
      if (features.dynamicWatchedFiles) {
        await connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: WATCHED.map((globPattern) => ({ globPattern })) });
      }
      if (workspaceFoldersSupported) {
        connection.workspace.onDidChangeWorkspaceFolders((e) => {
          const removed = new Set(e.removed.map((f) => f.uri));
          folderUris = [...folderUris.filter((u) => !removed.has(u)), ...e.added.map((f) => f.uri)];
          settings.setFolders(folderUris);
          refreshAll();
        });
      }
      await maybeScanWorkspace();
    }),
  );

  connection.onDidChangeConfiguration(
    guardNote('didChangeConfiguration', async (params: { settings: unknown }) => {
      if (!features.configuration) settings.setPushed(params.settings);
      refreshAll();
      await maybeScanWorkspace();
    }),
  );

  connection.onDidChangeWatchedFiles(guardNote('didChangeWatchedFiles', () => refreshAll()));

  connection.onNotification(
    DidChangeWorkspaceTrustNotification.type,
    guardNote('didChangeWorkspaceTrust', (p: { trusted: boolean }) => {
      workspaceTrusted = p?.trusted !== false;
    }),
  );

  connection.onRequest(
    ListConnectionsRequest.type,
    guard('connguard/listConnections', [] as ListConnectionsRequest.Item[], async (_params, token) => {
      const items: ListConnectionsRequest.Item[] = [];
      for (const d of documents.all()) {
        const r = await runOf(d.uri, token);
        if (!r) continue;
        for (const p of r.run.analysis.profiles) {
          if (p.dbms === 'oracle') continue;
          items.push({ uri: d.uri, line: r.doc.positionAt(p.site.anchor.start).line, dbms: p.dbms, driverLabel: p.driverLabel, host: p.host.value ?? '(host not in the source)' });
        }
      }
      return items;
    }),
  );

  // ---- documents ----------------------------------------------------------------------------
  /** The version each document was opened with: its first analysis is not debounced. */
  const openedAt = new Map<string, number>();
  documents.onDidOpen((e) => {
    openedAt.set(e.document.uri, e.document.version);
    scanner?.forgetPushed(e.document.uri);
  });
  documents.onDidChangeContent((e) => {
    if (openedAt.get(e.document.uri) !== e.document.version) analyzer?.noteChange(e.document.uri);
    schedulePush(e.document);
  });
  documents.onDidClose((e) => {
    openedAt.delete(e.document.uri);
    analyzer?.forget(e.document.uri);
    pushPending.get(e.document.uri)?.cancel();
    pushPending.delete(e.document.uri);
    if (!features.pullDiagnostics) void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  // ---- pull diagnostics ---------------------------------------------------------------------
  connection.languages.diagnostics.on(
    guard<Parameters<Parameters<typeof connection.languages.diagnostics.on>[0]>[0], DocumentDiagnosticReport | ResponseError<DiagnosticServerCancellationData>>(
      'textDocument/diagnostic',
      { kind: DocumentDiagnosticReportKind.Full, items: [] },
      async (params, token) => {
        const doc = documents.get(params.textDocument.uri);
        if (!doc || !analyzer || !analyzer.supports(doc)) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
        await engineReady;
        const outcome = await analyzer.analyze(doc, token);
        if (outcome === 'cancelled') return new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled: the document changed', { retriggerRequest: false });
        // The document moved on: ask the client to pull again for the new version.
        if (outcome === 'stale' || doc.version !== outcome.version) return new ResponseError(LSPErrorCodes.ServerCancelled, 'the document changed', { retriggerRequest: true });
        if (params.previousResultId === outcome.resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId: outcome.resultId };
        return { kind: DocumentDiagnosticReportKind.Full, resultId: outcome.resultId, items: toDiagnostics(doc, outcome.analysis.findings) };
      },
    ),
  );

  // ---- code actions, hover, CodeLens ----------------------------------------------------------
  connection.onCodeAction(
    guard('textDocument/codeAction', [] as CodeAction[], async (params, token) => {
      const doc = documents.get(params.textDocument.uri);
      // Built from the recorded run for this version only; none yet means no actions yet.
      const run = doc && analyzer?.runFor(doc);
      if (!doc || !run || token.isCancellationRequested) return [];
      return codeActions(doc, run, params, { documentChanges: features.documentChanges });
    }),
  );

  connection.onHover(
    guard('textDocument/hover', null as Hover | null, async (params, token) => {
      const r = await runOf(params.textDocument.uri, token);
      if (!r) return null;
      const offset = r.doc.offsetAt(params.position);
      const p = profileAt(r.run, offset);
      if (!p) return null;
      return { contents: { kind: MarkupKind.Markdown, value: profileHover(p) }, range: toLspRange(r.doc, p.site.dsn?.range ?? p.site.anchor) };
    }),
  );

  connection.onCodeLens(
    guard('textDocument/codeLens', [] as CodeLens[], async (params, token) => {
      const r = await runOf(params.textDocument.uri, token);
      if (!r) return [];
      // One pair of lenses per anchor: a helper called from several places gives one profile per
      // call, all anchored at the helper's own call (the hover on each caller's literal tells them apart).
      const seen = new Set<number>();
      return r.run.analysis.profiles.flatMap((p) => {
        if (seen.has(p.site.anchor.start)) return [];
        seen.add(p.site.anchor.start);
        const start = r.doc.positionAt(p.site.anchor.start);
        const range = { start: { line: start.line, character: 0 }, end: { line: start.line, character: 0 } };
        const show: ShowConnectionProfileArgs = { uri: r.doc.uri, offset: p.site.anchor.start };
        // Never `confirmedHosts` here: a lens is a suggestion, the user confirms when it runs.
        const test: TestConnectionArgs = { uri: r.doc.uri, line: start.line };
        // `tooltip` (LSP 3.18) is shown by clients that know it; a variable, not a literal, so
        // that the 3.17 Command type accepts the extra field.
        const lens = (title: string, tooltip: string, command: string, args: unknown): CodeLens => {
          const cmd = { title, tooltip, command, arguments: [args] };
          return { range, command: cmd };
        };
        const lenses: CodeLens[] = [];
        if (p.dbms !== 'oracle') {
          lenses.push(lens('Test connection', 'Connect to this database and check TLS, the certificate and authentication (asks first)', Commands.testConnection, test));
        }
        lenses.push(lens('Show profile', 'Show the effective connection profile', Commands.showConnectionProfile, show));
        return lenses;
      });
    }),
  );

  // ---- commands -----------------------------------------------------------------------------
  // onRequest rather than onExecuteCommand: the latter strips `workDoneToken` from the params,
  // and connguard.testConnection must know whether the client sent one (else it creates its own).
  connection.onRequest(
    ExecuteCommandRequest.type,
    guard('workspace/executeCommand', null as unknown, async (params: ExecuteCommandParams, token) => {
      const arg = (params.arguments ?? [])[0] as Record<string, unknown> | undefined;
      switch (params.command) {
        case Commands.testConnection: {
          if (!tester) return null;
          // A reporter only when the client sent a workDoneToken; else the tester creates one.
          const clientProgress = params.workDoneToken !== undefined ? connection.window.attachWorkDoneProgress(params.workDoneToken) : undefined;
          const result: TestConnectionResult = await tester.run((arg ?? {}) as TestConnectionArgs, token, clientProgress);
          if (!features.clientCommands) {
            const type = result.outcome === 'tested' && result.report?.verifiedTls ? MessageType.Info : MessageType.Warning;
            void connection.sendNotification(ShowMessageNotification.type, { type, message: `ConnGuard: ${result.message}` });
          }
          return result;
        }
        case Commands.showConnectionProfile: {
          const a = arg as Partial<ShowConnectionProfileArgs> | undefined;
          if (!a || typeof a.uri !== 'string' || typeof a.offset !== 'number') return null;
          const r = await runOf(a.uri, token);
          const p = r && (r.run.analysis.profiles.find((x) => x.site.anchor.start === a.offset) ?? profileAt(r.run, a.offset));
          if (!p) return null;
          const view = profileView(p);
          // Other clients have no UI of ours: tell the user directly.
          // (A notification: window/showMessageRequest would wait for an answer we do not need.)
          if (!features.clientCommands) {
            void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message: `ConnGuard: ${view.summary}` });
          }
          return view;
        }
        case Commands.fixAll: {
          const a = arg as Partial<FixAllArgs> | undefined;
          if (!a || typeof a.uri !== 'string') return false;
          const r = await runOf(a.uri, token);
          if (!r || (a.version !== undefined && a.version !== r.doc.version)) return false;
          const edits = fixAllEdits(r.doc, r.run);
          if (edits.length === 0) return false;
          const res = await connection.workspace.applyEdit({
            label: 'ConnGuard: fix all',
            edit: workspaceEdit(r.doc, edits, { documentChanges: features.documentChanges }),
          });
          return res.applied;
        }
        case Commands.scanWorkspace:
          return scanner ? scanner.scan(token) : null;
        default:
          return null;
      }
    }),
  );

  documents.listen(connection);
  connection.listen();
  return connection;
}

// Started directly (the extension forks dist/server.js with --node-ipc); the bin script calls
// startServer() itself.
if (require.main === module) startServer();
