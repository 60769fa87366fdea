/**
 * Source-mapped decoding of TS/JS string and template literals.
 *
 * Every decoded character keeps the source span that produced it (SrcString.fromPieces), so a
 * DSN parameter found inside `'postgres://…?sslmode=require'` or a template literal points at its
 * exact characters in the file. Ranges are UTF-16 offsets, the unit TS node positions use.
 *
 * Half-typed literals (unterminated strings, templates) are still decoded; when our decoding does
 * not reproduce the compiler's cooked text (an unusual escape), the literal falls back to an
 * approximate mapping onto the whole literal rather than a wrong exact one.
 */
import * as ts from 'typescript';
import { tsApi } from './api';
import { Range } from '../../model';
import { SrcString } from '../../srcstring';

type Piece = readonly [string, number, number];

export function nodeRange(node: ts.Node, sf: ts.SourceFile): Range {
  return { start: node.getStart(sf), end: node.getEnd() };
}

/** Decodes `text[start, end)` (a literal body) into pieces, one per source char or escape. */
function decodeBody(text: string, start: number, end: number, template: boolean): Piece[] {
  const pieces: Piece[] = [];
  let i = start;
  while (i < end) {
    const c = text[i];
    if (c !== '\\') {
      if (template && c === '\r') {
        // Template cooked values normalise CRLF and CR to LF.
        const len = text[i + 1] === '\n' && i + 1 < end ? 2 : 1;
        pieces.push(['\n', i, i + len]);
        i += len;
      } else {
        pieces.push([c, i, i + 1]);
        i++;
      }
      continue;
    }
    const n = text[i + 1];
    if (i + 1 >= end || n === undefined) {
      pieces.push(['\\', i, i + 1]);
      i++;
      continue;
    }
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v' };
    if (n in simple) {
      pieces.push([simple[n], i, i + 2]);
      i += 2;
    } else if (n === '0' && !/[0-9]/.test(text[i + 2] ?? '')) {
      pieces.push(['\0', i, i + 2]);
      i += 2;
    } else if (n === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 2, i + 4))) {
      pieces.push([String.fromCharCode(parseInt(text.slice(i + 2, i + 4), 16)), i, i + 4]);
      i += 4;
    } else if (n === 'u' && text[i + 2] === '{') {
      const close = text.indexOf('}', i + 3);
      const hex = close > 0 && close < end ? text.slice(i + 3, close) : '';
      const cp = /^[0-9a-fA-F]{1,6}$/.test(hex) ? parseInt(hex, 16) : NaN;
      if (!Number.isNaN(cp) && cp <= 0x10ffff) {
        pieces.push([String.fromCodePoint(cp), i, close + 1]);
        i = close + 1;
      } else {
        pieces.push(['u', i, i + 2]);
        i += 2;
      }
    } else if (n === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
      pieces.push([String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16)), i, i + 6]);
      i += 6;
    } else if (n === '\r') {
      // Line continuation: contributes nothing.
      const len = text[i + 2] === '\n' ? 3 : 2;
      pieces.push(['', i, i + len]);
      i += len;
    } else if (n === '\n' || n === '\u2028' || n === '\u2029') {
      pieces.push(['', i, i + 2]);
      i += 2;
    } else {
      // `\'`, `\"`, `` \` ``, `\\`, `\$` and identity escapes: the char itself.
      pieces.push([n, i, i + 2]);
      i += 2;
    }
  }
  return pieces;
}

function fromBody(text: string, start: number, end: number, cooked: string | undefined, template: boolean, whole: Range): SrcString {
  end = Math.max(start, end);
  const body = text.slice(start, end);
  // Most literals have no escape (and templates no CR to normalise): they map 1:1. (An empty
  // body keeps fromPieces' segment-less string.)
  const plain = body.length > 0 && !body.includes('\\') && !(template && body.includes('\r'));
  const s = plain ? SrcString.exact(body, start) : SrcString.fromPieces(decodeBody(text, start, end, template));
  if (cooked !== undefined && s.text !== cooked) return SrcString.approximate(cooked, whole);
  return s;
}

/** A string literal or a template literal without substitutions. */
export function literalString(node: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral, sf: ts.SourceFile): SrcString {
  const text = sf.text;
  const start = node.getStart(sf);
  const end = node.getEnd();
  const quote = text[start];
  // An unterminated literal (half-typed code) has no closing quote.
  const closed = end - start >= 2 && text[end - 1] === quote && text[end - 2] !== '\\';
  return fromBody(text, start + 1, closed ? end - 1 : end, node.text, tsApi.isNoSubstitutionTemplateLiteral(node), { start, end });
}

/**
 * The literal text of one template part: head `` `abc${ ``, middle `}abc${`, tail `` }abc` ``.
 * Returns the decoded text and the source span of its body.
 */
export function templatePart(node: ts.TemplateHead | ts.TemplateMiddle | ts.TemplateTail, sf: ts.SourceFile): SrcString {
  const text = sf.text;
  const start = node.getStart(sf);
  const end = node.getEnd();
  let bodyEnd = end;
  if (tsApi.isTemplateTail(node)) {
    if (text[end - 1] === '`') bodyEnd = end - 1;
  } else if (text.slice(end - 2, end) === '${') {
    bodyEnd = end - 2;
  }
  return fromBody(text, start + 1, bodyEnd, node.text, true, { start, end });
}

/** The source range of the `${…}` around template span `i` of `tpl`. */
export function holeRange(tpl: ts.TemplateExpression, i: number, sf: ts.SourceFile): Range {
  const before = i === 0 ? tpl.head : tpl.templateSpans[i - 1].literal;
  const after = tpl.templateSpans[i].literal;
  const start = Math.max(before.getEnd() - 2, before.getStart(sf));
  const afterStart = after.getStart(sf);
  const end = sf.text[afterStart] === '}' ? afterStart + 1 : Math.max(afterStart, tpl.templateSpans[i].expression.getEnd());
  return { start, end };
}
