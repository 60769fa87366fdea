/**
 * Prisma as a consumer (profile/drivers/prisma.ts): quaint's sslmode/sslaccept semantics, a
 * schema.prisma `env("DATABASE_URL")` making Prisma the reader of .env values, and a variable read
 * by Prisma and another driver (profile/index.ts mergeEnvConsumers).
 */
import { strict as assert } from 'node:assert';
import { analyzeText, applyEdits, consumerEntries, isCodeKind, sourceKindOf } from '../../server/src/engine/scan';
import { EnvConsumer, mergeEnvConsumers } from '../../server/src/engine/profile/index';
import { DEFAULT_SETTINGS } from '../../server/src/engine/settings';
import { Finding } from '../../server/src/engine/model';

const SCHEMA = ['datasource db {', '  provider = "postgresql"', '  url      = env("DATABASE_URL")', '}', ''].join('\n');

function schemaConsumers(schema = SCHEMA): Map<string, EnvConsumer> {
  const a = analyzeText('prisma/schema.prisma', schema, DEFAULT_SETTINGS);
  return mergeEnvConsumers(consumerEntries(a, 'prisma/schema.prisma', schema));
}

function env(value: string, consumers?: ReadonlyMap<string, EnvConsumer>): { text: string; findings: Finding[] } {
  const text = `DATABASE_URL=${value}\n`;
  return { text, findings: analyzeText('.env', text, DEFAULT_SETTINGS, { envConsumers: consumers, envFileTracked: false }).findings };
}

function ids(fs: readonly Finding[]): string[] {
  return [...new Set(fs.map((f) => f.ruleId))].sort();
}

function preferredEdits(fs: readonly Finding[]) {
  return fs.flatMap((f) => f.fixes.filter((x) => x.preferred).flatMap((x) => x.edits));
}

const HOST = 'postgresql://app@orders.internal.example.com:5432/orders';

describe('Prisma consumer', () => {
  it('a schema.prisma is a consumer source: env("DATABASE_URL") registers Prisma as the reader', () => {
    assert.equal(isCodeKind(sourceKindOf('prisma/schema.prisma')), true);
    const a = analyzeText('prisma/schema.prisma', SCHEMA, DEFAULT_SETTINGS);
    assert.deepEqual(a.findings, []);
    assert.deepEqual(a.envConsumers.map((c) => [c.name, c.driver]), [['DATABASE_URL', 'prisma-postgres']]);
    assert.deepEqual([...schemaConsumers()].map(([k, c]) => [k, c.driver, c.where]), [['DATABASE_URL', 'prisma-postgres', 'prisma/schema.prisma:3']]);
  });

  it('sslmode=require&sslaccept=strict in .env: verified under Prisma (libpq semantics would say unverified)', () => {
    const value = `${HOST}?sslmode=require&sslaccept=strict`;
    assert.ok(ids(env(value).findings).includes('tls-cert-unverified'), 'baseline: libpq semantics without a known reader');
    assert.deepEqual(ids(env(value, schemaConsumers()).findings).filter((id) => id.startsWith('tls-') || id === 'dsn-invalid'), []);
  });

  it('sslmode=require alone in .env: unverified under Prisma, fixed with sslaccept=strict (never verify-full)', () => {
    const { text, findings } = env(`${HOST}?sslmode=require`, schemaConsumers());
    const f = findings.find((x) => x.ruleId === 'tls-cert-unverified');
    assert.ok(f, JSON.stringify(findings));
    assert.match(f.message, /under Prisma \(DATABASE_URL is read by prisma\/schema\.prisma:3\)/);
    assert.match(f.message, /sslaccept/);
    assert.doesNotMatch(JSON.stringify(findings), /verify-full/);
    assert.equal(applyEdits(text, preferredEdits(findings)), `DATABASE_URL=${HOST}?sslmode=require&sslaccept=strict\n`);
  });

  it('sslmode=verify-full in .env read by Prisma: dsn-invalid (Prisma uses prefer) and tls-disabled, one fix', () => {
    const { text, findings } = env(`${HOST}?sslmode=verify-full`, schemaConsumers());
    assert.deepEqual(ids(findings), ['dsn-invalid', 'tls-disabled']);
    const inv = findings.find((x) => x.ruleId === 'dsn-invalid')!;
    assert.match(inv.message, /Prisma does not support sslmode=verify-full/);
    assert.equal(applyEdits(text, preferredEdits(findings)), `DATABASE_URL=${HOST}?sslmode=require&sslaccept=strict\n`);
  });

  it('a variable read by Prisma and node-postgres is judged under both; fixes are not preferred', () => {
    const consumers = mergeEnvConsumers([
      ['DATABASE_URL', { driver: 'node-postgres', where: 'src/db.ts:4' }],
      ['DATABASE_URL', { driver: 'prisma-postgres', where: 'prisma/schema.prisma:3' }],
    ]);
    const c = consumers.get('DATABASE_URL')!;
    assert.deepEqual([c.driver, ...(c.also ?? []).map((x) => x.driver)], ['node-postgres', 'prisma-postgres']);
    // pg-connection-string reads sslmode=require as verify-full; Prisma accepts any certificate.
    const { findings } = env(`${HOST}?sslmode=require`, consumers);
    const f = findings.filter((x) => x.ruleId === 'tls-cert-unverified');
    assert.equal(f.length, 1, JSON.stringify(findings.map((x) => x.message)));
    assert.match(f[0].message, /under Prisma \(DATABASE_URL is read by prisma\/schema\.prisma:3; also read by src\/db\.ts:4, judged separately\)/);
    assert.ok(f[0].fixes.length > 0 && f[0].fixes.every((x) => !x.preferred));
    // verify-full is fine for pg but unsupported by Prisma: still reported, naming Prisma.
    const vf = env(`${HOST}?sslmode=verify-full`, consumers).findings.find((x) => x.ruleId === 'dsn-invalid');
    assert.ok(vf);
    assert.match(vf.message, /Prisma/);
  });

  it('keeps the old rule for other conflicts: pg and pgx disagreeing leave the variable unresolved', () => {
    const consumers = mergeEnvConsumers([
      ['DATABASE_URL', { driver: 'node-postgres', where: 'a.ts:1' }],
      ['DATABASE_URL', { driver: 'pgx', where: 'b.go:1' }],
      ['DATABASE_URL', { driver: 'pgx', where: 'c.go:1' }],
      ['OTHER_URL', { driver: 'pgx', where: 'b.go:2' }],
      ['OTHER_URL', { driver: 'pgx', where: 'c.go:2' }],
    ]);
    assert.equal(consumers.has('DATABASE_URL'), false);
    assert.equal(consumers.get('OTHER_URL')?.where, 'b.go:2');
    // With Prisma beside disagreeing code readers: Prisma plus the assumed semantics.
    const withPrisma = mergeEnvConsumers([
      ['DATABASE_URL', { driver: 'node-postgres', where: 'a.ts:1' }],
      ['DATABASE_URL', { driver: 'pgx', where: 'b.go:1' }],
      ['DATABASE_URL', { driver: 'prisma-postgres', where: 'schema.prisma:3' }],
    ]).get('DATABASE_URL');
    assert.deepEqual([withPrisma?.driver, withPrisma?.alsoAssumed], ['prisma-postgres', true]);
    const msgs = env(`${HOST}?sslmode=require`, mergeEnvConsumers([
      ['DATABASE_URL', { driver: 'node-postgres', where: 'a.ts:1' }],
      ['DATABASE_URL', { driver: 'pgx', where: 'b.go:1' }],
      ['DATABASE_URL', { driver: 'prisma-postgres', where: 'schema.prisma:3' }],
    ])).findings.filter((x) => x.ruleId === 'tls-cert-unverified').map((x) => x.message);
    assert.ok(msgs.some((m) => /under Prisma/.test(m)) && msgs.some((m) => /libpq semantics/.test(m)), msgs.join('\n'));
  });

  describe('schema.prisma literals', () => {
    const schema = (url: string, provider = 'postgresql') => `datasource db {\n  provider = "${provider}"\n  url = "${url}"\n}\n`;
    const tls = (url: string, provider?: string) => {
      const p = analyzeText('schema.prisma', schema(url, provider), DEFAULT_SETTINGS).profiles[0];
      return [p.driverLabel, p.tls.enabled.value, p.tls.chain.value, p.tls.hostname.value, p.tls.ca.value];
    };

    it('sslmode: disable off, prefer/absent/unsupported optional, require on; sslaccept decides verification', () => {
      assert.deepEqual(tls(`${HOST}?sslmode=disable`), ['Prisma', 'off', 'n/a', 'n/a', 'n/a']);
      assert.deepEqual(tls(`${HOST}?sslmode=prefer&sslaccept=strict`), ['Prisma', 'optional', 'verified', 'verified', 'system']);
      assert.deepEqual(tls(`${HOST}?sslmode=verify-ca`), ['Prisma', 'optional', 'unverified', 'unverified', 'n/a']);
      assert.deepEqual(tls(`${HOST}?sslmode=Require`), ['Prisma', 'optional', 'unverified', 'unverified', 'n/a']);
      assert.deepEqual(tls(`${HOST}?sslmode=require&sslaccept=strict&sslcert=./ca.pem`), ['Prisma', 'on', 'verified', 'verified', 'configured']);
      // quaint: an unrecognised sslaccept value means strict; the last of a repeated key wins.
      assert.deepEqual(tls(`${HOST}?sslmode=require&sslaccept=yes`), ['Prisma', 'on', 'verified', 'verified', 'system']);
      assert.deepEqual(tls(`${HOST}?sslmode=require&sslaccept=strict&sslaccept=accept_invalid_certs`), ['Prisma', 'on', 'unverified', 'unverified', 'n/a']);
      assert.deepEqual(tls('postgresql://app@localhost/orders?host=/var/run/postgresql'), ['Prisma', 'off', 'n/a', 'n/a', 'n/a']);
    });

    it('cockroachdb is PostgreSQL under Prisma; sslrootcert is reported as ignored with a rename fix', () => {
      assert.deepEqual(tls(`${HOST}?sslmode=require&sslaccept=strict`, 'cockroachdb'), ['Prisma', 'on', 'verified', 'verified', 'system']);
      const text = schema(`${HOST}?sslmode=require&sslaccept=strict&sslrootcert=./ca.pem`);
      const a = analyzeText('schema.prisma', text, DEFAULT_SETTINGS);
      const inv = a.findings.find((f) => f.ruleId === 'dsn-invalid');
      assert.ok(inv);
      assert.match(inv.message, /does not read sslrootcert/);
      assert.match(applyEdits(text, inv.fixes[0].edits), /sslcert=\.\/ca\.pem/);
    });

    it('an RDS host without sslcert: the verify fix is a suggestion naming sslcert', () => {
      const a = analyzeText('schema.prisma', schema('postgresql://app@orders.abc123xyz.eu-west-1.rds.amazonaws.com:5432/orders?sslmode=require'), DEFAULT_SETTINGS);
      const f = a.findings.find((x) => x.ruleId === 'tls-cert-unverified')!;
      assert.equal(f.fixes[0].preferred, false);
      assert.match(f.fixes[0].title, /sslaccept=strict.*sslcert/);
    });

    it('mysql: no TLS without sslaccept/sslcert; sslaccept=strict verifies; other values accept any certificate', () => {
      const m = 'mysql://app@shop.internal.example.com:3306/shop';
      assert.deepEqual(tls(m, 'mysql'), ['Prisma', 'off', 'n/a', 'n/a', 'n/a']);
      assert.deepEqual(tls(`${m}?sslaccept=strict`, 'mysql'), ['Prisma', 'on', 'verified', 'verified', 'system']);
      assert.deepEqual(tls(`${m}?sslcert=./ca.pem`, 'mysql'), ['Prisma', 'on', 'unverified', 'unverified', 'configured']);
      assert.deepEqual(tls(`${m}?sslaccept=maybe`, 'mysql'), ['Prisma', 'on', 'unverified', 'unverified', 'n/a']);
      const a = analyzeText('schema.prisma', schema(`${m}?ssl-mode=REQUIRED`, 'mysql'), DEFAULT_SETTINGS);
      assert.deepEqual(ids(a.findings), ['dsn-invalid', 'tls-disabled']);
    });
  });
});
