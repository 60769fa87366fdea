// v19: class members named get/set/static/async/declare, and those words followed by a line break
// (TypeScript reads `static`/`get` + newline + name as a modifier, `async` + newline as a field).
import { Pool } from 'pg';

class Cache {
  private data = new Map<string, string>();

  get(key: string) {
    return this.data.get(key);
  }

  set(key: string, value: string) {
    this.data.set(key, value);
  }

  static
  empty() {
    return new Cache();
  }

  get
  size() {
    return this.data.size;
  }

  async
  flush() {
    this.data.clear();
  }

  declare() {
    return 'declared';
  }
}

function where() {
  return { host: 'cache-db.internal', database: 'cache' };
}

export const cache = Cache.empty();
export const pool = new Pool({ ...where(), ssl: false });
