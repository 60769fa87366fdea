/**
 * Engine settings: what `.connguard.json`, the CLI and the editor settings can change.
 * One shape for all surfaces; each surface resolves its own sources into it.
 *
 * `.connguard.json`:
 * ```json
 * { "rules": { "pool-unbounded": "off", "tls-hostname-unverified": "error" },
 *   "localHosts": ["db.internal.test"],
 *   "ignore": ["vendor/**", "**\/*.gen.go"],
 *   "checkLocalConnections": false,
 *   "checkTestFiles": false,
 *   "maxFileBytes": 2097152 }
 * ```
 */
import { RULES, RuleSeverity } from '../../../shared/src/rules';

export type SeveritySetting = RuleSeverity | 'off';

export interface EngineSettings {
  /** Rule id → severity or `off`; absent rules use their default severity. */
  readonly rules: Readonly<Record<string, SeveritySetting>>;
  /** Hosts treated like loopback (no transport findings), in addition to localhost/127.0.0.0/8/::1. */
  readonly localHosts: readonly string[];
  /** Report transport findings for loopback hosts and unix sockets too (SPEC §1.6). */
  readonly checkLocalConnections: boolean;
  /** Report transport findings in test files too. */
  readonly checkTestFiles: boolean;
  /** Files larger than this are skipped with a note. */
  readonly maxFileBytes: number;
  /** Extra ignore globs (gitignore syntax), relative to the scan root. */
  readonly ignore: readonly string[];
}

export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024;

export const DEFAULT_SETTINGS: EngineSettings = {
  rules: {},
  localHosts: [],
  checkLocalConnections: false,
  checkTestFiles: false,
  maxFileBytes: DEFAULT_MAX_FILE_BYTES,
  ignore: [],
};

const SEVERITIES: readonly string[] = ['error', 'warning', 'information', 'hint', 'off'];
const KNOWN_KEYS = new Set(['$schema', 'rules', 'localHosts', 'checkLocalConnections', 'checkTestFiles', 'maxFileBytes', 'ignore']);

/**
 * Validates a parsed `.connguard.json` (or editor settings object) and merges it over `base`.
 * Returns the problems found; an invalid entry is dropped, never half-applied.
 */
export function mergeSettings(base: EngineSettings, raw: unknown, origin: string): { settings: EngineSettings; problems: string[] } {
  const problems: string[] = [];
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { settings: base, problems: [`${origin}: expected a JSON object`] };
  }
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!KNOWN_KEYS.has(k)) problems.push(`${origin}: unknown setting "${k}"`);
  const rules: Record<string, SeveritySetting> = { ...base.rules };
  if (o.rules !== undefined) {
    if (typeof o.rules !== 'object' || o.rules === null || Array.isArray(o.rules)) problems.push(`${origin}: "rules" must be an object of rule id → severity`);
    else {
      for (const [id, sev] of Object.entries(o.rules as Record<string, unknown>)) {
        if (!RULES.some((r) => r.id === id)) problems.push(`${origin}: unknown rule "${id}"`);
        else if (typeof sev !== 'string' || !SEVERITIES.includes(sev)) problems.push(`${origin}: rule "${id}": severity must be one of ${SEVERITIES.join(', ')}`);
        else rules[id] = sev as SeveritySetting;
      }
    }
  }
  const strings = (key: string, cur: readonly string[]): readonly string[] => {
    const v = o[key];
    if (v === undefined) return cur;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
      problems.push(`${origin}: "${key}" must be an array of strings`);
      return cur;
    }
    return [...cur, ...(v as string[])];
  };
  const bool = (key: string, cur: boolean): boolean => {
    const v = o[key];
    if (v === undefined) return cur;
    if (typeof v !== 'boolean') {
      problems.push(`${origin}: "${key}" must be true or false`);
      return cur;
    }
    return v;
  };
  let maxFileBytes = base.maxFileBytes;
  if (o.maxFileBytes !== undefined) {
    if (typeof o.maxFileBytes !== 'number' || !(o.maxFileBytes > 0)) problems.push(`${origin}: "maxFileBytes" must be a positive number`);
    else maxFileBytes = o.maxFileBytes;
  }
  return {
    settings: {
      rules,
      localHosts: strings('localHosts', base.localHosts),
      ignore: strings('ignore', base.ignore),
      checkLocalConnections: bool('checkLocalConnections', base.checkLocalConnections),
      checkTestFiles: bool('checkTestFiles', base.checkTestFiles),
      maxFileBytes,
    },
    problems,
  };
}
