/**
 * The contract between the ConnGuard language server and its clients (the VS Code extension,
 * Neovim, any LSP client): command ids, their argument and result shapes, the settings section
 * and the initialization options. One file so that both sides import the same names.
 *
 * No LSP or `vscode` types here: the engine and the CLI may import this file too.
 */

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
}

/** The commands the server executes (and advertises unless the client registers them). */
export const SERVER_COMMANDS: readonly string[] = [Commands.fixAll, Commands.scanWorkspace, Commands.showConnectionProfile];

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
