/**
 * Report formatters: pure functions from scan results to text (no IO, no clocks, no
 * environment), so every output is reproducible and testable with hand-built results.
 *
 * Contract shared by all formatters:
 * - `results` are sorted by path by the caller; formatters keep that order.
 * - `texts` maps a result path to the exact text the finding offsets refer to. It must hold
 *   every file that has findings (positions are computed from it); other entries are optional.
 * - No formatter adds anything that could be a secret: messages are redacted by the engine and
 *   no source snippets are printed.
 */
import { Formatter } from './common';
import { formatJson } from './json';
import { formatSarif } from './sarif';
import { formatStylish } from './stylish';

export const FORMATS = ['stylish', 'json', 'sarif'] as const;
export type FormatName = (typeof FORMATS)[number];

export const FORMATTERS: Readonly<Record<FormatName, Formatter>> = {
  stylish: formatStylish,
  json: formatJson,
  sarif: formatSarif,
};

export function isFormatName(s: string): s is FormatName {
  return (FORMATS as readonly string[]).includes(s);
}

export type { FormatOptions, Formatter, Summary } from './common';
export { summarize } from './common';
