/**
 * Keeping the evidence when the kiosk's database file goes away.
 *
 * - rescueOutbox: the running kiosk noticed its file deleted, replaced or truncated. Before
 *   anything closes the database (SQLite checkpoints and deletes the WAL on close), copy the
 *   WAL as it is and back up what the open connection can still read, into a rescue folder
 *   that the next start refuses to ignore.
 * - recoverOutbox: at start, with RENTAL_RECOVER_OUTBOX=1, move every old file and rescue
 *   aside (kept, never deleted), read each unsent transaction from whatever survived (the old
 *   database if it opens, rescue copies, WALs read page by page) and put them in a fresh
 *   database with their original ids, so the next sync sends them and the server's
 *   exactly-once rule answers `duplicate` for any it already had.
 */
import Database from 'better-sqlite3';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { openKioskDatabase, orphanEvidence, RESCUE_PREFIX, type Migration } from '../sqlite.ts';
import { outboxRowsInWal, partsOrNull, type SalvagedRow } from './wal-pages.ts';

// A folder name for the operator, read at recovery time: the wall clock is what they compare it with.
// eslint-disable-next-line no-restricted-syntax
const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');

/** Copies what the kiosk still holds of a database whose file went away under it. */
export async function rescueOutbox(db: Database.Database, file: string): Promise<string> {
  const dir = join(dirname(file), `${RESCUE_PREFIX}${stamp()}`);
  mkdirSync(dir, { recursive: true });
  // First the WAL, byte for byte: it holds the newest commits, and a close would delete it.
  if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, join(dir, `${basename(file)}-wal.copy`));
  // Then everything the connection can read (the deleted file's pages are still open to it).
  await db.backup(join(dir, basename(file)));
  return dir;
}

export type Recovery = {
  /** Unsent rows put back in the fresh outbox. */ recovered: number;
  /** Rows found that the server had already answered (not sent again). */ settled: number;
  /** Rows seen in a WAL too large to decode there (their copy may be in another source). */ unreadable: number;
  /** Where the old files now are. */ keptIn: string;
  sources: string[];
};

/** Moves the old files aside and rebuilds the outbox from them; null if there was nothing to recover. */
export function recoverOutbox(file: string, migrations: Migration[]): Recovery | null {
  const dataDir = dirname(file);
  const olds = [file, `${file}-wal`, `${file}-shm`, `${file}-journal`].filter((f) => existsSync(f));
  const rescues = orphanEvidence(file).filter((f) => basename(f).startsWith(RESCUE_PREFIX));
  const damaged = existsSync(file) && !opensClean(file);
  if (rescues.length === 0 && !damaged && orphanEvidence(file).length === 0) return null;

  const aside = join(dataDir, `salvaged-outbox-${stamp()}`);
  mkdirSync(aside, { recursive: true });
  for (const f of olds) renameSync(f, join(aside, basename(f)));
  for (const r of rescues) renameSync(r, join(aside, basename(r)));

  const found = new Map<string, SalvagedRow>();
  const settled = new Set<string>();
  const sources: string[] = [];
  let unreadable = 0;
  const take = (rows: SalvagedRow[], source: string) => {
    if (rows.length) sources.push(`${source}: ${rows.length} rows`);
    for (const r of rows) {
      if (r.state !== 'pending') settled.add(r.id);
      else if (!found.has(r.id)) found.set(r.id, r);
    }
  };
  for (const dir of [aside, ...rescues.map((r) => join(aside, basename(r)))]) {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (name.endsWith('-wal') || name.endsWith('-wal.copy')) {
        const wal = outboxRowsInWal(path);
        unreadable += wal.skipped;
        take(wal.rows, path);
      }
    }
    if (existsSync(join(dir, basename(file))))
      take(readDatabase(join(dir, basename(file))), join(dir, basename(file)));
  }

  const db = openKioskDatabase(file, migrations);
  try {
    const insert = db.prepare(
      `INSERT OR IGNORE INTO outbox (seq, id, kind, item_id, user_id, occurred_at, clock_trusted, auth, note,
                                     created_at, condition, missing_parts)
       VALUES (@seq, @id, @kind, @itemId, @userId, @occurredAt, @clockTrusted, @auth, @note, @createdAt,
               @condition, @missingParts)`,
    );
    const seqTaken = db.prepare<[number], { one: number }>('SELECT 1 AS one FROM outbox WHERE seq = ?');
    const pending = [...found.values()].filter((r) => !settled.has(r.id)).sort((a, b) => a.seq - b.seq);
    db.transaction(() => {
      for (const r of pending)
        insert.run({
          ...r,
          // Keep each row's number (the server orders a batch by it) unless two sources disagree.
          seq: seqTaken.get(r.seq) ? null : r.seq,
          clockTrusted: r.clockTrusted ? 1 : 0,
        });
    })();
    return { recovered: pending.length, settled: settled.size, unreadable, keptIn: aside, sources };
  } finally {
    db.close();
  }
}

function opensClean(file: string): boolean {
  return withScratchCopy(file, (db) => db.pragma('quick_check', { simple: true }) === 'ok') ?? false;
}

/**
 * Every outbox row a damaged or rescued database still gives up; none if it will not open.
 * A return's report comes too, where the file is new enough to have its columns.
 */
function readDatabase(path: string): SalvagedRow[] {
  return (
    withScratchCopy(path, (db) => {
      const columns = new Set(
        db
          .prepare<[], { name: string }>('PRAGMA table_info(outbox)')
          .all()
          .map((c) => c.name),
      );
      const optional = (column: string, as: string) =>
        columns.has(column) ? `${column} AS ${as}` : `NULL AS ${as}`;
      return db
        .prepare<[], Omit<SalvagedRow, 'clockTrusted'> & { clockTrusted: number }>(
          `SELECT seq, id, kind, item_id AS itemId, user_id AS userId, occurred_at AS occurredAt,
                  clock_trusted AS clockTrusted, auth, note, created_at AS createdAt, state,
                  ${optional('condition', 'condition')}, ${optional('missing_parts', 'missingParts')}
             FROM outbox`,
        )
        .all()
        .map((r) => ({
          ...r,
          clockTrusted: r.clockTrusted === 1,
          missingParts: r.missingParts === null ? null : partsOrNull(r.missingParts),
        }));
    }) ?? []
  );
}

/**
 * Opens a copy of a database (with its WAL) in a scratch folder, so what is kept stays
 * exactly as it was found; null if it is empty or will not open or read.
 */
function withScratchCopy<T>(path: string, read: (db: Database.Database) => T): T | null {
  if (statSync(path).size === 0) return null;
  const scratch = mkdtempSync(join(tmpdir(), 'kiosk-salvage-'));
  try {
    copyFileSync(path, join(scratch, 'copy.db'));
    if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, join(scratch, 'copy.db-wal'));
    const db = new Database(join(scratch, 'copy.db'), { fileMustExist: true });
    try {
      return read(db);
    } finally {
      db.close();
    }
  } catch {
    return null;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
