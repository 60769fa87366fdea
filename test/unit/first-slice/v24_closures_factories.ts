// v24: closures — a factory returns a function that builds options from captured values; a
// memoising wrapper; a curried builder.
import { Pool } from 'pg';

function memo<T>(fn: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = fn();
      done = true;
    }
    return value;
  };
}

function makeBuilder(host: string, database: string) {
  return (max: number) => ({ host, database, max });
}

const build = makeBuilder('db.internal', 'search');

const defaults = memo(() => ({ host: 'db.internal', database: 'search', max: 4 }));

function curried(host: string) {
  return function (database: string) {
    return { host, database };
  };
}

export const a = new Pool({ ...build(10), ssl: false });
export const b = new Pool(defaults());
export const c = new Pool(curried('db.internal')('search'));

export function debounce(fn: () => void, ms: number) {
  let t: NodeJS.Timeout | undefined;
  return () => {
    if (t) clearTimeout(t);
    t = setTimeout(fn, ms);
  };
}
