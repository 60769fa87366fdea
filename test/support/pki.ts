/**
 * Throwaway PKI for the integration tests, made per run with the `openssl` CLI: a test CA, a
 * leaf for localhost/127.0.0.1, an expired leaf, a leaf for another host name, and a second,
 * unknown CA. Files live in a temp dir removed by `cleanup()`.
 *
 * `openssl ca` is used (not `x509 -req`) because OpenSSL 3.0 can only back-date certificates
 * there (-startdate/-enddate), which the expired leaf needs.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface Pki {
  readonly dir: string;
  readonly caPem: string;
  readonly caFile: string;
  readonly otherCaPem: string;
  /** Paths of cert/key pairs. */
  readonly good: { cert: string; key: string };
  readonly expired: { cert: string; key: string };
  readonly wrongHost: { cert: string; key: string };
  cleanup(): void;
}

export function requireTool(cmd: string, hint: string): string {
  const candidates = cmd.startsWith('/') ? [cmd] : (process.env.PATH ?? '').split(':').map((d) => path.join(d, cmd));
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) throw new Error(`${cmd} is missing: ${hint}. The integration tests need it (they are never skipped).`);
  return found;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function makeCa(dir: string, name: string, cn: string): void {
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '365', '-subj', `/CN=${cn}/O=ConnGuard tests`], dir);
  fs.mkdirSync(path.join(dir, `${name}-db`));
  fs.writeFileSync(path.join(dir, `${name}-db`, 'index.txt'), '');
  fs.writeFileSync(path.join(dir, `${name}-db`, 'serial'), '1000\n');
  fs.writeFileSync(
    path.join(dir, `${name}.cnf`),
    `[ ca ]
default_ca = this
[ this ]
dir = ${path.join(dir, `${name}-db`)}
database = $dir/index.txt
serial = $dir/serial
new_certs_dir = $dir
certificate = ${path.join(dir, `${name}.pem`)}
private_key = ${path.join(dir, `${name}.key`)}
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[ any ]
commonName = supplied
[ leaf ]
basicConstraints = CA:FALSE
keyUsage = digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = $ENV::SAN
`,
  );
}

function makeLeaf(dir: string, ca: string, name: string, cn: string, san: string, dates: { days?: number; start?: string; end?: string }): { cert: string; key: string } {
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`], dir);
  const when = dates.start ? ['-startdate', dates.start, '-enddate', dates.end ?? ''] : ['-days', String(dates.days ?? 2)];
  execFileSync('openssl', ['ca', '-batch', '-notext', '-config', `${ca}.cnf`, '-extensions', 'leaf', '-in', `${name}.csr`, '-out', `${name}.pem`, ...when], {
    cwd: dir,
    env: { ...process.env, SAN: san },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  fs.chmodSync(path.join(dir, `${name}.key`), 0o600);
  return { cert: path.join(dir, `${name}.pem`), key: path.join(dir, `${name}.key`) };
}

export function makePki(): Pki {
  requireTool('openssl', 'install the Debian package openssl');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'connguard-pki-'));
  makeCa(dir, 'ca', 'ConnGuard Test CA');
  makeCa(dir, 'other-ca', 'Unknown Test CA');
  const good = makeLeaf(dir, 'ca', 'good', 'localhost', 'DNS:localhost,IP:127.0.0.1', { days: 90 });
  const expired = makeLeaf(dir, 'ca', 'expired', 'localhost', 'DNS:localhost,IP:127.0.0.1', { start: '20200101000000Z', end: '20200201000000Z' });
  const wrongHost = makeLeaf(dir, 'ca', 'wrong-host', 'db.wrong.example', 'DNS:db.wrong.example', { days: 90 });
  return {
    dir,
    caFile: path.join(dir, 'ca.pem'),
    caPem: fs.readFileSync(path.join(dir, 'ca.pem'), 'utf8'),
    otherCaPem: fs.readFileSync(path.join(dir, 'other-ca.pem'), 'utf8'),
    good,
    expired,
    wrongHost,
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
