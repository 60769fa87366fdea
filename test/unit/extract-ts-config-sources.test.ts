/**
 * TS/JS extractor tests for connection settings that reach a driver without a literal options
 * argument: knex `connection` functions (the returned object is the config), configuration
 * modules that open no connection, and objects declared with a driver's config type.
 * Offsets are found by substring in the test source (never hard-coded numbers).
 */
import * as assert from 'node:assert/strict';
import * as ts from 'typescript';
import { extractTs } from '../../server/src/engine/extract/typescript';
import { at } from '../support/ranges';
import { Evaluator, returnedExpressions } from '../../server/src/engine/extract/ts/evaluate';
import { Observation, Val, prop, strOf } from '../../server/src/engine/extract/values';


function valAt(v: Val | undefined, path: string): Val | undefined {
  let cur = v;
  for (const k of path.split('.')) cur = prop(cur, k)?.value;
  return cur;
}

function tlsObservations(code: string, path = 'src/config.ts'): Extract<Observation, { kind: 'tls-config' }>[] {
  return extractTs(code, path).observations.filter((o): o is Extract<Observation, { kind: 'tls-config' }> => o.kind === 'tls-config');
}

describe('TS/JS extractor: settings from functions, config modules and config types', () => {
  describe('returnedExpressions', () => {
    const fnOf = (code: string): ts.FunctionLikeDeclaration => {
      const sf = ts.createSourceFile('f.ts', code, ts.ScriptTarget.Latest, true);
      let found: ts.FunctionLikeDeclaration | undefined;
      const visit = (n: ts.Node): void => {
        if (!found && (ts.isArrowFunction(n) || ts.isFunctionExpression(n) || ts.isFunctionDeclaration(n))) found = n;
        ts.forEachChild(n, visit);
      };
      visit(sf);
      assert.ok(found);
      return found;
    };
    const texts = (code: string): string[] | undefined => returnedExpressions(fnOf(code))?.map((e) => e.getText());

    it('a concise arrow body, with conditional branches split', () => {
      assert.deepEqual(texts('const f = () => ({ a: 1 });'), ['({ a: 1 })']);
      assert.deepEqual(texts('const f = () => (c ? { a: 1 } : d ? { a: 2 } : { a: 3 });'), ['{ a: 1 }', '{ a: 2 }', '{ a: 3 }']);
    });

    it('return statements in source order, not those of nested functions', () => {
      const code = 'function f() { if (x) { return { a: 1 }; } const g = () => { return 9; }; return { a: 2 }; }';
      assert.deepEqual(texts(code), ['{ a: 1 }', '{ a: 2 }']);
    });

    it('unknown when a path returns nothing', () => {
      assert.equal(texts('function f() { if (x) return; return { a: 1 }; }'), undefined);
      assert.equal(texts('function f() { doSomething(); }'), undefined);
    });
  });

  describe('typeModuleRef', () => {
    const refOf = (code: string, varName: string): string | undefined => {
      const sf = ts.createSourceFile('f.ts', code, ts.ScriptTarget.Latest, true);
      const ev = new Evaluator(sf);
      let out: string | undefined;
      const visit = (n: ts.Node): void => {
        if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === varName && n.type && ts.isTypeReferenceNode(n.type)) {
          const r = ev.typeModuleRef(n.type.typeName);
          out = r ? `${r.module}:${r.path.join('.')}` : undefined;
        }
        ts.forEachChild(n, visit);
      };
      visit(sf);
      return out;
    };

    it('resolves default, namespace, named, renamed and type-only imports', () => {
      assert.equal(refOf(`import sql from 'mssql'; const c: sql.config = {};`, 'c'), 'mssql:config');
      assert.equal(refOf(`import * as pg from 'pg'; const c: pg.PoolConfig = {};`, 'c'), 'pg:PoolConfig');
      assert.equal(refOf(`import type { PoolConfig as P } from 'pg'; const c: P = {};`, 'c'), 'pg:PoolConfig');
      assert.equal(refOf(`import { type PoolOptions } from 'mysql2/promise'; const c: PoolOptions = {};`, 'c'), 'mysql2/promise:PoolOptions');
      assert.equal(refOf(`import sql = require('mssql'); const c: sql.config = {};`, 'c'), 'mssql:config');
    });

    it('a local type or value of the same name is not an import', () => {
      assert.equal(refOf(`interface config { a: 1 } const c: config = { a: 1 };`, 'c'), undefined);
      assert.equal(refOf(`const sql = makeSql(); const c: sql.config = {};`, 'c'), undefined);
    });
  });

  describe('knex connection functions', () => {
    it('the returned object is the connection config; a token minted inside is per connection', () => {
      const code = `import knex from 'knex';
import { Signer } from '@aws-sdk/rds-signer';
const signer = new Signer({ hostname: 'h', port: 5432, username: 'u', region: 'eu-west-1' });
export default knex({
  client: 'pg',
  connection: async () => ({ host: 'db.example.com', password: await signer.getAuthToken(), ssl: { ca: 'pem' } }),
});
`;
      const r = extractTs(code, 'src/db.ts');
      assert.equal(r.sites.length, 1);
      const site = r.sites[0];
      assert.equal(site.driver, 'node-postgres');
      assert.equal(site.wrapper, 'knex');
      assert.equal(strOf(valAt(site.options, 'host')), 'db.example.com');
      assert.equal(valAt(site.options, 'ssl')?.k, 'obj');
      assert.equal(site.tokenMintedOnce, undefined);
    });

    it('a token minted outside the function is still minted once', () => {
      const code = `import knex from 'knex';
import { Signer } from '@aws-sdk/rds-signer';
const signer = new Signer({ hostname: 'h', port: 5432, username: 'u', region: 'eu-west-1' });
const token = await signer.getAuthToken();
export default knex({ client: 'pg', connection: () => ({ host: 'db.example.com', password: token }) });
`;
      const site = extractTs(code, 'src/db.ts').sites[0];
      assert.deepEqual(site.tokenMintedOnce?.mintedAt, at(code, 'signer.getAuthToken()'));
    });

    it('returns that agree are read; returns that disagree give no site', () => {
      const agree = `import knex from 'knex';
export const a = knex({ client: 'mysql2', connection: () => { if (x) return { host: 'h', ssl: { rejectUnauthorized: false } }; return { host: 'h', ssl: { rejectUnauthorized: false } }; } });
`;
      const sites = extractTs(agree, 'src/db.ts').sites;
      assert.equal(sites.length, 1);
      assert.deepEqual(valAt(sites[0].options, 'ssl.rejectUnauthorized')?.range, at(agree, 'false'));
      const disagree = `import knex from 'knex';
export const b = knex({ client: 'pg', connection: () => (prod ? { host: 'h', ssl: { ca: 'pem' } } : { host: 'h', ssl: false }) });
`;
      assert.equal(extractTs(disagree, 'src/db.ts').sites.length, 0);
    });

    it('a knexfile environment with a connection function', () => {
      const code = `module.exports = { production: { client: 'mssql', connection: function () { return { server: 'sql.example.com', options: { encrypt: false } }; } } };`;
      const sites = extractTs(code, 'knexfile.js').sites;
      assert.equal(sites.length, 1);
      assert.equal(sites[0].driver, 'mssql');
      assert.equal(valAt(sites[0].options, 'options.encrypt')?.k, 'bool');
    });
  });

  describe('configuration modules', () => {
    it('rejectUnauthorized: false inside a config object of a module without a driver import', () => {
      const code = `export default () => ({
  database: { type: 'postgres' as const, host: process.env.DB_HOST, ssl: process.env.DB_SSL === 'true' ? { rejectUnauthorized: false } : false },
});
export const agent = { rejectUnauthorized: false };
`;
      const found = tlsObservations(code);
      assert.equal(found.length, 1);
      assert.deepEqual(found[0].facts.insecureSkipVerify?.range, at(code, 'false'));
    });

    it('a module without any connection config reports nothing', () => {
      assert.equal(tlsObservations(`export const agent = { host: 'x', rejectUnauthorized: false };`).length, 0);
    });
  });

  describe('objects declared with a driver config type', () => {
    it('sql.config, PoolConfig (also through satisfies) and PoolOptions are sites of their driver', () => {
      const code = `import sql from 'mssql';
import type { PoolConfig } from 'pg';
import * as mysql from 'mysql2/promise';
export const a: sql.config = { server: 's', options: { trustServerCertificate: true } };
export const b: PoolConfig = { host: 'h' };
export const c = { host: 'h' } satisfies mysql.PoolOptions;
`;
      const sites = extractTs(code, 'src/config.ts').sites;
      assert.deepEqual(sites.map((s) => s.driver), ['mssql', 'node-postgres', 'mysql2']);
      assert.deepEqual(sites[0].anchor, at(code, `{ server: 's', options: { trustServerCertificate: true } }`));
    });

    it('an object consumed by a call in the file is read as that call only', () => {
      const code = `import { Pool, PoolConfig } from 'pg';
const direct: PoolConfig = { host: 'h1', ssl: { rejectUnauthorized: false } };
const spread: PoolConfig = { host: 'h2', ssl: { rejectUnauthorized: false } };
export const p1 = new Pool(direct);
export const p2 = new Pool({ ...spread, max: 5 });
`;
      const sites = extractTs(code, 'src/db.ts').sites;
      assert.equal(sites.length, 2);
      assert.deepEqual(sites.map((s) => strOf(valAt(s.options, 'host'))), ['h1', 'h2']);
    });
  });
});
