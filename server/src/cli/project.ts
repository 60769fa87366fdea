/**
 * Which project a file belongs to, for scoping env consumers (profile/index.ts
 * scopeEnvConsumers): the nearest ancestor directory holding a project marker — a package
 * manifest (package.json, go.mod, Cargo.toml, pyproject.toml, …) or a `.git` directory or file
 * (a repository or submodule top). Shared by the CLI and the language server.
 *
 * One directory listing per directory asked about, cached: the CLI asks only for the
 * directories of code files that read env variables and of configuration files, and their
 * ancestors up to the first marker.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const PROJECT_MARKERS: ReadonlySet<string> = new Set([
  '.git',
  'package.json',
  'deno.json',
  'deno.jsonc',
  'go.mod',
  'go.work',
  'Cargo.toml',
  'pyproject.toml',
  'setup.py',
  'composer.json',
  'Gemfile',
  'pom.xml',
  'build.gradle',
  'build.gradle.kts',
]);

export class ProjectFinder {
  /** Directory → its project ('' for none). */
  private readonly cache = new Map<string, string>();

  /**
   * The project of a file (absolute path): its directory's `/`-separated absolute path when that
   * holds a marker, else its parent's project, … ; '' when no ancestor holds one.
   */
  projectOfFile(abs: string): string {
    return this.projectOfDir(path.dirname(abs));
  }

  projectOfDir(dir: string): string {
    const pending: string[] = [];
    let project = '';
    for (let cur = dir; ; ) {
      const hit = this.cache.get(cur);
      if (hit !== undefined) {
        project = hit;
        break;
      }
      pending.push(cur);
      if (hasMarker(cur)) {
        project = cur.split(path.sep).join('/');
        break;
      }
      const parent = path.dirname(cur);
      if (parent === cur) break;
      cur = parent;
    }
    for (const d of pending) this.cache.set(d, project);
    return project;
  }
}

function hasMarker(dir: string): boolean {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return false; // unreadable or gone: no marker seen
  }
  return names.some((n) => PROJECT_MARKERS.has(n));
}
