/** PostgreSQL URL and keyword/value parsing: values, exact source ranges, holes, errors. */
import * as assert from 'node:assert/strict';
import { SrcString } from '../../server/src/engine/srcstring';
import { param } from '../../server/src/engine/dsn/types';
import { looksLikePostgresKv, parsePostgres } from '../../server/src/engine/dsn/index';
import { assertPart, exact, rangeOf } from './dsn-helpers';

describe('dsn/postgres URL', () => {
  it('keeps the exact range of a query value', () => {
    const text = 'postgres://u:p@h/db?sslmode=require';
    const d = parsePostgres(exact(text));
    assert.equal(d.format, 'pg-url');
    const p = param(d, 'sslmode');
    assertPart(text, p, 'require', 'require');
    assert.deepEqual(p!.keyRange, rangeOf(text, 'sslmode'));
    assert.deepEqual(p!.entryRange, rangeOf(text, 'sslmode=require'));
    assert.equal(p!.exact, true);
    assertPart(text, d.user, 'u', 'u', 0);
    assertPart(text, d.password, 'p', 'p', 1);
    assertPart(text, d.hosts[0], 'h', 'h', 0);
    assertPart(text, d.database, 'db', 'db');
    assert.equal(d.appendPrefix, '&');
    assert.deepEqual(d.errors, []);
  });

  it('a password hole makes the value unknown', () => {
    const src = SrcString.concat([SrcString.exact('postgres://u:', 0), SrcString.hole({ start: 20, end: 25 }), SrcString.exact('@h/db', 30)]);
    const d = parsePostgres(src);
    assert.ok(d.password);
    assert.equal(d.password.value, undefined);
    assert.deepEqual(d.password.range, { start: 20, end: 25 });
    assert.equal(d.hosts[0].value, 'h');
    assert.deepEqual(d.hosts[0].range, { start: 31, end: 32 });
    assert.equal(d.database?.value, 'db');
  });

  it('percent-decodes while the range covers the encoded text', () => {
    const text = 'postgresql://us%65r:p%40ss%2Fw@db.example.com/my%20db?application_name=a+b';
    const d = parsePostgres(exact(text));
    assertPart(text, d.user, 'user', 'us%65r');
    assertPart(text, d.password, 'p@ss/w', 'p%40ss%2Fw');
    assertPart(text, d.database, 'my db', 'my%20db');
    assertPart(text, param(d, 'application_name'), 'a b', 'a+b');
  });

  it('reads multi-host lists, IPv6 and ports', () => {
    const text = 'postgres://h1:5432,[::1]:5433,h3/db';
    const d = parsePostgres(exact(text));
    assert.equal(d.hosts.length, 3);
    assertPart(text, d.hosts[0], 'h1', 'h1');
    assertPart(text, d.hosts[0].port, '5432', '5432');
    assertPart(text, d.hosts[1], '::1', '::1');
    assertPart(text, d.hosts[1].port, '5433', '5433');
    assert.equal(d.hosts[2].port, undefined);
    assert.equal(d.appendPrefix, '?');
  });

  it('treats %2F hosts and host= parameters as unix sockets', () => {
    const a = parsePostgres(exact('postgres://%2Fvar%2Frun%2Fpostgresql/db'));
    assert.equal(a.hosts[0].value, '/var/run/postgresql');
    assert.equal(a.hosts[0].socket, true);
    const text = 'postgres:///db?host=/tmp&sslmode=disable';
    const b = parsePostgres(exact(text));
    assert.equal(b.hosts.length, 1);
    assertPart(text, b.hosts[0], '/tmp', '/tmp');
    assert.equal(b.hosts[0].socket, true);
  });

  it('reports an invalid port and a malformed escape', () => {
    const d = parsePostgres(exact('postgres://u:p%zz@h:54x2/db'));
    assert.equal(d.errors.length, 2);
    assert.ok(d.errors.some((e) => e.message.includes('port')));
    assert.ok(d.errors.every((e) => !e.message.includes('p%zz')), 'no secret in messages');
  });

  it('appendPrefix after a trailing separator is empty', () => {
    assert.equal(parsePostgres(exact('postgres://h/db?')).appendPrefix, '');
    assert.equal(parsePostgres(exact('postgres://h/db?a=1&')).appendPrefix, '');
  });
});

describe('dsn/postgres keyword/value', () => {
  it('reads quoted values, escapes and spaces around =', () => {
    const text = "host=db.internal port = 5433 sslmode='verify-full' password='it\\'s x' dbname=app";
    const d = parsePostgres(exact(text));
    assert.equal(d.format, 'pg-kv');
    assertPart(text, param(d, 'sslmode'), 'verify-full', "'verify-full'");
    assertPart(text, d.password, "it's x", "'it\\'s x'");
    assertPart(text, d.hosts[0], 'db.internal', 'db.internal');
    assertPart(text, d.hosts[0].port, '5433', '5433');
    assertPart(text, d.database, 'app', 'app');
    assert.equal(d.appendPrefix, ' ');
    assert.deepEqual(d.errors, []);
  });

  it('keys are case-sensitive and the last value wins', () => {
    const d = parsePostgres(exact('SSLMODE=disable sslmode=prefer sslmode=require'));
    assert.equal(param(d, 'sslmode')?.value, 'require');
    assert.equal(param(d, 'sslmode', true)?.value, 'prefer');
    assert.equal(d.params[0].norm, 'SSLMODE');
  });

  it('splits host and port lists and marks sockets', () => {
    const text = 'host=/var/run/postgresql,db2 port=5432,5433';
    const d = parsePostgres(exact(text));
    assert.equal(d.hosts.length, 2);
    assert.equal(d.hosts[0].socket, true);
    assertPart(text, d.hosts[1], 'db2', 'db2');
    assertPart(text, d.hosts[1].port, '5433', '5433');
  });

  it('reports unterminated quotes and missing =', () => {
    const a = parsePostgres(exact("host=h sslmode='require"));
    assert.ok(a.errors.some((e) => e.message.includes('unterminated')));
    const b = parsePostgres(exact('host=h secretword dbname=x'));
    assert.equal(b.errors.length, 1);
    assert.ok(!b.errors[0].message.includes('secretword'));
    assert.equal(param(b, 'dbname')?.value, 'x');
  });

  it('a hole inside a value makes only that value unknown', () => {
    const src = SrcString.concat([SrcString.exact('host=h sslmode=', 0), SrcString.hole({ start: 15, end: 19 }), SrcString.exact(' dbname=x', 19)]);
    const d = parsePostgres(src);
    const p = param(d, 'sslmode');
    assert.equal(p?.value, undefined);
    assert.deepEqual(p?.range, { start: 15, end: 19 });
    assert.equal(param(d, 'dbname')?.value, 'x');
  });

  it('looksLikePostgresKv is conservative', () => {
    assert.equal(looksLikePostgresKv('host=localhost dbname=app sslmode=disable'), true);
    assert.equal(looksLikePostgresKv('user=a password=b'), true);
    assert.equal(looksLikePostgresKv('a=b c=d'), false);
    assert.equal(looksLikePostgresKv('host=x'), false);
    assert.equal(looksLikePostgresKv('color=red size=3 host=x'), false);
  });
});
