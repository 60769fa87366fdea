/**
 * Helpers for the CLI tests: they spawn the built command (`node bin/connguard.js`, bundled by
 * `npm run build`, which `npm test` runs first) in throw-away directories.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '..', '..', '..');
export const BIN = path.join(REPO, 'bin', 'connguard.js');

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function connguard(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): RunResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Creates a temp directory with the given files (path → content); returns its real path. */
export function tempTree(files: Readonly<Record<string, string | Buffer>>): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'connguard-cli-')));
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
  return dir;
}

export function removeTree(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

export interface JsonFindingOut {
  readonly ruleId: string;
  readonly severity: string;
  readonly message: string;
  readonly range: { start: { line: number; column: number }; end: { line: number; column: number } };
  readonly fixes: { title: string; preferred: boolean }[];
  readonly fingerprint: string;
}

export interface JsonReportOut {
  readonly version: number;
  readonly results: { path: string; findings: JsonFindingOut[]; notes: { kind: string; message: string }[] }[];
  readonly runNotes: string[];
  readonly summary: { files: number; errors: number; warnings: number; infos: number; fixedFiles: number };
}

export function scanJson(cwd: string, args: readonly string[] = ['.']): { code: number | null; report: JsonReportOut; stderr: string } {
  const r = connguard(['scan', ...args, '--format', 'json'], cwd);
  let report: JsonReportOut;
  try {
    report = JSON.parse(r.stdout) as JsonReportOut;
  } catch {
    throw new Error(`not JSON (exit ${r.code}): ${r.stdout}\n${r.stderr}`);
  }
  return { code: r.code, report, stderr: r.stderr };
}

export function paths(report: JsonReportOut): string[] {
  return report.results.map((r) => r.path);
}

/** 1-based line and column of the first occurrence of `sub` in `text`. */
export function positionOf(text: string, sub: string): { line: number; column: number } {
  const i = text.indexOf(sub);
  if (i === -1) throw new Error(`"${sub}" not found`);
  const before = text.slice(0, i).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}
