/**
 * Messages and quick fixes that an audit on realistic service code found wrong, checked through
 * the whole engine (analyzeText): what the finding says and what its fix writes must hold under
 * the consuming driver.
 */
import { strict as assert } from 'node:assert';
import { analyzeText, applyEdits, consumerEntries, initEngine } from '../../server/src/engine/scan';
import { mergeEnvConsumers } from '../../server/src/engine/profile/index';
import { isTestFile } from '../../server/src/engine/sources';
import { DEFAULT_SETTINGS } from '../../server/src/engine/settings';
import { Finding } from '../../server/src/engine/model';

function findings(path: string, text: string): Finding[] {
  return analyzeText(path, text, DEFAULT_SETTINGS).findings;
}

function one(fs: Finding[], ruleId: string): Finding {
  const f = fs.filter((x) => x.ruleId === ruleId);
  assert.equal(f.length, 1, `${ruleId}: ${JSON.stringify(fs.map((x) => x.ruleId))}`);
  return f[0];
}

describe('audit findings: messages and fixes under the consuming driver', () => {
  before(() => initEngine());

  it('masks a weak password without garbling the names it is part of ("node-postgres" with password "postgres")', () => {
    const text = "const { Pool } = require('pg');\nmodule.exports = new Pool({ host: 'orders.internal.example.com', user: 'app', password: 'postgres', ssl: { rejectUnauthorized: false }, connectionTimeoutMillis: 5000 });\n";
    const fs = findings('db.js', text);
    const c2 = one(fs, 'tls-cert-unverified');
    assert.match(c2.message, /under node-postgres \(pg\)/);
    assert.doesNotMatch(c2.message, /node-\*\*\*\*/);
    const c6 = one(fs, 'hardcoded-password');
    assert.match(c6.message, /password = \*\*\*\*/);
  });

  it('tells mysql2 users to mint a per-connection token in the clear-text auth plugin, not a password function', () => {
    const text = [
      "import mysql from 'mysql2/promise';",
      "import { Signer } from '@aws-sdk/rds-signer';",
      "const signer = new Signer({ hostname: 'ledger.cluster-abc.eu-west-1.rds.amazonaws.com', port: 3306, username: 'ledger_iam', region: 'eu-west-1' });",
      'export async function pool() {',
      "  return mysql.createPool({ host: 'ledger.cluster-abc.eu-west-1.rds.amazonaws.com', user: 'ledger_iam', password: await signer.getAuthToken(), ssl: { ca: process.env.RDS_CA, verifyIdentity: true }, enableCleartextPlugin: true, connectTimeout: 5000 });",
      '}',
      '',
    ].join('\n');
    const f = one(findings('db.ts', text), 'iam-token-reused');
    assert.match(f.message, /authPlugins: \{ mysql_clear_password: /);
    assert.doesNotMatch(f.message, /pg calls it/);
  });

  it('adds TypeORM\'s own connectTimeoutMS, not pg\'s key, to a DataSource', () => {
    const text = "import { DataSource } from 'typeorm';\nexport const ds = new DataSource({ type: 'postgres', host: 'db.internal.example.com', password: process.env.DB_PASSWORD, ssl: true });\n";
    const f = one(findings('ds.ts', text), 'connect-timeout-missing');
    assert.equal(f.fixes.length, 1);
    const fixed = applyEdits(text, f.fixes[0].edits);
    assert.match(fixed, /connectTimeoutMS: 10000/);
    assert.doesNotMatch(fixed, /connectionTimeoutMillis/);
  });

  it('offers the provider CA for pg ssl: true to RDS as an ssl object (not preferred: the path is a guess)', () => {
    const text = "import { Pool } from 'pg';\nexport const pool = new Pool({ host: 'orders.cluster-abc.us-east-1.rds.amazonaws.com', ssl: true, connectionTimeoutMillis: 5000 });\n";
    const f = one(findings('db.ts', text), 'tls-ca-untrusted');
    assert.equal(f.fixes.length, 1);
    assert.equal(f.fixes[0].preferred, false);
    const fixed = applyEdits(text, f.fixes[0].edits);
    assert.match(fixed, /ssl: \{ ca: require\('fs'\)\.readFileSync\('\/etc\/ssl\/certs\/global-bundle\.pem', 'utf8'\) \}, connectionTimeoutMillis/);
    assert.equal(findings('db.ts', fixed).filter((x) => x.ruleId === 'tls-ca-untrusted').length, 0);
  });

  it('keeps a .env setting in effect when only one of two readers of the same driver overrides it in code', () => {
    const merged = mergeEnvConsumers([
      ['DATABASE_URL', { driver: 'postgres.js', where: 'src/index.ts:3', options: [] }],
      ['DATABASE_URL', { driver: 'postgres.js', where: 'src/migrate.ts:4', options: ['ssl'] }],
    ]);
    assert.deepEqual(merged.get('DATABASE_URL')?.options, []);
    const both = mergeEnvConsumers([
      ['DATABASE_URL', { driver: 'postgres.js', where: 'src/a.ts:3', options: ['ssl', 'connect_timeout'] }],
      ['DATABASE_URL', { driver: 'postgres.js', where: 'src/b.ts:4', options: ['ssl'] }],
    ]);
    assert.deepEqual(both.get('DATABASE_URL')?.options, ['ssl']);
  });

  it('puts the CA into the URL when the URL\'s TLS settings replace the ssl object (no duplicate ca key)', () => {
    const text = [
      "import { Pool } from 'pg';",
      "import fs from 'node:fs';",
      'export const pool = new Pool({',
      "  connectionString: 'postgres://orders_app@orders.c9akciq32.eu-west-1.rds.amazonaws.com:5432/orders?sslmode=require',",
      "  ssl: { ca: fs.readFileSync('/etc/ssl/rds/global-bundle.pem', 'utf8') },",
      '  connectionTimeoutMillis: 5000,',
      '});',
      '',
    ].join('\n');
    const f = one(findings('db.ts', text), 'tls-ca-untrusted');
    assert.equal(f.fixes.length, 1);
    const fixed = applyEdits(text, f.fixes[0].edits);
    assert.match(fixed, /sslmode=require&sslrootcert=\/etc\/ssl\/certs\/global-bundle\.pem'/);
    assert.equal((fixed.match(/\bca:/g) ?? []).length, 1);
  });

  it("describes mysql2's 'Amazon RDS' profile as deprecated, not as a CA that always fails", () => {
    const text = "import mysql from 'mysql2';\nexport const p = mysql.createPool({ host: 'catalog.abc123xyz.us-east-1.rds.amazonaws.com', user: 'catalog', password: process.env.PW, ssl: 'Amazon RDS', connectTimeout: 5000 });\n";
    const f = one(findings('db.ts', text), 'tls-ca-untrusted');
    assert.match(f.message, /deprecated/);
    assert.match(f.message, /3\.10\.3/);
  });

  it('writes the mysql2 URL ssl object percent-encoded, so a fix inside a quoted YAML value keeps it valid', () => {
    const text = 'env:\n  - name: MYSQL_URL\n    value: "mysql://catalog:Cat4log-Pw@catalog.internal.example.com:3306/catalog?connectTimeout=5000"\n';
    const f = one(findings('values.yaml', text), 'tls-disabled');
    const fix = f.fixes.find((x) => /verified TLS/.test(x.title));
    assert.ok(fix, JSON.stringify(f.fixes.map((x) => x.title)));
    const fixed = applyEdits(text, fix.edits);
    assert.match(fixed, /ssl=%7B%22verifyIdentity%22%3Atrue%7D"/);
    // The fixed value reads as verified TLS (mysql2 decodes query values before JSON.parse).
    assert.equal(findings('values.yaml', fixed).filter((x) => x.ruleId === 'tls-disabled').length, 0);
  });

  it('judges a .env connection string without the settings its reader passes in code (pg ssl and timeout, postgres.js ssl)', () => {
    const env = 'DATABASE_URL=postgres://app@orders-db.internal.example.com:5432/orders\n';
    const judged = (path: string, code: string): Finding[] => {
      const analysis = analyzeText(path, code, DEFAULT_SETTINGS);
      const consumers = mergeEnvConsumers(consumerEntries(analysis, path, code));
      return analyzeText('.env', env, DEFAULT_SETTINGS, { envFileTracked: true, envConsumers: consumers }).findings;
    };
    // The reader sets ssl and a timeout itself (the URL has neither): nothing for the value to answer for.
    const withOptions = judged('src/db.ts', "import { Pool } from 'pg';\nimport { readFileSync } from 'node:fs';\nexport const pool = new Pool({ connectionString: process.env.DATABASE_URL, ssl: { ca: readFileSync('/etc/ssl/db-ca.pem', 'utf8') }, connectionTimeoutMillis: 5000 });\n");
    assert.deepEqual(withOptions.map((f) => f.ruleId), []);
    const porsager = judged('src/sql.ts', "import postgres from 'postgres';\nexport const sql = postgres(process.env.DATABASE_URL!, { ssl: 'verify-full' });\n");
    assert.deepEqual(porsager.map((f) => f.ruleId), []);
    // A reader that passes nothing: the value's own (missing) settings are what pg uses.
    const bare = judged('src/db.ts', "import { Pool } from 'pg';\nexport const pool = new Pool({ connectionString: process.env.DATABASE_URL });\n");
    assert.deepEqual(bare.map((f) => f.ruleId).sort(), ['connect-timeout-missing', 'tls-disabled']);
  });

  it('resolves the reader of an env variable read through a parsed copy of process.env (zod, envalid)', () => {
    for (const code of [
      "import { z } from 'zod';\nimport { Pool } from 'pg';\nexport const env = z.object({ DATABASE_URL: z.string().url() }).parse(process.env);\nexport const pool = new Pool({ connectionString: env.DATABASE_URL });\n",
      "import { cleanEnv, url } from 'envalid';\nimport { Pool } from 'pg';\nconst env = cleanEnv(process.env, { DATABASE_URL: url() });\nexport const pool = new Pool({ connectionString: env.DATABASE_URL });\n",
    ]) {
      const entries = consumerEntries(analyzeText('src/db.ts', code, DEFAULT_SETTINGS), 'src/db.ts', code);
      assert.deepEqual(entries.map(([name, c]) => [name, c.driver]), [['DATABASE_URL', 'node-postgres']]);
    }
  });

  it('ignores the config package\'s custom-environment-variables file (its values are variable names)', () => {
    const text = '{ "db": { "password": "DB_PASSWORD", "url": "DATABASE_URL" } }\n';
    assert.deepEqual(findings('config/custom-environment-variables.json', text), []);
    assert.equal(findings('config/production.json', '{ "db": { "password": "Pr0d-Passw0rd!" } }\n').length, 1);
  });

  it('recognises test files by the names test runners and test helpers use', () => {
    for (const f of ['src/users/users.e2e-spec.ts', 'src/orders.int-spec.ts', 'jest.setup.ts', 'vitest.setup.ts', 'jest.global-setup.js', 'src/setupTests.ts', 'internal/testutil/pg.go', 'test-utils/db.ts', '.env.test']) {
      assert.equal(isTestFile(f), true, f);
    }
    for (const f of ['src/db.ts', 'internal/store/pg.go', 'src/contest.ts', 'src/latest.ts', 'testimonials/db.ts', '.env.production']) assert.equal(isTestFile(f), false, f);
  });

  it('does not make a tls=true fix preferred for MySQL reached with an RDS IAM token on a host not known statically', () => {
    const text = [
      'package db',
      '',
      'import (',
      '\t"context"',
      '\t"database/sql"',
      '\t"fmt"',
      '',
      '\t"github.com/aws/aws-sdk-go-v2/aws"',
      '\t"github.com/aws/aws-sdk-go-v2/feature/rds/auth"',
      '\t_ "github.com/go-sql-driver/mysql"',
      ')',
      '',
      'func Open(ctx context.Context, endpoint, region, user, name string, creds aws.CredentialsProvider) (*sql.DB, error) {',
      '\ttoken, err := auth.BuildAuthToken(ctx, endpoint, region, user, creds)',
      '\tif err != nil {',
      '\t\treturn nil, err',
      '\t}',
      '\tdsn := fmt.Sprintf("%s:%s@tcp(%s)/%s?tls=skip-verify&allowCleartextPasswords=true&timeout=5s", user, token, endpoint, name)',
      '\treturn sql.Open("mysql", dsn)',
      '}',
      '',
    ].join('\n');
    const f = one(findings('db.go', text), 'tls-cert-unverified');
    assert.ok(f.fixes.length > 0);
    assert.ok(f.fixes.every((x) => !x.preferred), JSON.stringify(f.fixes));
  });
  it('treats a NestJS TypeORM url read through ConfigService as the .env value\'s reader, not as "no ssl option"', () => {
    const code = [
      "import { Module } from '@nestjs/common';",
      "import { ConfigModule, ConfigService } from '@nestjs/config';",
      "import { TypeOrmModule } from '@nestjs/typeorm';",
      '@Module({',
      '  imports: [',
      '    ConfigModule.forRoot(),',
      '    TypeOrmModule.forRootAsync({',
      '      inject: [ConfigService],',
      "      useFactory: (c: ConfigService) => ({ type: 'postgres', url: c.getOrThrow('DATABASE_URL'), autoLoadEntities: true, connectTimeoutMS: 5000 }),",
      '    }),',
      '  ],',
      '})',
      'export class AppModule {}',
      '',
    ].join('\n');
    const analysis = analyzeText('src/app.module.ts', code, DEFAULT_SETTINGS);
    assert.deepEqual(analysis.findings.map((f) => f.ruleId), []);
    const consumers = mergeEnvConsumers(consumerEntries(analysis, 'src/app.module.ts', code));
    // pg's reading of the value: sslmode=require is TLS with full verification (no libpq C2) …
    const env = 'DATABASE_URL=postgres://app@orders-db.internal.example.com:5432/orders?sslmode=require\n';
    assert.deepEqual(analyzeText('.env', env, DEFAULT_SETTINGS, { envFileTracked: true, envConsumers: consumers }).findings.map((f) => f.ruleId), []);
    // … and without any ssl parameter pg connects in plaintext.
    const bare = analyzeText('.env', 'DATABASE_URL=postgres://app@orders-db.internal.example.com:5432/orders\n', DEFAULT_SETTINGS, { envFileTracked: true, envConsumers: consumers });
    assert.match(one(bare.findings, 'tls-disabled').message, /node-postgres/);
  });

  it('does not report rejectUnauthorized: false inside an ssl object pg ignores (the URL\'s TLS parameters replace it)', () => {
    const text = [
      'module.exports = {',
      '  production: {',
      "    client: 'pg',",
      '    connection: {',
      "      connectionString: 'postgres://app@orders.cluster-abc.eu-west-1.rds.amazonaws.com:5432/orders?sslmode=verify-full&sslrootcert=/etc/ssl/rds.pem',",
      '      ssl: { rejectUnauthorized: false },',
      '    },',
      '  },',
      '};',
      '',
    ].join('\n');
    const fs = findings('knexfile.js', text);
    assert.match(one(fs, 'dsn-invalid').message, /ignores this ssl object/);
    assert.equal(fs.filter((f) => f.ruleId === 'tls-cert-unverified').length, 0);
  });

  it('tells pg users with TLS settings in the URL to add the CA to the URL (sslrootcert), not to ssl.ca', () => {
    const text = "import { Pool } from 'pg';\nexport const pool = new Pool({ connectionString: 'postgres://app@orders.cluster-abc.eu-west-1.rds.amazonaws.com:5432/orders?ssl=no-verify', connectionTimeoutMillis: 5000 });\n";
    const f = one(findings('db.ts', text), 'tls-cert-unverified');
    assert.match(f.fixes[0].title, /^Set ssl=true \(also add the provider CA bundle to the connection string as sslrootcert=/);
    assert.doesNotMatch(f.message, /ssl\.ca/);
  });
});
