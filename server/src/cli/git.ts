/**
 * Which files git tracks, for rule C6 on `.env` files (a committed .env file leaks its secrets,
 * an ignored one does not). One `git ls-files -z` per repository, started only when a `.env`
 * file of that repository is scanned, and cached for the run.
 *
 * When it starts: at the first isTracked of the repository, or earlier through prefetch. A scan
 * prefetches at its first `.env` file of any kind (cli/scan.ts), before it knows whether one
 * will need an answer (only those that pass the prefilter do): starting a process copies the
 * page tables of this one, ~2–5 ms while the scan is young against ~6–20 ms once the
 * TypeScript compiler and the parsers are loaded, and on the thread that analyses. The listing
 * is the same either way; a prefetched one is split into names only when asked, and a failure
 * becomes the run note only when a `.env` file asked.
 *
 * Contract: a file is tracked only when git says so. No git binary, no repository, an error
 * from git → untracked (with one run note when git itself is unusable).
 *
 * Safety: scanned repositories are untrusted input. `core.fsmonitor` is the one setting through
 * which `ls-files` could run a command from the repository's config, so it is forced off.
 */
import { execFile, ExecFileException } from 'node:child_process';
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

/** The output of `git ls-files -z` in `top` (NUL-separated paths), or the error. */
function lsFiles(top: string): Promise<string | ExecFileException> {
  return new Promise((resolve) => {
    execFile(
      'git',
      ['-c', 'core.fsmonitor=false', '-C', top, 'ls-files', '-z', '--full-name'],
      { maxBuffer: 512 * 1024 * 1024, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' }, windowsHide: true },
      (err, stdout) => resolve(err ?? stdout),
    );
  });
}

/** One repository's listing: started once, split into names at the first question. */
interface Listing {
  readonly output: Promise<string | ExecFileException>;
  files?: Set<string>;
}

export class GitTracking {
  private readonly repos = new Map<string, Listing>();
  private readonly topOfDir = new Map<string, string | undefined>();
  /** Set once when git could not be run; the CLI reports it as a run note. */
  problem: string | undefined;

  /** Starts listing the repository of `absFile` now (see the header); answers come from isTracked. */
  prefetch(absFile: string): void {
    this.listingOf(path.dirname(absFile));
  }

  async isTracked(absFile: string): Promise<boolean> {
    const found = this.listingOf(path.dirname(absFile));
    if (!found) return false;
    const { top, listing } = found;
    const output = await listing.output;
    if (typeof output !== 'string') {
      this.problem ??=
        output.code === 'ENOENT'
          ? 'git was not found: .env files are treated as untracked (hardcoded-password is not reported in them)'
          : `git ls-files failed in ${top}: .env files there are treated as untracked`;
      return false;
    }
    listing.files ??= new Set(output.split('\0').filter((s) => s.length > 0));
    const rel = path.relative(top, absFile).split(path.sep).join('/');
    return listing.files.has(rel);
  }

  /** The repository holding `dir` and its listing (started here if need be); undefined outside any repository. */
  private listingOf(dir: string): { top: string; listing: Listing } | undefined {
    let top = this.topOfDir.get(dir);
    if (!this.topOfDir.has(dir)) {
      top = findRepoTop(dir);
      this.topOfDir.set(dir, top);
    }
    if (top === undefined) return undefined;
    let listing = this.repos.get(top);
    if (!listing) {
      listing = { output: lsFiles(top) };
      this.repos.set(top, listing);
    }
    return { top, listing };
  }
}
