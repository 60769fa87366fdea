/**
 * Short fixed-seed pass of the property-based fuzz targets (test/fuzz/targets.ts) for `npm test`:
 * a few thousand cases over every target. The long run is `npm run fuzz` (≥ 1,000,000 cases).
 * A failure prints the seed, fast-check path and shrunk counterexample.
 */
import * as assert from 'node:assert/strict';
import { initEngine } from '../../server/src/engine/scan';
import { runTarget, TARGETS } from '../fuzz/targets';

const SEED = 20240917;
const CASES: Readonly<Record<string, number>> = {
  'dsn-random': 1500,
  'dsn-mutated': 1500,
  'dsn-holes': 800,
  'extract-go': 250,
  'extract-ts': 120,
  'extract-config': 500,
  'deep-nesting': 25,
  analyze: 300,
};

describe('fuzz (short fixed-seed pass)', function () {
  this.timeout(60_000);
  before(() => initEngine());

  it('covers every target', () => {
    assert.deepEqual(TARGETS.map((t) => t.name).sort(), Object.keys(CASES).sort());
  });

  for (const t of TARGETS) {
    it(`${t.name}: ${t.description}`, () => {
      const r = runTarget(t, CASES[t.name] ?? 100, SEED);
      if (r.failure) {
        assert.fail(
          `${t.name} failed after ${r.cases} cases (seed ${r.failure.seed}, path ${r.failure.path}):\n${r.failure.error}\ncounterexample: ${JSON.stringify(r.failure.counterexample)}`,
        );
      }
      assert.equal(r.cases, CASES[t.name]);
    });
  }
});
