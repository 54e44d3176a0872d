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
  {
    version: 3,
    name: 'waiting rows per item, kept by the database',
    // A screen update must cost the same at 10 and 10,000 waiting rows: availability and the
    // queue count come from this table (one row per item with rows waiting), which triggers
    // keep in step with every commit, settle and prune in the same transaction.
    up: `
      CREATE INDEX outbox_item_waiting ON outbox(item_id, seq) WHERE state = 'pending';
      CREATE TABLE outbox_items (
        item_id TEXT PRIMARY KEY,
        waiting INTEGER NOT NULL,
        newest_seq INTEGER NOT NULL
      );
      INSERT INTO outbox_items (item_id, waiting, newest_seq)
        SELECT item_id, COUNT(*), MAX(seq) FROM outbox WHERE state = 'pending' GROUP BY item_id;

      CREATE TRIGGER outbox_waiting_insert AFTER INSERT ON outbox WHEN new.state = 'pending'
      BEGIN
        INSERT INTO outbox_items (item_id, waiting, newest_seq) VALUES (new.item_id, 1, new.seq)
          ON CONFLICT(item_id) DO UPDATE SET waiting = waiting + 1, newest_seq = MAX(newest_seq, new.seq);
      END;

      CREATE TRIGGER outbox_waiting_settle AFTER UPDATE OF state ON outbox
        WHEN old.state = 'pending' AND new.state <> 'pending'
      BEGIN
        UPDATE outbox_items SET waiting = waiting - 1,
          newest_seq = COALESCE(
            (SELECT MAX(seq) FROM outbox WHERE item_id = old.item_id AND state = 'pending'), newest_seq)
          WHERE item_id = old.item_id;
        DELETE FROM outbox_items WHERE item_id = old.item_id AND waiting <= 0;
      END;

      CREATE TRIGGER outbox_waiting_delete AFTER DELETE ON outbox WHEN old.state = 'pending'
      BEGIN
        UPDATE outbox_items SET waiting = waiting - 1,
          newest_seq = COALESCE(
            (SELECT MAX(seq) FROM outbox WHERE item_id = old.item_id AND state = 'pending'), newest_seq)
          WHERE item_id = old.item_id;
        DELETE FROM outbox_items WHERE item_id = old.item_id AND waiting <= 0;
      END;

      -- Pruning deletes settled rows by age.
      CREATE INDEX outbox_settled ON outbox(synced_at) WHERE state <> 'pending';
    `,
  },
  {
    version: 4,
    name: 'return condition reports; item condition in the catalog (issue 16)',
    up: `
      ALTER TABLE outbox ADD COLUMN condition TEXT CHECK (condition IN ('damaged', 'incomplete'));
      ALTER TABLE catalog_items ADD COLUMN condition TEXT NOT NULL DEFAULT 'ok';
    `,
  },
  {
    version: 5,
    name: 'answered rows the server lost wait again (issue 21: a restored server)',
    up: `
      CREATE TRIGGER outbox_waiting_reopen AFTER UPDATE OF state ON outbox
        WHEN old.state <> 'pending' AND new.state = 'pending'
      BEGIN
        INSERT INTO outbox_items (item_id, waiting, newest_seq) VALUES (new.item_id, 1, new.seq)
          ON CONFLICT(item_id) DO UPDATE SET waiting = waiting + 1, newest_seq = MAX(newest_seq, new.seq);
      END;
    `,
  },
  {
    version: 6,
    name: 'the lending policies, as the catalog last brought them (issue 16)',
    up: `
      -- One row: the policy set (protocol/wire/policies.ts) as JSON, so an offline kiosk, and
      -- one restarted offline, judges carts and due dates by the server's rules.
      CREATE TABLE catalog_policies (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        body TEXT NOT NULL,
        received_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 7,
    name: 'renewals are outbox rows too (issue 16, kiosk protocol 5)',
    // SQLite cannot widen a CHECK in place: the table is rebuilt with every row, its sequence
    // carried over (a pruned top seq must never be handed out again: the server orders a
    // kiosk's rows by it), and its indexes and triggers made again as migrations 1-5 made them.
    up: `
      CREATE TABLE outbox_v7 (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('borrow', 'return', 'renew')),
        item_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        occurred_at INTEGER NOT NULL,
        clock_trusted INTEGER NOT NULL,
        auth TEXT NOT NULL,
        note TEXT,
        created_at INTEGER NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'applied', 'rejected', 'conflict')),
        result_code TEXT,
        synced_at INTEGER,
        condition TEXT CHECK (condition IN ('damaged', 'incomplete'))
      );
      INSERT INTO outbox_v7 (seq, id, kind, item_id, user_id, occurred_at, clock_trusted, auth, note,
                             created_at, state, result_code, synced_at, condition)
        SELECT seq, id, kind, item_id, user_id, occurred_at, clock_trusted, auth, note,
               created_at, state, result_code, synced_at, condition FROM outbox;
      DELETE FROM sqlite_sequence WHERE name = 'outbox_v7';
      INSERT INTO sqlite_sequence (name, seq) SELECT 'outbox_v7', seq FROM sqlite_sequence WHERE name = 'outbox';
      DROP TABLE outbox;
      ALTER TABLE outbox_v7 RENAME TO outbox;

      CREATE INDEX outbox_pending ON outbox(state, seq);
      CREATE INDEX outbox_item_waiting ON outbox(item_id, seq) WHERE state = 'pending';
      CREATE INDEX outbox_settled ON outbox(synced_at) WHERE state <> 'pending';

      CREATE TRIGGER outbox_waiting_insert AFTER INSERT ON outbox WHEN new.state = 'pending'
      BEGIN
        INSERT INTO outbox_items (item_id, waiting, newest_seq) VALUES (new.item_id, 1, new.seq)
          ON CONFLICT(item_id) DO UPDATE SET waiting = waiting + 1, newest_seq = MAX(newest_seq, new.seq);
      END;

      CREATE TRIGGER outbox_waiting_settle AFTER UPDATE OF state ON outbox
        WHEN old.state = 'pending' AND new.state <> 'pending'
      BEGIN
        UPDATE outbox_items SET waiting = waiting - 1,
          newest_seq = COALESCE(
            (SELECT MAX(seq) FROM outbox WHERE item_id = old.item_id AND state = 'pending'), newest_seq)
          WHERE item_id = old.item_id;
        DELETE FROM outbox_items WHERE item_id = old.item_id AND waiting <= 0;
      END;

      CREATE TRIGGER outbox_waiting_delete AFTER DELETE ON outbox WHEN old.state = 'pending'
      BEGIN
        UPDATE outbox_items SET waiting = waiting - 1,
          newest_seq = COALESCE(
            (SELECT MAX(seq) FROM outbox WHERE item_id = old.item_id AND state = 'pending'), newest_seq)
          WHERE item_id = old.item_id;
        DELETE FROM outbox_items WHERE item_id = old.item_id AND waiting <= 0;
      END;

      CREATE TRIGGER outbox_waiting_reopen AFTER UPDATE OF state ON outbox
        WHEN old.state <> 'pending' AND new.state = 'pending'
      BEGIN
        INSERT INTO outbox_items (item_id, waiting, newest_seq) VALUES (new.item_id, 1, new.seq)
          ON CONFLICT(item_id) DO UPDATE SET waiting = waiting + 1, newest_seq = MAX(newest_seq, new.seq);
      END;
    `,
  },
  {
    version: 8,
    name: 'catalog pull pages',
    up: `
      -- The pages of a catalog pull under way (protocol 5), kept until the last one is here and
      -- the whole set is applied at once; the catalog the kiosk shows meanwhile is untouched.
      CREATE TABLE catalog_pull_pages (
        seq INTEGER PRIMARY KEY,
        body TEXT NOT NULL
      );
    `,
  },
  {
    version: 9,
    name: 'kits',
    up: `
      -- A kit's named parts as the catalog brought them (protocol 7; '[]': no kit), and the
      -- parts a return reported missing, sent with its row.
      ALTER TABLE catalog_items ADD COLUMN parts TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE outbox ADD COLUMN missing_parts TEXT;
      -- The next pull is a whole one: items that became kits while this kiosk spoke protocol 6
      -- came without their parts, and a pull since the cursor would never bring them again.
      DELETE FROM kv WHERE key IN ('catalog_cursor', 'catalog_pull_next');
      DELETE FROM catalog_pull_pages;
    `,
  },
];
