// Differs: profile host ("db-primary.internal" in full, "host not known statically" sliced) and the
// tls-disabled message. `quota.default / 2, host: primaryHost(), // … / …`: after a reserved word
// used as a property name (`.default`, also `.new`, `.delete`, `.in`…) endsExpression
// (ts/outline.ts) says the expression has not ended, so the slice lexer reads `/ 2, host:
// primaryHost(), /` as a regular expression. `open`'s mentions lose `primaryHost`; the outline is
// unchanged, so sameSliceOutline accepts the plan and primaryHost's body is left out.
import { Pool } from 'pg';

const quota = { default: 40 };

function primaryHost() {
  return 'db-primary.internal';
}

export function open() {
  return new Pool({
    max: quota.default / 2, host: primaryHost(), // half / primary
  });
}
