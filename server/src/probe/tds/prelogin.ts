/**
 * TDS PRELOGIN payload (MS-TDS 2.2.6.5): an option table (token, offset, length) terminated by
 * 0xFF, followed by option data. The ENCRYPTION option is where client and server negotiate TLS:
 * the probe sends what the consuming driver would send and reads the server's answer.
 *
 * Contract: `parsePrelogin` never throws; a truncated or malformed payload is an error result.
 */

export type EncryptionFlag = 'ENCRYPT_OFF' | 'ENCRYPT_ON' | 'ENCRYPT_NOT_SUP' | 'ENCRYPT_REQ';

const ENCRYPTION_BYTES: Readonly<Record<EncryptionFlag, number>> = {
  ENCRYPT_OFF: 0x00,
  ENCRYPT_ON: 0x01,
  ENCRYPT_NOT_SUP: 0x02,
  ENCRYPT_REQ: 0x03,
};

const OPTION = {
  VERSION: 0x00,
  ENCRYPTION: 0x01,
  INSTOPT: 0x02,
  THREADID: 0x03,
  MARS: 0x04,
  TRACEID: 0x05,
  FEDAUTHREQUIRED: 0x06,
  TERMINATOR: 0xff,
} as const;

export interface PreloginFields {
  readonly version?: { readonly major: number; readonly minor: number; readonly build: number; readonly subbuild: number };
  readonly encryption?: EncryptionFlag;
  /** Raw ENCRYPTION byte, kept when it is not one of the four known values (e.g. 0x20 CLIENT_CERT). */
  readonly encryptionByte?: number;
  readonly instance?: number;
  readonly threadId?: number;
  readonly mars?: number;
  readonly fedAuthRequired?: boolean;
}

export interface PreloginRequest {
  readonly encryption: EncryptionFlag;
  readonly version?: { readonly major: number; readonly minor: number; readonly build: number; readonly subbuild: number };
  readonly threadId?: number;
  /** Include the FEDAUTHREQUIRED option (tedious always sends it; servers echo it). */
  readonly fedAuthRequired?: boolean;
}

export function encryptionByte(flag: EncryptionFlag): number {
  return ENCRYPTION_BYTES[flag];
}

export function encryptionFlagOf(byte: number): EncryptionFlag | undefined {
  for (const [flag, value] of Object.entries(ENCRYPTION_BYTES)) {
    if (value === byte) return flag as EncryptionFlag;
  }
  return undefined;
}

/** Builds a PRELOGIN payload (client request or server answer; the format is the same). */
export function buildPrelogin(request: PreloginRequest): Buffer {
  const version = request.version ?? { major: 0, minor: 0, build: 0, subbuild: 0 };
  const versionData = Buffer.alloc(6);
  versionData.writeUInt8(version.major, 0);
  versionData.writeUInt8(version.minor, 1);
  versionData.writeUInt16BE(version.build, 2);
  versionData.writeUInt16BE(version.subbuild, 4);
  const threadData = Buffer.alloc(4);
  threadData.writeUInt32BE(request.threadId ?? 0, 0);
  const options: Array<{ token: number; data: Buffer }> = [
    { token: OPTION.VERSION, data: versionData },
    { token: OPTION.ENCRYPTION, data: Buffer.from([ENCRYPTION_BYTES[request.encryption]]) },
    { token: OPTION.INSTOPT, data: Buffer.from([0x00]) },
    { token: OPTION.THREADID, data: threadData },
    { token: OPTION.MARS, data: Buffer.from([0x00]) },
  ];
  if (request.fedAuthRequired) options.push({ token: OPTION.FEDAUTHREQUIRED, data: Buffer.from([0x01]) });
  const tableLength = options.length * 5 + 1;
  const parts: Buffer[] = [];
  const table = Buffer.alloc(tableLength);
  let dataOffset = tableLength;
  options.forEach((option, i) => {
    table.writeUInt8(option.token, i * 5);
    table.writeUInt16BE(dataOffset, i * 5 + 1);
    table.writeUInt16BE(option.data.length, i * 5 + 3);
    dataOffset += option.data.length;
    parts.push(option.data);
  });
  table.writeUInt8(OPTION.TERMINATOR, tableLength - 1);
  return Buffer.concat([table, ...parts]);
}

export type PreloginParse = { readonly ok: true; readonly fields: PreloginFields } | { readonly ok: false; readonly error: string };

export function parsePrelogin(payload: Buffer): PreloginParse {
  const fields: { -readonly [K in keyof PreloginFields]: PreloginFields[K] } = {};
  let offset = 0;
  for (;;) {
    if (offset >= payload.length) return { ok: false, error: 'PRELOGIN option table has no terminator' };
    const token = payload.readUInt8(offset);
    if (token === OPTION.TERMINATOR) break;
    if (offset + 5 > payload.length) return { ok: false, error: 'PRELOGIN option table is truncated' };
    const at = payload.readUInt16BE(offset + 1);
    const length = payload.readUInt16BE(offset + 3);
    if (at + length > payload.length) return { ok: false, error: `PRELOGIN option 0x${token.toString(16)} points past the payload` };
    const data = payload.subarray(at, at + length);
    switch (token) {
      case OPTION.VERSION:
        if (length >= 6) {
          fields.version = { major: data.readUInt8(0), minor: data.readUInt8(1), build: data.readUInt16BE(2), subbuild: data.readUInt16BE(4) };
        }
        break;
      case OPTION.ENCRYPTION:
        if (length >= 1) {
          fields.encryptionByte = data.readUInt8(0);
          fields.encryption = encryptionFlagOf(data.readUInt8(0));
        }
        break;
      case OPTION.INSTOPT:
        if (length >= 1) fields.instance = data.readUInt8(0);
        break;
      case OPTION.THREADID:
        if (length >= 4) fields.threadId = data.readUInt32BE(0);
        break;
      case OPTION.MARS:
        if (length >= 1) fields.mars = data.readUInt8(0);
        break;
      case OPTION.FEDAUTHREQUIRED:
        if (length >= 1) fields.fedAuthRequired = data.readUInt8(0) === 0x01;
        break;
      default:
        break; // TRACEID and future options are not needed
    }
    offset += 5;
  }
  return { ok: true, fields };
}
