/** The store for several replicas: PostgreSQL through a pool, behind the shared SQL. */
import { createIdFactory, type IdFactory } from '../../ids.ts';
import { sqlStore } from '../sql/sql-store.ts';
import type { Store } from '../store.ts';
import { migratePostgres } from './migrations.ts';
import { postgresDb } from './postgres-db.ts';

export type PostgresStoreOptions = {
  url: string;
  poolSize?: number;
  newId?: IdFactory;
  onError?: (err: Error) => void;
};

export async function openPostgresStore(opts: PostgresStoreOptions): Promise<Store> {
  const db = postgresDb({
    connectionString: opts.url,
    ...(opts.poolSize ? { max: opts.poolSize } : {}),
    ...(opts.onError ? { onError: opts.onError } : {}),
  });
  try {
    await migratePostgres(db.pool);
  } catch (err) {
    await db.close();
    throw err;
  }
  const store: Store = sqlStore(db, opts.newId ?? createIdFactory());
  store.poolStats = () => ({
    total: db.pool.totalCount,
    idle: db.pool.idleCount,
    waiting: db.pool.waitingCount,
  });
  return store;
}
