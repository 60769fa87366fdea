/** go-mssqldb (URL, ODBC, ADO) and node-mssql/tedious connection strings. */
import * as assert from 'node:assert/strict';
import { parseSqlConnectionString } from '@tediousjs/connection-string';
import { param } from '../../server/src/engine/dsn/types';
import { parseAdo, parseSqlServer, parseTediousConnectionString } from '../../server/src/engine/dsn/index';
import { assertPart, exact } from './dsn-helpers';

describe('dsn/sqlserver go-mssqldb', () => {
  it('reads a sqlserver:// URL with lowercased keys', () => {
    const text = 'sqlserver://sa:p%40ss@sql.example.com:1433/SQLEXPRESS?database=app&Encrypt=true&TrustServerCertificate=false';
    const d = parseSqlServer(exact(text));
    assert.equal(d.format, 'sqlserver-url');
    assertPart(text, d.password, 'p@ss', 'p%40ss');
    assertPart(text, d.hosts[0], 'sql.example.com', 'sql.example.com');
    assertPart(text, d.database, 'app', 'app');
    const enc = param(d, 'encrypt');
    assertPart(text, enc, 'true', 'true');
    assert.equal(enc?.key, 'Encrypt');
    assert.deepEqual(d.errors, []);
  });

  it('rejects the same key twice with different casing', () => {
    const d = parseSqlServer(exact('sqlserver://h?encrypt=true&ENCRYPT=false'));
    assert.equal(d.errors.length, 1);
  });

  it('reads ADO with synonyms, server,port and instance', () => {
    const text = 'Data Source=tcp:db.database.windows.net,1433;Initial Catalog=app;UID=u;PWD=pw;Trust Server Certificate=true;';
    const d = parseAdo(exact(text));
    assertPart(text, d.hosts[0], 'db.database.windows.net', 'db.database.windows.net');
    assertPart(text, d.hosts[0].port, '1433', '1433');
    assert.equal(d.user?.value, 'u');
    assert.deepEqual(d.user?.range, { start: 10 + text.indexOf('UID=u') + 4, end: 10 + text.indexOf('UID=u') + 5 });
    assertPart(text, d.password, 'pw', 'pw');
    assert.equal(param(d, 'trustservercertificate')?.value, 'true');
    assert.equal(d.appendPrefix, '');
    assert.equal(parseAdo(exact('Server=h;Database=x')).appendPrefix, ';');
    const inst = parseAdo(exact('server=h\\SQLEXPRESS;encrypt=disable'));
    assert.equal(inst.hosts[0].value, 'h');
  });

  it('reports TrustServerCertificate=yes and unknown encrypt values', () => {
    const d = parseSqlServer(exact('server=h;TrustServerCertificate=yes;encrypt=sometimes;port=14x3'));
    assert.equal(d.errors.length, 3);
  });

  it('reads ODBC braces', () => {
    const text = 'odbc:server=h;uid=u;pwd={a;b}}c};encrypt=true';
    const d = parseSqlServer(exact(text));
    assert.equal(d.format, 'odbc');
    assertPart(text, d.password, 'a;b}c', '{a;b}}c}');
    assert.equal(param(d, 'encrypt')?.value, 'true');
    assert.ok(parseSqlServer(exact('odbc:pwd={abc')).errors.length === 1);
    assert.ok(parseSqlServer(exact('odbc:pwd={abc}x;')).errors.length === 1);
  });
});

describe('dsn/tedious (node-mssql)', () => {
  it('reads quoted values and canonical keys', () => {
    const text = 'Server=tcp:h.example.com,1444;Database="d;b";User Id=u;Password=\'p\'\'w\';Encrypt=strict';
    const d = parseTediousConnectionString(exact(text));
    assertPart(text, d.hosts[0], 'h.example.com', 'h.example.com');
    assertPart(text, d.hosts[0].port, '1444', '1444');
    assertPart(text, d.database, 'd;b', '"d;b"');
    assertPart(text, d.password, "p'w", "'p''w'");
    assert.equal(param(d, 'initial catalog')?.key, 'Database');
    assert.equal(param(d, 'encrypt')?.value, 'strict');
    assert.deepEqual(d.errors, []);
  });

  it('reports malformed and unterminated quotes', () => {
    assert.equal(parseTediousConnectionString(exact('a="b"c;d=e')).errors.length, 1);
    assert.equal(parseTediousConnectionString(exact('a="bc')).errors.length, 1);
  });

  it('agrees with @tediousjs/connection-string on keys and values', () => {
    const cases = [
      'Server=h;Database=db;Encrypt=true',
      'a=;b=c',
      'key==x=1;v=a;;b',
      "  Data Source = 'x y' ; Pwd = {p}}w} ;",
      'a;b=c;d',
      'x=1;x=2',
    ];
    for (const c of cases) {
      const ours = parseTediousConnectionString(exact(c));
      const theirs = parseSqlConnectionString(c, false, true) as Record<string, unknown>;
      const mine: Record<string, string | undefined> = {};
      for (const p of ours.params) mine[p.key.toLowerCase()] = p.value;
      assert.deepEqual(Object.keys(mine).sort(), Object.keys(theirs).sort(), c);
      for (const [k, v] of Object.entries(mine)) {
        const t = theirs[k];
        if (typeof t === 'string') assert.equal(v, t, `${c}: ${k}`);
      }
    }
  });

  it('agrees with the package on 1,000 random strings (keys, values, and when it throws)', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const alphabet = ` ;;=="'{}abAB`;
    for (let n = 0; n < 1000; n++) {
      let c = '';
      const len = Math.floor(rnd() * 16);
      for (let k = 0; k < len; k++) c += alphabet[Math.floor(rnd() * alphabet.length)];
      let theirs: Record<string, unknown> | undefined;
      try {
        theirs = parseSqlConnectionString(c, false, true) as Record<string, unknown>;
      } catch {
        theirs = undefined;
      }
      const ours = parseTediousConnectionString(exact(c));
      assert.equal(ours.errors.length > 0, theirs === undefined, `throws iff errors: ${JSON.stringify(c)}`);
      if (!theirs) continue;
      const mine: Record<string, string | undefined> = {};
      for (const p of ours.params) mine[p.key.toLowerCase()] = p.value;
      assert.deepEqual(Object.keys(mine).sort(), Object.keys(theirs).sort(), JSON.stringify(c));
      for (const [k, v] of Object.entries(mine)) {
        if (typeof theirs[k] === 'string') assert.equal(v, theirs[k], `${JSON.stringify(c)}: ${k}`);
      }
    }
  });
});
