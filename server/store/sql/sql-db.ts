/**
 * The one thing the store's SQL needs from a database: run a statement, read rows, and run
 * a function inside one transaction. Two drivers implement it (sqlite/sqlite-db.ts over
 * better-sqlite3, postgres/postgres-db.ts over pg); the store's queries are written once
 * against it in portable SQL (`?` placeholders, quoted camelCase aliases, integers for
 * booleans and millisecond times). What truly differs between the databases sits in
 * `Dialect`, a handful of primitives each driver provides.
 */
/** Buffers are BLOB on SQLite and BYTEA on PostgreSQL (item photos); both drivers read them back as Buffer. */
export type SqlValue = string | number | null | Buffer;

export type Dialect = {
  readonly name: 'sqlite' | 'postgres';
  /** SQL for `expr` as a zero-padded decimal of `width` digits (sortable text keys). */
  pad(expr: string, width: number): string;
  /** Appended to a SELECT to lock the rows it reads until the transaction ends ('' on SQLite). */
  readonly forUpdate: string;
  /** The operator that matches a pattern in any case: SQLite's LIKE already does (for ASCII), PostgreSQL's ILIKE. */
  readonly likeAnyCase: 'LIKE' | 'ILIKE';
};

export type AtomicOptions = {
  /**
   * Wait until no other transaction with the same key runs, before this one starts (so its
   * snapshot sees what the previous one committed). For work two replicas could race on,
   * such as one kiosk's sync batch sent to both.
   */
  exclusiveKey?: string;
  /**
   * PostgreSQL only (SQLite has one writer): 'serializable' (the default) lets the database
   * detect any race and retry; 'read committed' is for use cases that take explicit row
   * locks first (SyncSteps.lockRows), so that busy rows make them wait instead of fail.
   */
  isolation?: 'serializable' | 'read committed';
};

export interface SqlRunner {
  readonly dialect: Dialect;
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }>;
  /**
   * Runs `fn` atomically: in a new transaction on the database, or in a savepoint when this
   * runner is already inside one (so a step that fails and is caught undoes only itself, on
   * both databases). On PostgreSQL a top-level `fn` may run more than once (a
   * serialisation failure is retried), so it must do nothing but database work.
   */
  atomic<T>(fn: (tx: SqlRunner) => Promise<T>, opts?: AtomicOptions): Promise<T>;
  /** A number that orders catalog changes (an item's `version`). Inside a transaction only. */
  versionStamp(): Promise<number>;
  /**
   * The cursor a kiosk sends back next time: every item whose version is at or above it
   * may have changed since. Read before the items it accompanies.
   */
  catalogCursor(): Promise<number>;
}

export interface SqlDb extends SqlRunner {
  close(): Promise<void>;
}

/** A UNIQUE or PRIMARY KEY violation, on either database. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}
