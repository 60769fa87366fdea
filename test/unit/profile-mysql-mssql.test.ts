/**
 * Driver semantics for MySQL (go-sql-driver/mysql, mysql2), SQL Server (go-mssqldb, node-mssql,
 * tedious) and Oracle (godror): profiles built from hand-made ConnectionSites, per
 * reference/driver-semantics.md §1, §3, §6, §7, §9. Remedies are checked by applying their edits.
 */
import { strict as assert } from 'node:assert';
import { buildProfile } from '../../server/src/engine/profile/index';
import { ConnectionSite, DriverId, Prop, TlsConfigFacts, Val } from '../../server/src/engine/extract/values';
import { SrcString } from '../../server/src/engine/srcstring';
import { DEFAULT_SETTINGS } from '../../server/src/engine/settings';
import { applyEdits } from '../../server/src/engine/scan';
import { ConnectionProfile } from '../../server/src/engine/profile/types';
import { Fix, Range } from '../../server/src/engine/model';
import { at } from '../support/ranges';

type P = ConnectionProfile & { text: string };

/** A connection string as a double-quoted literal in a one-line source text. */
function dsnProfile(driver: DriverId, dsn: string, extra: Partial<ConnectionSite> = {}, prefix = 'db, err := sql.Open("x", '): P {
  const text = `${prefix}"${dsn}")`;
  const start = text.indexOf('"', prefix.length - 1) + 1;
  const site: ConnectionSite = {
    language: driver.startsWith('unknown') ? 'config' : driver === 'mysql2' || driver === 'mssql' || driver === 'tedious' ? 'ts' : 'go',
    driver,
    anchor: { start: 0, end: text.length },
    dsn: { s: SrcString.exact(dsn, start), range: { start: start - 1, end: start + dsn.length + 1 }, appendable: true },
    ...extra,
  };
  return { ...buildProfile(site, { settings: DEFAULT_SETTINGS, text }), text };
}

/**
 * A tiny reader for the object literals used in these tests (JS or Go composite literal bodies):
 * strings without escapes, numbers, booleans, null, `process.env.X`, arrow functions, identifiers,
 * nested objects and arrays.
 */
function readVal(text: string, i: number): { v: Val; end: number } {
  const ws = (k: number) => {
    while (k < text.length && /\s/.test(text[k])) k++;
    return k;
  };
  i = ws(i);
  const c = text[i];
  if (c === '{' || c === '[') {
    const close = c === '{' ? '}' : ']';
    const props: Prop[] = [];
    const items: Val[] = [];
    let k = ws(i + 1);
    while (text[k] !== close) {
      if (c === '{') {
        const keyStart = k;
        let key: string;
        if (text[k] === '"' || text[k] === "'") {
          const q = text.indexOf(text[k], k + 1);
          key = text.slice(k + 1, q);
          k = q + 1;
        } else {
          while (/[A-Za-z0-9_$]/.test(text[k])) k++;
          key = text.slice(keyStart, k);
        }
        const keyRange = { start: keyStart, end: k };
        k = ws(k);
        assert.equal(text[k], ':', `expected ':' at ${k}`);
        const r = readVal(text, k + 1);
        props.push({ key, keyRange, value: r.v, range: { start: keyStart, end: r.end } });
        k = r.end;
      } else {
        const r = readVal(text, k);
        items.push(r.v);
        k = r.end;
      }
      k = ws(k);
      if (text[k] === ',') k = ws(k + 1);
    }
    const range = { start: i, end: k + 1 };
    return { v: c === '{' ? { k: 'obj', props, range } : { k: 'arr', items, range }, end: k + 1 };
  }
  if (c === '"' || c === "'") {
    const q = text.indexOf(c, i + 1);
    return { v: { k: 'str', s: SrcString.exact(text.slice(i + 1, q), i + 1), range: { start: i, end: q + 1 } }, end: q + 1 };
  }
  if (text.startsWith('() =>', i)) {
    let k = i;
    let depth = 0;
    while (k < text.length && !(depth === 0 && /[,}\]]/.test(text[k]))) {
      if (text[k] === '(') depth++;
      if (text[k] === ')') depth--;
      k++;
    }
    const body = text.slice(i, k);
    const calls = [...body.matchAll(/([A-Za-z_.]+)\(/g)].map((m) => m[1]);
    return { v: { k: 'fn', range: { start: i, end: k }, calls, body: { start: i, end: k } }, end: k };
  }
  let k = i;
  while (k < text.length && /[A-Za-z0-9_.$-]/.test(text[k])) k++;
  const word = text.slice(i, k);
  const range = { start: i, end: k };
  if (word === 'true' || word === 'false') return { v: { k: 'bool', b: word === 'true', range }, end: k };
  if (word === 'null') return { v: { k: 'null', range }, end: k };
  if (/^-?\d+$/.test(word)) return { v: { k: 'num', n: Number(word), range }, end: k };
  if (word.startsWith('process.env.')) return { v: { k: 'env', name: word.slice(12), range }, end: k };
  return { v: { k: 'ident', name: word, range }, end: k };
}

/** A profile for an options object written in `text` (the first `{` starts it). */
function objProfile(driver: DriverId, text: string, extra: Partial<ConnectionSite> = {}): P {
  const options = readVal(text, text.indexOf('{')).v;
  const site: ConnectionSite = { language: driver.startsWith('go') ? 'go' : 'ts', driver, anchor: { start: 0, end: text.length }, options, ...extra };
  return { ...buildProfile(site, { settings: DEFAULT_SETTINGS, text }), text };
}

function applied(p: P, fixes: readonly Fix[] | undefined): string {
  assert.ok(fixes && fixes.length > 0, 'expected a fix');
  return applyEdits(p.text, fixes[0].edits);
}

const RDS_MYSQL = 'shop.c9akciq32xyz.eu-west-1.rds.amazonaws.com';
const AZURE = 'contoso.database.windows.net';

describe('profile: go-sql-driver/mysql', () => {
  it('no tls parameter: plaintext, connect timeout missing', () => {
    const p = dsnProfile('go-mysql', 'app:pw@tcp(db.example.com:3306)/shop');
    assert.equal(p.driverLabel, 'go-sql-driver/mysql');
    assert.equal(p.dbms, 'mysql');
    assert.equal(p.tls.enabled.value, 'off');
    assert.equal(p.tls.enabled.range, undefined);
    assert.equal(p.connectTimeout?.value, 'missing');
    assert.match(p.tls.explanation, /^TLS off — go-sql-driver\/mysql/);
    assert.equal(p.auth.password.value, 'literal');
    assert.equal(p.locality, 'remote');
  });

  it('tls=true verifies chain and hostname; the range is the value token', () => {
    const p = dsnProfile('go-mysql', 'app@tcp(db.example.com)/shop?tls=true');
    assert.equal(p.tls.enabled.value, 'on');
    assert.equal(p.tls.chain.value, 'verified');
    assert.equal(p.tls.hostname.value, 'verified');
    assert.equal(p.tls.ca.value, 'system');
    assert.deepEqual(p.tls.enabled.range, at(p.text, 'true'));
    assert.equal(p.tls.enabled.source, 'tls=true');
  });

  it('tls=skip-verify encrypts without verification; the fix sets tls=true', () => {
    const p = dsnProfile('go-mysql', 'app@tcp(db.example.com)/shop?tls=skip-verify');
    assert.equal(p.tls.enabled.value, 'on');
    assert.equal(p.tls.chain.value, 'unverified');
    assert.equal(p.tls.hostname.value, 'unverified');
    assert.match(p.tls.explanation, /certificate NOT verified · hostname NOT verified/);
    assert.equal(applied(p, p.remedies.verifiedTls), 'db, err := sql.Open("x", "app@tcp(db.example.com)/shop?tls=true")');
    assert.equal(p.remedies.verifiedTls![0].preferred, true);
  });

  it('tls=preferred is optional TLS without verification', () => {
    const p = dsnProfile('go-mysql', 'app@tcp(db.example.com)/shop?tls=PREFERRED');
    assert.equal(p.tls.enabled.value, 'optional');
    assert.equal(p.tls.chain.value, 'unverified');
  });

  it('allowFallbackToPlaintext=true makes tls=true optional; the fix removes the fallback', () => {
    const p = dsnProfile('go-mysql', 'app@tcp(db.example.com)/shop?tls=true&allowFallbackToPlaintext=true');
    assert.equal(p.tls.enabled.value, 'optional');
    assert.deepEqual(p.tls.enabled.range, at(p.text, 'true', 1));
    assert.equal(p.tls.chain.value, 'verified');
    assert.equal(applied(p, p.remedies.verifiedTls), 'db, err := sql.Open("x", "app@tcp(db.example.com)/shop?tls=true")');
  });

  it('a registered tls.Config with InsecureSkipVerify is unverified; the fix turns it off', () => {
    const text0 = 'tlsCfg := &tls.Config{InsecureSkipVerify: true}; ';
    const facts = (text: string): TlsConfigFacts => ({
      range: at(text, '&tls.Config{InsecureSkipVerify: true}'),
      insecureSkipVerify: { value: true, range: at(text, 'true'), propRange: at(text, 'InsecureSkipVerify: true') },
    });
    const probe = dsnProfile('go-mysql', 'app@tcp(db.example.com)/shop?tls=custom', {}, `${text0}db, err := sql.Open("x", `);
    const p = dsnProfile('go-mysql', 'app@tcp(db.example.com)/shop?tls=custom', { tlsConfig: facts(probe.text) }, `${text0}db, err := sql.Open("x", `);
    assert.equal(p.tls.enabled.value, 'on');
    assert.equal(p.tls.chain.value, 'unverified');
    assert.equal(p.tls.hostname.value, 'unverified');
    assert.match(applied(p, p.remedies.verifiedTls), /InsecureSkipVerify: false/);
  });

  it('a registered tls.Config with a rejecting callback: chain verified, hostname unknown', () => {
    const p = dsnProfile('go-mysql', 'app@tcp(db.example.com)/shop?tls=pinned', {
      tlsConfig: { range: { start: 0, end: 1 }, insecureSkipVerify: { value: true, range: { start: 0, end: 1 }, propRange: { start: 0, end: 1 } }, verifyCallback: { name: 'VerifyPeerCertificate', range: { start: 0, end: 1 }, rejects: true } },
    });
    assert.equal(p.tls.chain.value, 'verified');
    assert.equal(p.tls.hostname.value, 'unknown');
  });

  it('a registered tls.Config with RootCAs and MinVersion TLS 1.0: CA configured, outdated version, fix to VersionTLS12', () => {
    const prefix = 'c := tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS10}; db, err := sql.Open("x", ';
    const probe = dsnProfile('go-mysql', 'u@tcp(h.example.com)/d?tls=custom', {}, prefix);
    const p = dsnProfile('go-mysql', 'u@tcp(h.example.com)/d?tls=custom', {
      tlsConfig: { range: at(probe.text, 'tls.Config{'), rootCAs: { range: at(probe.text, 'pool') }, minVersion: { version: '1.0', range: at(probe.text, 'tls.VersionTLS10') } },
    }, prefix);
    assert.equal(p.tls.chain.value, 'verified');
    assert.equal(p.tls.ca.value, 'configured');
    assert.equal(p.tls.outdatedMinVersion?.value, '1.0');
    assert.match(applied(p, p.remedies.minTls12), /MinVersion: tls\.VersionTLS12\}/);
  });

  it('an unregistered custom name without a visible config: TLS on, verification unknown', () => {
    const p = dsnProfile('go-mysql', 'u@tcp(h.example.com)/d?tls=corporate');
    assert.equal(p.tls.enabled.value, 'on');
    assert.equal(p.tls.chain.value, 'unknown');
    assert.equal(p.invalid.length, 0);
  });

  it('tls=ture is a typo: invalid with a did-you-mean fix', () => {
    const p = dsnProfile('go-mysql', 'u@tcp(h.example.com)/d?tls=ture');
    assert.equal(p.invalid.length, 1);
    assert.match(p.invalid[0].message, /Did you mean tls=true\?/);
    assert.deepEqual(p.invalid[0].range, at(p.text, 'ture'));
    assert.equal(applyEdits(p.text, p.invalid[0].fixes[0].edits), 'db, err := sql.Open("x", "u@tcp(h.example.com)/d?tls=true")');
    assert.equal(p.tls.enabled.value, 'unknown');
  });

  it('invalid booleans are reported once, with a did-you-mean when close', () => {
    const p = dsnProfile('go-mysql', 'u@tcp(h.example.com)/d?parseTime=ture&tls=true');
    assert.equal(p.invalid.length, 1);
    assert.match(p.invalid[0].message, /parseTime=true/);
    assert.equal(p.invalid[0].fixes.length, 1);
  });

  it('allowAllFiles, multiStatements, allowOldPasswords are dangerous; preferred fixes remove them', () => {
    const p = dsnProfile('go-mysql', 'u@tcp(h.example.com)/d?allowAllFiles=true&multiStatements=true&allowOldPasswords=1&tls=true');
    assert.deepEqual(p.dangerous.map((d) => d.option), ['allowAllFiles=true', 'multiStatements=true', 'allowOldPasswords=1']);
    assert.ok(p.dangerous.every((d) => d.fixes[0]?.preferred));
    const all = p.dangerous.flatMap((d) => d.fixes[0].edits);
    assert.equal(applyEdits(p.text, all), 'db, err := sql.Open("x", "u@tcp(h.example.com)/d?tls=true")');
  });

  it('allowCleartextPasswords=true enables the cleartext plugin', () => {
    const p = dsnProfile('go-mysql', 'u@tcp(h.example.com)/d?allowCleartextPasswords=true');
    assert.equal(p.auth.cleartextPlugin?.value, true);
    assert.deepEqual(p.auth.cleartextPlugin?.range, at(p.text, 'true'));
  });

  it('parseTime=true without loc: timezone unset; the suggestion adds loc=UTC', () => {
    const p = dsnProfile('go-mysql', 'u@tcp(h.example.com)/d?parseTime=true');
    assert.equal(p.timezoneUnset?.value, true);
    assert.equal(p.remedies.timezone?.[0].preferred, false);
    assert.match(applied(p, p.remedies.timezone), /parseTime=true&loc=UTC"/);
    assert.equal(dsnProfile('go-mysql', 'u@tcp(h.example.com)/d?parseTime=true&loc=Local').timezoneUnset, undefined);
  });

  it('timeout sets the connect timeout; the remedy appends timeout=10s', () => {
    assert.equal(dsnProfile('go-mysql', 'u@tcp(h.example.com)/d?timeout=5s').connectTimeout?.value, 'set');
    const p = dsnProfile('go-mysql', 'u@tcp(h.example.com)/d');
    assert.match(applied(p, p.remedies.connectTimeout), /\/d\?timeout=10s"/);
    assert.match(applied(dsnProfile('go-mysql', 'u@tcp(h.example.com)/d'), dsnProfile('go-mysql', 'u@tcp(h.example.com)/d').remedies.verifiedTls), /\/d\?tls=true"/);
  });

  it('a DSN that is entirely unknown (environment) judges nothing', () => {
    const text = 'db, err := sql.Open("mysql", os.Getenv("DSN"))';
    const r = at(text, 'os.Getenv("DSN")');
    const site: ConnectionSite = { language: 'go', driver: 'go-mysql', anchor: r, dsn: { s: SrcString.hole(r), range: r, appendable: false } };
    const p = buildProfile(site, { settings: DEFAULT_SETTINGS, text });
    assert.equal(p.tls.enabled.value, 'unknown');
    assert.equal(p.connectTimeout?.value, 'unknown');
    assert.equal(p.locality, 'unknown');
  });

  it('no address means 127.0.0.1 (loopback); unix() is a socket', () => {
    assert.equal(dsnProfile('go-mysql', 'root:pw@/test').locality, 'loopback');
    assert.equal(dsnProfile('go-mysql', 'root@unix(/tmp/mysql.sock)/test').locality, 'socket');
  });

  it('mysql.Config fields: RDS provider, literal Passwd, TLSConfig skip-verify; the fix keeps the CA caveat', () => {
    const text = `cfg := mysql.Config{User: "app", Passwd: "hunter22", Net: "tcp", Addr: "${RDS_MYSQL}:3306", TLSConfig: "skip-verify", AllowCleartextPasswords: true}`;
    const p = objProfile('go-mysql', text);
    assert.equal(p.provider.kind, 'aws-rds');
    assert.equal(p.auth.password.value, 'literal');
    assert.equal(p.auth.user?.value, 'app');
    assert.equal(p.tls.chain.value, 'unverified');
    assert.equal(p.tls.enabled.source, 'TLSConfig: "skip-verify"');
    assert.equal(p.auth.cleartextPlugin?.value, true);
    const f = p.remedies.verifiedTls!;
    assert.equal(f[0].preferred, false);
    assert.match(f[0].title, /RootCAs/);
    assert.match(applyEdits(text, f[0].edits), /TLSConfig: "true"/);
  });

  it('Config fields win over the DSN', () => {
    const text = 'cfg, _ := mysql.ParseDSN("u@tcp(h.example.com)/d?tls=true"); cfg = mysql.Config{TLSConfig: "false"}';
    const options = readVal(text, text.indexOf('{')).v;
    const dsnText = 'u@tcp(h.example.com)/d?tls=true';
    const s = text.indexOf(dsnText);
    const site: ConnectionSite = { language: 'go', driver: 'go-mysql', anchor: { start: 0, end: text.length }, options, dsn: { s: SrcString.exact(dsnText, s), range: { start: s - 1, end: s + dsnText.length + 1 }, appendable: true } };
    const p = buildProfile(site, { settings: DEFAULT_SETTINGS, text });
    assert.equal(p.tls.enabled.value, 'off');
  });

  it('pool settings pass through from the site', () => {
    const p = dsnProfile('go-mysql', 'u@tcp(h.example.com)/d?tls=true', { goPool: { escapes: false } });
    assert.equal(p.pool?.maxOpen.value, 'unset');
  });
});

describe('profile: mysql2', () => {
  it('no ssl: plaintext; connect timeout not applicable', () => {
    const p = objProfile('mysql2', "mysql.createPool({ host: 'db.example.com', user: 'app', password: process.env.DB_PASSWORD })");
    assert.equal(p.driverLabel, 'mysql2');
    assert.equal(p.tls.enabled.value, 'off');
    assert.equal(p.connectTimeout, undefined);
    assert.equal(p.auth.password.value, 'env');
    assert.match(applied(p, p.remedies.verifiedTls), /password: process\.env\.DB_PASSWORD, ssl: \{ verifyIdentity: true \} \}\)$/);
  });

  it('ssl: {} verifies the chain but not the hostname; the preferred fix inserts verifyIdentity: true', () => {
    const text = "mysql.createConnection({\n  host: 'db.example.com',\n  ssl: { ca: caPem },\n})";
    const p = objProfile('mysql2', text);
    assert.equal(p.tls.enabled.value, 'on');
    assert.equal(p.tls.chain.value, 'verified');
    assert.equal(p.tls.hostname.value, 'unverified');
    assert.equal(p.tls.ca.value, 'configured');
    assert.match(p.tls.hostname.source, /verifyIdentity/);
    const f = p.remedies.verifyHostname!;
    assert.equal(f[0].preferred, true);
    assert.equal(applyEdits(text, f[0].edits), "mysql.createConnection({\n  host: 'db.example.com',\n  ssl: { ca: caPem, verifyIdentity: true },\n})");
  });

  it('rejectUnauthorized: false is unverified; the fix verifies chain and hostname', () => {
    const text = "mysql.createConnection({ host: 'db.example.com', ssl: { rejectUnauthorized: false } })";
    const p = objProfile('mysql2', text);
    assert.equal(p.tls.chain.value, 'unverified');
    assert.deepEqual(p.tls.chain.range, at(text, 'false'));
    assert.equal(applied(p, p.remedies.verifiedTls), "mysql.createConnection({ host: 'db.example.com', ssl: { rejectUnauthorized: true, verifyIdentity: true } })");
  });

  it('verifyIdentity: true verifies both', () => {
    const p = objProfile('mysql2', "mysql.createConnection({ host: 'db.example.com', ssl: { verifyIdentity: true } })");
    assert.equal(p.tls.hostname.value, 'verified');
    assert.equal(p.tls.ca.value, 'system');
  });

  it("ssl: 'Amazon RDS' is the deprecated CA profile: retiredCa, no hostname check", () => {
    const p = objProfile('mysql2', `mysql.createConnection({ host: '${RDS_MYSQL}', ssl: 'Amazon RDS' })`);
    assert.equal(p.tls.retiredCa?.value, 'Amazon RDS');
    assert.equal(p.tls.ca.value, 'profile');
    assert.equal(p.tls.chain.value, 'verified');
    assert.equal(p.tls.hostname.value, 'unverified');
    assert.equal(p.provider.kind, 'aws-rds');
  });

  it('ssl: true throws: invalid, with a suggestion', () => {
    const text = "mysql.createConnection({ host: 'db.example.com', ssl: true })";
    const p = objProfile('mysql2', text);
    assert.equal(p.invalid.length, 1);
    assert.match(p.invalid[0].message, /SSL profile must be an object/);
    assert.equal(applyEdits(text, p.invalid[0].fixes[0].edits), "mysql.createConnection({ host: 'db.example.com', ssl: { verifyIdentity: true } })");
    assert.equal(p.tls.enabled.value, 'unknown');
  });

  it('URL ?ssl= values are JSON.parsed: an object with rejectUnauthorized false, and ?ssl=true throws', () => {
    const p = dsnProfile('mysql2', 'mysql://app@db.example.com/shop?ssl={"rejectUnauthorized":false}', {}, 'mysql.createConnection(');
    assert.equal(p.tls.chain.value, 'unverified');
    assert.equal(applied(p, p.remedies.verifiedTls), 'mysql.createConnection("mysql://app@db.example.com/shop?ssl={"verifyIdentity":true}")');
    const t = dsnProfile('mysql2', 'mysql://app@db.example.com/shop?ssl=true', {}, 'mysql.createConnection(');
    assert.equal(t.invalid.length, 1);
    assert.match(t.invalid[0].message, /SSL profile must be an object/);
    const v = dsnProfile('mysql2', 'mysql://app@db.example.com/shop?ssl={"verifyIdentity":true}', {}, 'mysql.createConnection(');
    assert.equal(v.tls.hostname.value, 'verified');
  });

  it('enableCleartextPlugin and authPlugins.mysql_clear_password enable cleartext', () => {
    assert.equal(objProfile('mysql2', "mysql.createConnection({ host: 'h.example.com', enableCleartextPlugin: true })").auth.cleartextPlugin?.value, true);
    assert.equal(objProfile('mysql2', "mysql.createConnection({ host: 'h.example.com', authPlugins: { mysql_clear_password: plugin } })").auth.cleartextPlugin?.value, true);
    assert.equal(objProfile('mysql2', "mysql.createConnection({ host: 'h.example.com' })").auth.cleartextPlugin, undefined);
  });

  it('multipleStatements: true is dangerous; the fix sets it to false', () => {
    const p = objProfile('mysql2', "mysql.createConnection({ host: 'h.example.com', multipleStatements: true })");
    assert.equal(p.dangerous.length, 1);
    assert.match(applied(p, p.dangerous[0].fixes), /multipleStatements: false/);
  });

  it("an explicit LOCAL_FILES flag is dangerous (string or array); '-LOCAL_FILES' is not", () => {
    const s = objProfile('mysql2', "mysql.createConnection({ host: 'h.example.com', flags: 'FOUND_ROWS, LOCAL_FILES' })");
    assert.equal(s.dangerous.length, 1);
    assert.match(applied(s, s.dangerous[0].fixes), /flags: 'FOUND_ROWS, -LOCAL_FILES'/);
    const a = objProfile('mysql2', "mysql.createConnection({ host: 'h.example.com', flags: ['LOCAL_FILES'] })");
    assert.match(applied(a, a.dangerous[0].fixes), /flags: \['-LOCAL_FILES'\]/);
    assert.equal(objProfile('mysql2', "mysql.createConnection({ host: 'h.example.com', flags: '-LOCAL_FILES' })").dangerous.length, 0);
    assert.equal(objProfile('mysql2', "mysql.createConnection({ host: 'h.example.com' })").dangerous.length, 0);
  });

  it('a password function that mints a token is token auth', () => {
    const p = objProfile('mysql2', `mysql.createPool({ host: '${RDS_MYSQL}', password: () => signer.getAuthToken(), ssl: 'Amazon RDS' })`);
    assert.equal(p.auth.password.value, 'token');
    assert.equal(p.auth.tokenAuth.value, 'rds-iam');
  });

  it("minVersion 'TLSv1' is outdated; the fix raises it to TLSv1.2", () => {
    const p = objProfile('mysql2', "mysql.createConnection({ host: 'h.example.com', ssl: { minVersion: 'TLSv1', verifyIdentity: true } })");
    assert.equal(p.tls.outdatedMinVersion?.value, '1.0');
    assert.match(applied(p, p.remedies.minTls12), /minVersion: 'TLSv1\.2'/);
  });

  it('mysql2 ignores ssl-mode in a URL: reported, and TLS stays off', () => {
    const p = dsnProfile('mysql2', 'mysql://app@db.example.com/shop?ssl-mode=REQUIRED', {}, 'mysql.createConnection(');
    assert.equal(p.tls.enabled.value, 'off');
    assert.match(p.invalid[0].message, /ignores "ssl-mode"/);
  });
});

describe('profile: unknown-mysql (config files)', () => {
  it('ssl-mode=REQUIRED: TLS on, unverified; the consumer is unknown', () => {
    const p = dsnProfile('unknown-mysql', 'mysql://app@db.example.com:3306/shop?ssl-mode=REQUIRED', {}, 'DATABASE_URL=');
    assert.equal(p.consumerKnown, false);
    assert.equal(p.tls.enabled.value, 'on');
    assert.equal(p.tls.chain.value, 'unverified');
    assert.match(p.tls.explanation, /consumer of this connection string is unknown; mysql2 semantics were assumed/);
    assert.equal(p.remedies.verifiedTls?.[0].preferred, false);
    assert.match(applied(p, p.remedies.verifiedTls), /ssl-mode=VERIFY_IDENTITY"/);
  });

  it('sslmode=VERIFY_CA verifies the chain only; sslaccept=accept_invalid_certs is unverified', () => {
    const ca = dsnProfile('unknown-mysql', 'mysql://app@db.example.com/shop?sslmode=verify_ca', {}, 'DATABASE_URL=');
    assert.equal(ca.tls.chain.value, 'verified');
    assert.equal(ca.tls.hostname.value, 'unverified');
    const pr = dsnProfile('unknown-mysql', 'mysql://app@db.example.com/shop?sslaccept=accept_invalid_certs', {}, 'DATABASE_URL=');
    assert.equal(pr.tls.chain.value, 'unverified');
  });

  it('no parameters: plaintext under mysql2 semantics, said so', () => {
    const p = dsnProfile('unknown-mysql', 'mysql://app:hunter22@db.example.com/shop', {}, 'DATABASE_URL=');
    assert.equal(p.tls.enabled.value, 'off');
    assert.match(p.tls.explanation, /consumer .* unknown/);
    assert.equal(p.auth.password.value, 'literal');
  });
});

describe('profile: go-mssqldb', () => {
  it('no encrypt on a non-Azure host: login-only and unverified (TrustServerCertificate defaults to true)', () => {
    const p = dsnProfile('go-mssqldb', 'sqlserver://app:pw@sql.example.com?database=shop');
    assert.equal(p.dbms, 'sqlserver');
    assert.equal(p.tls.enabled.value, 'login-only');
    assert.equal(p.tls.chain.value, 'unverified');
    assert.match(p.tls.explanation, /TLS for the login only · certificate NOT verified · hostname NOT verified — go-mssqldb: without encrypt= only the login packet is encrypted/);
    assert.match(p.tls.explanation, /TrustServerCertificate defaults to true/);
    assert.equal(p.connectTimeout, undefined);
    assert.equal(applied(p, p.remedies.verifiedTls), 'db, err := sql.Open("x", "sqlserver://app:pw@sql.example.com?database=shop&encrypt=true")');
  });

  it('no encrypt on Azure SQL: the session is encrypted (Azure demands it) but unverified', () => {
    const p = dsnProfile('go-mssqldb', `sqlserver://app@${AZURE}?database=shop`);
    assert.equal(p.provider.kind, 'azure-sql');
    assert.equal(p.tls.enabled.value, 'on');
    assert.equal(p.tls.chain.value, 'unverified');
  });

  it('encrypt=false: login-only but verified; on Azure the whole session', () => {
    const p = dsnProfile('go-mssqldb', 'sqlserver://app@sql.example.com?encrypt=false');
    assert.equal(p.tls.enabled.value, 'login-only');
    assert.equal(p.tls.chain.value, 'verified');
    assert.deepEqual(p.tls.enabled.range, at(p.text, 'false'));
    const a = dsnProfile('go-mssqldb', `sqlserver://app@${AZURE}?encrypt=optional`);
    assert.equal(a.tls.enabled.value, 'on');
    assert.equal(a.tls.chain.value, 'verified');
  });

  it('encrypt=true verifies unless TrustServerCertificate=true; the fix sets it to false', () => {
    const v = dsnProfile('go-mssqldb', 'sqlserver://app@sql.example.com?encrypt=yes');
    assert.equal(v.tls.enabled.value, 'on');
    assert.equal(v.tls.chain.value, 'verified');
    assert.equal(v.tls.hostname.value, 'verified');
    const p = dsnProfile('go-mssqldb', 'sqlserver://app@sql.example.com?encrypt=true&TrustServerCertificate=true');
    assert.equal(p.tls.chain.value, 'unverified');
    assert.deepEqual(p.tls.chain.range, at(p.text, 'true', 1));
    assert.equal(applied(p, p.remedies.verifiedTls), 'db, err := sql.Open("x", "sqlserver://app@sql.example.com?encrypt=true&TrustServerCertificate=false")');
  });

  it('encrypt=strict always verifies; encrypt=disable is off', () => {
    const s = dsnProfile('go-mssqldb', 'sqlserver://app@sql.example.com?encrypt=strict&trustservercertificate=true');
    assert.equal(s.tls.chain.value, 'verified');
    const d = dsnProfile('go-mssqldb', 'sqlserver://app@sql.example.com?encrypt=disable');
    assert.equal(d.tls.enabled.value, 'off');
    assert.match(applied(d, d.remedies.verifiedTls), /encrypt=true"/);
  });

  it('TrustServerCertificate=yes is an error (strconv.ParseBool), reported once with a fix', () => {
    const p = dsnProfile('go-mssqldb', 'sqlserver://app@sql.example.com?encrypt=true&TrustServerCertificate=yes');
    assert.equal(p.invalid.length, 1);
    assert.match(p.invalid[0].message, /strconv\.ParseBool/);
    assert.match(applyEdits(p.text, p.invalid[0].fixes[0].edits), /TrustServerCertificate=false"/);
  });

  it('encrypt=maybe is invalid', () => {
    const p = dsnProfile('go-mssqldb', 'sqlserver://app@sql.example.com?encrypt=maybe');
    assert.equal(p.invalid.length, 1);
    assert.equal(p.tls.enabled.value, 'unknown');
  });

  it('a wildcard hostNameInCertificate leaves the hostname unverified; the fix removes it', () => {
    const p = dsnProfile('go-mssqldb', `sqlserver://app@${AZURE}?encrypt=true&hostNameInCertificate=*.database.windows.net`);
    assert.equal(p.tls.chain.value, 'verified');
    assert.equal(p.tls.hostname.value, 'unverified');
    assert.deepEqual(p.tls.hostname.range, at(p.text, '*.database.windows.net'));
    assert.equal(p.remedies.verifyHostname?.[0].preferred, true);
    assert.equal(applied(p, p.remedies.verifyHostname), `db, err := sql.Open("x", "sqlserver://app@${AZURE}?encrypt=true")`);
    const ok = dsnProfile('go-mssqldb', `sqlserver://app@10.0.0.5?encrypt=true&hostnameincertificate=${AZURE}`);
    assert.equal(ok.tls.hostname.value, 'verified');
  });

  it('certificate= configures the CA; serverCertificate pins; tlsmin=1.0 is outdated', () => {
    assert.equal(dsnProfile('go-mssqldb', 'sqlserver://app@sql.example.com?encrypt=true&certificate=/etc/ca.pem').tls.ca.value, 'configured');
    const pin = dsnProfile('go-mssqldb', 'sqlserver://app@sql.example.com?encrypt=true&servercertificate=/etc/leaf.pem&trustservercertificate=true');
    assert.equal(pin.tls.chain.value, 'verified');
    const old = dsnProfile('go-mssqldb', 'sqlserver://app@sql.example.com?encrypt=true&tlsmin=1.0');
    assert.equal(old.tls.outdatedMinVersion?.value, '1.0');
    assert.match(applied(old, old.remedies.minTls12), /tlsmin=1\.2"/);
  });

  it('fedauth is Entra under azuresql, ignored under sqlserver', () => {
    const a = dsnProfile('go-mssqldb-azuresql', `sqlserver://${AZURE}?database=shop&fedauth=ActiveDirectoryDefault`);
    assert.equal(a.auth.tokenAuth.value, 'entra');
    const s = dsnProfile('go-mssqldb', `sqlserver://${AZURE}?database=shop&fedauth=ActiveDirectoryDefault`);
    assert.equal(s.auth.tokenAuth.value, 'none');
    assert.match(s.auth.tokenAuth.source, /ignored by the sqlserver driver/);
  });

  it('ADO form: the remedy appends ;Encrypt=true and the password is a literal', () => {
    const p = dsnProfile('go-mssqldb', 'server=sql.example.com;user id=app;password=hunter22;database=shop');
    assert.equal(p.tls.enabled.value, 'login-only');
    assert.equal(p.auth.password.value, 'literal');
    assert.match(applied(p, p.remedies.verifiedTls), /database=shop;Encrypt=true"/);
  });
});

describe('profile: node-mssql / tedious', () => {
  it('defaults: encrypt true, trustServerCertificate false; the NOT_SUP downgrade is explained, not reported', () => {
    const p = objProfile('mssql', "sql.connect({ server: 'sql.example.com', user: 'app', password: process.env.PW })");
    assert.equal(p.driverLabel, 'node-mssql');
    assert.equal(p.tls.enabled.value, 'on');
    assert.equal(p.tls.chain.value, 'verified');
    assert.equal(p.tls.enabled.range, undefined);
    assert.match(p.tls.explanation, /plaintext if the server answers/);
    assert.equal(p.connectTimeout, undefined);
  });

  it('encrypt: false is off (Azure then fails with EENCRYPT); the fix sets true', () => {
    const text = `sql.connect({ server: '${AZURE}', options: { encrypt: false } })`;
    const p = objProfile('mssql', text);
    assert.equal(p.tls.enabled.value, 'off');
    assert.match(p.tls.explanation, /EENCRYPT/);
    assert.equal(applied(p, p.remedies.verifiedTls), `sql.connect({ server: '${AZURE}', options: { encrypt: true } })`);
  });

  it('trustServerCertificate: true is unverified; strict ignores it', () => {
    const p = objProfile('mssql', "sql.connect({ server: 'sql.example.com', options: { encrypt: true, trustServerCertificate: true } })");
    assert.equal(p.tls.chain.value, 'unverified');
    assert.equal(p.tls.hostname.value, 'unverified');
    assert.match(applied(p, p.remedies.verifiedTls), /trustServerCertificate: false/);
    const s = objProfile('tedious', "new Connection({ server: 'sql.example.com', options: { encrypt: 'strict', trustServerCertificate: true } })");
    assert.equal(s.tls.chain.value, 'verified');
    assert.equal(s.driverLabel, 'tedious');
  });

  it("tedious rejects encrypt: 'true' (a string)", () => {
    const p = objProfile('tedious', "new Connection({ server: 'sql.example.com', options: { encrypt: 'true' } })");
    assert.equal(p.invalid.length, 1);
    assert.match(applyEdits(p.text, p.invalid[0].fixes[0].edits), /encrypt: true/);
  });

  it('connection strings: Encrypt=strict is plain true; TrustServerCertificate=yes is true; Encrypt=no is off', () => {
    const s = dsnProfile('mssql', 'Server=sql.example.com;Encrypt=strict;TrustServerCertificate=yes', {}, 'sql.connect(');
    assert.equal(s.tls.enabled.value, 'on');
    assert.equal(s.tls.chain.value, 'unverified');
    assert.match(s.tls.explanation, /means plain true/);
    assert.match(applied(s, s.remedies.verifiedTls), /TrustServerCertificate=false"/);
    const n = dsnProfile('mssql', 'Server=sql.example.com;Encrypt=no', {}, 'sql.connect(');
    assert.equal(n.tls.enabled.value, 'off');
    const d = dsnProfile('mssql', 'Server=sql.example.com;Database=shop', {}, 'sql.connect(');
    assert.equal(d.tls.enabled.value, 'on');
    assert.equal(d.tls.chain.value, 'verified');
  });

  it('authentication.type azure-active-directory-default is Entra token auth', () => {
    const p = objProfile('mssql', `sql.connect({ server: '${AZURE}', authentication: { type: 'azure-active-directory-default' } })`);
    assert.equal(p.auth.tokenAuth.value, 'entra');
    assert.equal(objProfile('mssql', `sql.connect({ server: '${AZURE}', user: 'a', password: 'hunter22' })`).auth.tokenAuth.value, 'none');
  });

  it("cryptoCredentialsDetails.minVersion 'TLSv1.1' is outdated", () => {
    const p = objProfile('mssql', "sql.connect({ server: 'sql.example.com', options: { cryptoCredentialsDetails: { minVersion: 'TLSv1.1' } } })");
    assert.equal(p.tls.outdatedMinVersion?.value, '1.1');
    assert.match(applied(p, p.remedies.minTls12), /minVersion: 'TLSv1\.2'/);
  });
});

describe('profile: unknown-sqlserver (config files)', () => {
  it('only explicit weaknesses: Encrypt=false is off, absent is unknown, TrustServerCertificate=true unverified', () => {
    const off = dsnProfile('unknown-sqlserver', 'Server=sql.example.com;Database=shop;Encrypt=False', {}, '"Default": ');
    assert.equal(off.consumerKnown, false);
    assert.equal(off.tls.enabled.value, 'off');
    assert.match(off.tls.explanation, /consumer of this connection string is unknown/);
    assert.equal(dsnProfile('unknown-sqlserver', 'Server=sql.example.com;Database=shop', {}, '"Default": ').tls.enabled.value, 'unknown');
    assert.equal(dsnProfile('unknown-sqlserver', 'Server=sql.example.com;Database=shop', {}, '"Default": ').tls.chain.value, 'unknown');
    const t = dsnProfile('unknown-sqlserver', 'Server=sql.example.com;TrustServerCertificate=True', {}, '"Default": ');
    assert.equal(t.tls.chain.value, 'unverified');
    assert.equal(t.remedies.verifiedTls?.[0].preferred, false);
  });
});

describe('profile: secrets and cross-cutting', () => {
  it('unknown-sqlserver recognises the spaced "Trust Server Certificate" spelling', () => {
    const p = dsnProfile('unknown-sqlserver', 'Server=sql.example.com;Trust Server Certificate=true', {}, '"Default": ');
    assert.equal(p.tls.chain.value, 'unverified');
  });

  it('a token-minting password for SQL Server is Entra, not RDS IAM', () => {
    const p = objProfile('mssql', `sql.connect({ server: '${AZURE}', password: () => credential.getToken() })`);
    assert.equal(p.auth.tokenAuth.value, 'entra');
  });

  it('a password hole that reads the environment is an env password', () => {
    const text = 'new sql.ConnectionPool(`Server=reports.database.windows.net;Password=${process.env.PW};Encrypt=true`)';
    const open = text.indexOf('`') + 1;
    const hole = at(text, '${process.env.PW}');
    const s = SrcString.concat([SrcString.exact('Server=reports.database.windows.net;Password=', open), SrcString.hole(hole), SrcString.exact(';Encrypt=true', hole.end)]);
    const site: ConnectionSite = { language: 'ts', driver: 'mssql', anchor: { start: 0, end: text.length }, dsn: { s, range: { start: open - 1, end: text.lastIndexOf('`') + 1 }, appendable: true } };
    const p = buildProfile(site, { settings: DEFAULT_SETTINGS, text });
    assert.equal(p.auth.password.value, 'env');
    assert.equal(p.provider.kind, 'azure-sql');
    assert.equal(p.auth.tokenAuth.value, 'none');
  });

  it('no explanation, source or message carries a password', () => {
    const secret = 'Sup3rS3cretPw';
    const profiles = [
      dsnProfile('go-mysql', `app:${secret}@tcp(db.example.com)/d?tls=ture&parseTime=yes`),
      dsnProfile('mysql2', `mysql://app:${secret}@db.example.com/d?ssl=true`, {}, 'mysql.createConnection('),
      dsnProfile('go-mssqldb', `sqlserver://app:${secret}@sql.example.com?encrypt=maybe&TrustServerCertificate=yes`),
      dsnProfile('mssql', `Server=sql.example.com;Password=${secret};Encrypt=no`, {}, 'sql.connect('),
      dsnProfile('godror', `user="app" password="${secret}" connectString="db.example.com:1521/orcl"`),
    ];
    for (const p of profiles) {
      const texts = [p.tls.explanation, p.tls.enabled.source, p.tls.chain.source, p.auth.password.source, p.auth.tokenAuth.source,
        ...p.invalid.map((i) => i.message), ...p.dangerous.map((d) => d.why + d.option)];
      for (const t of texts) assert.ok(!t.includes(secret), `secret leaked in: ${t}`);
      assert.equal(p.auth.password.value, 'literal');
    }
  });
});

describe('profile: godror', () => {
  it('a PolarDB host: dbms oracle with the PolarDB provider', () => {
    const p = dsnProfile('godror', 'user="app" password="hunter22" connectString="pc-2ze1234.o.polardb.rds.aliyuncs.com:1521/orcl" timezone=UTC');
    assert.equal(p.dbms, 'oracle');
    assert.equal(p.provider.kind, 'alibaba-polardb');
    assert.equal(p.auth.password.value, 'literal');
    assert.equal(p.timezoneUnset, undefined);
    assert.equal(p.tls.enabled.value, 'unknown');
  });

  it('no timezone: timezone unset; the suggestion appends timezone=UTC', () => {
    const p = dsnProfile('godror', 'user="app" password="pw" connectString="db.example.com:1521/orcl"');
    assert.equal(p.timezoneUnset?.value, true);
    assert.match(applied(p, p.remedies.timezone), /orcl" timezone=UTC"\)$/);
  });

  it('tcps is TLS on with verification unknown; a plain connect string is unknown', () => {
    assert.equal(dsnProfile('godror', 'app/pw@tcps://db.example.com:2484/orcl').tls.enabled.value, 'on');
    const plain = dsnProfile('godror', 'app/pw@db.example.com:1521/orcl');
    assert.equal(plain.tls.enabled.value, 'unknown');
    assert.equal(plain.tls.chain.value, 'unknown');
  });

  it('unknown-oracle: the consumer is unknown', () => {
    const p = dsnProfile('unknown-oracle', 'oracle://app@db.example.com:1521/orcl', {}, 'ORACLE_URL=');
    assert.equal(p.consumerKnown, false);
    assert.equal(p.timezoneUnset, undefined);
  });
});
