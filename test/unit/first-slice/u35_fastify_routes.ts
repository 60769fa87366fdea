// Fastify plugin with route handlers; pool built in a decorator.
import Fastify from 'fastify';
import { Pool } from 'pg';

const app = Fastify();

function dbName(): string {
  return 'tickets';
}

app.decorate('db', new Pool({ host: 'localhost', database: dbName(), ssl: false, connectionTimeoutMillis: 4000 }));

app.get('/tickets/:id', async (req, reply) => {
  const params = req.params as Record<string, string>;
  const key = Object.keys(params)[0];
  return reply.send({ id: params[key] });
});

app.post('/tickets', async (req) => {
  const body = req.body as { title?: string };
  return { ok: Boolean(body.title) };
});

export function priority(p: number): 'low' | 'high' {
  return p > 5 ? 'high' : 'low';
}

export function slug(s: string): string {
  return s.toLowerCase().split(' ').filter(Boolean).join('-');
}

export function pageOf(total: number, size: number): number {
  return Math.max(1, Math.ceil(total / size));
}

export function pairs<K, V>(m: Map<K, V>): [K, V][] {
  const out: [K, V][] = [];
  m.forEach((v, k) => out.push([k, v]));
  return out;
}
