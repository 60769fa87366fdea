// v29: mixins — `class X extends Timestamped(Base)`, a mixin function returning a class
// expression inside a body (never left out: a class in a body), options from a base method.
import { Pool } from 'pg';

type Ctor<T = object> = new (...args: any[]) => T;

function Timestamped<B extends Ctor>(Base: B) {
  return class extends Base {
    created = Date.now();
  };
}

class BaseStore {
  options() {
    return { host: 'db.internal', database: 'mixins', max: 3 };
  }
}

class Store extends Timestamped(BaseStore) {
  open() {
    return new Pool({ ...this.options(), ssl: false });
  }
}

export function age(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.round(s / 60)}m`;
}

export const store = new Store();
export const handle = store.open();
