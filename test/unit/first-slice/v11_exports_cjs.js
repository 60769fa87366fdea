// v11: CommonJS service module — `exports.x = function`, `module.exports = {…}` with methods,
// helpers named like the exported members.
'use strict';
const { Pool } = require('pg');

function settings() {
  return { host: process.env.DB_HOST || 'db.internal', database: 'jobs', max: 8 };
}

function retryDelay(attempt) {
  return Math.min(1000 * 2 ** attempt, 30000);
}

const queue = new Pool(Object.assign(settings(), { ssl: false }));

async function enqueue(kind, payload) {
  const r = await queue.query('insert into jobs(kind, payload) values ($1, $2) returning id', [kind, payload]);
  return r.rows[0].id;
}

exports.enqueue = enqueue;
exports.retryDelay = function (attempt) {
  return retryDelay(attempt) + Math.floor(Math.random() * 100);
};
exports.describe = function () {
  const s = settings();
  return s.host + '/' + s.database;
};

module.exports.helpers = {
  shorten(text, n) {
    return text.length > n ? text.slice(0, n - 1) + '…' : text;
  },
  slug: (text) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
};
