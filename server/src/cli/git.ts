/**
 * Which files git tracks, for rule C6 on `.env` files (a committed .env file leaks its secrets,
 * an ignored one does not). One `git ls-files -z` per repository, started only when a `.env`
 * file of that repository is scanned, and cached for the run.
 *
 * Contract: a file is tracked only when git says so. No git binary, no repository, an error
 * from git → untracked (with one run note when git itself is unusable).
 *
 * Safety: scanned repositories are untrusted input. `core.fsmonitor` is the one setting through
 * which `ls-files` could run a command from the repository's config, so it is forced off.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The nearest ancestor directory (or `dir` itself) holding a `.git` entry (dir or worktree file). */
export function findRepoTop(dir: string): string | undefined {
  let cur = path.resolve(dir);
  for (;;) {
    if (fs.existsSync(path.join(cur, '.git'))) return cur;
    const parent = path.dirname(cur);
    if (parent === cur) return undefined;
    cur = parent;
  }
}

function lsFiles(top: string): Promise<Set<string>> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      ['-c', 'core.fsmonitor=false', '-C', top, 'ls-files', '-z', '--full-name'],
      { maxBuffer: 512 * 1024 * 1024, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' }, windowsHide: true },
      (err, stdout) => {
        if (err) reject(err);
        else resolve(new Set(stdout.split('\0').filter((s) => s.length > 0)));
      },
    );
  });
}

export class GitTracking {
  private readonly repos = new Map<string, Promise<Set<string> | undefined>>();
  private readonly topOfDir = new Map<string, string | undefined>();
  /** Set once when git could not be run; the CLI reports it as a run note. */
  problem: string | undefined;

  async isTracked(absFile: string): Promise<boolean> {
    const dir = path.dirname(absFile);
    let top = this.topOfDir.get(dir);
    if (!this.topOfDir.has(dir)) {
      top = findRepoTop(dir);
      this.topOfDir.set(dir, top);
    }
    if (top === undefined) return false;
    let files = this.repos.get(top);
    if (!files) {
      files = lsFiles(top).catch((e: NodeJS.ErrnoException) => {
        this.problem ??=
          e.code === 'ENOENT'
            ? 'git was not found: .env files are treated as untracked (hardcoded-password is not reported in them)'
            : `git ls-files failed in ${top}: .env files there are treated as untracked`;
        return undefined;
      });
      this.repos.set(top, files);
    }
    const set = await files;
    if (!set) return false;
    const rel = path.relative(top, absFile).split(path.sep).join('/');
    return set.has(rel);
  }
}
