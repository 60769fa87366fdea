/**
 * V8 code caches for the large scripts a CLI run compiles: the CLI bundle itself (dist/cli.js,
 * loaded through here by bin/connguard.js) and the TypeScript compiler (loaded from node_modules
 * on the first TS/JS file that passes the prefilter). Compiling them — and, lazily, every
 * function a scan then calls — is a large part of a short scan; with the bytecode cached after a
 * scan, later runs skip it (npm run bench prints the figure without the caches too). Node 20 has
 * no module.enableCompileCache, so a module is compiled here with vm.Script and cachedData and
 * put into require's cache, where the ordinary `require` then finds it.
 *
 * Where the caches live, and why it is safe: `$XDG_CACHE_HOME/connguard` (default
 * `~/.cache/connguard`), a directory created with mode 0700; it is used only if it is a real
 * directory (not a link) owned by the current user and not writable by others, and a cache file
 * only if it is a regular file owned by the current user — V8 trusts the bytecode it
 * deserialises, so nobody else must be able to plant one. A file name carries the script's name
 * (with its version), a key of the script file (below), and Node's V8 version and architecture;
 * V8 rejects data of another V8 version, and a rejected cache is rewritten.
 *
 * The key of a script, and why a changed script never runs with a stale cache: V8 accepts a
 * cache for any source of the same length (its check is the length, the V8 version and the
 * flags), and would then run the old bytecode, so the key must change whenever the content
 * does. It is the file's identity and change times from fstat — device, inode, size, mtime and
 * ctime (nanoseconds) — as git keys its index: every write to a file sets its ctime to the
 * current time, and no system call sets ctime to anything else (utimes sets mtime and atime, and
 * ctime to now), so a new content means a new ctime, or a new inode when the file is replaced.
 * (Not on FAT and exFAT, which keep no ctime: scripts there are never cached.) Two guards make
 * that hold for the bytes actually compiled:
 *   - the stat is taken before and after reading the source, through the same descriptor; if it
 *     changed while reading, no cache is used or written;
 *   - a file changed less than RACY_MS ago is loaded without cache (none read, none written):
 *     timestamps have a granularity (a clock tick; 1–2 s on some file systems), and a second
 *     write within the same tick as the first could leave size and ctime as they were — git's
 *     "racily clean" entries. A later run caches it.
 * Why not a hash of the content: SHA-256 of the 9 MB TypeScript compiler (and of the CLI bundle)
 * at every start, ~8 ms of CPU with the CPU's SHA instructions and several times that without,
 * against microseconds for a statfs and two fstat calls. What the stat key costs instead: a rebuilt or
 * reinstalled script, even byte-identical, gets a new cache.
 *
 * When a cache is written: after a scan (saveCodeCaches), for each script loaded through here
 * whose cache was missing, rejected or older than REFRESH_HOURS — the bytecode is taken after the
 * scan, so it holds the functions the scan compiled lazily; a refresh picks up code paths a
 * first small scan did not reach. Written to a temporary file renamed into place (concurrent
 * runs never see a half-written file); caches of the same script with another key or version
 * unused for STALE_DAYS are removed then.
 *
 * Every failure (no home directory, read-only file system, a foreign owner, a corrupt file) means
 * "no cache": the script is then loaded exactly as before. CONNGUARD_NO_CACHE=1 turns it off.
 *
 * The CLI bundle requires this module as a file of its own (dist/code-cache.js, esbuild.js), so
 * that the launcher and the bundle share one instance and one list of caches to write.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';

interface Pending {
  readonly script: vm.Script;
  readonly file: string;
  readonly dir: string;
  readonly prefix: string;
}

/** Scripts loaded through the cache whose cache should be written after the scan. */
const pending: Pending[] = [];
let typescriptAttempted = false;

const SUFFIX = '.v8cache';
/** A script file changed more recently than this is not cached (see "The key of a script" above). */
export const RACY_MS = 3000;
/** Caches of other versions of a script not read for this long are deleted when a new one is written. */
const STALE_DAYS = 30;
/** A cache older than this is rewritten after a scan (it then covers the code paths of that scan too). */
const REFRESH_HOURS = 24;

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

/**
 * The cache key of a script file from its fstat before and after its source was read (see the
 * header), or undefined when no cache may be used for it: the file changed while it was read,
 * changed less than RACY_MS before `nowMs`, or has no change time.
 */
export function scriptKey(before: fs.BigIntStats, after: fs.BigIntStats, nowMs: number): string | undefined {
  const fields = (st: fs.BigIntStats): string => [st.dev, st.ino, st.size, st.mtimeNs, st.ctimeNs].join('.');
  const key = fields(before);
  if (key !== fields(after) || before.ctimeNs <= 0n) return undefined;
  // ctime in the future (a clock set back, another machine's clock on a network file system)
  // counts as recent: the racy-write argument needs the write to be in the past.
  if (nowMs - Number(before.ctimeNs / 1_000_000n) < RACY_MS) return undefined;
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/**
 * File systems (statfs types) whose ctime does not follow every write: FAT and exFAT keep no
 * change time, and Linux reports their creation time as ctime once they are mounted again.
 */
const NO_CTIME_FILE_SYSTEMS = new Set([0x4d44 /* msdos, vfat */, 0x2011bab0 /* exfat */]);

/** Reads a script's source through one descriptor, with its cache key; undefined when no cache may be used. */
function readScript(filename: string, now: () => number): { source: Buffer; key: string } | undefined {
  if (NO_CTIME_FILE_SYSTEMS.has(fs.statfsSync(filename).type)) return undefined;
  const fd = fs.openSync(filename, 'r');
  try {
    const before = fs.fstatSync(fd, { bigint: true });
    const source = fs.readFileSync(fd);
    const after = fs.fstatSync(fd, { bigint: true });
    const key = scriptKey(before, after, now());
    return key === undefined ? undefined : { source, key };
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads the cache file if it is a regular file of ours (with its modification time). */
function readOwned(file: string): { data: Buffer; mtimeMs: number } | undefined {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch {
    return undefined; // no cache yet
  }
  if (!st.isFile() || st.uid !== process.getuid?.()) return undefined;
  return { data: fs.readFileSync(file), mtimeMs: st.mtimeMs };
}

/**
 * Compiles and runs `filename` as a CommonJS module through the code cache, registered in
 * require's cache so that `require(filename)` returns it. `name` and `version` name the script in
 * the cache file (letters, digits, `.`, `+`, `-`). Returns false — and loads nothing —
 * when the module is already loaded, the cache is off, the script may not be cached (changed
 * less than RACY_MS before `now()`) or anything fails; the caller's own `require` then loads it
 * as usual.
 */
export function loadThroughCache(filename: string, name: string, version: string, env: NodeJS.ProcessEnv = process.env, now: () => number = Date.now): boolean {
  if (env.CONNGUARD_NO_CACHE === '1' || require.cache[filename] || !/^[\w.+-]+$/.test(name) || !/^[\w.+-]+$/.test(version)) return false;
  try {
    const dir = cacheDir(env);
    if (!dir) return false;
    const read = readScript(filename, now);
    if (!read) return false;
    const { source, key } = read;
    const prefix = `${name}-`;
    const file = path.join(dir, `${prefix}${version}-${key}-v8-${process.versions.v8}-${process.arch}${SUFFIX}`);
    const cached = readOwned(file);
    const script = new vm.Script(Module.wrap(source.toString('utf8')), { filename, cachedData: cached?.data });
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
    const stale = cached !== undefined && Date.now() - cached.mtimeMs > REFRESH_HOURS * 3_600_000;
    if (cached === undefined || script.cachedDataRejected === true || stale) pending.push({ script, file, dir, prefix });
    return true;
  } catch {
    return false;
  }
}

/**
 * Loads the TypeScript compiler through the code cache, once, before the engine requires it.
 * Does nothing when it is already loaded, when the cache is turned off, or on any failure.
 */
export function preloadTypeScript(env: NodeJS.ProcessEnv = process.env): void {
  if (typescriptAttempted) return;
  typescriptAttempted = true;
  try {
    const filename = require.resolve('typescript');
    const version = (JSON.parse(fs.readFileSync(path.join(path.dirname(filename), '..', 'package.json'), 'utf8')) as { version?: unknown }).version;
    if (typeof version === 'string') loadThroughCache(filename, 'typescript', version, env);
  } catch {
    // No cache: the engine's own require('typescript') loads the compiler as usual.
  }
}

/** Writes the caches that are due (see the header); call once, after a scan. Never throws. */
export function saveCodeCaches(): void {
  for (const p of pending.splice(0)) {
    const tmp = `${p.file}.${process.pid}.${Date.now()}.tmp`;
    try {
      const data = p.script.createCachedData();
      fs.writeFileSync(tmp, data, { mode: 0o600, flag: 'wx' });
      fs.renameSync(tmp, p.file);
      const keep = path.basename(p.file);
      const staleBefore = Date.now() - STALE_DAYS * 86_400_000;
      for (const name of fs.readdirSync(p.dir)) {
        if (name === keep || !name.startsWith(p.prefix) || !name.endsWith(SUFFIX)) continue;
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
}
