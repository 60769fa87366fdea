/**
 * SPEC §5 through the CLI: a 1 MB single line, a minified bundle, deeply nested code, half-typed
 * code and a malformed DSN never crash or hang the scan, and what is valid is still found.
 * (Bounded time per file is enforced by the engine; mocha's timeout only catches a hang.)
 */
import { strict as assert } from 'node:assert';
import { connguard, JsonReportOut, removeTree, tempTree } from './helpers';

describe('cli: hostile input', () => {
  let dir: string;
  before(() => {
    const dsn = 'postgres://app@db.internal.example.com/app?sslmode=disable';
    dir = tempTree({
      // 1 MB on one line, with a real finding at its end.
      'src/oneline.ts': `import { Pool } from 'pg';const pad='${'x'.repeat(1024 * 1024)}';export const p=new Pool({connectionString:'${dsn}',connectionTimeoutMillis:1});\n`,
      // A minified bundle: many statements, no newlines.
      'dist/bundle.js': `const pg=require("pg");${Array.from({ length: 20000 }, (_, i) => `var a${i}=${i};`).join('')}new pg.Pool({connectionString:"${dsn}",connectionTimeoutMillis:1});`,
      // Deeply nested code.
      'src/nested.ts': `import { Pool } from 'pg';\nexport const x = ${'['.repeat(5000)}${']'.repeat(5000)};\nexport const p = new Pool({ connectionString: '${dsn}', connectionTimeoutMillis: 1 });\n`,
      'db/nested.go': `package db\n\nimport "database/sql"\n\nvar x = ${'('.repeat(3000)}1${')'.repeat(3000)}\n\nfunc open() { sql.Open("pgx", "${dsn}") }\n`,
      // Half-typed code: the call is complete, the rest of the file is not.
      'db/typing.go': `package db\n\nimport "database/sql"\n\nfunc open() {\n\tsql.Open("pgx", "${dsn}")\n\tif err != nil {\n\t\treturn nil, fmt.Errorf("open: %w"\n`,
      'src/typing.ts': `import { Pool } from 'pg';\nexport const p = new Pool({ connectionString: '${dsn}', connectionTimeoutMillis: 1 });\nexport function broken( {\n  const q = p.query(\`select\n`,
      // Malformed DSNs.
      'deploy/app.env': 'DATABASE_URL=postgres://[::1:5432/%zz?sslmode=verify_full&&&=\nOTHER_URL=postgres://app@db.internal.example.com:notaport/x\n',
    });
  });
  after(() => removeTree(dir));

  it('scans everything without an internal error and still finds what is valid', () => {
    const r = connguard(['scan', '.', '--format', 'json'], dir);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout) as JsonReportOut;
    const internal = report.results.flatMap((x) => x.notes.filter((n) => n.kind === 'internal-error'));
    assert.deepEqual(internal, []);
    const disabled = new Set(report.results.filter((x) => x.findings.some((f) => f.ruleId === 'tls-disabled')).map((x) => x.path));
    for (const p of ['src/oneline.ts', 'dist/bundle.js', 'src/nested.ts', 'db/typing.go', 'src/typing.ts']) assert.ok(disabled.has(p), `${p}: ${[...disabled].join(', ')}`);
    const env = report.results.find((x) => x.path === 'deploy/app.env');
    assert.ok(env, 'the malformed .env is reported on');
  });
});
