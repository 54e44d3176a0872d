/**
 * Backups of the embedded server (SQLite) that restore: one self-contained file per backup,
 * taken online with SQLite's backup API (better-sqlite3's db.backup()), never a file copy of
 * a live database (a copy taken between a write to the WAL and its checkpoint is torn).
 *
 * A backup file is an ordinary SQLite database: the server's tables as of one moment, plus
 * two tables of its own, `backup_meta` (when, from which schema version) and
 * `backup_key_files` (the files of `<dataDir>/keys`: signing keys, badge pepper, roster key).
 * The keys travel with the data because badge hashes are keyed with that pepper and kiosks
 * trust those signing keys: a database restored without them would recognise no badge. So a
 * backup file is as secret as the keys themselves (0600, and kept like them).
 *
 * Restore refuses to run over a server that has the database open (see assertNotOpen).
 */
import Database from 'better-sqlite3';
import {
  chmodSync,
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { SERVER_MIGRATIONS } from '../store/sqlite/migrations.ts';
import { sqliteDb } from '../store/sqlite/sqlite-db.ts';
import { reissueCatalog } from './reissue-catalog.ts';

export const DB_FILE = 'server.db';
export const KEY_DIR = 'keys';
const BACKUP_NAME = /^server-(\d{8}T\d{6}\d{3}Z)\.db$/;

export type BackupResult = {
  file: string;
  bytes: number;
  ms: number;
  schemaVersion: number;
  keyFiles: number;
  /** Files removed by retention. */
  removed: string[];
};

/** The database open, or a server holding it, when a restore was asked for. */
export class RestoreRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RestoreRefusedError';
  }
}

export class BadBackupError extends Error {
  constructor(file: string, why: string) {
    super(`${file}: not a usable backup (${why})`);
    this.name = 'BadBackupError';
  }
}

/** `server-20261202T211503123Z.db`: sorts by time, and the name says when in UTC. */
export function backupName(at: number): string {
  return `server-${new Date(at).toISOString().replace(/[-:.]/g, '')}.db`;
}

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Temp file, fsync, rename, fsync the directory: a power cut leaves the old file or the new one. */
function writeDurably(path: string, data: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  rmSync(tmp, { force: true });
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  fsyncPath(join(path, '..'));
}

/**
 * One online backup of `<dataDir>/server.db` into `toDir`, then retention (the newest `keep`
 * backups stay). Safe while the server runs and writes: the copy is made through a second
 * connection in one backup step after the first (a write landing between those two steps
 * makes SQLite start the copy again, so what is written is always one consistent moment).
 * The file appears under its final name only once complete, checked and fsynced.
 */
export async function backupSqlite(opts: {
  dataDir: string;
  toDir: string;
  now: number;
  keep?: number;
}): Promise<BackupResult> {
  const started = performance.now();
  const source = join(opts.dataDir, DB_FILE);
  if (!existsSync(source)) throw new Error(`${source}: no database to back up`);
  mkdirSync(opts.toDir, { recursive: true, mode: 0o700 });
  const final = join(opts.toDir, backupName(opts.now));
  const tmp = join(opts.toDir, `.${basename(final)}.${process.pid}.partial`);
  rmSync(tmp, { force: true });

  const src = new Database(source, { fileMustExist: true });
  try {
    src.pragma('busy_timeout = 5000');
    // After better-sqlite3's first 100-page step, everything else in one step.
    await src.backup(tmp, { progress: () => 0x7fffffff });
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  } finally {
    src.close();
  }

  let schemaVersion = 0;
  let keyFiles = 0;
  try {
    chmodSync(tmp, 0o600);
    const out = new Database(tmp, { fileMustExist: true });
    try {
      // One file, no -wal beside it: what is on disk after close is the whole backup.
      out.pragma('journal_mode = DELETE');
      out.pragma('synchronous = FULL');
      const check = String(out.pragma('quick_check', { simple: true }));
      if (check !== 'ok') throw new Error(`backup copy failed its check: ${check}`);
      schemaVersion = out.pragma('user_version', { simple: true }) as number;
      const keys = readKeyDir(join(opts.dataDir, KEY_DIR));
      keyFiles = keys.length;
      out.exec(`
        CREATE TABLE backup_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE backup_key_files (name TEXT PRIMARY KEY, content TEXT NOT NULL);`);
      out.transaction(() => {
        const meta = out.prepare('INSERT INTO backup_meta (key, value) VALUES (?, ?)');
        meta.run('taken_at', new Date(opts.now).toISOString());
        meta.run('schema_version', String(schemaVersion));
        meta.run('source', source);
        const put = out.prepare('INSERT INTO backup_key_files (name, content) VALUES (?, ?)');
        for (const k of keys) put.run(k.name, k.content);
      })();
    } finally {
      out.close();
    }
    fsyncPath(tmp);
    renameSync(tmp, final);
    fsyncPath(opts.toDir);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }

  const removed = opts.keep !== undefined ? pruneBackups(opts.toDir, opts.keep) : [];
  return {
    file: final,
    bytes: statSync(final).size,
    ms: Math.round(performance.now() - started),
    schemaVersion,
    keyFiles,
    removed,
  };
}

function readKeyDir(dir: string): { name: string; content: string }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => !name.startsWith('.') && statSync(join(dir, name)).isFile())
    .sort()
    .map((name) => ({ name, content: readFileSync(join(dir, name), 'utf8') }));
}

/** Backups in `dir`, newest first (only files this module named; nothing else is touched). */
export function listBackups(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => BACKUP_NAME.test(f))
    .sort()
    .reverse()
    .map((f) => join(dir, f));
}

export function pruneBackups(dir: string, keep: number): string[] {
  const old = listBackups(dir).slice(Math.max(1, keep));
  for (const f of old) rmSync(f, { force: true });
  return old;
}

export type BackupInfo = { takenAt: string; schemaVersion: number; keyFiles: string[] };

/** Reads and checks a backup file without changing it. */
export function inspectBackup(file: string): BackupInfo {
  if (!existsSync(file)) throw new BadBackupError(file, 'no such file');
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new BadBackupError(file, (err as Error).message);
  }
  try {
    const check = String(db.pragma('quick_check', { simple: true }));
    if (check !== 'ok') throw new BadBackupError(file, `quick_check: ${check}`);
    const hasMeta = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'backup_meta'")
      .get();
    if (!hasMeta) throw new BadBackupError(file, 'no backup_meta table: not made by `admin backup`');
    const meta = new Map(
      db
        .prepare<[], { key: string; value: string }>('SELECT key, value FROM backup_meta')
        .all()
        .map((r) => [r.key, r.value]),
    );
    const schemaVersion = Number(meta.get('schema_version'));
    const newest = Math.max(...SERVER_MIGRATIONS.map((m) => m.version));
    if (schemaVersion > newest)
      throw new BadBackupError(
        file,
        `made by a newer server (schema ${schemaVersion}; this one knows up to ${newest})`,
      );
    const keyFiles = db
      .prepare<[], { name: string }>('SELECT name FROM backup_key_files ORDER BY name')
      .all()
      .map((r) => r.name);
    return { takenAt: meta.get('taken_at') ?? '?', schemaVersion, keyFiles };
  } catch (err) {
    if (err instanceof BadBackupError) throw err;
    throw new BadBackupError(file, (err as Error).message);
  } finally {
    db.close();
  }
}

/**
 * Refuses when any other connection has `<dataDir>/server.db` open: a running server, a
 * starting one, an admin command, a sqlite3 shell. How: take SQLite's own exclusive lock
 * and leave WAL mode (journal_mode=DELETE), which SQLite grants only when no other
 * connection has the file open (each holds a shared lock for as long as it is open, idle
 * or not). Why this and not a pid or lock file: those go stale when a server is killed
 * (SIGKILL, power cut) and a pid can be reused, so a stale file would refuse a restore
 * for no reason and a reused pid could let one through; the kernel drops SQLite's locks
 * the moment the process holding them is gone, so this answers for right now. Switching
 * to DELETE also checkpoints whatever the last server left in the WAL into the old file,
 * which is then whole on its own when it is kept aside. (Not for NFS, where SQLite's
 * locks are not reliable; the data directory should not be on NFS anyway.)
 */
export function assertNotOpen(dataDir: string): void {
  const file = join(dataDir, DB_FILE);
  if (!existsSync(file)) return;
  let db: Database.Database;
  try {
    db = new Database(file, { fileMustExist: true });
  } catch (err) {
    throw new RestoreRefusedError(`${file}: cannot open it to check (${(err as Error).message})`);
  }
  try {
    db.pragma('busy_timeout = 0');
    const mode = String(db.pragma('journal_mode = DELETE', { simple: true }));
    if (mode !== 'delete') throw new Error(`journal mode stayed ${mode}`);
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    throw new RestoreRefusedError(
      code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')
        ? `${file} is open in another process (a running server?): stop the server first, then restore`
        : `${file}: cannot take it over (${(err as Error).message})`,
    );
  } finally {
    db.close();
  }
}

export type RestoreResult = {
  info: BackupInfo;
  /** Where the data directory's previous database and keys were moved, if it had any. */
  keptAside: string | null;
};

/**
 * Puts a backup in place as `<dataDir>/server.db` and its key files in `<dataDir>/keys`.
 * What was there before is moved to `<dataDir>/before-restore-<time>/`, never deleted.
 * The next server start migrates the restored file if it is from an older version.
 */
export async function restoreSqlite(opts: {
  backupFile: string;
  dataDir: string;
  now: number;
}): Promise<RestoreResult> {
  const info = inspectBackup(opts.backupFile);
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  assertNotOpen(opts.dataDir);

  const dbFile = join(opts.dataDir, DB_FILE);
  const keyDir = join(opts.dataDir, KEY_DIR);
  const staged = join(opts.dataDir, `.${DB_FILE}.${process.pid}.restoring`);
  rmSync(staged, { force: true });
  copyFileSync(opts.backupFile, staged);
  chmodSync(staged, 0o600);
  let keys: { name: string; content: string }[];
  const db = new Database(staged, { fileMustExist: true });
  try {
    keys = db
      .prepare<[], { name: string; content: string }>('SELECT name, content FROM backup_key_files')
      .all();
    db.exec('DROP TABLE backup_meta; DROP TABLE backup_key_files;');
    await reissueCatalog(sqliteDb(db));
    // Back to the mode every server process opens it in (open-database.ts sets WAL too).
    db.pragma('journal_mode = WAL');
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  fsyncPath(staged);

  let keptAside: string | null = null;
  const hadKeys = existsSync(keyDir) && readdirSync(keyDir).length > 0;
  if (existsSync(dbFile) || hadKeys) {
    keptAside = join(opts.dataDir, `before-restore-${backupName(opts.now).slice(7, -3)}`);
    mkdirSync(keptAside, { mode: 0o700 });
    for (const f of [DB_FILE, `${DB_FILE}-wal`, `${DB_FILE}-shm`]) {
      if (existsSync(join(opts.dataDir, f))) renameSync(join(opts.dataDir, f), join(keptAside, f));
    }
    if (existsSync(keyDir)) renameSync(keyDir, join(keptAside, KEY_DIR));
  }

  mkdirSync(keyDir, { recursive: true, mode: 0o700 });
  for (const k of keys) writeDurably(join(keyDir, k.name), k.content);
  fsyncPath(keyDir);
  renameSync(staged, dbFile);
  fsyncPath(opts.dataDir);
  return { info, keptAside };
}
