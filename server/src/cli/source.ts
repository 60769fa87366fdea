/**
 * Reading one file for analysis, with the bad-input guards of SPEC §5: the size is checked
 * before the content is read (a 50 MB file is never loaded), binary content (a NUL byte in the
 * first 8 KB) is skipped, and invalid UTF-8 is decoded with U+FFFD replacements (the file is
 * then analysed but never rewritten by --fix, since writing it back would corrupt it).
 *
 * A UTF-8 byte order mark is removed before analysis, as editors do, so that positions match the
 * editor's; --fix writes it back.
 */
import { isUtf8 } from 'node:buffer';
import * as fs from 'node:fs';
import { FileNote } from '../engine/model';

export const BINARY_SNIFF_BYTES = 8192;

export type SourceText =
  | { readonly kind: 'text'; readonly text: string; readonly bom: boolean; readonly lossy: boolean }
  | { readonly kind: 'skipped'; readonly note: FileNote };

/** A file's bytes that passed the size and binary guards, not yet decoded. */
export type SourceBytes = { readonly kind: 'bytes'; readonly bytes: Buffer } | { readonly kind: 'skipped'; readonly note: FileNote };

/**
 * Synchronous on purpose: files are small and analysis is synchronous CPU work, so the
 * thread-pool round trips of fs.promises (open, fstat, read, close) cost more than they overlap.
 */
export function readSource(abs: string, maxFileBytes: number): SourceText {
  const r = readSourceBytes(abs, maxFileBytes);
  return r.kind === 'bytes' ? decodeSource(r.bytes) : r;
}

/** A read buffer reused from file to file (see readSourceBytes). */
export interface ReadScratch {
  buf: Buffer;
}

/**
 * The guards of readSource without the decoding, for callers that can decide from the bytes
 * that a file needs no analysis (cli/prefilter.ts) and so skip decoding it.
 *
 * With `scratch`, the file is read into that buffer (grown when too small) and the bytes
 * returned are a view of it, valid only until the next read with the same scratch: a scan reads
 * tens of megabytes of which it keeps almost nothing, and one buffer per file made that many
 * megabytes of garbage.
 */
export function readSourceBytes(abs: string, maxFileBytes: number, scratch?: ReadScratch): SourceBytes {
  let buf: Buffer;
  let fd: number | undefined;
  try {
    fd = fs.openSync(abs, 'r');
    // Read at most one byte past the limit, so a file that grew after fstat is still bounded.
    const cap = maxFileBytes + 1;
    if (scratch) {
      // No fstat for a file that fits the scratch buffer (almost all of them): a scan opens every
      // file, and the stat was a tenth of the reader's system calls. A file that fills the buffer
      // is stat'ed then, so an oversized one is skipped without being read further.
      let n = 0;
      for (;;) {
        if (n === scratch.buf.length) {
          const { size } = fs.fstatSync(fd);
          if (size > maxFileBytes) {
            return { kind: 'skipped', note: { kind: 'skipped', message: `skipped: ${size} bytes is above the ${maxFileBytes}-byte limit (maxFileBytes)` } };
          }
          if (n >= cap) break;
          const grown = Buffer.allocUnsafe(Math.min(cap, Math.max(size + 1, 2 * scratch.buf.length)));
          scratch.buf.copy(grown, 0, 0, n);
          scratch.buf = grown;
        }
        const want = Math.min(scratch.buf.length, cap) - n;
        const r = fs.readSync(fd, scratch.buf, n, want, null);
        n += r;
        // A short read of a regular file is its end (Linux, macOS): not asking again saves a
        // system call per file. A file that grows meanwhile is read as it was.
        if (r < want || n >= cap) break;
      }
      if (n > maxFileBytes) {
        const size = Math.max(n, fs.fstatSync(fd).size);
        return { kind: 'skipped', note: { kind: 'skipped', message: `skipped: ${size} bytes is above the ${maxFileBytes}-byte limit (maxFileBytes)` } };
      }
      buf = scratch.buf.subarray(0, n);
    } else {
      const { size } = fs.fstatSync(fd);
      if (size > maxFileBytes) {
        return { kind: 'skipped', note: { kind: 'skipped', message: `skipped: ${size} bytes is above the ${maxFileBytes}-byte limit (maxFileBytes)` } };
      }
      buf = Buffer.allocUnsafe(Math.min(size, maxFileBytes) + 1);
      let n = 0;
      for (;;) {
        const r = fs.readSync(fd, buf, n, buf.length - n, null);
        if (r === 0) break;
        n += r;
        if (n === buf.length) break;
      }
      buf = buf.subarray(0, n);
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    return { kind: 'skipped', note: { kind: 'skipped', message: `skipped: cannot read the file (${code})` } };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
  // The size can grow between stat and read; the limit holds for what was read.
  if (buf.length > maxFileBytes) {
    return { kind: 'skipped', note: { kind: 'skipped', message: `skipped: ${buf.length} bytes is above the ${maxFileBytes}-byte limit (maxFileBytes)` } };
  }
  if (buf.subarray(0, BINARY_SNIFF_BYTES).includes(0)) {
    return { kind: 'skipped', note: { kind: 'skipped', message: 'skipped: binary content' } };
  }
  return { kind: 'bytes', bytes: buf };
}

/** UTF-8 text of bytes that passed readSourceBytes: BOM removed, invalid bytes as U+FFFD. */
export function decodeSource(buf: Buffer): SourceText & { kind: 'text' } {
  const bom = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf;
  const body = bom ? buf.subarray(3) : buf;
  return { kind: 'text', text: body.toString('utf8'), bom, lossy: !isUtf8(body) };
}

/** Writes fixed text back, restoring the byte order mark. */
export function writeSource(abs: string, text: string, bom: boolean): void {
  fs.writeFileSync(abs, (bom ? '\ufeff' : '') + text, 'utf8');
}
