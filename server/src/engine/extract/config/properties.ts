/**
 * Java-style `.properties` files (Spring `application.properties`, Quarkus, Kafka…), following
 * `java.util.Properties.load`: logical lines joined by an odd number of trailing backslashes
 * (the next line's leading blanks dropped), `#`/`!` comment lines, the key ending at the first
 * unescaped `=`, `:` or blank, and `\t \n \r \f \uXXXX` escapes. Spring's `${VAR}` placeholders
 * become holes.
 */
import { SrcString } from '../../srcstring';
import { EntrySink, withHoles } from './sink';

type Piece = readonly [string, number, number];

const ESCAPES: Readonly<Record<string, string>> = { t: '\t', n: '\n', r: '\r', f: '\f' };

function isBlank(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\f';
}

function isEol(c: string | undefined): boolean {
  return c === '\n' || c === '\r';
}

export function parseProperties(text: string, sink: EntrySink): void {
  const n = text.length;
  let pos = 0;
  while (pos < n) {
    while (pos < n && (isBlank(text[pos]) || isEol(text[pos]))) pos++;
    if (pos >= n) break;
    if (text[pos] === '#' || text[pos] === '!') {
      while (pos < n && !isEol(text[pos])) pos++;
      continue;
    }
    pos = readEntry(text, pos, sink);
  }
}

/**
 * Reads one logical line starting at `start` (a non-blank, non-comment character); returns the
 * offset after it. Characters are decoded into pieces so each keeps its source range.
 */
function readEntry(text: string, start: number, sink: EntrySink): number {
  const n = text.length;
  const key: Piece[] = [];
  const value: Piece[] = [];
  let inKey = true;
  let afterSeparator = false; // blanks and at most one `=`/`:` between key and value are skipped
  let sawSeparatorChar = false;
  let i = start;
  while (i < n && !isEol(text[i])) {
    const c = text[i];
    if (c === '\\') {
      // Line continuation: a backslash right before the end of line.
      if (i + 1 >= n || isEol(text[i + 1])) {
        i++;
        if (text[i] === '\r' && text[i + 1] === '\n') i += 2;
        else i++;
        while (i < n && isBlank(text[i])) i++;
        continue;
      }
      const d = text[i + 1];
      let piece: Piece;
      if (d === 'u') {
        const code = Number.parseInt(text.slice(i + 2, i + 6), 16);
        piece = Number.isFinite(code) ? [String.fromCharCode(code), i, i + 6] : ['u', i, i + 2];
      } else piece = [ESCAPES[d] ?? d, i, i + 2];
      (inKey ? key : value).push(piece);
      afterSeparator = false;
      i = piece[2];
      continue;
    }
    if (inKey) {
      if (c === '=' || c === ':' || isBlank(c)) {
        inKey = false;
        afterSeparator = true;
        sawSeparatorChar = c === '=' || c === ':';
        i++;
        continue;
      }
      key.push([c, i, i + 1]);
      i++;
      continue;
    }
    if (afterSeparator) {
      if (isBlank(c)) {
        i++;
        continue;
      }
      if ((c === '=' || c === ':') && !sawSeparatorChar) {
        sawSeparatorChar = true;
        i++;
        continue;
      }
      afterSeparator = false;
    }
    value.push([c, i, i + 1]);
    i++;
  }
  const keyText = SrcString.fromPieces(key).text;
  // Trailing blanks are part of a .properties value; they are not part of a DSN or password.
  while (value.length > 0 && isBlank(value[value.length - 1][0])) value.pop();
  const v = SrcString.fromPieces(value);
  const range = value.length > 0 ? { start: value[0][1], end: value[value.length - 1][2] } : { start: i, end: i };
  if (keyText !== '') sink.add({ key: keyText, path: [], value: withHoles(v, false), range, scalar: 'string', context: `properties key ${keyText}` });
  return i;
}
