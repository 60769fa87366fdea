/**
 * Build script (`npm run build`): bundles the CLI, and — once they exist — the language server
 * and the VS Code extension into dist/. Everything is bundled except `vscode` (provided by the
 * editor at run time). The tree-sitter WASM files are copied next to the bundles because the Go
 * extractor loads them relative to `__dirname`.
 *
 * The language server is split in three files (all in the .vsix, see .vscodeignore):
 *   dist/server.js       the server and the engine;
 *   dist/typescript.js   the TypeScript compiler, required on the first TS/JS analysis;
 *   dist/drivers.js      the database drivers, required on the first connection test.
 * Loading one 17 MB bundle cost ~80 MB of resident memory before any of it ran (V8 keeps the
 * source and pre-parses every function): 126 MB after initialize, 58 MB split (npm run bench).
 *
 * Usage: node esbuild.js [--watch] [--minify]
 */
'use strict';
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const root = __dirname;
const dist = path.join(root, 'dist');
const watch = process.argv.includes('--watch');
const minify = process.argv.includes('--minify');

/*
 * The CLI runs from an npm install, where its dependencies are in node_modules: the large ones
 * stay external so that start-up does not parse megabytes it may never run (the TypeScript
 * compiler is needed only once a TS/JS file passes the prefilter; the database drivers only for
 * `connguard test`). The language server and the extension ship in a .vsix without
 * node_modules, so they bundle everything — the server's large parts into sibling bundles.
 */
const CLI_EXTERNAL = ['typescript', 'pg', 'pg-native', 'mysql2', 'mssql', 'tedious', '@azure/identity', '@aws-sdk/*', '@smithy/*'];

/*
 * The language server's lazily loaded parts: `typescript` and the drivers are answered from
 * sibling bundles instead of being bundled into dist/server.js. They stay lazy only as long as
 * the sources require them lazily: engine/scan.ts requires the TS extractor (which imports
 * `typescript`) on the first TS/JS file; probe/*.ts require the drivers inside the functions that
 * use them. A top-level import elsewhere would still work, but load the part at start-up. The
 * drivers share one bundle (mssql and @azure/identity share most of their dependencies) whose
 * exports are getters, so loading it runs only the driver asked for.
 */
const SERVER_TYPESCRIPT = './typescript.js';
const SERVER_DRIVERS = './drivers.js';
const DRIVER_MODULES = ['pg', 'mysql2/promise', 'mssql', '@azure/identity', '@aws-sdk/rds-signer'];

/** esbuild plugin for dist/server.js: `typescript` and the drivers come from the sibling bundles. */
const lazyServerParts = {
  name: 'connguard-lazy-server-parts',
  setup(build) {
    build.onResolve({ filter: /^typescript$/ }, () => ({ path: SERVER_TYPESCRIPT, external: true }));
    const drivers = new RegExp(`^(${DRIVER_MODULES.map((m) => m.replace(/[/.]/g, '\\$&')).join('|')})$`);
    build.onResolve({ filter: drivers }, (args) => ({ path: args.path, namespace: 'connguard-driver' }));
    build.onResolve({ filter: /.*/, namespace: 'connguard-driver' }, (args) => ({ path: args.path, external: true }));
    build.onLoad({ filter: /.*/, namespace: 'connguard-driver' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(SERVER_DRIVERS)})[${JSON.stringify(args.path)}];`,
      loader: 'js',
    }));
  },
};

/** dist/drivers.js: one getter per driver module, so requiring the bundle loads none of them. */
const DRIVERS_SOURCE = `module.exports = {\n${DRIVER_MODULES.map((m) => `  get ${JSON.stringify(m)}() { return require(${JSON.stringify(m)}); },`).join('\n')}\n};\n`;

/**
 * The CLI's code cache (cli/code-cache.ts) is a bundle of its own, dist/code-cache.js: the
 * launcher (bin/connguard.js) loads dist/cli.js through it, and the CLI requires that same file
 * instead of bundling a second copy, so both share one list of caches to write.
 */
const sharedCodeCache = {
  name: 'connguard-shared-code-cache',
  setup(build) {
    build.onResolve({ filter: /(^|\/)code-cache$/ }, () => ({ path: './code-cache.js', external: true }));
    // Likewise the reader thread the launcher may start early (cli/early-reader.ts).
    build.onResolve({ filter: /(^|\/)early-reader$/ }, () => ({ path: './early-reader.js', external: true }));
  },
};

/**
 * The CLI prefilter's byte DFA, prebuilt (cli/prefilter.ts says why and how it stays in step
 * with CANDIDATE_PATTERN): cli/prefilter.ts is bundled on its own into memory and run here, and
 * its serializedCandidateDfa(), as JSON text, becomes the value of CONNGUARD_CANDIDATE_DFA in
 * every bundle.
 * Not in --watch mode, where a rebuild would keep the table of the first build (the bundles
 * then build the DFA at run time, as they would for a table of another pattern).
 */
async function prebuiltCandidateDfa() {
  const out = await esbuild.build({
    entryPoints: [path.join(root, 'server/src/cli/prefilter.ts')],
    bundle: true,
    write: false,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
  });
  const mod = { exports: {} };
  new Function('module', 'exports', 'require', out.outputFiles[0].text)(mod, mod.exports, require);
  return mod.exports.serializedCandidateDfa() ?? null;
}

/** Entry point → bundle. Optional entries are skipped while their source does not exist yet. */
const ENTRIES = [
  { in: 'server/src/cli.ts', out: 'cli.js', required: true, external: CLI_EXTERNAL, plugins: [sharedCodeCache] },
  { in: 'server/src/cli/code-cache.ts', out: 'code-cache.js', required: true },
  { in: 'server/src/cli/early-reader.ts', out: 'early-reader.js', required: true },
  // The CLI's reader thread (cli/reader.ts), loaded from the CLI bundle's directory.
  { in: 'server/src/cli/reader-worker.ts', out: 'reader-worker.js', required: true, external: CLI_EXTERNAL },
  { in: 'server/src/server.ts', out: 'server.js', required: false, plugins: [lazyServerParts] },
  // The server's parts, built with it. The compiler is always minified (its source stays in
  // memory once loaded: 3.5 MB instead of 9 MB) and has no source map (it ships none of its own).
  { in: 'node_modules/typescript/lib/typescript.js', out: 'typescript.js', partOf: 'server/src/server.ts', sourcemap: false, minify: true },
  { stdin: DRIVERS_SOURCE, out: 'drivers.js', partOf: 'server/src/server.ts' },
  { in: 'client/src/extension.ts', out: 'extension.js', required: false },
];

/** Runtime assets the bundles load from their own directory. */
const ASSETS = ['node_modules/web-tree-sitter/tree-sitter.wasm', 'node_modules/tree-sitter-go/tree-sitter-go.wasm'];

function copyAssets() {
  for (const rel of ASSETS) {
    const from = path.join(root, rel);
    if (!fs.existsSync(from)) throw new Error(`missing build asset ${rel} (run npm install)`);
    fs.copyFileSync(from, path.join(dist, path.basename(rel)));
  }
}

async function main() {
  fs.mkdirSync(dist, { recursive: true });
  const entries = ENTRIES.filter((e) => {
    const exists = fs.existsSync(path.join(root, e.partOf ?? e.in));
    if (!exists && e.required) throw new Error(`missing entry point ${e.in}`);
    return exists;
  });
  // A JSON text as a string literal (an object as a define would be injected into every module).
  const define = { CONNGUARD_CANDIDATE_DFA: watch ? 'undefined' : JSON.stringify(JSON.stringify(await prebuiltCandidateDfa())) };
  for (const e of entries) {
    const options = {
      ...(e.stdin !== undefined ? { stdin: { contents: e.stdin, resolveDir: root, sourcefile: e.out } } : { entryPoints: [path.join(root, e.in)] }),
      outfile: path.join(dist, e.out),
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      sourcemap: e.sourcemap ?? true,
      minify: minify || e.minify === true,
      plugins: e.plugins ?? [],
      external: ['vscode', ...(e.external ?? [])],
      define,
      // Prefer ES module builds: some packages (jsonc-parser) ship a UMD `main` whose dynamic
      // requires a bundler cannot follow.
      mainFields: ['module', 'main'],
      logLevel: 'warning',
      // The TypeScript compiler is large and does dynamic requires it never takes at run time.
      logOverride: { 'require-resolve-not-external': 'silent', 'commonjs-variable-in-esm': 'silent' },
    };
    if (watch) {
      const ctx = await esbuild.context(options);
      await ctx.watch();
    } else {
      await esbuild.build(options);
    }
  }
  copyAssets();
  if (watch) console.log(`watching ${entries.map((e) => e.in ?? e.out).join(', ')}`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
