/**
 * TS/JS extractor tests: realistic service code in, ConnectionSites and Observations out.
 * Offsets are found by substring in the test source (never hard-coded numbers).
 */
import * as assert from 'node:assert/strict';
import { HOLE, SrcString } from '../../server/src/engine/srcstring';
import { extractTs } from '../../server/src/engine/extract/typescript';
import { at } from '../support/ranges';
import { ConnectionSite, Extraction, Observation, Val, prop, propVal, strOf } from '../../server/src/engine/extract/values';


function run(code: string, path = 'src/db.ts'): Extraction {
  const r = extractTs(code, path);
  return r;
}

function oneSite(code: string, path = 'src/db.ts'): ConnectionSite {
  const r = run(code, path);
  assert.equal(r.sites.length, 1, `expected one site, got ${r.sites.length}`);
  return r.sites[0];
}

/** Resolved text with holes shown as «?». */
function shown(s: SrcString): string {
  return s.text.split(HOLE).join('«?»');
}

function obs<K extends Observation['kind']>(r: Extraction, kind: K): Extract<Observation, { kind: K }>[] {
  return r.observations.filter((o): o is Extract<Observation, { kind: K }> => o.kind === kind);
}

function valAt(v: Val | undefined, path: string): Val | undefined {
  let cur = v;
  for (const k of path.split('.')) cur = propVal(cur, k);
  return cur;
}

describe('extractTs', () => {
  describe('node-postgres', () => {
    it('pg Pool with an ssl object: options shape and exact ranges', () => {
      const code = `import { Pool } from 'pg';

export const pool = new Pool({
  host: 'orders.cluster-abc.eu-west-1.rds.amazonaws.com',
  port: 5432,
  user: process.env.PGUSER,
  ssl: { rejectUnauthorized: false, ca: fs.readFileSync('/certs/rds.pem').toString() },
  connectionTimeoutMillis: 5000,
});
`;
      const site = oneSite(code);
      assert.equal(site.driver, 'node-postgres');
      assert.equal(site.language, 'ts');
      assert.equal(site.isPool, true);
      assert.deepEqual(site.anchor, { start: at(code, 'new Pool').start, end: at(code, '})').end });
      assert.equal(site.dsn, undefined);
      assert.equal(strOf(propVal(site.options, 'host')), 'orders.cluster-abc.eu-west-1.rds.amazonaws.com');
      assert.deepEqual(propVal(site.options, 'port'), { k: 'num', n: 5432, range: at(code, '5432') });
      assert.deepEqual(propVal(site.options, 'user'), { k: 'env', name: 'PGUSER', range: at(code, 'process.env.PGUSER') });
      const ru = prop(propVal(site.options, 'ssl'), 'rejectUnauthorized');
      assert.ok(ru);
      assert.deepEqual(ru.value, { k: 'bool', b: false, range: at(code, 'false') });
      assert.deepEqual(ru.range, at(code, 'rejectUnauthorized: false'));
      assert.deepEqual(ru.keyRange, at(code, 'rejectUnauthorized'));
      const ca = valAt(site.options, 'ssl.ca');
      assert.equal(ca?.k, 'call');
      assert.equal(ca?.k === 'call' && ca.callee, 'fs.readFileSync');
      assert.deepEqual(propVal(site.options, 'connectionTimeoutMillis'), { k: 'num', n: 5000, range: at(code, '5000') });
    });

    it('connectionString plus an ssl object: both kept, DSN maps to its characters', () => {
      const code = `import pg from 'pg';
const pool = new pg.Pool({
  connectionString: 'postgres://app@db.internal:5432/orders?sslmode=require',
  ssl: { ca: process.env.PG_CA },
});
`;
      const site = oneSite(code);
      assert.equal(site.driver, 'node-postgres');
      assert.ok(site.dsn);
      assert.equal(site.dsn.s.text, 'postgres://app@db.internal:5432/orders?sslmode=require');
      assert.deepEqual(site.dsn.range, at(code, `'postgres://app@db.internal:5432/orders?sslmode=require'`));
      assert.equal(site.dsn.appendable, true);
      const i = site.dsn.s.text.indexOf('sslmode=require');
      assert.deepEqual(site.dsn.s.rangeOf(i, i + 'sslmode=require'.length), at(code, 'sslmode=require'));
      assert.ok(prop(site.options, 'connectionString'));
      assert.deepEqual(valAt(site.options, 'ssl.ca'), { k: 'env', name: 'PG_CA', range: at(code, 'process.env.PG_CA') });
    });

    it('pg Client with a connection string argument is not a pool', () => {
      const code = `import { Client } from 'pg';
async function once() {
  const client = new Client(process.env.DATABASE_URL);
  await client.connect();
}
`;
      const site = oneSite(code);
      assert.equal(site.isPool, false);
      assert.ok(site.dsn);
      assert.equal(site.dsn.s.text, HOLE);
      assert.equal(site.dsn.appendable, false);
      assert.deepEqual(site.dsn.range, at(code, 'process.env.DATABASE_URL'));
      assert.match(site.note ?? '', /DATABASE_URL/);
      assert.equal(site.options, undefined);
    });

    it('escaped characters in a DSN literal decode and map to the escape sequence', () => {
      const code = `import { Pool } from 'pg';
new Pool({ connectionString: "postgres://db.internal/app\\u003Fsslmode=verify-full" });
`;
      const site = oneSite(code);
      assert.ok(site.dsn);
      assert.equal(site.dsn.s.text, 'postgres://db.internal/app?sslmode=verify-full');
      const q = site.dsn.s.text.indexOf('?');
      assert.deepEqual(site.dsn.s.rangeOf(q, q + 1), at(code, '\\u003F'));
      const v = site.dsn.s.text.indexOf('verify-full');
      assert.deepEqual(site.dsn.s.rangeOf(v, v + 11), at(code, 'verify-full'));
    });

    it('non-ASCII text before a DSN keeps UTF-16 offsets exact', () => {
      const code = `// Verbindung zur Datenbank — ☃ 数据库 😀
import { Pool } from 'pg';
const étiquette = 'ünïcødé 😀';
const pool = new Pool({ connectionString: 'postgresql://rpt.example.com/r?sslmode=no-verify' });
`;
      const site = oneSite(code);
      assert.ok(site.dsn);
      const t = site.dsn.s.text;
      const i = t.indexOf('no-verify');
      assert.deepEqual(site.dsn.s.rangeOf(i, i + 9), at(code, 'no-verify'));
      assert.equal(code.slice(site.anchor.start, site.anchor.start + 8), 'new Pool');
    });

    it('password as an async function stays a function value', () => {
      const code = `import { Pool } from 'pg';
import { Signer } from '@aws-sdk/rds-signer';
const signer = new Signer({ hostname: 'db.abc.us-east-1.rds.amazonaws.com', port: 5432, username: 'iam_user', region: 'us-east-1' });
export const pool = new Pool({
  host: 'db.abc.us-east-1.rds.amazonaws.com',
  user: 'iam_user',
  password: async () => signer.getAuthToken(),
  ssl: true,
});
`;
      const site = oneSite(code);
      const pw = propVal(site.options, 'password');
      assert.equal(pw?.k, 'fn');
      assert.deepEqual(pw?.k === 'fn' && pw.calls, ['signer.getAuthToken']);
      assert.deepEqual(pw?.range, at(code, 'async () => signer.getAuthToken()'));
      assert.equal(site.tokenMintedOnce, undefined);
      assert.deepEqual(propVal(site.options, 'ssl'), { k: 'bool', b: true, range: at(code, 'true') });
    });

    it('RDS token awaited once and baked into a pool → tokenMintedOnce', () => {
      const code = `import { Pool } from 'pg';
import { Signer } from '@aws-sdk/rds-signer';

export async function makePool() {
  const signer = new Signer({ hostname: HOST, port: 5432, username: 'svc' });
  const token = await signer.getAuthToken();
  return new Pool({ host: HOST, user: 'svc', password: token, ssl: { rejectUnauthorized: true } });
}
`;
      const site = oneSite(code);
      assert.ok(site.tokenMintedOnce);
      assert.equal(site.tokenMintedOnce.kind, 'rds-iam');
      assert.deepEqual(site.tokenMintedOnce.mintedAt, at(code, 'signer.getAuthToken()'));
      assert.deepEqual(site.tokenMintedOnce.usedAt, at(code, 'token', 1));
      const pw = propVal(site.options, 'password');
      assert.equal(pw?.k, 'call');
      assert.equal(pw?.k === 'call' && pw.callee, 'signer.getAuthToken');
      assert.equal(pw?.k === 'call' && pw.awaited, true);
    });

    it('pg required in CommonJS with destructuring (JS file)', () => {
      const code = `'use strict';
const { Pool } = require('pg');
const config = require('./config');
module.exports = new Pool({ connectionString: config.databaseUrl, max: 20 });
`;
      const site = oneSite(code, 'lib/db.js');
      assert.equal(site.driver, 'node-postgres');
      assert.ok(site.dsn);
      assert.equal(site.dsn.s.text, HOLE);
      assert.deepEqual(site.dsn.range, at(code, 'config.databaseUrl'));
      assert.deepEqual(propVal(site.options, 'max'), { k: 'num', n: 20, range: at(code, '20') });
    });

    it('const pg = require("pg") then new pg.Client (.cjs)', () => {
      const code = `const pg = require('pg');
const client = new pg.Client({ host: 'localhost', password: process.env.PGPASSWORD });
`;
      const site = oneSite(code, 'scripts/migrate.cjs');
      assert.equal(site.driver, 'node-postgres');
      assert.equal(site.isPool, false);
      assert.deepEqual(propVal(site.options, 'password'), { k: 'env', name: 'PGPASSWORD', range: at(code, 'process.env.PGPASSWORD') });
    });

    it('spread of a shared config object: merged, spread first, later keys win', () => {
      const code = `import { Pool } from 'pg';
const base = { host: 'db.internal', ssl: { rejectUnauthorized: false }, port: 5432 };
const pool = new Pool({ ...base, ssl: { ca: CA }, database: 'orders' });
`;
      const site = oneSite(code);
      const o = site.options;
      assert.equal(o?.k, 'obj');
      assert.deepEqual(o?.k === 'obj' && o.props.map((p) => p.key), ['host', 'ssl', 'port', 'ssl', 'database']);
      // prop() takes the last occurrence, as the object literal does.
      assert.deepEqual(prop(o, 'ssl')?.range, at(code, 'ssl: { ca: CA }'));
      assert.deepEqual(prop(o, 'host')?.range, at(code, "host: 'db.internal'"));
    });

    it('nearest enclosing scope wins for a shadowed name', () => {
      const code = `import { Pool } from 'pg';
const url = 'postgres://outer.example.com/app';
function build() {
  const url = 'postgres://inner.example.com/app?sslmode=verify-full';
  return new Pool({ connectionString: url });
}
`;
      const site = oneSite(code);
      assert.ok(site.dsn);
      assert.equal(site.dsn.s.text, 'postgres://inner.example.com/app?sslmode=verify-full');
      assert.deepEqual(site.dsn.range, at(code, `'postgres://inner.example.com/app?sslmode=verify-full'`));
      assert.equal(site.dsn.appendable, true);
    });

    it('template literal DSN with holes and env values', () => {
      const code = 'import { Pool } from \'pg\';\n' +
        'const host = process.env.DB_HOST;\n' +
        'const DB = \'orders\';\n' +
        'const pool = new Pool({ connectionString: `postgres://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@${host}:5432/${DB}?sslmode=verify-full` });\n';
      const site = oneSite(code);
      assert.ok(site.dsn);
      assert.equal(shown(site.dsn.s), 'postgres://«?»:«?»@«?»:5432/orders?sslmode=verify-full');
      const t = site.dsn.s.text;
      const h = t.indexOf(HOLE, t.indexOf('@'));
      assert.deepEqual(site.dsn.s.rangeOf(h, h + 1), at(code, '${host}'));
      // The DB name came from a constant: it maps to that constant's literal.
      const o = t.indexOf('orders');
      assert.deepEqual(site.dsn.s.rangeOf(o, o + 6), at(code, 'orders'));
      assert.equal(site.dsn.appendable, true);
      assert.equal(obs(run(code), 'credentials-interpolated').length, 0);
    });

    it('DSN ending in a constant from elsewhere is not appendable', () => {
      const code = `import { Pool } from 'pg';
const PARAMS = '?sslmode=require';
new Pool({ connectionString: 'postgres://db.internal/app' + PARAMS });
`;
      const site = oneSite(code);
      assert.ok(site.dsn);
      assert.equal(site.dsn.s.text, 'postgres://db.internal/app?sslmode=require');
      assert.equal(site.dsn.appendable, false);
      assert.deepEqual(site.dsn.range, at(code, `'postgres://db.internal/app' + PARAMS`));
    });
  });

  describe('postgres.js', () => {
    it('postgres(url, options) default import', () => {
      const code = `import postgres from 'postgres';
export const sql = postgres(process.env.DATABASE_URL!, { ssl: 'require', max: 10, idle_timeout: 20 });
`;
      const site = oneSite(code);
      assert.equal(site.driver, 'postgres.js');
      assert.equal(site.isPool, true);
      assert.ok(site.dsn);
      assert.deepEqual(site.dsn.range, at(code, 'process.env.DATABASE_URL'));
      const ssl = propVal(site.options, 'ssl');
      assert.equal(strOf(ssl), 'require');
      assert.deepEqual(ssl?.range, at(code, `'require'`));
    });

    it('postgres({...}) options only, with pass as env', () => {
      const code = `const postgres = require('postgres');
const sql = postgres({ host: 'pg.internal', pass: process.env.PGPASS, ssl: { rejectUnauthorized: false } });
`;
      const site = oneSite(code, 'db.mjs');
      assert.equal(site.driver, 'postgres.js');
      assert.equal(site.dsn, undefined);
      assert.deepEqual(propVal(site.options, 'pass'), { k: 'env', name: 'PGPASS', range: at(code, 'process.env.PGPASS') });
    });
  });

  describe('mysql2', () => {
    it('createPool with ssl, authPlugins, enableCleartextPlugin, multipleStatements, flags', () => {
      const code = `import mysql from 'mysql2/promise';
import { Signer } from '@aws-sdk/rds-signer';
const signer = new Signer({ hostname: 'shop.abc.us-east-1.rds.amazonaws.com', port: 3306, username: 'app' });
export const pool = mysql.createPool({
  host: 'shop.abc.us-east-1.rds.amazonaws.com',
  user: 'app',
  ssl: { ca: RDS_CA, verifyIdentity: true },
  enableCleartextPlugin: true,
  authPlugins: { mysql_clear_password: () => () => signer.getAuthToken() },
  multipleStatements: true,
  flags: ['-FOUND_ROWS', 'LOCAL_FILES'],
});
`;
      const site = oneSite(code);
      assert.equal(site.driver, 'mysql2');
      assert.equal(site.isPool, true);
      assert.deepEqual(valAt(site.options, 'ssl.verifyIdentity'), { k: 'bool', b: true, range: at(code, 'true') });
      assert.deepEqual(propVal(site.options, 'enableCleartextPlugin'), { k: 'bool', b: true, range: at(code, 'true', 1) });
      const plugin = valAt(site.options, 'authPlugins.mysql_clear_password');
      assert.equal(plugin?.k, 'fn');
      assert.deepEqual(prop(propVal(site.options, 'authPlugins'), 'mysql_clear_password')?.keyRange, at(code, 'mysql_clear_password'));
      assert.deepEqual(propVal(site.options, 'multipleStatements'), { k: 'bool', b: true, range: at(code, 'true', 2) });
      const flags = propVal(site.options, 'flags');
      assert.equal(flags?.k, 'arr');
      assert.deepEqual(flags?.k === 'arr' && flags.items.map(strOf), ['-FOUND_ROWS', 'LOCAL_FILES']);
      assert.deepEqual(flags?.k === 'arr' && flags.items[1].range, at(code, `'LOCAL_FILES'`));
    });

    it('createConnection with a URL string', () => {
      const code = `const mysql = require('mysql2');
const conn = mysql.createConnection('mysql://app:' + encodeURIComponent(process.env.DB_PASS) + '@mysql.internal:3306/shop?ssl={"rejectUnauthorized":true}');
`;
      const site = oneSite(code, 'app.js');
      assert.equal(site.driver, 'mysql2');
      assert.equal(site.isPool, false);
      assert.ok(site.dsn);
      assert.equal(shown(site.dsn.s), 'mysql://app:«?»@mysql.internal:3306/shop?ssl={"rejectUnauthorized":true}');
      assert.equal(site.dsn.appendable, true);
    });

    it('createPool({ uri, ssl }) gives a DSN and options', () => {
      const code = `import { createPool } from 'mysql2';
const pool = createPool({ uri: process.env.MYSQL_URL, ssl: {} });
`;
      const site = oneSite(code);
      assert.ok(site.dsn);
      assert.deepEqual(site.dsn.range, at(code, 'process.env.MYSQL_URL'));
      assert.equal(propVal(site.options, 'ssl')?.k, 'obj');
    });
  });

  describe('mssql and tedious', () => {
    it('mssql config object with options.encrypt / trustServerCertificate', () => {
      const code = `import sql from 'mssql';
const config: sql.config = {
  server: 'contoso.database.windows.net',
  database: 'sales',
  user: process.env.SQL_USER,
  password: process.env.SQL_PASSWORD,
  options: { encrypt: true, trustServerCertificate: true },
};
export const poolPromise = new sql.ConnectionPool(config).connect();
`;
      const site = oneSite(code);
      assert.equal(site.driver, 'mssql');
      assert.equal(site.isPool, true);
      assert.deepEqual(site.anchor, at(code, 'new sql.ConnectionPool(config)'));
      assert.deepEqual(valAt(site.options, 'options.trustServerCertificate'), { k: 'bool', b: true, range: at(code, 'true', 1) });
      assert.deepEqual(site.options?.range, { start: at(code, '{\n  server').start, end: at(code, '},\n};').end - 1 });
    });

    it('mssql connect with a connection string', () => {
      const code = `import * as sql from 'mssql';
await sql.connect('Server=tcp:contoso.database.windows.net,1433;Database=sales;Encrypt=true;TrustServerCertificate=false');
`;
      const site = oneSite(code);
      assert.equal(site.driver, 'mssql');
      assert.ok(site.dsn);
      assert.match(site.dsn.s.text, /^Server=tcp:contoso/);
      const i = site.dsn.s.text.indexOf('TrustServerCertificate=false');
      assert.deepEqual(site.dsn.s.rangeOf(i, i + 28), at(code, 'TrustServerCertificate=false'));
    });

    it('tedious Connection with Entra token minted once (not a pool)', () => {
      const code = `import { Connection } from 'tedious';
import { DefaultAzureCredential } from '@azure/identity';
const credential = new DefaultAzureCredential();
const { token } = await credential.getToken('https://database.windows.net/.default');
const connection = new Connection({
  server: 'contoso.database.windows.net',
  authentication: { type: 'azure-active-directory-access-token', options: { token } },
  options: { encrypt: true, database: 'sales' },
});
`;
      const site = oneSite(code);
      assert.equal(site.driver, 'tedious');
      assert.equal(site.isPool, false);
      assert.equal(site.tokenMintedOnce, undefined);
      const t = valAt(site.options, 'authentication.options.token');
      assert.equal(t?.k, 'call');
      assert.equal(t?.k === 'call' && t.callee, 'credential.getToken');
    });

    it('mssql pool with an Entra token baked in → tokenMintedOnce entra', () => {
      const code = `import sql from 'mssql';
import { ManagedIdentityCredential } from '@azure/identity';
const cred = new ManagedIdentityCredential();
const accessToken = (await cred.getToken('https://database.windows.net/.default')).token;
const pool = await sql.connect({
  server: 'contoso.database.windows.net',
  authentication: { type: 'azure-active-directory-access-token', options: { token: accessToken } },
});
`;
      const site = oneSite(code);
      assert.ok(site.tokenMintedOnce);
      assert.equal(site.tokenMintedOnce.kind, 'entra');
      assert.deepEqual(site.tokenMintedOnce.mintedAt, at(code, `cred.getToken('https://database.windows.net/.default')`));
      assert.deepEqual(site.tokenMintedOnce.usedAt, at(code, 'accessToken', 1));
    });
  });

  describe('ORMs and query builders', () => {
    it('Sequelize postgres: dialectOptions merged into pg options', () => {
      const code = `import { Sequelize } from 'sequelize';
export const sequelize = new Sequelize('orders', 'app', process.env.DB_PASSWORD, {
  host: 'orders.cluster-abc.eu-west-1.rds.amazonaws.com',
  dialect: 'postgres',
  dialectOptions: { ssl: { require: true, rejectUnauthorized: false } },
});
`;
      const site = oneSite(code);
      assert.equal(site.driver, 'node-postgres');
      assert.equal(site.isPool, true);
      assert.equal(strOf(propVal(site.options, 'host')), 'orders.cluster-abc.eu-west-1.rds.amazonaws.com');
      assert.equal(strOf(propVal(site.options, 'user')), 'app');
      assert.deepEqual(propVal(site.options, 'password'), { k: 'env', name: 'DB_PASSWORD', range: at(code, 'process.env.DB_PASSWORD') });
      assert.deepEqual(valAt(site.options, 'ssl.rejectUnauthorized'), { k: 'bool', b: false, range: at(code, 'false') });
      assert.equal(propVal(site.options, 'dialect'), undefined);
    });

    it('Sequelize URL form with mysql dialect and a literal password positional → secret', () => {
      const code = `const { Sequelize } = require('sequelize');
const s1 = new Sequelize('mysql://app@mysql.internal/shop', { dialectOptions: { ssl: { rejectUnauthorized: true } } });
const s2 = new Sequelize('shop', 'app', 'Tr0ub4dor&3', { dialect: 'mariadb' });
`;
      const r = run(code, 'models/index.js');
      assert.equal(r.sites.length, 2);
      assert.equal(r.sites[0].driver, 'mysql2');
      assert.equal(r.sites[0].dsn?.s.text, 'mysql://app@mysql.internal/shop');
      assert.equal(valAt(r.sites[0].options, 'ssl.rejectUnauthorized')?.k, 'bool');
      assert.equal(r.sites[1].driver, 'mysql2');
      const secrets = obs(r, 'secret-literal');
      assert.equal(secrets.length, 1);
      assert.equal(secrets[0].name, 'password');
      assert.equal(secrets[0].context, 'Sequelize options');
      assert.deepEqual(secrets[0].valueRange, at(code, `'Tr0ub4dor&3'`));
    });

    it('Sequelize mssql → tedious with dialectOptions as options', () => {
      const code = `import { Sequelize } from 'sequelize';
const db = new Sequelize({ dialect: 'mssql', host: 'contoso.database.windows.net', dialectOptions: { options: { encrypt: true, trustServerCertificate: true } } });
`;
      const site = oneSite(code);
      assert.equal(site.driver, 'tedious');
      assert.equal(strOf(propVal(site.options, 'server')), 'contoso.database.windows.net');
      assert.equal(valAt(site.options, 'options.trustServerCertificate')?.k, 'bool');
    });

    it('knex with client pg and a connection object; knex with a string', () => {
      const code = `import knex from 'knex';
export const db = knex({
  client: 'pg',
  connection: { connectionString: process.env.DATABASE_URL, ssl: { rejectUnauthorized: false } },
  pool: { min: 0, max: 10 },
});
const reporting = knex({ client: 'mysql2', connection: 'mysql://report@mysql.internal/rpt' });
const other = knex({ client: 'sqlite3', connection: { filename: './dev.sqlite3' } });
`;
      const r = run(code);
      assert.equal(r.sites.length, 2);
      const [pg, my] = r.sites;
      assert.equal(pg.driver, 'node-postgres');
      assert.equal(pg.isPool, true);
      assert.deepEqual(pg.dsn?.range, at(code, 'process.env.DATABASE_URL'));
      assert.deepEqual(valAt(pg.options, 'ssl.rejectUnauthorized')?.range, at(code, 'false'));
      assert.equal(my.driver, 'mysql2');
      assert.equal(my.dsn?.s.text, 'mysql://report@mysql.internal/rpt');
      assert.deepEqual(my.dsn?.range, at(code, `'mysql://report@mysql.internal/rpt'`));
    });

    it('TypeORM DataSource postgres: ssl and extra go to pg options', () => {
      const code = `import { DataSource } from 'typeorm';
export const AppDataSource = new DataSource({
  type: 'postgres',
  host: process.env.DB_HOST,
  port: 5432,
  username: 'api',
  password: process.env.DB_PASSWORD,
  ssl: { rejectUnauthorized: false },
  extra: { connectionTimeoutMillis: 3000, max: 20 },
  entities: [User],
});
`;
      const site = oneSite(code);
      assert.equal(site.driver, 'node-postgres');
      assert.equal(site.isPool, true);
      assert.equal(strOf(propVal(site.options, 'user')), 'api');
      assert.deepEqual(valAt(site.options, 'ssl.rejectUnauthorized')?.range, at(code, 'false'));
      assert.deepEqual(propVal(site.options, 'connectionTimeoutMillis'), { k: 'num', n: 3000, range: at(code, '3000') });
      assert.equal(propVal(site.options, 'entities'), undefined);
    });

    it('TypeORM mssql keeps options.encrypt for mssql; url becomes the DSN', () => {
      const code = `import { DataSource } from 'typeorm';
const ds = new DataSource({ type: 'mssql', host: 'contoso.database.windows.net', options: { encrypt: false } });
const ds2 = new DataSource({ type: 'mysql', url: 'mysql://app@db.internal/shop' });
`;
      const r = run(code);
      assert.equal(r.sites.length, 2);
      assert.equal(r.sites[0].driver, 'mssql');
      assert.equal(strOf(propVal(r.sites[0].options, 'server')), 'contoso.database.windows.net');
      assert.deepEqual(valAt(r.sites[0].options, 'options.encrypt')?.range, at(code, 'false'));
      assert.equal(r.sites[1].driver, 'mysql2');
      assert.equal(r.sites[1].dsn?.s.text, 'mysql://app@db.internal/shop');
    });
  });

  describe('more resolution', () => {
    it('destructured process.env and destructured default import', () => {
      const code = `import pg from 'pg';
const { Pool } = pg;
const { DATABASE_URL, PGSSLROOTCERT: rootCert = '/etc/ssl/rds.pem' } = process.env;
export const pool = new Pool({ connectionString: DATABASE_URL, ssl: { ca: rootCert } });
`;
      const site = oneSite(code);
      assert.equal(site.driver, 'node-postgres');
      assert.ok(site.dsn);
      assert.equal(site.dsn.s.text, HOLE);
      assert.deepEqual(propVal(site.options, 'connectionString'), { k: 'env', name: 'DATABASE_URL', range: at(code, 'DATABASE_URL') });
      assert.equal(valAt(site.options, 'ssl.ca')?.k, 'env');
    });

    it('NestJS TypeOrmModule.forRootAsync factory result is the config', () => {
      const code = `import { TypeOrmModule } from '@nestjs/typeorm';
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      useFactory: () => ({ type: 'mysql', host: 'shop.abc.rds.amazonaws.com', username: 'api', ssl: { rejectUnauthorized: false } }),
    }),
  ],
})
export class AppModule {}
`;
      const site = oneSite(code);
      assert.equal(site.driver, 'mysql2');
      assert.deepEqual(valAt(site.options, 'ssl.rejectUnauthorized')?.range, at(code, 'false'));
      assert.equal(strOf(propVal(site.options, 'user')), 'api');
    });

    it('cloud secret through a constant, keyed by property name', () => {
      const code = `import { Signer } from '@aws-sdk/rds-signer';
const AWS_SECRET = 'q8Hc2Lm9AwJalrXUtnFEMI/K7MDENG/bPxRfiCYz';
const signer = new Signer({ hostname: 'h', port: 5432, username: 'u', credentials: { accessKeyId: KEY_ID, secretAccessKey: AWS_SECRET } });
`;
      const keys = obs(run(code), 'cloud-key');
      assert.equal(keys.length, 1);
      assert.equal(keys[0].keyKind, 'aws-secret-access-key');
      assert.deepEqual(keys[0].valueRange, at(code, `'q8Hc2Lm9AwJalrXUtnFEMI/K7MDENG/bPxRfiCYz'`));
    });
  });

  describe('observations', () => {
    it('NODE_TLS_REJECT_UNAUTHORIZED and SSLKEYLOGFILE assignments', () => {
      const code = `process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = 0;
process.env.SSLKEYLOGFILE = '/tmp/keys.log';
`;
      const r = run(code, 'src/bootstrap.ts');
      const t = obs(r, 'node-tls-reject-unauthorized');
      assert.equal(t.length, 2);
      assert.deepEqual(t[0], { kind: 'node-tls-reject-unauthorized', range: at(code, `process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'`), value: '0' });
      assert.equal(t[1].value, '0');
      assert.deepEqual(t[1].range, at(code, `process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = 0`));
      const k = obs(r, 'ssl-keylog-file');
      assert.deepEqual(k, [{ kind: 'ssl-keylog-file', range: at(code, `process.env.SSLKEYLOGFILE = '/tmp/keys.log'`) }]);
    });

    it('literal passwords: in connection options, in a variable; placeholders and env are quiet', () => {
      const code = `import { Pool } from 'pg';
const ADMIN_PASSWORD = 'hunter2-prod!';
const cfg = { host: 'db.internal', password: 'sup3r-s3cret', user: 'app' };
const ok1 = { password: process.env.PGPASSWORD };
const ok2 = { password: '\${DB_PASSWORD}' };
const ok3 = { password: 'changeme' };
const ok4 = { passwordFile: '/run/secrets/db' };
export const pool = new Pool(cfg);
`;
      const r = run(code);
      const s = obs(r, 'secret-literal');
      assert.equal(s.length, 2);
      const byName = new Map(s.map((o) => [o.name, o]));
      assert.equal(byName.get('password')?.context, 'pg Pool config');
      assert.deepEqual(byName.get('password')?.valueRange, at(code, `'sup3r-s3cret'`));
      assert.deepEqual(byName.get('password')?.range, at(code, `password: 'sup3r-s3cret'`));
      assert.equal(byName.get('ADMIN_PASSWORD')?.context, 'variable');
      assert.deepEqual(byName.get('ADMIN_PASSWORD')?.valueRange, at(code, `'hunter2-prod!'`));
    });

    it('literal passwords in a file without a DB driver are not reported', () => {
      const code = `export function LoginForm() { const password = 'hunter2-prod!'; return password; }`;
      assert.equal(obs(run(code, 'src/Login.ts'), 'secret-literal').length, 0);
    });

    it('cloud keys: AWS key id anywhere, secret by name, Azure client secret argument', () => {
      const code = `import { RDSClient } from '@aws-sdk/client-rds';
import { ClientSecretCredential } from '@azure/identity';
const rds = new RDSClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIAZ7QF5JXKCLM3NQ2T', secretAccessKey: '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' } });
const cred = new ClientSecretCredential(TENANT, CLIENT_ID, 'Xy8Q~abcdefghijklmnopqrstuvwxyz0123456');
const docs = 'AKIAIOSFODNN7EXAMPLE';
`;
      const r = run(code, 'infra/clients.ts');
      const keys = obs(r, 'cloud-key');
      assert.deepEqual(keys.map((k) => k.keyKind).sort(), ['aws-access-key-id', 'aws-secret-access-key', 'azure-client-secret']);
      const id = keys.find((k) => k.keyKind === 'aws-access-key-id');
      assert.deepEqual(id?.valueRange, at(code, `'AKIAZ7QF5JXKCLM3NQ2T'`));
      const az = keys.find((k) => k.keyKind === 'azure-client-secret');
      assert.deepEqual(az?.valueRange, at(code, `'Xy8Q~abcdefghijklmnopqrstuvwxyz0123456'`));
      assert.equal(az?.context, 'ClientSecretCredential');
    });

    it('secret-logged: config object, DSN variable, password property, token', () => {
      const code = `import { Pool } from 'pg';
import pino from 'pino';
const log = pino();
const dbUrl = process.env.DATABASE_URL;
const config = { connectionString: dbUrl, ssl: true };
export const pool = new Pool(config);
console.log('db config', config);
logger.info(\`connecting to \${dbUrl}\`);
log.debug({ pw: config.password });
this.logger.warn('token', authToken);
console.log('pool ready', pool.totalCount);
`;
      const r = run(code);
      const logged = obs(r, 'secret-logged');
      assert.deepEqual(logged.map((o) => [o.callee, o.what]), [
        ['console.log', 'connection config'],
        ['logger.info', 'connection string'],
        ['log.debug', 'password'],
        ['this.logger.warn', 'token'],
      ]);
      assert.deepEqual(logged[0].range, at(code, 'config', 3));
      assert.deepEqual(logged[1].range, at(code, 'dbUrl', 2));
      assert.deepEqual(logged[2].range, at(code, 'config.password'));
    });

    it('credentials-interpolated: template and concatenation, escaped ones are quiet', () => {
      const code = 'import { Pool } from \'pg\';\n' +
        'const a = `postgres://${user}:${pass}@db.internal:5432/app`;\n' +
        'const b = "mysql://" + DB_USER + ":" + process.env.DB_PASS + "@mysql.internal/shop";\n' +
        'const c = `sqlserver://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@sql.internal`;\n' +
        'const d = `https://${user}.example.com/x`;\n';
      const r = run(code);
      const ci = obs(r, 'credentials-interpolated');
      assert.deepEqual(ci.map((o) => [o.part, o.how]), [
        ['user', 'template literal'],
        ['password', 'template literal'],
        ['user', 'string concatenation'],
        ['password', 'string concatenation'],
      ]);
      assert.deepEqual(ci[0].range, at(code, '${user}'));
      assert.deepEqual(ci[1].range, at(code, '${pass}'));
      assert.deepEqual(ci[3].range, at(code, 'process.env.DB_PASS'));
      assert.equal(ci[0].language, 'ts');
    });
  });

  describe('robustness', () => {
    it('TSX component file with a pool in a server action', () => {
      const code = `'use server';
import { Pool } from 'pg';
const pool = new Pool({ connectionString: process.env.POSTGRES_URL, ssl: { rejectUnauthorized: false } });
export default function Page({ rows }: { rows: string[] }) {
  return <ul>{rows.map((r) => <li key={r}>{r}</li>)}</ul>;
}
`;
      const r = run(code, 'app/page.tsx');
      assert.equal(r.sites.length, 1);
      assert.deepEqual(valAt(r.sites[0].options, 'ssl.rejectUnauthorized')?.range, at(code, 'false'));
      assert.deepEqual(r.errors, []);
    });

    it('JSX file with mysql2 require', () => {
      const code = `const mysql = require('mysql2');
const pool = mysql.createPool({ host: 'localhost', ssl: false });
export const App = () => <div className="x">hi</div>;
`;
      const site = oneSite(code, 'src/App.jsx');
      assert.equal(site.driver, 'mysql2');
      assert.deepEqual(propVal(site.options, 'ssl'), { k: 'bool', b: false, range: at(code, 'false') });
    });

    it('half-typed code still yields the valid parts', () => {
      const code = `import { Pool } from 'pg';
const pool = new Pool({
  connectionString: 'postgres://db.internal/app?sslmode=disable',
  ssl: { rejectUnauthorized: fal
function next( {
  const x = 
`;
      const r = run(code);
      assert.ok(r.errors.length > 0);
      assert.equal(r.sites.length, 1);
      assert.equal(r.sites[0].dsn?.s.text, 'postgres://db.internal/app?sslmode=disable');
      assert.deepEqual(r.sites[0].dsn?.range, at(code, `'postgres://db.internal/app?sslmode=disable'`));
    });

    it('unterminated DSN literal being typed', () => {
      const code = `import { Pool } from 'pg';\nnew Pool({ connectionString: 'postgres://db.internal/app?sslm`;
      const site = oneSite(code);
      assert.equal(site.dsn?.s.text, 'postgres://db.internal/app?sslm');
      const t = site.dsn!.s.text;
      assert.deepEqual(site.dsn!.s.rangeOf(t.length - 4, t.length), at(code, 'sslm'));
    });

    it('a local class named Pool is not pg', () => {
      const code = `import { something } from 'pg';
class Pool { constructor(_o: object) {} }
const p = new Pool({ password: process.env.X });
`;
      assert.equal(run(code).sites.length, 0);
    });

    it('deeply nested code does not throw', () => {
      const deep = 'const x = ' + '['.repeat(3000) + '1' + ']'.repeat(3000) + ';\n';
      const code = `import { Pool } from 'pg';\n${deep}new Pool({ ssl: true });\n`;
      const r = run(code);
      assert.ok(Array.isArray(r.errors));
      const nested = 'import { Pool } from \'pg\';\nconst a = ' + '{ b: '.repeat(150) + 'new Pool({ ssl: true })' + ' }'.repeat(150) + ';\n';
      const r2 = run(nested);
      assert.equal(r2.sites.length, 1);
    });

    it('cyclic references end in an unresolved value', () => {
      const code = `import { Pool } from 'pg';
let a = b + '/x';
let b = a + '/y';
new Pool({ connectionString: a });
`;
      const site = oneSite(code);
      assert.ok(site.dsn);
      assert.equal(site.dsn.s.complete, false);
    });

    it('|| / ?? fallbacks: env wins, and String()/Number()/as const resolve', () => {
      const code = `import { Pool } from 'pg';
const PORT = Number(process.env.PGPORT ?? '5432');
const host = process.env.PGHOST || 'localhost';
const TIMEOUT = parseInt('5000', 10);
const SSL = { rejectUnauthorized: true } as const;
new Pool({ host, port: PORT, connectionTimeoutMillis: TIMEOUT, ssl: SSL, application_name: String(APP!) });
`;
      const site = oneSite(code);
      assert.deepEqual(propVal(site.options, 'host'), { k: 'env', name: 'PGHOST', range: at(code, 'process.env.PGHOST') });
      assert.equal(propVal(site.options, 'port')?.k, 'env');
      assert.deepEqual(propVal(site.options, 'connectionTimeoutMillis'), { k: 'num', n: 5000, range: at(code, `'5000'`) });
      assert.equal(valAt(site.options, 'ssl.rejectUnauthorized')?.k, 'bool');
      const h = at(code, 'host, port').start;
      assert.deepEqual(prop(site.options, 'host')?.keyRange, { start: h, end: h + 4 });
    });
  });
});

describe('extractTs: NestJS ConfigService reads are env reads', () => {
  const nest = (body: string, imports = "import { ConfigService } from '@nestjs/config';"): string =>
    `${imports}\nimport { Pool } from 'pg';\nimport { DataSource } from 'typeorm';\n${body}\n`;

  it('get / get<T> / getOrThrow on a parameter, a constructor parameter property and a class property', () => {
    const cases: [string, string][] = [
      ["export const make = (c: ConfigService) => new Pool({ connectionString: c.get('DATABASE_URL') });", "c.get('DATABASE_URL')"],
      ["export function make(c: ConfigService) { return new Pool({ connectionString: c.get<string>('DATABASE_URL') }); }", "c.get<string>('DATABASE_URL')"],
      ["export const make = (c: ConfigService<Env, true>) => new Pool({ connectionString: c.getOrThrow('DATABASE_URL', 'x') });", "c.getOrThrow('DATABASE_URL', 'x')"],
      ["export class Db {\n  pool: Pool;\n  constructor(private readonly config: ConfigService) {\n    this.pool = new Pool({ connectionString: this.config.get('DATABASE_URL') });\n  }\n}", "this.config.get('DATABASE_URL')"],
      ["export class Db {\n  private readonly config: ConfigService;\n  pool(): Pool {\n    return new Pool({ connectionString: this.config.getOrThrow<string>('DATABASE_URL') });\n  }\n}", "this.config.getOrThrow<string>('DATABASE_URL')"],
      ["export const ds = { useFactory: (cfg: ConfigService) => new DataSource({ type: 'postgres', url: cfg.get('DATABASE_URL') }) };", "cfg.get('DATABASE_URL')"],
    ];
    for (const [body, read] of cases) {
      const code = nest(body);
      const site = oneSite(code);
      assert.equal(site.envName, 'DATABASE_URL', body);
      assert.deepEqual(site.dsn?.range, at(code, read), body);
    }
    // Renamed and namespace imports name the same type.
    for (const [imports, type] of [["import { ConfigService as Cfg } from '@nestjs/config';", 'Cfg'], ["import * as nc from '@nestjs/config';", 'nc.ConfigService']]) {
      const site = oneSite(nest(`export const make = (c: ${type}) => new Pool({ connectionString: c.get('DATABASE_URL') });`, imports));
      assert.equal(site.envName, 'DATABASE_URL', type);
    }
  });

  it('only for the ConfigService type and an env-style literal key (precision first)', () => {
    const notEnv = [
      // Another module's ConfigService, an untyped receiver, a Map.
      ["export const make = (c: ConfigService) => new Pool({ connectionString: c.get('DATABASE_URL') });", "import { ConfigService } from './config';"],
      ["export const make = (c: any) => new Pool({ connectionString: c.get('DATABASE_URL') });", "import { ConfigService } from '@nestjs/config';"],
      ["export const make = (c: Map<string, string>) => new Pool({ connectionString: c.get('DATABASE_URL') });", "import { ConfigService } from '@nestjs/config';"],
      // Custom configuration keys (registerAs / load), a computed key, another method.
      ["export const make = (c: ConfigService) => new Pool({ connectionString: c.get('database.url') });", "import { ConfigService } from '@nestjs/config';"],
      ["export const make = (c: ConfigService) => new Pool({ connectionString: c.get('databaseUrl') });", "import { ConfigService } from '@nestjs/config';"],
      ["export const make = (c: ConfigService, k: string) => new Pool({ connectionString: c.get(k) });", "import { ConfigService } from '@nestjs/config';"],
      ["export const make = (c: ConfigService) => new Pool({ connectionString: c.set('DATABASE_URL') });", "import { ConfigService } from '@nestjs/config';"],
      // A static property is not the instance's `this.config`.
      ["export class Db {\n  static config: ConfigService;\n  pool(): Pool { return new Pool({ connectionString: this.config.get('DATABASE_URL') }); }\n}", "import { ConfigService } from '@nestjs/config';"],
      // A constructor parameter without a modifier is not a property.
      ["export class Db {\n  pool: Pool;\n  constructor(config: ConfigService) { this.pool = new Pool({ connectionString: this.config.get('DATABASE_URL') }); }\n}", "import { ConfigService } from '@nestjs/config';"],
    ];
    for (const [body, imports] of notEnv) {
      const site = oneSite(nest(body, imports));
      assert.equal(site.envName, undefined, body);
    }
  });
});
