// Differs: findings (tls-disabled, connect-timeout-missing only in the sliced analysis) and the
// profile (options obj vs call this.settings()). The evaluator follows `this.settings()` into the
// concise arrow `settings = () => ({…})` only when no `x.settings = …` exists anywhere in the file
// (evaluate.ts calleeFunction → assignedMember). The assignment sits in `override`, a body with no
// trigger token; the arrow has no block body, so it is no unit, the planner never reaches
// `override` as a "caller" of it (Reach.callersOf runs only for kept units) and leaves it out.
import { Pool } from 'pg';

export class Store {
  settings = () => ({ host: 'db.internal', ssl: false });

  open() {
    return new Pool(this.settings());
  }
}

export function override(target: any, next: () => object) {
  target.settings = next;
}
