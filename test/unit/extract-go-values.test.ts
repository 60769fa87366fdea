/**
 * Go value following: strings.Builder / bytes.Buffer, env reads with a literal default, helpers
 * of the same file that return the DSN. Checks exact ranges and that unknown parts stay holes.
 */
import * as assert from 'node:assert/strict';
import { extractGo, initGo } from '../../server/src/engine/extract/go';
import { ConnectionSite } from '../../server/src/engine/extract/values';

const HOLE = '\uE000';

function site(src: string): ConnectionSite {
  const ex = extractGo(src);
  assert.deepEqual(ex.errors, []);
  assert.equal(ex.sites.length, 1);
  return ex.sites[0];
}

function wrap(body: string, extra = ''): string {
  return `package store

import (
	"bytes"
	"database/sql"
	"fmt"
	"os"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib"
)
${extra}
func open(host string, extra []string, ok bool) (*sql.DB, error) {
${body}
}
`;
}

describe('Go value following', () => {
  before(async () => {
    await initGo();
  });

  it('strings.Builder: writes in source order, exact ranges, a parameter is a hole', () => {
    const src = wrap(`	var b strings.Builder
	b.WriteString("host=")
	b.WriteString(host)
	b.WriteByte(' ')
	fmt.Fprintf(&b, "sslmode=%s", "disable")
	return sql.Open("pgx", b.String())`);
    const s = site(src);
    assert.equal(s.dsn?.s.text, `host=${HOLE} sslmode=disable`);
    const i = s.dsn!.s.text.indexOf('disable');
    const r = s.dsn!.s.rangeOf(i, i + 7);
    assert.equal(src.slice(r.start, r.end), 'disable');
    const h = s.dsn!.s.rangeOf(5, 6);
    assert.equal(src.slice(h.start, h.end), 'host');
  });

  it('a write in a loop, a branch or another function is a hole at that write; later writes stay known', () => {
    const src = wrap(`	b := new(bytes.Buffer)
	b.WriteString("host=db")
	for _, e := range extra {
		b.WriteString(e)
	}
	if ok {
		b.WriteString(" a=1")
	}
	fill(b)
	b.WriteString(" sslmode=require")
	return sql.Open("pgx", b.String())`, 'func fill(b *bytes.Buffer) {}\n');
    const s = site(src);
    assert.equal(s.dsn?.s.text, `host=db${HOLE} sslmode=require`);
  });

  it('a String call in a loop sees earlier iterations: the rest is a hole', () => {
    const src = wrap(`	var b strings.Builder
	b.WriteString("host=db")
	for range extra {
		b.WriteString(" x=1")
		sql.Open("pgx", b.String())
	}
	return nil, nil`);
    const s = site(src);
    assert.equal(s.dsn?.s.text, `host=db${HOLE}`);
  });

  it('an escaping builder makes the rest unknown; Reset empties it', () => {
    const src = wrap(`	var b strings.Builder
	b.WriteString("junk")
	b.Reset()
	b.WriteString("host=db")
	keep := &b
	_ = keep
	b.WriteString(" sslmode=disable")
	return sql.Open("pgx", b.String())`);
    assert.equal(site(src).dsn?.s.text, `host=db${HOLE}`);
  });

  it('env read with a literal default: the literal, linked to the env variable', () => {
    const src = wrap(`	dsn := os.Getenv("DATABASE_URL")
	if dsn == "" {
		dsn = "host=db sslmode=disable"
	}
	return sql.Open("pgx", dsn)`);
    const s = site(src);
    assert.equal(s.dsn?.s.text, 'host=db sslmode=disable');
    assert.equal(s.envName, 'DATABASE_URL');
    assert.equal(src.slice(s.dsn!.range.start, s.dsn!.range.end), '"host=db sslmode=disable"');
  });

  it('two literal alternatives, or an assignment outside an emptiness test, stay unknown', () => {
    const a = site(wrap(`	dsn := "host=a sslmode=disable"
	if ok {
		dsn = "host=b sslmode=verify-full"
	}
	return sql.Open("pgx", dsn)`));
    assert.equal(a.dsn, undefined);
    const b = site(wrap(`	dsn := os.Getenv("DATABASE_URL")
	if ok {
		dsn = "host=b sslmode=disable"
	}
	return sql.Open("pgx", dsn)`));
    assert.equal(b.dsn, undefined);
  });

  it('helpers: a single return is followed, parameters stay holes, disagreeing returns are unknown', () => {
    const one = site(wrap(`	return sql.Open("pgx", dsnFor(host))`, 'func dsnFor(h string) string { return "host=" + h + " sslmode=disable" }\n'));
    assert.equal(one.dsn?.s.text, `host=${HOLE} sslmode=disable`);
    const two = site(wrap(`	return sql.Open("pgx", pick(ok))`, 'func pick(b bool) string { if b { return "host=a" }; return "host=b" }\n'));
    assert.equal(two.dsn, undefined);
    const rec = site(wrap(`	return sql.Open("pgx", loop())`, 'func loop() string { return loop() }\n'));
    assert.equal(rec.dsn, undefined);
  });
});
