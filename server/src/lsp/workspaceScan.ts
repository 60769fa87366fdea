/**
 * Optional workspace-wide scan (`connguard.scanWorkspace` setting or command): every file of
 * every workspace folder that the CLI would scan — the CLI's own walker, so `.gitignore`,
 * `.connguardignore` and `.connguard.json` `ignore` globs apply identically — analysed one at
 * a time with progress, results pushed with `textDocument/publishDiagnostics`.
 *
 * Open documents are skipped: their diagnostics come from the per-document analysis. A file
 * opened after the scan has its pushed diagnostics cleared (see `forgetPushed`), so the two
 * sources never show the same finding twice.
 *
 * The scan yields to the event loop after each file so that requests keep being answered, and
 * stops early when cancelled or when a newer scan starts.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CancellationToken, Connection, TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ScanWorkspaceResult } from '../../../shared/src/protocol';
import { GitTracking } from '../cli/git';
import { readSource } from '../cli/source';
import { FileWalker } from '../cli/walk';
import { analyzeText, consumerEntries, isCodeKind, sourceKindOf } from '../engine/scan';
import type { Analyzer } from './analysis';
import { toDiagnostics } from './convert';
import { SettingsStore } from './settings';

export class WorkspaceScanner {
  /** URIs whose diagnostics were pushed by a scan. */
  private readonly pushed = new Set<string>();
  private scanId = 0;

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly settings: SettingsStore,
    /** Receives the env consumers found in code files and supplies them to config files. */
    private readonly analyzer: Analyzer,
    /** The engine's parsers (tree-sitter-go loads asynchronously): no file is analysed before. */
    private readonly engineReady: Promise<void>,
  ) {}

  /** A document was opened: its diagnostics now come from the document analysis. */
  forgetPushed(uri: string): void {
    if (this.pushed.delete(uri)) void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  async scan(token?: CancellationToken): Promise<ScanWorkspaceResult> {
    const id = ++this.scanId;
    const folders = this.settings.workspaceFolders();
    const progress = await this.connection.window.createWorkDoneProgress();
    progress.begin('ConnGuard: scanning the workspace', 0, 'listing files…', true);
    const git = new GitTracking();
    let files = 0;
    let problems = 0;
    let skipped = 0;
    let cancelled = false;
    const stale = new Set(this.pushed);
    try {
      // A scan requested right after initialize would otherwise find the Go parser still loading
      // and report nothing for Go files.
      await this.engineReady;
      const plan: { abs: string; folder: string }[] = [];
      const perFolder = new Map<string, Awaited<ReturnType<SettingsStore['forFolder']>>>();
      for (const folder of folders) {
        const s = await this.settings.forFolder(folder);
        perFolder.set(folder, s);
        if (!s.enable) continue;
        const walker = new FileWalker({ useIgnoreFiles: true, configLayers: s.ignoreLayers });
        for (const f of walker.walkDirectory(folder)) plan.push({ abs: f.abs, folder });
      }
      // Code first: it tells which env variables reach which driver, and config files are then
      // judged under that driver (as the CLI does).
      const isCode = (abs: string): boolean => isCodeKind(sourceKindOf(abs));
      plan.sort((a, b) => Number(isCode(b.abs)) - Number(isCode(a.abs)));
      for (let i = 0; i < plan.length; i++) {
        if (token?.isCancellationRequested || progress.token.isCancellationRequested || id !== this.scanId) {
          cancelled = true;
          break;
        }
        const { abs, folder } = plan[i];
        const uri = pathToFileURL(abs).href;
        if (i % 10 === 0) progress.report(Math.round((100 * i) / plan.length), `${i}/${plan.length} ${path.basename(abs)}`);
        // Yield so that requests from the editor are served between files.
        await new Promise((r) => setImmediate(r));
        if (this.documents.get(uri)) continue;
        const settings = perFolder.get(folder)!;
        const src = await readSource(abs, settings.engine.maxFileBytes);
        files++;
        if (src.kind === 'skipped') {
          skipped++;
          continue;
        }
        const rel = path.relative(folder, abs).split(path.sep).join('/');
        const envFileTracked = sourceKindOf(rel) === 'dotenv' ? await git.isTracked(abs).catch(() => false) : undefined;
        let findings;
        try {
          const code = isCode(abs);
          const analysis = analyzeText(rel, src.text, settings.engine, { envFileTracked, envConsumers: code ? undefined : this.analyzer.envConsumers(uri) });
          findings = analysis.findings;
          if (code) this.analyzer.setConsumers(uri, consumerEntries(analysis, rel, src.text));
        } catch (e) {
          this.connection.console.error(`${rel}: internal error: ${(e as Error).message}`);
          continue;
        }
        stale.delete(uri);
        if (findings.length === 0 && !this.pushed.has(uri)) continue;
        const doc = TextDocument.create(uri, '', 0, src.text);
        problems += findings.length;
        if (findings.length) this.pushed.add(uri);
        else this.pushed.delete(uri);
        await this.connection.sendDiagnostics({ uri, diagnostics: toDiagnostics(doc, findings) });
      }
      // Files that had findings in an earlier scan but were not seen now (deleted, ignored).
      if (!cancelled) {
        for (const uri of stale) {
          if (this.documents.get(uri)) continue;
          this.pushed.delete(uri);
          await this.connection.sendDiagnostics({ uri, diagnostics: [] });
        }
      }
    } finally {
      progress.done();
    }
    this.connection.console.info(`workspace scan: ${files} file(s), ${problems} problem(s), ${skipped} skipped${cancelled ? ' (cancelled)' : ''}`);
    return { files, problems, skipped, cancelled };
  }
}
