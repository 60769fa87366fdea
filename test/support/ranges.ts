/** Source ranges in test code, by the text they cover. */
import { strict as assert } from 'node:assert';
import { Range } from '../../server/src/engine/model';

/** Range of the `nth` occurrence of `sub` in `code`. */
export function at(code: string, sub: string, nth = 0): Range {
  let i = -1;
  for (let k = 0; k <= nth; k++) {
    i = code.indexOf(sub, i + 1);
    assert.ok(i >= 0, `substring not found: ${sub}`);
  }
  return { start: i, end: i + sub.length };
}
