// v04: getter/setter pairs, `accessor` and `declare` fields, a private field read by a getter;
// the URL is built in a getter body without trigger tokens.
import postgres from 'postgres';

class Target {
  declare readonly kind: 'primary' | 'replica';
  accessor retries = 2;
  #host = 'db.internal';
  #port = 5432;

  get host(): string {
    return this.#host;
  }

  set host(value: string) {
    if (!value) throw new Error('empty host');
    this.#host = value.trim();
  }

  get port() {
    return this.#port;
  }
  set port(p: number) {
    this.#port = p;
  }

  get location(): string {
    return `${this.#host}:${this.#port}`;
  }
}

const target = new Target();
target.host = process.env.PGHOST_OVERRIDE ?? 'db.internal';

function databaseName(): string {
  return process.env.DB_NAME ?? 'billing';
}

export const sql = postgres(`postgres://app@${target.location}/${databaseName()}?sslmode=disable`);

export function shape(rows: { id: number; total: number }[]) {
  return rows.map((r) => ({ id: r.id, total: r.total / 100 }));
}
