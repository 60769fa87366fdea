/**
 * `.connguard.json` loading for the CLI. A configuration problem (unreadable file, invalid
 * JSON, unknown setting, bad value) is fatal — exit code 2 with every message — because a CI
 * run with a half-applied configuration would report the wrong thing without saying so.
 *
 * The file may contain comments and trailing commas (JSONC). Its `ignore` globs are relative to
 * the directory of the file that declares them, like a .gitignore; they are returned as separate
 * layers so the walker can apply each against its own base directory.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseJsonc, ParseError, printParseErrorCode } from 'jsonc-parser';
import { EngineSettings, mergeSettings } from '../engine/settings';

export const CONFIG_FILE = '.connguard.json';

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
  }
}

/** Ignore globs from one configuration file, relative to `baseDir`. */
export interface IgnoreLayer {
  readonly baseDir: string;
  readonly patterns: readonly string[];
  readonly origin: string;
}

export interface ResolvedConfig {
  readonly settings: EngineSettings;
  readonly ignoreLayers: readonly IgnoreLayer[];
  /** Configuration files read, in the order applied. */
  readonly files: readonly string[];
}

function lineCol(text: string, offset: number): string {
  let line = 1;
  let col = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      col = 1;
    } else col++;
  }
  return `${line}:${col}`;
}

/** Reads and parses one configuration file; throws ConfigError with readable messages. */
export function readConfigFile(file: string, display: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError([`${display}: cannot read the configuration file${code ? ` (${code})` : ''}`]);
  }
  const errors: ParseError[] = [];
  const value: unknown = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length) {
    throw new ConfigError(errors.map((e) => `${display}:${lineCol(text, e.offset)}: invalid JSON (${printParseErrorCode(e.error)})`));
  }
  return value;
}

/**
 * Applies configuration files over `base` in order. Each entry is an absolute path and the
 * name to show in messages. All problems of all files are collected before failing.
 */
export function resolveConfig(base: EngineSettings, files: readonly { abs: string; display: string }[]): ResolvedConfig {
  let settings = base;
  const problems: string[] = [];
  const ignoreLayers: IgnoreLayer[] = [];
  for (const f of files) {
    let raw: unknown;
    try {
      raw = readConfigFile(f.abs, f.display);
    } catch (e) {
      if (e instanceof ConfigError) {
        problems.push(...e.problems);
        continue;
      }
      throw e;
    }
    const before = settings.ignore.length;
    const merged = mergeSettings(settings, raw, f.display);
    problems.push(...merged.problems);
    settings = merged.settings;
    const added = settings.ignore.slice(before);
    if (added.length) ignoreLayers.push({ baseDir: path.dirname(f.abs), patterns: added, origin: f.display });
  }
  if (problems.length) throw new ConfigError(problems);
  return { settings, ignoreLayers, files: files.map((f) => f.abs) };
}

/** The `.connguard.json` that applies to a scan root: the root's own, else the cwd's. */
export function discoverConfig(rootDir: string, cwd: string): string | undefined {
  for (const dir of rootDir === cwd ? [rootDir] : [rootDir, cwd]) {
    const p = path.join(dir, CONFIG_FILE);
    try {
      if (fs.statSync(p).isFile()) return p;
    } catch {
      // absent: try the next place
    }
  }
  return undefined;
}
