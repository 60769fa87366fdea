// profiles/findings differ: full sees a postgres() site through `const b = a` (tls-disabled, 1 profile); sliced leaves open() out (0 profiles).
import postgres from 'postgres';
const a = postgres;
const b = a;
export function open() { return b({ host: 'db.internal' }); }
