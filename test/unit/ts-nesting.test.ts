/** The TS extractor's nesting guard keeps offsets and shallow code, and blanks only deep brackets. */
import { strict as assert } from 'node:assert';
import { maskDeepNesting } from '../../server/src/engine/extract/ts/nesting';

describe('ts nesting guard', () => {
  it('leaves text within the limit untouched', () => {
    const t = 'const a = [[1, 2], { b: (3) }];';
    assert.deepEqual(maskDeepNesting(t, 3), { text: t, masked: false });
  });

  it('blanks contents deeper than the limit, keeping length and newlines', () => {
    const t = 'a([[[x,\n[y]]]]); b';
    const m = maskDeepNesting(t, 2);
    assert.equal(m.masked, true);
    assert.equal(m.text.length, t.length);
    assert.equal(m.text, 'a([    \n     ]); b');
  });

  it('does not count brackets inside strings and comments', () => {
    const t = "f('(((((', \"[[[[\", /* {{{{ */ 1) // ((((\n";
    assert.equal(maskDeepNesting(t, 1).masked, false);
  });
});
