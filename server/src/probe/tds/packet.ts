/**
 * TDS packet framing (MS-TDS 2.2.3): every TDS message travels as one or more packets with an
 * 8-byte header (type, status, big-endian length, SPID, packet id, window); the last packet of a
 * message carries the EOM status bit. Used by the SQL Server probe and by the stand-in test server.
 *
 * Contract: decoding never throws; a malformed header is reported through `error` and stops the
 * reader (the peer is not speaking TDS).
 */

export const PacketType = {
  SQL_BATCH: 0x01,
  RPC_REQUEST: 0x03,
  TABULAR_RESULT: 0x04,
  ATTENTION: 0x06,
  FEDAUTH_TOKEN: 0x08,
  LOGIN7: 0x10,
  PRELOGIN: 0x12,
} as const;

export const HEADER_LENGTH = 8;
export const STATUS_EOM = 0x01;
/** Default TDS packet size negotiated by tedious and go-mssqldb before LOGIN7. */
export const DEFAULT_PACKET_SIZE = 4096;

export interface TdsPacket {
  readonly type: number;
  readonly status: number;
  readonly payload: Buffer;
}

export interface TdsMessage {
  readonly type: number;
  readonly payload: Buffer;
}

/** Frames `payload` as one message of `type`, split into packets of at most `packetSize` bytes. */
export function encodeMessage(type: number, payload: Buffer, packetSize: number = DEFAULT_PACKET_SIZE): Buffer {
  const room = Math.max(1, packetSize - HEADER_LENGTH);
  const packets: Buffer[] = [];
  let packetId = 1;
  let offset = 0;
  do {
    const chunk = payload.subarray(offset, offset + room);
    offset += chunk.length;
    const header = Buffer.alloc(HEADER_LENGTH);
    header.writeUInt8(type, 0);
    header.writeUInt8(offset >= payload.length ? STATUS_EOM : 0, 1);
    header.writeUInt16BE(HEADER_LENGTH + chunk.length, 2);
    header.writeUInt16BE(0, 4);
    header.writeUInt8(packetId & 0xff, 6);
    header.writeUInt8(0, 7);
    packets.push(header, chunk);
    packetId++;
  } while (offset < payload.length);
  return Buffer.concat(packets);
}

/**
 * Incremental decoder: feed socket bytes with `push`, take whole packets (`takePackets`) or whole
 * messages (`takeMessages`, packets joined up to EOM). Use one of the two per reader.
 */
export class TdsReader {
  private buffered: Buffer = Buffer.alloc(0);
  private packets: TdsPacket[] = [];
  private partial: Buffer[] = [];
  private partialType = -1;
  /** Set when the byte stream is not TDS; the reader then ignores further input. */
  error: string | undefined;

  push(chunk: Buffer): void {
    if (this.error !== undefined) return;
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    while (this.buffered.length >= HEADER_LENGTH) {
      const length = this.buffered.readUInt16BE(2);
      if (length < HEADER_LENGTH) {
        this.error = `invalid TDS packet length ${length}`;
        return;
      }
      if (this.buffered.length < length) return;
      this.packets.push({
        type: this.buffered.readUInt8(0),
        status: this.buffered.readUInt8(1),
        payload: this.buffered.subarray(HEADER_LENGTH, length),
      });
      this.buffered = this.buffered.subarray(length);
    }
  }

  takePackets(): TdsPacket[] {
    const out = this.packets;
    this.packets = [];
    return out;
  }

  takeMessages(): TdsMessage[] {
    const out: TdsMessage[] = [];
    for (const packet of this.takePackets()) {
      if (this.partial.length === 0) this.partialType = packet.type;
      this.partial.push(packet.payload);
      if ((packet.status & STATUS_EOM) !== 0) {
        out.push({ type: this.partialType, payload: Buffer.concat(this.partial) });
        this.partial = [];
      }
    }
    return out;
  }

  /** Bytes received but not yet part of a whole packet (handed over when TLS goes raw). */
  takeRemainder(): Buffer {
    const rest = this.buffered;
    this.buffered = Buffer.alloc(0);
    return rest;
  }
}
