/**
 * End-to-end golden tests: real findings through the whole pipeline (walk → engine → formatter
 * → exit code), --fix rewriting files, --max-warnings, the .env tracking rule, and the promise
 * that no output format ever contains a secret value. These need the extractors, profiles and
 * rules, not only the CLI.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { connguard, positionOf, removeTree, scanJson, tempTree } from './helpers';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Ajv = require('ajv-draft-04');
const validateSarif = new Ajv({ strict: false, unicodeRegExp: false, validateFormats: false, logger: false }).compile(
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'),
);

const PGX_GO = `package main

import (
	"database/sql"

	_ "github.com/jackc/pgx/v5/stdlib"
)

func main() {
	db, err := sql.Open("pgx", "postgres://u@db.example.com/app?sslmode=disable")
	if err != nil {
		panic(err)
	}
	defer db.Close()
}
`;

const SECRET = 'hunter2hunter2';
const SECRET_GO = PGX_GO.replace('postgres://u@', `postgres://u:${SECRET}@`);

describe('cli golden: pgx sslmode=disable', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempTree({ 'main.go': PGX_GO });
  });
  afterEach(() => removeTree(dir));

  it('reports tls-disabled on the sslmode value and exits 1', () => {
    const { code, report } = scanJson(dir);
    assert.equal(code, 1);
    const file = report.results.find((r) => r.path === 'main.go');
    assert.ok(file);
    const f = file.findings.find((x) => x.ruleId === 'tls-disabled');
    assert.ok(f, JSON.stringify(file.findings));
    assert.equal(f.severity, 'error');
    // The range covers the offending token: it lies on the DSN's line and spans the value.
    const value = positionOf(PGX_GO, 'disable"');
    assert.equal(f.range.start.line, value.line);
    assert.equal(f.range.end.line, value.line);
    assert.ok(f.range.start.column <= value.column && f.range.end.column >= value.column + 'disable'.length, JSON.stringify(f.range));
    assert.ok(f.fixes.some((x) => x.preferred), 'a preferred fix is offered');
    assert.match(f.fingerprint, /^[0-9a-f]{32}$/);
    assert.ok(report.summary.errors >= 1);
  });

  it('stylish and SARIF outputs agree', () => {
    const s = connguard(['scan', '.'], dir);
    assert.equal(s.code, 1);
    assert.match(s.stdout, /^main\.go$/m);
    assert.match(s.stdout, /^\s+\d+:\d+\s+error\s+.+\s+tls-disabled$/m);
    assert.match(s.stdout, /✖ \d+ problems? \(\d+ errors?, \d+ warnings?, \d+ infos?\)/);
    const r = connguard(['scan', '.', '--format', 'sarif'], dir);
    assert.equal(r.code, 1);
    const log = JSON.parse(r.stdout);
    assert.ok(validateSarif(log), JSON.stringify(validateSarif.errors));
    const result = log.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'tls-disabled');
    assert.ok(result);
    assert.equal(result.level, 'error');
    assert.deepEqual(result.locations[0].physicalLocation.artifactLocation, { uri: 'main.go', uriBaseId: '%SRCROOT%' });
    assert.equal(result.locations[0].physicalLocation.region.startLine, positionOf(PGX_GO, 'sslmode').line);
    assert.ok(result.fixes?.length >= 1);
  });

  it('--fix applies the preferred fix, rewrites the file and reports what remains', () => {
    const r = scanJson(dir, ['.', '--fix']);
    const fixed = fs.readFileSync(path.join(dir, 'main.go'), 'utf8');
    assert.ok(!fixed.includes('sslmode=disable'), fixed);
    assert.ok(fixed.includes('sslmode=verify-full'), fixed);
    // Only the DSN changed.
    assert.equal(fixed, PGX_GO.replace('sslmode=disable', 'sslmode=verify-full'));
    assert.equal(r.report.summary.fixedFiles, 1);
    assert.ok(!r.report.results.some((x) => x.findings.some((f) => f.ruleId === 'tls-disabled')), 'fixed finding not reported');
    assert.equal(r.code, 0, 'only information findings remain');
    const again = scanJson(dir);
    assert.equal(again.code, 0);
    assert.ok(!again.report.results.some((x) => x.findings.some((f) => f.ruleId.startsWith('tls-'))));
  });
});

describe('cli golden: --max-warnings', () => {
  it('warnings fail the run only above --max-warnings', () => {
    // Loopback host: no transport findings; multiStatements=true is a dangerous-driver-option warning.
    const dir = tempTree({
      'main.go': `package main

import (
	"database/sql"

	_ "github.com/go-sql-driver/mysql"
)

func main() {
	db, _ := sql.Open("mysql", "u@tcp(localhost:3306)/app?multiStatements=true&timeout=5s")
	defer db.Close()
}
`,
    });
    try {
      const { code, report } = scanJson(dir);
      assert.equal(report.summary.errors, 0, JSON.stringify(report));
      assert.equal(report.summary.warnings, 1, JSON.stringify(report));
      assert.equal(code, 0);
      assert.equal(connguard(['scan', '.', '--max-warnings', '1'], dir).code, 0);
      const r = connguard(['scan', '.', '--max-warnings', '0'], dir);
      assert.equal(r.code, 1);
      assert.match(r.stdout, /dangerous-driver-option/);
    } finally {
      removeTree(dir);
    }
  });
});

describe('cli golden: .env files and git tracking', () => {
  const ENV = `DATABASE_URL=postgres://app:${SECRET}@db.example.com/app?sslmode=verify-full\n`;

  it('hardcoded-password is reported in a tracked .env file only', () => {
    const dir = tempTree({ '.env': ENV, 'untracked/.env': ENV });
    try {
      execFileSync('git', ['init', '-q'], { cwd: dir });
      execFileSync('git', ['add', '.env'], { cwd: dir });
      const { report } = scanJson(dir);
      const tracked = report.results.find((r) => r.path === '.env')!;
      const untracked = report.results.find((r) => r.path === 'untracked/.env')!;
      assert.ok(tracked.findings.some((f) => f.ruleId === 'hardcoded-password'), JSON.stringify(report));
      assert.ok(!untracked.findings.some((f) => f.ruleId === 'hardcoded-password'), JSON.stringify(report));
    } finally {
      removeTree(dir);
    }
  });

  it('without a git binary .env files count as untracked, with a run note', () => {
    const dir = tempTree({ '.env': ENV, '.git/HEAD': 'ref: refs/heads/main\n' });
    const emptyBin = fs.mkdtempSync(path.join(dir, 'bin-'));
    try {
      const r = connguard(['scan', '.env', '--format', 'json'], dir, { PATH: emptyBin });
      const report = JSON.parse(r.stdout);
      assert.ok(report.runNotes.some((n: string) => /git was not found/.test(n)), r.stdout);
      assert.ok(!report.results[0].findings.some((f: { ruleId: string }) => f.ruleId === 'hardcoded-password'));
    } finally {
      removeTree(dir);
    }
  });
});

describe('cli golden: no secret in any output', () => {
  it('a DSN password appears in no format, while the finding is reported', () => {
    const dir = tempTree({ 'main.go': SECRET_GO, '.env': `DB_PASSWORD=${SECRET}\n` });
    try {
      execFileSync('git', ['init', '-q'], { cwd: dir });
      execFileSync('git', ['add', '.'], { cwd: dir });
      for (const format of ['stylish', 'json', 'sarif']) {
        const r = connguard(['scan', '.', '--format', format], dir);
        assert.equal(r.code, 1, `${format}: ${r.stderr}`);
        assert.ok(!r.stdout.includes(SECRET) && !r.stderr.includes(SECRET), format);
      }
      const { report } = scanJson(dir);
      assert.ok(report.results.some((x) => x.findings.some((f) => f.ruleId === 'hardcoded-password')));
    } finally {
      removeTree(dir);
    }
  });
});
