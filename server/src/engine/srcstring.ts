/**
 * SrcString: a string value the extractor resolved, with a map from each character back to the
 * source text. Connection strings are parsed from SrcStrings so that every parameter keeps its
 * exact source range, even when the string was built by concatenation, `fmt.Sprintf` or a
 * template literal.
 *
 * Unknown parts (a `%s` hole, a `${expr}` whose value is not known in this file) are represented
 * by the single character HOLE. Parsers treat a value that contains HOLE as unknown — never
 * guessed — and a key that contains HOLE as an unknown key.
 */
import { Range } from './model';

/** Private-use character standing for one unknown span of text. */
export const HOLE = '\uE000';

/**
 * A segment maps `text[textStart, textStart+length)` to source. When `exact`, character i of the
 * segment is at source offset `srcStart + i` (a literal without escapes). Otherwise every
 * character maps to the whole segment source span `[srcStart, srcEnd)` (escape sequences,
 * holes, values that came through a constant).
 */
interface Segment {
  readonly textStart: number;
  readonly length: number;
  readonly srcStart: number;
  readonly srcEnd: number;
  readonly exact: boolean;
}

export class SrcString {
  private constructor(
    readonly text: string,
    private readonly segments: readonly Segment[],
  ) {}

  /** The text of a source literal body that contains no escapes: char i ↔ offset start + i. */
  static exact(text: string, srcStart: number): SrcString {
    return new SrcString(text, [{ textStart: 0, length: text.length, srcStart, srcEnd: srcStart + text.length, exact: true }]);
  }

  /** Text whose characters cannot be mapped one by one (decoded escapes): all map to `src`. */
  static approximate(text: string, src: Range): SrcString {
    return new SrcString(text, [{ textStart: 0, length: text.length, srcStart: src.start, srcEnd: src.end, exact: false }]);
  }

  /** An unknown part of a string (a `%s`, a `${x}`), standing at `src` in the source. */
  static hole(src: Range): SrcString {
    return SrcString.approximate(HOLE, src);
  }

  /**
   * Decodes a literal body char by char: `pieces` are [decodedText, srcStart, srcEnd] for each
   * source unit (one char, or one escape sequence). Consecutive 1:1 pieces merge into exact
   * segments so ranges stay precise.
   */
  static fromPieces(pieces: ReadonlyArray<readonly [string, number, number]>): SrcString {
    // Hot (every decoded literal): one mutable run per segment, text joined once.
    const parts: string[] = [];
    const segs: Segment[] = [];
    let length = 0;
    let run: { textStart: number; length: number; srcStart: number; srcEnd: number; exact: boolean } | undefined;
    for (const [t, s, e] of pieces) {
      const exact = t.length === e - s;
      if (exact && run && run.exact && run.srcEnd === s) {
        run.length += t.length;
        run.srcEnd = e;
      } else if (t.length > 0) {
        if (run) segs.push(run);
        run = { textStart: length, length: t.length, srcStart: s, srcEnd: e, exact };
      }
      parts.push(t);
      length += t.length;
    }
    if (run) segs.push(run);
    return new SrcString(parts.join(''), segs);
  }

  static concat(parts: readonly SrcString[]): SrcString {
    let text = '';
    const segs: Segment[] = [];
    for (const p of parts) {
      for (const s of p.segments) segs.push({ ...s, textStart: s.textStart + text.length });
      text += p.text;
    }
    return new SrcString(text, segs);
  }

  get length(): number {
    return this.text.length;
  }

  /** True when no part of the text is unknown. */
  get complete(): boolean {
    return !this.text.includes(HOLE);
  }

  /** The source range that produced `text[start, end)`. An empty slice maps to an insertion point. */
  rangeOf(start: number, end: number): Range {
    if (this.segments.length === 0) return { start: 0, end: 0 };
    if (end <= start) {
      const p = this.offsetAt(start, start > 0);
      return { start: p, end: p };
    }
    const a = this.locate(start);
    const b = this.locate(end - 1);
    const s = a.exact ? a.srcStart + (start - a.textStart) : a.srcStart;
    const e = b.exact ? b.srcStart + (end - 1 - b.textStart) + 1 : b.srcEnd;
    return { start: Math.min(s, e), end: Math.max(s, e) };
  }

  /** Whether `text[start, end)` maps 1:1 onto source, so that replacing its range is exact. */
  isExact(start: number, end: number): boolean {
    if (end <= start) return this.segments.length > 0;
    const a = this.locate(start);
    const b = this.locate(end - 1);
    return a === b && a.exact;
  }

  /** Source offset just after text[i-1] (after=true) or at text[i]. */
  private offsetAt(i: number, after: boolean): number {
    if (after) {
      const seg = this.locate(i - 1);
      return seg.exact ? seg.srcStart + (i - 1 - seg.textStart) + 1 : seg.srcEnd;
    }
    const seg = this.locate(Math.min(i, this.text.length - 1));
    return seg.exact ? seg.srcStart + (i - seg.textStart) : seg.srcStart;
  }

  private locate(i: number): Segment {
    const segs = this.segments;
    let lo = 0;
    let hi = segs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (segs[mid].textStart <= i) lo = mid;
      else hi = mid - 1;
    }
    return segs[lo];
  }

  slice(start: number, end: number = this.text.length): SrcString {
    const segs: Segment[] = [];
    for (const s of this.segments) {
      const a = Math.max(start, s.textStart);
      const b = Math.min(end, s.textStart + s.length);
      if (a >= b) continue;
      if (s.exact) {
        segs.push({ textStart: a - start, length: b - a, srcStart: s.srcStart + (a - s.textStart), srcEnd: s.srcStart + (b - s.textStart), exact: true });
      } else {
        segs.push({ textStart: a - start, length: b - a, srcStart: s.srcStart, srcEnd: s.srcEnd, exact: false });
      }
    }
    return new SrcString(this.text.slice(start, end), segs);
  }

  /** The source range of the whole string. */
  get sourceRange(): Range {
    return this.rangeOf(0, this.text.length);
  }
}
