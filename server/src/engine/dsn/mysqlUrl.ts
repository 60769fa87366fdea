/**
 * `mysql://user:pass@host:3306/db?k=v` (also `mariadb://`), as mysql2's ConnectionConfig.parseUrl
 * reads it (and as Prisma and generic tools do): WHATWG URL, then `decodeURIComponent` of user,
 * password, host and database; query through URLSearchParams (`+` is a space, malformed `%` kept),
 * the LAST value of a repeated key wins; keys are case-sensitive. mysql2 then `JSON.parse`s each
 * value (`ssl={"rejectUnauthorized":true}` becomes an object) — that belongs to the profile layer;
 * here `value` is the decoded string.
 *
 * Errors: what makes `new URL` or `decodeURIComponent` throw (bad port, malformed `%` in the user
 * info, host or path, an empty host after user info).
 */
import { SrcString } from '../srcstring';
import {
  addUrlHost,
  decodedUrlPart,
  DsnBuilder,
  indexIn,
  indexOfAny,
  lastIndexIn,
  parseQuery,
  queryAppendPrefix,
  urlAuthority,
} from './common';
import { ParsedDsn } from './types';

const PREFIXES = ['mysql://', 'mariadb://'];

/** Length of the `mysql://`/`mariadb://` prefix (case-insensitive), or 0. */
export function mysqlUrlPrefix(text: string): number {
  const lower = text.slice(0, 10).toLowerCase();
  for (const p of PREFIXES) if (lower.startsWith(p)) return p.length;
  return 0;
}

/** Parses a mysql:// or mariadb:// URL. */
export function parseMysqlUrl(src: SrcString): ParsedDsn {
  const b = new DsnBuilder(src, 'mysql-url');
  const t = b.text;
  const n = t.length;
  const start = mysqlUrlPrefix(t);
  if (start === 0) {
    b.error(0, Math.min(n, 10), 'not a mysql:// URL');
    return b.build('?');
  }
  const { hash, authEnd } = urlAuthority(b, start, n);
  const at = lastIndexIn(t, '@', start, authEnd);
  let hostStart = start;
  if (at >= 0) {
    hostStart = at + 1;
    const colon = indexIn(t, ':', start, at);
    const userEnd = colon >= 0 ? colon : at;
    b.user = decodedUrlPart(b, start, userEnd, 'user name');
    if (colon >= 0) b.password = decodedUrlPart(b, colon + 1, at, 'password');
    if (hostStart === authEnd) b.error(start, authEnd, 'invalid URL: user info without a host');
  }
  if (indexIn(t, ',', hostStart, authEnd) >= 0) {
    b.error(hostStart, authEnd, 'mysql URLs take a single host');
  }
  addUrlHost(b, hostStart, authEnd, { decode: true });

  let queryStart = -1;
  if (authEnd < hash && t[authEnd] === '/') {
    const pathEnd = indexOfAny(t, '?', authEnd + 1, hash);
    // mysql2: database = decodeURIComponent(pathname.slice(1)) — the whole rest of the path.
    b.database = decodedUrlPart(b, authEnd + 1, pathEnd, 'database name');
    if (pathEnd < hash) queryStart = pathEnd + 1;
  } else if (authEnd < hash && t[authEnd] === '?') {
    queryStart = authEnd + 1;
  }
  // URLSearchParams never throws on a malformed '%': it keeps it literally.
  if (queryStart >= 0) parseQuery(b, queryStart, hash, undefined, (k) => k, false);
  return b.build(queryAppendPrefix(t.slice(0, hash), queryStart >= 0));
}
