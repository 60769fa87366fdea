/**
 * Per-run throwaway PKI for the SQL Server stand-in (test/support/tds-server.ts), made with the
 * `openssl` CLI in a temporary directory: a test CA, an unrelated CA (for "unknown CA"), a valid
 * leaf for localhost, a leaf for another name (hostname mismatch) and an expired leaf (signed with
 * `openssl ca -startdate/-enddate`, since OpenSSL 3.0's `x509` cannot back-date).
 * ECDSA P-256 keys keep generation fast. Call `dispose()` to delete the directory.
 */

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface TlsIdentity {
  readonly keyPem: string;
  /** Leaf followed by the issuing CA, as a server presents its chain. */
  readonly certPem: string;
}

export interface TdsPki {
  readonly caPem: string;
  readonly otherCaPem: string;
  readonly caSubject: string;
  readonly valid: TlsIdentity;
  readonly wrongHost: TlsIdentity;
  readonly expired: TlsIdentity;
  dispose(): void;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

function makeCa(dir: string, name: string, cn: string): void {
  openssl(dir, [
    'req', '-x509', ...EC, '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '3650', '-subj', `/O=ConnGuard tests/CN=${cn}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
}

function leafExt(dir: string, name: string, sans: string): string {
  const file = `${name}.ext`;
  fs.writeFileSync(path.join(dir, file), `basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=${sans}\n`);
  return file;
}

function makeLeaf(dir: string, name: string, cn: string, sans: string): void {
  openssl(dir, ['req', '-new', ...EC, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`]);
  openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '365', '-sha256', '-extfile', leafExt(dir, name, sans)]);
}

function makeExpiredLeaf(dir: string, name: string, cn: string, sans: string): void {
  openssl(dir, ['req', '-new', ...EC, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`]);
  fs.mkdirSync(path.join(dir, 'newcerts'));
  fs.writeFileSync(path.join(dir, 'index.txt'), '');
  fs.writeFileSync(path.join(dir, 'serial'), '1000\n');
  fs.writeFileSync(
    path.join(dir, 'ca.cnf'),
    [
      '[ ca ]', 'default_ca = test_ca', '[ test_ca ]', `dir = ${dir}`, 'database = $dir/index.txt', 'new_certs_dir = $dir/newcerts',
      'serial = $dir/serial', 'default_md = sha256', 'policy = any_name', 'unique_subject = no', '[ any_name ]', 'commonName = supplied', '',
    ].join('\n'),
  );
  openssl(dir, [
    'ca', '-batch', '-notext', '-config', 'ca.cnf', '-cert', 'ca.pem', '-keyfile', 'ca.key', '-in', `${name}.csr`, '-out', `${name}.pem`,
    '-startdate', '20200101000000Z', '-enddate', '20200201000000Z', '-extfile', leafExt(dir, name, sans),
  ]);
}

export function createTdsPki(): TdsPki {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'connguard-tds-pki-'));
  const read = (f: string): string => fs.readFileSync(path.join(dir, f), 'utf8');
  makeCa(dir, 'ca', 'ConnGuard Test CA');
  makeCa(dir, 'other-ca', 'Unrelated Test CA');
  makeLeaf(dir, 'valid', 'localhost', 'DNS:localhost,IP:127.0.0.1');
  makeLeaf(dir, 'wrong-host', 'sql.wrong-name.test', 'DNS:sql.wrong-name.test');
  makeExpiredLeaf(dir, 'expired', 'localhost', 'DNS:localhost,IP:127.0.0.1');
  const caPem = read('ca.pem');
  const identity = (name: string): TlsIdentity => ({ keyPem: read(`${name}.key`), certPem: read(`${name}.pem`).trim() + '\n' + caPem });
  return {
    caPem,
    otherCaPem: read('other-ca.pem'),
    caSubject: 'ConnGuard Test CA',
    valid: identity('valid'),
    wrongHost: identity('wrong-host'),
    expired: identity('expired'),
    dispose: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
