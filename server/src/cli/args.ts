/**
 * Command-line parsing for `connguard`. Hand-written (no dependency) and strict: an unknown
 * option, a missing value or a bad number is a UsageError, which the CLI turns into exit code 2
 * with the message on stderr — a typo in CI must not silently scan with defaults.
 *
 * Accepted forms: `--name value`, `--name=value`, `-x value`, `--flag`, `--no-flag` (only where
 * listed), and `--` to end options.
 */
import { FormatName, isFormatName } from '../engine/formatters/index';

export class UsageError extends Error {}

export interface ScanCommand {
  readonly kind: 'scan';
  readonly paths: readonly string[];
  readonly format: FormatName;
  readonly output?: string;
  /** -1 = no limit (warnings alone never fail the run). */
  readonly maxWarnings: number;
  readonly fix: boolean;
  readonly config?: string;
  /** false with --no-ignore: .gitignore, .connguardignore and config `ignore` are not read. */
  readonly useIgnoreFiles: boolean;
  readonly includeTests: boolean;
  readonly checkLocal: boolean;
  /** undefined = decide from the terminal. */
  readonly color?: boolean;
  /** Analysis threads (1 = the main thread only; N = N-1 workers parse). Reading has its own thread (cli/reader.ts). */
  readonly jobs: number;
}

export interface RulesCommand {
  readonly kind: 'rules';
  readonly format: 'stylish' | 'json';
}

/** `connguard test`: a live connection test (SPEC §4). */
export interface TestCommand {
  readonly kind: 'test';
  /** A connection string, or undefined with --from. */
  readonly dsn?: string;
  readonly from?: { readonly file: string; readonly line: number };
  readonly format: 'text' | 'json';
  readonly timeoutSeconds: number;
  readonly enforcement: boolean;
  readonly iam: boolean;
  readonly passwordEnv?: string;
  /** Connect without asking (required without a terminal). */
  readonly yes: boolean;
}

export type Command =
  | ScanCommand
  | RulesCommand
  | TestCommand
  | { readonly kind: 'help'; readonly topic?: string }
  | { readonly kind: 'version' };

interface OptionSpec {
  readonly name: string;
  readonly short?: string;
  readonly value: boolean;
}

const COMMON: readonly OptionSpec[] = [
  { name: 'help', short: 'h', value: false },
  { name: 'version', short: 'v', value: false },
];

const SCAN_OPTIONS: readonly OptionSpec[] = [
  ...COMMON,
  { name: 'format', short: 'f', value: true },
  { name: 'output', short: 'o', value: true },
  { name: 'max-warnings', value: true },
  { name: 'fix', value: false },
  { name: 'config', short: 'c', value: true },
  { name: 'no-ignore', value: false },
  { name: 'include-tests', value: false },
  { name: 'jobs', short: 'j', value: true },
  { name: 'check-local', value: false },
  { name: 'color', value: false },
  { name: 'no-color', value: false },
];

const RULES_OPTIONS: readonly OptionSpec[] = [...COMMON, { name: 'format', short: 'f', value: true }];

const TEST_OPTIONS: readonly OptionSpec[] = [
  ...COMMON,
  { name: 'format', short: 'f', value: true },
  { name: 'from', value: true },
  { name: 'timeout', value: true },
  { name: 'no-enforcement', value: false },
  { name: 'iam', value: false },
  { name: 'password-env', value: true },
  { name: 'yes', short: 'y', value: false },
];

export const COMMANDS = ['scan', 'rules', 'test', 'help'] as const;

interface Parsed {
  readonly positionals: string[];
  readonly options: Map<string, string | true>;
}

function parseOptions(argv: readonly string[], specs: readonly OptionSpec[], command: string): Parsed {
  const positionals: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const raw = eq === -1 ? arg : arg.slice(0, eq);
    const spec = raw.startsWith('--')
      ? specs.find((s) => s.name === raw.slice(2))
      : raw.length === 2
        ? specs.find((s) => s.short === raw.slice(1))
        : undefined;
    if (!spec) throw new UsageError(`unknown option ${raw} for "connguard ${command}" (see connguard ${command} --help)`);
    if (!spec.value) {
      if (eq !== -1) throw new UsageError(`option --${spec.name} takes no value`);
      options.set(spec.name, true);
      continue;
    }
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length && !(argv[i + 1].startsWith('-') && argv[i + 1] !== '-')) value = argv[++i];
    if (value === undefined || value === '') throw new UsageError(`option --${spec.name} needs a value`);
    options.set(spec.name, value);
  }
  return { positionals, options };
}

function str(p: Parsed, name: string): string | undefined {
  const v = p.options.get(name);
  return typeof v === 'string' ? v : undefined;
}

export function parseArgs(argv: readonly string[]): Command {
  const first = argv.findIndex((a) => !a.startsWith('-'));
  if (first === -1) {
    if (argv.includes('--version') || argv.includes('-v')) return { kind: 'version' };
    if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) return { kind: 'help' };
    throw new UsageError(`unknown option ${argv[0]} (see connguard --help)`);
  }
  // Options before the command name are not supported (only --help/--version, handled above).
  if (first > 0) throw new UsageError(`options must follow the command: connguard <command> [options]`);
  const command = argv[first];
  const rest = argv.slice(first + 1);
  switch (command) {
    case 'help':
      return { kind: 'help', topic: rest[0] };
    case 'scan':
      return parseScan(rest);
    case 'rules':
      return parseRules(rest);
    case 'test':
      return parseTest(rest);
    default:
      throw new UsageError(`unknown command "${command}" (commands: ${COMMANDS.join(', ')})`);
  }
}

function parseScan(argv: readonly string[]): Command {
  const p = parseOptions(argv, SCAN_OPTIONS, 'scan');
  if (p.options.has('help')) return { kind: 'help', topic: 'scan' };
  if (p.options.has('version')) return { kind: 'version' };
  const format = str(p, 'format') ?? 'stylish';
  if (!isFormatName(format)) throw new UsageError(`unknown format "${format}" (formats: stylish, json, sarif)`);
  let maxWarnings = -1;
  const mw = str(p, 'max-warnings');
  if (mw !== undefined) {
    if (!/^\d{1,9}$/.test(mw)) throw new UsageError(`--max-warnings needs a non-negative integer, got "${mw}"`);
    maxWarnings = Number(mw);
  }
  if (p.options.has('color') && p.options.has('no-color')) throw new UsageError('--color and --no-color exclude each other');
  // One thread by default: on the 2-core benchmark machine the workers' own start-up and JIT
  // warm-up cost as much as they save (npm run bench, 12,000 files). Large trees on many cores
  // gain from --jobs.
  let jobs = 1;
  const j = str(p, 'jobs');
  if (j !== undefined) {
    if (!/^\d{1,2}$/.test(j) || Number(j) < 1) throw new UsageError(`--jobs needs a positive integer, got "${j}"`);
    jobs = Number(j);
  }
  return {
    kind: 'scan',
    jobs,
    paths: p.positionals.length ? p.positionals : ['.'],
    format,
    output: str(p, 'output'),
    maxWarnings,
    fix: p.options.has('fix'),
    config: str(p, 'config'),
    useIgnoreFiles: !p.options.has('no-ignore'),
    includeTests: p.options.has('include-tests'),
    checkLocal: p.options.has('check-local'),
    color: p.options.has('color') ? true : p.options.has('no-color') ? false : undefined,
  };
}

function parseRules(argv: readonly string[]): Command {
  const p = parseOptions(argv, RULES_OPTIONS, 'rules');
  if (p.options.has('help')) return { kind: 'help', topic: 'rules' };
  if (p.positionals.length) throw new UsageError(`unexpected argument "${p.positionals[0]}" for "connguard rules"`);
  const format = str(p, 'format') ?? 'stylish';
  if (format !== 'stylish' && format !== 'json') throw new UsageError(`unknown format "${format}" for rules (formats: stylish, json)`);
  return { kind: 'rules', format };
}

function parseTest(argv: readonly string[]): Command {
  const p = parseOptions(argv, TEST_OPTIONS, 'test');
  if (p.options.has('help')) return { kind: 'help', topic: 'test' };
  const format = str(p, 'format') ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`unknown format "${format}" for test (formats: text, json)`);
  const fromText = str(p, 'from');
  let from: TestCommand['from'];
  if (fromText !== undefined) {
    const colon = fromText.lastIndexOf(':');
    const line = colon === -1 ? '' : fromText.slice(colon + 1);
    if (colon <= 0 || !/^\d{1,9}$/.test(line) || Number(line) < 1) throw new UsageError(`--from needs <file>:<line>, got "${fromText}"`);
    from = { file: fromText.slice(0, colon), line: Number(line) };
  }
  if (p.positionals.length > 1) throw new UsageError(`unexpected argument "${p.positionals[1]}" for "connguard test" (quote the connection string)`);
  const dsn = p.positionals[0];
  if ((dsn === undefined) === (from === undefined)) throw new UsageError('connguard test needs exactly one of <connection-string> or --from <file>:<line>');
  let timeoutSeconds = 10;
  const t = str(p, 'timeout');
  if (t !== undefined) {
    if (!/^\d{1,4}(\.\d{1,3})?$/.test(t) || Number(t) <= 0) throw new UsageError(`--timeout needs a positive number of seconds, got "${t}"`);
    timeoutSeconds = Number(t);
  }
  return {
    kind: 'test',
    dsn,
    from,
    format,
    timeoutSeconds,
    enforcement: !p.options.has('no-enforcement'),
    iam: p.options.has('iam'),
    passwordEnv: str(p, 'password-env'),
    yes: p.options.has('yes'),
  };
}

export const HELP: Readonly<Record<string, string>> = {
  main: `connguard — find insecure database connection settings

Usage:
  connguard scan [paths…] [options]   scan files and directories (default: .)
  connguard rules [--format json]     list the rules
  connguard test <dsn> | --from <file>:<line>   test a live connection (TLS, certificate, auth)
  connguard help [command]            show help
  connguard --version

Exit codes: 0 clean, 1 findings at or above the threshold, 2 usage, configuration or internal error.
Run "connguard scan --help" for the scan options, "connguard test --help" for the test options.
`,
  scan: `Usage: connguard scan [paths…] [options]

Scans files and directories (default: .). Directories are walked respecting .gitignore,
.connguardignore and the "ignore" globs of .connguard.json; .git and node_modules are skipped.
Settings come from .connguard.json in the scanned directory (or the current directory).

Options:
  -f, --format <stylish|json|sarif>  report format (default: stylish)
  -o, --output <file>                write the report to a file instead of stdout
      --max-warnings <n>             also fail (exit 1) when there are more than n warnings
      --fix                          apply the preferred fixes, rewrite the files, report the rest
  -c, --config <file>                read settings from this file (after .connguard.json)
      --no-ignore                    do not read .gitignore, .connguardignore or config ignore globs
      --include-tests                report transport findings in test files too
      --check-local                  report transport findings for localhost and sockets too
  -j, --jobs <n>                     analysis threads (default 1; directory scans read files on a thread of their own)
      --color, --no-color            force or disable colours in the stylish report
  -h, --help                         show this help

Exit codes: 0 no errors (and warnings within --max-warnings), 1 otherwise, 2 usage/config/internal error.
`,
  test: `Usage: connguard test <connection-string> [options]
       connguard test --from <file>:<line> [options]

Connects to the database the way the consuming driver would (its TLS settings), step by step:
DNS, TCP, TLS negotiation and handshake, certificate chain and hostname, authentication with the
real driver (pg, mysql2), server-side checks, and an enforcement probe (a plaintext start-up
without credentials: does the server refuse it?). PostgreSQL, MySQL/MariaDB and SQL Server.

Password: from the connection string (a hard-coded secret — you are told), --password-env,
PGPASSWORD / MYSQL_PWD, or a prompt on a terminal. It is never printed or stored.

Options:
  -f, --format <text|json>   report format (default: text)
      --from <file>:<line>   test the connection ConnGuard finds at that line
      --timeout <seconds>    timeout of each step (default: 10)
      --no-enforcement       skip the plaintext enforcement probe
      --iam                  authenticate with an RDS IAM token (default AWS credential chain)
      --password-env <NAME>  read the password from this environment variable
  -y, --yes                  connect without asking for confirmation (required without a terminal)
  -h, --help                 show this help

Exit codes: 0 connected with verified TLS (chain and hostname), 1 otherwise, 2 usage error.
`,
  rules: `Usage: connguard rules [--format stylish|json]

Lists every rule: id, compliance check, default severity and title.
`,
};
