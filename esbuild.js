/**
 * Build script (`npm run build`): bundles the CLI, and — once they exist — the language server
 * and the VS Code extension into dist/. Everything is bundled except `vscode` (provided by the
 * editor at run time). The tree-sitter WASM files are copied next to the bundles because the Go
 * extractor loads them relative to `__dirname`.
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

/** Entry point → bundle. Optional entries are skipped while their source does not exist yet. */
/*
 * The CLI runs from an npm install, where its dependencies are in node_modules: the large ones
 * stay external so that start-up does not parse megabytes it may never run (the TypeScript
 * compiler is needed only once a TS/JS file passes the prefilter; the database drivers only for
 * `connguard test`). The language server and the extension ship in a .vsix without
 * node_modules, so they bundle everything.
 */
const CLI_EXTERNAL = ['typescript', 'pg', 'pg-native', 'mysql2', 'mssql', 'tedious', '@azure/identity', '@aws-sdk/*', '@smithy/*'];

const ENTRIES = [
  { in: 'server/src/cli.ts', out: 'cli.js', required: true, external: CLI_EXTERNAL },
  { in: 'server/src/server.ts', out: 'server.js', required: false },
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
    const exists = fs.existsSync(path.join(root, e.in));
    if (!exists && e.required) throw new Error(`missing entry point ${e.in}`);
    return exists;
  });
  for (const e of entries) {
    const options = {
      entryPoints: [path.join(root, e.in)],
      outfile: path.join(dist, e.out),
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      sourcemap: true,
      minify,
      external: ['vscode', ...(e.external ?? [])],
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
  if (watch) console.log(`watching ${entries.map((e) => e.in).join(', ')}`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
