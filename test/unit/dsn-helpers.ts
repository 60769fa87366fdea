/**
 * Helpers for the DSN parser tests: build an exact SrcString at a base offset and find the source
 * range of a substring, so assertions state ranges by text rather than by hard-coded numbers.
 */
import * as assert from 'node:assert/strict';
import { Range } from '../../server/src/engine/model';
import { SrcString } from '../../server/src/engine/srcstring';
import { DsnPart, ParsedDsn } from '../../server/src/engine/dsn/types';

export const BASE = 10;

export function exact(text: string, base = BASE): SrcString {
  return SrcString.exact(text, base);
}

/** Source range of the `nth` occurrence of `sub` in `text` placed at `base`. */
export function rangeOf(text: string, sub: string, base = BASE, nth = 0): Range {
  let i = -1;
  for (let k = 0; k <= nth; k++) {
    i = text.indexOf(sub, i + 1);
    assert.ok(i >= 0, `"${sub}" not found in test text`);
  }
  return { start: base + i, end: base + i + sub.length };
}

/** Asserts a part's value and that its range is exactly `sub` in the source. */
export function assertPart(text: string, part: DsnPart | undefined, value: string | undefined, sub: string, nth = 0): void {
  assert.ok(part, `missing part for ${sub}`);
  assert.equal(part.value, value);
  assert.deepEqual(part.range, rangeOf(text, sub, BASE, nth));
}

export function paramValue(d: ParsedDsn, norm: string): string | undefined {
  return d.params.find((p) => p.norm === norm)?.value;
}
