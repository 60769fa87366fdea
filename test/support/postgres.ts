/**
 * Private PostgreSQL 15 instances for the integration tests: a temp dir owned by the `postgres`
 * user (the server refuses to run as root), initdb + pg_ctl via `runuser -u postgres --`, TLS on,
 * pg_hba.conf from the test, a free port on 127.0.0.1, admin access over the unix socket (trust).
 * Stopped with SIGQUIT (immediate shutdown) by `stop()` and, as a safety net, on process exit.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { requireTool } from './pki';

const BIN = '/usr/lib/postgresql/15/bin';

export interface PgInstance {
  readonly port: number;
  readonly dir: string;
  readonly socketDir: string;
  /** Runs SQL as the superuser over the unix socket. */
  admin<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  /** Swaps the server certificate and key (ALTER SYSTEM + reload), waiting until it is in force. */
  useCertificate(cert: string, key: string): Promise<void>;
  stop(): void;
}

export interface PgOptions {
  readonly cert: string;
  readonly key: string;
  readonly hba: readonly string[];
  readonly conf?: readonly string[];
}

const running = new Set<string>();
process.on('exit', () => {
  for (const data of running) killPostmaster(data);
});

function killPostmaster(data: string): void {
  try {
    const pid = Number(fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    if (pid > 0) process.kill(pid, 'SIGQUIT');
  } catch {
    // not running
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

function asPostgres(cmd: string, args: string[]): void {
  execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

let seq = 0;
function copyForPostgres(dir: string, file: string): string {
  const to = path.join(dir, `tls-${seq++}-${path.basename(file)}`);
  fs.copyFileSync(file, to);
  fs.chownSync(to, pgUid(), pgGid());
  fs.chmodSync(to, 0o600);
  return to;
}

function pgUid(): number {
  return Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
}
function pgGid(): number {
  return Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
}

export async function startPostgres(o: PgOptions): Promise<PgInstance> {
  requireTool(path.join(BIN, 'initdb'), 'install the Debian package postgresql (PostgreSQL 15)');
  requireTool(path.join(BIN, 'pg_ctl'), 'install the Debian package postgresql (PostgreSQL 15)');
  requireTool('runuser', 'install util-linux');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'connguard-pg-'));
  fs.chownSync(dir, pgUid(), pgGid());
  const data = path.join(dir, 'data');
  const port = await freePort();
  asPostgres(path.join(BIN, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
  const cert = copyForPostgres(dir, o.cert);
  const key = copyForPostgres(dir, o.key);
  const conf = [
    `port = ${port}`,
    `listen_addresses = '127.0.0.1'`,
    `unix_socket_directories = '${dir}'`,
    'ssl = on',
    `ssl_cert_file = '${cert}'`,
    `ssl_key_file = '${key}'`,
    'fsync = off',
    'synchronous_commit = off',
    'full_page_writes = off',
    'shared_buffers = 16MB',
    'max_connections = 30',
    "password_encryption = 'scram-sha-256'",
    ...(o.conf ?? []),
  ];
  fs.appendFileSync(path.join(data, 'postgresql.conf'), `\n${conf.join('\n')}\n`);
  fs.writeFileSync(path.join(data, 'pg_hba.conf'), ['local all all trust', ...o.hba].join('\n') + '\n');
  running.add(data);
  try {
    asPostgres(path.join(BIN, 'pg_ctl'), ['-D', data, '-l', path.join(dir, 'log'), '-w', '-t', '30', 'start']);
  } catch (e) {
    const log = fs.existsSync(path.join(dir, 'log')) ? fs.readFileSync(path.join(dir, 'log'), 'utf8') : '';
    throw new Error(`PostgreSQL did not start: ${(e as Error).message}\n${log}`);
  }

  const admin = async <T>(sql: string): Promise<T[]> => {
    const c = new Client({ host: dir, port, user: 'postgres', database: 'postgres' });
    await c.connect();
    try {
      return (await c.query(sql)).rows as T[];
    } finally {
      await c.end();
    }
  };
  return {
    port,
    dir,
    socketDir: dir,
    admin,
    async useCertificate(certFile, keyFile) {
      const c2 = copyForPostgres(dir, certFile);
      const k2 = copyForPostgres(dir, keyFile);
      await admin(`ALTER SYSTEM SET ssl_cert_file = '${c2}'`);
      await admin(`ALTER SYSTEM SET ssl_key_file = '${k2}'`);
      await admin('SELECT pg_reload_conf()');
      for (let i = 0; i < 100; i++) {
        const rows = await admin<{ ssl_cert_file: string }>('SHOW ssl_cert_file');
        if (rows[0]?.ssl_cert_file === c2) return;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error('PostgreSQL did not reload the certificate');
    },
    stop() {
      killPostmaster(data);
      running.delete(data);
      for (let i = 0; i < 100 && fs.existsSync(path.join(data, 'postmaster.pid')); i++) execFileSync('sleep', ['0.05']);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
