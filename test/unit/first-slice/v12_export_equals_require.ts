/// <reference types="node" />
// v12: `import x = require()`, `export =`, triple-slash directive; the options helper is a plain
// function; the exported object's methods make the pool.
import sql = require('mssql');
import path = require('node:path');

function target(file: string) {
  const name = path.basename(file, '.json');
  return { server: `${name}.corp.example`, database: name, port: 1433 };
}

function timeouts() {
  return { requestTimeout: 15_000 };
}

const shared = { options: { encrypt: false, trustServerCertificate: true } };

export = {
  async open(file: string) {
    const t = target(file);
    return new sql.ConnectionPool({ ...t, ...timeouts(), user: 'app', password: process.env.MSSQL_PASSWORD ?? '', ...shared });
  },
  label(file: string): string {
    return path.basename(file);
  },
};
