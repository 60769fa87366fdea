/**
 * The result of parsing one connection string with one driver's grammar.
 *
 * Contract: parsers never throw; a string the consumer would reject yields `errors`. Every part
 * keeps the source range it came from (via SrcString), so rules can point at `sslmode=require`
 * itself and fixes can replace exactly its value. A value that contains an unknown part (HOLE)
 * has `value: undefined` — unknown, not guessed.
 */
import { Range } from '../model';
import { SrcString } from '../srcstring';

export type DsnFormat =
  | 'pg-url' // postgres:// postgresql://
  | 'pg-kv' // host=… sslmode=…
  | 'go-mysql' // user:pass@tcp(host:3306)/db?tls=true
  | 'mysql-url' // mysql:// (mysql2, Prisma, generic)
  | 'sqlserver-url' // sqlserver://
  | 'ado' // Server=…;Encrypt=…
  | 'odbc' // odbc:…
  | 'oracle'; // godror / Easy Connect / TNS-ish forms

export interface DsnPart {
  /** Decoded value; undefined when any part is unknown (a hole). */
  readonly value: string | undefined;
  /** Source range of the raw value text (what a fix replaces). */
  readonly range: Range;
  /** Whether `range` maps 1:1 onto the source (a replacement edit is exact). */
  readonly exact: boolean;
}

export interface DsnParam extends DsnPart {
  /** Key as written (case preserved); use `norm` for comparisons under the grammar's rules. */
  readonly key: string;
  /** Key normalized the way the consumer matches it (lowercased where the grammar is case-insensitive). */
  readonly norm: string;
  readonly keyRange: Range;
  /** The whole `key=value` entry, for deletion. */
  readonly entryRange: Range;
  /** The raw text of the value before decoding (may contain HOLE). */
  readonly raw: string;
}

export interface DsnHost extends DsnPart {
  readonly port?: DsnPart;
  /** A unix socket path (pg `host=/var/run/postgresql`, go-mysql `unix(/tmp/mysql.sock)`). */
  readonly socket: boolean;
}

export interface ParsedDsn {
  readonly format: DsnFormat;
  readonly source: SrcString;
  readonly hosts: readonly DsnHost[];
  readonly user?: DsnPart;
  readonly password?: DsnPart;
  readonly database?: DsnPart;
  /** Query / keyword parameters in source order (duplicates kept; the grammar decides which wins). */
  readonly params: readonly DsnParam[];
  /** Problems the consumer would reject (throw, refuse to connect, error). */
  readonly errors: readonly { readonly range: Range; readonly message: string }[];
  /**
   * Text to insert at the end of `source` to add a parameter `k=v` in this grammar: e.g. `?` for a
   * URL without a query, `&` for one with a query, ` ` for keyword/value, `;` for ADO.
   */
  readonly appendPrefix: string;
}

/** The parameter that the consumer uses for `norm` key (first or last wins per grammar). */
export function param(d: ParsedDsn, norm: string, firstWins = false): DsnParam | undefined {
  let found: DsnParam | undefined;
  for (const p of d.params) {
    if (p.norm !== norm) continue;
    if (firstWins) return p;
    found = p;
  }
  return found;
}
