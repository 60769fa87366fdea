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
import type { Tree } from 'web-tree-sitter';
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

/** Copies a tree into GoNodes without recursion (the cursor is walked iteratively). */
export function convertTree(tree: Tree): ConvertResult {
  const cursor = tree.walk();
  let truncated = false;
  try {
    const mk = (parent: GoNode | undefined): GoNode => ({
      type: cursor.nodeType,
      named: cursor.nodeIsNamed,
      start: cursor.startIndex,
      end: cursor.endIndex,
      field: cursor.currentFieldName ?? undefined,
      children: [],
      parent,
    });
    const root = mk(undefined);
    const stack: GoNode[] = [root];
    // Depth-first: descend when possible, otherwise next sibling, otherwise climb.
    for (;;) {
      const cur = stack[stack.length - 1];
      if (stack.length < MAX_DEPTH && cursor.gotoFirstChild()) {
        const n = mk(cur);
        cur.children.push(n);
        stack.push(n);
        continue;
      }
      if (stack.length >= MAX_DEPTH && cursor.gotoFirstChild()) {
        truncated = true;
        cursor.gotoParent();
      }
      let advanced = false;
      while (stack.length > 1) {
        if (cursor.gotoNextSibling()) {
          stack.pop();
          const parent = stack[stack.length - 1];
          const n = mk(parent);
          parent.children.push(n);
          stack.push(n);
          advanced = true;
          break;
        }
        cursor.gotoParent();
        stack.pop();
      }
      if (!advanced) break;
    }
    return { root, truncated, hasError: tree.rootNode.hasError };
  } finally {
    cursor.delete();
  }
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
