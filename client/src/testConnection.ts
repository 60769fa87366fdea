/**
 * The VS Code side of "Test connection" (SPEC §4). The language server resolves the target, runs
 * the probe and enforces the safety rules (shared/src/protocol.ts, Commands.testConnection); this
 * module supplies what only the editor has:
 *
 * - the command "ConnGuard: Test Connection…": a pick list of the connections detected in open
 *   documents plus "Paste a connection string…", or the `{ uri, line }` of a CodeLens;
 * - a progress notification with Cancel (a work-done token on the executeCommand request for the
 *   per-step messages, the notification's cancellation token → `$/cancelRequest`);
 * - the answers to the server's prompts: connguard/confirmHost (a modal dialog; confirmed
 *   `host:port` pairs are remembered in workspaceState), connguard/askPassword (SecretStorage
 *   first, else an InputBox with `password: true`, then an offer to store it),
 *   connguard/confirmEnvSecrets (asked once per workspace, remembered in workspaceState);
 * - workspace trust: sent at start and when granted; the command refuses in Restricted Mode.
 * - the report as a read-only Markdown document (`connguard-report:` virtual documents).
 *
 * Secrets: a password goes from SecretStorage or the InputBox straight into the response to the
 * server; it is never logged, shown or put in workspaceState.
 */
import * as vscode from 'vscode';
import { ExecuteCommandRequest, LanguageClient, WorkDoneProgress } from 'vscode-languageclient/node';
import {
  AskPasswordRequest,
  Commands,
  ConfirmEnvSecretsRequest,
  ConfirmHostRequest,
  ConnectionTargetInfo,
  DidChangeWorkspaceTrustNotification,
  ListConnectionsRequest,
  TestConnectionArgs,
  TestConnectionResult,
} from '../../shared/src/protocol';

/** workspaceState keys. */
const CONFIRMED_HOSTS = 'connguard.testConnection.confirmedHosts';
const ENV_SECRETS = 'connguard.testConnection.envSecrets';
const SECRET_PREFIX = 'connguard.password:';
const REPORT_SCHEME = 'connguard-report';

/** The user-facing prompts, replaceable in extension-host tests (dialogs are refused there). */
export interface TestConnectionPrompts {
  /** May we connect? (modal) */
  confirmHost(info: ConnectionTargetInfo): Promise<boolean>;
  /** The password; undefined = cancelled, '' = no password. */
  askPassword(info: ConnectionTargetInfo): Promise<string | undefined>;
  /** Store the password just typed in SecretStorage? */
  offerToStore(info: ConnectionTargetInfo): Promise<boolean>;
  /** May the server read secrets from this `.env` file? (modal) */
  allowEnvSecrets(file: string): Promise<boolean>;
  /** The command palette's pick; undefined = dismissed. */
  pick(items: readonly ListConnectionsRequest.Item[]): Promise<TestConnectionArgs | undefined>;
}

/** The result of the VS Code command: the server's result plus the report document shown. */
export type TestConnectionCommandResult = TestConnectionResult & { readonly reportUri?: string };

function who(info: ConnectionTargetInfo): string {
  return `${info.user ? `${info.user}@` : ''}${info.host}:${info.port}`;
}

const dialogPrompts: TestConnectionPrompts = {
  async confirmHost(info) {
    const connect = 'Connect';
    const choice = await vscode.window.showWarningMessage(
      `Connect to ${info.host}:${info.port}?`,
      { modal: true, detail: `ConnGuard will open a ${info.dbms} connection as ${info.user ?? 'the default user'} (${info.driverLabel}, from ${info.origin}) to check TLS, the certificate and authentication. The answer is remembered for this workspace.` },
      connect,
    );
    return choice === connect;
  },
  askPassword(info) {
    return Promise.resolve(
      vscode.window.showInputBox({
        title: `ConnGuard: password for ${who(info)}`,
        prompt: 'Leave empty to connect without a password. Press Escape to cancel the test.',
        password: true,
        ignoreFocusOut: true,
      }),
    );
  },
  async offerToStore(info) {
    const store = 'Store';
    return (await vscode.window.showInformationMessage(`ConnGuard: store the password for ${who(info)} in VS Code's secret storage?`, store, 'Not now')) === store;
  },
  async allowEnvSecrets(file) {
    const allow = 'Allow';
    const choice = await vscode.window.showWarningMessage(
      `Read passwords from ${vscode.workspace.asRelativePath(file)}?`,
      { modal: true, detail: 'Connection tests can use PGPASSWORD, MYSQL_PWD and similar variables from this file. The answer is remembered for this workspace.' },
      allow,
      "Don't allow",
    );
    return choice === allow;
  },
  async pick(items) {
    type Item = vscode.QuickPickItem & { args?: TestConnectionArgs };
    const picks: Item[] = items.map((c) => ({
      label: `${c.driverLabel} → ${c.host}`,
      description: `${vscode.workspace.asRelativePath(vscode.Uri.parse(c.uri))}:${c.line + 1}`,
      args: { uri: c.uri, line: c.line },
    }));
    const paste: Item = { label: '$(clippy) Paste a connection string…', alwaysShow: true };
    const chosen = await vscode.window.showQuickPick<Item>([...picks, paste], {
      title: 'ConnGuard: Test Connection',
      placeHolder: picks.length ? 'Pick a connection from the open files, or paste a connection string' : 'No connection in the open files: paste a connection string',
      matchOnDescription: true,
    });
    if (!chosen) return undefined;
    if (chosen.args) return chosen.args;
    const dsn = await vscode.window.showInputBox({
      title: 'ConnGuard: Test Connection',
      prompt: 'A connection string (postgres://…, mysql://…, host=… keyword/value, sqlserver://…)',
      placeHolder: 'postgres://app@db.example.com:5432/app?sslmode=verify-full',
      ignoreFocusOut: true,
    });
    return dsn ? { dsn } : undefined;
  },
};

/** The report documents: read-only, never dirty, gone when closed. */
class ReportDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private n = 0;
  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '# Test connection\n\nThis report is no longer available.\n';
  }
  add(title: string, markdown: string): vscode.Uri {
    const safe = title.replace(/[^A-Za-z0-9._-]+/g, '-');
    const uri = vscode.Uri.from({ scheme: REPORT_SCHEME, path: `/Test connection ${safe} (${++this.n}).md` });
    this.texts.set(uri.toString(), markdown);
    return uri;
  }
  forget(uri: vscode.Uri): void {
    this.texts.delete(uri.toString());
  }
}

function refused(message: string): TestConnectionCommandResult {
  return { outcome: 'refused', message, text: `${message}\n`, markdown: `# Test connection\n\n${message}\n`, notes: [] };
}

export function registerTestConnection(
  context: vscode.ExtensionContext,
  lc: LanguageClient,
  log: vscode.LogOutputChannel,
): { testHooks: { setPrompts(p: Partial<TestConnectionPrompts>): void; settled(): Promise<void> } } {
  let prompts: TestConnectionPrompts = dialogPrompts;
  let pendingStores: Promise<unknown>[] = [];
  const reports = new ReportDocuments();

  // ---- trust ----------------------------------------------------------------------------------
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      if (lc.isRunning()) void lc.sendNotification(DidChangeWorkspaceTrustNotification.type, { trusted: true });
    }),
  );

  // ---- the server's prompts ---------------------------------------------------------------------
  lc.onRequest(ConfirmHostRequest.type, async (info) => {
    // Defence in depth: the server refuses too, from InitializationOptions.workspaceTrusted.
    if (!vscode.workspace.isTrusted) return { confirmed: false };
    const key = `${info.host}:${info.port}`;
    const known = context.workspaceState.get<string[]>(CONFIRMED_HOSTS, []);
    if (known.includes(key)) return { confirmed: true };
    const confirmed = await prompts.confirmHost(info);
    if (confirmed) await context.workspaceState.update(CONFIRMED_HOSTS, [...known, key]);
    log.info(`test connection: ${key} ${confirmed ? 'confirmed' : 'not confirmed'}`);
    return { confirmed };
  });

  lc.onRequest(AskPasswordRequest.type, async (p) => {
    const secretKey = SECRET_PREFIX + p.key;
    const stored = await context.secrets.get(secretKey);
    if (stored !== undefined) return { password: stored, source: "VS Code's secret storage" };
    const typed = await prompts.askPassword(p);
    if (typed === undefined) return { cancelled: true };
    if (typed === '') return {};
    pendingStores.push(
      prompts.offerToStore(p).then(
        (yes) => (yes ? context.secrets.store(secretKey, typed) : undefined),
        () => undefined,
      ),
    );
    return { password: typed, source: 'the password prompt' };
  });

  lc.onRequest(ConfirmEnvSecretsRequest.type, async (p) => {
    const known = context.workspaceState.get<boolean>(ENV_SECRETS);
    if (known !== undefined) return { allowed: known };
    const allowed = await prompts.allowEnvSecrets(p.file);
    await context.workspaceState.update(ENV_SECRETS, allowed);
    return { allowed };
  });

  // ---- the command ----------------------------------------------------------------------------
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, reports),
    vscode.workspace.onDidCloseTextDocument((d) => {
      if (d.uri.scheme === REPORT_SCHEME) reports.forget(d.uri);
    }),
    vscode.commands.registerCommand(Commands.testConnection, async (argsIn?: TestConnectionArgs): Promise<TestConnectionCommandResult | undefined> => {
      if (!vscode.workspace.isTrusted) {
        const r = refused('Not connecting: the workspace is not trusted. Connection tests are disabled in Restricted Mode; trust the workspace to use them.');
        void vscode.window.showWarningMessage(`ConnGuard: ${r.message}`);
        return r;
      }
      let args = argsIn;
      if (!args || (args.dsn === undefined && args.uri === undefined)) {
        const items = await lc.sendRequest(ListConnectionsRequest.type, {});
        args = await prompts.pick(items);
        if (!args) return undefined;
      }
      const request = args;
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'ConnGuard: Test connection', cancellable: true },
        async (progress, cancel) => {
          const workDoneToken = `connguard-test-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
          const sub = lc.onProgress(WorkDoneProgress.type, workDoneToken, (v) => {
            if (v.kind !== 'end' && v.message) progress.report({ message: v.message });
          });
          try {
            return (await lc.sendRequest(ExecuteCommandRequest.type, { command: Commands.testConnection, arguments: [request], workDoneToken }, cancel)) as TestConnectionResult | null;
          } finally {
            sub.dispose();
          }
        },
      );
      if (!result) {
        void vscode.window.showErrorMessage('ConnGuard: the connection test failed (see the ConnGuard output).');
        return undefined;
      }
      if (result.outcome !== 'tested' || !result.report) {
        void vscode.window.showWarningMessage(`ConnGuard: ${result.message}`);
        return result;
      }
      const t = result.report.target;
      const uri = reports.add(`${t.host}-${t.port}`, result.markdown);
      const doc = await vscode.workspace.openTextDocument(uri);
      if (doc.languageId !== 'markdown') await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
      await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.Beside });
      const note = result.report.verifiedTls ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
      void note(`ConnGuard: ${t.host}:${t.port}: ${result.message}`);
      return { ...result, reportUri: uri.toString() };
    }),
  );

  return {
    testHooks: {
      setPrompts: (p) => {
        prompts = { ...dialogPrompts, ...p };
      },
      settled: async () => {
        const now = pendingStores;
        pendingStores = [];
        await Promise.all(now);
      },
    },
  };
}
