/**
 * Private MariaDB instances for the integration tests: `mariadb-install-db` once per file into a
 * temp dir (copied for further instances), `mariadbd --no-defaults --user=root` on a free port
 * with TLS and `--require-secure-transport` ON or OFF, admin SQL through the `mariadb` client
 * over the unix socket (root authenticates by unix_socket). Killed by `stop()` and on exit.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { requireTool } from './pki';
import { freePort } from './postgres';

export interface MariaDbInstance {
  readonly port: number;
  admin(sql: string): string;
  stop(): Promise<void>;
}

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

export interface MariaDbOptions {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
  readonly requireSecureTransport: boolean;
}

let template: string | undefined;

function installTemplate(): string {
  if (template) return template;
  requireTool('mariadbd', 'install the Debian package mariadb-server') ;
  requireTool('mariadb-install-db', 'install the Debian package mariadb-server');
  requireTool('mariadb', 'install the Debian package mariadb-client (comes with mariadb-server)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'connguard-mariadb-template-'));
  execFileSync('mariadb-install-db', ['--no-defaults', '--user=root', `--datadir=${dir}`, '--auth-root-authentication-method=socket', '--skip-test-db'], { stdio: ['ignore', 'pipe', 'pipe'] });
  template = dir;
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function waitForPort(port: number, child: ChildProcess, log: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      if (child.exitCode !== null) return reject(new Error(`mariadbd exited (${child.exitCode}):\n${fs.readFileSync(log, 'utf8')}`));
      const s = net.connect({ host: '127.0.0.1', port });
      s.once('connect', () => {
        s.destroy();
        resolve();
      });
      s.once('error', () => {
        s.destroy();
        if (Date.now() > deadline) reject(new Error(`mariadbd did not listen within ${timeoutMs} ms:\n${fs.readFileSync(log, 'utf8')}`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

export async function startMariaDb(o: MariaDbOptions): Promise<MariaDbInstance> {
  const tpl = installTemplate();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'connguard-mariadb-'));
  const data = path.join(dir, 'data');
  fs.cpSync(tpl, data, { recursive: true });
  const port = await freePort();
  const socket = path.join(dir, 'mysqld.sock');
  const log = path.join(dir, 'error.log');
  const child = spawn(
    'mariadbd',
    [
      '--no-defaults',
      '--user=root',
      `--datadir=${data}`,
      `--socket=${socket}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--pid-file=${path.join(dir, 'mariadbd.pid')}`,
      `--log-error=${log}`,
      `--ssl-ca=${o.ca}`,
      `--ssl-cert=${o.cert}`,
      `--ssl-key=${o.key}`,
      `--require-secure-transport=${o.requireSecureTransport ? 'ON' : 'OFF'}`,
      '--skip-log-bin',
      '--innodb-buffer-pool-size=16M',
      '--innodb-log-file-size=8M',
      '--skip-name-resolve',
      '--performance-schema=OFF',
    ],
    { stdio: 'ignore' },
  );
  children.add(child);
  await waitForPort(port, child, log, 30000);
  const admin = (sql: string): string => execFileSync('mariadb', ['--no-defaults', '-S', socket, '-u', 'root', '-N', '-e', sql]).toString();
  return {
    port,
    admin,
    async stop() {
      children.delete(child);
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGKILL');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
