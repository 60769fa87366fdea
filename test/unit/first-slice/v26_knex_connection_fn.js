// v26: knex with `connection` as a function (called per connection) and as a named helper; the
// helpers read env values without trigger tokens in their bodies.
const knex = require('knex');

function readHost() {
  return process.env.DB_HOST || 'db.internal';
}

function endpoint() {
  return { host: readHost(), port: 5432, database: 'reports', user: 'reports' };
}

async function perUse() {
  const e = endpoint();
  return { ...e, ssl: { rejectUnauthorized: false } };
}

const reporting = knex({
  client: 'pg',
  connection: perUse,
  pool: { min: 0, max: 4 },
});

const archive = knex({ client: 'pg', connection: endpoint() });

function page(q, n) {
  return q.limit(50).offset(n * 50);
}

module.exports = { reporting, archive, page };
