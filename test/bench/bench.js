#!/usr/bin/env node
/**
 * ConnGuard benchmark (`npm run bench`, after `npm run build`). Prints figures; asserts nothing
 * (timing assertions in tests are flaky — STYLE.md).
 *
 * Sections (run all, or pick with `--section <name>`; add new ones to SECTIONS):
 *   cli-scan  — `connguard scan` over the generated corpus vs ripgrep with the engine's
 *               CANDIDATE_PATTERN over the same file types. Target: ConnGuard ≤ 5× rg.
 *   probe-pg  — `connguard test` (full report, enforcement probe) against a private TLS PostgreSQL
 *               vs `psql "sslmode=verify-full …" -c 'select 1'` to the same server. Target ≤ 1.5×.
 *               Needs PostgreSQL 15 and the compiled test support (npx tsc -p .).
 * Later sections (LSP latency) get the same context: the corpus info and the timing helpers.
 *
 * Options: --section <name>  --runs <n> (default 3, best-of)  --regenerate
 * Exit codes: 0 done, 2 setup problem (no build, no rg).
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { ensureCorpus, generateCorpus } = require('./corpus');

const REPO = path.resolve(__dirname, '..', '..');
const BIN = path.join(REPO, 'bin', 'connguard.js');
const DIST = path.join(REPO, 'dist', 'cli.js');
const CORPUS = path.join(REPO, '.bench', 'corpus');
const TARGET_RATIO = 5;

function parseArgs(argv) {
  const o = { section: undefined, runs: 3, regenerate: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--section') o.section = argv[++i];
    else if (a === '--runs') o.runs = Math.max(1, Number(argv[++i]) || 3);
    else if (a === '--regenerate') o.regenerate = true;
    else {
      console.error(`bench: unknown argument ${a}`);
      process.exit(2);
    }
  }
  return o;
}

/** Runs a command `runs` times; returns the best wall time in seconds and the last result. */
function bestOf(runs, cmd, args, opts, okCodes) {
  let best = Infinity;
  let last;
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    last = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...opts });
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    if (last.error) throw last.error;
    if (!okCodes.includes(last.status)) {
      throw new Error(`${path.basename(cmd)} ${args.join(' ')} exited ${last.status}: ${(last.stderr || '').slice(0, 2000)}`);
    }
    best = Math.min(best, s);
  }
  return { seconds: best, result: last };
}

function table(rows) {
  const w = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`  ${k.padEnd(w)}  ${v}`);
}

// ---- Sections ---------------------------------------------------------------------------------

/** File types ConnGuard reads in the corpus, as rg globs. */
const RG_GLOBS = ['*.go', '*.ts', '*.yaml', '*.yml', '*.json', '*.env', '.env', '.env.*'];

function rgPath() {
  const r = spawnSync('rg', ['--version'], { encoding: 'utf8' });
  return r.error || r.status !== 0 ? undefined : r.stdout.split('\n')[0];
}

function cliScan(ctx) {
  const rgVersion = rgPath();
  if (!rgVersion) {
    console.error('bench: ripgrep (rg) is not installed. Install it with: sudo apt-get install -y ripgrep  (or brew install ripgrep)');
    process.exit(2);
  }
  const { CANDIDATE_PATTERN } = require(DIST);
  const mb = ctx.corpus.bytes / (1024 * 1024);
  // Both tools run from inside the corpus on '.', so neither applies the repository's .gitignore.
  const cg = bestOf(ctx.runs, process.execPath, [BIN, 'scan', '.', '--format', 'json', '--output', '/dev/null'], { cwd: CORPUS }, [0, 1]);
  const rgArgs = ['-l', '-i', '--no-ignore-parent', '--hidden', ...RG_GLOBS.flatMap((g) => ['-g', g]), '-e', CANDIDATE_PATTERN.source, '.'];
  const rg = bestOf(ctx.runs, 'rg', rgArgs, { cwd: CORPUS }, [0, 1]);
  const candidates = rg.result.stdout.split('\n').filter(Boolean).length;
  // One more ConnGuard run for the counts (not timed).
  const report = JSON.parse(spawnSync(process.execPath, [BIN, 'scan', '.', '--format', 'json'], { cwd: CORPUS, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 }).stdout);
  const ratio = cg.seconds / rg.seconds;
  console.log(`\n== cli-scan: connguard scan vs ripgrep (best of ${ctx.runs}) ==`);
  table([
    ['files', `${ctx.corpus.files} (${report.results.length} scanned by connguard, ${candidates} match the candidate pattern)`],
    ['MB', mb.toFixed(1)],
    ['findings', `${report.summary.errors} errors, ${report.summary.warnings} warnings, ${report.summary.infos} infos`],
    ['connguard', `${cg.seconds.toFixed(2)} s  ${(mb / cg.seconds).toFixed(1)} MB/s`],
    ['rg', `${rg.seconds.toFixed(2)} s  ${(mb / rg.seconds).toFixed(1)} MB/s  (${rgVersion})`],
    ['ratio', `${ratio.toFixed(1)}× rg  (target ≤ ${TARGET_RATIO}×: ${ratio <= TARGET_RATIO ? 'met' : 'NOT met'})`],
  ]);
}

/** connguard test vs psql to the same local TLS PostgreSQL (server made with the integration-test support). */
async function probePg(ctx) {
  const support = path.join(REPO, 'out', 'test', 'support');
  if (!fs.existsSync(path.join(support, 'postgres.js'))) {
    const t = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', REPO], { encoding: 'utf8' });
    if (t.status !== 0) {
      console.error(`bench: probe-pg needs the compiled test support (npx tsc -p .):\n${t.stdout}`);
      process.exit(2);
    }
  }
  const { makePki } = require(path.join(support, 'pki.js'));
  const { startPostgres } = require(path.join(support, 'postgres.js'));
  const pki = makePki();
  const pg = await startPostgres({ cert: pki.good.cert, key: pki.good.key, hba: ['hostssl all all 127.0.0.1/32 scram-sha-256', 'hostnossl all all 0.0.0.0/0 reject'] });
  try {
    await pg.admin("CREATE ROLE app LOGIN PASSWORD 'bench-pw'");
    await pg.admin('CREATE DATABASE app OWNER app');
    const env = { ...process.env, PGPASSWORD: 'bench-pw' };
    const dsn = `postgres://app@127.0.0.1:${pg.port}/app?sslmode=verify-full&sslrootcert=${pki.caFile}`;
    const runs = Math.max(ctx.runs, 5);
    const cg = bestOf(runs, process.execPath, [BIN, 'test', dsn, '--yes', '--format', 'json'], { env }, [0]);
    const probeMs = JSON.parse(cg.result.stdout).totalMs;
    const psql = bestOf(runs, 'psql', [`host=127.0.0.1 port=${pg.port} user=app dbname=app sslmode=verify-full sslrootcert=${pki.caFile}`, '-Atc', 'select 1'], { env }, [0]);
    const ratio = cg.seconds / psql.seconds;
    const inProcess = probeMs / 1000 / psql.seconds;
    console.log(`\n== probe-pg: connguard test (full report + enforcement) vs psql verify-full (best of ${runs}) ==`);
    table([
      ['connguard test', `${(cg.seconds * 1000).toFixed(0)} ms wall (process start, bundle load, probe); probe itself ${probeMs} ms`],
      ['psql', `${(psql.seconds * 1000).toFixed(0)} ms wall`],
      ['ratio', `${ratio.toFixed(1)}× psql wall (target ≤ 1.5×: ${ratio <= 1.5 ? 'met' : 'NOT met'}); probe steps alone ${inProcess.toFixed(1)}× psql`],
    ]);
  } finally {
    pg.stop();
    pki.cleanup();
  }
}

const SECTIONS = [
  { name: 'cli-scan', run: cliScan },
  { name: 'probe-pg', run: probePg },
];

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(DIST)) {
    console.error('bench: dist/cli.js is missing — run npm run build first (npm run bench does).');
    process.exit(2);
  }
  const sections = o.section ? SECTIONS.filter((s) => s.name === o.section) : SECTIONS;
  if (sections.length === 0) {
    console.error(`bench: unknown section ${o.section} (sections: ${SECTIONS.map((s) => s.name).join(', ')})`);
    process.exit(2);
  }
  const t0 = Date.now();
  const corpus = o.regenerate ? { ...generateCorpus(CORPUS), generated: true } : ensureCorpus(CORPUS);
  console.log(
    `corpus: ${path.relative(REPO, CORPUS)}  ${corpus.files} files, ${(corpus.bytes / 1048576).toFixed(1)} MB, ` +
      `${corpus.connections} with a connection  (generator v${corpus.version}${corpus.generated ? `, generated in ${((Date.now() - t0) / 1000).toFixed(1)} s` : ', cached'})`,
  );
  console.log(`node ${process.version}, ${require('node:os').cpus().length} CPUs`);
  const ctx = { corpus, runs: o.runs, bestOf, table };
  for (const s of sections) await s.run(ctx);
}

main().catch((e) => {
  console.error(`bench: ${e && e.stack ? e.stack : e}`);
  process.exit(2);
});
