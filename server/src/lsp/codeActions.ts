/**
 * Code actions, built only from the findings of the recorded run for the document's version
 * (never from a second lint):
 * - the findings' fixes as quick fixes (`isPreferred` for Fix.preferred);
 * - "Ignore <rule> on this line" / "Ignore <rule> in this file": suppression comments
 *   (SPEC §2) in the document's comment syntax, indented like the line they precede;
 * - `source.fixAll.connguard`: every preferred fix, whole fixes only, none overlapping
 *   (the CLI's `chooseFixes`, one home for that logic).
 */
import {
  CodeAction,
  CodeActionKind,
  CodeActionParams,
  Diagnostic,
  TextEdit as LspTextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { FIX_ALL_KIND } from '../../../shared/src/protocol';
import { chooseFixes } from '../cli/scan';
import { Finding, Fix } from '../engine/model';
import { SourceKind } from '../engine/scan';
import { AnalysisRun } from './analysis';
import { DiagnosticData, rangesTouch, toDiagnostic, toLspEdit, toLspRange } from './convert';

/** The comment marker for suppression directives, or undefined where comments are impossible. */
export function commentMarker(kind: SourceKind | undefined, languageId: string, uri: string): string | undefined {
  switch (kind) {
    case 'go':
    case 'ts':
    case 'prisma':
      return '//';
    case 'dotenv':
    case 'yaml':
    case 'toml':
    case 'properties':
      return '#';
    case 'json':
      // Strict JSON has no comments: only JSONC documents can carry a directive.
      return languageId === 'jsonc' || uri.toLowerCase().endsWith('.jsonc') ? '//' : undefined;
    default:
      return undefined;
  }
}

export interface EditCapabilities {
  /** The client accepts `documentChanges` (versioned edits). */
  readonly documentChanges: boolean;
}

export function workspaceEdit(doc: TextDocument, edits: LspTextEdit[], caps: EditCapabilities): WorkspaceEdit {
  if (caps.documentChanges) {
    return { documentChanges: [{ textDocument: { uri: doc.uri, version: doc.version }, edits }] };
  }
  return { changes: { [doc.uri]: edits } };
}

/** The findings a code action request is about: its diagnostics (by fingerprint), else its range. */
function findingsInRequest(doc: TextDocument, run: AnalysisRun, params: CodeActionParams): { finding: Finding; diagnostic: Diagnostic }[] {
  const out: { finding: Finding; diagnostic: Diagnostic }[] = [];
  const ours = params.context.diagnostics.filter((d) => d.source === 'connguard');
  for (const f of run.analysis.findings) {
    const diag = ours.find((d) => (d.data as DiagnosticData | undefined)?.fingerprint === f.fingerprint && d.code === f.ruleId);
    if (diag) {
      out.push({ finding: f, diagnostic: diag });
      continue;
    }
    const d = toDiagnostic(doc, f);
    if (ours.length === 0 && rangesTouch(d.range, params.range)) out.push({ finding: f, diagnostic: d });
  }
  return out;
}

function wants(only: readonly string[] | undefined, kind: string): boolean {
  if (!only || only.length === 0) return true;
  return only.some((k) => kind === k || kind.startsWith(`${k}.`));
}

function lineIndent(doc: TextDocument, line: number): string {
  const text = doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  const m = /^[ \t]*/.exec(text);
  return m ? m[0] : '';
}

function suppressLineEdit(doc: TextDocument, line: number, marker: string, ruleId: string): LspTextEdit {
  const indent = lineIndent(doc, line);
  return {
    range: { start: { line, character: 0 }, end: { line, character: 0 } },
    newText: `${indent}${marker} connguard-ignore-next-line ${ruleId} -- TODO: reason${eol(doc)}`,
  };
}

function eol(doc: TextDocument): string {
  return doc.getText().includes('\r\n') ? '\r\n' : '\n';
}

function suppressFileEdit(doc: TextDocument, marker: string, ruleId: string): LspTextEdit {
  // Keep a shebang on the first line.
  const line = doc.getText().startsWith('#!') ? 1 : 0;
  return {
    range: { start: { line, character: 0 }, end: { line, character: 0 } },
    newText: `${marker} connguard-ignore-file ${ruleId} -- TODO: reason${eol(doc)}`,
  };
}

/** The fix-all edit: preferred fixes of every finding, whole and non-overlapping. */
export function fixAllEdits(doc: TextDocument, run: AnalysisRun): LspTextEdit[] {
  return chooseFixes(run.analysis.findings).map((e) => toLspEdit(doc, e));
}

export function codeActions(doc: TextDocument, run: AnalysisRun, params: CodeActionParams, caps: EditCapabilities): CodeAction[] {
  const only = params.context.only;
  const actions: CodeAction[] = [];
  const marker = commentMarker(run.kind, doc.languageId, doc.uri);
  const items = findingsInRequest(doc, run, params);

  if (wants(only, CodeActionKind.QuickFix)) {
    const fixActions: CodeAction[] = [];
    const ignoreActions: CodeAction[] = [];
    const seenIgnore = new Set<string>();
    for (const { finding, diagnostic } of items) {
      finding.fixes.forEach((fix: Fix) => {
        if (fix.edits.length === 0) return;
        fixActions.push({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          isPreferred: fix.preferred,
          edit: workspaceEdit(doc, fix.edits.map((e) => toLspEdit(doc, e)), caps),
        });
      });
      if (!marker) continue;
      const line = toLspRange(doc, finding.range).start.line;
      const lineKey = `${finding.ruleId}@${line}`;
      if (!seenIgnore.has(lineKey)) {
        seenIgnore.add(lineKey);
        ignoreActions.push({
          title: `Ignore ${finding.ruleId} on this line`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          edit: workspaceEdit(doc, [suppressLineEdit(doc, line, marker, finding.ruleId)], caps),
        });
      }
      const fileKey = `${finding.ruleId}@file`;
      if (!seenIgnore.has(fileKey)) {
        seenIgnore.add(fileKey);
        ignoreActions.push({
          title: `Ignore ${finding.ruleId} in this file`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          edit: workspaceEdit(doc, [suppressFileEdit(doc, marker, finding.ruleId)], caps),
        });
      }
    }
    // Preferred fixes first, then the fixes of the most severe findings, suppressions last (what a
    // user should reach for first). LSP severities: 1 error … 4 hint; the sort is stable.
    const severity = (a: CodeAction): number => a.diagnostics?.[0]?.severity ?? 4;
    fixActions.sort((a, b) => Number(b.isPreferred ?? false) - Number(a.isPreferred ?? false) || severity(a) - severity(b));
    actions.push(...fixActions, ...ignoreActions);
  }

  if (wants(only, FIX_ALL_KIND) && (only?.length || items.length)) {
    const edits = fixAllEdits(doc, run);
    if (edits.length) {
      actions.push({
        title: 'Fix all auto-fixable ConnGuard problems',
        kind: FIX_ALL_KIND,
        edit: workspaceEdit(doc, edits, caps),
      });
    }
  }
  return actions;
}
