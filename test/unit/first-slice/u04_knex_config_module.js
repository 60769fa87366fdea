// knex config module (CommonJS): module.exports with object-literal methods and a connection function.
const knex = require('knex');

function resolveHost() {
  return process.env.REPORTS_HOST || 'localhost';
}

function defaults() {
  return { port: 5432, database: 'reports' };
}

const settings = {
  pool: { min: 0, max: 5 },
  connection() {
    return { ...defaults(), host: resolveHost(), user: 'reports', ssl: false };
  },
};

function buildDb() {
  return knex({ client: 'pg', connection: settings.connection(), pool: settings.pool, acquireConnectionTimeout: 5000 });
}

function groupBy(rows, key) {
  const out = {};
  for (const r of rows) {
    const k = r[key];
    (out[k] = out[k] || []).push(r);
  }
  return out;
}

function percent(a, b) {
  if (!b) return 0;
  return Math.round((a / b) * 1000) / 10;
}

module.exports = {
  buildDb,
  groupBy,
  percent,
  stats(rows) {
    return { count: rows.length, groups: Object.keys(groupBy(rows, 'kind')).length };
  },
};
