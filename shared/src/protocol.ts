/**
 * The contract between the ConnGuard language server and its clients (the VS Code extension,
 * Neovim, any LSP client): command ids, their argument and result shapes, the settings section,
 * the initialization options and the custom messages (`connguard/…`). One file so that both
 * sides import the same names.
 *
 * No `vscode` types here. The custom messages are typed with vscode-languageserver-protocol's
 * RequestType/NotificationType (as vscode-eslint does); the engine and the CLI do not import this
 * file. The probe's report type is imported as a type only (erased at build time).
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { Dbms, ProbeReport } from '../../server/src/probe/types';

/** The settings section the server reads through `workspace/configuration`. */
export const SETTINGS_SECTION = 'connguard';

/** Code action kind of "apply every preferred fix" (`editor.codeActionsOnSave` can name it). */
export const FIX_ALL_KIND = 'source.fixAll.connguard';

/** Diagnostic `source`. */
export const DIAGNOSTIC_SOURCE = 'connguard';

/**
 * Commands. The server executes all of them through `workspace/executeCommand`; it advertises
 * them in `executeCommandProvider` only when the client does not register them itself
 * (`InitializationOptions.clientCommands`), because VS Code refuses two registrations of one id.
 */
export namespace Commands {
  /** Open the log output channel (client only). */
  export const showOutput = 'connguard.showOutput';
  /** Apply every preferred fix to one document. Arguments: [FixAllArgs]. Result: boolean (applied). */
  export const fixAll = 'connguard.fixAll';
  /** Analyse every file of the workspace folders. Arguments: none. Result: ScanWorkspaceResult. */
  export const scanWorkspace = 'connguard.scanWorkspace';
  /**
   * The effective profile of one connection (the CodeLens "Test connection" runs it until the
   * live test exists). Arguments: [ShowConnectionProfileArgs]. Result: ConnectionProfileView | null.
   */
  export const showConnectionProfile = 'connguard.showConnectionProfile';
  /**
   * Test one connection live (SPEC §4): the CodeLens "Test connection", the command palette's
   * "ConnGuard: Test Connection…". Arguments: [TestConnectionArgs]. Result: TestConnectionResult.
   *
   * Work-done progress: pass `workDoneToken` in the executeCommand params to receive one
   * `report` per step ("TLS handshake…"); without one the server creates a progress itself
   * (window/workDoneProgress/create) when the client supports it. Cancellation: `$/cancelRequest`
   * on the executeCommand request, or window/workDoneProgress/cancel on a server-created
   * progress; the result is then a report with `cancelled: true`.
   *
   * Safety, in the server (whatever the client does):
   * - refused while the client says the workspace is untrusted (InitializationOptions.workspaceTrusted,
   *   DidChangeWorkspaceTrustNotification);
   * - no packet goes to a host the user did not confirm: `confirmedHosts`, else
   *   ConfirmHostRequest (clients with `testConnectionUi`), else window/showMessageRequest
   *   "Connect to host:port?" [Connect] [Cancel];
   * - passwords only through AskPasswordRequest (clients with `testConnectionUi`), the connection
   *   string or the server's environment; never logged, never in a result;
   * - a workspace `.env` is read for secrets (PGPASSWORD, MYSQL_PWD, …) only after the user agreed
   *   (ConfirmEnvSecretsRequest or window/showMessageRequest), asked once per workspace folder and
   *   server session.
   */
  export const testConnection = 'connguard.testConnection';
}

/** The commands the server executes (and advertises unless the client registers them). */
export const SERVER_COMMANDS: readonly string[] = [Commands.fixAll, Commands.scanWorkspace, Commands.showConnectionProfile, Commands.testConnection];

export interface FixAllArgs {
  readonly uri: string;
  /** The document version the caller saw; a different version is not fixed (the edit would be stale). */
  readonly version?: number;
}

export interface ShowConnectionProfileArgs {
  readonly uri: string;
  /** UTF-16 offset of the connection's anchor (`ConnectionSite.anchor.start`). */
  readonly offset: number;
}

/** A connection profile rendered for people. Never contains a secret value. */
export interface ConnectionProfileView {
  /** One line: "pgx → Amazon RDS (eu-west-1): TLS on · certificate NOT verified · hostname NOT verified". */
  readonly summary: string;
  /** The full profile as Markdown (the hover text plus the settings that produced it). */
  readonly markdown: string;
}

export interface ScanWorkspaceResult {
  readonly files: number;
  readonly problems: number;
  readonly skipped: number;
  readonly cancelled: boolean;
}

/** `initializationOptions` the VS Code extension sends. Other clients send nothing. */
export interface InitializationOptions {
  /** The client registers the `Commands` itself and forwards them; do not advertise them. */
  readonly clientCommands?: boolean;
  /**
   * Whether the user trusts the workspace. `false`: connection tests are refused. Absent: the
   * workspace is treated as trusted (clients without a trust model — Neovim, Helix — have the
   * user start the server on purpose). Changes arrive with DidChangeWorkspaceTrustNotification.
   */
  readonly workspaceTrusted?: boolean;
  /**
   * The client answers ConfirmHostRequest, AskPasswordRequest and ConfirmEnvSecretsRequest.
   * Without it the server confirms with window/showMessageRequest and asks for no password.
   */
  readonly testConnectionUi?: boolean;
}

/* ------------------------------------------------------------------ test connection */

/**
 * Arguments of `connguard.testConnection`: a detected connection (`uri` + `line`) or a pasted
 * connection string (`dsn`). Exactly one of the two forms.
 */
export interface TestConnectionArgs {
  /** A document the server knows (open) or a `file:` URI on disk. */
  readonly uri?: string;
  /** 0-based line (LSP convention) of the connection: its anchor or its connection string. */
  readonly line?: number;
  /** A connection string typed or pasted by the user (postgres://, mysql://, key=value…). */
  readonly dsn?: string;
  /**
   * `host:port` pairs the user already confirmed (e.g. from a dialog of the caller's own): no
   * confirmation is asked for them. Only a caller acting for the user may send it; the server
   * never puts it in a CodeLens.
   */
  readonly confirmedHosts?: readonly string[];
}

/** The probe's report as JSON (renderJson): the report plus its derived fields. */
export type ProbeReportJson = ProbeReport & { readonly verifiedLive: readonly string[]; readonly verdict: string };

export interface TestConnectionResult {
  /**
   * `tested`: the probe ran (`report` is set; it may still say "could not connect" or
   * "cancelled"). `refused`: nothing was contacted (untrusted workspace, host not confirmed).
   * `invalid`: nothing was contacted because the target could not be resolved (no connection at
   * that line, unknown host, unreadable CA file…).
   */
  readonly outcome: 'tested' | 'refused' | 'invalid';
  /** One line for people ("Connected with verified TLS…", "Not connecting: …"). Never a secret. */
  readonly message: string;
  readonly report?: ProbeReportJson;
  /** The report as plain text (renderText), or `message` when there is no report. */
  readonly text: string;
  /** The report as Markdown (each step with icon, duration, explanation, facts; verified live). */
  readonly markdown: string;
  /** The resolver's remarks (TLS policy assumptions, where the password came from). */
  readonly notes: readonly string[];
}

/** What a confirmation or password prompt is about. Never holds a secret. */
export interface ConnectionTargetInfo {
  readonly dbms: Dbms;
  readonly host: string;
  readonly port: number;
  readonly user?: string;
  readonly database?: string;
  readonly driverLabel: string;
  /** Where the connection comes from: "main.go:12" or "a pasted connection string". */
  readonly origin: string;
}

/**
 * `connguard/confirmHost` (server → client): may the server connect to `host:port`? Sent before
 * any DNS lookup or packet. The client asks the user (or answers from hosts the user confirmed
 * before in this workspace — the VS Code client keeps them in workspaceState). Any answer but
 * `{ confirmed: true }`, an error or no answer means: do not connect.
 */
export namespace ConfirmHostRequest {
  export const method = 'connguard/confirmHost' as const;
  export const type = new RequestType<ConnectionTargetInfo, { readonly confirmed: boolean }, void>(method);
}

/**
 * `connguard/askPassword` (server → client): the password for `user@host:port`, asked only after
 * the host was confirmed and only when neither the connection string nor the environment has
 * one. `key` identifies the credential for the client's secret store (VS Code: SecretStorage,
 * then an InputBox with `password: true`, offering to store it). Result: the password, or
 * `undefined` fields when the user gave none (the test then tries without one). The server
 * registers the password with the probe's redactor and never logs or returns it.
 */
export namespace AskPasswordRequest {
  export const method = 'connguard/askPassword' as const;
  export interface Params extends ConnectionTargetInfo {
    /** `dbms://user@host:port`: a stable key for stored secrets (no secret in it). */
    readonly key: string;
  }
  export interface Result {
    readonly password?: string;
    /** Where it came from, for the report ("SecretStorage", "the password prompt"). */
    readonly source?: string;
    /** The user cancelled the prompt: stop the test without connecting. */
    readonly cancelled?: boolean;
  }
  export const type = new RequestType<Params, Result | null, void>(method);
}

/**
 * `connguard/confirmEnvSecrets` (server → client): may the server read secrets (PGPASSWORD,
 * MYSQL_PWD, …) from the workspace folder's `.env` file? Asked at most once per folder and server
 * session, only when a test needs a password and the `.env` file exists. The VS Code client
 * remembers the answer in workspaceState.
 */
export namespace ConfirmEnvSecretsRequest {
  export const method = 'connguard/confirmEnvSecrets' as const;
  export interface Params {
    /** The `.env` file (file system path). */
    readonly file: string;
    readonly folder: string;
  }
  export const type = new RequestType<Params, { readonly allowed: boolean }, void>(method);
}

/**
 * `connguard/didChangeWorkspaceTrust` (client → server): the workspace's trust changed (VS Code
 * grants trust during a session; revoking takes a reload, which restarts the server).
 */
export namespace DidChangeWorkspaceTrustNotification {
  export const method = 'connguard/didChangeWorkspaceTrust' as const;
  export const type = new NotificationType<{ readonly trusted: boolean }>(method);
}

/**
 * `connguard/listConnections` (client → server): the connections detected in the open documents,
 * for the VS Code command palette's pick list. Never contains a secret.
 */
export namespace ListConnectionsRequest {
  export const method = 'connguard/listConnections' as const;
  export interface Item {
    readonly uri: string;
    /** 0-based line of the connection (TestConnectionArgs.line). */
    readonly line: number;
    readonly dbms: string;
    readonly driverLabel: string;
    /** The host as far as the source says ("(from the environment)" when unknown). */
    readonly host: string;
  }
  export const type = new RequestType<Record<string, never>, Item[], void>(method);
}

/** The `connguard` settings section as the editor sends it (every field optional on the wire). */
export interface ClientSettings {
  readonly enable?: boolean;
  /** Rule id → severity or `off`, applied over `.connguard.json`. */
  readonly rules?: Record<string, string>;
  readonly localHosts?: string[];
  readonly scanWorkspace?: boolean;
  readonly testConnection?: { readonly timeoutSeconds?: number };
  readonly trace?: { readonly server?: 'off' | 'messages' | 'verbose' };
}
