/** Kiosk database schema: the outbox and the catalog cache. */
import type { Migration } from '../sqlite.ts';

export const KIOSK_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'outbox and catalog',
    up: `
      CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('borrow', 'return')),
        item_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        occurred_at INTEGER NOT NULL,
        clock_trusted INTEGER NOT NULL,
        auth TEXT NOT NULL,
        note TEXT,
        created_at INTEGER NOT NULL,
        -- pending until the server answers; then its outcome, kept for the service screen
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'applied', 'rejected', 'conflict')),
        result_code TEXT,
        synced_at INTEGER
      );
      CREATE INDEX outbox_pending ON outbox(state, seq);

      CREATE TABLE catalog_items (
        id TEXT PRIMARY KEY,
        tag TEXT NOT NULL,
        name TEXT NOT NULL,
        category TEXT NOT NULL,
        loan_days INTEGER NOT NULL,
        restricted_to TEXT,
        on_loan INTEGER NOT NULL,
        retired INTEGER NOT NULL
      );

      CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `,
  },
  {
    version: 2,
    name: 'catalog locker slots',
    up: `ALTER TABLE catalog_items ADD COLUMN locker_slot TEXT;`,
  },
];
