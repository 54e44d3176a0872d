/**
 * Opens the kiosk's SQLite file: WAL and synchronous=FULL on every open (better-sqlite3
 * builds SQLite so that a reopened WAL database falls back to NORMAL, which can lose the
 * last commits on power loss; a borrow the screen confirmed must survive that).
 */
import Database from 'better-sqlite3';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

export type Migration = { version: number; name: string; up: string };

export function openKioskDatabase(file: string, migrations: Migration[]): Database.Database {
  mkdirSync(dirname(file), { recursive: true });
  // Never build a fresh database over evidence: opening a missing or empty file next to a
  // WAL lets SQLite delete that WAL, and with it the last unsent transactions.
  const evidence = orphanEvidence(file);
  if (evidence.length > 0)
    throw new KioskDatabaseError(
      `the kiosk database ${file} is ${existsSync(file) ? 'empty' : 'missing'} or was lost while running, ` +
        `but ${evidence.join(', ')} may hold transactions not yet sent; nothing was changed. ${RECOVERY_HINT}`,
    );
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
    throw new KioskDatabaseError(
      `kiosk database ${file} failed its integrity check (${String(check)}); it was left untouched. ` +
        RECOVERY_HINT,
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

/** What a person does when the kiosk will not open its database. */
export const RECOVERY_HINT =
  'To recover, start the kiosk once with RENTAL_RECOVER_OUTBOX=1: it moves the old files aside ' +
  '(kept, not deleted), reads every unsent transaction it can from them into a fresh database and sends them.';

/** The kiosk's database cannot be used as it is; the message says what happened and what to do. */
export class KioskDatabaseError extends Error {
  override name = 'KioskDatabaseError';
}

/** A rescue the running kiosk made when its file went (outbox/salvage.ts), not yet recovered. */
export const RESCUE_PREFIX = 'rescued-outbox-';

const nonEmpty = (f: string) => {
  try {
    return statSync(f).size > 0;
  } catch {
    return false;
  }
};

/**
 * Files that may hold transactions a fresh database would lose: a WAL or rollback journal
 * with no database beside it, and any rescue copy the running kiosk made.
 */
export function orphanEvidence(file: string): string[] {
  const dir = dirname(file);
  const rescues = existsSync(dir)
    ? readdirSync(dir)
        .filter((n) => n.startsWith(RESCUE_PREFIX))
        .map((n) => join(dir, n))
    : [];
  const journals = nonEmpty(file) ? [] : [`${file}-wal`, `${file}-journal`].filter(nonEmpty);
  return [...journals, ...rescues];
}

const SQLITE_MAGIC = 'SQLite format 3\0';

/**
 * Notices the file under an open database being deleted, replaced, truncated or overwritten
 * while the kiosk runs: SQLite itself would go on committing into the old file's WAL and the
 * screen on saying "done". Returns what happened, or null. In WAL mode the main file only
 * grows (at checkpoints; the kiosk never vacuums), so a smaller file is a truncated one.
 */
export function watchDatabaseFile(file: string): () => string | null {
  const opened = statSync(file);
  let lastSize = opened.size;
  return () => {
    let now;
    try {
      now = statSync(file);
    } catch {
      return `the kiosk database ${file} was deleted while the kiosk was running`;
    }
    if (now.ino !== opened.ino || now.dev !== opened.dev)
      return `the kiosk database ${file} was replaced by another file while the kiosk was running`;
    if (now.size < lastSize)
      return `the kiosk database ${file} was truncated (${lastSize} -> ${now.size} bytes) while the kiosk was running`;
    lastSize = now.size;
    const head = Buffer.alloc(16);
    const fd = openSync(file, 'r');
    try {
      readSync(fd, head, 0, 16, 0);
    } finally {
      closeSync(fd);
    }
    if (head.toString('latin1') !== SQLITE_MAGIC)
      return `the kiosk database ${file} was overwritten while the kiosk was running (no SQLite header)`;
    return null;
  };
}

/**
 * SQLite saying the file under the kiosk is damaged or gone (corrupt pages, not a database,
 * a read that fails, the file moved away, a table that is not there, the file deleted or
 * replaced under a running kiosk: KioskDatabaseError), as opposed to a
 * moment's contention or a write the disk refused (full, or a size limit: an I/O error on
 * write), which is OUTBOX_WRITE_FAILED for that one commit and passes when space is back.
 * Only the first kind puts the kiosk out of service.
 */
export function storageFault(err: unknown): string | null {
  if (err instanceof KioskDatabaseError) return err.message.slice(0, 300);
  if (!(err instanceof Database.SqliteError)) return null;
  const damaged =
    /^SQLITE_(CORRUPT|NOTADB|CANTOPEN|IOERR_READ|IOERR_SHORT_READ|READONLY_DBMOVED)/.test(err.code) ||
    (err.code === 'SQLITE_ERROR' && /no such (table|column)/.test(err.message));
  return damaged ? `${err.code}: ${err.message}`.slice(0, 300) : null;
}
