/**
 * A stand-in SQL Server for the integration tests (SQL Server cannot run here): a small TDS 7.4
 * server on 127.0.0.1 that the real `mssql`/tedious driver connects to, logs in to and queries.
 *
 * What it implements, checked against tedious's source (lib/connection.js, message-io.js,
 * login7-payload.js, token parsers):
 * - PRELOGIN with a configurable server encryption setting (see `answerFor`), FEDAUTHREQUIRED echo;
 * - TLS inside TDS PRELOGIN packets during the handshake, raw TLS records afterwards (TLS ≤ 1.2,
 *   one response message per client flight, as tedious expects);
 * - LOGIN7 parsing: user name, password (nibble swap + XOR 0xA5 de-obfuscation), database,
 *   FEDAUTH feature extension with a SECURITYTOKEN (checked against a configured token);
 * - LOGINACK, ENVCHANGE (database, packet size, collation), FEATUREEXTACK (FEDAUTH), DONE; a
 *   failed login answers ERROR 18456 "Login failed for user …" (and 4060 for an unknown
 *   database) and closes the connection;
 * - SQL batches and sp_executesql RPCs for `SELECT 1`, `SELECT @@VERSION` and the
 *   `sys.dm_exec_connections` query (encrypt_option TRUE/FALSE by whether the session is
 *   encrypted; auth_scheme 'SQL'); tedious's initial `set …` batch; ATTENTION.
 * It does not implement login-only encryption (ENCRYPT_OFF both ways), TDS 8.0 strict mode, the
 * ADAL/FEDAUTHINFO token workflow, NTLM, MARS, routing, other data types or real SQL.
 */

import * as net from 'node:net';
import * as tls from 'node:tls';
import { PacketType, TdsReader, encodeMessage } from '../../server/src/probe/tds/packet';
import { EncryptionFlag, buildPrelogin, parsePrelogin } from '../../server/src/probe/tds/prelogin';
import { TdsTlsTransport } from '../../server/src/probe/tds/tls-in-tds';

export interface TdsServerOptions {
  /**
   * The server's encryption setting, i.e. what it answers in PRELOGIN:
   * - ENCRYPT_OFF: a certificate is installed, Force Encryption is off: echo the client
   *   (ON → ON, NOT_SUP → NOT_SUP, OFF → OFF), as SQL Server does;
   * - ENCRYPT_ON: always answer ON; ENCRYPT_REQ: always answer REQ (Force Encryption);
   * - ENCRYPT_NOT_SUP: no certificate, always answer NOT_SUP.
   */
  readonly encryption: EncryptionFlag;
  /** Key and certificate chain (PEM) for TLS; required unless encryption is ENCRYPT_NOT_SUP. */
  readonly identity?: { readonly keyPem: string; readonly certPem: string };
  /** SQL logins: user name → password. */
  readonly logins?: Readonly<Record<string, string>>;
  /** The Entra access token accepted in the FEDAUTH feature extension. */
  readonly accessToken?: string;
  /** Databases that exist (default: any name is accepted). */
  readonly databases?: readonly string[];
  /** Accept TCP connections and never answer anything. */
  readonly silent?: boolean;
}

export interface ObservedLogin {
  readonly method: 'sql' | 'fedauth';
  readonly user?: string;
  readonly database: string;
  readonly encrypted: boolean;
  readonly accepted: boolean;
}

export interface TdsTestServer {
  readonly host: string;
  readonly port: number;
  /** ENCRYPTION flags sent by clients in PRELOGIN, in order. */
  readonly preloginRequests: EncryptionFlag[];
  readonly logins: ObservedLogin[];
  close(): Promise<void>;
}

export const STAND_IN_VERSION = 'Microsoft SQL Server 2022 (RTM) - 16.0.1000.6 (X64) — ConnGuard TDS stand-in';

const TOKEN = {
  COLMETADATA: 0x81,
  ERROR: 0xaa,
  LOGINACK: 0xad,
  FEATUREEXTACK: 0xae,
  ROW: 0xd1,
  ENVCHANGE: 0xe3,
  DONE: 0xfd,
  DONEPROC: 0xfe,
  DONEINPROC: 0xff,
  RETURNSTATUS: 0x79,
} as const;
const DONE_ERROR = 0x02;
const DONE_COUNT = 0x10;
const DONE_ATTN = 0x20;
const TDS_7_4 = 0x74000004;
/** SQL_Latin1_General_CP1_CI_AS. */
const COLLATION = Buffer.from([0x09, 0x04, 0xd0, 0x00, 0x34]);

export async function startTdsServer(options: TdsServerOptions): Promise<TdsTestServer> {
  const sockets = new Set<net.Socket>();
  const preloginRequests: EncryptionFlag[] = [];
  const logins: ObservedLogin[] = [];
  const secureContext = options.identity
    ? tls.createSecureContext({ key: options.identity.keyPem, cert: options.identity.certPem, maxVersion: 'TLSv1.2', minVersion: 'TLSv1.2' })
    : undefined;
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    if (options.silent) return;
    new Session(socket, options, secureContext, preloginRequests, logins);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    host: '127.0.0.1',
    port,
    preloginRequests,
    logins,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** What the server answers to the client's ENCRYPTION request (see TdsServerOptions.encryption). */
export function answerFor(setting: EncryptionFlag, request: EncryptionFlag): EncryptionFlag {
  if (setting === 'ENCRYPT_OFF') return request === 'ENCRYPT_REQ' ? 'ENCRYPT_ON' : request;
  return setting;
}

class Session {
  private reader = new TdsReader();
  private out: { write(b: Buffer): unknown };
  private encrypted = false;
  private state: 'prelogin' | 'handshake' | 'login' | 'ready' | 'closed' = 'prelogin';
  private packetSize = 4096;
  private readonly onPlain = (chunk: Buffer): void => this.feed(chunk);

  constructor(
    private readonly socket: net.Socket,
    private readonly options: TdsServerOptions,
    private readonly secureContext: tls.SecureContext | undefined,
    private readonly preloginRequests: EncryptionFlag[],
    private readonly logins: ObservedLogin[],
  ) {
    this.out = socket;
    socket.on('data', this.onPlain);
  }

  private feed(chunk: Buffer): void {
    this.reader.push(chunk);
    if (this.reader.error !== undefined) return this.close();
    for (const message of this.reader.takeMessages()) {
      try {
        this.handle(message.type, message.payload);
      } catch {
        this.close();
      }
      if (this.state === 'closed' || this.state === 'handshake') return;
    }
  }

  private close(): void {
    this.state = 'closed';
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 50).unref();
  }

  private send(type: number, payload: Buffer): void {
    this.out.write(encodeMessage(type, payload, this.packetSize));
  }

  private handle(type: number, payload: Buffer): void {
    switch (this.state) {
      case 'prelogin':
        if (type !== PacketType.PRELOGIN) return this.close();
        return this.prelogin(payload);
      case 'login':
        if (type !== PacketType.LOGIN7) return this.close();
        return this.login7(payload);
      case 'ready':
        if (type === PacketType.SQL_BATCH) return this.sqlBatch(payload);
        if (type === PacketType.RPC_REQUEST) return this.rpc(payload);
        if (type === PacketType.ATTENTION) return this.send(PacketType.TABULAR_RESULT, done(TOKEN.DONE, DONE_ATTN, 0, 0));
        return this.close();
      default:
        return;
    }
  }

  private prelogin(payload: Buffer): void {
    const parsed = parsePrelogin(payload);
    if (!parsed.ok || parsed.fields.encryption === undefined) return this.close();
    const request = parsed.fields.encryption;
    this.preloginRequests.push(request);
    const setting = this.secureContext ? this.options.encryption : 'ENCRYPT_NOT_SUP';
    const answer = answerFor(setting, request);
    this.send(
      PacketType.TABULAR_RESULT,
      buildPrelogin({ encryption: answer, version: { major: 16, minor: 0, build: 1000, subbuild: 6 }, fedAuthRequired: parsed.fields.fedAuthRequired === true }),
    );
    const serverEncrypts = answer === 'ENCRYPT_ON' || answer === 'ENCRYPT_REQ';
    if (serverEncrypts && request === 'ENCRYPT_NOT_SUP') return this.close(); // the server will not talk plaintext
    if (answer === 'ENCRYPT_OFF') return this.close(); // login-only encryption: not implemented by the stand-in
    if (serverEncrypts) return this.startTls();
    this.state = 'login';
  }

  private startTls(): void {
    this.state = 'handshake';
    this.socket.off('data', this.onPlain);
    // The client sends nothing before it has read the PRELOGIN answer, so nothing is read ahead.
    const transport = new TdsTlsTransport(this.socket, 'server');
    const secure = new tls.TLSSocket(transport as unknown as net.Socket, { isServer: true, secureContext: this.secureContext });
    secure.on('secure', () => {
      this.encrypted = true;
      this.reader = new TdsReader();
      this.out = secure;
      this.state = 'login';
    });
    secure.on('data', (chunk: Buffer) => this.feed(chunk));
    secure.on('error', () => this.socket.destroy());
    secure.on('end', () => this.socket.end());
  }

  private login7(payload: Buffer): void {
    const login = parseLogin7(payload);
    this.packetSize = Math.min(Math.max(login.packetSize || 4096, 512), 32767);
    const database = login.database || 'master';
    const known = this.options.databases === undefined || this.options.databases.includes(database);
    let accepted: boolean;
    let principal: string;
    if (login.fedAuthToken !== undefined) {
      accepted = this.options.accessToken !== undefined && login.fedAuthToken === this.options.accessToken;
      principal = '<token-identified principal>';
    } else {
      const expected = login.user !== undefined ? this.options.logins?.[login.user] : undefined;
      accepted = expected !== undefined && login.password === expected;
      principal = login.user ?? '';
    }
    this.logins.push({ method: login.fedAuthToken !== undefined ? 'fedauth' : 'sql', user: login.user, database, encrypted: this.encrypted, accepted: accepted && known });
    if (!accepted || !known) {
      const parts: Buffer[] = [];
      if (accepted && !known) parts.push(errorToken(4060, 1, 11, `Cannot open database "${database}" requested by the login. The login failed.`));
      parts.push(errorToken(18456, 1, 14, `Login failed for user '${principal}'.`));
      parts.push(done(TOKEN.DONE, DONE_ERROR, 0, 0));
      this.send(PacketType.TABULAR_RESULT, Buffer.concat(parts));
      return this.close();
    }
    const parts = [
      loginAck(),
      envChange(1, bVarChar(database), bVarChar('master')),
      envChange(7, bVarByte(COLLATION), bVarByte(Buffer.alloc(0))),
      envChange(4, bVarChar(String(this.packetSize)), bVarChar('4096')),
    ];
    if (login.fedAuthToken !== undefined) parts.push(featureExtAckFedAuth());
    parts.push(done(TOKEN.DONE, 0, 0, 0));
    this.send(PacketType.TABULAR_RESULT, Buffer.concat(parts));
    this.state = 'ready';
  }

  private sqlBatch(payload: Buffer): void {
    const text = payload.subarray(allHeadersLength(payload)).toString('ucs2');
    this.send(PacketType.TABULAR_RESULT, this.answerQuery(text, false));
  }

  private rpc(payload: Buffer): void {
    const text = sqlOfExecuteSql(payload.subarray(allHeadersLength(payload)));
    if (text === undefined) {
      this.send(PacketType.TABULAR_RESULT, Buffer.concat([errorToken(2812, 62, 16, 'The stand-in server only runs sp_executesql.'), done(TOKEN.DONE, DONE_ERROR, 0, 0)]));
      return;
    }
    this.send(PacketType.TABULAR_RESULT, this.answerQuery(text, true));
  }

  /** Result tokens for the few statements the stand-in knows. */
  private answerQuery(sql: string, inProc: boolean): Buffer {
    const q = sql.trim().replace(/;\s*$/, '').replace(/\s+/g, ' ').toLowerCase();
    const rows = (metadata: Buffer, row: Buffer): Buffer =>
      inProc
        ? Buffer.concat([metadata, row, done(TOKEN.DONEINPROC, DONE_COUNT, 0xc1, 1), returnStatus(0), done(TOKEN.DONEPROC, 0, 0xe0, 0)])
        : Buffer.concat([metadata, row, done(TOKEN.DONE, DONE_COUNT, 0xc1, 1)]);
    const selectOne = /^select 1(?: as (\w+))?$/.exec(q);
    if (selectOne) return rows(colMetadata([{ name: selectOne[1] ?? '', type: 'int' }]), row([{ type: 'int', value: 1 }]));
    const version = /^select @@version(?: as (\w+))?$/.exec(q);
    if (version) return rows(colMetadata([{ name: version[1] ?? '', type: 'nvarchar' }]), row([{ type: 'nvarchar', value: STAND_IN_VERSION }]));
    if (q === 'select encrypt_option, auth_scheme from sys.dm_exec_connections where session_id = @@spid') {
      return rows(
        colMetadata([{ name: 'encrypt_option', type: 'nvarchar' }, { name: 'auth_scheme', type: 'nvarchar' }]),
        row([{ type: 'nvarchar', value: this.encrypted ? 'TRUE' : 'FALSE' }, { type: 'nvarchar', value: 'SQL' }]),
      );
    }
    if (q.startsWith('set ')) return inProc ? Buffer.concat([returnStatus(0), done(TOKEN.DONEPROC, 0, 0xe0, 0)]) : done(TOKEN.DONE, 0, 0, 0);
    const error = errorToken(208, 1, 16, 'The ConnGuard TDS stand-in does not run this statement.');
    return Buffer.concat([error, done(inProc ? TOKEN.DONEPROC : TOKEN.DONE, DONE_ERROR, 0, 0)]);
  }
}

/* ------------------------------------------------------------------ LOGIN7 */

interface Login7 {
  readonly packetSize: number;
  readonly user?: string;
  readonly password?: string;
  readonly database?: string;
  readonly fedAuthToken?: string;
}

/** TDS password obfuscation reversed: XOR 0xA5, then swap the nibbles of every byte. */
export function decodeLoginPassword(bytes: Buffer): string {
  const out = Buffer.alloc(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] ^ 0xa5;
    out[i] = ((b & 0x0f) << 4) | (b >> 4);
  }
  return out.toString('ucs2');
}

function parseLogin7(p: Buffer): Login7 {
  const field = (at: number): Buffer => {
    const offset = p.readUInt16LE(at);
    const chars = p.readUInt16LE(at + 2);
    return p.subarray(offset, offset + chars * 2);
  };
  const user = field(40).toString('ucs2');
  const passwordBytes = field(44);
  const database = field(68).toString('ucs2');
  let fedAuthToken: string | undefined;
  const flags3 = p.readUInt8(27);
  if ((flags3 & 0x10) !== 0 && p.readUInt16LE(58) === 4) {
    let at = p.readUInt32LE(p.readUInt16LE(56));
    while (at < p.length && p[at] !== 0xff) {
      const id = p.readUInt8(at);
      const length = p.readUInt32LE(at + 1);
      const data = p.subarray(at + 5, at + 5 + length);
      if (id === 0x02 && data.length >= 5 && data[0] >> 1 === 0x01) {
        const tokenLength = data.readUInt32LE(1);
        fedAuthToken = data.subarray(5, 5 + tokenLength).toString('ucs2');
      }
      at += 5 + length;
    }
  }
  return {
    packetSize: p.readUInt32LE(8),
    user: user.length > 0 ? user : undefined,
    password: passwordBytes.length > 0 ? decodeLoginPassword(passwordBytes) : undefined,
    database: database.length > 0 ? database : undefined,
    fedAuthToken,
  };
}

/* ------------------------------------------------------------------ requests */

function allHeadersLength(p: Buffer): number {
  if (p.length < 4) return 0;
  const total = p.readUInt32LE(0);
  return total <= p.length ? total : 0;
}

/** The statement of an sp_executesql RPC (ProcID 10): its first parameter, NVARCHAR or NVARCHAR(MAX). */
function sqlOfExecuteSql(p: Buffer): string | undefined {
  let at = 0;
  const nameLength = p.readUInt16LE(at);
  at += 2;
  if (nameLength === 0xffff) {
    if (p.readUInt16LE(at) !== 10) return undefined;
    at += 2;
  } else {
    const name = p.subarray(at, at + nameLength * 2).toString('ucs2').toLowerCase();
    at += nameLength * 2;
    if (name !== 'sp_executesql') return undefined;
  }
  at += 2; // option flags
  const paramNameLength = p.readUInt8(at);
  at += 1 + paramNameLength * 2 + 1; // name, status flags
  if (p.readUInt8(at) !== 0xe7) return undefined;
  const maxLength = p.readUInt16LE(at + 1);
  at += 1 + 2 + 5;
  if (maxLength !== 0xffff) {
    const length = p.readUInt16LE(at);
    return p.subarray(at + 2, at + 2 + length).toString('ucs2');
  }
  at += 8; // PLP total length
  const chunks: Buffer[] = [];
  for (;;) {
    const length = p.readUInt32LE(at);
    at += 4;
    if (length === 0) break;
    chunks.push(p.subarray(at, at + length));
    at += length;
  }
  return Buffer.concat(chunks).toString('ucs2');
}

/* ------------------------------------------------------------------ tokens */

function bVarChar(s: string): Buffer {
  return Buffer.concat([Buffer.from([s.length]), Buffer.from(s, 'ucs2')]);
}

function bVarByte(b: Buffer): Buffer {
  return Buffer.concat([Buffer.from([b.length]), b]);
}

function usVarChar(s: string): Buffer {
  const head = Buffer.alloc(2);
  head.writeUInt16LE(s.length, 0);
  return Buffer.concat([head, Buffer.from(s, 'ucs2')]);
}

function withLength16(token: number, body: Buffer): Buffer {
  const head = Buffer.alloc(3);
  head.writeUInt8(token, 0);
  head.writeUInt16LE(body.length, 1);
  return Buffer.concat([head, body]);
}

function loginAck(): Buffer {
  const fixed = Buffer.alloc(5);
  fixed.writeUInt8(1, 0); // SQL_TSQL
  fixed.writeUInt32BE(TDS_7_4, 1);
  return withLength16(TOKEN.LOGINACK, Buffer.concat([fixed, bVarChar('Microsoft SQL Server'), Buffer.from([16, 0, 0x03, 0xe8])]));
}

function envChange(type: number, newValue: Buffer, oldValue: Buffer): Buffer {
  return withLength16(TOKEN.ENVCHANGE, Buffer.concat([Buffer.from([type]), newValue, oldValue]));
}

function featureExtAckFedAuth(): Buffer {
  const b = Buffer.alloc(1 + 1 + 4 + 1);
  b.writeUInt8(TOKEN.FEATUREEXTACK, 0);
  b.writeUInt8(0x02, 1); // FEDAUTH, no data for SECURITYTOKEN
  b.writeUInt32LE(0, 2);
  b.writeUInt8(0xff, 6);
  return b;
}

function errorToken(number: number, state: number, severity: number, message: string): Buffer {
  const fixed = Buffer.alloc(6);
  fixed.writeInt32LE(number, 0);
  fixed.writeUInt8(state, 4);
  fixed.writeUInt8(severity, 5);
  const line = Buffer.alloc(4);
  line.writeInt32LE(1, 0);
  return withLength16(TOKEN.ERROR, Buffer.concat([fixed, usVarChar(message), bVarChar('connguard-standin'), bVarChar(''), line]));
}

function done(token: number, status: number, curCmd: number, rowCount: number): Buffer {
  const b = Buffer.alloc(13);
  b.writeUInt8(token, 0);
  b.writeUInt16LE(status, 1);
  b.writeUInt16LE(curCmd, 3);
  b.writeBigUInt64LE(BigInt(rowCount), 5);
  return b;
}

function returnStatus(value: number): Buffer {
  const b = Buffer.alloc(5);
  b.writeUInt8(TOKEN.RETURNSTATUS, 0);
  b.writeInt32LE(value, 1);
  return b;
}

type ColumnType = 'int' | 'nvarchar';

function colMetadata(columns: ReadonlyArray<{ name: string; type: ColumnType }>): Buffer {
  const parts: Buffer[] = [Buffer.from([TOKEN.COLMETADATA, columns.length & 0xff, columns.length >> 8])];
  for (const c of columns) {
    const head = Buffer.alloc(6); // UserType u32, Flags u16 (nullable)
    head.writeUInt16LE(0x0001, 4);
    parts.push(head);
    if (c.type === 'int') parts.push(Buffer.from([0x26, 4]));
    else parts.push(Buffer.from([0xe7, 0x40, 0x1f]), COLLATION); // NVARCHAR(4000): 8000 bytes
    parts.push(bVarChar(c.name));
  }
  return Buffer.concat(parts);
}

function row(values: ReadonlyArray<{ type: 'int'; value: number } | { type: 'nvarchar'; value: string }>): Buffer {
  const parts: Buffer[] = [Buffer.from([TOKEN.ROW])];
  for (const v of values) {
    if (v.type === 'int') {
      const b = Buffer.alloc(5);
      b.writeUInt8(4, 0);
      b.writeInt32LE(v.value, 1);
      parts.push(b);
    } else {
      const text = Buffer.from(v.value, 'ucs2');
      const head = Buffer.alloc(2);
      head.writeUInt16LE(text.length, 0);
      parts.push(head, text);
    }
  }
  return Buffer.concat(parts);
}
