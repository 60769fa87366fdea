/**
 * TS/JS extractor tests for the front-ends that build a driver ConnGuard models: Drizzle's driver
 * entries (drizzle-orm/src/<entry>/driver.ts) and Prisma 7's driver adapters (@prisma/adapter-pg,
 * @prisma/adapter-mssql). The site must be the driver call the front-end makes, read with that
 * driver's keys; a client made elsewhere and passed in is not a second site.
 */
import * as assert from 'node:assert/strict';
import { extractTs } from '../../server/src/engine/extract/typescript';
import { at } from '../support/ranges';
import { ConnectionSite, prop, propVal, strOf } from '../../server/src/engine/extract/values';

function sites(code: string): ConnectionSite[] {
  return extractTs(code, 'src/db.ts').sites;
}

function oneSite(code: string): ConnectionSite {
  const s = sites(code);
  assert.equal(s.length, 1, `expected one site, got ${s.length}`);
  return s[0];
}

describe('extractTs: Drizzle and Prisma driver adapters', () => {
  describe('drizzle-orm/node-postgres', () => {
    it('drizzle(url, config): the URL is the pool connection string (new pg.Pool({ connectionString }))', () => {
      const code = `import { drizzle } from 'drizzle-orm/node-postgres';
import * as schema from './schema';
export const db = drizzle('postgres://app@db.internal.example.com/app', { schema });
`;
      const site = oneSite(code);
      assert.equal(site.driver, 'node-postgres');
      assert.equal(site.isPool, true);
      assert.equal(site.wrapper, undefined);
      assert.deepEqual(site.anchor, { start: at(code, 'drizzle(').start, end: at(code, '{ schema })').end });
      assert.equal(site.dsn?.s.text, 'postgres://app@db.internal.example.com/app');
      assert.equal(site.dsn?.appendable, true);
      assert.equal(site.options, undefined);
    });

    it('drizzle(process.env.X!): the env variable links code and configuration', () => {
      const site = oneSite(`import { drizzle } from 'drizzle-orm/node-postgres';
export const db = drizzle(process.env.DATABASE_URL!);
`);
      assert.equal(site.driver, 'node-postgres');
      assert.equal(site.envName, 'DATABASE_URL');
    });

    it('drizzle({ connection: {…}, schema, logger }): the connection object is the Pool config, drizzle keys are not', () => {
      const code = `import { drizzle } from 'drizzle-orm/node-postgres';
export const db = drizzle({ connection: { connectionString: process.env.DATABASE_URL!, ssl: { rejectUnauthorized: false } }, schema, logger: true });
`;
      const site = oneSite(code);
      assert.equal(site.driver, 'node-postgres');
      assert.deepEqual(site.options?.range, at(code, '{ connectionString: process.env.DATABASE_URL!, ssl: { rejectUnauthorized: false } }'));
      assert.equal(propVal(site.options, 'schema'), undefined);
      assert.equal(propVal(site.options, 'logger'), undefined);
      assert.deepEqual(propVal(propVal(site.options, 'ssl'), 'rejectUnauthorized'), { k: 'bool', b: false, range: at(code, 'false') });
      assert.equal(site.envName, 'DATABASE_URL');
    });

    it('drizzle({ connection: url }) through a variable', () => {
      const site = oneSite(`import { drizzle } from 'drizzle-orm/node-postgres';
const url = 'postgres://app@db.internal.example.com/app?sslmode=no-verify';
export const db = drizzle({ connection: url });
`);
      assert.equal(site.dsn?.s.text, 'postgres://app@db.internal.example.com/app?sslmode=no-verify');
    });

    it('drizzle(pool), drizzle(pool, config) and drizzle({ client: pool }) add no site: the pool is the one', () => {
      const code = `import { drizzle } from 'drizzle-orm/node-postgres';
import { Pool } from 'pg';
const pool = new Pool({ connectionString: process.env.DATABASE_URL, ssl: true });
export const a = drizzle(pool);
export const b = drizzle(pool, { schema });
export const c = drizzle({ client: pool, schema });
`;
      const site = oneSite(code);
      assert.deepEqual(site.anchor.start, at(code, 'new Pool').start);
    });

    it('a config from an unknown value, or a spread that may hold connection, is not read', () => {
      assert.equal(sites(`import { drizzle } from 'drizzle-orm/node-postgres';
export function make(cfg: any) { return drizzle(cfg); }
export const x = drizzle({ ...base, schema });
`).length, 0);
    });

    it('drizzle-orm/cockroach builds a pg Pool the same way', () => {
      const site = oneSite(`import { drizzle } from 'drizzle-orm/cockroach';
export const db = drizzle({ connection: { connectionString: process.env.CRDB_URL!, ssl: true } });
`);
      assert.equal(site.driver, 'node-postgres');
      assert.equal(propVal(site.options, 'ssl')?.k, 'bool');
    });

    it('only the drizzle export of a modelled entry is a site (not neon-serverless, not a local function)', () => {
      assert.equal(sites(`import { drizzle } from 'drizzle-orm/neon-serverless';
export const db = drizzle(process.env.DATABASE_URL!);
`).length, 0);
      assert.equal(sites(`function drizzle(url: string) { return url; }
export const db = drizzle('postgres://app@db.internal.example.com/app');
`).length, 0);
    });
  });

  describe('drizzle-orm/postgres-js', () => {
    it('drizzle(url) is postgres(url)', () => {
      const site = oneSite(`import { drizzle } from 'drizzle-orm/postgres-js';
export const db = drizzle('postgres://app@db.internal.example.com/app?sslmode=require');
`);
      assert.equal(site.driver, 'postgres.js');
      assert.equal(site.dsn?.s.text, 'postgres://app@db.internal.example.com/app?sslmode=require');
    });

    it('{ connection: { url, …options } } is postgres(url, options)', () => {
      const code = `import { drizzle } from 'drizzle-orm/postgres-js';
export const db = drizzle({ connection: { url: process.env.DATABASE_URL!, ssl: 'require', max: 5 } });
`;
      const site = oneSite(code);
      assert.equal(site.driver, 'postgres.js');
      assert.equal(site.envName, 'DATABASE_URL');
      assert.equal(strOf(propVal(site.options, 'ssl')), 'require');
    });
  });

  describe('drizzle-orm/mysql2 and singlestore', () => {
    it('drizzle(url) is createPool({ uri }); { connection } is createPool(connection)', () => {
      const s = sites(`import { drizzle } from 'drizzle-orm/mysql2';
export const a = drizzle('mysql://shop@shop-db.internal.example.com/shop');
export const b = drizzle({ connection: { host: 'shop-db.internal.example.com', ssl: { rejectUnauthorized: false } }, mode: 'default' });
`);
      assert.equal(s.length, 2);
      assert.deepEqual(s.map((x) => x.driver), ['mysql2', 'mysql2']);
      assert.equal(s[0].dsn?.s.text, 'mysql://shop@shop-db.internal.example.com/shop');
      assert.ok(prop(propVal(s[1].options, 'ssl'), 'rejectUnauthorized'));
      assert.equal(propVal(s[1].options, 'mode'), undefined);
    });

    it('drizzle-orm/singlestore makes a mysql2 pool', () => {
      const site = oneSite(`import { drizzle } from 'drizzle-orm/singlestore';
export const db = drizzle({ connection: { host: 'svc.singlestore.com', ssl: {} } });
`);
      assert.equal(site.driver, 'mysql2');
    });
  });

  describe('drizzle-orm/node-mssql', () => {
    it('an object connection is new mssql.ConnectionPool(connection)', () => {
      const site = oneSite(`import { drizzle } from 'drizzle-orm/node-mssql';
export const db = drizzle({ connection: { server: 'hr-db.internal.example.com', options: { encrypt: true, trustServerCertificate: true } } });
`);
      assert.equal(site.driver, 'mssql');
      assert.equal(propVal(propVal(site.options, 'options'), 'trustServerCertificate')?.k, 'bool');
    });

    it('an ADO.NET string reaches mssql unchanged; a URL (read by drizzle itself) or an unknown string is not read', () => {
      const s = sites(`import { drizzle } from 'drizzle-orm/node-mssql';
export const a = drizzle('Server=ledger-db.internal.example.com;Database=ledger;Encrypt=false');
export const b = drizzle('mssql://hr@hr-db.internal.example.com:1433/hr');
export const c = drizzle(process.env.MSSQL_URL!);
`);
      assert.equal(s.length, 1);
      assert.equal(s[0].driver, 'mssql');
      assert.equal(s[0].dsn?.s.text, 'Server=ledger-db.internal.example.com;Database=ledger;Encrypt=false');
    });
  });

  describe('Prisma 7 driver adapters', () => {
    it('new PrismaPg(config) is new pg.Pool(config)', () => {
      const code = `import { PrismaClient } from '@prisma/client';
import { PrismaPg } from '@prisma/adapter-pg';
const adapter = new PrismaPg({ connectionString: process.env.DATABASE_URL, ssl: { rejectUnauthorized: false } }, { schema: 'app' });
export const prisma = new PrismaClient({ adapter });
`;
      const site = oneSite(code);
      assert.equal(site.driver, 'node-postgres');
      assert.equal(site.isPool, true);
      assert.equal(site.envName, 'DATABASE_URL');
      assert.deepEqual(site.anchor.start, at(code, 'new PrismaPg').start);
      assert.equal(propVal(site.options, 'schema'), undefined);
    });

    it('new PrismaPg(url) is new pg.Pool({ connectionString: url }); new PrismaPg(pool) is the pool', () => {
      const s = sites(`import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';
export const a = new PrismaPg(process.env.DATABASE_URL!);
const pool = new Pool({ connectionString: process.env.REPORTS_URL });
export const b = new PrismaPg(pool);
`);
      assert.equal(s.length, 2);
      assert.equal(s[0].envName, 'DATABASE_URL');
      assert.equal(s[1].envName, 'REPORTS_URL');
    });

    it('new PrismaMssql(config) is new sql.ConnectionPool(config); a string (Prisma\'s own parser) is not read', () => {
      const s = sites(`import { PrismaMssql } from '@prisma/adapter-mssql';
export const a = new PrismaMssql({ server: 'hr-db.internal.example.com', options: { encrypt: true } });
export const b = new PrismaMssql('sqlserver://sales-db.internal.example.com:1433;database=sales;trustServerCertificate=true');
`);
      assert.equal(s.length, 1);
      assert.equal(s[0].driver, 'mssql');
      assert.equal(strOf(propVal(s[0].options, 'server')), 'hr-db.internal.example.com');
    });

    it('@prisma/adapter-mariadb (the mariadb connector) is not modelled', () => {
      assert.equal(sites(`import { PrismaMariaDb } from '@prisma/adapter-mariadb';
export const a = new PrismaMariaDb({ host: 'db.internal.example.com', ssl: true });
`).length, 0);
    });
  });
});
