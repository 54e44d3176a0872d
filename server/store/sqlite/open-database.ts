/**
 * Opens a SQLite file the way every process of this project must: WAL, and
 * synchronous=FULL on every open. better-sqlite3 is compiled so that WAL databases use
 * synchronous=NORMAL unless told otherwise on each connection, which can lose the last
 * commits on power loss; a loan the server acknowledged must survive that.
 */
import Database from 'better-sqlite3';
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

export type Migration = { version: number; name: string; up: string };

export function openDatabase(file: string, migrations: Migration[]): Database.Database {
  if (file !== ':memory:') {
    // It holds password hashes and who borrowed what: the owner only. SQLite gives the -wal
    // and -shm files the database file's own mode, so creating it 0600 first covers them.
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    chmodSync(dirname(file), 0o700);
    closeSync(openSync(file, 'a', 0o600));
    chmodSync(file, 0o600);
  }
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, migrations);
  return db;
}

/** Apply pending migrations in order, each in its own transaction, recorded in user_version. */
export function migrate(db: Database.Database, migrations: Migration[]): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const pending = [...migrations].sort((a, b) => a.version - b.version).filter((m) => m.version > current);
  for (const m of pending) {
    db.transaction(() => {
      db.exec(m.up);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}
