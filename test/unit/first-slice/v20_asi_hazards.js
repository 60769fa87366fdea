// v20: no semicolons, ASI hazards: lines starting with `(`, `[`, template literals and `/`,
// `return` followed by a line break, postfix ++ on its own line.
const { Pool } = require('pg')

let counter = 0
const names = ['a', 'b']

function target() {
  const host = 'db.internal'
  ;[1, 2].forEach((n) => { counter += n })
  return {
    host,
    database: 'queue',
  }
}

function nothing() {
  return
  ({ host: 'never.internal' })
}

function bump() {
  counter
  ++counter
  const x = counter
  / 2 / 1
  return x
}

const pool = new Pool(Object.assign({ ssl: false }, target()))
const other = new Pool({ ...nothing(), max: 2 })

module.exports = { pool, other, bump, names }
