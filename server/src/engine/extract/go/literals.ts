/**
 * Go string and number literals → values with source maps.
 *
 * Interpreted strings ("…") are decoded escape by escape with SrcString.fromPieces, so every
 * plain character keeps its exact offset and an escape sequence maps to its own span. Raw
 * strings (`…`) map 1:1 (SrcString.exact).
 */
import { SrcString } from '../../srcstring';
import { GoNode } from './ast';

export function isStringLiteral(n: GoNode | undefined): boolean {
  return !!n && (n.type === 'interpreted_string_literal' || n.type === 'raw_string_literal');
}

/** Decodes a Go string literal node. */
export function stringLiteral(n: GoNode, src: string): SrcString {
  if (n.type === 'raw_string_literal') {
    const body = n.children.find((c) => c.type === 'raw_string_literal_content');
    if (!body) return SrcString.exact('', n.start + 1);
    return SrcString.exact(src.slice(body.start, body.end), body.start);
  }
  const pieces: [string, number, number][] = [];
  for (const c of n.children) {
    if (c.type === 'interpreted_string_literal_content') pieces.push([src.slice(c.start, c.end), c.start, c.end]);
    else if (c.type === 'escape_sequence') pieces.push([decodeEscape(src.slice(c.start, c.end)), c.start, c.end]);
  }
  if (pieces.length === 0) return SrcString.exact('', n.start + 1);
  return SrcString.fromPieces(pieces);
}

/** One Go escape sequence (`\n`, `\x41`, `\u00e9`, `\101`…). Bytes above 0x7f are kept as Latin-1. */
export function decodeEscape(esc: string): string {
  const c = esc[1];
  switch (c) {
    case 'n': return '\n';
    case 't': return '\t';
    case 'r': return '\r';
    case 'a': return '\x07';
    case 'b': return '\b';
    case 'f': return '\f';
    case 'v': return '\v';
    case '\\': return '\\';
    case '"': return '"';
    case "'": return "'";
    case 'x': return String.fromCharCode(parseInt(esc.slice(2), 16) || 0);
    case 'u':
    case 'U': {
      const cp = parseInt(esc.slice(2), 16);
      return Number.isFinite(cp) && cp <= 0x10ffff ? String.fromCodePoint(cp) : '\uFFFD';
    }
    default:
      if (c >= '0' && c <= '7') return String.fromCharCode(parseInt(esc.slice(1), 8) & 0xff);
      return esc.slice(1);
  }
}

/** Value of a Go int or float literal (`42`, `0x0303`, `1_000`, `0o17`, `1e3`). */
export function numberLiteral(text: string): number | undefined {
  const t = text.replace(/_/g, '');
  let n: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(t)) n = parseInt(t.slice(2), 16);
  else if (/^0[bB][01]+$/.test(t)) n = parseInt(t.slice(2), 2);
  else if (/^0[oO]?[0-7]+$/.test(t)) n = parseInt(t.replace(/^0[oO]?/, ''), 8);
  else n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}
