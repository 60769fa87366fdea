/**
 * Rendering of a ProbeReport: plain text for terminals and output panels, JSON for machines.
 * Pure functions; a report never holds a secret (steps are redacted when recorded), so rendering
 * needs no redaction of its own.
 */
import { ProbeReport, StepStatus } from './types';

const MARK: Record<StepStatus, string> = { ok: '✔', warn: '!', fail: '✖', skipped: '-' };

function ms(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(1)} s` : `${n} ms`;
}

/** Rule ids verified live by steps that ended ok. */
export function verifiedLive(report: ProbeReport): string[] {
  const ids = new Set<string>();
  for (const s of report.steps) if (s.status === 'ok') for (const v of s.verifies) ids.add(v);
  return [...ids].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
}

export function verdict(report: ProbeReport): string {
  if (report.cancelled) return 'Cancelled.';
  if (report.verifiedTls) return 'Connected with verified TLS (certificate chain and hostname).';
  if (report.connected) return 'Connected, but NOT with verified TLS.';
  return 'Could not connect.';
}

export function renderText(report: ProbeReport): string {
  const t = report.target;
  const lines: string[] = [];
  const who = t.user ? `${t.user}@` : '';
  lines.push(`Test connection: ${t.dbms} ${who}${t.host}:${t.port}${t.database ? `/${t.database}` : ''} — TLS settings of ${t.driverLabel}`);
  lines.push('');
  for (const s of report.steps) {
    lines.push(`${MARK[s.status]} ${s.title}  [${s.status}, ${ms(s.durationMs)}]`);
    if (s.explanation) lines.push(`    ${s.explanation}`);
    for (const [k, v] of Object.entries(s.facts)) lines.push(`    ${k}: ${v}`);
  }
  lines.push('');
  const live = verifiedLive(report);
  lines.push(`verified live: ${live.length ? live.join(', ') : 'none'}`);
  lines.push(`${verdict(report)} (${ms(report.totalMs)})`);
  return lines.join('\n') + '\n';
}

export function renderJson(report: ProbeReport): string {
  return JSON.stringify({ ...report, verifiedLive: verifiedLive(report), verdict: verdict(report) }, null, 2) + '\n';
}

const ICON: Record<StepStatus, string> = { ok: '✅', warn: '⚠️', fail: '❌', skipped: '⏭️' };

/** Escapes text for a Markdown table cell or paragraph (no HTML, no table breaks). */
function md(text: string): string {
  return text.replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

/**
 * The report as Markdown, for editors (VS Code shows it as a document): a heading with the
 * verdict, then each step with its status icon, duration, explanation and facts, then the rule
 * ids verified live. `notes` are the resolver's remarks (TLS policy assumptions, secret sources).
 */
export function renderMarkdown(report: ProbeReport, notes: readonly string[] = []): string {
  const t = report.target;
  const who = t.user ? `${t.user}@` : '';
  const out: string[] = [];
  out.push(`# Test connection: ${md(`${t.dbms} ${who}${t.host}:${t.port}${t.database ? `/${t.database}` : ''}`)}`);
  out.push('');
  out.push(`**${md(verdict(report))}** Total ${ms(report.totalMs)}. TLS settings of ${md(t.driverLabel)}.`);
  out.push('');
  if (notes.length) {
    for (const n of notes) out.push(`- _Note:_ ${md(n)}`);
    out.push('');
  }
  out.push('| | Step | Status | Duration |', '|---|---|---|---|');
  for (const s of report.steps) out.push(`| ${ICON[s.status]} | ${md(s.title)} | ${s.status} | ${ms(s.durationMs)} |`);
  out.push('');
  for (const s of report.steps) {
    out.push(`## ${ICON[s.status]} ${md(s.title)} — ${s.status}, ${ms(s.durationMs)}`);
    out.push('');
    if (s.explanation) out.push(md(s.explanation), '');
    const facts = Object.entries(s.facts);
    if (facts.length) {
      for (const [k, v] of facts) out.push(`- **${md(k)}**: ${md(v)}`);
      out.push('');
    }
    if (s.verifies.length) out.push(`_Checks ${s.verifies.join(', ')}._`, '');
  }
  const live = verifiedLive(report);
  out.push(`**verified live: ${live.length ? live.join(', ') : 'none'}**`);
  return out.join('\n') + '\n';
}
