/**
 * SqlDb over node-postgres. A pool of connections; a transaction takes one, runs at
 * SERIALIZABLE, and is retried from the start when PostgreSQL reports a serialisation
 * failure or a deadlock (two replicas racing on the same rows), so the store's use cases
 * see the same one-at-a-time world they see on SQLite. The shared SQL uses `?`
 * placeholders; they are numbered here.
 */
import pg from 'pg';
import type { AtomicOptions, Dialect, SqlDb, SqlRunner, SqlValue } from '../sql/sql-db.ts';
import { StoreUnavailableError } from '../store-errors.ts';

// BIGINT (times in ms, counts) and NUMERIC come back as strings by default; every value
// this store keeps fits a double exactly.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

const POSTGRES: Dialect = {
  name: 'postgres',
  // "C": byte order, as SQLite compares, whatever the database's locale.
  pad: (expr, width) => `(lpad((${expr})::text, ${width}, '0') COLLATE "C")`,
  forUpdate: ' FOR UPDATE',
  likeAnyCase: 'ILIKE',
};

/**
 * Errors that mean the database (not the statement) failed: sockets, the pool's connect
 * timeout, class 08 connection exceptions, 57P0x shutdown / cannot connect now, 53300
 * too many connections.
 */
export function isConnectionFailure(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  if (
    /^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN|08...|57P0[1-3]|53300)$/.test(
      code,
    )
  )
    return true;
  const message = typeof e?.message === 'string' ? e.message : '';
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is closed/i.test(
    message,
  );
}

const unavailable = (err: unknown) =>
  isConnectionFailure(err) ? new StoreUnavailableError((err as Error).message) : err;

/** Codes that mean "run the transaction again": serialization_failure, deadlock_detected. */
const RETRY = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 10;
/** Exponential, with full jitter: 0-10 ms, 0-20 ms, ... capped at 0-500 ms (about 2 s in all). */
const backoffMs = (attempt: number) => Math.random() * Math.min(500, 10 * 2 ** (attempt - 1));

const numbered = new Map<string, string>();
/** `?` -> `$1, $2, ...`, outside quoted strings and identifiers. */
export function numberPlaceholders(sql: string): string {
  let out = numbered.get(sql);
  if (out !== undefined) return out;
  let n = 0;
  let quote: string | null = null;
  out = '';
  for (const c of sql) {
    if (quote) {
      if (c === quote) quote = null;
      out += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      out += c;
    } else out += c === '?' ? `$${++n}` : c;
  }
  numbered.set(sql, out);
  return out;
}

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

function runner(q: Queryable, atomic: SqlRunner['atomic']): SqlRunner {
  const query = async <T>(sql: string, params: readonly SqlValue[] = []) => {
    try {
      return await q.query<T & pg.QueryResultRow>(numberPlaceholders(sql), params as SqlValue[]);
    } catch (err) {
      throw unavailable(err);
    }
  };
  const self: SqlRunner = {
    dialect: POSTGRES,
    all: async <T>(sql: string, params?: readonly SqlValue[]) => (await query<T>(sql, params)).rows as T[],
    get: async <T>(sql: string, params?: readonly SqlValue[]) =>
      (await query<T>(sql, params)).rows[0] as T | undefined,
    run: async (sql, params) => ({ changes: (await query(sql, params)).rowCount ?? 0 }),
    atomic,
    // The transaction's own id: assigned in start order, and every transaction still
    // running when a kiosk reads its cursor has an id at or above that cursor.
    versionStamp: async () =>
      (await query<{ v: number }>('SELECT pg_current_xact_id()::text::bigint AS v')).rows[0]!.v,
    catalogCursor: async () =>
      (await query<{ v: number }>('SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS v'))
        .rows[0]!.v,
  };
  return self;
}

export type PostgresDbOptions = {
  connectionString: string;
  /** Connections per replica; PostgreSQL's own limit is shared by every replica. */
  max?: number;
  onError?: (err: Error) => void;
};

export function postgresDb(opts: PostgresDbOptions): SqlDb & { pool: pg.Pool } {
  const pool = new pg.Pool({
    connectionString: opts.connectionString,
    max: opts.max ?? 10,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
    // A statement stuck behind a lock must not hold a request (and a pool slot) forever.
    statement_timeout: 15_000,
    idle_in_transaction_session_timeout: 30_000,
    application_name: 'rental-server',
  });
  // An idle client whose server went away emits here; without a listener it would crash the process.
  pool.on('error', (err) => opts.onError?.(err));

  // One runner per pooled connection, kept for its life: the store builds its operations once
  // per runner (sql-store.ts), and building them per transaction cost ~1.5 ms of CPU each.
  const runners = new WeakMap<pg.PoolClient, SqlRunner>();
  const txRunner = (client: pg.PoolClient): SqlRunner => {
    const tx = runners.get(client);
    if (tx) return tx;
    // Savepoint names need only be unique within a transaction; this count just keeps going.
    let savepoints = 0;
    const made: SqlRunner = runner(client, async (inner) => {
      const name = `sp${++savepoints}`;
      await client.query(`SAVEPOINT ${name}`);
      try {
        const out = await inner(made);
        await client.query(`RELEASE SAVEPOINT ${name}`);
        return out;
      } catch (err) {
        await client.query(`ROLLBACK TO SAVEPOINT ${name}`);
        throw err;
      }
    });
    runners.set(client, made);
    return made;
  };

  const transaction = async <T>(fn: (tx: SqlRunner) => Promise<T>, opts: AtomicOptions = {}): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (err) {
        throw unavailable(err);
      }
      let broken = false;
      let locked = false;
      try {
        if (opts.exclusiveKey) {
          // A session lock taken before BEGIN: the snapshot starts after the previous holder committed.
          await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [opts.exclusiveKey]);
          locked = true;
        }
        await client.query(
          `BEGIN ISOLATION LEVEL ${opts.isolation === 'read committed' ? 'READ COMMITTED' : 'SERIALIZABLE'}`,
        );
        const out = await fn(txRunner(client));
        const commit = await client.query('COMMIT');
        // COMMIT of a transaction an error left aborted answers ROLLBACK, not an error.
        if (commit.command === 'ROLLBACK') throw new Error('transaction was rolled back at commit');
        return out;
      } catch (err) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true; // the connection itself failed: do not hand it back to the pool
        }
        const code = (err as { code?: string }).code;
        // At read committed, a unique key taken by a transaction that committed meanwhile is
        // a race too: run again, and the use case sees the row it collided with.
        const race =
          code !== undefined &&
          (RETRY.has(code) || (code === '23505' && opts.isolation === 'read committed'));
        if (race && attempt < MAX_ATTEMPTS) {
          await new Promise((r) => setTimeout(r, backoffMs(attempt)));
          continue;
        }
        // Still racing after every retry: the database is too busy for this now, which the
        // client should treat like a short outage (503, try again), not as a bug (500).
        if (race)
          throw new StoreUnavailableError(
            `still conflicting after ${MAX_ATTEMPTS} attempts: ${(err as Error).message}`,
          );
        throw unavailable(err);
      } finally {
        if (locked && !broken) {
          await client
            .query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [opts.exclusiveKey])
            .catch(() => (broken = true));
        }
        client.release(broken);
      }
    }
  };

  return {
    ...runner(pool, transaction),
    versionStamp: () => transaction((tx) => tx.versionStamp()),
    pool,
    close: () => pool.end(),
  };
}
