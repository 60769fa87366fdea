/**
 * Git tracking of `.env` files (cli/git.ts): the answers and the run note are the same whether
 * the listing was prefetched (a scan starts it at its first `.env` file) or started by the
 * question — and a prefetch nobody asks about leaves no trace in the output.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GitTracking } from '../../server/src/cli/git';
import { connguard, removeTree, tempTree } from './helpers';

/** Runs `f` with PATH pointing at an empty directory (no git binary to start). */
function withoutGit<T>(dir: string, f: () => T): T {
  const emptyBin = fs.mkdtempSync(path.join(dir, 'bin-'));
  const saved = process.env.PATH;
  process.env.PATH = emptyBin;
  try {
    return f();
  } finally {
    process.env.PATH = saved;
  }
}

describe('cli: git tracking of .env files', () => {
  it('answers the same with and without a prefetch', async () => {
    const dir = tempTree({ '.env': 'A=1\n', 'sub/.env': 'B=2\n', 'sub/.env.local': 'C=3\n' });
    try {
      execFileSync('git', ['init', '-q'], { cwd: dir });
      execFileSync('git', ['add', '.env', 'sub/.env'], { cwd: dir });
      const files = ['.env', 'sub/.env', 'sub/.env.local'].map((f) => path.join(dir, f));
      const asked = new GitTracking();
      const prefetched = new GitTracking();
      prefetched.prefetch(files[2]);
      for (const git of [asked, prefetched]) {
        assert.deepEqual(await Promise.all(files.map((f) => git.isTracked(f))), [true, true, false]);
        assert.equal(git.problem, undefined);
      }
    } finally {
      removeTree(dir);
    }
  });

  it('a failed prefetch becomes the run note only when a .env file asks', async () => {
    const dir = tempTree({ '.env': 'A=1\n', '.git/HEAD': 'ref: refs/heads/main\n' });
    try {
      const git = new GitTracking();
      withoutGit(dir, () => git.prefetch(path.join(dir, '.env')));
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(git.problem, undefined);
      assert.equal(await git.isTracked(path.join(dir, '.env')), false);
      assert.match(git.problem ?? '', /git was not found/);
    } finally {
      removeTree(dir);
    }
  });

  it('a scan whose .env files all fail the prefilter has no git note, even without git', () => {
    const dir = tempTree({ '.env': 'PORT=3000\n', 'app/.env.local': 'NODE_ENV=development\n', 'app/main.go': 'package main\n', '.git/HEAD': 'ref: refs/heads/main\n' });
    const emptyBin = fs.mkdtempSync(path.join(dir, 'bin-'));
    try {
      const r = connguard(['scan', '.', '--format', 'json'], dir, { PATH: emptyBin });
      assert.equal(r.code, 0, r.stderr);
      const report = JSON.parse(r.stdout) as { runNotes: string[]; results: { path: string }[] };
      assert.deepEqual(report.runNotes, []);
      assert.ok(report.results.some((x) => x.path === '.env'), r.stdout);
    } finally {
      removeTree(dir);
    }
  });
});
