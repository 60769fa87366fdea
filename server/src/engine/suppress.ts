/**
 * Suppression comments (SPEC §2):
 *   `// connguard-ignore-next-line <rule-id>[, <rule-id>] -- <reason>`   (`#` in .env/YAML/TOML/properties)
 *   `// connguard-ignore-line <rule-id> -- <reason>`                       (same line, trailing)
 *   `// connguard-ignore-file [<rule-id>, …] -- <reason>`
 * No rule id means every rule. Only text after a comment marker counts, so a directive inside a
 * string literal is not honoured by accident (a marker inside a string on the same line is rare
 * enough to accept).
 */

export interface Suppressions {
  /** Rule ids suppressed for the whole file; '*' = all. */
  readonly file: ReadonlySet<string>;
  /** 0-based line → rule ids suppressed on that line ('*' = all). */
  readonly lines: ReadonlyMap<number, ReadonlySet<string>>;
}

const DIRECTIVE = /(?:\/\/|#|\/\*|--)\s*connguard-ignore-(next-line|line|file)\b([^\n]*)/g;

function parseIds(rest: string): Set<string> {
  const body = rest.split(/\s--\s|\s--$|\*\//)[0];
  const ids = body
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => /^[a-z][a-z0-9-]*$/.test(s));
  return new Set(ids.length ? ids : ['*']);
}

export function parseSuppressions(text: string): Suppressions {
  const file = new Set<string>();
  const lines = new Map<number, Set<string>>();
  if (!text.includes('connguard-ignore')) return { file, lines };
  // Line starts, to turn directive offsets into line numbers.
  const starts: number[] = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const lineOf = (off: number): number => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= off) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  DIRECTIVE.lastIndex = 0;
  for (let m = DIRECTIVE.exec(text); m; m = DIRECTIVE.exec(text)) {
    const ids = parseIds(m[2]);
    if (m[1] === 'file') {
      for (const id of ids) file.add(id);
      continue;
    }
    const line = lineOf(m.index) + (m[1] === 'next-line' ? 1 : 0);
    const set = lines.get(line) ?? new Set<string>();
    for (const id of ids) set.add(id);
    lines.set(line, set);
  }
  return { file, lines };
}

export function isSuppressed(s: Suppressions, ruleId: string, line: number): boolean {
  if (s.file.has('*') || s.file.has(ruleId)) return true;
  const l = s.lines.get(line);
  return !!l && (l.has('*') || l.has(ruleId));
}
