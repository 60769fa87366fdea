/**
 * A V8 code cache for the TypeScript compiler, which the CLI loads from node_modules on the first
 * TS/JS file that passes the prefilter. Compiling its 9 MB of JavaScript (and, lazily, every
 * function the extractor then calls) is a large part of a short scan; with the bytecode cached
 * after one run, later runs skip it (~150 ms on the benchmark corpus). Node 20 has no
 * module.enableCompileCache, so the module is compiled here with vm.Script and cachedData and put
 * into require's cache, where the engine's `require('typescript')` then finds it.
 *
 * Where the cache lives, and why it is safe: `$XDG_CACHE_HOME/connguard` (default
 * `~/.cache/connguard`), a directory created with mode 0700; it is used only if it is a real
 * directory (not a link) owned by the current user and not writable by others, and the cache file
 * only if it is a regular file owned by the current user — V8 trusts the bytecode it
 * deserialises, so nobody else must be able to plant one. The file name carries the compiler's
 * version, the SHA-256 of its source, and Node's version and architecture; V8 rejects data that
 * does not match its own version or the source anyway, and a rejected cache is rewritten.
 * Written once, after the scan, to a temporary file renamed into place (concurrent runs never see
 * a half-written file); other compiler caches unused for STALE_DAYS are removed then.
 *
 * Every failure (no home directory, read-only file system, a foreign owner, a corrupt file) means
 * "no cache": the compiler is then loaded exactly as before. CONNGUARD_NO_CACHE=1 turns it off.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';

/** The compiled TypeScript module whose cache should be written after the run, if any. */
let pending: { readonly script: vm.Script; readonly file: string; readonly dir: string } | undefined;
let attempted = false;

const PREFIX = 'typescript-';
/** Caches of other compiler or Node versions not read for this long are deleted when a new one is written. */
const STALE_DAYS = 30;
const SUFFIX = '.v8cache';

/** The cache directory, created if needed; undefined when it cannot be trusted or made. */
function cacheDir(env: NodeJS.ProcessEnv): string | undefined {
  if (typeof process.getuid !== 'function') return undefined; // Windows: no owner check, no cache
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache');
  const dir = path.join(base, 'connguard');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = fs.lstatSync(dir);
  if (!st.isDirectory() || st.uid !== process.getuid() || (st.mode & 0o022) !== 0) return undefined;
  return dir;
}

/** Reads the cache file if it is a regular file of ours. */
function readOwned(file: string): Buffer | undefined {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch {
    return undefined; // no cache yet
  }
  if (!st.isFile() || st.uid !== process.getuid?.()) return undefined;
  return fs.readFileSync(file);
}

/**
 * Loads the TypeScript compiler through the code cache, once, before the engine requires it.
 * Does nothing when it is already loaded, when the cache is turned off, or on any failure.
 */
export function preloadTypeScript(env: NodeJS.ProcessEnv = process.env): void {
  if (attempted) return;
  attempted = true;
  if (env.CONNGUARD_NO_CACHE === '1') return;
  try {
    const filename = require.resolve('typescript');
    if (require.cache[filename]) return;
    const dir = cacheDir(env);
    if (!dir) return;
    const source = fs.readFileSync(filename);
    const version = (JSON.parse(fs.readFileSync(path.join(path.dirname(filename), '..', 'package.json'), 'utf8')) as { version?: unknown }).version;
    if (typeof version !== 'string' || !/^[\w.+-]+$/.test(version)) return;
    const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
    const file = path.join(dir, `${PREFIX}${version}-${hash}-v8-${process.versions.v8}-${process.arch}${SUFFIX}`);
    const cachedData = readOwned(file);
    const script = new vm.Script(Module.wrap(source.toString('utf8')), { filename, cachedData });
    // Evaluated as Node itself would: module wrapper, a require relative to the file, registered
    // in require's cache before it runs (as Module._load does) so that cycles resolve.
    const mod = new Module(filename, module);
    mod.filename = filename;
    mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(filename));
    require.cache[filename] = mod;
    try {
      const wrapper = script.runInThisContext() as (e: unknown, r: NodeJS.Require, m: Module, f: string, d: string) => void;
      wrapper.call(mod.exports, mod.exports, createRequire(filename), mod, filename, path.dirname(filename));
      mod.loaded = true;
    } catch (e) {
      delete require.cache[filename];
      throw e;
    }
    if (cachedData === undefined || script.cachedDataRejected === true) pending = { script, file, dir };
  } catch {
    // No cache: the engine's own require('typescript') loads the compiler as usual.
  }
}

/**
 * Writes the code cache when this run compiled the compiler without one. Called after the scan,
 * so that the functions the extractor used are in it as bytecode. Never throws.
 */
export function saveTypeScriptCache(): void {
  const p = pending;
  pending = undefined;
  if (!p) return;
  const tmp = `${p.file}.${process.pid}.${Date.now()}.tmp`;
  try {
    const data = p.script.createCachedData();
    fs.writeFileSync(tmp, data, { mode: 0o600, flag: 'wx' });
    fs.renameSync(tmp, p.file);
    const keep = path.basename(p.file);
    const staleBefore = Date.now() - STALE_DAYS * 86_400_000;
    for (const name of fs.readdirSync(p.dir)) {
      if (name === keep || !name.startsWith(PREFIX) || !name.endsWith(SUFFIX)) continue;
      const other = path.join(p.dir, name);
      const st = fs.lstatSync(other);
      if (Math.max(st.atimeMs, st.mtimeMs) < staleBefore) fs.rmSync(other, { force: true });
    }
  } catch {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // nothing left to clean
    }
  }
}
