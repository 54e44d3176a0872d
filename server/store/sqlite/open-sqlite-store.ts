/** The embedded store: one SQLite file (WAL, synchronous=FULL) behind the shared SQL. */
import { createIdFactory, type IdFactory } from '../../ids.ts';
import { sqlStore } from '../sql/sql-store.ts';
import type { Store } from '../store.ts';
import { SERVER_MIGRATIONS } from './migrations.ts';
import { openDatabase } from './open-database.ts';
import { sqliteDb } from './sqlite-db.ts';

export type SqliteStoreOptions = { file: string; newId?: IdFactory };

export function openSqliteStore(opts: SqliteStoreOptions): Store {
  return sqlStore(sqliteDb(openDatabase(opts.file, SERVER_MIGRATIONS)), opts.newId ?? createIdFactory());
}
