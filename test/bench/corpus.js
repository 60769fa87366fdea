/**
 * Benchmark corpus generator: a deterministic tree of realistic-looking service code (Go, TS,
 * YAML, JSON, .env) with sparse database connections (about 1 file in 50). Deterministic: the
 * same GENERATOR_VERSION and options always produce byte-identical files, so timings from
 * different runs and machines compare. Bump GENERATOR_VERSION whenever the output changes.
 *
 *   const { ensureCorpus } = require('./corpus');
 *   const info = ensureCorpus('.bench/corpus');   // generates only when missing or outdated
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const GENERATOR_VERSION = 3;
const DEFAULTS = { files: 12000, seed: 0xc0ffee, connectionEvery: 50 };
// No source extension, so neither ConnGuard nor the rg comparison reads it.
const STAMP = '.corpus-stamp';

/** mulberry32: small, fast, deterministic PRNG. */
function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    chance: (p) => next() < p,
  };
}

const ENTITIES = ['user', 'order', 'invoice', 'payment', 'account', 'session', 'product', 'cart', 'shipment', 'customer',
  'report', 'audit', 'tenant', 'plan', 'subscription', 'coupon', 'review', 'inventory', 'warehouse', 'refund'];
const FIELDS = ['id', 'name', 'email', 'status', 'createdAt', 'updatedAt', 'amount', 'currency', 'quantity', 'ownerId',
  'region', 'notes', 'priority', 'version', 'labels', 'total', 'discount', 'address', 'phone', 'deletedAt'];
const GO_TYPES = ['string', 'int64', 'float64', 'bool', 'time.Time', '[]string', 'map[string]string', '*string'];
const TS_TYPES = ['string', 'number', 'boolean', 'Date', 'string[]', 'Record<string, string>', 'string | null'];
const VERBS = ['get', 'list', 'create', 'update', 'delete', 'archive', 'restore', 'validate', 'sync', 'export'];
const SERVICES = ['billing', 'catalog', 'checkout', 'identity', 'ledger', 'notify', 'search', 'shipping', 'pricing', 'media'];

const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);

// ---- Connections (sparse) ---------------------------------------------------------------------

const HOSTS = ['orders-db.cluster-c9akciq32.us-east-1.rds.amazonaws.com', 'ledger.database.windows.net',
  'pc-bp1xyz.rwlb.rds.aliyuncs.com', 'db.internal.example.com', 'billing-pg.example.net'];

function goConnection(r) {
  const host = r.pick(HOSTS);
  const q = r.pick(['sslmode=require', 'sslmode=disable', 'sslmode=verify-full&connect_timeout=5', '']);
  return `
func openDatabase() (*sql.DB, error) {
	db, err := sql.Open("pgx", "postgres://app@${host}:5432/app${q ? '?' + q : ''}")
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	db.SetMaxOpenConns(${r.int(5, 50)})
	return db, nil
}
`;
}

function tsConnection(r) {
  return `
export const pool = new Pool({
  host: '${r.pick(HOSTS)}',
  database: 'app',
  user: 'app',
  password: process.env.DB_PASSWORD,
  ssl: ${r.pick(['{ rejectUnauthorized: false }', 'true', '{ ca: readFileSync("/etc/ssl/rds.pem", "utf8") }'])},
});
`;
}

const configDsn = (r) => `postgres://app@${r.pick(HOSTS)}:5432/app?sslmode=${r.pick(['require', 'disable', 'verify-full'])}`;

// ---- File bodies ------------------------------------------------------------------------------

function goFile(r, pkg, target, withConn) {
  const imports = ['context', 'encoding/json', 'errors', 'fmt', 'net/http', 'strings', 'time'];
  if (withConn) imports.push('database/sql');
  let s = `// Package ${pkg} implements the ${pkg} HTTP handlers.\npackage ${pkg}\n\nimport (\n${imports.map((i) => `\t"${i}"`).join('\n')}\n)\n`;
  if (withConn) s += goConnection(r);
  while (s.length < target) {
    const e = r.pick(ENTITIES);
    const E = cap(e);
    const fields = Array.from({ length: r.int(3, 9) }, () => r.pick(FIELDS));
    s += `\n// ${E} is the API representation of a ${e}.\ntype ${E}${r.int(1, 99)} struct {\n`;
    for (const f of new Set(fields)) s += `\t${cap(f)} ${r.pick(GO_TYPES)} \`json:"${f},omitempty"\`\n`;
    s += '}\n';
    const v = r.pick(VERBS);
    s += `
// ${cap(v)}${E}Handler handles ${v} requests for ${e}s.
func ${cap(v)}${E}Handler${r.int(1, 999)}(w http.ResponseWriter, req *http.Request) {
	ctx, cancel := context.WithTimeout(req.Context(), ${r.int(1, 30)}*time.Second)
	defer cancel()
	id := strings.TrimPrefix(req.URL.Path, "/${e}s/")
	if id == "" {
		http.Error(w, "missing ${e} id", http.StatusBadRequest)
		return
	}
	items := make([]string, 0, ${r.int(4, 64)})
	for i := 0; i < ${r.int(2, 20)}; i++ {
		items = append(items, fmt.Sprintf("%s-%d", id, i))
	}
	select {
	case <-ctx.Done():
		http.Error(w, ctx.Err().Error(), http.StatusGatewayTimeout)
		return
	default:
	}
	if len(items) == 0 {
		err := errors.New("no ${e}s")
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(items)
}
`;
  }
  return s;
}

function tsFile(r, target, withConn) {
  let s = `import express, { Request, Response } from 'express';\nimport { readFileSync } from 'node:fs';\n`;
  if (withConn) s += `import { Pool } from 'pg';\n`;
  s += `\nexport const router = express.Router();\n`;
  if (withConn) s += tsConnection(r);
  while (s.length < target) {
    const e = r.pick(ENTITIES);
    const E = cap(e);
    const n = r.int(1, 999);
    s += `\nexport interface ${E}${n} {\n`;
    for (const f of new Set(Array.from({ length: r.int(3, 9) }, () => r.pick(FIELDS)))) s += `  ${f}: ${r.pick(TS_TYPES)};\n`;
    s += '}\n';
    const v = r.pick(VERBS);
    s += `
/** ${cap(v)}s ${e}s for the current tenant. */
export class ${E}Service${n} {
  private readonly cache = new Map<string, ${E}${n}>();

  async ${v}(id: string): Promise<${E}${n} | undefined> {
    const hit = this.cache.get(id);
    if (hit) return hit;
    const items = await Promise.all([${Array.from({ length: r.int(1, 4) }, (_, i) => `this.fetch(id, ${i})`).join(', ')}]);
    const found = items.find((x) => x !== undefined);
    if (found) this.cache.set(id, found);
    return found;
  }

  private async fetch(id: string, shard: number): Promise<${E}${n} | undefined> {
    if (!id || shard > ${r.int(2, 9)}) return undefined;
    return undefined;
  }
}

router.get('/${e}s/:id', async (req: Request, res: Response) => {
  const svc = new ${E}Service${n}();
  const item = await svc.${v}(req.params.id);
  if (!item) {
    res.status(404).json({ error: '${e} not found' });
    return;
  }
  res.json(item);
});
`;
  }
  return s;
}

function yamlFile(r, svc, target, withConn) {
  let s = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${svc}\n  labels:\n    app: ${svc}\nspec:\n  replicas: ${r.int(1, 6)}\n  template:\n    spec:\n      containers:\n        - name: ${svc}\n          image: registry.example.com/${svc}:${r.int(1, 40)}.${r.int(0, 20)}.${r.int(0, 9)}\n          env:\n`;
  if (withConn) s += `            - name: DATABASE_URL\n              value: "${configDsn(r)}"\n`;
  while (s.length < target) {
    const e = r.pick(ENTITIES);
    s += `            - name: ${e.toUpperCase()}_${r.pick(FIELDS).toUpperCase()}_${r.int(1, 99)}\n              value: "${r.pick(VERBS)}-${e}-${r.int(1, 9999)}"\n`;
  }
  return s;
}

function jsonFile(r, svc, target, withConn) {
  const obj = { service: svc, version: `${r.int(1, 9)}.${r.int(0, 30)}.${r.int(0, 9)}`, features: [], limits: {} };
  if (withConn) obj.database = { url: configDsn(r), poolSize: r.int(2, 30) };
  let s = '';
  while (s.length < target) {
    const e = r.pick(ENTITIES);
    obj.features.push({ name: `${r.pick(VERBS)}-${e}`, enabled: r.chance(0.7), rollout: r.int(0, 100), owner: `${r.pick(SERVICES)}-team` });
    obj.limits[`${e}_${r.int(1, 999)}`] = r.int(10, 10000);
    if (obj.features.length % 16 === 0) s = JSON.stringify(obj, null, 2);
  }
  return JSON.stringify(obj, null, 2) + '\n';
}

function envFile(r, svc, withConn) {
  let s = `SERVICE_NAME=${svc}\nLOG_LEVEL=${r.pick(['debug', 'info', 'warn'])}\nPORT=${r.int(3000, 9000)}\n`;
  for (let i = 0; i < r.int(5, 25); i++) s += `${r.pick(ENTITIES).toUpperCase()}_${r.pick(FIELDS).toUpperCase()}=${r.int(1, 99999)}\n`;
  if (withConn) s += `DATABASE_URL=${configDsn(r)}\n`;
  return s;
}

/** Writes the corpus; returns { files, bytes, connections }. */
function generateCorpus(dir, options = {}) {
  const o = { ...DEFAULTS, ...options };
  const r = prng(o.seed);
  fs.rmSync(dir, { recursive: true, force: true });
  let bytes = 0;
  let connections = 0;
  for (let i = 0; i < o.files; i++) {
    const svc = `${SERVICES[i % SERVICES.length]}-${Math.floor(i / 100)}`;
    const withConn = i % o.connectionEvery === o.connectionEvery - 1;
    if (withConn) connections++;
    const kindRoll = r.next();
    let rel;
    let text;
    if (kindRoll < 0.4) {
      const pkg = r.pick(ENTITIES) + 's';
      rel = `services/${svc}/internal/${pkg}/${r.pick(VERBS)}_${i}.go`;
      text = goFile(r, pkg, r.int(2500, 9000), withConn);
    } else if (kindRoll < 0.75) {
      rel = `services/${svc}/src/${r.pick(ENTITIES)}/${r.pick(VERBS)}-${i}.ts`;
      text = tsFile(r, r.int(2500, 9000), withConn);
    } else if (kindRoll < 0.85) {
      rel = `services/${svc}/deploy/${r.pick(['deployment', 'values', 'config'])}-${i}.yaml`;
      text = yamlFile(r, svc, r.int(1000, 6000), withConn);
    } else if (kindRoll < 0.95) {
      rel = `services/${svc}/config/${r.pick(['features', 'settings', 'limits'])}-${i}.json`;
      text = jsonFile(r, svc, r.int(1000, 8000), withConn);
    } else {
      rel = `services/${svc}/env/${i}.env`;
      text = envFile(r, svc, withConn);
    }
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
    bytes += Buffer.byteLength(text);
  }
  const info = { version: GENERATOR_VERSION, options: o, files: o.files, bytes, connections };
  fs.writeFileSync(path.join(dir, STAMP), JSON.stringify(info, null, 2));
  return info;
}

/** Generates the corpus unless one from the same generator version and options is already there. */
function ensureCorpus(dir, options = {}) {
  const o = { ...DEFAULTS, ...options };
  try {
    const info = JSON.parse(fs.readFileSync(path.join(dir, STAMP), 'utf8'));
    if (info.version === GENERATOR_VERSION && JSON.stringify(info.options) === JSON.stringify(o)) return { ...info, generated: false };
  } catch {
    // no stamp: generate
  }
  return { ...generateCorpus(dir, o), generated: true };
}

// The file bodies are exported too: the bench's LSP sections build their documents from them.
module.exports = { GENERATOR_VERSION, DEFAULTS, prng, generateCorpus, ensureCorpus, goFile, tsFile, yamlFile, envFile, goConnection, tsConnection };
