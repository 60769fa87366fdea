// v18: arrow functions returning object literals `() => ({…})`, nested arrows, an object of
// arrow builders, and a block arrow calling them.
import mysql from 'mysql2';

const base = () => ({ host: 'mysql.internal', port: 3306 });
const withDb = (name: string) => ({ ...base(), database: name });
const limits = (n: number) => () => ({ connectionLimit: n, queueLimit: 0 });

const builders = {
  read: () => ({ ...withDb('reports'), ...limits(4)() }),
  write: () => ({ ...withDb('reports'), ...limits(16)() }),
};

const merged = () => {
  const r = builders.read();
  return { ...r, multipleStatements: false };
};

export const reads = mysql.createPool(merged());
export const writes = mysql.createPool({ ...builders.write(), ssl: { rejectUnauthorized: false } });

export const toRow = (id: number, name: string) => ({ id, name, created: new Date() });
export const idsOf = (rows: { id: number }[]) => rows.map((r) => ({ id: r.id }));
