// v05: option builders reached through `.bind`, `.call`, `.apply`, and a function stored in an
// object of strategies.
import mysql from 'mysql2/promise';

function build(this: { zone: string } | void, host: string, port: number) {
  return { host, port, database: 'shop', waitForConnections: true };
}

const bound = build.bind({ zone: 'a' }, 'db-a.internal');

function viaCall() {
  return build.call({ zone: 'b' }, 'db-b.internal', 3306);
}

function viaApply(args: [string, number]) {
  return build.apply(undefined, args);
}

const strategies = {
  local: () => ({ host: 'localhost', port: 3306 }),
  remote: () => ({ host: 'db.example.net', port: 3306 }),
};

function chosen(name: keyof typeof strategies) {
  return strategies[name]();
}

export const primary = mysql.createPool({ ...viaCall(), ssl: { rejectUnauthorized: false } });
export const secondary = mysql.createPool(bound(3307));
export const third = mysql.createPool(viaApply(['db-c.internal', 3306]));
export const fourth = mysql.createPool(chosen('remote'));

export function percent(part: number, whole: number): string {
  return `${((part / whole) * 100).toFixed(1)}%`;
}
