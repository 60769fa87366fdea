/**
 * Engine values → LSP values. The only place where UTF-16 offsets become line/character
 * positions (Architecture Invariant: only the LSP layer knows LSP). The engine's offsets and LSP's
 * default `utf-16` position encoding count the same code units, so the conversion is exact.
 */
import {
  Diagnostic,
  DiagnosticRelatedInformation,
  DiagnosticSeverity,
  Range as LspRange,
  TextEdit as LspTextEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { docsUrl } from '../../../shared/src/rules';
import { DIAGNOSTIC_SOURCE } from '../../../shared/src/protocol';
import { Finding, Range, Severity, TextEdit } from '../engine/model';

/** What a diagnostic carries back to the server in code action requests. */
export interface DiagnosticData {
  readonly fingerprint: string;
  readonly version: number;
}

const SEVERITY: Readonly<Record<Severity, DiagnosticSeverity>> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toLspRange(doc: TextDocument, r: Range): LspRange {
  const len = doc.getText().length;
  const start = Math.max(0, Math.min(r.start, len));
  const end = Math.max(start, Math.min(r.end, len));
  return { start: doc.positionAt(start), end: doc.positionAt(end) };
}

export function toLspEdit(doc: TextDocument, e: TextEdit): LspTextEdit {
  return { range: toLspRange(doc, e.range), newText: e.newText };
}

export function toDiagnostic(doc: TextDocument, f: Finding): Diagnostic {
  const related: DiagnosticRelatedInformation[] = f.related.map((r) => ({
    location: { uri: doc.uri, range: toLspRange(doc, r.range) },
    message: r.message,
  }));
  const d: Diagnostic = {
    range: toLspRange(doc, f.range),
    severity: SEVERITY[f.severity] ?? DiagnosticSeverity.Warning,
    code: f.ruleId,
    codeDescription: { href: docsUrl(f.ruleId) },
    source: DIAGNOSTIC_SOURCE,
    message: f.message,
    data: { fingerprint: f.fingerprint, version: doc.version } satisfies DiagnosticData,
  };
  if (related.length) d.relatedInformation = related;
  return d;
}

export function toDiagnostics(doc: TextDocument, findings: readonly Finding[]): Diagnostic[] {
  return findings.map((f) => toDiagnostic(doc, f));
}

/** Do two LSP ranges intersect (touching counts: a cursor at the end of a token is on it)? */
export function rangesTouch(a: LspRange, b: LspRange): boolean {
  const before = (p: { line: number; character: number }, q: { line: number; character: number }): boolean =>
    p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}
