/**
 * JSON and JSONC files (appsettings.json, config/*.json, .vscode settings…) through
 * `jsonc-parser`, which tolerates comments and trailing commas and reports offsets as UTF-16
 * string indices. String escapes are decoded piece by piece so that the text between escapes
 * keeps exact source positions.
 */
import { Node, ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import { SrcString } from '../../srcstring';
import { dottedPath, EntryGroup, EntrySink, MAX_DEPTH, ScalarKind, withHoles } from './sink';

type Piece = readonly [string, number, number];

const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

function lineCol(text: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return `line ${line}, column ${offset - lineStart + 1}`;
}

export function parseJson(text: string, sink: EntrySink): void {
  const errors: ParseError[] = [];
  let root: Node | undefined;
  try {
    root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  } catch {
    sink.error('JSON: could not be parsed');
    return;
  }
  for (const e of errors.slice(0, 10)) sink.error(`JSON: ${printParseErrorCode(e.error)} at ${lineCol(text, e.offset)}`);
  if (root) walk(text, root, undefined, [], sink, 0);
}

/** Decodes the body of a JSON string literal that spans `[start, end)` including its quotes. */
function stringSource(text: string, start: number, end: number, value: string): SrcString {
  const close = text[end - 1] === '"' && end - 1 > start ? end - 1 : end;
  // Without escapes the body maps 1:1 (the usual case; empty bodies keep the piecewise path).
  if (close > start + 1 && text.slice(start + 1, close) === value) return SrcString.exact(value, start + 1);
  const pieces: Piece[] = [];
  for (let i = start + 1; i < close; i++) {
    if (text[i] !== '\\') {
      pieces.push([text[i], i, i + 1]);
      continue;
    }
    const c = text[i + 1];
    if (c === 'u') {
      const code = Number.parseInt(text.slice(i + 2, i + 6), 16);
      if (!Number.isFinite(code)) break;
      pieces.push([String.fromCharCode(code), i, i + 6]);
      i += 5;
    } else if (c !== undefined && ESCAPES[c] !== undefined) {
      pieces.push([ESCAPES[c], i, i + 2]);
      i++;
    } else break;
  }
  const s = SrcString.fromPieces(pieces);
  return s.text === value ? s : SrcString.approximate(value, { start, end });
}

/** `group`: the object or array a scalar belongs to (sink.ts EntryGroup); each makes its own. */
function walk(text: string, node: Node, key: string | undefined, path: readonly string[], sink: EntrySink, depth: number, group?: EntryGroup): void {
  if (depth > MAX_DEPTH) return;
  switch (node.type) {
    case 'object': {
      const inner = key === undefined ? path : [...path, key];
      const own: EntryGroup = {};
      for (const p of node.children ?? []) {
        const [k, v] = p.children ?? [];
        if (!k || !v || typeof k.value !== 'string') continue;
        walk(text, v, k.value, inner, sink, depth + 1, own);
      }
      return;
    }
    case 'array': {
      // Items of an array inherit its key: `"urls": ["postgres://…"]` is under `urls`.
      const own: EntryGroup = {};
      for (const item of node.children ?? []) walk(text, item, key, path, sink, depth + 1, own);
      return;
    }
    case 'string':
    case 'number':
    case 'boolean':
    case 'null': {
      const range = { start: node.offset, end: node.offset + node.length };
      const kind: ScalarKind = node.type === 'boolean' ? 'bool' : node.type;
      const value =
        node.type === 'string' ? withHoles(stringSource(text, range.start, range.end, String(node.value)), false) : SrcString.exact(text.slice(range.start, range.end), range.start);
      sink.add({ key, path, value, range, scalar: kind, context: `JSON key ${dottedPath(path, key)}`, group });
      return;
    }
    default:
      return;
  }
}
