/**
 * Config-file extractors: every format finds connection strings with exact UTF-16 source ranges,
 * literal passwords, cloud keys and the two TLS-weakening environment settings, and never throws
 * on broken input. Offsets are found by substring, never hard-coded.
 */
import * as assert from 'node:assert/strict';
import { ConfigKind, extractConfig, classifyConnectionString } from '../../server/src/engine/extract/config/index';
import { Range } from '../../server/src/engine/model';
import { HOLE } from '../../server/src/engine/srcstring';
import { ConnectionSite, Extraction, Observation } from '../../server/src/engine/extract/values';
import { at } from '../support/ranges';

function ex(kind: ConfigKind, text: string): Extraction {
  return extractConfig(kind, text, `file.${kind}`);
}

/** Source range of `sub` inside the site's resolved connection string. */
function dsnRangeOf(site: ConnectionSite, sub: string): Range {
  const s = site.dsn!.s;
  const i = s.text.indexOf(sub);
  assert.notEqual(i, -1, `"${sub}" not in DSN text`);
  return s.rangeOf(i, i + sub.length);
}

function only<T>(xs: readonly T[]): T {
  assert.equal(xs.length, 1, `expected exactly one, got ${xs.length}`);
  return xs[0];
}

function ofKind<K extends Observation['kind']>(r: Extraction, kind: K): Extract<Observation, { kind: K }>[] {
  return r.observations.filter((o): o is Extract<Observation, { kind: K }> => o.kind === kind);
}

/** The connection string's range, its sslmode parameter range and source text agree. */
function checkParam(text: string, site: ConnectionSite, sub: string): void {
  const r = dsnRangeOf(site, sub);
  assert.deepEqual(r, at(text, sub));
  assert.equal(text.slice(r.start, r.end), sub);
}

describe('config extractors', () => {
  describe('classifyConnectionString', () => {
    const cases: [string, string | undefined][] = [
      ['postgres://u@h/db', 'unknown-postgres'],
      ['postgresql://h/db?sslmode=require', 'unknown-postgres'],
      ['host=db.example.com dbname=app sslmode=require', 'unknown-postgres'],
      ['host=db.example.com', undefined],
      ['mysql://u:p@h:3306/db', 'unknown-mysql'],
      ['mariadb://u@h/db', 'unknown-mysql'],
      ['user:pass@tcp(db:3306)/app?tls=true', 'go-mysql'],
      ['user@unix(/tmp/mysql.sock)/app', 'go-mysql'],
      ['sqlserver://u:p@h?database=x', 'go-mssqldb'],
      ['Server=tcp:x.database.windows.net,1433;Database=app;Encrypt=True;', 'unknown-sqlserver'],
      ['Data Source=app.db;Version=3;', undefined],
      ['oracle://h:1521/svc', 'unknown-oracle'],
      ['user=scott password=tiger connectString="db:1521/svc"', 'unknown-oracle'],
      ['jdbc:postgresql://h/db?sslmode=disable', undefined],
      ['redis://cache:6379', undefined],
      ['https://example.com/?host=a&dbname=b', undefined],
      [HOLE, undefined],
    ];
    for (const [input, want] of cases) {
      it(`${JSON.stringify(input)} → ${want}`, () => assert.equal(classifyConnectionString(input), want));
    }
  });

  describe('dotenv', () => {
    it('finds an unquoted DATABASE_URL with exact parameter ranges', () => {
      const text = '# db\nDATABASE_URL=postgres://app@db.example.com:5432/app?sslmode=require # prod\nOTHER=1\n';
      const r = ex('dotenv', text);
      const site = only(r.sites);
      assert.equal(site.language, 'config');
      assert.equal(site.driver, 'unknown-postgres');
      assert.deepEqual(site.anchor, at(text, 'postgres://app@db.example.com:5432/app?sslmode=require'));
      assert.deepEqual(site.dsn!.range, site.anchor);
      assert.equal(site.dsn!.appendable, true);
      checkParam(text, site, 'sslmode=require');
      assert.deepEqual(r.errors, []);
    });

    it('turns ${VAR} and $VAR into holes and keeps later ranges exact', () => {
      const text = 'export PG_URL="postgres://${DB_USER}:$DB_PASS@db.internal/app?sslmode=verify-full"\n';
      const site = only(ex('dotenv', text).sites);
      const s = site.dsn!.s;
      assert.equal(s.text, `postgres://${HOLE}:${HOLE}@db.internal/app?sslmode=verify-full`);
      assert.equal(s.complete, false);
      const h = s.text.indexOf(HOLE);
      assert.deepEqual(s.rangeOf(h, h + 1), at(text, '${DB_USER}'));
      const h2 = s.text.indexOf(HOLE, h + 1);
      assert.deepEqual(s.rangeOf(h2, h2 + 1), at(text, '$DB_PASS'));
      checkParam(text, site, 'sslmode=verify-full');
      assert.deepEqual(site.anchor, at(text, '"postgres://${DB_USER}:$DB_PASS@db.internal/app?sslmode=verify-full"'));
      assert.equal(site.dsn!.appendable, true);
    });

    it('reads single-quoted values literally and double-quoted escapes across lines', () => {
      const text = "A_DSN='host=h1 dbname=$notvar sslmode=disable'\nMULTI=\"line1\\nline2\nline3\"\nB_URL=mysql://u@h/db\n";
      const r = ex('dotenv', text);
      assert.equal(r.sites.length, 2);
      const [a, b] = r.sites;
      assert.equal(a.driver, 'unknown-postgres');
      assert.equal(a.dsn!.s.text, 'host=h1 dbname=$notvar sslmode=disable');
      checkParam(text, a, 'sslmode=disable');
      assert.equal(b.driver, 'unknown-mysql');
      assert.deepEqual(b.anchor, at(text, 'mysql://u@h/db'));
    });

    it('reports a literal password and skips placeholders and env references', () => {
      const text = [
        'DB_PASSWORD=Sup3r-S3cret!',
        'PGPASSWORD="${VAULT_PG}"',
        'MYSQL_ROOT_PASSWORD=changeme',
        'REDIS_PASSWORD=$REDIS_PW',
        'PASSWORD_FILE=/run/secrets/db',
        'MYSQL_PASSWORD=',
      ].join('\n');
      const secrets = ofKind(ex('dotenv', text), 'secret-literal');
      const s = only(secrets);
      assert.equal(s.name, 'DB_PASSWORD');
      assert.equal(s.value, 'Sup3r-S3cret!');
      assert.deepEqual(s.valueRange, at(text, 'Sup3r-S3cret!'));
      assert.equal(s.context, '.env file');
    });

    it('reports cloud keys but not the AWS documentation example key', () => {
      const text = [
        'AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE',
        'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        'PROD_KEY_ID=AKIA2E5A7F3BZ44CQ7R6',
        'aws_secret_access_key=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',
        'ALIBABA_CLOUD_ACCESS_KEY_ID=LTAI5tFakeKey1234567',
      ].join('\n');
      const keys = ofKind(ex('dotenv', text), 'cloud-key');
      assert.deepEqual(
        keys.map((k) => k.keyKind),
        ['aws-access-key-id', 'aws-secret-access-key', 'alibaba-access-key-id'],
      );
      assert.deepEqual(keys[0].valueRange, at(text, 'AKIA2E5A7F3BZ44CQ7R6'));
    });

    it('reports NODE_TLS_REJECT_UNAUTHORIZED=0 and SSLKEYLOGFILE', () => {
      const text = "NODE_TLS_REJECT_UNAUTHORIZED='0'\nSSLKEYLOGFILE=/tmp/keys.log\n";
      const r = ex('dotenv', text);
      const n = only(ofKind(r, 'node-tls-reject-unauthorized'));
      assert.deepEqual(n.range, at(text, "'0'"));
      assert.deepEqual(only(ofKind(r, 'ssl-keylog-file')).range, at(text, '/tmp/keys.log'));
      const quiet = ex('dotenv', 'NODE_TLS_REJECT_UNAUTHORIZED=1\nSSLKEYLOGFILE=\nSSLKEYLOGFILE=${KEYLOG}\n');
      assert.deepEqual(quiet.observations, []);
    });

    it('needs a DSN-ish key for keyword/value and go-mysql forms; ignores jdbc', () => {
      const text = [
        'FOO=host=h dbname=d sslmode=disable',
        'ORDERS_DSN=app:pw@tcp(orders-db:3306)/orders?tls=skip-verify',
        'JDBC_URL=jdbc:postgresql://h/db?sslmode=disable',
        'CACHE=postgres://cache.internal/db',
      ].join('\n');
      const r = ex('dotenv', text);
      assert.deepEqual(
        r.sites.map((s) => s.driver),
        ['go-mysql', 'unknown-postgres'],
      );
      checkParam(text, r.sites[0], 'tls=skip-verify');
    });

    it('maps UTF-16 ranges after non-ASCII text', () => {
      const text = '# Datenbank für 😀 prod — ü\nDATABASE_URL=postgres://h/db?sslmode=prefer\n';
      const site = only(ex('dotenv', text).sites);
      checkParam(text, site, 'sslmode=prefer');
    });

    it('accepts `KEY: value` lines and CRLF line endings', () => {
      const text = 'DATABASE_URL: postgres://h/db?sslmode=require\r\nDB_PASSWORD="Quoted-Pass-1"\r\n';
      const r = ex('dotenv', text);
      checkParam(text, only(r.sites), 'sslmode=require');
      assert.deepEqual(only(ofKind(r, 'secret-literal')).valueRange, at(text, '"Quoted-Pass-1"'));
    });

    it('caps the number of parse errors for files that are not .env at all', () => {
      const r = ex('dotenv', '?? not an entry\n'.repeat(1000));
      assert.ok(r.errors.length <= 21);
      assert.match(r.errors[r.errors.length - 1], /more parse errors/);
    });

    it('reports malformed lines and keeps going', () => {
      const text = 'this is not an entry\nBROKEN="never closed\nDATABASE_URL=postgres://h/db\n';
      const r = ex('dotenv', text);
      assert.ok(r.errors.length >= 1);
      assert.ok(r.errors.every((e) => !e.includes('never closed')));
      assert.equal(ex('dotenv', 'junk line\nDATABASE_URL=postgres://h/db\n').sites.length, 1);
    });
  });

  describe('YAML', () => {
    it('finds a nested url and reports Spring-style passwords with their key path', () => {
      const text = [
        'spring:',
        '  datasource:',
        '    url: jdbc:postgresql://db/app?sslmode=disable',
        '    password: Hunter2-prod',
        'database:',
        '  url: postgres://app@db.example.com/app?sslmode=require',
        '  password: ${DB_PASSWORD}',
        '',
      ].join('\n');
      const r = ex('yaml', text);
      const site = only(r.sites);
      assert.equal(site.driver, 'unknown-postgres');
      checkParam(text, site, 'sslmode=require');
      const s = only(ofKind(r, 'secret-literal'));
      assert.equal(s.name, 'password');
      assert.equal(s.context, 'YAML key spring.datasource.password');
      assert.deepEqual(s.valueRange, at(text, 'Hunter2-prod'));
    });

    it('maps quoted scalars exactly (double quotes, escapes, single quotes)', () => {
      const text = [
        'a_url: "postgres://h/db?application_name=x\\ty&sslmode=verify-ca"',
        "b_dsn: 'host=h dbname=it''s sslmode=allow'",
        '',
      ].join('\n');
      const r = ex('yaml', text);
      assert.equal(r.sites.length, 2);
      checkParam(text, r.sites[0], 'sslmode=verify-ca');
      assert.equal(r.sites[0].dsn!.s.text.includes('x\ty'), true);
      assert.deepEqual(r.sites[0].anchor, at(text, '"postgres://h/db?application_name=x\\ty&sslmode=verify-ca"'));
      assert.equal(r.sites[0].dsn!.appendable, true);
      assert.equal(r.sites[1].dsn!.s.text, "host=h dbname=it's sslmode=allow");
      checkParam(text, r.sites[1], 'sslmode=allow');
    });

    it('reads docker-compose environment lists and maps, with interpolation', () => {
      const text = [
        'services:',
        '  api:',
        '    environment:',
        '      - DATABASE_URL=postgres://api:${API_PW}@db/api?sslmode=disable',
        '      - "POSTGRES_PASSWORD=r3al-Pa55"',
        '      - NODE_TLS_REJECT_UNAUTHORIZED=0',
        '  db:',
        '    environment:',
        '      MYSQL_ROOT_PASSWORD: ${ROOT_PW}',
        '      MYSQL_PASSWORD: "Plain-Text-1"',
        '',
      ].join('\n');
      const r = ex('yaml', text);
      const site = only(r.sites);
      checkParam(text, site, 'sslmode=disable');
      assert.deepEqual(site.anchor, at(text, 'postgres://api:${API_PW}@db/api?sslmode=disable'));
      const h = site.dsn!.s.text.indexOf(HOLE);
      assert.deepEqual(site.dsn!.s.rangeOf(h, h + 1), at(text, '${API_PW}'));
      const secrets = ofKind(r, 'secret-literal');
      assert.deepEqual(
        secrets.map((s) => [s.name, text.slice(s.valueRange.start, s.valueRange.end)]),
        [
          ['POSTGRES_PASSWORD', 'r3al-Pa55'],
          ['MYSQL_PASSWORD', '"Plain-Text-1"'],
        ],
      );
      assert.equal(secrets[0].context, 'YAML key services.api.environment.POSTGRES_PASSWORD');
      assert.deepEqual(only(ofKind(r, 'node-tls-reject-unauthorized')).range, { start: at(text, 'REJECT_UNAUTHORIZED=0').end - 1, end: at(text, 'REJECT_UNAUTHORIZED=0').end });
    });

    it('reads every document, flow maps, block scalars and Kubernetes env entries', () => {
      const text = [
        'db: {url: "mysql://u@h/db?ssl-mode=REQUIRED", pool: 5}',
        '---',
        'conn_dsn: |',
        '  host=pg.internal dbname=app sslmode=verify-full',
        '---',
        'env:',
        '  - name: DATABASE_URL',
        '    value: postgresql://pg/app?sslmode=prefer',
        '  - name: NODE_TLS_REJECT_UNAUTHORIZED',
        '    value: "0"',
        '',
      ].join('\n');
      const r = ex('yaml', text);
      assert.deepEqual(
        r.sites.map((s) => s.driver),
        ['unknown-mysql', 'unknown-postgres', 'unknown-postgres'],
      );
      checkParam(text, r.sites[0], 'ssl-mode=REQUIRED');
      checkParam(text, r.sites[1], 'sslmode=verify-full');
      checkParam(text, r.sites[2], 'sslmode=prefer');
      assert.equal(ofKind(r, 'node-tls-reject-unauthorized').length, 1);
    });

    it('maps UTF-16 ranges after non-ASCII text and keys', () => {
      const text = 'beschreibung: "Größe 😀😀"\ndatenbank_url: postgres://h/db?sslmode=require\n';
      checkParam(text, only(ex('yaml', text).sites), 'sslmode=require');
    });

    it('does not throw on invalid YAML and keeps secrets out of error messages', () => {
      const text = 'a: [1, 2\npassword: "Very-Secret-9"\n  bad: : indent\nurl: postgres://h/db\n';
      const r = ex('yaml', text);
      assert.ok(r.errors.length > 0);
      assert.ok(r.errors.every((e) => !e.includes('Very-Secret-9')));
    });

    it('keeps a secret inside the offending token out of the error note (fuzz regression)', () => {
      // yaml's first message line quotes the unexpected token: here the whole DSN with its password.
      const text = '"x"]database:\n  url: "postgres://app:Zq9!fuzzSecret0@h:5432/orders"\n';
      const r = ex('yaml', text);
      assert.ok(r.errors.length > 0);
      assert.ok(r.errors.every((e) => !e.includes('Zq9!fuzzSecret0')), r.errors.join('\n'));
      assert.ok(r.errors.some((e) => /^YAML: [a-z ]+ \(line \d+, column \d+\)$/.test(e)), r.errors.join('\n'));
    });
  });

  describe('JSON / JSONC', () => {
    it('finds ADO strings under ConnectionStrings (appsettings.json)', () => {
      const text = '{\n  "ConnectionStrings": {\n    "Default": "Server=tcp:app.database.windows.net,1433;Database=app;Encrypt=False;"\n  }\n}\n';
      const r = ex('json', text);
      const site = only(r.sites);
      assert.equal(site.driver, 'unknown-sqlserver');
      checkParam(text, site, 'Encrypt=False');
      assert.equal(site.dsn!.appendable, true);
    });

    it('allows comments and trailing commas; decodes escapes with exact ranges around them', () => {
      const text = [
        '{',
        '  // the primary database',
        '  "db": { "url": "postgres://h/db?application_name=a\\u0026b&sslmode=require", },',
        '  /* block */ "list": ["mysql://u@h/x",],',
        '}',
      ].join('\n');
      const r = ex('json', text);
      assert.deepEqual(r.errors, []);
      assert.equal(r.sites.length, 2);
      const [pg, my] = r.sites;
      assert.equal(pg.dsn!.s.text, 'postgres://h/db?application_name=a&b&sslmode=require');
      checkParam(text, pg, 'sslmode=require');
      assert.deepEqual(dsnRangeOf(pg, '&b'), { start: at(text, '\\u0026b').start, end: at(text, '\\u0026b').end });
      assert.equal(my.driver, 'unknown-mysql');
    });

    it('reports nested passwords, skips placeholders, and finds cloud secrets', () => {
      const text = JSON.stringify(
        {
          database: { password: 'Tr0ub4dor&3', replicaPassword: '<password>' },
          azure: { clientSecret: 'Abc8Q~xyzABCDEFGHIJKLmnopqrstuvwxyz012' },
        },
        null,
        2,
      );
      const r = ex('json', text);
      const s = only(ofKind(r, 'secret-literal'));
      assert.equal(s.context, 'JSON key database.password');
      assert.deepEqual(s.valueRange, at(text, '"Tr0ub4dor&3"'));
      assert.equal(only(ofKind(r, 'cloud-key')).keyKind, 'azure-client-secret');
    });

    it('does not throw on broken JSON and still extracts what parsed', () => {
      const text = '{ "DATABASE_URL": "postgres://h/db?sslmode=disable", "x": [1, }';
      const r = ex('json', text);
      assert.ok(r.errors.length > 0);
      checkParam(text, only(r.sites), 'sslmode=disable');
    });
  });

  describe('TOML', () => {
    it('finds connection strings in tables, array tables, inline tables and dotted keys', () => {
      const text = [
        'title = "app"',
        '[database]',
        'url = "postgres://h/db?sslmode=require" # primary',
        '[[replicas]]',
        "dsn = 'host=r1 dbname=app sslmode=disable'",
        '[cache]',
        'conn = { dsn = "app:pw@tcp(h:3306)/db?tls=false" }',
        'analytics.url = "mysql://u@a/db"',
      ].join('\n');
      const r = ex('toml', text);
      assert.deepEqual(r.errors, []);
      assert.deepEqual(
        r.sites.map((s) => s.driver),
        ['unknown-postgres', 'unknown-postgres', 'go-mysql', 'unknown-mysql'],
      );
      checkParam(text, r.sites[0], 'sslmode=require');
      checkParam(text, r.sites[1], 'sslmode=disable');
      checkParam(text, r.sites[2], 'tls=false');
      assert.deepEqual(r.sites[0].anchor, at(text, '"postgres://h/db?sslmode=require"'));
    });

    it('reports passwords with the table path, and not env placeholders', () => {
      const text = '[db]\npassword = "Correct-Horse-7"\n[db.replica]\npassword = "${REPLICA_PW}"\n"key with space" = 1\n';
      const r = ex('toml', text);
      const s = only(ofKind(r, 'secret-literal'));
      assert.equal(s.context, 'TOML key db.password');
      assert.deepEqual(s.valueRange, at(text, '"Correct-Horse-7"'));
    });

    it('decodes basic-string escapes with exact ranges', () => {
      const text = 'DATABASE_URL = "postgres://h/db?application_name=\\u00e9t\\u00e9&sslmode=allow"\n';
      const site = only(ex('toml', text).sites);
      assert.ok(site.dsn!.s.text.includes('été'));
      checkParam(text, site, 'sslmode=allow');
    });

    it('does not throw on invalid TOML and keeps the lines that could be read', () => {
      const text = 'url = "postgres://h/db?sslmode=prefer"\npassword = "Unclosed-Secret\n[bad\n';
      const r = ex('toml', text);
      assert.ok(r.errors.length > 0);
      assert.ok(r.errors.every((e) => !e.includes('Unclosed-Secret')));
      checkParam(text, only(r.sites), 'sslmode=prefer');
    });
  });

  describe('.properties', () => {
    it('ignores jdbc urls and reports Spring datasource passwords', () => {
      const text = [
        '# Spring',
        'spring.datasource.url=jdbc:postgresql://db/app?sslmode=disable',
        'spring.datasource.password = Pr0d-Password',
        '! legacy',
        'spring.datasource.hikari.password=${DB_PASSWORD}',
      ].join('\n');
      const r = ex('properties', text);
      assert.deepEqual(r.sites, []);
      const s = only(ofKind(r, 'secret-literal'));
      assert.equal(s.name, 'spring.datasource.password');
      assert.deepEqual(s.valueRange, at(text, 'Pr0d-Password'));
    });

    it('joins continuation lines and keeps ranges on the continued line', () => {
      const text = 'app.db.url=postgres://h/db?\\\n    sslmode=require&\\\n    connect_timeout=10\nnext=1\n';
      const site = only(ex('properties', text).sites);
      assert.equal(site.dsn!.s.text, 'postgres://h/db?sslmode=require&connect_timeout=10');
      checkParam(text, site, 'sslmode=require');
      checkParam(text, site, 'connect_timeout=10');
      assert.deepEqual(site.anchor, { start: at(text, 'postgres://').start, end: at(text, 'connect_timeout=10').end });
    });

    it('accepts `key: value` and `key value` separators', () => {
      const text = 'primary_dsn: host=h dbname=d sslmode=verify-full\nreplica.url   mysql://u@r/db\n';
      const r = ex('properties', text);
      assert.equal(r.sites.length, 2);
      checkParam(text, r.sites[0], 'sslmode=verify-full');
      assert.deepEqual(r.sites[1].anchor, at(text, 'mysql://u@r/db'));
    });
  });

  describe('Prisma', () => {
    it('reports literal urls under Prisma, and env() urls as readers of the variable', () => {
      const text = [
        '// schema',
        'generator client {',
        '  provider = "prisma-client-js"',
        '}',
        'datasource db {',
        '  provider          = "postgresql"',
        '  url               = env("DATABASE_URL")',
        '  directUrl         = "postgresql://app@db.example.com/app?sslmode=require"',
        '  shadowDatabaseUrl = env("SHADOW_URL")',
        '}',
        'model User {',
        '  id    Int    @id @default(autoincrement())',
        '  email String @unique @map("url")',
        '}',
      ].join('\n');
      const r = ex('prisma', text);
      const site = only(r.sites.filter((s) => s.dsn));
      assert.equal(site.driver, 'prisma-postgres');
      // env("X"): no connection string, only who reads X (engine/scan.ts envConsumers).
      assert.deepEqual(r.sites.filter((s) => !s.dsn).map((s) => [s.envName, s.driver, text.slice(s.anchor.start, s.anchor.end)]), [
        ['DATABASE_URL', 'prisma-postgres', 'env("DATABASE_URL")'],
        ['SHADOW_URL', 'prisma-postgres', 'env("SHADOW_URL")'],
      ]);
      checkParam(text, site, 'sslmode=require');
      assert.deepEqual(site.anchor, at(text, '"postgresql://app@db.example.com/app?sslmode=require"'));
    });

    it('uses the provider for the driver and skips sqlite and Accelerate urls', () => {
      const ms = ex('prisma', 'datasource db {\n  provider = "sqlserver"\n  url = "sqlserver://h:1433;database=app;encrypt=true"\n}\n');
      assert.equal(only(ms.sites).driver, 'unknown-sqlserver');
      assert.deepEqual(ex('prisma', 'datasource db {\n  provider = "sqlite"\n  url = "file:./dev.db"\n}\n').sites, []);
      assert.deepEqual(ex('prisma', 'datasource db {\n  provider = "postgresql"\n  url = "prisma://accelerate.prisma-data.net/?api_key=x"\n}\n').sites, []);
      assert.equal(only(ex('prisma', 'datasource db {\n  provider = "mysql"\n  url = "mysql://u@h/db"\n}\n').sites).driver, 'prisma-mysql');
    });
  });

  describe('robustness', () => {
    const junk = ['', '\u0000\u0001', '{{{{', '"""', "'''", '[[[[', '\\\\\\', 'a'.repeat(10000), '---\n- - - [', '\ud800'];
    for (const kind of ['dotenv', 'yaml', 'json', 'toml', 'properties', 'prisma'] as ConfigKind[]) {
      it(`${kind}: never throws on junk`, () => {
        for (const j of junk) {
          const r = ex(kind, j);
          assert.ok(Array.isArray(r.errors));
        }
      });
    }
  });
});
