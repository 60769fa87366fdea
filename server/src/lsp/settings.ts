/**
 * Per-document settings for the language server, resolved once and cached until the client
 * says something changed (didChangeConfiguration, a watched `.connguard.json` changed, the
 * workspace folders changed).
 *
 * Order of precedence, lowest first: DEFAULT_SETTINGS → the workspace folder's `.connguard.json`
 * (the project's committed policy, read with the CLI's loader) → the editor's `connguard.rules`
 * and `connguard.localHosts` (the user's overrides for this window). A problem in either source
 * is logged and the invalid entry dropped; the rest still applies (an editor must keep working
 * while the user is typing a half-valid configuration).
 */
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Connection } from 'vscode-languageserver/node';
import { ClientSettings, SETTINGS_SECTION } from '../../../shared/src/protocol';
import { ConfigError, discoverConfig, IgnoreLayer, readConfigFile, resolveConfig } from '../cli/config';
import { DEFAULT_SETTINGS, EngineSettings, mergeSettings } from '../engine/settings';

export interface DocumentSettings {
  readonly enable: boolean;
  readonly engine: EngineSettings;
  readonly scanWorkspace: boolean;
  /** `connguard.testConnection.timeoutSeconds`: the timeout of each step of a connection test. */
  readonly testTimeoutSeconds: number;
  /** The workspace folder (file system path) holding the document, if any. */
  readonly folder?: string;
  /** Ignore globs of `.connguard.json`, for the workspace scan's walker. */
  readonly ignoreLayers: readonly IgnoreLayer[];
}

/** A `file:` URI's path, or undefined for other schemes (untitled, git, …). */
export function fsPathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

function isInside(dir: string, file: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** SPEC §4: every step of a connection test has a timeout, 10 s unless configured (1–120 s). */
export const DEFAULT_TEST_TIMEOUT_S = 10;

function testTimeout(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.min(120, Math.max(1, v)) : DEFAULT_TEST_TIMEOUT_S;
}

export class SettingsStore {
  private readonly cache = new Map<string, Promise<DocumentSettings>>();
  /** Settings pushed by didChangeConfiguration, for clients without workspace/configuration. */
  private pushed: ClientSettings = {};
  /** Workspace folders as file system paths. */
  private folders: string[] = [];
  /** Problems already logged, so a broken `.connguard.json` is reported once per change. */
  private readonly logged = new Set<string>();

  constructor(
    private readonly connection: Connection,
    private readonly pullConfiguration: boolean,
  ) {}

  setFolders(uris: readonly string[]): void {
    this.folders = uris.map(fsPathOf).filter((p): p is string => p !== undefined);
    this.invalidate();
  }

  workspaceFolders(): readonly string[] {
    return this.folders;
  }

  /** Settings pushed with didChangeConfiguration (used when the client cannot be asked). */
  setPushed(all: unknown): void {
    const section = all && typeof all === 'object' ? (all as Record<string, unknown>)[SETTINGS_SECTION] : undefined;
    this.pushed = section && typeof section === 'object' ? (section as ClientSettings) : {};
    this.invalidate();
  }

  invalidate(): void {
    this.cache.clear();
    this.logged.clear();
  }

  /** The workspace folder holding `fsPath` (the innermost one when folders nest). */
  folderOf(fsPath: string | undefined): string | undefined {
    if (!fsPath) return undefined;
    let best: string | undefined;
    for (const f of this.folders) if (isInside(f, fsPath) && (!best || f.length > best.length)) best = f;
    return best;
  }

  forDocument(uri: string): Promise<DocumentSettings> {
    let hit = this.cache.get(uri);
    if (!hit) {
      hit = this.resolve(uri).catch((e: unknown) => {
        this.connection.console.error(`settings for ${uri}: ${(e as Error).message}`);
        return { enable: true, engine: DEFAULT_SETTINGS, scanWorkspace: false, testTimeoutSeconds: DEFAULT_TEST_TIMEOUT_S, ignoreLayers: [] };
      });
      this.cache.set(uri, hit);
    }
    return hit;
  }

  /** Settings of a workspace folder itself (for the workspace scan). */
  forFolder(folder: string): Promise<DocumentSettings> {
    return this.forDocument(`folder:${folder}`);
  }

  private async editorSettings(scopeUri: string | undefined): Promise<ClientSettings> {
    if (!this.pullConfiguration) return this.pushed;
    const value: unknown = await this.connection.workspace.getConfiguration({ scopeUri, section: SETTINGS_SECTION });
    return value && typeof value === 'object' ? (value as ClientSettings) : {};
  }

  private logOnce(problem: string): void {
    if (this.logged.has(problem)) return;
    this.logged.add(problem);
    this.connection.console.warn(problem);
  }

  private async resolve(key: string): Promise<DocumentSettings> {
    const isFolderKey = key.startsWith('folder:');
    const folder = isFolderKey ? key.slice('folder:'.length) : this.folderOf(fsPathOf(key));
    let engine = DEFAULT_SETTINGS;
    let ignoreLayers: readonly IgnoreLayer[] = [];
    if (folder) {
      const file = discoverConfig(folder, folder);
      if (file) {
        try {
          const resolved = resolveConfig(DEFAULT_SETTINGS, [{ abs: file, display: file }]);
          engine = resolved.settings;
          ignoreLayers = resolved.ignoreLayers;
        } catch (e) {
          // resolveConfig is all-or-nothing for the CLI; the editor applies what is valid.
          const problems = e instanceof ConfigError ? e.problems : [(e as Error).message];
          for (const p of problems) this.logOnce(p);
          engine = this.lenientConfig(file) ?? DEFAULT_SETTINGS;
        }
      }
    }
    const scopeUri = isFolderKey ? (folder ? pathToFileURL(folder).href : undefined) : key;
    const editor = await this.editorSettings(scopeUri);
    const overrides: Record<string, unknown> = {};
    if (editor.rules && typeof editor.rules === 'object' && Object.keys(editor.rules).length) overrides.rules = editor.rules;
    if (Array.isArray(editor.localHosts) && editor.localHosts.length) overrides.localHosts = editor.localHosts;
    if (Object.keys(overrides).length) {
      const merged = mergeSettings(engine, overrides, 'connguard settings');
      for (const p of merged.problems) this.logOnce(p);
      engine = merged.settings;
    }
    return {
      enable: editor.enable !== false,
      engine,
      scanWorkspace: editor.scanWorkspace === true,
      testTimeoutSeconds: testTimeout(editor.testConnection?.timeoutSeconds),
      folder,
      ignoreLayers,
    };
  }

  /** The valid part of a `.connguard.json` that resolveConfig rejected as a whole. */
  private lenientConfig(file: string): EngineSettings | undefined {
    try {
      // readConfigFile throws on JSON syntax errors: then nothing is usable.
      return mergeSettings(DEFAULT_SETTINGS, readConfigFile(file, file), file).settings;
    } catch {
      return undefined;
    }
  }
}
