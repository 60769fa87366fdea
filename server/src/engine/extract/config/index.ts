/**
 * Config-file extractors: `.env`, YAML, JSON/JSONC, TOML, `.properties` and Prisma schemas.
 *
 * Each format module reads its syntax and reports key/value entries with exact UTF-16 source
 * ranges to one EntrySink (sink.ts), which alone decides what is a connection string
 * (classify.ts), a literal password, a cloud key, `NODE_TLS_REJECT_UNAUTHORIZED=0` or
 * `SSLKEYLOGFILE`. Connection strings are handed over unparsed as `ConnectionSite.dsn`: the DSN
 * grammars live in engine/dsn/.
 *
 * Architecture invariant: never throws. Parse problems are returned in `errors` (without source
 * text, which may hold secrets) and whatever parsed is still extracted.
 */
import { Extraction } from '../values';
import { parseDotenv } from './dotenv';
import { parseJson } from './json';
import { parsePrisma } from './prisma';
import { parseProperties } from './properties';
import { EntrySink } from './sink';
import { parseTomlFile } from './toml';
import { parseYaml } from './yaml';

export { classifyConnectionString, isDsnKey } from './classify';

export type ConfigKind = 'dotenv' | 'yaml' | 'json' | 'toml' | 'properties' | 'prisma';

const PARSERS: Readonly<Record<ConfigKind, (text: string, sink: EntrySink) => void>> = {
  dotenv: parseDotenv,
  yaml: parseYaml,
  json: parseJson,
  toml: parseTomlFile,
  properties: parseProperties,
  prisma: parsePrisma,
};

export function extractConfig(kind: ConfigKind, text: string, path: string): Extraction {
  const sink = new EntrySink();
  // The `config` package's custom-environment-variables file maps keys to the NAMES of env
  // variables (`"password": "DB_PASSWORD"`): no value in it is a secret or a connection string.
  if (/(^|[\\/])custom-environment-variables\.[a-z0-9]+$/i.test(path)) return sink.result();
  try {
    PARSERS[kind](text, sink);
  } catch (e) {
    // A bug in a format reader must not lose the file's other results, nor leak its text.
    sink.errors.push(`${kind}: internal error while reading the file (${(e as Error)?.name ?? 'Error'})`);
  }
  return sink.result();
}
