/** go-sql-driver/mysql DSNs and mysql:// URLs. */
import * as assert from 'node:assert/strict';
import { param } from '../../server/src/engine/dsn/types';
import { parseGoMysql, parseMysqlUrl } from '../../server/src/engine/dsn/index';
import { assertPart, exact } from './dsn-helpers';

describe('dsn/go-mysql', () => {
  it('splits at the last "/" and the last "@"; passwords may contain ":" "@" "/"', () => {
    const text = 'app:p@ss:w/rd@tcp(db.example.com:3307)/shop?tls=true&parseTime=true';
    const d = parseGoMysql(exact(text));
    assertPart(text, d.user, 'app', 'app');
    assertPart(text, d.password, 'p@ss:w/rd', 'p@ss:w/rd');
    assertPart(text, d.hosts[0], 'db.example.com', 'db.example.com');
    assertPart(text, d.hosts[0].port, '3307', '3307');
    assertPart(text, d.database, 'shop', 'shop');
    assertPart(text, param(d, 'tls'), 'true', 'true');
    assert.equal(d.appendPrefix, '&');
    assert.deepEqual(d.errors, []);
  });

  it('reads unix sockets and DSNs without address', () => {
    const a = parseGoMysql(exact('root@unix(/tmp/mysql.sock)/db'));
    assert.equal(a.hosts[0].value, '/tmp/mysql.sock');
    assert.equal(a.hosts[0].socket, true);
    const b = parseGoMysql(exact('root:pw@/db'));
    assert.equal(b.hosts.length, 0);
    assert.equal(b.password?.value, 'pw');
    assert.equal(b.appendPrefix, '?');
  });

  it('rejects invalid booleans but not registered tls names', () => {
    const text = 'u@tcp(h)/db?allowCleartextPasswords=yes&multiStatements=True&tls=custom&tls=Skip-Verify';
    const d = parseGoMysql(exact(text));
    assert.equal(d.errors.length, 1);
    assert.ok(d.errors[0].message.includes('allowCleartextPasswords'));
    assert.deepEqual(d.errors[0].range, { start: 10 + text.indexOf('yes'), end: 10 + text.indexOf('yes') + 3 });
    assert.equal(d.params.filter((p) => p.norm === 'tls').length, 2);
  });

  it('keys are case-sensitive; unknown keys are query-unescaped, driver keys are not', () => {
    const text = 'u@tcp(h)/db?TLS=true&sql_mode=%27ANSI%27&timeout=5s';
    const d = parseGoMysql(exact(text));
    assert.equal(param(d, 'tls'), undefined);
    assertPart(text, param(d, 'sql_mode'), "'ANSI'", '%27ANSI%27');
    assert.equal(param(d, 'timeout')?.value, '5s');
  });

  it('reports an unescaped "/" in a parameter and still reads the parameters', () => {
    const text = 'u@tcp(h:3306)/db?loc=Europe/Paris&tls=skip-verify';
    const d = parseGoMysql(exact(text));
    assert.ok(d.errors.some((e) => e.message.includes('escape')));
    assertPart(text, param(d, 'tls'), 'skip-verify', 'skip-verify');
    assert.equal(d.database?.value, 'db');
  });

  it('reports a missing slash, a bad duration and an unterminated address', () => {
    assert.ok(parseGoMysql(exact('user:pw@tcp(h:3306)')).errors[0].message.includes('slash'));
    assert.ok(parseGoMysql(exact('u@tcp(h)/db?timeout=5')).errors[0].message.includes('duration'));
    assert.equal(parseGoMysql(exact('u@tcp(h/db')).errors.length, 1);
  });
});

describe('dsn/mysql-url', () => {
  it('reads user, password, host, port, database and JSON-ish ssl values', () => {
    const text = 'mysql://app:s%3Acret@db.example.com:3306/shop?ssl=%7B%22rejectUnauthorized%22%3Atrue%7D&ssl=x';
    const d = parseMysqlUrl(exact(text));
    assertPart(text, d.password, 's:cret', 's%3Acret');
    assertPart(text, d.hosts[0].port, '3306', '3306');
    assertPart(text, d.database, 'shop', 'shop');
    assert.equal(d.params[0].value, '{"rejectUnauthorized":true}');
    assert.equal(param(d, 'ssl')?.value, 'x', 'last value wins (URLSearchParams)');
    assert.equal(d.appendPrefix, '&');
  });

  it('accepts mariadb:// and reports a bad port', () => {
    const d = parseMysqlUrl(exact('mariadb://u@h:99999/db'));
    assert.equal(d.format, 'mysql-url');
    assert.equal(d.errors.length, 1);
    assert.equal(parseMysqlUrl(exact('mysql://h/db')).appendPrefix, '?');
  });
});
