/**
 * libpq environment variables (PGHOST, PGSSLMODE…) in config files: one group of them — one .env
 * file, one Kubernetes container's env list, one compose service's environment, one flat
 * JSON/TOML/YAML object — becomes one PostgreSQL ConnectionSite (consumer unknown, libpq
 * semantics) whose keyword/value string keeps every value's source range. Offsets are found by
 * substring, never hard-coded.
 */
import * as assert from 'node:assert/strict';
import { ConfigKind, extractConfig } from '../../server/src/engine/extract/config/index';
import { ConnectionSite, Extraction } from '../../server/src/engine/extract/values';
import { param } from '../../server/src/engine/dsn/types';
import { parsePostgres } from '../../server/src/engine/dsn/index';
import { setDsnParam } from '../../server/src/engine/fixes/edits';
import { Range } from '../../server/src/engine/model';
import { HOLE } from '../../server/src/engine/srcstring';
import { analyzeText, initEngine } from '../../server/src/engine/scan';
import { DEFAULT_SETTINGS } from '../../server/src/engine/settings';
import { at } from '../support/ranges';

function ex(kind: ConfigKind, text: string): Extraction {
  return extractConfig(kind, text, `file.${kind}`);
}

function pgSites(r: Extraction): ConnectionSite[] {
  return r.sites.filter((s) => s.note?.includes('libpq environment variables'));
}

function only<T>(xs: readonly T[]): T {
  assert.equal(xs.length, 1, `expected exactly one, got ${xs.length}`);
  return xs[0];
}

/** The parameter of the site's keyword/value string (last wins, as in libpq). */
function p(site: ConnectionSite, key: string) {
  return param(parsePostgres(site.dsn!.s), key);
}

describe('config extractors: libpq PG* environment variables', () => {
  before(async function () {
    this.timeout(60000);
    await initEngine();
  });

  describe('.env', () => {
    const text = '# db\nPGHOST=orders.cluster-abc.us-east-1.rds.amazonaws.com\nPGPORT=5432\nPGUSER=app\nPGSSLMODE=disable\nPGCONNECT_TIMEOUT=5\nOTHER=1\n';

    it('makes one unknown-postgres site whose range is the PGHOST value', () => {
      const site = only(pgSites(ex('dotenv', text)));
      assert.equal(site.driver, 'unknown-postgres');
      assert.equal(site.language, 'config');
      assert.deepEqual(site.anchor, at(text, 'orders.cluster-abc.us-east-1.rds.amazonaws.com'));
      assert.deepEqual(site.dsn!.range, site.anchor);
      assert.equal(site.dsn!.appendable, false, 'nothing may be appended to text that is not in the file');
      assert.equal(site.envName, undefined);
      assert.equal(site.dsn!.s.text, 'host=orders.cluster-abc.us-east-1.rds.amazonaws.com port=5432 user=app sslmode=disable connect_timeout=5');
    });

    it('maps each parameter value exactly onto the variable value', () => {
      const site = only(pgSites(ex('dotenv', text)));
      const d = parsePostgres(site.dsn!.s);
      assert.deepEqual(d.errors, []);
      const mode = param(d, 'sslmode')!;
      assert.equal(mode.value, 'disable');
      assert.deepEqual(mode.range, at(text, 'disable'));
      assert.equal(mode.exact, true);
      const ct = at(text, 'PGCONNECT_TIMEOUT=').end;
      assert.deepEqual(param(d, 'connect_timeout')!.range, { start: ct, end: ct + 1 });
      assert.deepEqual(d.hosts[0].range, site.anchor);
      assert.equal(d.hosts[0].port?.value, '5432');
      assert.equal(d.user?.value, 'app');
    });

    it('keyword text is synthetic: empty ranges, and no edit can add a parameter', () => {
      const site = only(pgSites(ex('dotenv', text)));
      const d = parsePostgres(site.dsn!.s);
      const mode = param(d, 'sslmode')!;
      assert.equal(mode.keyRange.start, mode.keyRange.end);
      assert.equal(setDsnParam(d, site.dsn, undefined, 'sslrootcert', '/x.pem'), undefined);
      assert.deepEqual(setDsnParam(d, site.dsn, mode, 'sslmode', 'verify-full'), { range: at(text, 'disable'), newText: 'verify-full' });
    });

    it('no PGHOST (or PGHOSTADDR): no site', () => {
      assert.deepEqual(pgSites(ex('dotenv', 'PGUSER=app\nPGSSLMODE=disable\n')), []);
    });

    it('PGHOSTADDR stands in for PGHOST', () => {
      const t = 'PGHOSTADDR=10.1.2.3\nPGSSLMODE=require\n';
      const site = only(pgSites(ex('dotenv', t)));
      assert.deepEqual(site.anchor, at(t, '10.1.2.3'));
      assert.equal(parsePostgres(site.dsn!.s).hosts[0].value, '10.1.2.3');
    });

    it('the last assignment of a variable wins', () => {
      const t = 'PGHOST=db.example.com\nPGSSLMODE=disable\nPGSSLMODE=verify-full\n';
      const mode = p(only(pgSites(ex('dotenv', t))), 'sslmode')!;
      assert.equal(mode.value, 'verify-full');
      assert.deepEqual(mode.range, at(t, 'verify-full'));
    });

    it('${VAR}, $VAR and #{X}# values are unknown', () => {
      for (const v of ['${SSLMODE}', '$SSLMODE', '#{SslMode}#', '__SslMode__', '{{ .Values.sslmode }}', '""']) {
        const t = `PGHOST=db.example.com\nPGSSLMODE=${v}\n`;
        const mode = p(only(pgSites(ex('dotenv', t))), 'sslmode');
        assert.ok(mode, v);
        assert.equal(mode.value, undefined, v);
      }
    });

    it('a value with blanks or quotes is quoted synthetically and keeps its decoded text', () => {
      const t = `PGHOST=db.example.com\nPGPASSWORD="it's a \\\\ secret"\nPGSSLMODE=verify-full\n`;
      const site = only(pgSites(ex('dotenv', t)));
      const d = parsePostgres(site.dsn!.s);
      assert.deepEqual(d.errors, []);
      assert.equal(d.password?.value, "it's a \\ secret");
      assert.equal(d.password?.exact, false, 'no fix may rewrite a value the string had to quote');
      const inner = at(t, "it's a \\\\ secret");
      assert.ok(d.password!.range.start <= inner.start && inner.end <= d.password!.range.end + 1);
      assert.equal(param(d, 'sslmode')!.value, 'verify-full');
    });

    it('a PG* value that is itself a connection string is left to that site', () => {
      const t = 'PGHOST=postgres://app@db.example.com/app?sslmode=disable\nPGSSLMODE=disable\n';
      const r = ex('dotenv', t);
      assert.equal(r.sites.length, 1);
      assert.deepEqual(pgSites(r), []);
    });

    it('DATABASE_URL beside PG* variables: two sites, neither covering the other', () => {
      const t = 'DATABASE_URL=postgres://app@db.example.com/app?sslmode=require\nPGHOST=db.example.com\nPGSSLMODE=disable\n';
      const r = ex('dotenv', t);
      assert.equal(r.sites.length, 2);
      const site = only(pgSites(r));
      assert.ok(site.dsn!.s.sourceRange.start >= at(t, 'PGHOST').start);
    });

    it('PGPASSWORD is still a literal password observation', () => {
      const t = 'PGHOST=db.example.com\nPGPASSWORD=Zq8tLm2vR4nW\n';
      const r = ex('dotenv', t);
      const o = only(r.observations.filter((x) => x.kind === 'secret-literal'));
      assert.equal(o.kind === 'secret-literal' && o.name, 'PGPASSWORD');
      assert.equal(p(only(pgSites(r)), 'password')!.value, 'Zq8tLm2vR4nW');
    });
  });

  describe('YAML', () => {
    const k8s = [
      'spec:',
      '  containers:',
      '    - name: api',
      '      env:',
      '        - name: PGHOST',
      '          value: api-db.example.com',
      '        - name: PGSSLMODE',
      '          value: "require"',
      '        - name: PGPASSWORD',
      '          valueFrom:',
      '            secretKeyRef: {name: db, key: password}',
      '    - name: worker',
      '      envFrom:',
      '        - configMapRef: {name: pg}',
      '      env:',
      '        - name: PGHOST',
      '          value: worker-db.example.com',
      '        - name: PGSSLMODE',
      '          value: $(MODE)',
      '',
    ].join('\n');

    it('one site per Kubernetes container', () => {
      const sites = pgSites(ex('yaml', k8s));
      assert.equal(sites.length, 2);
      assert.deepEqual(sites.map((s) => k8s.slice(s.anchor.start, s.anchor.end)), ['api-db.example.com', 'worker-db.example.com']);
    });

    it('a quoted value maps exactly inside its quotes', () => {
      const api = pgSites(ex('yaml', k8s))[0];
      const mode = p(api, 'sslmode')!;
      assert.equal(mode.value, 'require');
      assert.deepEqual(mode.range, at(k8s, 'require'));
      assert.equal(mode.exact, true);
    });

    it('valueFrom (secretKeyRef) sets the variable to an unknown value', () => {
      const api = pgSites(ex('yaml', k8s))[0];
      const pw = p(api, 'password');
      assert.ok(pw);
      assert.equal(pw.value, undefined);
      assert.equal(k8s.slice(pw.range.start, pw.range.end), 'secretKeyRef: {name: db, key: password}');
    });

    it('envFrom makes absent settings unknown; $(VAR) is unknown', () => {
      const worker = pgSites(ex('yaml', k8s))[1];
      assert.ok(worker.dsn!.s.text.endsWith(HOLE));
      assert.equal(p(worker, 'sslmode')!.value, undefined);
      assert.ok(worker.note?.includes('envFrom'));
    });

    it('compose: environment map and list are groups; a bare KEY passes through (unknown)', () => {
      const t = [
        'services:',
        '  a:',
        '    environment:',
        '      PGHOST: a.example.com',
        '      PGSSLMODE: disable',
        '      PGPORT: 5433',
        '  b:',
        '    environment:',
        '      - PGHOST=b.example.com',
        '      - PGSSLMODE',
        '  c:',
        '    env_file: c.env',
        '    environment:',
        '      PGHOST: c.example.com',
        '',
      ].join('\n');
      const [a, b, c] = pgSites(ex('yaml', t));
      assert.equal(p(a, 'sslmode')!.value, 'disable');
      assert.deepEqual(p(a, 'sslmode')!.range, at(t, 'disable'));
      assert.equal(parsePostgres(a.dsn!.s).hosts[0].port?.value, '5433');
      assert.deepEqual(b.anchor, at(t, 'b.example.com'));
      assert.equal(p(b, 'sslmode')!.value, undefined);
      assert.ok(c.dsn!.s.text.endsWith(HOLE), 'env_file: more variables may be set');
    });

    it('a null compose value passes the variable through: unknown', () => {
      const t = 'services:\n  a:\n    environment:\n      PGHOST: a.example.com\n      PGSSLMODE:\n';
      assert.equal(p(only(pgSites(ex('yaml', t))), 'sslmode')!.value, undefined);
    });
  });

  describe('JSON, TOML, properties', () => {
    it('one site per JSON object', () => {
      const t = '{"a": {"PGHOST": "a.example.com", "PGSSLMODE": "prefer"}, "b": {"PGHOST": "localhost"}, "c": {"PGSSLMODE": "disable"}}';
      const sites = pgSites(ex('json', t));
      assert.equal(sites.length, 2);
      assert.deepEqual(p(sites[0], 'sslmode')!.range, at(t, 'prefer'));
      assert.equal(p(sites[1], 'sslmode'), undefined);
    });

    it('one site per TOML table; two [[array]] elements are two groups', () => {
      const t = '[env]\nPGHOST = "a.example.com"\nPGSSLMODE = "disable"\n\n[[jobs]]\nPGHOST = "b.example.com"\n\n[[jobs]]\nPGSSLMODE = "disable"\n';
      const sites = pgSites(ex('toml', t));
      assert.equal(sites.length, 2);
      assert.deepEqual(p(sites[0], 'sslmode')!.range, at(t, 'disable'));
      assert.equal(p(sites[1], 'sslmode'), undefined, 'the second [[jobs]] element is another group');
    });

    it('a .properties file is one group', () => {
      const t = 'PGHOST=a.example.com\nPGSSLMODE=allow\n';
      assert.deepEqual(p(only(pgSites(ex('properties', t))), 'sslmode')!.range, at(t, 'allow'));
    });

    it('lower-case keys are not libpq variables', () => {
      assert.deepEqual(pgSites(ex('json', '{"pghost": "a.example.com", "pgsslmode": "disable"}')), []);
    });

    it('never throws on odd input', () => {
      for (const t of ['PGHOST=', 'PGHOST="', "PGHOST='a b", 'PGHOST=\\\nPGSSLMODE=\\', `PGHOST=${'x'.repeat(10000)} y`]) assert.doesNotThrow(() => ex('dotenv', t));
      for (const t of ['env:\n  - name: PGHOST\n', 'env:\n  - name: PGHOST\n    valueFrom:\n', 'environment: [PGHOST=, "=x", PGSSLMODE]']) assert.doesNotThrow(() => ex('yaml', t));
    });
  });

  describe('judged by the rules (analyzeText)', () => {
    it('PGSSLMODE=disable: tls-disabled on the value, under libpq semantics, fix edits the value only', () => {
      const t = 'PGHOST=db.internal.example.com\nPGUSER=app\nPGSSLMODE=disable\n';
      const f = only(analyzeText('.env', t, DEFAULT_SETTINGS).findings.filter((x) => x.ruleId === 'tls-disabled'));
      assert.deepEqual(f.range, at(t, 'disable'));
      assert.match(f.message, /under libpq semantics \(consumer unknown\)/);
      assert.deepEqual(f.fixes.flatMap((x) => x.edits), [{ range: at(t, 'disable'), newText: 'verify-full' }]);
    });

    it('no PGSSLMODE: libpq default prefer, reported on the PGHOST value without a fix', () => {
      const t = 'PGHOST=db.internal.example.com\nPGUSER=app\nPGPASSWORD=${PW}\n';
      const f = only(analyzeText('.env', t, DEFAULT_SETTINGS).findings.filter((x) => x.ruleId === 'tls-disabled'));
      assert.deepEqual(f.range, at(t, 'db.internal.example.com'));
      assert.match(f.message, /sslmode=prefer/);
      assert.deepEqual(f.fixes, []);
    });

    it('PGSSLMODE=require: tls-cert-unverified, not tls-disabled', () => {
      const t = 'PGHOST=db.internal.example.com\nPGSSLMODE=require\n';
      const ids = analyzeText('.env', t, DEFAULT_SETTINGS).findings.map((x) => x.ruleId);
      assert.ok(ids.includes('tls-cert-unverified'));
      assert.ok(!ids.includes('tls-disabled'));
    });

    it('loopback and unknown settings give no transport finding', () => {
      for (const t of ['PGHOST=localhost\nPGSSLMODE=disable\n', 'PGHOST=db.example.com\nPGSSLMODE=${MODE}\n', 'PGSSLMODE=disable\nPGUSER=app\n']) {
        const ids = analyzeText('.env', t, DEFAULT_SETTINGS).findings.map((x) => x.ruleId);
        assert.deepEqual(ids.filter((id) => id.startsWith('tls-')), [], t);
      }
    });

    it('PGPASSWORD: exactly one hardcoded-password finding, the secret never in a message', () => {
      const t = 'PGHOST=db.internal.example.com\nPGPASSWORD=Zq8tLm2vR4nW\nPGSSLMODE=verify-full\n';
      const a = analyzeText('.env', t, DEFAULT_SETTINGS, { envFileTracked: true });
      const f = only(a.findings.filter((x) => x.ruleId === 'hardcoded-password'));
      assert.deepEqual(f.range, at(t, 'Zq8tLm2vR4nW'));
      for (const x of a.findings) assert.ok(!x.message.includes('Zq8tLm2vR4nW'));
      assert.deepEqual(analyzeText('.env', t, DEFAULT_SETTINGS, { envFileTracked: false }).findings.filter((x) => x.ruleId === 'hardcoded-password'), []);
    });
  });
});
