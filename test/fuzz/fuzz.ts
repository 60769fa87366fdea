/**
 * The long fuzz run: `npm run fuzz [-- --iterations N] [--seed S] [--target NAME]`.
 * Runs the property-based targets of test/fuzz/targets.ts (≥ 1,000,000 cases by default, split
 * over the targets by weight), prints per-target case counts, time and failures (seed, fast-check
 * path and shrunk counterexample, so `--seed S --target NAME` reproduces it) and exits non-zero
 * on any failure.
 */
import { initEngine } from '../../server/src/engine/scan';
import { plan, runTarget, TARGETS, TargetResult } from './targets';

const DEFAULT_ITERATIONS = 1_000_000;

function args(argv: readonly string[]): { iterations: number; seed: number; target?: string } {
  let iterations = DEFAULT_ITERATIONS;
  let seed = Date.now() % 2_147_483_647;
  let target: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) usage(`${a} needs a value`);
      return v;
    };
    if (a === '--iterations') iterations = Number(next());
    else if (a === '--seed') seed = Number(next());
    else if (a === '--target') target = next();
    else if (a === '--help' || a === '-h') usage();
    else usage(`unknown option ${a}`);
  }
  if (!Number.isInteger(iterations) || iterations < 1) usage('--iterations must be a positive integer');
  if (!Number.isInteger(seed)) usage('--seed must be an integer');
  if (target !== undefined && !TARGETS.some((t) => t.name === target)) usage(`unknown target ${target}`);
  return { iterations, seed, target };
}

function usage(problem?: string): never {
  if (problem) console.error(`fuzz: ${problem}`);
  console.error('usage: node out/test/fuzz/fuzz.js [--iterations N] [--seed S] [--target NAME]');
  console.error(`targets:\n${TARGETS.map((t) => `  ${t.name.padEnd(15)} ${t.description}`).join('\n')}`);
  process.exit(problem ? 2 : 0);
}

async function main(): Promise<void> {
  const { iterations, seed, target } = args(process.argv.slice(2));
  await initEngine();
  const targets = TARGETS.filter((t) => target === undefined || t.name === target);
  const counts = plan(targets, iterations);
  console.log(`fuzz: seed ${seed}, ${iterations} cases over ${targets.length} target(s)`);
  const results: TargetResult[] = [];
  for (const t of targets) {
    const r = runTarget(t, counts.get(t)!, seed);
    results.push(r);
    const line = `${r.name.padEnd(15)} ${String(r.cases).padStart(9)} cases ${(r.ms / 1000).toFixed(1).padStart(7)} s  ${r.failure ? 'FAILED' : 'ok'}`;
    console.log(line);
    if (r.failure) {
      console.log(`  reproduce: node out/test/fuzz/fuzz.js --target ${r.name} --seed ${r.failure.seed} --iterations ${counts.get(t)}`);
      console.log(`  fast-check path: ${r.failure.path ?? '-'} (${r.failure.shrinks} shrinks)`);
      console.log(`  error: ${r.failure.error.split('\n').join('\n         ')}`);
      console.log(`  counterexample: ${JSON.stringify(r.failure.counterexample)}`);
    }
  }
  const total = results.reduce((a, r) => a + r.cases, 0);
  const ms = results.reduce((a, r) => a + r.ms, 0);
  const failed = results.filter((r) => r.failure);
  console.log(`fuzz: ${total} cases in ${(ms / 1000).toFixed(1)} s, ${failed.length} target(s) failed`);
  console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
  process.exitCode = failed.length > 0 ? 1 : 0;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
