/**
 * Prisma schema files: the connection URLs of `datasource` blocks.
 *
 *   datasource db {
 *     provider  = "postgresql"
 *     url       = env("DATABASE_URL")   // Prisma reads DATABASE_URL: a site with envName, no DSN
 *     directUrl = "postgresql://…"      // a literal: a connection site judged under Prisma
 *   }
 *
 * The consumer is Prisma's query engine: `prisma-postgres` (postgresql, postgres, cockroachdb) and
 * `prisma-mysql` (profile/drivers/prisma.ts). An `env("X")` URL makes the schema a reader of X,
 * like code that reads process.env.X: the scan then judges X's values in .env/YAML/JSON under
 * Prisma (engine/scan.ts envConsumers, profile/index.ts mergeEnvConsumers). SQL Server keeps the
 * family's assumed semantics (`unknown-sqlserver`; no env reader is registered for it). Prisma
 * Accelerate URLs (`prisma://`, `prisma+postgres://`) and providers ConnGuard does not check
 * (sqlite, mongodb) yield nothing. A small tokenizer
 * (identifiers, strings, comments, punctuation) feeds a block-level reader; other blocks are
 * skipped by brace matching.
 */
import { SrcString } from '../../srcstring';
import { DriverId } from '../values';
import { EntrySink, withHoles } from './sink';

type Piece = readonly [string, number, number];

interface Token {
  readonly kind: 'ident' | 'string' | 'punct';
  readonly start: number;
  readonly end: number;
  /** Identifier or punctuation text; the decoded body for strings. */
  readonly text: string;
  readonly value?: SrcString;
}

const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

const PROVIDER_DRIVERS: Readonly<Record<string, DriverId>> = {
  postgresql: 'prisma-postgres',
  postgres: 'prisma-postgres',
  cockroachdb: 'prisma-postgres',
  mysql: 'prisma-mysql',
  sqlserver: 'unknown-sqlserver',
};

/** datasource properties that hold a connection URL. */
const URL_PROPERTIES = new Set(['url', 'directUrl', 'shadowDatabaseUrl']);

function isIdentChar(c: string | undefined): boolean {
  return c !== undefined && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c === '_' || c === '-');
}

function tokenize(text: string, sink: EntrySink): Token[] {
  const out: Token[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '/' && text[i + 1] === '/') {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? n : nl;
    } else if (c === '"') {
      const pieces: Piece[] = [];
      let j = i + 1;
      let closed = false;
      while (j < n && text[j] !== '\n') {
        if (text[j] === '"') {
          closed = true;
          break;
        }
        if (text[j] === '\\' && j + 1 < n) {
          const d = text[j + 1];
          if (d === 'u') {
            const code = Number.parseInt(text.slice(j + 2, j + 6), 16);
            pieces.push(Number.isFinite(code) ? [String.fromCharCode(code), j, j + 6] : ['u', j, j + 2]);
            j += Number.isFinite(code) ? 6 : 2;
          } else {
            pieces.push([ESCAPES[d] ?? d, j, j + 2]);
            j += 2;
          }
          continue;
        }
        pieces.push([text[j], j, j + 1]);
        j++;
      }
      if (!closed) sink.error(`Prisma: unterminated string at offset ${i}`);
      const end = closed ? j + 1 : j;
      const value = SrcString.fromPieces(pieces);
      out.push({ kind: 'string', start: i, end, text: value.text, value });
      i = end;
    } else if (isIdentChar(c)) {
      let j = i + 1;
      while (isIdentChar(text[j]) || text[j] === '.') j++;
      out.push({ kind: 'ident', start: i, end: j, text: text.slice(i, j) });
      i = j;
    } else {
      out.push({ kind: 'punct', start: i, end: i + 1, text: c });
      i++;
    }
  }
  return out;
}

export function parsePrisma(text: string, sink: EntrySink): void {
  const toks = tokenize(text, sink);
  let i = 0;
  while (i < toks.length) {
    const t = toks[i];
    if (t.kind === 'ident' && t.text === 'datasource' && toks[i + 1]?.kind === 'ident' && toks[i + 2]?.text === '{') {
      i = datasource(toks, i + 3, toks[i + 1].text, sink);
    } else if (t.text === '{') {
      i = skipBlock(toks, i + 1);
    } else i++;
  }
}

/** Index after the `}` that closes a block whose body starts at `i`. */
function skipBlock(toks: readonly Token[], i: number): number {
  let depth = 1;
  for (; i < toks.length; i++) {
    if (toks[i].text === '{' && toks[i].kind === 'punct') depth++;
    else if (toks[i].text === '}' && toks[i].kind === 'punct' && --depth === 0) return i + 1;
  }
  return i;
}

function datasource(toks: readonly Token[], i: number, name: string, sink: EntrySink): number {
  const urls: { key: string; tok: Token }[] = [];
  const envReads: { name: string; start: number; end: number }[] = [];
  let provider: string | undefined;
  while (i < toks.length && !(toks[i].kind === 'punct' && toks[i].text === '}')) {
    const k = toks[i];
    if (k.kind === 'ident' && toks[i + 1]?.text === '=' && toks[i + 1].kind === 'punct') {
      const v = toks[i + 2];
      if (v?.kind === 'string') {
        if (k.text === 'provider') provider = v.text;
        else if (URL_PROPERTIES.has(k.text)) urls.push({ key: k.text, tok: v });
        i += 3;
        continue;
      }
      // env("X"): Prisma reads the URL from variable X. Arrays, other expressions: nothing.
      const name = toks[i + 4];
      if (URL_PROPERTIES.has(k.text) && v?.kind === 'ident' && v.text === 'env' && toks[i + 3]?.text === '(' && name?.kind === 'string' && name.value?.complete && toks[i + 5]?.text === ')') {
        envReads.push({ name: name.text, start: v.start, end: toks[i + 5].end });
        i += 6;
        continue;
      }
      i += 2;
      continue;
    }
    if (k.kind === 'punct' && k.text === '{') {
      i = skipBlock(toks, i + 1);
      continue;
    }
    i++;
  }
  const family = provider === undefined ? undefined : PROVIDER_DRIVERS[provider];
  if (family === 'prisma-postgres' || family === 'prisma-mysql') {
    for (const r of envReads) {
      // No connection string here: the site only says who reads the variable (its profile is all unknown).
      sink.sites.push({ language: 'config', driver: family, anchor: { start: r.start, end: r.end }, envName: r.name });
    }
  }
  for (const { key, tok } of urls) {
    const s = withHoles(tok.value!, false);
    const lower = s.text.trimStart().toLowerCase();
    const accelerate = lower.startsWith('prisma://') || lower.startsWith('prisma+');
    sink.add({
      key,
      path: [name],
      value: s,
      range: { start: tok.start, end: tok.end },
      scalar: 'string',
      context: `Prisma datasource ${name} ${key}`,
      // Unknown provider (sqlite, mongodb…) or an Accelerate URL: not a connection ConnGuard checks.
      driver: family && !accelerate ? family : null,
      dsnSlot: true,
    });
  }
  return i + 1;
}
