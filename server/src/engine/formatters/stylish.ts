/**
 * Stylish formatter: the human-readable, eslint-like report.
 *
 *   src/db.go
 *     12:27  error    The connection can run without TLS …  tls-disabled
 *
 *   ✖ 1 problem (1 error, 0 warnings, 0 infos)
 *
 * Files without findings are not listed. File notes (skipped files, parse errors) are not part
 * of this text: in stylish mode the CLI writes them to stderr, so stdout stays a findings report.
 */
import { FileResult, Severity } from '../model';
import { FormatOptions, PositionResolver, summarize } from './common';

const SEVERITY_LABEL: Readonly<Record<Severity, string>> = {
  error: 'error',
  warning: 'warning',
  information: 'info',
  hint: 'hint',
};

/** ANSI SGR codes; applied only when `options.color` is set. */
const STYLE = { red: 31, yellow: 33, blue: 34, gray: 90, bold: 1, underline: 4 } as const;

function paint(on: boolean, style: keyof typeof STYLE, s: string): string {
  return on ? `\u001b[${STYLE[style]}m${s}\u001b[0m` : s;
}

function severityStyle(s: Severity): keyof typeof STYLE {
  return s === 'error' ? 'red' : s === 'warning' ? 'yellow' : 'blue';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * Each whitespace run that contains a line break becomes one space (a table row is one line).
 * Same result as replacing the pattern `\s*\r?\n\s*` (global) with a space, whose backtracking is
 * quadratic on long runs of whitespace without a line break (regex-safety test).
 */
export function oneLine(message: string): string {
  return message.replace(/\s+/g, (run) => (run.includes('\n') ? ' ' : run));
}

export function formatStylish(
  results: readonly FileResult[],
  _root: string,
  texts: ReadonlyMap<string, string>,
  options: FormatOptions,
): string {
  const color = options.color === true;
  const positions = new PositionResolver(texts);
  const out: string[] = [];
  for (const r of results) {
    if (r.findings.length === 0) continue;
    const rows = r.findings.map((f) => {
      const p = positions.position(r.path, f.range.start);
      // A message is one line in this table; the JSON/SARIF outputs keep the original text.
      return { pos: `${p.line}:${p.column}`, sev: f.severity, message: oneLine(f.message), rule: f.ruleId };
    });
    const posW = Math.max(...rows.map((x) => x.pos.length));
    const sevW = Math.max(...rows.map((x) => SEVERITY_LABEL[x.sev].length));
    out.push(paint(color, 'underline', r.path));
    for (const x of rows) {
      const sev = paint(color, severityStyle(x.sev), SEVERITY_LABEL[x.sev].padEnd(sevW));
      out.push(`  ${paint(color, 'gray', x.pos.padEnd(posW))}  ${sev}  ${x.message}  ${paint(color, 'gray', x.rule)}`);
    }
    out.push('');
  }
  const s = summarize(results);
  if (s.problems > 0) {
    const line = `✖ ${plural(s.problems, 'problem')} (${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${plural(s.infos, 'info')})`;
    out.push(paint(color, s.errors > 0 ? 'red' : s.warnings > 0 ? 'yellow' : 'blue', paint(color, 'bold', line)));
    if (s.fixable > 0) out.push(`  ${plural(s.fixable, 'problem')} fixable with the \`--fix\` option.`);
    out.push('');
  }
  if (options.fixedFiles) out.push(`${plural(options.fixedFiles, 'file')} rewritten by --fix.`, '');
  return out.join('\n');
}
