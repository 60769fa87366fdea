/**
 * A plain-JavaScript copy of a tree-sitter-go syntax tree.
 *
 * Why a copy: every property read on a web-tree-sitter node crosses into WASM and allocates, and
 * nodes die with their tree. The extractor walks the tree many times (scopes, values, sites,
 * observations), so it converts the tree once with a TreeCursor, deletes the WASM tree at once,
 * and works on these objects.
 *
 * Offsets: web-tree-sitter parses a JavaScript string as UTF-16 and reports `startIndex` /
 * `endIndex` in UTF-16 code units — the engine's offset unit (model.ts) — so no conversion is
 * needed. The Go extractor tests check this with non-ASCII text before a DSN.
 *
 * Guard: the copy stops descending below MAX_DEPTH, so the recursive walks that follow cannot
 * overflow the stack on pathological nesting.
 */
import type { Tree, TreeCursor } from 'web-tree-sitter';
import { Range } from '../../model';

export interface GoNode {
  readonly type: string;
  /** Named node (identifier, call_expression…) as opposed to punctuation/keywords. */
  readonly named: boolean;
  readonly start: number;
  readonly end: number;
  /** The grammar field this node fills in its parent (`function`, `arguments`, `left`…). */
  readonly field: string | undefined;
  readonly children: GoNode[];
  parent: GoNode | undefined;
}

export const MAX_DEPTH = 400;

export interface ConvertResult {
  readonly root: GoNode;
  readonly truncated: boolean;
  readonly hasError: boolean;
}

/**
 * The raw WASM exports of web-tree-sitter's cursor functions (the Emscripten module object).
 *
 * Why: each public TreeCursor getter copies the cursor into the WASM transfer buffer and back
 * (a dozen setValue/getValue calls) around one WASM call; for a whole-tree copy that marshalling
 * cost more than parsing. These `*_wasm` functions read and write the cursor in the transfer
 * buffer themselves, so a walk that makes no other tree-sitter call in between can call them
 * back to back. They are the very functions the public getters call (tree-sitter.cjs 0.25), so
 * the copy is identical; `rawCursorApi` returns undefined when the module does not have them
 * and `convertTree` then uses the public TreeCursor.
 */
export interface RawCursorApi {
  _ts_tree_root_node_wasm(tree: number): void;
  _ts_tree_cursor_new_wasm(tree: number): void;
  _ts_tree_cursor_delete_wasm(tree: number): void;
  _ts_tree_cursor_goto_first_child_wasm(tree: number): number;
  _ts_tree_cursor_goto_next_sibling_wasm(tree: number): number;
  _ts_tree_cursor_goto_parent_wasm(tree: number): number;
  _ts_tree_cursor_current_node_type_id_wasm(tree: number): number;
  _ts_tree_cursor_current_node_is_named_wasm(tree: number): number;
  _ts_tree_cursor_start_index_wasm(tree: number): number;
  _ts_tree_cursor_end_index_wasm(tree: number): number;
  _ts_tree_cursor_current_field_id_wasm(tree: number): number;
}

const RAW_FUNCTIONS: readonly (keyof RawCursorApi)[] = [
  '_ts_tree_root_node_wasm', '_ts_tree_cursor_new_wasm', '_ts_tree_cursor_delete_wasm',
  '_ts_tree_cursor_goto_first_child_wasm', '_ts_tree_cursor_goto_next_sibling_wasm',
  '_ts_tree_cursor_goto_parent_wasm', '_ts_tree_cursor_current_node_type_id_wasm',
  '_ts_tree_cursor_current_node_is_named_wasm', '_ts_tree_cursor_start_index_wasm',
  '_ts_tree_cursor_end_index_wasm', '_ts_tree_cursor_current_field_id_wasm',
];

/** The raw cursor API of an initialised Emscripten module object, if it has every function. */
export function rawCursorApi(module: unknown): RawCursorApi | undefined {
  if (!module || typeof module !== 'object') return undefined;
  const m = module as Record<string, unknown>;
  return RAW_FUNCTIONS.every((k) => typeof m[k] === 'function') ? (module as RawCursorApi) : undefined;
}

/** The cursor reads the copy makes, in the shape of the raw API (the public cursor is adapted). */
type CursorReads = Omit<RawCursorApi, '_ts_tree_root_node_wasm' | '_ts_tree_cursor_new_wasm' | '_ts_tree_cursor_delete_wasm'>;

/** The public TreeCursor behind the raw API's shape (fallback; `tree` arguments are ignored). */
function publicReads(c: TreeCursor): CursorReads {
  return {
    _ts_tree_cursor_current_node_type_id_wasm: () => c.nodeTypeId,
    _ts_tree_cursor_current_node_is_named_wasm: () => (c.nodeIsNamed ? 1 : 0),
    _ts_tree_cursor_start_index_wasm: () => c.startIndex,
    _ts_tree_cursor_end_index_wasm: () => c.endIndex,
    _ts_tree_cursor_current_field_id_wasm: () => c.currentFieldId,
    _ts_tree_cursor_goto_first_child_wasm: () => (c.gotoFirstChild() ? 1 : 0),
    _ts_tree_cursor_goto_next_sibling_wasm: () => (c.gotoNextSibling() ? 1 : 0),
    _ts_tree_cursor_goto_parent_wasm: () => (c.gotoParent() ? 1 : 0),
  };
}

/**
 * Copies a tree into GoNodes without recursion (the cursor is walked iteratively).
 *
 * Anonymous leaves that fill no field (punctuation and keywords: `(`, `,`, `func`, `var`…) are
 * not copied: nothing in go/*.ts reads them (the analysis looks at named nodes, at fields, and
 * at source text by range), and they are over a third of all nodes. Anonymous nodes that fill a
 * field — the `operator` of binary/unary expressions and assignments — are kept.
 */
export function convertTree(tree: Tree, raw?: RawCursorApi): ConvertResult {
  const address = (tree as unknown as { 0?: unknown })[0];
  const { types, fields } = tree.language;
  const named = namedTable(tree.language);
  let result: { root: GoNode; truncated: boolean };
  if (raw && typeof address === 'number' && address !== 0) {
    // The cursor lives in the transfer buffer from here until it is deleted: no other
    // tree-sitter call may happen in between.
    raw._ts_tree_root_node_wasm(address);
    raw._ts_tree_cursor_new_wasm(address);
    try {
      result = copyNodes(raw, address, types, fields, named);
    } finally {
      raw._ts_tree_cursor_delete_wasm(address);
    }
  } else {
    const c = tree.walk();
    try {
      result = copyNodes(publicReads(c), 0, types, fields, named);
    } finally {
      c.delete();
    }
  }
  // Only after the cursor is gone: reading rootNode reuses the transfer buffer.
  return { ...result, hasError: tree.rootNode.hasError };
}

/**
 * Whether each node type id is named, learnt on first sight. Named-ness is a property of the
 * (public, alias-resolved) symbol that `typeId` reports, so one cursor read per type suffices.
 */
const namedTables = new WeakMap<object, Int8Array>();
function namedTable(language: object): Int8Array {
  let table = namedTables.get(language);
  if (!table) {
    table = new Int8Array(65536).fill(-1);
    namedTables.set(language, table);
  }
  return table;
}

function copyNodes(c: CursorReads, t: number, types: readonly string[], fieldNames: readonly (string | null)[], namedById: Int8Array): { root: GoNode; truncated: boolean } {
  // Same values as TreeCursor#nodeType / #currentFieldName.
  const full = (typeId: number, named: boolean, fieldId: number, parent: GoNode | undefined): GoNode => ({
    type: types[typeId] || 'ERROR',
    named,
    start: c._ts_tree_cursor_start_index_wasm(t),
    end: c._ts_tree_cursor_end_index_wasm(t),
    field: fieldNames[fieldId] ?? undefined,
    children: [],
    parent,
  });
  /** The node under the cursor as a child of `parent`, or undefined for a skipped leaf. */
  const visit = (parent: GoNode): GoNode | undefined => {
    const typeId = c._ts_tree_cursor_current_node_type_id_wasm(t);
    let named = namedById[typeId];
    if (named === -1) named = namedById[typeId] = c._ts_tree_cursor_current_node_is_named_wasm(t) === 1 ? 1 : 0;
    const fieldId = c._ts_tree_cursor_current_field_id_wasm(t);
    if (named === 0 && fieldId === 0) {
      if (c._ts_tree_cursor_goto_first_child_wasm(t) !== 1) return undefined;
      c._ts_tree_cursor_goto_parent_wasm(t);
    }
    const n = full(typeId, named === 1, fieldId, parent);
    parent.children.push(n);
    return n;
  };
  let truncated = false;
  const rootType = c._ts_tree_cursor_current_node_type_id_wasm(t);
  const root = full(rootType, c._ts_tree_cursor_current_node_is_named_wasm(t) === 1, c._ts_tree_cursor_current_field_id_wasm(t), undefined);
  // The cursor's path from the root; undefined marks a skipped leaf (it has no children).
  const stack: (GoNode | undefined)[] = [root];
  // Depth-first: descend when possible, otherwise next sibling, otherwise climb.
  for (;;) {
    const cur = stack[stack.length - 1];
    if (cur && c._ts_tree_cursor_goto_first_child_wasm(t) === 1) {
      if (stack.length < MAX_DEPTH) {
        stack.push(visit(cur));
        continue;
      }
      truncated = true;
      c._ts_tree_cursor_goto_parent_wasm(t);
    }
    let advanced = false;
    while (stack.length > 1) {
      if (c._ts_tree_cursor_goto_next_sibling_wasm(t) === 1) {
        stack.pop();
        stack.push(visit(stack[stack.length - 1]!));
        advanced = true;
        break;
      }
      c._ts_tree_cursor_goto_parent_wasm(t);
      stack.pop();
    }
    if (!advanced) break;
  }
  return { root, truncated };
}

export function rangeOf(n: GoNode): Range {
  return { start: n.start, end: n.end };
}

export function field(n: GoNode | undefined, name: string): GoNode | undefined {
  if (!n) return undefined;
  for (const c of n.children) if (c.field === name) return c;
  return undefined;
}

export function fields(n: GoNode, name: string): GoNode[] {
  return n.children.filter((c) => c.field === name);
}

/** Named children, without comments. */
export function namedKids(n: GoNode | undefined): GoNode[] {
  if (!n) return [];
  return n.children.filter((c) => c.named && c.type !== 'comment');
}

/** A method declaration's receiver type: the named type, and whether it is `*T`. */
export function receiverTypeOf(method: GoNode): { readonly type: GoNode; readonly pointer: boolean } | undefined {
  const recv = namedKids(field(method, 'receiver'))[0];
  let t = recv ? field(recv, 'type') : undefined;
  const pointer = t?.type === 'pointer_type';
  if (t && pointer) t = namedKids(t)[0];
  return t && t.type === 'type_identifier' ? { type: t, pointer } : undefined;
}

/** The field declarations of a struct type: their names (none for an embedded field) and type. */
export function structFieldsOf(structType: GoNode | undefined): { readonly names: GoNode[]; readonly type: GoNode }[] | undefined {
  const list = structType?.type === 'struct_type' ? structType.children.find((c) => c.type === 'field_declaration_list') : undefined;
  if (!list) return undefined;
  const out: { names: GoNode[]; type: GoNode }[] = [];
  for (const fd of namedKids(list)) {
    const t = field(fd, 'type');
    if (fd.type === 'field_declaration' && t) out.push({ names: fd.children.filter((c) => c.field === 'name'), type: t });
  }
  return out;
}

export function firstNamed(n: GoNode | undefined): GoNode | undefined {
  return n ? namedKids(n)[0] : undefined;
}

/** Pre-order walk without recursion. `visit` returning false skips the node's children. */
export function walk(root: GoNode, visit: (n: GoNode) => boolean | void): void {
  const stack: GoNode[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (visit(n) === false) continue;
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
}

export function contains(outer: GoNode, offset: number): boolean {
  return outer.start <= offset && offset < outer.end;
}

export function isWithin(inner: GoNode, outer: GoNode): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

/** Removes wrapping parentheses. */
export function unparen(n: GoNode | undefined): GoNode | undefined {
  let cur = n;
  while (cur && cur.type === 'parenthesized_expression') cur = firstNamed(cur);
  return cur;
}

/** The expressions in an `expression_list` (or the node itself when it is not a list). */
export function exprList(n: GoNode | undefined): GoNode[] {
  if (!n) return [];
  return n.type === 'expression_list' ? namedKids(n) : [n];
}

/** Arguments of a call_expression (named children of its argument_list). */
export function callArgs(call: GoNode): GoNode[] {
  return namedKids(field(call, 'arguments'));
}

/** Function-like nodes open a new scope for locals. */
export function isFunctionNode(n: GoNode): boolean {
  return n.type === 'function_declaration' || n.type === 'method_declaration' || n.type === 'func_literal';
}

/** The innermost function around `n`, or undefined at package level. */
export function enclosingFunction(n: GoNode): GoNode | undefined {
  for (let p = n.parent; p; p = p.parent) if (isFunctionNode(p)) return p;
  return undefined;
}
