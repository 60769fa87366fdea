/**
 * `connguard test` (SPEC §4): resolve the target, confirm the host, run the probe, print the
 * report. Exit 0 only when the connection was established with verified TLS (chain and
 * hostname), 1 otherwise, 2 for usage problems (including a missing confirmation).
 *
 * Safety: the CLI asks before connecting on a terminal ("Connect to host:port? [y/N]") and
 * requires --yes without one; confirmations are per run (remembered hosts belong to the editor
 * side). Passwords are read without echo and never printed; the report is redacted by the probe.
 */
import { runProbe } from '../probe/index';
import { renderJson, renderText } from '../probe/report';
import { resolveTarget } from '../probe/resolve';
import type { TestCommand } from './args';

export interface TestIo {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  stdout(s: string): void;
  stderr(s: string): void;
}

/** Terminal interaction; replaceable in tests. Undefined members = no terminal. */
export interface Terminal {
  /** Reads a line with echo (confirmation). */
  readonly ask?: (question: string) => Promise<string>;
  /** Reads a line without echo (password). */
  readonly askSecret?: (question: string) => Promise<string>;
}

function stdinTerminal(): Terminal {
  if (!process.stdin.isTTY) return {};
  const readLine = (question: string, echo: boolean): Promise<string> =>
    new Promise((resolve) => {
      process.stderr.write(question);
      const stdin = process.stdin;
      stdin.setRawMode(true);
      stdin.resume();
      let text = '';
      const onData = (b: Buffer): void => {
        for (const ch of b.toString('utf8')) {
          if (ch === '\r' || ch === '\n' || ch === '\u0004') {
            stdin.off('data', onData);
            stdin.setRawMode(false);
            stdin.pause();
            process.stderr.write('\n');
            return resolve(text);
          }
          if (ch === '\u0003') {
            stdin.setRawMode(false);
            process.stderr.write('\n');
            process.exit(130);
          }
          if (ch === '\u007f' || ch === '\b') {
            if (text.length) {
              text = text.slice(0, -1);
              if (echo) process.stderr.write('\b \b');
            }
            continue;
          }
          text += ch;
          if (echo) process.stderr.write(ch);
        }
      };
      stdin.on('data', onData);
    });
  return { ask: (q) => readLine(q, true), askSecret: (q) => readLine(q, false) };
}

export async function runTest(cmd: TestCommand, io: TestIo, term: Terminal = stdinTerminal()): Promise<number> {
  // CONNGUARD_TIMING=1 prints where the time goes (used by the benchmark), on stderr: start-up is
  // the process start and bundle load; resolve and probe are what an editor user waits for (the
  // confirmation question, if asked, is not counted).
  const t0 = performance.now();
  const r = await resolveTarget({
    dsn: cmd.dsn,
    from: cmd.from,
    cwd: io.cwd,
    env: io.env,
    iam: cmd.iam,
    passwordEnv: cmd.passwordEnv,
    prompt: term.askSecret,
  });
  const resolveMs = performance.now() - t0; // includes a password prompt, if one was shown
  if (!r.ok) {
    io.stderr(`connguard: ${r.message}\n`);
    return 2;
  }
  const { target } = r;
  if (!cmd.yes) {
    if (!term.ask) {
      io.stderr(`connguard: not connecting to ${target.host}:${target.port} without confirmation: there is no terminal to ask, pass --yes\n`);
      return 2;
    }
    const a = (await term.ask(`Connect to ${target.host}:${target.port}? [y/N] `)).trim().toLowerCase();
    if (a !== 'y' && a !== 'yes') {
      io.stderr('connguard: not connecting.\n');
      return 1;
    }
  }
  for (const n of r.notes) io.stderr(`connguard: ${n}\n`);
  const ctl = new AbortController();
  const onSigint = (): void => ctl.abort();
  process.once('SIGINT', onSigint);
  try {
    const t1 = performance.now();
    const report = await runProbe(target, { stepTimeoutMs: Math.round(cmd.timeoutSeconds * 1000), signal: ctl.signal, enforcementProbe: cmd.enforcement });
    const out = cmd.format === 'json' ? renderJson(report) : renderText(report);
    const t2 = performance.now();
    if (io.env.CONNGUARD_TIMING === '1') {
      io.stderr(`connguard timing: start-up ${t0.toFixed(1)} ms, resolve ${resolveMs.toFixed(1)} ms, probe and report ${(t2 - t1).toFixed(1)} ms\n`);
    }
    io.stdout(out);
    return report.verifiedTls ? 0 : 1;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
