/**
 * `workspace/executeCommand connguard.testConnection` (SPEC §4) in the language server: resolve
 * the target with the probe's resolver (probe/resolve.ts — the CLI's), enforce the editor-side
 * safety rules, run the probe with work-done progress and cancellation, and answer with the
 * report as JSON, text and Markdown.
 *
 * Order of a test, and why:
 *  1. Trust: refused in an untrusted workspace (the client says so; unknown = trusted).
 *  2. Resolve without asking anything: host, port, TLS policy — and whether a password is needed
 *     (the resolver's `prompt` hook is called exactly when neither the connection string nor the
 *     environment has one; here it only records that).
 *  3. Confirm the host (before any DNS lookup): `confirmedHosts`, the client's
 *     connguard/confirmHost, or window/showMessageRequest. No answer = no connection.
 *  4. Only then secrets: the workspace `.env` (once the user agreed, once per folder), then the
 *     client's connguard/askPassword. A password goes into the target and the probe's redactor,
 *     never into a log line or a result.
 *  5. The probe, each step bounded by `connguard.testConnection.timeoutSeconds`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CancellationToken,
  Connection,
  Disposable,
  MessageActionItem,
  TextDocuments,
  WorkDoneProgressReporter,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  AskPasswordRequest,
  ConfirmEnvSecretsRequest,
  ConfirmHostRequest,
  ConnectionTargetInfo,
  ProbeReportJson,
  TestConnectionArgs,
  TestConnectionResult,
} from '../../../shared/src/protocol';
import { parseDotenv } from '../engine/extract/config/dotenv';
import { EntrySink } from '../engine/extract/config/sink';
import { runProbe } from '../probe/index';
import { renderJson, renderMarkdown, renderText } from '../probe/report';
import { resolveTarget, ResolveInput } from '../probe/resolve';
import { ProbeTarget } from '../probe/types';
import { DEFAULT_TEST_TIMEOUT_S, fsPathOf, SettingsStore } from './settings';

export interface TesterHost {
  readonly connection: Connection;
  readonly documents: TextDocuments<TextDocument>;
  readonly settings: SettingsStore;
  /** The file name the engine gives a document (untitled buffers: by language). */
  enginePath(doc: TextDocument): string;
  /** What the client said about workspace trust; true when it said nothing. */
  isTrusted(): boolean;
  /** The client answers the connguard/* prompts (InitializationOptions.testConnectionUi). */
  hasCustomUi(): boolean;
  /** The client accepts window/workDoneProgress/create. */
  canCreateProgress(): boolean;
}

const CONNECT: MessageActionItem = { title: 'Connect' };
const CANCEL: MessageActionItem = { title: 'Cancel' };
const ALLOW: MessageActionItem = { title: 'Allow' };
const DENY: MessageActionItem = { title: "Don't allow" };

function plain(outcome: 'refused' | 'invalid', message: string, notes: readonly string[] = []): TestConnectionResult {
  return { outcome, message, text: `${message}\n`, markdown: `# Test connection\n\n${message}\n`, notes };
}

/** The variables of a `.env` file, through the engine's dotenv parser (values with `${X}` holes are left out). */
export function readDotenv(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  const sink = {
    add(e: { key?: string; value: { text: string; complete: boolean } }): void {
      if (e.key && e.value.complete) vars[e.key] = e.value.text;
    },
    error(): void {
      // a malformed line is skipped, as dotenv does
    },
  };
  parseDotenv(text, sink as unknown as EntrySink);
  return vars;
}

export class ConnectionTester {
  /** Folder → whether the user allowed reading secrets from its `.env` (asked once per session). */
  private readonly envConsent = new Map<string, boolean>();

  constructor(private readonly host: TesterHost) {}

  private log(message: string): void {
    this.host.connection.console.info(`test connection: ${message}`);
  }

  async run(args: TestConnectionArgs, token: CancellationToken, clientProgress?: WorkDoneProgressReporter): Promise<TestConnectionResult> {
    const { connection, settings } = this.host;
    if (!this.host.isTrusted()) {
      this.log('refused: the workspace is not trusted');
      return plain('refused', 'Not connecting: the workspace is not trusted. Connection tests are disabled in Restricted Mode; trust the workspace to use them.');
    }

    // ---- what to test --------------------------------------------------------------------
    const folders = settings.workspaceFolders();
    let input: Omit<ResolveInput, 'env' | 'prompt'>;
    let origin: string;
    let scopeUri: string | undefined;
    let fsPath: string | undefined;
    if (typeof args.dsn === 'string' && args.dsn.trim() !== '') {
      input = { dsn: args.dsn.trim(), cwd: folders[0] ?? process.cwd(), iam: false };
      origin = 'a pasted connection string';
    } else if (typeof args.uri === 'string' && typeof args.line === 'number' && Number.isInteger(args.line) && args.line >= 0) {
      const doc = this.host.documents.get(args.uri);
      fsPath = fsPathOf(args.uri);
      const file = fsPath ?? (doc ? this.host.enginePath(doc) : undefined);
      if (!file) return plain('invalid', `Cannot test: ${args.uri} is neither open nor a file on disk.`);
      const cwd = fsPath ? path.dirname(fsPath) : (folders[0] ?? process.cwd());
      input = { from: { file: path.resolve(cwd, file), line: args.line + 1, text: doc?.getText() }, cwd, iam: false };
      origin = `${path.basename(file)}:${args.line + 1}`;
      scopeUri = args.uri;
    } else {
      return plain('invalid', 'Cannot test: give { uri, line } of a detected connection or { dsn } with a connection string.');
    }
    const folder = settings.folderOf(fsPath) ?? folders[0];
    const docSettings = scopeUri ? await settings.forDocument(scopeUri) : folder ? await settings.forFolder(folder) : undefined;
    const timeoutS = docSettings?.testTimeoutSeconds ?? DEFAULT_TEST_TIMEOUT_S;

    // ---- resolve without asking (the prompt hook only records that a password is needed) ----
    let needsPassword = false;
    const prompt = async (): Promise<string | undefined> => {
      needsPassword = true;
      return undefined;
    };
    let resolved = await resolveTarget({ ...input, env: process.env, prompt });
    if (!resolved.ok) {
      this.log(`cannot resolve ${origin}: ${resolved.message}`);
      return plain('invalid', `Cannot test ${origin}: ${resolved.message}.`);
    }
    let target: ProbeTarget = resolved.target;
    const hostPort = `${target.host}:${target.port}`;
    const info: ConnectionTargetInfo = {
      dbms: target.dbms,
      host: target.host,
      port: target.port,
      user: target.user,
      database: target.database,
      driverLabel: target.driverLabel,
      origin,
    };

    // ---- confirm the host: nothing is sent to it before this ------------------------------
    const confirmed = (args.confirmedHosts ?? []).includes(hostPort) || (await this.confirmHost(info, token));
    if (!confirmed || token.isCancellationRequested) {
      this.log(`refused: not connecting to ${hostPort}: the user did not confirm it`);
      return plain('refused', `Not connecting to ${hostPort}: the connection was not confirmed.`, resolved.notes);
    }

    // ---- secrets, only now -----------------------------------------------------------------
    if (needsPassword && folder) {
      const envFile = path.join(folder, '.env');
      if (fs.existsSync(envFile) && (await this.envAllowed(folder, envFile))) {
        let vars: Record<string, string> = {};
        try {
          vars = readDotenv(fs.readFileSync(envFile, 'utf8'));
        } catch (e) {
          this.log(`cannot read ${envFile}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
        }
        // As dotenv does: the process environment wins over the file.
        needsPassword = false;
        const again = await resolveTarget({ ...input, env: { ...vars, ...process.env }, prompt });
        if (again.ok && again.target.host === target.host && again.target.port === target.port) {
          resolved = again;
          target = again.target;
        }
      }
    }
    const notes = [...resolved.notes];
    if (needsPassword) {
      if (this.host.hasCustomUi()) {
        const key = `${target.dbms}://${target.user ?? ''}@${hostPort}`;
        const answer = await connection.sendRequest(AskPasswordRequest.type, { ...info, key }, token).catch(() => null);
        if (answer?.cancelled || token.isCancellationRequested) {
          this.log(`cancelled at the password prompt for ${hostPort}`);
          return plain('refused', `Not connecting to ${hostPort}: the password prompt was cancelled.`, notes);
        }
        const password = typeof answer?.password === 'string' && answer.password !== '' ? answer.password : undefined;
        target = { ...target, auth: { kind: 'password', password, source: password === undefined ? 'nowhere' : (answer?.source ?? 'the password prompt') } };
        if (password === undefined) notes.push('No password given: trying without one.');
      } else {
        notes.push('No password in the connection string or the environment, and this editor cannot be asked for one: trying without one.');
      }
    }

    // ---- the probe -------------------------------------------------------------------------
    const ctl = new AbortController();
    const subscriptions: Disposable[] = [token.onCancellationRequested(() => ctl.abort())];
    let progress: WorkDoneProgressReporter | undefined = clientProgress;
    if (!progress && this.host.canCreateProgress()) {
      const created = await connection.window.createWorkDoneProgress().catch(() => undefined);
      if (created) {
        subscriptions.push(created.token.onCancellationRequested(() => ctl.abort()));
        progress = created;
      }
    }
    progress?.begin(`ConnGuard: testing ${hostPort}`, undefined, 'Starting…', true);
    this.log(`testing ${target.dbms} ${hostPort} (${origin}), ${timeoutS} s per step`);
    try {
      const report = await runProbe(target, {
        stepTimeoutMs: Math.round(timeoutS * 1000),
        signal: ctl.signal,
        enforcementProbe: true,
        onStepStart: (_id, title) => progress?.report(`${title}…`),
      });
      const json = JSON.parse(renderJson(report)) as ProbeReportJson;
      this.log(`${hostPort}: ${json.verdict}`);
      return { outcome: 'tested', message: json.verdict, report: json, text: renderText(report), markdown: renderMarkdown(report, notes), notes };
    } finally {
      progress?.done();
      for (const s of subscriptions) s.dispose();
    }
  }

  private async confirmHost(info: ConnectionTargetInfo, token: CancellationToken): Promise<boolean> {
    const { connection } = this.host;
    if (this.host.hasCustomUi()) {
      const answer = await connection.sendRequest(ConfirmHostRequest.type, info, token).catch(() => null);
      return answer?.confirmed === true;
    }
    const who = info.user ? `${info.user}@` : '';
    const choice = await connection.window
      .showWarningMessage(`ConnGuard: connect to ${who}${info.host}:${info.port} (${info.origin}) to test the connection?`, CONNECT, CANCEL)
      .catch(() => undefined);
    return choice?.title === CONNECT.title;
  }

  private async envAllowed(folder: string, file: string): Promise<boolean> {
    const known = this.envConsent.get(folder);
    if (known !== undefined) return known;
    let allowed = false;
    if (this.host.hasCustomUi()) {
      const answer = await this.host.connection.sendRequest(ConfirmEnvSecretsRequest.type, { file, folder }).catch(() => null);
      allowed = answer?.allowed === true;
    } else {
      const choice = await this.host.connection.window
        .showWarningMessage(`ConnGuard: read passwords (PGPASSWORD, MYSQL_PWD…) from ${file} for connection tests in this workspace?`, ALLOW, DENY)
        .catch(() => undefined);
      allowed = choice?.title === ALLOW.title;
    }
    this.envConsent.set(folder, allowed);
    return allowed;
  }
}
