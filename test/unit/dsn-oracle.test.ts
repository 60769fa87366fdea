/** godror DSNs: logfmt, oracle:// URL, user/pass@connectString. */
import * as assert from 'node:assert/strict';
import { param } from '../../server/src/engine/dsn/types';
import { parseOracle } from '../../server/src/engine/dsn/index';
import { assertPart, exact } from './dsn-helpers';

describe('dsn/oracle', () => {
  it('reads logfmt with quoted values and the connect string hosts', () => {
    const text = 'user="scott" password="ti\\"ger" connectString="db.example.com:1521/orclpdb" timezone=UTC';
    const d = parseOracle(exact(text));
    assertPart(text, d.user, 'scott', '"scott"');
    assertPart(text, d.password, 'ti"ger', '"ti\\"ger"');
    assertPart(text, d.hosts[0], 'db.example.com', 'db.example.com');
    assertPart(text, d.hosts[0].port, '1521', '1521');
    assertPart(text, d.database, 'orclpdb', 'orclpdb');
    assertPart(text, param(d, 'timezone'), 'UTC', 'UTC');
    assert.equal(d.appendPrefix, ' ');
  });

  it('reads oracle:// URLs', () => {
    const text = 'oracle://scott:t%40ger@h:1521/svc?timezone=UTC';
    const d = parseOracle(exact(text));
    assertPart(text, d.password, 't@ger', 't%40ger');
    assertPart(text, d.database, 'svc', 'svc');
    assert.equal(d.appendPrefix, '&');
  });

  it('reads user/pass@Easy Connect and descriptors', () => {
    const text = 'scott/tiger@tcps://h.example.com:2484/svc?ssl_server_dn_match=yes';
    const d = parseOracle(exact(text));
    assertPart(text, d.user, 'scott', 'scott');
    assertPart(text, d.password, 'tiger', 'tiger');
    assertPart(text, d.hosts[0], 'h.example.com', 'h.example.com');
    assert.equal(param(d, 'ssl_server_dn_match')?.value, 'yes');
    const desc = parseOracle(exact('u/p@(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=a)(PORT=1521))(ADDRESS=(HOST=b))(CONNECT_DATA=(SERVICE_NAME=s)))'));
    assert.deepEqual(desc.hosts.map((h) => h.value), ['a', 'b']);
    assert.equal(desc.hosts[0].port?.value, '1521');
    assert.equal(desc.database?.value, 's');
    const alias = parseOracle(exact('scott/tiger@ORCL'));
    assert.equal(alias.hosts.length, 0);
  });

  it('reports unterminated logfmt quotes', () => {
    assert.equal(parseOracle(exact('user=a connectString="h:1521/s')).errors.length, 1);
  });
});
