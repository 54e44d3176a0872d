/**
 * Opens the kiosk's SQLite file: WAL and synchronous=FULL on every open (better-sqlite3
 * builds SQLite so that a reopened WAL database falls back to NORMAL, which can lose the
 * last commits on power loss; a borrow the screen confirmed must survive that).
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type Migration = { version: number; name: string; up: string };

export function openKioskDatabase(file: string, migrations: Migration[]): Database.Database {
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 2000');
  // After a long outage drains, the WAL is truncated back to this at each checkpoint instead
  // of keeping its high-water size on a small SD card.
  db.pragma('journal_size_limit = 4194304');
  // A kiosk that lost power mid-write must not build on a damaged file: check it at start
  // and refuse to run (keeping the file for recovery) rather than confirm borrows into it.
  const check = db.pragma('quick_check', { simple: true });
  if (check !== 'ok') {
    db.close();
    throw new Error(
      `kiosk database ${file} failed its integrity check (${String(check)}); it was left untouched`,
    );
  }
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.up);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return db;
}

/**
 * SQLite saying the file under the kiosk is damaged or gone (corrupt pages, not a database,
 * a read that fails, the file moved away, a table that is not there), as opposed to a
 * moment's contention or a write the disk refused (full, or a size limit: an I/O error on
 * write), which is OUTBOX_WRITE_FAILED for that one commit and passes when space is back.
 * Only the first kind puts the kiosk out of service.
 */
export function storageFault(err: unknown): string | null {
  if (!(err instanceof Database.SqliteError)) return null;
  const damaged =
    /^SQLITE_(CORRUPT|NOTADB|CANTOPEN|IOERR_READ|IOERR_SHORT_READ|READONLY_DBMOVED)/.test(err.code) ||
    (err.code === 'SQLITE_ERROR' && /no such (table|column)/.test(err.message));
  return damaged ? `${err.code}: ${err.message}`.slice(0, 300) : null;
}
