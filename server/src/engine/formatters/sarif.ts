/**
 * SARIF 2.1.0 formatter (for GitHub code scanning and other SARIF consumers).
 *
 * One run; `tool.driver.rules` lists every rule (not only those with results) so that
 * `ruleIndex` is the rule's position in shared/src/rules.ts; `results` is always an array, empty
 * when clean. Locations are relative to `%SRCROOT%` (the scan root, declared in
 * `originalUriBaseIds`); regions are 1-based with columns in UTF-16 code units
 * (`columnKind: utf16CodeUnits`), `endColumn` exclusive. Only preferred fixes become SARIF
 * `fixes`: those are the ones ConnGuard would apply itself. File notes become
 * `invocations[0].toolExecutionNotifications`.
 *
 * The SARIF subset is typed below and built by a typed builder, so a misspelt property is a
 * compile error rather than silently invalid output.
 */
import { pathToFileURL } from 'node:url';
import { docsUrl, RuleMeta, RULES } from '../../../../shared/src/rules';
import { FileNote, FileResult, Finding, Range, Severity } from '../model';
import { FormatOptions, PositionResolver } from './common';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SRCROOT = '%SRCROOT%';
export const INFORMATION_URI = 'https://github.com/connguard/connguard';
/** Key of the fingerprint in `partialFingerprints`; bump the suffix if fingerprints change meaning. */
export const FINGERPRINT_KEY = 'connguard/v1';

// ---- The SARIF 2.1.0 subset ConnGuard writes -------------------------------------------------

export type SarifLevel = 'error' | 'warning' | 'note' | 'none';

export interface SarifMessage {
  readonly text: string;
}

export interface SarifArtifactLocation {
  readonly uri: string;
  readonly uriBaseId?: string;
}

export interface SarifRegion {
  readonly startLine: number;
  readonly startColumn: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly charOffset?: number;
  readonly charLength?: number;
}

export interface SarifPhysicalLocation {
  readonly artifactLocation: SarifArtifactLocation;
  readonly region?: SarifRegion;
}

export interface SarifLocation {
  readonly id?: number;
  readonly physicalLocation: SarifPhysicalLocation;
  readonly message?: SarifMessage;
}

export interface SarifReplacement {
  readonly deletedRegion: SarifRegion;
  readonly insertedContent: { readonly text: string };
}

export interface SarifFix {
  readonly description: SarifMessage;
  readonly artifactChanges: readonly {
    readonly artifactLocation: SarifArtifactLocation;
    readonly replacements: readonly SarifReplacement[];
  }[];
}

export interface SarifResult {
  readonly ruleId: string;
  readonly ruleIndex: number;
  readonly level: SarifLevel;
  readonly message: SarifMessage;
  readonly locations: readonly SarifLocation[];
  readonly relatedLocations?: readonly SarifLocation[];
  readonly partialFingerprints: Readonly<Record<string, string>>;
  readonly fixes?: readonly SarifFix[];
}

export interface SarifReportingDescriptor {
  readonly id: string;
  readonly name: string;
  readonly shortDescription: SarifMessage;
  readonly fullDescription: SarifMessage;
  readonly helpUri: string;
  readonly help?: SarifMessage;
  readonly defaultConfiguration?: { readonly level: SarifLevel };
  readonly properties?: { readonly tags: readonly string[]; readonly [key: string]: unknown };
}

export interface SarifNotification {
  readonly level: SarifLevel;
  readonly message: SarifMessage;
  readonly descriptor?: { readonly id: string };
  readonly locations?: readonly SarifLocation[];
}

export interface SarifRun {
  readonly tool: {
    readonly driver: {
      readonly name: string;
      readonly version: string;
      readonly semanticVersion: string;
      readonly informationUri: string;
      readonly rules: readonly SarifReportingDescriptor[];
      readonly notifications: readonly { readonly id: string; readonly shortDescription: SarifMessage }[];
    };
  };
  readonly originalUriBaseIds: Readonly<Record<string, SarifArtifactLocation>>;
  readonly columnKind: 'utf16CodeUnits';
  readonly invocations: readonly {
    readonly executionSuccessful: boolean;
    readonly toolExecutionNotifications: readonly SarifNotification[];
  }[];
  readonly results: readonly SarifResult[];
}

export interface SarifLog {
  readonly $schema: string;
  readonly version: '2.1.0';
  readonly runs: readonly SarifRun[];
}

// ---- Mapping --------------------------------------------------------------------------------

/** SARIF has three result levels; information and hint both become `note`. */
export function sarifLevel(s: Severity): SarifLevel {
  return s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note';
}

/** `tls-disabled` → `TlsDisabled` (SARIF `name` is an identifier-like, non-localised name). */
function ruleName(id: string): string {
  return id
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

function ruleDescriptor(r: RuleMeta): SarifReportingDescriptor {
  const tags = ['security'];
  if (r.cwe !== undefined) tags.push(`external/cwe/cwe-${r.cwe}`);
  return {
    id: r.id,
    name: ruleName(r.id),
    shortDescription: { text: r.title },
    fullDescription: { text: r.description },
    helpUri: docsUrl(r.id),
    help: { text: `${r.description} See ${docsUrl(r.id)}` },
    defaultConfiguration: { level: sarifLevel(r.defaultSeverity) },
    properties: r.check ? { tags, check: r.check } : { tags },
  };
}

const NOTE_KINDS: readonly { id: FileNote['kind']; text: string }[] = [
  { id: 'skipped', text: 'File skipped (too large, binary, unreadable or ignored).' },
  { id: 'parse-error', text: 'Part of the file could not be parsed; the rest was analysed.' },
  { id: 'internal-error', text: 'An internal error stopped the analysis of the file.' },
  { id: 'config-error', text: 'A configuration problem.' },
];

function noteLevel(kind: FileNote['kind']): SarifLevel {
  return kind === 'internal-error' ? 'error' : kind === 'skipped' ? 'note' : 'warning';
}

/** Relative paths are percent-encoded per segment; paths outside the root become file: URIs. */
function artifactLocation(path: string, root: string): SarifArtifactLocation {
  if (path.startsWith('../') || path === '..' || /^([a-zA-Z]:)?\//.test(path)) {
    const abs = /^([a-zA-Z]:)?\//.test(path) ? path : `${root.replace(/\\/g, '/').replace(/\/$/, '')}/${path}`;
    return { uri: pathToFileURL(abs).href };
  }
  return { uri: path.split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

function rootUri(root: string): string {
  const href = pathToFileURL(root).href;
  return href.endsWith('/') ? href : `${href}/`;
}

export function buildSarif(
  results: readonly FileResult[],
  root: string,
  texts: ReadonlyMap<string, string>,
  options: FormatOptions,
): SarifLog {
  const positions = new PositionResolver(texts);
  const ruleIndex = new Map(RULES.map((r, i) => [r.id, i]));

  const region = (path: string, r: Range, withOffsets: boolean): SarifRegion => {
    const s = positions.position(path, r.start);
    const e = positions.position(path, r.end);
    const base = { startLine: s.line, startColumn: s.column, endLine: e.line, endColumn: e.column };
    return withOffsets ? { ...base, charOffset: r.start, charLength: r.end - r.start } : base;
  };

  const toResult = (file: FileResult, f: Finding): SarifResult => {
    const loc = artifactLocation(file.path, root);
    const fixes: SarifFix[] = f.fixes
      .filter((x) => x.preferred)
      .map((x) => ({
        description: { text: x.title },
        artifactChanges: [
          {
            artifactLocation: loc,
            replacements: x.edits.map((e) => ({ deletedRegion: region(file.path, e.range, true), insertedContent: { text: e.newText } })),
          },
        ],
      }));
    const related: SarifLocation[] = f.related.map((x, i) => ({
      id: i + 1,
      physicalLocation: { artifactLocation: loc, region: region(file.path, x.range, false) },
      message: { text: x.message },
    }));
    return {
      ruleId: f.ruleId,
      // A finding from a rule unknown to this build cannot happen (the engine only runs
      // registered rules); -1 is SARIF's "not in rules[]".
      ruleIndex: ruleIndex.get(f.ruleId) ?? -1,
      level: sarifLevel(f.severity),
      message: { text: f.message },
      locations: [{ physicalLocation: { artifactLocation: loc, region: region(file.path, f.range, false) } }],
      ...(related.length ? { relatedLocations: related } : {}),
      partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
      ...(fixes.length ? { fixes } : {}),
    };
  };

  const notifications: SarifNotification[] = [];
  for (const file of results) {
    for (const n of file.notes) {
      notifications.push({
        level: noteLevel(n.kind),
        message: { text: `${file.path}: ${n.message}` },
        descriptor: { id: n.kind },
        locations: [{ physicalLocation: { artifactLocation: artifactLocation(file.path, root) } }],
      });
    }
  }
  for (const text of options.runNotes ?? []) notifications.push({ level: 'warning', message: { text } });

  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'ConnGuard',
            version: options.toolVersion,
            semanticVersion: options.toolVersion,
            informationUri: INFORMATION_URI,
            rules: RULES.map(ruleDescriptor),
            notifications: NOTE_KINDS.map((k) => ({ id: k.id, shortDescription: { text: k.text } })),
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: rootUri(root) } },
        columnKind: 'utf16CodeUnits',
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
        results: results.flatMap((file) => file.findings.map((f) => toResult(file, f))),
      },
    ],
  };
}

export function formatSarif(
  results: readonly FileResult[],
  root: string,
  texts: ReadonlyMap<string, string>,
  options: FormatOptions,
): string {
  return JSON.stringify(buildSarif(results, root, texts, options), null, 2) + '\n';
}
