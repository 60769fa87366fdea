/**
 * YAML files (docker-compose, Kubernetes manifests, Spring application.yml, Rails database.yml…)
 * through the `yaml` package, every document of the stream.
 *
 * `yaml` reports node ranges as JS string indices (UTF-16 code units), `[start, valueEnd,
 * nodeEnd]`. This module maps each scalar's decoded value back onto its source: plain and
 * single-line quoted scalars character by character, folded multi-line and block scalars
 * approximately (the whole value range) unless the value can be found verbatim.
 *
 * Environment-like shapes are flattened into key/value entries: docker-compose
 * `environment: ["KEY=value"]` (split at the first `=`) and Kubernetes `env: [{name, value}]`
 * (`valueFrom` and a bare compose `KEY` give an unknown value). Each entry carries the map or
 * list it belongs to (EntryGroup: one container's env, one service's environment).
 * `${VAR}` / `$VAR` (compose interpolation, Spring placeholders) become holes.
 */
import { isMap, isPair, isScalar, isSeq, parseAllDocuments, Scalar } from 'yaml';
import { SrcString } from '../../srcstring';
import { dottedPath, EntryGroup, EntrySink, MAX_DEPTH, ScalarKind, withHoles } from './sink';
import { parseBlockYaml } from './yaml-block';

type Piece = readonly [string, number, number];

const DOUBLE_ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0', a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '"': '"', '/': '/', '\\': '\\',
  ' ': ' ', '\t': '\t', N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029',
};
const HEX_ESCAPES: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };

/**
 * A note for a yaml error that never quotes the source: even the first line of `yaml`'s message
 * can quote the offending token ("Unexpected double-quoted-scalar token in YAML stream:
 * "postgres://u:secret@…""), and a token may hold a secret. Only the error code and position.
 */
function safeMessage(err: { readonly code?: unknown; readonly linePos?: readonly { readonly line: number; readonly col: number }[] }): string {
  const code = typeof err.code === 'string' ? err.code.toLowerCase().replace(/_/g, ' ') : 'invalid YAML';
  const at = err.linePos?.[0];
  return at ? `${code} (line ${at.line}, column ${at.col})` : code;
}

/** `full`: always through `yaml` (tests compare the fast path with it). */
export function parseYaml(text: string, sink: EntrySink, full = false): void {
  // One document of block mappings and sequences with one-line values: built directly (yaml-block.ts).
  const block = full ? undefined : parseBlockYaml(text);
  if (block) {
    walk(text, block, undefined, [], sink, 0, undefined, false, isWorkflow(block));
    return;
  }
  let docs;
  try {
    docs = parseAllDocuments(text, { prettyErrors: true, uniqueKeys: false });
  } catch (e) {
    sink.error(`YAML: ${safeMessage((e ?? {}) as { code?: unknown })}`);
    return;
  }
  if (!Array.isArray(docs)) return; // an empty stream
  for (const doc of docs) {
    for (const err of doc.errors) sink.error(`YAML: ${safeMessage(err)}`);
    walk(text, doc.contents, undefined, [], sink, 0, undefined, false, isWorkflow(doc.contents));
  }
}

/**
 * A GitHub Actions workflow (top-level `jobs:` beside `on:`): its `env:` maps at workflow, job
 * and step level are layered (the innermost wins), so no one of them is the whole environment.
 */
function isWorkflow(root: unknown): boolean {
  if (!isMap(root)) return false;
  const keys = new Set(root.items.map((p) => (isPair(p) ? keyName(p.key) : undefined)));
  return keys.has('jobs') && (keys.has('on') || keys.has('true'));
}

/** Scalar value text, kind and source mapping. */
function scalarSource(text: string, node: Scalar): { s: SrcString; kind: ScalarKind } | undefined {
  const r = node.range;
  if (!r) return undefined;
  const [start, valueEnd] = r;
  const v = node.value;
  if (v === null || v === undefined) return { s: SrcString.exact(text.slice(start, valueEnd), start), kind: 'null' };
  if (typeof v === 'number' || typeof v === 'bigint') return { s: SrcString.exact(text.slice(start, valueEnd), start), kind: 'number' };
  if (typeof v === 'boolean') return { s: SrcString.exact(text.slice(start, valueEnd), start), kind: 'bool' };
  if (typeof v !== 'string') return undefined; // dates and other tagged values
  return { s: stringSource(text, node.type, v, start, valueEnd), kind: 'string' };
}

function stringSource(text: string, type: Scalar['type'], value: string, start: number, end: number): SrcString {
  const raw = text.slice(start, end);
  const approx = SrcString.approximate(value, { start, end });
  switch (type) {
    case 'PLAIN':
      return raw === value ? SrcString.exact(value, start) : approx;
    case 'QUOTE_SINGLE': {
      if (raw.includes('\n') || raw.length < 2) return approx;
      // Without a doubled quote the body maps 1:1 (empty bodies keep the piecewise path).
      if (raw.length > 2 && raw.slice(1, -1) === value) return SrcString.exact(value, start + 1);
      const pieces: Piece[] = [];
      for (let i = start + 1; i < end - 1; i++) {
        if (text[i] === "'" && text[i + 1] === "'") {
          pieces.push(["'", i, i + 2]);
          i++;
        } else pieces.push([text[i], i, i + 1]);
      }
      const s = SrcString.fromPieces(pieces);
      return s.text === value ? s : approx;
    }
    case 'QUOTE_DOUBLE': {
      if (raw.includes('\n') || raw.length < 2) return approx;
      if (raw.length > 2 && raw.slice(1, -1) === value) return SrcString.exact(value, start + 1);
      const pieces: Piece[] = [];
      for (let i = start + 1; i < end - 1; i++) {
        if (text[i] !== '\\') {
          pieces.push([text[i], i, i + 1]);
          continue;
        }
        const c = text[i + 1];
        const hex = HEX_ESCAPES[c];
        if (hex !== undefined) {
          const code = Number.parseInt(text.slice(i + 2, i + 2 + hex), 16);
          if (!Number.isFinite(code)) return approx;
          pieces.push([String.fromCodePoint(code), i, i + 2 + hex]);
          i += 1 + hex;
        } else if (DOUBLE_ESCAPES[c] !== undefined) {
          pieces.push([DOUBLE_ESCAPES[c], i, i + 2]);
          i++;
        } else return approx;
      }
      const s = SrcString.fromPieces(pieces);
      return s.text === value ? s : approx;
    }
    default: {
      // Block scalars: a one-line value found verbatim after the header maps exactly.
      const line = value.endsWith('\n') ? value.slice(0, -1) : value;
      const body = raw.indexOf('\n');
      if (line.length > 0 && !line.includes('\n') && body !== -1) {
        const at = raw.indexOf(line, body + 1);
        if (at !== -1) return SrcString.fromPieces([[line, start + at, start + at + line.length], ...(line === value ? [] : [['\n', start + at + line.length, start + at + line.length + 1] as Piece])]);
      }
      return approx;
    }
  }
}

function keyName(k: unknown): string | undefined {
  if (isScalar(k) && (typeof k.value === 'string' || typeof k.value === 'number' || typeof k.value === 'boolean')) return String(k.value);
  return undefined;
}

function context(path: readonly string[], key: string | undefined): string {
  return `YAML key ${dottedPath(path, key)}`;
}

/** Keys whose collection is a process environment (Kubernetes `env:`, compose `environment:`). */
function isEnvKey(k: string): boolean {
  return /^(environment|env)$/i.test(k);
}

/** Keys beside `env:`/`environment:` that bring in more variables from elsewhere. */
function isEnvSourceKey(k: string): boolean {
  return k === 'envFrom' || k === 'env_file';
}

/**
 * `group` is the collection a scalar belongs to (sink.ts EntryGroup); each map and sequence makes
 * its own for its children. `open`: this node is an env collection that may not be the whole
 * environment — with an `envFrom`/`env_file` sibling, or any `env:` of a GitHub Actions
 * `workflow` (layered by level). A map with a merge key (`<<: *anchor`) is open too: the merged
 * keys are not followed.
 */
function walk(text: string, node: unknown, key: string | undefined, path: readonly string[], sink: EntrySink, depth: number, group?: EntryGroup, open = false, workflow = false): void {
  if (depth > MAX_DEPTH) return;
  if (isMap(node)) {
    const inner = key === undefined ? path : [...path, key];
    // A Kubernetes env item belongs to its list (`group`), not to its own map.
    const nameValue = addNameValueEntry(text, node.items, inner, sink, group);
    const merged = node.items.some((p) => isPair(p) && keyName(p.key) === '<<');
    const own: EntryGroup = { open: open || merged };
    const envSources = node.items.some((p) => isPair(p) && isEnvSourceKey(keyName(p.key) ?? ''));
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const k = keyName(pair.key);
      if (k === undefined || k === '<<' || (nameValue && (k === 'name' || k === 'value'))) continue;
      walk(text, pair.value, k, inner, sink, depth + 1, own, (envSources || workflow) && isEnvKey(k), workflow);
    }
    return;
  }
  if (isSeq(node)) {
    const envList = key !== undefined && isEnvKey(key);
    const inner = key === undefined ? path : [...path, key];
    const own: EntryGroup = { open };
    for (const item of node.items) {
      if (envList && isScalar(item) && typeof item.value === 'string' && addEnvListItem(text, item, inner, sink, own)) continue;
      // Items of a list inherit the list's key: `urls: [postgres://…]` is under `urls`.
      walk(text, item, key, path, sink, depth + 1, own, false, workflow);
    }
    return;
  }
  if (isScalar(node)) {
    const src = scalarSource(text, node);
    if (!src) return;
    const value = src.kind === 'string' ? withHoles(src.s, true) : src.s;
    sink.add({ key, path, value, range: rangeOfNode(node), scalar: src.kind, context: context(path, key), group });
  }
}

function rangeOfNode(node: Scalar): { start: number; end: number } {
  const r = node.range!;
  return { start: r[0], end: r[1] };
}

/**
 * docker-compose `environment:` list item `KEY=value`: an entry for KEY. A bare `KEY` passes the
 * variable through from the host: an entry whose value is unknown (a hole).
 */
function addEnvListItem(text: string, item: Scalar, path: readonly string[], sink: EntrySink, group: EntryGroup): boolean {
  const src = scalarSource(text, item);
  if (!src || src.kind !== 'string') return false;
  const eq = src.s.text.indexOf('=');
  if (eq === -1 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(src.s.text)) {
    const range = rangeOfNode(item);
    sink.add({ key: src.s.text, path, value: SrcString.hole(range), range, scalar: 'string', context: context(path, src.s.text), group });
    return true;
  }
  if (eq <= 0) return false;
  const key = src.s.text.slice(0, eq).trim();
  const raw = src.s.slice(eq + 1);
  const value = withHoles(raw, true);
  const range = raw.length > 0 ? raw.sourceRange : src.s.rangeOf(eq + 1, eq + 1);
  sink.add({ key, path, value, range, scalar: 'string', context: context(path, key), group });
  return true;
}

/**
 * Kubernetes `env: [{name: KEY, value: "…"}]`: an entry for KEY; true when the map has that shape.
 * `valueFrom` (secretKeyRef, configMapKeyRef, fieldRef…) sets KEY to a value not in this file:
 * an entry whose value is unknown (a hole), so that KEY counts as set, never as absent.
 */
function addNameValueEntry(text: string, items: readonly unknown[], path: readonly string[], sink: EntrySink, group: EntryGroup | undefined): boolean {
  let name: string | undefined;
  let valueNode: Scalar | undefined;
  let valueFrom: { start: number; end: number } | undefined;
  for (const pair of items) {
    if (!isPair(pair)) continue;
    const k = keyName(pair.key);
    if (k === 'name' && isScalar(pair.value) && typeof pair.value.value === 'string') name = pair.value.value;
    else if (k === 'value' && isScalar(pair.value)) valueNode = pair.value;
    else if (k === 'valueFrom') {
      const r = (pair.value as { range?: [number, number, number] } | null)?.range ?? (pair.key as { range?: [number, number, number] } | null)?.range;
      if (r) {
        let end = r[1];
        while (end > r[0] && /\s/.test(text[end - 1])) end--;
        valueFrom = { start: r[0], end };
      }
    }
  }
  if (name !== undefined && valueNode === undefined && valueFrom) {
    sink.add({ key: name, path, value: SrcString.hole(valueFrom), range: valueFrom, scalar: 'string', context: context(path, name), group });
    return false; // the `valueFrom` map is still walked (its keys are names, not values)
  }
  if (name === undefined || valueNode === undefined) return false;
  const src = scalarSource(text, valueNode);
  if (!src) return true;
  const value = src.kind === 'string' ? withHoles(src.s, true) : src.s;
  sink.add({ key: name, path, value, range: rangeOfNode(valueNode), scalar: src.kind, context: context(path, name), group });
  return true;
}
