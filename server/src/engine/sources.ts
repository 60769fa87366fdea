/**
 * Which files the engine reads, as what, and the content prefilter: the parts of the engine that
 * deciding whether a file needs analysis takes — kept apart from the extractors so that the
 * CLI's reader thread (cli/reader-worker.ts) loads none of them.
 */
import type { ConfigKind } from './extract/config/index';

export type SourceKind = 'go' | 'ts' | ConfigKind;

/** Which extractor reads a path, or undefined when ConnGuard has nothing to say about it. */
export function sourceKindOf(path: string): SourceKind | undefined {
  // Called for every file a scan walks: no regex replace or split on the whole path.
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  const lower = (cut < 0 ? path : path.slice(cut + 1)).toLowerCase();
  const dot = lower.lastIndexOf('.');
  const ext = dot < 0 ? '' : lower.slice(dot + 1);
  switch (ext) {
    case 'go':
      return 'go';
    case 'ts':
      if (lower.endsWith('.d.ts')) break; // declarations hold no values (but `.env.d.ts` is a .env file)
      return 'ts';
    case 'tsx': case 'mts': case 'cts': case 'js': case 'jsx': case 'mjs': case 'cjs':
      return 'ts';
    case 'env':
      return 'dotenv';
  }
  if (lower === '.env' || lower.startsWith('.env.')) return 'dotenv';
  switch (ext) {
    case 'yaml': case 'yml':
      return 'yaml';
    case 'json':
      return lower === 'package-lock.json' ? undefined : 'json';
    case 'jsonc':
      return 'json';
    case 'toml':
      return 'toml';
    case 'properties':
      return 'properties';
    case 'prisma':
      return 'prisma';
  }
  return undefined;
}

/**
 * Sources that tell which env variables reach which driver — code (Go, TS/JS) and Prisma schemas
 * (`url = env("DATABASE_URL")` hands DATABASE_URL to Prisma's engine) — as opposed to
 * configuration whose values they judge. The CLI and the language server analyse these first,
 * without env consumers, and collect their readers (engine/scan.ts consumerEntries).
 */
export function isCodeKind(kind: SourceKind | undefined): boolean {
  return kind === 'go' || kind === 'ts' || kind === 'prisma';
}

/** Test files get no transport findings by default (SPEC §1.6). */
export function isTestFile(path: string): boolean {
  const p = path.replace(/\\/g, '/').toLowerCase();
  const base = p.split('/').pop() ?? '';
  return (
    base.endsWith('_test.go') ||
    // foo.test.ts, foo.spec.ts, and the NestJS/Angular kinds: foo.e2e-spec.ts, foo.int-spec.ts.
    /\.(?:test|spec|[a-z0-9]+-(?:test|spec))\.[cm]?[jt]sx?$/.test(base) ||
    // Test-runner set-up files (jest.setup.ts, vitest.setup.ts, jest.global-setup.js, setupTests.ts).
    /^(?:jest|vitest|mocha|ava)\.(?:[a-z-]+\.)?(?:setup|teardown|global-setup|global-teardown)\.[cm]?[jt]sx?$|^setuptests\.[cm]?[jt]sx?$/.test(base) ||
    // Environment files for test runs.
    base === '.env.test' || base === '.env.testing' || base.startsWith('.env.test.') ||
    /(^|\/)(__tests__|__mocks__|testdata|fixtures?)\//.test(p) ||
    /(^|\/)(test|tests|e2e)\//.test(p) ||
    // Test helper packages (Go `internal/testutil`, `testhelpers`; TS `test-utils`).
    /(^|\/)(?:testutils?|testhelpers?|testing-?utils|test-?utils|test-?helpers)\//.test(p)
  );
}

/**
 * Content prefilter: a file in which none of these occur cannot produce a finding, so it is not
 * parsed. Kept in one place so the benchmark compares ripgrep with the same pattern.
 */
/*
 * Why these tokens suffice: every connection site needs a driver import or a connection-string
 * scheme/keyword (sql, pgx, postgres, mysql, maria, mssql, tedious, godror, oracle, gorm, knex,
 * sequelize, typeorm, prisma, 'pg' / pg-pool for node-postgres, sslmode, server=/data source for
 * ADO, tcp( for go-sql-driver, PGHOST for libpq environment variables read as one connection);
 * every observation needs a password/secret name, a cloud key prefix, an env name
 * (NODE_TLS_REJECT_UNAUTHORIZED, SSLKEYLOGFILE), or — for a logged connection string in a file
 * that opens none — a name like one (dsn, dbUrl, DATABASE_URI, connectionString). tls.Config findings need a driver import.
 */
export const CANDIDATE_PATTERN =
  /sql|pgx|postgres|['"`]pg['"`]|pg-pool|mysql|maria|mssql|tedious|godror|oracle|gorm|knex|sequelize|typeorm|prisma|sslmode|server\s*=|data source|tcp\(|pghost|dsn|dburl|db_url|dburi|db_uri|databaseurl|database_url|databaseuri|database_uri|connectionstr|connection_str|connstr|conn_str|passw|pwd|secret|AKIA|ASIA|ABIA|ACCA|LTAI|NODE_TLS|KEYLOG/i;

/**
 * Whether a piece of code (a function body, a declaration) shows a CANDIDATE_PATTERN token or
 * one of `extra` — also with `_` removed, as the extractors normalise names (`Data_Source`,
 * `PG_URL`, `DB_PASS`). The first-slice planners' trigger test (goUnitTriggered, tsUnitTriggered).
 */
export function showsTriggerToken(text: string, extra: RegExp): boolean {
  if (CANDIDATE_PATTERN.test(text) || extra.test(text)) return true;
  if (!text.includes('_')) return false;
  const joined = text.replace(/_/g, '');
  return CANDIDATE_PATTERN.test(joined) || extra.test(joined);
}
