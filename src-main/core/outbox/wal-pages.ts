/**
 * Reads outbox rows straight out of a SQLite WAL file whose database file is gone (deleted,
 * truncated, replaced): the WAL holds a full image of every page written since the last
 * checkpoint, which is where a kiosk's newest, unsynced rows are. Only committed frames of the
 * current generation with good checksums count (https://www.sqlite.org/fileformat2.html#walformat);
 * table-leaf cells shaped like an outbox row (kiosk migration 1's columns) are decoded with
 * the record format (https://www.sqlite.org/fileformat2.html#record_format).
 */
import { readFileSync } from 'node:fs';
import { KitParts } from '../../../protocol/index.ts';
import { check } from '../../../protocol/validate.ts';

export type SalvagedRow = {
  seq: number;
  id: string;
  kind: 'borrow' | 'return' | 'renew';
  itemId: string;
  userId: string;
  occurredAt: number;
  clockTrusted: boolean;
  auth: string;
  note: string | null;
  createdAt: number;
  state: 'pending' | 'applied' | 'rejected' | 'conflict';
  /** A return's report (outbox migrations 6 and 9): what was said of the item, the parts missing (JSON). */
  condition: 'damaged' | 'incomplete' | null;
  missingParts: string | null;
};

const WAL_HEADER = 32;
const FRAME_HEADER = 24;

/** The last committed image of each page in a WAL file, or null if it is not a WAL. */
export function committedPages(wal: Buffer): { pageSize: number; pages: Map<number, Buffer> } | null {
  if (wal.length < WAL_HEADER) return null;
  const magic = wal.readUInt32BE(0);
  if (magic !== 0x377f0682 && magic !== 0x377f0683) return null;
  const bigEndian = magic === 0x377f0683;
  const pageSize = wal.readUInt32BE(8) || 65536;
  const salt1 = wal.readUInt32BE(16);
  const salt2 = wal.readUInt32BE(20);
  let [s0, s1] = checksum(wal, 0, 24, 0, 0, bigEndian);
  if (s0 !== wal.readUInt32BE(24) || s1 !== wal.readUInt32BE(28)) return null;

  const pages = new Map<number, Buffer>();
  let pendingFrames = new Map<number, Buffer>();
  for (let at = WAL_HEADER; at + FRAME_HEADER + pageSize <= wal.length; at += FRAME_HEADER + pageSize) {
    if (wal.readUInt32BE(at + 8) !== salt1 || wal.readUInt32BE(at + 12) !== salt2) break;
    [s0, s1] = checksum(wal, at, 8, s0, s1, bigEndian);
    [s0, s1] = checksum(wal, at + FRAME_HEADER, pageSize, s0, s1, bigEndian);
    if (s0 !== wal.readUInt32BE(at + 16) || s1 !== wal.readUInt32BE(at + 20)) break; // torn tail
    const page = wal.readUInt32BE(at);
    pendingFrames.set(page, wal.subarray(at + FRAME_HEADER, at + FRAME_HEADER + pageSize));
    // A commit frame carries the database size after the commit; only then do frames count.
    if (wal.readUInt32BE(at + 4) !== 0) {
      for (const [n, img] of pendingFrames) pages.set(n, img);
      pendingFrames = new Map();
    }
  }
  return { pageSize, pages };
}

function checksum(buf: Buffer, at: number, len: number, s0: number, s1: number, bigEndian: boolean) {
  for (let i = at; i < at + len; i += 8) {
    const x0 = bigEndian ? buf.readUInt32BE(i) : buf.readUInt32LE(i);
    const x1 = bigEndian ? buf.readUInt32BE(i + 4) : buf.readUInt32LE(i + 4);
    s0 = (s0 + x0 + s1) >>> 0;
    s1 = (s1 + x1 + s0) >>> 0;
  }
  return [s0, s1] as const;
}

/** Outbox rows found on the WAL's table-leaf pages; `skipped` counts cells too large to read here. */
export function outboxRowsInWal(walFile: string): { rows: SalvagedRow[]; skipped: number } {
  const wal = committedPages(readFileSync(walFile));
  if (!wal) return { rows: [], skipped: 0 };
  const rows: SalvagedRow[] = [];
  let skipped = 0;
  for (const [n, page] of wal.pages) {
    const base = n === 1 ? 100 : 0;
    if (page[base] !== 0x0d) continue; // table b-tree leaf
    const cells = page.readUInt16BE(base + 3);
    for (let c = 0; c < cells; c++) {
      const ptr = page.readUInt16BE(base + 8 + 2 * c);
      if (ptr < base + 8 || ptr >= page.length) continue;
      const [size, a] = varint(page, ptr);
      const [rowid, b] = varint(page, a);
      // Larger than fits on the page: its tail is on overflow pages; not decoded here.
      if (size > wal.pageSize - 35 || b + size > page.length) {
        skipped += looksLikeOutbox(page, b) ? 1 : 0;
        continue;
      }
      const row = decodeOutboxRow(page.subarray(b, b + size), rowid);
      if (row) rows.push(row);
    }
  }
  return { rows, skipped };
}

type Value = null | number | string | Buffer;

function decodeRecord(rec: Buffer): Value[] | null {
  const [headerSize, start] = varint(rec, 0);
  if (headerSize > rec.length) return null;
  const types: number[] = [];
  for (let at = start; at < headerSize;) {
    const [t, next] = varint(rec, at);
    types.push(t);
    at = next;
  }
  const values: Value[] = [];
  let at = headerSize;
  for (const t of types) {
    const len = t >= 12 ? Math.floor((t - 12) / 2) : [0, 1, 2, 3, 4, 6, 8, 8, 0, 0][t];
    if (len === undefined || at + len > rec.length) return null;
    if (t === 0) values.push(null);
    else if (t === 8 || t === 9) values.push(t - 8);
    else if (t === 7) values.push(rec.readDoubleBE(at));
    else if (t <= 6) values.push(readInt(rec, at, len));
    else if (t % 2 === 0) values.push(rec.subarray(at, at + len));
    else values.push(rec.toString('utf8', at, at + len));
    at += len;
  }
  return values;
}

function readInt(rec: Buffer, at: number, len: number): number {
  if (len === 8) return Number(rec.readBigInt64BE(at));
  return rec.readIntBE(at, len);
}

const KINDS = new Set(['borrow', 'return', 'renew']);
const CONDITIONS = new Set(['damaged', 'incomplete']);
const STATES = new Set(['pending', 'applied', 'rejected', 'conflict']);

function decodeOutboxRow(rec: Buffer, rowid: number): SalvagedRow | null {
  const v = decodeRecord(rec);
  if (!v || v.length < 13) return null;
  // Columns in table order; a row written before a column was added ends before it.
  const [
    ,
    id,
    kind,
    itemId,
    userId,
    occurredAt,
    trusted,
    auth,
    note,
    createdAt,
    state,
    ,
    ,
    condition,
    missing,
  ] = v;
  if (
    typeof id !== 'string' ||
    typeof kind !== 'string' ||
    !KINDS.has(kind) ||
    typeof itemId !== 'string' ||
    typeof userId !== 'string' ||
    typeof occurredAt !== 'number' ||
    typeof auth !== 'string' ||
    typeof createdAt !== 'number' ||
    typeof state !== 'string' ||
    !STATES.has(state)
  )
    return null;
  return {
    seq: rowid,
    id,
    kind: kind as SalvagedRow['kind'],
    itemId,
    userId,
    occurredAt,
    clockTrusted: trusted === 1,
    auth,
    note: typeof note === 'string' ? note : null,
    createdAt,
    state: state as SalvagedRow['state'],
    condition:
      typeof condition === 'string' && CONDITIONS.has(condition)
        ? (condition as SalvagedRow['condition'])
        : null,
    missingParts: typeof missing === 'string' ? partsOrNull(missing) : null,
  };
}

/**
 * A salvaged list of missing parts, kept only when it is one the outbox could have written (a
 * torn page may give any bytes): the row is sent either way, its report as far as it holds.
 */
export function partsOrNull(text: string): string | null {
  try {
    const parts: unknown = JSON.parse(text);
    return check(KitParts, parts) && parts.length > 0 ? text : null;
  } catch {
    return null;
  }
}

/** An overflowing cell's local part still starts with the record header: is it an outbox row's? */
function looksLikeOutbox(page: Buffer, at: number): boolean {
  const [headerSize] = varint(page, at);
  return headerSize >= 14 && headerSize < 40;
}

/** SQLite's big-endian varint: 7 bits a byte, the ninth byte whole. */
function varint(buf: Buffer, at: number): [number, number] {
  let v = 0;
  for (let i = 0; i < 9; i++) {
    const byte = buf[at + i] ?? 0;
    if (i === 8) return [v * 256 + byte, at + 9];
    v = v * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) return [v, at + i + 1];
  }
  return [v, at + 9];
}
