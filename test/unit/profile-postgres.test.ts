/**
 * PostgreSQL driver semantics (profile/drivers/postgres-go, node-postgres, postgres-js): the same
 * connection string under different consumers, per reference/driver-semantics.md §2 and §5.
 */
import { strict as assert } from 'node:assert';
import { buildProfile } from '../../server/src/engine/profile/index';
import { ConnectionSite, DriverId, Prop, Val } from '../../server/src/engine/extract/values';
import { SrcString } from '../../server/src/engine/srcstring';
import { DEFAULT_SETTINGS } from '../../server/src/engine/settings';
import { applyEdits } from '../../server/src/engine/scan';
import { ConnectionProfile } from '../../server/src/engine/profile/types';
import { at } from '../support/ranges';

/** A source text with the DSN as a quoted literal at a known offset. */
function dsnSite(driver: DriverId, dsn: string, extra: Partial<ConnectionSite> = {}): { site: ConnectionSite; text: string } {
  const text = `x := open("${dsn}")`;
  const start = text.indexOf('"') + 1;
  const s = SrcString.exact(dsn, start);
  const site: ConnectionSite = {
    language: driver === 'node-postgres' || driver === 'postgres.js' ? 'ts' : 'go',
    driver,
    anchor: { start: 5, end: text.length },
    dsn: { s, range: { start: start - 1, end: start + dsn.length + 1 }, appendable: true },
    ...extra,
  };
  return { site, text };
}

function profile(driver: DriverId, dsn: string, extra: Partial<ConnectionSite> = {}): ConnectionProfile & { text: string } {
  const { site, text } = dsnSite(driver, dsn, extra);
  return { ...buildProfile(site, { settings: DEFAULT_SETTINGS, text }), text };
}

/** Builds an options object Val from a JS-like description, with ranges inside `text`. */
function obj(text: string, props: Record<string, Val>): Val {
  const list: Prop[] = Object.entries(props).map(([key, value]) => ({ key, keyRange: value.range, value, range: value.range }));
  return { k: 'obj', props: list, range: { start: text.indexOf('{'), end: text.lastIndexOf('}') + 1 } };
}

const RDS = 'orders.cluster-c9akciq32xyz.eu-west-1.rds.amazonaws.com';

describe('profile: PostgreSQL semantics per driver', () => {
  it('sslmode=require is unverified under pgx but fully verified under node-postgres', () => {
    const pgx = profile('pgx', 'postgres://app@db.example.com/app?sslmode=require');
    assert.equal(pgx.tls.enabled.value, 'on');
    assert.equal(pgx.tls.chain.value, 'unverified');
    assert.equal(pgx.tls.hostname.value, 'unverified');
    const node = profile('node-postgres', 'postgres://app@db.example.com/app?sslmode=require');
    assert.equal(node.tls.enabled.value, 'on');
    assert.equal(node.tls.chain.value, 'verified');
    assert.equal(node.tls.hostname.value, 'verified');
    assert.match(node.tls.explanation, /full verification/);
  });

  it('absent sslmode: pgx prefer (plaintext fallback), lib/pq require (unverified), node-postgres plaintext', () => {
    assert.equal(profile('pgx', 'postgres://app@db.example.com/app').tls.enabled.value, 'optional');
    const pq = profile('lib/pq', 'postgres://app@db.example.com/app');
    assert.equal(pq.tls.enabled.value, 'on');
    assert.equal(pq.tls.chain.value, 'unverified');
    assert.equal(profile('node-postgres', 'postgres://app@db.example.com/app').tls.enabled.value, 'off');
  });

  it('the sslmode range is exactly the value token', () => {
    const p = profile('pgx', 'postgres://app@db.example.com/app?sslmode=prefer');
    assert.deepEqual(p.tls.enabled.range, at(p.text, 'prefer'));
  });

  it('require with sslrootcert verifies the chain (verify-ca) but not the hostname', () => {
    const p = profile('pgx', 'host=db.example.com sslmode=require sslrootcert=/etc/ca.pem');
    assert.equal(p.tls.chain.value, 'verified');
    assert.equal(p.tls.hostname.value, 'unverified');
  });

  it('verify-ca verifies the chain only; verify-full both', () => {
    const ca = profile('pgx', 'postgres://db.example.com/app?sslmode=verify-ca');
    assert.deepEqual([ca.tls.chain.value, ca.tls.hostname.value], ['verified', 'unverified']);
    const full = profile('pgx', 'postgres://db.example.com/app?sslmode=verify-full');
    assert.deepEqual([full.tls.chain.value, full.tls.hostname.value], ['verified', 'verified']);
  });

  it('pgx sslrootcert=system forces verify-full', () => {
    const p = profile('pgx', 'postgres://db.example.com/app?sslmode=disable&sslrootcert=system');
    assert.equal(p.tls.enabled.value, 'on');
    assert.equal(p.tls.hostname.value, 'verified');
  });

  it('an invalid sslmode is dsn-invalid with a did-you-mean fix', () => {
    const p = profile('pgx', 'postgres://db.example.com/app?sslmode=verify_full');
    assert.equal(p.invalid.length, 1);
    assert.match(p.invalid[0].message, /did you mean sslmode=verify-full/);
    assert.equal(applyEdits(p.text, p.invalid[0].fixes[0].edits), 'x := open("postgres://db.example.com/app?sslmode=verify-full")');
  });

  it('a misspelt key (sslmdoe) is reported, since pgx sends it to the server as a run-time parameter', () => {
    const p = profile('pgx', 'postgres://db.example.com/app?sslmdoe=verify-full');
    assert.ok(p.invalid.some((i) => /did you mean "sslmode"/.test(i.message)));
    assert.equal(p.tls.enabled.value, 'optional');
  });

  it('node-postgres: ssl=false in the URL turns TLS ON (dsn-invalid, not tls-disabled)', () => {
    const p = profile('node-postgres', 'postgres://db.example.com/app?ssl=false');
    assert.equal(p.tls.enabled.value, 'on');
    assert.equal(p.tls.chain.value, 'verified');
    assert.equal(p.invalid.length, 1);
    assert.match(p.invalid[0].message, /truthy/);
  });

  it('node-postgres: sslmode=no-verify and uselibpqcompat=true&sslmode=require are unverified', () => {
    assert.equal(profile('node-postgres', 'postgres://db.example.com/app?sslmode=no-verify').tls.chain.value, 'unverified');
    assert.equal(profile('node-postgres', 'postgres://db.example.com/app?uselibpqcompat=true&sslmode=require').tls.chain.value, 'unverified');
  });

  it('node-postgres: ssl { rejectUnauthorized: false } is unverified and the fix flips it', () => {
    const text = "new Pool({ host: 'db.example.com', ssl: { rejectUnauthorized: false } })";
    const ru: Val = { k: 'bool', b: false, range: at(text, 'false') };
    const ssl: Val = { k: 'obj', props: [{ key: 'rejectUnauthorized', keyRange: at(text, 'rejectUnauthorized'), value: ru, range: at(text, 'rejectUnauthorized: false') }], range: at(text, '{ rejectUnauthorized: false }') };
    const host: Val = { k: 'str', s: SrcString.exact('db.example.com', text.indexOf('db.example')), range: at(text, "'db.example.com'") };
    const options = obj(text, { host, ssl });
    const p = buildProfile({ language: 'ts', driver: 'node-postgres', anchor: { start: 0, end: text.length }, options, isPool: true }, { settings: DEFAULT_SETTINGS, text });
    assert.equal(p.tls.chain.value, 'unverified');
    assert.deepEqual(p.tls.chain.range, ru.range);
    const f = p.remedies.verifiedTls![0];
    assert.equal(f.preferred, true);
    assert.equal(applyEdits(text, f.edits), "new Pool({ host: 'db.example.com', ssl: { rejectUnauthorized: true } })");
  });

  it('node-postgres: an ssl parameter in connectionString replaces the ssl object (reported)', () => {
    const text = "new Pool({ connectionString: 'postgres://db.example.com/app?sslmode=require', ssl: { ca: caPem } })";
    const ca: Val = { k: 'unknown', range: at(text, 'caPem') };
    const ssl: Val = { k: 'obj', props: [{ key: 'ca', keyRange: at(text, 'ca:'), value: ca, range: at(text, 'ca: caPem') }], range: at(text, '{ ca: caPem }') };
    const dsnText = 'postgres://db.example.com/app?sslmode=require';
    const s = SrcString.exact(dsnText, text.indexOf(dsnText));
    const p = buildProfile(
      { language: 'ts', driver: 'node-postgres', anchor: { start: 0, end: text.length }, options: obj(text, { ssl }), dsn: { s, range: at(text, `'${dsnText}'`), appendable: true } },
      { settings: DEFAULT_SETTINGS, text },
    );
    assert.ok(p.invalid.some((i) => /ignores this ssl object/.test(i.message)));
  });

  it('postgres.js: ssl require is unverified, prefer falls back, verify-ca also checks the hostname', () => {
    const mk = (ssl: string) => {
      const text = `postgres({ ssl: '${ssl}' })`;
      const v: Val = { k: 'str', s: SrcString.exact(ssl, text.indexOf(ssl)), range: at(text, `'${ssl}'`) };
      return buildProfile({ language: 'ts', driver: 'postgres.js', anchor: { start: 0, end: text.length }, options: obj(text, { ssl: v }) }, { settings: DEFAULT_SETTINGS, text });
    };
    assert.equal(mk('require').tls.chain.value, 'unverified');
    assert.equal(mk('prefer').tls.enabled.value, 'optional');
    assert.equal(mk('verify-ca').tls.hostname.value, 'verified');
  });

  it('provider and locality come from the host', () => {
    const rds = profile('pgx', `postgres://app@${RDS}:5432/orders?sslmode=verify-full`);
    assert.equal(rds.provider.kind, 'aws-rds');
    assert.equal(rds.locality, 'remote');
    assert.equal(profile('pgx', 'postgres://app@localhost/app').locality, 'loopback');
    assert.equal(profile('pgx', 'host=/var/run/postgresql dbname=app').locality, 'socket');
  });

  it('verify-full fix is preferred for public CAs but only a suggestion on RDS without a CA', () => {
    const pub = profile('pgx', 'postgres://app@db.example.com/app?sslmode=require');
    assert.equal(pub.remedies.verifiedTls![0].preferred, true);
    assert.equal(applyEdits(pub.text, pub.remedies.verifiedTls![0].edits), 'x := open("postgres://app@db.example.com/app?sslmode=verify-full")');
    const rds = profile('pgx', `postgres://app@${RDS}/app`);
    assert.equal(rds.remedies.verifiedTls![0].preferred, false);
    assert.equal(applyEdits(rds.text, rds.remedies.verifiedTls![0].edits), `x := open("postgres://app@${RDS}/app?sslmode=verify-full")`);
  });

  it('keyword/value DSNs get a space-separated parameter appended', () => {
    const p = profile('pgx', 'host=db.example.com user=app');
    assert.equal(applyEdits(p.text, p.remedies.verifiedTls![0].edits), 'x := open("host=db.example.com user=app sslmode=verify-full")');
  });

  it('connect_timeout: missing for pgx without it, set with it; not applicable to unknown consumers', () => {
    assert.equal(profile('pgx', 'postgres://db.example.com/app').connectTimeout?.value, 'missing');
    assert.equal(profile('pgx', 'postgres://db.example.com/app?connect_timeout=5').connectTimeout?.value, 'set');
    assert.equal(profile('unknown-postgres', 'postgres://db.example.com/app').connectTimeout, undefined);
  });

  it('a hole in the sslmode value is unknown, never guessed', () => {
    const text = 'x := fmt.Sprintf("postgres://db.example.com/app?sslmode=%s", mode)';
    const s = SrcString.concat([SrcString.exact('postgres://db.example.com/app?sslmode=', 18), SrcString.hole(at(text, '%s'))]);
    const p = buildProfile({ language: 'go', driver: 'pgx', anchor: { start: 5, end: text.length }, dsn: { s, range: { start: 17, end: 60 }, appendable: false } }, { settings: DEFAULT_SETTINGS, text });
    assert.equal(p.tls.enabled.value, 'unknown');
  });

  it('unknown consumers are evaluated under libpq semantics and say so', () => {
    const p = profile('unknown-postgres', 'postgres://db.example.com/app?sslmode=require');
    assert.equal(p.consumerKnown, false);
    assert.equal(p.tls.chain.value, 'unverified');
    assert.match(p.tls.explanation, /libpq semantics/);
  });
});

describe('profile: misspelt PostgreSQL keys', () => {
  it('a misspelt password key is dsn-invalid, without quoting its value', () => {
    const p = profile('pgx', 'host=db.example.com pasword=Hunter2-Secret sslmode=verify-full');
    const inv = p.invalid.find((i) => /did you mean "password"/.test(i.message));
    assert.ok(inv, JSON.stringify(p.invalid));
    assert.ok(!inv.message.includes('Hunter2-Secret'));
  });
});

describe('profile: connection strings present but not known, and TLS parameters in the URL', () => {
  it('node-postgres: a connectionString of unknown content (TypeORM url from a call) makes TLS unknown, not plaintext', () => {
    const text = "new DataSource({ type: 'postgres', url: settings.dbUrl(), connectTimeoutMS: 5000 })";
    const url: Val = { k: 'call', callee: 'settings.dbUrl', range: at(text, 'settings.dbUrl()'), awaited: false };
    const mk = (props: Record<string, Val>) =>
      buildProfile({ language: 'ts', driver: 'node-postgres', wrapper: 'typeorm', anchor: { start: 0, end: text.length }, options: obj(text, props) }, { settings: DEFAULT_SETTINGS, text });
    const p = mk({ connectionString: url });
    assert.equal(p.tls.enabled.value, 'unknown');
    assert.deepEqual(p.tls.enabled.range, url.range);
    // An ssl option beside it is judged, as beside an env-read URL.
    const ssl: Val = { k: 'bool', b: false, range: at(text, 'postgres') };
    assert.equal(mk({ connectionString: url, ssl }).tls.enabled.value, 'off');
    // No URL at all (or `url: undefined`): pg's own default, plaintext unless PGSSLMODE.
    assert.equal(mk({}).tls.enabled.value, 'off');
    assert.equal(mk({ connectionString: { k: 'ident', name: 'undefined', range: url.range } }).tls.enabled.value, 'off');
  });

  it('node-postgres: fixes for TLS settings in the URL put the provider CA into the URL (sslrootcert), not ssl.ca', () => {
    for (const q of ['sslmode=require&uselibpqcompat=true', 'ssl=no-verify', 'sslmode=no-verify']) {
      const p = profile('node-postgres', `postgres://app@${RDS}:5432/orders?${q}`);
      const f = p.remedies.verifiedTls![0];
      assert.match(f.title, /sslrootcert=/, q);
      assert.doesNotMatch(f.title, /ssl\.ca/, q);
      assert.equal(f.preferred, false);
    }
  });

  it('postgres.js: a string ssl has no ca — the fix says to use an ssl object for the provider CA', () => {
    const text = `postgres({ host: '${RDS}', ssl: 'require' })`;
    const host: Val = { k: 'str', s: SrcString.exact(RDS, text.indexOf(RDS)), range: at(text, `'${RDS}'`) };
    const ssl: Val = { k: 'str', s: SrcString.exact('require', text.indexOf('require')), range: at(text, "'require'") };
    const p = buildProfile({ language: 'ts', driver: 'postgres.js', anchor: { start: 0, end: text.length }, options: obj(text, { host, ssl }) }, { settings: DEFAULT_SETTINGS, text });
    const f = p.remedies.verifiedTls![0];
    assert.match(f.title, /^Set ssl: 'verify-full' .*ssl: \{ ca \}/);
    assert.doesNotMatch(f.title, /ssl\.ca/);
    assert.equal(applyEdits(text, f.edits), `postgres({ host: '${RDS}', ssl: 'verify-full' })`);
  });

  it('libpq (consumer unknown): ssl=true is sslmode=require; other ssl values are refused, not a plaintext fallback', () => {
    const t = profile('unknown-postgres', 'postgres://db.example.com/app?ssl=true');
    assert.equal(t.tls.enabled.value, 'on');
    assert.equal(t.tls.chain.value, 'unverified');
    assert.match(t.tls.chain.source, /ssl=true/);
    assert.deepEqual(t.invalid, []);
    for (const v of ['false', '1', '0', 'True']) {
      const p = profile('unknown-postgres', `postgres://db.example.com/app?ssl=${v}`);
      assert.equal(p.tls.enabled.value, 'unknown', v);
      assert.equal(p.invalid.length, 1, v);
      assert.match(p.invalid[0].message, /invalid URI query parameter/);
      assert.equal(applyEdits(p.text, p.invalid[0].fixes[0].edits), 'x := open("postgres://db.example.com/app?sslmode=verify-full")');
    }
    // The later of ssl=true and sslmode wins; the fix for a trailing ssl=true appends a later sslmode.
    assert.equal(profile('unknown-postgres', 'postgres://db.example.com/app?ssl=true&sslmode=verify-full').tls.hostname.value, 'verified');
    const later = profile('unknown-postgres', 'postgres://db.example.com/app?sslmode=verify-full&ssl=true');
    assert.equal(later.tls.chain.value, 'unverified');
    assert.equal(applyEdits(later.text, later.remedies.verifiedTls![0].edits), 'x := open("postgres://db.example.com/app?sslmode=verify-full&ssl=true&sslmode=verify-full")');
    // Keyword/value form has no ssl option at all.
    const kv = profile('unknown-postgres', 'host=db.example.com ssl=true');
    assert.match(kv.invalid[0]?.message ?? '', /invalid connection option/);
    assert.equal(kv.tls.enabled.value, 'unknown');
    // Known consumers keep their own reading (pgx sends ssl to the server as a run-time parameter).
    assert.deepEqual(profile('pgx', 'postgres://db.example.com/app?ssl=false').invalid, []);
  });
});
