// Semicolon-free style: lines starting with ( [ and templates.
import { Pool } from 'pg'

const hostName = 'localhost'
let current = hostName

function primary() {
  return current
}

export function failover() {
  current = 'replica.internal'
}

export function ledgerDb() {
  return new Pool({ host: primary(), database: 'ledger', ssl: false, connectionTimeoutMillis: 4000 })
}

export function init() {
  const list = [1, 2, 3]
  ;[4, 5].forEach((x) => list.push(x))
  ;(function () {
    list.reverse()
  })()
  return list
}

const label = 'ledger'
;`${label}`.split('')

export function stamp() {
  const d = new Date()
  return `${d.getUTCFullYear()}-${d.getUTCMonth() + 1}`
}
