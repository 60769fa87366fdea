/** Shared assertions for the test-connection integration tests. */
import * as assert from 'node:assert/strict';
import { renderText } from '../../server/src/probe/report';
import { ProbeReport, ProbeStep, StepId } from '../../server/src/probe/types';

/** The report's step `id`; fails with the whole rendered report when it is missing. */
export function step(r: ProbeReport, id: StepId): ProbeStep {
  const s = r.steps.find((x) => x.id === id);
  assert.ok(s, `no ${id} step in:\n${renderText(r)}`);
  return s;
}
