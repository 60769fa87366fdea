/**
 * TLS inside TDS (MS-TDS 2.2.6.5 / 3.2.5.2): after PRELOGIN, a non-strict SQL Server connection
 * runs the TLS handshake with the handshake records carried as the payload of TDS PRELOGIN
 * (0x12) packets; once the handshake is complete, TLS records travel raw on the socket and the
 * TDS packets live *inside* TLS. `TdsTlsTransport` is the duplex a `tls.TLSSocket` runs over to
 * get that behaviour, for either side:
 *
 * - client (the probe; tedious does the same in `message-io.ts`): outgoing handshake bytes are
 *   gathered per event-loop turn and sent as one PRELOGIN message per flight; incoming PRELOGIN
 *   packets are unwrapped. `switchToRaw()` after `secureConnect`.
 * - server (the stand-in): tedious sends exactly one PRELOGIN message per client flight and waits
 *   for exactly one response message, so the server must frame each of *its* flights as one
 *   message. The end of a TLS 1.2 server flight is found from the record stream: a ServerHelloDone
 *   handshake message, a handshake record after ChangeCipherSpec (Finished), or an alert. The
 *   transport goes raw by itself after the Finished flight. TLS 1.3 is not supported here (SQL
 *   Server only offers it with TDS 8.0 strict encryption, where TLS comes first).
 */

import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import { PacketType, TdsReader, encodeMessage, DEFAULT_PACKET_SIZE } from './packet';

export type TransportRole = 'client' | 'server';

const RECORD_CHANGE_CIPHER_SPEC = 20;
const RECORD_ALERT = 21;
const RECORD_HANDSHAKE = 22;
const HANDSHAKE_SERVER_HELLO_DONE = 14;

export class TdsTlsTransport extends Duplex {
  private raw = false;
  private readonly reader = new TdsReader();
  private pendingClientBytes: Buffer[] = [];
  private flushScheduled = false;
  private readonly flight = new ServerFlightAssembler();
  private readonly onSocketData = (chunk: Buffer): void => this.receive(chunk);
  private readonly onSocketEnd = (): void => {
    this.push(null);
  };
  private readonly onSocketError = (err: Error): void => {
    this.destroy(err);
  };

  constructor(
    private readonly socket: Socket,
    private readonly role: TransportRole,
    private readonly packetSize: number = DEFAULT_PACKET_SIZE,
  ) {
    super();
    socket.on('data', this.onSocketData);
    socket.on('end', this.onSocketEnd);
    socket.on('error', this.onSocketError);
  }

  /** True once TLS records travel without TDS framing. */
  get isRaw(): boolean {
    return this.raw;
  }

  /** After the handshake: TLS records go straight to and from the socket. */
  switchToRaw(): void {
    if (this.raw) return;
    this.flushClientBytes();
    this.raw = true;
    const rest = this.reader.takeRemainder();
    if (rest.length > 0) this.push(rest);
  }

  /** Stops using the socket without closing it (the caller owns it). */
  detach(): void {
    this.socket.off('data', this.onSocketData);
    this.socket.off('end', this.onSocketEnd);
    this.socket.off('error', this.onSocketError);
  }

  override _read(): void {
    // Data is pushed as it arrives from the socket; handshake volumes need no backpressure.
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.raw) {
      this.socket.write(chunk, callback);
      return;
    }
    if (this.role === 'client') {
      this.pendingClientBytes.push(chunk);
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flushClientBytes());
      }
      callback();
      return;
    }
    for (const flight of this.flight.add(chunk)) {
      this.socket.write(encodeMessage(PacketType.PRELOGIN, flight.bytes, this.packetSize));
      if (flight.final) this.switchToRaw();
    }
    callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.flushClientBytes();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.detach();
    callback(error);
  }

  private flushClientBytes(): void {
    this.flushScheduled = false;
    if (this.pendingClientBytes.length === 0 || this.socket.destroyed) return;
    const bytes = Buffer.concat(this.pendingClientBytes);
    this.pendingClientBytes = [];
    if (this.raw) this.socket.write(bytes);
    else this.socket.write(encodeMessage(PacketType.PRELOGIN, bytes, this.packetSize));
  }

  private receive(chunk: Buffer): void {
    if (this.raw) {
      this.push(chunk);
      return;
    }
    this.reader.push(chunk);
    if (this.reader.error !== undefined) {
      this.destroy(new Error(`peer sent a malformed TDS packet during the TLS handshake (${this.reader.error})`));
      return;
    }
    for (const packet of this.reader.takePackets()) {
      if (packet.type !== PacketType.PRELOGIN && packet.type !== PacketType.TABULAR_RESULT) {
        this.destroy(new Error(`peer sent TDS packet type 0x${packet.type.toString(16)} during the TLS handshake`));
        return;
      }
      this.push(packet.payload);
    }
  }
}

/** Splits the server's outgoing TLS byte stream into flights (see the header comment). */
class ServerFlightAssembler {
  private buffered: Buffer = Buffer.alloc(0);
  private flightRecords: Buffer[] = [];
  private handshakeBytes: Buffer = Buffer.alloc(0);
  private afterChangeCipherSpec = false;

  add(chunk: Buffer): Array<{ bytes: Buffer; final: boolean }> {
    const flights: Array<{ bytes: Buffer; final: boolean }> = [];
    this.buffered = Buffer.concat([this.buffered, chunk]);
    while (this.buffered.length >= 5) {
      const length = this.buffered.readUInt16BE(3);
      if (this.buffered.length < 5 + length) break;
      const record = this.buffered.subarray(0, 5 + length);
      this.buffered = this.buffered.subarray(5 + length);
      this.flightRecords.push(record);
      const type = record.readUInt8(0);
      let ends = false;
      let final = false;
      if (type === RECORD_ALERT) {
        ends = true;
      } else if (type === RECORD_CHANGE_CIPHER_SPEC) {
        this.afterChangeCipherSpec = true;
      } else if (type === RECORD_HANDSHAKE && this.afterChangeCipherSpec) {
        ends = true; // encrypted Finished
        final = true;
      } else if (type === RECORD_HANDSHAKE) {
        ends = this.scanHandshake(record.subarray(5));
      }
      if (ends) {
        flights.push({ bytes: Buffer.concat(this.flightRecords), final });
        this.flightRecords = [];
      }
    }
    return flights;
  }

  /** Walks plaintext handshake messages; true when a ServerHelloDone completes the flight. */
  private scanHandshake(fragment: Buffer): boolean {
    this.handshakeBytes = Buffer.concat([this.handshakeBytes, fragment]);
    let done = false;
    while (this.handshakeBytes.length >= 4) {
      const length = this.handshakeBytes.readUIntBE(1, 3);
      if (this.handshakeBytes.length < 4 + length) break;
      if (this.handshakeBytes.readUInt8(0) === HANDSHAKE_SERVER_HELLO_DONE) done = true;
      this.handshakeBytes = this.handshakeBytes.subarray(4 + length);
    }
    return done;
  }
}
