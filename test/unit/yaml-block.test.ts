/**
 * The YAML fast path (server/src/engine/extract/config/yaml-block.ts) must give exactly what the
 * `yaml` package gives for every text it accepts: the entries and errors yaml.ts records are
 * compared, text by text, with the fast path and through `yaml` (parseYaml's `full`). Inputs:
 * every YAML fixture and example, generated manifests, hand-written service configuration, and
 * thousands of mutations of them with YAML-significant text inserted — where the fast path
 * must either refuse or agree (it must never accept what `yaml` reads differently or rejects).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseBlockYaml } from '../../server/src/engine/extract/config/yaml-block';
import { parseYaml } from '../../server/src/engine/extract/config/yaml';
import type { EntrySink } from '../../server/src/engine/extract/config/sink';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const corpus = require(path.resolve(__dirname, '../../../test/bench/corpus.js')) as {
  prng(seed: number): { next(): number; int(lo: number, hi: number): number; pick<T>(a: readonly T[]): T };
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const generator = require(path.resolve(__dirname, '../../../test/bench/corpus.js')) as Record<string, unknown>;

/** What yaml.ts records for a text: every entry (key, path, value and ranges, kind, group) and error. */
function record(text: string, full: boolean): string {
  const out: unknown[] = [];
  const groups = new Map<object, number>();
  const sink = {
    add: (e: { group?: object }) => {
      const g = e.group ? (groups.get(e.group) ?? groups.set(e.group, groups.size).get(e.group)) : undefined;
      out.push({ ...e, group: g, groupOpen: (e.group as { open?: boolean } | undefined)?.open });
    },
    error: (m: string | (() => string)) => out.push({ error: typeof m === 'string' ? m : m() }),
  } as unknown as EntrySink;
  parseYaml(text, sink, full);
  return JSON.stringify(out);
}

const SERVICE_YAML = [
  `---
# orders deployment
apiVersion: apps/v1
kind: Deployment
metadata:
  name: orders
  labels:
    app: orders
spec:
  replicas: 3
  template:
    spec:
      containers:
      - name: orders
        image: registry.example.com/orders:1.4.2
        env:
        - name: DATABASE_URL
          value: postgres://orders@db.example.com:5432/orders?sslmode=disable  # legacy
        - name: PGSSLMODE
          value: 'require'
        - name: DB_PASSWORD
          value: "\${DB_PASSWORD}"
        - name: POOL_MAX
          value: "20"
        ports:
        - containerPort: 8080
`,
  `services:
  api:
    image: shop/api:latest
    environment:
      - MYSQL_URL=mysql://api@db:3306/shop?ssl-mode=DISABLED
      - NODE_ENV=production
      - PASSTHROUGH
    restart: unless-stopped
  worker:
    environment:
      DB_HOST: shop.mysql.database.azure.com
      DB_SSL: false
      DB_PASSWORD: hunter2-not-real
      RETRIES: 3
      EMPTY_LIKE: ~
    env_file: .env
`,
  `name: ci
on:
  push:
    branches:
      - main
env:
  DATABASE_URL: postgres://ci@localhost:5432/ci
jobs:
  test:
    runs-on: ubuntu-latest
    env:
      PGPASSWORD: postgres
    steps:
      - name: Test
        run: npm test
`,
  `database:
  url: postgresql://billing@billing.polardb.rds.aliyuncs.com:5432/billing?sslmode=prefer
  username: billing
  password: 's3cr''et-not-real'
  pool:
    max-size: 20
    enabled: True
    note: it's fine
  hosts:
    - db1.internal
    - "db2.internal"
    - 'db3.internal'
`,
  // Found by a longer run of the mutations below: `---#` is no document marker.
  '---# not a marker\nkey: value\n',
  '--- # a marker\nkey: value\n',
];

/** Text inserted by the mutations: what changes how YAML reads a line. */
const SNIPPETS = [
  ': ', ':', '#', ' # c', "'", '"', '- ', '-', '  ', '\n', '\n  ', '\n- ', '&a ', '*a', '[', ']', '{', '}', '|', '>', '~', 'null', 'True', 'NULL',
  '0x1F', '1.5', '-1', '+2', '.5', '1e3', '0o7', "'it''s'", '"a\\"b"', '"x"', 'key:', 'k: v', '---', '...', '? ', '!tag ', '%', '@', '`', ',', '<<: ', '\t', '\r\n', '---#', '--- ',
  'valueFrom:', 'yes', 'on', '12', '007', 'a: b: c', '"', "''", '\\', '\u0085', '\u2028', '\u00a0', '\ufeff', 'é', '\u0000', '\f', '\v',
];

function texts(): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name)) out.push({ name: path.relative(path.resolve(__dirname, '../../..'), p), text: fs.readFileSync(p, 'utf8') });
    }
  };
  walk(path.resolve(__dirname, '../../../test/fixtures'));
  walk(path.resolve(__dirname, '../../../examples'));
  SERVICE_YAML.forEach((text, i) => out.push({ name: `service-${i}.yaml`, text }));
  const yamlFile = generator.yamlFile as (r: unknown, svc: string, target: number, withConn: boolean) => string;
  for (let k = 0; k < 30; k++) out.push({ name: `generated-${k}.yaml`, text: yamlFile(corpus.prng(50 + k), `svc-${k}`, 500 + 200 * k, k % 3 !== 0) });
  return out;
}

describe('YAML fast path (block subset)', () => {
  it('gives what yaml gives on fixtures, examples, service configuration and generated manifests', () => {
    let accepted = 0;
    for (const { name, text } of texts()) {
      if (parseBlockYaml(text)) accepted++;
      assert.equal(record(text, false), record(text, true), name);
    }
    // Not vacuous: the service texts and generated manifests take the fast path.
    assert.ok(accepted >= 35, `${accepted} texts accepted`);
  });

  it('refuses what yaml reads with an error the walk would not see: keys over 1,024 characters, deep nesting (yaml-block-cases/, an audit)', () => {
    const dir = path.resolve(__dirname, '../../../test/unit/yaml-block-cases');
    const cases = fs.readdirSync(dir).map((name) => ({ name, text: fs.readFileSync(path.join(dir, name), 'utf8') }));
    assert.ok(cases.length >= 2);
    for (const { name, text } of cases) {
      assert.equal(parseBlockYaml(text), undefined, name);
      assert.equal(record(text, false), record(text, true), name);
    }
    // `- k:` nested 990 deep (~1 MB): yaml reports resource exhaustion (how often depends on the
    // stack left, so only the refusal is compared); and far deeper, where a recursive parser
    // would overflow the stack.
    for (const [depth, step] of [[990, 2], [6000, 1]]) {
      let text = '';
      for (let d = 0; d < depth; d++) text += `${' '.repeat(step * d)}- k:\n`;
      assert.equal(parseBlockYaml(text.replace(/:\n$/, ': v\n')), undefined, `nested ${depth} deep`);
    }
    assert.ok(parseBlockYaml(`${'k'.repeat(1024)}: v\n`), 'a key of 1,024 characters is still read');
  });

  it('refuses or agrees on 6,000 mutated texts (never accepts what yaml reads differently or rejects)', () => {
    const r = corpus.prng(4242);
    const bases = texts().filter((t) => parseBlockYaml(t.text));
    let accepted = 0;
    let refused = 0;
    for (let i = 0; i < 6000; i++) {
      let text = r.pick(bases).text;
      for (let k = r.int(1, 3); k > 0; k--) {
        const at = r.int(0, text.length);
        text = r.next() < 0.3 ? text.slice(0, at) + text.slice(Math.min(text.length, at + r.int(1, 4))) : text.slice(0, at) + r.pick(SNIPPETS) + text.slice(at);
      }
      if (parseBlockYaml(text)) accepted++;
      else refused++;
      assert.equal(record(text, false), record(text, true), JSON.stringify(text));
    }
    assert.ok(accepted > 1000 && refused > 1000, `${accepted} accepted, ${refused} refused`);
  });
});
