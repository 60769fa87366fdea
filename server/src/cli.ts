/**
 * The `connguard` command-line interface (SPEC §3): argument handling, output and exit codes.
 * The work is done in cli/ (walk, config, scan) and the engine; this file only wires them.
 *
 * Exit codes (a contract for CI):
 *   0  no finding at error severity, and warnings within --max-warnings
 *   1  findings at or above that threshold
 *   2  usage error, configuration error, or an internal error (the report, if any, is still written)
 *
 * `main` returns the exit code instead of exiting so that pending output is flushed; bin/
 * connguard.js sets process.exitCode from it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { version as TOOL_VERSION } from '../../package.json';
import { FORMATTERS, summarize } from './engine/formatters/index';
import { Command, HELP, parseArgs, ScanCommand, UsageError } from './cli/args';
import { saveCodeCaches } from './cli/code-cache';
import { AdoptedReader, adoptEarlyReader, discardEarlyReader } from './cli/early-reader';
import { ConfigError } from './cli/config';
import { formatRules } from './cli/rules';
import { runScan } from './cli/scan';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

/** Where output goes; replaceable in tests. */
export interface Io {
  readonly cwd: string;
  stdout(s: string): void;
  stderr(s: string): void;
  readonly stdoutIsTty: boolean;
  readonly env: NodeJS.ProcessEnv;
}

const processIo: Io = {
  cwd: process.cwd(),
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  stdoutIsTty: process.stdout.isTTY === true,
  env: process.env,
};

function useColor(cmd: ScanCommand, io: Io): boolean {
  if (cmd.color !== undefined) return cmd.color;
  if (cmd.output !== undefined) return false;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0') return true;
  return io.stdoutIsTty;
}

async function scan(cmd: ScanCommand, io: Io, early: AdoptedReader | undefined): Promise<number> {
  // CONNGUARD_TIMING=1 prints where the time goes (used by the benchmark), on stderr.
  const timing = io.env.CONNGUARD_TIMING === '1';
  const t0 = performance.now();
  const outcome = await runScan(cmd, io.cwd, early);
  saveCodeCaches();
  const t1 = performance.now();
  if (timing) io.stderr(`connguard timing: start-up ${t0.toFixed(0)} ms, scan ${(t1 - t0).toFixed(0)} ms (${outcome.results.length} files, ${outcome.reader} reader, jobs ${cmd.jobs}; ${Object.entries(outcome.timeline).map(([k, v]) => `${k} ${Math.round(v)}`).join(', ')})\n`);
  const report = FORMATTERS[cmd.format](outcome.results, io.cwd, outcome.texts, {
    toolVersion: TOOL_VERSION,
    color: cmd.format === 'stylish' && useColor(cmd, io),
    runNotes: outcome.runNotes,
    fixedFiles: outcome.fixedFiles,
  });
  if (cmd.output !== undefined) {
    const out = path.resolve(io.cwd, cmd.output);
    try {
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.writeFileSync(out, report);
    } catch (e) {
      io.stderr(`connguard: cannot write ${cmd.output}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
      return EXIT_ERROR;
    }
  } else {
    io.stdout(report);
  }
  // In stylish mode notes are diagnostics about the run, not findings: they go to stderr.
  // JSON and SARIF carry them in the report.
  if (cmd.format === 'stylish') {
    for (const r of outcome.results) for (const n of r.notes) io.stderr(`connguard: ${r.path}: ${n.message}\n`);
    for (const n of outcome.runNotes) io.stderr(`connguard: ${n}\n`);
  }
  const internal = outcome.results.some((r) => r.notes.some((n) => n.kind === 'internal-error'));
  if (internal) return EXIT_ERROR;
  const s = summarize(outcome.results);
  if (s.errors > 0) return EXIT_FINDINGS;
  if (cmd.maxWarnings >= 0 && s.warnings > cmd.maxWarnings) {
    if (cmd.format === 'stylish') io.stderr(`connguard: ${s.warnings} warnings exceed --max-warnings ${cmd.maxWarnings}\n`);
    return EXIT_FINDINGS;
  }
  return EXIT_OK;
}

async function run(cmd: Command, io: Io, early: AdoptedReader | undefined): Promise<number> {
  switch (cmd.kind) {
    case 'version':
      io.stdout(`${TOOL_VERSION}\n`);
      return EXIT_OK;
    case 'help': {
      const text = HELP[cmd.topic ?? 'main'];
      if (text === undefined) throw new UsageError(`no help for "${cmd.topic}" (commands: scan, rules, test)`);
      io.stdout(text);
      return EXIT_OK;
    }
    case 'rules':
      io.stdout(formatRules(cmd.format));
      return EXIT_OK;
    case 'scan':
      return scan(cmd, io, early);
    case 'test':
      // Loaded on demand: the probe pulls in the database drivers, which a scan never needs.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return (require('./cli/test') as typeof import('./cli/test')).runTest(cmd, io);
  }
}

export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  try {
    if (argv.length === 0) {
      io.stderr(HELP.main);
      return EXIT_ERROR;
    }
    const cmd = parseArgs(argv);
    // The reader thread bin/connguard.js started for these arguments (cli/early-reader.ts), if
    // any; not adopted (another command, other arguments), it is stopped.
    const early = cmd.kind === 'scan' ? adoptEarlyReader(argv, io.cwd) : undefined;
    discardEarlyReader();
    return await run(cmd, io, early);
  } catch (e) {
    discardEarlyReader();
    if (e instanceof UsageError) {
      io.stderr(`connguard: ${e.message}\n`);
      return EXIT_ERROR;
    }
    if (e instanceof ConfigError) {
      io.stderr(e.problems.map((p) => `connguard: configuration error: ${p}\n`).join(''));
      return EXIT_ERROR;
    }
    io.stderr(`connguard: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return EXIT_ERROR;
  }
}

/** Re-exported for the benchmark, which compares ripgrep with the engine's own prefilter. */
export { CANDIDATE_PATTERN } from './engine/scan';

/**
 * Runs the command line and sets the exit code: for bin/connguard.js and `node dist/cli.js`.
 * If nothing is left to run but the command has not answered (a promise that can never settle —
 * a bug), it never exits 0 silently as if the scan had passed: exit code 2 with a message.
 */
export function runProcess(argv: readonly string[]): void {
  let settled = false;
  const settle = (code: number): void => {
    settled = true;
    process.exitCode = code;
  };
  main(argv).then(settle, (err: unknown) => {
    process.stderr.write(`connguard: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    settle(EXIT_ERROR);
  });
  process.on('beforeExit', () => {
    if (settled) return;
    process.stderr.write('connguard: internal error: the run stopped before finishing\n');
    settle(EXIT_ERROR);
  });
}

if (require.main === module && isMainThread) runProcess(process.argv.slice(2));
