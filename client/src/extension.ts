/**
 * The ConnGuard VS Code extension: starts the bundled language server (dist/server.js over node
 * IPC), and adds what only an editor can: commands, a status bar item and the log channel.
 * Every analysis feature (diagnostics, quick fixes, hover, CodeLens) lives in the server, so it
 * works the same in any LSP client.
 *
 * The commands are registered here and forwarded to the server with `workspace/executeCommand`
 * (the server does not advertise them: VS Code refuses two registrations of one command id —
 * `InitializationOptions.clientCommands`).
 *
 * Test connection (SPEC §4): the server runs the probe and enforces the safety rules; this side
 * supplies what only the editor has (testConnection.ts): workspace trust, the host confirmation
 * dialog (remembered per workspace in workspaceState), passwords (SecretStorage, else a password
 * InputBox, offering to store), the `.env` consent, the pick list, the progress notification with
 * Cancel, and the report as a read-only Markdown document.
 */
import * as vscode from 'vscode';
import {
  CloseAction,
  CloseHandlerResult,
  ErrorHandler,
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
  TransportKind,
} from 'vscode-languageclient/node';
import {
  Commands,
  ConnectionProfileView,
  DIAGNOSTIC_SOURCE,
  FixAllArgs,
  InitializationOptions,
  ScanWorkspaceResult,
  ShowConnectionProfileArgs,
} from '../../shared/src/protocol';
import { SERVER_NODE_FLAGS } from '../../shared/src/runtime';
import { registerTestConnection, TestConnectionPrompts } from './testConnection';

/** Languages whose documents the server reads (it decides by file name, then by language). */
const LANGUAGES = [
  'go',
  'typescript',
  'typescriptreact',
  'javascript',
  'javascriptreact',
  'dotenv',
  'yaml',
  'dockercompose',
  'json',
  'jsonc',
  'toml',
  'properties',
  'prisma',
];

/** Files matched by name whatever language another extension gave them (or none). */
const PATTERNS = ['**/.env', '**/.env.*', '**/*.env', '**/*.toml', '**/*.prisma', '**/*.properties'];

/** What `activate` returns: used by the extension-host tests. */
export interface ConnGuardApi {
  readonly client: LanguageClient;
  /** Resolves when the language server is running. */
  readonly ready: Promise<void>;
  /**
   * Extension-host tests only (`extensionMode === Test`, i.e. started with extensionTestsPath):
   * answers for the prompts, because VS Code refuses dialogs in tests. Absent otherwise.
   */
  readonly testHooks?: {
    setPrompts(p: Partial<TestConnectionPrompts>): void;
    /** Resolves when every "store this password?" answer has been acted on. */
    settled(): Promise<void>;
    /** Kills the language server process (SIGKILL), as a crash would. */
    crashServer(): void;
    /** Resolves the next time the client has restarted a crashed server and told the user. */
    nextRestart(): Promise<string>;
  };
}

let client: LanguageClient | undefined;

/** Told to the user (log, status bar, notification) after the client restarted a crashed server. */
export const RESTARTED_MESSAGE = 'ConnGuard language server stopped unexpectedly and was restarted.';

function connguardCounts(uri: vscode.Uri | undefined): { errors: number; warnings: number; infos: number } {
  const counts = { errors: 0, warnings: 0, infos: 0 };
  if (!uri) return counts;
  for (const d of vscode.languages.getDiagnostics(uri)) {
    if (d.source !== DIAGNOSTIC_SOURCE) continue;
    if (d.severity === vscode.DiagnosticSeverity.Error) counts.errors++;
    else if (d.severity === vscode.DiagnosticSeverity.Warning) counts.warnings++;
    else counts.infos++;
  }
  return counts;
}

export function activate(context: vscode.ExtensionContext): ConnGuardApi {
  const log = vscode.window.createOutputChannel('ConnGuard', { log: true });
  context.subscriptions.push(log);

  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS] } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS, '--nolazy', '--inspect=6011'] } },
  };
  const documentSelector = [
    ...LANGUAGES.flatMap((language) => [
      { scheme: 'file', language },
      { scheme: 'untitled', language },
    ]),
    ...PATTERNS.map((pattern) => ({ scheme: 'file', pattern })),
  ];
  const initializationOptions: InitializationOptions = {
    clientCommands: true,
    workspaceTrusted: vscode.workspace.isTrusted,
    testConnectionUi: true,
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector,
    initializationOptions,
    outputChannel: log,
    traceOutputChannel: log,
    // vscode-languageclient's default handler restarts a crashed server (up to 4 times in 3
    // minutes); this one delegates to it and tells the user (log and status bar) when it did.
    errorHandler: {
      error: (error, message, count) => defaultErrors().error(error, message, count),
      closed: async (): Promise<CloseHandlerResult> => {
        const r = await defaultErrors().closed();
        if (r.action === CloseAction.Restart) {
          restartPending = true;
          log.warn('ConnGuard language server stopped unexpectedly; restarting it.');
        } else {
          log.error('ConnGuard language server stopped unexpectedly and will not be restarted (it crashed too often). Reload the window to start it again.');
        }
        return r;
      },
    },
    // Untrusted workspaces: analysis is static and safe (SPEC §3), so it runs; connection tests
    // are refused (here and, from `workspaceTrusted`, in the server).
  };
  // Created once the client exists (the default handler needs it); used only after start.
  let defaultHandler: ErrorHandler | undefined;
  let restartPending = false;
  const defaultErrors = (): ErrorHandler => (defaultHandler ??= lc.createDefaultErrorHandler(4));
  client = new LanguageClient('connguard', 'ConnGuard', serverOptions, clientOptions);
  const lc = client;

  // ---- status bar -----------------------------------------------------------------------------
  const status = vscode.window.createStatusBarItem('connguard.status', vscode.StatusBarAlignment.Right, 100);
  status.name = 'ConnGuard';
  status.command = Commands.showOutput;
  let serverState = 'starting';
  /** Set after a crash and restart: kept at the top of the status bar tooltip from then on. */
  let restartNote = '';
  const restarted = new vscode.EventEmitter<string>();
  const updateStatus = (): void => {
    const uri = vscode.window.activeTextEditor?.document.uri;
    const c = connguardCounts(uri);
    if (serverState !== 'running') {
      status.text = serverState === 'starting' ? '$(sync~spin) ConnGuard' : '$(error) ConnGuard';
      status.tooltip = `ConnGuard language server: ${serverState}. Click for the log.`;
      status.backgroundColor = serverState === 'stopped' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    } else {
      const problems = c.errors + c.warnings + c.infos;
      status.text = problems ? `$(shield) ConnGuard ${c.errors}/${c.warnings}` : '$(shield) ConnGuard';
      status.tooltip = problems
        ? `ConnGuard: ${c.errors} error(s), ${c.warnings} warning(s), ${c.infos} info in this file. Click for the log.`
        : 'ConnGuard: no connection problems in this file. Click for the log.';
      status.backgroundColor = undefined;
    }
    if (restartNote) status.tooltip = `${restartNote}\n${status.tooltip as string}`;
    status.show();
  };
  updateStatus();
  context.subscriptions.push(
    status,
    restarted,
    vscode.languages.onDidChangeDiagnostics(updateStatus),
    vscode.window.onDidChangeActiveTextEditor(updateStatus),
    lc.onDidChangeState((e) => {
      serverState = e.newState === State.Running ? 'running' : e.newState === State.Starting ? 'starting' : 'stopped';
      if (e.newState === State.Running && restartPending) {
        restartPending = false;
        restartNote = RESTARTED_MESSAGE;
        log.warn(RESTARTED_MESSAGE);
        void vscode.window.showWarningMessage(RESTARTED_MESSAGE, 'Show Log').then((c) => c && log.show(true));
        restarted.fire(RESTARTED_MESSAGE);
      }
      updateStatus();
    }),
  );

  // ---- commands -------------------------------------------------------------------------------
  const execute = <R>(command: string, args: unknown[]): Promise<R> =>
    lc.sendRequest(ExecuteCommandRequest.type, { command, arguments: args }) as Promise<R>;

  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.showOutput, () => log.show(true)),

    vscode.commands.registerCommand(Commands.fixAll, async (): Promise<boolean> => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) return false;
      const args: FixAllArgs = { uri: editor.document.uri.toString(), version: editor.document.version };
      return execute<boolean>(Commands.fixAll, [args]);
    }),

    vscode.commands.registerCommand(Commands.scanWorkspace, async (): Promise<ScanWorkspaceResult | null> => {
      const result = await execute<ScanWorkspaceResult | null>(Commands.scanWorkspace, []);
      if (result && !result.cancelled) {
        void vscode.window.showInformationMessage(`ConnGuard: ${result.problems} problem(s) in ${result.files} file(s).`);
      }
      return result;
    }),

    vscode.commands.registerCommand(
      Commands.showConnectionProfile,
      async (argsIn?: ShowConnectionProfileArgs): Promise<ConnectionProfileView | null> => {
        let args = argsIn;
        if (!args) {
          // From the command palette: the connection under the cursor.
          const editor = vscode.window.activeTextEditor;
          if (!editor) return null;
          args = { uri: editor.document.uri.toString(), offset: editor.document.offsetAt(editor.selection.active) };
        }
        const view = await execute<ConnectionProfileView | null>(Commands.showConnectionProfile, [args]);
        if (!view) {
          void vscode.window.showInformationMessage('ConnGuard: no connection at the cursor.');
          return null;
        }
        log.info(`connection profile: ${view.summary}`);
        void vscode.window.showInformationMessage(`ConnGuard: ${view.summary}`, 'Show details').then(async (choice) => {
          if (choice !== 'Show details') return;
          const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: `# Connection profile\n\n${view.markdown}\n` });
          await vscode.commands.executeCommand('markdown.showPreview', doc.uri);
        });
        return view;
      },
    ),
  );

  const testConnection = registerTestConnection(context, lc, log);

  const ready = lc.start().then(
    () => {
      serverState = 'running';
      updateStatus();
    },
    (e: unknown) => {
      serverState = 'stopped';
      updateStatus();
      log.error(`ConnGuard language server failed to start: ${(e as Error).message ?? e}`);
      throw e;
    },
  );
  const testHooks: ConnGuardApi['testHooks'] =
    context.extensionMode === vscode.ExtensionMode.Test
      ? {
          ...testConnection.testHooks,
          crashServer: () => {
            // vscode-languageclient 9 keeps the forked server in a private field; the hook
            // exists only in extension tests, and fails loudly if that field ever goes away.
            const pid = (lc as unknown as { _serverProcess?: { pid?: number } })._serverProcess?.pid;
            if (pid === undefined) throw new Error('no language server process to crash');
            process.kill(pid, 'SIGKILL');
          },
          nextRestart: () => new Promise<string>((resolve) => {
            const sub = restarted.event((m) => {
              sub.dispose();
              resolve(m);
            });
          }),
        }
      : undefined;
  return { client: lc, ready, testHooks };
}

export async function deactivate(): Promise<void> {
  if (client) await client.stop();
}
