/**
 * SqlDb over better-sqlite3. One connection, so one transaction at a time: a transaction
 * holds a lock that every other statement waits for, since a statement run on the same
 * connection while a transaction awaits would silently join it. Statements outside a
 * transaction run at once when nothing holds the lock (the common, fast path).
 */
import type Database from 'better-sqlite3';
import type { Dialect, SqlDb, SqlRunner, SqlValue } from '../sql/sql-db.ts';

const SQLITE: Dialect = {
  name: 'sqlite',
  pad: (expr, width) => `printf('%0${width}d', ${expr})`,
  forUpdate: '', // one writer at a time: the whole database is the lock
  likeAnyCase: 'LIKE',
};

export function sqliteDb(db: Database.Database): SqlDb {
  const cache = new Map<string, Database.Statement>();
  const prepare = (sql: string) => {
    let s = cache.get(sql);
    if (!s) {
      s = db.prepare(sql);
      cache.set(sql, s);
    }
    return s;
  };
  const exec = {
    all: <T>(sql: string, params: readonly SqlValue[] = []) => prepare(sql).all(...params) as T[],
    get: <T>(sql: string, params: readonly SqlValue[] = []) => prepare(sql).get(...params) as T | undefined,
    run: (sql: string, params: readonly SqlValue[] = []) => ({
      changes: prepare(sql).run(...params).changes,
    }),
  };

  // The tail of the queue of transactions; statements outside one wait for it to settle.
  // Each waiter re-checks after waking and takes the lock in the same synchronous step.
  let held: Promise<void> | null = null;

  const catalogCursor = () => {
    // Versions are handed out one by one from this counter, so `version >= value + 1` is
    // exactly what changed after it.
    const row = exec.get<{ value: number }>("SELECT value FROM meta WHERE key = 'catalog_version'");
    return row!.value + 1;
  };

  let savepoints = 0;
  const inTx: SqlRunner = {
    dialect: SQLITE,
    all: async (sql, params) => exec.all(sql, params),
    get: async (sql, params) => exec.get(sql, params),
    run: async (sql, params) => exec.run(sql, params),
    async atomic(fn) {
      const name = `sp${++savepoints}`;
      db.exec(`SAVEPOINT ${name}`);
      try {
        const out = await fn(inTx);
        db.exec(`RELEASE ${name}`);
        return out;
      } catch (err) {
        db.exec(`ROLLBACK TO ${name}`);
        db.exec(`RELEASE ${name}`);
        throw err;
      }
    },
    versionStamp: async () =>
      exec.get<{ value: number }>(
        "UPDATE meta SET value = value + 1 WHERE key = 'catalog_version' RETURNING value",
      )!.value,
    catalogCursor: async () => catalogCursor(),
  };

  const transaction = async <T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T> => {
    while (held) await held;
    let release!: () => void;
    held = new Promise<void>((r) => (release = r));
    try {
      db.exec('BEGIN IMMEDIATE');
      try {
        const out = await fn(inTx);
        db.exec('COMMIT');
        return out;
      } catch (err) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw err;
      }
    } finally {
      held = null;
      release();
    }
  };

  const now = async <T>(f: () => T): Promise<T> => {
    while (held) await held;
    return f();
  };

  return {
    dialect: SQLITE,
    all: (sql, params) => now(() => exec.all(sql, params)),
    get: (sql, params) => now(() => exec.get(sql, params)),
    run: (sql, params) => now(() => exec.run(sql, params)),
    // One connection, one writer: transactions already run one at a time.
    atomic: (fn) => transaction(fn),
    versionStamp: () => transaction((tx) => tx.versionStamp()),
    catalogCursor: () => now(catalogCursor),
    close: async () => {
      await now(() => db.close());
    },
  };
}
