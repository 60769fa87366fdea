/**
 * ts/scope.ts resolves names the way the TypeScript checker does (its contract): for every value
 * identifier of real code, the declaration it finds is the checker's `getSymbolAtLocation(id)
 * .declarations[0]` (`getShorthandAssignmentValueSymbol` for a shorthand property) in a one-file
 * program without lib files — the set-up the extractor used before ts/scope.ts replaced it.
 *
 * Code: every TS/JS fixture and example, and a deterministic sample of the JS/TS files installed
 * in node_modules (CommonJS, ESM, sloppy scripts, TypeScript sources and declarations: code as
 * people write it, not as we write fixtures).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { Scopes } from '../../server/src/engine/extract/ts/scope';
import { scriptKindOf } from '../../server/src/engine/extract/typescript';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CODE = /\.(?:[cm]?[jt]sx?)$/;

function listFiles(dir: string, out: string[], limit = Infinity): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  } catch {
    return;
  }
  for (const e of entries) {
    if (out.length >= limit) return;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) listFiles(p, out, limit);
    else if (e.isFile() && CODE.test(e.name)) out.push(p);
  }
}

/** The checker's answer for every value identifier of `sf`, beside ours. */
function compare(sf: ts.SourceFile): { total: number; mismatches: string[] } {
  const program = ts.createProgram({
    rootNames: [sf.fileName],
    options: { noLib: true, noResolve: true, allowJs: true, checkJs: false, types: [], target: ts.ScriptTarget.Latest, jsx: ts.JsxEmit.Preserve },
    host: {
      getSourceFile: (name) => (name === sf.fileName ? sf : undefined),
      getDefaultLibFileName: () => 'lib.d.ts',
      writeFile: () => undefined,
      getCurrentDirectory: () => '/',
      getCanonicalFileName: (f) => f,
      useCaseSensitiveFileNames: () => true,
      getNewLine: () => '\n',
      fileExists: (f) => f === sf.fileName,
      readFile: () => undefined,
      getDirectories: () => [],
    },
  });
  const checker = program.getTypeChecker();
  const scopes = new Scopes(sf);
  const isJs = /\.[cm]?jsx?$/.test(sf.fileName);
  const internal = ts as unknown as { isExpressionNode(n: ts.Node): boolean };
  let total = 0;
  const mismatches: string[] = [];
  const stack: ts.Node[] = [sf];
  while (stack.length) {
    const n = stack.pop()!;
    ts.forEachChild(n, (c) => {
      stack.push(c);
    });
    if (!ts.isIdentifier(n)) continue;
    const shorthand = ts.isShorthandPropertyAssignment(n.parent) && n.parent.name === n;
    if (!shorthand && !internal.isExpressionNode(n)) continue;
    // A property name (`a.b`'s `b`) is not a name in scope; the evaluator never resolves one.
    if ((ts.isPropertyAccessExpression(n.parent) && n.parent.name === n) || (ts.isQualifiedName(n.parent) && n.parent.right === n)) continue;
    // `new.target`'s `target` is no name either, nor a function or class expression's own name.
    if (ts.isMetaProperty(n.parent)) continue;
    if ((ts.isFunctionExpression(n.parent) || ts.isClassExpression(n.parent)) && n.parent.name === n) continue;
    // CommonJS names in JS files: the checker gives `module`, `exports` and `require` built-in
    // meanings even where a parameter declares them (bundlers' wrappers); the evaluator
    // recognises `require(…)` and `module.exports` syntactically, whatever they resolve to.
    if (isJs && (n.text === 'module' || n.text === 'exports' || n.text === 'require')) continue;
    total++;
    const sym = shorthand ? checker.getShorthandAssignmentValueSymbol(n.parent) : checker.getSymbolAtLocation(n);
    let want = sym?.declarations?.[0];
    // CommonJS and expando assignments in JS files (`module.exports = …`, `exports.x = …`,
    // `f.x = …`) get synthetic declarations — the file, an assignment expression — that are no
    // binding in scope: the evaluator treats them as it treats no declaration (an unknown name).
    if (want && (ts.isSourceFile(want) || ts.isBinaryExpression(want) || ts.isPropertyAccessExpression(want) || ts.isIdentifier(want))) want = undefined;
    const got = scopes.resolve(n);
    if (want !== got) {
      const at = sf.getLineAndCharacterOfPosition(n.getStart(sf));
      const show = (d: ts.Node | undefined): string => (d ? `${ts.SyntaxKind[d.kind]}@${sf.getLineAndCharacterOfPosition(d.getStart(sf)).line + 1}` : 'none');
      mismatches.push(`${sf.fileName}:${at.line + 1}:${at.character + 1} ${n.text}: checker ${show(want)}, scope.ts ${show(got)}`);
    }
  }
  return { total, mismatches };
}

function parse(file: string): ts.SourceFile | undefined {
  const text = fs.readFileSync(file, 'utf8');
  if (text.length > 400_000) return undefined;
  return ts.createSourceFile(file, text, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, true, scriptKindOf(file));
}

/** compare() over files, summed. */
function compareFiles(files: readonly string[]): { total: number; mismatches: string[] } {
  let total = 0;
  const mismatches: string[] = [];
  for (const f of files) {
    const sf = parse(f);
    if (!sf) continue;
    const r = compare(sf);
    total += r.total;
    mismatches.push(...r.mismatches);
  }
  return { total, mismatches };
}

describe('ts/scope.ts resolves names like the TypeScript checker', function () {
  this.timeout(300_000);

  it('on every TS/JS fixture and example, and on ConnGuard\'s own sources', () => {
    const files: string[] = [];
    for (const d of ['test/fixtures', 'examples', 'server/src', 'client/src', 'shared/src', 'test']) listFiles(path.join(ROOT, d), files);
    assert.ok(files.length >= 20, `only ${files.length} fixture files found`);
    const { total, mismatches } = compareFiles(files);
    assert.ok(total > 20_000, `only ${total} identifiers compared`);
    console.log(`      ${total} identifiers`);
    assert.deepEqual(mismatches, []);
  });

  it('on a sample of the JS/TS code in node_modules', () => {
    // Deterministic: every 3rd code file of a fixed set of packages, in sorted order.
    const packages = ['typescript/lib/typescript.js', 'pg', 'pg-pool', 'pg-connection-string', 'mysql2', 'mssql', 'tedious', 'yaml', 'jsonc-parser', 'smol-toml',
      'mocha', 'esbuild', 'vscode-languageserver', 'vscode-languageserver-protocol', 'vscode-jsonrpc', '@aws-sdk', '@smithy', '@azure', 'web-tree-sitter', 'ajv', 'semver', 'minimatch', 'ignore', 'debug', 'iconv-lite'];
    const all: string[] = [];
    for (const p of packages) {
      const abs = path.join(ROOT, 'node_modules', p);
      if (fs.existsSync(abs) && fs.statSync(abs).isFile()) all.push(abs);
      else listFiles(abs, all, all.length + 4000);
    }
    const files = all.filter((_, i) => i % 3 === 0);
    assert.ok(files.length >= 300, `only ${files.length} files sampled`);
    const { total, mismatches } = compareFiles(files);
    assert.ok(total > 50_000, `only ${total} identifiers compared`);
    console.log(`      ${total} identifiers in ${files.length} files`);
    assert.deepEqual(mismatches.slice(0, 40), [], `${mismatches.length} of ${total} identifiers differ`);
  });
});
