/**
 * The extension's TextMate grammars (syntaxes/): valid JSON, every regular expression compiles,
 * and the DSN injection highlights the parameters it promises. Oniguruma's `(?i)` prefix is
 * translated to the JavaScript `i` flag; the other constructs used are common to both engines.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './client';

interface Rule {
  match?: string;
  begin?: string;
  end?: string;
  patterns?: Rule[];
  repository?: Record<string, Rule>;
  captures?: Record<string, Rule>;
}

function load(name: string): Rule & { scopeName: string } {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'syntaxes', name), 'utf8'));
}

function toRegExp(src: string): RegExp {
  const ci = src.startsWith('(?i)');
  return new RegExp(ci ? src.slice(4) : src, ci ? 'gi' : 'g');
}

function allRegexes(r: Rule, out: string[] = []): string[] {
  for (const k of ['match', 'begin', 'end'] as const) if (r[k]) out.push(r[k]!);
  for (const p of r.patterns ?? []) allRegexes(p, out);
  for (const p of Object.values(r.repository ?? {})) allRegexes(p, out);
  for (const p of Object.values(r.captures ?? {})) allRegexes(p, out);
  return out;
}

describe('TextMate grammars', () => {
  it('dotenv grammar parses and compiles', () => {
    const g = load('dotenv.tmLanguage.json');
    assert.equal(g.scopeName, 'source.dotenv');
    for (const re of allRegexes(g)) assert.doesNotThrow(() => toRegExp(re), re);
  });

  it('the DSN injection marks weak values per key', () => {
    const g = load('connguard-dsn.injection.tmLanguage.json');
    const regexes = allRegexes(g).map(toRegExp);
    const weak = (g.repository!.weak.patterns ?? []).map((p) => toRegExp(p.match!));
    const isWeak = (s: string): boolean => weak.some((re) => new RegExp(re.source, re.flags).test(s));
    const isParam = (s: string): boolean => regexes.some((re) => new RegExp(re.source, re.flags).test(s));
    assert.ok(isWeak('postgres://h/db?sslmode=disable'));
    assert.ok(isWeak('server=x;TrustServerCertificate=true'));
    assert.ok(isWeak('user@tcp(h)/db?tls=skip-verify'));
    assert.ok(!isWeak('sqlserver://h?encrypt=true'));
    assert.ok(!isWeak('postgres://h/db?sslmode=verify-full'));
    assert.ok(!isWeak('x?mysslmode=disable'), 'whole parameter names only');
    assert.ok(isParam('postgres://h/db?sslmode=verify-full'));
    assert.ok(isParam('Encrypt=Strict'));
  });
});
